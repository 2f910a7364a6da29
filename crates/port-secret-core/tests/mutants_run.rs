//! The run API's limits and option checks at their exact boundaries, written to kill
//! cargo-mutants survivors (scripts/mutants.sh).

use port_secret_core::{
    DEFAULT_MAX_BODY, DEFAULT_MAX_CLIENT_SIDE_INPUTS, DEFAULT_PROPERTIES_POINTER,
    DEFAULT_USER_INPUTS_POINTER, Decryptor, Delivery, ErrorKind, RunOptions, encrypt_aes256_gcm,
    sign_payload,
};
use serde_json::json;

const SECRET: &str = "mutants-run-client-secret-0123456789abcdefghijk";
const NOW: i64 = 1_700_000_000;

fn decryptor() -> Decryptor {
    Decryptor::builder()
        .client_secret(SECRET)
        .build()
        .expect("decryptor")
}

fn body() -> Vec<u8> {
    let v = encrypt_aes256_gcm("pw", SECRET).expect("encrypt");
    serde_json::to_vec(&json!({"payload": {"properties": {"pw": v},
        "action": {"userInputs": {"properties": {"pw": {"type": "string", "encryption": "aes256-gcm"}}}}}}))
    .expect("json")
}

fn options() -> RunOptions {
    RunOptions {
        now: Some(NOW),
        ..RunOptions::default()
    }
}

#[test]
fn defaults() {
    assert_eq!(DEFAULT_MAX_BODY, 1024 * 1024);
    assert_eq!(DEFAULT_MAX_CLIENT_SIDE_INPUTS, 64);
    assert_eq!(DEFAULT_PROPERTIES_POINTER, "/payload/properties");
    assert_eq!(DEFAULT_USER_INPUTS_POINTER, "/payload/action/userInputs");
    let o = RunOptions::default();
    assert_eq!(o.delivery, Delivery::Port);
    assert!(o.verify_signature);
    assert_eq!(o.tolerance_secs, 300);
    assert_eq!(o.max_body, DEFAULT_MAX_BODY);
    assert_eq!(o.max_client_side_inputs, DEFAULT_MAX_CLIENT_SIDE_INPUTS);
    assert_eq!(o.default_encryption, json!("aes256-gcm"));
    assert_eq!(o.now, None);
    assert!(o.check().is_ok());
}

#[test]
fn delivery_names() {
    assert_eq!("port".parse::<Delivery>().expect("port"), Delivery::Port);
    assert_eq!("agent".parse::<Delivery>().expect("agent"), Delivery::Agent);
    for bad in ["", "Port", "kafka", "agent "] {
        assert_eq!(
            bad.parse::<Delivery>().map_err(|e| e.kind()),
            Err(ErrorKind::Malformed),
            "{bad:?}"
        );
    }
}

#[test]
fn max_body_is_inclusive() {
    let d = decryptor();
    let body = body();
    let ts = NOW.to_string();
    let sig = sign_payload(&body, &ts, SECRET).expect("sign");
    let headers = [
        ("x-port-signature", sig.as_bytes()),
        ("x-port-timestamp", ts.as_bytes()),
    ];
    let open = |max_body: usize| {
        let options = RunOptions {
            max_body,
            ..options()
        };
        d.open_webhook(&body, &headers, &options)
    };
    assert_eq!(
        open(body.len()).expect("exactly at the cap")["payload"]["properties"]["pw"],
        "pw"
    );
    assert_eq!(
        open(body.len() - 1).map(drop).map_err(|e| e.kind()),
        Err(ErrorKind::Malformed)
    );
    // The same cap for a Kafka message.
    let kafka = |max_body: usize| {
        let options = RunOptions {
            max_body,
            verify_signature: false,
            ..options()
        };
        d.open_kafka_message(&body, &options)
    };
    assert!(kafka(body.len()).is_ok());
    assert_eq!(
        kafka(body.len() - 1).map(drop).map_err(|e| e.kind()),
        Err(ErrorKind::Malformed)
    );
}

#[test]
fn pointer_options_are_checked_first() {
    for (properties, user_inputs, ok) in [
        ("", "", true),
        ("/payload/properties", "/payload/action/userInputs", true),
        ("payload/properties", "/payload/action/userInputs", false),
        ("/payload/properties", "payload", false),
        ("x", "y", false),
    ] {
        let o = RunOptions {
            properties_pointer: properties.into(),
            user_inputs_pointer: user_inputs.into(),
            ..RunOptions::default()
        };
        assert_eq!(o.check().is_ok(), ok, "{properties:?} {user_inputs:?}");
        if !ok {
            // Refused before the signature is looked at (no headers at all here).
            let err = decryptor()
                .open_webhook(&body(), &[], &o)
                .expect_err("bad pointer");
            assert_eq!(err.kind(), ErrorKind::Malformed);
        }
    }
}

