//! Labelled unicast (RFC 8277, SAFI 4) and MPLS VPN (RFC 4364, SAFI 128) NLRI, with the
//! ADD-PATH identifier (RFC 7911) in front when negotiated.
//!
//! A route is identified as ExaBGP identifies it: family, path id, route distinguisher and
//! prefix. The label stack is route data, like an attribute, so `Eq`/`Hash`/`Ord` leave it
//! out: announcing a prefix with a new label replaces the route, and a withdrawal matches the
//! route whatever labels it carries.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Afi, Family, Safi};
use crate::bgp::prefix::Prefix;
use crate::bgp::wire::Reader;

/// RFC 8277 §2.4: the label field value a withdrawal may carry instead of the route's labels.
pub const WITHDRAW_LABEL: u32 = 0x80000;

/// The largest label value (20 bits).
pub const MAX_LABEL: u32 = 0xF_FFFF;

/// A route distinguisher (RFC 4364 §4.2), kept as its 8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RouteDistinguisher(pub [u8; 8]);

/// Why `rd` text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RdError(pub String);

impl fmt::Display for RdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RdError {}

impl std::str::FromStr for RouteDistinguisher {
    type Err = RdError;

    /// `asn:number` (type 0 when the ASN fits 2 bytes, else type 2 with a 2-byte number) or
    /// `a.b.c.d:number` (type 1), as ExaBGP's configuration reads them.
    fn from_str(s: &str) -> Result<Self, RdError> {
        let bad = |why: &str| RdError(format!("'{s}' is not a valid route-distinguisher{why}"));
        let (admin, number) = s
            .split_once(':')
            .filter(|(a, _)| !a.is_empty())
            .ok_or_else(|| bad(" (expected ASN:nn or IP:nn, e.g. 65000:100 or 192.0.2.1:100)"))?;
        let number: u64 = number
            .parse()
            .map_err(|_| bad(" (the suffix must be a number)"))?;
        if admin.contains('.') {
            let ip: std::net::Ipv4Addr =
                admin.parse().map_err(|_| bad(" (invalid IPv4 address)"))?;
            let n = u16::try_from(number).map_err(|_| bad(" (suffix must be 0-65535)"))?;
            let ([a, b, c, d], [n0, n1]) = (ip.octets(), n.to_be_bytes());
            return Ok(RouteDistinguisher([0, 1, a, b, c, d, n0, n1]));
        }
        let asn: u64 = admin
            .parse()
            .map_err(|_| bad(" (prefix must be ASN or IPv4)"))?;
        Ok(RouteDistinguisher(
            match (u16::try_from(asn), u32::try_from(number)) {
                (Ok(a), Ok(n)) => {
                    let ([a0, a1], [n0, n1, n2, n3]) = (a.to_be_bytes(), n.to_be_bytes());
                    [0, 0, a0, a1, n0, n1, n2, n3]
                }
                _ => {
                    let a = u32::try_from(asn).map_err(|_| bad(""))?;
                    let n = u16::try_from(number).map_err(|_| bad(""))?;
                    let ([a0, a1, a2, a3], [n0, n1]) = (a.to_be_bytes(), n.to_be_bytes());
                    [0, 2, a0, a1, a2, a3, n0, n1]
                }
            },
        ))
    }
}

impl fmt::Display for RouteDistinguisher {
    /// As ExaBGP writes it: `asn:number` (types 0 and 2), `a.b.c.d:number` (type 1), and
    /// `0x` with the 8 bytes in upper-case hex for any other type.
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
            _ => {
                f.write_str("0x")?;
                self.0.iter().try_for_each(|x| write!(f, "{x:02X}"))
            }
        }
    }
}

/// One labelled (and, with an RD, VPN) route.
#[derive(Clone, Debug)]
pub struct Labelled {
    pub family: Family,
    pub prefix: Prefix,
    /// Label values (20 bits each), outermost first; empty for a route without labels.
    pub labels: Vec<u32>,
    /// Present exactly for the MPLS VPN families.
    pub rd: Option<RouteDistinguisher>,
    /// ADD-PATH path identifier (RFC 7911); None when not configured.
    pub path_id: Option<u32>,
}

impl Labelled {
    /// The identity of the route: everything but the labels.
    fn key(&self) -> (Family, Option<u32>, Option<RouteDistinguisher>, Prefix) {
        (self.family, self.path_id, self.rd, self.prefix)
    }
}

impl PartialEq for Labelled {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Labelled {}

impl Hash for Labelled {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state)
    }
}

impl PartialOrd for Labelled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Labelled {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

fn bad(family: Family, subcode: u8, why: &str) -> DecodeError {
    DecodeError::new(3, subcode, Vec::new(), format!("{family}: {why}"))
}

impl Labelled {
    /// Families whose NLRI have this layout.
    pub fn applies(family: Family) -> bool {
        matches!(family.afi, Afi::IPV4 | Afi::IPV6)
            && matches!(family.safi, Safi::NLRI_MPLS | Safi::MPLS_VPN)
    }

