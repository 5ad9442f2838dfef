//! The filters of the short-link lists: of short-link campaigns, of short
//! links, and of the requests made to them (of a campaign's messages, of
//! one message, of a short link, of a short-link campaign, or of the whole
//! account).

use std::ops::RangeBounds;

use chrono::{DateTime, TimeZone};

use crate::{
    Iri, SortDirection, ValidationError, ValidationProblem,
    filters::{self, TimeRange},
    number::Country,
    transport::Operation,
};

use super::ShortLinkKind;

/// Which requests made to short links a list holds, in LOX24's order unless
/// [`ShortLinkRequestQuery::order_by_date`] says otherwise. The text filters
/// match a part of the value (`Android` finds `Android 14`); a blank one is
/// refused before anything is sent, since it would match every request.
///
/// The same query serves every list of requests:
/// [`crate::Client::list_short_link_requests`],
/// [`crate::Client::list_short_link_requests_of`],
/// [`crate::Client::list_short_link_campaign_requests`],
/// [`crate::Client::list_bulk_requests`] and
/// [`crate::Client::list_sms_requests`]. LOX24 declares
/// `browser_version` only for the first two; the others refuse a query with
/// it rather than let LOX24 ignore it and list every request.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use lox24::{ShortLinkRequestQuery, SortDirection, number::Country};
///
/// let week = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap()
///     ..Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
/// let query = ShortLinkRequestQuery::new()
///     .made(week)
///     .country(Country::from_iso("DE")?)
///     .hardware_type_containing("mobile")
///     .order_by_date(SortDirection::Asc);
/// assert!(query.validate().is_ok());
/// let blank = ShortLinkRequestQuery::new().os_containing(" ");
/// assert_eq!(blank.validate().unwrap_err().field(), "os");
/// # Ok::<(), lox24::ValidationError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ShortLinkRequestQuery {
    made: TimeRange,
    kinds: Vec<i64>,
    countries: Vec<Country>,
    /// The text filters, by their parameter names, in the order set.
    texts: Vec<(&'static str, String)>,
    order: Option<SortDirection>,
}

/// Which short-link campaigns [`crate::Client::list_short_link_campaigns`]
/// lists, in LOX24's order unless [`ShortLinkCampaignQuery::order_by_created`]
/// says otherwise; a blank text filter, or a time range that ends before it
/// starts, is refused before anything is sent.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use lox24::{SortDirection, links::{ShortLinkCampaignQuery, ShortLinkKind}};
///
/// let december = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()..;
/// let query = ShortLinkCampaignQuery::new()
///     .name_containing("Spring")
///     .created(december)
///     .kind(ShortLinkKind::PerMessage)
///     .order_by_created(SortDirection::Desc);
/// assert!(query.validate().is_ok());
/// assert_eq!(ShortLinkCampaignQuery::new().url_containing("").validate().unwrap_err().field(), "url");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ShortLinkCampaignQuery {
    name: Option<String>,
    url: Option<String>,
    created: TimeRange,
    kinds: Vec<ShortLinkKind>,
    order: Option<SortDirection>,
}

impl ShortLinkCampaignQuery {
    /// Every short-link campaign.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only campaigns whose name contains this.
    pub fn name_containing(mut self, part: impl Into<String>) -> Self {
        self.name = Some(part.into());
        self
    }

    /// Only campaigns leading to a URL containing this.
    pub fn url_containing(mut self, part: impl Into<String>) -> Self {
        self.url = Some(part.into());
        self
    }

    /// Only campaigns created in this range of times (`created_at[gte]`,
    /// `created_at[gt]`, `created_at[lte]`, `created_at[lt]`, in Unix
    /// seconds); `t..=t` for those created in second `t`. A range that ends
    /// before it starts is refused before anything is sent.
    pub fn created<Tz: TimeZone>(mut self, range: impl RangeBounds<DateTime<Tz>>) -> Self {
        self.created = TimeRange::of(range);
        self
    }

    /// Only campaigns of this kind (several calls: of any of them).
    pub fn kind(mut self, kind: ShortLinkKind) -> Self {
        self.kinds.push(kind);
        self
    }

    /// Sorted by creation time (`_order[created_at]`).
    pub fn order_by_created(mut self, direction: SortDirection) -> Self {
        self.order = Some(direction);
        self
    }

