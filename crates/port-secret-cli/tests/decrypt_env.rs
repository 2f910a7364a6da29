//! `port-secret decrypt-env`: each format's exact output, hostile values that must not inject
//! anything into a CI job (checked by parsing the output as the GitHub runner, the Azure agent
//! and sh/bash do), the --out file, and the failures.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const SECRET: &str = "cli-test-client-secret-0123456789abcdefghijklmnop";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("port-secret-env-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn encrypt(plaintext: &[u8]) -> String {
    port_secret_core::encrypt_aes256_gcm(plaintext, SECRET).expect("encrypt")
}

/// Runs `port-secret` with only the given environment (plus the client secret when `Some`).
fn run(args: &[&str], env: &[(&str, &str)], secret: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_port-secret"));
    cmd.args(args)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(s) = secret {
        cmd.env("PORT_CLIENT_SECRET", s);
    }
    cmd.output().expect("run port-secret")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

/// Exit 1, stderr `error: <code> (input "<name>")`, nothing on stdout.
fn fails_on(o: &Output, code: &str, input: &str) {
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(o));
    let want = format!("error: {code} (input \"{input}\")");
    assert!(stderr(o).starts_with(&want), "stderr: {}", stderr(o));
    assert!(o.stdout.is_empty(), "stdout: {:?}", o.stdout);
}

fn usage(o: &Output) {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(o));
    assert!(o.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Reference parsers: what the CI systems do with the output.
// ---------------------------------------------------------------------------------------------

/// actions/runner `SetEnvFileCommand` / `SetOutputFileCommand` on Linux (FileCommandManager.cs):
/// `NAME=VALUE` lines, or `NAME<<DELIMITER`, the value up to the line equal to the delimiter.
fn parse_github_file(text: &str) -> Vec<(String, String)> {
    fn read_line<'a>(text: &'a str, index: &mut usize) -> Option<(&'a str, bool)> {
        if *index >= text.len() {
            return None;
        }
        let start = *index;
        match text[start..].find('\n') {
            None => {
                *index = text.len();
                Some((&text[start..], false))
            }
            Some(lf) => {
                *index = start + lf + 1;
                Some((&text[start..start + lf], true))
            }
        }
    }
    let mut out = Vec::new();
    let mut index = 0;
    while let Some((line, _)) = read_line(text, &mut index) {
        if line.is_empty() {
            continue;
        }
        let eq = line.find('=');
        let heredoc = line.find("<<");
        match (eq, heredoc) {
            (Some(e), h) if h.is_none_or(|h| e < h) => {
                out.push((line[..e].to_owned(), line[e + 1..].to_owned()));
            }
            (_, Some(h)) => {
                let (name, delimiter) = (&line[..h], &line[h + 2..]);
                assert!(
                    !name.is_empty() && !delimiter.is_empty(),
                    "bad header {line:?}"
                );
                let start = index;
                let mut end = index;
                loop {
                    let (l, newline) = read_line(text, &mut index)
                        .unwrap_or_else(|| panic!("delimiter {delimiter} not found"));
                    if l == delimiter {
                        break;
                    }
                    assert!(newline, "EOF marker missing new line");
                    end = index - 1;
                }
                let value = if end > start { &text[start..end] } else { "" };
                out.push((name.to_owned(), value.to_owned()));
            }
            _ => panic!("invalid line {line:?}"),
        }
    }
    out
}

/// actions/runner `ActionCommand` data unescaping: `%0D`, `%0A`, then `%25`.
fn github_unescape(data: &str) -> String {
    data.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

/// The stdout of `--format github`, as the runner reads it: every line must be `::add-mask::`;
/// returns the registered secrets.
fn github_masks(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            let data = line
                .strip_prefix("::add-mask::")
                .unwrap_or_else(|| panic!("not an add-mask line: {line:?}"));
            github_unescape(data)
        })
        .collect()
}

