//! MCAST-VPN NLRI (RFC 6514 §4, SAFI 5): Source Active A-D (type 5) and C-multicast Shared
//! and Source Tree Join (types 6 and 7) are decoded; other route types are kept as bytes.

use std::net::IpAddr;

use super::ipbytes::{addr_from, bits, octets};
use super::labelled::RouteDistinguisher;
use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Afi, Family, Safi};
use crate::bgp::wire::Reader;

pub const SOURCE_AD: u8 = 5;
pub const SHARED_JOIN: u8 = 6;
pub const SOURCE_JOIN: u8 = 7;

/// One MCAST-VPN route of the IPv4 or IPv6 family.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mvpn {
    pub afi: Afi,
    pub route: MvpnRoute,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MvpnRoute {
    /// Type 5 (RFC 6514 §4.6).
    SourceAd {
        rd: RouteDistinguisher,
        source: IpAddr,
        group: IpAddr,
    },
    /// Types 6 and 7 (RFC 6514 §4.6): `source` is the RP for a shared tree join.
    Join {
        code: u8,
        rd: RouteDistinguisher,
        source_as: u32,
        source: IpAddr,
        group: IpAddr,
    },
    /// Any other route type, its body kept as received.
    Other { code: u8, body: Vec<u8> },
}

fn bad(family: Family, why: &str) -> DecodeError {
    DecodeError::new(3, 10, Vec::new(), format!("{family}: {why}"))
}

impl Mvpn {
    pub fn family(&self) -> Family {
        Family {
            afi: self.afi,
            safi: Safi::MCAST_VPN,
        }
    }

    pub fn code(&self) -> u8 {
        match &self.route {
            MvpnRoute::SourceAd { .. } => SOURCE_AD,
            MvpnRoute::Join { code, .. } | MvpnRoute::Other { code, .. } => *code,
        }
    }

