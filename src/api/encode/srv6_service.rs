//! SRv6 L3/L2 Service TLVs of the BGP Prefix-SID attribute (RFC 9252 §2, types 5 and 6) as
//! ExaBGP 5.0 shows them: `"l3-service": [ { "sid": ..., "flags": 0, "endpoint_behavior": N,
//! "structure": {...} } ]`.
//!
//! ExaBGP's own output is not valid JSON here (it prints the `"%s"` and `%d` placeholders
//! unfilled, and nothing for unknown sub-TLVs): ferrobgp fills in the SID and the behavior and
//! leaves unknown sub-TLVs out, with every key and its order kept.

use std::fmt::Write;
use std::net::Ipv6Addr;

use crate::bgp::wire::Reader;

const L3_SERVICE: u8 = 5;
const L2_SERVICE: u8 = 6;
const SID_INFORMATION: u8 = 1;
const SID_STRUCTURE: u8 = 1;

/// Type, 2-octet length, value; None when truncated.
fn next_tlv<'a>(r: &mut Reader<'a>) -> Option<(u8, &'a [u8])> {
    let kind = r.u8().ok()?;
    let len = r.u16().ok()?;
    Some((kind, r.take(usize::from(len)).ok()?))
}

fn sid_information(out: &mut String, value: &[u8]) -> Option<()> {
    let mut r = Reader::new(value);
    r.u8().ok()?; // reserved
    let sid: [u8; 16] = r.take(16).ok()?.try_into().ok()?;
    r.u8().ok()?; // flags, shown as 0 as ExaBGP does
    let behavior = r.u16().ok()?;
    r.u8().ok()?; // reserved
    let _ = write!(
        out,
        "{{ \"sid\": \"{}\", \"flags\": 0, \"endpoint_behavior\": {behavior}",
        Ipv6Addr::from(sid)
    );
    while !r.is_empty() {
        let (kind, v) = next_tlv(&mut r)?;
        if let (SID_STRUCTURE, [lb, ln, f, a, tl, to, ..]) = (kind, v) {
            let _ = write!(out, ", \"structure\": {{\"locator-block-length\": {lb}, \"locator-node-length\": {ln}, \"function-length\": {f}, \"argument-length\": {a}, \"transposition-length\": {tl}, \"transposition-offset\": {to}}}");
        }
    }
    out.push_str(" }");
    Some(())
}

/// The JSON member for one Prefix-SID TLV of type 5 or 6; None for other types or when the
/// TLV does not parse (the caller shows it another way).
pub fn json(kind: u8, value: &[u8]) -> Option<String> {
    let name = match kind {
        L3_SERVICE => "l3-service",
        L2_SERVICE => "l2-service",
        _ => return None,
    };
    let mut out = format!("\"{name}\": [ ");
    let mut r = Reader::new(value);
    r.u8().ok()?; // reserved
    let mut first = true;
    while !r.is_empty() {
        let (sub, v) = next_tlv(&mut r)?;
        if sub != SID_INFORMATION {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        sid_information(&mut out, v)?;
    }
    out.push_str(" ]");
    Some(out)
}

/// The text form of one TLV of type 5 or 6, as ExaBGP's `str()` writes it (including its
/// missing `]` after a SID information without structure).
pub fn text(kind: u8, value: &[u8]) -> Option<String> {
    let name = match kind {
        L3_SERVICE => "l3-service",
        L2_SERVICE => "l2-service",
        _ => return None,
    };
    let mut parts = Vec::new();
    let mut r = Reader::new(value);
    r.u8().ok()?; // reserved
    while !r.is_empty() {
        let (sub, v) = next_tlv(&mut r)?;
        if sub != SID_INFORMATION {
            continue;
        }
        let mut s = Reader::new(v);
        s.u8().ok()?;
        let sid: [u8; 16] = s.take(16).ok()?.try_into().ok()?;
        s.u8().ok()?;
        let behavior = s.u16().ok()?;
        s.u8().ok()?;
        let mut part = format!(
            "sid-information [ sid:{} flags:0 endpoint_behavior:0x{behavior:x} ",
            Ipv6Addr::from(sid)
        );
        let mut structures = Vec::new();
        while !s.is_empty() {
            let (k, v) = next_tlv(&mut s)?;
            if let (SID_STRUCTURE, [a, b, c, d, e, f, ..]) = (k, v) {
                structures.push(format!("sid-structure [{a},{b},{c},{d},{e},{f}]"));
            }
        }
        if !structures.is_empty() {
            let _ = write!(part, " [ {} ]", structures.join(", "));
        }
        parts.push(part);
    }
    Some(format!("{name} [ {} ]", parts.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::testutil::unhex;

    #[test]
    fn rfc9252_l3_service_as_exabgp_with_placeholders_filled() {
        // conf-srv6-mup's first route: the TLV after its type (5) and length.
        let v = unhex("0001001E0020010DB800010001000000000000000000004800010006401810000000");
        let s = json(5, &v).unwrap();
        assert_eq!(
            s,
            r#""l3-service": [ { "sid": "2001:db8:1:1::", "flags": 0, "endpoint_behavior": 72, "structure": {"locator-block-length": 64, "locator-node-length": 24, "function-length": 16, "argument-length": 0, "transposition-length": 0, "transposition-offset": 0} } ]"#
        );
        assert!(serde_json::from_str::<serde_json::Value>(&format!("{{{s}}}")).is_ok());
        assert!(json(1, &v).is_none());
        for n in 0..v.len() {
            let _ = json(6, &v[..n]);
            let _ = text(6, &v[..n]);
        }
        // Python's str() of the same attribute, less its outer "[ " and " ]".
        assert_eq!(
            text(5, &v).unwrap(),
            "l3-service [ sid-information [ sid:2001:db8:1:1:: flags:0 endpoint_behavior:0x48  [ sid-structure [64,24,16,0,0,0] ] ]"
        );
    }
}
