//! Python objects out (and JSON in, for the argument types of [`crate::args`]): a decrypted
//! plaintext as `str` or `bytes`, a JSON value as Python objects, a Python object as JSON.

use port_secret_core::{Error, MAX_JSON_DEPTH, MAX_JSON_VALUES, Plaintext};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::args::wrong_type;
use crate::errors::IntoPyResult;

/// The two answers of a decryption, picked by the caller's return type: `str` (the text twin;
/// `invalid_utf8`, the core's check, when the plaintext is not UTF-8) or `bytes` (the `_bytes`
/// twin). The plaintext is wiped when it drops; Python's copy is out of reach.
pub(crate) trait FromPlaintext<'py>: Sized {
    fn from_plaintext(py: Python<'py>, plaintext: Plaintext) -> PyResult<Self>;
}

impl<'py> FromPlaintext<'py> for Bound<'py, PyString> {
    fn from_plaintext(py: Python<'py>, plaintext: Plaintext) -> PyResult<Self> {
        Ok(PyString::new(py, plaintext.to_str().py()?))
    }
}

impl<'py> FromPlaintext<'py> for Bound<'py, PyBytes> {
    fn from_plaintext(py: Python<'py>, plaintext: Plaintext) -> PyResult<Self> {
        Ok(PyBytes::new(py, plaintext.as_bytes()))
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

/// [`from_json`] on a value that holds decrypted secrets, whose strings are wiped once Python
/// has its own copies (which are out of reach).
pub(crate) fn from_secret_json(py: Python<'_>, mut value: Value) -> PyResult<Bound<'_, PyAny>> {
    let converted = from_json(py, &value);
    port_secret_core::wipe_json(&mut value);
    converted
}

/// A JSON value as Python objects (dict, list, str, int, float, bool, None; integers of any
/// size).
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
