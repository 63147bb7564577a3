//! The BGP-LS attribute (code 29, RFC 9552 §5.3) as ExaBGP 5.0 shows it: `"bgp-ls": { ... }`
//! with one member per TLV. Values are rendered as Python's `json.dumps` writes them
//! (ASCII only, `", "` and `": "` separators). A TLV ExaBGP knows but we do not decode yet
//! (most segment-routing and SRv6 ones) makes the whole attribute fall back to the generic
//! form.

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

/// The SR Capabilities ranges (RFC 9085 §2.1.2): `[[range size, first label or SID], ...]`,
/// as Python prints a list of lists. Each is a 3-octet range size then a SID/Label sub-TLV
/// (1161) of 3 octets (a 20-bit label) or 4 (a SID); ExaBGP skips a sub-TLV of another length.
/// None when a range is cut or the sub-TLV is another type (ExaBGP refuses the TLV).
fn sr_ranges(out: &mut String, mut data: &[u8]) -> Option<()> {
    out.push('[');
    let mut first = true;
    while !data.is_empty() {
        let range = be(data.get(..3)?);
        let kind = be(data.get(3..5)?);
        let len = usize::try_from(be(data.get(5..7)?)).ok()?;
        if kind != 1161 {
            return None;
        }
        let sid = match len {
            3 => Some(be(data.get(7..10)?) & 0xF_FFFF),
            4 => Some(be(data.get(7..11)?)),
            _ => None,
        };
        if let Some(sid) = sid {
            if !first {
                out.push_str(", ");
            }
            first = false;
            let _ = write!(out, "[{range}, {sid}]");
        }
        data = data.get(7 + len..).unwrap_or(&[]);
    }
    out.push(']');
    Some(())
}

/// A TLV ExaBGP decodes, as its whole JSON member; None when it is malformed or one we do
/// not render yet.
fn whole(out: &mut String, code: u16, v: &[u8]) -> Option<()> {
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
            if v.is_empty() {
                return None;
            }
            let _ = write!(out, "\"area-id\": \"{}\"", decimal(v));
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
        1034 => {
            out.push_str("\"sr-capability-flags\": ");
            flags(
                out,
                *v.first()?,
                &["I", "V", "RSV", "RSV", "RSV", "RSV", "RSV", "RSV"],
            );
            out.push_str(", \"sids\": ");
            sr_ranges(out, v.get(2..).unwrap_or(&[]))?;
        }
        1035 => {
            // IOS XR sends it empty for the default SPF: ExaBGP shows algorithm 0.
            let algos: &[u8] = if v.is_empty() { &[0] } else { v };
            out.push_str("\"sr-algorithms\": [");
            for (i, a) in algos.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{a}");
            }
            out.push(']');
        }
        1030 | 1031 => {
            let _ = write!(out, "\"remote-te-router-id\": \"{}\"", ip(v)?);
        }
        1156 => {
            let _ = write!(out, "\"ospf-forwarding-address\": \"{}\"", ip(v)?);
        }
        1171 => {
            let _ = write!(out, "\"sr-source-router-id\": \"{}\"", ip(v)?);
        }
        1093 => {
            if v.len() != 2 {
                return None;
            }
            out.push_str("\"link-protection-flags\": ");
            let names = [
                "ExtraTrafic",
                "Unprotected",
                "Shared",
                "Dedicated 1:1",
                "Dedicated 1+1",
                "Enhanced",
                "RSV",
                "RSV",
            ];
            flags(out, *v.first()?, &names);
        }
        1094 => {
            if v.len() != 1 {
                return None;
            }
            out.push_str("\"mpls-mask\": ");
            let names = ["LDP", "RSVP-TE", "RSV", "RSV", "RSV", "RSV", "RSV", "RSV"];
            flags(out, *v.first()?, &names);
        }
        1170 => {
            out.push_str("\"sr-prefix-attribute-flags\": ");
            let names = ["X", "R", "N", "RSV", "RSV", "RSV", "RSV", "RSV"];
            flags(out, *v.first()?, &names);
        }
        1096 | 1153 | 1154 => {
            let (key, size) = match code {
                1096 => ("shared-risk-link-groups", 4),
                1153 => ("igp-route-tags", 4),
                _ => ("igp-extended-route-tags", 8),
            };
            if !v.len().is_multiple_of(size) {
                return None;
            }
            let _ = write!(out, "\"{key}\": ");
            let values: Vec<u64> = v.chunks(size).map(be).collect();
            number_list(out, &values);
        }
        1097 | 1157 => {
            let key = if code == 1097 {
                "opaque-link"
            } else {
                "opaque-prefix"
            };
            let _ = write!(out, "\"{key}\": ");
            py_str(out, &String::from_utf8_lossy(v));
        }
        1099 => {
            let names = ["F", "B", "V", "L", "S", "P", "RSV", "RSV"];
            let (flag_byte, weight) = (*v.first()?, *v.get(1)?);
            let (sids, undecoded) = sr_sids(flag_byte, 3, v.get(4..).unwrap_or(&[]), false)?;
            out.push_str("\"sr-adj\": {\"flags\": ");
            flags(out, flag_byte, &names);
            out.push_str(", \"sids\": ");
            number_list(out, &sids);
            let _ = write!(out, ", \"weight\": {weight}, \"undecoded-sids\": ");
            hex_list(out, &undecoded);
            out.push('}');
        }
        1158 => {
            let names = ["R", "N", "P", "E", "V", "L", "RSV", "RSV"];
            let (flag_byte, algo) = (*v.first()?, *v.get(1)?);
            let (sids, undecoded) = sr_sids(flag_byte, 5, v.get(4..).unwrap_or(&[]), true)?;
            out.push_str("\"sr-prefix-flags\": ");
            flags(out, flag_byte, &names);
            out.push_str(", \"sids\": ");
            number_list(out, &sids);
            out.push_str(", \"undecoded-sids\": ");
            hex_list(out, &undecoded);
            let _ = write!(out, ", \"sr-algorithm\": {algo}");
        }
        // Registered with ExaBGP but not rendered here yet (see `rendered`).
        _ => return None,
    }
    Some(())
}

