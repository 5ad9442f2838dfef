//! What happened to one entry of an upload.

use serde::{Deserialize, Serialize};

use crate::{ItemProblem, PhoneId, ValidationError, Violation};

/// The outcome of one input entry. Every entry of an upload gets exactly one.
///
/// ```
/// use lox24::{PhoneId, upload::Outcome};
///
/// let outcome = Outcome::Created { id: Some(PhoneId::new("981")) };
/// assert_eq!(
///     serde_json::to_string(&outcome)?,
///     r#"{"outcome":"created","id":"981"}"#
/// );
/// assert!(!outcome.needs_resend(true));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// LOX24 stored the entry.
    Created {
        /// The id LOX24 gave it; `None` if the answer had none, or if the
        /// report was made with [`Upload::keep_created`](crate::upload::Upload::keep_created)
        /// off and this entry was carried over by a resume.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<PhoneId>,
    },
    /// The entry itself was refused: by the local checks (never sent), by
    /// LOX24 for this entry alone, or by LOX24 refusing its batch because of it.
    /// Sending it again unchanged would be refused again.
    Rejected {
        /// The number, as sent (as given, for an entry refused locally).
        phone: String,
        /// Who refused it, and why (boxed: rare, and it keeps every
        /// outcome small).
        reason: Box<Rejection>,
    },
    /// LOX24 certainly did not store the entry: it was never sent, or its
    /// request was refused as a whole or never reached LOX24. A resume sends it.
    NotSent {
        /// The number, as it was to be sent; `None` for entries the upload
        /// never read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phone: Option<String>,
        /// Why it was not sent.
        reason: NotSentReason,
    },
    /// LOX24 may or may not have stored the entry. A resume sends it only
    /// when asked to ([`Upload::resend_unknown`](crate::upload::Upload::resend_unknown)).
    Unknown {
        /// The number, as sent.
        phone: String,
        /// Why the outcome is not known.
        reason: UnknownReason,
    },
}

impl Outcome {
    /// Whether a resume sends this entry again: always for [`Outcome::NotSent`],
    /// for [`Outcome::Unknown`] when `unknown_too`.
    pub fn needs_resend(&self, unknown_too: bool) -> bool {
        match self {
            Self::NotSent { .. } => true,
            Self::Unknown { .. } => unknown_too,
            _ => false,
        }
    }

    /// The number, for the outcomes that keep it (all but `Created`).
    pub fn phone(&self) -> Option<&str> {
        match self {
            Self::Created { .. } => None,
            Self::Rejected { phone, .. } | Self::Unknown { phone, .. } => Some(phone),
            Self::NotSent { phone, .. } => phone.as_deref(),
        }
    }
}

/// Who refused an entry, and why.
///
/// ```
/// use lox24::{ValidationError, ValidationProblem, upload::Rejection};
///
/// let local = Rejection::Local {
///     error: ValidationError::new("phone", ValidationProblem::Missing),
/// };
/// assert_eq!(local.message(), "`phone` is required");
/// assert_eq!(local.status(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rejection {
    /// The entry breaks a documented limit; it was never sent.
    Local {
        /// The field and the limit.
        error: ValidationError,
    },
    /// LOX24 refused this entry inside a 201 answer, with the entry's own status.
    Item {
        /// The entry's status (400 or 422, usually).
        status: u16,
        /// What LOX24 said about it.
        problem: ItemProblem,
        /// The `X-LOX24-REQUEST-ID` of the batch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
    },
    /// LOX24 refused the whole batch (400 or 422); these violations name this
    /// entry. The other entries of the batch were sent again without it.
    Batch {
        /// The status of the answer.
        status: u16,
        /// The violations about this entry, with paths relative to the entry
        /// (`phone` for `[3].phone`); all of them when none could be matched
        /// to an entry.
        violations: Vec<Violation>,
        /// The answer's message, when it had one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// The `X-LOX24-REQUEST-ID` of the answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
    },
}

impl Rejection {
    /// Why the entry was refused, in words.
    pub fn message(&self) -> String {
        match self {
            Self::Local { error } => error.to_string(),
            Self::Item { problem, .. } => problem.message().to_owned(),
            Self::Batch {
                violations,
                message,
                ..
            } => {
                let listed: Vec<String> = violations
                    .iter()
                    .map(|v| match v.property_path.as_str() {
                        "" => v.message.clone(),
                        path => format!("{path}: {}", v.message),
                    })
                    .collect();
                match (listed.is_empty(), message) {
                    (false, _) => listed.join("; "),
                    (true, Some(message)) => message.clone(),
                    (true, None) => "the batch was refused".to_owned(),
                }
            }
        }
    }

    /// The HTTP status of the refusal; `None` for a local one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Local { .. } => None,
            Self::Item { status, .. } | Self::Batch { status, .. } => Some(*status),
        }
    }
}

/// Why an entry was not sent.
///
/// ```
/// use lox24::{upload::{NotSentReason, Outcome}};
///
/// let outcome: Outcome = serde_json::from_str(
///     r#"{"outcome": "not_sent", "phone": "+491701234567", "reason": "failed"}"#,
/// )?;
/// assert!(matches!(outcome, Outcome::NotSent { reason: NotSentReason::Failed, .. }));
/// assert!(outcome.needs_resend(false));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotSentReason {
    /// The upload stopped before sending it (see
    /// [`UploadReport::stop`](crate::upload::UploadReport::stop)).
    Stopped,
    /// Its request was sent but certainly not carried out: refused as a
    /// whole (401, 402, 403, 404, 429), or LOX24 could not be reached or
    /// answered 503 to every attempt. See
    /// [`UploadReport::failed_batches`](crate::upload::UploadReport::failed_batches).
    Failed,
    /// Its request failed after it may have reached LOX24, and
    /// reconciliation found it is not in the group
    /// ([`Client::reconcile_upload`](crate::Client::reconcile_upload)).
    NotInGroup,
}

/// Why the outcome of an entry is not known.
///
/// ```
/// use lox24::{upload::{Outcome, UnknownReason}};
///
/// let outcome = Outcome::Unknown {
///     phone: "+491701234567".into(),
///     reason: UnknownReason::Ambiguous,
/// };
/// assert!(!outcome.needs_resend(false), "LOX24 may have stored it");
/// assert!(outcome.needs_resend(true));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnknownReason {
    /// Its request failed after it may have reached LOX24: a timeout after
    /// sending, a lost connection, 500, 502 or 504.
    Ambiguous,
    /// LOX24 answered, but the answer cannot be matched to the entries (more
    /// or fewer items than sent, an unreadable body).
    Unreadable,
}
