//! The BGP-LS attribute (code 29, RFC 9552 §5.3) as ExaBGP 5.0 shows it: `"bgp-ls": { ... }`
//! with one member per TLV. Values are rendered as Python's `json.dumps` writes them
//! (ASCII only, `", "` and `": "` separators). A TLV ExaBGP knows but we do not decode yet
//! (the segment-routing ones) makes the whole attribute fall back to the generic form.

use std::fmt::Write;
use std::net::IpAddr;

use super::escape::{json_str as py_str, py_float};

/// `{"O": 1, "T": 0, ...}`: bits from the most significant; a repeated name (RSV) keeps
/// its first position and ExaBGP reports reserved bits unset.
fn flags(out: &mut String, byte: u8, names: &[&str]) {
    let mut seen: Vec<&str> = Vec::new();
    out.push('{');
    for (i, name) in names.iter().enumerate() {
        if seen.contains(name) {
            continue;
        }
        let bit = if *name == "RSV" {
            0
        } else {
            (byte >> (7 - i)) & 1
        };
        if !seen.is_empty() {
            out.push_str(", ");
        }
        seen.push(name);
        let _ = write!(out, "\"{name}\": {bit}");
    }
    out.push('}');
}

fn be(b: &[u8]) -> u64 {
    b.iter().fold(0u64, |a, x| (a << 8) | u64::from(*x))
}

fn f32_at(b: &[u8]) -> Option<f64> {
    <[u8; 4]>::try_from(b)
        .ok()
        .map(|x| f64::from(f32::from_be_bytes(x)))
}

/// One TLV's JSON member, or None when it is not one we render.
fn member(out: &mut String, code: u16, v: &[u8]) -> Option<()> {
    match code {
        1024 => {
            out.push_str("\"node-flags\": ");
            flags(
                out,
                *v.first()?,
                &["O", "T", "E", "B", "R", "V", "RSV", "RSV"],
            );
        }
        1025 => {
            out.push_str("\"opaque\": ");
            py_str(out, &String::from_utf8_lossy(v));
        }
        1026 | 1098 => {
            if v.len() > 255 {
                return None;
            }
            let key = if code == 1026 {
                "node-name"
            } else {
                "link-name"
            };
            let _ = write!(out, "\"{key}\": ");
            py_str(out, &String::from_utf8_lossy(v));
        }
        1027 => {
            if v.is_empty() || v.len() > 8 {
                return None;
            }
            let _ = write!(out, "\"area-id\": \"{}\"", be(v));
        }
        1028 => {
            let ip = match v.len() {
                4 | 16 => {
                    let mut b = [0u8; 16];
                    for (d, s) in b.iter_mut().zip(v) {
                        *d = *s;
                    }
                    if v.len() == 4 {
                        let [a, b1, c, d, ..] = b;
                        IpAddr::from([a, b1, c, d])
                    } else {
                        IpAddr::from(b)
                    }
                }
                _ => return None,
            };
            let _ = write!(out, "\"local-te-router-ids\": [\"{ip}\"]");
        }
        1095 => {
            let m = match v.len() {
                1..=3 => be(v),
                _ => return None,
            };
            let _ = write!(out, "\"igp-metric\": {m}");
        }
        1088 | 1092 | 1155 => {
            if v.len() != 4 {
                return None;
            }
            let key = match code {
                1088 => "admin-group-mask",
                1092 => "te-metric",
                _ => "prefix-metric",
            };
            let _ = write!(out, "\"{key}\": {}", be(v));
        }
        1089 | 1090 => {
            let key = if code == 1089 {
                "maximum-link-bandwidth"
            } else {
                "maximum-reservable-link-bandwidth"
            };
            let _ = write!(out, "\"{key}\": ");
            py_float(out, f32_at(v)?);
        }
        1091 => {
            if v.len() != 32 {
                return None;
            }
            out.push_str("\"unreserved-bandwidth\": [");
            for (i, c) in v.chunks(4).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_float(out, f32_at(c)?);
            }
            out.push(']');
        }
        1152 => {
            out.push_str("\"igp-flags\": ");
            flags(
                out,
                *v.first()?,
                &["D", "N", "L", "P", "RSV", "RSV", "RSV", "RSV"],
            );
        }
        // Registered with ExaBGP but not rendered here yet (segment routing, SRv6, ...).
        1029..=1040 | 1096 | 1097 | 1099..=1200 => return None,
        _ => {
            let _ = write!(out, "\"generic-lsid-{code}\": [\"0x");
            for b in v {
                let _ = write!(out, "{b:02X}");
            }
            out.push_str("\"]");
        }
    }
    Some(())
}

/// `"bgp-ls": { ... }` for the attribute's value; false (nothing written) when a TLV is
/// truncated or not rendered, so the caller shows the attribute generically instead.
pub fn json(out: &mut String, value: &[u8]) -> bool {
    let mut s = String::from("\"bgp-ls\": { ");
    let mut rest = value;
    let mut first = true;
    while !rest.is_empty() {
        let (Some(t), Some(l)) = (rest.get(..2), rest.get(2..4)) else {
            return false;
        };
        let code = u16::from_be_bytes([t[0], t[1]]);
        let len = usize::from(u16::from_be_bytes([l[0], l[1]]));
        let Some(v) = rest.get(4..4 + len) else {
            return false;
        };
        if !first {
            s.push_str(", ");
        }
        first = false;
        if member(&mut s, code, v).is_none() {
            return false;
        }
        rest = rest.get(4 + len..).unwrap_or(&[]);
    }
    if first {
        return false;
    }
    s.push_str(" }");
    out.push_str(&s);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_name_and_flags() {
        let mut out = String::new();
        assert!(json(
            &mut out,
            b"\x04\x02\x00\x07router1\x04\x00\x00\x01\x80"
        ));
        assert_eq!(
            out,
            r#""bgp-ls": { "node-name": "router1", "node-flags": {"O": 1, "T": 0, "E": 0, "B": 0, "R": 0, "V": 0, "RSV": 0} }"#
        );
    }

    #[test]
    fn truncated_or_unrendered_falls_back() {
        let mut out = String::new();
        assert!(!json(&mut out, b"\x04\x02\x00\x09ab"));
        assert!(!json(&mut out, b"\x04\x0a\x00\x01\x00"));
        assert!(!json(&mut out, b""));
        assert!(out.is_empty());
        assert!(json(&mut out, b"\x27\x0f\x00\x01\x01"));
        assert_eq!(out, r#""bgp-ls": { "generic-lsid-9999": ["0x01"] }"#);
    }
}
