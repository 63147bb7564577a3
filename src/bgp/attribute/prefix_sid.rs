//! BGP Prefix-SID (RFC 8669, type 40): the Label-Index TLV (type 1) and the Originator SRGB
//! TLV (type 3). Carried in `Attributes::raw` as its value bytes; this module builds and reads
//! those bytes. Other TLVs (SRv6 services, RFC 9252) are kept as they are.

use crate::bgp::error::DecodeError;
use crate::bgp::wire::Reader;

/// Attribute type code.
pub const CODE: u8 = 40;
/// Optional transitive (RFC 8669 §3).
pub const FLAGS: u8 = 0xC0;

const LABEL_INDEX: u8 = 1;
const SRGB: u8 = 3;

/// One TLV of the attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tlv<'a> {
    LabelIndex(u32),
    /// Originator SRGB ranges: (first label, number of labels), 24 bits each.
    Srgb(Vec<(u32, u32)>),
    /// A TLV this module does not type (SRv6 services ...): its type and value.
    Other {
        kind: u8,
        value: &'a [u8],
    },
}

/// The attribute value for `bgp-prefix-sid [ index, [ ( base,range ) ... ] ]`: the
/// Label-Index TLV (reserved octet, 2 flag octets, 4-byte index), then an SRGB TLV (2 flag
/// octets, 3-byte base and range per entry) when ranges are given, as ExaBGP packs it.
pub fn encode(label_index: u32, srgb: &[(u32, u32)]) -> Vec<u8> {
    let mut v = vec![LABEL_INDEX, 0, 7, 0, 0, 0];
    v.extend_from_slice(&label_index.to_be_bytes());
    if !srgb.is_empty() {
        let len = 2 + srgb.len() * 6;
        v.push(SRGB);
        v.extend_from_slice(&(len as u16).to_be_bytes());
        v.extend_from_slice(&[0, 0]);
        for (base, range) in srgb {
            let ([_, b0, b1, b2], [_, r0, r1, r2]) = (base.to_be_bytes(), range.to_be_bytes());
            v.extend_from_slice(&[b0, b1, b2, r0, r1, r2]);
        }
    }
    v
}

fn u24(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |acc, x| acc << 8 | u32::from(*x))
}

/// Read the TLVs of an attribute value. RFC 8669 §6: an empty attribute, a TLV overrunning
/// it, or a Label-Index / SRGB TLV of the wrong size is malformed (the caller discards the
/// attribute, UPDATE error 3/5 when it must say why). A repeated Label-Index or SRGB TLV is
/// ignored after the first, as ExaBGP does.
pub fn parse(value: &[u8]) -> Result<Vec<Tlv<'_>>, DecodeError> {
    let bad = |why: &str| {
        DecodeError::new(
            3,
            5,
            Vec::new(),
            format!("invalid BGP prefix SID attribute, {why}"),
        )
    };
    if value.is_empty() {
        return Err(bad("it carries no TLV"));
    }
    let mut r = Reader::new(value);
    let mut tlvs = Vec::new();
    let (mut seen_index, mut seen_srgb) = (false, false);
    while !r.is_empty() {
        let kind = r.u8().map_err(|_| bad("truncated TLV header"))?;
        let len = r.u16().map_err(|_| bad("truncated TLV header"))?;
        let body = r
            .take(usize::from(len))
            .map_err(|_| bad("TLV announces more than it carries"))?;
        match kind {
            LABEL_INDEX => {
                let [_, _, _, a, b, c, d] = <[u8; 7]>::try_from(body)
                    .map_err(|_| bad(&format!("label index TLV of {len} bytes, not 7")))?;
                if !std::mem::replace(&mut seen_index, true) {
                    tlvs.push(Tlv::LabelIndex(u32::from_be_bytes([a, b, c, d])));
                }
            }
            SRGB => {
                let ranges = body
                    .get(2..)
                    .filter(|r| !r.is_empty() && r.len().is_multiple_of(6))
                    .ok_or_else(|| bad(&format!("SRGB TLV of {len} bytes, not 2 + n*6")))?;
                if !std::mem::replace(&mut seen_srgb, true) {
                    tlvs.push(Tlv::Srgb(
                        ranges
                            .chunks_exact(6)
                            .filter_map(|c| <[u8; 6]>::try_from(c).ok())
                            .map(|[b0, b1, b2, r0, r1, r2]| {
                                (u24(&[b0, b1, b2]), u24(&[r0, r1, r2]))
                            })
                            .collect(),
                    ));
                }
            }
            _ => tlvs.push(Tlv::Other { kind, value: body }),
        }
    }
    Ok(tlvs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::testutil::{hex, unhex};

    #[test]
    fn label_index_and_srgb_as_exabgp_packs_them() {
        // conf-prefix-sid: `bgp-prefix-sid [ 777 ]` and
        // `[ 300, [ ( 800000,4096 ), ( 1000000,5000 ) ] ]`.
        assert_eq!(hex(&encode(777, &[])), "01000700000000000309");
        let v = encode(300, &[(800000, 4096), (1000000, 5000)]);
        assert_eq!(
            hex(&v),
            "0100070000000000012C03000E00000C35000010000F4240001388"
        );
        assert_eq!(
            parse(&v).unwrap(),
            [
                Tlv::LabelIndex(300),
                Tlv::Srgb(vec![(800000, 4096), (1000000, 5000)])
            ]
        );
    }

    #[test]
    fn rfc8669_6_malformed_tlvs_are_errors() {
        assert!(parse(&[]).is_err(), "empty");
        assert!(parse(&unhex("0100")).is_err(), "truncated header");
        assert!(parse(&unhex("010008 00000000000000")).is_err(), "overrun");
        assert!(
            parse(&unhex("010006 000000000003")).is_err(),
            "label index size"
        );
        assert!(
            parse(&unhex("030002 0000")).is_err(),
            "SRGB without a range"
        );
        let e = parse(&unhex("030005 0000000000")).unwrap_err();
        assert_eq!((e.notify.code, e.notify.subcode), (3, 5));
        // Unknown TLVs are kept, repeats of typed ones dropped.
        let v = unhex("05000100 01000700000000000001 01000700000000000002");
        assert_eq!(
            parse(&v).unwrap(),
            [
                Tlv::Other {
                    kind: 5,
                    value: &[0][..]
                },
                Tlv::LabelIndex(1)
            ]
        );
        let v = encode(300, &[(800000, 4096)]);
        for n in 0..v.len() {
            let _ = parse(&v[..n]);
        }
    }
}