/// azure-pipelines-agent `Command.TryParse` + `Unescape` (`%3B`, `%0D`, `%0A`, `%5D`, then
/// `%AZP25`, DECODE_PERCENTS on as by default): (area.event, properties, data) of one line.
fn parse_vso(line: &str) -> (String, BTreeMap<String, String>, String) {
    fn unescape(s: &str) -> String {
        s.replace("%3B", ";")
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%5D", "]")
            .replace("%AZP25", "%")
    }
    let prefix = line.find("##vso[").expect("a ##vso[ command");
    assert_eq!(prefix, 0, "command not at the start of {line:?}");
    let rb = line.find(']').expect("]");
    let info = &line[6..rb];
    let (name, props) = info.split_once(' ').unwrap_or((info, ""));
    let mut properties = BTreeMap::new();
    for p in props.split(';').filter(|p| !p.is_empty()) {
        if let Some((k, v)) = p.split_once('=') {
            properties.insert(k.to_owned(), unescape(v));
        }
    }
    (name.to_owned(), properties, unescape(&line[rb + 1..]))
}

/// Every line of `--format azure` output: setsecret lines, then one setvariable per input.
/// Returns (secrets, variables).
fn azure_commands(stdout: &str) -> (Vec<String>, BTreeMap<String, String>) {
    let (mut secrets, mut vars) = (Vec::new(), BTreeMap::new());
    for line in stdout.lines() {
        let (name, props, data) = parse_vso(line);
        match name.as_str() {
            "task.setsecret" => {
                assert!(props.is_empty());
                secrets.push(data);
            }
            "task.setvariable" => {
                assert_eq!(props.len(), 2, "{line:?}");
                assert_eq!(props["issecret"], "true");
                assert!(
                    vars.insert(props["variable"].clone(), data).is_none(),
                    "{line:?}"
                );
            }
            other => panic!("unexpected command {other} in {line:?}"),
        }
    }
    (secrets, vars)
}

