//! Errors crossing into JavaScript: every core error becomes a `PortSecretError`, every wrong
//! argument type a `TypeError`, every out-of-range number a `RangeError`.
//!
//! `PortSecretError` is a JavaScript class (`class PortSecretError extends Error`, in the
//! package's `index.js`). `index.js` hands it to [`set_error_class`] once when it loads; from then
//! on [`port_error`] constructs instances of it here, so sync calls throw it and async ones reject
//! with it, with no JavaScript wrapper around each function. Without a registered class (the
//! generated `binding.js` loaded on its own) the error is a plain `Error` with the same `code`,
//! `message` and `input`.

use napi::bindgen_prelude::{FnArgs, FromNapiValue, Function, JsObjectValue, Object, Unknown};
use napi::{Env, Error, JsError, JsRangeError, JsTypeError, JsValue};
use napi_derive::napi;

/// The arguments of the `PortSecretError` constructor: `(message, code, input)`.
type ErrorArgs = FnArgs<(String, String, Option<String>)>;

/// The registered `PortSecretError` class of one Node.js environment (main thread or worker).
struct ErrorClass(napi::bindgen_prelude::FunctionRef<ErrorArgs, ()>);

/// Registers the JavaScript class thrown for every port-secret error, as
/// `new ErrorClass(message, code, input)`. Called once by the package's `index.js`; not part of
/// the public API.
#[napi(
    js_name = "setErrorClass",
    ts_args_type = "errorClass: new (message: string, code: string, input?: string | null) => Error"
)]
pub fn set_error_class(env: Env, error_class: Unknown<'_>) -> napi::Result<()> {
    if error_class.get_type()? != napi::ValueType::Function {
        return Err(type_error(&env, "errorClass must be a class"));
    }
    let function: Function<'_, ErrorArgs, ()> = Function::from_unknown(error_class)?;
    env.set_instance_data(ErrorClass(function.create_ref()?), (), |_| {})
}

/// The JavaScript `err.code` of a core error: `ERR_PORT_SECRET_` and the code in upper case.
pub fn js_code(error: &port_secret_core::Error) -> String {
    format!("ERR_PORT_SECRET_{}", error.code().to_ascii_uppercase())
}

/// Converts a core error into the JavaScript error to throw. The one place core errors are
/// mapped: the message is the core's `Display` (code, fixed reason, input name), which never
/// holds a secret.
pub fn port_error(env: &Env, error: &port_secret_core::Error) -> Error {
    let message = error.to_string();
    let code = js_code(error);
    let input = error.input().map(str::to_owned);
    if let Some(value) = construct_registered(env, &message, &code, input.clone()) {
        return Error::from_unknown_without_coercion(value);
    }
    // No class registered: a plain `Error` carrying the same fields.
    let plain = JsError::from(Error::new(code, message)).into_unknown(*env);
    if let Some(name) = input
        && let Ok(mut object) = Object::from_unknown(plain)
    {
        let _ = object.set_named_property("input", name);
    }
    Error::from_unknown_without_coercion(plain)
}

fn construct_registered<'env>(
    env: &'env Env,
    message: &str,
    code: &str,
    input: Option<String>,
) -> Option<Unknown<'env>> {
    let class = env.get_instance_data::<ErrorClass>().ok().flatten()?;
    let constructor = class.0.borrow_back(env).ok()?;
    let args = (message.to_owned(), code.to_owned(), input);
    let value = constructor.new_instance(args.into()).ok()?;
    value.is_error().ok()?.then_some(value)
}

/// A `TypeError` (`code` `ERR_INVALID_ARG_TYPE`, as Node's own) with a fixed message naming the
/// argument, never its value.
pub fn type_error(env: &Env, message: &str) -> Error {
    let error = JsTypeError::from(Error::new("ERR_INVALID_ARG_TYPE", message.to_owned()));
    Error::from_unknown_without_coercion(error.into_unknown(*env))
}

/// A `RangeError` (`code` `ERR_OUT_OF_RANGE`) for a number out of its allowed range.
pub fn range_error(env: &Env, message: &str) -> Error {
    let error = JsRangeError::from(Error::new("ERR_OUT_OF_RANGE", message.to_owned()));
    Error::from_unknown_without_coercion(error.into_unknown(*env))
}

/// Maps a core result, converting its error with [`port_error`].
pub fn check<T>(env: &Env, result: port_secret_core::Result<T>) -> napi::Result<T> {
    result.map_err(|e| port_error(env, &e))
}
