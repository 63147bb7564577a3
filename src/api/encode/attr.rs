//! Path attributes (RFC 4271 §5 and later) as ExaBGP 5.0 shows them to helpers: the JSON
//! `attribute` object and the text encoder's `origin igp as-path ( 1 2 ) ...` suffix.
//!
//! Both walk the attributes in type-code order, as ExaBGP does; NEXT_HOP is shown with the
//! NLRI instead, so it is never part of either.

use std::fmt::Write;

use super::digits::push_u32;
use std::net::Ipv4Addr;

use crate::bgp::attribute::decode::as4_path;
use crate::bgp::attribute::{
    code, prefix_sid, Aggregator, AsPath, Origin, RawAttribute, SegmentKind, WithdrawCause,
};
use crate::bgp::message::Update;
use crate::bgp::Attributes;

use super::escape::{hex_lower, json_str};
use super::extcomm;
use super::Direction;

/// One attribute to show, borrowed from `Attributes`.
enum Item<'a> {
    Origin(Origin),
    AsPath(&'a AsPath),
    Med(u32),
    LocalPref(u32),
    AtomicAggregate,
    Aggregator(Aggregator),
    Communities(Vec<u32>),
    OriginatorId(Ipv4Addr),
    ClusterList(&'a [Ipv4Addr]),
    Extended(Vec<[u8; 8]>),
    Aigp(u64),
    Large(Vec<[u32; 3]>),
    Raw(&'a RawAttribute),
    /// An ORIGIN whose value is undefined (only on a treat-as-withdraw UPDATE).
    OriginInvalid,
}

fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    // ExaBGP keeps every community list sorted (its `add` sorts), whatever the wire order.
    let mut v = v.to_vec();
    v.sort();
    v
}

/// The attributes in type-code order, generic ones merged in by code.
fn items(a: &Attributes) -> Vec<Item<'_>> {
    let mut typed: Vec<(u8, Item<'_>)> = Vec::new();
    if let Some(o) = a.origin {
        typed.push((1, Item::Origin(o)));
    }
    // An empty AS_PATH is not shown: ExaBGP 5.0 drops it on decode (checked with `decode`).
    if let Some(p) = a.as_path.as_ref().filter(|p| !p.segments.is_empty()) {
        typed.push((2, Item::AsPath(p)));
    }
    if let Some(m) = a.med {
        typed.push((4, Item::Med(m)));
    }
    if let Some(l) = a.local_pref {
        typed.push((5, Item::LocalPref(l)));
    }
    if a.atomic_aggregate {
        typed.push((6, Item::AtomicAggregate));
    }
    if let Some(g) = a.aggregator {
        typed.push((7, Item::Aggregator(g)));
    }
    if !a.communities.is_empty() {
        typed.push((8, Item::Communities(sorted(&a.communities))));
    }
    if let Some(o) = a.originator_id {
        typed.push((9, Item::OriginatorId(o)));
    }
    if !a.cluster_list.is_empty() {
        typed.push((10, Item::ClusterList(&a.cluster_list)));
    }
    if !a.extended_communities.is_empty() {
        typed.push((16, Item::Extended(sorted(&a.extended_communities))));
    }
    if let Some(m) = a.aigp {
        typed.push((26, Item::Aigp(m)));
    }
    if !a.large_communities.is_empty() {
        typed.push((32, Item::Large(sorted(&a.large_communities))));
    }
    typed.extend(a.raw.iter().map(|r| (r.code, Item::Raw(r))));
    // Stable: a generic attribute sharing a typed code (never expected) follows the typed one.
    typed.sort_by_key(|(code, _)| *code);
    typed.into_iter().map(|(_, item)| item).collect()
}

fn origin_name(o: Origin) -> &'static str {
    match o {
        Origin::Igp => "igp",
        Origin::Egp => "egp",
        Origin::Incomplete => "incomplete",
    }
}

/// ExaBGP's names for the segment types; it calls both confederation kinds `as-sequence`.
fn segment_name(k: SegmentKind) -> &'static str {
    match k {
        SegmentKind::Set => "as-set",
        SegmentKind::Sequence | SegmentKind::ConfedSequence | SegmentKind::ConfedSet => {
            "as-sequence"
        }
    }
}

