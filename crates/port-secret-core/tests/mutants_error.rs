//! The error taxonomy's codes and formatting, written to kill cargo-mutants survivors
//! (scripts/mutants.sh).

use port_secret_core::{Error, ErrorKind, decrypt_aes256_gcm};

#[test]
fn every_kind_has_its_code() {
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
            "invalid_signature",
        ]
    );
    for kind in ErrorKind::ALL {
        assert_eq!(kind.to_string(), kind.code());
        let e = Error::new(kind, "fixed reason");
        assert_eq!(e.kind(), kind);
        assert_eq!(e.code(), kind.code());
        assert_eq!(e.reason(), "fixed reason");
    }
}

#[test]
fn display_and_debug() {
    let e = decrypt_aes256_gcm("!!!!", "mutants-error-client-secret-0123456789abcdef")
        .expect_err("not base64");
    assert_eq!(e.kind(), ErrorKind::InvalidBase64);
    assert_eq!(e.input(), None);
    assert_eq!(e.to_string(), format!("invalid_base64: {}", e.reason()));
    assert_eq!(
        format!("{e:?}"),
        format!(
            "Error {{ code: \"invalid_base64\", reason: {:?} }}",
            e.reason()
        )
    );
    let named = e.with_input("db_password");
    assert_eq!(named.input(), Some("db_password"));
    assert_eq!(
        named.to_string(),
        format!("invalid_base64: {} (input \"db_password\")", named.reason())
    );
    assert_eq!(
        format!("{named:?}"),
        format!(
            "Error {{ code: \"invalid_base64\", reason: {:?}, input: \"db_password\" }}",
            named.reason()
        )
    );
    let too_large = Error::json_too_large();
    assert_eq!(too_large.kind(), ErrorKind::Malformed);
    assert!(too_large.reason().contains("128"), "{}", too_large.reason());
}
