//! A bounded load test of `jdclass serve` on loopback: starts the release binary on a
//! free port, then for 1 and 2 client threads sends `POST /v1/classify` with a median
//! corpus posting over keep-alive connections for a fixed time, and reports
//! requests/s, p50/p99 latency, errors and the server's RSS before and after.
//!
//! ```sh
//! cargo build --release && cargo run --release --example serve_load -- [SECONDS] [POSTING]
//! ```
//! Not part of `cargo test`: speed is measured here, not asserted.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The median posting of the corpus by size.
const MEDIAN_POSTING: &str = "corpus/postings/022-other-product-marketing-saas.txt";
/// Seconds each phase runs, unless given.
const DEFAULT_SECONDS: u64 = 10;
/// Warm-up before measuring (connections, allocator, caches).
const WARMUP: Duration = Duration::from_secs(1);

fn rss_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

struct PhaseResult {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

/// `threads` OS threads, each with its own runtime and keep-alive client, sending
/// requests back to back until `duration` has passed.
fn phase(url: &str, posting: &str, threads: usize, duration: Duration) -> PhaseResult {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (url, posting, stop) = (url.to_string(), posting.to_string(), stop.clone());
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async move {
                    let client = reqwest::Client::builder().no_proxy().build().unwrap();
                    let (mut latencies, mut errors) = (Vec::new(), 0usize);
                    while !stop.load(Ordering::Relaxed) {
                        let t = Instant::now();
                        let ok = match client
                            .post(&url)
                            .header("content-type", "text/plain")
                            .body(posting.clone())
                            .send()
                            .await
                        {
                            Ok(r) if r.status() == 200 => r.bytes().await.is_ok(),
                            _ => false,
                        };
                        latencies.push(t.elapsed());
                        if !ok {
                            errors += 1;
                        }
                    }
                    (latencies, errors)
                })
            })
        })
        .collect();
    std::thread::sleep(duration);
    stop.store(true, Ordering::Relaxed);
    let mut result = PhaseResult { latencies: Vec::new(), errors: 0, elapsed: Duration::ZERO };
    for h in handles {
        let (l, e) = h.join().unwrap();
        result.latencies.extend(l);
        result.errors += e;
    }
    result.elapsed = started.elapsed();
    result
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SECONDS);
    let posting_path = args.next().unwrap_or_else(|| MEDIAN_POSTING.to_string());
    let posting = std::fs::read_to_string(&posting_path).expect("read the posting");
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(|d| d.parent()).map(|d| d.join("jdclass")).expect("target dir");
    let mut server = Command::new(&bin)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e} (cargo build --release first)", bin.display()));
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().rsplit(' ').next().unwrap().to_string();
    let url = format!("{base}v1/classify");
    let pid = server.id();
    println!(
        "server {} (pid {pid}); posting {posting_path} ({} bytes); {seconds} s per phase",
        bin.display(),
        posting.len()
    );
    println!("RSS at start: {} KiB", rss_kb(pid, "VmRSS:"));
    phase(&url, &posting, 2, WARMUP);
    println!("RSS after warm-up: {} KiB", rss_kb(pid, "VmRSS:"));
    println!("| client threads | requests | requests/s | p50 | p99 | max | errors | server RSS after |");
    println!("|---|---|---|---|---|---|---|---|");
    for threads in [1, 2] {
        let mut r = phase(&url, &posting, threads, Duration::from_secs(seconds));
        r.latencies.sort_unstable();
        let n = r.latencies.len();
        println!(
            "| {threads} | {n} | {:.0} | {:.2} ms | {:.2} ms | {:.2} ms | {} | {} KiB |",
            n as f64 / r.elapsed.as_secs_f64(),
            percentile(&r.latencies, 0.50).as_secs_f64() * 1e3,
            percentile(&r.latencies, 0.99).as_secs_f64() * 1e3,
            r.latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
            r.errors,
            rss_kb(pid, "VmRSS:")
        );
    }
    println!("server peak RSS (VmHWM): {} KiB", rss_kb(pid, "VmHWM:"));
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let status = server.wait().unwrap();
    println!("server stopped on SIGTERM: {status}");
}
