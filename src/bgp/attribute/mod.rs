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
