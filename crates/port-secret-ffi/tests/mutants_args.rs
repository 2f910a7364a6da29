//! The C ABI's argument checks, through the exported functions: NULL pointers, `(pointer,
//! length)` pairs, arrays, non-UTF-8 text, output buffers cleared first. cargo-mutants does not
//! mutate `unsafe fn`s (all of `src/args.rs`), so `scripts/mutants.sh` applies hand-written
//! mutants to these checks; each test here kills at least one of them (named in its comment).
#![allow(unsafe_code)]

use core::ffi::{CStr, c_char};
use core::ptr;
use std::ffi::CString;

use port_secret::{
    PortSecretBuffer, PortSecretDecryptor, PortSecretHeader, PortSecretStatus as S,
    port_secret_buffer_free, port_secret_decrypt_aes256_gcm, port_secret_decrypt_fernet_bytes_at,
    port_secret_decryptor_decrypt, port_secret_decryptor_decrypt_properties,
    port_secret_decryptor_free, port_secret_decryptor_new, port_secret_decryptor_open_webhook,
    port_secret_encrypt_aes256_gcm, port_secret_run_options_default,
};

const SECRET: &CStr = c"ffi-mutants-client-secret-0123456789abcdefghij";

/// A pointer that is not NULL and must never be read or freed: stands for the uninitialized
/// content of an output the caller did not clear.
fn garbage<T>() -> *mut T {
    ptr::NonNull::<T>::dangling().as_ptr()
}

fn secret() -> &'static str {
    SECRET.to_str().expect("utf-8")
}

/// The bytes of a filled buffer, then the buffer freed.
fn take(buf: &mut PortSecretBuffer) -> Vec<u8> {
    assert!(!buf.data.is_null(), "buffer is filled");
    // SAFETY: a filled buffer holds `len` readable bytes.
    let bytes = unsafe { core::slice::from_raw_parts(buf.data, buf.len) }.to_vec();
    // SAFETY: filled by this library, unchanged.
    unsafe { port_secret_buffer_free(buf) };
    bytes
}

fn assert_empty(buf: &PortSecretBuffer) {
    assert!(buf.data.is_null(), "output cleared on error");
    assert_eq!(buf.len, 0);
}

fn decryptor() -> *mut PortSecretDecryptor {
    let mut d = ptr::null_mut();
    let secrets = [SECRET.as_ptr()];
    // SAFETY: one valid string, a valid out pointer.
    let st = unsafe { port_secret_decryptor_new(secrets.as_ptr(), 1, ptr::null(), 0, &mut d) };
    assert_eq!(st, S::PORT_SECRET_OK);
    assert!(!d.is_null());
    d
}

fn encrypt(plaintext: &[u8]) -> CString {
    let v = port_secret_core::encrypt_aes256_gcm(plaintext, secret()).expect("encrypt");
    CString::new(v).expect("base64 has no NUL")
}