/// The heredoc delimiters of a GitHub file replaced by `EOF`, for exact comparisons.
fn normalize_delimiters(text: &str) -> String {
    let mut out = text.to_owned();
    for line in text.lines() {
        if let Some((_, d)) = line.split_once("<<") {
            assert!(d.starts_with("ghadelimiter_") && d.len() == 45, "{d}");
            out = out.replace(d, "EOF");
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Exact output of each format.
// ---------------------------------------------------------------------------------------------

/// A: a string; B: two lines with a quote; C: an object input; E: empty (optional, left empty).
fn sample_env() -> Vec<(&'static str, String)> {
    vec![
        ("A", encrypt(b"hunter2")),
        ("VAR_B", encrypt(b"it's\nmulti")),
        ("C", encrypt(br#"{"user": "admin", "pw": "s3cr%t"}"#)),
        ("E", String::new()),
    ]
}

const SAMPLE_ARGS: [&str; 8] = [
    "--env", "A", "--env", "B=VAR_B", "--env", "C:object", "--env", "E",
];

fn sample_run(format: &str, extra: &[&str], more_env: &[(&str, &str)]) -> Output {
    let env = sample_env();
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.extend_from_slice(more_env);
    let mut args = vec!["decrypt-env", "--format", format];
    args.extend(SAMPLE_ARGS);
    args.extend(extra);
    run(&args, &env, Some(SECRET))
}

#[test]
fn shell_format_exact() {
    assert_eq!(
        ok(&sample_run("shell", &[], &[])),
        "export A='hunter2'\n\
         export B='it'\\''s\nmulti'\n\
         export C='{\"user\":\"admin\",\"pw\":\"s3cr%t\"}'\n\
         export E=''\n"
    );
}

#[test]
fn json_format_exact() {
    assert_eq!(
        ok(&sample_run("json", &[], &[])),
        "{\"A\":\"hunter2\",\"B\":\"it's\\nmulti\",\"C\":{\"user\":\"admin\",\"pw\":\"s3cr%t\"},\"E\":null}\n"
    );
}

#[test]
fn azure_format_exact() {
    assert_eq!(
        ok(&sample_run("azure", &[], &[])),
        "##vso[task.setsecret]it's\\nmulti\n\
         ##vso[task.setsecret]it's\n\
         ##vso[task.setsecret]multi\n\
         ##vso[task.setsecret]admin\n\
         ##vso[task.setsecret]s3cr%AZP25t\n\
         ##vso[task.setvariable variable=A;issecret=true]hunter2\n\
         ##vso[task.setvariable variable=B;issecret=true]it's%0Amulti\n\
         ##vso[task.setvariable variable=C;issecret=true]{\"user\":\"admin\",\"pw\":\"s3cr%AZP25t\"}\n\
         ##vso[task.setvariable variable=E;issecret=true]\n"
    );
}

#[test]
fn github_format_exact() {
    let dir = temp_dir("github-exact");
    let (output, env) = (dir.join("output"), dir.join("env"));
    std::fs::write(&output, "earlier=1\n").expect("write");
    std::fs::write(&env, "").expect("write");
    let (o, e) = (output.display().to_string(), env.display().to_string());
    let stdout = ok(&sample_run(
        "github",
        &["--export"],
        &[("GITHUB_OUTPUT", &o), ("GITHUB_ENV", &e)],
    ));
    assert_eq!(
        stdout,
        format!(
            "::add-mask::{SECRET}\n\
             ::add-mask::hunter2\n\
             ::add-mask::it's%0Amulti\n\
             ::add-mask::it's\\nmulti\n\
             ::add-mask::it's\n\
             ::add-mask::multi\n\
             ::add-mask::{{\"user\":\"admin\",\"pw\":\"s3cr%25t\"}}\n\
             ::add-mask::admin\n\
             ::add-mask::s3cr%25t\n"
        )
    );
    let entries = "A<<EOF\nhunter2\nEOF\n\
                   B<<EOF\nit's\nmulti\nEOF\n\
                   C<<EOF\n{\"user\":\"admin\",\"pw\":\"s3cr%t\"}\nEOF\n\
                   E<<EOF\n\nEOF\n";
    let written = std::fs::read_to_string(&output).expect("read");
    assert_eq!(
        normalize_delimiters(&written),
        format!("earlier=1\n{entries}")
    );
    assert_eq!(
        normalize_delimiters(&std::fs::read_to_string(&env).expect("read")),
        entries
    );
    // Each entry has its own delimiter.
    let headers: Vec<&str> = written.lines().filter(|l| l.contains("<<")).collect();
    let mut delimiters: Vec<&str> = headers
        .iter()
        .filter_map(|h| h.split_once("<<"))
        .map(|(_, d)| d)
        .collect();
    delimiters.dedup();
    assert_eq!(delimiters.len(), 4);
    assert_eq!(
        parse_github_file(&written),
        [
            ("earlier", "1"),
            ("A", "hunter2"),
            ("B", "it's\nmulti"),
            ("C", r#"{"user":"admin","pw":"s3cr%t"}"#),
            ("E", ""),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile values.
// ---------------------------------------------------------------------------------------------

/// Values that try every way in: line breaks, command syntax of each CI, shell syntax, escapes.
/// `MARKER` is replaced by a directory that must stay empty.
const HOSTILE: &[&str] = &[
    "line1\nline2\n",
    "100% %25 %0A %0D %AZP25 %3B %5D %%",
    ":: ::set-output name=x::y",
    "\n::set-output name=pwned::1\n::add-mask::x\n::stop-commands::abc\n",
    "##vso[task.setvariable variable=PWNED]1",
    "x\n##vso[task.setvariable variable=PWNED;]1\n##vso[task.complete result=Failed;]done",
    "a]b;c[d]]; ##vso[",
    "it's \"quoted\" 'twice' '\\''",
    "$(touch MARKER/m1) ${HOME} $HOME $((1+1)) !! !$",
    "`touch MARKER/m2`",
    "'; touch MARKER/m3; echo '",
    "\"; touch MARKER/m4; echo \"",
    "\r\nCR\rLF\n\r",
    "ghadelimiter_0\nEOF\nPWNED<<EOF\nx\nEOF",
    "PWNED=1\nB<<EOF",
    "\\ \\n \\\\ \t tab \\'",
    "ünïcødé ✓ 🚀 \u{2028} \u{85} \u{feff}",
    "  spaces  ",
    "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n",
    "",
    "\n",
    "%",
    "*?[a-z] ~ & | ; < > #",
];

const HOSTILE_OBJECT: &str = r#"{"k": "v\n::set-output name=a::b\n##vso[task.setvariable variable=PWNED]1", "n": [1, "$(touch MARKER/m5)"], "q": "'"}"#;

struct Hostile {
    dir: PathBuf,
    marker: PathBuf,
    env: Vec<(String, String)>,
    args: Vec<String>,
    /// (variable name, plaintext) in order; `obj` is the object input's compact JSON.
    want: Vec<(String, String)>,
}

fn hostile(name: &str) -> Hostile {
    let dir = temp_dir(name);
    let marker = dir.join("marker");
    std::fs::create_dir_all(&marker).expect("marker dir");
    let m = marker.display().to_string();
    let (mut env, mut args, mut want) = (Vec::new(), Vec::new(), Vec::new());
    for (i, value) in HOSTILE.iter().enumerate() {
        let value = value.replace("MARKER", &m);
        env.push((format!("CT_{i}"), encrypt(value.as_bytes())));
        args.extend(["--env".to_owned(), format!("v{i}=CT_{i}")]);
        want.push((format!("v{i}"), value));
    }
    let object = HOSTILE_OBJECT.replace("MARKER", &m);
    env.push(("CT_OBJ".into(), encrypt(object.as_bytes())));
    args.extend(["--env".to_owned(), "obj:object=CT_OBJ".to_owned()]);
    let compact = serde_json::to_string(&serde_json::from_str::<Value>(&object).expect("json"))
        .expect("json");
    want.push(("obj".into(), compact));
    Hostile {
        dir,
        marker,
        env,
        args,
        want,
    }
}

impl Hostile {
    fn run(&self, format: &str, extra: &[(&str, &str)], more_args: &[&str]) -> Output {
        let mut args = vec!["decrypt-env", "--format", format];
        args.extend(self.args.iter().map(String::as_str));
        args.extend(more_args);
        let mut env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        env.extend_from_slice(extra);
        run(&args, &env, Some(SECRET))
    }

    fn assert_no_marker(&self) {
        let left: Vec<_> = std::fs::read_dir(&self.marker)
            .expect("marker dir")
            .collect();
        assert!(left.is_empty(), "a command ran: {left:?}");
    }
}

#[test]
fn hostile_values_shell_eval_in_bash_and_sh() {
    let h = hostile("shell");
    let out = ok(&h.run("shell", &[], &[]));
    // One `export NAME='...'` per input, nothing else starts a line outside the quotes.
    assert!(out.matches("export ").count() >= h.want.len());
    let script_file = h.dir.join("vars.sh");
    std::fs::write(&script_file, &out).expect("write");
    for shell in ["bash", "sh"] {
        let got_dir = h.dir.join(format!("got-{shell}"));
        std::fs::create_dir_all(&got_dir).expect("dir");
        let mut script = String::from("set -eu\neval \"$(cat \"$1\")\"\n");
        for (name, _) in &h.want {
            script.push_str(&format!("printf '%s' \"${name}\" > \"$2/{name}\"\n"));
        }
        // Only the expected variables changed: PWNED was never set.
        script.push_str("test -z \"${PWNED+x}\" || { echo PWNED set; exit 3; }\n");
        let o = Command::new(shell)
            .args(["-c", &script, shell])
            .arg(&script_file)
            .arg(&got_dir)
            .output()
            .expect("run shell");
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        for (name, value) in &h.want {
            let got = std::fs::read(got_dir.join(name)).expect("value file");
            assert_eq!(got, value.as_bytes(), "{shell}: {name}");
        }
        h.assert_no_marker();
    }
}

#[test]
fn hostile_values_github_parsed_as_the_runner_does() {
    let h = hostile("github");
    let (output, env) = (h.dir.join("output"), h.dir.join("env"));
    std::fs::write(&output, "").expect("write");
    std::fs::write(&env, "").expect("write");
    let (o, e) = (output.display().to_string(), env.display().to_string());
    let stdout = ok(&h.run(
        "github",
        &[("GITHUB_OUTPUT", &o), ("GITHUB_ENV", &e)],
        &["--export"],
    ));
    // stdout: add-mask commands only (the runner reads each line; no other command can start one).
    let masks = github_masks(&stdout);
    for (name, value) in &h.want {
        if !value.trim().is_empty() {
            assert!(masks.contains(value), "{name}: whole value not masked");
        }
        for line in value.split(['\r', '\n']) {
            let line = line
                .trim_matches(|c: char| (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}');
            if line.chars().any(char::is_alphanumeric) && !line.starts_with("-----") {
                assert!(
                    masks.iter().any(|m| m == line),
                    "{name}: line {line:?} not masked"
                );
            }
        }
    }
    for file in [&output, &env] {
        let parsed = parse_github_file(&std::fs::read_to_string(file).expect("read"));
        let want: Vec<(String, String)> = h.want.clone();
        assert_eq!(parsed, want, "{}", file.display());
    }
}

#[test]
fn hostile_values_azure_parsed_as_the_agent_does() {
    let h = hostile("azure");
    let stdout = ok(&h.run("azure", &[], &[]));
    let (secrets, vars) = azure_commands(&stdout);
    let want: BTreeMap<String, String> = h.want.iter().cloned().collect();
    assert_eq!(vars, want);
    assert!(!vars.contains_key("PWNED"));
    // The lines of multi-line values are registered as secrets too.
    for line in ["line1", "line2", "MIIEv", "CR", "LF"] {
        assert!(secrets.iter().any(|s| s == line), "{line}");
    }
    for line in stdout.lines() {
        assert!(
            line.starts_with("##vso[task.setsecret]")
                || line.starts_with("##vso[task.setvariable variable="),
            "{line:?}"
        );
        assert_eq!(line.matches(']').count(), 1, "{line:?}");
    }
}

#[test]
fn hostile_values_json_round_trip() {
    let h = hostile("json");
    let out = ok(&h.run("json", &[], &[]));
    assert_eq!(out.lines().count(), 1);
    let got: Value = serde_json::from_str(&out).expect("json");
    for (name, value) in &h.want {
        let got = if name == "obj" {
            serde_json::to_string(&got[name]).expect("json")
        } else {
            got[name].as_str().expect("string").to_owned()
        };
        assert_eq!(&got, value, "{name}");
    }
}

#[test]
fn nul_and_non_utf8_values_are_refused() {
    let dir = temp_dir("nul");
    let output = dir.join("output");
    std::fs::write(&output, "").expect("write");
    let o = output.display().to_string();
    let nul = encrypt(b"a\0b");
    let bad = encrypt(b"ok \xff\xfe");
    let fine = encrypt(b"fine");
    let gh = [("GITHUB_OUTPUT", o.as_str())];
    for format in ["shell", "github", "azure"] {
        let out = run(
            &[
                "decrypt-env",
                "--format",
                format,
                "--env",
                "first=F",
                "--env",
                "nul_value=N",
            ],
            &[&gh[..], &[("F", &fine), ("N", &nul)]].concat(),
            Some(SECRET),
        );
        fails_on(&out, "nul_byte", "nul_value");
        assert!(stderr(&out).contains("NUL"), "{}", stderr(&out));
    }
    for format in ["shell", "github", "azure", "json"] {
        let out = run(
            &[
                "decrypt-env",
                "--format",
                format,
                "--env",
                "first=F",
                "--env",
                "bin=N",
            ],
            &[&gh[..], &[("F", &fine), ("N", &bad)]].concat(),
            Some(SECRET),
        );
        fails_on(&out, "invalid_utf8", "bin");
    }
    // Nothing reached the runner's file.
    assert_eq!(std::fs::read_to_string(&output).expect("read"), "");
    // JSON can carry a NUL.
    let out = ok(&run(
        &["decrypt-env", "--format", "json", "--env", "v=N"],
        &[("N", &nul)],
        Some(SECRET),
    ));
    assert_eq!(out, "{\"v\":\"a\\u0000b\"}\n");
}

// ---------------------------------------------------------------------------------------------
// Sources, encryptions, definitions.
// ---------------------------------------------------------------------------------------------

#[test]
fn files_client_side_and_per_input_encryption() {
    let dir = temp_dir("sources");
    let public = std::fs::read_to_string(root().join("tests/vectors/keys/rsa2048_public.pem"))
        .expect("public key");
    let key = root()
        .join("tests/vectors/keys/rsa2048_pkcs8.pem")
        .display()
        .to_string();
    let cs = port_secret_core::encrypt_client_side(b"from-rsa", &public).expect("encrypt");
    let fernet = port_secret_core::encrypt_fernet(b"old", SECRET).expect("fernet");
    let file = dir.join("value.txt");
    std::fs::write(&file, format!("  {}\n", encrypt(br#"{"a": 1}"#))).expect("write");
    let arg = format!("cfg:object={}", file.display());
    let out = ok(&run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--env",
            "api_key:client-side=CS",
            "--env",
            "legacy:fernet",
            "--file",
            &arg,
            "--private-key",
            &key,
        ],
        &[("CS", &cs), ("legacy", &fernet)],
        Some(SECRET),
    ));
    assert_eq!(
        out,
        "{\"api_key\":\"from-rsa\",\"legacy\":\"old\",\"cfg\":{\"a\":1}}\n"
    );
    // --encryption sets the default; client-side needs --private-key (usage).
    let out = ok(&run(
        &[
            "decrypt-env",
            "--format",
            "shell",
            "--encryption",
            "client-side",
            "--env",
            "api-key=CS",
            "--private-key",
            &key,
        ],
        &[("CS", &cs)],
        None,
    ));
    assert_eq!(out, "export api_key='from-rsa'\n");
    usage(&run(
        &[
            "decrypt-env",
            "--format",
            "shell",
            "--env",
            "k:client-side=CS",
        ],
        &[("CS", &cs)],
        Some(SECRET),
    ));
    // A missing file: exit 1 naming the input.
    let missing = format!("x={}", dir.join("nope").display());
    fails_on(
        &run(
            &["decrypt-env", "--format", "json", "--file", &missing],
            &[],
            Some(SECRET),
        ),
        "io",
        "x",
    );
}

#[test]
fn user_inputs_from_the_demo_action() {
    let demo = root().join("examples/demo");
    let secret = std::fs::read_to_string(demo.join("client_secret.txt")).expect("secret");
    let body: Value = serde_json::from_slice(&std::fs::read(demo.join("body.json")).expect("body"))
        .expect("json");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(demo.join("expected.json")).expect("expected"),
    )
    .expect("json");
    let action = demo.join("action.json").display().to_string();
    let key = demo.join("private_key.pem").display().to_string();
    let props = body["payload"]["properties"].as_object().expect("props");
    let defs = port_secret_cli::user_inputs(
        &serde_json::from_str::<Value>(&std::fs::read_to_string(&action).expect("action"))
            .expect("json"),
    )["properties"]
        .as_object()
        .expect("defs")
        .clone();
    let secret_names: Vec<&String> = defs
        .iter()
        .filter(|(_, d)| d.get("encryption").is_some())
        .map(|(n, _)| n)
        .collect();
    assert!(secret_names.len() >= 3);
    let env: Vec<(&str, &str)> = secret_names
        .iter()
        .map(|n| (n.as_str(), props[n.as_str()].as_str().expect("ciphertext")))
        .collect();
    // Without --env: every secret input of the action, from the variable of its name.
    let out = ok(&run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--user-inputs",
            &action,
            "--private-key",
            &key,
        ],
        &env,
        Some(secret.trim()),
    ));
    let got: Value = serde_json::from_str(&out).expect("json");
    for name in &secret_names {
        assert_eq!(
            got[name.as_str()],
            expected["payload"]["properties"][name.as_str()],
            "{name}"
        );
    }
    // Unset ones are skipped in that mode.
    let out = ok(&run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--user-inputs",
            &action,
            "--private-key",
            &key,
        ],
        &env[..1],
        Some(secret.trim()),
    ));
    let got: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(got.as_object().map(|m| m.len()), Some(1));
    // With --env: only those, types and encryption from the action; modifiers refused.
    let first = secret_names[0].as_str();
    let out = ok(&run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--user-inputs",
            &action,
            "--env",
            first,
            "--private-key",
            &key,
        ],
        &env,
        Some(secret.trim()),
    ));
    let got: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(got[first], expected["payload"]["properties"][first]);
    let with_modifier = format!("{first}:object");
    usage(&run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--user-inputs",
            &action,
            "--env",
            &with_modifier,
        ],
        &env,
        Some(secret.trim()),
    ));
    // Not a secret input of the action.
    usage(&run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--user-inputs",
            &action,
            "--env",
            "not_an_input",
        ],
        &env,
        Some(secret.trim()),
    ));
}

