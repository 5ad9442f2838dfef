//! What a handler knows about the request it handles.

use std::{net::IpAddr, time::SystemTime};

use bytes::Bytes;
use serde_json::Value;

use super::{problem::Problem, reply::Format, validation};

/// One authenticated request, read in full.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) format: Format,
    /// The query, decoded, in order.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Bytes,
    pub(crate) peer: IpAddr,
    pub(crate) key_id: u64,
    pub(crate) now: SystemTime,
}

impl Ctx {
    /// The decoded query of a URI (`a=1&b%5B%5D=2` → `[("a","1"), ("b[]","2")]`).
    pub(crate) fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    }

    /// The last value of a query parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON, if it is declared and written as JSON (415 or 400 otherwise).
    pub(crate) fn json(&self) -> Result<Value, Problem> {
        let media = self
            .content_type
            .as_deref()
            .and_then(|t| t.split(';').next())
            .map(str::trim)
            .unwrap_or_default();
        let accepted = ["application/json", "application/ld+json"];
        if !accepted.iter().any(|a| media.eq_ignore_ascii_case(a)) {
            let given = if media.is_empty() {
                "No content type was given".to_owned()
            } else {
                format!("The content type \"{media}\" is not supported")
            };
            return Err(Problem::new(
                415,
                format!("{given}; send the body as \"application/json\"."),
            ));
        }
        validation::parse(&self.body)
    }
}
