//! IP networks as the healthcheck takes them (`--ip 192.0.2.1/32`): strict, so host bits set
//! after the mask are an error, and printed as `address/length` even for a single host, which
//! is the form the emitted `announce route` commands carry.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// Most addresses one network may be expanded into (`--deaggregate-networks`, ip setup):
/// a bigger one is refused rather than announcing or configuring millions of routes.
pub const MAX_HOSTS: u128 = 1 << 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Network {
    pub address: IpAddr,
    pub length: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkError(pub String);

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NetworkError {}

fn bits(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

fn as_u128(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn from_u128(value: u128, v4: bool) -> IpAddr {
    if v4 {
        // Only called with values derived from a 32-bit address.
        IpAddr::V4(Ipv4Addr::from(u32::try_from(value).unwrap_or(u32::MAX)))
    } else {
        IpAddr::V6(Ipv6Addr::from(value))
    }
}

/// Mask of the host part of a `length`-bit prefix in a `total`-bit address.
fn host_mask(length: u8, total: u8) -> u128 {
    let host = u32::from(total.saturating_sub(length));
    if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    }
}

impl Network {
    pub fn host(address: IpAddr) -> Network {
        Network {
            address,
            length: bits(address),
        }
    }

    pub fn is_loopback(&self) -> bool {
        match self.address {
            IpAddr::V4(v4) => v4.is_loopback() && self.length >= 8,
            IpAddr::V6(v6) => v6.is_loopback() && self.length == 128,
        }
    }

    /// Number of addresses in the network.
    pub fn size(&self) -> u128 {
        host_mask(self.length, bits(self.address)).saturating_add(1)
    }

    /// Every address of the network as a host network, network and broadcast included,
    /// as iterating a Python network does; refused past [`MAX_HOSTS`].
    pub fn hosts(&self) -> Result<Vec<Network>, NetworkError> {
        if self.size() > MAX_HOSTS {
            return Err(NetworkError(format!(
                "{self} has more than {MAX_HOSTS} addresses, refusing to expand it"
            )));
        }
        let first = as_u128(self.address);
        let v4 = self.address.is_ipv4();
        Ok((0..self.size())
            .map(|offset| Network::host(from_u128(first.saturating_add(offset), v4)))
            .collect())
    }
}

impl FromStr for Network {
    type Err = NetworkError;

    /// `ADDRESS` (a host) or `ADDRESS/LENGTH` with no host bit set.
    fn from_str(text: &str) -> Result<Network, NetworkError> {
        let text = text.trim();
        let invalid = || {
            NetworkError(format!(
                "{text:?} does not appear to be an IPv4 or IPv6 network"
            ))
        };
        let (address, length) = match text.split_once('/') {
            Some((address, length)) => (address, Some(length)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().map_err(|_| invalid())?;
        let total = bits(address);
        let length = match length {
            None => total,
            Some(length) => match length.parse::<u8>() {
                Ok(length) if length <= total => length,
                _ => return Err(invalid()),
            },
        };
        if as_u128(address) & host_mask(length, total) != 0 {
            return Err(NetworkError(format!("{text} has host bits set")));
        }
        Ok(Network { address, length })
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_networks_print_with_their_length() {
        let host: Network = "192.0.2.1".parse().unwrap();
        assert_eq!(host.to_string(), "192.0.2.1/32");
        let net: Network = "2001:db8::/64".parse().unwrap();
        assert_eq!(net.to_string(), "2001:db8::/64");
    }

    #[test]
    fn host_bits_are_refused() {
        assert!("192.0.2.1/24".parse::<Network>().is_err());
        assert!("10.0.0.0/33".parse::<Network>().is_err());
        assert!("bogus".parse::<Network>().is_err());
        assert!("10.0.0.0/".parse::<Network>().is_err());
    }

    #[test]
    fn expansion_includes_every_address() {
        let net: Network = "192.0.2.0/30".parse().unwrap();
        let hosts: Vec<String> = net.hosts().unwrap().iter().map(|h| h.to_string()).collect();
        assert_eq!(
            hosts,
            [
                "192.0.2.0/32",
                "192.0.2.1/32",
                "192.0.2.2/32",
                "192.0.2.3/32"
            ]
        );
        assert!("10.0.0.0/8".parse::<Network>().unwrap().hosts().is_err());
    }

    #[test]
    fn loopback_detection() {
        assert!("127.0.0.1".parse::<Network>().unwrap().is_loopback());
        assert!("::1".parse::<Network>().unwrap().is_loopback());
        assert!(!"192.0.2.1".parse::<Network>().unwrap().is_loopback());
    }
}
