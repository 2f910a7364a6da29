//! One-shot functions: each call parses its key, does one operation, and forgets the key.

use core::ffi::c_char;

use port_secret_core as core_api;

use crate::args::{c_bytes, c_out, c_slice, c_str};
use crate::buffer::PortSecretBuffer;
use crate::status::{FfiResult, PortSecretStatus, boundary};

/// `0` as a TTL or tolerance means "none" in this ABI.
fn ttl(seconds: u64) -> Option<u64> {
    (seconds != 0).then_some(seconds)
}

/// Decrypts an `aes256-gcm` value (base64 of IV ‖ ciphertext ‖ tag) with the client secret.
///
/// `out` receives the plaintext, which must be UTF-8 (else `PORT_SECRET_INVALID_UTF8`; use
/// `port_secret_decrypt_aes256_gcm_bytes` for binary plaintexts).
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_BASE64`, `PORT_SECRET_MALFORMED`,
/// `PORT_SECRET_AUTHENTICATION_FAILED`, `PORT_SECRET_INVALID_KEY` (secret under 32 bytes),
/// `PORT_SECRET_INVALID_UTF8` or `PORT_SECRET_INVALID_ARGUMENT` (NULL, or a secret that is not
/// UTF-8; a value that is not UTF-8 is `PORT_SECRET_INVALID_BASE64`).
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// `value` and `client_secret` are NULL or NUL-terminated strings; `out` is NULL or a valid
/// `PortSecretBuffer` (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decrypt_aes256_gcm(
    value: *const c_char,
    client_secret: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, value, secret) = unsafe { (c_out(out)?, c_bytes(value)?, c_str(client_secret)?) };
        let text = core_api::decrypt_aes256_gcm(value, secret)?;
        out.set(text.as_bytes());
        Ok(())
    })
}

/// As `port_secret_decrypt_aes256_gcm`, but any plaintext bytes are returned (never
/// `PORT_SECRET_INVALID_UTF8`).
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// As `port_secret_decrypt_aes256_gcm`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decrypt_aes256_gcm_bytes(
    value: *const c_char,
    client_secret: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, value, secret) = unsafe { (c_out(out)?, c_bytes(value)?, c_str(client_secret)?) };
        let plaintext = core_api::decrypt_aes256_gcm_bytes(value, secret)?;
        out.set(plaintext.as_bytes());
        Ok(())
    })
}

/// Decrypts a `client-side` value (base64 of IV ‖ RSA-OAEP-wrapped key ‖ ciphertext ‖ tag) with
/// an RSA private key PEM (PKCS#8 or PKCS#1, 2048 to 4096 bits).
///
/// The PEM is parsed on every call (an RSA key parse costs about as much as the decryption):
/// use a `PortSecretDecryptor` to decrypt many values with the same key.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_BASE64`, `PORT_SECRET_MALFORMED`,
/// `PORT_SECRET_AUTHENTICATION_FAILED`, `PORT_SECRET_INVALID_KEY`, `PORT_SECRET_INVALID_UTF8` or
/// `PORT_SECRET_INVALID_ARGUMENT`.
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// `value` and `private_key_pem` are NULL or NUL-terminated strings; `out` is NULL or a valid
/// `PortSecretBuffer` (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decrypt_client_side(
    value: *const c_char,
    private_key_pem: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, value, pem) = unsafe { (c_out(out)?, c_bytes(value)?, c_str(private_key_pem)?) };
        let text = core_api::decrypt_client_side(value, pem)?;
        out.set(text.as_bytes());
        Ok(())
    })
}

/// As `port_secret_decrypt_client_side`, but any plaintext bytes are returned (never
/// `PORT_SECRET_INVALID_UTF8`).
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// As `port_secret_decrypt_client_side`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decrypt_client_side_bytes(
    value: *const c_char,
    private_key_pem: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, value, pem) = unsafe { (c_out(out)?, c_bytes(value)?, c_str(private_key_pem)?) };
        let plaintext = core_api::decrypt_client_side_bytes(value, pem)?;
        out.set(plaintext.as_bytes());
        Ok(())
    })
}

/// Decrypts a legacy Fernet token with the client secret. With `ttl_seconds` > 0, a token
/// older than that many seconds is `PORT_SECRET_EXPIRED` (checked only once its HMAC verified);
/// 0 means no TTL.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_BASE64`, `PORT_SECRET_MALFORMED`,
/// `PORT_SECRET_AUTHENTICATION_FAILED`, `PORT_SECRET_INVALID_KEY`, `PORT_SECRET_EXPIRED`,
/// `PORT_SECRET_INVALID_UTF8` or `PORT_SECRET_INVALID_ARGUMENT`.
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// `token` and `client_secret` are NULL or NUL-terminated strings; `out` is NULL or a valid
/// `PortSecretBuffer` (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decrypt_fernet(
    token: *const c_char,
    client_secret: *const c_char,
    ttl_seconds: u64,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, token, secret) = unsafe { (c_out(out)?, c_bytes(token)?, c_str(client_secret)?) };
        let text = core_api::decrypt_fernet(token, secret, ttl(ttl_seconds))?;
        out.set(text.as_bytes());
        Ok(())
    })
}

