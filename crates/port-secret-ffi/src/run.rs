//! The run: one Port delivery (a webhook or a Kafka message) verified, parsed and decrypted in
//! one call, returned as JSON text.

use core::ffi::c_char;
use core::ptr;

use port_secret_core::{
    DEFAULT_MAX_BODY, DEFAULT_MAX_CLIENT_SIDE_INPUTS, DEFAULT_PROPERTIES_POINTER,
    DEFAULT_TOLERANCE_SECS, DEFAULT_USER_INPUTS_POINTER, Decryptor, Delivery, RunOptions,
};
use serde_json::Value;

use crate::args::{c_headers, c_optional_str, c_out, c_slice};
use crate::buffer::PortSecretBuffer;
use crate::decryptor::{PortSecretDecryptor, decryptor, parse_json, set_json};
use crate::status::{FfiResult, PortSecretStatus, boundary, boundary_or};

/// How an HTTP webhook was signed (the `delivery` field of `PortSecretRunOptions`).
///
/// The numbers are part of the ABI. In C this type is a `uint32_t`; the options field holding
/// it is a plain `uint32_t`, and any other number there is `PORT_SECRET_INVALID_ARGUMENT`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum PortSecretDelivery {
    /// Port's own webhook: HMAC over the raw body bytes (the default).
    PORT_SECRET_DELIVERY_PORT = 0,
    /// A webhook forwarded by port-agent: HMAC over Python's compact JSON of the parsed body.
    PORT_SECRET_DELIVERY_AGENT = 1,
}

/// How to open a run. Start from `port_secret_run_options_default()` and change only what
/// differs, so that code written for this version keeps its meaning if fields are added.
///
/// Every string is borrowed for the duration of the call only, and must be UTF-8
/// (`PORT_SECRET_INVALID_ARGUMENT` otherwise).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PortSecretRunOptions {
    /// `PORT_SECRET_DELIVERY_PORT` (default) or `PORT_SECRET_DELIVERY_AGENT`: how a webhook was
    /// signed. Ignored by `port_secret_decryptor_open_kafka_message` (but still checked).
    pub delivery: u32,
    /// Check the signature and the timestamp (default true). Turn it off only behind something
    /// that checked them.
    pub verify_signature: bool,
    /// Largest accepted distance between the timestamp and now, in seconds (default
    /// `PORT_SECRET_DEFAULT_TOLERANCE_SECONDS`; 0 accepts only the current second).
    pub tolerance_seconds: u64,
    /// The action's input definitions as JSON text: its `userInputs` (with `properties`), that
    /// `properties` map, or an array of the secret inputs' names. NULL (default): from the body
    /// at `user_inputs_pointer`, else the names in the body's `censoredProperties` /
    /// `encryptedProperties`. Text that is not JSON is `PORT_SECRET_INVALID_JSON`.
    pub user_inputs_json: *const c_char,
    /// JSON pointer (RFC 6901) to the definitions in the body. NULL (default):
    /// `"/payload/action/userInputs"`.
    pub user_inputs_pointer: *const c_char,
    /// JSON pointer to the inputs' values in the body. NULL (default): `"/payload/properties"`.
    pub properties_pointer: *const c_char,
    /// The `encryption` of inputs known only by name, as JSON text (`"\"fernet\""`,
    /// `{"algorithm":"client-side"}`) or a bare name (`fernet`); checked per input like any
    /// definition's. NULL (default): `aes256-gcm`.
    pub default_encryption_json: *const c_char,
    /// Largest accepted delivery, in bytes; larger is `PORT_SECRET_MALFORMED`. 0: the default,
    /// `PORT_SECRET_DEFAULT_MAX_BODY`.
    pub max_body: usize,
    /// Most client-side inputs (with a value) one run may carry; more is
    /// `PORT_SECRET_MALFORMED`. 0: the default, `PORT_SECRET_DEFAULT_MAX_CLIENT_SIDE_INPUTS`.
    pub max_client_side_inputs: usize,
    /// Use `now` (unix seconds) as the current time instead of the system clock: for replaying
    /// stored deliveries and for tests (default false).
    pub has_now: bool,
    /// The current time when `has_now` is true.
    pub now: i64,
}

