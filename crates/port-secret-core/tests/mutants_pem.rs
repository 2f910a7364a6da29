//! PEM parsing edge cases written to kill cargo-mutants survivors (scripts/mutants.sh): PKCS#1
//! public keys (`BEGIN RSA PUBLIC KEY`, wrapped into SPKI by hand), the escaped-newline form,
//! labels, RFC 1421 headers, and which key goes where.
#![cfg(feature = "rsa")]

use std::path::Path;

use port_secret_core::{
    Decryptor, Encryption, ErrorKind, decrypt_client_side, encrypt_client_side,
};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;

fn key(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/vectors/keys")
            .join(name),
    )
    .expect("key file")
}

fn err<T>(r: port_secret_core::Result<T>) -> (ErrorKind, &'static str) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => (e.kind(), e.reason()),
    }
}

/// The PKCS#1 (`BEGIN RSA PUBLIC KEY`) form of a checked-in SPKI public key.
fn pkcs1_public(bits: u32) -> String {
    let spki = key(&format!("rsa{bits}_public.pem"));
    let public = rsa::PublicKey::from_public_key_pem(&spki).expect("spki");
    public
        .to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
        .expect("pkcs1")
}

#[test]
fn pkcs1_public_keys_encrypt_like_their_spki_form() {
    // 2048 and 4096 bits: the wrapped DER lengths take two-byte DER lengths either way.
    for bits in [2048u32, 4096] {
        let pkcs1 = pkcs1_public(bits);
        assert!(pkcs1.starts_with("-----BEGIN RSA PUBLIC KEY-----"));
        let v = encrypt_client_side("pkcs1 public", &pkcs1).expect("encrypt");
        let private = key(&format!("rsa{bits}_pkcs8.pem"));
        assert_eq!(
            &*decrypt_client_side(&v, &private).expect("decrypt"),
            "pkcs1 public"
        );
        // As an action's `encryption.key`, it selects the matching private key, like the SPKI
        // form: with the wrong key listed first, the right one is still found.
        let other = key("rsa3072_pkcs8.pem");
        let d = Decryptor::builder()
            .private_key_pem(&other)
            .private_key_pem(&private)
            .build()
            .expect("decryptor");
        for public in [pkcs1.clone(), key(&format!("rsa{bits}_public.pem"))] {
            let cs = Encryption::ClientSide { key: Some(public) };
            assert_eq!(&*d.decrypt(&v, &cs).expect("decrypt"), "pkcs1 public");
        }
    }
}

#[test]
fn pem_text_forms() {
    let private = key("rsa2048_pkcs8.pem");
    let v = encrypt_client_side("forms", &key("rsa2048_public.pem")).expect("encrypt");
    let ok = |pem: &str| decrypt_client_side(&v, pem).map(|s| s.as_str().to_owned());
    // As pasted into an environment variable: literal `\n` escapes, no real newline.
    let escaped = private.trim_end().replace('\n', "\\n");
    assert!(!escaped.contains('\n'));
    assert_eq!(ok(&escaped).expect("escaped"), "forms");
    // CRLF line ends, text around the block.
    let crlf = format!(
        "key follows:\r\n{}\r\n-- end --",
        private.replace('\n', "\r\n")
    );
    assert_eq!(ok(&crlf).expect("crlf"), "forms");
    // Real newlines AND a literal `\n` inside the body: not unescaped, so the body is not base64.
    let mut lines: Vec<&str> = private.lines().collect();
    let second = format!("{}\\n", lines[2]);
    lines[2] = &second;
    let mixed = lines.join("\n");
    assert_eq!(err(ok(&mixed)).0, ErrorKind::InvalidKey);
    // No BEGIN line, a BEGIN without its closing dashes, no matching END line.
    for bad in [
        "no pem here",
        "-----BEGIN PRIVATE KEY",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
    ] {
        assert_eq!(err(ok(bad)).0, ErrorKind::InvalidKey, "{bad:?}");
    }
}

#[test]
fn labels_and_headers() {
    let v = encrypt_client_side("x", &key("rsa2048_public.pem")).expect("encrypt");
    let private = key("rsa2048_pkcs8.pem");
    let body: String = private
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .join("\n");
    let wrap = |label: &str, inner: &str| {
        format!("-----BEGIN {label}-----\n{inner}\n-----END {label}-----\n")
    };
    // The same PKCS#8 body under its own label opens; under another label it is refused, for
    // what that label says it is.
    assert_eq!(
        &*decrypt_client_side(&v, &wrap("PRIVATE KEY", &body)).expect("pkcs8"),
        "x"
    );
    let (kind, reason) = err(decrypt_client_side(
        &v,
        &wrap("ENCRYPTED PRIVATE KEY", &body),
    ));
    assert_eq!(kind, ErrorKind::InvalidKey);
    assert!(reason.contains("encrypted"), "{reason}");
    let (_, reason) = err(decrypt_client_side(&v, &wrap("PUBLIC KEY", &body)));
    assert!(reason.contains("public key"), "{reason}");
    let (_, reason) = err(decrypt_client_side(&v, &wrap("RSA PUBLIC KEY", &body)));
    assert!(reason.contains("public key"), "{reason}");
    let (_, reason) = err(decrypt_client_side(&v, &wrap("CERTIFICATE", &body)));
    assert!(reason.contains("not an RSA private key"), "{reason}");
    // An RFC 1421 header (legacy OpenSSL encryption) under the PKCS#1 label: encrypted.
    let legacy = wrap(
        "RSA PRIVATE KEY",
        &format!(
            "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\n{body}"
        ),
    );
    let (kind, reason) = err(decrypt_client_side(&v, &legacy));
    assert_eq!(kind, ErrorKind::InvalidKey);
    assert!(reason.contains("encrypted"), "{reason}");
    // The other way round: a private key where the public key goes.
    let (kind, reason) = err(encrypt_client_side("x", &private));
    assert_eq!(kind, ErrorKind::InvalidKey);
    assert!(reason.contains("private key"), "{reason}");
    let (_, reason) = err(encrypt_client_side("x", &wrap("CERTIFICATE", &body)));
    assert!(reason.contains("not an RSA public key"), "{reason}");
}
