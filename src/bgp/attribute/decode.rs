//! Path attribute decoding (RFC 4271 §4.3, §6.3; RFC 4760; RFC 6793 §4.2.3).
//!
//! Malformed attributes are handled as RFC 7606 (and ExaBGP 5.0) says: treat-as-withdraw,
//! attribute discard, or the RFC 4271 §6.3 NOTIFICATION for the rest.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{
    code, flag, Aggregator, AsPath, Attributes, NextHop, Origin, RawAttribute, Segment,
    SegmentKind, TreatAsWithdraw, WithdrawCause, AS_TRANS,
};
use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Afi, Family, Safi};
use crate::bgp::negotiated::Negotiated;
use crate::bgp::nlri::Nlri;
use crate::bgp::wire::Reader;

/// What the attribute field of one UPDATE held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    pub attributes: Attributes,
    /// RFC 7606: the (first) attribute malformed in a way that withdraws every route announced.
    pub treat_as_withdraw: Option<TreatAsWithdraw>,
    /// RFC 7606: codes of the malformed attributes dropped (for the log).
    pub discarded: Vec<u8>,
    pub mp_reach: Option<(Family, Vec<Nlri>)>,
    /// The NEXT_HOP attribute; `attributes.next_hop` holds MP_REACH's instead when there is one.
    pub next_hop_attribute: Option<IpAddr>,
    /// The link-local half of a 32-octet MP_REACH next hop (RFC 2545 §3).
    pub link_local: Option<Ipv6Addr>,
    pub mp_unreach: Option<(Family, Vec<Nlri>)>,
}

/// RFC 9552 §5.3: the BGP-LS attribute, non-transitive, kept raw for display.
const BGP_LS: u8 = 29;

fn err(subcode: u8, data: &[u8], reason: impl Into<String>) -> DecodeError {
    DecodeError::new(3, subcode, data.to_vec(), reason)
}

fn ipv4(b: &[u8]) -> Option<Ipv4Addr> {
    <[u8; 4]>::try_from(b).ok().map(Ipv4Addr::from)
}

fn path(value: &[u8], wide: bool) -> Result<AsPath, DecodeError> {
    let mut r = Reader::new(value);
    let mut segments = Vec::new();
    let bad = || err(11, &[], "malformed AS_PATH");
    while !r.is_empty() {
        let kind = match r.u8().map_err(|_| bad())? {
            1 => SegmentKind::Set,
            2 => SegmentKind::Sequence,
            3 => SegmentKind::ConfedSequence,
            4 => SegmentKind::ConfedSet,
            _ => return Err(bad()),
        };
        let n = r.u8().map_err(|_| bad())?;
        let mut asns = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            asns.push(
                if wide {
                    r.u32()
                } else {
                    r.u16().map(u32::from)
                }
                .map_err(|_| bad())?,
            );
        }
        segments.push(Segment { kind, asns });
    }
    Ok(AsPath { segments })
}

/// AS numbers in a path as RFC 4271 §9.1.2.2 counts them for RFC 6793 §4.2.3: a set counts
/// one, a confederation segment none (RFC 5065 §5.3).
fn path_length(segments: &[Segment]) -> usize {
    segments
        .iter()
        .map(|s| match s.kind {
            SegmentKind::Sequence => s.asns.len(),
            SegmentKind::Set => 1,
            SegmentKind::ConfedSequence | SegmentKind::ConfedSet => 0,
        })
        .sum()
}

/// RFC 6793 §4.2.3: rebuild the 4-byte path from a 2-byte AS_PATH and AS4_PATH: the leading
/// part of the AS_PATH (a sequence cut if need be) then the AS4_PATH, adjacent sequences
/// joined (as ExaBGP does). An AS4_PATH longer than the AS_PATH is ignored.
fn merge_as4(two: AsPath, four: AsPath) -> AsPath {
    let (n2, n4) = (path_length(&two.segments), path_length(&four.segments));
    if n4 > n2 {
        return two;
    }
    let mut wanted = n2 - n4;
    let mut merged: Vec<Segment> = Vec::new();
    for mut seg in two.segments {
        if wanted == 0 {
            break;
        }
        if seg.kind == SegmentKind::Sequence && seg.asns.len() > wanted {
            seg.asns.truncate(wanted);
            merged.push(seg);
            break;
        }
        wanted -= path_length(std::slice::from_ref(&seg));
        merged.push(seg);
    }
    merged.extend(four.segments);
    // Neighbouring sequences (or confederation sequences) become one, as ExaBGP joins them;
    // sets stay apart, as joining them would change the path length.
    let mut joined: Vec<Segment> = Vec::with_capacity(merged.len());
    for seg in merged {
        match joined.last_mut() {
            Some(last)
                if last.kind == seg.kind
                    && matches!(
                        seg.kind,
                        SegmentKind::Sequence | SegmentKind::ConfedSequence
                    ) =>
            {
                last.asns.extend(seg.asns)
            }
            _ => joined.push(seg),
        }
    }
    AsPath { segments: joined }
}

