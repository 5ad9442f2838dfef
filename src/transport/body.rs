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
pub(crate) async fn read_whole(mut response: Response, limit: usize) -> Result<Bytes, TooLarge> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(TooLarge::Over(limit));
    }
    // Reserve what is announced (already known to fit), never more.
    let room = announced.map_or(0, |length| length as usize);
    let mut body = BytesMut::with_capacity(room);
    while let Some(chunk) = response.chunk().await.map_err(TooLarge::Read)? {
        if chunk.len() > limit - body.len() {
            return Err(TooLarge::Over(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
