//! A client for the [LOX24](https://www.lox24.eu) SMS API: mailing-list
//! groups, uploads of phone numbers into them, and bulk SMS campaigns.
//!
//! ```no_run
//! use lox24::{Client, Column, NewBulk, NewGroup, PhoneEntry};
//!
//! # async fn run() -> Result<(), lox24::Error> {
//! let client = Client::from_env()?; // LOX24_TOKEN=<customer id>:<API key>
//!
//! let group = client
//!     .create_group(&NewGroup::new("Newsletter").column_name(Column::A, "first name"))
//!     .await?;
//!
//! let entries = [
//!     PhoneEntry::new("+491701234567").column(Column::A, "Anna"),
//!     PhoneEntry::new("+491701234568").column(Column::A, "Ben"),
//! ];
//! let added = client.add_phones(&group.id, &entries).await?;
//! println!("{} stored, {} refused", added.created(), added.failed());
//!
//! let campaign = client
//!     .create_bulk(&NewBulk::new("MyShop", "Hello [Name colA]!").to_group(group.id))
//!     .await?;
//! println!("campaign {} created", campaign.id());
//! # Ok(()) }
//! ```
//!
//! # Where to start
//!
//! Every request is a method of [`Client`]; the inputs are builders checked
//! before sending, and every failure is one [`Error`].
//!
//! | To… | use |
//! |---|---|
//! | connect | [`Client::from_env`] (`LOX24_TOKEN`), or [`Client::builder`] for the token, base URL, timeouts and [`RetryPolicy`] |
//! | keep a mailing list | [`NewGroup`] and [`Client::create_group`]; [`Client::get_group`], [`Client::list_groups`], [`Client::export_group_csv`] |
//! | add a few entries | [`PhoneEntry`] and [`Client::add_phone`], or [`Client::add_phones`] (one request, one [`BatchItem`] per entry) |
//! | read entries back | [`Client::list_group_phones`], [`Client::get_phone`]; a column of a [`Phone`] with [`Phone::column`] |
//! | upload thousands of entries | [`Client::upload_phones`] with progress, giving an [`upload::UploadReport`]; [`Client::resume_upload`] sends what it did not |
//! | send a campaign | [`NewBulk`], then [`Client::dry_run_bulk`] (recipients and cost) and [`Client::create_bulk`], giving a [`Campaign`] to follow ([`Campaign::wait`]) or cancel ([`Campaign::cancel`]); a campaign created earlier: [`Client::campaign`] |
//! | schedule it | [`NewBulk::deliver_at`] (any `chrono` time zone), [`Campaign::cancel`] until it starts |
//! | send one SMS | [`NewSms`] and [`Client::send_sms`] ([`Client::dry_run_sms`] for its parts and price) |
//! | follow delivery | [`Client::wait_for_sms`] or [`Client::get_sms`] for one message, [`Campaign::messages`] and [`Client::list_sms`] for many, or LOX24's webhook events below |
//! | check the balance | [`Client::account`] and [`Account::covers`] |
//! | receive webhook events | [`webhook::parse`] in your own server, or `webhook::Receiver` (feature `webhook-receiver`) |
//! | check a text or a number | [`text::analyze`] (encoding, parts), [`number::PhonePolicy`] (how numbers are read) |
//! | handle failures | [`Error`]: [`Error::Validation`] before sending, a variant per HTTP status after; [`Error::is_retryable`], [`Error::may_have_taken_effect`] |
//! | test your code | the crate `lox24-sandbox` (an offline LOX24), or the `mock` feature (httpmock) |
//!
//! Listings ([`Listing`]) are [`Stream`](futures_core::Stream)s that read
//! page after page: consume them with `futures_util::TryStreamExt`
//! (`try_next`, `try_collect`) or `StreamExt` from the `futures` crates.
//!
//! # How it is built
//!
//! The operations are described in our own OpenAPI document,
//! `openapi/lox24.yaml`. At build time, [progenitor] turns it into a
//! low-level client that this crate uses internally to build requests and
//! decode answers, the limits in [`limits`] and (with the `mock` feature) the
//! [httpmock] helpers in `mock`. This crate adds the [`Client`] with its
//! configuration, validated inputs, one request path (credentials, the
//! lockout guard, retries, tracing), one [`Error`] type, and the
//! JSON-LD/Hydra types LOX24 answers with.
//!
//! Inputs are checked against the spec before anything is sent: an invalid
//! one returns [`Error::Validation`] naming the field and the limit.
//!
//! # Features
//!
//! - `rustls` (default) or `native-tls`: the TLS backend of reqwest.
//! - `mock`: typed httpmock helpers to test your own code against a mock LOX24.
//! - `low-level`: the request bodies as generated from the spec, in
//!   `low_level` (implied by `mock`).
//! - `phonenumber`: `number::PhonePolicy::Validate`, numbers checked
//!   against libphonenumber's numbering plans.
//! - `webhook-receiver`: `webhook::Receiver`, a small HTTP server that
//!   receives LOX24's webhook events (delivery reports, received messages
//!   …) and hands them over as a stream. Reading events in your own server
//!   ([`webhook::parse`]) needs no feature.
//!
//! The offline LOX24 server for tests and demos is the crate `lox24-sandbox`,
//! and the command-line tool the crate `lox24-cli`.
//!
//! [progenitor]: https://github.com/oxidecomputer/progenitor
//! [httpmock]: https://docs.rs/httpmock
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod account;
mod blocked;
pub mod bulks;
mod client;
mod enums;
mod error;
mod filters;
pub mod fraud;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod generated;
pub mod groups;
mod ids;
pub mod jsonld;
pub mod limits;
pub mod links;
#[cfg(feature = "low-level")]
pub mod low_level;
#[cfg(feature = "mock")]
pub mod mock;
pub mod number;
mod outgoing;
pub mod phones;
mod replies;
pub mod sms;
pub mod text;
mod transport;
pub mod upload;
pub mod webhook;

