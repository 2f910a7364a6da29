//! The run: `Decryptor.openWebhook` / `openKafkaMessage` (and their `*Async` forms), one call
//! into core per delivery. This module converts their arguments (headers in the forms Node code
//! has them, the options object) and hands the opened run back to JavaScript as
//! `JSON.parse` makes it.

use std::sync::Arc;

use napi::bindgen_prelude::{
    FromNapiValue, Function, JsObjectValue, Object, Uint8ArraySlice, Unknown,
};
use napi::{Env, JsValue, Task, ValueType};
use napi_derive::napi;
use port_secret_core::{self as core, RunOptions};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::convert::{json_value, option_i64, option_u64, options};
use crate::error::{port_error, range_error, type_error};

/// Options of `openWebhook` / `openKafkaMessage` (every one optional; the defaults are what Port
/// sends).
#[napi(
    object,
    js_name = "RunOptions",
    object_to_js = false,
    object_from_js = false
)]
#[derive(Debug)]
pub struct RunOptionsJs {
    /// How the webhook was signed: `"port"` (default: Port's own webhook, HMAC over the raw
    /// body) or `"agent"` (forwarded by port-agent: HMAC over the compact JSON of the body).
    /// Ignored for Kafka messages.
    #[napi(ts_type = "'port' | 'agent'")]
    pub delivery: Option<String>,
    /// Check the signature and timestamp (default `true`). Turn off only behind something that
    /// checked them.
    pub verify_signature: Option<bool>,
    /// Largest accepted distance between the timestamp and now, in seconds (default 300).
    pub tolerance: Option<u32>,
    /// The action's input definitions: its `userInputs` (with `properties`), that `properties`
    /// map, or an array of the secret inputs' names (each then uses `defaultEncryption`).
    /// Default: from the body at `userInputsPointer`, else the names in the body's
    /// `censoredProperties` / `encryptedProperties`.
    #[napi(ts_type = "Record<string, unknown> | readonly string[] | null")]
    pub user_inputs: Option<String>,
    /// JSON pointer (RFC 6901) to the definitions in the body (default
    /// `"/payload/action/userInputs"`).
    pub user_inputs_pointer: Option<String>,
    /// JSON pointer to the inputs' values in the body (default `"/payload/properties"`; `""`:
    /// the whole body).
    pub properties_pointer: Option<String>,
    /// The `encryption` of inputs known only by name (default `"aes256-gcm"`).
    #[napi(ts_type = "string | EncryptionSpec")]
    pub default_encryption: Option<String>,
    /// Largest accepted delivery, in bytes (default 1 MiB): larger is `ERR_PORT_SECRET_MALFORMED`.
    pub max_body: Option<u32>,
    /// Most client-side inputs one run may carry (default 64).
    pub max_client_side_inputs: Option<u32>,
    /// The current time in unix seconds, for tests and replays (default: the clock).
    pub now: Option<i64>,
}

/// A request's headers, owned: `(name, value bytes)` in order.
pub type Headers = Vec<(String, Vec<u8>)>;

/// The headers as the core takes them.
pub fn borrowed(headers: &Headers) -> Vec<(&str, &[u8])> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_slice()))
        .collect()
}

const HEADERS: &str = "headers must be an object of header values (req.headers), a Headers object or an array of [name, value] pairs";
const HEADER_VALUE: &str =
    "a header value must be a string, a Buffer or Uint8Array (or, in an object, an array of them)";

