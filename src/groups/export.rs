//! A group's entries as a CSV file, handed over as it arrives.

use std::{
    fmt,
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use futures_core::Stream;
use progenitor_client::ByteStream;

use crate::{Error, error::TransportError};

/// The CSV export of a group (`GET /groups/{id}/file/csv`) as a
/// [`Stream`](futures_core::Stream) of byte chunks, in the order they arrive.
///
/// Nothing is buffered beyond the chunk in hand, so a group of any size can
/// be written to a file or parsed line by line with constant memory. The
/// status was checked before this value was returned; a connection that
/// fails in the middle of the file ends the stream with
/// [`Error::Transport`]. The client's request timeout covers the whole
/// download: raise it with [`ClientBuilder::timeout`](crate::ClientBuilder::timeout)
/// for very large groups.
///
/// The columns are `id`, `phone`, the five extra columns (headed by the
/// group's column labels, or `col_A` … `col_E`) and `callback_data`.
///
/// ```no_run
/// use futures_util::TryStreamExt;
///
/// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
/// let mut csv = client.export_group_csv(&lox24::GroupId::new(7117)).await?;
/// let (mut bytes, mut lines) = (0, 0);
/// while let Some(chunk) = csv.try_next().await? {
///     bytes += chunk.len();
///     lines += chunk.iter().filter(|&&b| b == b'\n').count();
/// }
/// println!("{lines} lines, {bytes} bytes");
/// # Ok(()) }
/// ```
#[must_use = "the file is only downloaded as the stream is read"]
pub struct CsvExport {
    body: Option<ByteStream>,
    request_id: Option<String>,
}

impl CsvExport {
    pub(crate) fn new(body: ByteStream, request_id: Option<String>) -> Self {
        Self {
            body: Some(body),
            request_id,
        }
    }

    /// The `X-LOX24-REQUEST-ID` of the answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl Stream for CsvExport {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(body) = self.body.as_mut() else {
            return Poll::Ready(None);
        };
        match std::task::ready!(body.as_mut().poll_next(cx)) {
            Some(Ok(chunk)) => Poll::Ready(Some(Ok(chunk))),
            Some(Err(error)) => {
                // The connection is gone; nothing more will come.
                self.body = None;
                Poll::Ready(Some(Err(TransportError::from(error).into())))
            }
            None => {
                self.body = None;
                Poll::Ready(None)
            }
        }
    }
}

impl fmt::Debug for CsvExport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvExport")
            .field("request_id", &self.request_id)
            .field("finished", &self.body.is_none())
            .finish()
    }
}
