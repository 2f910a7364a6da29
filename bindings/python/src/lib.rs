//! `port_secret._native`: the Python face of `port-secret-core`.
//!
//! This crate only converts: Python objects are copied into owned Rust data, the GIL is released
//! around every core call (RSA work takes milliseconds; a threaded Flask or gunicorn worker then
//! decrypts in parallel), and core errors become `port_secret.PortSecretError` in one place
//! ([`errors::to_py_err`]). All cryptography lives in `port-secret-core`.

mod convert;
mod errors;

use port_secret_core::{self as core, Decryptor, Delivery, ErrorKind, RunOptions};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};
use serde_json::Value;

// The Python signatures spell the defaults out (`tolerance=300`) so that they show in
// `help()` and match the stubs; keep them equal to the core's.
const _: () = assert!(core::DEFAULT_TOLERANCE_SECS == 300);
const _: () = assert!(core::DEFAULT_MAX_BODY == 1_048_576);
const _: () = assert!(core::DEFAULT_MAX_CLIENT_SIDE_INPUTS == 64);
const _: () = assert!(str_eq(
    core::DEFAULT_PROPERTIES_POINTER,
    "/payload/properties"
));
const _: () = assert!(str_eq(
    core::DEFAULT_USER_INPUTS_POINTER,
    "/payload/action/userInputs"
));

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

use convert::{bytes_like, from_secret_json, one_or_many, text, to_json};
use errors::IntoPyResult;

// ---------------------------------------------------------------------------------------------
// aes256-gcm

/// Decrypts an `aes256-gcm` value (Port-managed encryption) with the client secret, to text.
#[pyfunction]
#[pyo3(signature = (value, client_secret))]
fn decrypt_aes256_gcm<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    client_secret: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    let value = bytes_like(value, "value")?;
    let secret = text(client_secret, "client_secret")?;
    let plaintext = py
        .detach(|| core::decrypt_aes256_gcm(&*value, &secret))
        .py()?;
    Ok(PyString::new(py, &plaintext))
}

/// Decrypts an `aes256-gcm` value with the client secret, to bytes.
#[pyfunction]
#[pyo3(signature = (value, client_secret))]
fn decrypt_aes256_gcm_bytes<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    client_secret: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let value = bytes_like(value, "value")?;
    let secret = text(client_secret, "client_secret")?;
    let plaintext = py
        .detach(|| core::decrypt_aes256_gcm_bytes(&*value, &secret))
        .py()?;
    Ok(PyBytes::new(py, plaintext.as_bytes()))
}

/// Encrypts as Port's server does for `aes256-gcm` inputs.
#[pyfunction]
#[pyo3(signature = (plaintext, client_secret))]
fn encrypt_aes256_gcm(
    py: Python<'_>,
    plaintext: &Bound<'_, PyAny>,
    client_secret: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let plaintext = bytes_like(plaintext, "plaintext")?;
    let secret = text(client_secret, "client_secret")?;
    py.detach(|| core::encrypt_aes256_gcm(&*plaintext, &secret))
        .py()
}

// ---------------------------------------------------------------------------------------------
// client-side

/// Decrypts a `client-side` value with an RSA private key PEM (PKCS#8 or PKCS#1), to text.
#[pyfunction]
#[pyo3(signature = (value, private_key_pem))]
fn decrypt_client_side<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    private_key_pem: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    let value = bytes_like(value, "value")?;
    let pem = text(private_key_pem, "private_key_pem")?;
    let plaintext = py
        .detach(|| core::decrypt_client_side(&*value, &pem))
        .py()?;
    Ok(PyString::new(py, &plaintext))
}

/// Decrypts a `client-side` value with an RSA private key PEM, to bytes.
#[pyfunction]
#[pyo3(signature = (value, private_key_pem))]
fn decrypt_client_side_bytes<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    private_key_pem: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let value = bytes_like(value, "value")?;
    let pem = text(private_key_pem, "private_key_pem")?;
    let plaintext = py
        .detach(|| core::decrypt_client_side_bytes(&*value, &pem))
        .py()?;
    Ok(PyBytes::new(py, plaintext.as_bytes()))
}

