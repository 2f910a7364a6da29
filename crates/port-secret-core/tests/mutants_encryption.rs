//! Reading an input's `encryption`, and how it prints, written to kill cargo-mutants survivors
//! (scripts/mutants.sh).

use port_secret_core::{Encryption, ErrorKind};
use serde_json::json;

fn kind(r: port_secret_core::Result<Encryption>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

#[test]
fn names_text_and_json() {
    let cs = Encryption::ClientSide { key: None };
    for (name, e) in [
        ("aes256-gcm", Encryption::Aes256Gcm),
        ("fernet", Encryption::Fernet),
        ("client-side", cs.clone()),
    ] {
        assert_eq!(e.name(), name);
        assert_eq!(e.to_string(), name);
        assert_eq!(name.parse::<Encryption>().expect("parses"), e);
        assert_eq!(Encryption::from_json_str(name).expect("bare"), e);
        assert_eq!(
            Encryption::from_json_str(&format!("\"{name}\"")).expect("json"),
            e
        );
        assert_eq!(Encryption::from_json(&json!(name)).expect("json"), e);
        assert_eq!(
            Encryption::from_json(&json!({"algorithm": name})).expect("object"),
            e
        );
    }
    assert_eq!(format!("{:?}", Encryption::Aes256Gcm), "aes256-gcm");
    assert_eq!(format!("{:?}", Encryption::Fernet), "fernet");
    assert_eq!(format!("{cs:?}"), "ClientSide { key: None }");
    let with_key = Encryption::ClientSide {
        key: Some("-----BEGIN PUBLIC KEY-----".into()),
    };
    assert_eq!(
        format!("{with_key:?}"),
        "ClientSide { key: Some(\"<public key>\") }"
    );
    assert_eq!(with_key.to_string(), "client-side");
}

#[test]
fn objects_and_refusals() {
    let pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
    assert_eq!(
        Encryption::from_json(&json!({"algorithm": "client-side", "key": pem})).expect("key"),
        Encryption::ClientSide {
            key: Some(pem.into())
        }
    );
    assert_eq!(
        Encryption::from_json_str(r#" {"algorithm":"client-side","key":null}"#).expect("null key"),
        Encryption::ClientSide { key: None }
    );
    // A key on another algorithm is ignored; a key that is not a string is refused.
    assert_eq!(
        Encryption::from_json(&json!({"algorithm": "fernet", "key": 1})).expect("ignored"),
        Encryption::Fernet
    );
    let unsupported = Some(ErrorKind::UnsupportedEncryption);
    assert_eq!(
        kind(Encryption::from_json(
            &json!({"algorithm": "client-side", "key": 1})
        )),
        unsupported
    );
    for bad in [
        json!("AES256-GCM"),
        json!(""),
        json!(1),
        json!(null),
        json!({}),
        json!({"algorithm": 1}),
        json!(["fernet"]),
    ] {
        assert_eq!(kind(Encryption::from_json(&bad)), unsupported, "{bad}");
    }
    for bad in ["", "rot13", "\"rot13\"", "{oops", "\"fernet", " fernet"] {
        assert_eq!(kind(Encryption::from_json_str(bad)), unsupported, "{bad:?}");
    }
}
