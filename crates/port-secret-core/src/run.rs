//! The run: one Port delivery, verified, parsed and decrypted in one call.
//!
//! Port delivers a run in several ways, each signed in its own way with HMAC-SHA256 keyed with
//! the whole client secret, over `"<timestamp>.<text>"`:
//!
//! | delivery | where the signature is | the signed text |
//! |---|---|---|
//! | Port → HTTP webhook ([`Delivery::Port`]) | headers `x-port-signature`, `x-port-timestamp` | the raw body bytes |
//! | port-agent → HTTP webhook ([`Delivery::Agent`]) | the same headers | CPython's `json.dumps(body, separators=(",", ":"))` (ASCII only), not the body sent, which `requests` re-serializes with spaces |
//! | Port → Kafka message ([`Decryptor::open_kafka_message`]) | `headers["X-Port-Signature"]`, `headers["X-Port-Timestamp"]` inside the message | the compact JSON (UTF-8) of the message without those two keys, or without `headers` at all for a `GITLAB` invocation |
//!
//! The two re-serialized forms are checked on the parsed value, printed back byte for byte as
//! CPython would ([`crate::pyjson`]); what the caller gets is that same parsed value, so what it
//! acts on is exactly what was signed.

use std::borrow::Cow;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::decryptor::Decryptor;
use crate::error::{Error, ErrorKind, Result};
use crate::pyjson;
use crate::signature::{self, DEFAULT_TOLERANCE_SECS};

/// How an HTTP webhook was signed: by Port itself, or by Port's agent forwarding a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Delivery {
    /// Port's own webhook: HMAC over the raw body bytes.
    #[default]
    Port,
    /// A webhook forwarded by port-agent: HMAC over CPython's compact, ASCII-only JSON of the
    /// body. Accepts any body that parses to the signed value (see SECURITY.md).
    Agent,
}

impl FromStr for Delivery {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "port" => Ok(Delivery::Port),
            "agent" => Ok(Delivery::Agent),
            _ => Err(Error::malformed("delivery must be \"port\" or \"agent\"")),
        }
    }
}

/// Default cap on a delivery's size: 1 MiB.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// Default cap on the client-side inputs of one run (each costs an RSA private-key operation
/// per configured key tried).
pub const DEFAULT_MAX_CLIENT_SIDE_INPUTS: usize = 64;

/// Where Port puts the inputs' values in a run.
pub const DEFAULT_PROPERTIES_POINTER: &str = "/payload/properties";

/// Where Port puts the action's input definitions in a run.
pub const DEFAULT_USER_INPUTS_POINTER: &str = "/payload/action/userInputs";

/// How to open a run. `RunOptions::default()` is what Port sends: signatures checked with 300 s
/// of tolerance, definitions from the body.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// How an HTTP webhook was signed (ignored for Kafka messages).
    pub delivery: Delivery,
    /// Check the signature and timestamp. Turn off only behind something that checked them.
    pub verify_signature: bool,
    /// Largest accepted distance between the timestamp and now, in seconds.
    pub tolerance_secs: u64,
    /// The action's input definitions: its `userInputs` (with `properties`), that `properties`
    /// map, or an array of the secret inputs' names (each then uses `default_encryption`).
    /// `None`: from the body, at `user_inputs_pointer`, or else the names in the body's
    /// `censoredProperties` / `encryptedProperties` next to the properties.
    pub user_inputs: Option<Value>,
    /// JSON pointer (RFC 6901) to the definitions in the body.
    pub user_inputs_pointer: String,
    /// JSON pointer to the inputs' values in the body (for bodies an action shapes itself).
    pub properties_pointer: String,
    /// The `encryption` of inputs known only by name, as a definition holds it
    /// (`"aes256-gcm"`, `"fernet"`, `{"algorithm": "client-side", "key": ...}`); checked per
    /// input like any definition's.
    pub default_encryption: Value,
    /// Largest accepted delivery, in bytes.
    pub max_body: usize,
    /// Most client-side inputs one run may carry.
    pub max_client_side_inputs: usize,
    /// The current time (unix seconds), for tests and replays; `None`: the clock.
    pub now: Option<i64>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            delivery: Delivery::Port,
            verify_signature: true,
            tolerance_secs: DEFAULT_TOLERANCE_SECS,
            user_inputs: None,
            user_inputs_pointer: DEFAULT_USER_INPUTS_POINTER.to_owned(),
            properties_pointer: DEFAULT_PROPERTIES_POINTER.to_owned(),
            default_encryption: Value::String("aes256-gcm".to_owned()),
            max_body: DEFAULT_MAX_BODY,
            max_client_side_inputs: DEFAULT_MAX_CLIENT_SIDE_INPUTS,
            now: None,
        }
    }
}

