//! `client-side` hybrid encryption, as Port's browser does it:
//! `base64(IV[12] ‖ RSA-OAEP-SHA-256(AES key[32]) ‖ ciphertext ‖ tag[16])`.
//!
//! The wrapped key is exactly as long as the RSA modulus (256, 384 or 512 bytes).
//! A failed OAEP unwrap and a failed GCM tag are one error, `authentication_failed`, produced
//! after the same work: when OAEP fails, a random key stands in and the GCM check runs anyway.

use aes_gcm::{AeadInOut, Aes256Gcm, KeyInit, Nonce, Tag};
use zeroize::Zeroizing;

use crate::b64;
use crate::error::{Error, Result};
use crate::rsa_key::{RsaPrivateKey, RsaPublicKey};
use crate::secret::{Plaintext, SecretString};

/// IV length of the `client-side` format (the 96-bit GCM nonce WebCrypto uses).
pub const IV_LEN: usize = 12;
/// GCM tag length.
pub const TAG_LEN: usize = 16;
/// Length of the wrapped AES key once unwrapped.
pub const AES_KEY_LEN: usize = 32;

/// A decoded `client-side` value.
pub(crate) struct Sealed {
    raw: Vec<u8>,
}

impl Sealed {
    pub(crate) fn decode(value: &[u8], max_len: usize) -> Result<Self> {
        Ok(Sealed {
            raw: b64::decode_standard(value, max_len)?,
        })
    }

    /// Whether the value is long enough for a key with this modulus length.
    pub(crate) fn fits(&self, modulus_len: usize) -> bool {
        self.raw.len() >= IV_LEN + modulus_len + TAG_LEN
    }

    pub(crate) fn too_short() -> Error {
        Error::malformed("client-side value is shorter than IV, wrapped key and tag")
    }

    /// Decrypts with one private key. Leaves `self` untouched, so another key can be tried.
    pub(crate) fn open_with(&self, key: &RsaPrivateKey) -> Result<Plaintext> {
        let k = key.modulus_len();
        if !self.fits(k) {
            return Err(Self::too_short());
        }
        let raw = &self.raw;
        let iv = Nonce::<aes_gcm::aead::consts::U12>::try_from(&raw[..IV_LEN])
            .map_err(|_| Self::too_short())?;
        let wrapped = &raw[IV_LEN..IV_LEN + k];
        let tag_at = raw.len() - TAG_LEN;
        let tag = Tag::<aes_gcm::aead::consts::U16>::try_from(&raw[tag_at..])
            .map_err(|_| Self::too_short())?;

        // One path for every failure: an OAEP failure or a wrong-length key gets a random
        // stand-in key, and the GCM tag check below fails on it exactly as on a tampered value.
        let mut aes_key = Zeroizing::new([0u8; AES_KEY_LEN]);
        crate::rand::fill(aes_key.as_mut_slice())?;
        let unwrapped = key.oaep_decrypt(wrapped);
        let unwrap_ok = match &unwrapped {
            Some(k) if k.len() == AES_KEY_LEN => {
                aes_key.copy_from_slice(k);
                true
            }
            _ => false,
        };
        let gcm = Aes256Gcm::new_from_slice(aes_key.as_slice()).map_err(|_| Error::auth())?;
        let mut body = raw[IV_LEN + k..tag_at].to_vec();
        let tag_ok = gcm
            .decrypt_inout_detached(&iv, &[], body.as_mut_slice().into(), &tag)
            .is_ok();
        if unwrap_ok & tag_ok {
            Ok(Plaintext::new(body))
        } else {
            Err(Error::auth())
        }
    }
}

pub(crate) fn encrypt_with(key: &RsaPublicKey, plaintext: &[u8]) -> Result<String> {
    let mut aes_key = Zeroizing::new([0u8; AES_KEY_LEN]);
    crate::rand::fill(aes_key.as_mut_slice())?;
    let wrapped = key.oaep_encrypt(aes_key.as_slice())?;
    let k = key.modulus_len();
    if wrapped.len() != k {
        return Err(Error::key("RSA-OAEP output has the wrong length"));
    }
    let mut out = vec![0u8; IV_LEN + k + plaintext.len() + TAG_LEN];
    crate::rand::fill(&mut out[..IV_LEN])?;
    let iv = Nonce::<aes_gcm::aead::consts::U12>::try_from(&out[..IV_LEN])
        .map_err(|_| Error::malformed("bad IV"))?;
    out[IV_LEN..IV_LEN + k].copy_from_slice(&wrapped);
    let body = IV_LEN + k;
    let body_end = body + plaintext.len();
    out[body..body_end].copy_from_slice(plaintext);
    let gcm = Aes256Gcm::new_from_slice(aes_key.as_slice()).map_err(|_| Error::auth())?;
    let tag = gcm
        .encrypt_inout_detached(&iv, &[], (&mut out[body..body_end]).into())
        .map_err(|_| Error::malformed("plaintext too long"))?;
    out[body_end..].copy_from_slice(&tag);
    Ok(b64::encode_standard(&out))
}

/// Decrypts a `client-side` value with an RSA private key PEM (PKCS#8 or PKCS#1), to bytes.
///
/// Parsing the key is the expensive part: to decrypt many values, build a
/// [`Decryptor`](crate::Decryptor) once.
///
/// # Errors
/// `invalid_key`, `invalid_base64`, `malformed`, `authentication_failed`.
pub fn decrypt_client_side_bytes(
    value: impl AsRef<[u8]>,
    private_key_pem: &str,
) -> Result<Plaintext> {
    let key = RsaPrivateKey::from_pem(private_key_pem)?;
    Sealed::decode(value.as_ref(), b64::DEFAULT_MAX_INPUT_LEN)?.open_with(&key)
}

/// Decrypts a `client-side` value with an RSA private key PEM, to text.
///
/// # Errors
/// As [`decrypt_client_side_bytes`], plus `invalid_utf8`.
pub fn decrypt_client_side(value: impl AsRef<[u8]>, private_key_pem: &str) -> Result<SecretString> {
    decrypt_client_side_bytes(value, private_key_pem)?.into_text()
}

/// Encrypts as Port's browser does: a random AES-256 key and 12-byte IV, the key wrapped with
/// RSA-OAEP(SHA-256) under the action's public key (SPKI PEM, `BEGIN PUBLIC KEY`).
///
/// # Errors
/// `invalid_key` if the PEM is not an RSA public key of 2048 to 4096 bits.
pub fn encrypt_client_side(plaintext: impl AsRef<[u8]>, public_key_pem: &str) -> Result<String> {
    let key = RsaPublicKey::from_pem(public_key_pem)?;
    encrypt_with(&key, plaintext.as_ref())
}
