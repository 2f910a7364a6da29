//! Behaviour of the public API: round trips, rotation, `decrypt_properties`, size caps, error
//! codes, and that nothing secret reaches `Debug` or `Display`.

use std::path::Path;
use std::sync::OnceLock;

use port_secret_core::{
    Decryptor, Encryption, ErrorKind, decrypt_aes256_gcm, decrypt_client_side, decrypt_fernet,
    encrypt_aes256_gcm, encrypt_client_side, encrypt_fernet, generate_key_pair, sign_payload,
    verify_signature, verify_signature_at,
};
use serde_json::json;

const SECRET: &str = "test-client-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const OTHER_SECRET: &str = "other-client-secret-9876543210zyxwvutsrqponmlkjihgfedcba";

fn key(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/vectors/keys")
            .join(name),
    )
    .expect("key file")
}

fn pair() -> &'static (String, String) {
    static PAIR: OnceLock<(String, String)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let kp = generate_key_pair(2048).expect("keygen");
        (kp.private_key_pem.as_str().to_owned(), kp.public_key_pem)
    })
}

fn code<T>(r: port_secret_core::Result<T>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn round_trips_every_format() {
    for pt in [
        "",
        "a",
        "hunter2",
        "multi\nline\r\nsecret",
        "ünïcødé 🔑",
        &"x".repeat(70_000),
    ] {
        let v = encrypt_aes256_gcm(pt, SECRET).expect("encrypt");
        assert_eq!(&*decrypt_aes256_gcm(&v, SECRET).expect("decrypt"), pt);
        let t = encrypt_fernet(pt, SECRET).expect("encrypt");
        assert_eq!(&*decrypt_fernet(&t, SECRET, Some(60)).expect("decrypt"), pt);
        let (private, public) = pair();
        let c = encrypt_client_side(pt, public).expect("encrypt");
        assert_eq!(&*decrypt_client_side(&c, private).expect("decrypt"), pt);
    }
}

#[test]
fn client_side_all_key_sizes_and_pkcs1() {
    for bits in ["2048", "3072", "4096"] {
        let public = key(&format!("rsa{bits}_public.pem"));
        let v = encrypt_client_side("s3cret", &public).expect("encrypt");
        let raw_len = v.len() / 4 * 3;
        assert!(raw_len >= 12 + 256 + 16);
        assert_eq!(
            &*decrypt_client_side(&v, &key(&format!("rsa{bits}_pkcs8.pem"))).expect("pkcs8"),
            "s3cret"
        );
        assert_eq!(
            &*decrypt_client_side(&v, &key(&format!("rsa{bits}_pkcs1.pem"))).expect("pkcs1"),
            "s3cret"
        );
    }
}

#[test]
fn encryption_is_randomized() {
    assert_ne!(
        encrypt_aes256_gcm("same", SECRET).ok(),
        encrypt_aes256_gcm("same", SECRET).ok()
    );
    assert_ne!(
        encrypt_fernet("same", SECRET).ok(),
        encrypt_fernet("same", SECRET).ok()
    );
}

#[test]
fn key_errors() {
    assert_eq!(code(decrypt_aes256_gcm("AAAA", "short")), "invalid_key");
    assert_eq!(
        code(encrypt_aes256_gcm("x", &"a".repeat(31))),
        "invalid_key"
    );
    assert_eq!(code(encrypt_aes256_gcm("x", &"a".repeat(32))), "ok");
    assert_eq!(code(encrypt_fernet("x", "")), "invalid_key");
    assert_eq!(code(generate_key_pair(1024)), "invalid_key");
    assert_eq!(
        code(decrypt_client_side("AAAA", "not a pem")),
        "invalid_key"
    );
    assert_eq!(
        code(decrypt_client_side("AAAA", &key("rsa2048_public.pem"))),
        "invalid_key"
    );
    assert_eq!(
        code(encrypt_client_side("x", &key("rsa2048_pkcs8.pem"))),
        "invalid_key"
    );
    assert_eq!(code(Decryptor::new::<&str, &str>(&[], &[])), "invalid_key");
    assert_eq!(code(sign_payload("b", "1", "")), "invalid_key");
}

#[test]
fn tamper_and_truncate() {
    let v = encrypt_aes256_gcm("payload!", SECRET).expect("encrypt"); // 40 bytes: one "=" of padding
    assert!(v.ends_with('='));
    assert_eq!(
        code(decrypt_aes256_gcm(&v, OTHER_SECRET)),
        "authentication_failed"
    );
    assert_eq!(
        code(decrypt_aes256_gcm(&v[..v.len() - 4], SECRET)),
        "authentication_failed"
    );
    assert_eq!(
        code(decrypt_aes256_gcm(
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            SECRET
        )),
        "malformed"
    );
    assert_eq!(
        code(decrypt_aes256_gcm(format!(" {v}"), SECRET)),
        "invalid_base64"
    );
    assert_eq!(
        code(decrypt_aes256_gcm(v.replace('=', ""), SECRET)),
        "invalid_base64"
    );
    assert_eq!(code(decrypt_aes256_gcm("", SECRET)), "invalid_base64");
}

#[test]
fn size_cap_is_checked_before_decoding() {
    let huge = "A".repeat(64 << 20);
    let started = std::time::Instant::now();
    assert_eq!(code(decrypt_aes256_gcm(&huge, SECRET)), "malformed");
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .max_input_len(100)
        .build()
        .expect("build");
    let v = encrypt_aes256_gcm("x".repeat(100), SECRET).expect("encrypt");
    assert_eq!(code(d.decrypt(&v, &Encryption::Aes256Gcm)), "malformed");
    assert_eq!(code(d.decrypt(&huge, &Encryption::Aes256Gcm)), "malformed");
    // Not a timing assertion: just that the rejection did not decode 64 MiB a few times over.
    println!("64 MiB values rejected in {:?}", started.elapsed());
}

#[test]
fn rotation_secrets_and_keys() {
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .client_secret(OTHER_SECRET)
        .private_key_pem(&key("rsa2048_pkcs8.pem"))
        .private_key_pem(&key("rsa2048b_pkcs8.pem"))
        .build()
        .expect("build");
    let old = encrypt_aes256_gcm("old", OTHER_SECRET).expect("encrypt");
    assert_eq!(
        &*d.decrypt(&old, &Encryption::Aes256Gcm).expect("rotated"),
        "old"
    );
    let f = encrypt_fernet("old", OTHER_SECRET).expect("encrypt");
    assert_eq!(
        &*d.decrypt(&f, &Encryption::Fernet).expect("rotated"),
        "old"
    );
    let b_public = key("rsa2048b_public.pem");
    let c = encrypt_client_side("second key", &b_public).expect("encrypt");
    assert_eq!(
        &*d.decrypt(&c, &Encryption::ClientSide { key: None })
            .expect("tries all"),
        "second key"
    );
    let selected = Encryption::ClientSide {
        key: Some(b_public),
    };
    assert_eq!(&*d.decrypt(&c, &selected).expect("selected"), "second key");
    // A public key that selects the wrong private key fails authentication.
    let wrong = Encryption::ClientSide {
        key: Some(key("rsa2048_public.pem")),
    };
    assert_eq!(code(d.decrypt(&c, &wrong)), "authentication_failed");
    let now = 1_700_000_000;
    let sig = sign_payload("{}", &now.to_string(), OTHER_SECRET).expect("sign");
    assert_eq!(
        code(d.verify_signature_at("{}", &sig, now.to_string(), 300, now)),
        "ok"
    );
}

#[test]
fn missing_key_kinds() {
    let only_secret = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("build");
    let c = encrypt_client_side("x", &key("rsa2048_public.pem")).expect("encrypt");
    assert_eq!(
        code(only_secret.decrypt(&c, &Encryption::ClientSide { key: None })),
        "invalid_key"
    );
    let only_key = Decryptor::builder()
        .private_key_pem(&key("rsa2048_pkcs1.pem"))
        .build()
        .expect("build");
    let v = encrypt_aes256_gcm("x", SECRET).expect("encrypt");
    assert_eq!(
        code(only_key.decrypt(&v, &Encryption::Aes256Gcm)),
        "invalid_key"
    );
    assert_eq!(
        code(only_key.verify_signature("{}", "v1,AAAA", "1", 300)),
        "invalid_key"
    );
}

#[test]
fn encryption_parsing() {
    assert_eq!(
        Encryption::from_json(&json!("aes256-gcm")).ok(),
        Some(Encryption::Aes256Gcm)
    );
    assert_eq!(
        Encryption::from_json(&json!("fernet")).ok(),
        Some(Encryption::Fernet)
    );
    assert_eq!(
        Encryption::from_json(&json!({"algorithm": "client-side", "key": "PEM"})).ok(),
        Some(Encryption::ClientSide {
            key: Some("PEM".into())
        })
    );
    assert_eq!(
        Encryption::from_json_str("client-side").ok(),
        Some(Encryption::ClientSide { key: None })
    );
    assert_eq!(
        Encryption::from_json_str("\"fernet\"").ok(),
        Some(Encryption::Fernet)
    );
    for bad in [
        json!("aes128-gcm"),
        json!(3),
        json!({"algorithm": "rot13"}),
        json!({"key": "x"}),
        json!(null),
    ] {
        assert_eq!(
            code(Encryption::from_json(&bad)),
            "unsupported_encryption",
            "{bad}"
        );
    }
}

fn demo_inputs(public: &str) -> serde_json::Value {
    json!({
        "properties": {
            "password": {"type": "string", "encryption": "aes256-gcm"},
            "config": {"type": "object", "encryption": "aes256-gcm"},
            "certificate": {"type": "string", "format": "multi-line", "encryption": "aes256-gcm"},
            "apiKey": {"type": "string", "encryption": {"algorithm": "client-side", "key": public}},
            "legacy": {"type": "string", "encryption": "fernet"},
            "optional": {"type": "string", "encryption": "aes256-gcm"},
            "region": {"type": "string"}
        },
        "required": ["password"]
    })
}

#[test]
fn decrypt_properties_whole_run() {
    let (private, public) = pair();
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .private_key_pem(private)
        .build()
        .expect("build");
    let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let props = json!({
        "password": encrypt_aes256_gcm("hunter2", SECRET).expect("e"),
        "config": encrypt_aes256_gcm(r#"{"user":"admin","port":5432}"#, SECRET).expect("e"),
        "certificate": encrypt_aes256_gcm(cert, SECRET).expect("e"),
        "apiKey": encrypt_client_side("sk-live-123", public).expect("e"),
        "legacy": encrypt_fernet("old-value", SECRET).expect("e"),
        "optional": null,
        "region": "eu-west-1"
    });
    let user_inputs = demo_inputs(public);
    let out = d
        .decrypt_properties(&props, &user_inputs)
        .expect("decrypts");
    assert_eq!(
        out,
        json!({
            "password": "hunter2",
            "config": {"user": "admin", "port": 5432},
            "certificate": cert,
            "apiKey": "sk-live-123",
            "legacy": "old-value",
            "optional": null,
            "region": "eu-west-1"
        })
    );
    // The bare properties map works the same.
    let out2 = d
        .decrypt_properties(&props, &user_inputs["properties"])
        .expect("decrypts");
    assert_eq!(out, out2);
}

#[test]
fn decrypt_properties_errors_name_the_input_not_the_value() {
    let (private, public) = pair();
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .private_key_pem(private)
        .build()
        .expect("build");
    let user_inputs = demo_inputs(public);
    let cases = [
        (json!({"password": 12345}), "malformed"),
        (
            json!({"password": {"nested": "hunter2-secret-value"}}),
            "malformed",
        ),
        (json!({"password": "not base64 hunter2"}), "invalid_base64"),
        (
            json!({"password": encrypt_aes256_gcm("x", OTHER_SECRET).expect("e")}),
            "authentication_failed",
        ),
        (
            json!({"config": encrypt_aes256_gcm("not json hunter2", SECRET).expect("e")}),
            "invalid_json",
        ),
    ];
    for (props, want) in cases {
        let err = d
            .decrypt_properties(&props, &user_inputs)
            .expect_err("fails");
        assert_eq!(err.code(), want);
        assert!(err.input().is_some());
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains(SECRET));
    }
    let weird = json!({"x": {"type": "string", "encryption": "rot13"}});
    let err = d
        .decrypt_properties(&json!({"x": "AAAA"}), &weird)
        .expect_err("fails");
    assert_eq!(
        (err.code(), err.input()),
        ("unsupported_encryption", Some("x"))
    );
    assert_eq!(
        code(d.decrypt_properties(&json!([1]), &user_inputs)),
        "malformed"
    );
    assert_eq!(
        code(d.decrypt_properties(&json!({}), &json!("x"))),
        "malformed"
    );
}

#[test]
fn nothing_secret_in_debug_or_display() {
    let (private, _) = pair();
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .private_key_pem(private)
        .build()
        .expect("build");
    let v = encrypt_aes256_gcm("hunter2-plaintext", SECRET).expect("e");
    let pt = d.decrypt_bytes(&v, &Encryption::Aes256Gcm).expect("d");
    let text = d.decrypt(&v, &Encryption::Aes256Gcm).expect("d");
    let kp = generate_key_pair(2048).expect("keygen");
    let builder = Decryptor::builder().client_secret(SECRET);
    let shown = format!("{d:?} {pt:?} {text:?} {kp:?} {builder:?}");
    for secret in [SECRET, "hunter2", "PRIVATE KEY", &private[40..80]] {
        assert!(!shown.contains(secret), "{secret:?} leaked in {shown}");
    }
    let err = decrypt_aes256_gcm(&v, OTHER_SECRET).expect_err("fails");
    assert!(!format!("{err} {err:?}").contains(OTHER_SECRET));
}

#[test]
fn signatures() {
    let body = br#"{"action":"deploy","payload":{"x":1}}"#;
    let now: i64 = 1_700_000_000;
    let ts = now.to_string();
    let sig = sign_payload(body, &ts, SECRET).expect("sign");
    assert!(sig.starts_with("v1,"));
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, SECRET, 300, now)),
        "ok"
    );
    assert_eq!(
        code(verify_signature_at(
            body,
            format!("v1,AAAA {sig}"),
            &ts,
            SECRET,
            300,
            now
        )),
        "ok"
    );
    assert_eq!(
        code(verify_signature_at(&body[1..], &sig, &ts, SECRET, 300, now)),
        "invalid_signature"
    );
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, OTHER_SECRET, 300, now)),
        "invalid_signature"
    );
    assert_eq!(
        code(verify_signature_at(body, &sig[3..], &ts, SECRET, 300, now)),
        "invalid_signature"
    );
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, SECRET, 300, now + 301)),
        "expired"
    );
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, SECRET, 300, now - 301)),
        "expired"
    );
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, SECRET, 300, now + 300)),
        "ok"
    );
    // The whole secret is the key, not its first 32 bytes.
    let truncated = &SECRET[..32];
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, truncated, 300, now)),
        "invalid_signature"
    );
    // And against the real clock:
    let real = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        .to_string();
    let sig = sign_payload(body, &real, SECRET).expect("sign");
    assert_eq!(code(verify_signature(body, &sig, &real, SECRET, 300)), "ok");
}

