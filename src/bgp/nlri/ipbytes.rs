//! Address helpers shared by the MVPN, MUP and VPLS NLRI codecs: an address from 4 or 16
//! octets, and the octets of an address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An IPv4 (4 octets) or IPv6 (16 octets) address; None for any other length.
pub fn addr_from(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(bytes) {
        return Some(IpAddr::V4(Ipv4Addr::from(a)));
    }
    <[u8; 16]>::try_from(bytes)
        .ok()
        .map(|a| IpAddr::V6(Ipv6Addr::from(a)))
}

/// An address of `full` octets (4 or 16) built from a prefix's leading octets, zero-padded;
/// None when `bytes` is longer than the address.
pub fn addr_padded(bytes: &[u8], full: usize) -> Option<IpAddr> {
    if bytes.len() > full {
        return None;
    }
    let mut buf = [0u8; 16];
    for (d, s) in buf.iter_mut().zip(bytes) {
        *d = *s;
    }
    addr_from(buf.get(..full)?)
}

pub fn octets(a: IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// Address width in bits (32 or 128).
pub fn bits(a: IpAddr) -> u8 {
    if a.is_ipv4() {
        32
    } else {
        128
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_padding() {
        assert_eq!(addr_from(&[10, 0, 0, 1]), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(addr_from(&[1, 2, 3]), None);
        assert_eq!(addr_padded(&[10, 1], 4), Some("10.1.0.0".parse().unwrap()));
        assert_eq!(
            addr_padded(&[0x20, 0x01], 16),
            Some("2001::".parse().unwrap())
        );
        assert_eq!(addr_padded(&[1, 2, 3, 4, 5], 4), None);
        assert_eq!(bits("::1".parse().unwrap()), 128);
        assert_eq!(octets("1.2.3.4".parse().unwrap()), [1, 2, 3, 4]);
    }
}
