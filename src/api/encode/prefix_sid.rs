//! The BGP Prefix-SID attribute (RFC 8669, type 40) as ExaBGP 5.0 shows it:
//! JSON `"bgp-prefix-sid": { "sr-label-index": 777, "sr-srgbs": [[800000, 4096]] }` and
//! text `bgp-prefix-sid [ 300, [ ( 800000,4096 ) ] ]`.

use std::fmt::Write;

use crate::bgp::attribute::prefix_sid::{parse, Tlv};

use super::escape::hex_upper;

/// The JSON member for the attribute value, or None when the value does not parse (the
/// caller then shows it as a generic attribute).
pub fn json(out: &mut String, value: &[u8]) -> Option<()> {
    let tlvs = parse(value).ok()?;
    out.push_str("\"bgp-prefix-sid\": { ");
    for (i, t) in tlvs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match t {
            Tlv::LabelIndex(n) => {
                let _ = write!(out, "\"sr-label-index\": {n}");
            }
            // Python's json.dumps of a list of tuples.
            Tlv::Srgb(ranges) => {
                out.push_str("\"sr-srgbs\": [");
                for (j, (base, range)) in ranges.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "[{base}, {range}]");
                }
                out.push(']');
            }
            Tlv::Other { kind, value } => {
                // SRv6 L3/L2 services (RFC 9252): see srv6_service.rs.
                if let Some(s) = super::srv6_service::json(*kind, value) {
                    out.push_str(&s);
                    continue;
                }
                let _ = write!(out, "\"attribute-not-implemented-{kind}\": \"");
                hex_upper(out, value);
                out.push('"');
            }
        }
    }
    out.push_str(" }");
    Some(())
}

fn srgb_text(out: &mut String, ranges: &[(u32, u32)]) {
    out.push_str("[ ");
    for (j, (base, range)) in ranges.iter().enumerate() {
        if j > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "( {base},{range} )");
    }
    out.push_str(" ]");
}

/// The text form after the attribute name, or None when the value does not parse.
pub fn text(out: &mut String, value: &[u8]) -> Option<()> {
    let tlvs = parse(value).ok()?;
    let index = tlvs.iter().find_map(|t| match t {
        Tlv::LabelIndex(n) => Some(*n),
        _ => None,
    });
    let srgb = tlvs.iter().find_map(|t| match t {
        Tlv::Srgb(r) => Some(r),
        _ => None,
    });
    out.push_str("bgp-prefix-sid [ ");
    if let Some(n) = index {
        let _ = write!(out, "{n}");
        if let Some(r) = srgb {
            out.push_str(", ");
            srgb_text(out, r);
        }
    } else {
        for (i, t) in tlvs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            match t {
                Tlv::Srgb(r) => srgb_text(out, r),
                Tlv::LabelIndex(n) => {
                    let _ = write!(out, "{n}");
                }
                Tlv::Other { kind, value } => {
                    // SRv6 L3/L2 services (RFC 9252): see srv6_service.rs.
                    if let Some(s) = super::srv6_service::text(*kind, value) {
                        out.push_str(&s);
                        continue;
                    }
                    let _ = write!(out, "Attribute with code [ {kind} ] not implemented");
                }
            }
        }
    }
    out.push_str(" ]");
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::attribute::prefix_sid::encode;

    #[test]
    fn json_and_text_as_exabgp_shows_them() {
        let v = encode(300, &[(800000, 4096), (1000000, 5000)]);
        let mut s = String::new();
        json(&mut s, &v).unwrap();
        assert_eq!(
            s,
            r#""bgp-prefix-sid": { "sr-label-index": 300, "sr-srgbs": [[800000, 4096], [1000000, 5000]] }"#
        );
        let mut t = String::new();
        text(&mut t, &v).unwrap();
        assert_eq!(
            t,
            "bgp-prefix-sid [ 300, [ ( 800000,4096 ), ( 1000000,5000 ) ] ]"
        );
        let mut t = String::new();
        text(&mut t, &encode(777, &[])).unwrap();
        assert_eq!(t, "bgp-prefix-sid [ 777 ]");
        let mut s = String::new();
        json(&mut s, &[9, 0, 1, 0xab]).unwrap();
        assert_eq!(
            s,
            r#""bgp-prefix-sid": { "attribute-not-implemented-9": "0xAB" }"#
        );
        assert!(json(&mut String::new(), &[]).is_none());
    }
}
