//! The upload engine against the best any client can do, on loopback.
//!
//! `cargo bench --bench upload` (the full run, under a minute) or
//! `cargo bench --bench upload -- --quick` (a smoke test).
//!
//! One in-process HTTP server (hyper) plays LOX24's batch endpoint: it reads
//! each request body, parses every entry, and answers 201 with one item per
//! entry, each echoing the stored entry as LOX24 documents it. It runs on a
//! thread of its own with its own single-threaded runtime, as a remote
//! server has its own CPU; the clients under test run on tokio's default
//! runtime. Every contender talks to the same server:
//!
//! 1. the engine with its defaults, over lazily generated phones, at 100,000
//!    and 1,000,000 phones;
//! 2. the ceiling: a minimal hyper client posting pre-serialised batch
//!    bodies with the same batch size and concurrency, reading each answer
//!    to its end;
//! 3. the naive baseline: the generated client's batch call, one batch at a
//!    time;
//! 4. the engine (and the ceiling, for reference) against the server with
//!    20 ms of latency per request, against the ideal
//!    `ceil(N / batch) / concurrency × 20 ms`;
//! 5. the peak resident memory of uploads of 100,000 and 1,000,000 phones,
//!    each in a process of its own (this binary, run again with
//!    `--rss-child`).
//!
//! Each figure is the best of several runs, interleaved (the runs made back
//! to back are compared too), since other work on the machine slows single
//! runs down. Besides wall time, each contender's CPU time per batch is
//! shown, split between the clients' threads and the server's.
//!
//! The last three lines are for scripts:
//! `ratio engine/ceiling: …`, `ratio ideal/actual at 20ms: …`,
//! `peak rss MiB at 100k/1M: …/…` (the last with `keep_created(false)`, the
//! report keeping only what a resume needs; the line before it gives the
//! default).

use std::{
    convert::Infallible,
    future::Future,
    net::SocketAddr,
    process::Command,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response, body::Incoming, service::service_fn};
use hyper_util::rt::{TokioExecutor, TokioIo};
use lox24::{Client, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, GroupId, Outcome, PhoneEntry};
use serde::{Deserialize, Serialize};

