#![no_main]
//! The CLI's `decrypt-payload` path: one mode byte, then an action definition and a body split
//! at the first NUL (an empty action: the definitions come from the body).
//!
//! Mode byte: bits 0-1 the delivery (port, agent, kafka, kafka); bit 2 a (wrong) signature
//! given for a webhook, or verification on for Kafka; bits 3-7 ignored.
use libfuzzer_sys::fuzz_target;
use port_secret_cli::{PayloadDelivery, PayloadOptions};
use serde_json::Value;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(2, |b| *b == 0);
    let action = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let action = if action.is_empty() {
        None
    } else {
        match serde_json::from_slice::<Value>(action) {
            Ok(a) => Some(a),
            Err(_) => return,
        }
    };
    let delivery = match mode & 3 {
        0 => PayloadDelivery::Port,
        1 => PayloadDelivery::Agent,
        _ => PayloadDelivery::Kafka,
    };
    let check = mode & 4 != 0;
    let options = PayloadOptions {
        delivery,
        signature: (check && delivery != PayloadDelivery::Kafka)
            .then(|| ("v1,AAAA".to_owned(), "1764583200".to_owned())),
        verify_kafka: check,
        now: Some(1_764_583_200),
        ..PayloadOptions::default()
    };
    common::check(port_secret_cli::decrypt_payload(
        common::decryptor(),
        action.as_ref(),
        body,
        &options,
    ));
});
