//! CPython's compact JSON, byte for byte: what `json.dumps(json.loads(text), separators=(",", ":"),
//! ensure_ascii=...)` prints. Port's agent signs that text instead of the bytes it sends (see
//! [`crate::run`]), so verifying its signatures means re-serializing a parsed body exactly as
//! CPython would.
//!
//! What CPython does, and so what this does:
//! - keys in the order received; a duplicate key keeps the place of its first occurrence and the
//!   value of its last (a `dict`, like `serde_json`'s `preserve_order` map);
//! - escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other controls as lower-case `\u00XX`;
//!   with `ensure_ascii` also DEL and everything past it, as `\uXXXX` (surrogate pairs above
//!   U+FFFF); without it, non-ASCII characters as UTF-8;
//! - an integer (no `.`, `e` or `E`) is a Python `int` of any size, printed as read (`-0` is `0`);
//! - any other number is a `float`, printed as `repr` does: the shortest digits that read back,
//!   fixed notation when the decimal exponent is in -4..16 (`0.0001`, `1e+16`, `1e-05`, `1.0`),
//!   `Infinity` past the `f64` range.
//!
//! Needs `serde_json`'s `arbitrary_precision` (the number's text is kept). Lone surrogates (`"\ud800"`)
//! are refused by the parser before this runs, where CPython would accept them.

use serde_json::{Map, Number, Value};

/// The compact CPython serialization of `value`.
pub fn compact(value: &Value, ensure_ascii: bool) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(value, ensure_ascii, &mut out);
    out
}

/// The compact CPython serialization of the object `map`, with the entries of `skip` left out
/// (Kafka messages are signed without their signature headers; see [`crate::run`]).
pub(crate) fn compact_object_with(
    map: &Map<String, Value>,
    ensure_ascii: bool,
    mut entry: impl FnMut(&str, &Value, &mut Vec<u8>) -> Option<()>,
) -> Vec<u8> {
    let mut out = Vec::new();
    out.push(b'{');
    let mut first = true;
    for (key, value) in map {
        let mark = out.len();
        if !first {
            out.push(b',');
        }
        write_str(key, ensure_ascii, &mut out);
        out.push(b':');
        if entry(key, value, &mut out).is_none() {
            // The callback dropped this entry.
            out.truncate(mark);
            continue;
        }
        first = false;
    }
    out.push(b'}');
    out
}

pub(crate) fn write_value(value: &Value, ascii: bool, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_str(s, ascii, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, ascii, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(key, ascii, out);
                out.push(b':');
                write_value(item, ascii, out);
            }
            out.push(b'}');
        }
    }
}

fn write_number(n: &Number, out: &mut Vec<u8>) {
    let text = n.as_str();
    if !text.contains(['.', 'e', 'E']) {
        // A Python int: the digits as read, except that `-0` reads as 0.
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.bytes().all(|b| b == b'0') {
            out.push(b'0');
        } else {
            out.extend_from_slice(text.as_bytes());
        }
        return;
    }
    // The JSON grammar already held, so this parses; out of range is ±inf, as in CPython.
    let x: f64 = text.parse().unwrap_or(f64::NAN);
    write_float_repr(x, out);
}

/// Python's `float.__repr__`.
fn write_float_repr(x: f64, out: &mut Vec<u8>) {
    if x.is_nan() {
        out.extend_from_slice(b"NaN");
        return;
    }
    if x.is_sign_negative() {
        out.push(b'-');
    }
    let x = x.abs();
    if x.is_infinite() {
        out.extend_from_slice(b"Infinity");
        return;
    }
    if x == 0.0 {
        out.extend_from_slice(b"0.0");
        return;
    }
    // The shortest digits that read back, the closest to x, ties to even: CPython's repr
    // (David Gay's dtoa, mode 0). Rust's own `{:e}` breaks ties upwards, so it is not used.
    let mut buffer = zmij::Buffer::new();
    let (digits, decpt) = decimal_digits(buffer.format_finite(x));
    let exp = decpt - 1;
    let n = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    if decpt <= -4 || decpt > 16 {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.extend_from_slice(
            format!("e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs()).as_bytes(),
        );
    } else if decpt <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(core::iter::repeat_n(b'0', decpt.unsigned_abs() as usize));
        out.extend_from_slice(&digits);
    } else if decpt >= n {
        out.extend_from_slice(&digits);
        out.extend(core::iter::repeat_n(
            b'0',
            (decpt - n).unsigned_abs() as usize,
        ));
        out.extend_from_slice(b".0");
    } else {
        let (int, frac) = digits.split_at(decpt.unsigned_abs() as usize);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    }
}

/// `text` (`1.5e-7`, `123.0`, `0.001`, `1e16`) as its significant digits and where the decimal
/// point goes: text = 0.d1d2... * 10^decpt.
fn decimal_digits(text: &str) -> (Vec<u8>, i32) {
    let (mantissa, exp) = text
        .split_once(['e', 'E'])
        .map_or((text, 0), |(m, e)| (m, e.parse().unwrap_or(0)));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let mut decpt = i32::try_from(int.len()).unwrap_or(0) + exp;
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..leading);
    decpt -= i32::try_from(leading).unwrap_or(0);
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, decpt)
}

fn write_str(s: &str, ascii: bool, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let u = |unit: u16, out: &mut Vec<u8>| {
        out.extend_from_slice(b"\\u");
        for shift in [12, 8, 4, 0] {
            out.push(HEX[usize::from((unit >> shift) & 0xf)]);
        }
    };
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            c if c < ' ' || (ascii && c > '~') => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    u(*unit, out);
                }
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(text: &str, ascii: bool) -> String {
        let value: Value = serde_json::from_str(text).expect("test JSON parses");
        String::from_utf8(compact(&value, ascii)).expect("UTF-8 out")
    }

    #[test]
    fn floats_print_as_python_repr() {
        // Each pair was printed by CPython 3.11: json.dumps(json.loads(a)).
        for (input, python) in [
            ("1e16", "1e+16"),
            ("1e15", "1000000000000000.0"),
            ("1E-5", "1e-05"),
            ("0.0001", "0.0001"),
            ("1.0", "1.0"),
            ("1.50", "1.5"),
            ("-0.0", "-0.0"),
            ("0e0", "0.0"),
            ("1e400", "Infinity"),
            ("-1e400", "-Infinity"),
            ("1e-400", "0.0"),
            ("123456789012345678.0", "1.2345678901234568e+17"),
            ("0.1", "0.1"),
            ("2.5e-7", "2.5e-07"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("5e-324", "5e-324"),
            ("12345.678", "12345.678"),
        ] {
            assert_eq!(py(input, true), python, "{input}");
        }
    }

    #[test]
    fn integers_keep_every_digit() {
        assert_eq!(
            py("123456789012345678901234567890", true),
            "123456789012345678901234567890"
        );
        assert_eq!(py("-0", true), "0");
        assert_eq!(py("-12", true), "-12");
    }

    #[test]
    fn strings_escape_as_cpython() {
        assert_eq!(
            py(r#""caf\u00e9 \ud83d\ude00 \u007f\u0001\n""#, true),
            r#""caf\u00e9 \ud83d\ude00 \u007f\u0001\n""#
        );
        assert_eq!(
            py(r#""caf\u00e9 \ud83d\ude00 \u007f\u0001\n""#, false),
            "\"café 😀 \u{7f}\\u0001\\n\""
        );
        assert_eq!(
            py(r#"{"a" : [1, {"b":null}], "a": true, "c":"\/"}"#, true),
            r#"{"a":true,"c":"/"}"#
        );
    }
}