const TOKEN: &str = "1234567:e3f3a759b6677959b6ebfc0123456789";
const GROUP: GroupId = GroupId::new(7117);
const LATENCY: Duration = Duration::from_millis(20);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--rss-child") {
        return rss_child(&args[at + 1..]);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let (small, large, naive_n, latency_n, sweep_n) = if quick {
        (20_000, 100_000, 20_000, 40_000, 0)
    } else {
        (100_000, 1_000_000, 100_000, 400_000, 200_000)
    };
    // Other work on the machine (other processes, other virtual machines on
    // the same host) slows runs down by up to half, and it comes and goes:
    // each contender's figure is its best of a few runs, interleaved with
    // the other's. The ratios of the runs made back to back are printed too.
    let reps = if quick { 1 } else { 7 };
    let (batch, concurrency) = (DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY);
    let runtime = client_runtime();
    let server = start_server(Duration::ZERO);
    let slow_server = start_server(LATENCY);
    println!(
        "lox24 upload benchmark{}: batch {batch}, concurrency {concurrency}, {} CPUs, \
         server on a thread of its own, {reps} rounds",
        if quick { " (quick)" } else { "" },
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );

    runtime.block_on(async {
        // Warm up connections, allocator and caches.
        measure(engine(server, small / 10, batch, concurrency)).await;
        measure(ceiling(server, small / 10, batch, concurrency)).await;

        let (mut engine_small, mut engine_large, mut ceiling_large) =
            (Run::NONE, Run::NONE, Run::NONE);
        let mut ratios = Vec::new();
        for rep in 0..reps {
            let run = measure(engine(server, small, batch, concurrency)).await;
            engine_small = engine_small.best(run);
            // Alternate which goes first.
            let (engine_run, ceiling_run) = if rep % 2 == 0 {
                let e = measure(engine(server, large, batch, concurrency)).await;
                (e, measure(ceiling(server, large, batch, concurrency)).await)
            } else {
                let c = measure(ceiling(server, large, batch, concurrency)).await;
                (measure(engine(server, large, batch, concurrency)).await, c)
            };
            ratios.push(ceiling_run.time.as_secs_f64() / engine_run.time.as_secs_f64());
            engine_large = engine_large.best(engine_run);
            ceiling_large = ceiling_large.best(ceiling_run);
        }
        engine_small.report("engine", small, batch);
        engine_large.report("engine", large, batch);
        ceiling_large.report("ceiling (hyper, pre-serialised bodies)", large, batch);
        let naive_run = measure(naive(server, naive_n, batch)).await;
        naive_run.report(
            "naive (generated call, one batch at a time)",
            naive_n,
            batch,
        );

        if sweep_n > 0 {
            println!("sweep over {sweep_n} phones, no latency, phones/s (best of 3):");
            let sweep = |size: usize, c: usize| async move {
                let mut best = Run::NONE;
                for _ in 0..3 {
                    best = best.best(measure(engine(server, sweep_n, size, c)).await);
                }
                best
            };
            for size in [100, 250, 500, 1000, 2000, 5000] {
                let run = sweep(size, concurrency).await;
                println!(
                    "  batch {size:>5}, concurrency {concurrency}: {:>10.0}",
                    run.rate(sweep_n)
                );
            }
            for c in [1, 2, 8] {
                let run = sweep(batch, c).await;
                println!(
                    "  batch {batch:>5}, concurrency {c}: {:>10.0}",
                    run.rate(sweep_n)
                );
            }
        }

        let mut slow = Run::NONE;
        for _ in 0..reps.min(2) {
            let run = measure(engine(slow_server, latency_n, batch, concurrency)).await;
            slow = slow.best(run);
        }
        let slow_ceiling = measure(ceiling(slow_server, latency_n, batch, concurrency)).await;
        let batches = latency_n.div_ceil(batch as u64);
        let ideal = LATENCY.mul_f64(batches as f64 / concurrency as f64);
        println!(
            "at 20 ms latency, {latency_n} phones: engine {:.3} s, ceiling {:.3} s, \
             ideal {:.3} s (batches / concurrency × 20 ms)",
            slow.time.as_secs_f64(),
            slow_ceiling.time.as_secs_f64(),
            ideal.as_secs_f64()
        );

        let rss = |n: u64, keep: bool| peak_rss_child(n, keep);
        let (keep_small, keep_large) = (rss(small, true), rss(large, true));
        println!(
            "peak rss MiB with every outcome kept in the report (the default), at {}/{}: \
             {keep_small:.1}/{keep_large:.1}",
            short(small),
            short(large)
        );
        let (flat_small, flat_large) = (rss(small, false), rss(large, false));

        println!(
            "engine/ceiling, run by run (back to back): {}",
            ratios
                .iter()
                .map(|r| format!("{r:.2}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        println!(
            "ratio engine/ceiling: {:.2}",
            ceiling_large.time.as_secs_f64() / engine_large.time.as_secs_f64()
        );
        println!(
            "ratio ideal/actual at 20ms: {:.2}",
            ideal.as_secs_f64() / slow.time.as_secs_f64()
        );
        println!(
            "peak rss MiB at {}/{}: {flat_small:.1}/{flat_large:.1}",
            short(small),
            short(large)
        );
    });
}

/// One run of a contender: its wall time and the CPU time of the clients'
/// threads and of the server's thread.
#[derive(Clone, Copy)]
struct Run {
    time: Duration,
    client_cpu: Duration,
    server_cpu: Duration,
}

impl Run {
    const NONE: Self = Self {
        time: Duration::MAX,
        client_cpu: Duration::ZERO,
        server_cpu: Duration::ZERO,
    };

    fn best(self, other: Self) -> Self {
        if other.time < self.time { other } else { self }
    }

    fn rate(&self, n: u64) -> f64 {
        n as f64 / self.time.as_secs_f64()
    }

    fn report(&self, name: &str, n: u64, batch: usize) {
        let batches = n.div_ceil(batch as u64) as f64;
        let per_batch = |cpu: Duration| cpu.as_secs_f64() * 1000.0 / batches;
        println!(
            "{name}, {n} phones: {:.3} s, {:.0} phones/s \
             (CPU per batch: client {:.2} ms, server {:.2} ms)",
            self.time.as_secs_f64(),
            self.rate(n),
            per_batch(self.client_cpu),
            per_batch(self.server_cpu),
        );
    }
}

/// Runs a contender as a task on the client runtime's workers (not on the
/// thread that waits for it) and times it.
async fn measure(contender: impl Future<Output = Duration> + Send + 'static) -> Run {
    let before = cpu_by_role();
    let time = tokio::spawn(contender).await.expect("the contender ran");
    let after = cpu_by_role();
    Run {
        time,
        client_cpu: after.0.saturating_sub(before.0),
        server_cpu: after.1.saturating_sub(before.1),
    }
}

fn short(n: u64) -> String {
    match n {
        n if n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

/// The clients' runtime: tokio's default, a worker per CPU.
fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The phone of entry `i`, `+4917` and eight digits, generated on demand
/// (written by hand: `format!` would cost more than uploading it).
fn phone(i: u64) -> String {
    let mut digits = *b"+491700000000";
    let mut rest = i;
    for digit in digits[5..].iter_mut().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    digits.iter().map(|&b| char::from(b)).collect()
}

fn client(server: SocketAddr) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(format!("http://{server}"))
        .build()
        .expect("a valid configuration")
}

/// The engine with default options (but batch size and concurrency), over
/// a lazy iterator.
async fn engine(server: SocketAddr, n: u64, batch: usize, concurrency: usize) -> Duration {
    let client = client(server);
    let started = Instant::now();
    let report = client
        .upload_phones(GROUP, (0..n).map(|i| PhoneEntry::new(phone(i))))
        .batch_size(batch)
        .concurrency(concurrency)
        .await;
    let time = started.elapsed();
    assert_eq!(report.summary().created, n, "{report}");
    time
}

/// A minimal hyper client posting pre-serialised bodies.
async fn ceiling(server: SocketAddr, n: u64, batch: usize, concurrency: usize) -> Duration {
    let bodies: Vec<Bytes> = (0..n)
        .step_by(batch)
        .map(|first| {
            let entries: Vec<PhoneIn> = (first..(first + batch as u64).min(n))
                .map(|i| PhoneIn {
                    phone: phone(i),
                    ..PhoneIn::default()
                })
                .collect();
            Bytes::from(serde_json::to_vec(&entries).expect("serialisable"))
        })
        .collect();
    let http = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let uri: hyper::Uri = format!("http://{server}/groups/{GROUP}/phones/batch")
        .parse()
        .expect("a URI");
    let started = Instant::now();
    let answered: usize = stream::iter(bodies)
        .map(|body| {
            let request = Request::post(uri.clone())
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header("x-lox24-auth-token", TOKEN)
                .body(Full::new(body))
                .expect("a request");
            let http = http.clone();
            async move {
                let response = http.request(request).await.expect("an answer");
                assert_eq!(response.status(), 201);
                let body = response.into_body().collect().await.expect("a body");
                body.to_bytes().len()
            }
        })
        .buffer_unordered(concurrency)
        .map(|_| 1)
        .fold(0, |sum, one| async move { sum + one })
        .await;
    assert_eq!(answered as u64, n.div_ceil(batch as u64));
    started.elapsed()
}

/// The generated client's batch call, one batch after the other.
async fn naive(server: SocketAddr, n: u64, batch: usize) -> Duration {
    let client = client(server);
    let started = Instant::now();
    for first in (0..n).step_by(batch) {
        let wire: Vec<lox24::api::types::PhoneWrite> = (first..(first + batch as u64).min(n))
            .map(|i| lox24::api::types::PhoneWrite {
                phone: phone(i).as_str().try_into().expect("a valid phone"),
                a: None,
                b: None,
                c: None,
                d: None,
                e: None,
                callback_data: None,
            })
            .collect();
        let answer = client
            .raw()
            .add_phones_batch(&GROUP, &wire)
            .await
            .expect("created");
        assert_eq!(answer.into_inner().created(), wire.len());
    }
    started.elapsed()
}

/// Runs one upload in a process of its own and returns its peak RSS in MiB.
fn peak_rss_child(n: u64, keep_created: bool) -> f64 {
    let exe = std::env::current_exe().expect("the benchmark's path");
    let output = Command::new(exe)
        .args(["--rss-child", &n.to_string(), &keep_created.to_string()])
        .output()
        .expect("the child runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim().parse::<f64>().unwrap_or(f64::NAN)
}

/// The child: server and engine in one process, then the peak RSS (VmHWM).
fn rss_child(args: &[String]) {
    let n: u64 = args.first().and_then(|a| a.parse().ok()).expect("a count");
    let keep_created = args.get(1).is_none_or(|a| a == "true");
    let server = start_server(Duration::ZERO);
    client_runtime().block_on(async {
        let client = client(server);
        let mut created = 0u64;
        let report = client
            .upload_phones(GROUP, (0..n).map(|i| PhoneEntry::new(phone(i))))
            .keep_created(keep_created)
            .on_outcome(|_, _, outcome| {
                if let Outcome::Created { id: Some(_) } = outcome {
                    created += 1;
                }
            })
            .await;
        assert_eq!((report.summary().created, created), (n, n));
    });
    println!("{:.1}", peak_rss_mib());
}

/// CPU time of the process's threads so far (Linux): (clients, server).
fn cpu_by_role() -> (Duration, Duration) {
    let (mut client, mut server) = (0, 0);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (Duration::ZERO, Duration::ZERO);
    };
    for task in tasks.flatten() {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let ns: u64 = std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        if name.trim() == "lox24-server" {
            server += ns;
        } else {
            client += ns;
        }
    }
    (Duration::from_nanos(client), Duration::from_nanos(server))
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib / 1024.0)
        })
        .unwrap_or(f64::NAN)
}

