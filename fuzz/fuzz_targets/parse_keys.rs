#![no_main]
//! Arbitrary text as a private key PEM, a public key PEM, and an `encryption` value.
use libfuzzer_sys::fuzz_target;
use port_secret_core::{Decryptor, Encryption};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    common::check(Decryptor::builder().private_key_pem(&text).build());
    common::check(port_secret_core::encrypt_client_side(b"x", &text));
    common::check(Encryption::from_json_str(&text));
    common::check(Decryptor::builder().client_secret(&text).build());
});
