//! [`Decryptor`]: keys parsed and key schedules built once, rotation, whole payloads.

use core::fmt;

use hmac::Hmac;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::aes256_gcm::{self, PortGcm};
use crate::b64::DEFAULT_MAX_INPUT_LEN;
use crate::client_side;
use crate::encryption::Encryption;
use crate::error::{Error, Result};
use crate::fernet::{self, FernetKey};
use crate::rsa_key::{Backend, RsaPrivateKey, RsaPublicKey};
use crate::secret::{Plaintext, SecretString};
use crate::signature;

struct ClientSecretKeys {
    gcm: PortGcm,
    fernet: FernetKey,
    mac: Hmac<Sha256>,
}

impl ClientSecretKeys {
    fn new(secret: &str) -> Result<Self> {
        Ok(ClientSecretKeys {
            gcm: aes256_gcm::cipher(secret)?,
            fernet: FernetKey::from_client_secret(secret)?,
            mac: signature::mac_for(secret)?,
        })
    }
}

/// Decrypts Port secret inputs with keys parsed once.
///
/// Holds any number of client secrets and RSA private keys; during a rotation they are tried in
/// the order given. Immutable after [`DecryptorBuilder::build`], so one `Decryptor` can be shared
/// between threads (`Send + Sync`).
///
/// ```
/// use port_secret_core::{Decryptor, Encryption};
/// let secret = "demo-client-secret-0123456789abcdefghijkl";
/// let decryptor = Decryptor::builder().client_secret(secret).build()?;
/// let value = port_secret_core::encrypt_aes256_gcm("s3cr3t", secret)?;
/// assert_eq!(&*decryptor.decrypt(&value, &Encryption::Aes256Gcm)?, "s3cr3t");
/// # Ok::<(), port_secret_core::Error>(())
/// ```
pub struct Decryptor {
    secrets: Vec<ClientSecretKeys>,
    private_keys: Vec<RsaPrivateKey>,
    max_input_len: usize,
    fernet_ttl: Option<u64>,
}

/// Builds a [`Decryptor`].
#[derive(Default)]
pub struct DecryptorBuilder {
    secrets: Vec<SecretString>,
    private_keys: Vec<SecretString>,
    max_input_len: Option<usize>,
    fernet_ttl: Option<u64>,
    backend: Option<Backend>,
}

impl fmt::Debug for DecryptorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptorBuilder")
            .field("client_secrets", &self.secrets.len())
            .field("private_keys", &self.private_keys.len())
            .finish_non_exhaustive()
    }
}

impl DecryptorBuilder {
    /// Adds a client secret (for `aes256-gcm`, `fernet` and signatures). Add the current one
    /// first during a rotation.
    #[must_use]
    pub fn client_secret(mut self, secret: &str) -> Self {
        self.secrets
            .push(SecretString::from_string(secret.to_owned()));
        self
    }

    /// Adds an RSA private key PEM (PKCS#8 or PKCS#1) for `client-side` inputs.
    #[must_use]
    pub fn private_key_pem(mut self, pem: &str) -> Self {
        self.private_keys
            .push(SecretString::from_string(pem.to_owned()));
        self
    }

    /// Caps the length of an encoded value (checked before decoding). Default 1 MiB. Must be at
    /// least 1: [`DecryptorBuilder::build`] refuses 0 as `malformed`.
    #[must_use]
    pub fn max_input_len(mut self, max: usize) -> Self {
        self.max_input_len = Some(max);
        self
    }

    /// Rejects Fernet tokens older than `ttl` seconds (default `None`: no TTL). Every value is
    /// meaningful, as in [`decrypt_fernet`](crate::decrypt_fernet): `Some(0)` accepts only tokens
    /// made in the current second.
    #[must_use]
    pub fn fernet_ttl(mut self, ttl: Option<u64>) -> Self {
        self.fernet_ttl = ttl;
        self
    }

    /// Picks the RSA backend (benchmarks and backend comparisons only).
    #[doc(hidden)]
    #[must_use]
    pub fn rsa_backend(mut self, backend: Backend) -> Self {
        self.backend = Some(backend);
        self
    }

