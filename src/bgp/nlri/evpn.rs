//! L2VPN EVPN NLRI (RFC 7432 §7, RFC 9136 §3; AFI 25 SAFI 70): route type, length, and the
//! five route types ExaBGP decodes. ExaBGP only decodes EVPN (it cannot announce it), so
//! the route keeps its bytes and is written back unchanged.

use std::net::IpAddr;

use super::labelled::RouteDistinguisher;
use crate::bgp::error::DecodeError;
use crate::bgp::iana::Family;
use crate::bgp::wire::Reader;

pub type Esi = [u8; 10];

/// A route's fields, by route type; `Other` for types ExaBGP does not parse.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// Type 1, Ethernet Auto-Discovery.
    EthernetAd {
        rd: RouteDistinguisher,
        esi: Esi,
        etag: u32,
        label: Option<u32>,
    },
    /// Type 2, MAC/IP Advertisement.
    Mac {
        rd: RouteDistinguisher,
        esi: Esi,
        etag: u32,
        mac: [u8; 6],
        ip: Option<IpAddr>,
        label: Option<u32>,
    },
    /// Type 3, Inclusive Multicast Ethernet Tag.
    Multicast {
        rd: RouteDistinguisher,
        etag: u32,
        ip: IpAddr,
    },
    /// Type 4, Ethernet Segment.
    Segment {
        rd: RouteDistinguisher,
        esi: Esi,
        ip: IpAddr,
    },
    /// Type 5, IP Prefix (RFC 9136).
    Prefix {
        rd: RouteDistinguisher,
        esi: Esi,
        etag: u32,
        ip: IpAddr,
        len: u8,
        gateway: IpAddr,
        label: Option<u32>,
    },
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Evpn {
    pub code: u8,
    /// The route's bytes after the type and length octets.
    pub payload: Vec<u8>,
    pub path_id: Option<u32>,
    pub route: Route,
}

fn bad(subcode: u8, why: impl Into<String>) -> DecodeError {
    DecodeError::new(
        3,
        subcode,
        Vec::new(),
        format!("l2vpn evpn: {}", why.into()),
    )
}

fn ip_of(b: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(b) {
        return Some(IpAddr::from(a));
    }
    <[u8; 16]>::try_from(b).ok().map(IpAddr::from)
}

/// A label stack entry as 24 raw bits (value << 4 | flags); none when the field is empty.
fn label(b: &[u8]) -> Option<u32> {
    match b {
        [a, b2, c, ..] => Some(u32::from_be_bytes([0, *a, *b2, *c])),
        _ => None,
    }
}

impl Evpn {
    pub const FAMILY: Family = Family::new(25, 70);

    pub fn encoded_len(&self, addpath: bool) -> usize {
        usize::from(addpath) * 4 + 2 + self.payload.len()
    }

