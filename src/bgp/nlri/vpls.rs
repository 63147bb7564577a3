//! L2VPN VPLS NLRI (RFC 4761 §3.2.2, AFI 25 SAFI 65): RD, VE ID, block offset, block size
//! and label base.

use super::labelled::RouteDistinguisher;
use crate::bgp::error::DecodeError;
use crate::bgp::iana::Family;
use crate::bgp::wire::Reader;

/// Octets after the length field: RD(8) + VE ID(2) + offset(2) + size(2) + label base(3).
const PAYLOAD: u16 = 17;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vpls {
    pub rd: RouteDistinguisher,
    /// VE ID (ExaBGP's `endpoint`).
    pub endpoint: u16,
    pub offset: u16,
    pub size: u16,
    /// Label base, 20 bits.
    pub base: u32,
}

fn bad(family: Family, why: &str) -> DecodeError {
    DecodeError::new(3, 10, Vec::new(), format!("{family}: {why}"))
}

impl Vpls {
    pub const FAMILY: Family = Family::new(25, 65);

    pub fn encoded_len(&self, _addpath: bool) -> usize {
        2 + usize::from(PAYLOAD)
    }

    /// ExaBGP writes no path identifier for VPLS, and sets the bottom-of-stack bit of the
    /// label base.
    pub fn encode(&self, out: &mut Vec<u8>, _addpath: bool) {
        out.extend_from_slice(&PAYLOAD.to_be_bytes());
        out.extend_from_slice(&self.rd.0);
        out.extend_from_slice(&self.endpoint.to_be_bytes());
        out.extend_from_slice(&self.offset.to_be_bytes());
        out.extend_from_slice(&self.size.to_be_bytes());
        let label = ((self.base & 0xfffff) << 4) | 1;
        out.extend_from_slice(label.to_be_bytes().get(1..).unwrap_or_default());
    }

    /// Decode a whole NLRI field. A length above 17 is accepted and the extra octets ignored,
    /// as ExaBGP does.
    pub fn decode_field(
        family: Family,
        field: &[u8],
        addpath: bool,
    ) -> Result<Vec<Vpls>, DecodeError> {
        let mut r = Reader::new(field);
        let mut v = Vec::new();
        while !r.is_empty() {
            if addpath {
                r.u32()
                    .map_err(|_| bad(family, "truncated path identifier"))?;
            }
            let len = r.u16().map_err(|_| bad(family, "truncated length"))?;
            if len < PAYLOAD {
                return Err(bad(
                    family,
                    &format!("length is {len}, it must be at least 17"),
                ));
            }
            let body = r
                .take(usize::from(len))
                .map_err(|_| bad(family, "length is not consistent with the NLRI field"))?;
            let mut b = Reader::new(body);
            let short = |_| bad(family, "truncated");
            let mut rd = [0u8; 8];
            rd.copy_from_slice(b.take(8).map_err(short)?);
            let endpoint = b.u16().map_err(short)?;
            let offset = b.u16().map_err(short)?;
            let size = b.u16().map_err(short)?;
            let l = b.take(3).map_err(short)?;
            let base = l.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x)) >> 4;
            v.push(Vpls {
                rd: RouteDistinguisher(rd),
                endpoint,
                offset,
                size,
                base,
            });
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::testutil::unhex as hex;

    #[test]
    fn rfc4761_round_trip() {
        // From conf-l2vpn.
        let field = hex("00110001C0A8C901007B000500010008029CE1");
        let v = Vpls::decode_field(Vpls::FAMILY, &field, false).unwrap();
        assert_eq!(
            v,
            [Vpls {
                rd: RouteDistinguisher([0, 1, 192, 168, 201, 1, 0, 123]),
                endpoint: 5,
                offset: 1,
                size: 8,
                base: 10702
            }]
        );
        let mut out = Vec::new();
        v[0].encode(&mut out, false);
        assert_eq!(out, field);
        assert_eq!(v[0].encoded_len(false), out.len());
    }

    #[test]
    fn rfc4761_short_or_inconsistent_lengths_are_refused() {
        let e = Vpls::decode_field(
            Vpls::FAMILY,
            &hex("00100001C0A8C901007B000500010008029C"),
            false,
        )
        .unwrap_err();
        assert_eq!((e.notify.code, e.notify.subcode), (3, 10));
        assert!(Vpls::decode_field(Vpls::FAMILY, &hex("0011C0A8"), false).is_err());
        let f = hex("00110001C0A8C901007B000500010008029CE1");
        for n in 0..f.len() {
            assert!(Vpls::decode_field(Vpls::FAMILY, &f[..n], false).is_err() || n == 0);
        }
    }
}
