//! `DecryptorBuilder::build` checks the options (every binding builds through it), and
//! `Encryption::from_json_str` is the one rule for an `encryption` given as text.

use port_secret_core::{Decryptor, Encryption, encrypt_aes256_gcm, encrypt_fernet};
use serde_json::json;

const SECRET: &str = "test-client-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const PRIVATE: &str = include_str!("../../../tests/vectors/keys/rsa2048_pkcs8.pem");

fn code<T: std::fmt::Debug>(r: port_secret_core::Result<T>) -> &'static str {
    r.expect_err("an error").code()
}

#[test]
fn max_input_len_zero_is_refused_as_malformed() {
    let err = Decryptor::builder()
        .client_secret(SECRET)
        .max_input_len(0)
        .build()
        .expect_err("0 is refused");
    assert_eq!(err.code(), "malformed");
    assert_eq!(err.reason(), "max_input_len must be a positive integer");
    // Checked before the keys: the same answer without any key, or with a bad one.
    assert_eq!(
        code(Decryptor::builder().max_input_len(0).build()),
        "malformed"
    );
    assert_eq!(
        code(
            Decryptor::builder()
                .client_secret("short")
                .max_input_len(0)
                .build()
        ),
        "malformed"
    );
    // The error says nothing of the keys.
    assert!(!format!("{err} {err:?}").contains(SECRET));
}

#[test]
fn positive_max_input_len_is_kept_and_applied() {
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .max_input_len(1)
        .build()
        .expect("1 is a valid cap");
    assert_eq!(d.max_input_len(), 1);
    let value = encrypt_aes256_gcm("x", SECRET).expect("encrypt");
    assert_eq!(code(d.decrypt(&value, &Encryption::Aes256Gcm)), "malformed");
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .max_input_len(usize::MAX)
        .build()
        .expect("no upper bound");
    assert_eq!(
        &*d.decrypt(&value, &Encryption::Aes256Gcm).expect("decrypt"),
        "x"
    );
    let default = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("build");
    assert_eq!(
        default.max_input_len(),
        port_secret_core::DEFAULT_MAX_INPUT_LEN
    );
}

#[test]
fn every_fernet_ttl_builds() {
    let token = encrypt_fernet("x", SECRET).expect("encrypt");
    for ttl in [None, Some(0), Some(1), Some(u64::MAX)] {
        let d = Decryptor::builder()
            .client_secret(SECRET)
            .fernet_ttl(ttl)
            .build()
            .expect("every ttl is meaningful");
        // A token made this second is inside every ttl (0 included) unless the second turns
        // between the two lines: then only ttl 0 may say expired.
        match d.decrypt(&token, &Encryption::Fernet) {
            Ok(text) => assert_eq!(&*text, "x"),
            Err(e) => assert!(ttl == Some(0) && e.code() == "expired", "{ttl:?}: {e}"),
        }
    }
}

#[test]
fn private_key_only_decryptor_still_checks_options() {
    assert_eq!(
        code(
            Decryptor::builder()
                .private_key_pem(PRIVATE)
                .max_input_len(0)
                .build()
        ),
        "malformed"
    );
    let d = Decryptor::builder()
        .private_key_pem(PRIVATE)
        .max_input_len(64)
        .build()
        .expect("build");
    assert_eq!(d.max_input_len(), 64);
}

#[test]
fn encryption_text_has_one_rule() {
    let cases = [
        ("aes256-gcm", Some(Encryption::Aes256Gcm)),
        ("fernet", Some(Encryption::Fernet)),
        ("client-side", Some(Encryption::ClientSide { key: None })),
        ("\"aes256-gcm\"", Some(Encryption::Aes256Gcm)),
        ("  \"fernet\"", Some(Encryption::Fernet)),
        (
            r#"{"algorithm":"client-side","key":"PEM"}"#,
            Some(Encryption::ClientSide {
                key: Some("PEM".into()),
            }),
        ),
        (r#"{"algorithm":"fernet"}"#, Some(Encryption::Fernet)),
        ("rot13", None),
        ("", None),
        (" fernet", None),
        ("fernet ", None),
        ("AES256-GCM", None),
        ("\"rot13\"", None),
        ("{not json", None),
        (r#"{"algorithm":7}"#, None),
        (r#"{"key":"PEM"}"#, None),
        ("[\"fernet\"]", None),
        ("null", None),
        // A JSON string is read once: one holding JSON text is not parsed again.
        (r#""\"fernet\"""#, None),
    ];
    for (text, want) in cases {
        let got = Encryption::from_json_str(text);
        let parsed = text.parse::<Encryption>();
        assert_eq!(got, parsed, "FromStr and from_json_str agree on {text:?}");
        match want {
            Some(want) => assert_eq!(got.ok(), Some(want), "{text:?}"),
            None => assert_eq!(code(got), "unsupported_encryption", "{text:?}"),
        }
    }
    // A definition's string is a name, never JSON text.
    assert_eq!(
        code(Encryption::from_json(&json!("\"fernet\""))),
        "unsupported_encryption"
    );
}
