//! NLRI: what an UPDATE announces or withdraws, per family (RFC 4271 §4.3, RFC 4760, RFC 7911).

pub mod bgpls;
pub mod evpn;
pub mod flow;
pub mod ipbytes;
pub mod labelled;
pub mod mup;
pub mod mvpn;
pub mod rtc;
pub mod vpls;

use super::error::DecodeError;
use super::iana::{Afi, Family, Safi};
use super::prefix::Prefix;
use super::wire::Reader;

/// One NLRI entry. Unicast and multicast share `Inet`; the other families are added as
/// variants as they are implemented (labelled, VPN, flow, ...), and anything undecoded is kept
/// raw so it can be shown and re-sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nlri {
    Inet {
        family: Family,
        prefix: Prefix,
        /// ADD-PATH path identifier (RFC 7911); None when not configured.
        path_id: Option<u32>,
    },
    /// Bytes of a family the codec does not decode yet, written back as they are. A received
    /// MP_REACH/MP_UNREACH of such a family becomes one `Raw` holding its whole NLRI field.
    Raw { family: Family, bytes: Vec<u8> },
    /// Flow specification rule (RFC 8955/8956), boxed to keep `Nlri` small.
    Flow(Box<flow::Flow>),
    /// Labelled unicast or MPLS VPN route (RFC 8277, RFC 4364), boxed to keep `Nlri` small.
    Labelled(Box<labelled::Labelled>),
    /// L2VPN VPLS route (RFC 4761), boxed to keep `Nlri` small.
    Vpls(Box<vpls::Vpls>),
    /// MCAST-VPN route (RFC 6514), boxed to keep `Nlri` small.
    Mvpn(Box<mvpn::Mvpn>),
    /// BGP-MUP route (draft-mpmz-bess-mup-safi), boxed to keep `Nlri` small.
    Mup(Box<mup::Mup>),
    /// L2VPN EVPN route (RFC 7432, RFC 9136), decode-only as in ExaBGP, boxed.
    Evpn(Box<evpn::Evpn>),
    /// BGP-LS route (RFC 9552), decode-only as in ExaBGP, boxed.
    BgpLs(Box<bgpls::BgpLs>),
    /// Route Target Constraint route (RFC 4684), boxed.
    Rtc(Box<rtc::Rtc>),
}

/// True for IPv4 and IPv6 families.
fn is_ip(family: Family) -> bool {
    matches!(family.afi, Afi::IPV4 | Afi::IPV6)
}

/// True for the families whose NLRI are plain prefixes (RFC 4271 §4.3 layout).
pub fn is_inet(family: Family) -> bool {
    matches!(family.afi, Afi::IPV4 | Afi::IPV6)
        && matches!(family.safi, Safi::UNICAST | Safi::MULTICAST)
}

impl Nlri {
    /// A unicast route of the prefix's own AFI.
    pub fn unicast(prefix: Prefix, path_id: Option<u32>) -> Nlri {
        let family = if prefix.is_v4() {
            Family::IPV4_UNICAST
        } else {
            Family::IPV6_UNICAST
        };
        Nlri::Inet {
            family,
            prefix,
            path_id,
        }
    }

    pub fn family(&self) -> Family {
        match self {
            Nlri::Inet { family, .. } | Nlri::Raw { family, .. } => *family,
            Nlri::Flow(f) => f.family,
            Nlri::Labelled(l) => l.family,
            Nlri::Vpls(_) => vpls::Vpls::FAMILY,
            Nlri::Mvpn(m) => m.family(),
            Nlri::Mup(m) => m.family(),
            Nlri::Evpn(_) => evpn::Evpn::FAMILY,
            Nlri::BgpLs(b) => b.family,
            Nlri::Rtc(_) => rtc::Rtc::FAMILY,
        }
    }

    /// `==` compares route identity; this also compares the route data an NLRI carries
    /// beside it (the labels of a labelled route), to tell a changed route from a repeat.
    pub fn identical(&self, other: &Nlri) -> bool {
        match (self, other) {
            (Nlri::Labelled(a), Nlri::Labelled(b)) => a.identical(b),
            _ => self == other,
        }
    }

