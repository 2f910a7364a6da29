//! JavaScript values in, Rust values out. Each argument shape is one type here, used as the type
//! of the argument or option field: napi's generated code converts through it and
//! `binding.d.ts` takes its TypeScript type from it (a `#[napi(transparent)]` type is exported as
//! a TypeScript alias of its inner type, e.g. `type TextOrBytes = string | Uint8Array`).
//!
//! The conversions are napi's own (`Either`, `String`, `Uint8Array`, ...), called only after
//! the JavaScript type was checked, with one difference: a value of the wrong type is a
//! `TypeError` (`code` `ERR_INVALID_ARG_TYPE`) saying what was expected and the `typeof` received,
//! and a number out of range a `RangeError`. napi's own error would be a plain `Error` with `code`
//! `InvalidArg`, and its message can quote the value (a secret passed in the wrong place).

use napi::bindgen_prelude::{Either, FromNapiValue, JsObjectValue, Object, Uint8Array, Unknown};
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;
use port_secret_core::{self as core, Encryption};
use serde_json::Value;
use zeroize::Zeroize;

use crate::error::{range_error, type_error};

/// A type converted from JavaScript by safe code. [`from_js!`] turns it into napi's
/// `FromNapiValue`, so it can be an argument or an option field.
pub trait FromJs: Sized {
    /// Converts `value`, or says what was expected (a `TypeError` or `RangeError`).
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self>;
}

/// `FromNapiValue` for [`FromJs`] types. napi's conversion trait is `unsafe` to implement, so
/// this is the one place the crate allows `unsafe_code`: one call that wraps the value napi
/// passes in, then safe code.
macro_rules! from_js {
    ($($ty:ident $(<$lt:lifetime>)?),+ $(,)?) => {$(
        #[allow(unsafe_code)]
        impl$(<$lt>)? FromNapiValue for $ty$(<$lt>)? {
            unsafe fn from_napi_value(
                env: napi::sys::napi_env,
                value: napi::sys::napi_value,
            ) -> napi::Result<Self> {
                // SAFETY: napi calls this with a live value of `env`, which is what
                // `Unknown::from_napi_value` needs (it only wraps the handle).
                let value = unsafe { Unknown::from_napi_value(env, value) }?;
                <Self as FromJs>::from_js(&Env::from_raw(env), value)
            }
        }
    )+};
}
pub(crate) use from_js;

/// `Debug` that shows the type only: these hold secrets.
macro_rules! opaque_debug {
    ($($ty:ident),+) => {$(
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($ty), "(..)"))
            }
        }
    )+};
}
opaque_debug!(TextOrBytes, Text, Strings);

/// The JavaScript `typeof` of a value, for error messages (never the value itself).
fn type_of(value: &Unknown<'_>) -> &'static str {
    match value.get_type() {
        Ok(ValueType::Undefined) => "undefined",
        Ok(ValueType::Null) => "null",
        Ok(ValueType::Boolean) => "boolean",
        Ok(ValueType::Number) => "number",
        Ok(ValueType::String) => "string",
        Ok(ValueType::Symbol) => "symbol",
        Ok(ValueType::Function) => "function",
        Ok(ValueType::BigInt) => "bigint",
        _ => "object",
    }
}

/// `TypeError: expected <what>, got <typeof value>`.
fn wrong_type(env: &Env, expected: &str, value: &Unknown<'_>) -> napi::Error {
    type_error(env, &format!("expected {expected}, got {}", type_of(value)))
}

/// Text or bytes: a `string` (taken as UTF-8) or a `Buffer`/`Uint8Array` (its memory read in
/// place, not copied).
/// A string is wiped from the addon's memory once used (it may be a plaintext).
#[napi(transparent, object_to_js = false, object_from_js = false)]
pub struct TextOrBytes(Either<String, Uint8Array>);

impl FromJs for TextOrBytes {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        // `Either` checks each variant's type before converting it.
        Either::from_unknown(value)
            .map(TextOrBytes)
            .map_err(|_| wrong_type(env, "a string, Buffer or Uint8Array", &value))
    }
}

impl AsRef<[u8]> for TextOrBytes {
    fn as_ref(&self) -> &[u8] {
        match &self.0 {
            Either::A(text) => text.as_bytes(),
            Either::B(bytes) => bytes,
        }
    }
}

impl Drop for TextOrBytes {
    fn drop(&mut self) {
        if let Either::A(text) = &mut self.0 {
            text.zeroize();
        }
    }
}

/// A string: a client secret, a key PEM, a signature header. Wiped from the addon's memory once
/// used.
#[napi(transparent, object_to_js = false, object_from_js = false)]
pub struct Text(String);

