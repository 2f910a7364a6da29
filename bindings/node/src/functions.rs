//! The one-shot functions: one call, one key, one value.

use napi::bindgen_prelude::{Buffer, FromNapiValue, Unknown};
use napi::{Env, ValueType};
use napi_derive::napi;
use port_secret_core as core;

use crate::convert::{input, option_i64, option_u64, options, string, timestamp};
use crate::error::{check, range_error, type_error};

/// Decrypts an `aes256-gcm` value (base64 of IV ‖ ciphertext ‖ tag) with the client secret.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_BASE64`, `_MALFORMED`,
/// `_AUTHENTICATION_FAILED`, `_INVALID_KEY` (secret under 32 bytes), `_INVALID_UTF8`.
#[napi(
    js_name = "decryptAes256Gcm",
    ts_args_type = "value: string | Uint8Array, clientSecret: string"
)]
pub fn decrypt_aes256_gcm(
    env: Env,
    value: Unknown<'_>,
    client_secret: Unknown<'_>,
) -> napi::Result<String> {
    let value = input(&env, value, "value")?;
    let secret = string(&env, client_secret, "clientSecret")?;
    let text = check(&env, core::decrypt_aes256_gcm(&value, &secret))?;
    Ok(text.as_str().to_owned())
}

/// As `decryptAes256Gcm`, returning the plaintext bytes (any bytes, no UTF-8 check).
#[napi(
    js_name = "decryptAes256GcmBytes",
    ts_args_type = "value: string | Uint8Array, clientSecret: string"
)]
pub fn decrypt_aes256_gcm_bytes(
    env: Env,
    value: Unknown<'_>,
    client_secret: Unknown<'_>,
) -> napi::Result<Buffer> {
    let value = input(&env, value, "value")?;
    let secret = string(&env, client_secret, "clientSecret")?;
    let plaintext = check(&env, core::decrypt_aes256_gcm_bytes(&value, &secret))?;
    Ok(plaintext.as_bytes().to_vec().into())
}

/// Encrypts as Port's server does for `aes256-gcm` (random 16-byte IV); returns the base64 value.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY` (secret under 32 bytes).
#[napi(
    js_name = "encryptAes256Gcm",
    ts_args_type = "plaintext: string | Uint8Array, clientSecret: string"
)]
pub fn encrypt_aes256_gcm(
    env: Env,
    plaintext: Unknown<'_>,
    client_secret: Unknown<'_>,
) -> napi::Result<String> {
    let plaintext = input(&env, plaintext, "plaintext")?;
    let secret = string(&env, client_secret, "clientSecret")?;
    check(&env, core::encrypt_aes256_gcm(&plaintext, &secret))
}

/// Decrypts a `client-side` value (base64 of IV ‖ RSA-OAEP-wrapped key ‖ ciphertext ‖ tag) with
/// an RSA private key PEM (PKCS#8 or PKCS#1, 2048 to 4096 bits). The key is parsed on every call:
/// use a `Decryptor` (and `decryptAsync`) to parse it once and keep RSA off the event loop.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_BASE64`, `_MALFORMED`,
/// `_AUTHENTICATION_FAILED`, `_INVALID_KEY`, `_INVALID_UTF8`.
#[napi(
    js_name = "decryptClientSide",
    ts_args_type = "value: string | Uint8Array, privateKey: string"
)]
pub fn decrypt_client_side(
    env: Env,
    value: Unknown<'_>,
    private_key: Unknown<'_>,
) -> napi::Result<String> {
    let value = input(&env, value, "value")?;
    let pem = string(&env, private_key, "privateKey")?;
    let text = check(&env, core::decrypt_client_side(&value, &pem))?;
    Ok(text.as_str().to_owned())
}

