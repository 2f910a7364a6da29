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
        Error::malformed(
            "a JSON value is nested more than 128 levels deep (or cyclic), or holds more than 1000000 values",
        )
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

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        let reason = match kind {
            ErrorKind::InvalidBase64 => "value is not valid base64",
            ErrorKind::Malformed => "value has the wrong layout",
            ErrorKind::AuthenticationFailed => "decryption failed: wrong key or tampered value",
            ErrorKind::InvalidKey => "the key is not usable",
            ErrorKind::InvalidUtf8 => "plaintext is not valid UTF-8",
            ErrorKind::InvalidJson => "text is not valid JSON",
            ErrorKind::Expired => "expired",
            ErrorKind::UnsupportedEncryption => "unsupported encryption",
            ErrorKind::InvalidSignature => "signature does not match",
        };
        Error::new(kind, reason)
    }
}
