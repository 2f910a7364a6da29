//! The `port-secret` command as a user runs it: real process, stdin/stdout, exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SECRET: &str = "cli-test-client-secret-0123456789abcdefghijklmnop";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str], stdin: &[u8], secret: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_port-secret"));
    cmd.args(args)
        .env_remove("PORT_CLIENT_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(s) = secret {
        cmd.env("PORT_CLIENT_SECRET", s);
    }
    let mut child = cmd.spawn().expect("spawn port-secret");
    let mut pipe = child.stdin.take().expect("stdin");
    // A command that fails on its arguments exits without reading stdin: a closed pipe then
    // is not the test's failure.
    if let Err(e) = pipe.write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    drop(pipe);
    child.wait_with_output().expect("wait")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn fails(o: &Output, code: &str) {
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(o));
    assert!(
        stderr(o).starts_with(&format!("error: {code}")),
        "stderr: {}",
        stderr(o)
    );
}

fn vector_key(name: &str) -> String {
    root()
        .join("tests/vectors/keys")
        .join(name)
        .display()
        .to_string()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("port-secret-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn round_trip_each_format_through_the_command() {
    for pt in ["hunter2", "", "multi\nline\n", "ünïcødé"] {
        for enc in ["aes256-gcm", "fernet"] {
            let v = ok(&run(
                &["encrypt", "--encryption", enc],
                pt.as_bytes(),
                Some(SECRET),
            ));
            assert!(v.ends_with('\n'));
            let back = ok(&run(
                &["decrypt", "--encryption", enc],
                v.as_bytes(),
                Some(SECRET),
            ));
            assert_eq!(back, pt, "{enc}");
        }
        let public = vector_key("rsa2048_public.pem");
        let v = ok(&run(
            &[
                "encrypt",
                "--encryption",
                "client-side",
                "--public-key",
                &public,
            ],
            pt.as_bytes(),
            None,
        ));
        for private in ["rsa2048_pkcs8.pem", "rsa2048_pkcs1.pem"] {
            let back = ok(&run(
                &[
                    "decrypt",
                    "--encryption",
                    "client-side",
                    "--private-key",
                    &vector_key(private),
                ],
                v.as_bytes(),
                None,
            ));
            assert_eq!(back, pt);
        }
    }
}

/// Values made by other implementations (pyca, pycryptodome, node:crypto, WebCrypto), taken from
/// the shared vectors: the command decrypts them to the exact bytes.
#[test]
fn decrypts_values_from_other_implementations() {
    let mut checked = 0;
    for (file, enc) in [
        ("aes256_gcm/aes256_gcm_pycryptodome_test.json", "aes256-gcm"),
        ("aes256_gcm/aes256_gcm_pyca_test.json", "aes256-gcm"),
        ("aes256_gcm/aes256_gcm_node_test.json", "aes256-gcm"),
        ("client_side/client_side_webcrypto_test.json", "client-side"),
        (
            "client_side/client_side_pycryptodome_test.json",
            "client-side",
        ),
        ("client_side/client_side_pyca_test.json", "client-side"),
        ("fernet/fernet_pyca_test.json", "fernet"),
    ] {
        let text =
            std::fs::read_to_string(root().join("tests/vectors").join(file)).expect("vectors");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        for t in doc["tests"].as_array().expect("tests").iter().take(8) {
            if t["result"] != "valid" || t.get("ttl").is_some() {
                continue;
            }
            let mut args = vec!["decrypt", "--encryption", enc];
            let key;
            if enc == "client-side" {
                key = vector_key(t["privateKey"].as_str().expect("key"));
                args.extend(["--private-key", key.as_str()]);
            }
            let value = t
                .get("value")
                .or_else(|| t.get("token"))
                .and_then(|v| v.as_str())
                .expect("value");
            let secret = t.get("clientSecret").and_then(|v| v.as_str());
            let o = run(&args, format!("{value}\n").as_bytes(), secret);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{file} tcId {}: {}",
                t["tcId"],
                stderr(&o)
            );
            let hex: String = o.stdout.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(
                hex,
                t["plaintextHex"].as_str().expect("hex"),
                "{file} tcId {}",
                t["tcId"]
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} vectors checked");
}

#[test]
fn bad_values_exit_1_naming_the_code() {
    let v = ok(&run(
        &["encrypt", "--encryption", "aes256-gcm"],
        b"hunter2!",
        Some(SECRET),
    ));
    let v = v.trim();
    let mut tampered = v.as_bytes().to_vec();
    tampered[20] = if tampered[20] == b'A' { b'B' } else { b'A' };
    fails(
        &run(
            &["decrypt", "--encryption", "aes256-gcm"],
            &tampered,
            Some(SECRET),
        ),
        "authentication_failed",
    );
    fails(
        &run(
            &["decrypt", "--encryption", "aes256-gcm"],
            &v.as_bytes()[..20],
            Some(SECRET),
        ),
        "malformed",
    );
    fails(
        &run(
            &["decrypt", "--encryption", "aes256-gcm"],
            b"not*base64",
            Some(SECRET),
        ),
        "invalid_base64",
    );
    let wrong = "another-client-secret-0123456789abcdefghijklmnop";
    let o = run(
        &["decrypt", "--encryption", "aes256-gcm"],
        v.as_bytes(),
        Some(wrong),
    );
    fails(&o, "authentication_failed");
    assert!(!stderr(&o).contains(wrong) && !stderr(&o).contains("hunter2"));
    fails(
        &run(
            &["decrypt", "--encryption", "aes256-gcm"],
            v.as_bytes(),
            Some("short"),
        ),
        "invalid_key",
    );
    let c = ok(&run(
        &[
            "encrypt",
            "--encryption",
            "client-side",
            "--public-key",
            &vector_key("rsa2048_public.pem"),
        ],
        b"x",
        None,
    ));
    let o = run(
        &[
            "decrypt",
            "--encryption",
            "client-side",
            "--private-key",
            &vector_key("rsa2048b_pkcs8.pem"),
        ],
        c.as_bytes(),
        None,
    );
    fails(&o, "authentication_failed");
    let o = run(
        &[
            "decrypt",
            "--encryption",
            "client-side",
            "--private-key",
            &vector_key("rsa2048_public.pem"),
        ],
        c.as_bytes(),
        None,
    );
    fails(&o, "invalid_key");
    let j = ok(&run(
        &["encrypt", "--encryption", "aes256-gcm"],
        b"not json",
        Some(SECRET),
    ));
    fails(
        &run(
            &["decrypt", "--encryption", "aes256-gcm", "--json"],
            j.as_bytes(),
            Some(SECRET),
        ),
        "invalid_json",
    );
    let j = ok(&run(
        &["encrypt", "--encryption", "aes256-gcm"],
        br#"{"a": [1, 2]}"#,
        Some(SECRET),
    ));
    let pretty = ok(&run(
        &["decrypt", "--encryption", "aes256-gcm", "--json"],
        j.as_bytes(),
        Some(SECRET),
    ));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&pretty).expect("json"),
        serde_json::json!({"a": [1, 2]})
    );
}

