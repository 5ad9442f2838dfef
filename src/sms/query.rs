//! Filters and ordering for the list of messages (`GET /sms`) and for the
//! batch cancel and delete, which take the same filters.

use std::ops::RangeBounds;

use chrono::{DateTime, TimeZone};

use crate::{
    BulkId, DlrCode, Iri, SmsId, SmsStatus, SortDirection, ValidationError,
    filters::{self, TimeRange},
    limits::{self, check_not_blank},
    number::Country,
};

/// Which messages to list, cancel or delete, and (for a list) in which
/// order. Filters combine: a message must match each one given.
///
/// ```
/// use lox24::{BulkId, DlrCode, SmsQuery};
///
/// // The messages of a campaign whose delivery failed.
/// let query = SmsQuery::new()
///     .bulk(&BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"))
///     .dlr_codes([DlrCode::Expired, DlrCode::Rejected]);
/// assert!(query.validate().is_ok());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct SmsQuery {
    ids: Vec<SmsId>,
    bulks: Vec<BulkId>,
    statuses: Vec<SmsStatus>,
    dlr_codes: Vec<DlrCode>,
    callback_data: Vec<String>,
    phone: Option<String>,
    text: Option<String>,
    sender: Option<String>,
    country: Option<Country>,
    key_id: Option<u64>,
    source: Option<i64>,
    unicode: Option<bool>,
    sent: Option<bool>,
    created: TimeRange,
    order: Vec<(SmsOrder, SortDirection)>,
}

/// What the list of messages can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SmsOrder {
    /// When the message was created (LOX24's default, newest first).
    CreatedAt,
    /// When the message was handed to the network.
    SentAt,
}

impl SmsOrder {
    fn parameter(self) -> &'static str {
        match self {
            Self::CreatedAt => "_order[created_at]",
            Self::SentAt => "_order[gateway_sent_at]",
        }
    }
}

impl SmsQuery {
    /// No filter: every message.
    pub fn new() -> Self {
        Self::default()
    }

    /// The message with this id (several calls: any of them).
    pub fn id(mut self, id: &SmsId) -> Self {
        self.ids.push(id.clone());
        self
    }

    /// The messages of this campaign (several calls: of any of them).
    pub fn bulk(mut self, bulk: &BulkId) -> Self {
        self.bulks.push(bulk.clone());
        self
    }

