//! The `aws-lc-rs` RSA backend (feature `aws-lc`): AWS-LC's RSA-OAEP and key generation.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    KeySize, OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, OaepPublicEncryptingKey,
    PrivateDecryptingKey, PublicEncryptingKey,
};
use zeroize::Zeroizing;

pub(super) struct Private(OaepPrivateDecryptingKey);
pub(super) struct Public(OaepPublicEncryptingKey);

/// The key, its modulus size in bits and the DER of its public key (SPKI).
pub(super) fn private_from_pkcs8(der: &[u8]) -> Option<(Private, usize, Vec<u8>)> {
    let key = PrivateDecryptingKey::from_pkcs8(der).ok()?;
    let bits = key.key_size_bits();
    let spki = key.public_key().as_der().ok()?.as_ref().to_vec();
    Some((
        Private(OaepPrivateDecryptingKey::new(key).ok()?),
        bits,
        spki,
    ))
}

/// The key, its modulus size in bits and its DER (SPKI).
pub(super) fn public_from_spki(der: &[u8]) -> Option<(Public, usize, Vec<u8>)> {
    let key = PublicEncryptingKey::from_der(der).ok()?;
    let bits = key.key_size_bits();
    let spki = key.as_der().ok()?.as_ref().to_vec();
    Some((Public(OaepPublicEncryptingKey::new(key).ok()?), bits, spki))
}

impl Private {
    pub(super) fn decrypt(&self, ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(vec![0u8; self.0.min_output_size()]);
        let n = self
            .0
            .decrypt(&OAEP_SHA256_MGF1SHA256, ct, &mut out, None)
            .ok()?
            .len();
        out.truncate(n);
        Some(out)
    }
}

impl Public {
    pub(super) fn encrypt(&self, pt: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; self.0.ciphertext_size()];
        let n = self
            .0
            .encrypt(&OAEP_SHA256_MGF1SHA256, pt, &mut out, None)
            .ok()?
            .len();
        out.truncate(n);
        Some(out)
    }
}

/// A new key pair: PKCS#8 DER of the private key, SPKI DER of the public key.
pub(super) fn generate(bits: usize) -> Option<(Zeroizing<Vec<u8>>, Vec<u8>)> {
    let size = match bits {
        2048 => KeySize::Rsa2048,
        3072 => KeySize::Rsa3072,
        4096 => KeySize::Rsa4096,
        _ => return None,
    };
    let key = PrivateDecryptingKey::generate(size).ok()?;
    let pkcs8 = Zeroizing::new(key.as_der().ok()?.as_ref().to_vec());
    let spki = key.public_key().as_der().ok()?.as_ref().to_vec();
    Some((pkcs8, spki))
}