#[test]
fn usage_errors_exit_2() {
    // No client secret anywhere.
    let o = run(&["decrypt", "--encryption", "aes256-gcm"], b"AAAA", None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The secret is never accepted as an argument.
    let o = run(
        &[
            "decrypt",
            "--encryption",
            "aes256-gcm",
            "--client-secret",
            SECRET,
        ],
        b"AAAA",
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        run(&["decrypt", "--encryption", "rot13"], b"", None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["decrypt", "--encryption", "client-side"], b"", None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"], b"", None).status.code(), Some(2));
    assert_eq!(run(&[], b"", None).status.code(), Some(2));
    let help = ok(&run(&["--help"], b"", None));
    assert!(help.contains("PORT_CLIENT_SECRET") && help.contains("decrypt-payload"));
}

#[test]
fn client_secret_file_is_trimmed() {
    let dir = temp_dir("secret-file");
    let file = dir.join("secret.txt");
    std::fs::write(&file, format!("{SECRET}\n")).expect("write");
    let f = file.display().to_string();
    let v = ok(&run(
        &[
            "--client-secret-file",
            &f,
            "encrypt",
            "--encryption",
            "aes256-gcm",
        ],
        b"x",
        None,
    ));
    assert_eq!(
        ok(&run(
            &["decrypt", "--encryption", "aes256-gcm"],
            v.as_bytes(),
            Some(SECRET)
        )),
        "x"
    );
    let missing = dir.join("missing.txt").display().to_string();
    let o = run(
        &[
            "--client-secret-file",
            &missing,
            "decrypt",
            "--encryption",
            "aes256-gcm",
        ],
        b"x",
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: io:"));
}

#[test]
fn keygen_writes_a_private_file() {
    let dir = temp_dir("keygen");
    let out = dir.display().to_string();
    ok(&run(&["keygen", "--out", &out], b"", None));
    let private = dir.join("private_key.pem");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    let public = dir.join("public_key.pem").display().to_string();
    let v = ok(&run(
        &[
            "encrypt",
            "--encryption",
            "client-side",
            "--public-key",
            &public,
        ],
        b"k",
        None,
    ));
    let p = private.display().to_string();
    assert_eq!(
        ok(&run(
            &[
                "decrypt",
                "--encryption",
                "client-side",
                "--private-key",
                &p
            ],
            v.as_bytes(),
            None
        )),
        "k"
    );
    // No silent overwrite.
    assert_eq!(
        run(&["keygen", "--out", &out], b"", None).status.code(),
        Some(2)
    );
    assert_eq!(
        run(
            &["keygen", "--bits", "1024", "--out", &out, "--force"],
            b"",
            None
        )
        .status
        .code(),
        Some(1)
    );
}

#[test]
fn decrypt_payload_on_the_demo() {
    let demo = root().join("examples/demo");
    let secret = std::fs::read_to_string(demo.join("client_secret.txt")).expect("demo secret");
    let body = std::fs::read(demo.join("body.json")).expect("body");
    let action = demo.join("action.json").display().to_string();
    let key = demo.join("private_key.pem").display().to_string();
    let out = ok(&run(
        &[
            "decrypt-payload",
            "--action",
            &action,
            "--private-key",
            &key,
        ],
        &body,
        Some(secret.trim()),
    ));
    let got: serde_json::Value = serde_json::from_str(&out).expect("json out");
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(demo.join("expected.json")).expect("expected"),
    )
    .expect("json");
    assert_eq!(got, want);
    // Without the private key, the client-side input cannot be decrypted: exit 1, input named.
    let o = run(
        &["decrypt-payload", "--action", &action],
        &body,
        Some(secret.trim()),
    );
    fails(&o, "invalid_key");
    assert!(stderr(&o).contains("vendor_api_key"));
    // Not JSON.
    fails(
        &run(
            &[
                "decrypt-payload",
                "--action",
                &action,
                "--private-key",
                &key,
            ],
            b"{oops",
            Some(secret.trim()),
        ),
        "invalid_json",
    );
    // A pointer to nothing: --properties-pointer, and --pointer, its alias.
    for flag in ["--properties-pointer", "--pointer"] {
        let o = run(
            &[
                "decrypt-payload",
                "--action",
                &action,
                "--private-key",
                &key,
                flag,
                "/nope",
            ],
            &body,
            Some(secret.trim()),
        );
        fails(&o, "malformed");
    }
}

#[test]
fn sign_and_verify() {
    let body = br#"{"action":"deploy"}"#;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        .to_string();
    let sig = ok(&run(&["sign", "--timestamp", &now], body, Some(SECRET)));
    let sig = sig.trim();
    ok(&run(
        &["verify", "--signature", sig, "--timestamp", &now],
        body,
        Some(SECRET),
    ));
    fails(
        &run(
            &["verify", "--signature", sig, "--timestamp", &now],
            b"{}",
            Some(SECRET),
        ),
        "invalid_signature",
    );
    let old = ok(&run(&["sign", "--timestamp", "1000"], body, Some(SECRET)));
    fails(
        &run(
            &["verify", "--signature", old.trim(), "--timestamp", "1000"],
            body,
            Some(SECRET),
        ),
        "expired",
    );
}

/// `sign` takes its timestamp as `--timestamp`, so no argument order can swap it with the secret;
/// what it passes on to the library is in the library's order (body, timestamp, secret): a
/// timestamp that is not an integer (a client secret given as one, say) is refused as
/// `malformed`, and what it signs `verify` accepts.
#[test]
fn sign_refuses_a_timestamp_that_is_not_an_integer() {
    let body = br#"{"action":"deploy"}"#;
    for bad in [SECRET, "now", "1700000000.5"] {
        let o = run(&["sign", "--timestamp", bad], body, Some(SECRET));
        fails(&o, "malformed");
        assert!(!stderr(&o).contains(SECRET), "stderr: {}", stderr(&o));
    }
    let now = now();
    let sig = ok(&run(&["sign", "--timestamp", &now], body, Some(SECRET)));
    assert_eq!(
        sig.trim(),
        port_secret_core::sign_payload(body, &now, SECRET).expect("sign")
    );
    ok(&run(
        &["verify", "--signature", sig.trim(), "--timestamp", &now],
        body,
        Some(SECRET),
    ));
}

/// The demo run, its client secret, its private key (a path) and the expected output.
struct Demo {
    secret: String,
    body: Vec<u8>,
    key: String,
    expected: serde_json::Value,
}

fn demo() -> Demo {
    let dir = root().join("examples/demo");
    let secret = std::fs::read_to_string(dir.join("client_secret.txt")).expect("demo secret");
    let expected = std::fs::read_to_string(dir.join("expected.json")).expect("expected");
    Demo {
        secret: secret.trim().to_owned(),
        body: std::fs::read(dir.join("body.json")).expect("body"),
        key: dir.join("private_key.pem").display().to_string(),
        expected: serde_json::from_str(&expected).expect("json"),
    }
}

fn now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        .to_string()
}

fn json_out(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("json out")
}

#[test]
fn decrypt_payload_verifies_a_signed_webhook() {
    let d = demo();
    let ts = now();
    let sig = port_secret_core::sign_payload(&d.body, &ts, &d.secret).expect("sign");
    let args = [
        "decrypt-payload",
        "--signature",
        &sig,
        "--timestamp",
        &ts,
        "--private-key",
        &d.key,
    ];
    // No --action: the definitions come from the body's payload.action.userInputs.
    assert_eq!(json_out(&run(&args, &d.body, Some(&d.secret))), d.expected);
    // One byte changed after signing.
    let mut tampered = d.body.clone();
    let at = tampered
        .windows(8)
        .position(|w| w == b"TRIGGERE")
        .expect("status");
    tampered[at] = b'X';
    let o = run(&args, &tampered, Some(&d.secret));
    fails(&o, "invalid_signature");
    assert!(o.stdout.is_empty());
    // Another client secret.
    let other = "another-client-secret-0123456789abcdefghijklmnop";
    fails(&run(&args, &d.body, Some(other)), "invalid_signature");
    // A stale timestamp, correctly signed: expired, unless the tolerance covers it.
    let old = (ts.parse::<u64>().expect("ts") - 1000).to_string();
    let old_sig = port_secret_core::sign_payload(&d.body, &old, &d.secret).expect("sign");
    let mut stale = vec![
        "decrypt-payload",
        "--signature",
        &old_sig,
        "--timestamp",
        &old,
        "--private-key",
        &d.key,
    ];
    fails(&run(&stale, &d.body, Some(&d.secret)), "expired");
    stale.extend(["--tolerance", "3600"]);
    assert_eq!(json_out(&run(&stale, &d.body, Some(&d.secret))), d.expected);
    // A signature but no client secret to check it with: usage.
    let o = run(&args, &d.body, None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // --signature and --timestamp go together.
    let o = run(
        &["decrypt-payload", "--signature", &sig],
        &d.body,
        Some(&d.secret),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = run(
        &["decrypt-payload", "--timestamp", &ts],
        &d.body,
        Some(&d.secret),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn decrypt_payload_agent_mode() {
    let d = demo();
    let ts = now();
    // port-agent signs CPython's compact, ASCII-only JSON of the run, not the bytes it sends.
    let value: serde_json::Value = serde_json::from_slice(&d.body).expect("json");
    let signed = port_secret_core::hazmat::python_compact_json(&value, true);
    let sig = port_secret_core::sign_payload(&signed, &ts, &d.secret).expect("sign");
    let args = |delivery: &'static str| {
        vec![
            "decrypt-payload".to_owned(),
            "--delivery".to_owned(),
            delivery.to_owned(),
            "--signature".to_owned(),
            sig.clone(),
            "--timestamp".to_owned(),
            ts.clone(),
            "--private-key".to_owned(),
            d.key.clone(),
        ]
    };
    let agent = args("agent");
    let agent: Vec<&str> = agent.iter().map(String::as_str).collect();
    // The body as sent (indented): verified over its parsed value.
    assert_eq!(json_out(&run(&agent, &d.body, Some(&d.secret))), d.expected);
    // As a Port webhook, the same signature does not match the raw bytes.
    let port = args("port");
    let port: Vec<&str> = port.iter().map(String::as_str).collect();
    fails(&run(&port, &d.body, Some(&d.secret)), "invalid_signature");
    // A changed value in the run: invalid_signature.
    let mut changed = value.clone();
    changed["status"] = "SUCCESS".into();
    let changed = serde_json::to_vec(&changed).expect("json");
    fails(&run(&agent, &changed, Some(&d.secret)), "invalid_signature");
}

#[test]
fn decrypt_payload_kafka_message() {
    let d = demo();
    let ts = now();
    // A message value as Port puts it on the topic: the run plus `headers`, signed over its
    // compact JSON without the two X-Port-* keys.
    let mut message: serde_json::Value = serde_json::from_slice(&d.body).expect("json");
    message["headers"] = serde_json::json!({"X-Port-Request-Id": "req_DEMO"});
    let signed = port_secret_core::hazmat::python_compact_json(&message, false);
    let sig = port_secret_core::sign_payload(&signed, &ts, &d.secret).expect("sign");
    message["headers"]["X-Port-Signature"] = sig.into();
    message["headers"]["X-Port-Timestamp"] = ts.into();
    let bytes = serde_json::to_vec(&message).expect("json");
    let args = [
        "decrypt-payload",
        "--delivery",
        "kafka",
        "--private-key",
        &d.key,
    ];
    let got = json_out(&run(&args, &bytes, Some(&d.secret)));
    let mut want = d.expected.clone();
    want["headers"] = message["headers"].clone();
    assert_eq!(got, want);
    // Tampered: invalid_signature; the same message with --no-verify opens.
    let mut tampered = message.clone();
    tampered["headers"]["X-Port-Request-Id"] = "req_OTHER".into();
    let tampered = serde_json::to_vec(&tampered).expect("json");
    fails(&run(&args, &tampered, Some(&d.secret)), "invalid_signature");
    let mut no_verify = args.to_vec();
    no_verify.push("--no-verify");
    assert_eq!(
        json_out(&run(&no_verify, &tampered, Some(&d.secret)))["payload"],
        want["payload"]
    );
    // A message without headers is verified too: invalid_signature.
    fails(&run(&args, &d.body, Some(&d.secret)), "invalid_signature");
    // A Kafka message carries its own signature: --signature is wrong usage.
    let o = run(
        &[
            "decrypt-payload",
            "--delivery",
            "kafka",
            "--signature",
            "v1,x",
            "--timestamp",
            "1",
        ],
        &bytes,
        Some(&d.secret),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn decrypt_payload_definitions_from_the_names_list() {
    // No userInputs anywhere: the names in censoredProperties, each as aes256-gcm.
    let d = demo();
    let mut body: serde_json::Value = serde_json::from_slice(&d.body).expect("json");
    body["payload"]["action"]
        .as_object_mut()
        .expect("action")
        .remove("userInputs");
    body["payload"]["censoredProperties"] = serde_json::json!(["db_password", "tls_certificate"]);
    let bytes = serde_json::to_vec(&body).expect("json");
    let got = json_out(&run(&["decrypt-payload"], &bytes, Some(&d.secret)));
    let props = &got["payload"]["properties"];
    assert_eq!(
        props["db_password"],
        d.expected["payload"]["properties"]["db_password"]
    );
    assert_eq!(
        props["tls_certificate"],
        d.expected["payload"]["properties"]["tls_certificate"]
    );
    // Not in the list: left encrypted.
    assert_eq!(
        props["db_connection"],
        body["payload"]["properties"]["db_connection"]
    );
    // Nothing to go on: malformed.
    body["payload"]
        .as_object_mut()
        .expect("payload")
        .remove("censoredProperties");
    let bytes = serde_json::to_vec(&body).expect("json");
    fails(
        &run(&["decrypt-payload"], &bytes, Some(&d.secret)),
        "malformed",
    );
}