#[test]
fn webhook_signature_headers() {
    let d = decryptor();
    let body = body();
    let ts = NOW.to_string();
    let other_ts = (NOW - 1).to_string();
    let sig = sign_payload(&body, &ts, SECRET).expect("sign");
    let open = |headers: &[(&str, &[u8])]| d.open_webhook(&body, headers, &options());
    let sig_h = ("X-Port-Signature", sig.as_bytes());
    let ts_h = ("X-PORT-TIMESTAMP", ts.as_bytes());
    assert!(open(&[sig_h, ts_h]).is_ok());
    // The same timestamp twice is fine; two different ones are refused, whichever is signed.
    assert!(open(&[ts_h, sig_h, ts_h]).is_ok());
    for headers in [
        [("x-port-timestamp", other_ts.as_bytes()), ts_h, sig_h],
        [ts_h, ("x-port-timestamp", other_ts.as_bytes()), sig_h],
    ] {
        let err = open(&headers).expect_err("two timestamps");
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
    }
    // A signature or timestamp header that is not UTF-8 is refused even next to a good one;
    // another header that is not UTF-8 is ignored.
    for bad in ["x-port-signature", "x-port-timestamp"] {
        let err = open(&[(bad, b"\xff"), sig_h, ts_h]).expect_err("not UTF-8");
        assert_eq!(err.kind(), ErrorKind::InvalidSignature, "{bad}");
    }
    assert!(open(&[("x-other", b"\xff"), sig_h, ts_h]).is_ok());
    // Missing, empty or blank headers: invalid_signature, for a missing header.
    for headers in [
        vec![ts_h],
        vec![sig_h],
        vec![("x-port-signature", &b" "[..]), ts_h],
        vec![sig_h, ("x-port-timestamp", &b"  "[..])],
        vec![
            ("x-port-signature", &b""[..]),
            ("x-port-timestamp", &b""[..]),
        ],
    ] {
        let err = open(&headers).expect_err("missing");
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
        assert!(err.reason().contains("missing"), "{}", err.reason());
    }
    // Several signature headers: any one that matches is enough.
    assert!(open(&[("x-port-signature", b"v1,AAAA"), sig_h, ts_h]).is_ok());
}

/// A Kafka message carrying `pw`, signed over its compact JSON with `headers` holding only
/// `extra` (what the agent signs: the message without the two signature headers).
fn kafka_message(ts: serde_json::Value, gitlab: bool) -> serde_json::Value {
    let v = encrypt_aes256_gcm("pw", SECRET).expect("encrypt");
    let mut payload = json!({"properties": {"pw": v},
        "action": {"userInputs": {"properties": {"pw": {"type": "string", "encryption": "aes256-gcm"}}}}});
    if gitlab {
        payload["action"]["invocationMethod"] = json!({"type": "GITLAB"});
    }
    let mut message = json!({"headers": {"extra": "é"}, "payload": payload});
    if gitlab {
        message.as_object_mut().expect("object").remove("headers");
    }
    let signed = port_secret_core::hazmat::python_compact_json(&message, false);
    let ts_text = match &ts {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let sig = sign_payload(&signed, &ts_text, SECRET).expect("sign");
    if gitlab {
        message["headers"] = json!({});
    }
    message["headers"]["X-Port-Signature"] = json!(sig);
    message["headers"]["X-Port-Timestamp"] = ts;
    message
}

#[test]
fn kafka_signature_headers() {
    let d = decryptor();
    let open = |message: &serde_json::Value| {
        d.open_kafka_message(&serde_json::to_vec(message).expect("json"), &options())
    };
    for gitlab in [false, true] {
        // The timestamp as a string or as an integer.
        for ts in [json!(NOW.to_string()), json!(NOW)] {
            let run = open(&kafka_message(ts, gitlab)).expect("signed message");
            assert_eq!(run["payload"]["properties"]["pw"], "pw");
        }
    }
    let missing = |message: &serde_json::Value| {
        let err = open(message).expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
        assert!(err.reason().contains("missing"), "{}", err.reason());
    };
    // A float timestamp, an empty one, an empty signature, no headers: missing.
    let mut m = kafka_message(json!(NOW.to_string()), false);
    m["headers"]["X-Port-Timestamp"] = json!(1.7e9);
    missing(&m);
    m["headers"]["X-Port-Timestamp"] = json!("");
    missing(&m);
    let mut m = kafka_message(json!(NOW.to_string()), false);
    m["headers"]["X-Port-Signature"] = json!("");
    missing(&m);
    m["headers"] = json!("not an object");
    missing(&m);
    // A negative integer timestamp is still a timestamp: signed, then far outside the tolerance.
    let err = open(&kafka_message(json!(-5), false)).expect_err("expired");
    assert_eq!(err.kind(), ErrorKind::Expired);
    // Not a JSON object at all: malformed.
    assert_eq!(
        open(&json!([1, 2])).map(drop).map_err(|e| e.kind()),
        Err(ErrorKind::Malformed)
    );
}
