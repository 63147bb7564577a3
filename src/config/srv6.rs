//! `bgp-prefix-sid-srv6 ( l3-service|l2-service <sid> [<behavior> [[LBL,LNL,FL,AL,TL,TO]]] )`:
//! the BGP Prefix-SID attribute (RFC 8669, type 40) carrying one SRv6 L3 or L2 Service TLV
//! (RFC 9252 §2) with one SID Information sub-TLV and an optional SID Structure
//! sub-sub-TLV, built as ExaBGP 5.0 builds it.

use std::net::Ipv6Addr;

use super::words::{parse_int, Words};
use super::ConfigError;
use crate::bgp::attribute::RawAttribute;

pub const PREFIX_SID: u8 = 40;
const L3_SERVICE: u8 = 5;
const L2_SERVICE: u8 = 6;
const SID_INFORMATION: u8 = 1;
const SID_STRUCTURE: u8 = 1;
/// The behavior ExaBGP sends when none is given (RFC 8986 "opaque").
const NO_BEHAVIOR: u16 = 0xffff;

/// Append one TLV: type, 2-octet length, value.
fn tlv(out: &mut Vec<u8>, kind: u8, value: &[u8]) {
    out.push(kind);
    out.extend_from_slice(&u16::try_from(value.len()).unwrap_or(u16::MAX).to_be_bytes());
    out.extend_from_slice(value);
}

/// The attribute value (TLVs) for one service.
pub fn service_value(
    l2: bool,
    sid: Ipv6Addr,
    behavior: u16,
    structure: Option<[u8; 6]>,
) -> Vec<u8> {
    let mut info = vec![0];
    info.extend_from_slice(&sid.octets());
    info.push(0); // flags
    info.extend_from_slice(&behavior.to_be_bytes());
    info.push(0); // reserved
    if let Some(s) = structure {
        tlv(&mut info, SID_STRUCTURE, &s);
    }
    let mut service = vec![0];
    tlv(&mut service, SID_INFORMATION, &info);
    let mut value = Vec::new();
    tlv(
        &mut value,
        if l2 { L2_SERVICE } else { L3_SERVICE },
        &service,
    );
    value
}

/// Parse the words after `bgp-prefix-sid-srv6`.
pub fn parse_prefix_sid_srv6(w: &mut Words<'_>) -> Result<RawAttribute, ConfigError> {
    let open = w.next("'('")?;
    if !open.is("(") {
        return Err(w.error_at(open, format!("expect '(', but received '{open}'")));
    }
    let kind = w.next("l3-service or l2-service")?;
    let l2 = match kind.text.as_str() {
        "l3-service" => false,
        "l2-service" => true,
        _ => {
            return Err(w.error_at(
                kind,
                format!("expect 'l3-service' or 'l2-service', but received '{kind}'"),
            ))
        }
    };
    let s = w.next("SRv6 SID")?;
    let sid: Ipv6Addr = s
        .text
        .parse()
        .map_err(|_| w.error_at(s, format!("invalid SRv6 SID {s}")))?;
    let mut behavior = NO_BEHAVIOR;
    let mut structure = None;
    let mut t = w.next("')'")?;
    if !t.is(")") {
        behavior = parse_int(&t.text)
            .and_then(|n| u16::try_from(n).ok())
            .ok_or_else(|| w.error_at(t, format!("invalid endpoint behavior {t}")))?;
        t = w.next("')'")?;
        if t.is("[") {
            let mut v = [0u8; 6];
            for (i, slot) in v.iter_mut().enumerate() {
                if i != 0 {
                    let c = w.next("','")?;
                    if !c.is(",") {
                        return Err(w.error_at(c, format!("expect ',', but received '{c}'")));
                    }
                }
                let n = w.next("SID structure length")?;
                *slot = parse_int(&n.text)
                    .and_then(|x| u8::try_from(x).ok())
                    .ok_or_else(|| w.error_at(n, format!("invalid SID structure length {n}")))?;
            }
            let c = w.next("']'")?;
            if !c.is("]") {
                return Err(w.error_at(c, format!("expect ']', but received '{c}'")));
            }
            structure = Some(v);
            t = w.next("')'")?;
        }
    }
    if !t.is(")") {
        return Err(w.error_at(t, format!("expect ')', but received '{t}'")));
    }
    Ok(RawAttribute {
        flags: 0xc0,
        code: PREFIX_SID,
        value: service_value(l2, sid, behavior, structure),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lexer::tokenize;
    use std::path::Path;

    fn parse(s: &str) -> Result<RawAttribute, ConfigError> {
        let t = tokenize(s).unwrap();
        let mut w = Words::new(&t, Path::new("t"));
        parse_prefix_sid_srv6(&mut w)
    }

    #[test]
    fn rfc9252_l3_service_with_structure() {
        // The attribute of conf-srv6-mup's first ISD route (after the C0 28 25 header).
        let a = parse("( l3-service 2001:db8:1:1:: 0x48 [64,24,16,0,0,0] )").unwrap();
        let want = crate::bgp::testutil::unhex(
            "0500220001001E0020010DB800010001000000000000000000004800010006401810000000",
        );
        assert_eq!((a.flags, a.code, a.value), (0xc0, 40, want));
        let a = parse("( l2-service 2001:4:0:0:: )").unwrap();
        assert_eq!(a.value.first(), Some(&6));
        assert_eq!(a.value.len(), 3 + 1 + 3 + 21);
    }

    #[test]
    fn malformed_is_refused() {
        for s in [
            "l3-service 2001:: )",
            "( l4-service 2001:: )",
            "( l3-service 10.0.0.1 )",
            "( l3-service 2001:: 0x48 [1,2,3] )",
            "( l3-service 2001:: 0x48",
        ] {
            assert!(parse(s).is_err(), "{s}");
        }
    }
}
