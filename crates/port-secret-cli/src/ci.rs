//! `decrypt-env`: the formats in which a CI job receives decrypted secret inputs, and the rules
//! that keep a hostile value from injecting anything (a workflow command, a variable, a shell
//! command) into the job.
//!
//! Nothing here decrypts: the values come from the core's `Decryptor::decrypt_properties`.
//! Everything here is a pure function of the decrypted values (plus a random delimiter), so each
//! format's exact output and its escaping can be tested without a process.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use port_secret_core::mask::mask_pieces;
use serde_json::Value;
use zeroize::Zeroizing;

/// How `decrypt-env` hands the values to the job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CiFormat {
    /// GitHub Actions: `::add-mask::` lines on stdout, then `name<<delimiter` entries appended to
    /// `$GITHUB_OUTPUT` (and `$GITHUB_ENV`).
    Github,
    /// Azure Pipelines: `##vso[task.setsecret]` / `##vso[task.setvariable ...;issecret=true]`.
    Azure,
    /// `export NAME='...'` lines for `eval` in a POSIX shell (GitLab CI, Jenkins `sh`, ...).
    Shell,
    /// One JSON object `{"name": value}`.
    Json,
}

/// One decrypted input, in the order asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Decrypted {
    /// The input's name (the Port identifier; the key in `json`, the output name in `github`).
    pub name: String,
    /// The value: a string, or the parsed JSON of a `type: object` input. `None`: the input
    /// arrived empty (an optional input left empty): `""` in the text formats, `null` in JSON.
    pub value: Option<Value>,
}

/// A failure while rendering one input (exit 1): a stable code, the input, a fixed reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderError {
    /// `nul_byte` or `invalid_name`.
    pub code: &'static str,
    /// The input's name.
    pub input: String,
    /// What is wrong, never quoting the value.
    pub reason: String,
}

/// An input's name as Port identifiers and GitHub outputs spell them: `[A-Za-z0-9_.-]+`.
pub fn is_input_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// Names a variable may not take: the shell's own, the loader's, the runners'. Setting them from
/// a decrypted value would change how the job's later commands run.
fn is_reserved_variable(name: &str) -> bool {
    const PREFIXES: [&str; 7] = [
        "GITHUB_", "RUNNER_", "ACTIONS_", "INPUT_", "BASH_", "LD_", "DYLD_",
    ];
    const NAMES: [&str; 24] = [
        "PATH",
        "HOME",
        "CI",
        "NODE_OPTIONS",
        "ENV",
        "IFS",
        "PS1",
        "PS2",
        "PS4",
        "PROMPT_COMMAND",
        "SHELLOPTS",
        "BASHOPTS",
        "CDPATH",
        "GLOBIGNORE",
        "SHELL",
        "USER",
        "PWD",
        "OLDPWD",
        "UID",
        "EUID",
        "PPID",
        "TMPDIR",
        "PYTHONPATH",
        "PERL5LIB",
    ];
    let upper = name.to_ascii_uppercase();
    PREFIXES.iter().any(|p| upper.starts_with(p)) || NAMES.contains(&upper.as_str())
}

/// The variable an input sets in the `shell`, `azure` and `github --export` formats: its name,
/// case kept, with every character other than `A-Z a-z 0-9 _` written as `_`
/// (`db-password` → `db_password`). Refused: a name that would start with a digit, and names
/// the shell, the dynamic loader or the CI runner own (`PATH`, `IFS`, `LD_PRELOAD`, `BASH_ENV`,
/// `GITHUB_*`, ...).
///
/// # Errors
/// `invalid_name`, naming the input.
pub fn variable_name(name: &str) -> Result<String, RenderError> {
    let var: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let bad = |reason: String| RenderError {
        code: "invalid_name",
        input: name.to_owned(),
        reason,
    };
    if var.is_empty() || var.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(bad(format!(
            "{var} is not a variable name (it starts with a digit)"
        )));
    }
    if is_reserved_variable(&var) {
        return Err(bad(format!(
            "it would set {var}, which the shell, the loader or the CI runner owns"
        )));
    }
    Ok(var)
}

/// The text of a value in the text formats: a string as it is, anything else as compact JSON.
pub fn text_of(value: Option<&Value>) -> Zeroizing<String> {
    Zeroizing::new(match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => serde_json::to_string(other).unwrap_or_default(),
    })
}