/// Encrypts as Port's browser does for `client-side` inputs, under an SPKI public key PEM.
#[pyfunction]
#[pyo3(signature = (plaintext, public_key_pem))]
fn encrypt_client_side(
    py: Python<'_>,
    plaintext: &Bound<'_, PyAny>,
    public_key_pem: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let plaintext = bytes_like(plaintext, "plaintext")?;
    let pem = text(public_key_pem, "public_key_pem")?;
    py.detach(|| core::encrypt_client_side(&*plaintext, &pem))
        .py()
}

/// Generates an RSA key pair: `(private PKCS#8 PEM, public SPKI PEM)`.
#[pyfunction]
#[pyo3(signature = (bits = 2048))]
fn generate_key_pair(py: Python<'_>, bits: usize) -> PyResult<(String, String)> {
    let pair = py.detach(|| core::generate_key_pair(bits)).py()?;
    Ok((
        pair.private_key_pem.as_str().to_owned(),
        pair.public_key_pem,
    ))
}

// ---------------------------------------------------------------------------------------------
// fernet

/// Decrypts a Fernet token (legacy `fernet` inputs), to text; `expired` past `ttl` seconds.
#[pyfunction]
#[pyo3(signature = (token, client_secret, ttl = None))]
fn decrypt_fernet<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
    client_secret: &Bound<'py, PyAny>,
    ttl: Option<u64>,
) -> PyResult<Bound<'py, PyString>> {
    let token = bytes_like(token, "token")?;
    let secret = text(client_secret, "client_secret")?;
    let plaintext = py
        .detach(|| core::decrypt_fernet(&*token, &secret, ttl))
        .py()?;
    Ok(PyString::new(py, &plaintext))
}

/// Decrypts a Fernet token, to bytes.
#[pyfunction]
#[pyo3(signature = (token, client_secret, ttl = None))]
fn decrypt_fernet_bytes<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
    client_secret: &Bound<'py, PyAny>,
    ttl: Option<u64>,
) -> PyResult<Bound<'py, PyBytes>> {
    let token = bytes_like(token, "token")?;
    let secret = text(client_secret, "client_secret")?;
    let plaintext = py
        .detach(|| core::decrypt_fernet_bytes(&*token, &secret, ttl))
        .py()?;
    Ok(PyBytes::new(py, plaintext.as_bytes()))
}

/// Encrypts to a Fernet token (key: URL-safe base64 of the client secret's first 32 bytes).
#[pyfunction]
#[pyo3(signature = (plaintext, client_secret))]
fn encrypt_fernet(
    py: Python<'_>,
    plaintext: &Bound<'_, PyAny>,
    client_secret: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let plaintext = bytes_like(plaintext, "plaintext")?;
    let secret = text(client_secret, "client_secret")?;
    py.detach(|| core::encrypt_fernet(&*plaintext, &secret))
        .py()
}

/// Test hook: decrypts a Fernet token at a given time (unix seconds), to bytes.
#[pyfunction]
#[pyo3(signature = (token, client_secret, ttl, now))]
fn _decrypt_fernet_at<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
    client_secret: &Bound<'py, PyAny>,
    ttl: Option<u64>,
    now: u64,
) -> PyResult<Bound<'py, PyBytes>> {
    let token = bytes_like(token, "token")?;
    let secret = text(client_secret, "client_secret")?;
    let plaintext = py
        .detach(|| core::decrypt_fernet_at(&*token, &secret, ttl, now))
        .py()?;
    Ok(PyBytes::new(py, plaintext.as_bytes()))
}

/// Test hook: a Fernet token with a fixed time and IV (the spec's `generate` vectors). An IV
/// must never repeat under one key: never use this outside tests.
#[pyfunction]
#[pyo3(signature = (plaintext, client_secret, now, iv))]
fn _encrypt_fernet_from_parts(
    py: Python<'_>,
    plaintext: &Bound<'_, PyAny>,
    client_secret: &Bound<'_, PyAny>,
    now: u64,
    iv: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let plaintext = bytes_like(plaintext, "plaintext")?;
    let secret = text(client_secret, "client_secret")?;
    let iv: [u8; 16] = bytes_like(iv, "iv")?
        .as_slice()
        .try_into()
        .map_err(|_| PyValueError::new_err("iv must be 16 bytes"))?;
    py.detach(|| core::encrypt_fernet_from_parts(&*plaintext, &secret, now, iv))
        .py()
}

