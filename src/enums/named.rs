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

/// Declares an enum of the texts a spec schema lists, written as LOX24
/// writes them: serde names, `ALL`, `as_str`, `Display` and `FromStr`. The
/// values must be the spec's (a test compares `ALL` with the table of
/// `lox24::limits`); answers read them through [`OrUnknown`] so that a value
/// added later still decodes.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $name:ident ($field:literal) { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            /// Every value, in the spec's order.
            pub const ALL: &'static [Self] = &[$( Self::$variant, )*];

            /// The value as LOX24 writes it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ValidationError;

            /// The value LOX24 writes as `text`, exactly.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| {
                    let listed: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::ValidationError::new(
                        $field,
                        $crate::ValidationProblem::Invalid {
                            reason: format!("is {text:?}, not one of {}", listed.join(", ")),
                        },
                    )
                })
            }
        }
    };
}

pub(crate) use named_enum;