    /// Wire size when encoded, to pack UPDATEs without encoding twice.
    pub fn encoded_len(&self, addpath: bool) -> usize {
        match self {
            Nlri::Inet { prefix, .. } => {
                usize::from(addpath) * 4 + 1 + usize::from(prefix.len()).div_ceil(8)
            }
            Nlri::Raw { bytes, .. } => bytes.len(),
            Nlri::Flow(f) => f.encoded_len(addpath),
            Nlri::Labelled(l) => l.encoded_len(addpath),
            Nlri::Vpls(v) => v.encoded_len(addpath),
            Nlri::Mvpn(m) => m.encoded_len(addpath),
            Nlri::Mup(m) => m.encoded_len(addpath),
            Nlri::Evpn(e) => e.encoded_len(addpath),
            Nlri::BgpLs(b) => b.encoded_len(addpath),
            Nlri::Rtc(r) => r.encoded_len(addpath),
        }
    }

    /// Append the NLRI; with ADD-PATH a missing path id is sent as 0, as ExaBGP does.
    pub fn encode(&self, out: &mut Vec<u8>, addpath: bool) {
        match self {
            Nlri::Inet {
                prefix, path_id, ..
            } => {
                if addpath {
                    out.extend_from_slice(&path_id.unwrap_or(0).to_be_bytes());
                }
                prefix.encode(out);
            }
            Nlri::Raw { bytes, .. } => out.extend_from_slice(bytes),
            Nlri::Flow(f) => f.encode(out, addpath),
            Nlri::Labelled(l) => l.encode(out, addpath),
            Nlri::Vpls(v) => v.encode(out, addpath),
            Nlri::Mvpn(m) => m.encode(out, addpath),
            Nlri::Mup(m) => m.encode(out, addpath),
            Nlri::Evpn(e) => e.encode(out, addpath),
            Nlri::BgpLs(b) => b.encode(out, addpath),
            Nlri::Rtc(r) => r.encode(out, addpath),
        }
    }