// ---------------------------------------------------------------------------------------------
// webhook signatures

/// Signs a body as Port does: the `x-port-signature` header value (`v1,...`).
#[pyfunction]
#[pyo3(signature = (body, client_secret, timestamp))]
fn sign_payload(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    client_secret: &Bound<'_, PyAny>,
    timestamp: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let body = bytes_like(body, "body")?;
    let secret = text(client_secret, "client_secret")?;
    let timestamp = convert::timestamp(timestamp)?;
    py.detach(|| core::sign_payload(&*body, &secret, &timestamp))
        .py()
}

/// Verifies `x-port-signature` over the raw body, in constant time, and that `x-port-timestamp`
/// is within `tolerance` seconds of now. Raises `invalid_signature` or `expired`.
#[pyfunction]
#[pyo3(signature = (body, signature, timestamp, client_secret, tolerance = 300))]
fn verify_signature(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    signature: &Bound<'_, PyAny>,
    timestamp: &Bound<'_, PyAny>,
    client_secret: &Bound<'_, PyAny>,
    tolerance: u64,
) -> PyResult<()> {
    let body = bytes_like(body, "body")?;
    let signature = text(signature, "signature")?;
    let timestamp = convert::timestamp(timestamp)?;
    let secret = text(client_secret, "client_secret")?;
    py.detach(|| core::verify_signature(&*body, &signature, &timestamp, &secret, tolerance))
        .py()
}

/// Test hook: [`verify_signature`] at a given time (unix seconds).
#[pyfunction]
#[pyo3(signature = (body, signature, timestamp, client_secret, tolerance, now))]
fn _verify_signature_at(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    signature: &Bound<'_, PyAny>,
    timestamp: &Bound<'_, PyAny>,
    client_secret: &Bound<'_, PyAny>,
    tolerance: u64,
    now: i64,
) -> PyResult<()> {
    let body = bytes_like(body, "body")?;
    let signature = text(signature, "signature")?;
    let timestamp = convert::timestamp(timestamp)?;
    let secret = text(client_secret, "client_secret")?;
    py.detach(|| core::verify_signature_at(&*body, &signature, &timestamp, &secret, tolerance, now))
        .py()
}

// ---------------------------------------------------------------------------------------------
// Decryptor

/// Decrypts Port secret inputs with keys parsed once; immutable and safe to share between
/// threads. Each of `client_secret` and `private_key` is one `str` or a list of them (during a
/// rotation they are tried in turn).
#[pyclass(frozen, module = "port_secret._native", name = "Decryptor")]
struct PyDecryptor {
    inner: Decryptor,
}

#[pymethods]
impl PyDecryptor {
    #[new]
    #[pyo3(signature = (client_secret = None, private_key = None, *, max_input_len = None, fernet_ttl = None))]
    fn new(
        py: Python<'_>,
        client_secret: Option<&Bound<'_, PyAny>>,
        private_key: Option<&Bound<'_, PyAny>>,
        max_input_len: Option<usize>,
        fernet_ttl: Option<u64>,
    ) -> PyResult<Self> {
        let secrets = match client_secret {
            Some(obj) => one_or_many(obj, "client_secret")?,
            None => Vec::new(),
        };
        let keys = match private_key {
            Some(obj) => one_or_many(obj, "private_key")?,
            None => Vec::new(),
        };
        let inner = py
            .detach(|| {
                let mut builder = Decryptor::builder().fernet_ttl(fernet_ttl);
                for s in &secrets {
                    builder = builder.client_secret(s);
                }
                for k in &keys {
                    builder = builder.private_key_pem(k);
                }
                if let Some(max) = max_input_len {
                    builder = builder.max_input_len(max);
                }
                builder.build()
            })
            .py()?;
        Ok(PyDecryptor { inner })
    }

    /// Number of client secrets configured.
    #[getter]
    fn client_secret_count(&self) -> usize {
        self.inner.client_secret_count()
    }

    /// Number of private keys configured.
    #[getter]
    fn private_key_count(&self) -> usize {
        self.inner.private_key_count()
    }

