//! Labelled unicast (RFC 8277, SAFI 4) and MPLS VPN (RFC 4364, SAFI 128) NLRI.
//!
//! Not yet an `Nlri` variant: `Nlri::Raw` carries these families, and this module encodes and
//! decodes the NLRI inside, so the config can build them and the API can show them.

use std::fmt;

use super::Nlri;
use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Afi, Family, Safi};
use crate::bgp::prefix::Prefix;
use crate::bgp::wire::Reader;

/// RFC 8277 §2.4: the label value a withdrawal may carry instead of the route's labels.
pub const WITHDRAW_LABEL: u32 = 0x80000;

/// A route distinguisher (RFC 4364 §4.2), kept as its 8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RouteDistinguisher(pub [u8; 8]);

impl fmt::Display for RouteDistinguisher {
    /// As ExaBGP writes it: `asn:number` (types 0 and 2) or `a.b.c.d:number` (type 1).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [t0, t1, b2, b3, b4, b5, b6, b7] = self.0;
        let (asn2, num4) = (
            u16::from_be_bytes([b2, b3]),
            u32::from_be_bytes([b4, b5, b6, b7]),
        );
        let (big, num2) = (
            u32::from_be_bytes([b2, b3, b4, b5]),
            u16::from_be_bytes([b6, b7]),
        );
        match u16::from_be_bytes([t0, t1]) {
            0 => write!(f, "{asn2}:{num4}"),
            1 => write!(f, "{b2}.{b3}.{b4}.{b5}:{num2}"),
            2 => write!(f, "{big}:{num2}"),
            _ => write!(
                f,
                "{}",
                self.0
                    .iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<String>()
            ),
        }
    }
}

/// One labelled (and, with an RD, VPN) prefix.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Labelled {
    pub prefix: Prefix,
    /// Label values (20 bits each), outermost first.
    pub labels: Vec<u32>,
    pub rd: Option<RouteDistinguisher>,
    pub path_id: Option<u32>,
}

fn bad(family: Family, why: &str) -> DecodeError {
    DecodeError::new(3, 10, Vec::new(), format!("{family}: {why}"))
}

impl Labelled {
    /// Families whose NLRI have this layout.
    pub fn applies(family: Family) -> bool {
        matches!(family.afi, Afi::IPV4 | Afi::IPV6)
            && matches!(family.safi, Safi::NLRI_MPLS | Safi::MPLS_VPN)
    }

    pub fn encoded_len(&self, addpath: bool) -> usize {
        usize::from(addpath) * 4
            + 1
            + self.labels.len() * 3
            + if self.rd.is_some() { 8 } else { 0 }
            + usize::from(self.prefix.len()).div_ceil(8)
    }

    /// Path id (when ADD-PATH), bit length, labels with the bottom-of-stack bit on the last,
    /// RD, then the prefix bytes (RFC 8277 §2.2, RFC 4364 §4.3.4).
    pub fn encode(&self, out: &mut Vec<u8>, addpath: bool) {
        if addpath {
            out.extend_from_slice(&self.path_id.unwrap_or(0).to_be_bytes());
        }
        let bits = self.labels.len() * 24
            + if self.rd.is_some() { 64 } else { 0 }
            + usize::from(self.prefix.len());
        out.push(bits as u8);
        for (i, label) in self.labels.iter().enumerate() {
            let bos = u32::from(i + 1 == self.labels.len());
            let v = ((label & 0xfffff) << 4) | bos;
            out.extend_from_slice(v.to_be_bytes().get(1..).unwrap_or_default());
        }
        if let Some(rd) = self.rd {
            out.extend_from_slice(&rd.0);
        }
        let mut p = Vec::with_capacity(17);
        self.prefix.encode(&mut p);
        out.extend_from_slice(p.get(1..).unwrap_or_default());
    }

    /// This route as the `Nlri::Raw` the rest of ferrobgp carries, for a session without
    /// ADD-PATH on `family` (with ADD-PATH the raw bytes would need the path id in front).
    pub fn to_raw(&self, family: Family) -> Nlri {
        let mut bytes = Vec::with_capacity(self.encoded_len(false));
        self.encode(&mut bytes, false);
        Nlri::Raw { family, bytes }
    }