/// Kills: `c_bytes` / `c_str` without the NULL check (a crash), `c_out` not clearing the output
/// (`*out = EMPTY` deleted), `c_str` accepting non-UTF-8 text; and that a value's bad bytes are
/// the taxonomy's `invalid_base64`, not an argument error.
#[test]
fn null_and_non_utf8_string_arguments() {
    let value = encrypt(b"hunter2");
    let mut out = PortSecretBuffer {
        data: garbage(),
        len: 7,
    };
    // SAFETY: NULL value, valid key and out.
    let st = unsafe { port_secret_decrypt_aes256_gcm(ptr::null(), SECRET.as_ptr(), &mut out) };
    assert_eq!(st, S::PORT_SECRET_INVALID_ARGUMENT);
    assert_empty(&out);

    out = PortSecretBuffer {
        data: garbage(),
        len: 7,
    };
    // SAFETY: valid value, NULL key, valid out.
    let st = unsafe { port_secret_decrypt_aes256_gcm(value.as_ptr(), ptr::null(), &mut out) };
    assert_eq!(st, S::PORT_SECRET_INVALID_ARGUMENT);
    assert_empty(&out);

    // A key that is not UTF-8: an argument error. A value that is not UTF-8: invalid_base64.
    let bad_key = c"\xffffi-mutants-client-secret-0123456789abcdefghij";
    let mut out = PortSecretBuffer::EMPTY;
    // SAFETY: static NUL-terminated strings.
    let st = unsafe { port_secret_decrypt_aes256_gcm(value.as_ptr(), bad_key.as_ptr(), &mut out) };
    assert_eq!(st, S::PORT_SECRET_INVALID_ARGUMENT);
    // SAFETY: as above.
    let st =
        unsafe { port_secret_decrypt_aes256_gcm(c"\xff\xfe".as_ptr(), SECRET.as_ptr(), &mut out) };
    assert_eq!(st, S::PORT_SECRET_INVALID_BASE64);
    assert_empty(&out);

    // NULL out: an argument error, nothing written anywhere.
    // SAFETY: valid strings, NULL out.
    let st =
        unsafe { port_secret_decrypt_aes256_gcm(value.as_ptr(), SECRET.as_ptr(), ptr::null_mut()) };
    assert_eq!(st, S::PORT_SECRET_INVALID_ARGUMENT);

    // And the happy path, for contrast.
    // SAFETY: valid arguments.
    let st = unsafe { port_secret_decrypt_aes256_gcm(value.as_ptr(), SECRET.as_ptr(), &mut out) };
    assert_eq!(st, S::PORT_SECRET_OK);
    assert_eq!(take(&mut out), b"hunter2");
}

/// Kills the `c_slice` mutants: `len == 0` check removed (NULL with 0 refused) or inverted
/// (every slice empty), the NULL check removed (a crash), the `len > isize::MAX` check removed
/// (an undefined-behaviour precondition: a debug build aborts).
#[test]
fn pointer_and_length_arguments() {
    let encrypt_then_decrypt = |p: *const u8, len: usize| -> Result<Vec<u8>, S> {
        let mut out = PortSecretBuffer::EMPTY;
        // SAFETY: `p`/`len` as each call below states; valid key and out.
        let st = unsafe { port_secret_encrypt_aes256_gcm(p, len, SECRET.as_ptr(), &mut out) };
        if st != S::PORT_SECRET_OK {
            assert_empty(&out);
            return Err(st);
        }
        let value = CString::new(take(&mut out)).expect("base64 has no NUL");
        // SAFETY: valid strings and out.
        let st =
            unsafe { port_secret_decrypt_aes256_gcm(value.as_ptr(), SECRET.as_ptr(), &mut out) };
        assert_eq!(st, S::PORT_SECRET_OK);
        Ok(take(&mut out))
    };
    // NULL with length 0 is the empty plaintext.
    assert_eq!(encrypt_then_decrypt(ptr::null(), 0), Ok(Vec::new()));
    // A real pointer with its length: exactly those bytes (one byte and several).
    let bytes = b"s3cr3t\0with a NUL";
    assert_eq!(encrypt_then_decrypt(bytes.as_ptr(), 1), Ok(b"s".to_vec()));
    assert_eq!(
        encrypt_then_decrypt(bytes.as_ptr(), bytes.len()),
        Ok(bytes.to_vec())
    );
    // A real pointer with length 0 is empty too.
    assert_eq!(encrypt_then_decrypt(bytes.as_ptr(), 0), Ok(Vec::new()));
    // NULL with a length, and lengths no allocation can have: refused before any read.
    assert_eq!(
        encrypt_then_decrypt(ptr::null(), 3),
        Err(S::PORT_SECRET_INVALID_ARGUMENT)
    );
    assert_eq!(
        encrypt_then_decrypt(bytes.as_ptr(), usize::MAX),
        Err(S::PORT_SECRET_INVALID_ARGUMENT)
    );
    assert_eq!(
        encrypt_then_decrypt(bytes.as_ptr(), isize::MAX as usize + 1),
        Err(S::PORT_SECRET_INVALID_ARGUMENT)
    );
}

