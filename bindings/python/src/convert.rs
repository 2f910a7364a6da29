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

/// A JSON value as Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn from_json<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
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