/// What an MP_REACH_NLRI holds: its family, next hop (with the link-local half of a 32-octet
/// IPv6 one) and routes.
type Reach = (Family, Option<(IpAddr, Option<Ipv6Addr>)>, Vec<Nlri>);

fn mp_reach(value: &[u8], neg: &Negotiated) -> Result<Reach, DecodeError> {
    let bad = |why: &str| err(9, &[], format!("invalid MP_REACH_NLRI: {why}"));
    let mut r = Reader::new(value);
    let afi = r.u16().map_err(|_| bad("truncated"))?;
    let safi = r.u8().map_err(|_| bad("truncated"))?;
    let family = Family {
        afi: Afi(afi),
        safi: Safi(safi),
    };
    let nhlen = r.u8().map_err(|_| bad("truncated"))?;
    let nh = r
        .take(usize::from(nhlen))
        .map_err(|_| bad("next hop overruns the attribute"))?;
    let _reserved = r.u8().map_err(|_| bad("truncated"))?;
    super::mp_next_hop::check(family, nh, !neg.extended_nexthop.is_empty())?;
    let mut nlris = Vec::new();
    Nlri::decode_field(family, r.rest(), neg.addpath_receive(family), 9, &mut nlris)?;
    Ok((family, super::mp_next_hop::addresses(nh), nlris))
}

fn mp_unreach(value: &[u8], neg: &Negotiated) -> Result<(Family, Vec<Nlri>), DecodeError> {
    let bad = || err(9, &[], "invalid MP_UNREACH_NLRI: truncated");
    let mut r = Reader::new(value);
    let afi = r.u16().map_err(|_| bad())?;
    let safi = r.u8().map_err(|_| bad())?;
    let family = Family {
        afi: Afi(afi),
        safi: Safi(safi),
    };
    let mut nlris = Vec::new();
    Nlri::decode_field(family, r.rest(), neg.addpath_receive(family), 9, &mut nlris)?;
    Ok((family, nlris))
}

/// AS4_* attributes, held until the whole list is read (RFC 6793 §4.2.3).
#[derive(Default)]
struct As4 {
    as4_path: Option<AsPath>,
    as4_aggregator: Option<Aggregator>,
    /// Both as received, kept when they are not merged (as ExaBGP keeps them).
    raw: Vec<RawAttribute>,
}

/// An AS4_* attribute kept as received, with the flags it is defined with (PARTIAL dropped).
fn as4_raw(flags: u8, code: u8, value: &[u8]) -> RawAttribute {
    RawAttribute {
        flags: (flags & flag::EXTENDED_LENGTH) | flag::OPTIONAL | flag::TRANSITIVE,
        code,
        value: value.to_vec(),
    }
}

/// An AS4_PATH value (RFC 6793 §3) as a path, for display.
pub fn as4_path(value: &[u8]) -> Option<AsPath> {
    path(value, true).ok()
}

/// The flags a known attribute must carry (optional and transitive bits, RFC 4271 §5).
fn expected_flags(code: u8) -> Option<u8> {
    const O: u8 = flag::OPTIONAL;
    const T: u8 = flag::TRANSITIVE;
    Some(match code {
        code::ORIGIN
        | code::AS_PATH
        | code::NEXT_HOP
        | code::LOCAL_PREF
        | code::ATOMIC_AGGREGATE => T,
        code::MED
        | code::ORIGINATOR_ID
        | code::CLUSTER_LIST
        | code::MP_REACH_NLRI
        | code::MP_UNREACH_NLRI
        | code::AIGP => O,
        code::AGGREGATOR
        | code::COMMUNITY
        | code::EXTENDED_COMMUNITY
        | code::AS4_PATH
        | code::AS4_AGGREGATOR
        | code::LARGE_COMMUNITY => O | T,
        _ => return None,
    })
}