impl RunOptions {
    /// Checks what can be checked before any delivery: the two pointers are JSON pointers.
    ///
    /// # Errors
    /// `malformed` for a pointer that is neither `""` nor starts with `/`.
    pub fn check(&self) -> Result<()> {
        for pointer in [&self.properties_pointer, &self.user_inputs_pointer] {
            if !pointer.is_empty() && !pointer.starts_with('/') {
                return Err(Error::malformed(
                    "a JSON pointer option must be \"\" or start with \"/\"",
                ));
            }
        }
        Ok(())
    }
}

const SIGNATURE: &str = "x-port-signature";
const TIMESTAMP: &str = "x-port-timestamp";

fn missing_signature() -> Error {
    Error::new(
        ErrorKind::InvalidSignature,
        "the x-port-signature or x-port-timestamp header is missing",
    )
}

fn parse(bytes: &[u8]) -> Result<Value> {
    serde_json::from_slice(bytes).map_err(|_| Error::json("the delivery is not valid JSON"))
}

/// The signature and timestamp among `headers` (names in any case). Several signature headers
/// are all candidates; several timestamps must agree.
fn webhook_headers<'h>(headers: &[(&str, &'h [u8])]) -> Result<(String, &'h str)> {
    let mut signature = String::new();
    let mut timestamp: Option<&str> = None;
    for (name, value) in headers {
        let (is_signature, is_timestamp) = (
            name.eq_ignore_ascii_case(SIGNATURE),
            name.eq_ignore_ascii_case(TIMESTAMP),
        );
        if !is_signature && !is_timestamp {
            continue;
        }
        // The same rule as `verify_signature`: bytes that are not UTF-8 are `invalid_signature`.
        let value = signature::header_text(value)?;
        if is_signature {
            signature.push(' ');
            signature.push_str(value);
        } else {
            match timestamp {
                Some(seen) if seen != value => return Err(signature::invalid_signature()),
                _ => timestamp = Some(value),
            }
        }
    }
    match timestamp {
        Some(ts) if !signature.trim().is_empty() && !ts.trim().is_empty() => Ok((signature, ts)),
        _ => Err(missing_signature()),
    }
}

/// What is checked before any work on a delivery: its size, then the options themselves.
fn check_before_work(bytes: &[u8], options: &RunOptions) -> Result<()> {
    if bytes.len() > options.max_body {
        return Err(Error::malformed("the delivery is larger than max_body"));
    }
    options.check()
}

impl Decryptor {
    /// Opens a run delivered as an HTTP webhook: `body` is the raw request body, `headers` the
    /// request's headers (names in any case). In order: size cap, signature and timestamp (per
    /// [`RunOptions::delivery`]), JSON parse, properties, definitions, decryption. Returns the
    /// parsed body with every secret input decrypted in place.
    ///
    /// ```
    /// use port_secret_core::{Decryptor, Error, RunOptions};
    /// use serde_json::Value;
    ///
    /// fn open_run(decryptor: &Decryptor, raw_body: &[u8], headers: &[(&str, &[u8])]) -> Result<Value, Error> {
    ///     decryptor.open_webhook(raw_body, headers, &RunOptions::default())
    /// }
    ///
    /// let secret = "demo-client-secret-0123456789abcdefghijkl";
    /// let value = port_secret_core::encrypt_aes256_gcm("s3cr3t", secret)?;
    /// let body = format!(
    ///     r#"{{"payload":{{"properties":{{"db_password":"{value}"}},
    ///         "action":{{"userInputs":{{"properties":{{"db_password":{{"type":"string","encryption":"aes256-gcm"}}}}}}}}}}}}"#
    /// );
    /// let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
    /// let sig = port_secret_core::sign_payload(&body, &ts, secret)?;
    /// let headers = [("X-Port-Signature", sig.as_bytes()), ("x-port-timestamp", ts.as_bytes())];
    ///
    /// let decryptor = Decryptor::builder().client_secret(secret).build()?;
    /// let run = open_run(&decryptor, body.as_bytes(), &headers)?;
    /// assert_eq!(run["payload"]["properties"]["db_password"], "s3cr3t");
    /// # Ok::<(), Error>(())
    /// ```
    ///
    /// # Errors
    /// `malformed` (too large, no properties or definitions, too many client-side inputs),
    /// `invalid_signature`, `expired`, `invalid_json`, or any error of
    /// [`Decryptor::decrypt_properties`], naming the input.
    pub fn open_webhook(
        &self,
        body: &[u8],
        headers: &[(&str, &[u8])],
        options: &RunOptions,
    ) -> Result<Value> {
        check_before_work(body, options)?;
        let mut run = match options.delivery {
            Delivery::Port => {
                if options.verify_signature {
                    let (sig, ts) = webhook_headers(headers)?;
                    self.check_signature(body, &sig, ts, options)?;
                }
                parse(body)?
            }
            Delivery::Agent => {
                let run = parse(body)?;
                if options.verify_signature {
                    let (sig, ts) = webhook_headers(headers)?;
                    self.check_signature(&pyjson::compact(&run, true), &sig, ts, options)?;
                }
                run
            }
        };
        self.decrypt_run(&mut run, options)?;
        Ok(run)
    }

