//! UPDATE decoding as ExaBGP 5.0 reads it: which attribute caused a treat-as-withdraw
//! (RFC 7606), AS4_* merging (RFC 6793 §4.2.3) and the next hops of MP_REACH (RFC 4760).

use std::net::IpAddr;

use super::Update;
use crate::bgp::attribute::{code, AsPath, NextHop, WithdrawCause};
use crate::bgp::iana::Family;
use crate::bgp::negotiated::Negotiated;
use crate::bgp::testutil::{session, unhex};

/// An UPDATE body: no withdrawn routes, these attributes, this NLRI field (hex).
fn body(attrs: &str, nlri: &str) -> Vec<u8> {
    let a = unhex(attrs);
    let mut b = vec![0, 0];
    b.extend_from_slice(&(a.len() as u16).to_be_bytes());
    b.extend_from_slice(&a);
    b.extend_from_slice(&unhex(nlri));
    b
}

const ORIGIN: &str = "40010100";
const PATH: &str = "400200";
const NEXT_HOP: &str = "400304C0000201";
const NLRI: &str = "180A0000";

fn decode(attrs: &str, neg: &Negotiated) -> Update {
    Update::decode(&body(attrs, NLRI), neg).unwrap()
}

#[test]
fn treat_as_withdraw_names_the_attribute() {
    let neg = session(1, 1, "127.0.0.1");
    // (attributes, code, cause, ExaBGP's marker)
    let cases = [
        (
            format!("400100 {PATH} {NEXT_HOP}"),
            Some(code::ORIGIN),
            WithdrawCause::Empty,
            "treat-as-withdraw due to origin",
        ),
        (
            format!("{ORIGIN} {PATH} {NEXT_HOP} 500500"),
            Some(code::LOCAL_PREF),
            WithdrawCause::HeaderCut,
            "treat-as-withdraw due to local-preference",
        ),
        (
            format!("{ORIGIN} {PATH} {NEXT_HOP} 40050900"),
            Some(code::LOCAL_PREF),
            WithdrawCause::Overrun,
            "treat-as-withdraw",
        ),
        (
            format!("{ORIGIN} {PATH} {NEXT_HOP} 40"),
            None,
            WithdrawCause::HeaderCut,
            "treat-as-withdraw",
        ),
        (
            format!("{ORIGIN} {PATH} {NEXT_HOP} 800403000001"),
            Some(code::MED),
            WithdrawCause::Malformed,
            "treat-as-withdraw",
        ),
        (
            format!("4001020000 {PATH} {NEXT_HOP}"),
            Some(code::ORIGIN),
            WithdrawCause::OriginLength,
            "treat-as-withdraw",
        ),
        // The first malformed attribute is the one named, as ExaBGP keeps the first.
        (
            format!("400100 {PATH} {NEXT_HOP} 800403000001"),
            Some(code::ORIGIN),
            WithdrawCause::Empty,
            "treat-as-withdraw due to origin",
        ),
        // An empty BGP-LS attribute (optional, non-transitive), as ExaBGP treats it.
        (
            format!("{ORIGIN} {PATH} {NEXT_HOP} 801D00"),
            Some(29),
            WithdrawCause::Empty,
            "treat-as-withdraw due to bgp-ls",
        ),
    ];
    for (attrs, code, cause, text) in cases {
        let u = decode(&attrs, &neg);
        let t = u
            .treat_as_withdraw
            .unwrap_or_else(|| panic!("{attrs}: kept"));
        assert_eq!((t.code, t.cause), (code, cause), "{attrs}");
        assert_eq!(t.exabgp_text(), text, "{attrs}");
        assert!(u.announced.is_empty() && u.withdrawn.len() == 1, "{attrs}");
    }
    let cut = decode(&format!("{ORIGIN} {PATH} {NEXT_HOP} 500500"), &neg);
    assert_eq!(
        cut.treat_as_withdraw.unwrap().to_string(),
        "the local-preference attribute length is cut"
    );
    assert!(decode(&format!("{ORIGIN} {PATH} {NEXT_HOP}"), &neg)
        .treat_as_withdraw
        .is_none());
}

