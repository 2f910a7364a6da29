//! Port's webhook signatures: `x-port-signature: v1,<base64 HMAC-SHA256(client secret,
//! "<x-port-timestamp>.<raw body>")>`, keyed with the **whole** client secret.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::b64;
use crate::error::{Error, ErrorKind, Result};

/// Default tolerance between the request's timestamp and the local clock: 5 minutes.
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

/// Upper bound on how many signatures one header may carry.
const MAX_SIGNATURES: usize = 16;

/// Port's client secrets have no white space around them. One that has was almost always read
/// from a file with its trailing newline: refused, because the signature key is the whole secret
/// (every webhook would fail as `invalid_signature`) while the AES key is only its first 32 bytes
/// (decryption would still work), a silent failure that is hard to trace.
pub(crate) fn check_client_secret(client_secret: &str) -> Result<()> {
    if client_secret.trim() != client_secret {
        return Err(Error::key(
            "client secret has white space around it (a trailing newline read from a file?)",
        ));
    }
    Ok(())
}

pub(crate) fn mac_for(client_secret: &str) -> Result<Hmac<Sha256>> {
    if client_secret.is_empty() {
        return Err(Error::key("client secret is empty"));
    }
    check_client_secret(client_secret)?;
    <Hmac<Sha256> as KeyInit>::new_from_slice(client_secret.as_bytes())
        .map_err(|_| Error::key("client secret is not usable as an HMAC key"))
}

fn mac_over(mac: &Hmac<Sha256>, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = mac.clone();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

pub(crate) fn sign_with(mac: &Hmac<Sha256>, body: &[u8], timestamp: &str) -> String {
    let tag = mac_over(mac, timestamp, body).finalize().into_bytes();
    format!("v1,{}", b64::encode_standard(&tag))
}

fn invalid() -> Error {
    Error::new(
        ErrorKind::InvalidSignature,
        "webhook signature does not match",
    )
}

/// Whether any `v1,` entry of `signature` matches under any of `macs`. Every entry is checked
/// against every key (no early exit), each comparison in constant time.
pub(crate) fn matches(
    macs: &[&Hmac<Sha256>],
    body: &[u8],
    signature: &str,
    timestamp: &str,
) -> bool {
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    for entry in signature.split_ascii_whitespace().take(MAX_SIGNATURES) {
        if let Some(sig) = entry.strip_prefix("v1,")
            && let Ok(bytes) = b64::decode_standard(sig.as_bytes(), 128)
        {
            candidates.push(bytes);
        }
    }
    let mut ok = false;
    for mac in macs {
        let computed = mac_over(mac, timestamp, body);
        for candidate in &candidates {
            ok |= computed.clone().verify_slice(candidate).is_ok();
        }
    }
    ok
}

pub(crate) fn check_timestamp(timestamp: &str, now: i64, tolerance_secs: u64) -> Result<()> {
    let ts: i64 = timestamp.trim().parse().map_err(|_| {
        Error::new(
            ErrorKind::InvalidSignature,
            "webhook timestamp is not an integer",
        )
    })?;
    let tolerance = i64::try_from(tolerance_secs).unwrap_or(i64::MAX);
    if now.abs_diff(ts) > tolerance.unsigned_abs() {
        return Err(Error::new(
            ErrorKind::Expired,
            "webhook timestamp is outside the tolerance",
        ));
    }
    Ok(())
}

pub(crate) fn now_unix() -> i64 {
    i64::try_from(crate::fernet::now_unix()).unwrap_or(i64::MAX)
}

/// Signs a body as Port does: returns the `x-port-signature` header value (`v1,...`).
///
/// The arguments come in the order of [`verify_signature`]: what was signed first (the body,
/// then the timestamp), the key last. Earlier builds took `(body, client_secret, timestamp)`; a
/// call in that order now passes the secret as the timestamp and is refused as `malformed`,
/// never signed.
///
/// # Errors
/// `malformed` if the timestamp is not an integer; `invalid_key` if the client secret is empty or
/// has white space around it.
pub fn sign_payload(
    body: impl AsRef<[u8]>,
    timestamp: &str,
    client_secret: &str,
) -> Result<String> {
    // A timestamp is unix seconds, digits only: anything else is a caller's mistake (arguments in
    // the old order, the secret where the timestamp goes), never something to sign silently.
    if timestamp.is_empty() || timestamp.parse::<i64>().is_err() {
        return Err(Error::malformed(
            "the timestamp to sign must be an integer (unix seconds)",
        ));
    }
    Ok(sign_with(
        &mac_for(client_secret)?,
        body.as_ref(),
        timestamp,
    ))
}

/// A signature or timestamp header's value, as the request carried it, as text. The one rule for
/// every binding: bytes that are not UTF-8 there are `invalid_signature` (a bad request, never
/// a programming error), checked before anything else of the verification.
pub(crate) fn header_text(value: &[u8]) -> Result<&str> {
    core::str::from_utf8(value).map_err(|_| invalid())
}

/// Verifies a webhook at a given time (unix seconds).
///
/// `signature` and `timestamp` are the header values as received, text or bytes.
///
/// # Errors
/// `invalid_signature` if `signature` or `timestamp` is not UTF-8 (checked first) or no `v1,`
/// signature matches the raw body; `expired` if it matches but the timestamp is more than
/// `tolerance_secs` from `now`; `invalid_key` for an empty secret.
pub fn verify_signature_at(
    body: impl AsRef<[u8]>,
    signature: impl AsRef<[u8]>,
    timestamp: impl AsRef<[u8]>,
    client_secret: &str,
    tolerance_secs: u64,
    now: i64,
) -> Result<()> {
    let signature = header_text(signature.as_ref())?;
    let timestamp = header_text(timestamp.as_ref())?;
    let mac = mac_for(client_secret)?;
    if !matches(&[&mac], body.as_ref(), signature, timestamp) {
        return Err(invalid());
    }
    check_timestamp(timestamp, now, tolerance_secs)
}

/// Verifies Port's `x-port-signature` over the **raw** request body (not a re-serialized one),
/// in constant time, and that `x-port-timestamp` is within `tolerance_secs` of now. The two
/// headers are taken as received, text or bytes.
///
/// ```
/// let secret = "demo-client-secret-0123456789abcdefghijkl";
/// let body = br#"{"action":"deploy"}"#;
/// let ts = std::time::SystemTime::now()
///     .duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
/// let sig = port_secret_core::sign_payload(body, &ts, secret)?;
/// port_secret_core::verify_signature(body, &sig, &ts, secret, 300)?;
/// # Ok::<(), port_secret_core::Error>(())
/// ```
///
/// # Errors
/// As [`verify_signature_at`].
pub fn verify_signature(
    body: impl AsRef<[u8]>,
    signature: impl AsRef<[u8]>,
    timestamp: impl AsRef<[u8]>,
    client_secret: &str,
    tolerance_secs: u64,
) -> Result<()> {
    verify_signature_at(
        body,
        signature,
        timestamp,
        client_secret,
        tolerance_secs,
        now_unix(),
    )
}

pub(crate) fn invalid_signature() -> Error {
    invalid()
}