    /// Opens a run delivered as one message value of Port's Kafka topic: the signature and
    /// timestamp are inside it, in `headers`. Returns the parsed message (headers included)
    /// with every secret input decrypted in place.
    ///
    /// # Errors
    /// As [`Decryptor::open_webhook`]; a message that is not a JSON object is `malformed`.
    pub fn open_kafka_message(&self, message: &[u8], options: &RunOptions) -> Result<Value> {
        check_before_work(message, options)?;
        let mut run = parse(message)?;
        let Value::Object(map) = &run else {
            return Err(Error::malformed("a Kafka message must be a JSON object"));
        };
        if options.verify_signature {
            let (sig, ts, signed) = kafka_signed_text(map)?;
            self.check_signature(&signed, &sig, &ts, options)?;
        }
        self.decrypt_run(&mut run, options)?;
        Ok(run)
    }

    fn check_signature(
        &self,
        signed: &[u8],
        signature: &str,
        timestamp: &str,
        options: &RunOptions,
    ) -> Result<()> {
        let now = options.now.unwrap_or_else(signature::now_unix);
        self.verify_signature_at(signed, signature, timestamp, options.tolerance_secs, now)
    }

    /// Finds the properties and the definitions in a parsed run, then decrypts in place.
    fn decrypt_run(&self, run: &mut Value, options: &RunOptions) -> Result<()> {
        let no_properties =
            || Error::malformed("the run has no properties object at properties_pointer");
        // The properties are moved out while the definitions are read from the rest of the run
        // (no copy of either), and moved back decrypted.
        let mut properties = match run.pointer_mut(&options.properties_pointer) {
            Some(Value::Object(props)) => core::mem::take(props),
            _ => return Err(no_properties()),
        };
        let result = definitions(run, options).and_then(|defs| {
            self.decrypt_in_place(&mut properties, &defs, options.max_client_side_inputs)
        });
        if let Some(Value::Object(slot)) = run.pointer_mut(&options.properties_pointer) {
            *slot = properties;
        }
        result
    }
}

/// The definitions of a run's inputs: given, from the body, or from a list of secret names.
fn definitions<'a>(run: &'a Value, options: &'a RunOptions) -> Result<Cow<'a, Value>> {
    if let Some(given) = &options.user_inputs {
        return match given {
            Value::Array(names) => names_to_definitions(names, &options.default_encryption),
            other => Ok(Cow::Borrowed(other)),
        };
    }
    if let Some(found) = run.pointer(&options.user_inputs_pointer) {
        return Ok(Cow::Borrowed(found));
    }
    // No definitions: Port's run still lists its secret inputs by name next to the properties.
    let parent = options
        .properties_pointer
        .rsplit_once('/')
        .and_then(|(parent, _)| run.pointer(parent));
    for key in ["censoredProperties", "encryptedProperties"] {
        if let Some(names) = parent.and_then(|p| p.get(key)) {
            return match names {
                Value::Array(names) => names_to_definitions(names, &options.default_encryption),
                _ => Err(Error::malformed(
                    "censoredProperties / encryptedProperties must be an array of input names",
                )),
            };
        }
    }
    Err(Error::malformed(
        "the run has no input definitions (userInputs) and no list of secret input names",
    ))
}

fn names_to_definitions(names: &[Value], encryption: &Value) -> Result<Cow<'static, Value>> {
    let mut defs = Map::new();
    for name in names {
        let Value::String(name) = name else {
            return Err(Error::malformed(
                "a list of secret inputs must hold input names (strings)",
            ));
        };
        let mut def = Map::new();
        def.insert("encryption".to_owned(), encryption.clone());
        defs.insert(name.clone(), Value::Object(def));
    }
    Ok(Cow::Owned(Value::Object(defs)))
}

/// The signature, the timestamp and the signed text of a Kafka message.
fn kafka_signed_text(message: &Map<String, Value>) -> Result<(String, String, Vec<u8>)> {
    const SIG: &str = "X-Port-Signature";
    const TS: &str = "X-Port-Timestamp";
    let headers = message
        .get("headers")
        .and_then(Value::as_object)
        .ok_or_else(missing_signature)?;
    let signature = match headers.get(SIG) {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(missing_signature()),
    };
    let timestamp = match headers.get(TS) {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        // The agent formats the value into the signed text, so an integer works too.
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        _ => return Err(missing_signature()),
    };
    let gitlab = message
        .get("payload")
        .and_then(|p| p.pointer("/action/invocationMethod/type"))
        .and_then(Value::as_str)
        == Some("GITLAB");
    let signed = pyjson::compact_object_with(message, false, |key, value, out| {
        if key != "headers" {
            pyjson::write_value(value, false, out);
            return Some(());
        }
        if gitlab {
            return None;
        }
        let rest = pyjson::compact_object_with(headers, false, |k, v, out| {
            if k == SIG || k == TS {
                return None;
            }
            pyjson::write_value(v, false, out);
            Some(())
        });
        out.extend_from_slice(&rest);
        Some(())
    });
    Ok((signature, timestamp, signed))
}
