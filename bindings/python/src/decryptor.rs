//! `Decryptor`: keys parsed once, then one value, a run's properties, or a whole run
//! (`open_webhook`, `open_kafka_message`).

use port_secret_core::{self as core, Decryptor, Delivery, Plaintext, RunOptions};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use serde_json::Value;

use crate::args::{
    Count, Data, DefaultEncryption, DeliveryArg, EncryptionArg, Headers, Json, Now, OneOrMany,
    RunUserInputs, Text, Timestamp, arg,
};
use crate::convert::{FromPlaintext, from_secret_json};
use crate::errors::IntoPyResult;

// The run methods' text signatures spell the defaults out (`tolerance=300`) so that they show in
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

/// Decrypts Port secret inputs with keys parsed once; immutable and safe to share between
/// threads. Each of `client_secret` and `private_key` is one `str` or a list of them (during a
/// rotation they are tried in turn).
#[pyclass(frozen, module = "port_secret._native", name = "Decryptor")]
pub(crate) struct PyDecryptor {
    inner: Decryptor,
}

impl PyDecryptor {
    /// One value's plaintext, as the caller's return type (`str` or `bytes`).
    fn decrypt_as<'py, T: FromPlaintext<'py>>(
        &self,
        py: Python<'py>,
        value: &[u8],
        encryption: &EncryptionArg,
    ) -> PyResult<T> {
        let plaintext: Plaintext = py
            .detach(|| self.inner.decrypt_bytes(value, encryption))
            .py()?;
        T::from_plaintext(py, plaintext)
    }
}

