//! IP prefixes, stored compactly (no heap) so a RIB can hold millions of them.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An IPv4 or IPv6 prefix; host bits beyond `len` are always zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prefix {
    V4 { addr: u32, len: u8 },
    V6 { addr: u128, len: u8 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixError(pub String);

impl fmt::Display for PrefixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid prefix: {}", self.0)
    }
}
impl std::error::Error for PrefixError {}

impl Prefix {
    /// A prefix from an address and length; host bits are cleared. None when `len` is too big.
    pub fn new(addr: IpAddr, len: u8) -> Option<Prefix> {
        match addr {
            IpAddr::V4(a) if len <= 32 => {
                let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                Some(Prefix::V4 {
                    addr: u32::from(a) & mask,
                    len,
                })
            }
            IpAddr::V6(a) if len <= 128 => {
                let mask = if len == 0 {
                    0
                } else {
                    u128::MAX << (128 - len)
                };
                Some(Prefix::V6 {
                    addr: u128::from(a) & mask,
                    len,
                })
            }
            _ => None,
        }
    }

    /// The prefix as received, bits past `len` kept (ExaBGP shows `10.255.0.0/12`). For
    /// display only (`decode`): two such values of one route compare unequal, so never a
    /// RIB key. None when `len` is too big.
    pub fn with_host_bits(addr: IpAddr, len: u8) -> Option<Prefix> {
        match addr {
            IpAddr::V4(a) if len <= 32 => Some(Prefix::V4 {
                addr: u32::from(a),
                len,
            }),
            IpAddr::V6(a) if len <= 128 => Some(Prefix::V6 {
                addr: u128::from(a),
                len,
            }),
            _ => None,
        }
    }

    /// The same prefix with the bits past its length cleared.
    pub fn masked(&self) -> Prefix {
        Prefix::new(self.addr(), self.len()).unwrap_or(*self)
    }

    pub fn len(&self) -> u8 {
        match *self {
            Prefix::V4 { len, .. } | Prefix::V6 { len, .. } => len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_v4(&self) -> bool {
        matches!(self, Prefix::V4 { .. })
    }

    pub fn addr(&self) -> IpAddr {
        match *self {
            Prefix::V4 { addr, .. } => IpAddr::V4(Ipv4Addr::from(addr)),
            Prefix::V6 { addr, .. } => IpAddr::V6(Ipv6Addr::from(addr)),
        }
    }

    /// The NLRI encoding: length byte then the minimum number of address bytes (RFC 4271 §4.3).
    pub fn encode(&self, out: &mut Vec<u8>) {
        let len = self.len();
        out.push(len);
        let n = usize::from(len).div_ceil(8);
        match *self {
            Prefix::V4 { addr, .. } => out.extend(addr.to_be_bytes().iter().take(n)),
            Prefix::V6 { addr, .. } => out.extend(addr.to_be_bytes().iter().take(n)),
        }
    }

    /// Every sub-prefix of length `to` (ExaBGP's `split /to`), in address order.
    pub fn split(&self, to: u8) -> Option<Vec<Prefix>> {
        let len = self.len();
        let max = if self.is_v4() { 32 } else { 128 };
        if to < len || to > max || to - len > 24 {
            return None;
        }
        let count = 1u64 << (to - len);
        let mut v = Vec::with_capacity(count as usize);
        for i in 0..count {
            v.push(match *self {
                Prefix::V4 { addr, .. } => Prefix::V4 {
                    addr: addr | ((i as u32) << (32 - u32::from(to))),
                    len: to,
                },
                Prefix::V6 { addr, .. } => Prefix::V6 {
                    addr: addr | ((i as u128) << (128 - u32::from(to))),
                    len: to,
                },
            });
        }
        Some(v)
    }
}

impl FromStr for Prefix {
    type Err = PrefixError;
    /// `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a host route).
    fn from_str(s: &str) -> Result<Prefix, PrefixError> {
        let (a, l) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().map_err(|_| PrefixError(s.to_string()))?;
        let len = match l {
            Some(l) => l.parse::<u8>().map_err(|_| PrefixError(s.to_string()))?,
            None if addr.is_ipv4() => 32,
            None => 128,
        };
        Prefix::new(addr, len).ok_or_else(|| PrefixError(s.to_string()))
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr(), self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_clears_host_bits_and_encodes_minimal_bytes() {
        let p: Prefix = "10.1.2.3/8".parse().unwrap();
        assert_eq!(p.to_string(), "10.0.0.0/8");
        let mut out = Vec::new();
        p.encode(&mut out);
        assert_eq!(out, vec![8, 10]);
        let h: Prefix = "2a04:6d80::1".parse().unwrap();
        assert_eq!(h.len(), 128);
    }

    #[test]
    fn host_bits_kept_for_display_only() {
        let p = Prefix::with_host_bits("10.255.0.0".parse().unwrap(), 12).unwrap();
        assert_eq!(p.to_string(), "10.255.0.0/12");
        assert_eq!(p.masked().to_string(), "10.240.0.0/12");
        assert_ne!(p, p.masked());
        assert!(Prefix::with_host_bits("::1".parse().unwrap(), 129).is_none());
    }

    #[test]
    fn split_expands_in_order() {
        let p: Prefix = "172.10.0.0/22".parse().unwrap();
        let v: Vec<String> = p.split(24).unwrap().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            v,
            [
                "172.10.0.0/24",
                "172.10.1.0/24",
                "172.10.2.0/24",
                "172.10.3.0/24"
            ]
        );
        assert!(p.split(20).is_none());
    }
}
