//! The message to send: sender, text, recipient and options, checked
//! before anything is sent.

use crate::{
    ValidationError, generated::types, limits, limits::wire, limits::wire_opt, outgoing::Outgoing,
};

/// A single SMS (or voice call) to send.
///
/// It shares its checks with [`crate::NewBulk`]: the sender's form, a text
/// that fits in ten parts (in the encoding chosen), the recipient number
/// under the [`crate::number::PhonePolicy`], a delivery time that is not
/// past; and `callback_data` of at most 36 characters, which LOX24 carries
/// back in the message's delivery report.
///
/// ```
/// use lox24::{Encoding, NewSms};
///
/// let sms = NewSms::new("MyShop", "Your order has shipped.", "+491701234567")
///     .callback_data("order-17")
///     .encoding(Encoding::Gsm);
/// assert!(sms.validate().is_ok());
///
/// let err = NewSms::new("MyShop", "Hi", "+491701234567")
///     .callback_data("x".repeat(37))
///     .validate()
///     .unwrap_err();
/// assert_eq!(err.field(), "callback_data");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct NewSms {
    outgoing: Outgoing,
    phone: String,
    callback_data: Option<String>,
}

crate::outgoing::outgoing_builder!(NewSms);

impl NewSms {
    /// A message from `sender_id` (a number of up to 15 digits, optionally
    /// with `+`, or up to 11 ASCII letters, digits and spaces) with `text`
    /// to `phone` (E.164 such as `+491701234567` preferred; `0049…` is
    /// rewritten to it; digits without `+` or `00` need a default country
    /// in [`NewSms::phone_policy`]).
    pub fn new(
        sender_id: impl Into<String>,
        text: impl Into<String>,
        phone: impl Into<String>,
    ) -> Self {
        Self {
            outgoing: Outgoing::new(sender_id.into(), text.into()),
            phone: phone.into(),
            callback_data: None,
        }
    }

    /// Your text (at most 36 characters, e.g. an order number) that LOX24
    /// carries back in the message's delivery report and keeps on the
    /// message.
    pub fn callback_data(mut self, data: impl Into<String>) -> Self {
        self.callback_data = Some(data.into());
        self
    }

    /// Checks every limit of the spec, and that the delivery time is not past.
    ///
    /// ```
    /// use lox24::{NewSms, number::{Country, PhonePolicy}};
    ///
    /// let sms = NewSms::new("Shop", "Hi", "0170 1234567");
    /// assert_eq!(sms.validate().unwrap_err().field(), "phone");
    /// let sms = sms.phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok()));
    /// assert!(sms.validate().is_ok()); // sent as +491701234567
    /// ```
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_wire().map(drop)
    }

    /// The request body, once every limit is checked.
    pub(crate) fn to_wire(&self) -> Result<types::SmsWrite, ValidationError> {
        use limits::sms_write as rule;
        let outgoing = &self.outgoing;
        outgoing.check_sender()?;
        let sender_id = wire(&rule::SENDER_ID, &outgoing.sender_id)?;
        outgoing.check_text()?;
        let text = types::SmsText(outgoing.text.clone());
        let phone = outgoing.recipient("phone", &self.phone)?;
        if let Some(data) = &self.callback_data {
            limits::check_controls("callback_data", data, limits::Lines::One)?;
        }
        let callback_data = wire_opt(&rule::CALLBACK_DATA, self.callback_data.as_deref())?;
        let delivery_at = outgoing.checked_delivery_at(&rule::DELIVERY_AT)?;
        Ok(types::SmsWrite {
            sender_id,
            text,
            phone,
            callback_data,
            delivery_at,
            is_unicode: outgoing.encoding.is_unicode(),
            service_code: outgoing.service,
            voice_lang: outgoing.voice,
            is_text_deleted: outgoing.delete_text,
            source: outgoing.source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(sms: NewSms) -> String {
        sms.validate().unwrap_err().field().to_owned()
    }

    #[test]
    fn what_fits_the_limits_but_can_only_fail_is_refused() {
        let sms = || NewSms::new("MyShop", "Hello", "+491701234567");
        assert!(sms().validate().is_ok());
        assert_eq!(refused(sms().callback_data("order\n17")), "callback_data");
        assert_eq!(
            refused(NewSms::new("MyShop", "  \n", "+491701234567")),
            "text"
        );
        assert_eq!(
            refused(NewSms::new("MyShop", "a\u{7}b", "+491701234567")),
            "text"
        );
        assert_eq!(
            refused(NewSms::new("   ", "Hello", "+491701234567")),
            "sender_id"
        );
        assert!(
            NewSms::new("MyShop", "line one\nline two", "+491701234567")
                .validate()
                .is_ok()
        );
    }
}
