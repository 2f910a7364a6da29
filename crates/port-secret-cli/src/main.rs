//! `port-secret`: encrypt, decrypt and verify Port secret inputs from the command line.
//!
//! The client secret comes from `PORT_CLIENT_SECRET` or `--client-secret-file`, never from an
//! argument (arguments are visible to every user of the machine). Exit status: 0 on success, 1 on
//! a crypto or input error (stderr names the error code), 2 on wrong usage.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use port_secret_cli::ci::{self, CiFormat, Decrypted, RenderOptions};
use port_secret_cli::{PayloadDelivery, PayloadOptions, decrypt_payload};
use port_secret_core::{Decryptor, Encryption, Error};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

const ABOUT: &str = "Encrypt, decrypt and verify Port secret inputs (aes256-gcm, client-side, fernet) \
and webhook signatures.";

const AFTER_HELP: &str = "\
The client secret is read from the PORT_CLIENT_SECRET environment variable or from
--client-secret-file, never from an argument.

Exit status: 0 on success, 1 on a crypto or input error (stderr names the error code,
e.g. `error: authentication_failed: ...`), 2 on wrong usage.

Examples:
  port-secret keygen --out keys/
  printf 'hunter2' | port-secret encrypt --encryption aes256-gcm
  port-secret decrypt --encryption client-side --private-key keys/private_key.pem < value.txt
  port-secret decrypt-payload --action action.json --private-key keys/private_key.pem < body.json
  port-secret decrypt-payload --signature \"$SIG\" --timestamp \"$TS\" < body.json
  port-secret decrypt-payload --delivery kafka < message.json
  eval \"$(port-secret decrypt-env --format shell --env DB_PASSWORD)\"";