    /// The cap on an encoded value's length.
    #[getter]
    fn max_input_len(&self) -> usize {
        self.inner.max_input_len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Decryptor(client_secrets={}, private_keys={}, max_input_len={})",
            self.inner.client_secret_count(),
            self.inner.private_key_count(),
            self.inner.max_input_len()
        )
    }

    /// Decrypts one value to text. `encryption` is what the input's definition holds:
    /// `"aes256-gcm"`, `"fernet"`, `"client-side"` or `{"algorithm": "client-side", "key": ...}`.
    #[pyo3(signature = (value, encryption))]
    fn decrypt<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        encryption: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyString>> {
        let value = bytes_like(value, "value")?;
        let enc = convert::encryption(encryption)?;
        let plaintext = py.detach(|| self.inner.decrypt(&*value, &enc)).py()?;
        Ok(PyString::new(py, &plaintext))
    }

    /// Decrypts one value to bytes.
    #[pyo3(signature = (value, encryption))]
    fn decrypt_bytes<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        encryption: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let value = bytes_like(value, "value")?;
        let enc = convert::encryption(encryption)?;
        let plaintext = py.detach(|| self.inner.decrypt_bytes(&*value, &enc)).py()?;
        Ok(PyBytes::new(py, plaintext.as_bytes()))
    }

    /// Decrypts one value holding JSON (a `type: object` input) and parses it.
    #[pyo3(signature = (value, encryption))]
    fn decrypt_json<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        encryption: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let value = bytes_like(value, "value")?;
        let enc = convert::encryption(encryption)?;
        let json = py.detach(|| self.inner.decrypt_json(&*value, &enc)).py()?;
        from_secret_json(py, json)
    }

    /// A copy of `properties` (the run's `payload.properties`) with every input whose
    /// definition in `user_inputs` (the action's `userInputs`, or its `properties` map) has
    /// `encryption` decrypted; `object` inputs are parsed. Errors carry `.input`.
    #[pyo3(signature = (properties, user_inputs))]
    fn decrypt_properties<'py>(
        &self,
        py: Python<'py>,
        properties: &Bound<'py, PyAny>,
        user_inputs: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        // Any JSON value is accepted (a list or None is `malformed` from the core, as in every
        // language); a value JSON cannot hold (bytes, a set, an object) is a TypeError.
        let props = to_json(properties, "properties")?;
        let defs = to_json(user_inputs, "user_inputs")?;
        let out = py
            .detach(|| self.inner.decrypt_properties(&props, &defs))
            .py()?;
        // The core keeps the caller's key order (serde_json with `preserve_order`).
        from_secret_json(py, out)?
            .cast_into::<PyDict>()
            .map_err(|_| PyValueError::new_err("decrypted properties are not an object"))
    }

    /// Opens a run delivered as an HTTP webhook, in one call: size cap, signature and timestamp,
    /// JSON parse, then every secret input decrypted in place. `body` is the raw request body;
    /// `headers` the request's headers (a mapping, werkzeug/starlette `Headers`, or `(name,
    /// value)` pairs; names in any case). `delivery="agent"` for webhooks forwarded by
    /// port-agent. Returns the parsed body; errors carry `.input` when they name one.
    #[pyo3(
        signature = (
            body, headers, *, delivery = Delivery::Port, tolerance = core::DEFAULT_TOLERANCE_SECS,
            user_inputs = None, verify_signature = true,
            properties_pointer = core::DEFAULT_PROPERTIES_POINTER.to_owned(),
            user_inputs_pointer = core::DEFAULT_USER_INPUTS_POINTER.to_owned(),
            default_encryption = Value::from("aes256-gcm"), max_body = core::DEFAULT_MAX_BODY,
            max_client_side_inputs = core::DEFAULT_MAX_CLIENT_SIDE_INPUTS, now = None
        ),
        // Written out: the pointers' and the encryption's defaults are not Rust literals (pyo3
        // would print `...`). Checked against the stubs by mypy.stubtest.
        text_signature = "($self, body, headers, *, delivery='port', tolerance=300, \
    user_inputs=None, verify_signature=True, properties_pointer='/payload/properties', \
    user_inputs_pointer='/payload/action/userInputs', default_encryption='aes256-gcm', \
    max_body=1048576, max_client_side_inputs=64, now=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn open_webhook<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        headers: &Bound<'py, PyAny>,
        #[pyo3(from_py_with = delivery_arg)] delivery: Delivery,
        #[pyo3(from_py_with = tolerance_arg)] tolerance: u64,
        user_inputs: Option<&Bound<'py, PyAny>>,
        verify_signature: bool,
        properties_pointer: String,
        user_inputs_pointer: String,
        #[pyo3(from_py_with = default_encryption_arg)] default_encryption: Value,
        #[pyo3(from_py_with = max_body_arg)] max_body: usize,
        #[pyo3(from_py_with = max_client_side_inputs_arg)] max_client_side_inputs: usize,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body = bytes_like(body, "body")?;
        let headers = convert::headers(headers)?;
        let options = RunArgs {
            tolerance,
            user_inputs,
            verify_signature,
            properties_pointer,
            user_inputs_pointer,
            default_encryption,
            max_body,
            max_client_side_inputs,
            now,
        }
        .into_options(delivery)?;
        // Everything (signature, parse, every decryption) runs without the GIL.
        let run = py
            .detach(|| {
                let pairs: Vec<(&str, &[u8])> = headers
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_slice()))
                    .collect();
                self.inner.open_webhook(&body, &pairs, &options)
            })
            .py()?;
        from_secret_json(py, run)
    }

    /// Opens a run delivered as one message value of Port's Kafka topic (the signature and
    /// timestamp are inside it, in `headers`), in one call. Returns the parsed message.
    #[pyo3(
        signature = (
            message, *, tolerance = core::DEFAULT_TOLERANCE_SECS, user_inputs = None,
            verify_signature = true,
            properties_pointer = core::DEFAULT_PROPERTIES_POINTER.to_owned(),
            user_inputs_pointer = core::DEFAULT_USER_INPUTS_POINTER.to_owned(),
            default_encryption = Value::from("aes256-gcm"), max_body = core::DEFAULT_MAX_BODY,
            max_client_side_inputs = core::DEFAULT_MAX_CLIENT_SIDE_INPUTS, now = None
        ),
        text_signature = "($self, message, *, tolerance=300, user_inputs=None, \
    verify_signature=True, properties_pointer='/payload/properties', \
    user_inputs_pointer='/payload/action/userInputs', default_encryption='aes256-gcm', \
    max_body=1048576, max_client_side_inputs=64, now=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn open_kafka_message<'py>(
        &self,
        py: Python<'py>,
        message: &Bound<'py, PyAny>,
        #[pyo3(from_py_with = tolerance_arg)] tolerance: u64,
        user_inputs: Option<&Bound<'py, PyAny>>,
        verify_signature: bool,
        properties_pointer: String,
        user_inputs_pointer: String,
        #[pyo3(from_py_with = default_encryption_arg)] default_encryption: Value,
        #[pyo3(from_py_with = max_body_arg)] max_body: usize,
        #[pyo3(from_py_with = max_client_side_inputs_arg)] max_client_side_inputs: usize,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let message = bytes_like(message, "message")?;
        let options = RunArgs {
            tolerance,
            user_inputs,
            verify_signature,
            properties_pointer,
            user_inputs_pointer,
            default_encryption,
            max_body,
            max_client_side_inputs,
            now,
        }
        .into_options(Delivery::Port)?;
        let run = py
            .detach(|| self.inner.open_kafka_message(&message, &options))
            .py()?;
        from_secret_json(py, run)
    }

    /// Verifies a webhook signature with any configured client secret.
    #[pyo3(signature = (body, signature, timestamp, tolerance = 300))]
    fn verify_signature(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        signature: &Bound<'_, PyAny>,
        timestamp: &Bound<'_, PyAny>,
        tolerance: u64,
    ) -> PyResult<()> {
        let body = bytes_like(body, "body")?;
        let signature = text(signature, "signature")?;
        let timestamp = convert::timestamp(timestamp)?;
        py.detach(|| {
            self.inner
                .verify_signature(&*body, &signature, &timestamp, tolerance)
        })
        .py()
    }

    /// Test hook: [`PyDecryptor::verify_signature`] at a given time (unix seconds).
    #[pyo3(signature = (body, signature, timestamp, tolerance, now))]
    fn _verify_signature_at(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        signature: &Bound<'_, PyAny>,
        timestamp: &Bound<'_, PyAny>,
        tolerance: u64,
        now: i64,
    ) -> PyResult<()> {
        let body = bytes_like(body, "body")?;
        let signature = text(signature, "signature")?;
        let timestamp = convert::timestamp(timestamp)?;
        py.detach(|| {
            self.inner
                .verify_signature_at(&*body, &signature, &timestamp, tolerance, now)
        })
        .py()
    }
}

