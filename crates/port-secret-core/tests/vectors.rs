//! The shared vectors in `tests/vectors/` (made by pyca/cryptography, pycryptodome, node:crypto
//! and WebCrypto; see tests/vectors/README.md), run through the one-shot functions and through a
//! `Decryptor`, each case asserting the exact plaintext or the exact error code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use port_secret_core::{Decryptor, Encryption, Error, Plaintext};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn vector_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![vectors_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("tests/vectors exists") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_test.json"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn key(name: &str) -> String {
    std::fs::read_to_string(vectors_dir().join("keys").join(name)).expect("key file")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn s<'a>(t: &'a Value, field: &str) -> &'a str {
    t[field]
        .as_str()
        .unwrap_or_else(|| panic!("field {field} missing in {t}"))
}

/// Compares a bytes result and a text result with what the vector expects.
fn check(
    t: &Value,
    bytes: Result<Plaintext, Error>,
    text: Result<String, Error>,
) -> Result<(), String> {
    let id = &t["tcId"];
    match s(t, "result") {
        "valid" => {
            let got =
                bytes.map_err(|e| format!("tcId {id}: expected plaintext, got {}", e.code()))?;
            if hex(got.as_bytes()) != s(t, "plaintextHex") {
                return Err(format!("tcId {id}: wrong plaintext bytes"));
            }
            match (t.get("plaintext").and_then(Value::as_str), text) {
                (Some(want), Ok(got)) if got == want => Ok(()),
                (None, Err(e)) if e.code() == "invalid_utf8" => Ok(()),
                (_, Ok(_)) => Err(format!("tcId {id}: wrong text")),
                (_, Err(e)) => Err(format!("tcId {id}: text API failed with {}", e.code())),
            }
        }
        "invalid" => {
            let want = s(t, "error");
            let b = bytes.err().map(|e| e.code());
            let x = text.err().map(|e| e.code());
            if b == Some(want) && x == Some(want) {
                Ok(())
            } else {
                Err(format!(
                    "tcId {id}: expected {want}, got bytes={b:?} text={x:?} ({})",
                    t["comment"]
                ))
            }
        }
        other => Err(format!("tcId {id}: unknown result {other}")),
    }
}

fn run_case(format: &str, t: &Value) -> Result<(), String> {
    match format {
        "aes256-gcm" => {
            let (v, secret) = (s(t, "value"), s(t, "clientSecret"));
            check(
                t,
                port_secret_core::decrypt_aes256_gcm_bytes(v, secret),
                port_secret_core::decrypt_aes256_gcm(v, secret).map(|p| p.to_string()),
            )?;
            let d = Decryptor::builder().client_secret(secret).build();
            let enc = Encryption::Aes256Gcm;
            check(
                t,
                d.as_ref()
                    .map_err(Clone::clone)
                    .and_then(|d| d.decrypt_bytes(v, &enc)),
                d.as_ref()
                    .map_err(Clone::clone)
                    .and_then(|d| d.decrypt(v, &enc))
                    .map(|p| p.to_string()),
            )
        }
        "client-side" => {
            let (v, pem) = (s(t, "value"), key(s(t, "privateKey")));
            check(
                t,
                port_secret_core::decrypt_client_side_bytes(v, &pem),
                port_secret_core::decrypt_client_side(v, &pem).map(|p| p.to_string()),
            )?;
            let enc = Encryption::ClientSide {
                key: t.get("publicKey").and_then(Value::as_str).map(key),
            };
            // Through a Decryptor on every RSA backend of this build.
            for backend in port_secret_core::hazmat::Backend::ALL {
                let d = Decryptor::builder()
                    .private_key_pem(&pem)
                    .rsa_backend(*backend)
                    .build();
                let bytes = d
                    .as_ref()
                    .map_err(Clone::clone)
                    .and_then(|d| d.decrypt_bytes(v, &enc));
                let text = d
                    .as_ref()
                    .map_err(Clone::clone)
                    .and_then(|d| d.decrypt(v, &enc));
                check(t, bytes, text.map(|p| p.to_string()))
                    .map_err(|e| format!("{} backend: {e}", backend.name()))?;
            }
            Ok(())
        }
        "fernet" => {
            let (token, secret) = (s(t, "token"), s(t, "clientSecret"));
            let ttl = t.get("ttl").and_then(Value::as_u64);
            let now = t.get("now").and_then(Value::as_u64);
            let run = |tok: &str| match now {
                Some(now) => port_secret_core::decrypt_fernet_at(tok, secret, ttl, now),
                None => port_secret_core::decrypt_fernet_bytes(tok, secret, ttl),
            };
            check(
                t,
                run(token),
                run(token)
                    .and_then(Plaintext::into_text)
                    .map(|p| p.to_string()),
            )
        }
        "signature" => {
            let now = t["now"].as_i64().ok_or("now")?;
            let tolerance = t["tolerance"].as_u64().ok_or("tolerance")?;
            let (body, sig, ts, secret) = (
                s(t, "body"),
                s(t, "signature"),
                s(t, "timestamp"),
                s(t, "clientSecret"),
            );
            let got = port_secret_core::verify_signature_at(body, sig, ts, secret, tolerance, now);
            let via_decryptor = Decryptor::builder()
                .client_secret(secret)
                .build()
                .and_then(|d| d.verify_signature_at(body, sig, ts, tolerance, now));
            let id = &t["tcId"];
            for got in [got, via_decryptor] {
                let code = got.err().map(|e| e.code());
                let ok = match s(t, "result") {
                    "valid" => code.is_none(),
                    _ => code == Some(s(t, "error")),
                };
                if !ok {
                    return Err(format!(
                        "tcId {id}: expected {:?}, got {code:?} ({})",
                        t.get("error"),
                        t["comment"]
                    ));
                }
            }
            Ok(())
        }
        other => Err(format!("unknown format {other}")),
    }
}

