//! Scaling report (not a test): `Decryptor::decrypt_properties` must cost the same per input
//! whether a run has 10 inputs or 100 000, i.e. no quadratic path over inputs, definitions or
//! untouched properties. Prints the time per input for growing sizes and the ratio of the
//! largest size's per-input time to the smallest's (about 1 when linear; a quadratic path
//! would make it grow with the size ratio, here 10 000x).
//!
//!     make bench-bins && target/release/properties_scaling [inputs per size]
//!
//! (default 1 000 000 inputs timed per size, at least 3 runs). Expect the largest size to be a
//! few times slower per input than the smallest: its maps no longer fit in the CPU caches.
//!
//! Three shapes: every input encrypted (aes256-gcm); many plain properties next to one
//! encrypted input; many encrypted definitions whose values are absent (skipped).

#![allow(clippy::cast_precision_loss)] // sizes and nanoseconds in a printed report

use std::hint::black_box;
use std::time::Instant;

use port_secret_core::{Decryptor, encrypt_aes256_gcm};
use serde_json::{Map, Value, json};

const SECRET: &str = "scaling-report-client-secret-0123456789abcdef";
const SIZES: [usize; 5] = [10, 100, 1_000, 10_000, 100_000];

fn shape(kind: &str, n: usize, value: &str) -> (Value, Value) {
    let mut props = Map::new();
    let mut defs = Map::new();
    for i in 0..n {
        let name = format!("input_{i}");
        match kind {
            "encrypted" => {
                props.insert(name.clone(), Value::String(value.to_owned()));
                defs.insert(name, json!({"type": "string", "encryption": "aes256-gcm"}));
            }
            "plain" => {
                props.insert(name.clone(), json!({"nested": [i, "text"]}));
                defs.insert(name, json!({"type": "object"}));
            }
            _ => {
                defs.insert(name, json!({"type": "string", "encryption": "aes256-gcm"}));
            }
        }
    }
    props.insert("secret".into(), Value::String(value.to_owned()));
    defs.insert(
        "secret".into(),
        json!({"type": "string", "encryption": "aes256-gcm"}),
    );
    (Value::Object(props), json!({ "properties": defs }))
}

fn main() {
    let budget: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("decryptor");
    let value = encrypt_aes256_gcm(b"a short secret value", SECRET).expect("encrypt");
    for kind in ["encrypted", "plain", "absent"] {
        println!("shape {kind}:");
        let mut per_input = Vec::new();
        for n in SIZES {
            let (props, inputs) = shape(kind, n, &value);
            // Enough repetitions for `budget` inputs per size, at least 3.
            let reps = (budget / n).max(3);
            let out = d.decrypt_properties(&props, &inputs).expect("decrypts");
            assert_eq!(out["secret"], "a short secret value");
            let start = Instant::now();
            for _ in 0..reps {
                black_box(
                    d.decrypt_properties(black_box(&props), &inputs)
                        .expect("decrypts"),
                );
            }
            let ns = start.elapsed().as_nanos() as f64 / (reps * (n + 1)) as f64;
            println!("  {n:>7} inputs  {ns:>8.1} ns per input  ({reps} runs)");
            per_input.push(ns);
        }
        let ratio = per_input[per_input.len() - 1] / per_input[0];
        println!(
            "  per-input time, {} vs {} inputs: {ratio:.2}x (linear ~1x; quadratic would be ~{}x)",
            SIZES[SIZES.len() - 1],
            SIZES[0],
            SIZES[SIZES.len() - 1] / SIZES[0]
        );
    }
}