#[derive(Parser, Debug)]
#[command(name = "port-secret", version, about = ABOUT, after_help = AFTER_HELP)]
struct Cli {
    /// Read the client secret from this file (surrounding white space ignored) instead of
    /// the PORT_CLIENT_SECRET environment variable.
    #[arg(long, global = true, value_name = "FILE")]
    client_secret_file: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// Port-managed AES-256-GCM keyed with the client secret.
    #[value(name = "aes256-gcm")]
    Aes256Gcm,
    /// Client-side RSA-OAEP(SHA-256) + AES-256-GCM with your key pair.
    #[value(name = "client-side")]
    ClientSide,
    /// Legacy Fernet keyed with the client secret.
    Fernet,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum CiFormatArg {
    /// GitHub Actions: `::add-mask::` lines on stdout, values appended to $GITHUB_OUTPUT (and
    /// $GITHUB_ENV with --export) in the heredoc syntax.
    Github,
    /// Azure Pipelines: `##vso[task.setvariable variable=NAME;issecret=true]VALUE` lines, escaped.
    Azure,
    /// `export NAME='VALUE'` lines, for `eval` in sh or bash (GitLab CI, Jenkins `sh`, any job).
    Shell,
    /// One JSON object {"name": value} (a `type: object` input nested as JSON).
    Json,
}

impl From<CiFormatArg> for CiFormat {
    fn from(f: CiFormatArg) -> Self {
        match f {
            CiFormatArg::Github => CiFormat::Github,
            CiFormatArg::Azure => CiFormat::Azure,
            CiFormatArg::Shell => CiFormat::Shell,
            CiFormatArg::Json => CiFormat::Json,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum DeliveryArg {
    /// Port's HTTP webhook.
    Port,
    /// A webhook forwarded by port-agent.
    Agent,
    /// A message value from Port's Kafka topic.
    Kafka,
}

impl From<DeliveryArg> for PayloadDelivery {
    fn from(d: DeliveryArg) -> Self {
        match d {
            DeliveryArg::Port => PayloadDelivery::Port,
            DeliveryArg::Agent => PayloadDelivery::Agent,
            DeliveryArg::Kafka => PayloadDelivery::Kafka,
        }
    }
}

const PAYLOAD_HELP: &str = "\
Examples:
  # A webhook as Port sent it, verified (headers x-port-signature and x-port-timestamp):
  port-secret decrypt-payload --signature \"$SIG\" --timestamp \"$TS\" \\
    --private-key keys/private_key.pem < body.json
  # A saved body, not verified, with the definitions from an action file:
  port-secret decrypt-payload --action action.json < body.json
  # One message value from Port's Kafka topic (its signature is inside and verified):
  port-secret decrypt-payload --delivery kafka < message.json";

const ENV_HELP: &str = "\
Each input is NAME[:MODIFIER...] with, for --env, an optional =VAR (the environment variable
holding the value; default NAME) and, for --file, a required =PATH (a file holding the value).
Modifiers: `object` (a type: object input: JSON), `string` (the default), and an encryption
(`aes256-gcm`, `client-side`, `fernet`) overriding --encryption. With --user-inputs the
definitions come from the action instead, and without --env/--file every secret input of the
action is read from the environment variable of its name (unset ones skipped). An empty value
(an optional input left empty) gives \"\" (null in json). A value is never an argument.

Variables (shell, azure, github --export) are named after the input, case kept, any character
other than A-Z a-z 0-9 _ written as _ (db-password -> db_password); names the shell, the loader
or the runner own (PATH, IFS, LD_*, BASH_*, GITHUB_*, ...) are refused.

Exit status: 0; 1 on a failure, stderr `error: <code> (input \"<name>\"): <reason>`, nothing
written; 2 on wrong usage.

Examples:
  # GitLab CI / Jenkins sh: variables in this shell (set -e stops on a failure)
  vars=\"$(port-secret decrypt-env --format shell --env DB_PASSWORD --env CONFIG:object)\"
  eval \"$vars\"; unset vars
  # Azure Pipelines: secret variables for the next steps
  port-secret decrypt-env --format azure --env DB_PASSWORD --env API_KEY:client-side \\
    --private-key \"$(Agent.TempDirectory)/private_key.pem\"
  # GitHub Actions: masked step outputs (and env with --export)
  port-secret decrypt-env --format github --user-inputs port-action.json --export
  # JSON to a new 0600 file, from a GitLab file-type variable
  port-secret decrypt-env --format json --file TLS_KEY=\"$TLS_KEY_FILE\" --out secrets.json";

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate an RSA key pair for client-side encryption: DIR/private_key.pem (mode 0600)
    /// and DIR/public_key.pem (put its contents in the input's `encryption.key`).
    Keygen {
        /// Key size in bits: 2048, 3072 or 4096.
        #[arg(long, default_value_t = 2048)]
        bits: usize,
        /// Directory to write the two files to (created if missing).
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
        /// Overwrite existing key files.
        #[arg(long)]
        force: bool,
    },
    /// Encrypt stdin (taken as is) as Port would; the value goes to stdout.
    Encrypt {
        /// The input's `encryption`.
        #[arg(long, value_enum)]
        encryption: Format,
        /// The action's public key (SPKI PEM), for client-side.
        #[arg(long, value_name = "FILE", required_if_eq("encryption", "client-side"))]
        public_key: Option<PathBuf>,
    },
    /// Decrypt a value read from stdin (surrounding white space ignored); the plaintext goes to
    /// stdout as is.
    Decrypt {
        /// The input's `encryption`.
        #[arg(long, value_enum)]
        encryption: Format,
        /// Your RSA private key (PKCS#8 or PKCS#1 PEM), for client-side.
        #[arg(long, value_name = "FILE", required_if_eq("encryption", "client-side"))]
        private_key: Option<PathBuf>,
        /// The plaintext is JSON (a `type: object` input): check it and print it as JSON.
        #[arg(long)]
        json: bool,
        /// Fernet only: reject tokens older than this many seconds.
        #[arg(long, value_name = "SECONDS")]
        ttl: Option<u64>,
    },
    /// Open a run read from stdin (a webhook body, or with --delivery kafka one Kafka message
    /// value): verify its signature when asked, decrypt every secret input in place, and print
    /// the run (the whole body or message) with its secrets decrypted.
    ///
    /// A webhook's signature is checked only when --signature and --timestamp are given (this
    /// is a local tool: without them the body is trusted as is). A Kafka message carries its
    /// signature inside and is always verified, unless --no-verify.
    #[command(after_help = PAYLOAD_HELP)]
    DecryptPayload {
        /// The action definition (JSON): the action itself, its `userInputs`, or the inputs'
        /// `properties` map. Default: the definitions in the body (`payload.action.userInputs`,
        /// else the names in `censoredProperties` / `encryptedProperties`, as aes256-gcm).
        #[arg(long, value_name = "FILE")]
        action: Option<PathBuf>,
        /// Your RSA private key, when the action has client-side inputs.
        #[arg(long, value_name = "FILE")]
        private_key: Option<PathBuf>,
        /// JSON pointer to the run's properties inside the body (`properties_pointer` of the
        /// libraries; `--pointer` is an alias).
        #[arg(
            long,
            visible_alias = "pointer",
            value_name = "POINTER",
            default_value = port_secret_core::DEFAULT_PROPERTIES_POINTER
        )]
        properties_pointer: String,
        /// How the run was delivered: `port` (Port's webhook, signed over the raw body),
        /// `agent` (forwarded by port-agent, signed over its compact JSON) or `kafka` (a
        /// message value from Port's Kafka topic, signature inside).
        #[arg(long, value_enum, default_value = "port")]
        delivery: DeliveryArg,
        /// The webhook's `x-port-signature` header value: verify it (with --timestamp).
        #[arg(long, requires = "timestamp", conflicts_with = "no_verify")]
        signature: Option<String>,
        /// The webhook's `x-port-timestamp` header value (with --signature).
        #[arg(long, requires = "signature")]
        timestamp: Option<String>,
        /// Allowed distance between the timestamp and now, in seconds.
        #[arg(long, default_value_t = port_secret_core::DEFAULT_TOLERANCE_SECS)]
        tolerance: u64,
        /// Do not verify a Kafka message's signature (webhooks are verified only with
        /// --signature anyway).
        #[arg(long)]
        no_verify: bool,
    },
    /// Decrypt secret inputs that a CI pipeline received as variables (GitLab, Jenkins, Azure
    /// Pipelines, GitHub) and hand them to the job in its own form.
    ///
    /// Values are read from environment variables (--env) or files (--file), never from
    /// arguments. Every value is decrypted and checked before anything is written.
    #[command(after_help = ENV_HELP)]
    DecryptEnv {
        /// An input whose encrypted value is in an environment variable: NAME[:MODIFIER...][=VAR].
        #[arg(long = "env", value_name = "NAME[:MOD][=VAR]")]
        envs: Vec<String>,
        /// An input whose encrypted value is in a file: NAME[:MODIFIER...]=PATH.
        #[arg(long = "file", value_name = "NAME[:MOD]=PATH")]
        files: Vec<String>,
        /// The form of the output (see the values below).
        #[arg(long, value_enum)]
        format: CiFormatArg,
        /// The encryption of the inputs without their own modifier.
        #[arg(
            long,
            value_enum,
            default_value = "aes256-gcm",
            conflicts_with = "user_inputs"
        )]
        encryption: Format,
        /// The action definition (JSON): the action, its `userInputs`, or the inputs'
        /// `properties` map; each input's `type` and `encryption` come from it.
        #[arg(long, value_name = "FILE")]
        user_inputs: Option<PathBuf>,
        /// Your RSA private key (PEM), for client-side inputs.
        #[arg(long, value_name = "FILE")]
        private_key: Option<PathBuf>,
        /// Write to this new file (mode 0600) instead of stdout (not with github).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// With --out: replace an existing regular file of yours (by renaming a new 0600 file
        /// over it; it is never opened).
        #[arg(long, requires = "out")]
        force: bool,
        /// github: also set environment variables for the later steps ($GITHUB_ENV).
        #[arg(long)]
        export: bool,
    },
    /// Sign a body read from stdin as Port does; prints the `x-port-signature` value.
    Sign {
        /// The `x-port-timestamp` value (unix seconds); default: now.
        #[arg(long)]
        timestamp: Option<String>,
    },
    /// Verify a webhook: the raw body on stdin, the two headers as options.
    Verify {
        /// The `x-port-signature` header value.
        #[arg(long)]
        signature: String,
        /// The `x-port-timestamp` header value.
        #[arg(long)]
        timestamp: String,
        /// Allowed distance between the timestamp and now, in seconds.
        #[arg(long, default_value_t = port_secret_core::DEFAULT_TOLERANCE_SECS)]
        tolerance: u64,
    },
}