/// A TLV as a JSON member: whole, or one item of a list ExaBGP merges across the TLVs that
/// share its name (the IPv4 and IPv6 local TE router ids, repeated unknown TLVs).
enum Member {
    Whole(String),
    Item { key: String, item: String },
}

fn member(code: u16, v: &[u8]) -> Option<Member> {
    Some(match code {
        1028 | 1029 => Member::Item {
            key: "local-te-router-ids".into(),
            item: format!("\"{}\"", ip(v)?),
        },
        // What ExaBGP has no decoder for: the value in hex.
        _ if !registered(code) => {
            let mut item = String::from("\"0x");
            for b in v {
                let _ = write!(item, "{b:02X}");
            }
            item.push('"');
            Member::Item {
                key: format!("generic-lsid-{code}"),
                item,
            }
        }
        _ => {
            let mut out = String::new();
            whole(&mut out, code, v)?;
            Member::Whole(out)
        }
    })
}

/// What ExaBGP does with a BGP-LS attribute it can not decode: a TLV it refuses (cut, or a
/// value of the wrong size) makes it discard the attribute (RFC 9552 §7.2.1, with the
/// `error: discard` marker). Only what it shows, or refuses, is judged here: a TLV
/// it decodes but we do not render yet leaves the attribute to the generic form.
pub fn malformed(value: &[u8]) -> bool {
    let mut rest = value;
    let mut refused = false;
    while !rest.is_empty() {
        let (Some(t), Some(l)) = (rest.get(..2), rest.get(2..4)) else {
            return true;
        };
        let code = u16::from_be_bytes([t[0], t[1]]);
        let len = usize::from(u16::from_be_bytes([l[0], l[1]]));
        let Some(v) = rest.get(4..4 + len) else {
            return true;
        };
        if !rendered(code) {
            return false;
        }
        refused |= member(code, v).is_none();
        rest = rest.get(4 + len..).unwrap_or(&[]);
    }
    refused
}

