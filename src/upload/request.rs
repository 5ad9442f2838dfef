//! The engine's batch request: `POST /groups/{id}/phones/batch` with a body
//! written by [`super::wire`], through the transport like every request
//! (credentials, lockout guard, retries, tracing), its answer decoded by the
//! request's own task.

use bytes::Bytes;

use super::{slot::Slot, wire};
use crate::{
    Client, Error, GroupId, RetryPolicy,
    transport::{Answer, Load, Operation},
};

/// Sends one batch and decodes the answer; maps a failure like every other
/// call. `answered` is dropped as soon as LOX24 has answered (or the request
/// failed), before the answer is decoded. Also returns what the attempts
/// said about LOX24's load.
pub(super) async fn post(
    client: Client,
    group: GroupId,
    body: Bytes,
    entries: usize,
    policy: Option<RetryPolicy>,
    answered: impl Send,
) -> (Result<Answer<Vec<Slot>>, Error>, Load) {
    let operation = Operation::AddPhonesBatch;
    let transport = &client.transport;
    let request = match transport.request(operation, &operation.path(&[&group]), Some(body)) {
        Ok(request) => request,
        Err(error) => return (Err(error), Load::default()),
    };
    let (answer, load) = transport.fetch_with_load(operation, request, policy).await;
    drop(answered);
    let decoded = answer.and_then(|answer| {
        let items = wire::decode(&answer.value, entries, answer.request_id.as_deref())?;
        Ok(Answer {
            value: items,
            request_id: answer.request_id,
        })
    });
    (decoded, load)
}
