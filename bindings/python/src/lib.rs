//! `port_secret._native`: the Python face of `port-secret-core`.
//!
//! This crate only converts: Python arguments are typed ([`args`]: each shape declared once,
//! copied into owned Rust data), the GIL is released around every core call (RSA work takes
//! milliseconds; a threaded Flask or gunicorn worker then decrypts in parallel), results become
//! Python objects ([`convert`]), and core errors become `port_secret.PortSecretError` in one
//! place ([`errors::to_py_err`]). All cryptography, and every decision about input (what an
//! `encryption` means, which options are valid), lives in `port-secret-core`.
//!
//! [`functions`] holds the one-shot functions, [`decryptor`] the `Decryptor` class and its run
//! methods.

mod args;
mod convert;
mod decryptor;
mod errors;
mod functions;

use port_secret_core::{self as core, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// Native part of `port_secret`. Import from `port_secret`, not from here.
#[pymodule(gil_used = false)]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("RSA_BACKEND", core::RSA_BACKEND)?;
    m.add("DEFAULT_TOLERANCE", core::DEFAULT_TOLERANCE_SECS)?;
    m.add("DEFAULT_MAX_INPUT_LEN", core::DEFAULT_MAX_INPUT_LEN)?;
    m.add("DEFAULT_MAX_BODY", core::DEFAULT_MAX_BODY)?;
    m.add(
        "DEFAULT_MAX_CLIENT_SIDE_INPUTS",
        core::DEFAULT_MAX_CLIENT_SIDE_INPUTS,
    )?;
    m.add(
        "ERROR_CODES",
        PyTuple::new(py, ErrorKind::ALL.iter().map(|k| k.code()))?,
    )?;
    m.add_class::<decryptor::PyDecryptor>()?;
    m.add_function(wrap_pyfunction!(functions::decrypt_aes256_gcm, m)?)?;
    m.add_function(wrap_pyfunction!(functions::decrypt_aes256_gcm_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(functions::encrypt_aes256_gcm, m)?)?;
    m.add_function(wrap_pyfunction!(functions::decrypt_client_side, m)?)?;
    m.add_function(wrap_pyfunction!(functions::decrypt_client_side_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(functions::encrypt_client_side, m)?)?;
    m.add_function(wrap_pyfunction!(functions::generate_key_pair, m)?)?;
    m.add_function(wrap_pyfunction!(functions::decrypt_fernet, m)?)?;
    m.add_function(wrap_pyfunction!(functions::decrypt_fernet_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(functions::encrypt_fernet, m)?)?;
    m.add_function(wrap_pyfunction!(functions::sign_payload, m)?)?;
    m.add_function(wrap_pyfunction!(functions::verify_signature, m)?)?;
    m.add_function(wrap_pyfunction!(functions::_encrypt_fernet_from_parts, m)?)?;
    Ok(())
}
