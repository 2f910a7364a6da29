//! Property tests: arbitrary bytes round-trip through every format, and changing any single
//! byte of a value (or cutting it anywhere) makes decryption fail with a typed error.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use port_secret_core::{
    Decryptor, Encryption, encrypt_aes256_gcm, encrypt_client_side, encrypt_fernet,
    generate_key_pair,
};
use proptest::prelude::*;

const SECRET: &str = "prop-client-secret-0123456789abcdefghijklmnop";

fn decryptor() -> &'static (Decryptor, String) {
    static D: OnceLock<(Decryptor, String)> = OnceLock::new();
    D.get_or_init(|| {
        let kp = generate_key_pair(2048).expect("keygen");
        let d = Decryptor::builder()
            .client_secret(SECRET)
            .private_key_pem(&kp.private_key_pem)
            .build()
            .expect("build");
        (d, kp.public_key_pem)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn round_trip_arbitrary_bytes(pt in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let (d, public) = decryptor();
        let v = encrypt_aes256_gcm(&pt, SECRET).expect("encrypt");
        prop_assert_eq!(d.decrypt_bytes(&v, &Encryption::Aes256Gcm).expect("decrypt").as_bytes().to_vec(), pt.clone());
        let t = encrypt_fernet(&pt, SECRET).expect("encrypt");
        prop_assert_eq!(d.decrypt_bytes(&t, &Encryption::Fernet).expect("decrypt").as_bytes().to_vec(), pt.clone());
        let c = encrypt_client_side(&pt, public).expect("encrypt");
        prop_assert_eq!(d.decrypt_bytes(&c, &Encryption::ClientSide { key: None }).expect("decrypt").as_bytes().to_vec(), pt.clone());
    }

    #[test]
    fn tampering_any_byte_fails(pt in proptest::collection::vec(any::<u8>(), 0..256), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (d, public) = decryptor();
        let cases = [
            (Encryption::Aes256Gcm, STANDARD.decode(encrypt_aes256_gcm(&pt, SECRET).expect("e")).expect("b64"), false),
            (Encryption::ClientSide { key: None }, STANDARD.decode(encrypt_client_side(&pt, public).expect("e")).expect("b64"), false),
            (Encryption::Fernet, URL_SAFE.decode(encrypt_fernet(&pt, SECRET).expect("e")).expect("b64"), true),
        ];
        for (enc, mut raw, url) in cases {
            let i = at.index(raw.len());
            raw[i] ^= 1 << bit;
            let v = if url { URL_SAFE.encode(&raw) } else { STANDARD.encode(&raw) };
            let err = d.decrypt_bytes(&v, &enc).expect_err("tampered value must fail");
            prop_assert_eq!(err.code(), "authentication_failed", "{:?} byte {}", enc, i);
        }
    }

    #[test]
    fn truncation_fails(pt in proptest::collection::vec(any::<u8>(), 0..64), cut in any::<prop::sample::Index>()) {
        let (d, _) = decryptor();
        let raw = STANDARD.decode(encrypt_aes256_gcm(&pt, SECRET).expect("e")).expect("b64");
        let n = cut.index(raw.len());
        let err = d.decrypt_bytes(STANDARD.encode(&raw[..n]), &Encryption::Aes256Gcm).expect_err("must fail");
        let want = match n {
            0 => "invalid_base64", // an empty value is not base64
            1..32 => "malformed",
            _ => "authentication_failed",
        };
        prop_assert_eq!(err.code(), want);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,300}") {
        let (d, _) = decryptor();
        for enc in [Encryption::Aes256Gcm, Encryption::Fernet, Encryption::ClientSide { key: None }] {
            prop_assert!(d.decrypt(&s, &enc).is_err());
        }
    }
}
