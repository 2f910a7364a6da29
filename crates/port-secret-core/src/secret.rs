//! Types that hold secret bytes: zeroized on drop, redacted in `Debug`.

use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};

/// Decrypted bytes. Zeroized when dropped; `Debug` shows only the length.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Plaintext(Vec<u8>);

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
            Ok(s) => Ok(SecretString(Zeroizing::new(s))),
            Err(e) => {
                let _ = Zeroizing::new(e.into_bytes());
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
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    pub(crate) fn from_string(s: String) -> Self {
        SecretString(Zeroizing::new(s))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes the text out, in a [`Zeroizing`] wrapper.
    pub fn into_inner(self) -> Zeroizing<String> {
        self.0
    }
}

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
