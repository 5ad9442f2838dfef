//! What an answer the client cannot use costs it, measured on a loopback
//! server (127.0.0.1 only): the CPU time of a 1 MiB HTML body of
//! `<script></script>` pairs (an `UnexpectedResponse` with its excerpt),
//! and the peak memory of the process while a 200 MiB answer comes in,
//! with and without a `Content-Length`.
//!
//! `cargo bench --bench answers` (Linux: CPU time and peak memory are read
//! from /proc/self).

use std::time::{Duration, Instant};

use lox24::{Client, Error, GroupId};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};

const MIB: usize = 1024 * 1024;

/// Serves every request with `head` and then `body` repeated `times` times.
async fn serve(head: String, body: Vec<u8>, times: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (head, body) = (head.clone(), body.clone());
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for _ in 0..times {
                    if stream.write_all(&body).await.is_err() {
                        return;
                    }
                }
                let _ = stream.shutdown().await;
            });
        }
    });
    url
}

fn client(url: &str) -> Client {
    Client::builder()
        .token("1234567:e3f3a759b6677959b6ebfc0123456789")
        .base_url(url)
        .retry(lox24::RetryPolicy::none())
        .build()
        .expect("valid")
}

/// CPU time (user and system) of this process so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends with ')'): utime and stime
    // are the 12th and 13th, in clock ticks (100 per second on Linux).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

/// The peak resident memory of this process so far (VmHWM).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // 1. A 1 MiB body of <script></script> pairs, answered with 200.
    let pair = b"<script></script>";
    let body = pair.repeat(MIB / pair.len());
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let url = serve(head, body, 1).await;
    let script_client = client(&url);
    let runs = 20;
    let (cpu, wall) = (cpu_time(), Instant::now());
    for _ in 0..runs {
        match script_client.get_group(&GroupId::new(7)).await {
            Err(Error::UnexpectedResponse(_)) => {}
            other => panic!("expected UnexpectedResponse, got {other:?}"),
        }
    }
    let (cpu, wall) = (cpu_time() - cpu, wall.elapsed());
    println!(
        "1 MiB of <script></script> answered 200: {:.1} ms CPU, {:.1} ms wall per call \
         (request, reading, excerpt; mean of {runs})",
        cpu.as_secs_f64() * 1000.0 / f64::from(runs),
        wall.as_secs_f64() * 1000.0 / f64::from(runs),
    );

    // 2. A 200 MiB answer, with and without a Content-Length.
    let piece = vec![b'x'; MIB];
    for with_length in [true, false] {
        let length = if with_length {
            format!("content-length: {}\r\n", 200 * MIB)
        } else {
            String::new()
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{length}connection: close\r\n\r\n"
        );
        let url = serve(head, piece.clone(), 200).await;
        let before = peak_rss_mib();
        let started = Instant::now();
        let result = client(&url).get_group(&GroupId::new(7)).await;
        let reason = match &result {
            Err(Error::UnexpectedResponse(e)) => e.reason().to_owned(),
            other => format!("{other:?}"),
        };
        println!(
            "200 MiB answer {} Content-Length: peak RSS {before:.1} MiB before, {:.1} MiB after \
             ({:.0} ms): {reason}",
            if with_length { "with" } else { "without" },
            peak_rss_mib(),
            started.elapsed().as_secs_f64() * 1000.0,
        );
    }
}