// ---------------------------------------------------------------------------------------------
// Failures and usage.
// ---------------------------------------------------------------------------------------------

#[test]
fn failures_name_the_input_never_the_value() {
    let ct = encrypt(b"hunter2-plaintext");
    let other = "another-client-secret-0123456789abcdefghijklmnop";
    let o = run(
        &[
            "decrypt-env",
            "--format",
            "shell",
            "--env",
            "first=F",
            "--env",
            "db_password=DB",
        ],
        &[("F", &encrypt(b"fine")), ("DB", &ct)],
        Some(other),
    );
    // The first input fails first: nothing written for either.
    fails_on(&o, "authentication_failed", "first");
    let err = stderr(&o);
    assert!(!err.contains(&ct) && !err.contains("hunter2") && !err.contains(other));
    let mut tampered = ct.clone().into_bytes();
    tampered[30] = if tampered[30] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let o = run(
        &["decrypt-env", "--format", "json", "--env", "db_password=DB"],
        &[("DB", &tampered)],
        Some(SECRET),
    );
    fails_on(&o, "authentication_failed", "db_password");
    assert!(!stderr(&o).contains(&tampered));
    fails_on(
        &run(
            &["decrypt-env", "--format", "json", "--env", "x=DB"],
            &[("DB", "not*base64")],
            Some(SECRET),
        ),
        "invalid_base64",
        "x",
    );
    fails_on(
        &run(
            &["decrypt-env", "--format", "json", "--env", "cfg:object=DB"],
            &[("DB", &ct)],
            Some(SECRET),
        ),
        "invalid_json",
        "cfg",
    );
    fails_on(
        &run(
            &["decrypt-env", "--format", "json", "--env", "unset_var"],
            &[],
            Some(SECRET),
        ),
        "missing",
        "unset_var",
    );
    // Variables the job must not get, and two inputs on one variable.
    fails_on(
        &run(
            &["decrypt-env", "--format", "shell", "--env", "LD_PRELOAD=DB"],
            &[("DB", &ct)],
            Some(SECRET),
        ),
        "invalid_name",
        "LD_PRELOAD",
    );
    fails_on(
        &run(
            &[
                "decrypt-env",
                "--format",
                "azure",
                "--env",
                "a-b=DB",
                "--env",
                "a_b=DB",
            ],
            &[("DB", &ct)],
            Some(SECRET),
        ),
        "invalid_name",
        "a_b",
    );
}

