//! The upload engine against the best any client can do, on loopback.
//!
//! `cargo bench --bench upload` (the full run, about four minutes with
//! the exactly-once part) or
//! `cargo bench --bench upload -- --quick` (a smoke test).
//!
//! One in-process HTTP server (hyper) plays LOX24's batch endpoint: it reads
//! each request body, parses every entry, and answers 201 with one item per
//! entry, each echoing the stored entry as LOX24 documents it (written by
//! hand, so that the server's cost does not move with the compiler's
//! inlining of serde when other code of this file changes). It runs on a
//! thread of its own with its own single-threaded runtime, and for the
//! comparison of the engine with the ceiling on a CPU of its own, as a
//! remote server has its own CPU (`upload/cpus.rs`; the same comparison
//! with every thread on every CPU follows, for the record). The clients
//! under test run on tokio's default runtime. Every contender talks to the
//! same server:
//!
//! 1. the engine with its defaults, over lazily generated phones, at 100,000
//!    and 1,000,000 phones;
//! 2. the ceiling: a minimal hyper client posting pre-serialised batch
//!    bodies with the same batch size and concurrency, reading each answer
//!    to its end;
//! 3. the naive baseline: `Client::add_phones` (the generated batch call),
//!    one batch at a time;
//! 4. the engine (and the ceiling, for reference) against the server with
//!    20 ms of latency per request, against the ideal
//!    `ceil(N / batch) / concurrency × 20 ms`;
//! 5. the peak resident memory of uploads of 100,000 and 1,000,000 phones,
//!    each in a process of its own (this binary, run again with
//!    `--rss-child`), the lowest of three runs.
//!
//! Each figure is the best of several runs, interleaved (the runs made back
//! to back are compared too), since other work on the machine slows single
//! runs down. Besides wall time, each contender's CPU time per batch is
//! shown, split between the clients' threads and the server's.
//!
//! `--limits` runs only the part against the server with limits.
//!
//! To compare two builds of the engine against the very same server, run
//! one build with `--serve` (it prints the address) and each build with
//! `--engine-at ADDR [N] [ROUNDS]`.
//!
//! 6. exactly-once mode against the sandbox with faults, 1,000,000 phones
//!    (`benches/upload/exactly_once.rs`); `cargo bench --bench upload --
//!    exactly-once` runs only this part (`--quick`: 100,000 phones).
//!
//! Then the engine against the sandbox's server with limits
//! ([`lox24_sandbox::Capacity`], on a thread of its own): the adaptive limit
//! against the best fixed concurrency on three profiles, and an upload with
//! slow batches against the ideal packing of its requests.
//!
//! The last lines are for scripts:
//! `ratio engine/ceiling: …`, `ratio ideal/actual at 20ms: …`,
//! `peak rss MiB at 100k/1M: …/…` (with `keep_created(false)`, the
//! report keeping only what a resume needs; the line before it gives the
//! default), `adaptive/best-fixed throughput, profile …: … (503 share …%)`
//! (one per profile) and `slow-batch: actual/ideal: …`; then, with
//! `-- --instructions` alone as well, `instructions per phone
//! engine/ceiling: …` (valgrind), `cpu time per phone engine/ceiling: …`
//! (the kernel's count of each client's time on a CPU) and `peak heap MiB
//! at 100k/1M: …` (valgrind's massif: the heap in use, which the peak RSS
//! hides under what the allocator keeps).

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
use lox24::{
    Client, GroupId, NewGroup, PhoneEntry,
    upload::{DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, Outcome},
};
use lox24_sandbox::{Capacity, Sandbox};
use serde::{Deserialize, Serialize};

#[path = "upload/cpus.rs"]
mod cpus;
#[path = "upload/exactly_once.rs"]
mod exactly_once;

use cpus::Placement;

