//! OPEN capabilities (RFC 5492) that ExaBGP sends or parses; unknown ones are kept raw.

use super::iana::Family;

/// ADD-PATH direction bits per family (RFC 7911 §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddPathMode {
    Receive = 1,
    Send = 2,
    Both = 3,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    /// 1: RFC 4760.
    Multiprotocol(Family),
    /// 2: RFC 2918.
    RouteRefresh,
    /// 128: the pre-standard Cisco route refresh.
    CiscoRouteRefresh,
    /// 5: RFC 8950, (NLRI family, next-hop AFI).
    ExtendedNextHop(Vec<(Family, u16)>),
    /// 6: RFC 8654.
    ExtendedMessage,
    /// 64: RFC 4724: restart flags (R bit), restart time, per-family forwarding flags.
    GracefulRestart { restart_flags: u8, restart_time: u16, families: Vec<(Family, u8)> },
    /// 65: RFC 6793.
    FourOctetAs(u32),
    /// 68 (and Cisco 131): multi-session, with the family codes it lists.
    MultiSession { code: u8, families: Vec<Family> },
    /// 69: RFC 7911.
    AddPath(Vec<(Family, AddPathMode)>),
    /// 70: RFC 7313.
    EnhancedRouteRefresh,
    /// 73: draft-walton-bgp-hostname-capability.
    Hostname { host: String, domain: String },
    /// 75: draft-abraitis-bgp-version-capability.
    SoftwareVersion(String),
    /// 185: ExaBGP's private operational capability.
    Operational,
    /// Any other code, kept as received.
    Unknown { code: u8, value: Vec<u8> },
}
