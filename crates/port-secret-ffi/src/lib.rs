//! The C ABI of port-secret: `libport_secret.so` / `libport_secret.a` and
//! `include/port_secret.h` (generated from this crate by cbindgen).
//!
//! Every exported function converts its arguments, calls `port_secret_core`, and converts the
//! result: crypto lives only in the core. Conventions, all documented in the header:
//! - fallible functions return a [`PortSecretStatus`]; a NULL pointer or a text argument that
//!   is not UTF-8 is `PORT_SECRET_INVALID_ARGUMENT`;
//! - outputs go into a caller-provided [`PortSecretBuffer`], cleared first (so `{NULL, 0}` on
//!   every error) and released with [`port_secret_buffer_free`], which zeroes the bytes;
//! - no panic crosses the boundary: one becomes `PORT_SECRET_INTERNAL`.
//!
//! All unsafe code is in this crate; every block states why it is sound in a `// SAFETY:`
//! comment, relying on the `# Safety` contract of the function it is in.

// The header presents items in the order cbindgen reads these modules (blank lines keep
// rustfmt from sorting them).
mod status;

mod buffer;

mod oneshot;

mod decryptor;

mod options;

mod run;

mod args;

pub use buffer::{PortSecretBuffer, port_secret_buffer_free};
pub use decryptor::{
    PortSecretDecryptor, port_secret_decryptor_decrypt, port_secret_decryptor_decrypt_bytes,
    port_secret_decryptor_decrypt_json, port_secret_decryptor_decrypt_properties,
    port_secret_decryptor_free, port_secret_decryptor_new, port_secret_decryptor_verify_signature,
};
pub use oneshot::{
    port_secret_decrypt_aes256_gcm, port_secret_decrypt_aes256_gcm_bytes,
    port_secret_decrypt_client_side, port_secret_decrypt_client_side_bytes,
    port_secret_decrypt_fernet, port_secret_decrypt_fernet_bytes,
    port_secret_decrypt_fernet_bytes_at, port_secret_encrypt_aes256_gcm,
    port_secret_encrypt_client_side, port_secret_encrypt_fernet, port_secret_generate_key_pair,
    port_secret_sign_payload, port_secret_verify_signature, port_secret_verify_signature_at,
};
pub use options::{
    PortSecretDecryptorOptions, PortSecretRsaBackend, port_secret_decryptor_new_with,
    port_secret_decryptor_options_init,
};
pub use run::{
    PortSecretDelivery, PortSecretHeader, PortSecretRunOptions,
    port_secret_decryptor_open_kafka_message, port_secret_decryptor_open_webhook,
    port_secret_run_options_default,
};
pub use status::{PortSecretStatus, port_secret_status_str, port_secret_version};