const TOKEN: &str = "1234567:e3f3a759b6677959b6ebfc0123456789";
const GROUP: GroupId = GroupId::new(7117);
const LATENCY: Duration = Duration::from_millis(20);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--rss-child") {
        return rss_child(&args[at + 1..]);
    }
    if args.iter().any(|a| a == "--serve") {
        return serve();
    }
    if let Some(at) = args.iter().position(|a| a == "--engine-at") {
        return engine_at(&args[at + 1..]);
    }
    if let Some(at) = args.iter().position(|a| a == "--one-upload") {
        return one_upload(&args[at + 1..]);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let exactly_once_n = if quick { 100_000 } else { 1_000_000 };
    if args.iter().any(|a| a == "exactly-once") {
        return exactly_once::measure(exactly_once_n);
    }
    if args.iter().any(|a| a == "--instructions") {
        instructions_per_phone(quick);
        cpu_time_per_phone(quick);
        return peak_heap(quick);
    }
    if args.iter().any(|a| a == "--limits") {
        return client_runtime().block_on(async {
            adaptive_against_fixed(quick).await;
            slow_batches(quick).await;
        });
    }
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

        // The figure against the goal: the server on a CPU of its own, as
        // LOX24's is. Then, for the record, sharing every CPU.
        let apart = cpus::place(Placement::Apart);
        let placements: &[Placement] = if apart {
            &[Placement::Apart, Placement::Shared]
        } else {
            &[Placement::Shared]
        };
        let mut compared = Vec::new();
        for &placement in placements {
            cpus::place(placement);
            let c = engine_against_ceiling(server, small, large, reps).await;
            println!("{}:", placement.describe());
            c.engine_small.report("engine", small, batch);
            c.engine_large.report("engine", large, batch);
            c.ceiling_large
                .report("ceiling (hyper, pre-serialised bodies)", large, batch);
            compared.push((placement, c));
        }
        let naive_run = measure(naive(server, naive_n, batch)).await;
        naive_run.report(
            "naive (Client::add_phones, one batch at a time)",
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
        // On a runtime of its own, beside this one.
        std::thread::scope(|scope| {
            scope.spawn(|| exactly_once::measure(exactly_once_n));
        });

        for (placement, c) in &compared {
            println!(
                "engine/ceiling, {}, run by run (back to back): {}",
                placement.describe(),
                c.ratios
                    .iter()
                    .map(|r| format!("{r:.2}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        for (placement, c) in compared.iter().rev() {
            // The goal's line last, under the name scripts read.
            let name = if *placement == placements[0] {
                String::new()
            } else {
                format!(" ({})", placement.describe())
            };
            println!(
                "ratio engine/ceiling{name}: {:.2}",
                c.ceiling_large.time.as_secs_f64() / c.engine_large.time.as_secs_f64()
            );
        }
        println!(
            "ratio ideal/actual at 20ms: {:.2}",
            ideal.as_secs_f64() / slow.time.as_secs_f64()
        );
        println!(
            "peak rss MiB at {}/{}: {flat_small:.1}/{flat_large:.1}",
            short(small),
            short(large)
        );
        adaptive_against_fixed(quick).await;
        slow_batches(quick).await;
    });
    instructions_per_phone(quick);
    cpu_time_per_phone(quick);
    peak_heap(quick);
}

// Instructions per phone.

/// `instructions per phone engine/ceiling: X`, counted by valgrind
/// (cachegrind without its cache simulation), which other work on the
/// machine does not move. The server runs in a process of its own (this
/// binary with `--serve`); each client runs alone under valgrind
/// (`--one-upload`) at two sizes, and the difference between them divided
/// by the difference in phones is the cost of one more phone, start-up
/// left out. The ceiling's bodies are serialised before it is timed, so
/// the instructions of that alone (`prepare`) are taken off its count, and
/// so are those of making the engine's input entries (`inputs`), which a
/// caller has before it uploads.
fn instructions_per_phone(quick: bool) {
    let Ok(valgrind) = Command::new("valgrind").arg("--version").output() else {
        println!("instructions per phone engine/ceiling: not measured (valgrind not found)");
        return;
    };
    let exe = std::env::current_exe().expect("the benchmark's path");
    let (mut server, address) = server_process(&exe);
    let (small, large) = if quick {
        (10_000u64, 30_000u64)
    } else {
        (20_000, 100_000)
    };
    let count = |contender: &str, n: u64| -> f64 {
        let output = Command::new("valgrind")
            .args([
                "--tool=cachegrind",
                "--cache-sim=no",
                "--cachegrind-out-file=/dev/null",
            ])
            .arg(&exe)
            .args(["--one-upload", address.trim(), contender, &n.to_string()])
            .output()
            .expect("valgrind runs");
        let text = String::from_utf8_lossy(&output.stderr);
        text.lines()
            .find_map(|line| {
                let (_, refs) = line
                    .split_once("I refs:")
                    .or_else(|| line.split_once("I   refs:"))?;
                refs.trim().replace(',', "").parse::<f64>().ok()
            })
            .unwrap_or(f64::NAN)
    };
    let per_phone = |contender: &str| {
        (count(contender, large) - count(contender, small)) / (large - small) as f64
    };
    // Each side without what only the benchmark does: making the engine's
    // input entries, serialising the ceiling's bodies.
    let inputs = per_phone("inputs");
    let engine = per_phone("engine") - inputs;
    let naive = per_phone("naive") - inputs;
    let ceiling = per_phone("ceiling") - per_phone("prepare");
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "instructions per phone ({}, {} to {} phones): engine {engine:.0}, ceiling {ceiling:.0}",
        String::from_utf8_lossy(&valgrind.stdout).trim(),
        short(small),
        short(large)
    );
    // The same batches through the generated call (serde both ways), which
    // sends numbers as given: what the engine's own writer and scanner save.
    println!(
        "instructions per phone naive (Client::add_phones, one batch at a time): {naive:.0}; \
         engine/naive: {:.2}",
        engine / naive
    );
    println!(
        "instructions per phone engine/ceiling: {:.2}",
        engine / ceiling
    );
}

/// The benchmark's server in a process of its own (this binary with
/// `--serve`), and the address it printed.
fn server_process(exe: &std::path::Path) -> (std::process::Child, String) {
    let mut server = Command::new(exe)
        .arg("--serve")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut address = String::new();
    if let Some(out) = server.stdout.take() {
        use std::io::BufRead;
        let _ = std::io::BufReader::new(out).read_line(&mut address);
    }
    (server, address)
}

/// `cpu time per phone engine/ceiling: X`: the same clients and server as
/// [`instructions_per_phone`], timed by the kernel's count of each client
/// process's time on a CPU, in user space and in the kernel (sockets)
/// alike, where valgrind counts only user space. The best of nine runs at
/// each size, since other work on the machine moves single runs.
fn cpu_time_per_phone(quick: bool) {
    let exe = std::env::current_exe().expect("the benchmark's path");
    let (mut server, address) = server_process(&exe);
    let (small, large) = if quick {
        (20_000u64, 100_000u64)
    } else {
        (100_000, 1_000_000)
    };
    let best = |contender: &str, n: u64| -> f64 {
        (0..9)
            .map(|_| {
                let output = Command::new(&exe)
                    .args(["--one-upload", address.trim(), contender, &n.to_string()])
                    .output()
                    .expect("the client runs");
                let text = String::from_utf8_lossy(&output.stdout);
                text.lines()
                    .find_map(|line| line.strip_prefix("cpu ns ")?.parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            })
            .fold(f64::INFINITY, f64::min)
    };
    let per_phone = |contender: &str| {
        (best(contender, large) - best(contender, small)) / (large - small) as f64
    };
    let engine = per_phone("engine") - per_phone("inputs");
    let ceiling = per_phone("ceiling") - per_phone("prepare");
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "cpu time per phone (user and system, {} to {} phones): engine {engine:.0} ns, ceiling {ceiling:.0} ns",
        short(small),
        short(large)
    );
    println!("cpu time per phone engine/ceiling: {:.2}", engine / ceiling);
}

/// The time the process's threads have spent on a CPU so far, in user
/// space and in the kernel, in nanoseconds (Linux's schedstat); `None`
/// where the kernel does not keep it.
fn cpu_ns() -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    (total > 0).then_some(total)
}

