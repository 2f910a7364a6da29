//! Strict base64: standard alphabet with padding for values, URL-safe with padding for Fernet.
//! No whitespace, no missing padding, no non-zero trailing bits.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

use crate::error::{Error, Result};

/// Size cap applied to an encoded value before any decoding: 1 MiB.
pub const DEFAULT_MAX_INPUT_LEN: usize = 1 << 20;

pub(crate) fn check_len(value: &[u8], max: usize) -> Result<()> {
    if value.len() > max {
        return Err(Error::malformed("value exceeds the size limit"));
    }
    Ok(())
}

pub(crate) fn decode_standard(value: &[u8], max: usize) -> Result<Vec<u8>> {
    check_len(value, max)?;
    if value.is_empty() {
        return Err(Error::base64());
    }
    STANDARD.decode(value).map_err(|_| Error::base64())
}

pub(crate) fn decode_url_safe(value: &[u8], max: usize) -> Result<Vec<u8>> {
    check_len(value, max)?;
    if value.is_empty() {
        return Err(Error::base64());
    }
    URL_SAFE.decode(value).map_err(|_| Error::base64())
}

pub(crate) fn encode_standard(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub(crate) fn encode_url_safe(bytes: &[u8]) -> String {
    URL_SAFE.encode(bytes)
}
