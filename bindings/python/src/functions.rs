//! The one-shot functions: one value, one key, no `Decryptor`.

use port_secret_core::{self as core};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::args::{Data, Now, Text, Timestamp, arg};
use crate::convert::FromPlaintext;
use crate::errors::IntoPyResult;

// `verify_signature`'s signature spells its default out (`tolerance=300`) so that it shows in
// `help()` and matches the stubs; keep it equal to the core's.
const _: () = assert!(core::DEFAULT_TOLERANCE_SECS == 300);

/// Declares a decrypt function and its `_bytes` twin from one definition: the same arguments and
/// the same core call (which gives the plaintext's bytes, without the GIL); the first function
/// returns `str`, the twin `bytes` (see [`FromPlaintext`]). The first doc line is completed
/// with ", to text." / ", to bytes.": write it as `#[doc = "..."]` (a `///` line starts with a
/// space, which `concat!` would keep in `__doc__`).
macro_rules! decrypt_twins {
    ($(
        #[doc = $summary:literal]
        $(#[doc = $doc:literal])*
        #[pyo3(signature = $signature:tt)]
        fn $text:ident / $bytes:ident($($arg:ident: $ty:ty),* $(,)?) => $core_call:expr;
    )*) => {$(
        #[doc = concat!($summary, ", to text.")]
        $(#[doc = $doc])*
        #[pyfunction]
        #[pyo3(signature = $signature)]
        pub(crate) fn $text<'py>(
            py: Python<'py>,
            $($arg: $ty),*
        ) -> PyResult<Bound<'py, PyString>> {
            FromPlaintext::from_plaintext(py, py.detach(|| $core_call).py()?)
        }

        #[doc = concat!($summary, ", to bytes.")]
        $(#[doc = $doc])*
        #[pyfunction]
        #[pyo3(signature = $signature)]
        pub(crate) fn $bytes<'py>(
            py: Python<'py>,
            $($arg: $ty),*
        ) -> PyResult<Bound<'py, PyBytes>> {
            FromPlaintext::from_plaintext(py, py.detach(|| $core_call).py()?)
        }
    )*};
}

decrypt_twins! {
    #[doc = "Decrypts an `aes256-gcm` value (Port-managed encryption) with the client secret"]
    #[pyo3(signature = (value, client_secret))]
    fn decrypt_aes256_gcm / decrypt_aes256_gcm_bytes(
        value: Data<arg::Value>,
        client_secret: Text<arg::ClientSecret>,
    ) => core::decrypt_aes256_gcm_bytes(&*value, &client_secret);

    #[doc = "Decrypts a `client-side` value with an RSA private key PEM (PKCS#8 or PKCS#1)"]
    #[pyo3(signature = (value, private_key_pem))]
    fn decrypt_client_side / decrypt_client_side_bytes(
        value: Data<arg::Value>,
        private_key_pem: Text<arg::PrivateKeyPem>,
    ) => core::decrypt_client_side_bytes(&*value, &private_key_pem);

    #[doc = "Decrypts a Fernet token (legacy `fernet` inputs)"]
    /// `expired` past `ttl` seconds; `now` (unix seconds) replaces the clock, for tests and
    /// replays.
    #[pyo3(signature = (token, client_secret, ttl = None, *, now = None))]
    fn decrypt_fernet / decrypt_fernet_bytes(
        token: Data<arg::Token>,
        client_secret: Text<arg::ClientSecret>,
        ttl: Option<u64>,
        now: Option<Now<u64>>,
    ) => match now {
        Some(Now(now)) => core::decrypt_fernet_at(&*token, &client_secret, ttl, now),
        None => core::decrypt_fernet_bytes(&*token, &client_secret, ttl),
    };
}

/// Encrypts as Port's server does for `aes256-gcm` inputs.
#[pyfunction]
#[pyo3(signature = (plaintext, client_secret))]
pub(crate) fn encrypt_aes256_gcm(
    py: Python<'_>,
    plaintext: Data<arg::Plaintext>,
    client_secret: Text<arg::ClientSecret>,
) -> PyResult<String> {
    py.detach(|| core::encrypt_aes256_gcm(&*plaintext, &client_secret))
        .py()
}

