//! The `Decryptor` class: keys parsed once, rotation lists, whole payloads, async decryption on
//! the libuv thread pool.

use std::sync::Arc;

use napi::Env;
use napi::Task;
use napi::bindgen_prelude::{AsyncTask, Buffer, Unknown};
use napi_derive::napi;
use port_secret_core as core;
use port_secret_core::Encryption;

use crate::convert::{
    EncryptionArg, Json, NonNegativeInteger, Options, Strings, Text, TextOrBytes, Timestamp,
};
use crate::error::{check, port_error};
use crate::functions::{VerifyOptions, bytes, text};
use crate::run::{self, Headers, OpenRunTask, RunOptionsJs, to_js};

/// Options of `new Decryptor(...)`.
#[napi(object, object_to_js = false)]
#[derive(Debug)]
pub struct DecryptorOptions {
    /// The organisation's client secret, or several during a rotation (tried in turn), for
    /// `aes256-gcm`, `fernet` and webhook signatures.
    pub client_secret: Option<Strings>,
    /// An RSA private key PEM (PKCS#8 or PKCS#1), or several, for `client-side` inputs.
    pub private_key: Option<Strings>,
    /// Largest accepted encoded value, in bytes (default 1 MiB; at least 1).
    pub max_input_len: Option<NonNegativeInteger>,
    /// Reject Fernet tokens older than this many seconds (default: no limit).
    pub fernet_ttl: Option<NonNegativeInteger>,
}

/// An object `encryption`, as in an action definition:
/// `{algorithm: "client-side", key: "<public PEM>"}`. (Its type only: the core reads the object
/// as JSON, as in every language.)
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Debug)]
pub struct EncryptionSpec {
    /// `"client-side"` (or `"aes256-gcm"`, `"fernet"`).
    pub algorithm: String,
    /// The action's public key (SPKI PEM); picks the matching private key.
    pub key: Option<String>,
}

/// Decrypts Port secret inputs with keys parsed once.
///
/// Holds any number of client secrets and RSA private keys, tried in the order given. Immutable
/// and safe to share: create one at startup and use it for every request. `decryptAsync` and
/// `decryptPropertiesAsync` run on the libuv thread pool, so RSA never blocks the event loop;
/// the sync methods suit small `aes256-gcm` values.
#[napi]
#[derive(Debug)]
pub struct Decryptor {
    inner: Arc<core::Decryptor>,
}

