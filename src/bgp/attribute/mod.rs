//! Path attributes (RFC 4271 §5 and later RFCs): the typed set a route carries.
//!
//! `Attributes` is hashed and compared as a whole so that routes can share one interned copy
//! (`Arc<Attributes>`) and so that UPDATE packing can group routes with identical attributes.

use std::net::{IpAddr, Ipv4Addr};

/// ORIGIN (type 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    Igp = 0,
    Egp = 1,
    Incomplete = 2,
}

/// AS_PATH segment types (RFC 4271 §4.3, RFC 5065 for confederations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SegmentKind {
    Set = 1,
    Sequence = 2,
    ConfedSequence = 3,
    ConfedSet = 4,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Segment {
    pub kind: SegmentKind,
    pub asns: Vec<u32>,
}

/// AS_PATH (type 2) with 4-byte ASNs; the codec writes AS_TRANS + AS4_PATH when needed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AsPath {
    pub segments: Vec<Segment>,
}

/// NEXT_HOP as configured: an address, or `self` resolved per session at send time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NextHop {
    Addr(IpAddr),
    /// `next-hop self`: the session's local address.
    SelfAddr,
}

/// AGGREGATOR (type 7): ASN and router id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Aggregator {
    pub asn: u32,
    pub id: Ipv4Addr,
}

/// Any attribute without a typed field: generic `attribute [ code flags hex ]` from the config,
/// and unknown or not-yet-typed attributes received from a peer. Re-encoded byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RawAttribute {
    pub flags: u8,
    pub code: u8,
    pub value: Vec<u8>,
}

/// The path attributes of a route, without MP_REACH/MP_UNREACH (those are built per UPDATE).
/// The next hop is kept here for every family; the encoder puts it in NEXT_HOP or MP_REACH.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Attributes {
    pub origin: Option<Origin>,
    pub as_path: Option<AsPath>,
    pub next_hop: Option<NextHop>,
    pub med: Option<u32>,
    pub local_pref: Option<u32>,
    pub atomic_aggregate: bool,
    pub aggregator: Option<Aggregator>,
    /// COMMUNITY (type 8), in configured order.
    pub communities: Vec<u32>,
    pub originator_id: Option<Ipv4Addr>,
    pub cluster_list: Vec<Ipv4Addr>,
    /// EXTENDED_COMMUNITY (type 16), each 8 bytes.
    pub extended_communities: Vec<[u8; 8]>,
    /// LARGE_COMMUNITY (type 32).
    pub large_communities: Vec<[u32; 3]>,
    /// AIGP (type 26) metric.
    pub aigp: Option<u64>,
    /// Every other attribute, sorted by code when encoded.
    pub raw: Vec<RawAttribute>,
}

pub mod decode;
pub mod encode;
pub mod prefix_sid;

/// Attribute type codes (IANA "BGP Path Attributes").
pub mod code {
    pub const ORIGIN: u8 = 1;
    pub const AS_PATH: u8 = 2;
    pub const NEXT_HOP: u8 = 3;
    pub const MED: u8 = 4;
    pub const LOCAL_PREF: u8 = 5;
    pub const ATOMIC_AGGREGATE: u8 = 6;
    pub const AGGREGATOR: u8 = 7;
    pub const COMMUNITY: u8 = 8;
    pub const ORIGINATOR_ID: u8 = 9;
    pub const CLUSTER_LIST: u8 = 10;
    pub const MP_REACH_NLRI: u8 = 14;
    pub const MP_UNREACH_NLRI: u8 = 15;
    pub const EXTENDED_COMMUNITY: u8 = 16;
    pub const AS4_PATH: u8 = 17;
    pub const AS4_AGGREGATOR: u8 = 18;
    pub const AIGP: u8 = 26;
    pub const LARGE_COMMUNITY: u8 = 32;
}

/// Attribute flag bits (RFC 4271 §4.3).
pub mod flag {
    pub const OPTIONAL: u8 = 0x80;
    pub const TRANSITIVE: u8 = 0x40;
    pub const PARTIAL: u8 = 0x20;
    pub const EXTENDED_LENGTH: u8 = 0x10;
}

/// 23456: the 2-byte stand-in for a 4-byte ASN (RFC 6793 §9).
pub const AS_TRANS: u32 = 23456;

/// Why an attribute set cannot be sent as a route of a family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeCheckError(pub String);

impl std::fmt::Display for AttributeCheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AttributeCheckError {}

impl AsPath {
    /// A single AS_SEQUENCE, the shape `as-path [ a b c ]` gives.
    pub fn sequence(asns: Vec<u32>) -> AsPath {
        AsPath {
            segments: vec![Segment {
                kind: SegmentKind::Sequence,
                asns,
            }],
        }
    }

    pub fn asn_count(&self) -> usize {
        self.segments.iter().map(|s| s.asns.len()).sum()
    }
}

impl Attributes {
    /// Check that these attributes make a sendable route of `family` (for the config and API
    /// to refuse a route up front rather than at encode time).
    pub fn check(&self, family: super::iana::Family) -> Result<(), AttributeCheckError> {
        use super::iana::{Afi, Safi};
        let unicastish = matches!(family.safi, Safi::UNICAST | Safi::MULTICAST);
        if unicastish && self.next_hop.is_none() {
            return Err(AttributeCheckError(format!(
                "{family} route has no next-hop"
            )));
        }
        if let Some(NextHop::Addr(IpAddr::V6(_))) = self.next_hop {
            if family.afi == Afi::IPV4 && family.safi == Safi::MULTICAST {
                return Err(AttributeCheckError(format!(
                    "{family} route cannot use an IPv6 next-hop"
                )));
            }
        }
        for r in &self.raw {
            if matches!(r.code, code::MP_REACH_NLRI | code::MP_UNREACH_NLRI) {
                return Err(AttributeCheckError(format!(
                    "attribute {} can not be set as a generic attribute",
                    r.code
                )));
            }
        }
        for seg in self.as_path.iter().flat_map(|p| &p.segments) {
            if seg.asns.is_empty() {
                return Err(AttributeCheckError("as-path has an empty segment".into()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::iana::Family;

    #[test]
    fn check_refuses_routes_that_can_not_be_sent() {
        let mut a = Attributes::default();
        assert!(a.check(Family::IPV4_UNICAST).is_err(), "no next hop");
        a.next_hop = Some(NextHop::SelfAddr);
        assert!(a.check(Family::IPV4_UNICAST).is_ok());
        a.raw.push(RawAttribute {
            flags: 0x80,
            code: code::MP_REACH_NLRI,
            value: vec![],
        });
        assert!(a.check(Family::IPV4_UNICAST).is_err(), "generic MP_REACH");
        a.raw.clear();
        a.as_path = Some(AsPath {
            segments: vec![Segment {
                kind: SegmentKind::Set,
                asns: vec![],
            }],
        });
        assert!(a.check(Family::IPV6_UNICAST).is_err(), "empty segment");
        assert_eq!(AsPath::sequence(vec![1, 2]).asn_count(), 2);
    }
}
