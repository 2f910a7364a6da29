#![no_main]
//! Arbitrary bytes as a `client-side` value, and as a raw (decoded) value re-encoded, so the
//! fuzzer reaches the RSA-OAEP unwrap and GCM paths, not only the base64 decoder.
use libfuzzer_sys::fuzz_target;
use port_secret_core::Encryption;

#[path = "common.rs"]
mod common;

fn b64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let d = common::decryptor_one_key();
    let enc = Encryption::ClientSide { key: None };
    common::check(d.decrypt_bytes(data, &enc));
    common::check(d.decrypt_bytes(b64(data), &enc));
});
