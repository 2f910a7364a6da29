//! Python objects in, Python objects out. Every input is copied into owned Rust data (zeroized
//! on drop when it may be secret) so the GIL can be released around the core call.

use port_secret_core::{Encryption, Error, MAX_JSON_DEPTH, MAX_JSON_VALUES};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMemoryView, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};
use zeroize::Zeroizing;

use crate::errors::IntoPyResult;

/// The type name of `obj`, for `TypeError` messages (never its value).
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

fn wrong_type(what: &str, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!("{what} must be {expected}, not {}", type_name(obj)))
}

/// `str` (UTF-8 encoded), `bytes`, `bytearray` or `memoryview`, copied.
pub(crate) fn bytes_like(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(s) = obj.cast::<PyString>() {
        Ok(Zeroizing::new(s.to_cow()?.into_owned().into_bytes()))
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        Ok(Zeroizing::new(b.as_bytes().to_vec()))
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        Ok(Zeroizing::new(b.to_vec()))
    } else if obj.cast::<PyMemoryView>().is_ok() {
        let copy = obj.call_method0("tobytes")?;
        let copy = copy.cast::<PyBytes>()?;
        Ok(Zeroizing::new(copy.as_bytes().to_vec()))
    } else {
        Err(wrong_type(what, "str, bytes, bytearray or memoryview", obj))
    }
}

/// A `str`, copied.
pub(crate) fn text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Zeroizing<String>> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(Zeroizing::new(s.to_cow()?.into_owned())),
        Err(_) => Err(wrong_type(what, "str", obj)),
    }
}

/// A webhook timestamp: the header's `str`, or an `int` (`int(time.time())`), as its decimal
/// text. A `bool` is not a timestamp.
pub(crate) fn timestamp(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() {
        return Ok(text(obj, "timestamp")?.to_string());
    }
    if obj.is_instance_of::<pyo3::types::PyInt>() && !obj.is_instance_of::<pyo3::types::PyBool>() {
        return Ok(obj.str()?.to_cow()?.into_owned());
    }
    Err(wrong_type("timestamp", "str or int", obj))
}

/// A `str` or a list/tuple of `str` (a rotation list), copied.
pub(crate) fn one_or_many(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Zeroizing<String>>> {
    if obj.is_instance_of::<PyString>() {
        return Ok(vec![text(obj, what)?]);
    }
    let items = if let Ok(list) = obj.cast::<PyList>() {
        list.iter().collect::<Vec<_>>()
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        tuple.iter().collect::<Vec<_>>()
    } else {
        return Err(wrong_type(what, "a str or a list of str", obj));
    };
    items.iter().map(|item| text(item, what)).collect()
}

/// The `encryption` of an input: `"aes256-gcm"`, `"fernet"`, `"client-side"`, or a dict such as
/// `{"algorithm": "client-side", "key": "<public PEM>"}`.
pub(crate) fn encryption(obj: &Bound<'_, PyAny>) -> PyResult<Encryption> {
    if let Ok(s) = obj.cast::<PyString>() {
        Encryption::from_json_str(&s.to_cow()?).py()
    } else if obj.is_instance_of::<PyDict>() {
        Encryption::from_json(&to_json(obj, "encryption")?).py()
    } else {
        Err(wrong_type("encryption", "str or dict", obj))
    }
}

/// A JSON-like Python value (dict with str keys, list, tuple, str, int, float, bool, None).
pub(crate) fn to_json(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    let mut budget = MAX_JSON_VALUES;
    to_json_at(obj, what, 0, &mut budget)
}

fn to_json_at(
    obj: &Bound<'_, PyAny>,
    what: &str,
    depth: usize,
    budget: &mut usize,
) -> PyResult<Value> {
    // Past either limit (cyclic, too deep, a shared-object DAG): malformed, not a crash or a hang.
    if depth > MAX_JSON_DEPTH || *budget == 0 {
        return Err(crate::errors::to_py_err(Error::json_too_large()));
    }
    *budget -= 1;
    if obj.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            Ok(Value::from(i))
        } else if let Ok(u) = obj.extract::<u64>() {
            Ok(Value::from(u))
        } else {
            Err(PyValueError::new_err(format!(
                "{what}: an integer does not fit in 64 bits"
            )))
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err(format!("{what}: NaN or infinity is not JSON")))
    } else if let Ok(s) = obj.cast::<PyString>() {
        Ok(Value::String(s.to_cow()?.into_owned()))
    } else if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| wrong_type(&format!("a key in {what}"), "str", &k))?;
            map.insert(
                key.to_cow()?.into_owned(),
                to_json_at(&v, what, depth + 1, budget)?,
            );
        }
        Ok(Value::Object(map))
    } else if let Ok(list) = obj.cast::<PyList>() {
        list.iter()
            .map(|v| to_json_at(&v, what, depth + 1, budget))
            .collect::<PyResult<_>>()
            .map(Value::Array)
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        tuple
            .iter()
            .map(|v| to_json_at(&v, what, depth + 1, budget))
            .collect::<PyResult<_>>()
            .map(Value::Array)
    } else {
        Err(wrong_type(
            &format!("a value in {what}"),
            "a JSON value (dict, list, str, int, float, bool or None)",
            obj,
        ))
    }
}

