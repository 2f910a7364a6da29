//! The `encryption` field of an action input.

use core::fmt;
use core::str::FromStr;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};

/// How an input is encrypted: exactly what the action definition's `encryption` holds.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encryption {
    /// `"aes256-gcm"`: Port-managed, keyed with the client secret.
    Aes256Gcm,
    /// `"fernet"`: legacy, keyed with the client secret.
    Fernet,
    /// `{"algorithm": "client-side", "key": "<public PEM>"}` (or the bare `"client-side"`).
    ClientSide {
        /// The action's public key, if given; selects the matching private key.
        key: Option<String>,
    },
}

fn unsupported() -> Error {
    Error::new(
        ErrorKind::UnsupportedEncryption,
        "encryption must be \"aes256-gcm\", \"fernet\" or client-side",
    )
}

impl Encryption {
    /// Reads an `encryption` value from an action definition: a string, or an object with
    /// `algorithm` and optional `key`.
    ///
    /// # Errors
    /// `unsupported_encryption` for anything else.
    pub fn from_json(value: &Value) -> Result<Self> {
        match value {
            Value::String(s) => Self::from_name(s),
            Value::Object(map) => {
                let algorithm = map
                    .get("algorithm")
                    .and_then(Value::as_str)
                    .ok_or_else(unsupported)?;
                match Self::from_name(algorithm)? {
                    Encryption::ClientSide { .. } => {
                        let key = match map.get("key") {
                            None | Some(Value::Null) => None,
                            Some(Value::String(k)) => Some(k.clone()),
                            Some(_) => return Err(unsupported()),
                        };
                        Ok(Encryption::ClientSide { key })
                    }
                    other => Ok(other),
                }
            }
            _ => Err(unsupported()),
        }
    }

    /// Reads an `encryption` argument given as text: the one rule every binding applies to a
    /// text `encryption` (C, and through it Go and Java; Python; Node), and what [`str::parse`]
    /// does (`FromStr` calls this).
    ///
    /// Accepted: a bare name (`aes256-gcm`, `fernet`, `client-side`), or JSON text holding what
    /// an action definition's `encryption` holds (`"\"fernet\""`,
    /// `{"algorithm":"client-side","key":"<PEM>"}`), read as [`Encryption::from_json`] reads it.
    /// Text is JSON when its first non-blank character is `{` or `"`; anything else must be
    /// exactly a name (no white space around it).
    ///
    /// ```
    /// use port_secret_core::Encryption;
    /// assert_eq!(Encryption::from_json_str("fernet")?, Encryption::Fernet);
    /// assert_eq!(Encryption::from_json_str("\"fernet\"")?, Encryption::Fernet);
    /// assert_eq!("fernet".parse::<Encryption>()?, Encryption::Fernet);
    /// assert!(Encryption::from_json_str(r#"{"algorithm":"client-side"}"#)?.name() == "client-side");
    /// assert_eq!(Encryption::from_json_str("rot13").unwrap_err().code(), "unsupported_encryption");
    /// # Ok::<(), port_secret_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// `unsupported_encryption` for anything else (unknown names, text that is not JSON, JSON
    /// that is not an `encryption`).
    pub fn from_json_str(text: &str) -> Result<Self> {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('"') {
            let value: Value = serde_json::from_str(text).map_err(|_| unsupported())?;
            Self::from_json(&value)
        } else {
            Self::from_name(text)
        }
    }

    /// A bare algorithm name, as a definition's string `encryption` or `algorithm` holds it.
    fn from_name(name: &str) -> Result<Self> {
        match name {
            "aes256-gcm" => Ok(Encryption::Aes256Gcm),
            "fernet" => Ok(Encryption::Fernet),
            "client-side" => Ok(Encryption::ClientSide { key: None }),
            _ => Err(unsupported()),
        }
    }

    /// The algorithm name: `"aes256-gcm"`, `"fernet"` or `"client-side"`.
    pub fn name(&self) -> &'static str {
        match self {
            Encryption::Aes256Gcm => "aes256-gcm",
            Encryption::Fernet => "fernet",
            Encryption::ClientSide { .. } => "client-side",
        }
    }
}

/// The same rule as [`Encryption::from_json_str`]: a bare name or JSON text.
impl FromStr for Encryption {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_json_str(s)
    }
}

impl fmt::Debug for Encryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Encryption::ClientSide { key } => f
                .debug_struct("ClientSide")
                .field("key", &key.as_ref().map(|_| "<public key>"))
                .finish(),
            other => f.write_str(other.name()),
        }
    }
}

impl fmt::Display for Encryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