    pub fn encode(&self, out: &mut Vec<u8>, addpath: bool) {
        if addpath {
            out.extend_from_slice(&self.path_id.unwrap_or(0).to_be_bytes());
        }
        out.push(self.code);
        // The payload came from a one-octet length, so it fits.
        out.push(u8::try_from(self.payload.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(&self.payload);
    }

    /// Decode a whole NLRI field: each route is type(1) length(1) payload.
    pub fn decode_field(field: &[u8], addpath: bool) -> Result<Vec<Evpn>, DecodeError> {
        let mut r = Reader::new(field);
        let mut v = Vec::new();
        while !r.is_empty() {
            let path_id = if addpath {
                Some(r.u32().map_err(|_| bad(10, "truncated path identifier"))?)
            } else {
                None
            };
            let code = r.u8().map_err(|_| bad(10, "truncated route type"))?;
            let len = r.u8().map_err(|_| bad(10, "truncated length"))?;
            let payload = r
                .take(usize::from(len))
                .map_err(|_| bad(10, format!("route of {len} bytes is truncated")))?;
            v.push(Evpn {
                code,
                payload: payload.to_vec(),
                path_id,
                route: Route::decode(code, payload)?,
            });
        }
        Ok(v)
    }
}

impl Route {
    /// The per-type checks ExaBGP makes before it shows a route (RFC 7432 §7).
    fn decode(code: u8, d: &[u8]) -> Result<Route, DecodeError> {
        let need = |n: usize| {
            if d.len() < n {
                Err(bad(
                    10,
                    format!("route type {code} needs {n} bytes, has {}", d.len()),
                ))
            } else {
                Ok(())
            }
        };
        let rd = |d: &[u8]| -> RouteDistinguisher {
            let mut b = [0u8; 8];
            for (x, y) in b.iter_mut().zip(d) {
                *x = *y;
            }
            RouteDistinguisher(b)
        };
        let esi = |d: &[u8]| -> Esi {
            let mut b = [0u8; 10];
            for (x, y) in b.iter_mut().zip(d.get(8..18).unwrap_or(&[])) {
                *x = *y;
            }
            b
        };
        let u32_at = |at: usize| {
            d.get(at..at + 4)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map_or(0, u32::from_be_bytes)
        };
        let at = |a: usize, b: usize| d.get(a..b).unwrap_or(&[]);
        Ok(match code {
            1 => {
                need(22)?;
                if !d.len().saturating_sub(22).is_multiple_of(3) {
                    return Err(bad(10, "Ethernet A-D route has a truncated label stack"));
                }
                Route::EthernetAd {
                    rd: rd(d),
                    esi: esi(d),
                    etag: u32_at(18),
                    label: label(at(22, 25)),
                }
            }
            2 => {
                need(30)?;
                let maclen = d.get(22).copied().unwrap_or(0);
                // RFC 7432 §7.2: the MAC length is always 48 bits.
                if maclen != 48 {
                    return Err(bad(5, format!("MAC address length {maclen} is not 48")));
                }
                let mut mac = [0u8; 6];
                for (x, y) in mac.iter_mut().zip(at(23, 29)) {
                    *x = *y;
                }
                let iplen = d.get(29).copied().unwrap_or(0);
                let sizes: &[usize] = match iplen {
                    0 => &[33, 36],
                    32 => &[37, 40],
                    128 => &[49, 52],
                    _ => return Err(bad(5, format!("IP length {iplen} is not 0, 32 or 128"))),
                };
                if !sizes.contains(&d.len()) {
                    return Err(bad(5, format!("MAC/IP route of {} bytes", d.len())));
                }
                let n = usize::from(iplen / 8);
                Route::Mac {
                    rd: rd(d),
                    esi: esi(d),
                    etag: u32_at(18),
                    mac,
                    ip: ip_of(at(30, 30 + n)),
                    label: label(at(30 + n, 33 + n)),
                }
            }
            3 => {
                need(13)?;
                let iplen = d.get(12).copied().unwrap_or(0);
                let n = usize::from(iplen / 8);
                if !matches!(iplen, 32 | 128) || d.len() != 13 + n {
                    return Err(bad(10, "Inclusive Multicast route has a bad IP length"));
                }
                Route::Multicast {
                    rd: rd(d),
                    etag: u32_at(8),
                    ip: ip_of(at(13, 13 + n)).ok_or_else(|| bad(10, "bad IP"))?,
                }
            }
            4 => {
                need(19)?;
                let iplen = d.get(18).copied().unwrap_or(0);
                let n = usize::from(iplen / 8);
                if !matches!(iplen, 32 | 128) {
                    return Err(bad(5, format!("Ethernet Segment IP length {iplen}")));
                }
                if d.len() != 19 + n {
                    return Err(bad(10, "Ethernet Segment route has a bad length"));
                }
                Route::Segment {
                    rd: rd(d),
                    esi: esi(d),
                    ip: ip_of(at(19, 19 + n)).ok_or_else(|| bad(10, "bad IP"))?,
                }
            }
            5 => {
                // RFC 9136 §3.1: 34 bytes with IPv4 addresses, 58 with IPv6.
                let n = match d.len() {
                    34 => 4,
                    58 => 16,
                    other => return Err(bad(5, format!("IP Prefix route of {other} bytes"))),
                };
                let bad_ip = || bad(5, "bad IP");
                Route::Prefix {
                    rd: rd(d),
                    esi: esi(d),
                    etag: u32_at(18),
                    len: d.get(22).copied().unwrap_or(0),
                    ip: ip_of(at(23, 23 + n)).ok_or_else(bad_ip)?,
                    gateway: ip_of(at(23 + n, 23 + 2 * n)).ok_or_else(bad_ip)?,
                    label: label(at(23 + 2 * n, 26 + 2 * n)),
                }
            }
            _ => Route::Other,
        })
    }

    /// ExaBGP's name for the route type.
    pub fn name(&self) -> &'static str {
        match self {
            Route::EthernetAd { .. } => "Ethernet Auto-Discovery",
            Route::Mac { .. } => "MAC/IP advertisement",
            Route::Multicast { .. } => "Inclusive Multicast Ethernet Tag",
            Route::Segment { .. } => "Ethernet Segment",
            Route::Prefix { .. } => "IP Prefix Advertisement",
            Route::Other => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn mac_route_round_trips() {
        let b =
            hex("02250000FDE80000000100000000000000000000000000053000112233445520C0000209000641");
        let v = Evpn::decode_field(&b, false).unwrap();
        assert_eq!(v.len(), 1);
        match &v[0].route {
            Route::Mac {
                etag, ip, label, ..
            } => {
                assert_eq!(*etag, 5);
                assert_eq!(ip.unwrap().to_string(), "192.0.2.9");
                assert_eq!(*label, Some(1601));
            }
            other => panic!("{other:?}"),
        }
        let mut out = Vec::new();
        v[0].encode(&mut out, false);
        assert_eq!(out, b);
        assert_eq!(v[0].encoded_len(false), b.len());
    }

    #[test]
    fn rfc7432_7_2_mac_length_must_be_48() {
        let mut b =
            hex("02250000FDE80000000100000000000000000000000000053000112233445520C0000209000641");
        b[2 + 22] = 40;
        assert_eq!(Evpn::decode_field(&b, false).unwrap_err().notify.subcode, 5);
    }

    #[test]
    fn truncated_and_unknown_routes() {
        assert!(Evpn::decode_field(&[2, 9, 0], false).is_err());
        let v = Evpn::decode_field(&[9, 1, 7], false).unwrap();
        assert_eq!(v[0].route, Route::Other);
    }
}
