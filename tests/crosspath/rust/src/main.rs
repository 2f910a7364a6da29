//! Cross-path runner, Rust: reads every `port-secret-vectors/v1` file under `tests/vectors/`
//! itself and runs each test through every entry point of `port-secret-core` that applies to
//! its format, writing one JSON line per call:
//! `{"vector": "<file>#<tcId>", "path": "rust:<entry point>", "kind": ..., "code": ..., "input": ...}`.
//! `code` is `"ok"` (the call succeeded and returned exactly what the vector expects),
//! `"wrong_output"` (it succeeded with something else), or the error's code. The comparer
//! (`tests/crosspath/compare.py`) decides what is right; this runner only reports.
//!
//! Usage: `port-secret-crosspath <tests/vectors dir> <out.jsonl>`

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use port_secret_core::hazmat::{Backend, python_compact_json};
use port_secret_core::{
    Decryptor, Delivery, Encryption, Error, Plaintext, RunOptions, SecretString,
};
use serde_json::{Value, json};

const LANG: &str = "rust";

struct Out {
    lines: String,
    count: usize,
}

impl Out {
    fn emit(&mut self, vector: &str, path: &str, kind: &str, code: &str, input: Option<&str>) {
        let line = json!({
            "vector": vector,
            "path": format!("{LANG}:{path}"),
            "kind": kind,
            "code": code,
            "input": input,
        });
        let _ = writeln!(self.lines, "{line}");
        self.count += 1;
    }
    fn skip(&mut self, vector: &str, reason: &str) {
        let line = json!({"vector": vector, "path": format!("{LANG}:*"), "skip": reason});
        let _ = writeln!(self.lines, "{line}");
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or(0))
        .collect()
}

fn s<'a>(t: &'a Value, field: &str) -> &'a str {
    t[field].as_str().unwrap_or_default()
}

/// The code of a bytes result: `ok` only for exactly `plaintextHex`.
fn bytes_code(t: &Value, got: Result<Plaintext, Error>) -> (String, Option<String>) {
    match got {
        Ok(p) if t["plaintextHex"].as_str() == Some(hex(p.as_bytes()).as_str()) => {
            ("ok".into(), None)
        }
        Ok(_) => ("wrong_output".into(), None),
        Err(e) => (e.code().into(), e.input().map(str::to_owned)),
    }
}

/// The code of a text result: `ok` only for exactly `plaintext`.
fn text_code(t: &Value, got: Result<SecretString, Error>) -> (String, Option<String>) {
    match got {
        Ok(p) if t["plaintext"].as_str() == Some(&*p) => ("ok".into(), None),
        Ok(_) => ("wrong_output".into(), None),
        Err(e) => (e.code().into(), e.input().map(str::to_owned)),
    }
}

/// The code of a `decrypt_json` result: `ok` only for the parsed `plaintext`.
fn json_code(t: &Value, got: Result<Value, Error>) -> (String, Option<String>) {
    match got {
        Ok(v) => {
            let want = t["plaintext"]
                .as_str()
                .and_then(|p| serde_json::from_str::<Value>(p).ok());
            if want
                .is_some_and(|w| python_compact_json(&w, false) == python_compact_json(&v, false))
            {
                ("ok".into(), None)
            } else {
                ("wrong_output".into(), None)
            }
        }
        Err(e) => (e.code().into(), e.input().map(str::to_owned)),
    }
}

fn unit_code(got: Result<(), Error>) -> (String, Option<String>) {
    match got {
        Ok(()) => ("ok".into(), None),
        Err(e) => (e.code().into(), e.input().map(str::to_owned)),
    }
}

fn value_code(t: &Value, got: Result<Value, Error>) -> (String, Option<String>) {
    match got {
        // Compared as CPython prints both: same values, same key order.
        Ok(v) if python_compact_json(&v, false) == python_compact_json(&t["expected"], false) => {
            ("ok".into(), None)
        }
        Ok(_) => ("wrong_output".into(), None),
        Err(e) => (e.code().into(), e.input().map(str::to_owned)),
    }
}

/// `decrypt_json` applies to invalid tests (the decryption fails first) and to valid ones whose
/// plaintext is a JSON object (flag `JsonObject`).
fn json_applies(t: &Value) -> bool {
    t["result"] == "invalid"
        || t["flags"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x == "JsonObject"))
}

struct Ctx<'a> {
    dir: &'a Path,
    out: Out,
}

