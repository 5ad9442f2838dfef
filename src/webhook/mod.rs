//! The events LOX24 posts to your webhook: delivery reports, received
//! messages, email-to-SMS results, finished fraud checks, subscriptions.
//!
//! Webhooks are set up in the LOX24 web account (Settings → Notifications),
//! not through the API. For each event LOX24 sends an HTTP `POST` with
//! `Content-Type: application/json` and one JSON object: the envelope
//! (`id`, `api_version`, `name`, `created_at`, `attempt_number`,
//! `attempt_total`, `notification_task_id`) around the event's `data`.
//! [`parse`] reads it into an [`Event`] whose [`Payload`] has one variant
//! per documented event; events added later are kept as
//! [`Payload::Unknown`].
//!
//! ```
//! use lox24::webhook::{Payload, parse};
//!
//! // In your HTTP handler, with the request's headers and body:
//! fn on_post(headers: &http::HeaderMap, body: &[u8]) -> u16 {
//!     match parse(headers, body) {
//!         Ok(event) => {
//!             if let Payload::SmsDelivery(report) = &event.payload {
//!                 println!("{} {} {:?}", report.id, report.dlr_code, report.callback_data);
//!             }
//!             200
//!         }
//!         Err(error) => {
//!             eprintln!("{error}");
//!             400
//!         }
//!     }
//! }
//! # let body = br#"{"id": "e1", "api_version": "2022-05-25", "name": "sms.delivery",
//! #   "created_at": 1653378603, "attempt_number": 1, "attempt_total": 4,
//! #   "data": {"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "dlr_code": 1, "status_code": 100}}"#;
//! # assert_eq!(on_post(&http::HeaderMap::new(), body), 200);
//! # assert_eq!(on_post(&http::HeaderMap::new(), b"<html>"), 400);
//! ```
//!
//! # Delivery, repeats and trust
//!
//! LOX24 sends an event again, at growing intervals, until it gets a 2xx
//! answer or has made `attempt_total` attempts (at most [`MAX_ATTEMPTS`]).
//! It does not look at the answer beyond its status, and does not tell
//! anyone when all attempts failed. An event may thus arrive more than once
//! (a 2xx that got lost on the way): recognise repeats by [`Event::id`].
//!
//! LOX24 documents no signature: anyone who knows the URL can post to it.
//! Events come from [`SENDER_ADDRESSES`]; accept only those (in a firewall,
//! or with the receiver's `ReceiverBuilder::only_from`), use a URL that is
//! hard to guess, and check what matters against the API (e.g.
//! [`Client::get_sms`](crate::Client::get_sms)).
//!
//! # A ready receiver
//!
//! With the feature `webhook-receiver`, `Receiver` is a small HTTP server
//! that answers LOX24 and hands each event over as a stream; see the
//! example `delivery_reports`.

mod delivery;
mod email;
mod event;
mod fraud;
mod incoming;
mod lenient;
mod parse;
mod payload;
mod phone;
#[cfg(feature = "webhook-receiver")]
mod receiver;
mod summary;

use std::net::{IpAddr, Ipv4Addr};

pub use delivery::DeliveryReport;
pub use email::{BulkFromEmail, CreatedBulk, CreatedSms, Email, EmailFailure, SmsFromEmail};
pub use event::{API_VERSION, Event, EventId, MAX_ATTEMPTS};
pub use fraud::FraudCheckDone;
/// The header map [`parse`] reads (`http` 1's), for servers whose own
/// header type is another, without a dependency on `http`.
pub use http::HeaderMap;
pub use incoming::IncomingSms;
pub use parse::parse;
pub use payload::{KNOWN_EVENTS, Payload};
pub use phone::PhoneSubscription;
#[cfg(feature = "webhook-receiver")]
pub use receiver::{
    Closer, DEFAULT_CAPACITY, DEFAULT_MAX_BODY, DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_TIMEOUT,
    MAX_HEAD, MAX_HEADERS, Receiver, ReceiverBuilder,
};

/// The addresses LOX24 sends events from, to allow in a firewall.
///
/// ```
/// let peer: std::net::IpAddr = "162.55.80.141".parse()?;
/// assert!(lox24::webhook::SENDER_ADDRESSES.contains(&peer));
/// # Ok::<(), std::net::AddrParseError>(())
/// ```
pub const SENDER_ADDRESSES: [IpAddr; 2] = [
    IpAddr::V4(Ipv4Addr::new(162, 55, 80, 140)),
    IpAddr::V4(Ipv4Addr::new(162, 55, 80, 141)),
];
