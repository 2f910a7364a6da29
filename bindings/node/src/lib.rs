//! Node.js binding of port-secret (napi-rs), loaded by the `port-secret` npm package.
//!
//! Crypto lives only in `port-secret-core`: this crate converts JavaScript values to Rust ones
//! ([`convert`]: one type per argument shape, which also gives the shape's TypeScript type),
//! core errors to JavaScript errors ([`error`]), and nothing else. The JavaScript
//! names are those of the public contract (`decryptAes256Gcm`, `Decryptor`, ...); the generated
//! `node/binding.d.ts` is their reference, `node/index.d.ts` the public types.

mod convert;
mod decryptor;
mod error;
mod functions;
mod run;

pub use decryptor::{
    DecryptPropertiesTask, DecryptTask, Decryptor, DecryptorOptions, EncryptionSpec,
};
pub use error::{js_code, set_error_class};
pub use functions::*;
pub use run::{OpenRunTask, RunOptionsJs};