/// `--one-upload ADDR engine|naive|ceiling|inputs|prepare N`: one upload of N
/// phones with the default batch size and a concurrency of 4, for
/// [`instructions_per_phone`], on a single-threaded runtime; `inputs` only
/// makes the engine's entries, `prepare` only serialises the ceiling's
/// bodies.
fn one_upload(args: &[String]) {
    let server: SocketAddr = args
        .first()
        .and_then(|a| a.parse().ok())
        .expect("the server's address, from --serve");
    let n: u64 = args.get(2).and_then(|a| a.parse().ok()).expect("a count");
    let (batch, concurrency) = (DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY);
    // One thread: valgrind runs one thread at a time anyway, and workers
    // handing tasks to each other would count their spinning.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match args.get(1).map(String::as_str) {
        Some("engine") => {
            runtime.block_on(engine(server, n, batch, concurrency));
        }
        Some("ceiling") => {
            runtime.block_on(ceiling(server, n, batch, concurrency));
        }
        Some("inputs") => (0..n).map(|i| PhoneEntry::new(phone(i))).for_each(|entry| {
            std::hint::black_box(entry);
        }),
        Some("naive") => {
            runtime.block_on(naive(server, n, batch));
        }
        _ => drop(ceiling_bodies(n, batch)),
    }
    if let Some(ns) = cpu_ns() {
        println!("cpu ns {ns}");
    }
}