    /// Checks the filters before anything is sent.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_iri().map(drop)
    }

    pub(crate) fn to_iri(&self) -> Result<Iri, ValidationError> {
        let mut out = Vec::new();
        filters::text("name", self.name.as_ref(), &mut out)?;
        filters::text("url", self.url.as_ref(), &mut out)?;
        self.created.parameters("created_at", &mut out)?;
        let kinds: Vec<String> = self.kinds.iter().map(|k| k.code().to_string()).collect();
        filters::any_of("type", &kinds, &mut out);
        if let Some(direction) = self.order {
            out.push(("_order[created_at]".into(), direction.to_string()));
        }
        Ok(filters::iri(
            &Operation::ListShortLinkCampaigns.path(&[]),
            out,
        ))
    }
}

/// Which short links [`crate::Client::list_short_links`] lists, in LOX24's
/// order unless [`ShortLinkQuery::order_by_updated`] says otherwise.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use lox24::{SortDirection, links::ShortLinkQuery};
///
/// let changed = Utc.with_ymd_and_hms(2026, 12, 6, 18, 0, 0).unwrap();
/// let query = ShortLinkQuery::new()
///     .url_containing("shop.example")
///     .updated(changed..=changed)
///     .order_by_updated(SortDirection::Desc);
/// assert!(query.validate().is_ok());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ShortLinkQuery {
    url: Option<String>,
    updated: TimeRange,
    order: Option<SortDirection>,
}

impl ShortLinkQuery {
    /// Every short link.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only links leading to a URL containing this.
    pub fn url_containing(mut self, part: impl Into<String>) -> Self {
        self.url = Some(part.into());
        self
    }

    /// Only links last changed in this range of times (`updated_at[gte]`,
    /// `updated_at[gt]`, `updated_at[lte]`, `updated_at[lt]`, in Unix
    /// seconds); `t..=t` for those changed in second `t`.
    pub fn updated<Tz: TimeZone>(mut self, range: impl RangeBounds<DateTime<Tz>>) -> Self {
        self.updated = TimeRange::of(range);
        self
    }

    /// Sorted by the time of the last change (`_order[updated_at]`).
    pub fn order_by_updated(mut self, direction: SortDirection) -> Self {
        self.order = Some(direction);
        self
    }

    /// Checks the filters before anything is sent.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_iri().map(drop)
    }

    pub(crate) fn to_iri(&self) -> Result<Iri, ValidationError> {
        let mut out = Vec::new();
        filters::text("url", self.url.as_ref(), &mut out)?;
        self.updated.parameters("updated_at", &mut out)?;
        if let Some(direction) = self.order {
            out.push(("_order[updated_at]".into(), direction.to_string()));
        }
        Ok(filters::iri(&Operation::ListShortLinks.path(&[]), out))
    }
}

/// The one filter only some lists of requests have.
const BROWSER_VERSION: &str = "browser_version";

impl ShortLinkRequestQuery {
    /// Every request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only requests made in this range of times (`date[gte]`, `date[gt]`,
    /// `date[lte]`, `date[lt]`, in Unix seconds).
    pub fn made<Tz: TimeZone>(mut self, range: impl RangeBounds<DateTime<Tz>>) -> Self {
        self.made = TimeRange::of(range);
        self
    }

    /// Only requests of this kind, LOX24's `type` (several calls: of any of
    /// them).
    pub fn kind(mut self, kind: i64) -> Self {
        self.kinds.push(kind);
        self
    }

    /// Only requests from this country (several calls: from any of them).
    pub fn country(mut self, country: Country) -> Self {
        self.countries.push(country);
        self
    }

    /// Only requests from an IP address containing this.
    pub fn ip_containing(self, part: impl Into<String>) -> Self {
        self.text("ip", part)
    }

    /// Only requests to a URL containing this.
    pub fn url_containing(self, part: impl Into<String>) -> Self {
        self.text("url", part)
    }

    /// Only requests whose `User-Agent` contains this.
    pub fn user_agent_containing(self, part: impl Into<String>) -> Self {
        self.text("user_agent", part)
    }

    /// Only requests whose `Referer` contains this.
    pub fn referer_containing(self, part: impl Into<String>) -> Self {
        self.text("referer", part)
    }

    /// Only requests from a browser whose name contains this.
    pub fn browser_containing(self, part: impl Into<String>) -> Self {
        self.text("browser", part)
    }

    /// Only requests from a browser version containing this; a filter of
    /// [`crate::Client::list_short_link_requests`] and
    /// [`crate::Client::list_short_link_requests_of`] only.
    pub fn browser_version_containing(self, part: impl Into<String>) -> Self {
        self.text(BROWSER_VERSION, part)
    }

