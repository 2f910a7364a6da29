//! The logic behind the `port-secret` command that is worth testing on its own (and fuzzing):
//! finding the input definitions in an action file and opening a run (a webhook body or a Kafka
//! message) with the core's run API, and the CI formats of `decrypt-env` ([`ci`]).

use std::str::FromStr;

pub mod ci;

use port_secret_core::{
    DEFAULT_PROPERTIES_POINTER, DEFAULT_TOLERANCE_SECS, Decryptor, Delivery, Error, ErrorKind,
    RunOptions,
};
use serde_json::Value;

/// Finds the input definitions in an action file: `trigger.userInputs` (current actions),
/// `userInputs` (older ones), or the file itself (a `userInputs` object or a properties map).
pub fn user_inputs(action: &Value) -> &Value {
    action
        .pointer("/trigger/userInputs")
        .or_else(|| action.get("userInputs"))
        .unwrap_or(action)
}

/// How the run on stdin was delivered (`decrypt-payload --delivery`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PayloadDelivery {
    /// Port's HTTP webhook: signed over the raw body.
    #[default]
    Port,
    /// A webhook forwarded by port-agent: signed over the compact re-serialization.
    Agent,
    /// One message value of Port's Kafka topic: the signature is inside it.
    Kafka,
}

impl FromStr for PayloadDelivery {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "port" => Ok(Self::Port),
            "agent" => Ok(Self::Agent),
            "kafka" => Ok(Self::Kafka),
            _ => Err(Error::new(
                ErrorKind::Malformed,
                "delivery must be \"port\", \"agent\" or \"kafka\"",
            )),
        }
    }
}

/// How `decrypt-payload` opens a run.
#[derive(Clone, Debug)]
pub struct PayloadOptions {
    /// How the run was delivered.
    pub delivery: PayloadDelivery,
    /// Webhooks only: the `x-port-signature` and `x-port-timestamp` values. When given, they
    /// are verified; `None`: the webhook's signature is not checked (a local tool, fed a body
    /// that was already accepted or saved by hand).
    pub signature: Option<(String, String)>,
    /// Kafka only: verify the signature inside the message.
    pub verify_kafka: bool,
    /// Largest accepted distance between the timestamp and now, in seconds.
    pub tolerance_secs: u64,
    /// JSON pointer to the run's properties.
    pub properties_pointer: String,
    /// The current time (unix seconds); `None`: the clock.
    pub now: Option<i64>,
}

impl Default for PayloadOptions {
    fn default() -> Self {
        PayloadOptions {
            delivery: PayloadDelivery::Port,
            signature: None,
            verify_kafka: true,
            tolerance_secs: DEFAULT_TOLERANCE_SECS,
            properties_pointer: DEFAULT_PROPERTIES_POINTER.to_owned(),
            now: None,
        }
    }
}

/// Opens a run with the core's run API (size cap, signature, JSON parse, definitions,
/// decryption in place) and returns it. `action`: an action file's JSON (see [`user_inputs`]);
/// `None` takes the definitions from the body (`payload.action.userInputs`, else the names in
/// `censoredProperties` / `encryptedProperties`, as `aes256-gcm`).
///
/// # Errors
/// Any error of [`Decryptor::open_webhook`] / [`Decryptor::open_kafka_message`]; `malformed`
/// for a signature given with a Kafka message (it carries its own).
pub fn decrypt_payload(
    decryptor: &Decryptor,
    action: Option<&Value>,
    body: &[u8],
    options: &PayloadOptions,
) -> Result<Value, Error> {
    let mut run = RunOptions {
        tolerance_secs: options.tolerance_secs,
        user_inputs: action.map(|a| user_inputs(a).clone()),
        properties_pointer: options.properties_pointer.clone(),
        now: options.now,
        ..RunOptions::default()
    };
    match options.delivery {
        PayloadDelivery::Kafka => {
            if options.signature.is_some() {
                return Err(Error::new(
                    ErrorKind::Malformed,
                    "a Kafka message carries its own signature: no --signature/--timestamp",
                ));
            }
            run.verify_signature = options.verify_kafka;
            decryptor.open_kafka_message(body, &run)
        }
        PayloadDelivery::Port | PayloadDelivery::Agent => {
            run.delivery = if options.delivery == PayloadDelivery::Agent {
                Delivery::Agent
            } else {
                Delivery::Port
            };
            let headers: Vec<(&str, &[u8])> = match &options.signature {
                Some((signature, timestamp)) => vec![
                    ("x-port-signature", signature.as_bytes()),
                    ("x-port-timestamp", timestamp.as_bytes()),
                ],
                None => Vec::new(),
            };
            run.verify_signature = options.signature.is_some();
            decryptor.open_webhook(body, &headers, &run)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries_parse() {
        assert_eq!(
            "port".parse::<PayloadDelivery>().ok(),
            Some(PayloadDelivery::Port)
        );
        assert_eq!(
            "agent".parse::<PayloadDelivery>().ok(),
            Some(PayloadDelivery::Agent)
        );
        assert_eq!(
            "kafka".parse::<PayloadDelivery>().ok(),
            Some(PayloadDelivery::Kafka)
        );
        assert!("Kafka".parse::<PayloadDelivery>().is_err());
    }

    #[test]
    fn definitions_in_an_action_file() {
        let defs = serde_json::json!({"properties": {}});
        let current = serde_json::json!({"trigger": {"userInputs": defs.clone()}});
        let older = serde_json::json!({"userInputs": defs.clone()});
        assert_eq!(user_inputs(&current), &defs);
        assert_eq!(user_inputs(&older), &defs);
        assert_eq!(user_inputs(&defs), &defs);
    }
}
