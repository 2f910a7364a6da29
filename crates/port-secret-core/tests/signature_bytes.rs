//! Signature and timestamp headers reach the core as bytes: the core alone decides what bytes
//! that are not UTF-8 mean (`invalid_signature`, checked before the key), for every binding.

use port_secret_core::{Decryptor, sign_payload, verify_signature, verify_signature_at};

const SECRET: &str = "test-client-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const NOW: i64 = 1_700_000_000;

fn code(r: port_secret_core::Result<()>) -> &'static str {
    r.map_or_else(|e| e.code(), |()| "ok")
}

#[test]
fn bytes_and_text_give_the_same_answer() {
    let body = br#"{"action":"deploy"}"#;
    let ts = NOW.to_string();
    let sig = sign_payload(body, &ts, SECRET).expect("sign");
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("build");
    assert_eq!(
        code(verify_signature_at(body, &sig, &ts, SECRET, 300, NOW)),
        "ok"
    );
    assert_eq!(
        code(verify_signature_at(
            body,
            sig.as_bytes(),
            ts.as_bytes(),
            SECRET,
            300,
            NOW
        )),
        "ok"
    );
    assert_eq!(
        code(d.verify_signature_at(body, sig.as_bytes(), ts.as_bytes(), 300, NOW)),
        "ok"
    );
    assert_eq!(
        code(d.verify_signature_at(body, sig.as_bytes(), ts.as_bytes(), 300, NOW + 301)),
        "expired"
    );
    // The clock-reading variants take bytes too (a 2023 timestamp is long expired).
    assert_eq!(
        code(verify_signature(
            body,
            sig.as_bytes(),
            ts.as_bytes(),
            SECRET,
            300
        )),
        "expired"
    );
    assert_eq!(
        code(d.verify_signature(body, sig.as_bytes(), ts.as_bytes(), 300)),
        "expired"
    );
}

#[test]
fn bytes_that_are_not_utf8_are_invalid_signature() {
    let body = b"{}";
    let ts = NOW.to_string();
    let sig = sign_payload(body, &ts, SECRET).expect("sign");
    let d = Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("build");
    let mut bad_sig = sig.clone().into_bytes();
    bad_sig.extend_from_slice(b" \xff");
    let bad_ts = b"17000000\xff0";
    for (s, t) in [
        (&bad_sig[..], ts.as_bytes()),
        (sig.as_bytes(), &bad_ts[..]),
        (b"v1,\xff\xfe".as_slice(), ts.as_bytes()),
        (b"\xc3".as_slice(), b"\xc3".as_slice()),
    ] {
        assert_eq!(
            code(verify_signature_at(body, s, t, SECRET, 300, NOW)),
            "invalid_signature"
        );
        assert_eq!(
            code(d.verify_signature_at(body, s, t, 300, NOW)),
            "invalid_signature"
        );
        // Before the key: a request's bad bytes are reported as such whatever the secret.
        assert_eq!(
            code(verify_signature_at(body, s, t, "", 300, NOW)),
            "invalid_signature"
        );
    }
    // A valid signature next to bytes that are not UTF-8 in the same header does not pass.
    assert_eq!(
        code(verify_signature_at(
            body,
            &bad_sig,
            ts.as_bytes(),
            SECRET,
            300,
            NOW
        )),
        "invalid_signature"
    );
}
