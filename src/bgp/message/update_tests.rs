//! UPDATE fixtures: routes built by hand encode to the bytes ExaBGP 5.0 sends for them, and
//! decode back.

use std::net::{IpAddr, Ipv4Addr};

use super::update::{encode_announce, encode_eor, encode_withdraw};
use super::{Message, Update};
use crate::bgp::attribute::{
    code, Aggregator, AsPath, Attributes, NextHop, RawAttribute, WithdrawCause,
};
use crate::bgp::capability::AddPathMode;
use crate::bgp::iana::Family;
use crate::bgp::negotiated::Negotiated;
use crate::bgp::nlri::Nlri;
use crate::bgp::testutil::{messages, robust, session, unhex};

fn inet(p: &str) -> Nlri {
    let prefix: crate::bgp::Prefix = p.parse().unwrap();
    let family = if prefix.is_v4() {
        Family::IPV4_UNICAST
    } else {
        Family::IPV6_UNICAST
    };
    Nlri::Inet {
        family,
        prefix,
        path_id: None,
    }
}

fn nh(a: &str) -> Option<NextHop> {
    Some(NextHop::Addr(a.parse().unwrap()))
}

fn announce(family: Family, attrs: &Attributes, nlris: &[Nlri], neg: &Negotiated) -> Vec<String> {
    let mut out = Vec::new();
    let n = encode_announce(&mut out, family, attrs, nlris, neg).unwrap();
    let v = messages(&out);
    assert_eq!(v.len(), n);
    v
}

/// Decode an UPDATE fixture, check it re-encodes identically, and shake it.
fn decodes(fixture: &str, neg: &Negotiated) -> Update {
    let bytes = unhex(fixture);
    let Message::Update(u) = Message::decode(2, &bytes[19..], neg).unwrap() else {
        panic!("not an update")
    };
    let mut again = Vec::new();
    Message::Update(u.clone()).encode(neg, &mut again).unwrap();
    assert_eq!(messages(&again), [fixture.to_string()], "re-encoding {u:?}");
    robust(&bytes, neg);
    u
}

#[test]
fn ibgp_defaults_origin_empty_path_local_pref() {
    // conf-ipself4: next-hop self on an IPv4 session.
    let neg = session(12345, 12345, "127.0.0.1");
    let attrs = Attributes {
        next_hop: Some(NextHop::SelfAddr),
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0031:02:00000015400101004002004003047F00000140050400000064200A000000";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.0.0/32")], &neg),
        [want]
    );
}

#[test]
fn ebgp_prepends_local_as_and_drops_local_pref() {
    // conf-ebgp: local-preference 200 is not sent to an eBGP peer.
    let neg = session(65533, 65000, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("10.0.1.254"),
        local_pref: Some(200),
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:002F:02:000000144001010040020602010000FFFD4003040A0001FE180A0000";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.0.0/24")], &neg),
        [want]
    );
}

#[test]
fn two_byte_session_writes_as_trans_and_as4_attributes() {
    // As ExaBGP 5.0.15 sends `as-path [ 70000 65534 ] aggregator ( 70000:1.2.3.4 )` and more
    // to an eBGP peer without the 4-octet AS capability.
    let mut neg = session(65533, 65534, "127.0.0.1");
    neg.asn4 = false;
    let attrs = Attributes {
        next_hop: Some(NextHop::SelfAddr),
        as_path: Some(AsPath::sequence(vec![70000, 65534])),
        aggregator: Some(Aggregator {
            asn: 70000,
            id: Ipv4Addr::new(1, 2, 3, 4),
        }),
        local_pref: Some(300),
        med: Some(5),
        originator_id: Some(Ipv4Addr::new(1, 1, 1, 1)),
        cluster_list: vec![Ipv4Addr::new(2, 2, 2, 2), Ipv4Addr::new(3, 3, 3, 3)],
        large_communities: vec![[1, 2, 3]],
        communities: vec![0x0001_0002, 0xFFFF_FF01],
        extended_communities: vec![[0, 2, 0, 1, 0, 0, 0, 2]],
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:008C:02:000000734001010040020602025BA0FFFEC0110A0202000111700000FFFE4003047F00000180040400000005C007065BA001020304C012080001117001020304C0080800010002FFFFFF0180090401010101800A080202020203030303C010080002000100000002C0200C000000010000000200000003080A";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.0.0/8")], &neg),
        [want]
    );
    let u = decodes(want, &neg);
    assert_eq!(u.attributes.as_path, attrs.as_path, "AS4_PATH merged back");
    assert_eq!(
        u.attributes.aggregator, attrs.aggregator,
        "AS4_AGGREGATOR merged back"
    );
}

