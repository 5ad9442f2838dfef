//! The data of `fraud-check.done`, which LOX24 documents only loosely.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{FraudCheck, FraudCheckId, fraud::FraudCheckStatus};

/// `fraud-check.done`: a fraud check finished.
///
/// LOX24's schema leaves this event's data open; its example has
/// `check_id`, `confidence_score` and `result`, and its prose points at the
/// fraud check's own fields (`id`, `status_code`, `risk_score`,
/// `callback_data` …). The data is kept as sent, and each accessor reads
/// its field when it is there with the expected type (`None` otherwise),
/// so that no form of the event is refused.
///
/// ```
/// use lox24::webhook::FraudCheckDone;
///
/// let done: FraudCheckDone = serde_json::from_str(
///     r#"{"check_id": "fraud-check-123", "confidence_score": 0.95, "result": "clean"}"#,
/// )?;
/// assert_eq!(done.check_id(), Some("fraud-check-123"));
/// assert_eq!(done.confidence_score(), Some(0.95));
/// assert_eq!(done.result(), Some("clean"));
/// assert_eq!(done.risk_score(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FraudCheckDone {
    data: Map<String, Value>,
}

impl FraudCheckDone {
    /// The event with this data.
    pub fn new(data: Map<String, Value>) -> Self {
        Self { data }
    }

    /// The data as LOX24 sent it.
    pub fn data(&self) -> &Map<String, Value> {
        &self.data
    }

    /// The fraud check's id (`id`), as
    /// [`Client::get_fraud_check`](crate::Client::get_fraud_check) takes it.
    pub fn fraud_check_id(&self) -> Option<FraudCheckId> {
        self.text("id").map(FraudCheckId::new)
    }

    /// `check_id`, as in LOX24's example.
    pub fn check_id(&self) -> Option<&str> {
        self.text("check_id")
    }

    /// Where the check is (`status_code`).
    pub fn status(&self) -> Option<FraudCheckStatus> {
        self.data
            .get("status_code")?
            .as_i64()
            .map(FraudCheckStatus::from_code)
    }

    /// The risk, from 0 (none) to 100 (fraud) (`risk_score`).
    pub fn risk_score(&self) -> Option<f64> {
        self.data.get("risk_score")?.as_f64()
    }

    /// `confidence_score`, as in LOX24's example.
    pub fn confidence_score(&self) -> Option<f64> {
        self.data.get("confidence_score")?.as_f64()
    }

    /// `result`, as in LOX24's example (e.g. `clean`).
    pub fn result(&self) -> Option<&str> {
        self.text("result")
    }

    /// The text given with the check, carried back (`callback_data`).
    pub fn callback_data(&self) -> Option<&str> {
        self.text("callback_data")
    }

    /// The data read as a [`FraudCheck`], when it has that form (an `id`,
    /// and the other fields of the types the fraud check API answers with).
    ///
    /// ```
    /// use lox24::fraud::FraudCheckStatus;
    ///
    /// let done: lox24::webhook::FraudCheckDone = serde_json::from_str(
    ///     r#"{"id": "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c", "status_code": 10, "risk_score": 12.5}"#,
    /// )?;
    /// let check = done.fraud_check().expect("a fraud check");
    /// assert_eq!(check.status_code, Some(FraudCheckStatus::Done));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn fraud_check(&self) -> Option<FraudCheck> {
        FraudCheck::deserialize(&Value::Object(self.data.clone())).ok()
    }

    fn text(&self, field: &str) -> Option<&str> {
        self.data.get(field)?.as_str()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn done(data: Value) -> FraudCheckDone {
        serde_json::from_value(data).unwrap()
    }

    #[test]
    fn fields_of_another_type_read_as_none() {
        let d = done(
            json!({"id": 5, "check_id": 1, "status_code": "10", "risk_score": "high",
            "confidence_score": [], "result": {}, "callback_data": false}),
        );
        assert_eq!(d.fraud_check_id(), None);
        assert_eq!(d.check_id(), None);
        assert_eq!(d.status(), None);
        assert_eq!(d.risk_score(), None);
        assert_eq!(d.confidence_score(), None);
        assert_eq!(d.result(), None);
        assert_eq!(d.callback_data(), None);
        assert_eq!(d.fraud_check(), None);
    }

    #[test]
    fn the_fraud_check_fields_are_read() {
        let d = done(
            json!({"id": "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c", "status_code": 21,
            "risk_score": 80, "callback_data": "signup-7"}),
        );
        assert_eq!(
            d.fraud_check_id(),
            Some(FraudCheckId::new("5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c"))
        );
        assert_eq!(d.status(), Some(FraudCheckStatus::InvalidData));
        assert_eq!(d.risk_score(), Some(80.0));
        assert_eq!(d.callback_data(), Some("signup-7"));
        let check = d.fraud_check().unwrap();
        assert_eq!(check.callback_data.as_deref(), Some("signup-7"));
    }

    #[test]
    fn data_is_written_back_as_it_came() {
        let data = json!({"check_id": "fraud-check-123", "extra": [1, {"a": null}]});
        assert_eq!(serde_json::to_value(done(data.clone())).unwrap(), data);
    }
}