/// Text brackets: sequences in `( )`, sets in `[ ]`, confederations wrapped in `{ }`.
fn segment_brackets(k: SegmentKind) -> (&'static str, &'static str) {
    match k {
        SegmentKind::Set => ("[", "]"),
        SegmentKind::Sequence => ("(", ")"),
        SegmentKind::ConfedSequence => ("{(", ")}"),
        SegmentKind::ConfedSet => ("{[", "]}"),
    }
}

fn community_text(out: &mut String, c: u32) {
    match c {
        0xFFFF_FF01 => out.push_str("no-export"),
        0xFFFF_FF02 => out.push_str("no-advertise"),
        0xFFFF_FF03 => out.push_str("no-export-subconfed"),
        0xFFFF_FF04 => out.push_str("no-peer"),
        0xFFFF_029A => out.push_str("blackhole"),
        _ => {
            let _ = write!(out, "{}:{}", c >> 16, c & 0xffff);
        }
    }
}

/// ExaBGP's markers for RFC 7606 errors, shown as attributes after every real one:
/// `discard` (an attribute was dropped) then `treat-as-withdraw [due to NAME]`. `decode` leaves
/// out the marker for what ExaBGP accepts (see `TreatAsWithdraw::exabgp_accepts`).
fn errors(u: &Update, dir: Direction) -> impl Iterator<Item = std::borrow::Cow<'static, str>> {
    let discard = (!u.discarded.is_empty() || u.attributes.raw.iter().any(bgpls_discarded))
        .then_some("discard".into());
    let withdraw = u
        .treat_as_withdraw
        .filter(|t| !(dir == Direction::Decode && t.exabgp_accepts()))
        .map(|t| t.exabgp_text());
    discard.into_iter().chain(withdraw)
}

/// A BGP-LS attribute (29) ExaBGP would discard as malformed (it is kept raw by the codec,
/// which does not read its TLVs): not shown, and the `discard` marker is.
fn bgpls_discarded(r: &RawAttribute) -> bool {
    r.code == 29 && super::bgpls_attr::malformed(&r.value)
}

/// The attributes of an UPDATE as shown: an undefined ORIGIN value (which withdrew the routes)
/// still shows, as ExaBGP's `invalid`; a BGP-LS attribute ExaBGP would discard does not.
fn update_items(u: &Update) -> Vec<Item<'_>> {
    let mut v = items(&u.attributes);
    v.retain(|i| !matches!(i, Item::Raw(r) if bgpls_discarded(r)));
    let invalid_origin = u
        .treat_as_withdraw
        .is_some_and(|t| t.cause == WithdrawCause::OriginValue && t.code == Some(code::ORIGIN));
    if invalid_origin && u.attributes.origin.is_none() {
        v.insert(0, Item::OriginInvalid);
    }
    v
}

/// The JSON `attribute` content of an UPDATE: its attributes and any RFC 7606 error marker.
pub fn update_json(out: &mut String, u: &Update, dir: Direction) {
    let received = dir != Direction::Send;
    let start = out.len();
    for (i, item) in update_items(u).iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        json_item(out, item, received);
    }
    for e in errors(u, dir) {
        if out.len() > start {
            out.push_str(", ");
        }
        let _ = write!(out, "\"error\": \"{e}\"");
    }
}

/// The text attribute suffix of an UPDATE, error markers included.
pub fn update_text(out: &mut String, u: &Update, dir: Direction) {
    let received = dir != Direction::Send;
    for item in update_items(u) {
        out.push(' ');
        text_item(out, &item, received);
    }
    for e in errors(u, dir) {
        let _ = write!(out, " error {e}");
    }
}

/// The flags shown for a generic attribute. ExaBGP sets the Partial bit on every unknown
/// transitive attribute it receives (RFC 4271 §5: it is passed on unrecognised), so a received
/// one is shown with it, whatever the flags on the wire.
fn shown_flags(r: &RawAttribute, received: bool) -> u8 {
    if received && r.flags & 0x40 != 0 {
        r.flags | 0x20
    } else {
        r.flags
    }
}

