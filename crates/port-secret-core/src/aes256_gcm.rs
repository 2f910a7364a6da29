//! `aes256-gcm`, Port-managed encryption: `base64(IV[16] ‖ ciphertext ‖ tag[16])`, AES-256-GCM
//! keyed with the first 32 bytes of the client secret.
//!
//! The 16-byte IV is what Port's server uses; GCM hashes a non-96-bit IV into the initial counter
//! (NIST SP 800-38D), so this is `AesGcm<Aes256, U16>`, not the common `Aes256Gcm`.

use aes_gcm::aead::consts::U16;
use aes_gcm::aes::Aes256;
use aes_gcm::{AeadInOut, AesGcm, KeyInit, Nonce, Tag};

use crate::b64;
use crate::error::{Error, Result};
use crate::secret::Plaintext;

/// IV length of the `aes256-gcm` format.
pub const IV_LEN: usize = 16;
/// GCM tag length.
pub const TAG_LEN: usize = 16;
/// Key length taken from the client secret.
pub const KEY_LEN: usize = 32;

pub(crate) type PortGcm = AesGcm<Aes256, U16>;

/// The first 32 bytes of the client secret, or `invalid_key`.
pub(crate) fn secret_key(client_secret: &str) -> Result<&[u8]> {
    crate::signature::check_client_secret(client_secret)?;
    let bytes = client_secret.as_bytes();
    if bytes.len() < KEY_LEN {
        return Err(Error::key("client secret is shorter than 32 bytes"));
    }
    Ok(&bytes[..KEY_LEN])
}

pub(crate) fn cipher(client_secret: &str) -> Result<PortGcm> {
    let key = secret_key(client_secret)?;
    PortGcm::new_from_slice(key).map_err(|_| Error::key("client secret is shorter than 32 bytes"))
}

/// A decoded `aes256-gcm` value, split once so that several keys can be tried.
pub(crate) struct Sealed {
    iv: Nonce<U16>,
    tag: Tag<U16>,
    body: Vec<u8>,
}

impl Sealed {
    pub(crate) fn decode(value: &[u8], max_len: usize) -> Result<Self> {
        let mut raw = b64::decode_standard(value, max_len)?;
        if raw.len() < IV_LEN + TAG_LEN {
            return Err(Error::malformed(
                "aes256-gcm value is shorter than IV and tag (32 bytes)",
            ));
        }
        let tag_at = raw.len() - TAG_LEN;
        let iv = Nonce::<U16>::try_from(&raw[..IV_LEN]).map_err(|_| Error::malformed("bad IV"))?;
        let tag = Tag::<U16>::try_from(&raw[tag_at..]).map_err(|_| Error::malformed("bad tag"))?;
        raw.copy_within(IV_LEN..tag_at, 0);
        raw.truncate(tag_at - IV_LEN);
        Ok(Sealed { iv, tag, body: raw })
    }

    /// Tries one key. On failure the body is left untouched (aes-gcm checks the tag before
    /// applying the keystream), so the next key can be tried.
    pub(crate) fn open_with(&mut self, gcm: &PortGcm) -> Result<()> {
        gcm.decrypt_inout_detached(&self.iv, &[], self.body.as_mut_slice().into(), &self.tag)
            .map_err(|_| Error::auth())
    }

    pub(crate) fn into_plaintext(self) -> Plaintext {
        Plaintext::new(self.body)
    }
}

pub(crate) fn decrypt_with(gcm: &PortGcm, value: &[u8], max_len: usize) -> Result<Plaintext> {
    let mut sealed = Sealed::decode(value, max_len)?;
    sealed.open_with(gcm)?;
    Ok(sealed.into_plaintext())
}

