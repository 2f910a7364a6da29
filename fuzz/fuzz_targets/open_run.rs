#![no_main]
//! The run API on arbitrary deliveries: `Decryptor::open_webhook` (Port and agent signing,
//! verification on and off) and `Decryptor::open_kafka_message` (on and off).
//!
//! Input: one mode byte, then the delivery. Mode bits 0-1: port, agent, kafka, kafka; bit 2:
//! verify the signature; bit 3: definitions from a names list (`options.user_inputs`) instead of
//! the body. With verification on, a webhook's input is `signature NUL timestamp NUL body` (the
//! two header values), so the fuzzer reaches the header and timestamp checks; the clock is
//! fixed at the timestamp the seeds were signed with.
use libfuzzer_sys::fuzz_target;
use port_secret_core::{Delivery, RunOptions};
use serde_json::json;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let verify = mode & 4 != 0;
    let mut options = RunOptions {
        verify_signature: verify,
        now: Some(1_764_583_200),
        ..RunOptions::default()
    };
    if mode & 8 != 0 {
        options.user_inputs = Some(json!(["db_password", "vendor_api_key", "config"]));
    }
    let d = common::decryptor();
    match mode & 3 {
        0 | 1 => {
            options.delivery = if mode & 3 == 0 {
                Delivery::Port
            } else {
                Delivery::Agent
            };
            let (headers, body) = if verify {
                let mut parts = rest.splitn(3, |b| *b == 0);
                let sig = parts.next().unwrap_or_default();
                let ts = parts.next().unwrap_or_default();
                let body = parts.next().unwrap_or_default();
                (
                    vec![("X-Port-Signature", sig), ("x-port-timestamp", ts)],
                    body,
                )
            } else {
                (vec![("content-type", &b"application/json"[..])], rest)
            };
            common::check(d.open_webhook(body, &headers, &options));
        }
        _ => common::check(d.open_kafka_message(rest, &options)),
    }
});