#[test]
fn shared_vectors() {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let files = vector_files();
    assert!(!files.is_empty(), "no vector files under tests/vectors");
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read vector file");
        let doc: Value = serde_json::from_str(&text).expect("vector file is JSON");
        let format = doc["format"].as_str().expect("format").to_owned();
        if format == "properties" || format == "run" {
            continue; // `properties_vectors` below, `tests/runs.rs`
        }
        let tests = doc["tests"].as_array().expect("tests");
        assert_eq!(
            doc["numberOfTests"].as_u64(),
            Some(tests.len() as u64),
            "{}",
            path.display()
        );
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let entry = counts.entry(name.clone()).or_default();
        for t in tests {
            match run_case(&format, t) {
                Ok(()) => entry.0 += 1,
                Err(e) => {
                    entry.1 += 1;
                    failures.push(format!("{name}: {e}"));
                }
            }
        }
    }
    let mut total = 0;
    for (name, (passed, failed)) in &counts {
        println!("vectors {name}: {passed} passed, {failed} failed");
        total += passed;
    }
    println!("vectors total: {total} passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total > 0);
}

/// A `properties` test: a Decryptor with the test's client secret (and private key, if any) runs
/// `decrypt_properties` on any JSON value; the exact output, or the exact code and input name.
fn run_properties_case(t: &Value) -> Result<(), String> {
    let id = &t["tcId"];
    let mut backends: Vec<Option<port_secret_core::hazmat::Backend>> = vec![None];
    if t.get("privateKey").is_some() {
        backends = port_secret_core::hazmat::Backend::ALL
            .iter()
            .copied()
            .map(Some)
            .collect();
    }
    for backend in backends {
        let mut b = Decryptor::builder().client_secret(s(t, "clientSecret"));
        if let Some(name) = t.get("privateKey").and_then(Value::as_str) {
            b = b.private_key_pem(&key(name));
        }
        if let Some(backend) = backend {
            b = b.rsa_backend(backend);
        }
        let d = b
            .build()
            .map_err(|e| format!("tcId {id}: Decryptor: {}", e.code()))?;
        let got = d.decrypt_properties(&t["properties"], &t["userInputs"]);
        let on = backend.map_or("", |b| b.name());
        match (s(t, "result"), got) {
            ("valid", Ok(out)) => {
                // Same value and the same key order (serde_json with preserve_order).
                let text = |v: &Value| serde_json::to_string(v).ok();
                if out != t["expected"] || text(&out) != text(&t["expected"]) {
                    return Err(format!("tcId {id} {on}: wrong output ({})", t["comment"]));
                }
            }
            ("valid", Err(e)) => {
                return Err(format!(
                    "tcId {id} {on}: expected output, got {} input {:?} ({})",
                    e.code(),
                    e.input(),
                    t["comment"]
                ));
            }
            ("invalid", Ok(_)) => {
                return Err(format!(
                    "tcId {id} {on}: expected {}, got an output ({})",
                    s(t, "error"),
                    t["comment"]
                ));
            }
            ("invalid", Err(e)) => {
                let want_input = t["input"].as_str();
                if e.code() != s(t, "error") || e.input() != want_input {
                    return Err(format!(
                        "tcId {id} {on}: expected {} input {want_input:?}, got {} input {:?} ({})",
                        s(t, "error"),
                        e.code(),
                        e.input(),
                        t["comment"]
                    ));
                }
            }
            (other, _) => return Err(format!("tcId {id}: unknown result {other}")),
        }
    }
    Ok(())
}

#[test]
fn properties_vectors() {
    let mut failures = Vec::new();
    let (mut valid, mut invalid, mut files) = (0, 0, 0);
    for path in vector_files() {
        let text = std::fs::read_to_string(&path).expect("read vector file");
        let doc: Value = serde_json::from_str(&text).expect("vector file is JSON");
        if doc["format"] != "properties" {
            continue;
        }
        files += 1;
        let tests = doc["tests"].as_array().expect("tests");
        assert_eq!(doc["numberOfTests"].as_u64(), Some(tests.len() as u64));
        for t in tests {
            match run_properties_case(t) {
                Ok(()) if t["result"] == "valid" => valid += 1,
                Ok(()) => invalid += 1,
                Err(e) => failures.push(e),
            }
        }
    }
    println!(
        "properties vectors: {valid} valid + {invalid} invalid passed, {} failed ({files} files)",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        files > 0 && invalid > 100 && valid > 10,
        "properties vectors missing"
    );
}
