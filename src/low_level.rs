//! The request and answer bodies generated from the spec, as they go on the
//! wire (feature `low-level`).
//!
//! These are progenitor's types: each text field is a newtype that checks
//! the spec's length and pattern when it is made, but nothing here checks
//! what the hand-written builders check across fields (a campaign's
//! recipients, its text's parts, its delivery time), and no request is sent
//! from here: [`crate::Client`] sends. They are for code that needs the
//! wire form itself, such as a server that reads requests (the sandbox, in
//! the crate `lox24-sandbox`) or a test that matches a request body
//! exactly (with the `mock` feature's helpers).
//!
//! Where the crate has its own type for a schema (answers, ids, entries,
//! enums), the generated code uses it, so `types` holds the request bodies
//! and the small wrappers they are made of.
//!
//! ```
//! use lox24::low_level::types::GroupWrite;
//!
//! let body: GroupWrite = serde_json::from_str(r#"{"name": "VIP", "name_a": "first name"}"#)?;
//! assert_eq!(body.name.as_str(), "VIP");
//! assert!(serde_json::from_str::<GroupWrite>(r#"{"name": ""}"#).is_err(), "too short");
//! # Ok::<(), serde_json::Error>(())
//! ```

pub use crate::generated::types;