impl PortSecretRunOptions {
    /// The defaults: what Port sends, signatures checked.
    const DEFAULT: PortSecretRunOptions = PortSecretRunOptions {
        delivery: PortSecretDelivery::PORT_SECRET_DELIVERY_PORT as u32,
        verify_signature: true,
        tolerance_seconds: DEFAULT_TOLERANCE_SECS,
        user_inputs_json: ptr::null(),
        user_inputs_pointer: ptr::null(),
        properties_pointer: ptr::null(),
        default_encryption_json: ptr::null(),
        max_body: DEFAULT_MAX_BODY,
        max_client_side_inputs: DEFAULT_MAX_CLIENT_SIDE_INPUTS,
        has_now: false,
        now: 0,
    };

    /// The core's options for these C options.
    ///
    /// # Safety
    /// Every string field is NULL or a NUL-terminated string valid for reads.
    #[allow(unsafe_code)]
    unsafe fn to_core(self) -> FfiResult<RunOptions> {
        let delivery = match self.delivery {
            d if d == PortSecretDelivery::PORT_SECRET_DELIVERY_PORT as u32 => Delivery::Port,
            d if d == PortSecretDelivery::PORT_SECRET_DELIVERY_AGENT as u32 => Delivery::Agent,
            _ => return Err(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT),
        };
        // SAFETY: NULL or NUL-terminated strings (this function's contract).
        let (user_inputs, user_inputs_pointer, properties_pointer, default_encryption) = unsafe {
            (
                c_optional_str(self.user_inputs_json)?,
                c_optional_str(self.user_inputs_pointer)?,
                c_optional_str(self.properties_pointer)?,
                c_optional_str(self.default_encryption_json)?,
            )
        };
        let mut options = RunOptions {
            delivery,
            verify_signature: self.verify_signature,
            tolerance_secs: self.tolerance_seconds,
            user_inputs: user_inputs.map(parse_json).transpose()?,
            user_inputs_pointer: user_inputs_pointer
                .unwrap_or(DEFAULT_USER_INPUTS_POINTER)
                .to_owned(),
            properties_pointer: properties_pointer
                .unwrap_or(DEFAULT_PROPERTIES_POINTER)
                .to_owned(),
            now: self.has_now.then_some(self.now),
            ..RunOptions::default()
        };
        if let Some(text) = default_encryption {
            options.default_encryption = encryption_value(text);
        }
        if self.max_body != 0 {
            options.max_body = self.max_body;
        }
        if self.max_client_side_inputs != 0 {
            options.max_client_side_inputs = self.max_client_side_inputs;
        }
        Ok(options)
    }
}

/// An `encryption` given as text, the way the other functions take one: JSON text (a string or
/// an object) or a bare name. Anything else stays a string, which the core then rejects per
/// input as `unsupported_encryption`, in the order of the run's steps.
fn encryption_value(text: &str) -> Value {
    let trimmed = text.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('"'))
        && let Ok(value) = serde_json::from_str(text)
    {
        return value;
    }
    Value::String(text.to_owned())
}

/// One HTTP request header: `name` a NUL-terminated string (any case), `value` its raw bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PortSecretHeader {
    /// The header name, e.g. `"X-Port-Signature"`; NULL is `PORT_SECRET_INVALID_ARGUMENT`. A
    /// name that is not UTF-8 cannot be one of Port's and is ignored.
    pub name: *const c_char,
    /// The value's bytes (not NUL-terminated); NULL only when `value_len` is 0.
    pub value: *const u8,
    /// Number of bytes at `value`.
    pub value_len: usize,
}

/// The options Port's deliveries need: delivery `PORT_SECRET_DELIVERY_PORT`, signature checked
/// with `PORT_SECRET_DEFAULT_TOLERANCE_SECONDS` of tolerance, definitions and properties where
/// Port puts them, `aes256-gcm` for inputs known only by name, the default caps, the system
/// clock.
///
/// Thread safety: any thread, any time.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn port_secret_run_options_default() -> PortSecretRunOptions {
    boundary_or(PortSecretRunOptions::DEFAULT, || {
        PortSecretRunOptions::DEFAULT
    })
}

