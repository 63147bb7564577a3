//! The names ExaBGP gives to flow values: protocols, ICMP types and codes, TCP flags and
//! fragment bits, both ways (config words to numbers, numbers to JSON/text).

use super::kind;
use crate::bgp::iana::Afi;

const PROTOCOLS: [(u64, &str); 13] = [
    (1, "icmp"),
    (2, "igmp"),
    (6, "tcp"),
    (8, "egp"),
    (17, "udp"),
    (46, "rsvp"),
    (47, "gre"),
    (50, "esp"),
    (51, "ah"),
    (89, "ospf"),
    (94, "ipip"),
    (103, "pim"),
    (132, "sctp"),
];

const ICMP_TYPES: [(u64, &str); 16] = [
    (0, "echo-reply"),
    (3, "unreachable"),
    (5, "redirect"),
    (8, "echo-request"),
    (9, "router-advertisement"),
    (10, "router-solicit"),
    (11, "time-exceeded"),
    (12, "parameter-problem"),
    (13, "timestamp"),
    (14, "timestamp-reply"),
    (40, "photuris"),
    (41, "experimental-mobility"),
    (42, "extended-echo-request"),
    (43, "extended-echo-reply"),
    (253, "experimental-one"),
    (254, "experimental-two"),
];

/// ICMP codes by name; several names share a value (they belong to different types).
const ICMP_CODES: [(&str, u64); 24] = [
    ("network-unreachable", 0),
    ("host-unreachable", 1),
    ("protocol-unreachable", 2),
    ("port-unreachable", 3),
    ("fragmentation-needed", 4),
    ("source-route-failed", 5),
    ("destination-network-unknown", 6),
    ("destination-host-unknown", 7),
    ("source-host-isolated", 8),
    ("destination-network-prohibited", 9),
    ("destination-host-prohibited", 10),
    ("network-unreachable-for-tos", 11),
    ("host-unreachable-for-tos", 12),
    ("communication-prohibited-by-filtering", 13),
    ("host-precedence-violation", 14),
    ("precedence-cutoff-in-effect", 15),
    ("redirect-for-network", 0),
    ("redirect-for-host", 1),
    ("redirect-for-tos-and-net", 2),
    ("redirect-for-tos-and-host", 3),
    ("ttl-eq-zero-during-transit", 0),
    ("ttl-eq-zero-during-reassembly", 1),
    ("required-option-missing", 1),
    ("ip-header-bad", 2),
];

const TCP_FLAGS: [(u64, &str); 9] = [
    (0x01, "fin"),
    (0x02, "syn"),
    (0x04, "rst"),
    (0x08, "push"),
    (0x10, "ack"),
    (0x20, "urg"),
    (0x40, "ece"),
    (0x80, "cwr"),
    (0x100, "ns"),
];

const FRAGMENTS: [(u64, &str); 4] = [
    (0x01, "dont-fragment"),
    (0x02, "is-fragment"),
    (0x04, "first-fragment"),
    (0x08, "last-fragment"),
];

pub(super) fn numeric_text(k: u8, v: u64) -> String {
    let table: &[(u64, &str)] = match k {
        kind::PROTOCOL => &PROTOCOLS,
        kind::ICMP_TYPE => &ICMP_TYPES,
        _ => &[],
    };
    table
        .iter()
        .find(|(n, _)| *n == v)
        .map_or_else(|| v.to_string(), |(_, s)| (*s).to_string())
}

pub(super) fn bits_text(afi: Afi, k: u8, v: u64) -> String {
    let table: &[(u64, &str)] = if k == kind::TCP_FLAGS {
        &TCP_FLAGS
    } else {
        &FRAGMENTS
    };
    // IPv6 has no don't-fragment bit (RFC 8956 §3.6): it is ignored when reading.
    let v = if k == kind::FRAGMENT {
        v & if afi == Afi::IPV6 { 0x0e } else { 0x0f }
    } else {
        v
    };
    let mut left = v;
    let mut names = Vec::new();
    for (bit, n) in table {
        if left & bit != 0 {
            names.push((*n).to_string());
            left &= !bit;
        }
    }
    if left != 0 {
        let what = if k == kind::TCP_FLAGS {
            "tcp flag"
        } else {
            "fragment"
        };
        names.push(format!("unknown {what} type {v}"));
    }
    names.join("+")
}

/// The value of a named or numeric word for component `k` (`tcp`, `syn+ack`, `echo-reply`,
/// `0x10`, `80`).
pub fn value_of(k: u8, word: &str) -> Option<u64> {
    let lower = word.to_ascii_lowercase().replace('_', "-");
    let number = |s: &str| -> Option<u64> {
        if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            u64::from_str_radix(h, 16).ok()
        } else if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let one = |s: &str| -> Option<u64> {
        let named = match k {
            kind::PROTOCOL => PROTOCOLS.iter().find(|(_, n)| *n == s).map(|(v, _)| *v),
            kind::ICMP_TYPE => ICMP_TYPES.iter().find(|(_, n)| *n == s).map(|(v, _)| *v),
            kind::ICMP_CODE => ICMP_CODES.iter().find(|(n, _)| *n == s).map(|(_, v)| *v),
            kind::TCP_FLAGS if s == "urgent" => Some(0x20),
            kind::TCP_FLAGS => TCP_FLAGS.iter().find(|(_, n)| *n == s).map(|(v, _)| *v),
            kind::FRAGMENT => FRAGMENTS.iter().find(|(_, n)| *n == s).map(|(v, _)| *v),
            _ => None,
        };
        named.or_else(|| number(s))
    };
    if matches!(
        k,
        kind::TCP_FLAGS | kind::FRAGMENT | kind::PROTOCOL | kind::ICMP_TYPE | kind::ICMP_CODE
    ) {
        lower
            .split('+')
            .map(one)
            .try_fold(0u64, |a, v| v.map(|v| a + v))
    } else {
        one(&lower)
    }
}