/// How the command failed.
enum Failure {
    /// A crypto or input error from the library: exit 1.
    Crypto(Error),
    /// Reading or writing a file or a stream: exit 1.
    Io(String),
    /// Wrong usage not caught by the argument parser (e.g. no client secret): exit 2.
    Usage(String),
    /// `decrypt-env`: a failure on one input: exit 1, `error: <code> (input "<name>"): <reason>`.
    Input {
        /// A core error code, or `missing`, `io`, `nul_byte`, `invalid_name`.
        code: &'static str,
        /// The input's name.
        input: Option<String>,
        /// A fixed reason, never a value.
        reason: String,
    },
}

impl Failure {
    fn input(code: &'static str, input: &str, reason: impl Into<String>) -> Self {
        Failure::Input {
            code,
            input: Some(input.to_owned()),
            reason: reason.into(),
        }
    }

    fn from_core(e: &Error) -> Self {
        Failure::Input {
            code: e.code(),
            input: e.input().map(str::to_owned),
            reason: e.reason().to_owned(),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Crypto(e)
    }
}

fn io_err(what: &str, path: &Path, e: &std::io::Error) -> Failure {
    Failure::Io(format!("cannot {what} {}: {e}", path.display()))
}

fn read_file(path: &Path) -> Result<Zeroizing<String>, Failure> {
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| io_err("read", path, &e))
}

