//! Typed [`httpmock`] helpers generated from the spec, for testing code that
//! uses this crate against a mock LOX24 without writing JSON by hand.
//!
//! [`MockServerExt`] adds one method per operation to
//! [`httpmock::MockServer`]; its `when` side matches the method, the path and
//! (optionally) the exact body, and its `then` side answers with the crate's
//! own resource types.
//!
//! ```
//! use httpmock::MockServer;
//! use lox24::{Group, GroupId, NewGroup, mock::MockServerExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), lox24::Error> {
//! let server = MockServer::start_async().await;
//! let mock = server.create_group(|when, then| {
//!     when.into_inner().json_body_includes(r#"{"name": "VIP"}"#);
//!     then.created(&Group::new(GroupId::new(42), "VIP"));
//! });
//!
//! let client = lox24::Client::builder()
//!     .token("1234567:secret")
//!     .base_url(server.base_url())
//!     .build()?;
//! let group = client.create_group(&NewGroup::new("VIP")).await?;
//! assert_eq!(group.id, GroupId::new(42));
//! mock.assert();
//! # Ok(()) }
//! ```
#![allow(missing_docs, clippy::all, rustdoc::all)]

include!(concat!(env!("OUT_DIR"), "/lox24_mock.rs"));
