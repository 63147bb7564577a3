//! Round trips and refusals of flow rules, with the bytes ExaBGP 5.0.15 writes.

use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn pfx(s: &str, offset: u8) -> Item {
    Item::Prefix {
        prefix: s.parse().unwrap(),
        offset,
    }
}

#[test]
fn rfc8955_ipv4_rule_encodes_as_exabgp() {
    // conf-flow: destination 192.168.0.1/32 source 10.0.0.2/32 protocol [ =udp =tcp ]
    // port [ =80 =8080 ] destination-port [ >8080&<8088 =3128 ] source-port >1024
    let mut f = Flow::new(Family::new(1, 133));
    f.add(kind::SOURCE, pfx("10.0.0.2/32", 0));
    f.add(kind::DESTINATION, pfx("192.168.0.1/32", 0));
    for v in [17, 6] {
        f.add(
            kind::PROTOCOL,
            Item::Op {
                op: op::EQ,
                value: v,
            },
        );
    }
    for v in [80, 8080] {
        f.add(
            kind::PORT,
            Item::Op {
                op: op::EQ,
                value: v,
            },
        );
    }
    f.add(
        kind::DESTINATION_PORT,
        Item::Op {
            op: op::GT,
            value: 8080,
        },
    );
    f.add(
        kind::DESTINATION_PORT,
        Item::Op {
            op: op::AND | op::LT,
            value: 8088,
        },
    );
    f.add(
        kind::DESTINATION_PORT,
        Item::Op {
            op: op::EQ,
            value: 3128,
        },
    );
    f.add(
        kind::SOURCE_PORT,
        Item::Op {
            op: op::GT,
            value: 1024,
        },
    );
    let mut out = Vec::new();
    f.encode(&mut out, false);
    let want = hex("250120C0A8000102200A0000020301118106040150911F9005121F90541F98910C3806920400");
    assert_eq!(out, want);
    assert_eq!(f.encoded_len(false), want.len());
    let back = Flow::decode_field(f.family, &out, false, 9).unwrap();
    assert_eq!(back, vec![f.clone()]);
    assert_eq!(
        f.text(None),
        "flow destination-ipv4 192.168.0.1/32 source-ipv4 10.0.0.2/32 protocol [ =udp =tcp ] port [ =80 =8080 ] destination-port [ >8080&<8088 =3128 ] source-port >1024"
    );
    assert_eq!(
        f.values(kind::DESTINATION_PORT, &f.components[4].1),
        [">8080&<8088", "=3128"]
    );
}

#[test]
fn rfc8956_ipv6_prefix_offsets() {
    let mut f = Flow::new(Family::new(2, 133));
    f.add(
        kind::DESTINATION,
        pfx("2a02:b80:15::7aca:39ff:feae:a87a/128", 0),
    );
    f.add(kind::SOURCE, pfx("::1/128", 120));
    f.add(
        kind::PROTOCOL,
        Item::Op {
            op: op::EQ,
            value: 17,
        },
    );
    f.add(
        kind::DSCP,
        Item::Op {
            op: op::EQ,
            value: 101,
        },
    );
    f.add(
        kind::FLOW_LABEL,
        Item::Op {
            op: op::EQ,
            value: 2013,
        },
    );
    let mut out = Vec::new();
    f.encode(&mut out, false);
    assert_eq!(
        out,
        hex("210180002A020B80001500007ACA39FFFEAEA87A028078010381110B81650D9107DD")
    );
    let back = Flow::decode_field(f.family, &out, false, 9).unwrap();
    assert_eq!(back, vec![f.clone()]);
    assert!(f
        .text(None)
        .contains("source-ipv6 ::1/128/120 next-header =udp traffic-class =101 flow-label =2013"));
}

#[test]
fn bitmasks_vpn_and_long_values() {
    let mut f = Flow::new(Family::new(1, 134));
    f.rd = Some([0, 0, 0xff, 0xff, 0, 1, 0, 0]);
    f.add(kind::SOURCE, pfx("10.0.0.1/32", 0));
    f.add(
        kind::TCP_FLAGS,
        Item::Op {
            op: 0,
            value: value_of(kind::TCP_FLAGS, "SYN").unwrap(),
        },
    );
    f.add(kind::TCP_FLAGS, Item::Op { op: 0, value: 4 });
    f.add(
        kind::TCP_FLAGS,
        Item::Op {
            op: op::AND,
            value: 1,
        },
    );
    f.add(
        kind::TCP_FLAGS,
        Item::Op {
            op: op::AND | op::NOT | op::MATCH,
            value: 8,
        },
    );
    let mut out = Vec::new();
    f.encode(&mut out, false);
    assert_eq!(out, hex("170000FFFF0001000002200A00000109000200044001C308"));
    let back = Flow::decode_field(f.family, &out, false, 9).unwrap();
    assert_eq!(back, vec![f.clone()]);
    assert_eq!(
        f.text(None),
        "flow source-ipv4 10.0.0.1/32 tcp-flags [ syn rst&fin&!=push ] rd 65535:65536"
    );
    assert_eq!(value_of(kind::FRAGMENT, "last-fragment"), Some(8));
    assert_eq!(value_of(kind::PROTOCOL, "TCP"), Some(6));
    assert_eq!(value_of(kind::ICMP_CODE, "host-unreachable"), Some(1));
}

#[test]
fn malformed_rules_are_dropped_and_the_next_one_read() {
    let f = Family::new(1, 133);
    let good = "0601200A000001";
    // Empty rule, unknown type, no end-of-list bit, truncated prefix, out of order,
    // value too large for its type (a 3-octet port), IPv6-only type in IPv4.
    for bad in [
        "00",
        "020F01",
        "0403010600",
        "020120",
        "0A0218C0000201180A0000",
        "0604A100011170",
        "030D8101",
    ] {
        let v = Flow::decode_field(f, &hex(&format!("{bad}{good}")), false, 9).unwrap();
        assert_eq!(v.len(), 1, "{bad}");
    }
    // A length past the field is an error.
    assert!(Flow::decode_field(f, &hex("0901200A"), false, 9).is_err());
    assert!(Flow::decode_field(f, &hex("0000"), true, 9).is_err());
    // Extended length form.
    let mut big = Flow::new(f);
    for v in 0..130u64 {
        big.add(
            kind::PACKET_LENGTH,
            Item::Op {
                op: op::EQ,
                value: v + 300,
            },
        );
    }
    let mut out = Vec::new();
    big.encode(&mut out, false);
    assert_eq!(out[0] & 0xf0, 0xf0);
    assert_eq!(Flow::decode_field(f, &out, false, 9).unwrap(), vec![big]);
}
