//! Turning C arguments into Rust values. Every raw pointer read of the crate happens here or in
//! [`crate::buffer`].

use core::ffi::{CStr, c_char};

use crate::buffer::PortSecretBuffer;
use crate::run::PortSecretHeader;
use crate::status::{FfiResult, PortSecretStatus};

const INVALID: PortSecretStatus = PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT;

/// A NUL-terminated argument as bytes (values, tokens, signature and timestamp headers: the core
/// decides what bad bytes there mean, e.g. `invalid_base64`, `invalid_signature`, as in every
/// other binding).
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string valid for reads for `'a`.
#[allow(unsafe_code)]
pub(crate) unsafe fn c_bytes<'a>(p: *const c_char) -> FfiResult<&'a [u8]> {
    if p.is_null() {
        return Err(INVALID);
    }
    // SAFETY: non-NULL, NUL-terminated and valid for 'a per this function's contract.
    Ok(unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// A NUL-terminated argument that must be UTF-8 text (secrets, PEMs, timestamps, JSON).
///
/// # Safety
/// As [`c_bytes`].
#[allow(unsafe_code)]
pub(crate) unsafe fn c_str<'a>(p: *const c_char) -> FfiResult<&'a str> {
    // SAFETY: same contract as ours.
    let bytes = unsafe { c_bytes(p) }?;
    core::str::from_utf8(bytes).map_err(|_| INVALID)
}

/// A `(pointer, length)` byte argument. NULL is accepted for an empty slice.
///
/// # Safety
/// If `len > 0`, `p` is NULL or points to `len` bytes valid for reads for `'a`.
#[allow(unsafe_code)]
pub(crate) unsafe fn c_slice<'a>(p: *const u8, len: usize) -> FfiResult<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() || len > isize::MAX as usize {
        return Err(INVALID);
    }
    // SAFETY: non-NULL, `len` readable bytes per this function's contract, len <= isize::MAX.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// An optional NUL-terminated UTF-8 argument: NULL is `None` (the default), bytes that are not
/// UTF-8 are `PORT_SECRET_INVALID_ARGUMENT`.
///
/// # Safety
/// As [`c_bytes`].
#[allow(unsafe_code)]
pub(crate) unsafe fn c_optional_str<'a>(p: *const c_char) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: same contract as ours, and not NULL.
    unsafe { c_str(p) }.map(Some)
}

/// An array of `n` HTTP headers as `(name, value)` pairs. NULL is accepted when `n == 0`. A NULL
/// name (or a NULL value with a length) is `PORT_SECRET_INVALID_ARGUMENT`; a name that is not
/// UTF-8 cannot be one the core looks for, so the header is left out.
///
/// # Safety
/// If `n > 0`, `p` is NULL or points to `n` readable `PortSecretHeader`s, each with `name` NULL
/// or a NUL-terminated string and `value` valid as for [`c_slice`], all valid for `'a`.
#[allow(unsafe_code)]
pub(crate) unsafe fn c_headers<'a>(
    p: *const PortSecretHeader,
    n: usize,
) -> FfiResult<Vec<(&'a str, &'a [u8])>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() || n > isize::MAX as usize / size_of::<PortSecretHeader>() {
        return Err(INVALID);
    }
    // SAFETY: non-NULL, `n` readable headers per this function's contract.
    let headers = unsafe { core::slice::from_raw_parts(p, n) };
    let mut pairs = Vec::with_capacity(n);
    for h in headers {
        // SAFETY: `name` is NULL or NUL-terminated, `value` valid for `value_len` (contract).
        let (name, value) = unsafe { (c_bytes(h.name)?, c_slice(h.value, h.value_len)?) };
        if let Ok(name) = core::str::from_utf8(name) {
            pairs.push((name, value));
        }
    }
    Ok(pairs)
}