    /// Only requests from an operating system whose name contains this.
    pub fn os_containing(self, part: impl Into<String>) -> Self {
        self.text("os", part)
    }

    /// Only requests from an operating system version containing this.
    pub fn os_version_containing(self, part: impl Into<String>) -> Self {
        self.text("os_version", part)
    }

    /// Only requests from a kind of software containing this (such as
    /// `browser`).
    pub fn software_type_containing(self, part: impl Into<String>) -> Self {
        self.text("software_type", part)
    }

    /// Only requests from a kind of device containing this (such as
    /// `mobile`).
    pub fn hardware_type_containing(self, part: impl Into<String>) -> Self {
        self.text("hardware_type", part)
    }

    /// Sorted by the time of the request (`_order[date]`).
    pub fn order_by_date(mut self, direction: SortDirection) -> Self {
        self.order = Some(direction);
        self
    }

    /// A text filter; set again, it replaces the value before.
    fn text(mut self, name: &'static str, part: impl Into<String>) -> Self {
        let part = part.into();
        match self.texts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, value)) => *value = part,
            None => self.texts.push((name, part)),
        }
        self
    }

    /// Checks every filter (the time range against the spec, the text
    /// filters for blanks and control characters) before anything is sent.
    /// A list checks the filters it lacks too: see the type's description.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.parameters().map(drop)
    }

    /// The first page of the list `operation` at `path`, or why the query
    /// does not fit it.
    pub(crate) fn to_iri(&self, operation: Operation, path: &str) -> Result<Iri, ValidationError> {
        let has_browser_version = matches!(
            operation,
            Operation::ListShortLinkRequests | Operation::ListShortLinkRequestsOfLink
        );
        if !has_browser_version && self.texts.iter().any(|(n, _)| *n == BROWSER_VERSION) {
            return Err(ValidationError::new(
                BROWSER_VERSION,
                ValidationProblem::Invalid {
                    reason: format!(
                        "is not a filter of GET {}: LOX24 would ignore it and list every \
                         request (it is one of GET /short_link_requests and \
                         GET /short_links/{{shortCode}}/requests)",
                        operation.spec().path
                    ),
                },
            ));
        }
        Ok(filters::iri(path, self.parameters()?))
    }

    fn parameters(&self) -> Result<Vec<(String, String)>, ValidationError> {
        let mut out = Vec::new();
        let kinds: Vec<String> = self.kinds.iter().map(i64::to_string).collect();
        filters::any_of("type", &kinds, &mut out);
        let countries: Vec<String> = self.countries.iter().map(|c| c.iso().to_owned()).collect();
        filters::any_of("country", &countries, &mut out);
        for (name, value) in &self.texts {
            filters::text(name, Some(value), &mut out)?;
        }
        self.made.parameters("date", &mut out)?;
        if let Some(direction) = self.order {
            out.push(("_order[date]".into(), direction.to_string()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn iri(query: &ShortLinkRequestQuery, operation: Operation) -> String {
        query
            .to_iri(operation, "/short_link_requests")
            .map(|iri| iri.as_str().to_owned())
            .unwrap_or_else(|e| format!("refused {}: {e}", e.field()))
    }

    #[test]
    fn every_filter_is_written_under_the_specs_name() {
        let from = DateTime::from_timestamp(1_764_000_000, 0).unwrap();
        let until = DateTime::from_timestamp(1_764_086_400, 0).unwrap();
        let query = ShortLinkRequestQuery::new()
            .kind(1)
            .country(Country::from_iso("de").unwrap())
            .country(Country::from_iso("AT").unwrap())
            .ip_containing("10.0.")
            .url_containing("shop.example")
            .user_agent_containing("Mozilla")
            .referer_containing("mail")
            .browser_containing("Chrome")
            .browser_version_containing("120")
            .os_containing("Android")
            .os_version_containing("14")
            .software_type_containing("browser")
            .hardware_type_containing("mobile")
            .made::<Utc>(from..until)
            .order_by_date(SortDirection::Desc);
        assert_eq!(
            iri(&query, Operation::ListShortLinkRequests),
            "/short_link_requests?type=1&country%5B%5D=DE&country%5B%5D=AT&ip=10.0.\
             &url=shop.example&user_agent=Mozilla&referer=mail&browser=Chrome\
             &browser_version=120&os=Android&os_version=14&software_type=browser\
             &hardware_type=mobile&date%5Bgte%5D=1764000000&date%5Blt%5D=1764086400\
             &_order%5Bdate%5D=desc"
        );
        assert_eq!(
            iri(&ShortLinkRequestQuery::new(), Operation::ListBulkRequests),
            "/short_link_requests"
        );
    }

    #[test]
    fn the_campaign_and_link_filters_are_written_under_the_specs_names() {
        let at = |seconds| Utc.timestamp_opt(seconds, 0).unwrap();
        let campaigns = ShortLinkCampaignQuery::new()
            .name_containing("Spring sale")
            .url_containing("shop.example")
            .created(at(1_764_979_200)..at(1_765_065_600))
            .kind(ShortLinkKind::Shared)
            .kind(ShortLinkKind::PerMessage)
            .order_by_created(SortDirection::Asc);
        assert_eq!(
            campaigns.to_iri().unwrap().as_str(),
            "/short_link_campaigns?name=Spring+sale&url=shop.example\
             &created_at%5Bgte%5D=1764979200&created_at%5Blt%5D=1765065600\
             &type%5B%5D=1&type%5B%5D=2&_order%5Bcreated_at%5D=asc"
        );
        let backwards = ShortLinkCampaignQuery::new().created(at(20)..=at(10));
        assert_eq!(backwards.validate().unwrap_err().field(), "created_at");
        let changed = ShortLinkQuery::new().updated(at(1_765_040_000)..=at(1_765_040_000));
        assert_eq!(
            changed.to_iri().unwrap().as_str(),
            "/short_links?updated_at%5Bgte%5D=1765040000&updated_at%5Blte%5D=1765040000"
        );
        let backwards = ShortLinkQuery::new().updated(at(20)..at(10));
        assert_eq!(backwards.validate().unwrap_err().field(), "updated_at");
        assert_eq!(
            ShortLinkCampaignQuery::new()
                .kind(ShortLinkKind::Shared)
                .to_iri()
                .unwrap()
                .as_str(),
            "/short_link_campaigns?type=1"
        );
        let links = ShortLinkQuery::new()
            .url_containing("a&b")
            .order_by_updated(SortDirection::Desc);
        assert_eq!(
            links.to_iri().unwrap().as_str(),
            "/short_links?url=a%26b&_order%5Bupdated_at%5D=desc"
        );
        assert_eq!(
            ShortLinkQuery::new().to_iri().unwrap().as_str(),
            "/short_links"
        );
        let blank = ShortLinkCampaignQuery::new().name_containing(" \t");
        assert_eq!(blank.validate().unwrap_err().field(), "name");
        assert_eq!(
            ShortLinkQuery::new()
                .url_containing("")
                .validate()
                .unwrap_err()
                .field(),
            "url"
        );
    }

    #[test]
    fn a_text_filter_set_again_replaces_the_one_before() {
        let query = ShortLinkRequestQuery::new()
            .os_containing("iOS")
            .browser_containing("Safari")
            .os_containing("Android");
        assert_eq!(
            iri(&query, Operation::ListBulkRequests),
            "/short_link_requests?os=Android&browser=Safari"
        );
    }

    #[test]
    fn browser_version_is_refused_where_lox24_does_not_declare_it() {
        let query = ShortLinkRequestQuery::new().browser_version_containing("120");
        for operation in [
            Operation::ListShortLinkRequests,
            Operation::ListShortLinkRequestsOfLink,
        ] {
            assert!(query.to_iri(operation, "/x").is_ok(), "{operation:?}");
        }
        for operation in [
            Operation::ListBulkRequests,
            Operation::ListSmsRequests,
            Operation::ListShortLinkCampaignRequests,
        ] {
            let err = query.to_iri(operation, "/x").unwrap_err();
            assert_eq!(err.field(), "browser_version");
            assert!(
                err.to_string().contains(operation.spec().path),
                "{operation:?}: {err}"
            );
        }
        // `validate` does not know the list; every other check still holds.
        assert!(query.validate().is_ok());
    }

    #[test]
    fn blank_filters_and_reversed_ranges_are_refused() {
        let blank = ShortLinkRequestQuery::new().referer_containing("");
        assert_eq!(blank.validate().unwrap_err().field(), "referer");
        let control = ShortLinkRequestQuery::new().url_containing("a\nb");
        assert_eq!(control.validate().unwrap_err().field(), "url");
        let later = DateTime::from_timestamp(1_764_086_400, 0).unwrap();
        let earlier = DateTime::from_timestamp(1_764_000_000, 0).unwrap();
        let reversed = ShortLinkRequestQuery::new().made::<Utc>(later..earlier);
        assert_eq!(reversed.validate().unwrap_err().field(), "date");
    }
}
