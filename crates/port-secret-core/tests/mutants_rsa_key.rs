//! Key generation, written to kill cargo-mutants survivors of `rsa_key/` (scripts/mutants.sh):
//! the 3072 and 4096 arms of the AWS-LC backend's `generate`, and what `KeyPair`'s `Debug`
//! shows.

use port_secret_core::generate_key_pair;

#[cfg(feature = "aws-lc")]
#[test]
fn aws_lc_generates_every_key_size() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use port_secret_core::hazmat::Backend;
    use port_secret_core::{decrypt_client_side, encrypt_client_side};
    for bits in [3072usize, 4096] {
        let kp = port_secret_core::generate_key_pair_with(bits, Backend::AwsLc).expect("keygen");
        let v = encrypt_client_side("sized", &kp.public_key_pem).expect("encrypt");
        // IV, a wrapped key as long as the modulus, the plaintext, the tag.
        let raw = STANDARD.decode(&v).expect("base64");
        assert_eq!(raw.len(), 12 + bits / 8 + 5 + 16, "{bits} bits");
        assert_eq!(
            &*decrypt_client_side(&v, kp.private_key_pem.as_str()).expect("decrypt"),
            "sized"
        );
    }
}

#[test]
fn key_pair_debug_shows_the_public_key_only() {
    let kp = generate_key_pair(2048).expect("keygen");
    let shown = format!("{kp:?}");
    assert!(shown.starts_with("KeyPair {"), "{shown}");
    assert!(shown.contains("private_key_pem: \"[REDACTED]\""), "{shown}");
    assert!(shown.contains("BEGIN PUBLIC KEY"), "{shown}");
    assert!(!shown.contains("PRIVATE KEY-----"), "{shown}");
}
