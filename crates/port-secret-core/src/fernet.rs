//! `fernet` (legacy): the [Fernet spec](https://github.com/fernet/spec/blob/master/Spec.md) token,
//! keyed with `urlsafe_b64encode(client_secret[..32])`, i.e. signing key = bytes 0..16 and
//! encryption key = bytes 16..32 of the client secret.
//!
//! Token: `base64url(0x80 ‖ timestamp[8, big-endian] ‖ IV[16] ‖ AES-128-CBC-PKCS7 ciphertext ‖
//! HMAC-SHA256[32])`. The HMAC is checked in constant time before anything else is looked at.
//! Port stopped invoking actions with `fernet` inputs in November 2023; decrypting stored values
//! stays supported.

use aes::Aes128;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyInit};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::b64;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::{Plaintext, SecretString};

/// Token version byte.
pub const VERSION: u8 = 0x80;
/// Length of the timestamp field.
pub const TIMESTAMP_LEN: usize = 8;
/// Length of the IV.
pub const IV_LEN: usize = 16;
/// Length of the HMAC-SHA256 trailer.
pub const HMAC_LEN: usize = 32;
/// Version, timestamp and IV.
pub const HEADER_LEN: usize = 1 + TIMESTAMP_LEN + IV_LEN;
/// Shortest possible token: header, one cipher block, HMAC.
pub const MIN_TOKEN_LEN: usize = HEADER_LEN + 16 + HMAC_LEN;
/// How far in the future a token's timestamp may be when a TTL is checked.
pub const MAX_CLOCK_SKEW: u64 = 60;

/// Keys derived once from a client secret.
#[derive(Clone)]
pub(crate) struct FernetKey {
    mac: Hmac<Sha256>,
    cipher: Aes128,
}

impl FernetKey {
    pub(crate) fn from_client_secret(client_secret: &str) -> Result<Self> {
        let key = crate::aes256_gcm::secret_key(client_secret)?;
        let bad = || Error::key("client secret is shorter than 32 bytes");
        Ok(FernetKey {
            mac: <Hmac<Sha256> as KeyInit>::new_from_slice(&key[..16]).map_err(|_| bad())?,
            cipher: Aes128::new_from_slice(&key[16..32]).map_err(|_| bad())?,
        })
    }
}

/// A decoded token, split once so that several keys can be tried.
pub(crate) struct Token {
    raw: Vec<u8>,
}

impl Token {
    pub(crate) fn decode(token: &[u8], max_len: usize) -> Result<Self> {
        let raw = b64::decode_url_safe(token, max_len)?;
        if raw.len() < MIN_TOKEN_LEN {
            return Err(Error::malformed("fernet token is too short"));
        }
        Ok(Token { raw })
    }

    /// Whether the HMAC verifies under `key` (constant time).
    pub(crate) fn authentic(&self, key: &FernetKey) -> bool {
        let split = self.raw.len() - HMAC_LEN;
        let mut mac = key.mac.clone();
        mac.update(&self.raw[..split]);
        mac.verify_slice(&self.raw[split..]).is_ok()
    }

    /// Decrypts an authentic token (call [`Token::authentic`] first).
    pub(crate) fn open_authentic(
        &self,
        key: &FernetKey,
        ttl: Option<u64>,
        now: u64,
    ) -> Result<Plaintext> {
        let raw = &self.raw;
        if raw[0] != VERSION {
            return Err(Error::malformed("fernet token has an unknown version"));
        }
        let mut ts_bytes = [0u8; TIMESTAMP_LEN];
        ts_bytes.copy_from_slice(&raw[1..1 + TIMESTAMP_LEN]);
        let timestamp = u64::from_be_bytes(ts_bytes);
        if let Some(ttl) = ttl {
            if timestamp.saturating_add(ttl) < now {
                return Err(Error::new(
                    ErrorKind::Expired,
                    "fernet token is older than its TTL",
                ));
            }
            if now.saturating_add(MAX_CLOCK_SKEW) < timestamp {
                return Err(Error::new(
                    ErrorKind::Expired,
                    "fernet token is from the future (clock skew over 60 s)",
                ));
            }
        }
        let ciphertext = &raw[HEADER_LEN..raw.len() - HMAC_LEN];
        if !ciphertext.len().is_multiple_of(16) {
            return Err(Error::malformed(
                "fernet ciphertext is not a multiple of the block size",
            ));
        }
        let iv = &raw[1 + TIMESTAMP_LEN..HEADER_LEN];
        let dec = cbc::Decryptor::<Aes128>::inner_iv_slice_init(key.cipher.clone(), iv)
            .map_err(|_| Error::malformed("bad IV"))?;
        let mut buf = Zeroizing::new(ciphertext.to_vec());
        let n = dec
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(|_| Error::malformed("fernet plaintext has bad padding"))?
            .len();
        buf.truncate(n);
        Ok(Plaintext::new(core::mem::take(&mut *buf)))
    }
}

pub(crate) fn decrypt_with(
    keys: &[&FernetKey],
    token: &[u8],
    ttl: Option<u64>,
    now: u64,
    max_len: usize,
) -> Result<Plaintext> {
    let token = Token::decode(token, max_len)?;
    for key in keys {
        if token.authentic(key) {
            return token.open_authentic(key, ttl, now);
        }
    }
    Err(Error::auth())
}

