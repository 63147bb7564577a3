//! Extended communities (RFC 4360 and the RFCs defining each type) named as ExaBGP 5.0 names
//! them in helper output: `target:`, `origin:`, `redirect:`, `rate-limit:` and so on.
//!
//! ExaBGP picks the decoder by `(type & 0x0F, subtype)`, so a non-transitive or IANA-flagged
//! variant of a known type still gets the typed name; that lookup is reproduced here.

use std::fmt::Write;
use std::net::Ipv4Addr;

use super::escape::hex_digits;

/// How ExaBGP 5.0 shows one extended community.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// A typed rendering such as `target:65000:100`.
    Named(String),
    /// A type ExaBGP recognises but shows as raw hex (`0x` + 16 upper-case digits) everywhere.
    Hex,
    /// A type ExaBGP does not decode: raw hex in text, an empty string in JSON.
    Unknown,
}

fn u16_at(c: &[u8; 8], i: usize) -> u16 {
    match c.get(i..i + 2) {
        Some(&[a, b]) => u16::from_be_bytes([a, b]),
        _ => 0,
    }
}

fn u32_at(c: &[u8; 8], i: usize) -> u32 {
    match c.get(i..i + 4) {
        Some(&[a, b, d, e]) => u32::from_be_bytes([a, b, d, e]),
        _ => 0,
    }
}

fn ip_at(c: &[u8; 8], i: usize) -> Ipv4Addr {
    Ipv4Addr::from(u32_at(c, i))
}

/// Python's `'%d' % max(rate, 0.0)` for an IEEE single: truncated, never negative.
fn rate(c: &[u8; 8]) -> Option<String> {
    let r = f32::from_bits(u32_at(c, 4));
    // ExaBGP refuses a NaN or infinite rate when decoding (Notify 3/9), so no name exists.
    if !r.is_finite() {
        return None;
    }
    Some(format!("{:.0}", f64::from(r).max(0.0).trunc()))
}

fn encap_name(t: u16) -> Option<&'static str> {
    Some(match t {
        0 => "Default",
        1 => "L2TPv3",
        2 => "GRE",
        7 => "IP-in-IP",
        8 => "VXLAN",
        9 => "NVGRE",
        10 => "MPLS",
        12 => "VXLAN-GPE",
        13 => "MPLS-in-UDP",
        _ => return None,
    })
}

/// The rendering of one community.
pub fn shown(c: &[u8; 8]) -> Shown {
    let [ty, sub, b2, b3, _, _, _, b7] = *c;
    let named = match (ty & 0x0f, sub) {
        (0x00, 0x02) => format!("target:{}:{}", u16_at(c, 2), u32_at(c, 4)),
        (0x00, 0x13) => format!("rtrecord:{}:{}", u16_at(c, 2), u32_at(c, 4)),
        (0x01, 0x02) => format!("target:{}:{}", ip_at(c, 2), u16_at(c, 6)),
        (0x01, 0x13) => format!("rtrecord:{}:{}", ip_at(c, 2), u16_at(c, 6)),
        (0x02, 0x02) => format!("target:{}:{}", u32_at(c, 2), u16_at(c, 6)),
        (0x02, 0x13) => format!("rtrecord:{}:{}", u32_at(c, 2), u16_at(c, 6)),
        (0x00, 0x03) => format!("origin:{}:{}", u16_at(c, 2), ip_at(c, 4)),
        // ExaBGP swaps the fields of the IP-based origin when printing it.
        (0x01, 0x03) => format!("origin:{}:{}", u16_at(c, 6), ip_at(c, 2)),
        (0x02, 0x03) => format!("origin:{}:{}", u32_at(c, 2), u16_at(c, 6)),
        (0x00, 0x06) => match rate(c) {
            Some(r) => format!("rate-limit:{r}"),
            None => return Shown::Hex,
        },
        (0x00, 0x0c) => match rate(c) {
            Some(r) => format!("rate-limit:{r}:packets"),
            None => return Shown::Hex,
        },
        (0x00, 0x07) => {
            let mut words = Vec::new();
            if b7 & 0x02 != 0 {
                words.push("sample");
            }
            if b7 & 0x01 != 0 {
                words.push("terminal");
            }
            format!("action {}", words.join("-"))
        }
        (0x00, 0x08) => format!("redirect:{}:{}", u16_at(c, 2), u32_at(c, 4)),
        // ExaBGP decodes the 4-byte-AS redirect but never gave it a name.
        (0x02, 0x08) => return Shown::Hex,
        (0x00, 0x09) => format!("mark {}", b7 & 0x3f),
        (0x00, 0x0a) => format!("l2info:{}:{}:{}:{}", b2, b3, u16_at(c, 4), u16_at(c, 6)),
        (0x01, 0x0c) => {
            let ip = ip_at(c, 2);
            if u16_at(c, 6) & 1 != 0 {
                format!("copy-to-nexthop-ietf {ip} (with copy)")
            } else {
                format!("redirect-to-nexthop-ietf {ip}")
            }
        }
        (0x03, 0x0c) => {
            let t = u16_at(c, 6);
            match encap_name(t) {
                Some(name) => format!("encap:{name}"),
                // ExaBGP repeats the prefix for unknown tunnel types.
                None => format!("encap:encap:UNKNOWN-{t}"),
            }
        }
        (0x03, 0x14) => format!("consistentHashSortOrder:{}", u32_at(c, 2)),
        (0x06, 0x00) => {
            let sticky = if b2 == 1 { ":sticky" } else { "" };
            format!("mac-mobility:{}{sticky}", u32_at(c, 4))
        }
        (0x07, 0x02) => {
            let target = u16_at(c, 6);
            let direction = match target >> 14 {
                1 => "input".to_string(),
                2 => "output".to_string(),
                3 => "input-output".to_string(),
                d => d.to_string(),
            };
            format!(
                "interface-set:{direction}:{}:{}",
                u32_at(c, 2),
                target & 0x1fff
            )
        }
        (0x08, 0x00) => if b7 & 1 != 0 {
            "copy-to-nexthop"
        } else {
            "redirect-to-nexthop"
        }
        .to_string(),
        (0x0c, 0x00) => format!("mup:{}:{}", u16_at(c, 2), u32_at(c, 4)),
        _ => return Shown::Unknown,
    };
    Shown::Named(named)
}