#[test]
fn wrong_usage_exits_2() {
    let ct = encrypt(b"x");
    let env = [("DB", ct.as_str())];
    for args in [
        &["decrypt-env", "--env", "DB"][..], // no --format
        &["decrypt-env", "--format", "yaml", "--env", "DB"], // unknown format
        &["decrypt-env", "--format", "shell"], // nothing to decrypt
        &[
            "decrypt-env",
            "--format",
            "shell",
            "--env",
            "DB",
            "--env",
            "DB",
        ], // twice
        &["decrypt-env", "--format", "shell", "--env", "DB:rot13"], // unknown modifier
        &[
            "decrypt-env",
            "--format",
            "shell",
            "--env",
            "DB:object:string",
        ],
        &["decrypt-env", "--format", "shell", "--env", "a b"], // not a name
        &["decrypt-env", "--format", "shell", "--env", "DB="],
        &["decrypt-env", "--format", "shell", "--file", "DB"], // --file needs =PATH
        &[
            "decrypt-env",
            "--format",
            "shell",
            "--env",
            "DB",
            "--export",
        ], // github only
        &["decrypt-env", "--format", "github", "--env", "DB"], // no GITHUB_OUTPUT
        &[
            "decrypt-env",
            "--format",
            "github",
            "--env",
            "DB",
            "--out",
            "x",
        ],
        &["decrypt-env", "--format", "shell", "--env", "DB", "--force"], // --force needs --out
        &[
            "decrypt-env",
            "--format",
            "shell",
            "--env",
            "DB",
            "--value",
            "x",
        ],
    ] {
        usage(&run(args, &env, Some(SECRET)));
    }
    // No client secret.
    usage(&run(
        &["decrypt-env", "--format", "shell", "--env", "DB"],
        &env,
        None,
    ));
    // --encryption and --user-inputs.
    usage(&run(
        &[
            "decrypt-env",
            "--format",
            "shell",
            "--user-inputs",
            "a.json",
            "--encryption",
            "fernet",
        ],
        &env,
        Some(SECRET),
    ));
    let help = ok(&run(&["decrypt-env", "--help"], &[], None));
    assert!(help.contains("--env") && help.contains("never an argument"));
}

