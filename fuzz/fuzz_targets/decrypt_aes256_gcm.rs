#![no_main]
//! Arbitrary bytes as a `decrypt_aes256_gcm` value: typed error or plaintext, never a panic; and a value
//! this library made, with the fuzzer's bytes as plaintext, round-trips.
use libfuzzer_sys::fuzz_target;
use port_secret_core::Encryption;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let d = common::decryptor();
    common::check(d.decrypt_bytes(data, &Encryption::Aes256Gcm));
    common::check(d.decrypt(data, &Encryption::Aes256Gcm));
});