impl FromJs for Text {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        if value.get_type()? != ValueType::String {
            return Err(wrong_type(env, "a string", &value));
        }
        String::from_unknown(value).map(Text)
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

// Signature headers reach core as bytes (core decides what non-UTF-8 means).
impl AsRef<[u8]> for Text {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// One string or several (a Decryptor's client secrets or private keys, tried in turn). `null`
/// is none.
#[napi(transparent, object_to_js = false, object_from_js = false)]
pub struct Strings(Either<String, Vec<String>>);

impl FromJs for Strings {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        let wrong = || wrong_type(env, "a string or an array of strings", &value);
        match value.get_type()? {
            ValueType::Null => Ok(Strings(Either::B(Vec::new()))),
            ValueType::String => Ok(Strings(Either::A(String::from_unknown(value)?))),
            ValueType::Object if value.is_array()? => {
                let array = Object::from_unknown(value)?;
                let mut items = Strings(Either::B(Vec::new()));
                for index in 0..array.get_array_length()? {
                    let item: Unknown<'_> = array.get_element(index)?;
                    if item.get_type()? != ValueType::String {
                        return Err(wrong());
                    }
                    if let Either::B(list) = &mut items.0 {
                        list.push(String::from_unknown(item)?);
                    }
                }
                Ok(items)
            }
            _ => Err(wrong()),
        }
    }
}

impl Strings {
    /// The strings, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let items = match &self.0 {
            Either::A(one) => std::slice::from_ref(one),
            Either::B(many) => many.as_slice(),
        };
        items.iter().map(String::as_str)
    }
}

impl Drop for Strings {
    fn drop(&mut self) {
        match &mut self.0 {
            Either::A(one) => one.zeroize(),
            Either::B(many) => many.iter_mut().for_each(Zeroize::zeroize),
        }
    }
}

/// `Number.MAX_SAFE_INTEGER`: every integer up to it converts exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JavaScript number that is an integer within `±Number.MAX_SAFE_INTEGER`, or a RangeError.
fn safe_integer(env: &Env, value: Unknown<'_>, range: &str) -> napi::Result<i64> {
    if value.get_type()? != ValueType::Number {
        return Err(wrong_type(env, "a number", &value));
    }
    let number = f64::from_unknown(value)?;
    if number.fract() != 0.0 || !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&number) {
        return Err(range_error(env, &format!("expected {range}")));
    }
    // Exact: integral and within ±2^53.
    #[allow(clippy::cast_possible_truncation)]
    Ok(number as i64)
}

/// A webhook timestamp: the `x-port-timestamp` header string, or an integer number of seconds.
#[napi(transparent, object_to_js = false, object_from_js = false)]
#[derive(Debug)]
pub struct Timestamp(Either<String, i64>);

impl FromJs for Timestamp {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        match value.get_type()? {
            ValueType::String => Ok(Timestamp(Either::A(String::from_unknown(value)?))),
            ValueType::Number => safe_integer(env, value, "an integer timestamp")
                .map(|seconds| Timestamp(Either::B(seconds))),
            _ => Err(wrong_type(env, "a timestamp string or number", &value)),
        }
    }
}

impl Timestamp {
    /// The timestamp as the header spells it.
    pub fn text(&self) -> String {
        match &self.0 {
            Either::A(text) => text.clone(),
            Either::B(seconds) => seconds.to_string(),
        }
    }
}

/// An integer from 0 to `Number.MAX_SAFE_INTEGER` (seconds, bytes, a count).
#[napi(transparent, object_to_js = false, object_from_js = false)]
#[derive(Debug, Clone, Copy)]
pub struct NonNegativeInteger(i64);

impl FromJs for NonNegativeInteger {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        match safe_integer(env, value, "a non-negative integer")? {
            n if n >= 0 => Ok(NonNegativeInteger(n)),
            _ => Err(range_error(env, "expected a non-negative integer")),
        }
    }
}

impl NonNegativeInteger {
    /// The value.
    pub fn get(self) -> u64 {
        self.0.unsigned_abs()
    }

    /// The value as a `usize` (exact on 64-bit; saturated elsewhere, then refused by the core's
    /// limits as too large anyway).
    pub fn size(self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}

/// An integer within `±Number.MAX_SAFE_INTEGER` (a unix time in seconds).
#[napi(transparent, object_to_js = false, object_from_js = false)]
#[derive(Debug, Clone, Copy)]
pub struct Integer(i64);

impl FromJs for Integer {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        safe_integer(env, value, "an integer").map(Integer)
    }
}

impl Integer {
    /// The value.
    pub fn get(self) -> i64 {
        self.0
    }
}

/// A `boolean` option (TypeScript type given on its field).
#[derive(Debug, Clone, Copy)]
pub struct Flag(pub bool);