fn read_stdin() -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut buf = Zeroizing::new(Vec::new());
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| Failure::Io(format!("cannot read stdin: {e}")))?;
    Ok(buf)
}

fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Io(format!("cannot write stdout: {e}")))
}

fn client_secret(file: Option<&Path>) -> Result<Zeroizing<String>, Failure> {
    let raw = match file {
        Some(path) => read_file(path)?,
        None => match std::env::var("PORT_CLIENT_SECRET") {
            Ok(s) => Zeroizing::new(s),
            Err(_) => {
                return Err(Failure::Usage(
                    "no client secret: set PORT_CLIENT_SECRET or pass --client-secret-file".into(),
                ));
            }
        },
    };
    let trimmed = Zeroizing::new(raw.trim().to_owned());
    if trimmed.is_empty() {
        return Err(Failure::Usage("the client secret is empty".into()));
    }
    Ok(trimmed)
}

fn trimmed(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn run(cli: Cli) -> Result<(), Failure> {
    let secret_file = cli.client_secret_file.as_deref();
    match cli.command {
        Command::Keygen { bits, out, force } => keygen(bits, &out, force),
        Command::Encrypt {
            encryption,
            public_key,
        } => {
            let plaintext = read_stdin()?;
            let value = match encryption {
                Format::Aes256Gcm => {
                    port_secret_core::encrypt_aes256_gcm(&plaintext, &client_secret(secret_file)?)?
                }
                Format::Fernet => {
                    port_secret_core::encrypt_fernet(&plaintext, &client_secret(secret_file)?)?
                }
                Format::ClientSide => {
                    let path = public_key
                        .ok_or_else(|| Failure::Usage("client-side needs --public-key".into()))?;
                    port_secret_core::encrypt_client_side(&plaintext, &read_file(&path)?)?
                }
            };
            write_stdout(format!("{value}\n").as_bytes())
        }
        Command::Decrypt {
            encryption,
            private_key,
            json,
            ttl,
        } => {
            let input = read_stdin()?;
            let value = trimmed(&input);
            let plaintext = match encryption {
                Format::Aes256Gcm => {
                    port_secret_core::decrypt_aes256_gcm_bytes(value, &client_secret(secret_file)?)?
                }
                Format::Fernet => port_secret_core::decrypt_fernet_bytes(
                    value,
                    &client_secret(secret_file)?,
                    ttl,
                )?,
                Format::ClientSide => {
                    let path = private_key
                        .ok_or_else(|| Failure::Usage("client-side needs --private-key".into()))?;
                    port_secret_core::decrypt_client_side_bytes(value, &read_file(&path)?)?
                }
            };
            if json {
                let text = plaintext.to_str()?;
                let parsed: Value = serde_json::from_str(text).map_err(|_| {
                    Error::new(
                        port_secret_core::ErrorKind::InvalidJson,
                        "decrypted value is not valid JSON",
                    )
                })?;
                let pretty =
                    Zeroizing::new(serde_json::to_string_pretty(&parsed).unwrap_or_default());
                write_stdout(format!("{}\n", pretty.as_str()).as_bytes())
            } else {
                write_stdout(plaintext.as_bytes())
            }
        }
        Command::DecryptPayload {
            action,
            private_key,
            properties_pointer,
            delivery,
            signature,
            timestamp,
            tolerance,
            no_verify,
        } => {
            let delivery = PayloadDelivery::from(delivery);
            if delivery == PayloadDelivery::Kafka && signature.is_some() {
                return Err(Failure::Usage(
                    "a Kafka message carries its own signature: drop --signature/--timestamp"
                        .into(),
                ));
            }
            let verifies =
                signature.is_some() || (delivery == PayloadDelivery::Kafka && !no_verify);
            let action = match &action {
                Some(path) => {
                    let text = read_file(path)?;
                    Some(serde_json::from_str::<Value>(&text).map_err(|_| {
                        Failure::Io(format!("{} is not valid JSON", path.display()))
                    })?)
                }
                None => None,
            };
            let body_bytes = read_stdin()?;
            let mut builder = Decryptor::builder();
            let secret = match secret_file {
                Some(_) => Some(client_secret(secret_file)?),
                None => std::env::var("PORT_CLIENT_SECRET").ok().map(Zeroizing::new),
            };
            if let Some(secret) = &secret {
                builder = builder.client_secret(secret.trim());
            }
            let key_pem = private_key.as_deref().map(read_file).transpose()?;
            if let Some(pem) = &key_pem {
                builder = builder.private_key_pem(pem);
            }
            if secret.is_none() && key_pem.is_none() {
                return Err(Failure::Usage(
                    "no keys: set PORT_CLIENT_SECRET (or --client-secret-file) and/or --private-key"
                        .into(),
                ));
            }
            if verifies && secret.is_none() {
                return Err(Failure::Usage(
                    "verifying the signature needs the client secret: set PORT_CLIENT_SECRET \
                     (or --client-secret-file)"
                        .into(),
                ));
            }
            let decryptor = builder.build()?;
            let options = PayloadOptions {
                delivery,
                signature: signature.zip(timestamp),
                verify_kafka: !no_verify,
                tolerance_secs: tolerance,
                properties_pointer,
                now: None,
            };
            let run = decrypt_payload(&decryptor, action.as_ref(), &body_bytes, &options)?;
            let pretty = Zeroizing::new(serde_json::to_string_pretty(&run).unwrap_or_default());
            write_stdout(format!("{}\n", pretty.as_str()).as_bytes())
        }
        Command::DecryptEnv {
            envs,
            files,
            format,
            encryption,
            user_inputs,
            private_key,
            out,
            force,
            export,
        } => decrypt_env(&EnvArgs {
            envs,
            files,
            format: format.into(),
            encryption,
            user_inputs,
            private_key,
            out,
            force,
            export,
            secret_file: secret_file.map(Path::to_path_buf),
        }),
        Command::Sign { timestamp } => {
            let body = read_stdin()?;
            let ts = timestamp.unwrap_or_else(|| now().to_string());
            let sig = port_secret_core::sign_payload(&body, &ts, &client_secret(secret_file)?)?;
            write_stdout(format!("{sig}\n").as_bytes())
        }
        Command::Verify {
            signature,
            timestamp,
            tolerance,
        } => {
            let body = read_stdin()?;
            port_secret_core::verify_signature(
                &body,
                &signature,
                &timestamp,
                &client_secret(secret_file)?,
                tolerance,
            )?;
            eprintln!("signature ok");
            Ok(())
        }
    }
}

fn keygen(bits: usize, out: &Path, force: bool) -> Result<(), Failure> {
    let pair = port_secret_core::generate_key_pair(bits)?;
    std::fs::create_dir_all(out).map_err(|e| io_err("create", out, &e))?;
    let private_path = out.join("private_key.pem");
    let public_path = out.join("public_key.pem");
    for path in [&private_path, &public_path] {
        if path.exists() && !force {
            return Err(Failure::Usage(format!(
                "{} exists; pass --force to overwrite",
                path.display()
            )));
        }
    }
    write_private(&private_path, pair.private_key_pem.as_bytes())?;
    std::fs::write(&public_path, pair.public_key_pem.as_bytes())
        .map_err(|e| io_err("write", &public_path, &e))?;
    eprintln!(
        "wrote {} (keep it secret) and {} (paste it into the input's encryption.key)",
        private_path.display(),
        public_path.display()
    );
    Ok(())
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| io_err("write", path, &e))?;
    // An existing file keeps its mode on open: tighten it explicitly.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(|e| io_err("chmod", path, &e))?;
    file.write_all(bytes).map_err(|e| io_err("write", path, &e))
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| io_err("write", path, &e))
}