/// RFC 7606 §7: a malformed attribute of these codes withdraws the UPDATE's routes...
fn treat_as_withdraw(code: u8) -> bool {
    matches!(
        code,
        code::ORIGIN
            | code::AS_PATH
            | code::NEXT_HOP
            | code::MED
            | code::LOCAL_PREF
            | code::COMMUNITY
            | code::EXTENDED_COMMUNITY
            | code::LARGE_COMMUNITY
    )
}

/// ...one of these is dropped alone (RFC 7606 §7.6, §7.7); any other resets the session.
/// RFC 8669 §6: a malformed BGP Prefix-SID is discarded too.
fn discard(code: u8) -> bool {
    matches!(
        code,
        code::ATOMIC_AGGREGATE | code::AGGREGATOR | super::prefix_sid::CODE
    )
}

impl Decoded {
    /// Record a treat-as-withdraw; the first one is kept (ExaBGP names the first).
    fn withdraw(&mut self, code: u8, cause: WithdrawCause) {
        self.treat_as_withdraw.get_or_insert(TreatAsWithdraw {
            code: Some(code),
            cause,
        });
    }
}

/// Decode one attribute into `out`.
fn decode_one(
    flags: u8,
    code: u8,
    value: &[u8],
    neg: &Negotiated,
    out: &mut Decoded,
    st: &mut As4,
) -> Result<(), DecodeError> {
    let len = value.len();
    let len_err = || err(5, value, format!("attribute {code} has a bad length {len}"));
    match code {
        code::ORIGIN => {
            // RFC 7606 §7.1 withdraws on a bad length or value; ExaBGP reads the first octet
            // and shows an undefined value as "invalid", so the cause says which it was.
            let origin = match value.first() {
                Some(0) => Origin::Igp,
                Some(1) => Origin::Egp,
                Some(2) => Origin::Incomplete,
                _ => {
                    out.withdraw(code, WithdrawCause::OriginValue);
                    return Ok(());
                }
            };
            out.attributes.origin = Some(origin);
            if value.len() != 1 {
                out.withdraw(code, WithdrawCause::OriginLength);
            }
        }
        code::AS_PATH => out.attributes.as_path = Some(path(value, neg.asn4)?),
        code::AS4_PATH => {
            // RFC 6793 §6: confederation segments are never in an AS4_PATH; received ones are
            // dropped (as ExaBGP drops them) and the rest used.
            let mut p = path(value, true)?;
            p.segments.retain(|s| {
                !matches!(s.kind, SegmentKind::ConfedSequence | SegmentKind::ConfedSet)
            });
            st.as4_path = Some(p);
            st.raw.push(as4_raw(flags, code, value));
        }
        code::NEXT_HOP => {
            let nh = IpAddr::V4(ipv4(value).ok_or_else(len_err)?);
            out.next_hop_attribute = Some(nh);
            // MP_REACH's next hop, wherever it sits, is the one the routes keep.
            if out.mp_reach.is_none() || out.attributes.next_hop.is_none() {
                out.attributes.next_hop = Some(NextHop::Addr(nh));
            }
        }
        code::MED => {
            out.attributes.med = Some(u32::from_be_bytes(value.try_into().map_err(|_| len_err())?))
        }
        code::LOCAL_PREF => {
            out.attributes.local_pref =
                Some(u32::from_be_bytes(value.try_into().map_err(|_| len_err())?))
        }
        code::ATOMIC_AGGREGATE => {
            if !value.is_empty() {
                return Err(len_err());
            }
            out.attributes.atomic_aggregate = true;
        }
        code::AGGREGATOR | code::AS4_AGGREGATOR => {
            let wide = code == code::AS4_AGGREGATOR || neg.asn4;
            let (asn, id) = match (wide, value.len()) {
                (true, 8) => (value.get(..4), value.get(4..)),
                (false, 6) => (value.get(..2), value.get(2..)),
                _ => return Err(len_err()),
            };
            let asn = asn.map_or(0, |b| {
                b.iter().fold(0u32, |acc, x| acc << 8 | u32::from(*x))
            });
            let id = id.and_then(ipv4).ok_or_else(len_err)?;
            if code == code::AGGREGATOR {
                out.attributes.aggregator = Some(Aggregator { asn, id });
            } else {
                st.as4_aggregator = Some(Aggregator { asn, id });
                st.raw.push(as4_raw(flags, code, value));
            }
        }
        code::COMMUNITY => {
            if !len.is_multiple_of(4) {
                return Err(len_err());
            }
            out.attributes.communities = value
                .chunks_exact(4)
                .map(|c| c.iter().fold(0u32, |acc, x| acc << 8 | u32::from(*x)))
                .collect();
        }
        code::ORIGINATOR_ID => {
            out.attributes.originator_id = Some(ipv4(value).ok_or_else(len_err)?)
        }
        code::CLUSTER_LIST => {
            if !len.is_multiple_of(4) {
                return Err(len_err());
            }
            out.attributes.cluster_list = value.chunks_exact(4).filter_map(ipv4).collect();
        }
        code::EXTENDED_COMMUNITY => {
            if !len.is_multiple_of(8) {
                return Err(len_err());
            }
            out.attributes.extended_communities = value
                .chunks_exact(8)
                .filter_map(|c| <[u8; 8]>::try_from(c).ok())
                .collect();
        }
        code::LARGE_COMMUNITY => {
            if !len.is_multiple_of(12) {
                return Err(len_err());
            }
            // A repeated large community is kept once (first seen), as ExaBGP does.
            let mut large: Vec<[u32; 3]> = Vec::new();
            for c in value.chunks_exact(12) {
                let mut v = [0u32; 3];
                for (d, w) in v.iter_mut().zip(c.chunks_exact(4)) {
                    *d = w.iter().fold(0u32, |acc, x| acc << 8 | u32::from(*x));
                }
                if !large.contains(&v) {
                    large.push(v);
                }
            }
            out.attributes.large_communities = large;
        }
        code::AIGP => match value {
            [1, 0, 11, rest @ ..] if rest.len() == 8 => {
                out.attributes.aigp =
                    Some(rest.iter().fold(0u64, |acc, x| acc << 8 | u64::from(*x)))
            }
            _ => out.attributes.raw.push(RawAttribute {
                flags,
                code,
                value: value.to_vec(),
            }),
        },
        code::MP_REACH_NLRI => {
            let (family, nh, nlris) = mp_reach(value, neg)?;
            if let Some((nh, link_local)) = nh {
                out.attributes.next_hop = Some(NextHop::Addr(nh));
                out.link_local = link_local;
            }
            out.mp_reach = Some((family, nlris));
        }
        code::MP_UNREACH_NLRI => out.mp_unreach = Some(mp_unreach(value, neg)?),
        super::prefix_sid::CODE => {
            super::prefix_sid::parse(value)?;
            out.attributes.raw.push(RawAttribute {
                flags,
                code,
                value: value.to_vec(),
            })
        }
        // IPv6 Address Specific Extended Communities (RFC 5701): known, so not PARTIAL; kept
        // whole (flow redirect-to-nexthop-ietf uses them).
        25 => out.attributes.raw.push(RawAttribute {
            flags,
            code,
            value: value.to_vec(),
        }),
        _ => out.attributes.raw.push(RawAttribute {
            // RFC 4271 §5: an unrecognised transitive attribute is passed on marked PARTIAL;
            // the extended length bit is kept to re-send it byte for byte.
            flags: flags | flag::PARTIAL,
            code,
            value: value.to_vec(),
        }),
    }
    Ok(())
}