/// A JSON number's text is an integer (`-?[0-9]+`): it has no fraction and no exponent.
fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A JSON value as Python objects (dict, list, str, int, float, bool, None; integers of any
/// size).
/// [`from_json`] on a value that holds decrypted secrets, whose strings are wiped once Python
/// has its own copies (which are out of reach).
pub(crate) fn from_secret_json(py: Python<'_>, mut value: Value) -> PyResult<Bound<'_, PyAny>> {
    let converted = from_json(py, &value);
    port_secret_core::wipe_json(&mut value);
    converted
}

pub(crate) fn from_json<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if is_integer_text(n.as_str()) {
                // Beyond 64 bits (serde_json keeps the number's text): a Python int of any
                // size, as `json.loads` gives, never a float.
                py.get_type::<PyInt>().call1((n.as_str(),))?
            } else if let Some(f) = n.as_f64() {
                f.into_pyobject(py)?.into_any()
            } else {
                // Out of the double range (`1e400`): what `json.loads` gives, `float(text)`.
                py.get_type::<PyFloat>().call1((n.as_str(),))?
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(from_json(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, from_json(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

// ---------------------------------------------------------------------------------------------
// The run's arguments

/// A header name or value as sent: `str` (UTF-8; a lone surrogate becomes U+FFFD, so such a
/// signature header just fails to verify) or `bytes`/`bytearray`/`memoryview` (ASGI raw headers).
fn header_part(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(s) = obj.cast::<PyString>() {
        Ok(s.to_string_lossy().into_owned().into_bytes())
    } else if obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_instance_of::<PyMemoryView>()
    {
        Ok(bytes_like(obj, what)?.to_vec())
    } else {
        Err(wrong_type(what, "str or bytes", obj))
    }
}

/// A request's headers, copied as `(name, value)` pairs in their order: a mapping with
/// `.items()` (a `dict`, werkzeug's `Headers`/`EnvironHeaders` and starlette's `Headers`, which
/// yield a repeated name once per value) or an iterable of `(name, value)` pairs.
pub(crate) fn headers(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, Vec<u8>)>> {
    const EXPECTED: &str = "a mapping or an iterable of (name, value) pairs";
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_instance_of::<PyMemoryView>()
    {
        return Err(wrong_type("headers", EXPECTED, obj));
    }
    let pairs = if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        obj.try_iter()?
    } else if let Some(items) = obj.getattr_opt("items")? {
        items.call0()?.try_iter()?
    } else {
        obj.try_iter()
            .map_err(|_| wrong_type("headers", EXPECTED, obj))?
    };
    let mut out = Vec::new();
    for pair in pairs {
        let pair = pair?;
        let (name, value) = if let Ok(t) = pair.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(wrong_type("a header", "a (name, value) pair", &pair));
            }
            (t.get_item(0)?, t.get_item(1)?)
        } else if let Ok(l) = pair.cast::<PyList>() {
            if l.len() != 2 {
                return Err(wrong_type("a header", "a (name, value) pair", &pair));
            }
            (l.get_item(0)?, l.get_item(1)?)
        } else {
            return Err(wrong_type("a header", "a (name, value) pair", &pair));
        };
        let name = header_part(&name, "a header name")?;
        let value = header_part(&value, "a header value")?;
        out.push((String::from_utf8_lossy(&name).into_owned(), value));
    }
    Ok(out)
}

/// A non-negative integer option (not a `bool`).
pub(crate) fn count(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<u64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(wrong_type(what, "an int", obj));
    }
    obj.extract::<u64>().map_err(|_| {
        PyValueError::new_err(format!("{what} must be a non-negative integer (64 bits)"))
    })
}

/// The `now` option: unix seconds, an `int` (not a `bool`).
pub(crate) fn unix_seconds(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<i64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(wrong_type(what, "an int (unix seconds) or None", obj));
    }
    obj.extract::<i64>()
        .map_err(|_| PyValueError::new_err(format!("{what} does not fit in 64 bits")))
}

/// The `user_inputs` option: the action's `userInputs` (or its `properties` map) as a `dict`, or
/// the secret inputs' names as a `list`/`tuple`.
pub(crate) fn user_inputs(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
    {
        to_json(obj, "user_inputs")
    } else {
        Err(wrong_type(
            "user_inputs",
            "a dict (the action's userInputs) or a list of input names",
            obj,
        ))
    }
}

/// The `default_encryption` option, as a definition holds it: a `str` or a `dict`.
pub(crate) fn encryption_value(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    if let Ok(s) = obj.cast::<PyString>() {
        Ok(Value::String(s.to_cow()?.into_owned()))
    } else if obj.is_instance_of::<PyDict>() {
        to_json(obj, what)
    } else {
        Err(wrong_type(what, "str or dict", obj))
    }
}
