//! The logic behind the `port-secret` command that is worth testing on its own (and fuzzing):
//! finding the input definitions in an action file and decrypting a webhook body.

use port_secret_core::{Decryptor, Error, ErrorKind};
use serde_json::Value;

/// Finds the input definitions in an action file: `trigger.userInputs` (current actions),
/// `userInputs` (older ones), or the file itself (a `userInputs` object or a properties map).
pub fn user_inputs(action: &Value) -> &Value {
    action
        .pointer("/trigger/userInputs")
        .or_else(|| action.get("userInputs"))
        .unwrap_or(action)
}

/// Parses a webhook body and decrypts the secret inputs found at `pointer` (e.g.
/// `/payload/properties`) as `action` defines them. Returns the whole body.
///
/// # Errors
/// `invalid_json` if the body is not JSON, `malformed` if nothing is at `pointer`, and any error
/// of [`Decryptor::decrypt_properties`].
pub fn decrypt_payload(
    decryptor: &Decryptor,
    action: &Value,
    body: &[u8],
    pointer: &str,
) -> Result<Value, Error> {
    let mut body: Value = serde_json::from_slice(body)
        .map_err(|_| Error::new(ErrorKind::InvalidJson, "the body is not valid JSON"))?;
    let slot = body.pointer_mut(pointer).ok_or(Error::new(
        ErrorKind::Malformed,
        "the body has nothing at the --pointer path",
    ))?;
    let decrypted = decryptor.decrypt_properties(slot, user_inputs(action))?;
    *slot = decrypted;
    Ok(body)
}
