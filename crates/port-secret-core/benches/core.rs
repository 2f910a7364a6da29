//! Criterion benchmarks of every format, one-shot and through a `Decryptor`, at 100 B and
//! 64 KiB, on every RSA backend compiled in (run with `--all-features` for both), plus
//! `verify_signature` and `decrypt_properties` on the demo body. `scripts/bench.sh` prints the
//! ratios (Decryptor vs one-shot, aws-lc vs rsa) from criterion's medians.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use port_secret_core::hazmat::Backend;
use port_secret_core::{Decryptor, Encryption};

const SECRET: &str = "bench-client-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const PRIVATE: &str = include_str!("../../../tests/vectors/keys/rsa2048_pkcs8.pem");
const PUBLIC: &str = include_str!("../../../tests/vectors/keys/rsa2048_public.pem");

fn sizes() -> [(&'static str, Vec<u8>); 2] {
    [("100B", vec![b'x'; 100]), ("64KiB", vec![b'x'; 64 * 1024])]
}

fn symmetric(c: &mut Criterion) {
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("decryptor");
    for (label, pt) in sizes() {
        let mut g = c.benchmark_group(format!("aes256-gcm/{label}"));
        g.throughput(Throughput::Bytes(pt.len() as u64));
        let v = port_secret_core::encrypt_aes256_gcm(&pt, SECRET).expect("encrypt");
        g.bench_function("one-shot", |b| {
            b.iter(|| port_secret_core::decrypt_aes256_gcm_bytes(black_box(&v), SECRET))
        });
        g.bench_function("decryptor", |b| {
            b.iter(|| d.decrypt_bytes(black_box(&v), &Encryption::Aes256Gcm))
        });
        g.bench_function("encrypt", |b| {
            b.iter(|| port_secret_core::encrypt_aes256_gcm(black_box(&pt), SECRET))
        });
        g.finish();

        let mut g = c.benchmark_group(format!("fernet/{label}"));
        g.throughput(Throughput::Bytes(pt.len() as u64));
        let t = port_secret_core::encrypt_fernet(&pt, SECRET).expect("encrypt");
        g.bench_function("one-shot", |b| {
            b.iter(|| port_secret_core::decrypt_fernet_bytes(black_box(&t), SECRET, None))
        });
        g.bench_function("decryptor", |b| {
            b.iter(|| d.decrypt_bytes(black_box(&t), &Encryption::Fernet))
        });
        g.finish();
    }
}

fn client_side(c: &mut Criterion) {
    for (label, pt) in sizes() {
        let mut g = c.benchmark_group(format!("client-side/{label}"));
        g.throughput(Throughput::Bytes(pt.len() as u64));
        let v = port_secret_core::encrypt_client_side(&pt, PUBLIC).expect("encrypt");
        for backend in Backend::ALL {
            let d = Decryptor::builder()
                .private_key_pem(PRIVATE)
                .rsa_backend(*backend)
                .build()
                .expect("decryptor");
            let enc = Encryption::ClientSide { key: None };
            g.bench_function(BenchmarkId::new("decryptor", backend.name()), |b| {
                b.iter(|| d.decrypt_bytes(black_box(&v), &enc))
            });
        }
        // One-shot parses the PEM every call (default backend).
        g.bench_function(
            BenchmarkId::new("one-shot", port_secret_core::RSA_BACKEND),
            |b| b.iter(|| port_secret_core::decrypt_client_side_bytes(black_box(&v), PRIVATE)),
        );
        g.finish();
    }
}

fn signatures_and_payloads(c: &mut Criterion) {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/demo/");
    let body = std::fs::read(format!("{demo}body.json")).expect("demo body");
    let secret = std::fs::read_to_string(format!("{demo}client_secret.txt")).expect("secret");
    let secret = secret.trim();
    let key = std::fs::read_to_string(format!("{demo}private_key.pem")).expect("key");
    let d = Decryptor::builder()
        .client_secret(secret)
        .private_key_pem(&key)
        .build()
        .expect("decryptor");
    let ts = "1700000000";
    let sig = port_secret_core::sign_payload(&body, ts, secret).expect("sign");
    let mut g = c.benchmark_group("webhook");
    g.bench_function("verify_signature", |b| {
        b.iter(|| d.verify_signature_at(black_box(&body), &sig, ts, 300, 1_700_000_000))
    });
    let parsed: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let props = &parsed["payload"]["properties"];
    let inputs = &parsed["payload"]["action"]["userInputs"];
    g.bench_function("decrypt_properties", |b| {
        b.iter(|| d.decrypt_properties(black_box(props), inputs))
    });
    g.finish();
}

criterion_group!(benches, symmetric, client_side, signatures_and_payloads);
criterion_main!(benches);
