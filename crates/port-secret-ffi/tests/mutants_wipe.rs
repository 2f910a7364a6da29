//! The core's decrypted values are wiped before their memory is freed. Safe Rust cannot see
//! freed memory, so this test binary installs a global allocator that looks at every block as
//! it is freed: a block still holding the plaintext is a failure. It kills the cargo-mutants
//! survivors of `port-secret-core/src/secret.rs` (`wipe`, `Plaintext::drop` and
//! `SecretString::drop` replaced with `()`), which no test of the core itself can see (the core
//! forbids `unsafe`); scripts/mutants.sh runs this crate's tests for that file's mutants.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use port_secret_core::{
    ErrorKind, decrypt_aes256_gcm, decrypt_aes256_gcm_bytes, encrypt_aes256_gcm,
};

/// The plaintext: unlikely to appear by chance, and never on the heap except as a decryption.
static MARKER: &[u8] = b"wipe-check-marker-5b7e0c1d9a";
const SECRET: &str = "ffi-wipe-test-client-secret-0123456789abcdefg";

/// While set, every freed block is searched for `MARKER`.
static ARMED: AtomicBool = AtomicBool::new(false);
/// How many freed blocks held `MARKER`.
static FOUND: AtomicUsize = AtomicUsize::new(0);
/// One check at a time (the flags are global).
static SERIAL: Mutex<()> = Mutex::new(());

struct Scanning;

// SAFETY: every call is forwarded to `System` unchanged; `dealloc` only reads the block it is
// about to free, which is still allocated and `layout.size()` bytes long.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst) && layout.size() >= MARKER.len() {
            // SAFETY: `ptr` is a live block of `layout.size()` bytes (GlobalAlloc contract).
            let block = unsafe { core::slice::from_raw_parts(ptr, layout.size()) };
            if block.windows(MARKER.len()).any(|w| w == MARKER) {
                FOUND.fetch_add(1, Ordering::SeqCst);
            }
        }
        // SAFETY: forwarded with the caller's contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Scanning = Scanning;

/// Each test holds this for its whole run: a marker freed by one test outside its scanned
/// part (its own setup, say) must never count for another test that is scanning.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs `f` with freed blocks scanned; returns how many held the marker. Call with `serial()`
/// held.
fn freed_with_marker(f: impl FnOnce()) -> usize {
    FOUND.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
    f();
    ARMED.store(false, Ordering::SeqCst);
    FOUND.load(Ordering::SeqCst)
}

#[test]
fn the_scanner_sees_an_unwiped_copy() {
    let _serial = serial();
    // The check itself can fail: a plain Vec holding the marker is found when freed.
    let found = freed_with_marker(|| drop(std::hint::black_box(MARKER.to_vec())));
    assert_eq!(found, 1);
}

#[test]
fn decrypted_bytes_and_text_are_wiped_when_dropped() {
    let _serial = serial();
    let value = encrypt_aes256_gcm(MARKER, SECRET).expect("encrypt");
    let found = freed_with_marker(|| {
        let bytes = decrypt_aes256_gcm_bytes(&value, SECRET).expect("decrypt");
        assert_eq!(bytes.as_bytes(), MARKER);
        drop(bytes);
        let text = decrypt_aes256_gcm(&value, SECRET).expect("decrypt");
        assert_eq!(text.as_bytes(), MARKER);
        drop(text);
    });
    assert_eq!(found, 0, "a freed block still held the plaintext");
}

#[test]
fn plaintext_that_is_not_utf8_is_wiped_too() {
    let _serial = serial();
    let pt = [MARKER, b"\xff"].concat();
    let value = encrypt_aes256_gcm(&pt, SECRET).expect("encrypt");
    drop(pt);
    let found = freed_with_marker(|| {
        let err = decrypt_aes256_gcm(&value, SECRET).expect_err("not UTF-8");
        assert_eq!(err.kind(), ErrorKind::InvalidUtf8);
    });
    assert_eq!(found, 0, "a freed block still held the plaintext");
}
