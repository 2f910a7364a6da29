//! The one-shot functions: one call, one key, one value.
//!
//! Each decryption comes as twins, `decryptX` (a string) and `decryptXBytes` (a `Buffer`): both
//! make the same core call (to plaintext bytes), and differ only in [`text`] or [`bytes`].

use napi::Env;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use port_secret_core::{self as core, Plaintext};

use crate::convert::{Integer, Json, NonNegativeInteger, Options, Text, TextOrBytes, Timestamp};
use crate::error::check;

/// A decrypted plaintext as a JavaScript string (`ERR_PORT_SECRET_INVALID_UTF8` if it is not
/// UTF-8).
pub fn text(env: &Env, plaintext: core::Result<Plaintext>) -> napi::Result<String> {
    let text = check(env, plaintext.and_then(Plaintext::into_text))?;
    Ok(text.as_str().to_owned())
}

/// A decrypted plaintext as a `Buffer` (any bytes, no UTF-8 check).
pub fn bytes(env: &Env, plaintext: core::Result<Plaintext>) -> napi::Result<Buffer> {
    Ok(check(env, plaintext)?.as_bytes().to_vec().into())
}

/// Decrypts an `aes256-gcm` value (base64 of IV ‖ ciphertext ‖ tag) with the client secret.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_BASE64`, `_MALFORMED`,
/// `_AUTHENTICATION_FAILED`, `_INVALID_KEY` (secret under 32 bytes), `_INVALID_UTF8`.
#[napi(js_name = "decryptAes256Gcm")]
pub fn decrypt_aes256_gcm(
    env: Env,
    value: TextOrBytes,
    client_secret: Text,
) -> napi::Result<String> {
    text(&env, core::decrypt_aes256_gcm_bytes(&value, &client_secret))
}

/// As `decryptAes256Gcm`, returning the plaintext bytes (any bytes, no UTF-8 check).
#[napi(js_name = "decryptAes256GcmBytes")]
pub fn decrypt_aes256_gcm_bytes(
    env: Env,
    value: TextOrBytes,
    client_secret: Text,
) -> napi::Result<Buffer> {
    bytes(&env, core::decrypt_aes256_gcm_bytes(&value, &client_secret))
}

/// Encrypts as Port's server does for `aes256-gcm` (random 16-byte IV); returns the base64 value.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY` (secret under 32 bytes).
#[napi(js_name = "encryptAes256Gcm")]
pub fn encrypt_aes256_gcm(
    env: Env,
    plaintext: TextOrBytes,
    client_secret: Text,
) -> napi::Result<String> {
    check(&env, core::encrypt_aes256_gcm(&plaintext, &client_secret))
}

/// Decrypts a `client-side` value (base64 of IV ‖ RSA-OAEP-wrapped key ‖ ciphertext ‖ tag) with
/// an RSA private key PEM (PKCS#8 or PKCS#1, 2048 to 4096 bits). The key is parsed on every call:
/// use a `Decryptor` (and `decryptAsync`) to parse it once and keep RSA off the event loop.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_BASE64`, `_MALFORMED`,
/// `_AUTHENTICATION_FAILED`, `_INVALID_KEY`, `_INVALID_UTF8`.
#[napi(js_name = "decryptClientSide")]
pub fn decrypt_client_side(
    env: Env,
    value: TextOrBytes,
    private_key: Text,
) -> napi::Result<String> {
    text(&env, core::decrypt_client_side_bytes(&value, &private_key))
}

/// As `decryptClientSide`, returning the plaintext bytes.
#[napi(js_name = "decryptClientSideBytes")]
pub fn decrypt_client_side_bytes(
    env: Env,
    value: TextOrBytes,
    private_key: Text,
) -> napi::Result<Buffer> {
    bytes(&env, core::decrypt_client_side_bytes(&value, &private_key))
}