#[test]
fn error_kinds_have_stable_codes() {
    let codes: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(
        codes,
        [
            "invalid_base64",
            "malformed",
            "authentication_failed",
            "invalid_key",
            "invalid_utf8",
            "invalid_json",
            "expired",
            "unsupported_encryption",
            "invalid_signature"
        ]
    );
}

#[test]
fn decryptor_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Decryptor>();
    let d = std::sync::Arc::new(
        Decryptor::builder()
            .client_secret(SECRET)
            .build()
            .expect("build"),
    );
    let v = encrypt_aes256_gcm("shared", SECRET).expect("e");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (d, v) = (d.clone(), v.clone());
            std::thread::spawn(move || {
                (0..200).all(|_| d.decrypt(&v, &Encryption::Aes256Gcm).is_ok())
            })
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().expect("thread")));
}

/// A client secret read from a file keeps its trailing newline: refused with `invalid_key` in
/// every entry point, never a silent `invalid_signature` on every webhook while decryption works.
#[test]
fn client_secret_with_white_space_is_invalid_key() {
    let secret = "demo-client-secret-0123456789abcdefghijkl";
    let value = port_secret_core::encrypt_aes256_gcm("s3cr3t", secret).expect("encrypt");
    for padded in [
        format!("{secret}\n"),
        format!(" {secret}"),
        format!("{secret}\r\n"),
    ] {
        let code = |r: Result<(), port_secret_core::Error>| r.map_err(|e| e.code()).err();
        assert_eq!(
            code(
                Decryptor::builder()
                    .client_secret(&padded)
                    .build()
                    .map(drop)
            ),
            Some("invalid_key")
        );
        assert_eq!(
            code(port_secret_core::decrypt_aes256_gcm(&value, &padded).map(drop)),
            Some("invalid_key")
        );
        assert_eq!(
            code(port_secret_core::sign_payload("{}", "1700000000", &padded).map(drop)),
            Some("invalid_key")
        );
        assert_eq!(
            code(port_secret_core::verify_signature(
                "{}",
                "v1,AAAA",
                "1700000000",
                &padded,
                300
            )),
            Some("invalid_key")
        );
    }
}