    /// Decode a whole NLRI field of `family`, appending to `into`.
    /// Errors are UPDATE 3/10 (Invalid Network Field), or 3/9 inside MP attributes
    /// (`code`/`subcode` chosen by the caller).
    pub fn decode_field(
        family: Family,
        field: &[u8],
        addpath: bool,
        subcode: u8,
        into: &mut Vec<Nlri>,
    ) -> Result<(), DecodeError> {
        if field.is_empty() {
            return Ok(());
        }
        if matches!(family.safi, Safi::FLOW | Safi::FLOW_VPN) {
            let flows = flow::Flow::decode_field(family, field, addpath, subcode)?;
            into.extend(flows.into_iter().map(|f| Nlri::Flow(Box::new(f))));
            return Ok(());
        }
        if labelled::Labelled::applies(family) {
            let routes = labelled::Labelled::decode_all(family, field, addpath, subcode)?;
            into.extend(routes.into_iter().map(|l| Nlri::Labelled(Box::new(l))));
            return Ok(());
        }
        // VPLS, MCAST-VPN and MUP errors take the caller's subcode (3/10, or 3/9 in MP).
        let sub = |mut e: DecodeError| {
            e.notify.subcode = subcode;
            e
        };
        if family == vpls::Vpls::FAMILY {
            let v = vpls::Vpls::decode_field(family, field, addpath).map_err(sub)?;
            into.extend(v.into_iter().map(|x| Nlri::Vpls(Box::new(x))));
            return Ok(());
        }
        if is_ip(family) && family.safi == Safi::MCAST_VPN {
            let v = mvpn::Mvpn::decode_field(family, field, addpath).map_err(sub)?;
            into.extend(v.into_iter().map(|x| Nlri::Mvpn(Box::new(x))));
            return Ok(());
        }
        if is_ip(family) && family.safi == Safi::MUP {
            let v = mup::Mup::decode_field(family, field, addpath).map_err(sub)?;
            into.extend(v.into_iter().map(|x| Nlri::Mup(Box::new(x))));
            return Ok(());
        }
        if family == evpn::Evpn::FAMILY {
            let v = evpn::Evpn::decode_field(field, addpath).map_err(sub)?;
            into.extend(v.into_iter().map(|x| Nlri::Evpn(Box::new(x))));
            return Ok(());
        }
        if family.afi == Afi::BGPLS && matches!(family.safi, Safi::BGPLS | Safi::BGPLS_VPN) {
            let v = bgpls::BgpLs::decode_field(family, field, addpath).map_err(sub)?;
            into.extend(v.into_iter().map(|x| Nlri::BgpLs(Box::new(x))));
            return Ok(());
        }
        if family == rtc::Rtc::FAMILY {
            let v = rtc::Rtc::decode_field(field, addpath).map_err(sub)?;
            into.extend(v.into_iter().map(|x| Nlri::Rtc(Box::new(x))));
            return Ok(());
        }
        if !is_inet(family) {
            into.push(Nlri::Raw {
                family,
                bytes: field.to_vec(),
            });
            return Ok(());
        }
        let max = if family.afi == Afi::IPV4 { 32 } else { 128 };
        let bad = |why: &str| DecodeError::new(3, subcode, Vec::new(), format!("{family}: {why}"));
        let mut r = Reader::new(field);
        while !r.is_empty() {
            let path_id = if addpath {
                Some(r.u32().map_err(|_| bad("truncated path identifier"))?)
            } else {
                None
            };
            let len = r.u8().map_err(|_| bad("truncated prefix"))?;
            if len > max {
                return Err(bad(&format!("prefix length {len} is too long")));
            }
            let bytes = r
                .take(usize::from(len).div_ceil(8))
                .map_err(|_| bad("truncated prefix"))?;
            let mut full = [0u8; 16];
            for (d, s) in full.iter_mut().zip(bytes) {
                *d = *s;
            }
            let addr = if family.afi == Afi::IPV4 {
                let mut a = [0u8; 4];
                for (d, s) in a.iter_mut().zip(full) {
                    *d = s;
                }
                std::net::IpAddr::from(a)
            } else {
                std::net::IpAddr::from(full)
            };
            let prefix = Prefix::new(addr, len).ok_or_else(|| bad("bad prefix"))?;
            into.push(Nlri::Inet {
                family,
                prefix,
                path_id,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inet_round_trip_with_and_without_path_id() {
        let n = Nlri::Inet {
            family: Family::IPV4_UNICAST,
            prefix: "10.0.0.10/32".parse().unwrap(),
            path_id: Some(1),
        };
        let mut out = Vec::new();
        n.encode(&mut out, true);
        assert_eq!(out, [0, 0, 0, 1, 32, 10, 0, 0, 10]);
        assert_eq!(n.encoded_len(true), out.len());
        let mut v = Vec::new();
        Nlri::decode_field(Family::IPV4_UNICAST, &out, true, 10, &mut v).unwrap();
        assert_eq!(v, [n]);
        let mut v = Vec::new();
        Nlri::decode_field(
            Family::IPV6_UNICAST,
            &[0x20, 0x20, 0x01, 0x0d, 0xb8],
            false,
            10,
            &mut v,
        )
        .unwrap();
        assert_eq!(v[0].to_string_prefix(), "2001:db8::/32");
    }

    #[test]
    fn rfc4271_4_3_bad_lengths_are_invalid_network_field() {
        let mut v = Vec::new();
        let e = Nlri::decode_field(
            Family::IPV4_UNICAST,
            &[33, 1, 2, 3, 4, 5],
            false,
            10,
            &mut v,
        )
        .unwrap_err();
        assert_eq!((e.notify.code, e.notify.subcode), (3, 10));
        assert!(Nlri::decode_field(Family::IPV4_UNICAST, &[24, 1], false, 10, &mut v).is_err());
    }

    impl Nlri {
        fn to_string_prefix(&self) -> String {
            match self {
                Nlri::Inet { prefix, .. } => prefix.to_string(),
                _ => String::new(),
            }
        }
    }
}