// ---------------------------------------------------------------------------------------------
// Escaping.
// ---------------------------------------------------------------------------------------------

/// A GitHub workflow command's data, as `@actions/core` escapes it (`escapeData`) and the runner
/// unescapes it: `%` → `%25`, CR → `%0D`, LF → `%0A`. The result has no line break.
pub fn github_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// An Azure Pipelines logging command's value, as azure-pipelines-task-lib escapes a property
/// (`escape` in node/taskcommand.ts): `%` → `%AZP25`, CR → `%0D`, LF → `%0A`, `]` → `%5D`,
/// `;` → `%3B`. The agent unescapes all five in properties and in the message (`%AZP25` since
/// agent 2.184.0, on by default: knob `DECODE_PERCENTS`). The result has no line break, `]` or `;`.
pub fn azure_escape(s: &str) -> String {
    s.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(']', "%5D")
        .replace(';', "%3B")
}

/// A POSIX shell single-quoted word holding `s` exactly: `'` written as `'\''`. Every other byte
/// is literal between single quotes (no `$`, backquote, backslash or history expansion), line
/// breaks included; NUL cannot be in a shell variable and must be refused before.
pub fn shell_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// 128 random bits as hex (std's randomly keyed SipHash; the delimiter is also checked against
/// the value, so its safety does not rest on this randomness).
fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut out = String::with_capacity(32);
    for i in 0..2u8 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(i);
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        let _ = write!(out, "{:016x}", h.finish());
    }
    out
}

/// One `$GITHUB_OUTPUT` / `$GITHUB_ENV` entry in the heredoc syntax, as `@actions/core` writes it:
/// `name<<ghadelimiter_<random>\n<value>\n<delimiter>\n`. The delimiter never occurs in the value
/// (a new one is drawn until it does not), so no line of the value can end the entry.
pub fn heredoc_entry(name: &str, value: &str) -> Zeroizing<String> {
    heredoc_entry_with(name, value, || format!("ghadelimiter_{}", random_hex()))
}

/// [`heredoc_entry`] with the delimiter candidates from `next`: the first one that occurs in
/// neither the name nor the value.
fn heredoc_entry_with(
    name: &str,
    value: &str,
    mut next: impl FnMut() -> String,
) -> Zeroizing<String> {
    let delimiter = loop {
        let d = next();
        if !value.contains(&d) && !name.contains(&d) {
            break d;
        }
    };
    Zeroizing::new(format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"))
}

// ---------------------------------------------------------------------------------------------
// Rendering.
// ---------------------------------------------------------------------------------------------

/// What `decrypt-env` writes: `stdout` (or the `--out` file), and for `github` the entries to
/// append to `$GITHUB_OUTPUT` and `$GITHUB_ENV`.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The output proper (`github`: the `::add-mask::` lines only).
    pub stdout: Zeroizing<String>,
    /// `github`: the entries for `$GITHUB_OUTPUT`.
    pub github_output: Zeroizing<String>,
    /// `github --export`: the entries for `$GITHUB_ENV`.
    pub github_env: Zeroizing<String>,
}

/// Options of [`render`].
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions<'a> {
    /// `github`: also set environment variables (`$GITHUB_ENV`).
    pub export: bool,
    /// `github`: more strings to mask first (the client secret, the private key), each by the
    /// same rule as a value.
    pub extra_masks: &'a [&'a str],
}

fn nul_error(name: &str, format: CiFormat) -> RenderError {
    let what = match format {
        CiFormat::Shell => "a shell variable",
        CiFormat::Github => "a GitHub output or environment variable",
        _ => "an Azure Pipelines variable",
    };
    RenderError {
        code: "nul_byte",
        input: name.to_owned(),
        reason: format!(
            "the decrypted value holds a NUL byte, which {what} cannot hold (--format json can)"
        ),
    }
}

/// The variable names of `values`, checked: valid, not reserved, no two inputs on one name.
fn variable_names(values: &[Decrypted]) -> Result<Vec<String>, RenderError> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for d in values {
        let var = variable_name(&d.name)?;
        if let Some((_, other)) = seen.iter().find(|(v, _)| *v == var) {
            return Err(RenderError {
                code: "invalid_name",
                input: d.name.clone(),
                reason: format!("inputs \"{other}\" and \"{}\" would both set {var}", d.name),
            });
        }
        seen.push((var, &d.name));
    }
    Ok(seen.into_iter().map(|(v, _)| v).collect())
}