// The server.

/// An entry as the server reads it.
#[derive(Default, Serialize, Deserialize)]
struct PhoneIn {
    phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    b: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    c: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    callback_data: Option<String>,
}

/// An item of the answer, with every field LOX24 documents for a phone.
#[derive(Serialize)]
struct ItemOut {
    status: u16,
    body: PhoneOut,
}

#[derive(Serialize)]
struct PhoneOut {
    id: String,
    phone: String,
    a: Option<String>,
    b: Option<String>,
    c: Option<String>,
    d: Option<String>,
    e: Option<String>,
    callback_data: Option<String>,
    subscribed_at: Option<i64>,
    unsubscribed_at: Option<i64>,
    unsubscribe_reason: Option<u8>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Starts the server on a thread of its own; answers after `latency`.
fn start_server(latency: Duration) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("an address");
    let thread = std::thread::Builder::new().name("lox24-server".into());
    let _ = thread.spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let service = service_fn(move |request| answer(request, latency));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    addr
}

async fn answer(
    request: Request<Incoming>,
    latency: Duration,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let received = Instant::now();
    let Ok(body) = request.into_body().collect().await else {
        return Ok(reply(400, b"{}".to_vec()));
    };
    let body = body.to_bytes();
    if latency.is_zero() {
        return Ok(handle(&body));
    }
    // With latency, the answer leaves `latency` after the request arrived,
    // its handling included. The handling runs on a thread of its own, so
    // that requests arriving together do not wait for each other, and
    // sleeps there: tokio's timer rounds up to the next millisecond, a
    // thread's sleep keeps to the microseconds.
    let answer = tokio::task::spawn_blocking(move || {
        let answer = handle(&body);
        std::thread::sleep(latency.saturating_sub(received.elapsed()));
        answer
    });
    Ok(answer.await.unwrap_or_else(|_| reply(500, b"{}".to_vec())))
}

/// Parses a batch and answers it as LOX24 does.
fn handle(body: &[u8]) -> Response<Full<Bytes>> {
    let Ok(entries) = serde_json::from_slice::<Vec<PhoneIn>>(body) else {
        return reply(400, b"{}".to_vec());
    };
    let first = NEXT_ID.fetch_add(entries.len() as u64, Ordering::Relaxed);
    let items: Vec<ItemOut> = entries
        .into_iter()
        .zip(first..)
        .map(|(entry, id)| ItemOut {
            status: 201,
            body: PhoneOut {
                id: id.to_string(),
                phone: entry.phone,
                a: entry.a,
                b: entry.b,
                c: entry.c,
                d: entry.d,
                e: entry.e,
                callback_data: entry.callback_data,
                subscribed_at: None,
                unsubscribed_at: None,
                unsubscribe_reason: None,
            },
        })
        .collect();
    reply(201, serde_json::to_vec(&items).unwrap_or_default())
}

fn reply(status: u16, body: Vec<u8>) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-lox24-request-id", "7c1e3b0a9d8f4e2b6a5c4d3e2f1a0b9c")
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}
