//! Enums of LOX24's lists that may grow: integer codes (`coded_enum!`)
//! and names (`named_enum!`, [`OrUnknown`]). A value a newer LOX24 sends
//! is kept, never an error.

mod coded;
mod named;

pub(crate) use coded::coded_enum;
pub use named::OrUnknown;
pub(crate) use named::named_enum;