#[test]
fn no_asn4_two_byte_path_has_no_as4_path() {
    // conf-no-asn4.
    let mut neg = session(65533, 65533, "127.0.0.1");
    neg.asn4 = false;
    let attrs = Attributes {
        next_hop: nh("10.0.255.254"),
        as_path: Some(AsPath::sequence(vec![100])),
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0034:02:0000001940010100400204020100644003040A00FFFE40050400000064180A0001";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.1.0/24")], &neg),
        [want]
    );
    decodes(want, &neg);
}

#[test]
fn aggregator_and_atomic_aggregate() {
    // conf-aggregator.
    let neg = session(65533, 65533, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("192.168.1.254"),
        as_path: Some(AsPath::sequence(vec![57821, 6939])),
        atomic_aggregate: true,
        aggregator: Some(Aggregator {
            asn: 18144,
            id: Ipv4Addr::new(219, 118, 225, 189),
        }),
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0048:02:0000002D4001010040020A02020000E1DD00001B1B400304C0A801FE40050400000064400600C00708000046E0DB76E1BD12010040";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("1.0.64.0/18")], &neg),
        [want]
    );
    decodes(want, &neg);
}

#[test]
fn generic_attributes_keep_flags_and_sort_by_code() {
    // conf-generic-attribute and conf-attributes.
    let neg = session(65533, 65533, "127.0.0.1");
    let raw = |flags, code, value: &str| RawAttribute {
        flags,
        code,
        value: unhex(value),
    };
    let mut attrs = Attributes {
        next_hop: nh("192.168.1.100"),
        ..Attributes::default()
    };
    attrs.raw = vec![raw(0x60, 0x99, "00000064")];
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0038:02:0000001C40010100400200400304C0A8016440050400000064609904000000642065656565";
    assert_eq!(
        announce(
            Family::IPV4_UNICAST,
            &attrs,
            &[inet("101.101.101.101/32")],
            &neg
        ),
        [want]
    );
    decodes(want, &neg);
    attrs.raw = vec![raw(0x70, 0x99, "00000064")];
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0039:02:0000001D40010100400200400304C0A80164400504000000647099000400000064206F6F6F6F";
    assert_eq!(
        announce(
            Family::IPV4_UNICAST,
            &attrs,
            &[inet("111.111.111.111/32")],
            &neg
        ),
        [want]
    );

    let neg = session(1, 1, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("255.255.255.255"),
        raw: vec![raw(
            0xc0,
            0x20,
            "0000000100000002000000030000000A0000000B0000000C",
        )],
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:004C:02:0000003040010100400200400304FFFFFFFF40050400000064C020180000000100000002000000030000000A0000000B0000000C200A000007";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.0.7/32")], &neg),
        [want]
    );
}