// Against a server with limits.

/// Entries per batch against the sandbox's capacity: small enough that an
/// upload has many rounds of requests for the limit to adapt in.
const LIMITED_BATCH: usize = 100;
/// The sandbox's service time per entry: 50 ms per batch. Long enough that
/// the server's capacity, not the CPU of this machine (which the sandbox
/// shares with the client), is the limit even at 32 batches at once.
const SERVICE_PER_ENTRY: Duration = Duration::from_micros(500);

/// Starts a sandbox with `capacity` on a thread of its own (named as the
/// benchmark's server, so that its CPU counts as the server's).
fn start_sandbox(capacity: Capacity) -> Sandbox {
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new().name("lox24-server".into());
    let _ = thread.spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let sandbox = Sandbox::builder()
                .capacity(capacity)
                .start()
                .await
                .expect("the sandbox starts");
            let _ = tx.send(sandbox);
            // Serve until the process ends.
            std::future::pending::<()>().await;
        });
    });
    rx.recv().expect("the sandbox's thread sends it")
}

/// A profile of the server: its capacity at the start, and the capacity
/// it changes to halfway through an upload.
struct Profile {
    name: &'static str,
    start: Capacity,
    halfway: Option<Capacity>,
    /// The most batches it serves at once.
    peak: usize,
    phones: u64,
}

/// One upload of `n` phones against a fresh sandbox of `profile`, with a fixed
/// concurrency or (`None`) the adaptive limit: its time (`Duration::MAX`
/// when 503s outlasted the retries and stopped it), the share of batch
/// requests refused with 503, and the highest limit.
async fn limited(profile: &Profile, n: u64, concurrency: Option<usize>) -> (Duration, f64, usize) {
    let sandbox = std::sync::Arc::new(start_sandbox(profile.start.clone()));
    let client = sandbox.client().expect("a client");
    let group = client
        .create_group(&NewGroup::new("benchmark"))
        .await
        .expect("a group")
        .id;
    let (halfway, server) = (profile.halfway.clone(), sandbox.clone());
    let mut changed = false;
    let peak = std::sync::Arc::new(AtomicU64::new(0));
    let most = peak.clone();
    let upload = client
        .upload_phones(&group, (0..n).map(|i| PhoneEntry::new(phone(i))))
        .batch_size(LIMITED_BATCH)
        .on_progress(move |progress| {
            most.fetch_max(progress.concurrency_limit as u64, Ordering::Relaxed);
            if !changed && progress.done >= n / 2 {
                changed = true;
                if let Some(capacity) = &halfway {
                    server.set_capacity(Some(capacity.clone()));
                }
            }
        });
    let upload = match concurrency {
        Some(c) => upload.concurrency(c),
        None => upload,
    };
    let started = Instant::now();
    let report = upload.await;
    let time = if report.summary().created == n {
        started.elapsed()
    } else {
        Duration::MAX
    };
    let stats = sandbox.capacity_stats();
    let refused = stats.refused as f64 / stats.arrived.max(1) as f64;
    (time, refused, peak.load(Ordering::Relaxed) as usize)
}

