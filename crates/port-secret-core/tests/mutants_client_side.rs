//! `client-side` edge cases next to the mutation run (scripts/mutants.sh; client_side.rs had no
//! survivor): a wrapped key of the wrong length is `authentication_failed` (never a panic in
//! the key copy), and the exact minimum length of a value.
#![cfg(feature = "rsa")]

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use port_secret_core::{
    Decryptor, Encryption, ErrorKind, decrypt_client_side, decrypt_client_side_bytes,
    encrypt_client_side,
};
use rsa::pkcs8::DecodePublicKey;
use rsa::sha2::Sha256;

fn key(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/vectors/keys")
            .join(name),
    )
    .expect("key file")
}

fn kind<T>(r: port_secret_core::Result<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

/// IV ‖ OAEP(`aes_key`) ‖ `rest`, base64: a value whose wrapped key is whatever we choose.
fn value_wrapping(aes_key: &[u8], rest: &[u8]) -> String {
    let public = rsa::PublicKey::from_public_key_pem(&key("rsa2048_public.pem")).expect("spki");
    let wrapped = public.oaep_encrypt::<Sha256>(aes_key).expect("oaep");
    assert_eq!(wrapped.len(), 256);
    let mut raw = vec![9u8; 12];
    raw.extend_from_slice(&wrapped);
    raw.extend_from_slice(rest);
    STANDARD.encode(raw)
}

#[test]
fn an_unwrapped_key_of_the_wrong_length_is_authentication_failed() {
    let private = key("rsa2048_pkcs8.pem");
    let d = Decryptor::builder()
        .private_key_pem(&private)
        .build()
        .expect("decryptor");
    for len in [0usize, 16, 31, 33, 64] {
        let v = value_wrapping(&vec![1u8; len], &[0u8; 16 + 5]);
        assert_eq!(
            kind(decrypt_client_side(&v, &private)),
            Some(ErrorKind::AuthenticationFailed),
            "wrapped key of {len} bytes"
        );
        assert_eq!(
            kind(d.decrypt(&v, &Encryption::ClientSide { key: None })),
            Some(ErrorKind::AuthenticationFailed)
        );
    }
    // A 32-byte key with a wrong tag: the same error.
    let v = value_wrapping(&[1u8; 32], &[0u8; 16 + 5]);
    assert_eq!(
        kind(decrypt_client_side(&v, &private)),
        Some(ErrorKind::AuthenticationFailed)
    );
}

#[test]
fn the_shortest_value_is_iv_wrapped_key_and_tag() {
    let private = key("rsa2048_pkcs8.pem");
    let v = encrypt_client_side("", &key("rsa2048_public.pem")).expect("encrypt");
    let raw = STANDARD.decode(&v).expect("base64");
    assert_eq!(raw.len(), 12 + 256 + 16);
    assert!(
        decrypt_client_side_bytes(&v, &private)
            .expect("empty plaintext")
            .is_empty()
    );
    // One byte shorter: malformed, whatever the bytes.
    let short = STANDARD.encode(&raw[..raw.len() - 1]);
    assert_eq!(
        kind(decrypt_client_side(&short, &private)),
        Some(ErrorKind::Malformed)
    );
    let d = Decryptor::builder()
        .private_key_pem(&private)
        .build()
        .expect("decryptor");
    let cs = Encryption::ClientSide { key: None };
    assert_eq!(kind(d.decrypt(&short, &cs)), Some(ErrorKind::Malformed));
    assert_eq!(&*d.decrypt(&v, &cs).expect("empty"), "");
}
