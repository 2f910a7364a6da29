//! Property test: the compact re-serialization that verifies port-agent and Kafka signatures is
//! byte-identical to CPython's `json.dumps(json.loads(doc), separators=(",", ":"),
//! ensure_ascii=...)` on generated JSON, in both `ensure_ascii` modes. CPython (`python3` on
//! PATH, as everywhere this project builds) is the oracle: `tests/vectors/generate/pyjson_oracle.py`.
//!
//! Documents are written the way other JSON writers write them: any white space, escapes of any
//! character, surrogate pairs, duplicate keys, integers of any size, floats in every notation.
//! The seed is random per run and printed; `PYJSON_SEED=<n>` replays one.

use std::io::Write;
use std::process::{Command, Stdio};

use port_secret_core::hazmat::python_compact_json;
use serde_json::Value;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

fn ws(rng: &mut Rng, out: &mut String) {
    if rng.below(3) == 0 {
        out.push_str(rng.pick(&[" ", "  ", "\n", "\t", "\r\n ", ""]));
    }
}

fn number(rng: &mut Rng, out: &mut String) {
    let sign = if rng.below(4) == 0 { "-" } else { "" };
    match rng.below(9) {
        0 => out.push_str(&format!("{sign}{}", rng.below(1000))),
        1 => out.push_str(&format!("{sign}{}{}", rng.next(), rng.next())), // past u64
        2 => out.push_str(&format!("{sign}0")),
        3 => {
            let x = f64::from_bits(rng.next());
            if x.is_finite() {
                out.push_str(&format!("{x:e}"));
            } else {
                out.push_str("1.5");
            }
        }
        4 => out.push_str(&format!(
            "{sign}{}.{:0>3}",
            rng.below(100_000),
            rng.below(1000)
        )),
        5 => out.push_str(&format!(
            "{sign}{}{}{}{}{}",
            1 + rng.below(9),
            rng.pick(&["", ".0", ".5", ".25", ".000"]),
            rng.pick(&["e", "E"]),
            rng.pick(&["", "+", "-"]),
            rng.below(330),
        )),
        6 => out.push_str(rng.pick(&[
            "1e16",
            "1e15",
            "1E-5",
            "0.0001",
            "0.00001",
            "1e400",
            "-1e400",
            "1e-400",
            "5e-324",
            "0.1",
            "1.7976931348623157e308",
            "123456789012345678.0",
            "-0.0",
            "0e0",
            "9007199254740993",
        ])),
        7 => {
            let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64
                * 10f64.powi(i32::try_from(rng.below(40)).unwrap_or(0) - 20);
            out.push_str(&format!("{sign}{x}"));
        }
        _ => out.push_str(&format!("{sign}{}e{}", rng.below(10_000), rng.below(40))),
    }
}

fn string(rng: &mut Rng, out: &mut String) {
    out.push('"');
    for _ in 0..rng.below(8) {
        match rng.below(12) {
            0 => {
                out.push_str(rng.pick(&["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]))
            }
            1 => out.push_str(&format!("\\u{:04x}", rng.below(0x80))),
            2 => out.push_str(&format!("\\u{:04X}", 0x80 + rng.below(0xd800 - 0x80))),
            3 => {
                let hi = 0xd800 + rng.below(0x400);
                let lo = 0xdc00 + rng.below(0x400);
                out.push_str(&format!("\\u{hi:04x}\\u{lo:04x}"));
            }
            4 => out.push_str(rng.pick(&[
                "é",
                "✓",
                "😀",
                "\u{7f}",
                "\u{2028}",
                "\u{feff}",
                "中文",
                "\u{10ffff}",
            ])),
            5 => out.push_str(&format!("\\u{:04x}", 0xe000 + rng.below(0x2000))),
            _ => out.push(
                char::from(b' ' + u8::try_from(rng.below(95)).unwrap_or(0))
                    .to_string()
                    .replace(['"', '\\'], "x")
                    .chars()
                    .next()
                    .unwrap_or('x'),
            ),
        }
    }
    out.push('"');
}

fn value(rng: &mut Rng, depth: u32, out: &mut String) {
    let leaf = depth > 4 || rng.below(3) == 0;
    match if leaf { rng.below(4) } else { 4 + rng.below(2) } {
        0 => out.push_str(rng.pick(&["null", "true", "false"])),
        1 | 2 => number(rng, out),
        3 => string(rng, out),
        4 => {
            out.push('[');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                value(rng, depth + 1, out);
                ws(rng, out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            let keys = ["a", "b", "\\u0061", "é", "\\u00e9", "__proto__", "", "z z"];
            for i in 0..rng.below(6) {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                if rng.below(3) == 0 {
                    string(rng, out);
                } else {
                    out.push('"');
                    out.push_str(rng.pick(&keys)); // repeats: duplicate keys
                    out.push('"');
                }
                ws(rng, out);
                out.push(':');
                ws(rng, out);
                value(rng, depth + 1, out);
            }
            ws(rng, out);
            out.push('}');
        }
    }
}

fn oracle(docs: &[String]) -> Vec<Option<(String, String)>> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/generate/pyjson_oracle.py"
    );
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs (the CPython oracle)");
    let mut stdin = child.stdin.take().expect("stdin");
    let input: String = docs
        .iter()
        .map(|d| serde_json::to_string(d).expect("a string serializes") + "\n")
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("python3 finishes");
    writer.join().expect("writer").expect("write to python3");
    assert!(output.status.success(), "the oracle failed");
    let text = String::from_utf8(output.stdout).expect("UTF-8 from the oracle");
    text.lines()
        .map(|line| {
            let pair: Value = serde_json::from_str(line).expect("oracle line is JSON");
            match (&pair[0], &pair[1]) {
                (Value::String(a), Value::String(u)) => Some((a.clone(), u.clone())),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn compact_json_matches_cpython() {
    let seed: u64 = std::env::var("PYJSON_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| (u64::from(d.subsec_nanos()) ^ d.as_secs()) | 1)
        });
    println!("PYJSON_SEED={seed}");
    let mut rng = Rng(seed);
    let docs: Vec<String> = (0..4000)
        .map(|_| {
            let mut doc = String::new();
            ws(&mut rng, &mut doc);
            value(&mut rng, 0, &mut doc);
            ws(&mut rng, &mut doc);
            doc
        })
        .collect();
    let expected = oracle(&docs);
    assert_eq!(expected.len(), docs.len(), "one oracle line per document");
    let mut compared = 0;
    for (doc, want) in docs.iter().zip(&expected) {
        let ours: Option<Value> = serde_json::from_str(doc).ok();
        match (ours, want) {
            (Some(v), Some((ascii, unicode))) => {
                assert_eq!(
                    String::from_utf8(python_compact_json(&v, true)).expect("utf8"),
                    *ascii,
                    "ensure_ascii=True, seed {seed}, doc {doc:?}"
                );
                assert_eq!(
                    String::from_utf8(python_compact_json(&v, false)).expect("utf8"),
                    *unicode,
                    "ensure_ascii=False, seed {seed}, doc {doc:?}"
                );
                compared += 1;
            }
            (None, None) => {}
            (ours, want) => panic!(
                "parse disagreement (ours {:?}, CPython {:?}), seed {seed}, doc {doc:?}",
                ours.is_some(),
                want.is_some()
            ),
        }
    }
    println!(
        "{compared} of {} documents compared byte for byte in both modes",
        docs.len()
    );
    assert!(compared > docs.len() / 2, "most generated documents parse");
}
