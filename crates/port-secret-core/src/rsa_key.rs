//! RSA keys and RSA-OAEP(SHA-256, MGF1-SHA-256, no label), over one of two backends:
//! `aws-lc-rs` (feature `aws-lc`, used when enabled) or the pure-Rust `rsa` 0.10 (feature `rsa`).

use core::fmt;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::pem::{self, Label};

#[cfg(not(any(feature = "rsa", feature = "aws-lc")))]
compile_error!("port-secret-core needs an RSA backend: enable feature `rsa` or `aws-lc`");

/// Smallest accepted modulus, in bits.
pub const MIN_BITS: usize = 2048;
/// Largest accepted modulus, in bits.
pub const MAX_BITS: usize = 4096;

/// Which RSA implementation this build uses: `"aws-lc"` or `"rsa"`.
pub const RSA_BACKEND: &str = if cfg!(feature = "aws-lc") {
    "aws-lc"
} else {
    "rsa"
};

#[cfg(feature = "aws-lc")]
mod aws {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{
        KeySize, OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, OaepPublicEncryptingKey,
        PrivateDecryptingKey, PublicEncryptingKey,
    };
    use zeroize::Zeroizing;

    pub(super) struct Private(OaepPrivateDecryptingKey);
    pub(super) struct Public(OaepPublicEncryptingKey);

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
}

#[cfg(feature = "rsa")]
mod pure {
    use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
    use rsa::sha2::Sha256;
    use rsa::traits::PublicKeyParts;
    use zeroize::Zeroizing;

    pub(super) struct Private(rsa::PrivateKey);
    pub(super) struct Public(rsa::PublicKey);

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
}

/// An RSA implementation compiled into this build. Not part of the stable API: the public
/// functions use [`Backend::DEFAULT`]; benchmarks and the backend comparison tests pick one.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// AWS-LC through `aws-lc-rs` (feature `aws-lc`).
    #[cfg(feature = "aws-lc")]
    AwsLc,
    /// The pure-Rust `rsa` crate (feature `rsa`).
    #[cfg(feature = "rsa")]
    Rsa,
}

impl Backend {
    /// `AwsLc` when compiled in, else `Rsa`.
    #[cfg(feature = "aws-lc")]
    pub const DEFAULT: Backend = Backend::AwsLc;
    /// `AwsLc` when compiled in, else `Rsa`.
    #[cfg(not(feature = "aws-lc"))]
    pub const DEFAULT: Backend = Backend::Rsa;

    /// Every backend of this build.
    pub const ALL: &'static [Backend] = &[
        #[cfg(feature = "aws-lc")]
        Backend::AwsLc,
        #[cfg(feature = "rsa")]
        Backend::Rsa,
    ];

    /// `"aws-lc"` or `"rsa"`.
    pub const fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => "aws-lc",
            #[cfg(feature = "rsa")]
            Backend::Rsa => "rsa",
        }
    }
}

mod backend {
    use super::Backend;
    use zeroize::Zeroizing;

    pub(super) enum Private {
        #[cfg(feature = "aws-lc")]
        Aws(super::aws::Private),
        #[cfg(feature = "rsa")]
        Pure(Box<super::pure::Private>),
    }

    pub(super) enum Public {
        #[cfg(feature = "aws-lc")]
        Aws(super::aws::Public),
        #[cfg(feature = "rsa")]
        Pure(super::pure::Public),
    }

    pub(super) fn private_from_pkcs8(
        der: &[u8],
        backend: Backend,
    ) -> Option<(Private, usize, Vec<u8>)> {
        match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => super::aws::private_from_pkcs8(der)
                .map(|(k, bits, spki)| (Private::Aws(k), bits, spki)),
            #[cfg(feature = "rsa")]
            Backend::Rsa => super::pure::private_from_pkcs8(der)
                .map(|(k, bits, spki)| (Private::Pure(Box::new(k)), bits, spki)),
        }
    }

    pub(super) fn public_from_spki(
        der: &[u8],
        backend: Backend,
    ) -> Option<(Public, usize, Vec<u8>)> {
        match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => super::aws::public_from_spki(der)
                .map(|(k, bits, spki)| (Public::Aws(k), bits, spki)),
            #[cfg(feature = "rsa")]
            Backend::Rsa => super::pure::public_from_spki(der)
                .map(|(k, bits, spki)| (Public::Pure(k), bits, spki)),
        }
    }

    pub(super) fn generate(bits: usize, backend: Backend) -> Option<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => super::aws::generate(bits),
            #[cfg(feature = "rsa")]
            Backend::Rsa => super::pure::generate(bits),
        }
    }

    impl Private {
        pub(super) fn decrypt(&self, ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
            match self {
                #[cfg(feature = "aws-lc")]
                Private::Aws(k) => k.decrypt(ct),
                #[cfg(feature = "rsa")]
                Private::Pure(k) => k.decrypt(ct),
            }
        }
    }

    impl Public {
        pub(super) fn encrypt(&self, pt: &[u8]) -> Option<Vec<u8>> {
            match self {
                #[cfg(feature = "aws-lc")]
                Public::Aws(k) => k.encrypt(pt),
                #[cfg(feature = "rsa")]
                Public::Pure(k) => k.encrypt(pt),
            }
        }
    }
}