/// Encrypts as Port's browser does for `client-side` inputs: AES-256-GCM with a random 12-byte
/// IV, the key wrapped with RSA-OAEP SHA-256 under the public key (SPKI PEM).
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY`.
#[napi(js_name = "encryptClientSide")]
pub fn encrypt_client_side(
    env: Env,
    plaintext: TextOrBytes,
    public_key: Text,
) -> napi::Result<String> {
    check(&env, core::encrypt_client_side(&plaintext, &public_key))
}

/// Options of `decryptFernet`.
#[napi(object, object_to_js = false)]
#[derive(Debug, Default)]
pub struct FernetOptions {
    /// Reject tokens older than this many seconds (default: no limit).
    pub ttl: Option<NonNegativeInteger>,
    /// The current time in unix seconds (default: the clock), for tests and replays.
    pub now: Option<NonNegativeInteger>,
}

/// The one core call of both `decryptFernet` twins.
fn fernet(
    token: &TextOrBytes,
    secret: &Text,
    options: Option<Options<FernetOptions>>,
) -> core::Result<Plaintext> {
    let options = options.map(|o| o.0).unwrap_or_default();
    let ttl = options.ttl.map(NonNegativeInteger::get);
    match options.now {
        Some(now) => core::decrypt_fernet_at(token, secret, ttl, now.get()),
        None => core::decrypt_fernet_bytes(token, secret, ttl),
    }
}

/// Decrypts a legacy `fernet` token. With `ttl`, a token older than `ttl` seconds is
/// `ERR_PORT_SECRET_EXPIRED`; `now` (unix seconds) replaces the clock, for tests and replays.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_BASE64`, `_MALFORMED`,
/// `_AUTHENTICATION_FAILED`, `_INVALID_KEY`, `_EXPIRED`, `_INVALID_UTF8`.
#[napi(js_name = "decryptFernet")]
pub fn decrypt_fernet(
    env: Env,
    token: TextOrBytes,
    client_secret: Text,
    #[napi(ts_arg_type = "FernetOptions")] options: Option<Options<FernetOptions>>,
) -> napi::Result<String> {
    text(&env, fernet(&token, &client_secret, options))
}

/// As `decryptFernet`, returning the plaintext bytes.
#[napi(js_name = "decryptFernetBytes")]
pub fn decrypt_fernet_bytes(
    env: Env,
    token: TextOrBytes,
    client_secret: Text,
    #[napi(ts_arg_type = "FernetOptions")] options: Option<Options<FernetOptions>>,
) -> napi::Result<Buffer> {
    bytes(&env, fernet(&token, &client_secret, options))
}

/// Encrypts to a Fernet token (current time, random IV).
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY`.
#[napi(js_name = "encryptFernet")]
pub fn encrypt_fernet(
    env: Env,
    plaintext: TextOrBytes,
    client_secret: Text,
) -> napi::Result<String> {
    check(&env, core::encrypt_fernet(&plaintext, &client_secret))
}

/// An RSA key pair for `client-side` inputs.
#[napi(object, object_from_js = false)]
pub struct KeyPair {
    /// PKCS#8 PEM (`BEGIN PRIVATE KEY`): keep it on the backend, never log it.
    pub private_key: String,
    /// SPKI PEM (`BEGIN PUBLIC KEY`): what goes in the action's `encryption.key`.
    pub public_key: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("private_key", &"[REDACTED]")
            .field("public_key", &self.public_key)
            .finish()
    }
}

/// Generates an RSA key pair of `bits` (2048, 3072 or 4096; default 2048).
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY` for another size.
#[napi(js_name = "generateKeyPair")]
pub fn generate_key_pair(env: Env, bits: Option<NonNegativeInteger>) -> napi::Result<KeyPair> {
    let bits = bits.map_or(2048, NonNegativeInteger::size);
    let pair = check(&env, core::generate_key_pair(bits))?;
    Ok(KeyPair {
        private_key: pair.private_key_pem.as_str().to_owned(),
        public_key: pair.public_key_pem,
    })
}

