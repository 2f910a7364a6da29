//! [`PortSecretDecryptor`]: keys parsed once, shared between threads.

use core::ffi::c_char;
use core::ptr;

use port_secret_core::{Decryptor, Encryption};
use serde_json::Value;

use crate::args::{c_bytes, c_out, c_str, c_str_array};
use crate::buffer::PortSecretBuffer;
use crate::oneshot::verify_args;
use crate::status::{FfiResult, PortSecretStatus, boundary};

/// Decrypts Port secret inputs with client secrets and RSA private keys parsed once.
///
/// Opaque: create it with `port_secret_decryptor_new` or `port_secret_decryptor_new_with`,
/// release it with `port_secret_decryptor_free`. It is immutable, so one decryptor may be used
/// from several threads at once by every `port_secret_decryptor_*` function except `_free`.
#[derive(Debug)]
pub struct PortSecretDecryptor {
    inner: Decryptor,
}

impl PortSecretDecryptor {
    /// A new handle owning `inner`, for `port_secret_decryptor_free` to release.
    pub(crate) fn new_raw(inner: Decryptor) -> *mut PortSecretDecryptor {
        Box::into_raw(Box::new(PortSecretDecryptor { inner }))
    }
}

/// Borrows the decryptor behind a handle.
///
/// # Safety
/// `d` is NULL or a live pointer from `port_secret_decryptor_new(_with)`.
#[allow(unsafe_code)]
pub(crate) unsafe fn decryptor<'a>(d: *const PortSecretDecryptor) -> FfiResult<&'a Decryptor> {
    // SAFETY: NULL or live (contract); only shared references are ever made from it.
    unsafe { d.as_ref() }
        .map(|d| &d.inner)
        .ok_or(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT)
}

/// Creates a decryptor from `n_secrets` client secrets and `n_keys` RSA private key PEMs
/// (PKCS#8 or PKCS#1, 2048 to 4096 bits), with the default options
/// (`port_secret_decryptor_new_with` takes them all). During a rotation list the current key
/// first: each is tried in turn. Either list may be empty (its array may then be NULL), not both.
///
/// On success `*out` receives a new decryptor, to release with `port_secret_decryptor_free`; on
/// error `*out` is set to NULL. The strings are copied: the caller may free them afterwards.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_KEY` (a secret under 32 bytes, a PEM that is
/// not a usable RSA private key, no key at all) or `PORT_SECRET_INVALID_ARGUMENT` (`out` NULL,
/// a NULL array with a count > 0, a NULL or non-UTF-8 string).
///
/// Thread safety: any thread, concurrently with any other call.
///
/// # Safety
/// `client_secrets` points to `n_secrets` pointers and `private_keys` to `n_keys` pointers
/// (either may be NULL when its count is 0), each NULL or a NUL-terminated string; `out` is NULL
/// or valid for writing one pointer.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_new(
    client_secrets: *const *const c_char,
    n_secrets: usize,
    private_keys: *const *const c_char,
    n_keys: usize,
    out: *mut *mut PortSecretDecryptor,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: `out` is NULL or valid for writes (contract).
        let out = unsafe { out.as_mut() }.ok_or(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT)?;
        *out = ptr::null_mut();
        // SAFETY: the caller guarantees the array contract documented above.
        let (secrets, keys) = unsafe {
            (
                c_str_array(client_secrets, n_secrets)?,
                c_str_array(private_keys, n_keys)?,
            )
        };
        *out = PortSecretDecryptor::new_raw(Decryptor::new(&secrets, &keys)?);
        Ok(())
    })
}

/// Releases a decryptor and its parsed keys. NULL is a no-op.
///
/// Thread safety: must not run while any other thread uses the same decryptor, and must be
/// called once per decryptor (never twice).
///
/// # Safety
/// `d` is NULL or a pointer from `port_secret_decryptor_new(_with)` not yet freed, not in use
/// elsewhere.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_free(d: *mut PortSecretDecryptor) {
    crate::status::boundary_or((), || {
        if !d.is_null() {
            // SAFETY: `d` came from Box::into_raw in `PortSecretDecryptor::new_raw`, is freed
            // only here, once, and nobody else uses it (contract).
            drop(unsafe { Box::from_raw(d) });
        }
    });
}

/// Parses the `encryption` argument.
fn encryption(text: &str) -> FfiResult<Encryption> {
    Ok(Encryption::from_json_str(text)?)
}

/// Decrypts one value to UTF-8 text. `encryption` is what the action input's `encryption`
/// holds, as JSON text (`"\"aes256-gcm\""`, `{"algorithm":"client-side","key":"<PEM>"}`) or a
/// bare name (`aes256-gcm`, `fernet`, `client-side`). For client-side with a `key`, the private
/// key matching that public key is used; otherwise each private key is tried.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_BASE64`, `PORT_SECRET_MALFORMED`,
/// `PORT_SECRET_AUTHENTICATION_FAILED` (no configured key opens it), `PORT_SECRET_INVALID_KEY`
/// (no key of the kind this encryption needs), `PORT_SECRET_INVALID_UTF8`,
/// `PORT_SECRET_UNSUPPORTED_ENCRYPTION` or `PORT_SECRET_INVALID_ARGUMENT`.
///
/// Thread safety: may be called concurrently on the same decryptor from several threads
/// (distinct `out` buffers).
///
/// # Safety
/// `d` is NULL or a live decryptor; `value` and `encryption` are NULL or NUL-terminated strings;
/// `out` is NULL or a valid `PortSecretBuffer` (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_decrypt(
    d: *const PortSecretDecryptor,
    value: *const c_char,
    encryption: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, d, value, enc) = unsafe {
            (
                c_out(out)?,
                decryptor(d)?,
                c_bytes(value)?,
                c_str(encryption)?,
            )
        };
        let text = d.decrypt(value, &self::encryption(enc)?)?;
        out.set(text.as_bytes());
        Ok(())
    })
}