/// The 64-bit `value` ExaBGP puts in JSON. MAC mobility is re-packed by ExaBGP from its
/// parsed fields (type 0x06, sticky flag exactly 1, sequence), so its value can differ from
/// the wire bytes; everything else is the wire value.
pub fn value(c: &[u8; 8]) -> u64 {
    let [ty, sub, flags, ..] = *c;
    if ty & 0x0f == 0x06 && sub == 0 {
        let sticky = u64::from(flags == 1);
        return (0x06u64 << 56) | (sticky << 40) | u64::from(u32_at(c, 4));
    }
    u64::from_be_bytes(*c)
}

/// The text form: the typed name, or `0x` and 16 upper-case digits.
pub fn text(out: &mut String, c: &[u8; 8]) {
    match shown(c) {
        Shown::Named(s) => out.push_str(&s),
        Shown::Hex | Shown::Unknown => {
            out.push_str("0x");
            hex_digits(out, c);
        }
    }
}

/// The JSON object `{ "value": N, "string": "S" }`.
pub fn json(out: &mut String, c: &[u8; 8]) {
    let _ = write!(out, "{{ \"value\": {}, \"string\": \"", value(c));
    match shown(c) {
        // Every name is built from digits, addresses and fixed ASCII words: nothing to escape.
        Shown::Named(s) => out.push_str(&s),
        Shown::Hex => {
            out.push_str("0x");
            hex_digits(out, c);
        }
        Shown::Unknown => {}
    }
    out.push_str("\" }");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> [u8; 8] {
        let v: Vec<u8> = (0..8)
            .map(|i| u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).unwrap())
            .collect();
        v.try_into().unwrap()
    }

    fn j(s: &str) -> String {
        let mut out = String::new();
        json(&mut out, &h(s));
        out
    }

    // Expected strings are ExaBGP 5.0.15's, from `exabgp decode` (tests/fixtures/json).
    #[test]
    fn named_like_exabgp() {
        let cases = [
            ("0002fde800000064", 842122827661412u64, "target:65000:100"),
            ("01020a0000010064", 72631539107692644, "target:10.0.0.1:100"),
            ("0202000100000064", 144678142324244580, "target:65536:100"),
            (
                "0003fde80a000001",
                1123597972144129,
                "origin:65000:10.0.0.1",
            ),
            ("01030a0000010064", 72913014084403300, "origin:100:10.0.0.1"),
            ("8006fde847c35000", 9225340060793262080, "rate-limit:100000"),
            (
                "800cfde842c80000",
                9227028910569947136,
                "rate-limit:100:packets",
            ),
            (
                "8007000000000003",
                9225342361691750403,
                "action sample-terminal",
            ),
            ("8007000000000000", 9225342361691750400, "action "),
            (
                "8008fde800000064",
                9225903009542701156,
                "redirect:65000:100",
            ),
            (
                "8208000100000064",
                9369739029039284324,
                "0x8208000100000064",
            ),
            ("800900000000002e", 9225905311645171758, "mark 46"),
            ("800a130000640000", 9226207677349363712, "l2info:19:0:100:0"),
            ("0013fde800000064", 5627197431742564, "rtrecord:65000:100"),
            (
                "010c0a0000010001",
                75446288874799105,
                "copy-to-nexthop-ietf 10.0.0.1 (with copy)",
            ),
            ("030c000000000008", 219550481834311688, "encap:VXLAN"),
            (
                "030c0000000000ff",
                219550481834311935,
                "encap:encap:UNKNOWN-255",
            ),
            (
                "0314000000640000",
                221802281654550528,
                "consistentHashSortOrder:100",
            ),
            (
                "0600010000000005",
                432346663739195397,
                "mac-mobility:5:sticky",
            ),
            ("0600000000000005", 432345564227567621, "mac-mobility:5"),
            (
                "0702000100004005",
                504966112513900549,
                "interface-set:input:65536:5",
            ),
            ("0800000000000001", 576460752303423489, "copy-to-nexthop"),
            ("0c00000100000002", 864691132750102530, "mup:1:2"),
            ("4004fde847c35000", 4613091092412452864, ""),
            ("ff01020304050607", 18374970166623929863, ""),
        ];
        for (hex, v, s) in cases {
            assert_eq!(
                j(hex),
                format!("{{ \"value\": {v}, \"string\": \"{s}\" }}"),
                "{hex}"
            );
        }
    }

    #[test]
    fn text_falls_back_to_upper_hex() {
        let mut out = String::new();
        text(&mut out, &h("ff01020304050607"));
        out.push(' ');
        text(&mut out, &h("0002000100000001"));
        assert_eq!(out, "0xFF01020304050607 target:1:1");
    }

    #[test]
    fn non_finite_rate_is_not_named() {
        assert_eq!(shown(&h("80060000ffc00000")), Shown::Hex);
        assert_eq!(
            shown(&h("80060000c2c80000")),
            Shown::Named("rate-limit:0".into())
        );
    }
}