/// The `headers` argument: a plain object (Node's `req.headers`: a value is a string or an
/// array of strings, `undefined` skipped), any iterable of `[name, value]` pairs (an array of
/// pairs, a WHATWG `Headers`, a `Map`), or `undefined`/`null` (none). Names in any case.
pub fn headers(env: &Env, value: Unknown<'_>) -> napi::Result<Headers> {
    let mut out = Headers::new();
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => {}
        ValueType::Object if value.is_array()? => {
            pairs(env, Object::from_unknown(value)?, &mut out)?
        }
        ValueType::Object => {
            let object = Object::from_unknown(value)?;
            let global = env.get_global()?;
            // `Symbol` and `Array` are functions: read them as objects, unchecked.
            let symbol: Object<'_> = global.get_named_property_unchecked("Symbol")?;
            let iterator: Unknown<'_> = symbol.get_named_property("iterator")?;
            let method: Unknown<'_> = object.get_property(iterator)?;
            if method.get_type()? == ValueType::Function {
                // A Headers object, a Map, any iterable of pairs: Array.from gives the pairs.
                let array: Object<'_> = global.get_named_property_unchecked("Array")?;
                let from: Function<'_, Unknown<'_>, Unknown<'_>> =
                    array.get_named_property("from")?;
                let list = from.apply(array, value)?;
                if !list.is_array()? {
                    return Err(type_error(env, HEADERS));
                }
                pairs(env, Object::from_unknown(list)?, &mut out)?;
            } else {
                let names = object.get_property_names()?;
                for i in 0..names.get_array_length()? {
                    let name = names.get_element::<String>(i)?;
                    let item: Unknown<'_> = object.get_named_property(&name)?;
                    match item.get_type()? {
                        ValueType::Undefined => {}
                        ValueType::Object if item.is_array()? => {
                            let items = Object::from_unknown(item)?;
                            for j in 0..items.get_array_length()? {
                                let one = header_value(env, items.get_element::<Unknown>(j)?)?;
                                out.push((name.clone(), one));
                            }
                        }
                        _ => out.push((name, header_value(env, item)?)),
                    }
                }
            }
        }
        _ => return Err(type_error(env, HEADERS)),
    }
    Ok(out)
}

/// An array of `[name, value]` pairs.
fn pairs(env: &Env, array: Object<'_>, out: &mut Headers) -> napi::Result<()> {
    let wrong = || {
        type_error(
            env,
            "headers: each pair must be an array [name, value], the name a string",
        )
    };
    for i in 0..array.get_array_length()? {
        let pair: Unknown<'_> = array.get_element(i)?;
        if pair.get_type()? != ValueType::Object || !pair.is_array()? {
            return Err(wrong());
        }
        let pair = Object::from_unknown(pair)?;
        if pair.get_array_length()? != 2 {
            return Err(wrong());
        }
        let name: Unknown<'_> = pair.get_element(0)?;
        if name.get_type()? != ValueType::String {
            return Err(wrong());
        }
        let name = String::from_unknown(name)?;
        out.push((name, header_value(env, pair.get_element(1)?)?));
    }
    Ok(())
}

fn header_value(env: &Env, value: Unknown<'_>) -> napi::Result<Vec<u8>> {
    match value.get_type()? {
        ValueType::String => Ok(String::from_unknown(value)?.into_bytes()),
        ValueType::Object if value.is_typedarray()? => Uint8ArraySlice::from_unknown(value)
            .map(|bytes| bytes.to_vec())
            .map_err(|_| type_error(env, HEADER_VALUE)),
        _ => Err(type_error(env, HEADER_VALUE)),
    }
}

/// The `options` argument. A wrong type is a `TypeError` (a number out of range a
/// `RangeError`), thrown at the call; the inner error is the core's (`malformed` for a
/// `userInputs` too large to convert), so async calls reject with it. A pointer that is not a
/// JSON pointer is the core's `malformed`, from the call itself.
pub fn run_options(env: &Env, value: Unknown<'_>) -> napi::Result<core::Result<RunOptions>> {
    let mut run = RunOptions::default();
    let Some(object) = options(env, value, "options")? else {
        return Ok(Ok(run));
    };
    let get = |key: &str| present(&object, key);
    let text = |key: &str, value: Unknown<'_>| -> napi::Result<String> {
        if value.get_type()? != ValueType::String {
            return Err(type_error(env, &format!("{key} must be a string")));
        }
        String::from_unknown(value)
    };

    if let Some(delivery) = get("delivery")? {
        let wrong = || type_error(env, "delivery must be \"port\" or \"agent\"");
        if delivery.get_type()? != ValueType::String {
            return Err(wrong());
        }
        run.delivery = String::from_unknown(delivery)?
            .parse()
            .map_err(|_| wrong())?;
    }
    if let Some(verify) = get("verifySignature")? {
        if verify.get_type()? != ValueType::Boolean {
            return Err(type_error(env, "verifySignature must be a boolean"));
        }
        run.verify_signature = bool::from_unknown(verify)?;
    }
    if let Some(tolerance) = option_u64(env, Some(&object), "tolerance")? {
        run.tolerance_secs = tolerance;
    }
    if let Some(pointer) = get("userInputsPointer")? {
        run.user_inputs_pointer = text("userInputsPointer", pointer)?;
    }
    if let Some(pointer) = get("propertiesPointer")? {
        run.properties_pointer = text("propertiesPointer", pointer)?;
    }
    for (key, slot) in [
        ("maxBody", &mut run.max_body),
        ("maxClientSideInputs", &mut run.max_client_side_inputs),
    ] {
        if let Some(max) = option_u64(env, Some(&object), key)? {
            *slot = usize::try_from(max)
                .map_err(|_| range_error(env, &format!("{key} is too large")))?;
        }
    }
    run.now = option_i64(env, Some(&object), "now")?;

    let mut inner: core::Result<()> = Ok(());
    if let Some(user_inputs) = get("userInputs")? {
        if user_inputs.get_type()? != ValueType::Object {
            return Err(type_error(
                env,
                "userInputs must be the action's userInputs object or an array of input names",
            ));
        }
        let json = json_value(
            env,
            user_inputs,
            "userInputs must be a JSON-compatible object or array",
        )?;
        match json {
            Ok(json) => run.user_inputs = Some(json),
            Err(error) => inner = Err(error),
        }
    }
    if let Some(encryption) = get("defaultEncryption")? {
        match encryption.get_type()? {
            ValueType::String => {
                run.default_encryption = Value::String(String::from_unknown(encryption)?);
            }
            ValueType::Object if !encryption.is_array()? => {
                let json = json_value(
                    env,
                    encryption,
                    "defaultEncryption must be a JSON-compatible object",
                )?;
                match json {
                    Ok(json) => run.default_encryption = json,
                    Err(error) => inner = inner.and(Err(error)),
                }
            }
            _ => {
                return Err(type_error(
                    env,
                    "defaultEncryption must be a string or an object {algorithm, key}",
                ));
            }
        }
    }
    Ok(inner.map(|()| run))
}

