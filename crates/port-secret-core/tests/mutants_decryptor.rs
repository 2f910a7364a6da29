//! `Decryptor` behaviour written to kill cargo-mutants survivors (scripts/mutants.sh): what
//! `Debug` shows, the accessors, the client-side input cap at its boundary, key selection by
//! the action's public key, numbers out of range in decrypted JSON, and definitions.

use std::path::Path;

use port_secret_core::{
    Decryptor, Encryption, ErrorKind, RunOptions, encrypt_aes256_gcm, encrypt_client_side,
    encrypt_fernet_from_parts,
};
use serde_json::{Value, json};

const SECRET: &str = "mutants-decryptor-secret-0123456789abcdefghijkl";

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

#[test]
fn debug_shows_counts_and_never_keys() {
    let private = key("rsa2048_pkcs8.pem");
    let builder = Decryptor::builder()
        .client_secret(SECRET)
        .private_key_pem(&private)
        .max_input_len(1234);
    let shown = format!("{builder:?}");
    assert!(shown.contains("DecryptorBuilder"), "{shown}");
    assert!(shown.contains("client_secrets: 1"), "{shown}");
    assert!(shown.contains("private_keys: 1"), "{shown}");
    assert!(
        !shown.contains(SECRET) && !shown.contains("PRIVATE"),
        "{shown}"
    );
    let d = builder.build().expect("decryptor");
    let shown = format!("{d:?}");
    assert!(shown.contains("Decryptor"), "{shown}");
    assert!(shown.contains("client_secrets: 1"), "{shown}");
    assert!(shown.contains("private_keys: 1"), "{shown}");
    assert!(shown.contains("max_input_len: 1234"), "{shown}");
    assert!(
        !shown.contains(SECRET) && !shown.contains("PRIVATE"),
        "{shown}"
    );
}

#[test]
fn accessors() {
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .client_secret("another-client-secret-0123456789abcdefghijkl")
        .private_key_pem(&key("rsa2048_pkcs8.pem"))
        .private_key_pem(&key("rsa3072_pkcs8.pem"))
        .private_key_pem(&key("rsa4096_pkcs8.pem"))
        .max_input_len(77)
        .build()
        .expect("decryptor");
    assert_eq!(d.client_secret_count(), 2);
    assert_eq!(d.private_key_count(), 3);
    assert_eq!(d.max_input_len(), 77);
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("decryptor");
    assert_eq!(d.private_key_count(), 0);
    assert_eq!(d.max_input_len(), port_secret_core::DEFAULT_MAX_INPUT_LEN);
    // Only private keys: fine, and client-secret encryptions are then invalid_key.
    let d = Decryptor::builder()
        .private_key_pem(&key("rsa2048_pkcs8.pem"))
        .build()
        .expect("keys only");
    assert_eq!(d.client_secret_count(), 0);
    let v = encrypt_aes256_gcm("x", SECRET).expect("encrypt");
    assert_eq!(
        kind(d.decrypt(&v, &Encryption::Aes256Gcm)),
        Some(ErrorKind::InvalidKey)
    );
    assert_eq!(
        kind(d.verify_signature_at("{}", "v1,AAAA", "1", 300, 1)),
        Some(ErrorKind::InvalidKey)
    );
}

/// A run whose properties hold `client_side` client-side values and `plain` aes256-gcm ones,
/// plus one client-side input left empty (`null`).
fn run_with(client_side: usize, plain: usize) -> (Value, RunOptions) {
    let public = key("rsa2048_public.pem");
    let mut props = serde_json::Map::new();
    let mut defs = serde_json::Map::new();
    for i in 0..client_side {
        let v = encrypt_client_side(format!("cs{i}"), &public).expect("encrypt");
        props.insert(format!("cs{i}"), Value::String(v));
        defs.insert(
            format!("cs{i}"),
            json!({"type": "string", "encryption": {"algorithm": "client-side"}}),
        );
    }
    for i in 0..plain {
        let v = encrypt_aes256_gcm(format!("p{i}"), SECRET).expect("encrypt");
        props.insert(format!("p{i}"), Value::String(v));
        defs.insert(
            format!("p{i}"),
            json!({"type": "string", "encryption": "aes256-gcm"}),
        );
    }
    props.insert("empty".into(), Value::Null);
    defs.insert(
        "empty".into(),
        json!({"type": "string", "encryption": {"algorithm": "client-side"}}),
    );
    let run =
        json!({"payload": {"properties": props, "action": {"userInputs": {"properties": defs}}}});
    let options = RunOptions {
        verify_signature: false,
        ..RunOptions::default()
    };
    (run, options)
}