    /// Checks the options, then parses every key. Every binding builds its decryptor here, so
    /// each gives the same answer to the same options.
    ///
    /// # Errors
    /// `malformed` if `max_input_len` is 0 (checked first); `invalid_key` if a client secret is
    /// under 32 bytes, a PEM is not an RSA private key of 2048 to 4096 bits, or no key at all
    /// was given.
    pub fn build(self) -> Result<Decryptor> {
        if self.max_input_len == Some(0) {
            return Err(Error::malformed("max_input_len must be a positive integer"));
        }
        if self.secrets.is_empty() && self.private_keys.is_empty() {
            return Err(Error::key(
                "a Decryptor needs at least one client secret or private key",
            ));
        }
        let secrets = self
            .secrets
            .iter()
            .map(|s| ClientSecretKeys::new(s))
            .collect::<Result<Vec<_>>>()?;
        let private_keys = self
            .private_keys
            .iter()
            .map(|pem| RsaPrivateKey::from_pem_with(pem, self.backend.unwrap_or(Backend::DEFAULT)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Decryptor {
            secrets,
            private_keys,
            max_input_len: self.max_input_len.unwrap_or(DEFAULT_MAX_INPUT_LEN),
            fernet_ttl: self.fernet_ttl,
        })
    }
}

impl fmt::Debug for Decryptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decryptor")
            .field("client_secrets", &self.secrets.len())
            .field("private_keys", &self.private_keys.len())
            .field("max_input_len", &self.max_input_len)
            .finish_non_exhaustive()
    }
}

fn no_secret() -> Error {
    Error::key("no client secret configured for this encryption")
}

impl Decryptor {
    /// A builder.
    pub fn builder() -> DecryptorBuilder {
        DecryptorBuilder::default()
    }

    /// A Decryptor from lists of client secrets and private key PEMs (either may be empty).
    ///
    /// # Errors
    /// As [`DecryptorBuilder::build`].
    pub fn new<S: AsRef<str>, K: AsRef<str>>(
        client_secrets: &[S],
        private_keys: &[K],
    ) -> Result<Self> {
        let mut b = Self::builder();
        for s in client_secrets {
            b = b.client_secret(s.as_ref());
        }
        for k in private_keys {
            b = b.private_key_pem(k.as_ref());
        }
        b.build()
    }

    /// The cap on an encoded value's length.
    pub fn max_input_len(&self) -> usize {
        self.max_input_len
    }

    /// Number of client secrets configured.
    pub fn client_secret_count(&self) -> usize {
        self.secrets.len()
    }

    /// Number of private keys configured.
    pub fn private_key_count(&self) -> usize {
        self.private_keys.len()
    }

    /// Decrypts one value to bytes.
    ///
    /// # Errors
    /// `invalid_base64`, `malformed`, `authentication_failed` (no configured key opens it),
    /// `invalid_key` (no key of the kind this encryption needs), `expired` (Fernet TTL).
    pub fn decrypt_bytes(
        &self,
        value: impl AsRef<[u8]>,
        encryption: &Encryption,
    ) -> Result<Plaintext> {
        let value = value.as_ref();
        match encryption {
            Encryption::Aes256Gcm => {
                if self.secrets.is_empty() {
                    return Err(no_secret());
                }
                let mut sealed = aes256_gcm::Sealed::decode(value, self.max_input_len)?;
                let mut last = Error::auth();
                for keys in &self.secrets {
                    match sealed.open_with(&keys.gcm) {
                        Ok(()) => return Ok(sealed.into_plaintext()),
                        Err(e) => last = e,
                    }
                }
                Err(last)
            }
            Encryption::Fernet => {
                if self.secrets.is_empty() {
                    return Err(no_secret());
                }
                let keys: Vec<&FernetKey> = self.secrets.iter().map(|k| &k.fernet).collect();
                fernet::decrypt_with(
                    &keys,
                    value,
                    self.fernet_ttl,
                    fernet::now_unix(),
                    self.max_input_len,
                )
            }
            Encryption::ClientSide { key } => self.decrypt_client_side(value, key.as_deref()),
        }
    }

    fn decrypt_client_side(&self, value: &[u8], public_pem: Option<&str>) -> Result<Plaintext> {
        if self.private_keys.is_empty() {
            return Err(Error::key(
                "no private key configured for client-side inputs",
            ));
        }
        let sealed = client_side::Sealed::decode(value, self.max_input_len)?;
        // The action's public key, when it parses and matches, picks the one key to use.
        if let Some(public) = public_pem.and_then(|pem| RsaPublicKey::from_pem(pem).ok())
            && let Some(key) = self.private_keys.iter().find(|k| k.spki() == public.spki())
        {
            return sealed.open_with(key);
        }
        let mut tried = false;
        for key in &self.private_keys {
            if !sealed.fits(key.modulus_len()) {
                continue;
            }
            tried = true;
            if let Ok(plaintext) = sealed.open_with(key) {
                return Ok(plaintext);
            }
        }
        if tried {
            Err(Error::auth())
        } else {
            Err(client_side::Sealed::too_short())
        }
    }

