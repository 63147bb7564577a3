//! Byte-exact renderings of the Python formatting ExaBGP 5.0 uses for helper output: `json.dumps`
//! string escaping (ASCII-only), `hexstring`, `repr(float)` and the text encoder's one-line
//! escaping of peer-supplied strings.

use std::fmt::Write;

/// Append `s` as a JSON string literal exactly as Python's `json.dumps` (ensure_ascii) writes
/// it: every character outside printable ASCII is a `\uXXXX` escape, so a peer-supplied string
/// can neither break the line nor close the string early.
pub fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// ExaBGP's `hexstring`: `0x` then two upper-case digits per byte (`0x` alone when empty).
pub fn hex_upper(out: &mut String, bytes: &[u8]) {
    out.push_str("0x");
    hex_digits(out, bytes);
}

/// Upper-case hex digits without a prefix.
pub fn hex_digits(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        let _ = write!(out, "{b:02X}");
    }
}

/// `0x` then lower-case digits, as generic attributes and AIGP print their payload.
pub fn hex_lower(out: &mut String, bytes: &[u8]) {
    out.push_str("0x");
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
}

/// Python's `repr(float)` for the `time` field: shortest round-trip digits, and always a
/// fractional part (`1.0`, not `1`). Non-finite values cannot come from a clock; they are
/// written as 0.0 so the line stays valid JSON.
pub fn py_float(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push_str("0.0");
        return;
    }
    let start = out.len();
    let _ = write!(out, "{v}");
    if !out
        .get(start..)
        .is_some_and(|s| s.contains(['.', 'e', 'E']))
    {
        out.push_str(".0");
    }
}

/// The text encoder's guard for peer-supplied strings (ExaBGP's `Text.oneline`): anything that
/// is not printable ASCII becomes `\xNN`, so a newline in a hostname or a shutdown message
/// cannot forge another event line. ExaBGP 5.0 keeps printable non-ASCII characters and then
/// fails to write the line at all; escaping them instead keeps the session and the helper alive.
pub fn oneline(out: &mut String, s: &str) {
    for c in s.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(s: &str) -> String {
        let mut out = String::new();
        json_str(&mut out, s);
        out
    }

    #[test]
    fn json_strings_match_python_json_dumps() {
        assert_eq!(js("plain"), "\"plain\"");
        assert_eq!(
            js("evil\"host\nneighbor 1.1.1.1 up"),
            r#""evil\"host\nneighbor 1.1.1.1 up""#
        );
        assert_eq!(js("dom\u{e9}"), r#""dom\u00e9""#);
        assert_eq!(js("\u{1}\u{7f}\\"), r#""\u0001\u007f\\""#);
        assert_eq!(js("\u{1f600}"), r#""\ud83d\ude00""#);
        // The escaped form is still a JSON string with the same value.
        let back: String = serde_json::from_str(&js("a\u{0}\u{2028}b\"")).unwrap();
        assert_eq!(back, "a\u{0}\u{2028}b\"");
    }

    #[test]
    fn hex_and_float_forms() {
        let mut s = String::new();
        hex_upper(&mut s, &[0xff, 0x0a]);
        s.push(' ');
        hex_upper(&mut s, &[]);
        s.push(' ');
        hex_lower(&mut s, &[0xAB]);
        assert_eq!(s, "0xFF0A 0x 0xab");
        let mut f = String::new();
        py_float(&mut f, 1795742511.9392648);
        f.push(' ');
        py_float(&mut f, 12.0);
        f.push(' ');
        py_float(&mut f, f64::NAN);
        assert_eq!(f, "1795742511.9392648 12.0 0.0");
    }

    #[test]
    fn oneline_escapes_controls_and_non_ascii() {
        let mut s = String::new();
        oneline(&mut s, "bye \"now\"\nneighbor 9.9.9.9 up\u{7f}\u{e9}");
        assert_eq!(s, "bye \"now\"\\x0aneighbor 9.9.9.9 up\\x7f\\xe9");
    }
}
