//! The engine's batch request: `POST /groups/{id}/phones/batch` with a body
//! written by [`super::wire`], through the transport like every request
//! (credentials, lockout guard, retries, tracing), its answer decoded by the
//! request's own task.

use bytes::{Bytes, BytesMut};

use super::{slot::Slot, wire};
use crate::{
    Client, Error, GroupId, RetryPolicy,
    transport::{Answer, Load, Operation},
};

/// Sends one batch and decodes the answer; maps a failure like every other
/// call. `answered` is dropped as soon as LOX24 has answered (or the request
/// failed), before the answer is decoded. The answer is read into `buffer`
/// (emptied first), which comes back for the next answer once decoded.
/// Also returns what the attempts said about LOX24's load.
pub(super) async fn post(
    client: Client,
    group: GroupId,
    body: Bytes,
    entries: usize,
    policy: Option<RetryPolicy>,
    answered: impl Send,
    buffer: BytesMut,
) -> Posted {
    let operation = Operation::AddPhonesBatch;
    let transport = &client.transport;
    let request = match transport.request(operation, &operation.path(&[&group]), Some(body)) {
        Ok(request) => request,
        Err(error) => {
            return Posted {
                result: Err(error),
                load: Load::default(),
                buffer: Some(buffer),
            };
        }
    };
    let (answer, load) = transport
        .fetch_into(operation, request, policy, buffer)
        .await;
    drop(answered);
    let mut buffer = None;
    let result = answer.and_then(|answer| {
        let items = wire::decode(&answer.value, entries, answer.request_id.as_deref())?;
        // The items own what they hold: the buffer is the answer's alone.
        buffer = answer.value.try_into_mut().ok();
        Ok(Answer {
            value: items,
            request_id: answer.request_id,
        })
    });
    Posted {
        result,
        load,
        buffer,
    }
}

/// What [`post`] gives back.
pub(super) struct Posted {
    pub result: Result<Answer<Vec<Slot>>, Error>,
    pub load: Load,
    /// The buffer the answer was read into, when it can be used again.
    pub buffer: Option<BytesMut>,
}