pub use account::Account;
pub use blocked::{BlockedKind, BlockedNumber};
pub use bulks::{
    Bulk, BulkOrder, BulkQuery, BulkStatus, Campaign, DryRun, NewBulk, NotCancellable, Polling,
    ServiceCode, SortDirection, VoiceLanguage, WaitTimeout,
};
pub use client::{
    BASE_URL_VARIABLE, Client, ClientBuilder, Credentials, DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_TIMEOUT, TOKEN_VARIABLE,
};
pub use enums::OrUnknown;
pub use error::{
    ApiError, ConfigError, Error, LOCKOUT, TransportError, TransportErrorKind, UnexpectedResponse,
    ValidationError, ValidationProblem, Violation, WebhookError, WebhookErrorKind,
};
pub use fraud::{FraudCheck, FraudCheckQuery, NewFraudCheck};
pub use groups::{Column, CsvExport, Group, NewGroup};
pub use ids::{BlockedNumberId, BulkId, FraudCheckId, GroupId, PhoneId, ReplyId, SmsId};
pub use jsonld::{
    HydraCollection, HydraView, Iri, IriError, JsonLdMeta, Listing, PageLimit, ResourceId,
};
pub use links::ShortLinkRequestQuery;
pub use phones::{BatchItem, BatchResult, ItemProblem, Phone, PhoneEntry, UnsubscribeReason};
pub use replies::{Reply, ReplyQuery};
pub use sms::{DlrCode, NewSms, Sms, SmsOrder, SmsQuery, SmsStatus, SmsWaitTimeout};
pub use text::Encoding;
pub use transport::RetryPolicy;

/// The README's Rust samples, compiled as doctests so that they stay in step
/// with the API (with the `mock` feature, which one of them shows; the
/// README's test command turns every feature on).
#[cfg(all(doctest, feature = "mock"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
