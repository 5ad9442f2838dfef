//! Entry points for the fuzz targets of `fuzz/` (feature `fuzzing`): the
//! decoders of outside data that are not public, each with the property
//! its target holds it to. Not part of the API: no stability promised.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use crate::{ApiError, Error, Iri};

/// A batch answer read both ways: the scanner's fast path must read what
/// it accepts exactly as serde does. `Err` describes a disagreement. The
/// engine's decoding must not panic whatever the count expected.
pub fn batch_answer(body: &[u8], expected: usize) -> Result<(), String> {
    crate::upload::wire::scanner::agrees_with_serde(body, expected)
}

/// An error answer of any status, read as the transport reads it, and
/// shown as a caller would show it.
pub fn error_answer(status: u16, content_type: &[u8], body: &[u8]) -> String {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(content_type) {
        headers.insert(reqwest::header::CONTENT_TYPE, value);
    }
    let api = ApiError::from_parts(status, &headers, body);
    let error = Error::from_status(api).map_or_else(|api| api.to_string(), |e| e.to_string());
    format!(
        "{error} {:?}",
        crate::UnexpectedResponse::new(Some(status), None, "fuzz", body)
    )
}

/// The excerpt of a body that is not a JSON error.
pub fn excerpt(body: &[u8]) -> Option<String> {
    crate::error::excerpt(body)
}

/// The path and query a page link is followed to, on the client's base URL.
pub fn page_path(link: &str) -> Result<String, Error> {
    crate::jsonld::listing::path_for(&Iri::new(link))
}

/// How long a `Retry-After` header says to wait.
pub fn retry_after(value: &[u8]) -> Option<Duration> {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_bytes(value).ok()?);
    crate::error::retry_after(&headers)
}

/// A group's CSV export as reconciliation reads it while it streams: the
/// bytes cut into two chunks at `cut` give the rows (or the error) they
/// give whole. `Err` describes a difference.
pub fn group_export(bytes: &[u8], cut: usize) -> Result<(), String> {
    crate::upload::group_read::export_reads_alike(bytes, cut)
}
