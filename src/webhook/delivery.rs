//! The data of `sms.delivery` and `sms.delivery.dryrun`: a message's
//! delivery report.

use serde::{Deserialize, Serialize};

use crate::{DlrCode, SmsId, SmsStatus};

/// What the recipient's network reported about one message, sent each time
/// its `dlr_code` changes.
///
/// `id` is the message's id, as [`Client::send_sms`](crate::Client::send_sms)
/// returned it in [`Sms::uuid`](crate::Sms::uuid); `callback_data` is the
/// text given with the message (or with the group entry a campaign sent it
/// to): the two ways to tie the report back to what you sent.
///
/// ```
/// use lox24::webhook::DeliveryReport;
/// use lox24::{DlrCode, SmsStatus};
///
/// let report: DeliveryReport = serde_json::from_str(
///     r#"{"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "key_id": 8207,
///         "dlr_code": 8, "status_code": 100, "callback_data": "order-12345"}"#,
/// )?;
/// assert_eq!(report.dlr_code, DlrCode::Expired);
/// assert!(report.is_final() && report.is_failed() && !report.is_delivered());
/// assert_eq!(report.callback_data.as_deref(), Some("order-12345"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeliveryReport {
    /// The message's id.
    pub id: SmsId,
    /// What the network reported.
    pub dlr_code: DlrCode,
    /// Where the message is on its way to the network.
    pub status_code: SmsStatus,
    /// The text given with the message, carried back (at most 36 characters).
    #[serde(default)]
    pub callback_data: Option<String>,
    /// The id of the API key that sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<u64>,
}

impl DeliveryReport {
    /// A report on the message `id`, without callback data or key id.
    ///
    /// ```
    /// use lox24::{DlrCode, SmsId, SmsStatus, webhook::DeliveryReport};
    ///
    /// let mut report = DeliveryReport::new(SmsId::new("d6c12ac4-cc7d-11ec-b6da-525400bbb7dc"),
    ///     DlrCode::Delivered, SmsStatus::Sent);
    /// report.callback_data = Some("order-17".into());
    /// assert!(report.is_delivered());
    /// ```
    pub fn new(id: SmsId, dlr_code: DlrCode, status_code: SmsStatus) -> Self {
        Self {
            id,
            dlr_code,
            status_code,
            callback_data: None,
            key_id: None,
        }
    }

    /// Whether the message reached the phone.
    pub fn is_delivered(&self) -> bool {
        self.dlr_code == DlrCode::Delivered
    }

    /// Whether the message will not be delivered: the network reported it
    /// expired or rejected, or it never reached a network (a final status
    /// other than sent: blocked, a landline, no credit …).
    pub fn is_failed(&self) -> bool {
        matches!(self.dlr_code, DlrCode::Expired | DlrCode::Rejected)
            || self.status_code.is_failure()
    }

    /// Whether no other report will follow for this message: it was
    /// delivered, or [failed](Self::is_failed).
    pub fn is_final(&self) -> bool {
        self.is_delivered() || self.is_failed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(dlr: i64, status: i64) -> DeliveryReport {
        DeliveryReport::new(
            SmsId::new("d6c12ac4-cc7d-11ec-b6da-525400bbb7dc"),
            DlrCode::from_code(dlr),
            SmsStatus::from_code(status),
        )
    }

    #[test]
    fn reports_on_the_way_are_not_final() {
        for dlr in [0, 2, 4, 99] {
            let r = report(dlr, 100);
            assert!(
                !r.is_final() && !r.is_failed() && !r.is_delivered(),
                "{dlr}"
            );
        }
        assert!(!report(0, 0).is_final());
    }

    #[test]
    fn delivered_expired_and_rejected_are_final() {
        assert!(report(1, 100).is_delivered() && report(1, 100).is_final());
        for dlr in [8, 16] {
            let r = report(dlr, 100);
            assert!(r.is_failed() && r.is_final() && !r.is_delivered(), "{dlr}");
        }
    }

    #[test]
    fn a_message_that_never_reached_a_network_has_failed() {
        for status in [208, 2000, 3000, 5000, 6000] {
            let r = report(0, status);
            assert!(r.is_failed() && r.is_final(), "{status}");
        }
    }

    #[test]
    fn a_missing_callback_is_written_as_null_and_no_key_id_is_left_out() {
        let json = serde_json::to_value(report(1, 100)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "dlr_code": 1,
                "status_code": 100, "callback_data": null})
        );
    }
}
