//! The seam with the client progenitor generates: it builds each request
//! from typed arguments and decodes the answer; everything else happens in
//! the transport. A generated client is made for one call
//! ([`Transport::call`]) and carries that call's state as its `inner`
//! value, so that its hooks send through [`Transport::send`] and the
//! attempts' record comes back to the error mapping.

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
};

use bytes::Bytes;
use progenitor_client::{ByteStream, ClientHooks, ClientInfo, OperationInfo, ResponseValue};

use super::{
    Answer, Operation, RetryPolicy, Transport,
    attempts::Record,
    failure::{from_generated, settle},
    guard::Admission,
};
use reqwest::header::HeaderMap;

use crate::{Error, error::request_id, generated};

/// The state of one call: the `inner` value of its generated client.
#[derive(Clone)]
pub(crate) struct Call {
    transport: Arc<Transport>,
    policy: RetryPolicy,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    record: Record,
    /// The operation and the guard's admission of its first attempt, from
    /// `pre` to `exec`.
    admitted: Option<(Operation, Admission)>,
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Call {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Never held across an await; a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

type RawResult<T> = Result<ResponseValue<T>, progenitor_client::Error<ByteStream>>;

impl Transport {
    /// Makes one call of the generated client, with the client's retry
    /// policy, and maps its outcome into the crate's types.
    ///
    /// ```ignore
    /// let group = transport.call(async |api| api.get_group(&id).await).await?.value;
    /// ```
    pub(crate) async fn call<T>(
        self: &Arc<Self>,
        call: impl AsyncFnOnce(&generated::Client) -> RawResult<T>,
    ) -> Result<Answer<T>, Error> {
        let inner = Call {
            transport: self.clone(),
            policy: self.retry,
            state: Arc::default(),
        };
        let api = generated::Client::new_with_client(&self.base_url, self.http.clone(), inner);
        let result = call(&api).await;
        let mut record = std::mem::take(&mut api.inner().state().record);
        if let Some(error) = record.unusable.take() {
            return Err(error);
        }
        match result {
            Ok(answer) => Ok(Answer {
                request_id: request_id(answer.headers()),
                value: answer.into_inner(),
            }),
            Err(error) => Err(settle(from_generated(error, &record).await, &record)),
        }
    }
}

impl ClientHooks<Call> for generated::Client {
    /// Finds the operation in the table and asks the lockout guard before
    /// anything is sent: a refusal ends the call here, as [`Error::LockedOut`].
    async fn pre<E>(
        &self,
        _request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let call = self.inner();
        let Some(operation) = Operation::from_id(info.operation_id) else {
            // build.rs checks that the table names every generated operation.
            return Err(progenitor_client::Error::InvalidRequest(format!(
                "{} is not in the operation table",
                info.operation_id
            )));
        };
        match call.transport.guard.admit().await {
            Ok(admission) => {
                call.state().admitted = Some((operation, admission));
                Ok(())
            }
            Err(_) => {
                call.state().record.refused = true;
                Err(progenitor_client::Error::Custom(format!(
                    "{} refused by the lockout guard",
                    info.operation_id
                )))
            }
        }
    }

    /// Sends through the transport: headers, retries, tracing.
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let call = self.inner();
        let admitted = call.state().admitted.take();
        let Some((operation, admission)) = admitted else {
            // The generated code always runs `pre` first.
            return Err(unsent(self));
        };
        let mut record = Record::default();
        let sent = call
            .transport
            .send(operation, request, call.policy, admission, &mut record)
            .await;
        let sent = match sent {
            Some(Ok(response)) => Some(
                call.transport
                    .usable(operation, response, &mut record)
                    .await,
            ),
            other => other,
        };
        call.state().record = record;
        match sent {
            Some(result) => result,
            // `send` is refused before its first attempt only without an
            // admission, and it was given one.
            None => Err(unsent(self)),
        }
    }
}

impl Transport {
    /// A success answer as the generated code may use it: one it would read
    /// whole, read here up to the limit and handed back in memory; a
    /// streamed one (the CSV export), checked to be the media type asked
    /// for. Any other answer (an error status, whose body the mapping reads
    /// a prefix of) as it came. An answer that cannot be used comes back
    /// empty, its error in `record`.
    async fn usable(
        &self,
        operation: Operation,
        response: reqwest::Response,
        record: &mut Record,
    ) -> reqwest::Result<reqwest::Response> {
        let status = response.status();
        if status.as_u16() != operation.spec().success {
            return Ok(response);
        }
        if operation.streams_answer() {
            if let Err(error) = super::failure::check_media_type(operation, &response) {
                let body = super::failure::read_prefix(response.bytes_stream()).await;
                record.unusable = Some(error.with_body(&body).into());
                return Ok(empty(status, HeaderMap::new()));
            }
            return Ok(response);
        }
        let headers = response.headers().clone();
        let body = match super::body::read_whole(response, self.limits.max_answer_bytes).await {
            Ok(body) => body,
            Err(super::TooLarge::Read(error)) => return Err(error),
            Err(super::TooLarge::Over(limit)) => {
                let request_id = request_id(&headers);
                record.unusable = Some(super::failure::too_large(
                    status.as_u16(),
                    request_id,
                    limit,
                ));
                Bytes::new()
            }
        };
        let mut kept = http::Response::new(body);
        *kept.status_mut() = status;
        *kept.headers_mut() = headers;
        Ok(kept.into())
    }
}

/// An answer with this status and headers and no body.
fn empty(status: reqwest::StatusCode, headers: HeaderMap) -> reqwest::Response {
    let mut kept = http::Response::new(Bytes::new());
    *kept.status_mut() = status;
    *kept.headers_mut() = headers;
    kept.into()
}

/// The error of a request that was not sent, for states the generated code
/// cannot reach (`exec` without `pre`). A `reqwest::Error` cannot be made
/// directly: this is reqwest's own error for a request without a URL; the
/// call's record decides what the caller sees.
fn unsent(api: &generated::Client) -> reqwest::Error {
    tracing::error!(
        "a generated call reached `exec` without the guard's admission; nothing was sent"
    );
    match api.client().get("").build() {
        Err(error) => error,
        // An empty string is never a URL: building always fails.
        Ok(_) => unreachable!("reqwest built a request without a URL"),
    }
}