/// The options of `decrypt-env`.
struct EnvArgs {
    envs: Vec<String>,
    files: Vec<String>,
    format: CiFormat,
    encryption: Format,
    user_inputs: Option<PathBuf>,
    private_key: Option<PathBuf>,
    out: Option<PathBuf>,
    force: bool,
    export: bool,
    secret_file: Option<PathBuf>,
}

/// Where an input's encrypted value is.
enum Source {
    Env(String),
    File(PathBuf),
}

/// One `--env` / `--file` argument.
struct InputSpec {
    name: String,
    source: Source,
    /// `Some(true)`: `:object`; `Some(false)`: `:string`.
    object: Option<bool>,
    encryption: Option<Format>,
    /// Taken from --user-inputs without --env/--file: an unset variable is skipped.
    optional: bool,
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Aes256Gcm => "aes256-gcm",
        Format::ClientSide => "client-side",
        Format::Fernet => "fernet",
    }
}

/// Parses `NAME[:MOD...][=VAR]` (`--env`) or `NAME[:MOD...]=PATH` (`--file`).
fn parse_spec(arg: &str, file: bool) -> Result<InputSpec, Failure> {
    let flag = if file { "--file" } else { "--env" };
    let (left, right) = match arg.split_once('=') {
        Some((l, r)) => (l, Some(r)),
        None => (arg, None),
    };
    let mut parts = left.split(':');
    let name = parts.next().unwrap_or_default();
    if !ci::is_input_name(name) {
        return Err(Failure::Usage(format!(
            "{flag} {arg:?}: the name must be letters, digits, `_`, `.` and `-`"
        )));
    }
    let mut spec = InputSpec {
        name: name.to_owned(),
        source: Source::Env(name.to_owned()),
        object: None,
        encryption: None,
        optional: false,
    };
    for modifier in parts {
        let taken = match modifier {
            "object" | "string" => spec.object.replace(modifier == "object").is_some(),
            _ => match Format::from_str(modifier, false) {
                Ok(f) => spec.encryption.replace(f).is_some(),
                Err(_) => {
                    return Err(Failure::Usage(format!(
                        "{flag} {arg:?}: unknown modifier {modifier:?} (object, string, \
                         aes256-gcm, client-side, fernet)"
                    )));
                }
            },
        };
        if taken {
            return Err(Failure::Usage(format!(
                "{flag} {arg:?}: two types or two encryptions"
            )));
        }
    }
    spec.source = match (file, right) {
        (true, Some(path)) if !path.is_empty() => Source::File(PathBuf::from(path)),
        (true, _) => {
            return Err(Failure::Usage(format!(
                "--file {arg:?}: give the file as NAME=PATH"
            )));
        }
        (false, Some(var)) if !var.is_empty() && !var.contains('\0') => Source::Env(var.to_owned()),
        (false, Some(_)) => {
            return Err(Failure::Usage(format!(
                "--env {arg:?}: the variable after = is empty"
            )));
        }
        (false, None) => Source::Env(name.to_owned()),
    };
    Ok(spec)
}

