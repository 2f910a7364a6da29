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
    pipe.write_all(stdin).expect("write stdin");
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
    // A pointer to nothing.
    let o = run(
        &[
            "decrypt-payload",
            "--action",
            &action,
            "--private-key",
            &key,
            "--pointer",
            "/nope",
        ],
        &body,
        Some(secret.trim()),
    );
    fails(&o, "malformed");
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