pub(crate) fn encrypt_with(
    key: &FernetKey,
    plaintext: &[u8],
    now: u64,
    iv: [u8; IV_LEN],
) -> String {
    let padded_len = (plaintext.len() / 16 + 1) * 16;
    let mut out = Vec::with_capacity(HEADER_LEN + padded_len + HMAC_LEN);
    out.push(VERSION);
    out.extend_from_slice(&now.to_be_bytes());
    out.extend_from_slice(&iv);
    let start = out.len();
    out.resize(start + padded_len, 0);
    out[start..start + plaintext.len()].copy_from_slice(plaintext);
    let enc = cbc::Encryptor::<Aes128>::inner_iv_init(key.cipher.clone(), &iv.into());
    // The buffer holds exactly the padded length, so padding cannot fail.
    let _ = enc.encrypt_padded::<Pkcs7>(&mut out[start..], plaintext.len());
    let mut mac = key.mac.clone();
    mac.update(&out);
    let tag = mac.finalize().into_bytes();
    out.extend_from_slice(&tag);
    b64::encode_url_safe(&out)
}

pub(crate) fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Decrypts a Fernet token at a given time (unix seconds), to bytes.
///
/// # Errors
/// `invalid_key`, `invalid_base64`, `malformed`, `authentication_failed`, and `expired` (only for
/// a token whose HMAC verified).
pub fn decrypt_fernet_at(
    token: impl AsRef<[u8]>,
    client_secret: &str,
    ttl: Option<u64>,
    now: u64,
) -> Result<Plaintext> {
    let key = FernetKey::from_client_secret(client_secret)?;
    decrypt_with(
        &[&key],
        token.as_ref(),
        ttl,
        now,
        b64::DEFAULT_MAX_INPUT_LEN,
    )
}

/// Decrypts a Fernet token to bytes; with `ttl`, a token older than `ttl` seconds is `expired`.
///
/// # Errors
/// As [`decrypt_fernet_at`].
pub fn decrypt_fernet_bytes(
    token: impl AsRef<[u8]>,
    client_secret: &str,
    ttl: Option<u64>,
) -> Result<Plaintext> {
    decrypt_fernet_at(token, client_secret, ttl, now_unix())
}

/// Decrypts a Fernet token to text.
///
/// # Errors
/// As [`decrypt_fernet_at`], plus `invalid_utf8`.
pub fn decrypt_fernet(
    token: impl AsRef<[u8]>,
    client_secret: &str,
    ttl: Option<u64>,
) -> Result<SecretString> {
    decrypt_fernet_bytes(token, client_secret, ttl)?.into_text()
}

/// Encrypts to a Fernet token stamped with the current time and a random IV.
///
/// # Errors
/// `invalid_key` (secret under 32 bytes).
pub fn encrypt_fernet(plaintext: impl AsRef<[u8]>, client_secret: &str) -> Result<String> {
    let key = FernetKey::from_client_secret(client_secret)?;
    let mut iv = [0u8; IV_LEN];
    crate::rand::fill(&mut iv)?;
    Ok(encrypt_with(&key, plaintext.as_ref(), now_unix(), iv))
}

/// Encrypts with a fixed time and IV, to reproduce the Fernet spec's `generate` vectors.
/// For tests only: an IV MUST never repeat under one key.
///
/// # Errors
/// `invalid_key` (secret under 32 bytes).
#[doc(hidden)]
pub fn encrypt_fernet_from_parts(
    plaintext: impl AsRef<[u8]>,
    client_secret: &str,
    now: u64,
    iv: [u8; IV_LEN],
) -> Result<String> {
    let key = FernetKey::from_client_secret(client_secret)?;
    Ok(encrypt_with(&key, plaintext.as_ref(), now, iv))
}

/// Fernet with a raw 32-byte key (the spec's vectors give the key as base64url), for tests.
#[doc(hidden)]
pub mod raw {
    use super::*;

    fn key_from_b64(key_b64: &str) -> Result<FernetKey> {
        let bytes = Zeroizing::new(
            b64::decode_url_safe(key_b64.as_bytes(), 1024)
                .map_err(|_| Error::key("fernet key is not base64url"))?,
        );
        if bytes.len() != 32 {
            return Err(Error::key("fernet key must be 32 bytes"));
        }
        let bad = || Error::key("bad fernet key");
        Ok(FernetKey {
            mac: <Hmac<Sha256> as KeyInit>::new_from_slice(&bytes[..16]).map_err(|_| bad())?,
            cipher: Aes128::new_from_slice(&bytes[16..32]).map_err(|_| bad())?,
        })
    }

    /// Decrypt with a base64url Fernet key.
    ///
    /// # Errors
    /// As [`decrypt_fernet_at`](super::decrypt_fernet_at).
    pub fn decrypt(token: &str, key_b64: &str, ttl: Option<u64>, now: u64) -> Result<Plaintext> {
        let key = key_from_b64(key_b64)?;
        decrypt_with(
            &[&key],
            token.as_bytes(),
            ttl,
            now,
            b64::DEFAULT_MAX_INPUT_LEN,
        )
    }

    /// Encrypt with a base64url Fernet key, fixed time and IV.
    ///
    /// # Errors
    /// `invalid_key`.
    pub fn encrypt(plaintext: &[u8], key_b64: &str, now: u64, iv: [u8; IV_LEN]) -> Result<String> {
        let key = key_from_b64(key_b64)?;
        Ok(encrypt_with(&key, plaintext, now, iv))
    }
}
