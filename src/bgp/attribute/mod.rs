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
// Equality is written out (the same relation the derive gives, so the derived Hash and Ord
// agree with it) because the derived one calls memcmp even for empty lists, which costs more
// than the rest of the comparison: sets are compared once per configured or announced route.
#[allow(clippy::derived_hash_with_manual_eq)]
#[derive(Clone, Debug, Default, Eq, Hash, PartialOrd, Ord)]
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

/// Slices equal, without calling memcmp for empty ones.
fn same<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && (a.is_empty() || a == b)
}

impl PartialEq for Attributes {
    fn eq(&self, o: &Attributes) -> bool {
        // Destructured so that a new field can not be forgotten here.
        let Attributes {
            origin,
            as_path,
            next_hop,
            med,
            local_pref,
            atomic_aggregate,
            aggregator,
            communities,
            originator_id,
            cluster_list,
            extended_communities,
            large_communities,
            aigp,
            raw,
        } = self;
        *origin == o.origin
            && *next_hop == o.next_hop
            && *med == o.med
            && *local_pref == o.local_pref
            && *atomic_aggregate == o.atomic_aggregate
            && *aggregator == o.aggregator
            && *originator_id == o.originator_id
            && *aigp == o.aigp
            && same(communities, &o.communities)
            && same(cluster_list, &o.cluster_list)
            && same(extended_communities, &o.extended_communities)
            && same(large_communities, &o.large_communities)
            && same(raw, &o.raw)
            && match (as_path, &o.as_path) {
                (Some(a), Some(b)) => same(&a.segments, &b.segments),
                (None, None) => true,
                _ => false,
            }
    }
}

pub mod decode;
pub mod encode;
pub mod mp_next_hop;
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

/// ExaBGP's name for a path attribute code, as its logs, JSON and API show it.
pub fn name(code: u8) -> std::borrow::Cow<'static, str> {
    let known = match code {
        1 => "origin",
        2 => "as-path",
        3 => "next-hop",
        4 => "med",
        5 => "local-preference",
        6 => "atomic-aggregate",
        7 => "aggregator",
        8 => "community",
        9 => "originator-id",
        10 => "cluster-list",
        14 => "mp-reach-nlri",
        15 => "mp-unreach-nlri",
        16 => "extended-community",
        17 => "as4-path",
        18 => "as4-aggregator",
        22 => "pmsi-tunnel",
        23 => "tunnel-encaps",
        25 => "extended-community-ipv6",
        26 => "aigp",
        29 => "bgp-ls",
        32 => "large-community",
        40 => "bgp-prefix-sid",
        // Python's hex(): no zero padding.
        other => return format!("unknown-attribute-{other:#x}").into(),
    };
    known.into()
}

/// How a malformed attribute made an UPDATE a withdrawal (RFC 7606).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WithdrawCause {
    /// The attribute's length runs past the attribute field (§4): nothing after it is framed.
    Overrun,
    /// The field ends inside the attribute's length octets.
    HeaderCut,
    /// Optional or transitive flag contrary to the attribute's definition (§3 c).
    Flags,
    /// Zero length where the attribute needs a value (§3 f-ish).
    Empty,
    /// The value does not decode (bad length, bad segment, ...).
    Malformed,
    /// ORIGIN longer than one octet (§7.1). ExaBGP reads the first octet and keeps the routes.
    OriginLength,
    /// ORIGIN with an undefined value (§7.1). ExaBGP shows `"origin": "invalid"`, keeps routes.
    OriginValue,
}

/// RFC 7606 treat-as-withdraw: which attribute turned the announced routes into withdrawals.
/// The first malformed attribute is the one kept, as ExaBGP keeps the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreatAsWithdraw {
    /// None when the field ended before the attribute's type code.
    pub code: Option<u8>,
    pub cause: WithdrawCause,
}

impl TreatAsWithdraw {
    /// The `error` marker ExaBGP 5.0 shows in an UPDATE's attributes. It names the attribute
    /// only when the attribute was empty or its length octets were cut; a malformed value or
    /// wrong flags give the bare text.
    pub fn exabgp_text(&self) -> std::borrow::Cow<'static, str> {
        match (self.cause, self.code) {
            (WithdrawCause::Empty | WithdrawCause::HeaderCut, Some(code)) => {
                format!("treat-as-withdraw due to {}", name(code)).into()
            }
            _ => "treat-as-withdraw".into(),
        }
    }

    /// ExaBGP 5.0 does not treat this as an error at all: it keeps the routes announced.
    /// We follow RFC 7606 on the session; `decode` shows what ExaBGP shows.
    pub fn exabgp_accepts(&self) -> bool {
        matches!(
            self.cause,
            WithdrawCause::OriginLength | WithdrawCause::OriginValue
        )
    }
}

/// For our log: always names the attribute (when there is one) and says what was wrong.
impl std::fmt::Display for TreatAsWithdraw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.cause {
            WithdrawCause::Overrun => "length overruns the attribute field",
            WithdrawCause::HeaderCut => "length is cut",
            WithdrawCause::Flags => "has wrong flags",
            WithdrawCause::Empty => "is empty",
            WithdrawCause::Malformed => "is malformed",
            WithdrawCause::OriginLength => "is longer than one octet",
            WithdrawCause::OriginValue => "has an undefined value",
        };
        match self.code {
            Some(code) => write!(f, "the {} attribute {what}", name(code)),
            None => f.write_str("the attribute field ends inside an attribute header"),
        }
    }
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
