//! Reading an answer whole, up to a limit: a server (or whatever answers in
//! its place) decides how large an answer is, and the client must not
//! spend memory without bound on one.

use bytes::{Bytes, BytesMut};
use reqwest::Response;

/// Why an answer was not read whole.
#[derive(Debug)]
pub(crate) enum TooLarge {
    /// It has more bytes than this limit; no more of it was read.
    Over(usize),
    /// The connection failed while reading.
    Read(reqwest::Error),
}

/// The whole body of `response` when it has at most `limit` bytes. A
/// `Content-Length` over the limit is refused before anything is read; a
/// body without one is read until it passes the limit.
pub(crate) async fn read_whole(response: Response, limit: usize) -> Result<Bytes, TooLarge> {
    read_whole_into(response, limit, BytesMut::new()).await
}

/// [`read_whole`] into `body`, emptied first: a buffer used before keeps
/// its memory, so that answers read one after another into it neither
/// allocate nor fault fresh pages in.
pub(crate) async fn read_whole_into(
    mut response: Response,
    limit: usize,
    mut body: BytesMut,
) -> Result<Bytes, TooLarge> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(TooLarge::Over(limit));
    }
    // Room for what is announced (already known to fit), never more.
    let room = announced.map_or(0, |length| length as usize);
    body.clear();
    body.reserve(room);
    while let Some(chunk) = response.chunk().await.map_err(TooLarge::Read)? {
        if chunk.len() > limit - body.len() {
            return Err(TooLarge::Over(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &'static [u8]) -> Response {
        let response = http::Response::builder()
            .header(reqwest::header::CONTENT_LENGTH, body.len())
            .body(body)
            .expect("a response");
        Response::from(response)
    }

    #[tokio::test]
    async fn a_buffer_read_into_before_holds_only_the_new_answer() {
        let first = read_whole_into(answer(b"[1,2,3,4,5,6,7,8]"), 100, BytesMut::new())
            .await
            .expect("fits");
        assert_eq!(&first[..], b"[1,2,3,4,5,6,7,8]");
        let buffer = first.try_into_mut().expect("the answer's alone");
        let at = buffer.as_ptr();
        let second = read_whole_into(answer(b"[9]"), 100, buffer)
            .await
            .expect("fits");
        assert_eq!(&second[..], b"[9]");
        // The same memory: nothing was allocated for it.
        assert_eq!(second.as_ptr(), at);
    }

    #[tokio::test]
    async fn an_answer_over_the_limit_is_refused_whatever_the_buffer() {
        let buffer = BytesMut::with_capacity(1000);
        let refused = read_whole_into(answer(b"[1,2,3]"), 6, buffer).await;
        assert!(matches!(refused, Err(TooLarge::Over(6))), "{refused:?}");
    }
}