    /// Messages in any of these statuses.
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = SmsStatus>) -> Self {
        self.statuses.extend(statuses);
        self
    }

    /// Messages whose delivery report is any of these.
    pub fn dlr_codes(mut self, codes: impl IntoIterator<Item = DlrCode>) -> Self {
        self.dlr_codes.extend(codes);
        self
    }

    /// Messages sent with exactly this `callback_data` (several calls: any of them).
    pub fn callback_data(mut self, data: impl Into<String>) -> Self {
        self.callback_data.push(data.into());
        self
    }

    /// Messages whose recipient number contains this text.
    pub fn phone_containing(mut self, digits: impl Into<String>) -> Self {
        self.phone = Some(digits.into());
        self
    }

    /// Messages whose text contains this.
    pub fn text_containing(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Messages whose sender contains this.
    pub fn sender_containing(mut self, sender: impl Into<String>) -> Self {
        self.sender = Some(sender.into());
        self
    }

    /// Messages to numbers of this country.
    ///
    /// ```
    /// use lox24::{SmsQuery, number::Country};
    ///
    /// let to_austria = SmsQuery::new().country(Country::from_iso("AT")?);
    /// assert!(!to_austria.is_everything());
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn country(mut self, country: Country) -> Self {
        self.country = Some(country);
        self
    }

    /// Messages sent with the API key of this id.
    pub fn key_id(mut self, key_id: u64) -> Self {
        self.key_id = Some(key_id);
        self
    }

    /// Messages sent with this `source` (your number for itemised bills).
    pub fn source(mut self, source: i64) -> Self {
        self.source = Some(source);
        self
    }

    /// Only messages sent in UCS-2 (`true`) or only those in GSM 03.38
    /// (`false`).
    pub fn unicode(mut self, unicode: bool) -> Self {
        self.unicode = Some(unicode);
        self
    }

    /// Only messages handed to the network (`true`) or only those not yet
    /// (`false`).
    pub fn sent(mut self, sent: bool) -> Self {
        self.sent = Some(sent);
        self
    }

    /// Messages created in this range of times (`a..b`, `a..`, `..=b`).
    /// A filter of the list only: the batch cancel and delete refuse it.
    pub fn created<Tz: TimeZone>(mut self, range: impl RangeBounds<DateTime<Tz>>) -> Self {
        self.created = TimeRange::of(range);
        self
    }

    /// Sorts by `field`; several calls sort by each in turn.
    pub fn order_by(mut self, field: SmsOrder, direction: SortDirection) -> Self {
        self.order.retain(|(f, _)| *f != field);
        self.order.push((field, direction));
        self
    }

    /// Whether no filter is set (ordering aside): the query selects every
    /// message of the account.
    pub fn is_everything(&self) -> bool {
        self.filters().is_ok_and(|f| f.is_empty())
    }

    /// Whether the query has a time range, which only the list takes.
    pub(crate) fn has_time_range(&self) -> bool {
        self.created != TimeRange::default()
    }

    /// Checks the ids, text filters and times before anything is sent.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.filters().map(drop)
    }

    /// The filters as query parameters, in a fixed order.
    fn filters(&self) -> Result<Vec<(String, String)>, ValidationError> {
        let mut out = Vec::new();
        for (i, id) in self.ids.iter().enumerate() {
            id.validate_at(format!("uuid[{i}]"))?;
        }
        for (i, bulk) in self.bulks.iter().enumerate() {
            bulk.validate_at(format!("bulk[{i}]"))?;
        }
        let ids: Vec<String> = self.ids.iter().map(ToString::to_string).collect();
        filters::any_of("uuid", &ids, &mut out);
        let bulks: Vec<String> = self.bulks.iter().map(ToString::to_string).collect();
        filters::any_of("bulk", &bulks, &mut out);
        let statuses: Vec<String> = self.statuses.iter().map(|s| s.code().to_string()).collect();
        filters::any_of("status_code", &statuses, &mut out);
        let reports: Vec<String> = self
            .dlr_codes
            .iter()
            .map(|d| d.code().to_string())
            .collect();
        filters::any_of("dlr_code", &reports, &mut out);
        for data in &self.callback_data {
            limits::CALLBACK_DATA.check_at("callback_data", data)?;
            check_not_blank("callback_data", data, "it would match no message")?;
        }
        filters::any_of("callback_data", &self.callback_data, &mut out);
        filters::text("phone", self.phone.as_ref(), &mut out)?;
        filters::text("text", self.text.as_ref(), &mut out)?;
        filters::text("sender_id", self.sender.as_ref(), &mut out)?;
        if let Some(country) = self.country {
            out.push(("iso2".into(), country.iso().to_owned()));
        }
        if let Some(key_id) = self.key_id {
            out.push(("key_id".into(), key_id.to_string()));
        }
        if let Some(source) = self.source {
            out.push(("source".into(), source.to_string()));
        }
        if let Some(unicode) = self.unicode {
            out.push(("is_unicode".into(), unicode.to_string()));
        }
        if let Some(sent) = self.sent {
            out.push(("is_sent".into(), sent.to_string()));
        }
        self.created.parameters("created_at", &mut out)?;
        Ok(out)
    }

    /// The first page of the list.
    pub(crate) fn to_iri(&self) -> Result<Iri, ValidationError> {
        let mut parameters = self.filters()?;
        for (field, direction) in &self.order {
            parameters.push((field.parameter().into(), direction.to_string()));
        }
        Ok(filters::iri("/sms", parameters))
    }

    /// The path of a batch operation with these filters (ordering means
    /// nothing to it).
    pub(crate) fn batch_path(&self, path: &str) -> Result<String, ValidationError> {
        Ok(filters::iri(path, self.filters()?).as_str().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn pairs(iri: &Iri) -> Vec<(String, String)> {
        url::form_urlencoded::parse(iri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    }

    fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn no_filter_is_the_bare_collection_and_everything() {
        assert_eq!(SmsQuery::new().to_iri().unwrap().as_str(), "/sms");
        assert!(SmsQuery::new().is_everything());
        let ordered = SmsQuery::new().order_by(SmsOrder::SentAt, SortDirection::Asc);
        assert!(ordered.is_everything());
        assert!(!SmsQuery::new().sent(false).is_everything());
    }

    #[test]
    fn filters_become_the_documented_parameters() {
        let at = |s| DateTime::from_timestamp(s, 0).unwrap();
        let bulk = BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
        let iri = SmsQuery::new()
            .bulk(&bulk)
            .statuses([SmsStatus::Sent])
            .dlr_codes([DlrCode::Expired, DlrCode::Rejected])
            .callback_data("order-17")
            .phone_containing("49170")
            .text_containing("sale")
            .sender_containing("Shop")
            .country(Country::from_iso("AT").unwrap())
            .key_id(8207)
            .source(12)
            .unicode(false)
            .sent(true)
            .created(at(1_700_000_000)..)
            .order_by(SmsOrder::SentAt, SortDirection::Desc)
            .to_iri()
            .unwrap();
        assert_eq!(iri.path(), "/sms");
        let expected = [
            ("bulk", "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"),
            ("status_code", "100"),
            ("dlr_code[]", "8"),
            ("dlr_code[]", "16"),
            ("callback_data", "order-17"),
            ("phone", "49170"),
            ("text", "sale"),
            ("sender_id", "Shop"),
            ("iso2", "AT"),
            ("key_id", "8207"),
            ("source", "12"),
            ("is_unicode", "false"),
            ("is_sent", "true"),
            ("created_at[gte]", "1700000000"),
            ("_order[gateway_sent_at]", "desc"),
        ];
        assert_eq!(pairs(&iri), owned(&expected));
    }

    #[test]
    fn text_filters_that_would_match_everything_are_refused() {
        // An empty or blank filter would widen a batch cancel or delete to
        // every message.
        let cases = [
            (
                SmsQuery::new().phone_containing(""),
                "phone",
                "empty filter",
            ),
            (
                SmsQuery::new().text_containing("  "),
                "text",
                "empty filter",
            ),
            (
                SmsQuery::new().sender_containing("a\u{7}"),
                "sender_id",
                "U+0007",
            ),
            (
                SmsQuery::new().callback_data(" "),
                "callback_data",
                "only whitespace",
            ),
        ];
        for (query, field, reason) in cases {
            let err = query.validate().unwrap_err();
            assert_eq!(err.field(), field);
            assert!(err.to_string().contains(reason), "{err}");
            assert!(!query.is_everything());
        }
    }

    #[test]
    fn ids_are_checked_before_sending() {
        let err = SmsQuery::new()
            .id(&SmsId::new("9fe26332-cdbe-11ee-8d61-7c10c91d54a5"))
            .id(&SmsId::new("../me"))
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "uuid[1]");
        let err = SmsQuery::new()
            .callback_data("x".repeat(37))
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "callback_data");
        let future = Utc::now() + chrono::Duration::days(1);
        let err = SmsQuery::new()
            .created(future..Utc::now())
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "created_at");
    }

    #[test]
    fn a_batch_path_carries_the_filters_without_ordering() {
        let path = SmsQuery::new()
            .callback_data("a b")
            .order_by(SmsOrder::CreatedAt, SortDirection::Asc)
            .batch_path("/sms/ops/batch_cancel")
            .unwrap();
        assert_eq!(path, "/sms/ops/batch_cancel?callback_data=a+b");
    }
}
