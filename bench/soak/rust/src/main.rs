//! Memory soak and thread scaling of port-secret-core (aws-lc backend), for scripts/bench.sh.
//!
//! Prints one JSON object: VmRSS/VmHWM (from /proc/self/status) before and after 100 000
//! aes256-gcm decrypts (through a `Decryptor` and one-shot) and 10 000 client-side decrypts,
//! and client-side throughput on 1 and 2 threads sharing one `Decryptor`.
//!   port-secret-soak [--decrypts N]
//!   port-secret-soak --spin aes100|aes64k|client-side SECONDS   (a loop to profile with perf)

use std::sync::Arc;
use std::time::Instant;

use port_secret_core::{Decryptor, Encryption};

const SECRET: &str = "bench-client-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const PRIVATE: &str = include_str!("../../../../tests/vectors/keys/rsa2048_pkcs8.pem");
const PUBLIC: &str = include_str!("../../../../tests/vectors/keys/rsa2048_public.pem");

/// (VmRSS, VmHWM) in KiB.
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn json_mem(label: &str, before: (u64, u64), after: (u64, u64), n: usize) -> String {
    format!(
        "\"{label}\": {{\"decrypts\": {n}, \"rss_before_kib\": {}, \"rss_after_kib\": {}, \"hwm_before_kib\": {}, \"hwm_after_kib\": {}, \"growth_kib\": {}}}",
        before.0,
        after.0,
        before.1,
        after.1,
        after.0 as i64 - before.0 as i64
    )
}

fn soak(label: &str, n: usize, mut f: impl FnMut()) -> String {
    for _ in 0..n / 10 {
        f();
    }
    let before = rss();
    for _ in 0..n {
        f();
    }
    let after = rss();
    eprintln!(
        "{label}: VmRSS {} -> {} KiB, VmHWM {} -> {} KiB over {n} decrypts",
        before.0, after.0, before.1, after.1
    );
    json_mem(label, before, after, n)
}

/// CPU time of the process (user + system, all threads), in seconds, from /proc/self/stat.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime and stime are the 12th
    // and 13th of them, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}

/// (client-side decrypts per second, CPU cores busy) with `threads` threads sharing one Decryptor.
fn rate(d: &Arc<Decryptor>, value: &Arc<String>, threads: usize, per_thread: usize) -> (f64, f64) {
    let cpu = cpu_seconds();
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let d = Arc::clone(d);
            let v = Arc::clone(value);
            std::thread::spawn(move || {
                let enc = Encryption::ClientSide { key: None };
                for _ in 0..per_thread {
                    let _ = std::hint::black_box(d.decrypt_bytes(v.as_bytes(), &enc));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let elapsed = start.elapsed().as_secs_f64();
    (
        (threads * per_thread) as f64 / elapsed,
        (cpu_seconds() - cpu) / elapsed,
    )
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    }
}

/// Decrypts one value in a loop for `seconds`, for `perf record`.
fn spin(case: &str, seconds: f64) {
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .private_key_pem(PRIVATE)
        .build()
        .expect("decryptor");
    let (value, enc) = match case {
        "aes64k" => (
            port_secret_core::encrypt_aes256_gcm(vec![b'x'; 65536], SECRET).expect("encrypt"),
            Encryption::Aes256Gcm,
        ),
        "client-side" => (
            port_secret_core::encrypt_client_side([b'x'; 100], PUBLIC).expect("encrypt"),
            Encryption::ClientSide { key: None },
        ),
        _ => (
            port_secret_core::encrypt_aes256_gcm([b'x'; 100], SECRET).expect("encrypt"),
            Encryption::Aes256Gcm,
        ),
    };
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        for _ in 0..100 {
            let text = d.decrypt(value.as_bytes(), &enc).expect("decrypt");
            std::hint::black_box(text);
        }
        calls += 100;
    }
    eprintln!(
        "{case}: {:.3} µs per decrypt",
        start.elapsed().as_secs_f64() * 1e6 / calls as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .iter()
        .position(|a| a == "--decrypts")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);

    if let Some(i) = args.iter().position(|a| a == "--spin") {
        spin(
            args.get(i + 1).map_or("aes100", String::as_str),
            args.get(i + 2).and_then(|s| s.parse().ok()).unwrap_or(5.0),
        );
        return;
    }
    let d = Arc::new(
        Decryptor::builder()
            .client_secret(SECRET)
            .private_key_pem(PRIVATE)
            .build()
            .expect("decryptor"),
    );
    let aes = port_secret_core::encrypt_aes256_gcm([b'x'; 100], SECRET).expect("encrypt");
    let cs = Arc::new(port_secret_core::encrypt_client_side([b'x'; 100], PUBLIC).expect("encrypt"));
    let cs_enc = Encryption::ClientSide { key: None };

    let start = rss();
    let mut parts = vec![
        soak("aes256-gcm decryptor", n, || {
            let text = d.decrypt(&aes, &Encryption::Aes256Gcm).expect("decrypt");
            std::hint::black_box(text);
        }),
        soak("aes256-gcm one-shot", n, || {
            let text = port_secret_core::decrypt_aes256_gcm(&aes, SECRET).expect("decrypt");
            std::hint::black_box(text);
        }),
        soak("client-side decryptor", n / 10, || {
            let text = d.decrypt(cs.as_bytes(), &cs_enc).expect("decrypt");
            std::hint::black_box(text);
        }),
    ];
    let end = rss();
    parts.push(format!(
        "\"total\": {{\"rss_start_kib\": {}, \"rss_end_kib\": {}, \"hwm_start_kib\": {}, \"hwm_end_kib\": {}}}",
        start.0, end.0, start.1, end.1
    ));

    // Thread scaling: 1 vs 2 threads, interleaved rounds, median of the per-round ratios.
    let per_thread = 300;
    let _ = rate(&d, &cs, 2, 50);
    let (mut one, mut two, mut ratios, mut busy, mut eff) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..7 {
        let (a, cores_a) = rate(&d, &cs, 1, per_thread);
        let (b, cores_b) = rate(&d, &cs, 2, per_thread);
        one.push(a);
        two.push(b);
        ratios.push(b / a);
        busy.push(cores_b);
        if cores_a > 0.0 && cores_b > 0.0 {
            eff.push((b / cores_b) / (a / cores_a));
        }
    }
    let (one, two, ratio, cores) = (median(one), median(two), median(ratios), median(busy));
    let eff = if eff.is_empty() { 0.0 } else { median(eff) };
    eprintln!(
        "client-side threads: 1 thread {one:.0}/s, 2 threads {two:.0}/s, {ratio:.2}x ({cores:.2} cores busy, work per CPU-second {eff:.2}x of 1 thread)"
    );
    parts.push(format!(
        "\"threads\": {{\"one_per_s\": {one:.1}, \"two_per_s\": {two:.1}, \"ratio\": {ratio:.3}, \"cores_busy\": {cores:.3}, \"cpu_efficiency\": {eff:.3}}}"
    ));
    println!("{{{}}}", parts.join(", "));
}