    /// The same route with the same labels (`==` ignores labels).
    pub fn identical(&self, other: &Labelled) -> bool {
        self == other && self.labels == other.labels
    }

    pub fn encoded_len(&self, addpath: bool) -> usize {
        usize::from(addpath) * 4
            + 1
            + self.labels.len() * 3
            + if self.rd.is_some() { 8 } else { 0 }
            + usize::from(self.prefix.len()).div_ceil(8)
    }

    /// Path id (when ADD-PATH), bit length, labels with the bottom-of-stack bit on the last,
    /// RD, then the prefix bytes (RFC 8277 §2.2, RFC 4364 §4.3.4). The length octet wraps
    /// for stacks too deep to describe, as ExaBGP's does; the config refuses those.
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
            let [_, a, b, c] = (((label & MAX_LABEL) << 4) | bos).to_be_bytes();
            out.extend_from_slice(&[a, b, c]);
        }
        if let Some(rd) = self.rd {
            out.extend_from_slice(&rd.0);
        }
        let n = usize::from(self.prefix.len()).div_ceil(8);
        match self.prefix {
            Prefix::V4 { addr, .. } => out.extend(addr.to_be_bytes().iter().take(n)),
            Prefix::V6 { addr, .. } => out.extend(addr.to_be_bytes().iter().take(n)),
        }
    }

    /// Decode a whole NLRI field of a labelled or VPN family. Errors are UPDATE errors with
    /// `subcode` (10 for the NLRI field, 9 inside MP attributes).
    ///
    /// The label stack ends at the bottom-of-stack bit. A first label without it also ends the
    /// stack when the bits left are a prefix the family can hold (RFC 8277 §2.2 and §2.4: the
    /// S bit and a withdrawal's Compatibility field are ignored on reception), or when it is
    /// one of RFC 3107's whole-stack values (0x800000 withdrawn, 0 no label), as ExaBGP reads
    /// them; anything else without a terminator is an error.
    pub fn decode_all(
        family: Family,
        field: &[u8],
        addpath: bool,
        subcode: u8,
    ) -> Result<Vec<Labelled>, DecodeError> {
        let bad = |why: &str| bad(family, subcode, why);
        let rd_bits: isize = if family.safi == Safi::MPLS_VPN { 64 } else { 0 };
        let max_prefix: isize = if family.afi == Afi::IPV4 { 32 } else { 128 };
        let labelled = family.safi == Safi::NLRI_MPLS || family.safi == Safi::MPLS_VPN;
        let mut r = Reader::new(field);
        let mut v = Vec::new();
        while !r.is_empty() {
            let path_id = if addpath {
                Some(r.u32().map_err(|_| bad("truncated path identifier"))?)
            } else {
                None
            };
            let mut bits = isize::from(r.u8().map_err(|_| bad("truncated NLRI length"))?);
            let mut labels = Vec::new();
            let mut terminated = false;
            while labelled && bits - rd_bits >= 24 {
                let b = r.take(3).map_err(|_| bad("truncated label stack"))?;
                let raw = b.iter().fold(0u32, |acc, x| acc << 8 | u32::from(*x));
                bits -= 24;
                labels.push(raw >> 4);
                if raw & 1 == 1 {
                    terminated = true;
                    break;
                }
                if labels.len() > 1 {
                    continue;
                }
                let left = bits - rd_bits;
                if (0 < left && left <= max_prefix) || raw == 0x80_0000 || raw == 0 {
                    terminated = true;
                    break;
                }
            }
            if !labels.is_empty() && !terminated {
                return Err(bad(
                    "invalid label stack (no bottom of stack bit and no terminator)",
                ));
            }
            let rd = if rd_bits > 0 {
                let b = r
                    .take(8)
                    .map_err(|_| bad("truncated route distinguisher"))?;
                bits -= rd_bits;
                Some(RouteDistinguisher(
                    b.try_into()
                        .map_err(|_| bad("truncated route distinguisher"))?,
                ))
            } else {
                None
            };
            if bits < 0 {
                return Err(bad("invalid length in NLRI prefix"));
            }
            if bits > max_prefix {
                return Err(bad(&format!("invalid mask {bits} in NLRI prefix")));
            }
            let len = bits as usize;
            let bytes = r
                .take(len.div_ceil(8))
                .map_err(|_| bad("truncated prefix"))?;
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
            let prefix = Prefix::new(addr, len as u8).ok_or_else(|| bad("bad prefix"))?;
            v.push(Labelled {
                family,
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

    const VPN4: Family = Family::new(1, 128);
    const LU4: Family = Family::new(1, 4);

    fn vpn(prefix: &str, labels: &[u32], rd: &str) -> Labelled {
        Labelled {
            family: VPN4,
            prefix: prefix.parse().unwrap(),
            labels: labels.to_vec(),
            rd: Some(rd.parse().unwrap()),
            path_id: None,
        }
    }

    #[test]
    fn vpn_route_round_trip() {
        // 10.0.0.0/24 label 42 rd 65000:1 (as ExaBGP packs it, BoS on the single label).
        let l = vpn("10.0.0.0/24", &[42], "65000:1");
        let mut out = Vec::new();
        l.encode(&mut out, false);
        assert_eq!(hex(&out), "700002A10000FDE8000000010A0000");
        assert_eq!(l.encoded_len(false), out.len());
        let back = Labelled::decode_all(VPN4, &out, false, 10).unwrap();
        assert!(back[0].identical(&l));
        assert_eq!(l.rd.unwrap().to_string(), "65000:1");
    }

    #[test]
    fn labelled_unicast_with_path_id_and_label_stack() {
        let bytes = unhex("00000001 40 000640 000651 0A00");
        let v = Labelled::decode_all(LU4, &bytes, true, 10).unwrap();
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
    fn identity_leaves_labels_out() {
        let a = vpn("10.0.0.0/24", &[1], "1:1");
        let b = vpn("10.0.0.0/24", &[2], "1:1");
        assert_eq!(a, b);
        assert!(!a.identical(&b));
        assert_ne!(a, vpn("10.0.0.0/24", &[1], "1:2"));
        let mut set = std::collections::HashSet::new();
        set.insert(a);
        assert!(set.contains(&b));
    }

    #[test]
    fn route_distinguisher_types_parse_and_show() {
        for (text, bytes, shown) in [
            ("65000:1", "0000FDE800000001", "65000:1"),
            ("3215:583457597", "00000C8F22C6DB3D", "3215:583457597"),
            ("1.2.3.4:5", "0001010203040005", "1.2.3.4:5"),
            ("4200000000:7", "0002FA56EA000007", "4200000000:7"),
        ] {
            let rd: RouteDistinguisher = text.parse().unwrap();
            assert_eq!(hex(&rd.0), bytes, "{text}");
            assert_eq!(rd.to_string(), shown);
        }
        assert_eq!(
            RouteDistinguisher([0, 9, 1, 2, 3, 4, 5, 0xab]).to_string(),
            "0x00090102030405AB"
        );
        for bad in [
            "",
            ":1",
            "1",
            "x:1",
            "1:x",
            "1.2.3:4",
            "1.2.3.4:65536",
            "70000:70000",
        ] {
            assert!(bad.parse::<RouteDistinguisher>().is_err(), "{bad}");
        }
    }

    #[test]
    fn rfc8277_2_2_one_label_without_bos_ends_where_the_prefix_fits() {
        // A withdrawal with the 0x800000 compatibility value, and a label without the S bit.
        let v = Labelled::decode_all(LU4, &unhex("30 800000 0A0000"), false, 9).unwrap();
        assert_eq!(
            (v[0].labels.as_slice(), v[0].prefix.len()),
            (&[0x80000][..], 24)
        );
        let v = Labelled::decode_all(LU4, &unhex("30 000640 0A0000"), false, 9).unwrap();
        assert_eq!(v[0].labels, [100]);
        // Labels without the S bit until nothing is left for a prefix: refused.
        assert!(Labelled::decode_all(LU4, &unhex("48 000640 000650 000660"), false, 9).is_err());
        assert!(Labelled::decode_all(LU4, &unhex("18 000640"), false, 9).is_err());
        // A /0 after a "no label" value.
        let v = Labelled::decode_all(LU4, &unhex("18 000000"), false, 9).unwrap();
        assert_eq!((v[0].labels.as_slice(), v[0].prefix.len()), (&[0][..], 0));
    }

    #[test]
    fn corrupt_fields_are_errors_never_panics() {
        assert!(
            Labelled::decode_all(VPN4, &unhex("10 000641"), false, 10).is_err(),
            "no room for an RD"
        );
        let e = Labelled::decode_all(VPN4, &unhex("FF 000641 0000000000000000 01"), false, 10)
            .unwrap_err();
        assert_eq!((e.notify.code, e.notify.subcode), (3, 10));
        let bytes = unhex("700002A10000FDE8000000010A0000");
        for n in 0..bytes.len() {
            let _ = Labelled::decode_all(VPN4, &bytes[..n], false, 10);
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[n] ^= 1 << bit;
                let _ = Labelled::decode_all(VPN4, &b, true, 10);
                let _ = Labelled::decode_all(Family::new(2, 4), &b, false, 10);
            }
        }
    }
}