/// Append the content of the JSON `attribute` object (without braces): `"origin": "igp", ...`.
/// Nothing is appended when no attribute is shown. `received`: the UPDATE came from the peer.
pub fn json(out: &mut String, a: &Attributes, received: bool) {
    for (i, item) in items(a).into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        json_item(out, &item, received);
    }
}

/// `( 1 2 ) [ 3 4 ]`: ExaBGP's text for a path.
fn path_text(out: &mut String, p: &AsPath) {
    join(out, &p.segments, " ", |out, seg| {
        let (head, tail) = segment_brackets(seg.kind);
        out.push_str(head);
        out.push(' ');
        join(out, &seg.asns, " ", |out, asn| {
            let _ = write!(out, "{asn}");
        });
        out.push(' ');
        out.push_str(tail);
    });
}

fn json_item(out: &mut String, item: &Item<'_>, received: bool) {
    match item {
        Item::Origin(o) => {
            let _ = write!(out, "\"origin\": \"{}\"", origin_name(*o));
        }
        Item::OriginInvalid => out.push_str("\"origin\": \"invalid\""),
        Item::AsPath(p) => {
            // Python's json.dumps of {position: {element, value}}: ", " and ": " separators.
            out.push_str("\"as-path\": {");
            for (pos, seg) in p.segments.iter().enumerate() {
                if pos > 0 {
                    out.push_str(", ");
                }
                let _ = write!(
                    out,
                    "\"{pos}\": {{\"element\": \"{}\", \"value\": [",
                    segment_name(seg.kind)
                );
                join(out, &seg.asns, ", ", |out, asn| push_u32(out, *asn));
                out.push_str("]}");
            }
            out.push('}');
        }
        Item::Med(m) => {
            out.push_str("\"med\": ");
            push_u32(out, *m);
        }
        Item::LocalPref(l) => {
            out.push_str("\"local-preference\": ");
            push_u32(out, *l);
        }
        Item::AtomicAggregate => out.push_str("\"atomic-aggregate\": true"),
        Item::Aggregator(g) => {
            let _ = write!(out, "\"aggregator\": \"{}:{}\"", g.asn, g.id);
        }
        Item::Communities(cs) => {
            out.push_str("\"community\": [ ");
            join(out, cs, ", ", |out, c| {
                out.push_str("[ ");
                push_u32(out, c >> 16);
                out.push_str(", ");
                push_u32(out, c & 0xffff);
                out.push_str(" ]");
            });
            out.push_str(" ]");
        }
        Item::OriginatorId(o) => {
            let _ = write!(out, "\"originator-id\": \"{o}\"");
        }
        Item::ClusterList(ids) => {
            out.push_str("\"cluster-list\": [ ");
            join(out, ids, ", ", |out, id| {
                let _ = write!(out, "\"{id}\"");
            });
            out.push_str(" ]");
        }
        Item::Extended(cs) => {
            out.push_str("\"extended-community\": [ ");
            join(out, cs, ", ", extcomm::json);
            out.push_str(" ]");
        }
        Item::Aigp(m) => {
            // ExaBGP quotes AIGP: its `0x...` rendering is not a JSON number.
            out.push_str("\"aigp\": \"");
            hex_lower(out, &m.to_be_bytes());
            out.push('"');
        }
        Item::Large(ls) => {
            out.push_str("\"large-community\": [ ");
            join(out, ls, ", ", |out, [g, l1, l2]| {
                let _ = write!(out, "[ {g}, {l1} , {l2} ]");
            });
            out.push_str(" ]");
        }
        Item::Raw(r)
            if r.code == prefix_sid::CODE && super::prefix_sid::json(out, &r.value).is_some() => {}
        Item::Raw(r)
            if r.code == 25 && super::flow::ipv6_extended_json(out, &r.value).is_some() => {}
        // The BGP-LS attribute (29) in ExaBGP's form when every TLV is one we render.
        Item::Raw(r) if r.code == 29 && super::bgpls_attr::json(out, &r.value) => {}
        // An AS4_PATH left unmerged (no AS_PATH): ExaBGP shows it generically, with its
        // defined flags and the path as text.
        Item::Raw(r) if r.code == code::AS4_PATH => {
            let mut text = String::new();
            if let Some(p) = as4_path(&r.value) {
                path_text(&mut text, &p);
            }
            out.push_str("\"attribute-0x11-0xC0\": ");
            json_str(out, &text);
        }
        // An AS4_AGGREGATOR left alone (no AGGREGATOR): ExaBGP calls it `aggregator` too.
        Item::Raw(r) if r.code == code::AS4_AGGREGATOR && r.value.len() == 8 => {
            let asn = r
                .value
                .iter()
                .take(4)
                .fold(0u32, |a, b| a << 8 | u32::from(*b));
            let id: Vec<String> = r.value.iter().skip(4).map(u8::to_string).collect();
            let _ = write!(out, "\"aggregator\": \"{asn}:{}\"", id.join("."));
        }
        // PMSI tunnel (22) in ExaBGP's `pmsi:...` form when it has its 5-byte header.
        Item::Raw(r) if r.code == 22 && super::pmsi::json(out, &r.value) => {}
        Item::Raw(r) => {
            let _ = write!(
                out,
                "\"attribute-0x{:02X}-0x{:02X}\": ",
                r.code,
                shown_flags(r, received)
            );
            let mut v = String::new();
            hex_lower(&mut v, &r.value);
            json_str(out, &v);
        }
    }
}