/// As `decryptClientSide`, returning the plaintext bytes.
#[napi(
    js_name = "decryptClientSideBytes",
    ts_args_type = "value: string | Uint8Array, privateKey: string"
)]
pub fn decrypt_client_side_bytes(
    env: Env,
    value: Unknown<'_>,
    private_key: Unknown<'_>,
) -> napi::Result<Buffer> {
    let value = input(&env, value, "value")?;
    let pem = string(&env, private_key, "privateKey")?;
    let plaintext = check(&env, core::decrypt_client_side_bytes(&value, &pem))?;
    Ok(plaintext.as_bytes().to_vec().into())
}

/// Encrypts as Port's browser does for `client-side` inputs: AES-256-GCM with a random 12-byte
/// IV, the key wrapped with RSA-OAEP SHA-256 under the public key (SPKI PEM).
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY`.
#[napi(
    js_name = "encryptClientSide",
    ts_args_type = "plaintext: string | Uint8Array, publicKey: string"
)]
pub fn encrypt_client_side(
    env: Env,
    plaintext: Unknown<'_>,
    public_key: Unknown<'_>,
) -> napi::Result<String> {
    let plaintext = input(&env, plaintext, "plaintext")?;
    let pem = string(&env, public_key, "publicKey")?;
    check(&env, core::encrypt_client_side(&plaintext, &pem))
}

fn fernet_plaintext(
    env: &Env,
    token: Unknown<'_>,
    client_secret: Unknown<'_>,
    opts: Unknown<'_>,
) -> napi::Result<core::Plaintext> {
    let token = input(env, token, "token")?;
    let secret = string(env, client_secret, "clientSecret")?;
    let opts = options(env, opts, "options")?;
    let ttl = option_u64(env, opts.as_ref(), "ttl")?;
    let result = match option_u64(env, opts.as_ref(), "now")? {
        Some(now) => core::decrypt_fernet_at(&token, &secret, ttl, now),
        None => core::decrypt_fernet_bytes(&token, &secret, ttl),
    };
    check(env, result)
}

/// Decrypts a legacy `fernet` token. With `ttl`, a token older than `ttl` seconds is
/// `ERR_PORT_SECRET_EXPIRED`; `now` (unix seconds) replaces the clock, for tests and replays.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_BASE64`, `_MALFORMED`,
/// `_AUTHENTICATION_FAILED`, `_INVALID_KEY`, `_EXPIRED`, `_INVALID_UTF8`.
#[napi(
    js_name = "decryptFernet",
    ts_args_type = "token: string | Uint8Array, clientSecret: string, options?: FernetOptions"
)]
pub fn decrypt_fernet(
    env: Env,
    token: Unknown<'_>,
    client_secret: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<String> {
    let plaintext = fernet_plaintext(&env, token, client_secret, options)?;
    let text = check(&env, plaintext.into_text())?;
    Ok(text.as_str().to_owned())
}

/// As `decryptFernet`, returning the plaintext bytes.
#[napi(
    js_name = "decryptFernetBytes",
    ts_args_type = "token: string | Uint8Array, clientSecret: string, options?: FernetOptions"
)]
pub fn decrypt_fernet_bytes(
    env: Env,
    token: Unknown<'_>,
    client_secret: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<Buffer> {
    let plaintext = fernet_plaintext(&env, token, client_secret, options)?;
    Ok(plaintext.as_bytes().to_vec().into())
}

/// Options of `decryptFernet`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Debug)]
pub struct FernetOptions {
    /// Reject tokens older than this many seconds (default: no limit).
    pub ttl: Option<u32>,
    /// The current time in unix seconds (default: the clock), for tests and replays.
    pub now: Option<u32>,
}

/// Encrypts to a Fernet token (current time, random IV).
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY`.
#[napi(
    js_name = "encryptFernet",
    ts_args_type = "plaintext: string | Uint8Array, clientSecret: string"
)]
pub fn encrypt_fernet(
    env: Env,
    plaintext: Unknown<'_>,
    client_secret: Unknown<'_>,
) -> napi::Result<String> {
    let plaintext = input(&env, plaintext, "plaintext")?;
    let secret = string(&env, client_secret, "clientSecret")?;
    check(&env, core::encrypt_fernet(&plaintext, &secret))
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
#[napi(js_name = "generateKeyPair", ts_args_type = "bits?: number")]
pub fn generate_key_pair(env: Env, bits: Unknown<'_>) -> napi::Result<KeyPair> {
    let bits = match bits.get_type()? {
        ValueType::Undefined => 2048,
        ValueType::Number => {
            let number = f64::from_unknown(bits)?;
            if number.fract() != 0.0 || !(0.0..=65536.0).contains(&number) {
                return Err(range_error(&env, "bits must be 2048, 3072 or 4096"));
            }
            bits_usize(number)
        }
        _ => return Err(type_error(&env, "bits must be a number")),
    };
    let pair = check(&env, core::generate_key_pair(bits))?;
    Ok(KeyPair {
        private_key: pair.private_key_pem.as_str().to_owned(),
        public_key: pair.public_key_pem,
    })
}

/// Signs a body as Port does; returns the `x-port-signature` header value (`v1,<base64>`).
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_KEY` (empty secret).
#[napi(
    js_name = "signPayload",
    ts_args_type = "body: string | Uint8Array, clientSecret: string, timestamp: string | number"
)]
pub fn sign_payload(
    env: Env,
    body: Unknown<'_>,
    client_secret: Unknown<'_>,
    timestamp_value: Unknown<'_>,
) -> napi::Result<String> {
    let body = input(&env, body, "body")?;
    let secret = string(&env, client_secret, "clientSecret")?;
    let timestamp = timestamp(&env, timestamp_value)?;
    check(&env, core::sign_payload(&body, &secret, &timestamp))
}