#[napi]
impl Decryptor {
    /// Parses every key.
    ///
    /// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY`: a client secret under 32 bytes, a
    /// PEM that is not an RSA private key of 2048 to 4096 bits, or no key at all;
    /// `ERR_PORT_SECRET_MALFORMED`: `maxInputLen` 0.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        #[napi(ts_arg_type = "DecryptorOptions")] options: Options<DecryptorOptions>,
    ) -> napi::Result<Self> {
        let options = options.0;
        let mut builder = core::Decryptor::builder();
        for secret in options.client_secret.iter().flat_map(Strings::iter) {
            builder = builder.client_secret(secret);
        }
        for pem in options.private_key.iter().flat_map(Strings::iter) {
            builder = builder.private_key_pem(pem);
        }
        if let Some(max) = options.max_input_len {
            builder = builder.max_input_len(max.size());
        }
        builder = builder.fernet_ttl(options.fernet_ttl.map(NonNegativeInteger::get));
        let inner = check(&env, builder.build())?;
        Ok(Decryptor {
            inner: Arc::new(inner),
        })
    }

    /// Number of client secrets configured.
    #[napi(getter)]
    pub fn client_secret_count(&self) -> u32 {
        count(self.inner.client_secret_count())
    }

    /// Number of private keys configured.
    #[napi(getter)]
    pub fn private_key_count(&self) -> u32 {
        count(self.inner.private_key_count())
    }

    /// The cap on an encoded value's length, in bytes.
    #[napi(getter)]
    pub fn max_input_len(&self) -> f64 {
        // Exact: the cap comes from a JavaScript integer or the 1 MiB default.
        #[allow(clippy::cast_precision_loss)]
        let len = self.inner.max_input_len() as f64;
        len
    }

    /// Decrypts one value to text. `encryption` is the input's `encryption` from the action
    /// definition: `"aes256-gcm"`, `"fernet"`, `"client-side"` or `{algorithm: "client-side",
    /// key: "<public PEM>"}` (the key picks the matching private key), or the JSON text of one.
    ///
    /// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_BASE64`, `_MALFORMED`,
    /// `_AUTHENTICATION_FAILED`, `_INVALID_KEY`, `_EXPIRED`, `_INVALID_UTF8`,
    /// `_UNSUPPORTED_ENCRYPTION`.
    #[napi]
    pub fn decrypt(
        &self,
        env: Env,
        value: TextOrBytes,
        #[napi(ts_arg_type = "string | EncryptionSpec")] encryption: EncryptionArg,
    ) -> napi::Result<String> {
        text(&env, self.plaintext(&value, encryption))
    }

    /// As `decrypt`, returning the plaintext bytes (any bytes, no UTF-8 check).
    #[napi]
    pub fn decrypt_bytes(
        &self,
        env: Env,
        value: TextOrBytes,
        #[napi(ts_arg_type = "string | EncryptionSpec")] encryption: EncryptionArg,
    ) -> napi::Result<Buffer> {
        bytes(&env, self.plaintext(&value, encryption))
    }

    /// Decrypts one value holding JSON (a `type: "object"` input) and parses it.
    ///
    /// @throws {PortSecretError} as `decrypt`, and `ERR_PORT_SECRET_INVALID_JSON`.
    #[napi(ts_return_type = "unknown")]
    pub fn decrypt_json(
        &self,
        env: Env,
        value: TextOrBytes,
        #[napi(ts_arg_type = "string | EncryptionSpec")] encryption: EncryptionArg,
    ) -> napi::Result<Unknown<'static>> {
        let encryption = check(&env, encryption.0)?;
        let json = check(&env, self.inner.decrypt_json(&value, &encryption))?;
        to_js(&env, json)
    }

    /// `decrypt` on the libuv thread pool: the event loop keeps running during RSA. Wrong
    /// argument types throw a `TypeError` at once; every decryption error rejects the promise
    /// with a `PortSecretError`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn decrypt_async(
        &self,
        value: TextOrBytes,
        #[napi(ts_arg_type = "string | EncryptionSpec")] encryption: EncryptionArg,
    ) -> AsyncTask<DecryptTask> {
        AsyncTask::new(DecryptTask {
            decryptor: Arc::clone(&self.inner),
            value: value.as_ref().to_vec(),
            encryption: encryption.0,
        })
    }

    /// Decrypts every secret input of a run: `properties` is the run's `payload.properties`,
    /// `userInputs` the action's `userInputs` (with `properties`) or that `properties` map.
    /// Returns a copy where each input whose definition has `encryption` is decrypted (`type:
    /// "object"` ones parsed as JSON); other inputs are untouched, absent or `null` ones skipped.
    ///
    /// @throws {PortSecretError} with `.input` naming the input that failed (never its value).
    #[napi(ts_return_type = "Record<string, unknown>")]
    pub fn decrypt_properties(
        &self,
        env: Env,
        #[napi(ts_arg_type = "Record<string, unknown>")] properties: Json,
        #[napi(ts_arg_type = "Record<string, unknown>")] user_inputs: Json,
    ) -> napi::Result<Unknown<'static>> {
        let properties = check(&env, properties.0)?;
        let user_inputs = check(&env, user_inputs.0)?;
        let decrypted = check(
            &env,
            self.inner.decrypt_properties(&properties, &user_inputs),
        )?;
        to_js(&env, decrypted)
    }

    /// `decryptProperties` on the libuv thread pool.
    #[napi(ts_return_type = "Promise<Record<string, unknown>>")]
    pub fn decrypt_properties_async(
        &self,
        #[napi(ts_arg_type = "Record<string, unknown>")] properties: Json,
        #[napi(ts_arg_type = "Record<string, unknown>")] user_inputs: Json,
    ) -> AsyncTask<DecryptPropertiesTask> {
        // A wrong JS type threw already; bad data (too deep, cyclic) rejects the promise.
        AsyncTask::new(DecryptPropertiesTask {
            decryptor: Arc::clone(&self.inner),
            input: properties.0.and_then(|p| Ok((p, user_inputs.0?))),
        })
    }

    /// Verifies a webhook signature with any configured client secret (see `verifySignature`).
    ///
    /// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_SIGNATURE`, `_EXPIRED`,
    /// `_INVALID_KEY` (no client secret configured).
    #[napi]
    pub fn verify_signature(
        &self,
        env: Env,
        body: TextOrBytes,
        signature: Text,
        timestamp: Timestamp,
        #[napi(ts_arg_type = "VerifyOptions")] options: Option<Options<VerifyOptions>>,
    ) -> napi::Result<()> {
        let (tolerance, now) = VerifyOptions::read(options);
        let timestamp = timestamp.text();
        let result = match now {
            Some(now) => self
                .inner
                .verify_signature_at(&body, &signature, &timestamp, tolerance, now),
            None => self
                .inner
                .verify_signature(&body, &signature, &timestamp, tolerance),
        };
        check(&env, result)
    }

    /// Opens a run delivered as an HTTP webhook, in one call: size cap, signature and timestamp
    /// (`delivery` `"port"`: over the raw body; `"agent"`: over the compact JSON port-agent
    /// signs), JSON parse, the secret inputs located and decrypted in place. `body` is the raw
    /// request body; `headers` the request's headers, names in any case: Node's `req.headers`,
    /// a `Headers` object or an array of `[name, value]` pairs. Returns the parsed body with its
    /// secret inputs decrypted (`object` ones parsed), with `JSON.parse` semantics.
    ///
    /// @throws {TypeError} a wrong argument or option type.
    /// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_SIGNATURE` (missing or bad signature),
    /// `_EXPIRED`, `_INVALID_JSON`, `_MALFORMED` (too large, no properties or definitions), or
    /// a secret input's error with `.input` naming it.
    #[napi(ts_return_type = "Record<string, any>")]
    pub fn open_webhook(
        &self,
        env: Env,
        body: TextOrBytes,
        #[napi(
            ts_arg_type = "Record<string, string | readonly string[] | undefined> | Headers | Iterable<readonly [string, string | Uint8Array]> | null | undefined"
        )]
        headers: Headers,
        #[napi(ts_arg_type = "RunOptions")] options: Option<Options<RunOptionsJs>>,
    ) -> napi::Result<Unknown<'static>> {
        let options = check(&env, run::run_options(&env, options)?)?;
        let opened = check(
            &env,
            self.inner
                .open_webhook(body.as_ref(), &headers.borrowed(), &options),
        )?;
        to_js(&env, opened)
    }

    /// `openWebhook` on the libuv thread pool: the whole core call (signature, parse, RSA, the
    /// run's JSON) runs off the event loop. Wrong argument types throw a `TypeError` at once;
    /// every other error rejects the promise with a `PortSecretError`.
    #[napi(ts_return_type = "Promise<Record<string, any>>")]
    pub fn open_webhook_async(
        &self,
        env: Env,
        body: TextOrBytes,
        #[napi(
            ts_arg_type = "Record<string, string | readonly string[] | undefined> | Headers | Iterable<readonly [string, string | Uint8Array]> | null | undefined"
        )]
        headers: Headers,
        #[napi(ts_arg_type = "RunOptions")] options: Option<Options<RunOptionsJs>>,
    ) -> napi::Result<AsyncTask<OpenRunTask>> {
        Ok(AsyncTask::new(OpenRunTask {
            decryptor: Arc::clone(&self.inner),
            body: body.as_ref().to_vec(),
            headers: Some(headers),
            options: run::run_options(&env, options)?,
        }))
    }

    /// Opens a run delivered as one message value of Port's Kafka topic (Buffer or string): the
    /// signature and timestamp are inside it, in `headers`. Returns the parsed message
    /// (`headers` included) with its secret inputs decrypted, with `JSON.parse` semantics.
    /// `options.delivery` is ignored.
    ///
    /// @throws {TypeError} a wrong argument or option type.
    /// @throws {PortSecretError} as `openWebhook`; a message that is not a JSON object is
    /// `ERR_PORT_SECRET_MALFORMED`.
    #[napi(ts_return_type = "Record<string, any>")]
    pub fn open_kafka_message(
        &self,
        env: Env,
        message: TextOrBytes,
        #[napi(ts_arg_type = "RunOptions")] options: Option<Options<RunOptionsJs>>,
    ) -> napi::Result<Unknown<'static>> {
        let options = check(&env, run::run_options(&env, options)?)?;
        let opened = check(
            &env,
            self.inner.open_kafka_message(message.as_ref(), &options),
        )?;
        to_js(&env, opened)
    }

    /// `openKafkaMessage` on the libuv thread pool.
    #[napi(ts_return_type = "Promise<Record<string, any>>")]
    pub fn open_kafka_message_async(
        &self,
        env: Env,
        message: TextOrBytes,
        #[napi(ts_arg_type = "RunOptions")] options: Option<Options<RunOptionsJs>>,
    ) -> napi::Result<AsyncTask<OpenRunTask>> {
        Ok(AsyncTask::new(OpenRunTask {
            decryptor: Arc::clone(&self.inner),
            body: message.as_ref().to_vec(),
            headers: None,
            options: run::run_options(&env, options)?,
        }))
    }
}

