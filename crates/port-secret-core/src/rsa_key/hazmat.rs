//! Low-level RSA-OAEP access for tests against Wycheproof. Not part of the stable API.

use super::{Backend, RsaPrivateKey};
use crate::error::Result;

/// RSA-OAEP(SHA-256, MGF1-SHA-256, empty label) decrypt with a PKCS#8 DER key.
/// `Ok(None)` when decryption fails.
///
/// # Errors
/// `invalid_key` if the key does not parse or is outside 2048..=4096 bits.
pub fn oaep_sha256_decrypt(
    backend: Backend,
    pkcs8_der: &[u8],
    ct: &[u8],
) -> Result<Option<Vec<u8>>> {
    let key = RsaPrivateKey::from_pkcs8_der(pkcs8_der, backend)?;
    Ok(key.oaep_decrypt(ct).map(|p| p.to_vec()))
}
