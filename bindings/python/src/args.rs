//! Argument types: each shape a Python argument can take is declared once, as a type that
//! implements `FromPyObject` (as pyca/cryptography's `CffiBuf`), so a function's signature says
//! what it accepts and PyO3 does the checking before the body runs.
//!
//! Every argument is copied into owned Rust data (zeroized on drop when it may be secret), so
//! the GIL can be released around the core call. A wrong Python type is a `TypeError` that names
//! the argument and the type it got (`value must be str, bytes, bytearray or memoryview, not
//! int`), never the value. Types used under several names take the name as a marker type from
//! [`arg`] (`Data<arg::Value>`); the others have one name.

use std::marker::PhantomData;
use std::ops::Deref;

use port_secret_core::{Delivery, Encryption};
use pyo3::conversion::FromPyObjectOwned;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyInt, PyList, PyMemoryView, PyString, PyTuple,
};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::convert::to_json;
use crate::errors::IntoPyResult;

/// The name a marker type gives an argument, for its errors.
pub(crate) trait ArgName {
    const NAME: &'static str;
}

/// The argument names of the types that several arguments share, as marker types.
pub(crate) mod arg {
    macro_rules! names {
        ($($marker:ident = $name:literal),* $(,)?) => {$(
            #[doc = concat!("`", $name, "`")]
            pub(crate) enum $marker {}
            impl super::ArgName for $marker {
                const NAME: &'static str = $name;
            }
        )*};
    }

    names! {
        Body = "body", ClientSecret = "client_secret", Iv = "iv", MaxBody = "max_body",
        MaxClientSideInputs = "max_client_side_inputs", Message = "message",
        Plaintext = "plaintext", PrivateKey = "private_key", PrivateKeyPem = "private_key_pem",
        Properties = "properties", PublicKeyPem = "public_key_pem", Signature = "signature",
        Token = "token", Tolerance = "tolerance", UserInputs = "user_inputs", Value = "value",
    }
}

/// The type name of `obj`, for `TypeError` messages (never its value).
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

pub(crate) fn wrong_type(what: &str, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!("{what} must be {expected}, not {}", type_name(obj)))
}

fn is_binary(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_instance_of::<PyMemoryView>()
}

/// An `int` that is not a `bool`.
fn is_int(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>()
}

fn text_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Zeroizing<String>> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(Zeroizing::new(s.to_cow()?.into_owned())),
        Err(_) => Err(wrong_type(what, "str", obj)),
    }
}

fn bytes_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(s) = obj.cast::<PyString>() {
        Ok(Zeroizing::new(s.to_cow()?.into_owned().into_bytes()))
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        Ok(Zeroizing::new(b.as_bytes().to_vec()))
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        Ok(Zeroizing::new(b.to_vec()))
    } else if obj.is_instance_of::<PyMemoryView>() {
        // abi3 for 3.9 has no buffer protocol: the memoryview copies itself.
        let copy = obj.call_method0("tobytes")?;
        Ok(Zeroizing::new(copy.cast::<PyBytes>()?.as_bytes().to_vec()))
    } else {
        Err(wrong_type(what, "str, bytes, bytearray or memoryview", obj))
    }
}

// ---------------------------------------------------------------------------------------------
// Values and keys

/// Data: `str` (UTF-8 encoded), `bytes`, `bytearray` or `memoryview`, copied; a value, a
/// plaintext, a body.
pub(crate) struct Data<N>(Zeroizing<Vec<u8>>, PhantomData<N>);

impl<N: ArgName> FromPyObject<'_, '_> for Data<N> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        Ok(Data(bytes_of(&obj, N::NAME)?, PhantomData))
    }
}

impl<N> Deref for Data<N> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// A `str`, copied: a key, a signature.
pub(crate) struct Text<N>(Zeroizing<String>, PhantomData<N>);

impl<N: ArgName> FromPyObject<'_, '_> for Text<N> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        Ok(Text(text_of(&obj, N::NAME)?, PhantomData))
    }
}

impl<N> Deref for Text<N> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

// Signature headers reach core as bytes (core decides what non-UTF-8 means).
impl<N> AsRef<[u8]> for Text<N> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A `str` or a list/tuple of `str` (a rotation list), copied.
pub(crate) struct OneOrMany<N>(Vec<Zeroizing<String>>, PhantomData<N>);