#[test]
fn as4_attributes_merge_on_every_session_as_exabgp_does() {
    let mut neg = session(1, 1, "127.0.0.1");
    neg.asn4 = true;
    // AS_PATH [23456] (4-byte), AS4_PATH [4200000001].
    let path = "40020602010000 5BA0 C011060201FA56EA01";
    let u = decode(&format!("{ORIGIN} {path} {NEXT_HOP}"), &neg);
    assert_eq!(
        u.attributes.as_path,
        Some(AsPath::sequence(vec![4_200_000_001]))
    );
    // An AGGREGATOR naming a real AS voids both AS4_ attributes.
    let agg = "C007080000FDE8C0000205 C01208FA56EA00C0000206";
    let u = decode(&format!("{ORIGIN} {path} {NEXT_HOP} {agg}"), &neg);
    assert_eq!(u.attributes.as_path, Some(AsPath::sequence(vec![23456])));
    assert_eq!(u.attributes.aggregator.map(|a| a.asn), Some(65000));
    // AGGREGATOR AS_TRANS: the AS4_AGGREGATOR takes its place.
    let agg = "C0070800005BA0C0000205 C01208FA56EA00C0000206";
    let u = decode(&format!("{ORIGIN} {path} {NEXT_HOP} {agg}"), &neg);
    let a = u.attributes.aggregator.unwrap();
    assert_eq!(
        (a.asn, a.id.to_string()),
        (4_200_000_000, "192.0.2.6".into())
    );
    // Left alone (no AGGREGATOR, no AS_PATH), both are kept as received, as ExaBGP keeps
    // them; its confederation segments are dropped from the merge (RFC 6793 §6).
    let alone = "C01208FA56EA00C0000206 C011060201FA56EA01";
    let u = decode(&format!("{ORIGIN} {NEXT_HOP} {alone}"), &neg);
    let kept: Vec<u8> = u.attributes.raw.iter().map(|r| r.code).collect();
    assert_eq!((kept, u.attributes.aggregator), (vec![18, 17], None));
    let confed = "C0110C0301000000090201FA56EA01";
    let u = decode(
        &format!("{ORIGIN} 40020A0202000000010000 5BA0 {confed} {NEXT_HOP}"),
        &neg,
    );
    assert_eq!(
        u.attributes.as_path,
        Some(AsPath::sequence(vec![1, 4_200_000_001]))
    );
    // 2-byte session: the leading part of the AS_PATH, then the AS4_PATH, one sequence.
    neg.asn4 = false;
    let u = decode(
        &format!("{ORIGIN} 400208020300010002 5BA0 C011060201FA56EA01 {NEXT_HOP}"),
        &neg,
    );
    assert_eq!(
        u.attributes.as_path,
        Some(AsPath::sequence(vec![1, 2, 4_200_000_001]))
    );
}

#[test]
fn routes_keep_their_own_next_hops_for_display() {
    let neg = Negotiated {
        families: vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST],
        ..session(1, 1, "127.0.0.1")
    };
    // IPv6 unicast, next hop 2001:db8::1 and its link-local fe80::1.
    let v6 = "800E2C0002012020010DB8000000000000000000000001FE800000000000000000000000000001003020010DB80005";
    let u = Update::decode(&body(&format!("{ORIGIN} {PATH} {v6}"), ""), &neg).unwrap();
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    assert_eq!(
        u.attributes.next_hop,
        Some(NextHop::Addr(ip("2001:db8::1")))
    );
    assert_eq!(
        u.shown_next_hops.link_local,
        Some("fe80::1".parse().unwrap())
    );
    assert_eq!(u.shown_next_hops.native, 0);
    // NEXT_HOP 192.0.2.1 for the NLRI field, MP_REACH 192.0.2.9 for its own route.
    let mp = "800E0C00010104C000020900100A0A";
    let u = Update::decode(
        &body(&format!("{ORIGIN} {PATH} {NEXT_HOP} {mp}"), "100A0B"),
        &neg,
    )
    .unwrap();
    assert_eq!(u.attributes.next_hop, Some(NextHop::Addr(ip("192.0.2.9"))));
    assert_eq!(u.shown_next_hops.native_next_hop, Some(ip("192.0.2.1")));
    assert_eq!((u.shown_next_hops.native, u.announced.len()), (1, 2));
}

#[test]
fn mp_reach_next_hop_lengths_per_family() {
    let mut neg = session(1, 1, "127.0.0.1");
    // IPv4 unicast with a 16-byte next hop: only with RFC 8950.
    let mp = "800E180001011020010DB800000000000000000000000100100A0C";
    let attrs = format!("{ORIGIN} {PATH} {mp}");
    let e = Update::decode(&body(&attrs, ""), &neg).unwrap_err();
    assert_eq!((e.notify.code, e.notify.subcode), (3, 9));
    neg.extended_nexthop
        .insert(Family::IPV4_UNICAST, vec![crate::bgp::iana::Afi::IPV6.0]);
    assert!(Update::decode(&body(&attrs, ""), &neg).is_ok());
    // IPv6 unicast with a 5-byte next hop: never.
    let mp = "800E0F0002010520010DB800002020010DB8";
    let e = Update::decode(&body(&format!("{ORIGIN} {PATH} {mp}"), ""), &neg).unwrap_err();
    assert_eq!((e.notify.code, e.notify.subcode), (3, 9));
}

/// A received AS4_PATH kept as it came (no AS_PATH) is not sent beside the AS4_PATH the
/// encoder writes for a 4-byte local AS on a 2-byte session.
#[test]
fn kept_as4_path_gives_way_to_our_own() {
    let mut neg = session(4_200_000_000, 65001, "127.0.0.1");
    neg.asn4 = false;
    let u = decode(&format!("{ORIGIN} {NEXT_HOP} C011060201FA56EA01"), &neg);
    assert_eq!(u.attributes.raw.len(), 1);
    let mut out = Vec::new();
    crate::bgp::attribute::encode::encode_attributes(&u.attributes, None, &neg, &mut out).unwrap();
    let mut codes = Vec::new();
    let mut rest = out.as_slice();
    while let [flags, code, tail @ ..] = rest {
        let (len, skip) = if flags & 0x10 != 0 {
            (usize::from(u16::from_be_bytes([tail[0], tail[1]])), 2)
        } else {
            (usize::from(tail[0]), 1)
        };
        codes.push(*code);
        rest = &tail[skip + len..];
    }
    assert_eq!(
        codes.iter().filter(|c| **c == code::AS4_PATH).count(),
        1,
        "{codes:?}"
    );
}