/// Options of the `verifySignature` functions.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Debug)]
pub struct VerifyOptions {
    /// Largest accepted distance between the timestamp and now, in seconds (default 300).
    pub tolerance: Option<u32>,
    /// The current time in unix seconds (default: the clock), for tests and replays.
    pub now: Option<u32>,
}

/// Reads `{tolerance, now}`.
pub fn verify_options(env: &Env, opts: Unknown<'_>) -> napi::Result<(u64, Option<i64>)> {
    let opts = options(env, opts, "options")?;
    let tolerance =
        option_u64(env, opts.as_ref(), "tolerance")?.unwrap_or(core::DEFAULT_TOLERANCE_SECS);
    let now = option_i64(env, opts.as_ref(), "now")?;
    Ok((tolerance, now))
}

/// Verifies Port's `x-port-signature` header over the **raw** request body, in constant time,
/// and that `x-port-timestamp` is within `tolerance` seconds (default 300) of now. Returns
/// nothing; throws on failure.
///
/// @throws {PortSecretError} `ERR_PORT_SECRET_INVALID_SIGNATURE`, `_EXPIRED`, `_INVALID_KEY`.
#[napi(
    js_name = "verifySignature",
    ts_args_type = "body: string | Uint8Array, signature: string, timestamp: string | number, clientSecret: string, options?: VerifyOptions"
)]
pub fn verify_signature(
    env: Env,
    body: Unknown<'_>,
    signature: Unknown<'_>,
    timestamp_value: Unknown<'_>,
    client_secret: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<()> {
    let body = input(&env, body, "body")?;
    let signature = string(&env, signature, "signature")?;
    let timestamp = timestamp(&env, timestamp_value)?;
    let secret = string(&env, client_secret, "clientSecret")?;
    let (tolerance, now) = verify_options(&env, options)?;
    let result = match now {
        Some(now) => {
            core::verify_signature_at(&body, &signature, &timestamp, &secret, tolerance, now)
        }
        None => core::verify_signature(&body, &signature, &timestamp, &secret, tolerance),
    };
    check(&env, result)
}

/// This package's version (the workspace version, shared by every port-secret package).
#[napi]
pub const VERSION: &str = core::VERSION;

/// The RSA implementation compiled in (`"aws-lc"` in the published package).
#[napi]
pub const RSA_BACKEND: &str = core::RSA_BACKEND;

#[allow(clippy::cast_possible_truncation)] // checked: integral and within 0..=65536
fn bits_usize(number: f64) -> usize {
    number as usize
}