impl<N: ArgName> FromPyObject<'_, '_> for OneOrMany<N> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        let items = if obj.is_instance_of::<PyString>() {
            vec![text_of(&obj, N::NAME)?]
        } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            obj.try_iter()?
                .map(|item| text_of(&item?, N::NAME))
                .collect::<PyResult<_>>()?
        } else {
            return Err(wrong_type(N::NAME, "a str or a list of str", &obj));
        };
        Ok(OneOrMany(items, PhantomData))
    }
}

impl<N> OneOrMany<N> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|s| s.as_str())
    }
}

/// A webhook timestamp: the header's `str`, or an `int` (`int(time.time())`), as its decimal
/// text. A `bool` is not a timestamp.
pub(crate) struct Timestamp(String);

impl FromPyObject<'_, '_> for Timestamp {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if let Ok(s) = obj.cast::<PyString>() {
            Ok(Timestamp(s.to_cow()?.into_owned()))
        } else if is_int(&obj) {
            Ok(Timestamp(obj.str()?.to_cow()?.into_owned()))
        } else {
            Err(wrong_type("timestamp", "str or int", &obj))
        }
    }
}

impl Deref for Timestamp {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<[u8]> for Timestamp {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// `now`: the time to use instead of the clock, in unix seconds; an `int`, not a `bool`. `T` is
/// the core's type for it: `i64` (signatures, runs) or `u64` (Fernet token times).
pub(crate) struct Now<T = i64>(pub(crate) T);

/// The core's types for `now`, and what a Python `int` outside them is told.
pub(crate) trait UnixSeconds {
    const OUT_OF_RANGE: &'static str;
}

impl UnixSeconds for i64 {
    const OUT_OF_RANGE: &'static str = "now does not fit in 64 bits";
}

impl UnixSeconds for u64 {
    const OUT_OF_RANGE: &'static str = "now must be a non-negative integer (64 bits)";
}

impl<'py, T> FromPyObject<'_, 'py> for Now<T>
where
    T: UnixSeconds + FromPyObjectOwned<'py>,
{
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if !is_int(&obj) {
            return Err(wrong_type("now", "an int (unix seconds) or None", &obj));
        }
        obj.extract::<T>()
            .map(Now)
            .map_err(|_| PyValueError::new_err(T::OUT_OF_RANGE))
    }
}

/// The `encryption` of an input, as its definition holds it: `"aes256-gcm"`, `"fernet"`,
/// `"client-side"`, JSON text of one of those, or a dict such as `{"algorithm": "client-side",
/// "key": "<public PEM>"}`. The core reads it (`Encryption::from_json_str` for text, as in every
/// language; `Encryption::from_json` for a dict).
pub(crate) struct EncryptionArg(Encryption);

impl FromPyObject<'_, '_> for EncryptionArg {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        let encryption = if let Ok(s) = obj.cast::<PyString>() {
            Encryption::from_json_str(&s.to_cow()?)
        } else if obj.is_instance_of::<PyDict>() {
            Encryption::from_json(&to_json(&obj, "encryption")?)
        } else {
            return Err(wrong_type("encryption", "str or dict", &obj));
        };
        encryption.py().map(EncryptionArg)
    }
}

impl Deref for EncryptionArg {
    type Target = Encryption;
    fn deref(&self) -> &Encryption {
        &self.0
    }
}

/// A JSON-like Python value (dict with str keys, list, tuple, str, int, float, bool, None), as
/// JSON. Any JSON value is accepted (the core says which it takes, as in every language).
pub(crate) struct Json<N>(Value, PhantomData<N>);

impl<N: ArgName> FromPyObject<'_, '_> for Json<N> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        Ok(Json(to_json(&obj, N::NAME)?, PhantomData))
    }
}

impl<N> Deref for Json<N> {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.0
    }
}

// ---------------------------------------------------------------------------------------------
// The run's arguments

/// A header name or value as sent: `str` (UTF-8; a lone surrogate becomes U+FFFD, so such a
/// signature header just fails to verify) or `bytes`/`bytearray`/`memoryview` (ASGI raw headers).
fn header_part(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(s) = obj.cast::<PyString>() {
        Ok(s.to_string_lossy().into_owned().into_bytes())
    } else if is_binary(obj) {
        Ok(bytes_of(obj, what)?.to_vec())
    } else {
        Err(wrong_type(what, "str or bytes", obj))
    }
}

