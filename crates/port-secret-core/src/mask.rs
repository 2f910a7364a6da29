//! What a CI system must mask in its logs for one decrypted value: the one rule of the CLI's
//! `decrypt-env` (GitHub `::add-mask::`, Azure `setsecret`) and of the GitHub Action
//! (`core.setSecret`, through the Node binding's `maskPieces`).
//!
//! A CI runner masks a log line by replacing every registered string it contains, one line at a
//! time: a multi-line secret registered whole is never found in a log line, so each line of it
//! is registered as well, trimmed (a substring of the untrimmed line, so it still hides it, and
//! it also hides the line printed with other indentation).
//!
//! A line or a string leaf is registered when it is non-trivial: it has a letter or a digit and
//! is not PEM armor. Skipped:
//! - empty or white-space-only lines: registering `" "` would blank every space of the log;
//! - lines of punctuation only (`{`, `}`, `],`, `---`): structure, not secret, and registering
//!   `{` would blank every brace of every later log line;
//! - PEM armor lines (`-----BEGIN PRIVATE KEY-----`, `-----END ...-----`): public text, shown by
//!   every tool that prints a public key or a certificate.
//!
//! The value itself is always registered whole (unless it is empty or white space only), whatever
//! it holds: a one-line secret of punctuation only is still a secret.
//!
//! For CI log masking only: this is not a general redaction tool.

use serde_json::Value;

/// The strings to register as secret for one decrypted value (a string, or the parsed JSON of a
/// `type: object` input), in order, possibly with repeats: the whole value (unless empty or
/// white space), each non-trivial trimmed line, and their JSON-escaped forms; for any other JSON
/// value, its compact JSON text (if non-trivial) and each string leaf, whole (if non-trivial)
/// and by line. `null`: nothing.
pub fn mask_pieces(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match value {
        Value::Null => {}
        Value::String(s) => {
            if !js_trim(s).is_empty() {
                out.extend(forms(s));
            }
            add_lines(s, &mut out);
        }
        other => {
            let text = serde_json::to_string(other).unwrap_or_default();
            if is_non_trivial(&text) {
                out.push(text);
            }
            let mut leaves = Vec::new();
            string_leaves(other, &mut leaves);
            for leaf in leaves {
                if is_non_trivial(leaf) {
                    out.extend(forms(leaf));
                }
                add_lines(leaf, &mut out);
            }
        }
    }
    out
}

/// A piece worth registering on its own: it has a letter or a digit and is not PEM armor.
/// (`char::is_alphabetic` is `\p{L}` plus the marks Unicode calls alphabetic: it may register a
/// few more pieces than JavaScript's `/[\p{L}\p{N}]/u`, never fewer.)
fn is_non_trivial(piece: &str) -> bool {
    piece.chars().any(|c| c.is_alphabetic() || c.is_numeric()) && !is_pem_armor(piece)
}

/// JavaScript's `String.prototype.trim` white space: Unicode `White_Space` without U+0085, plus
/// U+FEFF.
fn is_js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// `/^-----(BEGIN|END) [A-Z0-9 ]+-----$/`
fn is_pem_armor(piece: &str) -> bool {
    let Some(rest) = piece.strip_prefix("-----") else {
        return false;
    };
    let Some(rest) = rest
        .strip_prefix("BEGIN ")
        .or_else(|| rest.strip_prefix("END "))
    else {
        return false;
    };
    let Some(label) = rest.strip_suffix("-----") else {
        return false;
    };
    !label.is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
}

/// A string and its JSON-escaped body when that differs (`JSON.stringify(s).slice(1, -1)`).
fn forms(text: &str) -> Vec<String> {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    let escaped = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or_default();
    if escaped == text {
        vec![text.to_owned()]
    } else {
        vec![text.to_owned(), escaped.to_owned()]
    }
}

/// The lines of `text`, split at CR LF, CR or LF (`text.split(/\r\n|\r|\n/)`).
fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\r' => {
                out.push(&text[start..i]);
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
            }
            b'\n' => {
                out.push(&text[start..i]);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push(&text[start..]);
    out
}