// ---------------------------------------------------------------------------------------------
// --out
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .expect("meta")
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
#[test]
fn out_file_is_new_and_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("out");
    let ct = encrypt(b"s3cret");
    let env = [("DB", ct.as_str())];
    let path = dir.join("vars.sh");
    let p = path.display().to_string();
    let args = [
        "decrypt-env",
        "--format",
        "shell",
        "--env",
        "DB",
        "--out",
        &p,
    ];
    let o = run(&args, &env, Some(SECRET));
    assert_eq!(ok(&o), "");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "export DB='s3cret'\n"
    );
    assert_eq!(mode(&path), 0o600);
    // Exists: refused without --force (exit 2), content untouched.
    usage(&run(&args, &env, Some(SECRET)));
    // --force replaces a regular file of ours with a new 0600 file, even if it was 0644.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let forced = [&args[..], &["--force"]].concat();
    ok(&run(&forced, &env, Some(SECRET)));
    assert_eq!(mode(&path), 0o600);
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "export DB='s3cret'\n"
    );
    // A symbolic link at the path is never followed, with or without --force.
    let target = dir.join("target.txt");
    std::fs::write(&target, "keep").expect("write");
    let link = dir.join("link");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let l = link.display().to_string();
    let via_link = [
        "decrypt-env",
        "--format",
        "json",
        "--env",
        "DB",
        "--out",
        &l,
    ];
    usage(&run(&via_link, &env, Some(SECRET)));
    let o = run(&[&via_link[..], &["--force"]].concat(), &env, Some(SECRET));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep");
    // A dangling link: create_new refuses it too, nothing is created at its target.
    let dangling = dir.join("dangling");
    std::os::unix::fs::symlink(dir.join("nowhere"), &dangling).expect("symlink");
    let d = dangling.display().to_string();
    usage(&run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--env",
            "DB",
            "--out",
            &d,
        ],
        &env,
        Some(SECRET),
    ));
    assert!(!dir.join("nowhere").exists());
    // A failure writes no file; no temporary file is left behind.
    let fresh = dir.join("fresh.json");
    let f = fresh.display().to_string();
    let o = run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--env",
            "DB",
            "--out",
            &f,
        ],
        &env,
        Some("another-client-secret-0123456789abcdefghijklmnop"),
    );
    fails_on(&o, "authentication_failed", "DB");
    assert!(!fresh.exists());
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn empty_and_padded_values() {
    // An empty variable is an input left empty; surrounding white space is ignored.
    let ct = format!("\n  {}  \n", encrypt(b"v"));
    let out = ok(&run(
        &[
            "decrypt-env",
            "--format",
            "json",
            "--env",
            "a=A",
            "--env",
            "b=B",
        ],
        &[("A", &ct), ("B", " ")],
        Some(SECRET),
    ));
    assert_eq!(out, "{\"a\":\"v\",\"b\":null}\n");
    // Only empty values: no key needed.
    let out = ok(&run(
        &["decrypt-env", "--format", "shell", "--env", "b=B"],
        &[("B", "")],
        None,
    ));
    assert_eq!(out, "export b=''\n");
}
