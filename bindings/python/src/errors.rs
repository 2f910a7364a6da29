//! The one place where core errors become Python exceptions.

use pyo3::PyErr;

// Defined in pure Python (python/port_secret/_errors.py) so that it is documented, picklable and
// the same class whatever raises it; imported here on first use.
pyo3::import_exception!(port_secret._errors, PortSecretError);

/// Maps a core error to `port_secret.PortSecretError(message, code, input)`.
///
/// The message is the core's `Display` ("<code>: <fixed reason>[ (input "name")]"): a fixed
/// reason and, for `decrypt_properties`, the input's name from the action definition. It never
/// holds a value, a key or a plaintext.
pub(crate) fn to_py_err(err: port_secret_core::Error) -> PyErr {
    PortSecretError::new_err((err.to_string(), err.code(), err.input().map(str::to_owned)))
}

/// Shorthand: `core_result.map_err(to_py_err)`.
pub(crate) trait IntoPyResult<T> {
    /// Converts a core result into a Python result.
    fn py(self) -> pyo3::PyResult<T>;
}

impl<T> IntoPyResult<T> for port_secret_core::Result<T> {
    fn py(self) -> pyo3::PyResult<T> {
        self.map_err(to_py_err)
    }
}