#[pymethods]
impl PyDecryptor {
    /// The core's builder checks every option (`max_input_len=0` is `malformed`) and parses the
    /// keys.
    #[new]
    #[pyo3(signature = (
        client_secret = None, private_key = None, *, max_input_len = None, fernet_ttl = None
    ))]
    fn new(
        py: Python<'_>,
        client_secret: Option<OneOrMany<arg::ClientSecret>>,
        private_key: Option<OneOrMany<arg::PrivateKey>>,
        max_input_len: Option<usize>,
        fernet_ttl: Option<u64>,
    ) -> PyResult<Self> {
        let inner = py
            .detach(|| {
                let mut builder = Decryptor::builder().fernet_ttl(fernet_ttl);
                for secret in client_secret.iter().flat_map(OneOrMany::iter) {
                    builder = builder.client_secret(secret);
                }
                for pem in private_key.iter().flat_map(OneOrMany::iter) {
                    builder = builder.private_key_pem(pem);
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
        value: Data<arg::Value>,
        encryption: EncryptionArg,
    ) -> PyResult<Bound<'py, PyString>> {
        self.decrypt_as(py, &value, &encryption)
    }

    /// Decrypts one value to bytes.
    #[pyo3(signature = (value, encryption))]
    fn decrypt_bytes<'py>(
        &self,
        py: Python<'py>,
        value: Data<arg::Value>,
        encryption: EncryptionArg,
    ) -> PyResult<Bound<'py, PyBytes>> {
        self.decrypt_as(py, &value, &encryption)
    }

    /// Decrypts one value holding JSON (a `type: object` input) and parses it.
    #[pyo3(signature = (value, encryption))]
    fn decrypt_json<'py>(
        &self,
        py: Python<'py>,
        value: Data<arg::Value>,
        encryption: EncryptionArg,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json = py
            .detach(|| self.inner.decrypt_json(&*value, &encryption))
            .py()?;
        from_secret_json(py, json)
    }

    /// A copy of `properties` (the run's `payload.properties`) with every input whose
    /// definition in `user_inputs` (the action's `userInputs`, or its `properties` map) has
    /// `encryption` decrypted; `object` inputs are parsed. Errors carry `.input`.
    #[pyo3(signature = (properties, user_inputs))]
    fn decrypt_properties<'py>(
        &self,
        py: Python<'py>,
        // Any JSON value is accepted (a list or None is `malformed` from the core, as in every
        // language); a value JSON cannot hold (bytes, a set, an object) is a TypeError.
        properties: Json<arg::Properties>,
        user_inputs: Json<arg::UserInputs>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let out = py
            .detach(|| self.inner.decrypt_properties(&properties, &user_inputs))
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
    /// port-agent; `now` (unix seconds) replaces the clock, for tests and replays. Returns the
    /// parsed body; errors carry `.input` when they name one.
    #[pyo3(
        signature = (
            body, headers, *, delivery = DeliveryArg(Delivery::Port),
            tolerance = Count::new(core::DEFAULT_TOLERANCE_SECS), user_inputs = None,
            verify_signature = true,
            properties_pointer = core::DEFAULT_PROPERTIES_POINTER.to_owned(),
            user_inputs_pointer = core::DEFAULT_USER_INPUTS_POINTER.to_owned(),
            default_encryption = DefaultEncryption(Value::from("aes256-gcm")),
            max_body = Count::new(core::DEFAULT_MAX_BODY as u64),
            max_client_side_inputs = Count::new(core::DEFAULT_MAX_CLIENT_SIDE_INPUTS as u64),
            now = None
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
        body: Data<arg::Body>,
        headers: Headers,
        delivery: DeliveryArg,
        tolerance: Count<arg::Tolerance>,
        user_inputs: Option<RunUserInputs>,
        verify_signature: bool,
        properties_pointer: String,
        user_inputs_pointer: String,
        default_encryption: DefaultEncryption,
        max_body: Count<arg::MaxBody>,
        max_client_side_inputs: Count<arg::MaxClientSideInputs>,
        now: Option<Now>,
    ) -> PyResult<Bound<'py, PyAny>> {
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
        .into_options(delivery.0);
        // Everything (signature, parse, every decryption) runs without the GIL.
        let run = py
            .detach(|| self.inner.open_webhook(&body, &headers.pairs(), &options))
            .py()?;
        from_secret_json(py, run)
    }

    /// Opens a run delivered as one message value of Port's Kafka topic (the signature and
    /// timestamp are inside it, in `headers`), in one call; `now` (unix seconds) replaces the
    /// clock. Returns the parsed message.
    #[pyo3(
        signature = (
            message, *, tolerance = Count::new(core::DEFAULT_TOLERANCE_SECS), user_inputs = None,
            verify_signature = true,
            properties_pointer = core::DEFAULT_PROPERTIES_POINTER.to_owned(),
            user_inputs_pointer = core::DEFAULT_USER_INPUTS_POINTER.to_owned(),
            default_encryption = DefaultEncryption(Value::from("aes256-gcm")),
            max_body = Count::new(core::DEFAULT_MAX_BODY as u64),
            max_client_side_inputs = Count::new(core::DEFAULT_MAX_CLIENT_SIDE_INPUTS as u64),
            now = None
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
        message: Data<arg::Message>,
        tolerance: Count<arg::Tolerance>,
        user_inputs: Option<RunUserInputs>,
        verify_signature: bool,
        properties_pointer: String,
        user_inputs_pointer: String,
        default_encryption: DefaultEncryption,
        max_body: Count<arg::MaxBody>,
        max_client_side_inputs: Count<arg::MaxClientSideInputs>,
        now: Option<Now>,
    ) -> PyResult<Bound<'py, PyAny>> {
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
        .into_options(Delivery::Port);
        let run = py
            .detach(|| self.inner.open_kafka_message(&message, &options))
            .py()?;
        from_secret_json(py, run)
    }

    /// Verifies a webhook signature with any configured client secret; `now` (unix seconds)
    /// replaces the clock, for tests and replays.
    #[pyo3(signature = (body, signature, timestamp, tolerance = 300, *, now = None))]
    fn verify_signature(
        &self,
        py: Python<'_>,
        body: Data<arg::Body>,
        signature: Text<arg::Signature>,
        timestamp: Timestamp,
        tolerance: u64,
        now: Option<Now>,
    ) -> PyResult<()> {
        py.detach(|| match now {
            Some(Now(now)) => self
                .inner
                .verify_signature_at(&*body, &signature, &timestamp, tolerance, now),
            None => self
                .inner
                .verify_signature(&*body, &signature, &timestamp, tolerance),
        })
        .py()
    }
}

/// The options both run methods share, as extracted.
struct RunArgs {
    tolerance: Count<arg::Tolerance>,
    user_inputs: Option<RunUserInputs>,
    verify_signature: bool,
    properties_pointer: String,
    user_inputs_pointer: String,
    default_encryption: DefaultEncryption,
    max_body: Count<arg::MaxBody>,
    max_client_side_inputs: Count<arg::MaxClientSideInputs>,
    now: Option<Now>,
}

impl RunArgs {
    fn into_options(self, delivery: Delivery) -> RunOptions {
        RunOptions {
            delivery,
            verify_signature: self.verify_signature,
            tolerance_secs: self.tolerance.get(),
            user_inputs: self.user_inputs.map(|u| u.0),
            user_inputs_pointer: self.user_inputs_pointer,
            properties_pointer: self.properties_pointer,
            default_encryption: self.default_encryption.0,
            max_body: self.max_body.size(),
            max_client_side_inputs: self.max_client_side_inputs.size(),
            now: self.now.map(|Now(now)| now),
        }
    }
}
