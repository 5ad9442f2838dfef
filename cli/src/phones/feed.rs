//! The rows of the CSV as a stream of entries for the upload engine.
//!
//! The file is read on a thread of its own (reading a pipe or a slow disk
//! must not hold up the requests, which share one async thread) and handed
//! over through a bounded channel, so that at most [`AHEAD`] rows wait
//! between the reader and the engine whatever the size of the file.
//! Each entry's line and cells go to the [`Ledger`] as the engine takes it;
//! unreadable rows and rows whose number repeats an earlier row's go there
//! too, in their place among the entries, and are never sent.

use std::{
    io::Read,
    sync::{Arc, Mutex, PoisonError},
    task::Poll,
};

use futures_core::Stream;
use lox24::PhoneEntry;
use tokio::sync::{mpsc, oneshot};

use super::{
    csv_input::{Input, Mapping, Row, Rows},
    ledger::{Ledger, Pending},
    repeats::Seen,
};

/// Rows read ahead of the engine, at most.
const AHEAD: usize = 256;

/// What the reader thread hands over.
pub enum Message {
    Row(Row),
    /// A row left out: its number is that of the row on line `first`.
    Repeat {
        line: u64,
        first: u64,
    },
    /// The file cannot be read on, and why.
    Failed(String),
}

/// Reads `rows` on a new thread; the entries come out of [`entries`].
/// With `seen`, rows whose number repeats an earlier row's are left out
/// there (the thread has the time; the engine's one has not).
pub fn start<R: Read + Send + 'static>(
    mut rows: Rows<Input<R>>,
    mapping: Mapping,
    mut seen: Option<Seen>,
) -> mpsc::Receiver<Message> {
    let (tx, rx) = mpsc::channel(AHEAD);
    // A plain thread, not `spawn_blocking`: if the upload stops while the
    // thread waits on a pipe, the process must still be able to end.
    let spawned = std::thread::Builder::new()
        .name("csv reader".to_owned())
        .spawn({
            let tx = tx.clone();
            move || {
                loop {
                    let message = match rows.next_row(&mapping) {
                        Ok(Some(Row::Entry {
                            line,
                            mut entry,
                            cells,
                        })) => match seen.as_mut().and_then(|s| s.first(line, &mut entry)) {
                            Some(first) => Message::Repeat { line, first },
                            None => Message::Row(Row::Entry { line, entry, cells }),
                        },
                        Ok(Some(row)) => Message::Row(row),
                        Ok(None) => return,
                        Err(e) => Message::Failed(e.to_string()),
                    };
                    let last = matches!(message, Message::Failed(_));
                    // A closed channel: the upload is over and reads no more.
                    if tx.blocking_send(message).is_err() || last {
                        return;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        let _ = tx.try_send(Message::Failed(format!(
            "cannot start the reader thread: {e}"
        )));
    }
    rx
}

/// The entries, as a stream for `upload_phone_stream`.
///
/// When the file cannot be read on, the ledger gets the reason, `failed`
/// fires and the stream never ends: the upload is then stopped by
/// cancellation, so that its report says the rest was not sent (an end of
/// input would say there was no rest).
pub fn entries(
    mut rx: mpsc::Receiver<Message>,
    ledger: Arc<Mutex<Ledger>>,
    failed: oneshot::Sender<()>,
) -> impl Stream<Item = PhoneEntry> + Send + 'static {
    let mut failed = Some(failed);
    futures_util::stream::poll_fn(move |cx| {
        loop {
            if failed.is_none() {
                return Poll::Pending;
            }
            let message = match rx.poll_recv(cx) {
                Poll::Ready(message) => message,
                Poll::Pending => return Poll::Pending,
            };
            let mut ledger = ledger.lock().unwrap_or_else(PoisonError::into_inner);
            match message {
                Some(Message::Row(Row::Entry { line, entry, cells })) => {
                    ledger.expect(Pending::Entry { line, cells });
                    return Poll::Ready(Some(entry));
                }
                Some(Message::Repeat { line, first }) => {
                    ledger.expect(Pending::Repeat { line, first });
                }
                Some(Message::Row(Row::Unreadable {
                    line,
                    cells,
                    reason,
                })) => ledger.expect(Pending::Unreadable {
                    line,
                    cells,
                    reason,
                }),
                Some(Message::Failed(reason)) => {
                    ledger.fail(reason);
                    if let Some(failed) = failed.take() {
                        let _ = failed.send(());
                    }
                }
                None => return Poll::Ready(None),
            }
        }
    })
}
