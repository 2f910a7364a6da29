#![allow(dead_code)] // each target uses part of the fixtures
// Shared fixtures for the fuzz targets: one Decryptor with the vectors' demo keys, built once.
use std::sync::OnceLock;

use port_secret_core::Decryptor;

/// The demo client secret (examples/demo): the demo body's values open under it.
pub const SECRET: &str = "DEMO-ONLY-not-a-real-port-client-secret-7f3a9c2e51b84d06a1e5";

const DEMO_KEY: &str = include_str!("../../examples/demo/private_key.pem");
const VECTOR_KEY: &str = include_str!("../../tests/vectors/keys/rsa2048_pkcs8.pem");

fn build(keys: &[&str]) -> Decryptor {
    keys.iter()
        .fold(Decryptor::builder().client_secret(SECRET), |b, pem| {
            b.private_key_pem(pem)
        })
        .build()
        .expect("fixture keys parse")
}

pub fn decryptor() -> &'static Decryptor {
    static D: OnceLock<Decryptor> = OnceLock::new();
    D.get_or_init(|| build(&[DEMO_KEY, VECTOR_KEY]))
}

/// One key only: each client-side input that reaches RSA-OAEP then costs one private-key
/// operation instead of one per key, which doubles executions per second for
/// `decrypt_client_side` (rotation over several keys is covered by the vector tests).
pub fn decryptor_one_key() -> &'static Decryptor {
    static D: OnceLock<Decryptor> = OnceLock::new();
    D.get_or_init(|| build(&[DEMO_KEY]))
}

/// Every error must carry one of the taxonomy's codes (never a panic, never an unknown code).
pub fn check<T>(r: port_secret_core::Result<T>) {
    if let Err(e) = r {
        assert!(port_secret_core::ErrorKind::ALL.contains(&e.kind()));
    }
}