/// `adaptive/best-fixed throughput, profile P: X (503 share Y%)`: the
/// adaptive limit against the best of the fixed concurrencies 1 to 32, on
/// the same profile, in the same run.
///
/// Throughput is a rate: a fixed concurrency `c` below the profile's peak
/// uploads `c / peak` of the phones, so that every run lasts about as many
/// rounds of requests (and the slow ones do not take minutes).
async fn adaptive_against_fixed(quick: bool) {
    let scale = if quick { 4 } else { 1 };
    let capacity = |at_once: usize, queue: usize| {
        Capacity::new(at_once)
            .per_entry(SERVICE_PER_ENTRY)
            .queue(queue)
    };
    let profiles = [
        // About 40 rounds of 50 ms each at the best concurrency.
        Profile {
            name: "small (2 at once)",
            start: capacity(2, 8),
            halfway: None,
            peak: 2,
            phones: 8_000 / scale,
        },
        Profile {
            name: "large (32 at once)",
            start: capacity(32, 32),
            halfway: None,
            peak: 32,
            phones: 128_000 / scale,
        },
        Profile {
            name: "drop (16, then 4 at once halfway)",
            start: capacity(16, 16),
            halfway: Some(capacity(4, 16)),
            peak: 16,
            phones: 40_000 / scale,
        },
    ];
    println!(
        "against the sandbox's capacity: batches of {LIMITED_BATCH}, {} µs per entry served, \
         phones/s (503 share)",
        SERVICE_PER_ENTRY.as_micros()
    );
    for profile in &profiles {
        let (adaptive, refused, peak) = limited(profile, profile.phones, None).await;
        let rate = |n: u64, time: Duration| match time {
            Duration::MAX => "stopped".to_owned(),
            time => format!("{:.0}", n as f64 / time.as_secs_f64()),
        };
        let adaptive_rate = profile.phones as f64 / adaptive.as_secs_f64();
        let mut line = format!(
            "  {}: adaptive {} ({:.1}%, limit up to {peak})",
            profile.name,
            rate(profile.phones, adaptive),
            100.0 * refused
        );
        let mut best = 0f64;
        for c in [1, 2, 4, 8, 16, 32] {
            let n = profile.phones * c.min(profile.peak) as u64 / profile.peak as u64;
            let (time, refused, _) = limited(profile, n, Some(c)).await;
            best = best.max(n as f64 / time.as_secs_f64());
            line += &format!(", {c}: {} ({:.1}%)", rate(n, time), 100.0 * refused);
        }
        println!("{line}");
        println!(
            "adaptive/best-fixed throughput, profile {}: {:.2} (503 share {:.1}%)",
            profile.name,
            adaptive_rate / best,
            100.0 * refused
        );
    }
}

/// `slow-batch: actual/ideal: X`: 100 batches, of which 10 are answered
/// 1 s late, at a fixed concurrency of 4, against the ideal packing of the
/// requests' times into 4 places (`(10 × (1 s + service) + 90 × service) / 4`).
async fn slow_batches(quick: bool) {
    const CONCURRENCY: usize = 4;
    let late_by = if quick {
        Duration::from_millis(250)
    } else {
        Duration::from_secs(1)
    };
    let (batches, slow) = (100u64, 10u64);
    let service = SERVICE_PER_ENTRY * LIMITED_BATCH as u32;
    // Every tenth batch from the sixth, by arrival.
    let capacity = Capacity::new(64)
        .per_entry(SERVICE_PER_ENTRY)
        .late((0..slow).map(|k| 5 + 10 * k), late_by);
    let run = |window: usize| {
        let capacity = capacity.clone();
        async move {
            let sandbox = start_sandbox(capacity);
            let client = sandbox.client().expect("a client");
            let group = client
                .create_group(&NewGroup::new("benchmark"))
                .await
                .expect("a group")
                .id;
            let n = batches * LIMITED_BATCH as u64;
            let started = Instant::now();
            let report = client
                .upload_phones(&group, (0..n).map(|i| PhoneEntry::new(phone(i))))
                .batch_size(LIMITED_BATCH)
                .concurrency(CONCURRENCY)
                .reorder_window(window)
                .await;
            let time = started.elapsed();
            assert_eq!(report.summary().created, n, "{report}");
            time
        }
    };
    let ideal = (late_by + service).mul_f64(slow as f64) + service.mul_f64((batches - slow) as f64);
    let ideal = ideal / CONCURRENCY as u32;
    let actual = run(lox24::upload::DEFAULT_REORDER_WINDOW).await;
    // A window of 2 × concurrency batches, as the engine had before.
    let narrow = run(2 * CONCURRENCY * LIMITED_BATCH).await;
    println!(
        "{batches} batches of {LIMITED_BATCH}, {slow} answered {} ms late, concurrency {CONCURRENCY}: \
         {:.2} s with the default window, {:.2} s with a window of {} batches, ideal {:.2} s",
        late_by.as_millis(),
        actual.as_secs_f64(),
        narrow.as_secs_f64(),
        2 * CONCURRENCY,
        ideal.as_secs_f64()
    );
    println!(
        "slow-batch: actual/ideal: {:.2}",
        actual.as_secs_f64() / ideal.as_secs_f64()
    );
}

