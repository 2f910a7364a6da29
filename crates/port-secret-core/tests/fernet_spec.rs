//! The Fernet spec's own vectors (generate / verify / invalid), as shipped in
//! tests/vectors/fernet/spec/ (from the fernet/spec repository, via pyca's cryptography_vectors).

use std::path::Path;

use port_secret_core::hazmat::fernet_raw;
use serde_json::Value;

fn load(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors/fernet/spec")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (see tests/vectors/README.md)", path.display()));
    serde_json::from_str::<Value>(&text)
        .expect("JSON")
        .as_array()
        .expect("array")
        .clone()
}

/// Unix seconds of an RFC 3339 timestamp such as `1985-10-26T01:20:01-07:00`.
fn rfc3339(ts: &str) -> u64 {
    let num = |r: std::ops::Range<usize>| -> i64 { ts[r].parse().expect("digits") };
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let (hh, mm, ss) = (num(11..13), num(14..16), num(17..19));
    let offset = match &ts[19..] {
        "Z" => 0,
        tz => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            sign * (tz[1..3].parse::<i64>().expect("tz h") * 3600
                + tz[4..6].parse::<i64>().expect("tz m") * 60)
        }
    };
    // Days from the civil date (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss - offset).expect("after 1970")
}

#[test]
fn rfc3339_parses() {
    assert_eq!(rfc3339("1970-01-01T00:00:00Z"), 0);
    assert_eq!(rfc3339("1985-10-26T01:20:00-07:00"), 499_162_800);
}

#[test]
fn spec_generate() {
    let cases = load("generate.json");
    for c in &cases {
        let iv: Vec<u8> = c["iv"]
            .as_array()
            .expect("iv")
            .iter()
            .map(|b| u8::try_from(b.as_u64().expect("byte")).expect("byte"))
            .collect();
        let iv: [u8; 16] = iv.try_into().expect("16-byte IV");
        let token = fernet_raw::encrypt(
            c["src"].as_str().expect("src").as_bytes(),
            c["secret"].as_str().expect("secret"),
            rfc3339(c["now"].as_str().expect("now")),
            iv,
        )
        .expect("encrypts");
        assert_eq!(token, c["token"].as_str().expect("token"));
    }
    println!("fernet spec generate: {} passed", cases.len());
    assert!(!cases.is_empty());
}

#[test]
fn spec_verify() {
    let cases = load("verify.json");
    for c in &cases {
        let pt = fernet_raw::decrypt(
            c["token"].as_str().expect("token"),
            c["secret"].as_str().expect("secret"),
            c["ttl_sec"].as_u64(),
            rfc3339(c["now"].as_str().expect("now")),
        )
        .expect("verifies");
        assert_eq!(pt.as_bytes(), c["src"].as_str().expect("src").as_bytes());
    }
    println!("fernet spec verify: {} passed", cases.len());
    assert!(!cases.is_empty());
}

#[test]
fn spec_invalid() {
    let cases = load("invalid.json");
    for c in &cases {
        let desc = c["desc"].as_str().expect("desc");
        // Our taxonomy: only the HMAC failure is authentication_failed; an authentic token with a
        // bad layout is malformed; time checks apply only to authentic tokens.
        let want = match desc {
            "incorrect mac" => "authentication_failed",
            "too short" => "malformed",
            "invalid base64" => "invalid_base64",
            "payload size not multiple of block size" => "malformed",
            "payload padding error" | "incorrect IV (causes padding error)" => "malformed",
            "far-future TS (unacceptable clock skew)" | "expired TTL" => "expired",
            other => panic!("unknown invalid case {other:?}: map it to a code"),
        };
        let got = fernet_raw::decrypt(
            c["token"].as_str().expect("token"),
            c["secret"].as_str().expect("secret"),
            c["ttl_sec"].as_u64(),
            rfc3339(c["now"].as_str().expect("now")),
        )
        .err()
        .map(|e| e.code());
        assert_eq!(got, Some(want), "{desc}");
    }
    println!("fernet spec invalid: {} passed", cases.len());
    assert!(!cases.is_empty());
}
