//! The MP_REACH_NLRI next hop (RFC 4760 §3): which lengths each family accepts, as ExaBGP 5.0
//! checks them, and the addresses it holds.

use std::net::{IpAddr, Ipv6Addr};

use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Afi, Family, Safi};

/// The next-hop lengths a family accepts and the route distinguisher length in front of the
/// address (VPN families, RFC 4364 §4.3.2); None for a family ExaBGP has no rule for.
fn lengths(afi: Afi, safi: Safi) -> Option<(&'static [usize], usize)> {
    Some(match (afi, safi) {
        (Afi::IPV4, Safi::UNICAST | Safi::MULTICAST | Safi::NLRI_MPLS) => (&[4], 0),
        (Afi::IPV6, Safi::UNICAST | Safi::MULTICAST | Safi::NLRI_MPLS) => (&[16, 32], 0),
        (Afi::IPV4, Safi::MCAST_VPN) => (&[4], 0),
        (Afi::IPV4 | Afi::IPV6, Safi::MUP) | (Afi::IPV6, Safi::MCAST_VPN) => (&[4, 16], 0),
        (Afi::IPV4, Safi::RTC) => (&[4, 16], 0),
        (Afi::IPV4, Safi::MPLS_VPN) => (&[12], 8),
        (Afi::IPV6, Safi::MPLS_VPN) => (&[24, 40], 8),
        (Afi::IPV4, Safi::FLOW | Safi::FLOW_VPN) => (&[0, 4], 0),
        (Afi::IPV6, Safi::FLOW | Safi::FLOW_VPN) => (&[0, 16, 32], 0),
        (Afi::L2VPN, Safi::VPLS | Safi::EVPN) => (&[4], 0),
        (Afi::BGPLS, Safi::BGPLS) => (&[4, 16], 0),
        (Afi::BGPLS, Safi::BGPLS_VPN) => (&[12, 24], 8),
        _ => return None,
    })
}

/// Check an MP_REACH_NLRI next hop as ExaBGP does: its length must be one the family allows,
/// where the family's AFI is replaced by the next hop's when RFC 8950 extended next hop was
/// negotiated for any family (`extended`; the length then says which AFI), and a VPN next
/// hop's route distinguisher must be zero. Errors are UPDATE 3/9 (Optional Attribute Error,
/// RFC 4760 §7). Families without a rule are not checked.
pub fn check(family: Family, nh: &[u8], extended: bool) -> Result<(), DecodeError> {
    let bad = |why: String| DecodeError::new(3, 9, Vec::new(), why);
    let len = nh.len();
    let nh_afi = if !extended {
        family.afi
    } else if matches!(len, 16 | 24 | 32) {
        Afi::IPV6
    } else if matches!(len, 4 | 12) {
        Afi::IPV4
    } else {
        return Err(bad(format!(
            "unsupported family {family} with extended next-hop capability enabled"
        )));
    };
    let Some((allowed, rd)) = lengths(nh_afi, family.safi) else {
        if lengths(family.afi, family.safi).is_some() {
            // ExaBGP has no rule for an IPv6 next hop of this family: it refuses it.
            return Err(bad(format!("unsupported next hop for {family}")));
        }
        return Ok(());
    };
    if !allowed.contains(&len) {
        return Err(bad(format!(
            "invalid {family} next-hop length {len} expected {}",
            allowed
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    if nh.iter().take(rd).any(|b| *b != 0) {
        return Err(bad(
            "MP_REACH_NLRI next-hop's route-distinguisher must be zero".into(),
        ));
    }
    Ok(())
}

/// The next hop and, for a 32-octet IPv6 one, its link-local half (RFC 2545 §3), after any
/// route distinguisher. None for an empty or odd-sized field.
pub fn addresses(b: &[u8]) -> Option<(IpAddr, Option<Ipv6Addr>)> {
    let v6 = |s: &[u8]| <[u8; 16]>::try_from(s).ok().map(Ipv6Addr::from);
    match b.len() {
        4 => <[u8; 4]>::try_from(b).ok().map(|a| (IpAddr::from(a), None)),
        16 => v6(b).map(|g| (IpAddr::V6(g), None)),
        32 => Some((IpAddr::V6(v6(b.get(..16)?)?), v6(b.get(16..)?))),
        // VPN families: an 8-byte zero route distinguisher first (RFC 4364 §4.3.2); the
        // link-local address of a 40-octet one has its own, and is not shown.
        12 | 24 | 40 => addresses(b.get(8..)?).map(|(g, _)| (g, None)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::testutil::unhex;

    const VPN4: Family = Family::new(1, 128);
    const LU4: Family = Family::new(1, 4);

    #[test]
    fn lengths_as_exabgp_accepts_them() {
        let v6 = Family::new(2, 128);
        assert!(check(VPN4, &[0; 12], false).is_ok());
        assert!(check(VPN4, &[0; 4], false).is_err());
        assert!(
            check(VPN4, &[0; 24], false).is_err(),
            "IPv6 next hop, no RFC 8950"
        );
        assert!(check(VPN4, &[0; 24], true).is_ok());
        assert!(check(v6, &[0; 24], false).is_ok());
        assert!(check(v6, &[0; 40], false).is_ok());
        assert!(check(LU4, &[10, 0, 0, 1], false).is_ok());
        assert!(check(Family::new(2, 4), &[0; 32], false).is_ok());
        assert!(check(Family::new(2, 4), &[0; 4], false).is_err());
        let e = check(VPN4, &unhex("0000000100000000 0A000001"), false).unwrap_err();
        assert_eq!((e.notify.code, e.notify.subcode), (3, 9), "non-zero RD");
        assert!(check(VPN4, &[0; 7], true).is_err());
        // Unicast: IPv4 takes 4 octets only (16 needs RFC 8950), IPv6 16 or 32.
        assert!(check(Family::IPV4_UNICAST, &[0; 3], false).is_err());
        assert!(check(Family::IPV4_UNICAST, &[0; 16], false).is_err());
        assert!(check(Family::IPV4_UNICAST, &[0; 16], true).is_ok());
        assert!(check(Family::IPV6_UNICAST, &[0; 5], false).is_err());
        // EVPN: 4 octets only, and no rule for an IPv6 one even with RFC 8950.
        let evpn = Family::new(25, 70);
        assert!(check(evpn, &[0; 16], false).is_err());
        assert!(check(evpn, &[0; 16], true).is_err());
        assert!(check(Family::new(1, 133), &[], false).is_ok(), "flow");
        assert!(check(Family::new(99, 1), &[0; 3], false).is_ok(), "no rule");
    }

    #[test]
    fn link_local_half_of_a_32_octet_next_hop() {
        let b = unhex("20010DB8000000000000000000000001 FE800000000000000000000000000001");
        let (g, ll) = addresses(&b).unwrap();
        assert_eq!(g.to_string(), "2001:db8::1");
        assert_eq!(ll.unwrap().to_string(), "fe80::1");
        assert_eq!(addresses(&[0; 3]), None);
        let vpn = addresses(&unhex("0000000000000000 0A000001")).unwrap();
        assert_eq!((vpn.0.to_string(), vpn.1), ("10.0.0.1".into(), None));
    }
}