impl Ctx<'_> {
    fn key(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join("keys").join(name)).unwrap_or_default()
    }

    fn put(&mut self, id: &str, path: &str, kind: &str, got: (String, Option<String>)) {
        let (code, input) = got;
        self.out.emit(id, path, kind, &code, input.as_deref());
    }

    /// The three Decryptor methods on one value (or the build error for each).
    fn decryptor_paths(
        &mut self,
        id: &str,
        t: &Value,
        prefix: &str,
        d: &Result<Decryptor, Error>,
        value: &str,
        enc: &Encryption,
    ) {
        let err = |e: &Error| (e.code().to_owned(), None);
        let bytes = match d {
            Ok(d) => bytes_code(t, d.decrypt_bytes(value.as_bytes(), enc)),
            Err(e) => err(e),
        };
        self.put(id, &format!("{prefix}.decrypt_bytes"), "bytes", bytes);
        let text = match d {
            Ok(d) => text_code(t, d.decrypt(value, enc)),
            Err(e) => err(e),
        };
        self.put(id, &format!("{prefix}.decrypt"), "text", text);
        if json_applies(t) {
            let parsed = match d {
                Ok(d) => json_code(t, d.decrypt_json(value, enc)),
                Err(e) => err(e),
            };
            self.put(id, &format!("{prefix}.decrypt_json"), "json", parsed);
        }
    }

    fn aes256_gcm(&mut self, id: &str, t: &Value) {
        let (v, secret) = (s(t, "value"), s(t, "clientSecret"));
        let got = bytes_code(t, port_secret_core::decrypt_aes256_gcm_bytes(v, secret));
        self.put(id, "decrypt_aes256_gcm_bytes", "bytes", got);
        let got = text_code(t, port_secret_core::decrypt_aes256_gcm(v, secret));
        self.put(id, "decrypt_aes256_gcm", "text", got);
        let d = Decryptor::builder().client_secret(secret).build();
        self.decryptor_paths(id, t, "Decryptor", &d, v, &Encryption::Aes256Gcm);
    }

    fn client_side(&mut self, id: &str, t: &Value) {
        let (v, pem) = (s(t, "value"), self.key(s(t, "privateKey")));
        let got = bytes_code(t, port_secret_core::decrypt_client_side_bytes(v, &pem));
        self.put(id, "decrypt_client_side_bytes", "bytes", got);
        let got = text_code(t, port_secret_core::decrypt_client_side(v, &pem));
        self.put(id, "decrypt_client_side", "text", got);
        let enc = Encryption::ClientSide {
            key: t
                .get("publicKey")
                .and_then(Value::as_str)
                .map(|k| self.key(k)),
        };
        for backend in Backend::ALL {
            let d = Decryptor::builder()
                .private_key_pem(&pem)
                .rsa_backend(*backend)
                .build();
            let prefix = format!("Decryptor[{}]", backend.name());
            self.decryptor_paths(id, t, &prefix, &d, v, &enc);
        }
    }

    fn fernet(&mut self, id: &str, t: &Value) {
        let (token, secret) = (s(t, "token"), s(t, "clientSecret"));
        let ttl = t.get("ttl").and_then(Value::as_u64);
        if let Some(now) = t.get("now").and_then(Value::as_u64) {
            // The clock hook exists only as a one-shot function.
            let got = bytes_code(
                t,
                port_secret_core::decrypt_fernet_at(token, secret, ttl, now),
            );
            self.put(id, "decrypt_fernet_at", "bytes", got);
            let got = text_code(
                t,
                port_secret_core::decrypt_fernet_at(token, secret, ttl, now)
                    .and_then(Plaintext::into_text),
            );
            self.put(id, "decrypt_fernet_at+into_text", "text", got);
            return;
        }
        let got = bytes_code(
            t,
            port_secret_core::decrypt_fernet_bytes(token, secret, ttl),
        );
        self.put(id, "decrypt_fernet_bytes", "bytes", got);
        let got = text_code(t, port_secret_core::decrypt_fernet(token, secret, ttl));
        self.put(id, "decrypt_fernet", "text", got);
        let d = Decryptor::builder().client_secret(secret).build();
        self.decryptor_paths(id, t, "Decryptor", &d, token, &Encryption::Fernet);
    }

    fn signature(&mut self, id: &str, t: &Value) {
        let now = t["now"].as_i64().unwrap_or_default();
        let tolerance = t["tolerance"].as_u64().unwrap_or_default();
        let (body, sig, ts, secret) = (
            s(t, "body"),
            s(t, "signature"),
            s(t, "timestamp"),
            s(t, "clientSecret"),
        );
        let got = unit_code(port_secret_core::verify_signature_at(
            body, sig, ts, secret, tolerance, now,
        ));
        self.put(id, "verify_signature_at", "verify", got);
        let got = unit_code(
            Decryptor::builder()
                .client_secret(secret)
                .build()
                .and_then(|d| d.verify_signature_at(body.as_bytes(), sig, ts, tolerance, now)),
        );
        self.put(id, "Decryptor.verify_signature_at", "verify", got);
    }

    fn run_decryptor(&self, t: &Value) -> Result<Decryptor, Error> {
        let mut builder = Decryptor::builder().client_secret(s(t, "clientSecret"));
        if let Some(key) = t.get("privateKey").and_then(Value::as_str) {
            builder = builder.private_key_pem(&self.key(key));
        }
        builder.build()
    }

    fn properties(&mut self, id: &str, t: &Value) {
        let got = self
            .run_decryptor(t)
            .and_then(|d| d.decrypt_properties(&t["properties"], &t["userInputs"]));
        let got = value_code(t, got);
        self.put(id, "Decryptor.decrypt_properties", "properties", got);
    }

    fn run(&mut self, id: &str, t: &Value) {
        let o = &t["options"];
        let mut options = RunOptions {
            now: t["now"].as_i64(),
            ..RunOptions::default()
        };
        options.delivery = match t["delivery"].as_str() {
            Some("agent") => Delivery::Agent,
            _ => Delivery::Port,
        };
        if let Some(v) = o["verifySignature"].as_bool() {
            options.verify_signature = v;
        }
        if let Some(v) = o["tolerance"].as_u64() {
            options.tolerance_secs = v;
        }
        if let Some(v) = o.get("userInputs") {
            options.user_inputs = Some(v.clone());
        }
        if let Some(v) = o["userInputsPointer"].as_str() {
            v.clone_into(&mut options.user_inputs_pointer);
        }
        if let Some(v) = o["propertiesPointer"].as_str() {
            v.clone_into(&mut options.properties_pointer);
        }
        if let Some(v) = o.get("defaultEncryption") {
            options.default_encryption = v.clone();
        }
        if let Some(v) = o["maxBody"].as_u64().and_then(|v| usize::try_from(v).ok()) {
            options.max_body = v;
        }
        if let Some(v) = o["maxClientSideInputs"]
            .as_u64()
            .and_then(|v| usize::try_from(v).ok())
        {
            options.max_client_side_inputs = v;
        }
        let body = match t["bodyHex"].as_str() {
            Some(h) => unhex(h),
            None => s(t, "body").as_bytes().to_vec(),
        };
        let d = self.run_decryptor(t);
        if t["delivery"] == "kafka" {
            let got = d.and_then(|d| d.open_kafka_message(&body, &options));
            let got = value_code(t, got);
            self.put(id, "Decryptor.open_kafka_message", "run", got);
            return;
        }
        let pairs: Vec<(String, String)> = t["headers"]
            .as_array()
            .map(|h| {
                h.iter()
                    .map(|p| {
                        (
                            p[0].as_str().unwrap_or_default().to_owned(),
                            p[1].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let headers: Vec<(&str, &[u8])> = pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_bytes()))
            .collect();
        let got = d.and_then(|d| d.open_webhook(&body, &headers, &options));
        let got = value_code(t, got);
        self.put(id, "Decryptor.open_webhook", "run", got);
    }
}

fn vector_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in [
        "aes256_gcm",
        "client_side",
        "fernet",
        "signature",
        "properties",
        "runs",
    ] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path
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

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: port-secret-crosspath <tests/vectors dir> <out.jsonl>");
        return std::process::ExitCode::from(2);
    }
    let dir = PathBuf::from(&args[1]);
    let mut ctx = Ctx {
        dir: &dir,
        out: Out {
            lines: String::new(),
            count: 0,
        },
    };
    let files = vector_files(&dir);
    let mut tests = 0usize;
    for file in &files {
        let rel = file
            .strip_prefix(&dir)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(doc) = std::fs::read_to_string(file)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        else {
            eprintln!("cannot read {rel}");
            return std::process::ExitCode::from(1);
        };
        if doc["schema"] != "port-secret-vectors/v1" {
            eprintln!("{rel}: unknown schema");
            return std::process::ExitCode::from(1);
        }
        let format = doc["format"].as_str().unwrap_or_default().to_owned();
        for t in doc["tests"].as_array().into_iter().flatten() {
            tests += 1;
            let id = format!("{rel}#{}", t["tcId"]);
            match format.as_str() {
                "aes256-gcm" => ctx.aes256_gcm(&id, t),
                "client-side" => ctx.client_side(&id, t),
                "fernet" => ctx.fernet(&id, t),
                "signature" => ctx.signature(&id, t),
                "properties" => ctx.properties(&id, t),
                "run" => ctx.run(&id, t),
                other => ctx.out.skip(&id, &format!("unknown format {other}")),
            }
        }
    }
    let result =
        std::fs::File::create(&args[2]).and_then(|mut f| f.write_all(ctx.out.lines.as_bytes()));
    if let Err(e) = result {
        eprintln!("cannot write {}: {e}", args[2]);
        return std::process::ExitCode::from(1);
    }
    println!(
        "rust: {} files, {tests} tests, {} checks",
        files.len(),
        ctx.out.count
    );
    std::process::ExitCode::SUCCESS
}