/// Renders the decrypted values in `format`. All checks (names, NUL bytes) run before anything is
/// rendered, so a failure leaves nothing half written.
///
/// # Errors
/// `nul_byte` (a value with a NUL byte in a text format), `invalid_name` (an input whose name is
/// not `[A-Za-z0-9_.-]+`, or whose variable is invalid, reserved or taken by another input).
pub fn render(
    format: CiFormat,
    values: &[Decrypted],
    options: RenderOptions<'_>,
) -> Result<Rendered, RenderError> {
    for d in values {
        if !is_input_name(&d.name) {
            return Err(RenderError {
                code: "invalid_name",
                input: d.name.clone(),
                reason: "an input name is letters, digits, `_`, `.` and `-`".into(),
            });
        }
    }
    let texts: Vec<Zeroizing<String>> = values.iter().map(|d| text_of(d.value.as_ref())).collect();
    if format != CiFormat::Json
        && let Some((d, _)) = values.iter().zip(&texts).find(|(_, t)| t.contains('\0'))
    {
        return Err(nul_error(&d.name, format));
    }
    let mut out = Rendered::default();
    match format {
        CiFormat::Json => {
            let mut map = serde_json::Map::new();
            for d in values {
                map.insert(d.name.clone(), d.value.clone().unwrap_or(Value::Null));
            }
            let object =
                Zeroizing::new(serde_json::to_string(&Value::Object(map)).unwrap_or_default());
            out.stdout.push_str(&object);
            out.stdout.push('\n');
        }
        CiFormat::Shell => {
            let vars = variable_names(values)?;
            for (var, text) in vars.iter().zip(&texts) {
                let quoted = Zeroizing::new(shell_quote(text));
                let _ = writeln!(out.stdout, "export {var}={}", quoted.as_str());
            }
        }
        CiFormat::Azure => {
            let vars = variable_names(values)?;
            // The lines of a multi-line value first: the agent masks a secret variable's whole
            // value, which no single log line of a multi-line value contains.
            let mut masked = HashSet::new();
            for (d, text) in values.iter().zip(&texts) {
                for piece in d.value.iter().flat_map(mask_pieces) {
                    if piece != **text && masked.insert(piece.clone()) {
                        let escaped = Zeroizing::new(azure_escape(&piece));
                        let _ = writeln!(out.stdout, "##vso[task.setsecret]{}", escaped.as_str());
                    }
                }
            }
            for (var, text) in vars.iter().zip(&texts) {
                let escaped = Zeroizing::new(azure_escape(text));
                let _ = writeln!(
                    out.stdout,
                    "##vso[task.setvariable variable={};issecret=true]{}",
                    azure_escape(var),
                    escaped.as_str()
                );
            }
        }
        CiFormat::Github => {
            let vars = if options.export {
                variable_names(values)?
            } else {
                Vec::new()
            };
            // Every mask is on stdout before any value is written anywhere.
            let mut masked = HashSet::new();
            let extra = options
                .extra_masks
                .iter()
                .map(|s| Value::String((*s).to_owned()));
            let pieces = extra
                .chain(values.iter().filter_map(|d| d.value.clone()))
                .flat_map(|v| mask_pieces(&v));
            for piece in pieces {
                if masked.insert(piece.clone()) {
                    let escaped = Zeroizing::new(github_escape_data(&piece));
                    let _ = writeln!(out.stdout, "::add-mask::{}", escaped.as_str());
                }
            }
            for (d, text) in values.iter().zip(&texts) {
                out.github_output.push_str(&heredoc_entry(&d.name, text));
            }
            for (var, text) in vars.iter().zip(&texts) {
                out.github_env.push_str(&heredoc_entry(var, text));
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The --out file.
// ---------------------------------------------------------------------------------------------

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.port-secret-{}.tmp", &random_hex()[..16]))
}

/// Writes `bytes` to a new file at `path`, mode 0600 from its creation on.
///
/// A new path: created with `O_CREAT | O_EXCL` (`create_new`), which also refuses to follow a
/// symbolic link planted at the path. An existing path: refused unless `force`; with `force`, it
/// is replaced only if it is a regular file (not a link, FIFO, device or directory) owned by the
/// user, and never opened: the bytes go to a fresh 0600 file in the same directory, which is then
/// renamed over it. Writing into the existing file instead would hand the secret to whoever has
/// it open or hard-linked, under whatever mode or ACL it had.
///
/// # Errors
/// `AlreadyExists` (exists, no `force`), `PermissionDenied` (not a regular file of the user's),
/// or the I/O error.
pub fn write_private_file(path: &Path, bytes: &[u8], force: bool) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let Some(existing) = existing else {
        let mut file = create_private(path)?;
        return file.write_all(bytes).and_then(|()| file.sync_all());
    };
    if !force {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            "the file exists; pass --force to replace it",
        ));
    }
    if !existing.file_type().is_file() {
        return Err(Error::new(
            ErrorKind::PermissionDenied,
            "it exists and is not a regular file: not replaced",
        ));
    }
    let temp = temp_path(path);
    let result = (|| {
        let mut file = create_private(&temp)?;
        if !same_owner(&existing, &file.metadata()?) {
            return Err(Error::new(
                ErrorKind::PermissionDenied,
                "it exists and belongs to another user: not replaced",
            ));
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    // The umask can only narrow 0600; set it anyway, in case of an unusual file system.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// The file the user just created tells their effective user id.
#[cfg(unix)]
fn same_owner(existing: &std::fs::Metadata, ours: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    existing.uid() == ours.uid()
}

#[cfg(not(unix))]
fn same_owner(_existing: &std::fs::Metadata, _ours: &std::fs::Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn github_and_azure_mask_by_the_core_rule() {
        let values = [Decrypted {
            name: "key".into(),
            value: Some(json!("l1\n  {\nl2 ")),
        }];
        let github = render(CiFormat::Github, &values, RenderOptions::default())
            .unwrap_or_else(|e| panic!("{}", e.reason));
        assert_eq!(
            *github.stdout,
            "::add-mask::l1%0A  {%0Al2 \n::add-mask::l1\\n  {\\nl2 \n::add-mask::l1\n::add-mask::l2\n"
        );
        let azure = render(CiFormat::Azure, &values, RenderOptions::default())
            .unwrap_or_else(|e| panic!("{}", e.reason));
        assert!(azure.stdout.starts_with(
            "##vso[task.setsecret]l1\\n  {\\nl2 \n##vso[task.setsecret]l1\n##vso[task.setsecret]l2\n"
        ));
    }

    #[test]
    fn escapes() {
        assert_eq!(github_escape_data("a%0A\r\n"), "a%250A%0D%0A");
        assert_eq!(azure_escape("%;]\r\n[x"), "%AZP25%3B%5D%0D%0A[x");
        assert_eq!(shell_quote("it's $(x)"), r"'it'\''s $(x)'");
    }

    #[test]
    fn variable_names_are_checked() {
        assert_eq!(
            variable_name("db-password").ok().as_deref(),
            Some("db_password")
        );
        assert_eq!(variable_name("DB.PASS").ok().as_deref(), Some("DB_PASS"));
        assert!(variable_name("9lives").is_err());
        for reserved in [
            "PATH",
            "path",
            "LD_PRELOAD",
            "BASH_ENV",
            "GITHUB_TOKEN",
            "IFS",
        ] {
            assert!(variable_name(reserved).is_err(), "{reserved}");
        }
    }

    #[test]
    fn heredoc_delimiter_is_not_in_the_value() {
        let e = heredoc_entry("x", "v");
        let header = e.lines().next().unwrap_or_default();
        let delimiter = header.strip_prefix("x<<").unwrap_or_default();
        assert!(delimiter.starts_with("ghadelimiter_") && delimiter.len() == 45);
        assert_eq!(*e, format!("x<<{delimiter}\nv\n{delimiter}\n"));
    }

    #[test]
    fn a_delimiter_found_in_the_value_is_not_used() {
        let mut candidates = ["D1", "D2", "D3"].into_iter().map(str::to_owned);
        let mut next = || candidates.next().unwrap_or_default();
        // D1 is in the value, D2 in the name: D3.
        let e = heredoc_entry_with("nD2", "a\nD1\nb", &mut next);
        assert_eq!(*e, "nD2<<D3\na\nD1\nb\nD3\n");
    }
}
