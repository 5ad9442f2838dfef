//! The request limits of the spec (`openapi/lox24.yaml`), generated at build
//! time. Every input is checked against them before anything is sent.
//!
//! ```
//! use lox24::limits;
//!
//! assert_eq!(limits::group_write::NAME.max_chars, Some(50));
//! assert_eq!(limits::phone_write::A.max_chars, Some(1530));
//! assert_eq!(limits::bulk_write::TEXT.max_chars, Some(1785));
//! assert!(limits::SENDER_ID.check("MyShop").is_ok());
//! assert!(limits::SENDER_ID.check("My-Shop").is_err());
//!
//! // Each body schema also lists its rules and required properties.
//! assert_eq!(limits::group_write::REQUIRED, &["name"]);
//! assert_eq!(limits::group_write::TEXT_RULES.len(), 7);
//! ```

pub use crate::validate::{IntRule, Pattern, TextRule};

include!(concat!(env!("OUT_DIR"), "/lox24_limits.rs"));