    /// Decrypts one value to text.
    ///
    /// # Errors
    /// As [`Decryptor::decrypt_bytes`], plus `invalid_utf8`.
    pub fn decrypt(
        &self,
        value: impl AsRef<[u8]>,
        encryption: &Encryption,
    ) -> Result<SecretString> {
        self.decrypt_bytes(value, encryption)?.into_text()
    }

    /// Decrypts one value holding JSON (a `type: object` input) and parses it.
    ///
    /// The parsed [`Value`] is not zeroized on drop: drop it early when it holds secrets.
    ///
    /// # Errors
    /// As [`Decryptor::decrypt`], plus `invalid_json`.
    pub fn decrypt_json(&self, value: impl AsRef<[u8]>, encryption: &Encryption) -> Result<Value> {
        let plaintext = self.decrypt_bytes(value, encryption)?;
        let text = plaintext.to_str()?;
        let value: Value = serde_json::from_str(text)
            .map_err(|_| Error::json("decrypted value is not valid JSON"))?;
        // serde_json keeps numbers as text (`arbitrary_precision`, for the run's exact
        // re-serialization); a secret's number must still fit a double, as it did before.
        if has_number_out_of_range(&value) {
            return Err(Error::json("decrypted value has a number out of range"));
        }
        Ok(value)
    }

    /// Decrypts every secret input of a run.
    ///
    /// `properties` is the run's `payload.properties` object. `user_inputs` is the action's
    /// `userInputs` (an object with `properties`) or that `properties` map itself. Returns a copy
    /// of `properties` where every input whose definition has `encryption` is decrypted: inputs
    /// of `type: "object"` are parsed as JSON, the others become strings. Inputs without
    /// `encryption` are copied untouched; encrypted inputs absent from `properties`, or `null`
    /// there (an optional input left empty), are skipped.
    ///
    /// # Errors
    /// `malformed` if `properties` or `user_inputs` is not an object, an input definition is not
    /// an object (checked for all of them before anything is decrypted, so passing the wrong
    /// object fails instead of returning secrets still encrypted), or an encrypted input's value
    /// is not a string; any decryption error. Errors name the input ([`Error::input`]), never its
    /// value.
    pub fn decrypt_properties(&self, properties: &Value, user_inputs: &Value) -> Result<Value> {
        let mut props = properties
            .as_object()
            .ok_or(Error::malformed("properties must be a JSON object"))?
            .clone();
        self.decrypt_in_place(&mut props, user_inputs, usize::MAX)?;
        Ok(Value::Object(props))
    }

    /// [`Decryptor::decrypt_properties`] on `props` itself, with at most `max_client_side`
    /// client-side inputs (counted before anything is decrypted; past it: `malformed`, naming
    /// the first input over the cap).
    pub(crate) fn decrypt_in_place(
        &self,
        props: &mut Map<String, Value>,
        user_inputs: &Value,
        max_client_side: usize,
    ) -> Result<()> {
        let defs = input_definitions(user_inputs)?;
        let present = |name: &str| props.get(name).is_some_and(|v| !v.is_null());
        if max_client_side < defs.len() {
            let mut client_side = 0usize;
            for (name, def) in defs {
                let is_client_side = def.get("encryption").is_some_and(|e| {
                    matches!(Encryption::from_json(e), Ok(Encryption::ClientSide { .. }))
                });
                if is_client_side && present(name) {
                    client_side += 1;
                    if client_side > max_client_side {
                        return Err(Error::malformed(
                            "the run has more client-side inputs than max_client_side_inputs",
                        )
                        .with_input(name));
                    }
                }
            }
        }
        for (name, def) in defs {
            let Some(encryption) = def.get("encryption") else {
                continue;
            };
            let value = match props.get(name) {
                None | Some(Value::Null) => continue,
                Some(Value::String(s)) => s,
                Some(_) => {
                    return Err(
                        Error::malformed("an encrypted input's value must be a string")
                            .with_input(name),
                    );
                }
            };
            let encryption = Encryption::from_json(encryption).map_err(|e| e.with_input(name))?;
            let is_object = def.get("type").and_then(Value::as_str) == Some("object");
            let decrypted = if is_object {
                self.decrypt_json(value, &encryption)
            } else {
                // Moved, not copied, into the JSON value (which the caller owns, unwiped).
                self.decrypt(value, &encryption)
                    .map(|s| Value::String(core::mem::take(&mut *s.into_inner())))
            }
            .map_err(|e| e.with_input(name))?;
            if let Some(slot) = props.get_mut(name) {
                *slot = decrypted;
            }
        }
        Ok(())
    }