/// The engine against the ceiling, `reps` rounds against `server`: each
/// contender's best run, and the ratio of each round's runs made back to
/// back.
struct Compared {
    engine_small: Run,
    engine_large: Run,
    ceiling_large: Run,
    ratios: Vec<f64>,
}

async fn engine_against_ceiling(
    server: SocketAddr,
    small: u64,
    large: u64,
    reps: usize,
) -> Compared {
    let (batch, concurrency) = (DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY);
    let (mut engine_small, mut engine_large, mut ceiling_large) = (Run::NONE, Run::NONE, Run::NONE);
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
    Compared {
        engine_small,
        engine_large,
        ceiling_large,
        ratios,
    }
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
    String::from_utf8(digits.to_vec()).expect("ASCII digits")
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
        .upload_phones(&GROUP, (0..n).map(|i| PhoneEntry::new(phone(i))))
        .batch_size(batch)
        .concurrency(concurrency)
        .await;
    let time = started.elapsed();
    assert_eq!(report.summary().created, n, "{report}");
    time
}

/// A minimal hyper client posting pre-serialised bodies.
async fn ceiling(server: SocketAddr, n: u64, batch: usize, concurrency: usize) -> Duration {
    let bodies = ceiling_bodies(n, batch);
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

/// The ceiling's request bodies, serialised before it is timed.
fn ceiling_bodies(n: u64, batch: usize) -> Vec<Bytes> {
    (0..n)
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
        .collect()
}

/// The single-batch call (`Client::add_phones`, the generated
/// `add_phones_batch` under it), one batch after the other.
async fn naive(server: SocketAddr, n: u64, batch: usize) -> Duration {
    let client = client(server);
    let started = Instant::now();
    for first in (0..n).step_by(batch) {
        let entries: Vec<PhoneEntry> = (first..(first + batch as u64).min(n))
            .map(|i| PhoneEntry::new(phone(i)))
            .collect();
        let answer = client.add_phones(&GROUP, &entries).await.expect("created");
        assert_eq!(answer.created(), entries.len());
    }
    started.elapsed()
}

/// Runs an upload in a process of its own, three times, and returns the
/// lowest of the three peak RSS in MiB: one run's peak moves by half and
/// more with how the allocator's per-thread arenas happened to fill (16 to
/// 38 MiB at 100,000 phones, 22 to 44 at 1,000,000, over six runs of one
/// build), while the heap in use does not (see [`peak_heap`]).
fn peak_rss_child(n: u64, keep_created: bool) -> f64 {
    let exe = std::env::current_exe().expect("the benchmark's path");
    let run = || {
        let output = Command::new(&exe)
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
    };
    (0..3).map(|_| run()).fold(f64::INFINITY, f64::min)
}

/// `peak heap MiB at 100k/1M`: the most heap in use at once during the
/// upload of `--rss-child` (`keep_created(false)`), as valgrind's massif
/// counts it: what the program holds, without what the allocator keeps
/// besides. Valgrind runs one thread at a time, so the requests overlap
/// less than on the machine's two CPUs.
fn peak_heap(quick: bool) {
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("peak heap MiB: not measured (valgrind not found)");
        return;
    }
    let exe = std::env::current_exe().expect("the benchmark's path");
    let (small, large) = if quick {
        (10_000u64, 100_000u64)
    } else {
        (100_000, 1_000_000)
    };
    let heap = |n: u64| -> f64 {
        let out = std::env::temp_dir().join(format!("lox24-massif-{}-{n}", std::process::id()));
        let status = Command::new("valgrind")
            .arg("--tool=massif")
            .arg(format!("--massif-out-file={}", out.display()))
            .arg(&exe)
            .args(["--rss-child", &n.to_string(), "false"])
            .output()
            .expect("valgrind runs")
            .status;
        assert!(status.success(), "massif's run of {n} phones failed");
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        let _ = std::fs::remove_file(&out);
        let peak = text
            .lines()
            .filter_map(|line| line.strip_prefix("mem_heap_B=")?.parse::<f64>().ok())
            .fold(f64::NAN, f64::max);
        peak / (1024.0 * 1024.0)
    };
    let (at_small, at_large) = (heap(small), heap(large));
    println!(
        "peak heap MiB at {}/{} (valgrind massif): {at_small:.1}/{at_large:.1} ({:.2}x)",
        short(small),
        short(large),
        at_large / at_small
    );
}

