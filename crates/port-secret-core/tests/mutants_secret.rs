//! `Plaintext` and `SecretString` accessors, conversions and `Debug`, written to kill
//! cargo-mutants survivors (scripts/mutants.sh). That dropping one wipes its bytes is checked by
//! crates/port-secret-ffi/tests/mutants_wipe.rs (it needs a global allocator, so `unsafe`).

use port_secret_core::{
    ErrorKind, Plaintext, SecretString, decrypt_aes256_gcm, decrypt_aes256_gcm_bytes,
    encrypt_aes256_gcm,
};

const SECRET: &str = "mutants-secret-rs-client-secret-0123456789abcd";

fn plaintext(bytes: &[u8]) -> Plaintext {
    let v = encrypt_aes256_gcm(bytes, SECRET).expect("encrypt");
    decrypt_aes256_gcm_bytes(v, SECRET).expect("decrypt")
}

fn text(s: &str) -> SecretString {
    let v = encrypt_aes256_gcm(s, SECRET).expect("encrypt");
    decrypt_aes256_gcm(v, SECRET).expect("decrypt")
}

#[test]
fn plaintext_accessors() {
    for bytes in [&b""[..], b"a", b"hunter2", b"\x00\xff\x10"] {
        let p = plaintext(bytes);
        assert_eq!(p.as_bytes(), bytes);
        assert_eq!(AsRef::<[u8]>::as_ref(&p), bytes);
        assert_eq!(p.len(), bytes.len());
        assert_eq!(p.is_empty(), bytes.is_empty());
        assert_eq!(p.clone().into_bytes().as_slice(), bytes);
        assert_eq!(
            format!("{p:?}"),
            format!("Plaintext([REDACTED; {} bytes])", bytes.len())
        );
    }
    let p = plaintext("héllo".as_bytes());
    assert_eq!(p.to_str().expect("utf-8"), "héllo");
    assert_eq!(&*p.clone().into_text().expect("utf-8"), "héllo");
    let bad = plaintext(b"ok\xff");
    assert_eq!(
        bad.to_str().map_err(|e| e.kind()),
        Err(ErrorKind::InvalidUtf8)
    );
    assert_eq!(
        bad.into_text().map(|_| ()).map_err(|e| e.kind()),
        Err(ErrorKind::InvalidUtf8)
    );
}

#[test]
fn secret_string_accessors() {
    for s in ["", "x", "pässwörd 🔑"] {
        let t = text(s);
        assert_eq!(t.as_str(), s);
        assert_eq!(&*t, s);
        assert_eq!(AsRef::<str>::as_ref(&t), s);
        assert_eq!(AsRef::<[u8]>::as_ref(&t), s.as_bytes());
        assert_eq!(t.clone().into_inner().as_str(), s);
        let shown = format!("{t:?}");
        assert_eq!(
            shown,
            format!("SecretString([REDACTED; {} bytes])", s.len())
        );
    }
}