/// `object[key]`, `None` when `undefined` or `null`.
fn present<'env>(object: &Object<'env>, key: &str) -> napi::Result<Option<Unknown<'env>>> {
    let value: Unknown<'env> = object.get_named_property(key)?;
    Ok(match value.get_type()? {
        ValueType::Undefined | ValueType::Null => None,
        _ => Some(value),
    })
}

/// A JSON value as JavaScript, with `JSON.parse` semantics: the value's compact JSON text,
/// parsed by the engine's own `JSON.parse`. Exact for every number JSON can spell (a double, as
/// `JSON.parse` makes it), and a `"__proto__"` key stays an own property.
/// The value's strings are wiped once the text is made, and the text once it is parsed: the
/// decrypted values leave no copy behind in the addon's freed memory (the engine's own strings
/// are out of reach).
pub fn to_js(env: &Env, mut value: Value) -> napi::Result<Unknown<'static>> {
    let text = core::json_text(&value);
    core::wipe_json(&mut value);
    parse_json(env, utf8(&text)?)
}

fn utf8(text: &[u8]) -> napi::Result<&str> {
    std::str::from_utf8(text)
        .map_err(|_| napi::Error::from_reason("a JSON value could not be written"))
}

/// `JSON.parse(text)`.
pub fn parse_json(env: &Env, text: &str) -> napi::Result<Unknown<'static>> {
    let json: Object<'static> = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<'static, &str, Unknown<'static>> = json.get_named_property("parse")?;
    parse.apply(json, text)
}

/// `Decryptor.openWebhookAsync` / `openKafkaMessageAsync`'s work: the whole core call, then the
/// run's JSON text, on the libuv thread pool.
pub struct OpenRunTask {
    pub(crate) decryptor: Arc<core::Decryptor>,
    pub(crate) body: Vec<u8>,
    /// The request's headers; `None`: a Kafka message.
    pub(crate) headers: Option<Headers>,
    pub(crate) options: core::Result<RunOptions>,
}

impl std::fmt::Debug for OpenRunTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenRunTask")
            .field("decryptor", &self.decryptor)
            .field("kafka", &self.headers.is_none())
            .finish_non_exhaustive()
    }
}

impl Task for OpenRunTask {
    type Output = core::Result<Zeroizing<Vec<u8>>>;
    type JsValue = Unknown<'static>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let options = match &self.options {
            Ok(options) => options,
            Err(error) => return Ok(Err(error.clone())),
        };
        let run = match &self.headers {
            Some(headers) => self
                .decryptor
                .open_webhook(&self.body, &borrowed(headers), options),
            None => self.decryptor.open_kafka_message(&self.body, options),
        };
        Ok(run.map(|mut run| {
            let text = core::json_text(&run);
            core::wipe_json(&mut run);
            text
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Unknown<'static>> {
        match output {
            Ok(text) => parse_json(&env, utf8(&text)?),
            Err(error) => Err(port_error(&env, &error)),
        }
    }
}
