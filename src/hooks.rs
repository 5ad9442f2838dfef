//! What happens around every request of the generated client: the
//! credentials, the `Accept` header, and a `tracing` span.

use std::{sync::Arc, time::Instant};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{ACCEPT, HeaderName, HeaderValue, USER_AGENT};
use tracing::{Instrument, field::Empty};

use crate::{api, call, error::request_id, session::Session};

/// The header that carries `<customer id>:<API key>`.
pub(crate) const AUTH_HEADER: HeaderName = HeaderName::from_static("x-lox24-auth-token");
/// `lox24-rust/<version>`.
pub(crate) const USER_AGENT_VALUE: &str = concat!("lox24-rust/", env!("CARGO_PKG_VERSION"));

const JSON: HeaderValue = HeaderValue::from_static("application/json");
const JSON_LD: HeaderValue = HeaderValue::from_static("application/ld+json");
const CSV: HeaderValue = HeaderValue::from_static("text/csv");

/// The media type asked for, per operation.
///
/// - A single created resource (`create_group`, `create_bulk`): JSON-LD. Its
///   body is the plain JSON body plus `@context`, `@id` and `@type`, and the
///   `@id` is the server's own IRI for the new resource, which callers get
///   from `iri()`.
/// - A phone batch (`add_phones_batch`): plain JSON. A batch answer holds one
///   item per phone, and JSON-LD would add three keys to every one of them
///   for nothing the caller needs; the smallest answer keeps large uploads fast.
///   (Both forms are decoded, whatever a proxy or server chooses to send.)
/// - Listings (`list_groups`, `list_group_phones`, `list_bulks`): JSON-LD.
///   Only the Hydra collection carries `hydra:view` with the next page's
///   link and `hydra:totalItems`; the plain JSON array has neither, so a
///   listing could not go past its first page.
/// - Any other single resource read, changed or computed (`get_*`,
///   `update_*`, `add_phone`, `dry_run_bulk`, `cancel_bulk`): JSON-LD, for
///   the same reason as a created one: its `@id` is the server's IRI.
/// - The CSV export (`export_group_csv`): `text/csv`, the only form it has.
/// - Anything else (deletes, which answer 204 without a body): plain JSON,
///   the generator's default.
pub(crate) fn accept_for(operation_id: &str) -> HeaderValue {
    match operation_id {
        "create_group" | "create_bulk" => JSON_LD,
        "list_groups" | "list_group_phones" | "list_bulks" => JSON_LD,
        "get_group" | "update_group" | "add_phone" | "get_phone" | "update_phone"
        | "dry_run_bulk" | "get_bulk" | "get_bulk_status" | "cancel_bulk" => JSON_LD,
        "export_group_csv" => CSV,
        _ => JSON,
    }
}

impl ClientHooks<Arc<Session>> for api::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let headers = request.headers_mut();
        headers.insert(AUTH_HEADER, self.inner().auth.clone());
        headers.insert(ACCEPT, accept_for(info.operation_id));
        // The generator sends the spec's version as `api-version`; LOX24 does
        // not document such a header, so nothing undocumented goes out.
        headers.remove("api-version");
        headers
            .entry(USER_AGENT)
            .or_insert(HeaderValue::from_static(USER_AGENT_VALUE));
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "lox24.request",
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = Empty,
            request_id = Empty,
            duration_ms = Empty,
        );
        let started = Instant::now();
        let result = self
            .client()
            .execute(request)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(response) => {
                let status = response.status().as_u16();
                let id = request_id(response.headers());
                span.record("status", status);
                if let Some(id) = &id {
                    span.record("request_id", id.as_str());
                }
                tracing::debug!(parent: &span, "LOX24 answered");
                call::note_answer(status, id);
            }
            Err(error) => tracing::debug!(parent: &span, %error, "request failed"),
        }
        result
    }
}
