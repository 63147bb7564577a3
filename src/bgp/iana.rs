//! IANA code points: AFI, SAFI and the (AFI, SAFI) pair ExaBGP calls a family.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Afi(pub u16);

impl Afi {
    pub const IPV4: Afi = Afi(1);
    pub const IPV6: Afi = Afi(2);
    pub const L2VPN: Afi = Afi(25);
    pub const BGPLS: Afi = Afi(16388);

    /// ExaBGP's name for the AFI (`ipv4`, `ipv6`, `l2vpn`, `bgp-ls`).
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "ipv4",
            2 => "ipv6",
            25 => "l2vpn",
            16388 => "bgp-ls",
            _ => return None,
        })
    }

    pub fn from_name(s: &str) -> Option<Afi> {
        Some(match s {
            "ipv4" => Afi::IPV4,
            "ipv6" => Afi::IPV6,
            "l2vpn" => Afi::L2VPN,
            "bgp-ls" => Afi::BGPLS,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Safi(pub u8);

impl Safi {
    pub const UNICAST: Safi = Safi(1);
    pub const MULTICAST: Safi = Safi(2);
    pub const NLRI_MPLS: Safi = Safi(4);
    pub const MCAST_VPN: Safi = Safi(5);
    pub const VPLS: Safi = Safi(65);
    pub const EVPN: Safi = Safi(70);
    pub const BGPLS: Safi = Safi(71);
    pub const BGPLS_VPN: Safi = Safi(72);
    pub const MUP: Safi = Safi(85);
    pub const MPLS_VPN: Safi = Safi(128);
    pub const RTC: Safi = Safi(132);
    pub const FLOW: Safi = Safi(133);
    pub const FLOW_VPN: Safi = Safi(134);

    /// ExaBGP's name for the SAFI as used in `family { ipv4 unicast; }`.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "unicast",
            2 => "multicast",
            4 => "nlri-mpls",
            5 => "mcast-vpn",
            65 => "vpls",
            70 => "evpn",
            71 => "bgp-ls",
            72 => "bgp-ls-vpn",
            85 => "mup",
            128 => "mpls-vpn",
            132 => "rtc",
            133 => "flow",
            134 => "flow-vpn",
            _ => return None,
        })
    }

    pub fn from_name(s: &str) -> Option<Safi> {
        Some(match s {
            "unicast" => Safi::UNICAST,
            "multicast" => Safi::MULTICAST,
            "nlri-mpls" | "labeled-unicast" => Safi::NLRI_MPLS,
            "mcast-vpn" => Safi::MCAST_VPN,
            "vpls" => Safi::VPLS,
            "evpn" => Safi::EVPN,
            "bgp-ls" => Safi::BGPLS,
            "bgp-ls-vpn" => Safi::BGPLS_VPN,
            "mup" => Safi::MUP,
            "mpls-vpn" => Safi::MPLS_VPN,
            "rtc" => Safi::RTC,
            "flow" => Safi::FLOW,
            "flow-vpn" => Safi::FLOW_VPN,
            _ => return None,
        })
    }
}

/// An (AFI, SAFI) pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Family {
    pub afi: Afi,
    pub safi: Safi,
}

impl Family {
    pub const fn new(afi: u16, safi: u8) -> Family {
        Family {
            afi: Afi(afi),
            safi: Safi(safi),
        }
    }
    pub const IPV4_UNICAST: Family = Family::new(1, 1);
    pub const IPV6_UNICAST: Family = Family::new(2, 1);
    pub const IPV4_MULTICAST: Family = Family::new(1, 2);
    pub const IPV6_MULTICAST: Family = Family::new(2, 2);

    /// The families ExaBGP 5.0 advertises when a neighbor has no `family` block, in the
    /// order its OPEN lists them.
    pub const ALL: [Family; 21] = [
        Family::new(1, 1),
        Family::new(1, 2),
        Family::new(1, 4),
        Family::new(1, 5),
        Family::new(1, 85),
        Family::new(1, 128),
        Family::new(1, 132),
        Family::new(1, 133),
        Family::new(1, 134),
        Family::new(2, 1),
        Family::new(2, 2),
        Family::new(2, 4),
        Family::new(2, 5),
        Family::new(2, 85),
        Family::new(2, 128),
        Family::new(2, 133),
        Family::new(2, 134),
        Family::new(25, 65),
        Family::new(25, 70),
        Family::new(16388, 71),
        Family::new(16388, 72),
    ];
}

impl fmt::Display for Family {
    /// `ipv4 unicast`, as ExaBGP writes families in logs and JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.afi.name(), self.safi.name()) {
            (Some(a), Some(s)) => write!(f, "{a} {s}"),
            _ => write!(f, "{} {}", self.afi.0, self.safi.0),
        }
    }
}