/// The non-trivial trimmed lines of `text`, and their JSON-escaped forms, into `out`.
fn add_lines(text: &str, out: &mut Vec<String>) {
    for line in lines(text) {
        let trimmed = js_trim(line);
        if is_non_trivial(trimmed) {
            out.extend(forms(trimmed));
        }
    }
}

/// Every string leaf of a JSON value, in document order.
fn string_leaves<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| string_leaves(v, out)),
        Value::Object(map) => map.values().for_each(|v| string_leaves(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pieces(value: Value) -> Vec<String> {
        mask_pieces(&value)
    }

    #[test]
    fn a_string_whole_then_its_lines_and_their_escaped_forms() {
        assert_eq!(
            pieces(json!(
                "line one\n  {\n\tpa\"ss  \n-----BEGIN PRIVATE KEY-----\n"
            )),
            vec![
                "line one\n  {\n\tpa\"ss  \n-----BEGIN PRIVATE KEY-----\n",
                "line one\\n  {\\n\\tpa\\\"ss  \\n-----BEGIN PRIVATE KEY-----\\n",
                "line one",
                "pa\"ss",
                "pa\\\"ss",
            ]
        );
        // One line: the value, then the same line again (trimmed, non-trivial).
        assert_eq!(pieces(json!("hunter2")), vec!["hunter2", "hunter2"]);
        assert_eq!(pieces(json!("  pw  ")), vec!["  pw  ", "pw"]);
    }

    #[test]
    fn punctuation_is_masked_whole_never_by_line_and_space_never() {
        assert_eq!(pieces(json!("}{")), vec!["}{"]);
        assert_eq!(pieces(json!("{\n}")), vec!["{\n}", "{\\n}"]);
        assert!(pieces(json!(" \n\t")).is_empty());
        assert!(pieces(json!("")).is_empty());
        assert!(pieces(json!("\u{feff}")).is_empty());
        // U+0085 is not white space to JavaScript's trim: the value is kept whole.
        assert_eq!(pieces(json!("\u{85}")), vec!["\u{85}"]);
    }

    #[test]
    fn an_object_its_compact_text_then_each_string_leaf() {
        assert_eq!(
            pieces(json!({"a": ["x1", {"b": "--"}], "n": 5})),
            vec![r#"{"a":["x1",{"b":"--"}],"n":5}"#, "x1", "x1"]
        );
        assert_eq!(
            pieces(json!({"key": "l1\nl2"})),
            vec![r#"{"key":"l1\nl2"}"#, "l1\nl2", "l1\\nl2", "l1", "l2"]
        );
        // No letter or digit: structure, not masked.
        assert!(pieces(json!({})).is_empty());
        assert!(pieces(json!([])).is_empty());
        assert!(pieces(json!(null)).is_empty());
        assert_eq!(pieces(json!(42)), vec!["42"]);
    }

    #[test]
    fn pem_armor_is_public() {
        assert!(is_pem_armor("-----END RSA PRIVATE KEY-----"));
        assert!(is_pem_armor("-----BEGIN PUBLIC KEY-----"));
        assert!(!is_pem_armor("-----END rsa-----"));
        assert!(!is_pem_armor("-----BEGIN -----"));
        assert!(!is_pem_armor("-----MIDDLE X-----"));
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n";
        let got = pieces(json!(pem));
        assert!(got.contains(&"MIIEvQ".to_owned()));
        assert!(!got.contains(&"-----BEGIN PRIVATE KEY-----".to_owned()));
        assert!(!got.contains(&"-----END PRIVATE KEY-----".to_owned()));
    }

    #[test]
    fn lines_split_at_crlf_cr_and_lf() {
        assert_eq!(lines("a\r\nb\rc\n\nd"), vec!["a", "b", "c", "", "d"]);
        assert_eq!(lines(""), vec![""]);
        assert_eq!(
            pieces(json!("a1\r\nb2\rc3")),
            vec!["a1\r\nb2\rc3", "a1\\r\\nb2\\rc3", "a1", "b2", "c3"]
        );
    }

    #[test]
    fn letters_and_digits_of_any_script_count() {
        assert!(is_non_trivial("é"));
        assert!(is_non_trivial("٣"));
        assert!(!is_non_trivial("--- ,"));
    }
}