    /// Verifies a webhook signature with any configured client secret (see
    /// [`verify_signature`](crate::verify_signature)). `signature` and `timestamp` are the header
    /// values as received, text or bytes.
    ///
    /// # Errors
    /// `invalid_signature` (also for a header that is not UTF-8, checked first), `expired`, or
    /// `invalid_key` when no client secret is configured.
    pub fn verify_signature(
        &self,
        body: impl AsRef<[u8]>,
        signature: impl AsRef<[u8]>,
        timestamp: impl AsRef<[u8]>,
        tolerance_secs: u64,
    ) -> Result<()> {
        self.verify_signature_at(
            body,
            signature,
            timestamp,
            tolerance_secs,
            signature::now_unix(),
        )
    }

    /// [`Decryptor::verify_signature`] at a given time (unix seconds).
    ///
    /// # Errors
    /// As [`Decryptor::verify_signature`].
    pub fn verify_signature_at(
        &self,
        body: impl AsRef<[u8]>,
        signature: impl AsRef<[u8]>,
        timestamp: impl AsRef<[u8]>,
        tolerance_secs: u64,
        now: i64,
    ) -> Result<()> {
        let signature = signature::header_text(signature.as_ref())?;
        let timestamp = signature::header_text(timestamp.as_ref())?;
        if self.secrets.is_empty() {
            return Err(no_secret());
        }
        let macs: Vec<&Hmac<Sha256>> = self.secrets.iter().map(|k| &k.mac).collect();
        if !signature::matches(&macs, body.as_ref(), signature, timestamp) {
            return Err(signature::invalid_signature());
        }
        signature::check_timestamp(timestamp, now, tolerance_secs)
    }
}

fn has_number_out_of_range(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.as_f64().is_none_or(|x| !x.is_finite()),
        Value::Array(items) => items.iter().any(has_number_out_of_range),
        Value::Object(map) => map.values().any(has_number_out_of_range),
        _ => false,
    }
}

/// Deepest nesting (serde_json's own recursion limit) a binding accepts when it converts its
/// language's objects into JSON for [`Decryptor::decrypt_properties`] or an `encryption`; the
/// top value is at depth 0. Past it: [`Error::json_too_large`].
pub const MAX_JSON_DEPTH: usize = 128;

/// Most values one such conversion visits. The depth limit alone does not bound the work: a
/// shared-object DAG (`x = [x, x]` sixty times) is 60 levels deep but 2^60 values to walk.
pub const MAX_JSON_VALUES: usize = 1_000_000;

/// The map of input definitions: `user_inputs.properties` when present, else `user_inputs`.
fn input_definitions(user_inputs: &Value) -> Result<&Map<String, Value>> {
    let map = user_inputs
        .as_object()
        .ok_or(Error::malformed("user inputs must be a JSON object"))?;
    let defs = match map.get("properties") {
        Some(Value::Object(props)) if !is_definition(props) => props,
        _ => map,
    };
    // A definition that is not an object is an error, never skipped: skipping would hand back
    // a secret still encrypted when the caller passed the wrong object (say, the whole action).
    match defs.iter().find(|(_, def)| !def.is_object()) {
        Some((name, _)) => {
            Err(Error::malformed("an input definition must be a JSON object").with_input(name))
        }
        None => Ok(defs),
    }
}

/// `{"properties": {...}}` is the action's `userInputs` unless the object under `properties` is
/// itself a definition, of an input named "properties": every definition Port writes has a
/// string `type`, while a map of definitions has none (an input named "type" maps to an object).
fn is_definition(props: &Map<String, Value>) -> bool {
    props.get("type").is_some_and(Value::is_string)
}
