//! Key pair generation for client-side encryption, on either backend.

use core::fmt;

use super::{Backend, dispatch};
use crate::error::{Error, Result};
use crate::pem;

/// A freshly generated RSA key pair, as PEM.
#[derive(Clone)]
pub struct KeyPair {
    /// PKCS#8 private key (`BEGIN PRIVATE KEY`). Secret: zeroized on drop.
    pub private_key_pem: crate::SecretString,
    /// SPKI public key (`BEGIN PUBLIC KEY`): what goes in the action's `encryption.key`.
    pub public_key_pem: String,
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("private_key_pem", &"[REDACTED]")
            .field("public_key_pem", &self.public_key_pem)
            .finish()
    }
}

/// Generates an RSA key pair for client-side encryption.
///
/// # Errors
/// `invalid_key` if `bits` is not 2048, 3072 or 4096.
pub fn generate_key_pair(bits: usize) -> Result<KeyPair> {
    generate_key_pair_with(bits, Backend::DEFAULT)
}

/// [`generate_key_pair`] on a chosen backend.
///
/// # Errors
/// As [`generate_key_pair`].
#[doc(hidden)]
pub fn generate_key_pair_with(bits: usize, backend: Backend) -> Result<KeyPair> {
    if !matches!(bits, 2048 | 3072 | 4096) {
        return Err(Error::key("key size must be 2048, 3072 or 4096 bits"));
    }
    let (pkcs8, spki) =
        dispatch::generate(bits, backend).ok_or(Error::key("RSA key generation failed"))?;
    let private_pem = pem::encode("PRIVATE KEY", &pkcs8);
    let public_pem = pem::encode("PUBLIC KEY", &spki);
    Ok(KeyPair {
        private_key_pem: crate::SecretString::from_string(private_pem.to_string()),
        public_key_pem: public_pem.to_string(),
    })
}