/// The definitions map of an action's `userInputs` (as the core reads it): its `properties`,
/// unless that is itself the definition of an input named "properties".
fn definitions_map(user_inputs: &Value) -> Option<&Map<String, Value>> {
    let map = user_inputs.as_object()?;
    match map.get("properties") {
        Some(Value::Object(props)) if !props.get("type").is_some_and(Value::is_string) => {
            Some(props)
        }
        _ => Some(map),
    }
}

/// The inputs to decrypt and their definitions (`{"properties": {name: {type, encryption}}}`).
fn env_inputs(args: &EnvArgs) -> Result<(Vec<InputSpec>, Value), Failure> {
    let mut specs = Vec::new();
    for arg in &args.envs {
        specs.push(parse_spec(arg, false)?);
    }
    for arg in &args.files {
        specs.push(parse_spec(arg, true)?);
    }
    for (i, spec) in specs.iter().enumerate() {
        if specs[..i].iter().any(|s| s.name == spec.name) {
            return Err(Failure::Usage(format!(
                "input {:?} is given twice",
                spec.name
            )));
        }
    }
    let mut defs = Map::new();
    match &args.user_inputs {
        Some(path) => {
            let text = read_file(path)?;
            let action: Value = serde_json::from_str(&text)
                .map_err(|_| Failure::Io(format!("{} is not valid JSON", path.display())))?;
            let all = definitions_map(port_secret_cli::user_inputs(&action)).ok_or_else(|| {
                Failure::Usage(format!(
                    "{}: the user inputs must be a JSON object",
                    path.display()
                ))
            })?;
            let is_secret = |def: &Value| def.get("encryption").is_some();
            if specs.is_empty() {
                for (name, def) in all {
                    if is_secret(def) && ci::is_input_name(name) {
                        specs.push(InputSpec {
                            name: name.clone(),
                            source: Source::Env(name.clone()),
                            object: None,
                            encryption: None,
                            optional: true,
                        });
                    }
                }
                if specs.is_empty() {
                    return Err(Failure::Usage(format!(
                        "{} has no input with `encryption`",
                        path.display()
                    )));
                }
            }
            for spec in &specs {
                if spec.object.is_some() || spec.encryption.is_some() {
                    return Err(Failure::Usage(format!(
                        "input {:?}: with --user-inputs its type and encryption come from the \
                         action, not from modifiers",
                        spec.name
                    )));
                }
                match all.get(&spec.name) {
                    Some(def) if is_secret(def) => {
                        defs.insert(spec.name.clone(), def.clone());
                    }
                    _ => {
                        return Err(Failure::Usage(format!(
                            "input {:?} is not a secret input (with `encryption`) of {}",
                            spec.name,
                            path.display()
                        )));
                    }
                }
            }
        }
        None => {
            if specs.is_empty() {
                return Err(Failure::Usage(
                    "nothing to decrypt: give --env NAME, --file NAME=PATH or --user-inputs FILE"
                        .into(),
                ));
            }
            for spec in &specs {
                let encryption = format_name(spec.encryption.unwrap_or(args.encryption));
                let kind = if spec.object == Some(true) {
                    "object"
                } else {
                    "string"
                };
                defs.insert(
                    spec.name.clone(),
                    serde_json::json!({"type": kind, "encryption": encryption}),
                );
            }
        }
    }
    Ok((specs, serde_json::json!({ "properties": defs })))
}

