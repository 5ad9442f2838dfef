//! What an unreadable or oversized answer costs the client, counted by a
//! global allocator: bytes allocated in all (work that grows with the
//! square of the body shows up as allocations) and the most bytes live at
//! once. The tests run one at a time, since the counters are global.

mod common;

use std::{
    alloc::{GlobalAlloc, Layout, System},
    sync::atomic::{AtomicUsize, Ordering},
};

use common::raw_server::{RawServer, Reply};
use lox24::{Error, GroupId};
use tokio::sync::Mutex;

struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters only watch.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        count(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn count(size: usize) {
    ALLOCATED.fetch_add(size, Ordering::Relaxed);
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The tests share the counters: one at a time.
static SERIAL: Mutex<()> = Mutex::const_new(());

/// What one call cost: bytes allocated in all, and the peak of live bytes
/// above what was live when it started.
struct Cost {
    allocated: usize,
    peak_above_start: usize,
}

async fn measure<T>(work: impl Future<Output = T>) -> (T, Cost) {
    let start_live = LIVE.load(Ordering::Relaxed);
    PEAK.store(start_live, Ordering::Relaxed);
    let start_allocated = ALLOCATED.load(Ordering::Relaxed);
    let out = work.await;
    let cost = Cost {
        allocated: ALLOCATED.load(Ordering::Relaxed) - start_allocated,
        peak_above_start: PEAK.load(Ordering::Relaxed).saturating_sub(start_live),
    };
    (out, cost)
}

fn answer_200(content_type: &str, body: &[u8]) -> Reply {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    Reply::Bytes(out)
}

/// Issue 12, item 2: an HTML body made of `<script></script>` pairs took
/// time and memory that grew with the square of its size to become an
/// excerpt (a lower-cased copy of the rest of the body per tag). Now the
/// excerpt is made in one pass: the whole call allocates a small multiple
/// of the body, where the old code allocated gigabytes for 256 KiB.
#[tokio::test(flavor = "current_thread")]
async fn an_unreadable_html_answer_costs_a_multiple_of_its_size() {
    let _serial = SERIAL.lock().await;
    for tag in ["script", "style"] {
        let body = format!("<{tag}></{tag}>").repeat(256 * 1024 / (5 + 2 * tag.len()));
        let server = RawServer::start(answer_200("text/html", body.as_bytes())).await;
        let client = common::client_at(&server.url);
        let (result, cost) = measure(client.get_group(&GroupId::new(7))).await;
        match result {
            Err(Error::UnexpectedResponse(answer)) => {
                assert_eq!(answer.status(), Some(200));
                assert_eq!(answer.body_excerpt(), None, "no text outside the tags");
            }
            other => panic!("expected UnexpectedResponse, got {other:?}"),
        }
        assert!(
            cost.allocated < 16 * body.len(),
            "<{tag}>: {} bytes allocated for a body of {}",
            cost.allocated,
            body.len()
        );
        assert_eq!(server.received().len(), 1);
    }
}

/// A `200 OK` whose body is `times` copies of `piece`, with or without a
/// `Content-Length` (without one, the body runs until the connection closes).
fn large_answer(piece: &[u8], times: usize, with_length: bool) -> Reply {
    large_answer_of("application/json", piece, times, with_length)
}

fn large_answer_of(content_type: &str, piece: &[u8], times: usize, with_length: bool) -> Reply {
    let mut head =
        format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n");
    if with_length {
        head.push_str(&format!("content-length: {}\r\n", piece.len() * times));
    }
    head.push_str("\r\n");
    Reply::Repeated {
        head: head.into_bytes(),
        piece: piece.into(),
        times,
    }
}

const MIB: usize = 1024 * 1024;

fn assert_too_large(result: Result<impl std::fmt::Debug, Error>, limit: usize) {
    match result {
        Err(Error::UnexpectedResponse(answer)) => {
            assert_eq!(answer.status(), Some(200));
            assert_eq!(
                answer.reason(),
                format!(
                    "the answer is larger than the {limit} bytes this client reads of one (ClientBuilder::max_answer_bytes)"
                )
            );
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

/// Issue 12, item 3: a success answer was read whole, whatever its size
/// (200 MiB of garbage cost +600 MiB of memory). Now at most
/// `max_answer_bytes` are read: an answer whose length says more is refused
/// before its body is read, one without a length when it passes the limit.
#[tokio::test(flavor = "current_thread")]
async fn a_success_answer_is_read_up_to_the_limit_only() {
    let _serial = SERIAL.lock().await;
    let piece = [b'x'; 64 * 1024];

    // The default limit, and a length that announces more.
    let server = RawServer::start(large_answer(&piece, 64 * MIB / piece.len(), true)).await;
    let client = common::client_at(&server.url);
    let (result, cost) = measure(client.get_group(&GroupId::new(7))).await;
    assert_too_large(result, lox24::DEFAULT_MAX_ANSWER_BYTES);
    assert!(
        cost.peak_above_start < 4 * MIB,
        "{} bytes live at once for a 64 MiB answer",
        cost.peak_above_start
    );

    // A chosen limit, and a body without a length: read until it passes.
    let server = RawServer::start(large_answer(&piece, 16 * MIB / piece.len(), false)).await;
    let client = lox24::Client::builder()
        .token(common::TOKEN)
        .base_url(&server.url)
        .retry(lox24::RetryPolicy::none())
        .max_answer_bytes(MIB)
        .build()
        .expect("valid");
    let (result, cost) = measure(client.get_group(&GroupId::new(7))).await;
    assert_too_large(result, MIB);
    assert!(
        cost.peak_above_start < 4 * MIB,
        "{} bytes live at once for a 16 MiB answer with a limit of 1 MiB",
        cost.peak_above_start
    );
    assert_eq!(server.received().len(), 1);
}

/// The same limit holds for the pages of a listing, which are read by hand
/// (not through the generated client).
#[tokio::test(flavor = "current_thread")]
async fn a_listing_page_is_read_up_to_the_limit_only() {
    let _serial = SERIAL.lock().await;
    let piece = [b' '; 64 * 1024];
    let server = RawServer::start(large_answer(&piece, 8 * MIB / piece.len(), false)).await;
    let client = lox24::Client::builder()
        .token(common::TOKEN)
        .base_url(&server.url)
        .retry(lox24::RetryPolicy::none())
        .max_answer_bytes(MIB)
        .build()
        .expect("valid");
    let (result, cost) = measure(client.list_groups()).await;
    assert_too_large(result, MIB);
    assert!(cost.peak_above_start < 4 * MIB, "{}", cost.peak_above_start);
}

/// The CSV export is streamed: the limit does not apply, and memory stays
/// at a chunk or so however large the file.
#[tokio::test(flavor = "current_thread")]
async fn the_csv_export_is_streamed_past_the_limit() {
    use futures_util::TryStreamExt;
    let _serial = SERIAL.lock().await;
    let piece = b"1,+491701234567,,,,,,\n".repeat(2048);
    let times = 8 * MIB / piece.len();
    let server = RawServer::start(large_answer_of(
        "text/csv; charset=utf-8",
        &piece,
        times,
        false,
    ))
    .await;
    let client = lox24::Client::builder()
        .token(common::TOKEN)
        .base_url(&server.url)
        .max_answer_bytes(MIB)
        .build()
        .expect("valid");
    let (bytes, cost) = measure(async {
        let export = client.export_group_csv(&GroupId::new(7)).await?;
        export
            .try_fold(0, |sum, chunk| async move { Ok(sum + chunk.len()) })
            .await
    })
    .await;
    assert_eq!(bytes.expect("streamed"), piece.len() * times);
    assert!(cost.peak_above_start < 2 * MIB, "{}", cost.peak_above_start);
}