/// ExaBGP decodes these TLVs and we do not render them yet.
fn rendered(code: u16) -> bool {
    !matches!(code, 1038 | 1100 | 1106..=1108 | 1162 | 1250 | 1252)
}

/// The TLV codes ExaBGP 5.0 decodes (the others it shows as `generic-lsid-N`).
fn registered(code: u16) -> bool {
    matches!(
        code,
        1024..=1031
            | 1034
            | 1035
            | 1038
            | 1088..=1100
            | 1106..=1108
            | 1152..=1158
            | 1162
            | 1170
            | 1171
            | 1250
            | 1252
    )
}

/// A big-endian unsigned number of any length in decimal (ExaBGP reads the area id as one
/// Python integer, however long).
fn decimal(bytes: &[u8]) -> String {
    // Little-endian limbs of nine decimal digits each.
    let mut limbs: Vec<u64> = vec![0];
    for b in bytes {
        let mut carry = u64::from(*b);
        for limb in limbs.iter_mut() {
            let x = *limb * 256 + carry;
            *limb = x % 1_000_000_000;
            carry = x / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    let mut s = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        if i == 0 {
            let _ = write!(s, "{limb}");
        } else {
            let _ = write!(s, "{limb:09}");
        }
    }
    s
}

/// An address of 4 or 16 octets.
fn ip(v: &[u8]) -> Option<IpAddr> {
    crate::bgp::nlri::ipbytes::addr_from(v)
}

/// `[1, 2]` as Python prints a list of integers.
fn number_list(out: &mut String, values: &[u64]) {
    out.push('[');
    for (i, x) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{x}");
    }
    out.push(']');
}

/// `["0x0102"]`: undecoded SIDs as ExaBGP lists them.
fn hex_list(out: &mut String, values: &[&[u8]]) {
    out.push('[');
    for (i, x) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("\"0x");
        for b in *x {
            let _ = write!(out, "{b:02X}");
        }
        out.push('"');
    }
    out.push(']');
}

/// The SIDs after an SR adjacency or prefix SID header (RFC 9085 §2.2.1, §2.3.1): 3-octet
/// labels when both V and L are set (`l_bit`: L's position from the left, V just before it),
/// 4-octet indexes when neither is, else the rest is left undecoded. `exact`: a prefix SID
/// index must fill the rest exactly. None where ExaBGP refuses the TLV.
fn sr_sids(
    flag_byte: u8,
    l_bit: u8,
    mut data: &[u8],
    exact: bool,
) -> Option<(Vec<u64>, Vec<&[u8]>)> {
    let bit = |n: u8| (flag_byte >> (7 - n)) & 1 == 1;
    let (v, l) = (bit(l_bit - 1), bit(l_bit));
    let (mut sids, mut undecoded) = (Vec::new(), Vec::new());
    while !data.is_empty() {
        match (v, l) {
            (true, true) => {
                sids.push(be(data.get(..3)?));
                data = data.get(3..)?;
            }
            (false, false) => {
                if exact && data.len() != 4 {
                    return None;
                }
                sids.push(be(data.get(..4)?));
                data = data.get(4..)?;
            }
            _ => {
                undecoded.push(data);
                break;
            }
        }
    }
    Some((sids, undecoded))
}