impl Decryptor {
    /// The one core call of the `decrypt` twins.
    fn plaintext(
        &self,
        value: &TextOrBytes,
        encryption: EncryptionArg,
    ) -> core::Result<core::Plaintext> {
        self.inner.decrypt_bytes(value, &encryption.0?)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `Decryptor.decryptAsync`'s work.
#[derive(Debug)]
pub struct DecryptTask {
    decryptor: Arc<core::Decryptor>,
    value: Vec<u8>,
    encryption: core::Result<Encryption>,
}

impl Task for DecryptTask {
    type Output = core::Result<String>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let result = match &self.encryption {
            Ok(encryption) => self
                .decryptor
                .decrypt(&self.value, encryption)
                .map(|text| text.as_str().to_owned()),
            Err(error) => Err(error.clone()),
        };
        Ok(result)
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<String> {
        output.map_err(|error| port_error(&env, &error))
    }
}

/// `Decryptor.decryptPropertiesAsync`'s work.
pub struct DecryptPropertiesTask {
    decryptor: Arc<core::Decryptor>,
    /// `(properties, userInputs)`, or the `malformed` error their conversion gave.
    input: core::Result<(serde_json::Value, serde_json::Value)>,
}

impl std::fmt::Debug for DecryptPropertiesTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The properties hold secrets once decrypted: show none of them.
        f.debug_struct("DecryptPropertiesTask")
            .field("decryptor", &self.decryptor)
            .finish_non_exhaustive()
    }
}

impl Task for DecryptPropertiesTask {
    type Output = core::Result<serde_json::Value>;
    type JsValue = Unknown<'static>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match &self.input {
            Ok((properties, user_inputs)) => {
                self.decryptor.decrypt_properties(properties, user_inputs)
            }
            Err(error) => Err(error.clone()),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Unknown<'static>> {
        match output {
            Ok(value) => to_js(&env, value),
            Err(error) => Err(port_error(&env, &error)),
        }
    }
}