/// The options behind a pointer: NULL for the defaults.
///
/// # Safety
/// `p` is NULL or points to a valid `PortSecretRunOptions` whose strings are NULL or
/// NUL-terminated.
#[allow(unsafe_code)]
unsafe fn run_options(p: *const PortSecretRunOptions) -> FfiResult<RunOptions> {
    // SAFETY: NULL or valid for reads (contract).
    match unsafe { p.as_ref() } {
        None => Ok(RunOptions::default()),
        // SAFETY: the strings are NULL or NUL-terminated (contract).
        Some(options) => unsafe { (*options).to_core() },
    }
}

/// The shared part of the two open functions: outputs cleared and checked, the decryptor, the
/// options; then `open` runs, and its result goes to `out_json` or its input name to
/// `error_input`, as `port_secret_decryptor_decrypt_properties` does.
///
/// # Safety
/// `out_json` and `error_input` are NULL or valid buffers; `d` is NULL or a live decryptor;
/// `options` as for [`run_options`].
#[allow(unsafe_code)]
unsafe fn open_run(
    d: *const PortSecretDecryptor,
    options: *const PortSecretRunOptions,
    out_json: *mut PortSecretBuffer,
    error_input: *mut PortSecretBuffer,
    open: impl FnOnce(&Decryptor, &RunOptions) -> FfiResult<port_secret_core::Result<Value>>,
) -> PortSecretStatus {
    boundary(|| {
        if out_json == error_input {
            return Err(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT);
        }
        // SAFETY: `error_input` is NULL or valid, and distinct from `out_json` (checked above).
        let mut error_input = unsafe { error_input.as_mut() };
        if let Some(slot) = error_input.as_deref_mut() {
            *slot = PortSecretBuffer::EMPTY;
        }
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (out, d, options) = unsafe { (c_out(out_json)?, decryptor(d)?, run_options(options)?) };
        match open(d, &options)? {
            Ok(run) => set_json(out, run),
            Err(e) => {
                if let (Some(slot), Some(name)) = (error_input, e.input()) {
                    slot.set(name.as_bytes());
                }
                Err(e.into())
            }
        }
    })
}

/// Opens a run delivered as an HTTP webhook, in one call: size cap, signature and timestamp
/// (per `options->delivery`, from the `x-port-signature` / `x-port-timestamp` headers, names in
/// any case), JSON parse, the secret inputs located and decrypted in place. `out_json` receives
/// the whole parsed body with every secret input decrypted (`type: object` inputs parsed, the
/// others strings), as compact JSON text (UTF-8, no spaces, numbers spelled as in the body).
///
/// `body` is the raw request body, exactly as received (Port signs those bytes). `headers` is
/// the request's headers, `headers_len` of them (NULL when 0); a name may repeat. `options`
/// NULL means `port_secret_run_options_default()`.
///
/// `error_input` may be NULL. Otherwise it is emptied, and when one input fails to decrypt it
/// receives that input's name (never its value), e.g. for a `{"error": ..., "input": ...}`
/// reply; other errors name no input and leave it empty.
///
/// Returns `PORT_SECRET_OK`, `PORT_SECRET_INVALID_SIGNATURE` (missing, wrong, or a timestamp
/// that is not an integer), `PORT_SECRET_EXPIRED` (outside the tolerance),
/// `PORT_SECRET_INVALID_JSON` (the body, or `options->user_inputs_json`),
/// `PORT_SECRET_MALFORMED` (over `max_body`, no properties or definitions, too many
/// client-side inputs), any decryption error of an input, or `PORT_SECRET_INVALID_ARGUMENT`
/// (NULL pointers, a NULL header name, a string option that is not UTF-8, an unknown
/// `delivery`, `error_input` equal to `out_json`).
///
/// Thread safety: may be called concurrently on the same decryptor from several threads
/// (distinct buffers).
///
/// # Safety
/// `d` is NULL or a live decryptor; `body` is NULL (only when `body_len` is 0) or points to
/// `body_len` readable bytes; `headers` is NULL (only when `headers_len` is 0) or points to
/// `headers_len` valid `PortSecretHeader`s; `options` is NULL or points to a valid
/// `PortSecretRunOptions`; `out_json` and `error_input` are NULL or valid `PortSecretBuffer`s
/// (overwritten, not freed).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_open_webhook(
    d: *const PortSecretDecryptor,
    body: *const u8,
    body_len: usize,
    headers: *const PortSecretHeader,
    headers_len: usize,
    options: *const PortSecretRunOptions,
    out_json: *mut PortSecretBuffer,
    error_input: *mut PortSecretBuffer,
) -> PortSecretStatus {
    let open = |d: &Decryptor, options: &RunOptions| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let (body, headers) =
            unsafe { (c_slice(body, body_len)?, c_headers(headers, headers_len)?) };
        Ok(d.open_webhook(body, &headers, options))
    };
    // SAFETY: the caller guarantees the pointer contract documented above.
    unsafe { open_run(d, options, out_json, error_input, open) }
}