/// `sign_payload(body, timestamp, client_secret)`: a timestamp that is not an integer is
/// refused instead of signed.
#[test]
fn sign_payload_refuses_a_timestamp_that_is_not_an_integer() {
    for ts in ["", "now", "1700000000.5", " 1700000000", "1e9", SECRET] {
        let err = sign_payload("{}", ts, SECRET).expect_err("refused");
        assert_eq!(err.code(), "malformed", "{ts:?}");
    }
}

/// One argument order for the one-shot functions: what was signed first (body, timestamp), the
/// key last, as in `verify_signature`. A call in the old order `(body, client_secret, timestamp)`
/// puts the secret where the timestamp goes and is refused as `malformed`, never signed.
#[test]
fn sign_payload_takes_the_order_of_verify_signature() {
    let body = br#"{"action":"deploy"}"#;
    let now: i64 = 1_700_000_000;
    let ts = now.to_string();
    // The old order: refused, never a signature made with a 10-character "secret".
    let err = sign_payload(body, SECRET, &ts).expect_err("old order refused");
    assert_eq!(err.code(), "malformed");
    assert!(!err.to_string().contains(SECRET), "{err}");
    // The new order: a signature that verify_signature (same order, plus the signature) accepts.
    let sig = sign_payload(body, &ts, SECRET).expect("sign");
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, SECRET, 300, now)),
        "ok"
    );
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, OTHER_SECRET, 300, now)),
        "invalid_signature"
    );
}
