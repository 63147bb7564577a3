//! BGP-MUP NLRI (draft-mpmz-bess-mup-safi, SAFI 85), architecture 1 (3GPP 5G): Interwork and
//! Direct Segment Discovery, Type 1 and Type 2 Session Transformed routes. Other architectures
//! or route types are kept as bytes.

use std::net::IpAddr;

use super::ipbytes::{addr_from, addr_padded, bits, octets};
use super::labelled::RouteDistinguisher;
use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Afi, Family, Safi};
use crate::bgp::wire::Reader;

pub const ARCH_3GPP_5G: u8 = 1;
pub const ISD: u16 = 1;
pub const DSD: u16 = 2;
pub const T1ST: u16 = 3;
pub const T2ST: u16 = 4;

/// One MUP route of the IPv4 or IPv6 family.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mup {
    pub afi: Afi,
    pub route: MupRoute,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MupRoute {
    /// Interwork Segment Discovery: a prefix (kept as address and length, as sent).
    Isd {
        rd: RouteDistinguisher,
        addr: IpAddr,
        len: u8,
    },
    /// Direct Segment Discovery: an address.
    Dsd { rd: RouteDistinguisher, ip: IpAddr },
    /// Type 1 Session Transformed: UE prefix, TEID, QFI, endpoint, optional source.
    T1st {
        rd: RouteDistinguisher,
        addr: IpAddr,
        len: u8,
        teid: u32,
        qfi: u8,
        endpoint: IpAddr,
        source: Option<IpAddr>,
    },
    /// Type 2 Session Transformed: endpoint followed by `teid_bits` bits of TEID.
    T2st {
        rd: RouteDistinguisher,
        endpoint: IpAddr,
        teid: u32,
        teid_bits: u8,
    },
    /// Anything else, with its architecture and route type.
    Other { arch: u8, code: u16, body: Vec<u8> },
}

fn bad(family: Family, why: &str) -> DecodeError {
    DecodeError::new(3, 10, Vec::new(), format!("{family}: {why}"))
}

fn prefix_bytes(addr: IpAddr, len: u8) -> Vec<u8> {
    let mut o = octets(addr);
    o.truncate(usize::from(len).div_ceil(8));
    o
}

impl Mup {
    pub fn family(&self) -> Family {
        Family {
            afi: self.afi,
            safi: Safi::MUP,
        }
    }

    pub fn arch(&self) -> u8 {
        match &self.route {
            MupRoute::Other { arch, .. } => *arch,
            _ => ARCH_3GPP_5G,
        }
    }

    pub fn code(&self) -> u16 {
        match &self.route {
            MupRoute::Isd { .. } => ISD,
            MupRoute::Dsd { .. } => DSD,
            MupRoute::T1st { .. } => T1ST,
            MupRoute::T2st { .. } => T2ST,
            MupRoute::Other { code, .. } => *code,
        }
    }

    /// The route type specific part, after architecture, type and length.
    pub fn body(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(64);
        match &self.route {
            MupRoute::Isd { rd, addr, len } => {
                b.extend_from_slice(&rd.0);
                b.push(*len);
                b.extend_from_slice(&prefix_bytes(*addr, *len));
            }
            MupRoute::Dsd { rd, ip } => {
                b.extend_from_slice(&rd.0);
                b.extend_from_slice(&octets(*ip));
            }
            MupRoute::T1st {
                rd,
                addr,
                len,
                teid,
                qfi,
                endpoint,
                source,
            } => {
                b.extend_from_slice(&rd.0);
                b.push(*len);
                b.extend_from_slice(&prefix_bytes(*addr, *len));
                b.extend_from_slice(&teid.to_be_bytes());
                b.push(*qfi);
                b.push(bits(*endpoint));
                b.extend_from_slice(&octets(*endpoint));
                if let Some(s) = source {
                    b.push(bits(*s));
                    b.extend_from_slice(&octets(*s));
                }
            }
            MupRoute::T2st {
                rd,
                endpoint,
                teid,
                teid_bits,
            } => {
                b.extend_from_slice(&rd.0);
                b.push(bits(*endpoint).saturating_add(*teid_bits));
                b.extend_from_slice(&octets(*endpoint));
                // The TEID's low-order octets, as many as its bit count needs.
                let n = usize::from(*teid_bits).div_ceil(8).min(4);
                b.extend_from_slice(teid.to_be_bytes().get(4 - n..).unwrap_or_default());
            }
            MupRoute::Other { body, .. } => b.extend_from_slice(body),
        }
        b
    }