/// Opens a run delivered as one message value of Port's Kafka topic (the signature and the
/// timestamp are inside it, in `headers`): as `port_secret_decryptor_open_webhook`, without HTTP
/// headers. `out_json` receives the whole message (`headers` included) with every secret input
/// decrypted. A message that is not a JSON object is `PORT_SECRET_MALFORMED`.
///
/// Thread safety: may be called concurrently on the same decryptor from several threads
/// (distinct buffers).
///
/// # Safety
/// As `port_secret_decryptor_open_webhook`, with `message`/`message_len` as `body`/`body_len`.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_open_kafka_message(
    d: *const PortSecretDecryptor,
    message: *const u8,
    message_len: usize,
    options: *const PortSecretRunOptions,
    out_json: *mut PortSecretBuffer,
    error_input: *mut PortSecretBuffer,
) -> PortSecretStatus {
    let open = |d: &Decryptor, options: &RunOptions| {
        // SAFETY: the caller guarantees the pointer contract documented above.
        let message = unsafe { c_slice(message, message_len)? };
        Ok(d.open_kafka_message(message, options))
    };
    // SAFETY: the caller guarantees the pointer contract documented above.
    unsafe { open_run(d, options, out_json, error_input, open) }
}

#[cfg(test)]
#[allow(unsafe_code)]
mod tests {
    use super::*;
    use core::ffi::CStr;

    const SECRET: &CStr = c"ffi-run-test-client-secret-0123456789abcdef";

    fn decryptor_handle() -> *mut PortSecretDecryptor {
        let mut d = ptr::null_mut();
        let secrets = [SECRET.as_ptr()];
        // SAFETY: one valid string, valid out pointer.
        let st = unsafe {
            crate::port_secret_decryptor_new(secrets.as_ptr(), 1, ptr::null(), 0, &mut d)
        };
        assert_eq!(st, PortSecretStatus::PORT_SECRET_OK);
        d
    }

