//! What happens around every request of the generated client: the
//! credentials, the `Accept` header, the lockout guard, retries, and a
//! `tracing` span per attempt.

use std::{sync::Arc, time::Instant};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{ACCEPT, HeaderName, HeaderValue, USER_AGENT};
use tracing::{Instrument, field::Empty};

use crate::{
    api, call,
    error::request_id,
    retry::{self, Decision, Failure, FailureKind},
    session::Session,
};

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

    /// Sends the request through the lockout guard, and again while the
    /// retry policy allows it (see `retry.rs`).
    async fn exec(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let session = self.inner();
        let policy = call::policy().unwrap_or(session.retry);
        let idempotent = retry::is_repeatable(request.method(), info.operation_id);
        call::note_request(!idempotent);
        let mut attempt = 1;
        loop {
            // Keep a copy while another attempt is possible (a streamed body
            // cannot be copied, and then there is none).
            let spare = (attempt < policy.max_attempts())
                .then(|| request.try_clone())
                .flatten();
            let Ok(permit) = session.guard.admit().await else {
                return Ok(refusal());
            };
            let result = self.send(request, info, attempt).await;
            if let Ok(response) = &result {
                session.guard.observe(response.status().as_u16());
            }
            drop(permit);

            let Some(failure) = Failure::of(&result) else {
                return result;
            };
            if failure.kind == FailureKind::MayHaveReached {
                call::note_may_have_reached();
            }
            let (Decision::RetryAfter(delay), Some(next)) =
                (policy.decide(failure, idempotent, attempt), spare)
            else {
                return result;
            };
            tracing::debug!(
                operation = info.operation_id,
                attempt,
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
            drop(result);
            tokio::time::sleep(delay).await;
            if session.guard.is_locked() {
                // Another request got a 401 meanwhile: stop here. (`call`
                // reports it as ambiguous if an attempt may have reached
                // LOX24, which only at-least-once retries.)
                return Ok(refusal());
            }
            request = next;
            attempt += 1;
        }
    }

    /// Turns the guard's refusal into an error the call can return.
    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        match result {
            Ok(response) if response.extensions().get::<Refused>().is_some() => {
                call::note_refused();
                Err(progenitor_client::Error::Custom(
                    crate::Error::LockedOut.to_string(),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Marks the stand-in answer of a request the lockout guard refused.
#[derive(Clone, Copy, Debug)]
struct Refused;

/// `exec` must return a response or a `reqwest::Error`, and a
/// `reqwest::Error` cannot be made: a refused request returns this stand-in,
/// which `post` turns into an error before anything reads it.
fn refusal() -> reqwest::Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    *response.status_mut() = http::StatusCode::UNAUTHORIZED;
    response.extensions_mut().insert(Refused);
    response.into()
}

impl api::Client {
    /// One attempt, in a `lox24.request` span.
    async fn send(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
        attempt: u32,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "lox24.request",
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            attempt,
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
