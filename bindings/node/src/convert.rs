//! JavaScript values in, Rust values out: every argument arrives as `Unknown` and is checked
//! here, so a wrong type is a `TypeError` with a fixed message instead of napi's generic error.

use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object, Uint8ArraySlice, Unknown};
use napi::{Env, JsValue, ValueType};
use port_secret_core::{self as core, Encryption};
use zeroize::Zeroizing;

use crate::error::{range_error, type_error};

/// Text or bytes from JavaScript: a `string` (taken as UTF-8) or a `Buffer`/`Uint8Array`
/// (borrowed, not copied).
pub enum Input<'env> {
    /// A JavaScript string, copied out as UTF-8 (zeroized on drop: it may be a plaintext).
    Text(Zeroizing<String>),
    /// The bytes of a `Uint8Array` (a `Buffer` is one).
    Bytes(Uint8ArraySlice<'env>),
}

impl AsRef<[u8]> for Input<'_> {
    fn as_ref(&self) -> &[u8] {
        match self {
            Input::Text(text) => text.as_bytes(),
            Input::Bytes(bytes) => bytes,
        }
    }
}

impl Input<'_> {
    /// The bytes, copied (for work on the thread pool).
    pub fn to_vec(&self) -> Vec<u8> {
        self.as_ref().to_vec()
    }
}

/// `string | Buffer | Uint8Array`.
pub fn input<'env>(env: &Env, value: Unknown<'env>, name: &str) -> napi::Result<Input<'env>> {
    let wrong = || {
        type_error(
            env,
            &format!("{name} must be a string, Buffer or Uint8Array"),
        )
    };
    match value.get_type()? {
        ValueType::String => Ok(Input::Text(Zeroizing::new(
            String::from_unknown(value).map_err(|_| wrong())?,
        ))),
        ValueType::Object if value.is_typedarray()? => Ok(Input::Bytes(
            Uint8ArraySlice::from_unknown(value).map_err(|_| wrong())?,
        )),
        _ => Err(wrong()),
    }
}

/// A `string` (a client secret, a PEM, a signature header), zeroized on drop.
pub fn string(env: &Env, value: Unknown<'_>, name: &str) -> napi::Result<Zeroizing<String>> {
    if value.get_type()? != ValueType::String {
        return Err(type_error(env, &format!("{name} must be a string")));
    }
    Ok(Zeroizing::new(String::from_unknown(value)?))
}

/// A `string`, or an array of them (a Decryptor's client secrets or private keys). `undefined`
/// and `null` give an empty list.
pub fn string_list(
    env: &Env,
    value: Unknown<'_>,
    name: &str,
) -> napi::Result<Vec<Zeroizing<String>>> {
    let wrong = || {
        type_error(
            env,
            &format!("{name} must be a string or an array of strings"),
        )
    };
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(Vec::new()),
        ValueType::String => Ok(vec![Zeroizing::new(String::from_unknown(value)?)]),
        ValueType::Object if value.is_array()? => {
            let array = Object::from_unknown(value)?;
            let len = array.get_array_length()?;
            let mut items = Vec::with_capacity(len as usize);
            for index in 0..len {
                let item: Unknown<'_> = array.get_element(index)?;
                if item.get_type()? != ValueType::String {
                    return Err(wrong());
                }
                items.push(Zeroizing::new(String::from_unknown(item)?));
            }
            Ok(items)
        }
        _ => Err(wrong()),
    }
}

/// An options object: `undefined`/`null` (no options) or a plain object.
pub fn options<'env>(
    env: &Env,
    value: Unknown<'env>,
    name: &str,
) -> napi::Result<Option<Object<'env>>> {
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(None),
        ValueType::Object => Ok(Some(Object::from_unknown(value)?)),
        _ => Err(type_error(env, &format!("{name} must be an object"))),
    }
}

/// An optional non-negative integer option (`undefined`/`null`: absent).
pub fn option_u64(env: &Env, object: Option<&Object<'_>>, key: &str) -> napi::Result<Option<u64>> {
    let Some(object) = object else {
        return Ok(None);
    };
    let value: Unknown<'_> = object.get_named_property(key)?;
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(None),
        ValueType::Number => {
            let number = f64::from_unknown(value)?;
            if number.fract() != 0.0 || !(0.0..=MAX_SAFE_INTEGER).contains(&number) {
                return Err(range_error(
                    env,
                    &format!("{key} must be a non-negative integer"),
                ));
            }
            Ok(Some(integer(number).unsigned_abs()))
        }
        _ => Err(type_error(env, &format!("{key} must be a number"))),
    }
}

/// An optional integer option that may be negative (a unix time).
pub fn option_i64(env: &Env, object: Option<&Object<'_>>, key: &str) -> napi::Result<Option<i64>> {
    let Some(object) = object else {
        return Ok(None);
    };
    let value: Unknown<'_> = object.get_named_property(key)?;
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(None),
        ValueType::Number => {
            let number = f64::from_unknown(value)?;
            if number.fract() != 0.0 || !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&number) {
                return Err(range_error(env, &format!("{key} must be an integer")));
            }
            Ok(Some(integer(number)))
        }
        _ => Err(type_error(env, &format!("{key} must be a number"))),
    }
}

/// `Number.MAX_SAFE_INTEGER`: every integer up to it converts exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// An integral `f64` already checked to be within `±MAX_SAFE_INTEGER`, as `i64`.
#[allow(clippy::cast_possible_truncation)] // exact: integral and within ±2^53
fn integer(number: f64) -> i64 {
    number as i64
}

