#![no_main]
//! Arbitrary JSON as a run's properties and the action's userInputs.
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let d = common::decryptor();
    let Ok(v) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let (props, inputs) = match &v {
        Value::Array(items) if items.len() == 2 => (&items[0], &items[1]),
        other => (other, other),
    };
    common::check(d.decrypt_properties(props, inputs));
});