fn check_bits(bits: usize) -> Result<()> {
    if !(MIN_BITS..=MAX_BITS).contains(&bits) {
        return Err(Error::key("RSA key size must be 2048 to 4096 bits"));
    }
    Ok(())
}

/// A parsed RSA private key, ready for OAEP-SHA-256 unwrapping.
pub(crate) struct RsaPrivateKey {
    key: backend::Private,
    modulus_len: usize,
    spki: Vec<u8>,
}

impl RsaPrivateKey {
    /// Parses a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM.
    pub(crate) fn from_pem(pem_text: &str) -> Result<Self> {
        Self::from_pem_with(pem_text, Backend::DEFAULT)
    }

    /// As [`RsaPrivateKey::from_pem`], on a chosen backend.
    pub(crate) fn from_pem_with(pem_text: &str, backend: Backend) -> Result<Self> {
        let (label, der) = pem::decode(pem_text)?;
        let pkcs8 = match label {
            Label::Pkcs8Private => der,
            Label::Pkcs1Private => pem::pkcs1_to_pkcs8(&der),
            Label::EncryptedPrivate => {
                return Err(Error::key(
                    "encrypted private keys are not supported: decrypt the PEM first",
                ));
            }
            Label::Spki | Label::Pkcs1Public => {
                return Err(Error::key(
                    "a public key was given where a private key is needed",
                ));
            }
            Label::Other => return Err(Error::key("PEM is not an RSA private key")),
        };
        Self::from_pkcs8_der(&pkcs8, backend)
    }

    pub(crate) fn from_pkcs8_der(der: &[u8], backend: Backend) -> Result<Self> {
        let (key, bits, spki) = backend::private_from_pkcs8(der, backend)
            .ok_or(Error::key("not a valid RSA private key"))?;
        check_bits(bits)?;
        Ok(RsaPrivateKey {
            key,
            modulus_len: bits.div_ceil(8),
            spki,
        })
    }

    /// Modulus length in bytes: the length of a wrapped key.
    pub(crate) fn modulus_len(&self) -> usize {
        self.modulus_len
    }

    /// DER of the matching public key (SPKI), to select a key by `encryption.key`.
    pub(crate) fn spki(&self) -> &[u8] {
        &self.spki
    }

    /// RSA-OAEP(SHA-256) decrypt. `None` on any failure: callers must not distinguish reasons.
    pub(crate) fn oaep_decrypt(&self, ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        self.key.decrypt(ct)
    }
}

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RsaPrivateKey([REDACTED; {} bits])",
            self.modulus_len * 8
        )
    }
}

/// A parsed RSA public key (SPKI), for client-side encryption as Port's browser does it.
pub(crate) struct RsaPublicKey {
    key: backend::Public,
    modulus_len: usize,
    spki: Vec<u8>,
}

impl RsaPublicKey {
    /// Parses `BEGIN PUBLIC KEY` (SPKI, what Port's action definitions hold) or
    /// `BEGIN RSA PUBLIC KEY` (PKCS#1).
    pub(crate) fn from_pem(pem_text: &str) -> Result<Self> {
        Self::from_pem_with(pem_text, Backend::DEFAULT)
    }

    /// As [`RsaPublicKey::from_pem`], on a chosen backend.
    pub(crate) fn from_pem_with(pem_text: &str, backend: Backend) -> Result<Self> {
        let (label, der) = pem::decode(pem_text)?;
        let spki = match label {
            Label::Spki => der.to_vec(),
            Label::Pkcs1Public => pem::pkcs1_public_to_spki(&der),
            Label::Pkcs8Private | Label::Pkcs1Private | Label::EncryptedPrivate => {
                return Err(Error::key(
                    "a private key was given where a public key is needed",
                ));
            }
            Label::Other => return Err(Error::key("PEM is not an RSA public key")),
        };
        let (key, bits, spki) = backend::public_from_spki(&spki, backend)
            .ok_or(Error::key("not a valid RSA public key"))?;
        check_bits(bits)?;
        Ok(RsaPublicKey {
            key,
            modulus_len: bits.div_ceil(8),
            spki,
        })
    }

    pub(crate) fn modulus_len(&self) -> usize {
        self.modulus_len
    }

    pub(crate) fn spki(&self) -> &[u8] {
        &self.spki
    }

    pub(crate) fn oaep_encrypt(&self, pt: &[u8]) -> Result<Vec<u8>> {
        self.key
            .encrypt(pt)
            .ok_or(Error::key("RSA-OAEP encryption failed for this key"))
    }
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RsaPublicKey({} bits)", self.modulus_len * 8)
    }
}

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
        backend::generate(bits, backend).ok_or(Error::key("RSA key generation failed"))?;
    let private_pem = pem::encode("PRIVATE KEY", &pkcs8);
    let public_pem = pem::encode("PUBLIC KEY", &spki);
    Ok(KeyPair {
        private_key_pem: crate::SecretString::from_string(private_pem.to_string()),
        public_key_pem: public_pem.to_string(),
    })
}

/// Low-level RSA-OAEP access for tests against Wycheproof. Not part of the stable API.
#[doc(hidden)]
pub mod hazmat {
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
}