/// A webhook timestamp: the `x-port-timestamp` header string, or an integer number of seconds.
pub fn timestamp(env: &Env, value: Unknown<'_>) -> napi::Result<String> {
    match value.get_type()? {
        ValueType::String => String::from_unknown(value),
        ValueType::Number => {
            let number = f64::from_unknown(value)?;
            if number.fract() != 0.0 || !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&number) {
                return Err(range_error(env, "timestamp must be an integer"));
            }
            Ok(integer(number).to_string())
        }
        _ => Err(type_error(env, "timestamp must be a string or a number")),
    }
}

/// An input's `encryption`: a name (`"aes256-gcm"`, `"fernet"`, `"client-side"`) or an object
/// `{algorithm, key?}` as in the action definition. Other JavaScript types are a `TypeError`
/// (the outer error); unknown names and malformed objects are the core's
/// `unsupported_encryption` (the inner one), so async calls can reject with it.
pub fn encryption(env: &Env, value: Unknown<'_>) -> napi::Result<core::Result<Encryption>> {
    match value.get_type()? {
        ValueType::String => Ok(String::from_unknown(value)?.parse()),
        ValueType::Object if !value.is_array()? => {
            let json = json_value(env, value, "encryption must be a JSON-compatible object")?;
            Ok(json.and_then(|json| Encryption::from_json(&json)))
        }
        _ => Err(type_error(
            env,
            "encryption must be a string or an object {algorithm, key}",
        )),
    }
}

/// A JSON object (a run's `properties`, an action's `userInputs`) as a `serde_json::Value`.
/// The outer error is a `TypeError` (a value JSON cannot hold); the inner one
/// is `malformed` (see [`json_value`]), kept apart so async methods can reject with it.
pub fn json_object(
    env: &Env,
    value: Unknown<'_>,
    name: &str,
) -> napi::Result<core::Result<serde_json::Value>> {
    // Any JSON value gets through (an array, a string or null is `malformed` from the core, as in
    // every language); a value JSON cannot hold is a TypeError.
    json_value(
        env,
        value,
        &format!("{name} must be a JSON-compatible object"),
    )
}

/// Any JavaScript value as JSON, with bounded work: at most 128 levels of nesting and
/// 1 000 000 values, checked before anything is allocated for them. Neither of napi's own
/// conversions is safe here: its serde deserializer (`Env::from_js_value`) recurses without a
/// limit (a cyclic object overflowed the native stack), and its `FromNapiValue` for
/// `serde_json::Value` reserves `length` slots for an array first (a sparse array of length
/// 2^32 - 1 aborted the process on allocation). A limit hit is `malformed`, like a JSON
/// plaintext nested too deep; a value JSON cannot hold (`undefined` in an array, a function, a
/// symbol, a BigInt, NaN, a typed array or buffer) or a getter that throws is a `TypeError`.
pub fn json_value(
    env: &Env,
    value: Unknown<'_>,
    wrong: &str,
) -> napi::Result<core::Result<serde_json::Value>> {
    let mut budget = core::MAX_JSON_VALUES;
    match walk(value, 0, &mut budget) {
        Ok(json) => Ok(Ok(json)),
        Err(Walk::TooBig) => Ok(Err(core::Error::json_too_large())),
        Err(Walk::NotJson) => Err(type_error(env, wrong)),
    }
}

/// Why a JavaScript value did not become JSON.
enum Walk {
    TooBig,
    NotJson,
}

impl From<napi::Error> for Walk {
    fn from(_: napi::Error) -> Self {
        Walk::NotJson
    }
}

/// One value at `depth` (the top is 0, as in the Python binding), spending `budget`.
fn walk(value: Unknown<'_>, depth: usize, budget: &mut usize) -> Result<serde_json::Value, Walk> {
    use serde_json::{Map, Number, Value};
    if depth > core::MAX_JSON_DEPTH || *budget == 0 {
        return Err(Walk::TooBig);
    }
    *budget -= 1;
    Ok(match value.get_type()? {
        ValueType::Null => Value::Null,
        ValueType::Boolean => Value::Bool(bool::from_unknown(value)?),
        ValueType::String => Value::String(String::from_unknown(value)?),
        ValueType::Number => {
            let n = f64::from_unknown(value)?;
            // Integers JavaScript holds exactly (|n| <= 2^53) stay integers, as JSON.parse made them.
            #[allow(clippy::cast_possible_truncation)]
            if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 {
                Value::from(n as i64)
            } else {
                Value::Number(Number::from_f64(n).ok_or(Walk::NotJson)?)
            }
        }
        ValueType::Object => {
            if value.is_typedarray()?
                || value.is_buffer()?
                || value.is_arraybuffer()?
                || value.is_dataview()?
            {
                return Err(Walk::NotJson);
            }
            let object = Object::from_unknown(value)?;
            if value.is_array()? {
                let len = object.get_array_length()?;
                if usize::try_from(len).map_or(true, |len| len > *budget) {
                    return Err(Walk::TooBig);
                }
                let mut items = Vec::new();
                for i in 0..len {
                    items.push(walk(object.get_element::<Unknown>(i)?, depth + 1, budget)?);
                }
                Value::Array(items)
            } else {
                let names = object.get_property_names()?;
                let len = names.get_array_length()?;
                if usize::try_from(len).map_or(true, |len| len > *budget) {
                    return Err(Walk::TooBig);
                }
                let mut map = Map::new();
                for i in 0..len {
                    let key = names.get_element::<String>(i)?;
                    let item = object.get_named_property::<Unknown>(&key)?;
                    // As JSON.stringify: a property holding `undefined` is left out.
                    if item.get_type()? != ValueType::Undefined {
                        map.insert(key, walk(item, depth + 1, budget)?);
                    }
                }
                Value::Object(map)
            }
        }
        _ => return Err(Walk::NotJson),
    })
}
