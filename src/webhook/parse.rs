//! From a request's headers and body to an [`Event`].

use reqwest::header::{CONTENT_TYPE, HeaderMap};

use super::Event;
use crate::{Error, WebhookError};

/// Reads one event from a request LOX24 posted to your webhook: its headers
/// (an `http` 1 [`HeaderMap`], as axum and hyper 1 hand them over; also
/// [`webhook::HeaderMap`](super::HeaderMap)) and its body.
///
/// A server with a header type of its own (actix-web 4, or one built on
/// `http` 0.2) passes on the `Content-Type` alone, or an empty map:
///
/// ```
/// use lox24::webhook::{HeaderMap, parse};
///
/// # let body = br#"{"id": "e1", "api_version": "2022-05-25", "name": "sms.delivery",
/// #   "created_at": 1653378603, "attempt_number": 1, "attempt_total": 4,
/// #   "data": {"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "dlr_code": 1, "status_code": 100}}"#;
/// let content_type: Option<&str> = Some("application/json"); // from the request
/// let mut headers = HeaderMap::new();
/// if let Some(value) = content_type {
///     headers.insert("content-type", value.parse()?);
/// }
/// let event = parse(&headers, body)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Refused, as [`Error::Webhook`] with a [`WebhookErrorKind`](crate::WebhookErrorKind):
/// a `Content-Type` that is there and is not JSON, an empty body, a body
/// that is not JSON (an HTML page) or is cut short, an envelope field that
/// is missing or of the wrong type, and a documented event whose `data` does
/// not have the documented form or names a documented field twice. An event
/// this crate does not know is not an error: it is
/// [`Payload::Unknown`](super::Payload::Unknown). A field of the envelope
/// written twice is read where it is written last.
///
/// No `Content-Type` at all is accepted, so that a body from elsewhere (an
/// email, a file) reads with an empty `HeaderMap`.
///
/// Reading costs memory in proportion to the body, whatever its JSON holds:
/// nothing of it is read into a `serde_json::Value` (1 MiB of `[0,0,0,…]`
/// takes 16 MiB as one). A documented event's `data` is decoded from its
/// text, fields this crate does not read are skipped, and free-form JSON is
/// kept as JSON text, no longer than in the body: the `data` of an unknown
/// event and of `fraud-check.done`, the `additional_data` of the phone
/// events. Such an event thus holds at most about its body's size (for
/// `fraud-check.done`, beside its text, the few strings it reads that are
/// written with escapes, decoded), and reading it takes at most about
/// twice the body for a moment. Another documented event holds what it
/// decodes, which for a long list of small items (the `sms` of
/// `sms.email.parsing.success`: some 72 bytes an item that takes 12 in the
/// body) is several times its text.
///
/// ```
/// use lox24::webhook::{Payload, parse};
/// use lox24::{DlrCode, Error, WebhookErrorKind};
///
/// let mut headers = http::HeaderMap::new();
/// headers.insert("content-type", "application/json".parse()?);
/// let body = br#"{"id": "a3cd6e19-8af2-498d-ad07-c7840f1b4ac8", "api_version": "2022-05-25",
///     "name": "sms.delivery", "created_at": 1653378603, "attempt_number": 1, "attempt_total": 4,
///     "data": {"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "key_id": 8207, "dlr_code": 1,
///              "status_code": 100, "callback_data": "order-17"},
///     "notification_task_id": "3378de83-de66-4de8-9d29-2b10d41bb641"}"#;
///
/// let event = parse(&headers, body)?;
/// let Payload::SmsDelivery(report) = &event.payload else { panic!("a delivery report") };
/// assert_eq!(report.dlr_code, DlrCode::Delivered);
/// assert_eq!(report.callback_data.as_deref(), Some("order-17"));
///
/// let page = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
/// let Err(Error::Webhook(error)) = parse(&headers, page) else { panic!("an error") };
/// assert_eq!(error.kind(), WebhookErrorKind::NotJson);
/// assert_eq!(error.body_excerpt(), Some("502 Bad Gateway"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse(headers: &HeaderMap, body: &[u8]) -> Result<Event, Error> {
    parse_event(headers, body).map_err(Error::from)
}

/// [`parse`] with the error before it becomes an [`Error`].
pub(crate) fn parse_event(headers: &HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
    check_content_type(headers)?;
    // A byte-order mark is not JSON, but some senders write one.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.trim_ascii().is_empty() {
        return Err(WebhookError::empty_body());
    }
    Event::from_slice(body)
}

/// The first check of [`parse`], which needs only the head: a
/// `Content-Type` that is there must be JSON.
pub(crate) fn check_content_type(headers: &HeaderMap) -> Result<(), WebhookError> {
    match headers.get(CONTENT_TYPE) {
        Some(value) => {
            let text = String::from_utf8_lossy(value.as_bytes());
            if is_json(&text) {
                Ok(())
            } else {
                Err(WebhookError::content_type(&text))
            }
        }
        None => Ok(()),
    }
}

/// `application/json` or a JSON-based type (`application/…+json`), with any
/// parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WebhookErrorKind;

    #[test]
    fn json_media_types_are_recognised() {
        for json in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
            " application/ld+json ",
            "application/problem+json",
        ] {
            assert!(is_json(json), "{json}");
        }
        for other in [
            "text/html",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonp",
            "json",
            "",
        ] {
            assert!(!is_json(other), "{other}");
        }
    }

    fn kind(content_type: Option<&[u8]>, body: &[u8]) -> WebhookErrorKind {
        let mut headers = HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(
                CONTENT_TYPE,
                reqwest::header::HeaderValue::from_bytes(value).unwrap(),
            );
        }
        parse_event(&headers, body).unwrap_err().kind()
    }

    #[test]
    fn the_content_type_is_checked_before_the_body() {
        assert_eq!(kind(Some(b"text/html"), b""), WebhookErrorKind::ContentType);
        assert_eq!(
            kind(Some(b"text/\xff"), b"{}"),
            WebhookErrorKind::ContentType
        );
    }

    #[test]
    fn blank_bodies_and_a_lone_byte_order_mark_are_empty() {
        for body in [&b""[..], b" \r\n\t", b"\xEF\xBB\xBF", b"\xEF\xBB\xBF  "] {
            assert_eq!(kind(None, body), WebhookErrorKind::EmptyBody, "{body:?}");
        }
    }

    #[test]
    fn a_byte_order_mark_before_json_is_skipped() {
        // Past the body's start: the envelope is what fails now.
        assert_eq!(
            kind(None, b"\xEF\xBB\xBF{}"),
            WebhookErrorKind::MissingField
        );
    }

    #[test]
    fn text_that_is_not_json_is_refused_with_its_start() {
        let error = parse_event(&HeaderMap::new(), b"OK thanks").unwrap_err();
        assert_eq!(error.kind(), WebhookErrorKind::NotJson);
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the body is not JSON (line 1, column 1); it starts \"OK thanks\""
        );
    }

    #[test]
    fn json_cut_short_is_truncated() {
        assert_eq!(kind(None, br#"{"id": "a3cd"#), WebhookErrorKind::Truncated);
        assert_eq!(kind(None, b"[1, 2"), WebhookErrorKind::Truncated);
    }
}
