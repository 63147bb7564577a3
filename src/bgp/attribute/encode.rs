//! Path attribute encoding as ExaBGP 5.0 writes it (RFC 4271 §4.3, RFC 6793, RFC 7311, RFC 8092).
//!
//! Order is type-code order, except that AS4_PATH follows AS_PATH and AS4_AGGREGATOR follows
//! AGGREGATOR, and MP_REACH/MP_UNREACH (written by the UPDATE packer) come last.

use std::net::IpAddr;

use super::{
    code, flag, Aggregator, AsPath, Attributes, Origin, RawAttribute, SegmentKind, AS_TRANS,
};
use crate::bgp::error::EncodeError;
use crate::bgp::negotiated::Negotiated;

/// Write one attribute: flags, code, length (one octet, or two when the value is longer than
/// 255 or `flags` already asks for it), value. The value is written first with a two-octet
/// length slot which is narrowed afterwards, so nothing is encoded twice.
pub fn put_attr(
    out: &mut Vec<u8>,
    flags: u8,
    code: u8,
    body: impl FnOnce(&mut Vec<u8>),
) -> Result<(), EncodeError> {
    let at = out.len();
    out.extend_from_slice(&[flags, code, 0, 0]);
    body(out);
    let len = out.len() - at - 4;
    let len16 = u16::try_from(len)
        .map_err(|_| EncodeError(format!("attribute {code} is {len} bytes, more than 65535")))?;
    if len > 255 || flags & flag::EXTENDED_LENGTH != 0 {
        if let Some(f) = out.get_mut(at) {
            *f |= flag::EXTENDED_LENGTH;
        }
        if let Some(slot) = out.get_mut(at + 2..at + 4) {
            slot.copy_from_slice(&len16.to_be_bytes());
        }
    } else {
        out.remove(at + 2);
        if let Some(slot) = out.get_mut(at + 2) {
            *slot = len as u8;
        }
    }
    Ok(())
}

/// The value of an AS_PATH with `wide` (4-byte) or 2-byte ASNs; segments longer than 255
/// ASNs are split, as a segment's count is one octet.
fn put_path(out: &mut Vec<u8>, path: &AsPath, wide: bool) {
    for seg in &path.segments {
        for chunk in seg.asns.chunks(255) {
            out.push(seg.kind as u8);
            out.push(chunk.len() as u8);
            for &asn in chunk {
                if wide {
                    out.extend_from_slice(&asn.to_be_bytes());
                } else {
                    let two = if asn > 0xffff {
                        AS_TRANS as u16
                    } else {
                        asn as u16
                    };
                    out.extend_from_slice(&two.to_be_bytes());
                }
            }
        }
    }
}

/// ExaBGP keeps every community list sorted, so it sends them in order whatever the
/// configured order; a copy is made only when the list is not sorted already.
fn sorted<T: Ord + Clone>(v: &[T]) -> std::borrow::Cow<'_, [T]> {
    if v.is_sorted() {
        std::borrow::Cow::Borrowed(v)
    } else {
        let mut c = v.to_vec();
        c.sort();
        std::borrow::Cow::Owned(c)
    }
}

/// Large communities are also de-duplicated (ExaBGP drops repeats).
fn sorted_unique<T: Ord + Clone>(v: &[T]) -> std::borrow::Cow<'_, [T]> {
    if v.windows(2).all(|w| matches!(w, [a, b] if a < b)) {
        std::borrow::Cow::Borrowed(v)
    } else {
        let mut c = v.to_vec();
        c.sort();
        c.dedup();
        std::borrow::Cow::Owned(c)
    }
}