#[test]
fn communities_and_several_prefixes_share_one_update() {
    // conf-new-v4 (group-updates on) and conf-largecommunity.
    let neg = session(65533, 65533, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("10.0.255.254"),
        communities: vec![0x7814_7814],
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:003B:02:0000001C400101004002004003040A00FFFE40050400000064C0080478147814180A0002180A0006";
    assert_eq!(
        announce(
            Family::IPV4_UNICAST,
            &attrs,
            &[inet("10.0.2.0/24"), inet("10.0.6.0/24")],
            &neg
        ),
        [want]
    );
    decodes(want, &neg);

    let neg = session(65000, 65000, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("192.0.2.1"),
        large_communities: vec![[2914, 0, 666], [2914, 3320, 123]],
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:004C:02:0000003040010100400200400304C000020140050400000064C0201800000B62000000000000029A00000B6200000CF80000007B200808080A";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("8.8.8.10/32")], &neg),
        [want]
    );
    decodes(want, &neg);
}

#[test]
fn med_and_extended_communities() {
    // conf-split (one of the /24s) and conf-extended-attributes.
    let neg = session(65533, 65533, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("192.0.2.1"),
        med: Some(200),
        communities: vec![(174 << 16) | 666],
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:003E:02:0000002340010100400200400304C0000201800404000000C840050400000064C0080400AE029A18AC0A00";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("172.10.0.0/24")], &neg),
        [want]
    );
    decodes(want, &neg);

    let neg = session(1, 1, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("15.15.15.1"),
        extended_communities: vec![[0, 3, 0, 100, 0, 0, 3, 0xe8]],
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:003C:02:00000020400101004002004003040F0F0F0140050400000064C0100800030064000003E8200A000001";
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.0.1/32")], &neg),
        [want]
    );
    decodes(want, &neg);
}

#[test]
fn ipv6_goes_in_mp_reach_after_the_other_attributes() {
    // conf-ipv6grouping / conf-new-v6 and conf-ipself6.
    let neg = session(1, 1, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("2A02:B80:0:2::1"),
        communities: vec![0x7814_0000, 0x7814_7814],
        local_pref: Some(200),
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0059:02:0000004240010100400200400504000000C8C008087814000078147814800E26000201102A020B8000000002000000000000000100802A020B80000000010000000000000001";
    assert_eq!(
        announce(
            Family::IPV6_UNICAST,
            &attrs,
            &[inet("2A02:B80:0:1::1/128")],
            &neg
        ),
        [want]
    );
    decodes(want, &neg);

    let neg = session(12345, 12345, "::1");
    let attrs = Attributes {
        next_hop: Some(NextHop::SelfAddr),
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:004E:02:000000374001010040020040050400000064800E26000201100000000000000000000000000000000100802A046D80000000000000000000000001";
    assert_eq!(
        announce(
            Family::IPV6_UNICAST,
            &attrs,
            &[inet("2a04:6d80::1/128")],
            &neg
        ),
        [want]
    );
}

#[test]
fn extended_next_hop_both_ways() {
    // extended-nexthop: IPv4 route with an IPv6 next hop goes in MP_REACH; an IPv6 route with
    // an IPv4 next hop carries both NEXT_HOP and a 4-byte MP_REACH next hop.
    let mut neg = session(12345, 12345, "127.0.0.1");
    neg.extended_nexthop.insert(Family::IPV4_UNICAST, vec![2]);
    let attrs = Attributes {
        next_hop: nh("BAD:CAFE:BAD:CAFE:BAD:CAFE:BAD:CAFE"),
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0042:02:0000002B4001010040020040050400000064800E1A000101100BADCAFE0BADCAFE0BADCAFE0BADCAFE002099999999";
    assert_eq!(
        announce(
            Family::IPV4_UNICAST,
            &attrs,
            &[inet("153.153.153.153/32")],
            &neg
        ),
        [want]
    );
    decodes(want, &neg);
    let attrs = Attributes {
        next_hop: nh("170.170.170.170"),
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0049:02:0000003240010100400200400304AAAAAAAA40050400000064800E1A00020104AAAAAAAA0080DEADBEEFDEADBEEFDEADBEEFDEADBEEF";
    assert_eq!(
        announce(
            Family::IPV6_UNICAST,
            &attrs,
            &[inet("DEAD:BEEF:DEAD:BEEF:DEAD:BEEF:DEAD:BEEF/128")],
            &neg
        ),
        [want]
    );
}

#[test]
fn path_information_when_add_path_is_negotiated() {
    // conf-path-information.
    let mut neg = session(55219, 55219, "127.0.0.1");
    neg.addpath_send.push(Family::IPV4_UNICAST);
    neg.addpath_receive.push(Family::IPV4_UNICAST);
    let attrs = Attributes {
        next_hop: nh("10.10.1.1"),
        ..Attributes::default()
    };
    let n = Nlri::Inet {
        family: Family::IPV4_UNICAST,
        prefix: "10.0.0.10/32".parse().unwrap(),
        path_id: Some(1),
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0035:02:00000015400101004002004003040A0A010140050400000064000000012 00A00000A".replace(' ', "");
    assert_eq!(
        announce(Family::IPV4_UNICAST, &attrs, &[n], &neg),
        std::slice::from_ref(&want)
    );
    decodes(&want, &neg);
    let _ = AddPathMode::Both;
}

#[test]
fn end_of_rib_markers() {
    let mut out = Vec::new();
    encode_eor(&mut out, Family::IPV4_UNICAST);
    encode_eor(&mut out, Family::IPV6_UNICAST);
    let want = [
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001E:02:00000007900F0003000201",
    ];
    assert_eq!(messages(&out), want);
    let neg = Negotiated::default();
    assert_eq!(decodes(want[0], &neg).eor, Some(Family::IPV4_UNICAST));
    assert_eq!(decodes(want[1], &neg).eor, Some(Family::IPV6_UNICAST));
}

#[test]
fn withdrawals_native_and_mp() {
    let neg = session(1, 1, "127.0.0.1");
    let mut out = Vec::new();
    let v4 = [inet("10.0.0.0/8"), inet("10.1.0.0/16")];
    assert_eq!(
        encode_withdraw(&mut out, Family::IPV4_UNICAST, &v4, &neg).unwrap(),
        1
    );
    let v6 = [inet("2001:db8::/32")];
    assert_eq!(
        encode_withdraw(&mut out, Family::IPV6_UNICAST, &v6, &neg).unwrap(),
        1
    );
    let got = messages(&out);
    assert_eq!(
        got,
        [
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001C:02:0005080A100A010000",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0022:02:0000000B800F080002012020010DB8",
        ]
    );
    let u = decodes(&got[0], &neg);
    assert_eq!(u.withdrawn, v4);
    let u = decodes(&got[1], &neg);
    assert_eq!(u.withdrawn, v6);
}

#[test]
fn many_routes_fill_messages_up_to_the_limit() {
    for (max, ext) in [(4096usize, false), (65535, true)] {
        let mut neg = session(1, 1, "127.0.0.1");
        neg.max_message = max;
        for family in [Family::IPV4_UNICAST, Family::IPV6_UNICAST] {
            // An IPv6 route needs an IPv6 next hop to be read back (no RFC 8950 here).
            let attrs = Attributes {
                next_hop: nh(if family == Family::IPV4_UNICAST {
                    "192.0.2.1"
                } else {
                    "2001:db8::1"
                }),
                ..Attributes::default()
            };
            let nlris: Vec<Nlri> = (0..40_000u32)
                .map(|i| {
                    let p = if family == Family::IPV4_UNICAST {
                        format!("{}.{}.{}.0/24", 10 + (i >> 16), (i >> 8) & 255, i & 255)
                    } else {
                        format!("2001:db8:{:x}::/48", i)
                    };
                    Nlri::Inet {
                        family,
                        prefix: p.parse().unwrap(),
                        path_id: None,
                    }
                })
                .collect();
            let mut out = Vec::new();
            let n = encode_announce(&mut out, family, &attrs, &nlris, &neg).unwrap();
            let mut back = Vec::new();
            let mut rest = &out[..];
            for _ in 0..n {
                let (len, _) = super::parse_header(&rest[..19], max).unwrap();
                let Message::Update(u) = Message::decode(2, &rest[19..len], &neg).unwrap() else {
                    panic!()
                };
                back.extend(u.announced);
                rest = &rest[len..];
                // Every message but the last is full: one more NLRI would not have fitted.
                if !rest.is_empty() {
                    let per = if family == Family::IPV4_UNICAST { 4 } else { 7 };
                    assert!(
                        len + per > max,
                        "{len} bytes left room ({family}, ext {ext})"
                    );
                }
            }
            assert!(rest.is_empty());
            assert_eq!(back, nlris);
            let mut out2 = Vec::new();
            encode_withdraw(&mut out2, family, &nlris, &neg).unwrap();
            let _ = IpAddr::V4(Ipv4Addr::LOCALHOST);
        }
    }
}

#[test]
fn aigp_on_ibgp_only_unless_enabled() {
    let mut neg = session(1, 2, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("10.0.0.1"),
        aigp: Some(7),
        ..Attributes::default()
    };
    let ebgp = announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.0.0/8")], &neg);
    assert!(!ebgp[0].contains("801A0B01000B0000000000000007"));
    neg.aigp = true;
    let with = announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.0.0/8")], &neg);
    assert!(
        with[0].contains("801A0B01000B0000000000000007"),
        "{}",
        with[0]
    );
    let u = decodes(&with[0], &neg);
    assert_eq!(u.attributes.aigp, Some(7));
}

#[test]
fn long_as_path_uses_extended_length_and_splits_segments() {
    let neg = session(1, 1, "127.0.0.1");
    let attrs = Attributes {
        next_hop: nh("10.0.0.1"),
        as_path: Some(AsPath::sequence((1..=300).collect())),
        ..Attributes::default()
    };
    let v = announce(Family::IPV4_UNICAST, &attrs, &[inet("10.0.0.0/8")], &neg);
    // 255 + 45 ASNs in two segments: 2 + 1020 + 2 + 180 = 1204 = 0x04B4 bytes.
    assert!(v[0].contains("500204B402FF00000001"), "{}", v[0]);
    let b = unhex(&v[0]);
    let Message::Update(u) = Message::decode(2, &b[19..], &neg).unwrap() else {
        panic!()
    };
    assert_eq!(u.attributes.as_path.unwrap().asn_count(), 300);
}

#[test]
fn rfc7606_errors_withdraw_discard_or_reset() {
    let neg = session(1, 1, "127.0.0.1");
    let base = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0031:02:00000015400101004002004003047F00000140050400000064200A000000";
    let mut b = unhex(base);
    // §7.1: ORIGIN value 5 -> treat-as-withdraw.
    b[26] = 5;
    let Message::Update(u) = Message::decode(2, &b[19..], &neg).unwrap() else {
        panic!()
    };
    let origin = u.treat_as_withdraw.expect("treat-as-withdraw");
    assert_eq!(
        (origin.code, origin.cause),
        (Some(code::ORIGIN), WithdrawCause::OriginValue)
    );
    assert!(u.announced.is_empty());
    assert_eq!(u.withdrawn, [inet("10.0.0.0/32")]);
    // §3(c): LOCAL_PREF sent optional -> treat-as-withdraw.
    let mut b = unhex(base);
    b[37] = 0x80;
    let Message::Update(u) = Message::decode(2, &b[19..], &neg).unwrap() else {
        panic!()
    };
    let flags = u.treat_as_withdraw.expect("treat-as-withdraw");
    assert_eq!(
        (flags.code, flags.cause),
        (Some(code::LOCAL_PREF), WithdrawCause::Flags)
    );
    // ExaBGP's marker is the bare text here; our log names the attribute.
    assert_eq!(flags.exabgp_text(), "treat-as-withdraw");
    assert_eq!(
        flags.to_string(),
        "the local-preference attribute has wrong flags"
    );
    // §7.7: a 5-byte AGGREGATOR is discarded, the route stays.
    let with_agg = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0039:02:0000001D40010100400200400304 7F000001 40050400000064 C00705 0000000101 200A000000";
    let b = unhex(with_agg);
    let Message::Update(u) = Message::decode(2, &b[19..], &neg).unwrap() else {
        panic!()
    };
    assert_eq!((u.discarded.as_slice(), u.announced.len()), (&[7u8][..], 1));
    // §3(g): two MP_UNREACH reset the session.
    let b = unhex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0025:02:0000000E 800F03000201 800F03000201");
    let e = Message::decode(2, &b[19..], &neg).unwrap_err();
    assert_eq!((e.notify.code, e.notify.subcode), (3, 1));
    // An unknown transitive attribute is kept and marked partial; a non-transitive one dropped.
    let b = unhex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0037:02:0000001C 400101 00 400200 4003047F000001 40050400000064 C0F00101 80F10101 200A000000");
    let Message::Update(u) = Message::decode(2, &b[19..], &neg).unwrap() else {
        panic!()
    };
    assert_eq!(
        u.attributes.raw,
        [RawAttribute {
            flags: 0xe0,
            code: 0xf0,
            value: vec![1]
        }]
    );
}

#[test]
fn vpn_next_hop_has_a_zero_route_distinguisher() {
    use crate::bgp::nlri::labelled::{Labelled, RouteDistinguisher};
    let neg = session(1, 1, "127.0.0.1");
    let family = Family::new(1, 128);
    let route = Nlri::Labelled(Box::new(Labelled {
        family,
        prefix: "10.0.0.0/24".parse().unwrap(),
        labels: vec![42],
        rd: Some(RouteDistinguisher([0, 0, 0xfd, 0xe8, 0, 0, 0, 1])),
        path_id: None,
    }));
    let attrs = Attributes {
        next_hop: nh("192.0.2.1"),
        ..Attributes::default()
    };
    let v = announce(family, &attrs, std::slice::from_ref(&route), &neg);
    assert!(
        v[0].contains(
            "800E200001800C 0000000000000000C0000201 00 700002A10000FDE8000000010A0000"
                .replace(' ', "")
                .as_str()
        ),
        "{}",
        v[0]
    );
    let u = decodes(&v[0], &neg);
    assert_eq!(u.attributes.next_hop, attrs.next_hop);
}

#[test]
fn vpn_announce_and_withdraw_as_exabgp() {
    // api-vpnv4: 1.4.0.0/16 label 1000 rd 65000:1, withdrawn with its attributes.
    use super::update::encode_withdraw_with_attributes;
    use crate::bgp::nlri::labelled::{Labelled, RouteDistinguisher};
    let neg = session(65533, 65533, "127.0.0.1");
    let family = Family::new(1, 128);
    let route = Nlri::Labelled(Box::new(Labelled {
        family,
        prefix: "1.4.0.0/16".parse().unwrap(),
        labels: vec![1000],
        rd: Some(RouteDistinguisher([0, 0, 0xfd, 0xe8, 0, 0, 0, 1])),
        path_id: None,
    }));
    let attrs = Attributes {
        next_hop: nh("101.1.101.1"),
        communities: vec![0x0064_0001],
        extended_communities: vec![[0, 2, 0xfd, 0xe9, 0, 0, 0, 1]],
        ..Attributes::default()
    };
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0060:02:00000049400101004002004003046501650140050400000064C0080400640001C010080002FDE900000001800E1F0001800C0000000000000000650165010068003E810000FDE8000000010104";
    assert_eq!(
        announce(family, &attrs, std::slice::from_ref(&route), &neg),
        [want]
    );
    let mut out = Vec::new();
    encode_withdraw_with_attributes(&mut out, family, &attrs, [&route], &neg).unwrap();
    let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0052:02:0000003B400101004002004003046501650140050400000064C0080400640001C010080002FDE900000001800F1100018068003E810000FDE8000000010104";
    assert_eq!(messages(&out), [want]);
}
