//! Soak (not a test): many threads share one `Decryptor` for a bounded time, decrypting every
//! format, good and bad values mixed; prints operations, errors of the wrong kind, and resident
//! memory (VmRSS / VmHWM from /proc/self/status) before, midway and after.
//!
//!     make bench-bins && target/release/soak-threads [seconds] [threads]
//!
//! (`scripts/soak.sh rust` runs it and checks its output: bench/soak/README.md.)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use port_secret_core::{Decryptor, Encryption};

const SECRET: &str = "soak-client-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const PRIVATE: &str = include_str!("../../../../../tests/vectors/keys/rsa2048_pkcs8.pem");
const PUBLIC: &str = include_str!("../../../../../tests/vectors/keys/rsa2048_public.pem");

fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let threads: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(8);
    let d = Arc::new(
        Decryptor::builder()
            .client_secret(SECRET)
            .private_key_pem(PRIVATE)
            .build()
            .expect("keys"),
    );
    let big = "x".repeat(64 * 1024);
    let cases: Arc<Vec<(String, Encryption, bool)>> = Arc::new(vec![
        (
            port_secret_core::encrypt_aes256_gcm("pw", SECRET).expect("e"),
            Encryption::Aes256Gcm,
            true,
        ),
        (
            port_secret_core::encrypt_aes256_gcm(&big, SECRET).expect("e"),
            Encryption::Aes256Gcm,
            true,
        ),
        (
            port_secret_core::encrypt_fernet("pw", SECRET).expect("e"),
            Encryption::Fernet,
            true,
        ),
        (
            port_secret_core::encrypt_client_side("pw", PUBLIC).expect("e"),
            Encryption::ClientSide { key: None },
            true,
        ),
        ("AAAA".repeat(20), Encryption::Aes256Gcm, false),
        ("not base64!".into(), Encryption::Fernet, false),
    ]);
    println!("soak: {threads} threads, {seconds} s; before: {}", rss());
    let stop = Arc::new(AtomicBool::new(false));
    let ops = Arc::new(AtomicU64::new(0));
    let wrong = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (d, cases, stop, ops, wrong) = (
                d.clone(),
                cases.clone(),
                stop.clone(),
                ops.clone(),
                wrong.clone(),
            );
            std::thread::spawn(move || {
                let mut i = t;
                while !stop.load(Ordering::Relaxed) {
                    let (v, enc, good) = &cases[i % cases.len()];
                    if d.decrypt_bytes(v, enc).is_ok() != *good {
                        wrong.fetch_add(1, Ordering::Relaxed);
                    }
                    ops.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            })
        })
        .collect();
    let started = Instant::now();
    let mut midway = String::new();
    while started.elapsed() < Duration::from_secs(seconds) {
        std::thread::sleep(Duration::from_millis(250));
        if midway.is_empty() && started.elapsed() >= Duration::from_secs(seconds / 2) {
            midway = rss();
        }
    }
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.join().expect("thread");
    }
    println!("soak: midway: {midway}");
    println!(
        "soak: {} operations, {} with the wrong outcome; after: {}",
        ops.load(Ordering::Relaxed),
        wrong.load(Ordering::Relaxed),
        rss()
    );
    assert_eq!(wrong.load(Ordering::Relaxed), 0);
}