/// Kills the `c_str_array` mutants (`n == 0` check removed, NULL check removed, size check
/// removed) and `port_secret_decryptor_new` not setting `*out` to NULL on error; and that the
/// NULL handle is an argument error, and freeing NULL is a no-op.
#[test]
fn string_array_arguments_and_handles() {
    let new = |secrets: *const *const c_char, n: usize| -> (S, *mut PortSecretDecryptor) {
        let mut d: *mut PortSecretDecryptor = garbage();
        // SAFETY: as each call below states; no private keys; a valid out pointer.
        let st = unsafe { port_secret_decryptor_new(secrets, n, ptr::null(), 0, &mut d) };
        (st, d)
    };
    // Both lists empty (NULL with 0): the key error, not an argument error; `*out` is NULL.
    let (st, d) = new(ptr::null(), 0);
    assert_eq!(st, S::PORT_SECRET_INVALID_KEY);
    assert!(d.is_null(), "out cleared on error");
    // NULL with a count, a NULL element, a non-UTF-8 element, an impossible count.
    let (st, d) = new(ptr::null(), 1);
    assert_eq!(st, S::PORT_SECRET_INVALID_ARGUMENT);
    assert!(d.is_null());
    let with_null = [SECRET.as_ptr(), ptr::null()];
    assert_eq!(
        new(with_null.as_ptr(), 2).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    let not_utf8 = [c"\xff\xfe0123456789abcdef0123456789abcdef".as_ptr()];
    assert_eq!(new(not_utf8.as_ptr(), 1).0, S::PORT_SECRET_INVALID_ARGUMENT);
    assert_eq!(
        new(with_null.as_ptr(), usize::MAX).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    assert_eq!(
        new(with_null.as_ptr(), isize::MAX as usize / 8 + 1).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    // Only the first `n` elements are read: the NULL second one is past `n == 1`.
    let (st, d) = new(with_null.as_ptr(), 1);
    assert_eq!(st, S::PORT_SECRET_OK);
    let value = encrypt(b"x");
    let mut out = PortSecretBuffer::EMPTY;
    // SAFETY: a live handle, static strings, a valid out.
    let st = unsafe {
        port_secret_decryptor_decrypt(d, value.as_ptr(), c"aes256-gcm".as_ptr(), &mut out)
    };
    assert_eq!(st, S::PORT_SECRET_OK);
    assert_eq!(take(&mut out), b"x");
    // A NULL handle: an argument error, the output cleared.
    out = PortSecretBuffer {
        data: garbage(),
        len: 1,
    };
    // SAFETY: NULL handle, valid strings and out.
    let st = unsafe {
        port_secret_decryptor_decrypt(
            ptr::null(),
            value.as_ptr(),
            c"aes256-gcm".as_ptr(),
            &mut out,
        )
    };
    assert_eq!(st, S::PORT_SECRET_INVALID_ARGUMENT);
    assert_empty(&out);
    // SAFETY: a live handle, freed once; NULL is a no-op.
    unsafe {
        port_secret_decryptor_free(d);
        port_secret_decryptor_free(ptr::null_mut());
    }
}

/// Kills the buffer-free NULL checks: freeing NULL, an empty buffer, or one already freed is a
/// no-op (a crash otherwise).
#[test]
fn freeing_empty_buffers_is_harmless() {
    let mut out = PortSecretBuffer::EMPTY;
    // SAFETY: NULL, an empty buffer, the same buffer twice.
    unsafe {
        port_secret_buffer_free(ptr::null_mut());
        port_secret_buffer_free(&mut out);
        port_secret_buffer_free(&mut out);
    }
    assert_empty(&out);
}

/// Kills `decrypt_properties` without its `out == error_input` check, and without clearing
/// `error_input` first.
#[test]
fn decrypt_properties_outputs() {
    let d = decryptor();
    let value = encrypt(b"pw").into_string().expect("ascii");
    let props = CString::new(format!(r#"{{"db":"{value}","bad":"AAAA"}}"#)).expect("no NUL");
    let good_defs = cr#"{"db":{"encryption":"aes256-gcm"}}"#;
    let bad_defs = cr#"{"db":{"encryption":"aes256-gcm"},"bad":{"encryption":"aes256-gcm"}}"#;
    let mut out = PortSecretBuffer::EMPTY;
    // One buffer for both outputs: refused.
    // SAFETY: a live handle, valid strings; `out` passed twice on purpose.
    let st = unsafe {
        port_secret_decryptor_decrypt_properties(
            d,
            props.as_ptr(),
            good_defs.as_ptr(),
            &mut out,
            &mut out,
        )
    };
    assert_eq!(st, S::PORT_SECRET_INVALID_ARGUMENT);
    assert_empty(&out);
    // Success: `error_input` is cleared even though nothing is written to it.
    let mut err = PortSecretBuffer {
        data: garbage(),
        len: 3,
    };
    // SAFETY: a live handle, valid strings, distinct valid buffers.
    let st = unsafe {
        port_secret_decryptor_decrypt_properties(
            d,
            props.as_ptr(),
            good_defs.as_ptr(),
            &mut out,
            &mut err,
        )
    };
    assert_eq!(st, S::PORT_SECRET_OK);
    assert_empty(&err);
    let json: serde_json::Value = serde_json::from_slice(&take(&mut out)).expect("json");
    assert_eq!(json["db"], "pw");
    // Failure: `error_input` names the input.
    // SAFETY: as above.
    let st = unsafe {
        port_secret_decryptor_decrypt_properties(
            d,
            props.as_ptr(),
            bad_defs.as_ptr(),
            &mut out,
            &mut err,
        )
    };
    assert_eq!(st, S::PORT_SECRET_MALFORMED);
    assert_empty(&out);
    assert_eq!(take(&mut err), b"bad");
    // SAFETY: a live handle, freed once.
    unsafe { port_secret_decryptor_free(d) };
}

/// Kills the `c_headers` mutants (`n == 0` check removed, NULL check removed, size check
/// removed, a non-UTF-8 name refused instead of skipped), `c_optional_str` without its NULL
/// check (the default options' NULL strings refused), NULL options not being the defaults, and
/// `open_webhook` without its `out == error_input` check.
#[test]
fn webhook_headers_and_options() {
    let d = decryptor();
    let value = encrypt(b"hunter2").into_string().expect("ascii");
    let body = format!(
        r#"{{"payload":{{"properties":{{"pw":"{value}"}},"action":{{"userInputs":{{"properties":{{"pw":{{"type":"string","encryption":"aes256-gcm"}}}}}}}}}}}}"#
    );
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        .to_string();
    let sig = port_secret_core::sign_payload(&body, &ts, secret()).expect("sign");
    let header = |name: &'static CStr, value: &[u8]| PortSecretHeader {
        name: name.as_ptr(),
        value: value.as_ptr(),
        value_len: value.len(),
    };
    let open = |headers: *const PortSecretHeader,
                n: usize,
                options: *const port_secret::PortSecretRunOptions|
     -> (S, Vec<u8>) {
        let mut out = PortSecretBuffer::EMPTY;
        let mut err = PortSecretBuffer::EMPTY;
        // SAFETY: a live handle, the body's bytes, headers and options as each call states.
        let st = unsafe {
            port_secret_decryptor_open_webhook(
                d,
                body.as_ptr(),
                body.len(),
                headers,
                n,
                options,
                &mut out,
                &mut err,
            )
        };
        if st == S::PORT_SECRET_OK {
            (st, take(&mut out))
        } else {
            assert_empty(&out);
            // SAFETY: filled by this library or empty.
            unsafe { port_secret_buffer_free(&mut err) };
            (st, Vec::new())
        }
    };
    let defaults = port_secret_run_options_default();
    let signed = [
        header(c"\xffX-Ignored", b"x"),
        header(c"X-Port-Signature", sig.as_bytes()),
        header(c"x-port-timestamp", ts.as_bytes()),
        header(c"Empty", b""),
    ];
    // Signed, with a non-UTF-8 header name (skipped): opens, with NULL options and defaults.
    for options in [ptr::null(), &raw const defaults] {
        let (st, json) = open(signed.as_ptr(), signed.len(), options);
        assert_eq!(st, S::PORT_SECRET_OK);
        let json: serde_json::Value = serde_json::from_slice(&json).expect("json");
        assert_eq!(json["payload"]["properties"]["pw"], "hunter2");
    }
    // No headers at all (NULL with 0): the signature is missing, not an argument error.
    assert_eq!(
        open(ptr::null(), 0, ptr::null()).0,
        S::PORT_SECRET_INVALID_SIGNATURE
    );
    // NULL with a count, a NULL name, a NULL value with a length, impossible counts.
    assert_eq!(
        open(ptr::null(), 2, ptr::null()).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    let null_name = [PortSecretHeader {
        name: ptr::null(),
        value: ptr::null(),
        value_len: 0,
    }];
    assert_eq!(
        open(null_name.as_ptr(), 1, ptr::null()).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    let null_value = [PortSecretHeader {
        name: c"x-port-timestamp".as_ptr(),
        value: ptr::null(),
        value_len: 4,
    }];
    assert_eq!(
        open(null_value.as_ptr(), 1, ptr::null()).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    assert_eq!(
        open(signed.as_ptr(), usize::MAX, ptr::null()).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    let too_many = isize::MAX as usize / size_of::<PortSecretHeader>() + 1;
    assert_eq!(
        open(signed.as_ptr(), too_many, ptr::null()).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    // Options strings: NULL is the default, a non-UTF-8 one is an argument error.
    let mut bad_pointer = port_secret_run_options_default();
    bad_pointer.properties_pointer = c"/payload/\xff".as_ptr();
    assert_eq!(
        open(signed.as_ptr(), signed.len(), &raw const bad_pointer).0,
        S::PORT_SECRET_INVALID_ARGUMENT
    );
    // One buffer for both outputs: refused.
    let mut out = PortSecretBuffer::EMPTY;
    // SAFETY: as above, with `out` passed twice on purpose.
    let st = unsafe {
        port_secret_decryptor_open_webhook(
            d,
            body.as_ptr(),
            body.len(),
            signed.as_ptr(),
            signed.len(),
            ptr::null(),
            &mut out,
            &mut out,
        )
    };
    assert_eq!(st, S::PORT_SECRET_INVALID_ARGUMENT);
    assert_empty(&out);
    // SAFETY: a live handle, freed once.
    unsafe { port_secret_decryptor_free(d) };
}

/// Kills the `ttl` argument conversion mutants (`0` means "no TTL"; any other value is the TTL
/// in seconds, checked exactly).
#[test]
fn fernet_ttl_argument() {
    let t = 1_700_000_000u64;
    let token =
        port_secret_core::encrypt_fernet_from_parts(b"tok", secret(), t, [5; 16]).expect("encrypt");
    let token = CString::new(token).expect("base64url has no NUL");
    let at = |ttl: u64, now: u64| {
        let mut out = PortSecretBuffer::EMPTY;
        // SAFETY: valid strings and out.
        let st = unsafe {
            port_secret_decrypt_fernet_bytes_at(token.as_ptr(), SECRET.as_ptr(), ttl, now, &mut out)
        };
        if st == S::PORT_SECRET_OK {
            assert_eq!(take(&mut out), b"tok");
        } else {
            assert_empty(&out);
        }
        st
    };
    // 0: no TTL, however old the token.
    assert_eq!(at(0, t + 1_000_000), S::PORT_SECRET_OK);
    // 1 and 60: exactly that many seconds.
    assert_eq!(at(1, t + 1), S::PORT_SECRET_OK);
    assert_eq!(at(1, t + 2), S::PORT_SECRET_EXPIRED);
    assert_eq!(at(60, t + 60), S::PORT_SECRET_OK);
    assert_eq!(at(60, t + 61), S::PORT_SECRET_EXPIRED);
}
