//! `port-secret`: encrypt, decrypt and verify Port secret inputs from the command line.
//!
//! The client secret comes from `PORT_CLIENT_SECRET` or `--client-secret-file`, never from an
//! argument (arguments are visible to every user of the machine). Exit status: 0 on success, 1 on
//! a crypto or input error (stderr names the error code), 2 on wrong usage.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use port_secret_cli::{PayloadDelivery, PayloadOptions, decrypt_payload};
use port_secret_core::{Decryptor, Error};
use serde_json::Value;
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
  port-secret decrypt-payload --delivery kafka < message.json";

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
        /// JSON pointer to the run's properties inside the body.
        #[arg(long, default_value = port_secret_core::DEFAULT_PROPERTIES_POINTER)]
        pointer: String,
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
            pointer,
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
                properties_pointer: pointer,
                now: None,
            };
            let run = decrypt_payload(&decryptor, action.as_ref(), &body_bytes, &options)?;
            let pretty = Zeroizing::new(serde_json::to_string_pretty(&run).unwrap_or_default());
            write_stdout(format!("{}\n", pretty.as_str()).as_bytes())
        }
        Command::Sign { timestamp } => {
            let body = read_stdin()?;
            let ts = timestamp.unwrap_or_else(|| now().to_string());
            let sig = port_secret_core::sign_payload(&body, &client_secret(secret_file)?, &ts)?;
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
    }
}