#[test]
fn the_client_side_cap_counts_only_client_side_inputs_with_a_value() {
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .private_key_pem(&key("rsa2048_pkcs8.pem"))
        .build()
        .expect("decryptor");
    let open = |cs: usize, plain: usize, cap: usize| {
        let (run, mut options) = run_with(cs, plain);
        options.max_client_side_inputs = cap;
        let body = serde_json::to_vec(&run).expect("json");
        d.open_webhook(&body, &[], &options)
    };
    // Exactly at the cap (the aes256-gcm inputs and the empty one do not count): opens.
    let run = open(2, 2, 2).expect("two client-side inputs, cap 2");
    assert_eq!(run["payload"]["properties"]["cs1"], "cs1");
    assert_eq!(run["payload"]["properties"]["p1"], "p1");
    assert_eq!(run["payload"]["properties"]["empty"], Value::Null);
    assert!(open(1, 3, 1).is_ok());
    // One over: malformed, naming the first input past the cap.
    let err = open(2, 1, 1).expect_err("over the cap");
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert_eq!(err.input(), Some("cs1"));
}

#[test]
fn the_actions_public_key_selects_the_private_key() {
    let right = key("rsa2048_pkcs8.pem");
    let wrong = key("rsa3072_pkcs8.pem");
    let public = key("rsa2048_public.pem");
    let v = encrypt_client_side("picked", &public).expect("encrypt");
    for keys in [[&wrong, &right], [&right, &wrong]] {
        let d = Decryptor::new::<&str, &String>(&[], &keys).expect("decryptor");
        for key in [Some(public.clone()), None, Some("not a pem".to_owned())] {
            let cs = Encryption::ClientSide { key };
            assert_eq!(&*d.decrypt(&v, &cs).expect("decrypt"), "picked");
        }
    }
    // A value too short for every configured key: malformed, not authentication_failed.
    let d = Decryptor::new::<&str, &String>(&[], &[&wrong]).expect("decryptor");
    let short = encrypt_client_side("", &public).expect("encrypt"); // fits 2048, not 3072
    assert_eq!(
        kind(d.decrypt(&short, &Encryption::ClientSide { key: None })),
        Some(ErrorKind::Malformed)
    );
    // Long enough but under the wrong key: authentication_failed.
    let long = encrypt_client_side("x".repeat(200), &public).expect("encrypt");
    assert_eq!(
        kind(d.decrypt(&long, &Encryption::ClientSide { key: None })),
        Some(ErrorKind::AuthenticationFailed)
    );
}

#[test]
fn decrypted_json_numbers_must_fit_a_double() {
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("decryptor");
    let json_of = |text: &str| {
        let v = encrypt_aes256_gcm(text, SECRET).expect("encrypt");
        d.decrypt_json(&v, &Encryption::Aes256Gcm)
    };
    for ok in [
        r#"{"a":1.5,"b":[1,2e10],"c":{"d":-0.0}}"#,
        "12345",
        "[]",
        r#""s""#,
    ] {
        assert!(json_of(ok).is_ok(), "{ok}");
    }
    for bad in ["1e400", "[1, -1e400]", r#"{"a":{"b":[1e999]}}"#] {
        assert_eq!(kind(json_of(bad)), Some(ErrorKind::InvalidJson), "{bad}");
    }
    assert_eq!(
        json_of(r#"{"a":[1e300]}"#).expect("in range")["a"][0],
        json!(1e300)
    );
}

#[test]
fn definitions_may_be_user_inputs_or_its_properties() {
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("decryptor");
    let v = encrypt_aes256_gcm("pw", SECRET).expect("encrypt");
    let props = json!({"properties": v, "other": "plain"});
    // An input named "properties": its definition has a string `type`, so the map holding it is
    // the definitions themselves, not a `userInputs` wrapper.
    let defs = json!({"properties": {"type": "string", "encryption": "aes256-gcm"}});
    let out = d.decrypt_properties(&props, &defs).expect("decrypt");
    assert_eq!(out["properties"], "pw");
    assert_eq!(out["other"], "plain");
    // The same definitions wrapped as `userInputs`.
    let wrapped = json!({"properties": defs});
    let out = d.decrypt_properties(&props, &wrapped).expect("decrypt");
    assert_eq!(out["properties"], "pw");
    // A definition that is not an object: malformed, naming it.
    let err = d
        .decrypt_properties(&props, &json!({"properties": {"properties": "aes256-gcm"}}))
        .expect_err("not an object");
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert_eq!(err.input(), Some("properties"));
    // Only a string `type` marks a definition: an input named "type" maps to an object.
    let props = json!({"type": v});
    let defs = json!({"properties": {"type": {"type": "string", "encryption": "aes256-gcm"}}});
    assert_eq!(
        d.decrypt_properties(&props, &defs).expect("decrypt")["type"],
        "pw"
    );
}

#[test]
fn fernet_ttl_is_kept_by_the_builder() {
    let old = encrypt_fernet_from_parts("old", SECRET, 1_000_000_000, [3; 16]).expect("encrypt");
    let with_ttl = Decryptor::builder()
        .client_secret(SECRET)
        .fernet_ttl(Some(60))
        .build()
        .expect("decryptor");
    assert_eq!(
        kind(with_ttl.decrypt(&old, &Encryption::Fernet)),
        Some(ErrorKind::Expired)
    );
    let without = Decryptor::builder()
        .client_secret(SECRET)
        .fernet_ttl(None)
        .build()
        .expect("decryptor");
    assert_eq!(
        &*without.decrypt(&old, &Encryption::Fernet).expect("no TTL"),
        "old"
    );
}
