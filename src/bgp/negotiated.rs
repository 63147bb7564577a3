//! What both OPENs agreed on: the context every UPDATE encode and decode takes.

use std::collections::HashMap;
use std::net::IpAddr;

use super::iana::Family;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Negotiated {
    pub local_as: u32,
    pub peer_as: u32,
    /// Both sides sent the 4-octet AS capability.
    pub asn4: bool,
    /// Families both sides advertised, in our OPEN's order.
    pub families: Vec<Family>,
    /// ADD-PATH: we send path identifiers for these families.
    pub addpath_send: Vec<Family>,
    /// ADD-PATH: the peer sends path identifiers for these families.
    pub addpath_receive: Vec<Family>,
    /// Largest message either side may send (4096, or 65535 with RFC 8654 on both sides).
    pub max_message: usize,
    /// RFC 8950: NLRI families that may carry a next hop of the given AFI.
    pub extended_nexthop: HashMap<Family, Vec<u16>>,
    /// Negotiated hold time in seconds (0 = no keepalives).
    pub hold_time: u16,
    /// The local end of the TCP session, for `next-hop self`.
    pub local_address: Option<IpAddr>,
    pub route_refresh: bool,
    pub enhanced_route_refresh: bool,
    /// `capability { aigp enable; }`: AIGP is sent on eBGP too (it always is on iBGP).
    pub aigp: bool,
    /// Our router id: ExaBGP's `next-hop self` for an IPv4 route on an IPv6 session.
    pub router_id: Option<std::net::Ipv4Addr>,
    /// Both sides sent the operational capability.
    pub operational: bool,
    /// Both sides sent multi-session.
    pub multisession: bool,
}

impl Negotiated {
    pub fn ibgp(&self) -> bool {
        self.local_as == self.peer_as
    }

    pub fn addpath_send(&self, family: Family) -> bool {
        self.addpath_send.contains(&family)
    }

    pub fn addpath_receive(&self, family: Family) -> bool {
        self.addpath_receive.contains(&family)
    }

    /// RFC 8950: the peer accepts a next hop of `afi` for NLRI of `family`.
    pub fn extended_nexthop(&self, family: Family, afi: u16) -> bool {
        self.extended_nexthop
            .get(&family)
            .is_some_and(|v| v.contains(&afi))
    }
}

impl Default for Negotiated {
    /// What `decode` assumes with no session: 4-byte ASNs, every family, no ADD-PATH.
    fn default() -> Negotiated {
        Negotiated {
            local_as: 0,
            peer_as: 0,
            asn4: true,
            families: Family::ALL.to_vec(),
            addpath_send: Vec::new(),
            addpath_receive: Vec::new(),
            max_message: super::message::MAX_LEN,
            extended_nexthop: HashMap::new(),
            hold_time: 180,
            local_address: None,
            route_refresh: false,
            enhanced_route_refresh: false,
            aigp: false,
            router_id: None,
            operational: false,
            multisession: false,
        }
    }
}