/// Append the text encoder's attribute suffix: each attribute preceded by a space.
pub fn text(out: &mut String, a: &Attributes, received: bool) {
    for item in items(a) {
        out.push(' ');
        text_item(out, &item, received);
    }
}

/// `x` for one element, `[ x y ]` for several: how ExaBGP prints every list attribute.
fn text_list<T>(out: &mut String, v: &[T], mut each: impl FnMut(&mut String, &T)) {
    match v {
        [one] => each(out, one),
        _ => {
            out.push_str("[ ");
            join(out, v, " ", each);
            out.push_str(" ]");
        }
    }
}

fn text_item(out: &mut String, item: &Item<'_>, received: bool) {
    match item {
        Item::Origin(o) => {
            let _ = write!(out, "origin {}", origin_name(*o));
        }
        Item::OriginInvalid => out.push_str("origin invalid"),
        Item::AsPath(p) => {
            out.push_str("as-path ");
            path_text(out, p);
        }
        Item::Med(m) => {
            let _ = write!(out, "med {m}");
        }
        Item::LocalPref(l) => {
            let _ = write!(out, "local-preference {l}");
        }
        Item::AtomicAggregate => out.push_str("atomic-aggregate"),
        Item::Aggregator(g) => {
            let _ = write!(out, "aggregator ( {}:{} )", g.asn, g.id);
        }
        Item::Communities(cs) => {
            out.push_str("community ");
            text_list(out, cs, |out, c| community_text(out, *c));
        }
        Item::OriginatorId(o) => {
            let _ = write!(out, "originator-id {o}");
        }
        Item::ClusterList(ids) => {
            out.push_str("cluster-list ");
            text_list(out, ids, |out, id| {
                let _ = write!(out, "{id}");
            });
        }
        Item::Extended(cs) => {
            out.push_str("extended-community ");
            text_list(out, cs, extcomm::text);
        }
        Item::Aigp(m) => {
            out.push_str("aigp ");
            hex_lower(out, &m.to_be_bytes());
        }
        Item::Large(ls) => {
            out.push_str("large-community ");
            text_list(out, ls, |out, [g, l1, l2]| {
                let _ = write!(out, "{g}:{l1}:{l2}");
            });
        }
        Item::Raw(r)
            if r.code == prefix_sid::CODE && super::prefix_sid::text(out, &r.value).is_some() => {}
        Item::Raw(r) => {
            let _ = write!(
                out,
                "attribute [ 0x{:02X} 0x{:02X} ",
                r.code,
                shown_flags(r, received)
            );
            hex_lower(out, &r.value);
            out.push_str(" ]");
        }
    }
}