/// Encrypts as Port's browser does for `client-side` inputs, under an SPKI public key PEM.
#[pyfunction]
#[pyo3(signature = (plaintext, public_key_pem))]
pub(crate) fn encrypt_client_side(
    py: Python<'_>,
    plaintext: Data<arg::Plaintext>,
    public_key_pem: Text<arg::PublicKeyPem>,
) -> PyResult<String> {
    py.detach(|| core::encrypt_client_side(&*plaintext, &public_key_pem))
        .py()
}

/// Encrypts to a Fernet token (key: URL-safe base64 of the client secret's first 32 bytes).
#[pyfunction]
#[pyo3(signature = (plaintext, client_secret))]
pub(crate) fn encrypt_fernet(
    py: Python<'_>,
    plaintext: Data<arg::Plaintext>,
    client_secret: Text<arg::ClientSecret>,
) -> PyResult<String> {
    py.detach(|| core::encrypt_fernet(&*plaintext, &client_secret))
        .py()
}

/// Test hook: a Fernet token with a fixed time and IV (the spec's `generate` vectors). An IV
/// must never repeat under one key: never use this outside tests.
#[pyfunction]
#[pyo3(signature = (plaintext, client_secret, now, iv))]
pub(crate) fn _encrypt_fernet_from_parts(
    py: Python<'_>,
    plaintext: Data<arg::Plaintext>,
    client_secret: Text<arg::ClientSecret>,
    now: u64,
    iv: Data<arg::Iv>,
) -> PyResult<String> {
    let iv: [u8; 16] = (*iv)
        .try_into()
        .map_err(|_| PyValueError::new_err("iv must be 16 bytes"))?;
    py.detach(|| core::encrypt_fernet_from_parts(&*plaintext, &client_secret, now, iv))
        .py()
}

/// Generates an RSA key pair: `(private PKCS#8 PEM, public SPKI PEM)`.
#[pyfunction]
#[pyo3(signature = (bits = 2048))]
pub(crate) fn generate_key_pair(py: Python<'_>, bits: usize) -> PyResult<(String, String)> {
    let pair = py.detach(|| core::generate_key_pair(bits)).py()?;
    Ok((
        pair.private_key_pem.as_str().to_owned(),
        pair.public_key_pem,
    ))
}

// ---------------------------------------------------------------------------------------------
// webhook signatures

/// Signs a body as Port does: the `x-port-signature` header value (`v1,...`). The arguments
/// come in the order (and under the names) of `verify_signature`: what was signed first, the key
/// last. A timestamp that is not an integer (the old order, the secret where the timestamp goes)
/// raises `malformed`.
#[pyfunction]
#[pyo3(signature = (body, timestamp, client_secret))]
pub(crate) fn sign_payload(
    py: Python<'_>,
    body: Data<arg::Body>,
    timestamp: Timestamp,
    client_secret: Text<arg::ClientSecret>,
) -> PyResult<String> {
    py.detach(|| core::sign_payload(&*body, &timestamp, &client_secret))
        .py()
}

/// Verifies `x-port-signature` over the raw body, in constant time, and that `x-port-timestamp`
/// is within `tolerance` seconds of now (`now`, unix seconds, replaces the clock, for tests and
/// replays). Raises `invalid_signature` or `expired`.
#[pyfunction]
#[pyo3(signature = (body, signature, timestamp, client_secret, tolerance = 300, *, now = None))]
pub(crate) fn verify_signature(
    py: Python<'_>,
    body: Data<arg::Body>,
    signature: Text<arg::Signature>,
    timestamp: Timestamp,
    client_secret: Text<arg::ClientSecret>,
    tolerance: u64,
    now: Option<Now>,
) -> PyResult<()> {
    py.detach(|| match now {
        Some(Now(now)) => core::verify_signature_at(
            &*body,
            &signature,
            &timestamp,
            &client_secret,
            tolerance,
            now,
        ),
        None => core::verify_signature(&*body, &signature, &timestamp, &client_secret, tolerance),
    })
    .py()
}