/// Decode the path attribute field of an UPDATE, applying RFC 7606 as ExaBGP 5.0 does:
/// malformed ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF and communities make the UPDATE a
/// withdrawal (`Decoded::treat_as_withdraw`), a malformed ATOMIC_AGGREGATE or AGGREGATOR is
/// dropped (`Decoded::discarded`), a bad MP_REACH/MP_UNREACH or any other error resets.
pub fn decode_attributes(field: &[u8], neg: &Negotiated) -> Result<Decoded, DecodeError> {
    let mut out = Decoded::default();
    let mut st = As4::default();
    let mut r = Reader::new(field);
    let mut seen = [false; 256];
    while !r.is_empty() {
        // RFC 7606 §4: an attribute overrunning the field can not be framed: treat-as-withdraw.
        let (Ok(flags), Ok(code)) = (r.u8(), r.u8()) else {
            out.treat_as_withdraw.get_or_insert(TreatAsWithdraw {
                code: None,
                cause: WithdrawCause::HeaderCut,
            });
            break;
        };
        let len = if flags & flag::EXTENDED_LENGTH != 0 {
            r.u16().map(usize::from)
        } else {
            r.u8().map(usize::from)
        };
        let Ok(len) = len else {
            out.withdraw(code, WithdrawCause::HeaderCut);
            break;
        };
        let Ok(value) = r.take(len) else {
            out.withdraw(code, WithdrawCause::Overrun);
            break;
        };
        if let Some(s) = seen.get_mut(usize::from(code)) {
            if *s {
                // RFC 7606 §3(g): repeated MP attributes reset; other repeats are ignored.
                if matches!(code, code::MP_REACH_NLRI | code::MP_UNREACH_NLRI) {
                    return Err(err(1, &[], format!("multiple attribute for {code}")));
                }
                continue;
            }
            *s = true;
        }
        if let Some(want) = expected_flags(code) {
            // PARTIAL may be set on optional transitive attributes only; EXTENDED_LENGTH anywhere.
            let partial_ok = want == flag::OPTIONAL | flag::TRANSITIVE;
            let mask = if partial_ok { 0xc0 } else { 0xe0 };
            if flags & mask != want {
                if matches!(code, code::MP_REACH_NLRI | code::MP_UNREACH_NLRI) {
                    return Err(err(
                        9,
                        &[],
                        format!("invalid flag {flags:#04x} for attribute {code}"),
                    ));
                }
                // RFC 7606 §3(c): the attribute's error handling applies.
                if treat_as_withdraw(code) {
                    out.withdraw(code, WithdrawCause::Flags);
                } else {
                    out.discarded.push(code);
                }
                continue;
            }
            // RFC 7606 §3(f)-ish: zero length is only valid for ATOMIC_AGGREGATE and AS_PATH.
            if value.is_empty() && !matches!(code, code::ATOMIC_AGGREGATE | code::AS_PATH) {
                out.withdraw(code, WithdrawCause::Empty);
                continue;
            }
        } else if code == BGP_LS
            && flags & (flag::OPTIONAL | flag::TRANSITIVE) == flag::OPTIONAL
            && value.is_empty()
        {
            // ExaBGP applies the same zero-length rule to the BGP-LS attribute it knows.
            out.withdraw(code, WithdrawCause::Empty);
            continue;
        } else if flags & flag::TRANSITIVE == 0 && code != BGP_LS {
            // RFC 4271 §5: an unrecognised non-transitive optional attribute is ignored.
            // The BGP-LS attribute is kept (raw) because ExaBGP shows it to helpers.
            continue;
        }
        match decode_one(flags, code, value, neg, &mut out, &mut st) {
            Ok(()) => {}
            Err(_) if treat_as_withdraw(code) => out.withdraw(code, WithdrawCause::Malformed),
            Err(_) if discard(code) => out.discarded.push(code),
            Err(e) => return Err(e),
        }
    }
    let As4 {
        mut as4_path,
        mut as4_aggregator,
        mut raw,
    } = st;
    // RFC 6793 §4.2.3, applied as ExaBGP 5.0 applies it: on every session (4-byte ones
    // too), unless the UPDATE is already a withdrawal. An AGGREGATOR naming a real AS (not
    // AS_TRANS) means neither AS4_ attribute was written by a translating speaker.
    if out.treat_as_withdraw.is_none() {
        if let (Some(agg), Some(four)) = (out.attributes.aggregator, as4_aggregator) {
            if agg.asn == AS_TRANS {
                out.attributes.aggregator = Some(four);
            } else {
                as4_path = None;
            }
            as4_aggregator = None;
        }
        if let Some(two) = out.attributes.as_path.take() {
            out.attributes.as_path = Some(match as4_path.take() {
                Some(four) => merge_as4(two, four),
                None => two,
            });
        }
    }
    // What was not merged stays, as received: an AS4_AGGREGATOR without AGGREGATOR, an
    // AS4_PATH without AS_PATH, or both on a withdrawal (ExaBGP shows them).
    raw.retain(|r| match r.code {
        code::AS4_PATH => as4_path.is_some(),
        _ => as4_aggregator.is_some(),
    });
    out.attributes.raw.extend(raw);
    Ok(out)
}