/// As `port_secret_decryptor_decrypt`, but any plaintext bytes are returned (never
/// `PORT_SECRET_INVALID_UTF8`).
///
/// Thread safety: may be called concurrently on the same decryptor from several threads.
///
/// # Safety
/// As `port_secret_decryptor_decrypt`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_decrypt_bytes(
    d: *const PortSecretDecryptor,
    value: *const c_char,
    encryption: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, d, value, enc) = unsafe {
            (
                c_out(out)?,
                decryptor(d)?,
                c_bytes(value)?,
                c_str(encryption)?,
            )
        };
        let plaintext = d.decrypt_bytes(value, &self::encryption(enc)?)?;
        out.set(plaintext.as_bytes());
        Ok(())
    })
}

/// Decrypts one value holding JSON (a `type: object` input): `out` receives the JSON text
/// re-serialized compactly, after checking it parses.
///
/// Returns the codes of `port_secret_decryptor_decrypt`, plus `PORT_SECRET_INVALID_JSON`.
///
/// Thread safety: may be called concurrently on the same decryptor from several threads.
///
/// # Safety
/// As `port_secret_decryptor_decrypt`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_decrypt_json(
    d: *const PortSecretDecryptor,
    value: *const c_char,
    encryption: *const c_char,
    out: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, d, value, enc) = unsafe {
            (
                c_out(out)?,
                decryptor(d)?,
                c_bytes(value)?,
                c_str(encryption)?,
            )
        };
        let json = d.decrypt_json(value, &self::encryption(enc)?)?;
        set_json(out, json)
    })
}

/// Serializes `json` into `out` (one exact allocation, zeroed afterwards), then wipes the
/// strings of `json`: the decrypted values leave no copy behind in freed memory.
pub(crate) fn set_json(out: &mut PortSecretBuffer, mut json: Value) -> FfiResult {
    let text = port_secret_core::json_text(&json);
    port_secret_core::wipe_json(&mut json);
    out.set(&text);
    Ok(())
}

/// Parses a JSON argument.
pub(crate) fn parse_json(text: &str) -> FfiResult<Value> {
    serde_json::from_str(text).map_err(|_| PortSecretStatus::PORT_SECRET_INVALID_JSON)
}

/// Decrypts every secret input of a run. `properties_json` is the run's `payload.properties`
/// object as JSON text; `user_inputs_json` the action's `userInputs` (with `properties`) or that
/// `properties` map. `out` receives a JSON copy of the properties where every input whose
/// definition has `encryption` is decrypted (`type: object` inputs parsed, others strings);
/// other inputs are untouched, absent or null ones skipped.
///
/// `error_input` may be NULL. Otherwise it is emptied, and when decrypting one input fails it
/// receives that input's name (never its value), e.g. for a `{"error": ..., "input": ...}` reply.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_JSON` (an argument or an `object` input that
/// is not JSON), `PORT_SECRET_MALFORMED` (not objects, a non-string secret value), any decryption
/// error, or `PORT_SECRET_INVALID_ARGUMENT` (also when `error_input` is `out`).
///
/// Thread safety: may be called concurrently on the same decryptor from several threads.
///
/// # Safety
/// `d` is NULL or a live decryptor; the JSON arguments are NULL or NUL-terminated strings; `out`
/// and `error_input` are NULL or valid `PortSecretBuffer`s (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_decrypt_properties(
    d: *const PortSecretDecryptor,
    properties_json: *const c_char,
    user_inputs_json: *const c_char,
    out: *mut PortSecretBuffer,
    error_input: *mut PortSecretBuffer,
) -> PortSecretStatus {
    boundary(|| {
        if out == error_input {
            return Err(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT);
        }
        // SAFETY: `error_input` is NULL or valid, and distinct from `out` (checked above).
        let mut error_input = unsafe { error_input.as_mut() };
        if let Some(slot) = error_input.as_deref_mut() {
            *slot = PortSecretBuffer::EMPTY;
        }
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, d, properties, user_inputs) = unsafe {
            (
                c_out(out)?,
                decryptor(d)?,
                c_str(properties_json)?,
                c_str(user_inputs_json)?,
            )
        };
        let (properties, user_inputs) = (parse_json(properties)?, parse_json(user_inputs)?);
        match d.decrypt_properties(&properties, &user_inputs) {
            Ok(json) => set_json(out, json),
            Err(e) => {
                if let (Some(slot), Some(name)) = (error_input, e.input()) {
                    slot.set(name.as_bytes());
                }
                Err(e.into())
            }
        }
    })
}

/// Verifies a webhook with any of the decryptor's client secrets (see
/// `port_secret_verify_signature` for the arguments and codes; `PORT_SECRET_INVALID_KEY` when the
/// decryptor has no client secret).
///
/// Thread safety: may be called concurrently on the same decryptor from several threads.
///
/// # Safety
/// `d` is NULL or a live decryptor; `body` is NULL (only when `body_len` is 0) or points to
/// `body_len` readable bytes; `signature` and `timestamp` are NULL or NUL-terminated strings.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_verify_signature(
    d: *const PortSecretDecryptor,
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    timestamp: *const c_char,
    tolerance_seconds: u64,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (d, (body, signature, timestamp)) = unsafe {
            (
                decryptor(d)?,
                verify_args(body, body_len, signature, timestamp)?,
            )
        };
        d.verify_signature(body, signature, timestamp, tolerance_seconds)?;
        Ok(())
    })
}
