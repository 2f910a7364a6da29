//! The pure-Rust RSA backend (feature `rsa`): RustCrypto's `rsa` 0.10.

use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::sha2::Sha256;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

pub(super) struct Private(rsa::PrivateKey);
pub(super) struct Public(rsa::PublicKey);

/// The key, its modulus size in bits and the DER of its public key (SPKI).
pub(super) fn private_from_pkcs8(der: &[u8]) -> Option<(Private, usize, Vec<u8>)> {
    let key = rsa::PrivateKey::from_pkcs8_der(der).ok()?;
    let bits = key.n().bit_width() as usize;
    let spki = key
        .to_public_key()
        .to_public_key_der()
        .ok()?
        .as_bytes()
        .to_vec();
    Some((Private(key), bits, spki))
}

/// The key, its modulus size in bits and its DER (SPKI).
pub(super) fn public_from_spki(der: &[u8]) -> Option<(Public, usize, Vec<u8>)> {
    let key = rsa::PublicKey::from_public_key_der(der).ok()?;
    let bits = key.n().bit_width() as usize;
    let spki = key.to_public_key_der().ok()?.as_bytes().to_vec();
    Some((Public(key), bits, spki))
}

impl Private {
    pub(super) fn decrypt(&self, ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        self.0.oaep_decrypt::<Sha256>(ct).ok().map(Zeroizing::new)
    }
}

impl Public {
    pub(super) fn encrypt(&self, pt: &[u8]) -> Option<Vec<u8>> {
        self.0.oaep_encrypt::<Sha256>(pt).ok()
    }
}

/// A new key pair: PKCS#8 DER of the private key, SPKI DER of the public key.
pub(super) fn generate(bits: usize) -> Option<(Zeroizing<Vec<u8>>, Vec<u8>)> {
    let mut rng = getrandom::SysRng;
    let key = rsa::PrivateKey::new(&mut rng, bits).ok()?;
    let pkcs8 = Zeroizing::new(key.to_pkcs8_der().ok()?.as_bytes().to_vec());
    let spki = key
        .to_public_key()
        .to_public_key_der()
        .ok()?
        .as_bytes()
        .to_vec();
    Some((pkcs8, spki))
}