/// `--serve`: the batch server alone, until killed; prints its address.
fn serve() {
    cpus::place_this_process(true);
    println!("{}", start_server(Duration::ZERO));
    loop {
        std::thread::park();
    }
}

/// `--engine-at ADDR [N] [ROUNDS]`: the engine and the ceiling against a
/// server in another process, one line per round (`engine s`, `ceiling s`),
/// so that two builds of the engine can be compared against one server.
fn engine_at(args: &[String]) {
    let server: SocketAddr = args
        .first()
        .and_then(|a| a.parse().ok())
        .expect("the server's address, from --serve");
    let n = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let rounds = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5);
    cpus::place_this_process(false);
    client_runtime().block_on(async {
        for _ in 0..rounds {
            let engine = engine(server, n, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY).await;
            let ceiling = ceiling(server, n, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY).await;
            println!("{:.3} {:.3}", engine.as_secs_f64(), ceiling.as_secs_f64());
        }
    });
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
            .upload_phones(&GROUP, (0..n).map(|i| PhoneEntry::new(phone(i))))
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
    reply(201, answer_body(&entries, first))
}

/// The answer to a batch as LOX24 writes it: each entry echoed with its new
/// id. Written by hand rather than by serde's derive, so that the server's
/// cost (the yardstick every contender shares) does not move with the
/// compiler's inlining choices when unrelated code of this file changes.
#[inline(never)]
fn answer_body(entries: &[PhoneIn], first_id: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 200);
    out.push(b'[');
    for (k, entry) in entries.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"status\":201,\"body\":{\"id\":\"");
        out.extend_from_slice((first_id + k as u64).to_string().as_bytes());
        out.extend_from_slice(b"\",\"phone\":");
        json_text(&mut out, Some(&entry.phone));
        for (key, value) in [
            (&b",\"a\":"[..], &entry.a),
            (b",\"b\":", &entry.b),
            (b",\"c\":", &entry.c),
            (b",\"d\":", &entry.d),
            (b",\"e\":", &entry.e),
            (b",\"callback_data\":", &entry.callback_data),
        ] {
            out.extend_from_slice(key);
            json_text(&mut out, value.as_deref());
        }
        out.extend_from_slice(
            b",\"subscribed_at\":null,\"unsubscribed_at\":null,\"unsubscribe_reason\":null}}",
        );
    }
    out.push(b']');
    out
}

fn json_text(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => serde_json::to_writer(out, text).unwrap_or_default(),
        None => out.extend_from_slice(b"null"),
    }
}

fn reply(status: u16, body: Vec<u8>) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-lox24-request-id", "7c1e3b0a9d8f4e2b6a5c4d3e2f1a0b9c")
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}