/// `"bgp-ls": { ... }` for the attribute's value; false (nothing written) when a TLV is
/// truncated or not rendered, so the caller shows the attribute generically instead.
pub fn json(out: &mut String, value: &[u8]) -> bool {
    let mut members: Vec<Member> = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let (Some(t), Some(l)) = (rest.get(..2), rest.get(2..4)) else {
            return false;
        };
        let code = u16::from_be_bytes([t[0], t[1]]);
        let len = usize::from(u16::from_be_bytes([l[0], l[1]]));
        let Some(v) = rest.get(4..4 + len) else {
            return false;
        };
        let Some(m) = member(code, v) else {
            return false;
        };
        // A list member joins the first one of its name, where that one was.
        if let Member::Item { key, item } = &m {
            let earlier = members.iter_mut().find_map(|e| match e {
                Member::Item { key: k, item: i } if k == key => Some(i),
                _ => None,
            });
            if let Some(list) = earlier {
                list.push_str(", ");
                list.push_str(item);
                rest = rest.get(4 + len..).unwrap_or(&[]);
                continue;
            }
        }
        members.push(m);
        rest = rest.get(4 + len..).unwrap_or(&[]);
    }
    if members.is_empty() {
        return false;
    }
    out.push_str("\"bgp-ls\": { ");
    for (i, m) in members.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match m {
            Member::Whole(s) => out.push_str(s),
            Member::Item { key, item } => {
                let _ = write!(out, "\"{key}\": [{item}]");
            }
        }
    }
    out.push_str(" }");
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
    fn segment_routing_capabilities_and_algorithms() {
        let mut out = String::new();
        // I flag, one range of 8000 labels from 256001 (3-octet label), algorithms 0 and 1.
        let v = b"\x04\x0a\x00\x0c\x80\x00\x00\x1f\x40\x04\x89\x00\x03\x03\xe8\x01\x04\x0b\x00\x02\x00\x01";
        assert!(json(&mut out, v));
        assert_eq!(
            out,
            r#""bgp-ls": { "sr-capability-flags": {"I": 1, "V": 0, "RSV": 0}, "sids": [[8000, 256001]], "sr-algorithms": [0, 1] }"#
        );
        out.clear();
        // A 4-octet SID, then an empty algorithm list (shown as [0]).
        assert!(json(
            &mut out,
            b"\x04\x0a\x00\x0d\x40\x00\x00\x00\x10\x04\x89\x00\x04\x00\x01\x00\x00\x04\x0b\x00\x00"
        ));
        assert_eq!(
            out,
            r#""bgp-ls": { "sr-capability-flags": {"I": 0, "V": 1, "RSV": 0}, "sids": [[16, 65536]], "sr-algorithms": [0] }"#
        );
        // A cut range or another sub-TLV type: the attribute is shown generically.
        assert!(!json(&mut out, b"\x04\x0a\x00\x05\x80\x00\x00\x1f\x40"));
        assert!(!json(
            &mut out,
            b"\x04\x0a\x00\x0b\x80\x00\x00\x1f\x40\x04\x8a\x00\x01\x01\x01"
        ));
    }

    #[test]
    fn area_ids_of_any_length() {
        assert_eq!(decimal(&[0]), "0");
        assert_eq!(decimal(&[0x49, 0x00, 0x01]), "4784129");
        assert_eq!(
            decimal(&[1, 2, 3, 4, 5, 6, 7, 8, 9]),
            "18591708106338011145"
        );
        assert_eq!(decimal(&[0xff; 16]), u128::MAX.to_string());
    }

    /// ExaBGP refuses these TLVs and discards the attribute; one it decodes but we do not
    /// render yet (SR LAN adjacency, 1100) leaves the attribute to the generic form.
    #[test]
    fn malformed_is_what_exabgp_refuses() {
        assert!(
            malformed(b"\x04\x45\x00\x01\x80"),
            "protection flags need 2 octets"
        );
        assert!(malformed(b"\x04\x00\x00\x00"), "node flags need one");
        assert!(malformed(b"\x04\x02\x00\x09ab"), "cut");
        assert!(!malformed(b"\x04\x4c\x00\x01\x01\x04\x00\x00\x00"));
        assert!(!malformed(b"\x04\x00\x00\x01\x80"));
    }

    #[test]
    fn truncated_or_unrendered_falls_back() {
        let mut out = String::new();
        assert!(!json(&mut out, b"\x04\x02\x00\x09ab"));
        assert!(!json(&mut out, b"\x04\x4c\x00\x01\x00"), "SR LAN adjacency");
        assert!(!json(&mut out, b""));
        assert!(out.is_empty());
        assert!(json(&mut out, b"\x27\x0f\x00\x01\x01"));
        assert_eq!(out, r#""bgp-ls": { "generic-lsid-9999": ["0x01"] }"#);
    }
}