// ---------------------------------------------------------------------------------------------
// The run's options (argument extractors: a wrong type is a TypeError naming the option)

fn delivery_arg(obj: &Bound<'_, PyAny>) -> PyResult<Delivery> {
    let name = text(obj, "delivery")?;
    name.parse::<Delivery>()
        .map_err(|_| PyValueError::new_err("delivery must be \"port\" or \"agent\""))
}

fn tolerance_arg(obj: &Bound<'_, PyAny>) -> PyResult<u64> {
    convert::count(obj, "tolerance")
}

fn max_body_arg(obj: &Bound<'_, PyAny>) -> PyResult<usize> {
    convert::count(obj, "max_body").map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

fn max_client_side_inputs_arg(obj: &Bound<'_, PyAny>) -> PyResult<usize> {
    convert::count(obj, "max_client_side_inputs").map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

fn default_encryption_arg(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    convert::encryption_value(obj, "default_encryption")
}

/// Options of both run methods, once extracted; `user_inputs` and `now` are converted here.
struct RunArgs<'a, 'py> {
    tolerance: u64,
    user_inputs: Option<&'a Bound<'py, PyAny>>,
    verify_signature: bool,
    properties_pointer: String,
    user_inputs_pointer: String,
    default_encryption: Value,
    max_body: usize,
    max_client_side_inputs: usize,
    now: Option<&'a Bound<'py, PyAny>>,
}

impl RunArgs<'_, '_> {
    fn into_options(self, delivery: Delivery) -> PyResult<RunOptions> {
        Ok(RunOptions {
            delivery,
            verify_signature: self.verify_signature,
            tolerance_secs: self.tolerance,
            user_inputs: self.user_inputs.map(convert::user_inputs).transpose()?,
            user_inputs_pointer: self.user_inputs_pointer,
            properties_pointer: self.properties_pointer,
            default_encryption: self.default_encryption,
            max_body: self.max_body,
            max_client_side_inputs: self.max_client_side_inputs,
            now: self
                .now
                .map(|now| convert::unix_seconds(now, "now"))
                .transpose()?,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// module

/// Native part of `port_secret`. Import from `port_secret`, not from here.
#[pymodule(gil_used = false)]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("RSA_BACKEND", core::RSA_BACKEND)?;
    m.add("DEFAULT_TOLERANCE", core::DEFAULT_TOLERANCE_SECS)?;
    m.add("DEFAULT_MAX_INPUT_LEN", core::DEFAULT_MAX_INPUT_LEN)?;
    m.add("DEFAULT_MAX_BODY", core::DEFAULT_MAX_BODY)?;
    m.add(
        "DEFAULT_MAX_CLIENT_SIDE_INPUTS",
        core::DEFAULT_MAX_CLIENT_SIDE_INPUTS,
    )?;
    m.add(
        "ERROR_CODES",
        PyTuple::new(py, ErrorKind::ALL.iter().map(|k| k.code()))?,
    )?;
    m.add_class::<PyDecryptor>()?;
    m.add_function(wrap_pyfunction!(decrypt_aes256_gcm, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_aes256_gcm_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt_aes256_gcm, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_client_side, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_client_side_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt_client_side, m)?)?;
    m.add_function(wrap_pyfunction!(generate_key_pair, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_fernet, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_fernet_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt_fernet, m)?)?;
    m.add_function(wrap_pyfunction!(sign_payload, m)?)?;
    m.add_function(wrap_pyfunction!(verify_signature, m)?)?;
    m.add_function(wrap_pyfunction!(_decrypt_fernet_at, m)?)?;
    m.add_function(wrap_pyfunction!(_encrypt_fernet_from_parts, m)?)?;
    m.add_function(wrap_pyfunction!(_verify_signature_at, m)?)?;
    Ok(())
}
