//! The shared run-level vectors (`tests/vectors/runs/`): every delivery mode opened with
//! `Decryptor::open_webhook` / `open_kafka_message`, on every RSA backend. A valid test must
//! return exactly `expected` (values and key order); an invalid one exactly `error` and `input`.

use std::path::{Path, PathBuf};

use port_secret_core::hazmat::{Backend, python_compact_json};
use port_secret_core::{Decryptor, Delivery, RunOptions};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

/// `RunOptions` from a test's camelCase `options` and `now`.
fn options(test: &Value) -> RunOptions {
    let o = &test["options"];
    let mut options = RunOptions {
        now: test["now"].as_i64(),
        ..RunOptions::default()
    };
    options.delivery = match test["delivery"].as_str() {
        Some("agent") => Delivery::Agent,
        _ => Delivery::Port,
    };
    if let Some(v) = o["verifySignature"].as_bool() {
        options.verify_signature = v;
    }
    if let Some(v) = o["tolerance"].as_u64() {
        options.tolerance_secs = v;
    }
    if !o["userInputs"].is_null() {
        options.user_inputs = Some(o["userInputs"].clone());
    }
    if let Some(v) = o["userInputsPointer"].as_str() {
        options.user_inputs_pointer = v.to_owned();
    }
    if let Some(v) = o["propertiesPointer"].as_str() {
        options.properties_pointer = v.to_owned();
    }
    if let Some(v) = o.get("defaultEncryption") {
        options.default_encryption = v.clone();
    }
    if let Some(v) = o["maxBody"].as_u64() {
        options.max_body = usize::try_from(v).expect("maxBody");
    }
    if let Some(v) = o["maxClientSideInputs"].as_u64() {
        options.max_client_side_inputs = usize::try_from(v).expect("maxClientSideInputs");
    }
    options
}

fn body(test: &Value) -> Vec<u8> {
    if let Some(hex) = test["bodyHex"].as_str() {
        return (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
    }
    test["body"].as_str().expect("body").as_bytes().to_vec()
}

fn open(decryptor: &Decryptor, test: &Value) -> Result<Value, port_secret_core::Error> {
    let body = body(test);
    let options = options(test);
    if test["delivery"] == "kafka" {
        return decryptor.open_kafka_message(&body, &options);
    }
    let pairs: Vec<(String, String)> = test["headers"]
        .as_array()
        .map(|h| {
            h.iter()
                .map(|p| {
                    (
                        p[0].as_str().expect("name").to_owned(),
                        p[1].as_str().expect("value").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let headers: Vec<(&str, &[u8])> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_bytes()))
        .collect();
    decryptor.open_webhook(&body, &headers, &options)
}

#[test]
fn run_vectors() {
    let path = vectors_dir().join("runs/runs_test.json");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("runs vectors")).expect("JSON");
    let tests = doc["tests"].as_array().expect("tests");
    assert_eq!(doc["numberOfTests"].as_u64(), Some(tests.len() as u64));
    let mut failures = Vec::new();
    let mut passed = 0;
    for backend in Backend::ALL {
        for test in tests {
            let id = &test["tcId"];
            let mut builder = Decryptor::builder()
                .client_secret(test["clientSecret"].as_str().expect("clientSecret"))
                .rsa_backend(*backend);
            if let Some(key) = test["privateKey"].as_str() {
                let pem = std::fs::read_to_string(vectors_dir().join("keys").join(key))
                    .expect("key file");
                builder = builder.private_key_pem(&pem);
            }
            let decryptor = builder.build().expect("decryptor");
            let outcome = open(&decryptor, test);
            let ok = match (test["result"].as_str(), &outcome) {
                // Compared as CPython prints both: same values, same key order.
                (Some("valid"), Ok(run)) => {
                    python_compact_json(run, false) == python_compact_json(&test["expected"], false)
                }
                (Some("invalid"), Err(e)) => {
                    test["error"] == e.code() && test["input"].as_str() == e.input()
                }
                _ => false,
            };
            if ok {
                passed += 1;
            } else {
                let got = match &outcome {
                    Ok(_) => "a run".to_owned(),
                    Err(e) => format!("{} (input {:?})", e.code(), e.input()),
                };
                failures.push(format!(
                    "{backend:?} tcId {id} ({}): expected {} {}, got {got}",
                    test["comment"], test["result"], test["error"]
                ));
            }
        }
    }
    println!("run vectors: {passed} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(passed >= tests.len(), "every test ran");
}
