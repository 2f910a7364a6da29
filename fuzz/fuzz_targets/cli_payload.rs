#![no_main]
//! The CLI's `decrypt-payload` path: an action definition and a body, split at the first NUL.
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let action = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let Ok(action) = serde_json::from_slice::<Value>(action) else {
        return;
    };
    common::check(port_secret_cli::decrypt_payload(
        common::decryptor(),
        &action,
        body,
        "/payload/properties",
    ));
});