pub(crate) fn encrypt_with(gcm: &PortGcm, plaintext: &[u8]) -> Result<String> {
    let mut out = vec![0u8; IV_LEN + plaintext.len() + TAG_LEN];
    crate::rand::fill(&mut out[..IV_LEN])?;
    let iv = Nonce::<U16>::try_from(&out[..IV_LEN]).map_err(|_| Error::malformed("bad IV"))?;
    let body_end = IV_LEN + plaintext.len();
    out[IV_LEN..body_end].copy_from_slice(plaintext);
    let tag = gcm
        .encrypt_inout_detached(&iv, &[], (&mut out[IV_LEN..body_end]).into())
        .map_err(|_| Error::malformed("plaintext too long"))?;
    out[body_end..].copy_from_slice(&tag);
    Ok(b64::encode_standard(&out))
}

/// Decrypts a Port-managed `aes256-gcm` value to bytes.
///
/// # Errors
/// `invalid_key` (secret under 32 bytes), `invalid_base64`, `malformed` (shorter than 32 bytes
/// decoded, or over [`DEFAULT_MAX_INPUT_LEN`](crate::DEFAULT_MAX_INPUT_LEN) encoded),
/// `authentication_failed`.
pub fn decrypt_aes256_gcm_bytes(value: impl AsRef<[u8]>, client_secret: &str) -> Result<Plaintext> {
    let gcm = cipher(client_secret)?;
    decrypt_with(&gcm, value.as_ref(), b64::DEFAULT_MAX_INPUT_LEN)
}

/// Decrypts a Port-managed `aes256-gcm` value to text.
///
/// ```
/// let secret = "demo-client-secret-0123456789abcdefghijkl";
/// let value = port_secret_core::encrypt_aes256_gcm("hunter2", secret)?;
/// assert_eq!(&*port_secret_core::decrypt_aes256_gcm(&value, secret)?, "hunter2");
/// # Ok::<(), port_secret_core::Error>(())
/// ```
///
/// # Errors
/// As [`decrypt_aes256_gcm_bytes`], plus `invalid_utf8`.
pub fn decrypt_aes256_gcm(
    value: impl AsRef<[u8]>,
    client_secret: &str,
) -> Result<crate::SecretString> {
    decrypt_aes256_gcm_bytes(value, client_secret)?.into_text()
}

/// Encrypts as Port's server does: a fresh random 16-byte IV for every call.
///
/// # Errors
/// `invalid_key` (secret under 32 bytes).
pub fn encrypt_aes256_gcm(plaintext: impl AsRef<[u8]>, client_secret: &str) -> Result<String> {
    let gcm = cipher(client_secret)?;
    encrypt_with(&gcm, plaintext.as_ref())
}

/// Raw AES-256-GCM open with the exact cipher types of the two formats (16-byte IV for
/// `aes256-gcm`, 12-byte IV for `client-side`), for Wycheproof tests. Not a stable API.
///
/// # Errors
/// `malformed` for another IV length or a short input, `authentication_failed` on a bad tag.
#[doc(hidden)]
pub fn hazmat_open(key: &[u8], iv: &[u8], ct_and_tag: &[u8]) -> Result<Vec<u8>> {
    if ct_and_tag.len() < TAG_LEN {
        return Err(Error::malformed("shorter than the tag"));
    }
    let (ct, tag) = ct_and_tag.split_at(ct_and_tag.len() - TAG_LEN);
    let tag = Tag::<U16>::try_from(tag).map_err(|_| Error::malformed("bad tag"))?;
    let mut body = ct.to_vec();
    match iv.len() {
        IV_LEN => {
            let gcm = PortGcm::new_from_slice(key).map_err(|_| Error::key("bad key length"))?;
            let iv = Nonce::<U16>::try_from(iv).map_err(|_| Error::malformed("bad IV"))?;
            gcm.decrypt_inout_detached(&iv, &[], body.as_mut_slice().into(), &tag)
        }
        12 => {
            let gcm = aes_gcm::Aes256Gcm::new_from_slice(key)
                .map_err(|_| Error::key("bad key length"))?;
            let iv = Nonce::<aes_gcm::aead::consts::U12>::try_from(iv)
                .map_err(|_| Error::malformed("bad IV"))?;
            gcm.decrypt_inout_detached(&iv, &[], body.as_mut_slice().into(), &tag)
        }
        _ => return Err(Error::malformed("unsupported IV length")),
    }
    .map_err(|_| Error::auth())?;
    Ok(body)
}
