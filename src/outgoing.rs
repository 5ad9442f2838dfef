//! What a single message and a campaign have in common: sender, text,
//! schedule and options, with the checks they share, and the builder
//! methods that set them (written once, for [`crate::NewBulk`] and the
//! other outgoing types, by [`outgoing_builder!`]).

use chrono::{DateTime, Utc};

use crate::{
    Encoding, ServiceCode, ValidationError, ValidationProblem, VoiceLanguage, generated::types,
    limits, limits::IntRule, limits::wire_at, number::PhonePolicy, text,
};

/// Sender, text, schedule and options of an outgoing message or campaign.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Outgoing {
    pub(crate) sender_id: String,
    pub(crate) text: String,
    pub(crate) delivery_at: Option<DateTime<Utc>>,
    pub(crate) encoding: Encoding,
    pub(crate) service: Option<ServiceCode>,
    pub(crate) voice: Option<VoiceLanguage>,
    pub(crate) delete_text: Option<bool>,
    pub(crate) source: Option<i64>,
    pub(crate) phone_policy: PhonePolicy,
}

impl Outgoing {
    pub(crate) fn new(sender_id: String, text: String) -> Self {
        Self {
            sender_id,
            text,
            delivery_at: None,
            encoding: Encoding::Auto,
            service: None,
            voice: None,
            delete_text: None,
            source: None,
            phone_policy: PhonePolicy::default(),
        }
    }

    /// The sender, in the words of its rule ([`limits::SENDER_RULE`]).
    pub(crate) fn check_sender(&self) -> Result<(), ValidationError> {
        limits::check_sender("sender_id", &self.sender_id)
    }

    /// That the text says something, holds no control characters but line
    /// breaks and tabs, and, for an SMS, that the final message fits in ten
    /// parts ([`text::TextAnalysis::check`]). A voice call (`text2speech`)
    /// reads the text aloud, so only the input limit of the caller's schema
    /// applies to its length.
    pub(crate) fn check_text(&self) -> Result<(), ValidationError> {
        limits::check_not_blank("text", &self.text, "an empty message cannot be sent")?;
        limits::check_controls("text", &self.text, limits::Lines::Many)?;
        let is_sms = matches!(self.service, None | Some(ServiceCode::Direct));
        if is_sms {
            text::analyze(&self.text, self.encoding).check()?;
        }
        Ok(())
    }

    /// One recipient number as sent: rewritten by the phone policy, then
    /// checked against the spec's forms; `field` names it (`phones[3]`).
    pub(crate) fn recipient(
        &self,
        field: &str,
        phone: &str,
    ) -> Result<types::RecipientNumber, ValidationError> {
        let number = self.phone_policy.apply_at(field, phone)?;
        wire_at(&limits::RECIPIENT_NUMBER, field, &number)
    }

    /// The delivery time as sent, checked against `rule` and refused when
    /// it is past.
    pub(crate) fn checked_delivery_at(
        &self,
        rule: &IntRule,
    ) -> Result<Option<u64>, ValidationError> {
        let Some(at) = self.delivery_at else {
            return Ok(None);
        };
        rule.check(at.timestamp())?;
        let now = Utc::now();
        if at.timestamp() < now.timestamp() {
            // To the second, as it is sent; with the clock it was checked
            // against, so that a wrong time zone or clock shows.
            const SECONDS: &str = "%Y-%m-%d %H:%M:%S UTC";
            return Err(ValidationError::new(
                "delivery_at",
                ValidationProblem::Invalid {
                    reason: format!(
                        "is in the past ({}, and it is {} now): give a later time, or send at \
                         once with deliver_now()",
                        at.format(SECONDS),
                        now.format(SECONDS)
                    ),
                },
            ));
        }
        Ok(u64::try_from(at.timestamp()).ok())
    }
}

/// The builder methods of an outgoing type `$ty` whose field `outgoing` is
/// an [`Outgoing`].
macro_rules! outgoing_builder {
    ($ty:ident) => {
        impl $ty {
            /// Sends at this time (in any time zone) instead of at once; a
            /// time in the past is refused when checked.
            pub fn deliver_at<Tz: ::chrono::TimeZone>(
                mut self,
                at: ::chrono::DateTime<Tz>,
            ) -> Self {
                self.outgoing.delivery_at = Some(at.with_timezone(&::chrono::Utc));
                self
            }

            /// Sends at once (the default), undoing a scheduled time.
            pub fn deliver_now(mut self) -> Self {
                self.outgoing.delivery_at = None;
                self
            }

            /// Chooses the encoding (default: LOX24 decides).
            pub fn encoding(mut self, encoding: $crate::Encoding) -> Self {
                self.outgoing.encoding = encoding;
                self
            }

            /// Chooses the service (default: LOX24's default, a direct SMS).
            pub fn service(mut self, service: $crate::ServiceCode) -> Self {
                self.outgoing.service = Some(service);
                self
            }

            /// The language of a text-to-speech call (default: detected).
            pub fn voice_language(mut self, language: $crate::VoiceLanguage) -> Self {
                self.outgoing.voice = Some(language);
                self
            }

            /// Whether LOX24 deletes the text once the messages are delivered.
            pub fn delete_text_after_sending(mut self, delete: bool) -> Self {
                self.outgoing.delete_text = Some(delete);
                self
            }

            /// A number of your choice that identifies what is sent in itemised bills.
            pub fn source(mut self, source: i64) -> Self {
                self.outgoing.source = Some(source);
                self
            }

            /// How recipient numbers are checked and rewritten before
            /// sending (default [`PhonePolicy::Normalize`] without a
            /// country: every international form becomes E.164, and a
            /// national number is refused with an error that names it,
            /// rather than left for LOX24 to complete with the account's
            /// country). Give a country to accept national numbers, or
            /// [`PhonePolicy::PassThrough`] to send them as written.
            ///
            /// [`PhonePolicy::Normalize`]: $crate::number::PhonePolicy::Normalize
            /// [`PhonePolicy::PassThrough`]: $crate::number::PhonePolicy::PassThrough
            pub fn phone_policy(mut self, policy: $crate::number::PhonePolicy) -> Self {
                self.outgoing.phone_policy = policy;
                self
            }
        }
    };
}

pub(crate) use outgoing_builder;
