//! The PMSI tunnel attribute (code 22, RFC 6514 §5) as ExaBGP 5.0 shows it in JSON:
//! `"pmsi": "pmsi:<tunnel type>:<flags>:<label>:<tunnel>"`.

use std::fmt::Write;
use std::net::Ipv4Addr;

fn type_name(t: u8) -> &'static str {
    match t {
        0 => "notunnel",
        1 => "rsvp-tep2mplsp",
        2 => "mldpp2mplsp",
        3 => "pim-ssmtree",
        4 => "pim-smtree",
        5 => "bidir-pimtree",
        6 => "ingressreplication",
        7 => "mldpmp2mplsp",
        _ => "unknown",
    }
}

/// Appends the member and returns true, or returns false (nothing written) when the value
/// is shorter than the 5-byte header, so the caller shows the attribute generically.
pub fn json(out: &mut String, value: &[u8]) -> bool {
    let [flags, kind, l0, l1, l2, tunnel @ ..] = value else {
        return false;
    };
    let raw = u32::from_be_bytes([0, *l0, *l1, *l2]);
    let label = raw >> 4;
    let _ = write!(out, "\"pmsi\": \"pmsi:{}:{flags}:", type_name(*kind));
    match (kind, tunnel) {
        // Ingress replication with an IPv4 endpoint: label with its raw value, and the IP.
        (6, [a, b, c, d]) => {
            if raw == 0 {
                out.push('0');
            } else {
                let _ = write!(out, "{label}({raw})");
            }
            let _ = write!(out, ":{}", Ipv4Addr::new(*a, *b, *c, *d));
        }
        _ => {
            let _ = write!(out, "{label}:");
            if !tunnel.is_empty() {
                out.push_str("0x");
                for x in tunnel {
                    let _ = write!(out, "{x:02X}");
                }
            }
        }
    }
    out.push('"');
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingress_replication_and_other_types() {
        let mut out = String::new();
        assert!(json(&mut out, &[0, 6, 0, 0x06, 0x41, 192, 0, 2, 1]));
        assert_eq!(
            out,
            r#""pmsi": "pmsi:ingressreplication:0:100(1601):192.0.2.1""#
        );
        out.clear();
        assert!(json(&mut out, &[0, 3, 0, 0, 1, 192, 0, 2, 1]));
        assert_eq!(out, r#""pmsi": "pmsi:pim-ssmtree:0:0:0xC0000201""#);
        out.clear();
        assert!(!json(&mut out, &[0, 6, 0]));
        assert!(out.is_empty());
    }
}
