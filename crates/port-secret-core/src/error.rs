//! The error taxonomy shared by every binding.

use core::fmt;

/// What went wrong, as one of the stable codes of the public contract.
///
/// The set is small on purpose: webhook authors need to tell "bad base64 in the request" from
/// "wrong key", but everything that touches a secret collapses. A failed RSA-OAEP unwrap and a
/// failed GCM tag or Fernet HMAC are the same [`ErrorKind::AuthenticationFailed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The value is not strict base64 (standard alphabet with padding; URL-safe for Fernet).
    InvalidBase64,
    /// The value decoded but its layout is wrong: too short, wrong version, too large.
    Malformed,
    /// Wrong key or tampered value. RSA-OAEP, GCM tag and Fernet HMAC failures all end here.
    AuthenticationFailed,
    /// The key itself is unusable: a client secret under 32 bytes, a PEM that is not an RSA
    /// private key of 2048 to 4096 bits, a public key that is not SPKI RSA.
    InvalidKey,
    /// The plaintext is authentic but not UTF-8 (use a bytes variant to get it anyway).
    InvalidUtf8,
    /// Text that should be JSON (an `object` input, a payload) does not parse.
    InvalidJson,
    /// A Fernet token past its TTL, or a webhook timestamp outside the tolerance.
    Expired,
    /// The `encryption` of an input is not one this library knows.
    UnsupportedEncryption,
    /// A webhook signature that does not match the body.
    InvalidSignature,
}

impl ErrorKind {
    /// Every kind, in a stable order (for bindings and tests).
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::InvalidBase64,
        ErrorKind::Malformed,
        ErrorKind::AuthenticationFailed,
        ErrorKind::InvalidKey,
        ErrorKind::InvalidUtf8,
        ErrorKind::InvalidJson,
        ErrorKind::Expired,
        ErrorKind::UnsupportedEncryption,
        ErrorKind::InvalidSignature,
    ];

    /// The stable snake_case code, e.g. `"authentication_failed"`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidBase64 => "invalid_base64",
            ErrorKind::Malformed => "malformed",
            ErrorKind::AuthenticationFailed => "authentication_failed",
            ErrorKind::InvalidKey => "invalid_key",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::Expired => "expired",
            ErrorKind::UnsupportedEncryption => "unsupported_encryption",
            ErrorKind::InvalidSignature => "invalid_signature",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An error from this crate: a [`ErrorKind`], a fixed reason, and, for
/// [`Decryptor::decrypt_properties`](crate::Decryptor::decrypt_properties), the name of the input
/// that failed.
///
/// Nothing secret is ever stored in an error: the reason is a `&'static str` and the input name
/// comes from the action definition, never from a value.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    reason: &'static str,
    input: Option<Box<str>>,
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// An error of `kind` with a fixed, non-secret `reason`.
    pub const fn new(kind: ErrorKind, reason: &'static str) -> Self {
        Error {
            kind,
            reason,
            input: None,
        }
    }

    /// The kind of error.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code (`"invalid_base64"`, `"authentication_failed"`, ...).
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The fixed, human-readable reason (never contains input data).
    pub const fn reason(&self) -> &'static str {
        self.reason
    }

    /// The name of the action input this error is about, if any.
    pub fn input(&self) -> Option<&str> {
        self.input.as_deref()
    }

    /// The same error, attributed to the action input `name`.
    #[must_use]
    pub fn with_input(mut self, name: &str) -> Self {
        self.input = Some(name.into());
        self
    }

    pub(crate) const fn base64() -> Self {
        Error::new(ErrorKind::InvalidBase64, "value is not valid base64")
    }
    pub(crate) const fn auth() -> Self {
        Error::new(
            ErrorKind::AuthenticationFailed,
            "decryption failed: wrong key or tampered value",
        )
    }
    pub(crate) const fn malformed(reason: &'static str) -> Self {
        Error::new(ErrorKind::Malformed, reason)
    }
    pub(crate) const fn key(reason: &'static str) -> Self {
        Error::new(ErrorKind::InvalidKey, reason)
    }
    pub(crate) const fn utf8() -> Self {
        Error::new(ErrorKind::InvalidUtf8, "plaintext is not valid UTF-8")
    }
    pub(crate) const fn json(reason: &'static str) -> Self {
        Error::new(ErrorKind::InvalidJson, reason)
    }
    /// `malformed`: a JSON value built from a caller's own objects (a Python `dict`, a
    /// JavaScript object) went past [`MAX_JSON_DEPTH`](crate::MAX_JSON_DEPTH) or
    /// [`MAX_JSON_VALUES`](crate::MAX_JSON_VALUES): cyclic, too deep, or too large to walk.
    pub const fn json_too_large() -> Self {
        Error::malformed(JSON_TOO_LARGE)
    }
}

/// The reason of [`Error::json_too_large`], written from the two limits so it cannot drift.
const JSON_TOO_LARGE: &str = JSON_TOO_LARGE_TEXT.as_str();
static JSON_TOO_LARGE_TEXT: ConstText<128> = ConstText::new()
    .push("a JSON value is nested more than ")
    .push_number(crate::MAX_JSON_DEPTH)
    .push(" levels deep (or cyclic), or holds more than ")
    .push_number(crate::MAX_JSON_VALUES)
    .push(" values");

/// Text built at compile time (a `&'static str` reason may hold a number from a constant).
/// Overflowing `N` fails the build.
struct ConstText<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> ConstText<N> {
    const fn new() -> Self {
        ConstText {
            bytes: [0; N],
            len: 0,
        }
    }

    const fn push(mut self, text: &str) -> Self {
        let text = text.as_bytes();
        let mut i = 0;
        while i < text.len() {
            self.bytes[self.len] = text[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn push_number(mut self, mut n: usize) -> Self {
        let mut digits = [0u8; 20];
        let mut count = 0;
        loop {
            // `n % 10` is below 10: the cast cannot truncate.
            #[allow(clippy::cast_possible_truncation)]
            let digit = (n % 10) as u8;
            digits[count] = b'0' + digit;
            count += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        while count > 0 {
            count -= 1;
            self.bytes[self.len] = digits[count];
            self.len += 1;
        }
        self
    }

    const fn as_str(&'static self) -> &'static str {
        match core::str::from_utf8(self.bytes.split_at(self.len).0) {
            Ok(text) => text,
            Err(_) => panic!("ConstText holds only whole UTF-8 strings and ASCII digits"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.reason)?;
        if let Some(input) = &self.input {
            write!(f, " (input {input:?})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("code", &self.kind.code())
            .field("reason", &self.reason);
        if let Some(input) = &self.input {
            d.field("input", input);
        }
        d.finish()
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn json_too_large_names_both_limits() {
        let want = format!(
            "a JSON value is nested more than {} levels deep (or cyclic), or holds more than {} values",
            crate::MAX_JSON_DEPTH,
            crate::MAX_JSON_VALUES
        );
        assert_eq!(Error::json_too_large().reason(), want);
        assert_eq!(Error::json_too_large().code(), "malformed");
    }
}