    /// ExaBGP's name of the route type, as its JSON `name` shows it.
    pub fn name(&self) -> Option<&'static str> {
        match self.code() {
            SOURCE_AD => Some("Source Active A-D Route"),
            SHARED_JOIN => Some("C-Multicast Shared Tree Join route"),
            SOURCE_JOIN => Some("C-Multicast Source Tree Join route"),
            _ => None,
        }
    }

    /// The route type specific part (after the type and length octets).
    pub fn body(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(46);
        let addrs = |b: &mut Vec<u8>, source: IpAddr, group: IpAddr| {
            b.push(bits(source));
            b.extend_from_slice(&octets(source));
            b.push(bits(group));
            b.extend_from_slice(&octets(group));
        };
        match &self.route {
            MvpnRoute::SourceAd { rd, source, group } => {
                b.extend_from_slice(&rd.0);
                addrs(&mut b, *source, *group);
            }
            MvpnRoute::Join {
                rd,
                source_as,
                source,
                group,
                ..
            } => {
                b.extend_from_slice(&rd.0);
                b.extend_from_slice(&source_as.to_be_bytes());
                addrs(&mut b, *source, *group);
            }
            MvpnRoute::Other { body, .. } => b.extend_from_slice(body),
        }
        b
    }

    pub fn encoded_len(&self, _addpath: bool) -> usize {
        2 + self.body().len()
    }

    /// Route type, length, body. ExaBGP sends no path identifier for this family even when
    /// ADD-PATH is negotiated, so none is written.
    pub fn encode(&self, out: &mut Vec<u8>, _addpath: bool) {
        let body = self.body();
        out.push(self.code());
        // Bodies are at most 46 octets (RFC 6514 §4) or came from a one-octet length.
        out.push(u8::try_from(body.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(&body);
    }

    /// Decode a whole NLRI field of an MCAST-VPN family.
    pub fn decode_field(
        family: Family,
        field: &[u8],
        addpath: bool,
    ) -> Result<Vec<Mvpn>, DecodeError> {
        let mut r = Reader::new(field);
        let mut v = Vec::new();
        while !r.is_empty() {
            if addpath {
                r.u32()
                    .map_err(|_| bad(family, "truncated path identifier"))?;
            }
            let code = r.u8().map_err(|_| bad(family, "truncated route type"))?;
            let len = r.u8().map_err(|_| bad(family, "truncated length"))?;
            let body = r
                .take(usize::from(len))
                .map_err(|_| bad(family, "the NLRI announces more data than it carries"))?;
            v.push(Mvpn {
                afi: family.afi,
                route: MvpnRoute::decode(family, code, body)?,
            });
        }
        Ok(v)
    }
}

/// RFC 6514 §4: address length octets are 32 or 128, and the addresses fill the body exactly.
fn source_group(family: Family, r: &mut Reader<'_>) -> Result<(IpAddr, IpAddr), DecodeError> {
    let mut one = |what: &str| -> Result<IpAddr, DecodeError> {
        let len = r
            .u8()
            .map_err(|_| bad(family, &format!("no {what} length")))?;
        if len != 32 && len != 128 {
            return Err(bad(
                family,
                &format!("unsupported {what} length ({len} bits)"),
            ));
        }
        let bytes = r
            .take(usize::from(len / 8))
            .map_err(|_| bad(family, &format!("truncated {what}")))?;
        addr_from(bytes).ok_or_else(|| bad(family, &format!("bad {what}")))
    };
    let source = one("multicast source")?;
    let group = one("multicast group")?;
    if !r.is_empty() {
        return Err(bad(family, "route longer than its addresses"));
    }
    Ok((source, group))
}

fn rd(family: Family, r: &mut Reader<'_>) -> Result<RouteDistinguisher, DecodeError> {
    let b = r
        .take(8)
        .map_err(|_| bad(family, "truncated route distinguisher"))?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Ok(RouteDistinguisher(a))
}

impl MvpnRoute {
    fn decode(family: Family, code: u8, body: &[u8]) -> Result<MvpnRoute, DecodeError> {
        let mut r = Reader::new(body);
        Ok(match code {
            SOURCE_AD => {
                let rd = rd(family, &mut r)?;
                let (source, group) = source_group(family, &mut r)?;
                MvpnRoute::SourceAd { rd, source, group }
            }
            SHARED_JOIN | SOURCE_JOIN => {
                let rd = rd(family, &mut r)?;
                let source_as = r.u32().map_err(|_| bad(family, "truncated source AS"))?;
                let (source, group) = source_group(family, &mut r)?;
                MvpnRoute::Join {
                    code,
                    rd,
                    source_as,
                    source,
                    group,
                }
            }
            _ => MvpnRoute::Other {
                code,
                body: body.to_vec(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::testutil::unhex as hex;

    const V4: Family = Family::new(1, 5);

    #[test]
    fn rfc6514_types_5_6_7_round_trip() {
        // From conf-mvpn: shared-join then source-join, IPv4, in one MP_REACH.
        let field = hex("06160000FDE80001869F0000FDE8200A63C70120EFFBFFE407160000FDE80001869F0000FDE8200A630C0220EFFBFFE4");
        let v = Mvpn::decode_field(V4, &field, false).unwrap();
        assert_eq!(v.len(), 2);
        let MvpnRoute::Join {
            code,
            rd,
            source_as,
            source,
            group,
        } = &v[0].route
        else {
            panic!("not a join")
        };
        assert_eq!(
            (*code, rd.to_string(), *source_as),
            (6, "65000:99999".to_string(), 65000)
        );
        assert_eq!(source.to_string(), "10.99.199.1");
        assert_eq!(group.to_string(), "239.251.255.228");
        assert_eq!(v[1].name(), Some("C-Multicast Source Tree Join route"));
        let mut out = Vec::new();
        for m in &v {
            m.encode(&mut out, false);
        }
        assert_eq!(out, field);
        let ad = hex("052A0000FDE80001869F80FD12000000000000000000000000000480FF0E0000000000000000000000000001");
        let v = Mvpn::decode_field(Family::new(2, 5), &ad, false).unwrap();
        assert_eq!(v[0].encoded_len(false), ad.len());
        assert!(matches!(v[0].route, MvpnRoute::SourceAd { .. }));
    }

    #[test]
    fn rfc6514_4_bad_lengths_are_refused() {
        // Source length 33 bits.
        assert!(
            Mvpn::decode_field(V4, &hex("05120000FDE80001869F210A630C0420EFFBFFE4"), false)
                .is_err()
        );
        // Announced length beyond the field.
        assert!(Mvpn::decode_field(V4, &hex("0520000000"), false).is_err());
        // Unknown types are kept raw.
        let v = Mvpn::decode_field(V4, &hex("0102AABB"), false).unwrap();
        assert_eq!(
            v[0].route,
            MvpnRoute::Other {
                code: 1,
                body: vec![0xaa, 0xbb]
            }
        );
    }

    #[test]
    fn every_truncation_decodes_or_errors() {
        let field = hex("06160000FDE80001869F0000FDE8200A63C70120EFFBFFE4");
        for n in 0..field.len() {
            let _ = Mvpn::decode_field(V4, &field[..n], false);
        }
    }
}
