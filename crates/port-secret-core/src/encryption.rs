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
            Value::String(s) => s.parse(),
            Value::Object(map) => {
                let algorithm = map
                    .get("algorithm")
                    .and_then(Value::as_str)
                    .ok_or_else(unsupported)?;
                match algorithm.parse::<Encryption>()? {
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

    /// Parses JSON text holding an `encryption` value (`"\"aes256-gcm\""` or an object), or a
    /// bare name (`aes256-gcm`).
    ///
    /// # Errors
    /// `unsupported_encryption`.
    pub fn from_json_str(text: &str) -> Result<Self> {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('"') {
            let value: Value = serde_json::from_str(text).map_err(|_| unsupported())?;
            Self::from_json(&value)
        } else {
            text.parse()
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

impl FromStr for Encryption {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "aes256-gcm" => Ok(Encryption::Aes256Gcm),
            "fernet" => Ok(Encryption::Fernet),
            "client-side" => Ok(Encryption::ClientSide { key: None }),
            _ => Err(unsupported()),
        }
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
