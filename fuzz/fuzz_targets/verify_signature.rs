#![no_main]
//! Arbitrary body, signature header and timestamp header.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0);
    // Raw bytes: the headers reach core as bytes, non-UTF-8 included.
    let sig = parts.next().unwrap_or_default();
    let ts = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    common::check(common::decryptor().verify_signature_at(body, sig, ts, 300, 1_700_000_000));
    common::check(port_secret_core::verify_signature(body, sig, ts, common::SECRET, 300));
});
