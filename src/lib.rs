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
//!
//! [progenitor]: https://github.com/oxidecomputer/progenitor
//! [httpmock]: https://docs.rs/httpmock
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod api;
mod bulks;
mod call;
mod client;
mod coded;
mod credentials;
mod error;
mod groups;
mod guard;
mod hooks;
mod ids;
pub mod jsonld;
mod lenient;
pub mod limits;
#[cfg(feature = "mock")]
pub mod mock;
mod phones;
mod retry;
mod session;
mod upload;
mod validate;

pub use api::types::{ServiceCode, VoiceLanguage};
pub use bulks::{Bulk, BulkStatus, Encoding, NewBulk};
pub use client::{
    BASE_URL_VARIABLE, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT,
};
pub use credentials::{Credentials, TOKEN_VARIABLE};
pub use error::{
    ApiError, ConfigError, Error, LOCKOUT, TransportError, TransportErrorKind, UnexpectedResponse,
    ValidationError, ValidationProblem, Violation,
};
pub use groups::{Column, Group, NewGroup};
pub use ids::{BulkId, GroupId, PhoneId};
pub use jsonld::{HydraCollection, HydraView, Iri, IriError, JsonLdMeta, ResourceId};
pub use lenient::OrUnknown;
pub use phones::{BatchItem, BatchResult, ItemProblem, Phone, PhoneEntry, UnsubscribeReason};
pub use retry::RetryPolicy;
pub use upload::{
    BatchFailure, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, FailureRecord, NotSentReason, Outcome,
    Progress, Rejection, Stop, Summary, UnknownReason, Upload, UploadReport,
};