    fn body() -> Vec<u8> {
        let secret = SECRET.to_str().expect("utf-8");
        let value = port_secret_core::encrypt_aes256_gcm(b"hunter2", secret).expect("encrypt");
        // Written by hand: the number keeps its spelling through the run.
        format!(
            r#"{{"payload": {{"properties": {{"pw": "{value}", "n": 1.50}},
              "action": {{"userInputs": {{"properties": {{"pw": {{"encryption": "aes256-gcm"}}}}}}}}}}}}"#
        )
        .into_bytes()
    }

    fn text(buf: &PortSecretBuffer) -> &str {
        // SAFETY: a filled buffer holds `len` bytes.
        let bytes = unsafe { core::slice::from_raw_parts(buf.data, buf.len) };
        core::str::from_utf8(bytes).expect("utf-8")
    }

    #[test]
    fn defaults_match_the_core() {
        let o = port_secret_run_options_default();
        // SAFETY: the default options hold no pointers.
        let core = unsafe { o.to_core() }.expect("defaults convert");
        let want = RunOptions::default();
        assert_eq!(core.delivery, want.delivery);
        assert_eq!(core.verify_signature, want.verify_signature);
        assert_eq!(core.tolerance_secs, want.tolerance_secs);
        assert_eq!(core.user_inputs, want.user_inputs);
        assert_eq!(core.user_inputs_pointer, want.user_inputs_pointer);
        assert_eq!(core.properties_pointer, want.properties_pointer);
        assert_eq!(core.default_encryption, want.default_encryption);
        assert_eq!(core.max_body, want.max_body);
        assert_eq!(core.max_client_side_inputs, want.max_client_side_inputs);
        assert_eq!(core.now, want.now);
    }

    #[test]
    fn option_conversions() {
        let mut o = port_secret_run_options_default();
        o.delivery = 2;
        // SAFETY: no pointers.
        assert!(unsafe { o.to_core() }.is_err());
        o.delivery = PortSecretDelivery::PORT_SECRET_DELIVERY_AGENT as u32;
        o.max_body = 0;
        o.max_client_side_inputs = 3;
        o.has_now = true;
        o.now = 42;
        o.default_encryption_json = c"fernet".as_ptr();
        o.user_inputs_json = c"[\"a\"]".as_ptr();
        o.properties_pointer = c"".as_ptr();
        // SAFETY: static strings.
        let core = unsafe { o.to_core() }.expect("converts");
        assert_eq!(core.delivery, Delivery::Agent);
        assert_eq!(core.max_body, DEFAULT_MAX_BODY);
        assert_eq!(core.max_client_side_inputs, 3);
        assert_eq!(core.now, Some(42));
        assert_eq!(core.default_encryption, Value::String("fernet".into()));
        assert_eq!(core.user_inputs, Some(serde_json::json!(["a"])));
        assert_eq!(core.properties_pointer, "");
        o.user_inputs_json = c"{oops".as_ptr();
        // SAFETY: static strings.
        let err = unsafe { o.to_core() }.err();
        assert_eq!(err, Some(PortSecretStatus::PORT_SECRET_INVALID_JSON));
        o.user_inputs_json = c"\xff".as_ptr();
        // SAFETY: static strings.
        let err = unsafe { o.to_core() }.err();
        assert_eq!(err, Some(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT));
        assert_eq!(
            encryption_value("{\"algorithm\":\"client-side\"}"),
            serde_json::json!({"algorithm": "client-side"})
        );
        assert_eq!(encryption_value("\"fernet\""), serde_json::json!("fernet"));
        assert_eq!(encryption_value("{bad"), serde_json::json!("{bad"));
    }

    #[test]
    fn open_webhook_signed_and_unsigned() {
        let d = decryptor_handle();
        let body = body();
        let now = 1_000_000_000_i64;
        let ts = now.to_string();
        let sig = port_secret_core::sign_payload(&body, &ts, SECRET.to_str().expect("utf-8"))
            .expect("sign");
        let sig = std::ffi::CString::new(sig).expect("no NUL");
        let headers = [
            PortSecretHeader {
                name: c"Content-Type".as_ptr(),
                value: b"application/json".as_ptr(),
                value_len: 16,
            },
            PortSecretHeader {
                name: c"X-Port-Signature".as_ptr(),
                value: sig.as_ptr().cast(),
                value_len: sig.as_bytes().len(),
            },
            PortSecretHeader {
                name: c"x-port-timestamp".as_ptr(),
                value: ts.as_ptr(),
                value_len: ts.len(),
            },
            PortSecretHeader {
                name: c"\xff\xfe".as_ptr(),
                value: ptr::null(),
                value_len: 0,
            },
        ];
        let mut options = port_secret_run_options_default();
        options.has_now = true;
        options.now = now;
        let (mut out, mut name) = (PortSecretBuffer::EMPTY, PortSecretBuffer::EMPTY);
        // SAFETY: valid handle, slices and buffers.
        let st = unsafe {
            port_secret_decryptor_open_webhook(
                d,
                body.as_ptr(),
                body.len(),
                headers.as_ptr(),
                headers.len(),
                &options,
                &mut out,
                &mut name,
            )
        };
        assert_eq!(st, PortSecretStatus::PORT_SECRET_OK);
        assert!(text(&out).contains(r#""properties":{"pw":"hunter2","n":1.50}"#));
        assert!(name.data.is_null());
        // SAFETY: filled by the call.
        unsafe { crate::port_secret_buffer_free(&mut out) };

        // Default options: the real clock, so the 2001 timestamp is expired.
        // SAFETY: as above.
        let st = unsafe {
            port_secret_decryptor_open_webhook(
                d,
                body.as_ptr(),
                body.len(),
                headers.as_ptr(),
                headers.len(),
                ptr::null(),
                &mut out,
                ptr::null_mut(),
            )
        };
        assert_eq!(st, PortSecretStatus::PORT_SECRET_EXPIRED);
        assert!(out.data.is_null());

        // No headers, verification off.
        options.verify_signature = false;
        // SAFETY: as above; NULL headers with a 0 count.
        let st = unsafe {
            port_secret_decryptor_open_webhook(
                d,
                body.as_ptr(),
                body.len(),
                ptr::null(),
                0,
                &options,
                &mut out,
                ptr::null_mut(),
            )
        };
        assert_eq!(st, PortSecretStatus::PORT_SECRET_OK);
        // SAFETY: filled by the call.
        unsafe { crate::port_secret_buffer_free(&mut out) };

        // A NULL header name, NULL headers with a count, the same buffer twice: invalid.
        let bad = [PortSecretHeader {
            name: ptr::null(),
            value: ptr::null(),
            value_len: 0,
        }];
        for (hdrs, n, same) in [
            (bad.as_ptr(), 1, false),
            (ptr::null(), 1, false),
            (ptr::null(), 0, true),
        ] {
            let err: *mut PortSecretBuffer = if same { &mut out } else { &mut name };
            // SAFETY: as above (the invalid pointers are rejected before use).
            let st = unsafe {
                port_secret_decryptor_open_webhook(
                    d,
                    body.as_ptr(),
                    body.len(),
                    hdrs,
                    n,
                    &options,
                    &mut out,
                    err,
                )
            };
            assert_eq!(st, PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT);
        }
        // SAFETY: from port_secret_decryptor_new.
        unsafe { crate::port_secret_decryptor_free(d) };
    }

    #[test]
    fn open_kafka_message_names_the_failing_input() {
        let d = decryptor_handle();
        let message = br#"{"headers":{},"payload":{"properties":{"pw":"AAAA"},"action":{"userInputs":{"pw":{"encryption":"aes256-gcm"}}}}}"#;
        let mut options = port_secret_run_options_default();
        options.verify_signature = false;
        let (mut out, mut name) = (PortSecretBuffer::EMPTY, PortSecretBuffer::EMPTY);
        // SAFETY: valid handle, slice and buffers.
        let st = unsafe {
            port_secret_decryptor_open_kafka_message(
                d,
                message.as_ptr(),
                message.len(),
                &options,
                &mut out,
                &mut name,
            )
        };
        assert_eq!(st, PortSecretStatus::PORT_SECRET_MALFORMED);
        assert!(out.data.is_null());
        assert_eq!(text(&name), "pw");
        // SAFETY: filled by the call.
        unsafe { crate::port_secret_buffer_free(&mut name) };
        // NULL decryptor.
        // SAFETY: NULL is accepted and rejected.
        let st = unsafe {
            port_secret_decryptor_open_kafka_message(
                ptr::null(),
                message.as_ptr(),
                message.len(),
                &options,
                &mut out,
                &mut name,
            )
        };
        assert_eq!(st, PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT);
        // SAFETY: from port_secret_decryptor_new.
        unsafe { crate::port_secret_decryptor_free(d) };
    }
}
