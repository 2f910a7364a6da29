//! Strict base64: standard alphabet with padding for values, URL-safe with padding for Fernet.
//! No whitespace, no missing padding, no non-zero trailing bits.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

use crate::error::{Error, Result};

/// Size cap applied to an encoded value before any decoding: 1 MiB.
pub const DEFAULT_MAX_INPUT_LEN: usize = 1 << 20;

pub(crate) fn check_len(value: &[u8], max: usize) -> Result<()> {
    if value.len() > max {
        return Err(Error::malformed("value exceeds the size limit"));
    }
    Ok(())
}

pub(crate) fn decode_standard(value: &[u8], max: usize) -> Result<Vec<u8>> {
    check_len(value, max)?;
    decode_strict(value, &base64_simd::STANDARD)
}

pub(crate) fn decode_url_safe(value: &[u8], max: usize) -> Result<Vec<u8>> {
    check_len(value, max)?;
    decode_strict(value, &base64_simd::URL_SAFE)
}

/// SIMD decoding (`base64-simd`, several times faster than the scalar `base64` decoder on
/// large values), plus our own check of canonical encoding: the unused low bits of the last
/// symbol before the padding must be zero, as the `base64` crate requires. base64-simd 0.8
/// already refuses such values (`QR==`, `AB/=`; tests/mutants_b64.rs), so the check is a
/// safeguard that keeps the rule ours if the dependency changes (equivalent mutants of it are
/// listed in .cargo/mutants.toml).
fn decode_strict(value: &[u8], engine: &base64_simd::Base64) -> Result<Vec<u8>> {
    if value.is_empty() || !value.len().is_multiple_of(4) {
        return Err(Error::base64());
    }
    let pad = value.iter().rev().take_while(|b| **b == b'=').count();
    let decoded = engine.decode_to_vec(value).map_err(|_| Error::base64())?;
    let unused_bits_mask = match pad {
        0 => 0,
        1 => 0b11,
        2 => 0b1111,
        _ => return Err(Error::base64()),
    };
    if unused_bits_mask != 0 {
        let last = value[value.len() - 1 - pad];
        let sextet = match last {
            b'A'..=b'Z' => last - b'A',
            b'a'..=b'z' => last - b'a' + 26,
            b'0'..=b'9' => last - b'0' + 52,
            _ => 62, // '+' or '-' (62); '/' and '_' become 63 below
        } | u8::from(matches!(last, b'/' | b'_'));
        if sextet & unused_bits_mask != 0 {
            return Err(Error::base64());
        }
    }
    Ok(decoded)
}

pub(crate) fn encode_standard(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub(crate) fn encode_url_safe(bytes: &[u8]) -> String {
    URL_SAFE.encode(bytes)
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    use proptest::prelude::*;

    /// The SIMD path accepts exactly what the strict `base64` crate accepts, with the same bytes.
    fn same(s: &[u8]) {
        type Decode = fn(&[u8], usize) -> crate::Result<Vec<u8>>;
        let alphabets: [(&str, Decode, &base64::engine::GeneralPurpose); 2] = [
            ("standard", super::decode_standard, &STANDARD),
            ("url-safe", super::decode_url_safe, &URL_SAFE),
        ];
        for (name, simd, scalar) in alphabets {
            // The empty string is an error here (no value is empty), not an empty decoding.
            let expected = if s.is_empty() {
                None
            } else {
                scalar.decode(s).ok()
            };
            let got = simd(s, usize::MAX).ok();
            assert_eq!(got, expected, "{name} {:?}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn edge_cases_match_the_strict_decoder() {
        for s in [
            "",
            "=",
            "==",
            "A",
            "AA",
            "AA=",
            "AA==",
            "AAA=",
            "QR==",
            "QQ==",
            "QUI=",
            "QUJ=",
            "QUJD",
            "QUJD\n",
            " QUJD",
            "QU JD",
            "Q===",
            "QUJD====",
            "AB/=",
            "AB_=",
            "AB+/",
            "AB-_",
            "/w==",
            "_w==",
            "//8=",
            "__8=",
            "AAAA\0",
            "\u{e9}AAA",
        ] {
            same(s.as_bytes());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn random_text_matches(s in "[A-Za-z0-9+/_=\\- ]{0,24}") {
            same(s.as_bytes());
        }
        #[test]
        fn encodings_of_random_bytes_match(b in proptest::collection::vec(any::<u8>(), 0..200), flip in any::<proptest::sample::Index>()) {
            let mut enc = STANDARD.encode(&b).into_bytes();
            same(&enc);
            if !enc.is_empty() {
                let i = flip.index(enc.len());
                enc[i] = enc[i].wrapping_add(1);
                same(&enc);
            }
        }
    }
}
