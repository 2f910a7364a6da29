//! Minimal, strict PEM and DER helpers for RSA keys (no I/O, no external parser, zeroizing).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// What a PEM block holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    Pkcs8Private,
    Pkcs1Private,
    EncryptedPrivate,
    Spki,
    Pkcs1Public,
    Other,
}

/// Decodes the first PEM block in `text`. Accepts `\r\n`, surrounding text, and the literal
/// two-character `\n` escapes that a PEM pasted into an environment variable often carries.
pub(crate) fn decode(text: &str) -> Result<(Label, Zeroizing<Vec<u8>>)> {
    let unescaped;
    let text = if !text.contains('\n') && text.contains("\\n") {
        unescaped = Zeroizing::new(text.replace("\\n", "\n"));
        unescaped.as_str()
    } else {
        text
    };
    let begin = text
        .find("-----BEGIN ")
        .ok_or(Error::key("not a PEM key (no BEGIN line)"))?;
    let rest = &text[begin + 11..];
    let label_end = rest
        .find("-----")
        .ok_or(Error::key("not a PEM key (bad BEGIN line)"))?;
    let label_text = &rest[..label_end];
    let body_and_end = &rest[label_end + 5..];
    let end_marker = format!("-----END {label_text}-----");
    let end = body_and_end
        .find(&end_marker)
        .ok_or(Error::key("not a PEM key (no matching END line)"))?;
    let body = &body_and_end[..end];
    let label = match label_text {
        "PRIVATE KEY" => Label::Pkcs8Private,
        "RSA PRIVATE KEY" => Label::Pkcs1Private,
        "ENCRYPTED PRIVATE KEY" => Label::EncryptedPrivate,
        "PUBLIC KEY" => Label::Spki,
        "RSA PUBLIC KEY" => Label::Pkcs1Public,
        _ => Label::Other,
    };
    if body.contains(':') {
        // RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED`.
        return Ok((Label::EncryptedPrivate, Zeroizing::new(Vec::new())));
    }
    let mut compact = Zeroizing::new(Vec::with_capacity(body.len()));
    compact.extend(body.bytes().filter(|b| !b.is_ascii_whitespace()));
    let der = STANDARD
        .decode(compact.as_slice())
        .map_err(|_| Error::key("PEM body is not valid base64"))?;
    Ok((label, Zeroizing::new(der)))
}

/// Encodes DER as PEM with 64-column lines.
pub(crate) fn encode(label: &str, der: &[u8]) -> Zeroizing<String> {
    let b64 = Zeroizing::new(STANDARD.encode(der));
    let mut out = Zeroizing::new(String::with_capacity(b64.len() + b64.len() / 64 + 64));
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(core::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

/// DER encoding of `rsaEncryption` AlgorithmIdentifier: SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }.
const RSA_ALGORITHM_ID: [u8; 15] = [
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

fn push_len(out: &mut Vec<u8>, len: usize) {
    let bytes = len.to_be_bytes();
    if let Ok(short) = u8::try_from(len)
        && short < 0x80
    {
        out.push(short);
    } else {
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        // At most size_of::<usize>() length bytes follow, so this is < 0x80.
        out.push(0x80 | u8::try_from(bytes.len() - skip).unwrap_or(0x7f));
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn tlv(tag: u8, content: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(content.len() + 8));
    out.push(tag);
    push_len(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

/// Wraps a PKCS#1 `RSAPrivateKey` into a PKCS#8 `PrivateKeyInfo`.
pub(crate) fn pkcs1_to_pkcs8(pkcs1: &[u8]) -> Zeroizing<Vec<u8>> {
    let octets = tlv(0x04, pkcs1);
    let mut inner = Zeroizing::new(Vec::with_capacity(octets.len() + 20));
    inner.extend_from_slice(&[0x02, 0x01, 0x00]);
    inner.extend_from_slice(&RSA_ALGORITHM_ID);
    inner.extend_from_slice(&octets);
    tlv(0x30, &inner)
}

/// Wraps a PKCS#1 `RSAPublicKey` into an X.509 `SubjectPublicKeyInfo`.
pub(crate) fn pkcs1_public_to_spki(pkcs1: &[u8]) -> Vec<u8> {
    let mut bits = Vec::with_capacity(pkcs1.len() + 1);
    bits.push(0);
    bits.extend_from_slice(pkcs1);
    let bit_string = tlv(0x03, &bits);
    let mut inner = Vec::with_capacity(bit_string.len() + 16);
    inner.extend_from_slice(&RSA_ALGORITHM_ID);
    inner.extend_from_slice(&bit_string);
    tlv(0x30, &inner).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_encode_as_der() {
        let mut v = Vec::new();
        push_len(&mut v, 5);
        push_len(&mut v, 0x80);
        push_len(&mut v, 0x1234);
        assert_eq!(v, [5, 0x81, 0x80, 0x82, 0x12, 0x34]);
    }

    #[test]
    fn pem_round_trip_and_escapes() {
        let pem = encode("PUBLIC KEY", &[1, 2, 3, 250]);
        let (label, der) = decode(&pem).expect("decodes");
        assert_eq!(label, Label::Spki);
        assert_eq!(der.as_slice(), &[1, 2, 3, 250]);
        let escaped = pem.replace('\n', "\\n");
        let (_, der2) = decode(&escaped).expect("decodes escaped");
        assert_eq!(der2.as_slice(), &[1, 2, 3, 250]);
        let crlf = pem.replace('\n', "\r\n");
        assert!(decode(&crlf).is_ok());
        assert!(decode("no pem here").is_err());
    }
}