/// A request's headers, copied as `(name, value)` pairs in their order: a mapping with
/// `.items()` (a `dict`, werkzeug's `Headers`/`EnvironHeaders` and starlette's `Headers`, which
/// yield a repeated name once per value) or an iterable of `(name, value)` pairs.
pub(crate) struct Headers(Vec<(String, Vec<u8>)>);

impl FromPyObject<'_, '_> for Headers {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        const EXPECTED: &str = "a mapping or an iterable of (name, value) pairs";
        if obj.is_instance_of::<PyString>() || is_binary(&obj) {
            return Err(wrong_type("headers", EXPECTED, &obj));
        }
        let pairs = if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            obj.try_iter()?
        } else if let Some(items) = obj.getattr_opt("items")? {
            items.call0()?.try_iter()?
        } else {
            obj.try_iter()
                .map_err(|_| wrong_type("headers", EXPECTED, &obj))?
        };
        let mut out = Vec::new();
        for pair in pairs {
            let pair = pair?;
            let not_a_pair = || wrong_type("a header", "a (name, value) pair", &pair);
            let (name, value) = if let Ok(t) = pair.cast::<PyTuple>() {
                if t.len() != 2 {
                    return Err(not_a_pair());
                }
                (t.get_item(0)?, t.get_item(1)?)
            } else if let Ok(l) = pair.cast::<PyList>() {
                if l.len() != 2 {
                    return Err(not_a_pair());
                }
                (l.get_item(0)?, l.get_item(1)?)
            } else {
                return Err(not_a_pair());
            };
            let name = header_part(&name, "a header name")?;
            let value = header_part(&value, "a header value")?;
            out.push((String::from_utf8_lossy(&name).into_owned(), value));
        }
        Ok(Headers(out))
    }
}

impl Headers {
    /// The pairs as the core takes them.
    pub(crate) fn pairs(&self) -> Vec<(&str, &[u8])> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_slice()))
            .collect()
    }
}

/// `delivery`: `"port"` or `"agent"` (the core's names).
pub(crate) struct DeliveryArg(pub(crate) Delivery);

impl FromPyObject<'_, '_> for DeliveryArg {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        text_of(&obj, "delivery")?
            .parse::<Delivery>()
            .map(DeliveryArg)
            .map_err(|_| PyValueError::new_err("delivery must be \"port\" or \"agent\""))
    }
}

/// A non-negative integer option (an `int`, not a `bool`).
pub(crate) struct Count<N>(u64, PhantomData<N>);

impl<N: ArgName> FromPyObject<'_, '_> for Count<N> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if !is_int(&obj) {
            return Err(wrong_type(N::NAME, "an int", &obj));
        }
        let n = obj.extract::<u64>().map_err(|_| {
            PyValueError::new_err(format!(
                "{} must be a non-negative integer (64 bits)",
                N::NAME
            ))
        })?;
        Ok(Count(n, PhantomData))
    }
}

impl<N> Count<N> {
    pub(crate) const fn new(n: u64) -> Self {
        Count(n, PhantomData)
    }

    pub(crate) fn get(&self) -> u64 {
        self.0
    }

    /// As a size (a count past `usize::MAX` is no cap at all).
    pub(crate) fn size(&self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}

/// The run's `user_inputs`: the action's `userInputs` (or its `properties` map) as a `dict`, or
/// the secret inputs' names as a `list`/`tuple`.
pub(crate) struct RunUserInputs(pub(crate) Value);

impl FromPyObject<'_, '_> for RunUserInputs {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyDict>()
            || obj.is_instance_of::<PyList>()
            || obj.is_instance_of::<PyTuple>()
        {
            to_json(&obj, "user_inputs").map(RunUserInputs)
        } else {
            Err(wrong_type(
                "user_inputs",
                "a dict (the action's userInputs) or a list of input names",
                &obj,
            ))
        }
    }
}

/// The run's `default_encryption`, as a definition holds it: a `str` or a `dict` (the core reads
/// it when it applies it).
pub(crate) struct DefaultEncryption(pub(crate) Value);

impl FromPyObject<'_, '_> for DefaultEncryption {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        const WHAT: &str = "default_encryption";
        if let Ok(s) = obj.cast::<PyString>() {
            Ok(DefaultEncryption(Value::String(s.to_cow()?.into_owned())))
        } else if obj.is_instance_of::<PyDict>() {
            to_json(&obj, WHAT).map(DefaultEncryption)
        } else {
            Err(wrong_type(WHAT, "str or dict", &obj))
        }
    }
}
