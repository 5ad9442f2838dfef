//! What an answer is made of, and which media type the client asked for.

use serde_json::Value;

/// The two representations LOX24 serves, chosen by `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `application/json`: bare resources, collections as arrays, problem details.
    Json,
    /// `application/ld+json`: `@context`/`@id`/`@type`, Hydra collections and errors.
    JsonLd,
}

impl Format {
    /// The preferred of the two in an `Accept` header; plain JSON when the
    /// header is absent, names neither, or only wildcards.
    pub(crate) fn negotiate(accept: Option<&str>) -> Self {
        let mut best: Option<(f32, Self)> = None;
        for range in accept.unwrap_or_default().split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim();
            let format = if media.eq_ignore_ascii_case("application/ld+json") {
                Self::JsonLd
            } else if media.eq_ignore_ascii_case("application/json") {
                Self::Json
            } else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(best_q, _)| q > best_q) {
                best = Some((q, format));
            }
        }
        best.map_or(Self::Json, |(_, format)| format)
    }

    pub(crate) fn is_ld(self) -> bool {
        self == Self::JsonLd
    }

    fn resource_type(self) -> &'static str {
        match self {
            Self::Json => "application/json; charset=utf-8",
            Self::JsonLd => "application/ld+json; charset=utf-8",
        }
    }

    fn error_type(self) -> &'static str {
        match self {
            Self::Json => "application/problem+json; charset=utf-8",
            Self::JsonLd => "application/ld+json; charset=utf-8",
        }
    }
}

/// An answer before it becomes an HTTP response.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) body: Vec<u8>,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A resource or collection in the negotiated media type.
    pub(crate) fn resource(status: u16, format: Format, body: &Value) -> Self {
        Self::with_type(status, format.resource_type(), body)
    }

    /// An error document in the negotiated media type.
    pub(crate) fn error(status: u16, format: Format, body: &Value) -> Self {
        Self::with_type(status, format.error_type(), body)
    }

    /// An answer without a body (204 after a deletion).
    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            content_type: None,
            body: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// A CSV document.
    pub(crate) fn csv(body: String, filename: String) -> Self {
        Self {
            status: 200,
            content_type: Some("text/csv; charset=utf-8"),
            body: body.into_bytes(),
            headers: vec![(
                "content-disposition",
                format!("attachment; filename=\"{filename}\""),
            )],
        }
    }

    fn with_type(status: u16, content_type: &'static str, body: &Value) -> Self {
        Self {
            status,
            content_type: Some(content_type),
            // Serialising a `Value` cannot fail.
            body: serde_json::to_vec(body).unwrap_or_default(),
            headers: Vec::new(),
        }
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_picks_the_preferred_known_type() {
        for (accept, format) in [
            (None, Format::Json),
            (Some("application/json"), Format::Json),
            (Some("application/ld+json"), Format::JsonLd),
            (Some("*/*"), Format::Json),
            (Some("text/html, application/ld+json;q=0.9"), Format::JsonLd),
            (
                Some("application/json;q=0.5, application/ld+json"),
                Format::JsonLd,
            ),
            (
                Some("application/ld+json;q=0.2, application/json;q=0.8"),
                Format::Json,
            ),
            (
                Some("application/ld+json; q=0, application/json"),
                Format::Json,
            ),
            (Some("APPLICATION/LD+JSON"), Format::JsonLd),
        ] {
            assert_eq!(Format::negotiate(accept), format, "{accept:?}");
        }
    }
}