pub(crate) fn join<T>(out: &mut String, v: &[T], sep: &str, mut each: impl FnMut(&mut String, &T)) {
    for (i, x) in v.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        each(out, x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::attribute::{Segment, TreatAsWithdraw};

    pub(crate) fn every() -> Attributes {
        Attributes {
            origin: Some(Origin::Egp),
            as_path: Some(AsPath {
                segments: vec![
                    Segment {
                        kind: SegmentKind::Sequence,
                        asns: vec![1, 2],
                    },
                    Segment {
                        kind: SegmentKind::Set,
                        asns: vec![3, 4],
                    },
                    Segment {
                        kind: SegmentKind::ConfedSequence,
                        asns: vec![65001],
                    },
                    Segment {
                        kind: SegmentKind::ConfedSet,
                        asns: vec![65002, 65003],
                    },
                ],
            }),
            next_hop: None,
            med: Some(100),
            local_pref: Some(200),
            atomic_aggregate: true,
            aggregator: Some(Aggregator {
                asn: 65000,
                id: Ipv4Addr::new(1, 2, 3, 4),
            }),
            communities: vec![0x0002_0003, 0x0001_0001, 0xFFFF_FF01, 0xFFFF_029A],
            originator_id: Some(Ipv4Addr::new(10, 0, 0, 9)),
            cluster_list: vec![Ipv4Addr::new(10, 0, 0, 10), Ipv4Addr::new(10, 0, 0, 11)],
            extended_communities: vec![
                [0x80, 0x09, 0, 0, 0, 0, 0, 0x2e],
                [0, 2, 0xfd, 0xe8, 0, 0, 0, 100],
            ],
            large_communities: vec![[65000, 2, 3], [1, 2, 3]],
            aigp: Some(10),
            raw: vec![
                RawAttribute {
                    flags: 0xF0,
                    code: 0xF1,
                    value: vec![0x0a, 0x0b, 0x0c],
                },
                RawAttribute {
                    flags: 0xE0,
                    code: 0xF0,
                    value: vec![1, 2],
                },
            ],
        }
    }

    #[test]
    fn json_in_code_order_with_exabgp_spacing() {
        let mut out = String::new();
        json(&mut out, &every(), false);
        assert_eq!(
            out,
            concat!(
                r#""origin": "egp", "as-path": {"0": {"element": "as-sequence", "value": [1, 2]}, "#,
                r#""1": {"element": "as-set", "value": [3, 4]}, "2": {"element": "as-sequence", "value": [65001]}, "#,
                r#""3": {"element": "as-sequence", "value": [65002, 65003]}}, "med": 100, "local-preference": 200, "#,
                r#""atomic-aggregate": true, "aggregator": "65000:1.2.3.4", "#,
                r#""community": [ [ 1, 1 ], [ 2, 3 ], [ 65535, 666 ], [ 65535, 65281 ] ], "#,
                r#""originator-id": "10.0.0.9", "cluster-list": [ "10.0.0.10", "10.0.0.11" ], "#,
                r#""extended-community": [ { "value": 842122827661412, "string": "target:65000:100" }, "#,
                r#"{ "value": 9225905311645171758, "string": "mark 46" } ], "aigp": "0x000000000000000a", "#,
                r#""large-community": [ [ 1, 2 , 3 ], [ 65000, 2 , 3 ] ], "#,
                r#""attribute-0xF0-0xE0": "0x0102", "attribute-0xF1-0xF0": "0x0a0b0c""#,
            )
        );
        let parsed: serde_json::Value = serde_json::from_str(&format!("{{ {out} }}")).unwrap();
        assert_eq!(parsed["med"], 100);
    }

    #[test]
    fn text_brackets_and_single_values() {
        let mut out = String::new();
        text(&mut out, &every(), false);
        assert_eq!(
            out,
            concat!(
                " origin egp as-path ( 1 2 ) [ 3 4 ] {( 65001 )} {[ 65002 65003 ]} med 100 local-preference 200",
                " atomic-aggregate aggregator ( 65000:1.2.3.4 ) community [ 1:1 2:3 blackhole no-export ]",
                " originator-id 10.0.0.9 cluster-list [ 10.0.0.10 10.0.0.11 ]",
                " extended-community [ target:65000:100 mark 46 ] aigp 0x000000000000000a",
                " large-community [ 1:2:3 65000:2:3 ] attribute [ 0xF0 0xE0 0x0102 ] attribute [ 0xF1 0xF0 0x0a0b0c ]",
            )
        );
        let single = Attributes {
            origin: Some(Origin::Igp),
            communities: vec![0x0001_0002],
            cluster_list: vec![Ipv4Addr::new(1, 1, 1, 1)],
            ..Attributes::default()
        };
        let mut out = String::new();
        text(&mut out, &single, false);
        assert_eq!(out, " origin igp community 1:2 cluster-list 1.1.1.1");
    }

    #[test]
    fn received_unknown_transitive_attributes_show_the_partial_bit() {
        let a = Attributes {
            raw: vec![
                RawAttribute {
                    flags: 0xC0,
                    code: 0xF0,
                    value: vec![1],
                },
                RawAttribute {
                    flags: 0x80,
                    code: 0xF1,
                    value: vec![2],
                },
            ],
            ..Attributes::default()
        };
        let mut out = String::new();
        json(&mut out, &a, true);
        assert_eq!(
            out,
            r#""attribute-0xF0-0xE0": "0x01", "attribute-0xF1-0x80": "0x02""#
        );
        let mut t = String::new();
        text(&mut t, &a, false);
        assert_eq!(
            t,
            " attribute [ 0xF0 0xC0 0x01 ] attribute [ 0xF1 0x80 0x02 ]"
        );
    }

    /// As `exabgp decode` shows a malformed MED (treat-as-withdraw) or AGGREGATOR (discard).
    #[test]
    fn rfc7606_markers_follow_the_attributes() {
        let u = Update {
            attributes: Attributes {
                origin: Some(Origin::Igp),
                ..Attributes::default()
            },
            treat_as_withdraw: Some(TreatAsWithdraw {
                code: Some(4),
                cause: WithdrawCause::Malformed,
            }),
            discarded: vec![7],
            ..Update::default()
        };
        let mut out = String::new();
        update_json(&mut out, &u, Direction::Receive);
        assert_eq!(
            out,
            r#""origin": "igp", "error": "discard", "error": "treat-as-withdraw""#
        );
        let mut t = String::new();
        update_text(&mut t, &u, Direction::Receive);
        assert_eq!(t, " origin igp error discard error treat-as-withdraw");
        let mut only = String::new();
        update_json(
            &mut only,
            &Update {
                treat_as_withdraw: Some(TreatAsWithdraw {
                    code: Some(29),
                    cause: WithdrawCause::Empty,
                }),
                ..Update::default()
            },
            Direction::Decode,
        );
        assert_eq!(only, r#""error": "treat-as-withdraw due to bgp-ls""#);
    }

    /// ExaBGP keeps the routes of an UPDATE whose ORIGIN is undefined and shows it `invalid`;
    /// `decode` shows the same, the session (RFC 7606) withdraws and says so.
    #[test]
    fn undefined_origin_is_shown_invalid() {
        let u = Update {
            treat_as_withdraw: Some(TreatAsWithdraw {
                code: Some(1),
                cause: WithdrawCause::OriginValue,
            }),
            ..Update::default()
        };
        let mut out = String::new();
        update_json(&mut out, &u, Direction::Decode);
        assert_eq!(out, r#""origin": "invalid""#);
        out.clear();
        update_json(&mut out, &u, Direction::Receive);
        assert_eq!(out, r#""origin": "invalid", "error": "treat-as-withdraw""#);
        out.clear();
        update_text(&mut out, &u, Direction::Receive);
        assert_eq!(out, " origin invalid error treat-as-withdraw");
    }

    #[test]
    fn nothing_shown_for_empty_attributes() {
        let mut out = String::new();
        json(&mut out, &Attributes::default(), false);
        text(
            &mut out,
            &Attributes {
                as_path: Some(AsPath::default()),
                ..Attributes::default()
            },
            false,
        );
        assert_eq!(out, "");
    }
}