/// Signs a body as Port does; returns the `x-port-signature` header value (`v1,<base64>`).
///
/// The arguments come in the order of `verifySignature`: what was signed first (the body, then
/// the timestamp), the key last. Earlier builds took `(body, clientSecret, timestamp)`; a call in
/// that order passes the secret as the timestamp and throws `ERR_PORT_SECRET_MALFORMED`.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_MALFORMED` (a timestamp that is not an integer),
/// `ERR_PORT_SECRET_INVALID_KEY` (an empty secret, or white space around it).
#[napi(js_name = "signPayload")]
pub fn sign_payload(
    env: Env,
    body: TextOrBytes,
    timestamp: Timestamp,
    client_secret: Text,
) -> napi::Result<String> {
    check(
        &env,
        core::sign_payload(&body, &timestamp.text(), &client_secret),
    )
}

/// Options of the `verifySignature` functions.
#[napi(object, object_to_js = false)]
#[derive(Debug, Default)]
pub struct VerifyOptions {
    /// Largest accepted distance between the timestamp and now, in seconds (default 300).
    pub tolerance: Option<NonNegativeInteger>,
    /// The current time in unix seconds (default: the clock), for tests and replays.
    pub now: Option<Integer>,
}

impl VerifyOptions {
    /// `(tolerance, now)`, defaults filled in.
    pub fn read(options: Option<Options<VerifyOptions>>) -> (u64, Option<i64>) {
        let options = options.map(|o| o.0).unwrap_or_default();
        let tolerance = options
            .tolerance
            .map_or(core::DEFAULT_TOLERANCE_SECS, NonNegativeInteger::get);
        (tolerance, options.now.map(Integer::get))
    }
}

/// Verifies Port's `x-port-signature` header over the **raw** request body, in constant time,
/// and that `x-port-timestamp` is within `tolerance` seconds (default 300) of now. Returns
/// nothing; throws on failure.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_SIGNATURE`, `_EXPIRED`, `_INVALID_KEY`.
#[napi(js_name = "verifySignature")]
pub fn verify_signature(
    env: Env,
    body: TextOrBytes,
    signature: Text,
    timestamp: Timestamp,
    client_secret: Text,
    #[napi(ts_arg_type = "VerifyOptions")] options: Option<Options<VerifyOptions>>,
) -> napi::Result<()> {
    let (tolerance, now) = VerifyOptions::read(options);
    let timestamp = timestamp.text();
    let result = match now {
        Some(now) => core::verify_signature_at(
            &body,
            &signature,
            &timestamp,
            &client_secret,
            tolerance,
            now,
        ),
        None => core::verify_signature(&body, &signature, &timestamp, &client_secret, tolerance),
    };
    check(&env, result)
}

/// The strings to register as secret with a CI system's log masking (GitHub's `::add-mask::`,
/// Azure's `setsecret`) for one decrypted value, so that no line of the log shows it or a part
/// of it: the whole value (unless empty or white space), each line of it that has a letter or a
/// digit and is not PEM armor (trimmed), and their JSON-escaped forms; for an object (a `type:
/// object` input, parsed), its compact JSON text and each string in it, whole and by line. May
/// repeat a piece. The rule of the port-secret CLI (`decrypt-env`) and GitHub Action; for CI
/// masking only, not a general redaction tool.
#[napi(js_name = "maskPieces")]
pub fn mask_pieces(
    env: Env,
    #[napi(ts_arg_type = "unknown")] value: Json,
) -> napi::Result<Vec<String>> {
    Ok(core::mask::mask_pieces(&check(&env, value.0)?))
}

/// This package's version (the workspace version, shared by every port-secret package).
#[napi]
pub const VERSION: &str = core::VERSION;

/// The RSA implementation compiled in (`"aws-lc"` in the published package).
#[napi]
pub const RSA_BACKEND: &str = core::RSA_BACKEND;