/// As `port_secret_decrypt_fernet`, but any plaintext bytes are returned (never
/// `PORT_SECRET_INVALID_UTF8`).
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// As `port_secret_decrypt_fernet`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decrypt_fernet_bytes(
    token: *const c_char,
    client_secret: *const c_char,
    ttl_seconds: u64,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, token, secret) = unsafe { (c_out(out)?, c_bytes(token)?, c_str(client_secret)?) };
        let plaintext = core_api::decrypt_fernet_bytes(token, secret, ttl(ttl_seconds))?;
        out.set(plaintext.as_bytes());
        Ok(())
    })
}

/// As `port_secret_decrypt_fernet_bytes`, at the given time (`now_unix`, seconds since the
/// epoch) instead of the system clock: for replaying stored tokens and for tests. Returns any
/// plaintext bytes.
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// As `port_secret_decrypt_fernet`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decrypt_fernet_bytes_at(
    token: *const c_char,
    client_secret: *const c_char,
    ttl_seconds: u64,
    now_unix: u64,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, token, secret) = unsafe { (c_out(out)?, c_bytes(token)?, c_str(client_secret)?) };
        let plaintext = core_api::decrypt_fernet_at(token, secret, ttl(ttl_seconds), now_unix)?;
        out.set(plaintext.as_bytes());
        Ok(())
    })
}

/// Shared body of the three `port_secret_encrypt_*` functions.
///
/// # Safety
/// As `port_secret_encrypt_aes256_gcm`.
#[allow(unsafe_code)]
unsafe fn encrypt_with(
    encrypt: fn(&[u8], &str) -> port_secret_core::Result<String>,
    plaintext: *const u8,
    len: usize,
    key: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract of the encrypt functions.
        let (out, plaintext, key) = unsafe { (c_out(out)?, c_slice(plaintext, len)?, c_str(key)?) };
        let value = encrypt(plaintext, key)?;
        out.set(value.as_bytes());
        Ok(())
    })
}

/// Encrypts `len` bytes as Port's server does for an `aes256-gcm` input, with the client
/// secret as `key`; `out` receives the base64 value (text). A random IV is drawn per call.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_KEY` (secret under 32 bytes) or
/// `PORT_SECRET_INVALID_ARGUMENT` (`plaintext` NULL with `len` > 0, `key` NULL or not UTF-8,
/// `out` NULL).
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// `plaintext` is NULL (only when `len` is 0) or points to `len` readable bytes; `key` is NULL or
/// a NUL-terminated string; `out` is NULL or a valid `PortSecretBuffer` (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_encrypt_aes256_gcm(
    plaintext: *const u8,
    len: usize,
    key: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    // SAFETY: same contract, forwarded.
    unsafe {
        encrypt_with(
            |p, k| core_api::encrypt_aes256_gcm(p, k),
            plaintext,
            len,
            key,
            out,
        )
    }
}

/// Encrypts `len` bytes as Port's browser does for a `client-side` input, with the action's
/// RSA public key PEM (SPKI `BEGIN PUBLIC KEY`) as `key`; `out` receives the base64 value.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_KEY` or `PORT_SECRET_INVALID_ARGUMENT`.
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// As `port_secret_encrypt_aes256_gcm`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_encrypt_client_side(
    plaintext: *const u8,
    len: usize,
    key: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    // SAFETY: same contract, forwarded.
    unsafe {
        encrypt_with(
            |p, k| core_api::encrypt_client_side(p, k),
            plaintext,
            len,
            key,
            out,
        )
    }
}

/// Encrypts `len` bytes to a Fernet token (legacy format), with the client secret as `key`,
/// stamped with the current time; `out` receives the token (URL-safe base64 text).
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_KEY` or `PORT_SECRET_INVALID_ARGUMENT`.
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// As `port_secret_encrypt_aes256_gcm`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_encrypt_fernet(
    plaintext: *const u8,
    len: usize,
    key: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    // SAFETY: same contract, forwarded.
    unsafe {
        encrypt_with(
            |p, k| core_api::encrypt_fernet(p, k),
            plaintext,
            len,
            key,
            out,
        )
    }
}

/// Generates an RSA key pair for `client-side` inputs: `private_pem` receives the PKCS#8
/// private key (secret: keep it out of logs), `public_pem` the SPKI public key to put in the
/// action's `encryption.key`. `bits` is 2048, 3072 or 4096.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_KEY` (other sizes) or
/// `PORT_SECRET_INVALID_ARGUMENT` (a NULL output, or both outputs the same buffer). On error both
/// buffers are empty.
///
/// Thread safety: any thread, concurrently with any other call (distinct buffers).
///
/// # Safety
/// `private_pem` and `public_pem` are NULL or valid `PortSecretBuffer`s (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_generate_key_pair(
    bits: usize,
    private_pem: *mut PortSecretBuffer,
    public_pem: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        if private_pem == public_pem {
            return Err(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT);
        }
        // SAFETY: distinct (checked above), each NULL or valid per the contract above.
        let (private_out, public_out) = unsafe { (c_out(private_pem), c_out(public_pem)) };
        let (private_out, public_out) = (private_out?, public_out?);
        let pair = core_api::generate_key_pair(bits)?;
        private_out.set(pair.private_key_pem.as_bytes());
        public_out.set(pair.public_key_pem.as_bytes());
        Ok(())
    })
}

