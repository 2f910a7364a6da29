//! RSA keys and RSA-OAEP(SHA-256, MGF1-SHA-256, no label), over one of two backends:
//! `aws-lc-rs` (feature `aws-lc`, used when enabled) or the pure-Rust `rsa` 0.10 (feature `rsa`).
//!
//! This module holds what does not depend on the backend (the key types, PEM handling, size
//! limits) and dispatches to one file per backend: `aws_lc.rs` and `rust_crypto.rs` each parse keys,
//! run OAEP and generate key pairs, nothing else. Key pair generation is in `keypair.rs`, the
//! Wycheproof test hook in `hazmat.rs`.

use core::fmt;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::pem::{self, Label};

#[cfg(feature = "aws-lc")]
mod aws_lc;
#[cfg(feature = "rsa")]
mod rust_crypto;

#[doc(hidden)]
pub mod hazmat;
mod keypair;

pub use keypair::{KeyPair, generate_key_pair, generate_key_pair_with};

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

/// Calls the backend a key was parsed with.
mod dispatch {
    use super::Backend;
    use zeroize::Zeroizing;

    pub(super) enum Private {
        #[cfg(feature = "aws-lc")]
        Aws(super::aws_lc::Private),
        #[cfg(feature = "rsa")]
        Pure(Box<super::rust_crypto::Private>),
    }

    pub(super) enum Public {
        #[cfg(feature = "aws-lc")]
        Aws(super::aws_lc::Public),
        #[cfg(feature = "rsa")]
        Pure(super::rust_crypto::Public),
    }

    pub(super) fn private_from_pkcs8(
        der: &[u8],
        backend: Backend,
    ) -> Option<(Private, usize, Vec<u8>)> {
        match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => super::aws_lc::private_from_pkcs8(der)
                .map(|(k, bits, spki)| (Private::Aws(k), bits, spki)),
            #[cfg(feature = "rsa")]
            Backend::Rsa => super::rust_crypto::private_from_pkcs8(der)
                .map(|(k, bits, spki)| (Private::Pure(Box::new(k)), bits, spki)),
        }
    }

    pub(super) fn public_from_spki(
        der: &[u8],
        backend: Backend,
    ) -> Option<(Public, usize, Vec<u8>)> {
        match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => super::aws_lc::public_from_spki(der)
                .map(|(k, bits, spki)| (Public::Aws(k), bits, spki)),
            #[cfg(feature = "rsa")]
            Backend::Rsa => super::rust_crypto::public_from_spki(der)
                .map(|(k, bits, spki)| (Public::Pure(k), bits, spki)),
        }
    }

    pub(super) fn generate(bits: usize, backend: Backend) -> Option<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => super::aws_lc::generate(bits),
            #[cfg(feature = "rsa")]
            Backend::Rsa => super::rust_crypto::generate(bits),
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
    key: dispatch::Private,
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
        let (key, bits, spki) = dispatch::private_from_pkcs8(der, backend)
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
    key: dispatch::Public,
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
        let (key, bits, spki) = dispatch::public_from_spki(&spki, backend)
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

#[cfg(test)]
mod tests {
    use super::{RsaPrivateKey, RsaPublicKey};

    // The key types are crate-private: no public Debug prints them, so only a unit test can
    // pin that theirs is redacted (cargo-mutants found them uncovered).
    #[test]
    fn debug_is_redacted_and_shows_the_size() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/keys/");
        let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).expect("key");
        let private = RsaPrivateKey::from_pem(&read("rsa2048_pkcs8.pem")).expect("pem");
        let public = RsaPublicKey::from_pem(&read("rsa2048_public.pem")).expect("pem");
        assert_eq!(
            format!("{private:?}"),
            "RsaPrivateKey([REDACTED; 2048 bits])"
        );
        assert_eq!(format!("{public:?}"), "RsaPublicKey(2048 bits)");
    }
}
