//! The request limits of the spec (`openapi/lox24.yaml`), generated at build
//! time. Every input is checked against them before anything is sent. The
//! values the spec lists for a schema or a property (`*_VALUES`) are there
//! too; the crate's enums are tested against them.
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
//!
//! // The values of `ServiceCode` and of `Sms.status_code`.
//! assert_eq!(limits::SERVICE_CODE_VALUES[0], "direct");
//! assert!(limits::SMS_STATUS_CODE_VALUES.contains(&6000));
//! ```

mod content;
mod rules;

pub use content::SENDER_RULE;
pub(crate) use content::{Lines, check_controls, check_not_blank, check_sender};
pub use rules::{IntRule, Pattern, TextRule};
pub(crate) use rules::{wire, wire_at, wire_opt, wire_opt_at};

include!(concat!(env!("OUT_DIR"), "/lox24_limits.rs"));
