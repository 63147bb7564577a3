//! Flow specification rules (RFC 8955/8956) as ExaBGP 5.0 shows them in JSON and text.

use std::net::IpAddr;

use crate::bgp::nlri::flow::{name, rd_value, Flow};

use super::escape::json_str;

/// `{ "destination-ipv4": [ "10.0.0.1/32" ], ..., "rd": "1:1", "next-hop": "..",
/// "string": "flow ..." }`: one list per component, items joined by AND in one string.
pub fn json(out: &mut String, f: &Flow, next_hop: Option<IpAddr>) {
    out.push_str("{ ");
    for (k, items) in &f.components {
        json_str(out, name(f.family.afi, *k));
        out.push_str(": [ ");
        for (i, v) in f.values(*k, items).iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            json_str(out, v);
        }
        out.push_str(" ], ");
    }
    if let Some(rd) = &f.rd {
        out.push_str("\"rd\": ");
        json_str(out, &rd_value(rd));
        out.push_str(", ");
    }
    if let Some(nh) = next_hop {
        out.push_str("\"next-hop\": ");
        json_str(out, &nh.to_string());
        out.push_str(", ");
    }
    out.push_str("\"string\": ");
    json_str(out, &f.text(next_hop));
    out.push_str(" }");
}

/// IPv6 Address Specific Extended Communities (attribute 25, RFC 5701) as ExaBGP shows
/// them: `"extended-community-ipv6": [ { "value": <20 octets as an integer>, "string": .. } ]`,
/// sorted. None when the value is not a whole number of 20-octet communities.
pub fn ipv6_extended_json(out: &mut String, value: &[u8]) -> Option<()> {
    if value.is_empty() || !value.len().is_multiple_of(20) {
        return None;
    }
    let mut all: Vec<&[u8]> = value.chunks(20).collect();
    all.sort();
    out.push_str("\"extended-community-ipv6\": [ ");
    for (i, c) in all.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("{ \"value\": ");
        out.push_str(&decimal(c));
        out.push_str(", \"string\": ");
        json_str(out, &ipv6_extended_text(c));
        out.push_str(" }");
    }
    out.push_str(" ]");
    Some(())
}

/// The `string` of one IPv6 extended community: the IETF redirect (RFC 8956 §7.1 style
/// 0x000C) by name, other transitive types empty and non-transitive ones in hex, as
/// ExaBGP 5.0.15 prints them.
fn ipv6_extended_text(c: &[u8]) -> String {
    let addr = c
        .get(2..18)
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
        .map(std::net::Ipv6Addr::from);
    match (c.first(), c.get(1), addr, c.get(19)) {
        (Some(0x00), Some(0x0c), Some(a), Some(copy)) if copy & 1 == 1 => {
            format!("copy-to-nexthop-ietf {a} (with copy)")
        }
        (Some(0x00), Some(0x0c), Some(a), _) => format!("redirect-to-nexthop-ietf {a}"),
        (Some(t), ..) if t & 0x80 != 0 => {
            let mut s = String::new();
            super::escape::hex_upper(&mut s, c);
            s
        }
        _ => String::new(),
    }
}

/// Big-endian bytes as a decimal integer (for values wider than u128).
fn decimal(bytes: &[u8]) -> String {
    let mut n: Vec<u8> = bytes.to_vec();
    let mut digits = Vec::new();
    while n.iter().any(|b| *b != 0) {
        let mut rem: u16 = 0;
        for b in n.iter_mut() {
            let cur = (rem << 8) | u16::from(*b);
            *b = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    if digits.is_empty() {
        return "0".into();
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// The text API form: ExaBGP's string form of the rule.
pub fn text(out: &mut String, f: &Flow) {
    out.push_str(&f.text(None));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::nlri::flow::{kind, op, Item};
    use crate::bgp::Family;

    #[test]
    fn ipv6_extended_communities_as_exabgp() {
        let mut v = vec![0x00, 0x0c];
        v.extend_from_slice(
            &"2a02:b80:0:1::1"
                .parse::<std::net::Ipv6Addr>()
                .unwrap()
                .octets(),
        );
        v.extend_from_slice(&[0, 0]);
        let mut s = String::new();
        ipv6_extended_json(&mut s, &v).unwrap();
        assert_eq!(
            s,
            "\"extended-community-ipv6\": [ { \"value\": 271268354242357201462255214013497395816497152, \"string\": \"redirect-to-nexthop-ietf 2a02:b80:0:1::1\" } ]"
        );
        assert!(ipv6_extended_json(&mut s, &[1, 2]).is_none());
        assert_eq!(decimal(&[1, 0]), "256");
    }

    #[test]
    fn json_matches_exabgp_decode() {
        // `exabgp decode` of the conf-flow check-tcp-flags rule (5.0.15).
        let mut f = Flow::new(Family::new(1, 133));
        f.add(
            kind::DESTINATION,
            Item::Prefix {
                prefix: "10.0.0.2/32".parse().unwrap(),
                offset: 0,
            },
        );
        f.add(
            kind::PROTOCOL,
            Item::Op {
                op: op::EQ,
                value: 6,
            },
        );
        f.add(kind::TCP_FLAGS, Item::Op { op: 0, value: 2 });
        f.add(kind::TCP_FLAGS, Item::Op { op: 0, value: 4 });
        f.add(
            kind::TCP_FLAGS,
            Item::Op {
                op: op::AND,
                value: 1,
            },
        );
        let mut s = String::new();
        json(&mut s, &f, None);
        assert_eq!(
            s,
            "{ \"destination-ipv4\": [ \"10.0.0.2/32\" ], \"protocol\": [ \"=tcp\" ], \"tcp-flags\": [ \"syn\", \"rst&fin\" ], \"string\": \"flow destination-ipv4 10.0.0.2/32 protocol =tcp tcp-flags [ syn rst&fin ]\" }"
        );
    }
}
