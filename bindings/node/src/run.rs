//! The run: `Decryptor.openWebhook` / `openKafkaMessage` (and their `*Async` forms), one call
//! into core per delivery. This module converts their arguments (headers in the forms Node code
//! has them, the options object) and hands the opened run back to JavaScript as
//! `JSON.parse` makes it.

use std::sync::Arc;

use napi::bindgen_prelude::{FromNapiValue, Function, JsObjectValue, Object, Unknown};
use napi::{Env, JsValue, Task, ValueType};
use napi_derive::napi;
use port_secret_core::{self as core, RunOptions};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::convert::{
    Flag, FromJs, Integer, Json, NonNegativeInteger, Options, Text, TextOrBytes, from_js,
};
use crate::error::{port_error, type_error};

/// Options of `openWebhook` / `openKafkaMessage` (every one optional; the defaults are what Port
/// sends).
#[napi(object, js_name = "RunOptions", object_to_js = false)]
#[derive(Debug)]
pub struct RunOptionsJs {
    /// How the webhook was signed: `"port"` (default: Port's own webhook, HMAC over the raw
    /// body) or `"agent"` (forwarded by port-agent: HMAC over the compact JSON of the body).
    /// Ignored for Kafka messages.
    #[napi(ts_type = "'port' | 'agent'")]
    pub delivery: Option<Text>,
    /// Check the signature and timestamp (default `true`). Turn off only behind something that
    /// checked them.
    #[napi(ts_type = "boolean")]
    pub verify_signature: Option<Flag>,
    /// Largest accepted distance between the timestamp and now, in seconds (default 300).
    pub tolerance: Option<NonNegativeInteger>,
    /// The action's input definitions: its `userInputs` (with `properties`), that `properties`
    /// map, or an array of the secret inputs' names (each then uses `defaultEncryption`).
    /// Default (or `null`): from the body at `userInputsPointer`, else the names in the body's
    /// `censoredProperties` / `encryptedProperties`.
    #[napi(ts_type = "Record<string, unknown> | readonly string[] | null")]
    pub user_inputs: Option<Json>,
    /// JSON pointer (RFC 6901) to the definitions in the body (default
    /// `"/payload/action/userInputs"`).
    pub user_inputs_pointer: Option<Text>,
    /// JSON pointer to the inputs' values in the body (default `"/payload/properties"`; `""`:
    /// the whole body).
    pub properties_pointer: Option<Text>,
    /// The `encryption` of inputs known only by name (default `"aes256-gcm"`).
    #[napi(ts_type = "string | EncryptionSpec")]
    pub default_encryption: Option<Json>,
    /// Largest accepted delivery, in bytes (default 1 MiB): larger is `ERR_PORT_SECRET_MALFORMED`.
    pub max_body: Option<NonNegativeInteger>,
    /// Most client-side inputs one run may carry (default 64).
    pub max_client_side_inputs: Option<NonNegativeInteger>,
    /// The current time in unix seconds, for tests and replays (default: the clock).
    pub now: Option<Integer>,
}

/// The options as the core takes them. A wrong type threw already (a `TypeError` from the
/// field's conversion, or here for the unions the field types do not check); the inner error is
/// the core's (`malformed` for a `userInputs` too large to convert), so async calls reject with
/// it. A pointer that is not a JSON pointer is the core's `malformed`, from the call itself.
pub fn run_options(
    env: &Env,
    options: Option<Options<RunOptionsJs>>,
) -> napi::Result<core::Result<RunOptions>> {
    let mut run = RunOptions::default();
    let Some(Options(js)) = options else {
        return Ok(Ok(run));
    };
    if let Some(delivery) = &js.delivery {
        run.delivery = delivery
            .parse()
            .map_err(|_| type_error(env, "delivery must be \"port\" or \"agent\""))?;
    }
    if let Some(Flag(verify)) = js.verify_signature {
        run.verify_signature = verify;
    }
    if let Some(tolerance) = js.tolerance {
        run.tolerance_secs = tolerance.get();
    }
    if let Some(pointer) = &js.user_inputs_pointer {
        run.user_inputs_pointer = pointer.to_string();
    }
    if let Some(pointer) = &js.properties_pointer {
        run.properties_pointer = pointer.to_string();
    }
    if let Some(max) = js.max_body {
        run.max_body = max.size();
    }
    if let Some(max) = js.max_client_side_inputs {
        run.max_client_side_inputs = max.size();
    }
    run.now = js.now.map(Integer::get);

    let mut inner: core::Result<()> = Ok(());
    match js.user_inputs.map(|json| json.0) {
        None | Some(Ok(Value::Null)) => {}
        Some(Ok(json @ (Value::Object(_) | Value::Array(_)))) => run.user_inputs = Some(json),
        Some(Ok(_)) => {
            return Err(type_error(
                env,
                "userInputs must be the action's userInputs object or an array of input names",
            ));
        }
        Some(Err(error)) => inner = Err(error),
    }
    match js.default_encryption.map(|json| json.0) {
        None | Some(Ok(Value::Null)) => {}
        Some(Ok(json @ (Value::String(_) | Value::Object(_)))) => run.default_encryption = json,
        Some(Ok(_)) => {
            return Err(type_error(
                env,
                "defaultEncryption must be a string or an object {algorithm, key}",
            ));
        }
        Some(Err(error)) => inner = inner.and(Err(error)),
    }
    Ok(inner.map(|()| run))
}

/// A request's headers, owned: `(name, value bytes)` in order. From JavaScript: a plain object
/// (Node's `req.headers`: a value is a string or an array of strings, `undefined` skipped), any
/// iterable of `[name, value]` pairs (an array of pairs, a WHATWG `Headers`, a `Map`), or
/// `undefined`/`null` (none). Names in any case.
#[derive(Debug, Default)]
pub struct Headers(Vec<(String, Vec<u8>)>);

impl Headers {
    /// The headers as the core takes them.
    pub fn borrowed(&self) -> Vec<(&str, &[u8])> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_slice()))
            .collect()
    }
}

const HEADERS: &str = "headers must be an object of header values (req.headers), a Headers object or an array of [name, value] pairs";
const HEADER_VALUE: &str =
    "a header value must be a string, a Buffer or Uint8Array (or, in an object, an array of them)";

impl FromJs for Headers {
    fn from_js(env: &Env, value: Unknown<'_>) -> napi::Result<Self> {
        let mut out = Headers::default();
        match value.get_type()? {
            ValueType::Undefined | ValueType::Null => {}
            ValueType::Object if value.is_array()? => {
                pairs(env, Object::from_unknown(value)?, &mut out)?;
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
                                    out.0.push((name.clone(), one));
                                }
                            }
                            _ => out.0.push((name, header_value(env, item)?)),
                        }
                    }
                }
            }
            _ => return Err(type_error(env, HEADERS)),
        }
        Ok(out)
    }
}

from_js!(Headers);

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
        out.0.push((name, header_value(env, pair.get_element(1)?)?));
    }
    Ok(())
}

fn header_value(env: &Env, value: Unknown<'_>) -> napi::Result<Vec<u8>> {
    TextOrBytes::from_js(env, value)
        .map(|value| value.as_ref().to_vec())
        .map_err(|_| type_error(env, HEADER_VALUE))
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
                .open_webhook(&self.body, &headers.borrowed(), options),
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