/// The encrypted value of one input: `None` when it is skipped (optional and unset), `Null` when
/// empty (an optional input left empty).
fn read_encrypted(spec: &InputSpec) -> Result<Option<Value>, Failure> {
    let raw: Zeroizing<Vec<u8>> = match &spec.source {
        Source::Env(var) => match std::env::var_os(var) {
            None if spec.optional => return Ok(None),
            None => {
                return Err(Failure::input(
                    "missing",
                    &spec.name,
                    format!("the environment variable {var} is not set"),
                ));
            }
            Some(value) => Zeroizing::new(value.into_encoded_bytes()),
        },
        Source::File(path) => Zeroizing::new(std::fs::read(path).map_err(|e| {
            Failure::input(
                "io",
                &spec.name,
                format!("cannot read {}: {e}", path.display()),
            )
        })?),
    };
    let text = std::str::from_utf8(raw.trim_ascii())
        .map_err(|_| Failure::input("invalid_base64", &spec.name, "value is not valid base64"))?;
    Ok(Some(if text.is_empty() {
        Value::Null
    } else {
        Value::String(text.to_owned())
    }))
}

fn decrypt_env(args: &EnvArgs) -> Result<(), Failure> {
    let format = args.format;
    if format == CiFormat::Github && args.out.is_some() {
        return Err(Failure::Usage(
            "--format github writes to $GITHUB_OUTPUT (and $GITHUB_ENV): no --out".into(),
        ));
    }
    if args.export && format != CiFormat::Github {
        return Err(Failure::Usage(
            "--export is for --format github (shell exports anyway)".into(),
        ));
    }
    let env_file = |var: &str| -> Result<PathBuf, Failure> {
        match std::env::var_os(var) {
            Some(p) if !p.is_empty() => Ok(PathBuf::from(p)),
            _ => Err(Failure::Usage(format!(
                "--format github needs ${var}: run it in a GitHub Actions step"
            ))),
        }
    };
    let github_files = if format == CiFormat::Github {
        let output = env_file("GITHUB_OUTPUT")?;
        let env = if args.export {
            Some(env_file("GITHUB_ENV")?)
        } else {
            None
        };
        Some((output, env))
    } else {
        None
    };

    let (specs, definitions) = env_inputs(args)?;
    let defs = definitions_map(&definitions).cloned().unwrap_or_default();
    let mut properties = Map::new();
    let mut names = Vec::new();
    for spec in &specs {
        if let Some(value) = read_encrypted(spec)? {
            properties.insert(spec.name.clone(), value);
            names.push(spec.name.clone());
        }
    }

    // Which keys the present values need (an unknown encryption is left to the core to name).
    let (mut needs_secret, mut needs_key) = (false, false);
    for (name, value) in &properties {
        if value.is_null() {
            continue;
        }
        match defs
            .get(name)
            .and_then(|d| d.get("encryption"))
            .map(Encryption::from_json)
        {
            Some(Ok(Encryption::ClientSide { .. })) => needs_key = true,
            Some(Ok(_)) => needs_secret = true,
            _ => {}
        }
    }
    let secret = match &args.secret_file {
        Some(path) => Some(client_secret(Some(path))?),
        None => std::env::var("PORT_CLIENT_SECRET")
            .ok()
            .map(|s| Zeroizing::new(s.trim().to_owned()))
            .filter(|s| !s.is_empty()),
    };
    if needs_secret && secret.is_none() {
        return Err(Failure::Usage(
            "no client secret: set PORT_CLIENT_SECRET or pass --client-secret-file".into(),
        ));
    }
    if needs_key && args.private_key.is_none() {
        return Err(Failure::Usage(
            "client-side inputs need --private-key FILE".into(),
        ));
    }
    let key_pem = args.private_key.as_deref().map(read_file).transpose()?;

    let decrypted = if needs_secret || needs_key {
        let mut builder = Decryptor::builder();
        if let Some(s) = &secret {
            builder = builder.client_secret(s);
        }
        if let Some(pem) = &key_pem {
            builder = builder.private_key_pem(pem);
        }
        let decryptor = builder.build().map_err(|e| Failure::from_core(&e))?;
        decryptor
            .decrypt_properties(&Value::Object(properties), &definitions)
            .map_err(|e| Failure::from_core(&e))?
    } else {
        Value::Object(properties)
    };
    let values: Vec<Decrypted> = names
        .iter()
        .map(|name| Decrypted {
            name: name.clone(),
            value: decrypted.get(name).filter(|v| !v.is_null()).cloned(),
        })
        .collect();
    drop(decrypted);

    let mut extra: Vec<&str> = Vec::new();
    if let Some(s) = &secret {
        extra.push(s);
    }
    if let Some(pem) = &key_pem {
        extra.push(pem);
    }
    let rendered = ci::render(
        format,
        &values,
        RenderOptions {
            export: args.export,
            extra_masks: if format == CiFormat::Github {
                &extra
            } else {
                &[]
            },
        },
    )
    .map_err(|e| Failure::Input {
        code: e.code,
        input: Some(e.input),
        reason: e.reason,
    })?;
    drop(values);

    if let Some((output, env)) = github_files {
        // The masks reach the runner before any value is written.
        write_stdout(rendered.stdout.as_bytes())?;
        append(&output, rendered.github_output.as_bytes())?;
        if let Some(env) = env {
            append(&env, rendered.github_env.as_bytes())?;
        }
        return Ok(());
    }
    match &args.out {
        Some(path) => ci::write_private_file(path, rendered.stdout.as_bytes(), args.force).map_err(
            |e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => {
                    Failure::Usage(format!("{}: {e}", path.display()))
                }
                _ => io_err("write", path, &e),
            },
        ),
        None => write_stdout(rendered.stdout.as_bytes()),
    }
}

/// Appends to a runner's file command file (it exists: the runner creates it).
fn append(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| io_err("append to", path, &e))?;
    file.write_all(bytes)
        .map_err(|e| io_err("append to", path, &e))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Crypto(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("error: io: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("error: usage: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Input {
            code,
            input,
            reason,
        }) => {
            match input {
                Some(name) => eprintln!("error: {code} (input \"{name}\"): {reason}"),
                None => eprintln!("error: {code}: {reason}"),
            }
            ExitCode::from(1)
        }
    }
}