    /// Decode a whole NLRI field of a labelled or VPN family.
    pub fn decode_all(
        family: Family,
        field: &[u8],
        addpath: bool,
    ) -> Result<Vec<Labelled>, DecodeError> {
        let rd_len = if family.safi == Safi::MPLS_VPN { 8 } else { 0 };
        let max_prefix = if family.afi == Afi::IPV4 { 32 } else { 128 };
        let mut r = Reader::new(field);
        let mut v = Vec::new();
        while !r.is_empty() {
            let path_id = if addpath {
                Some(r.u32().map_err(|_| bad(family, "truncated path id"))?)
            } else {
                None
            };
            let mut bits = usize::from(r.u8().map_err(|_| bad(family, "truncated NLRI"))?);
            let mut labels = Vec::new();
            loop {
                if bits < 24 {
                    return Err(bad(family, "length too short for a label"));
                }
                let b = r.take(3).map_err(|_| bad(family, "truncated label"))?;
                bits -= 24;
                let raw = b.iter().fold(0u32, |acc, x| acc << 8 | u32::from(*x));
                labels.push(raw >> 4);
                // Bottom of stack, or the withdrawal / "no label" values that carry no BoS bit.
                if raw & 1 == 1 || raw == 0x800000 || raw == 0 {
                    break;
                }
            }
            let rd = if rd_len > 0 {
                if bits < 64 {
                    return Err(bad(family, "length too short for a route distinguisher"));
                }
                bits -= 64;
                let b = r
                    .take(8)
                    .map_err(|_| bad(family, "truncated route distinguisher"))?;
                Some(RouteDistinguisher(
                    b.try_into()
                        .map_err(|_| bad(family, "truncated route distinguisher"))?,
                ))
            } else {
                None
            };
            if bits > max_prefix {
                return Err(bad(family, "prefix too long"));
            }
            let bytes = r
                .take(bits.div_ceil(8))
                .map_err(|_| bad(family, "truncated prefix"))?;
            let mut full = [0u8; 16];
            for (d, s) in full.iter_mut().zip(bytes) {
                *d = *s;
            }
            let addr = if family.afi == Afi::IPV4 {
                let [a, b, c, d, ..] = full;
                std::net::IpAddr::from([a, b, c, d])
            } else {
                std::net::IpAddr::from(full)
            };
            let prefix = Prefix::new(addr, bits as u8).ok_or_else(|| bad(family, "bad prefix"))?;
            v.push(Labelled {
                prefix,
                labels,
                rd,
                path_id,
            });
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::testutil::{hex, unhex};

    #[test]
    fn vpn_route_round_trip() {
        // 10.0.0.0/24 label 42 rd 65000:1 (as ExaBGP packs it, BoS on the single label).
        let l = Labelled {
            prefix: "10.0.0.0/24".parse().unwrap(),
            labels: vec![42],
            rd: Some(RouteDistinguisher([0, 0, 0xfd, 0xe8, 0, 0, 0, 1])),
            path_id: None,
        };
        let mut out = Vec::new();
        l.encode(&mut out, false);
        assert_eq!(hex(&out), "700002A10000FDE8000000010A0000");
        assert_eq!(l.encoded_len(false), out.len());
        let f = Family::new(1, 128);
        assert_eq!(
            Labelled::decode_all(f, &out, false).unwrap(),
            std::slice::from_ref(&l)
        );
        assert_eq!(l.rd.unwrap().to_string(), "65000:1");
        assert!(matches!(l.to_raw(f), Nlri::Raw { bytes, .. } if bytes == out));
    }

    #[test]
    fn labelled_unicast_with_path_id_and_label_stack() {
        let f = Family::new(1, 4);
        let bytes = unhex("00000001 40 000640 000651 0A00");
        let v = Labelled::decode_all(f, &bytes, true).unwrap();
        assert_eq!(v[0].labels, [100, 101]);
        assert_eq!(
            (v[0].path_id, v[0].prefix.to_string().as_str()),
            (Some(1), "10.0.0.0/16")
        );
        let mut out = Vec::new();
        v[0].encode(&mut out, true);
        assert_eq!(out, bytes);
    }

    #[test]
    fn corrupt_fields_are_errors() {
        let f = Family::new(1, 128);
        assert!(
            Labelled::decode_all(f, &unhex("10 000641"), false).is_err(),
            "no room for an RD"
        );
        assert!(Labelled::decode_all(f, &unhex("FF 000641 0000000000000000 01"), false).is_err());
        let bytes = unhex("700002A10000FDE8000000010A0000");
        for n in 0..bytes.len() {
            let _ = Labelled::decode_all(f, &bytes[..n], false);
        }
    }
}
