//! An event in one line, for logs and terminals.

use std::fmt::{self, Write};

use super::{Event, Payload, payload::Compact};

/// The event's name, what it says in a few fields, and its attempt: for a
/// delivery report the message's id, its status, the network's report and
/// the callback data it was sent with.
///
/// ```
/// use lox24::webhook::{DeliveryReport, Event, EventId, Payload};
/// use lox24::{DlrCode, SmsId, SmsStatus};
///
/// let mut report = DeliveryReport::new(
///     SmsId::new("d6c12ac4-cc7d-11ec-b6da-525400bbb7dc"),
///     DlrCode::Delivered,
///     SmsStatus::Sent,
/// );
/// report.callback_data = Some("order-17".into());
/// let event = Event::new(EventId::new("a3cd6e19"), 1653378603, Payload::SmsDelivery(report));
/// assert_eq!(
///     event.to_string(),
///     "sms.delivery  sms d6c12ac4-cc7d-11ec-b6da-525400bbb7dc  status handed to the network (100)  \
///      report delivered (1), final  callback order-17  (attempt 1/4, event a3cd6e19)"
/// );
/// ```
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  ", Plain(self.name()))?;
        match &self.payload {
            Payload::SmsDelivery(report) | Payload::SmsDeliveryDryrun(report) => write!(
                f,
                "sms {}  status {}  report {}{}  callback {}",
                Plain(report.id.as_str()),
                report.status_code,
                report.dlr_code,
                if report.is_final() { ", final" } else { "" },
                Plain(report.callback_data.as_deref().unwrap_or("-")),
            )?,
            Payload::SmsIncoming(sms) => {
                write!(
                    f,
                    "from {} to {}: {:?}",
                    Plain(&sms.from),
                    Plain(&sms.to),
                    sms.text.as_deref().unwrap_or_default()
                )?;
                if let Some(id) = &sms.msg_uuid {
                    write!(f, ", replying to {}", Plain(id.as_str()))?;
                }
            }
            // On one line whatever the text holds (a data made by hand).
            Payload::Unknown { data, .. } => one_line(f, data.get())?,
            // Free-form JSON kept as text: written as it is, never read into
            // a `Value` (which takes some 16 times the text).
            Payload::FraudCheckDone(done) => one_line(f, done.data().get())?,
            Payload::PhoneSubscribe(change) | Payload::PhoneUnsubscribe(change) => {
                match serde_json::to_string(change) {
                    Ok(text) => one_line(f, &text)?,
                    Err(_) => f.write_str("(data not shown)")?,
                }
            }
            // The other documented events, by their data as sent.
            _ => match serde_json::to_value(self) {
                Ok(value) => write!(f, "{}", Plain(&value["data"].to_string()))?,
                Err(_) => f.write_str("(data not shown)")?,
            },
        }
        write!(
            f,
            "  (attempt {}/{}, event {})",
            self.attempt_number,
            self.attempt_total,
            Plain(self.id.as_str())
        )
    }
}

/// Text from the event as it came, but with control characters (line
/// breaks, terminal escapes) and Unicode's line separators escaped: a
/// sender must not be able to start a line of its own in a log or a
/// terminal.
struct Plain<'a>(&'a str);

impl fmt::Display for Plain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// JSON text without the whitespace between its tokens, and as [`Plain`].
fn one_line(f: &mut fmt::Formatter<'_>, json: &str) -> fmt::Result {
    // JSON's strings may hold DEL and the C1 controls as they are.
    Compact::new(json).try_for_each(|piece| write!(f, "{}", Plain(piece)))
}