/// Signs a webhook body as Port does: `out` receives the `x-port-signature` header value
/// (`v1,<base64 HMAC-SHA256>`) for `body` (the raw bytes) and `timestamp` (the
/// `x-port-timestamp` header, as text). The key is the whole client secret.
///
/// The arguments come in the order of `port_secret_verify_signature`: what was signed first
/// (body, then timestamp), the key last. Earlier builds took `client_secret` before `timestamp`;
/// a call in that order passes the secret as the timestamp and gets `PORT_SECRET_MALFORMED`.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_MALFORMED` (the timestamp is not an integer),
/// `PORT_SECRET_INVALID_KEY` (empty secret, or white space around it) or
/// `PORT_SECRET_INVALID_ARGUMENT`.
///
/// Thread safety: any thread, concurrently with any other call (distinct `out` buffers).
///
/// # Safety
/// `body` is NULL (only when `body_len` is 0) or points to `body_len` readable bytes;
/// `timestamp` and `client_secret` are NULL or NUL-terminated strings; `out` is NULL or a valid
/// `PortSecretBuffer` (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_sign_payload(
    body: *const u8,
    body_len: usize,
    timestamp: *const c_char,
    client_secret: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, body, timestamp, secret) = unsafe {
            (
                c_out(out)?,
                c_slice(body, body_len)?,
                c_str(timestamp)?,
                c_str(client_secret)?,
            )
        };
        let header = core_api::sign_payload(body, timestamp, secret)?;
        out.set(header.as_bytes());
        Ok(())
    })
}

/// Verifies a webhook in constant time: `signature` is the `x-port-signature` header, `body`
/// the **raw** request body (not re-serialized JSON), `timestamp` the `x-port-timestamp` header.
/// `tolerance_seconds` is the largest accepted distance between the timestamp and now (Port's
/// default is 300; 0 accepts only the current second).
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_SIGNATURE` (no match, or a malformed header),
/// `PORT_SECRET_EXPIRED` (matches, but stale or from the future), `PORT_SECRET_INVALID_KEY`
/// (empty secret) or `PORT_SECRET_INVALID_ARGUMENT` (NULL, or a secret that is not UTF-8). The
/// signature and timestamp are passed on as bytes: the core's rule applies to them, as in every
/// language (bytes that are not UTF-8 are `PORT_SECRET_INVALID_SIGNATURE`).
///
/// Thread safety: any thread, concurrently with any other call.
///
/// # Safety
/// `body` is NULL (only when `body_len` is 0) or points to `body_len` readable bytes;
/// `signature`, `timestamp` and `client_secret` are NULL or NUL-terminated strings.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_verify_signature(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    timestamp: *const c_char,
    client_secret: *const c_char,
    tolerance_seconds: u64,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (body, signature, timestamp, secret) = unsafe {
            let (body, signature, timestamp) = verify_args(body, body_len, signature, timestamp)?;
            (body, signature, timestamp, c_str(client_secret)?)
        };
        core_api::verify_signature(body, signature, timestamp, secret, tolerance_seconds)?;
        Ok(())
    })
}

/// As `port_secret_verify_signature`, at the given time (`now_unix`, seconds since the epoch)
/// instead of the system clock: for replaying stored deliveries and for tests.
///
/// Thread safety: any thread, concurrently with any other call.
///
/// # Safety
/// As `port_secret_verify_signature`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_verify_signature_at(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    timestamp: *const c_char,
    client_secret: *const c_char,
    tolerance_seconds: u64,
    now_unix: i64,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (body, signature, timestamp, secret) = unsafe {
            let (body, signature, timestamp) = verify_args(body, body_len, signature, timestamp)?;
            (body, signature, timestamp, c_str(client_secret)?)
        };
        core_api::verify_signature_at(
            body,
            signature,
            timestamp,
            secret,
            tolerance_seconds,
            now_unix,
        )?;
        Ok(())
    })
}

/// The request-side arguments of the verify functions, as bytes: `signature` and `timestamp`
/// come from the HTTP request, and the core decides what bytes that are not UTF-8 there mean.
///
/// # Safety
/// As `port_secret_verify_signature`.
#[allow(unsafe_code)]
pub(crate) unsafe fn verify_args<'a>(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    timestamp: *const c_char,
) -> FfiResult<(&'a [u8], &'a [u8], &'a [u8])> {
    // SAFETY: forwarded contract.
    unsafe {
        Ok((
            c_slice(body, body_len)?,
            c_bytes(signature)?,
            c_bytes(timestamp)?,
        ))
    }
}
