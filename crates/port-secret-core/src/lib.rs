#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod aes256_gcm;
mod b64;
mod client_side;
mod decryptor;
mod encryption;
mod error;
mod fernet;
pub mod mask;
mod pem;
mod pyjson;
mod rand;
mod rsa_key;
mod run;
mod secret;
mod signature;

pub use aes256_gcm::{decrypt_aes256_gcm, decrypt_aes256_gcm_bytes, encrypt_aes256_gcm};
pub use b64::DEFAULT_MAX_INPUT_LEN;
pub use client_side::{decrypt_client_side, decrypt_client_side_bytes, encrypt_client_side};
pub use decryptor::{Decryptor, DecryptorBuilder, MAX_JSON_DEPTH, MAX_JSON_VALUES};
pub use encryption::Encryption;
pub use error::{Error, ErrorKind, Result};
pub use fernet::{
    decrypt_fernet, decrypt_fernet_at, decrypt_fernet_bytes, encrypt_fernet,
    encrypt_fernet_from_parts,
};
pub use rsa_key::{KeyPair, RSA_BACKEND, generate_key_pair, generate_key_pair_with};
pub use run::{
    DEFAULT_MAX_BODY, DEFAULT_MAX_CLIENT_SIDE_INPUTS, DEFAULT_PROPERTIES_POINTER,
    DEFAULT_USER_INPUTS_POINTER, Delivery, RunOptions,
};
pub use secret::{Plaintext, SecretString, json_text, wipe_json};
pub use signature::{DEFAULT_TOLERANCE_SECS, sign_payload, verify_signature, verify_signature_at};

/// Wire-format constants.
pub mod format {
    /// `aes256-gcm`: IV, tag and key lengths.
    pub mod aes256_gcm {
        pub use crate::aes256_gcm::{IV_LEN, KEY_LEN, TAG_LEN};
    }
    /// `client-side`: IV, tag and wrapped-key lengths.
    pub mod client_side {
        pub use crate::client_side::{AES_KEY_LEN, IV_LEN, TAG_LEN};
        pub use crate::rsa_key::{MAX_BITS, MIN_BITS};
    }
    /// `fernet`: token layout.
    pub mod fernet {
        pub use crate::fernet::{
            HEADER_LEN, HMAC_LEN, IV_LEN, MAX_CLOCK_SKEW, MIN_TOKEN_LEN, TIMESTAMP_LEN, VERSION,
        };
    }
}

/// Test hooks (fixed keys, raw primitives). Not part of the stable API.
#[doc(hidden)]
pub mod hazmat {
    pub use crate::aes256_gcm::hazmat_open as aes256_gcm_open;
    pub use crate::fernet::raw as fernet_raw;
    pub use crate::pyjson::compact as python_compact_json;
    pub use crate::rsa_key::Backend;
    pub use crate::rsa_key::hazmat::oaep_sha256_decrypt;
}

/// This crate's version, shared by every package of the project.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
