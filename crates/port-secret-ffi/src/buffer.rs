//! [`PortSecretBuffer`]: bytes this library allocates and the caller frees.

use core::ptr;

use zeroize::Zeroize;

use crate::status::boundary_or;

/// Bytes returned by this library: a plaintext, a value, a PEM, some JSON.
///
/// On success `data` points to `len` bytes followed by one NUL byte (not counted in `len`), so
/// text outputs can be used as C strings (a binary plaintext may itself contain NUL bytes: use
/// `len`). On error `data` is NULL and `len` is 0.
///
/// Ownership: the caller owns a filled buffer and must release it with
/// `port_secret_buffer_free` (never `free()`), without changing `data` or `len` first. Every
/// function that fills a buffer overwrites it without freeing what it held: free it before
/// reusing it. Initialize buffers with `PortSecretBuffer buf = {0};`.
#[repr(C)]
#[derive(Debug)]
pub struct PortSecretBuffer {
    /// The bytes, NUL-terminated after `len`; NULL when empty or on error.
    pub data: *mut u8,
    /// Number of bytes, not counting the trailing NUL.
    pub len: usize,
}

impl PortSecretBuffer {
    /// The empty buffer (`{NULL, 0}`).
    ///
    /// cbindgen:ignore
    pub const EMPTY: PortSecretBuffer = PortSecretBuffer {
        data: ptr::null_mut(),
        len: 0,
    };

    /// Stores a copy of `bytes`, NUL-terminated. The buffer must be empty (not holding an
    /// allocation), which every exported function ensures by clearing its outputs first.
    pub(crate) fn set(&mut self, bytes: &[u8]) {
        let mut v = Vec::with_capacity(bytes.len() + 1);
        v.extend_from_slice(bytes);
        v.push(0);
        // Capacity equals length, so this does not reallocate (no stray copy of a secret).
        let boxed: Box<[u8]> = v.into_boxed_slice();
        self.len = bytes.len();
        self.data = Box::into_raw(boxed).cast::<u8>();
    }

    /// Zeroes and frees the bytes, then empties the struct.
    ///
    /// # Safety
    /// `data` is NULL or was set by [`PortSecretBuffer::set`] with this `len`, and not freed.
    #[allow(unsafe_code)]
    pub(crate) unsafe fn release(&mut self) {
        if !self.data.is_null() {
            let alloc = ptr::slice_from_raw_parts_mut(self.data, self.len + 1);
            // SAFETY: per this function's contract, `data`/`len + 1` is exactly the boxed slice
            // leaked by `set`, still allocated, and no one else references it.
            let mut boxed: Box<[u8]> = unsafe { Box::from_raw(alloc) };
            boxed.zeroize();
            drop(boxed);
        }
        *self = PortSecretBuffer::EMPTY;
    }
}

/// Frees a buffer filled by this library: zeroes its bytes, frees them, and sets the struct to
/// `{NULL, 0}`.
///
/// Safe on NULL, on a zeroed struct (`{0}`), on a buffer left empty by a failed call, and on a
/// buffer already freed by this function (freeing twice is harmless). Never pass a buffer whose
/// `data` or `len` the caller changed, or one not filled by this library.
///
/// Thread safety: any thread, but not concurrently with another use of the same buffer.
///
/// # Safety
/// `buf` is NULL or points to a valid `PortSecretBuffer` that is `{NULL, 0}` or was filled by a
/// function of this library and not modified since.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_buffer_free(buf: *mut PortSecretBuffer) {
    boundary_or((), || {
        // SAFETY: `buf` is NULL (as_mut gives None) or valid and unaliased (caller contract).
        if let Some(buf) = unsafe { buf.as_mut() } {
            // SAFETY: the caller contract says `buf` is empty or as filled by `set`.
            unsafe { buf.release() };
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_and_free() {
        let mut buf = PortSecretBuffer::EMPTY;
        buf.set(b"hello");
        assert_eq!(buf.len, 5);
        // SAFETY: `set` stored 5 bytes plus a NUL.
        #[allow(unsafe_code)]
        let stored = unsafe { core::slice::from_raw_parts(buf.data, 6) };
        assert_eq!(stored, b"hello\0");
        // SAFETY: `buf` was filled by `set`; freeing twice and freeing NULL are allowed.
        #[allow(unsafe_code)]
        unsafe {
            port_secret_buffer_free(&mut buf);
            assert!(buf.data.is_null());
            assert_eq!(buf.len, 0);
            port_secret_buffer_free(&mut buf);
            port_secret_buffer_free(ptr::null_mut());
        }
        let mut empty = PortSecretBuffer::EMPTY;
        empty.set(b"");
        assert!(!empty.data.is_null());
        assert_eq!(empty.len, 0);
        // SAFETY: filled by `set`.
        #[allow(unsafe_code)]
        unsafe {
            port_secret_buffer_free(&mut empty)
        };
        assert!(empty.data.is_null());
    }
}
