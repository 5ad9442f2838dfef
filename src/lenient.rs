//! Values from a closed list that may grow.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A value of a list the spec closes (such as [`crate::ServiceCode`]), or the
/// text LOX24 sent when it is not on the list. Answers decode either way.
///
/// ```
/// use lox24::{OrUnknown, VoiceLanguage};
///
/// let known: OrUnknown<VoiceLanguage> = serde_json::from_str(r#""DE""#)?;
/// assert_eq!(known.known(), Some(&VoiceLanguage::De));
/// let newer: OrUnknown<VoiceLanguage> = serde_json::from_str(r#""EL""#)?;
/// assert_eq!(newer, OrUnknown::Unknown("EL".into()));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OrUnknown<T> {
    /// A value on the list.
    Known(T),
    /// A value this version of the crate does not know.
    Unknown(String),
}

impl<T> OrUnknown<T> {
    /// The value, when it is on the list.
    pub fn known(&self) -> Option<&T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }
}