/// An array of `n` NUL-terminated UTF-8 strings. NULL is accepted when `n == 0`.
///
/// # Safety
/// If `n > 0`, `p` is NULL or points to `n` pointers, each valid as for [`c_str`].
#[allow(unsafe_code)]
pub(crate) unsafe fn c_str_array<'a>(p: *const *const c_char, n: usize) -> FfiResult<Vec<&'a str>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() || n > isize::MAX as usize / size_of::<*const c_char>() {
        return Err(INVALID);
    }
    // SAFETY: non-NULL, `n` readable pointers per this function's contract.
    let ptrs = unsafe { core::slice::from_raw_parts(p, n) };
    ptrs.iter()
        // SAFETY: each element is NULL or a valid NUL-terminated string (contract).
        .map(|&s| unsafe { c_str(s) })
        .collect()
}

/// An output buffer, set to `{NULL, 0}` before anything else happens, so it is empty on every
/// error.
///
/// # Safety
/// `p` is NULL or points to a `PortSecretBuffer` valid for writes for `'a` and not aliased.
#[allow(unsafe_code)]
pub(crate) unsafe fn c_out<'a>(p: *mut PortSecretBuffer) -> FfiResult<&'a mut PortSecretBuffer> {
    // SAFETY: NULL or valid and unaliased per this function's contract.
    let out = unsafe { p.as_mut() }.ok_or(INVALID)?;
    // Not freed: the header says outputs are overwritten, and its old content is not ours to
    // interpret (it may be uninitialized memory).
    *out = PortSecretBuffer::EMPTY;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr;

    #[test]
    #[allow(unsafe_code)]
    fn null_and_non_utf8_are_invalid_arguments() {
        // SAFETY: NULL and static NUL-terminated strings.
        unsafe {
            assert_eq!(c_bytes(ptr::null()), Err(INVALID));
            assert_eq!(c_str(ptr::null()), Err(INVALID));
            assert_eq!(c_str(c"\xff\xfe".as_ptr()), Err(INVALID));
            assert_eq!(c_bytes(c"\xff".as_ptr()), Ok(&b"\xff"[..]));
            assert_eq!(c_str(c"caf\xc3\xa9".as_ptr()), Ok("café"));
            assert_eq!(c_slice(ptr::null(), 0), Ok(&[][..]));
            assert_eq!(c_slice(ptr::null(), 3), Err(INVALID));
            assert_eq!(c_str_array(ptr::null(), 0), Ok(vec![]));
            assert_eq!(c_str_array(ptr::null(), 1), Err(INVALID));
            let arr = [c"a".as_ptr(), ptr::null()];
            assert_eq!(c_str_array(arr.as_ptr(), 1), Ok(vec!["a"]));
            assert_eq!(c_str_array(arr.as_ptr(), 2), Err(INVALID));
            assert!(c_out(ptr::null_mut()).is_err());
            assert_eq!(c_optional_str(ptr::null()), Ok(None));
            assert_eq!(c_optional_str(c"".as_ptr()), Ok(Some("")));
            assert_eq!(c_optional_str(c"\xff".as_ptr()), Err(INVALID));
            assert_eq!(c_headers(ptr::null(), 0), Ok(vec![]));
            assert_eq!(c_headers(ptr::null(), 2), Err(INVALID));
            let h = |name: *const c_char, value: &'static [u8]| PortSecretHeader {
                name,
                value: value.as_ptr(),
                value_len: value.len(),
            };
            let hs = [
                h(c"A".as_ptr(), b"1\xff"),
                h(c"\xff".as_ptr(), b"x"),
                h(c"b".as_ptr(), b""),
            ];
            assert_eq!(
                c_headers(hs.as_ptr(), 3),
                Ok(vec![("A", &b"1\xff"[..]), ("b", &b""[..])])
            );
            let null_name = [h(ptr::null(), b"")];
            assert_eq!(c_headers(null_name.as_ptr(), 1), Err(INVALID));
        }
    }
}