impl FromJs for Flag {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        if value.get_type()? != ValueType::Boolean {
            return Err(wrong_type(env, "a boolean", &value));
        }
        bool::from_unknown(value).map(Flag)
    }
}

/// An options object (the `T` of an argument typed `Options<T>`): anything but an object is a
/// `TypeError` (napi's own conversion would read the properties of a number or string).
#[derive(Debug)]
pub struct Options<T>(pub T);

impl<T: FromNapiValue> FromJs for Options<T> {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        if value.get_type()? != ValueType::Object {
            return Err(wrong_type(env, "an options object", &value));
        }
        T::from_unknown(value).map(Options)
    }
}

#[allow(unsafe_code)]
impl<T: FromNapiValue> FromNapiValue for Options<T> {
    unsafe fn from_napi_value(
        env: napi::sys::napi_env,
        value: napi::sys::napi_value,
    ) -> napi::Result<Self> {
        // SAFETY: as in `from_js!`: a live value of `env`, only wrapped.
        let value = unsafe { Unknown::from_napi_value(env, value) }?;
        <Self as FromJs>::from_js(&Env::from_raw(env), value)
    }
}

/// An input's `encryption`: a name (`"aes256-gcm"`, `"fernet"`, `"client-side"`), the JSON text
/// of one, or an object `{algorithm, key?}` as in the action definition; the core reads it
/// (`Encryption::from_json_str`, `Encryption::from_json`). Another JavaScript type is a
/// `TypeError`; what the core refuses (`unsupported_encryption`, or `malformed` for an object
/// too large) is kept here, so async calls can reject with it.
#[derive(Debug)]
pub struct EncryptionArg(pub core::Result<Encryption>);

impl FromJs for EncryptionArg {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        match value.get_type()? {
            ValueType::String => Ok(EncryptionArg(Encryption::from_json_str(
                &String::from_unknown(value)?,
            ))),
            ValueType::Object if !value.is_array()? => {
                let json = Json::from_js(env, value)?;
                Ok(EncryptionArg(
                    json.0.and_then(|json| Encryption::from_json(&json)),
                ))
            }
            _ => Err(wrong_type(
                env,
                "an encryption string or an object {algorithm, key}",
                &value,
            )),
        }
    }
}

/// Any JSON value (a run's `properties`, an action's `userInputs`), as `serde_json::Value`.
/// A value JSON cannot hold is a `TypeError`; one too large or deep is the core's `malformed`
/// (kept here, so async calls can reject with it). See [`walk`] for why napi's own conversions
/// are not used.
#[derive(Debug)]
pub struct Json(pub core::Result<Value>);

impl FromJs for Json {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        let mut budget = core::MAX_JSON_VALUES;
        match walk(value, 0, &mut budget) {
            Ok(json) => Ok(Json(Ok(json))),
            Err(Walk::TooBig) => Ok(Json(Err(core::Error::json_too_large()))),
            Err(Walk::NotJson) => Err(wrong_type(env, "a JSON-compatible value", &value)),
        }
    }
}

from_js!(
    TextOrBytes,
    Text,
    Strings,
    Timestamp,
    NonNegativeInteger,
    Integer,
    Flag
);
from_js!(EncryptionArg, Json);

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

/// One value at `depth` (the top is 0, as in the Python binding), spending `budget`: at most
/// 128 levels of nesting and 1 000 000 values, checked before anything is allocated for them.
/// Neither of napi's own conversions is safe here: its serde deserializer (`Env::from_js_value`)
/// recurses without a limit (a cyclic object overflowed the native stack), and its
/// `FromNapiValue` for `serde_json::Value` reserves `length` slots for an array first (a sparse
/// array of length 2^32 - 1 aborted the process on allocation). A value JSON cannot hold
/// (`undefined` in an array, a function, a symbol, a BigInt, NaN, a typed array or buffer) or a
/// getter that throws is `NotJson`.
fn walk(value: Unknown<'_>, depth: usize, budget: &mut usize) -> Result<Value, Walk> {
    use serde_json::{Map, Number};
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
            if !n.is_finite() {
                return Err(Walk::NotJson);
            }
            // Integers JavaScript holds exactly (|n| <= 2^53) stay integers, as JSON.parse made them.
            #[allow(clippy::cast_possible_truncation)]
            if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 {
                Value::from(n as i64)
            } else {
                // Any other number as JavaScript spells it (`0.1`, `1e+21`), which serde_json keeps
                // as is (`arbitrary_precision`): the value's JSON text is then `JSON.stringify`'s
                // (what a CI masks must match), and reads back as the same double.
                let text = value.coerce_to_string()?.into_utf8()?;
                Value::Number(
                    serde_json::from_str::<Number>(text.as_str()?).map_err(|_| Walk::NotJson)?,
                )
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
