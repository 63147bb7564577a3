//! Header framing, OPEN, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH fixtures.

use std::net::Ipv4Addr;

use super::{parse_header, Message, Notification, Open, RouteRefresh, MAX_EXTENDED_LEN, MAX_LEN};
use crate::bgp::capability::Capability;
use crate::bgp::iana::Family;
use crate::bgp::negotiated::Negotiated;
use crate::bgp::testutil::{messages, robust, unhex};

/// conf-hostname: the OPEN ExaBGP sends with host-name and domain-name set.
const OPEN_HOSTNAME: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0055:01:04FFFD00B40A000002380206010400010001020641040000FFFD02020600022249200C6D792D686F73742D6E616D65126D792D646F6D61696E2D6E616D652E636F6D";
/// conf-cap-software-version.
const OPEN_SOFTWARE: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0049:01:04FFFD00B40A0000022C0206010400010001020641040000FFFD0202060002164B14134578614247502F352E302E302D302B74657374";

fn round_trip(fixture: &str) -> Message {
    let bytes = unhex(fixture);
    let neg = Negotiated::default();
    let (len, kind) = parse_header(&bytes[..19], MAX_LEN).unwrap();
    assert_eq!(len, bytes.len());
    let m = Message::decode(kind, &bytes[19..], &neg).unwrap();
    let mut out = Vec::new();
    m.encode(&neg, &mut out).unwrap();
    assert_eq!(messages(&out), [fixture.to_string()]);
    robust(&bytes, &neg);
    m
}

#[test]
fn open_fixtures_round_trip() {
    let Message::Open(o) = round_trip(OPEN_HOSTNAME) else {
        panic!()
    };
    assert_eq!(
        (o.version, o.asn, o.hold_time, o.router_id),
        (4, 65533, 180, Ipv4Addr::new(10, 0, 0, 2))
    );
    assert_eq!(
        o.capabilities,
        [
            Capability::Multiprotocol(Family::IPV4_UNICAST),
            Capability::FourOctetAs(65533),
            Capability::ExtendedMessage,
            Capability::Hostname {
                host: "my-host-name".into(),
                domain: "my-domain-name.com".into()
            },
        ]
    );
    assert_eq!(o.asn4(), 65533);
    let Message::Open(o) = round_trip(OPEN_SOFTWARE) else {
        panic!()
    };
    assert_eq!(
        o.capabilities.last(),
        Some(&Capability::SoftwareVersion("ExaBGP/5.0.0-0+test".into()))
    );
}

#[test]
fn open_with_several_capabilities_in_one_parameter_decodes() {
    // Other speakers (not ExaBGP) group capabilities in one parameter.
    let body = unhex("04 FFFD 00B4 0A000002 0E 020C 010400010001 41040000FFFD");
    let o = Open::decode(&body).unwrap();
    assert_eq!(o.capabilities.len(), 2);
}

#[test]
fn rfc9072_extended_parameters_are_used_when_needed() {
    let o = Open {
        version: 4,
        asn: 1,
        hold_time: 90,
        router_id: Ipv4Addr::new(1, 1, 1, 1),
        capabilities: (0..70).map(|_| Capability::ExtendedMessage).collect(),
    };
    let mut out = Vec::new();
    Message::Open(o.clone())
        .encode(&Negotiated::default(), &mut out)
        .unwrap();
    assert_eq!(&out[28..32], &[255, 255, 1, 94], "70 parameters of 5 bytes");
    let Message::Open(back) = Message::decode(1, &out[19..], &Negotiated::default()).unwrap()
    else {
        panic!()
    };
    assert_eq!(back, o);
}

#[test]
fn rfc4271_6_2_open_errors() {
    let e = Open::decode(&unhex("03 FFFD 00B4 0A000002 00")).unwrap_err();
    assert_eq!(
        (e.notify.code, e.notify.subcode, e.notify.data.clone()),
        (2, 1, vec![0, 4])
    );
    let e = Open::decode(&unhex("04 FFFD 00B4 0A000002 03 090100")).unwrap_err();
    assert_eq!(
        (e.notify.code, e.notify.subcode),
        (2, 4),
        "unsupported optional parameter"
    );
    let e = Open::decode(&unhex("04 FFFD 00B4 0A000002 05 0206010400")).unwrap_err();
    assert_eq!((e.notify.code, e.notify.subcode), (2, 0));
}

#[test]
fn rfc4271_6_1_header_errors() {
    let mut h = unhex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0013:04");
    assert_eq!(parse_header(&h, MAX_LEN).unwrap(), (19, 4));
    h[0] = 0;
    assert_eq!(
        parse_header(&h, MAX_LEN).unwrap_err().notify.subcode,
        1,
        "bad marker"
    );
    let h = unhex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0014:04");
    let e = parse_header(&h, MAX_LEN).unwrap_err();
    assert_eq!((e.notify.code, e.notify.subcode), (1, 2));
    assert_eq!(
        e.notify.data,
        b"KEEPALIVE has an invalid message length of 20"
    );
    let h = unhex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:1001:02");
    assert!(
        parse_header(&h, MAX_LEN).is_err(),
        "4097 without extended messages"
    );
    assert_eq!(parse_header(&h, MAX_EXTENDED_LEN).unwrap(), (4097, 2));
    let h = unhex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0016:01");
    assert!(parse_header(&h, MAX_LEN).is_err(), "OPEN shorter than 29");
    assert!(parse_header(&h[..18], MAX_LEN).is_err());
}

#[test]
fn unknown_message_type_is_bad_message_type_with_exabgp_text() {
    // unknown-message.msg: the NOTIFICATION ExaBGP sends back.
    let e = Message::decode(255, &[], &Negotiated::default()).unwrap_err();
    let n = Notification::from(&e);
    let mut out = Vec::new();
    Message::Notification(n)
        .encode(&Negotiated::default(), &mut out)
        .unwrap();
    assert_eq!(
        messages(&out),
        ["FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0039:03:010363616E206E6F74206465636F6465206D657373616765206F662074797065202232353522"]
    );
}

#[test]
fn keepalive_notification_and_shutdown_text() {
    round_trip("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0013:04:");
    let Message::Notification(n) =
        round_trip("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001C:03:0602066D61696E7421")
    else {
        panic!()
    };
    assert_eq!(n.shutdown_text().as_deref(), Some("maint!"));
    let s = Notification::shutdown(2, "maint!");
    assert_eq!(s, n);
    let long = "é".repeat(200);
    let s = Notification::shutdown(4, &long);
    assert_eq!(s.data[0], 254, "cut on a character boundary");
    assert!(s.shutdown_text().is_some());
    assert!(Notification::decode(&[6]).is_err());
}

#[test]
fn route_refresh_plain_and_enhanced() {
    let Message::RouteRefresh(r) = round_trip("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:05:00010001")
    else {
        panic!()
    };
    assert_eq!(
        r,
        RouteRefresh {
            family: Family::IPV4_UNICAST,
            subtype: 0
        }
    );
    let Message::RouteRefresh(r) = round_trip("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:05:00020201")
    else {
        panic!()
    };
    assert_eq!(
        (r.family, r.subtype),
        (Family::IPV6_UNICAST, super::refresh::END)
    );
    let e = RouteRefresh::decode(&[0, 1, 0]).unwrap_err();
    assert_eq!((e.notify.code, e.notify.subcode), (7, 1));
}
