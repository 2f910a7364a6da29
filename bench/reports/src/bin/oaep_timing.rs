//! Timing report (not a test): are the two ways a `client-side` value can fail (RSA-OAEP unwrap
//! failure vs GCM tag failure) distinguishable by time, and how do they compare with a valid
//! value? Runs on every RSA backend compiled in:
//!
//!     make bench-bins && target/release/oaep_timing [samples]
//!
//! Classes are measured interleaved in random order; prints median, mean, p10/p90 and Welch's t
//! between the classes. |t| under ~4.5 is the usual "no leak detected" bar (dudect); this is a
//! report for humans, not a pass/fail check, and a shared machine adds noise.

#![allow(clippy::cast_possible_truncation)] // statistics over small counts and PRNG bytes

use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use port_secret_core::hazmat::Backend;
use port_secret_core::{Decryptor, Encryption};

const PRIVATE: &str = include_str!("../../../../tests/vectors/keys/rsa2048_pkcs8.pem");
const PUBLIC: &str = include_str!("../../../../tests/vectors/keys/rsa2048_public.pem");

fn stats(xs: &mut [f64]) -> (f64, f64, f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let at = |q: f64| xs[((xs.len() - 1) as f64 * q) as usize];
    (at(0.5), mean, var, at(0.1), at(0.9))
}

fn welch(a: (f64, f64), na: usize, b: (f64, f64), nb: usize) -> f64 {
    (a.0 - b.0) / (a.1 / na as f64 + b.1 / nb as f64).sqrt()
}

fn main() {
    let samples: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let enc = Encryption::ClientSide { key: None };
    for backend in Backend::ALL {
        let d = Decryptor::builder()
            .private_key_pem(PRIVATE)
            .rsa_backend(*backend)
            .build()
            .expect("key");
        let valid =
            port_secret_core::encrypt_client_side(b"a 32-byte-ish secret value here", PUBLIC)
                .expect("enc");
        let raw = STANDARD.decode(&valid).expect("b64");
        // Bad OAEP: the wrapped key replaced by random bytes below the modulus.
        let mut bad_oaep = raw.clone();
        let mut noise = vec![0u8; 256];
        fill_noise(&mut noise);
        noise[0] = 0;
        bad_oaep[12..12 + 256].copy_from_slice(&noise);
        // Bad tag: a valid wrapped key, the last tag byte flipped.
        let mut bad_tag = raw.clone();
        let last = bad_tag.len() - 1;
        bad_tag[last] ^= 1;
        let classes = [
            ("valid", STANDARD.encode(&raw)),
            ("bad OAEP", STANDARD.encode(&bad_oaep)),
            ("bad tag", STANDARD.encode(&bad_tag)),
        ];
        let mut times: [Vec<f64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        let mut order: Vec<usize> = (0..samples * 3).map(|i| i % 3).collect();
        shuffle(&mut order);
        for _ in 0..50 {
            for (_, v) in &classes {
                let _ = d.decrypt_bytes(v, &enc);
            }
        }
        for &c in &order {
            let t = Instant::now();
            let r = d.decrypt_bytes(&classes[c].1, &enc);
            let ns = t.elapsed().as_nanos() as f64;
            assert_eq!(r.is_ok(), c == 0);
            if let Err(e) = r {
                assert_eq!(e.code(), "authentication_failed");
            }
            times[c].push(ns);
        }
        println!(
            "backend {} ({} samples per class, RSA-2048):",
            backend.name(),
            samples
        );
        let mut summary = Vec::new();
        for (i, (name, _)) in classes.iter().enumerate() {
            let (median, mean, var, p10, p90) = stats(&mut times[i]);
            println!(
                "  {name:<9} median {:>8.1} µs  mean {:>8.1} µs  p10 {:>8.1}  p90 {:>8.1}",
                median / 1e3,
                mean / 1e3,
                p10 / 1e3,
                p90 / 1e3
            );
            summary.push((mean, var));
        }
        let t_fail = welch(summary[1], samples, summary[2], samples);
        let t_valid = welch(summary[0], samples, summary[1], samples);
        println!(
            "  Welch t, bad OAEP vs bad tag: {t_fail:>7.2}   (the two failures; one error, one path)"
        );
        println!("  Welch t, valid vs bad OAEP:   {t_valid:>7.2}   (success vs failure)");
    }
}

fn fill_noise(buf: &mut [u8]) {
    // A value Port never sends; a fixed-seed xorshift is enough to make it unlike a real wrap.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for b in buf {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = (x >> 24) as u8;
    }
}

fn shuffle(v: &mut [usize]) {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = (x % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}