/// Append every attribute of `attrs` but MP_REACH/MP_UNREACH. `next_hop` is the resolved
/// next hop of the route: NEXT_HOP is written only when it is IPv4, as ExaBGP does even for
/// IPv6 routes with an IPv4 next hop. ORIGIN, AS_PATH and LOCAL_PREF defaults are added.
pub fn encode_attributes(
    attrs: &Attributes,
    next_hop: Option<IpAddr>,
    neg: &Negotiated,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let ibgp = neg.ibgp();
    let default_path;
    let path = match &attrs.as_path {
        Some(p) => p,
        None => {
            default_path = if ibgp {
                AsPath::default()
            } else {
                AsPath::sequence(vec![neg.local_as])
            };
            &default_path
        }
    };
    let needs_as4 = |asn: u32| asn > 0xffff;
    let own_as4_path = !neg.asn4
        && path
            .segments
            .iter()
            .flat_map(|s| &s.asns)
            .any(|&a| needs_as4(a));
    // A received AS4_PATH kept as it came (no AS_PATH beside it) gives way to the one
    // written here: one attribute of a code per UPDATE.
    let mut raw: Vec<&RawAttribute> = attrs
        .raw
        .iter()
        .filter(|r| !(own_as4_path && r.code == code::AS4_PATH))
        .collect();
    raw.sort_by_key(|r| r.code);
    let mut raw = raw.into_iter().peekable();
    // Generic attributes go before the first typed attribute with a higher code.
    let mut flush = |upto: u8, out: &mut Vec<u8>| -> Result<(), EncodeError> {
        while let Some(r) = raw.next_if(|r| r.code < upto) {
            put_attr(out, r.flags, r.code, |o| o.extend_from_slice(&r.value))?;
        }
        Ok(())
    };

    flush(code::ORIGIN, out)?;
    let origin = attrs.origin.unwrap_or(Origin::Igp);
    put_attr(out, flag::TRANSITIVE, code::ORIGIN, |o| {
        o.push(origin as u8)
    })?;

    flush(code::AS_PATH, out)?;
    put_attr(out, flag::TRANSITIVE, code::AS_PATH, |o| {
        put_path(o, path, neg.asn4)
    })?;
    if own_as4_path {
        // RFC 6793 §4.2.2: the real path travels in AS4_PATH, confederation segments excluded.
        let as4 = AsPath {
            segments: path
                .segments
                .iter()
                .filter(|s| matches!(s.kind, SegmentKind::Set | SegmentKind::Sequence))
                .cloned()
                .collect(),
        };
        put_attr(
            out,
            flag::OPTIONAL | flag::TRANSITIVE,
            code::AS4_PATH,
            |o| put_path(o, &as4, true),
        )?;
    }

    flush(code::NEXT_HOP, out)?;
    if let Some(IpAddr::V4(nh)) = next_hop {
        put_attr(out, flag::TRANSITIVE, code::NEXT_HOP, |o| {
            o.extend_from_slice(&nh.octets())
        })?;
    }

    flush(code::MED, out)?;
    if let Some(med) = attrs.med {
        put_attr(out, flag::OPTIONAL, code::MED, |o| {
            o.extend_from_slice(&med.to_be_bytes())
        })?;
    }

    flush(code::LOCAL_PREF, out)?;
    if ibgp {
        let lp = attrs.local_pref.unwrap_or(100);
        put_attr(out, flag::TRANSITIVE, code::LOCAL_PREF, |o| {
            o.extend_from_slice(&lp.to_be_bytes())
        })?;
    }

    flush(code::ATOMIC_AGGREGATE, out)?;
    if attrs.atomic_aggregate {
        put_attr(out, flag::TRANSITIVE, code::ATOMIC_AGGREGATE, |_| {})?;
    }

    flush(code::AGGREGATOR, out)?;
    if let Some(Aggregator { asn, id }) = attrs.aggregator {
        let f = flag::OPTIONAL | flag::TRANSITIVE;
        if neg.asn4 {
            put_attr(out, f, code::AGGREGATOR, |o| {
                o.extend_from_slice(&asn.to_be_bytes());
                o.extend_from_slice(&id.octets());
            })?;
        } else {
            let two = if needs_as4(asn) {
                AS_TRANS as u16
            } else {
                asn as u16
            };
            put_attr(out, f, code::AGGREGATOR, |o| {
                o.extend_from_slice(&two.to_be_bytes());
                o.extend_from_slice(&id.octets());
            })?;
            if needs_as4(asn) {
                put_attr(out, f, code::AS4_AGGREGATOR, |o| {
                    o.extend_from_slice(&asn.to_be_bytes());
                    o.extend_from_slice(&id.octets());
                })?;
            }
        }
    }

    flush(code::COMMUNITY, out)?;
    if !attrs.communities.is_empty() {
        put_attr(
            out,
            flag::OPTIONAL | flag::TRANSITIVE,
            code::COMMUNITY,
            |o| {
                for c in sorted(&attrs.communities).iter() {
                    o.extend_from_slice(&c.to_be_bytes());
                }
            },
        )?;
    }

    flush(code::ORIGINATOR_ID, out)?;
    if let Some(id) = attrs.originator_id {
        put_attr(out, flag::OPTIONAL, code::ORIGINATOR_ID, |o| {
            o.extend_from_slice(&id.octets())
        })?;
    }

    flush(code::CLUSTER_LIST, out)?;
    if !attrs.cluster_list.is_empty() {
        put_attr(out, flag::OPTIONAL, code::CLUSTER_LIST, |o| {
            for c in &attrs.cluster_list {
                o.extend_from_slice(&c.octets());
            }
        })?;
    }

    flush(code::EXTENDED_COMMUNITY, out)?;
    if !attrs.extended_communities.is_empty() {
        put_attr(
            out,
            flag::OPTIONAL | flag::TRANSITIVE,
            code::EXTENDED_COMMUNITY,
            |o| {
                for c in sorted(&attrs.extended_communities).iter() {
                    o.extend_from_slice(c);
                }
            },
        )?;
    }

    flush(code::AIGP, out)?;
    // ExaBGP sends AIGP on iBGP, and on eBGP only with `capability { aigp enable; }`.
    if let Some(metric) = attrs.aigp.filter(|_| ibgp || neg.aigp) {
        put_attr(out, flag::OPTIONAL, code::AIGP, |o| {
            o.extend_from_slice(&[1, 0, 11]);
            o.extend_from_slice(&metric.to_be_bytes());
        })?;
    }

    flush(code::LARGE_COMMUNITY, out)?;
    if !attrs.large_communities.is_empty() {
        put_attr(
            out,
            flag::OPTIONAL | flag::TRANSITIVE,
            code::LARGE_COMMUNITY,
            |o| {
                for c in sorted_unique(&attrs.large_communities).iter() {
                    for v in c {
                        o.extend_from_slice(&v.to_be_bytes());
                    }
                }
            },
        )?;
    }
    flush(u8::MAX, out)?;
    // A generic attribute with code 255 still goes out.
    for r in raw {
        put_attr(out, r.flags, r.code, |o| o.extend_from_slice(&r.value))?;
    }
    Ok(())
}
