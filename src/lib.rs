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
//! let added = client.add_phones(group.id, &entries).await?;
//! println!("{} stored, {} refused", added.created(), added.failed());
//!
//! let bulk = client
//!     .create_bulk(&NewBulk::new("MyShop", "Hello [Name colA]!").to_group(group.id))
//!     .await?;
//! println!("campaign {} created", bulk.uuid);
//! # Ok(()) }
//! ```
//!
//! # How it is built
//!
//! The operations are described in our own OpenAPI document,
//! `openapi/lox24.yaml`. At build time, [progenitor] turns it into the
//! low-level client in [`api`], the limits in [`limits`] and (with the `mock`
//! feature) the [httpmock] helpers in `mock`. This crate adds the
//! [`Client`] with its configuration, validated inputs, one [`Error`] type,
//! and the JSON-LD/Hydra types LOX24 answers with.
//!
//! Inputs are checked against the spec before anything is sent: an invalid
//! one returns [`Error::Validation`] naming the field and the limit.
//!
//! # Features
//!
//! - `rustls` (default) or `native-tls`: the TLS backend of reqwest.
//! - `mock`: typed httpmock helpers to test your own code against a mock LOX24.
//! - `sandbox`: [`sandbox::Sandbox`], an in-process, stateful LOX24-compatible
//!   server to try the client and test against offline.
//!
//! [progenitor]: https://github.com/oxidecomputer/progenitor
//! [httpmock]: https://docs.rs/httpmock
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod api;
mod bulk_query;
mod bulks;
mod call;
mod campaign;
mod client;
mod coded;
mod credentials;
mod error;
mod export;
mod groups;
mod guard;
mod hooks;
mod ids;
pub mod jsonld;
mod lenient;
pub mod limits;
mod listing;
#[cfg(feature = "mock")]
pub mod mock;
pub mod phone;
mod phones;
mod polling;
mod retry;
#[cfg(feature = "sandbox")]
pub mod sandbox;
mod session;
pub mod text;
mod upload;
mod validate;

pub use api::types::{ServiceCode, SortDirection, VoiceLanguage};
pub use bulk_query::{BulkOrder, BulkQuery};
pub use bulks::{Bulk, BulkStatus, Encoding, NewBulk};
pub use campaign::{Campaign, DryRun};
pub use client::{
    BASE_URL_VARIABLE, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT,
};
pub use credentials::{Credentials, TOKEN_VARIABLE};
pub use error::{
    ApiError, ConfigError, Error, LOCKOUT, NotCancellable, TransportError, TransportErrorKind,
    UnexpectedResponse, ValidationError, ValidationProblem, Violation, WaitTimeout,
};
pub use export::CsvExport;
pub use groups::{Column, Group, NewGroup};
pub use ids::{BulkId, GroupId, PhoneId};
pub use jsonld::{HydraCollection, HydraView, Iri, IriError, JsonLdMeta, ResourceId};
pub use lenient::OrUnknown;
pub use listing::Listing;
pub use phones::{BatchItem, BatchResult, ItemProblem, Phone, PhoneEntry, UnsubscribeReason};
pub use polling::Polling;
pub use retry::RetryPolicy;
pub use upload::{
    BatchFailure, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, FailureRecord, NotSentReason, Outcome,
    Progress, Rejection, Stop, Summary, UnknownReason, Upload, UploadReport,
};

/// The README's Rust samples, compiled as doctests so that they stay in step
/// with the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