    pub fn encoded_len(&self, _addpath: bool) -> usize {
        4 + self.body().len()
    }

    /// Architecture, route type, length, body. ExaBGP has no ADD-PATH for MUP, so no path
    /// identifier is written.
    pub fn encode(&self, out: &mut Vec<u8>, _addpath: bool) {
        let body = self.body();
        out.push(self.arch());
        out.extend_from_slice(&self.code().to_be_bytes());
        out.push(u8::try_from(body.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(&body);
    }

    /// Decode a whole NLRI field of a MUP family.
    pub fn decode_field(
        family: Family,
        field: &[u8],
        addpath: bool,
    ) -> Result<Vec<Mup>, DecodeError> {
        let mut r = Reader::new(field);
        let mut v = Vec::new();
        while !r.is_empty() {
            if addpath {
                r.u32()
                    .map_err(|_| bad(family, "truncated path identifier"))?;
            }
            let arch = r.u8().map_err(|_| bad(family, "truncated MUP NLRI"))?;
            let code = r.u16().map_err(|_| bad(family, "truncated MUP NLRI"))?;
            let len = r.u8().map_err(|_| bad(family, "truncated MUP NLRI"))?;
            let body = r
                .take(usize::from(len))
                .map_err(|_| bad(family, "MUP NLRI truncated"))?;
            let route = if arch == ARCH_3GPP_5G {
                MupRoute::decode(family, code, body)?
            } else {
                MupRoute::Other {
                    arch,
                    code,
                    body: body.to_vec(),
                }
            };
            v.push(Mup {
                afi: family.afi,
                route,
            });
        }
        Ok(v)
    }
}

impl MupRoute {
    fn decode(family: Family, code: u16, body: &[u8]) -> Result<MupRoute, DecodeError> {
        let full = if family.afi == Afi::IPV6 { 16 } else { 4 };
        let mut r = Reader::new(body);
        let rd = match code {
            ISD | DSD | T1ST | T2ST => {
                let b = r
                    .take(8)
                    .map_err(|_| bad(family, "MUP NLRI is too short"))?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                RouteDistinguisher(a)
            }
            _ => {
                return Ok(MupRoute::Other {
                    arch: ARCH_3GPP_5G,
                    code,
                    body: body.to_vec(),
                })
            }
        };
        let short = |_| bad(family, "MUP NLRI is too short");
        let prefix = |r: &mut Reader<'_>| -> Result<(IpAddr, u8), DecodeError> {
            let len = r.u8().map_err(short)?;
            if usize::from(len) > full * 8 {
                return Err(bad(family, &format!("prefix length {len} is too long")));
            }
            let bytes = r.take(usize::from(len).div_ceil(8)).map_err(short)?;
            let addr = addr_padded(bytes, full).ok_or_else(|| bad(family, "bad prefix"))?;
            Ok((addr, len))
        };
        let addr_of = |r: &mut Reader<'_>, what: &str| -> Result<IpAddr, DecodeError> {
            let len = r.u8().map_err(short)?;
            if len != 32 && len != 128 {
                return Err(bad(
                    family,
                    &format!("{what} length {len} is not 32 or 128"),
                ));
            }
            let b = r.take(usize::from(len / 8)).map_err(short)?;
            addr_from(b).ok_or_else(|| bad(family, &format!("bad {what}")))
        };
        let route = match code {
            ISD => {
                let (addr, len) = prefix(&mut r)?;
                MupRoute::Isd { rd, addr, len }
            }
            DSD => {
                let ip = addr_from(r.rest())
                    .ok_or_else(|| bad(family, "DSD address is not 4 or 16 octets"))?;
                r.take(r.remaining()).map_err(short)?;
                MupRoute::Dsd { rd, ip }
            }
            T1ST => {
                let (addr, len) = prefix(&mut r)?;
                let teid = r.u32().map_err(short)?;
                let qfi = r.u8().map_err(short)?;
                let endpoint = addr_of(&mut r, "endpoint")?;
                let source = if r.is_empty() {
                    None
                } else {
                    Some(addr_of(&mut r, "source")?)
                };
                MupRoute::T1st {
                    rd,
                    addr,
                    len,
                    teid,
                    qfi,
                    endpoint,
                    source,
                }
            }
            _ => {
                let len = r.u8().map_err(short)?;
                let width = u8::try_from(full * 8).unwrap_or(u8::MAX);
                if len < width || len - width > 32 {
                    return Err(bad(
                        family,
                        &format!("T2ST endpoint length {len} is invalid"),
                    ));
                }
                let endpoint = addr_from(r.take(full).map_err(short)?)
                    .ok_or_else(|| bad(family, "bad endpoint"))?;
                let teid_bits = len - width;
                let tb = r.take(usize::from(teid_bits).div_ceil(8)).map_err(short)?;
                let teid = tb.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
                MupRoute::T2st {
                    rd,
                    endpoint,
                    teid,
                    teid_bits,
                }
            }
        };
        if !r.is_empty() {
            return Err(bad(family, "MUP route longer than its fields"));
        }
        Ok(route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::testutil::unhex as hex;

    const V4: Family = Family::new(1, 85);
    const V6: Family = Family::new(2, 85);

    fn round_trip(family: Family, h: &str) -> Mup {
        let field = hex(h);
        let v = Mup::decode_field(family, &field, false).unwrap();
        assert_eq!(v.len(), 1);
        let mut out = Vec::new();
        v[0].encode(&mut out, false);
        assert_eq!(out, field, "{h}");
        assert_eq!(v[0].encoded_len(false), field.len());
        v.into_iter().next().unwrap()
    }

    #[test]
    fn mup_route_types_round_trip() {
        // Fixtures from conf-srv6-mup and conf-srv6-mup-v3.
        let isd = round_trip(V4, "0100010C0000006400000064180A0001");
        assert_eq!(
            isd.route,
            MupRoute::Isd {
                rd: RouteDistinguisher([0, 0, 0, 100, 0, 0, 0, 100]),
                addr: "10.0.1.0".parse().unwrap(),
                len: 24
            }
        );
        round_trip(
            V6,
            "01000218000000640000006420010000000000000000000000000001",
        );
        let t1 = round_trip(
            V4,
            "0100031C000000640000006420C0A800020000303909200A000001200A000101",
        );
        assert!(matches!(
            t1.route,
            MupRoute::T1st {
                teid: 12345,
                qfi: 9,
                source: Some(_),
                ..
            }
        ));
        round_trip(V6, "0100032F00000064000000648020010DB800010001000000000000000100003039098020010000000000000000000000000001");
        let t2 = round_trip(V4, "010004100000006400000064370A000001003039");
        assert!(matches!(
            t2.route,
            MupRoute::T2st {
                teid: 12345,
                teid_bits: 23,
                ..
            }
        ));
        round_trip(V4, "0100040D0000006400000064200A000001");
        round_trip(
            V6,
            "0100041D0000006400000064A02001000000000000000000000000000100003039",
        );
        round_trip(V4, "0200070102");
    }

    #[test]
    fn malformed_mup_is_invalid_network_field() {
        for h in [
            "0100010C0000006400000064210A0001",   // ISD /33 on IPv4
            "0100020B00000064000000640A0000",     // DSD of 3 octets
            "0100040D0000006400000064100A000001", // T2ST endpoint shorter than the address
            "01000105",                           // length beyond the field
        ] {
            let e = Mup::decode_field(V4, &hex(h), false).unwrap_err();
            assert_eq!((e.notify.code, e.notify.subcode), (3, 10), "{h}");
        }
    }

    #[test]
    fn every_truncation_decodes_or_errors() {
        let field = hex("0100031C000000640000006420C0A800020000303909200A000001200A000101");
        for n in 0..field.len() {
            let _ = Mup::decode_field(V4, &field[..n], false);
        }
    }
    #[test]
    fn whole_updates_survive_every_truncation_and_flip() {
        use crate::bgp::testutil::{robust, session};
        let neg = session(65000, 65000, "127.0.0.1");
        for m in [
            // conf-srv6-mup ISD (with Prefix-SID), api-ipv4 withdrawal, conf-mvpn, conf-l2vpn.
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF008002000000694001010040020040050400000064C010080002000A0000000AC028250500220001001E0020010DB800010001000000000000000000004800010006401810000000800E250001551020010000000000000000000000000001000100010C0000006400000064180A0001",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF006E02000000574001010040020040050400000064C010080002000A0000000AC028250500220001001E0020010DB800010001000000000000000000004800010006401810000000800F130001550100010C0000006400000064180A0001",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0073020000005C400101004002004003040A0A060340050400000064C010080102C0A85E0C0005800E39000105040A0A06030006160000FDE80001869F0000FDE8200A63C70120EFFBFFE407160000FDE80001869F0000FDE8200A630C0220EFFBFFE4",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003E02000000274001010040020040050400000064800F1600194100110001C0A8C901007B000500010008029CE1",
        ] {
            robust(&hex(m), &neg);
        }
    }
}
