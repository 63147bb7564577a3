//! Flow specification (RFC 8955/8956) against recorded ExaBGP messages: every flow UPDATE of
//! the shared suite's flow cases, and of our own `own-flow` case (recorded from ExaBGP
//! 5.0.15), decodes to typed flow rules and re-encodes byte for byte. The suite part skips,
//! saying why, when `../shared/exabgp-suite` is absent.

use std::path::{Path, PathBuf};

use ferrobgp::bgp::message::update::{encode_announce, encode_withdraw_with_attributes};
use ferrobgp::bgp::message::{parse_header, Message, MAX_EXTENDED_LEN};
use ferrobgp::bgp::{Negotiated, Nlri, Safi};

fn unhex(s: &str) -> Vec<u8> {
    let d: Vec<u8> = s.bytes().filter(|c| c.is_ascii_hexdigit()).collect();
    d.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

fn session() -> Negotiated {
    Negotiated {
        local_as: 1,
        peer_as: 1,
        asn4: true,
        max_message: MAX_EXTENDED_LEN,
        ..Negotiated::default()
    }
}

/// Round-trip every flow UPDATE of `file`; returns how many were checked.
fn round_trip(file: &Path) -> usize {
    let neg = session();
    let text = std::fs::read_to_string(file).expect("readable .msg");
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some("raw"), Some(hex)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let bytes = unhex(hex);
        let (len, kind) = parse_header(&bytes[..19], MAX_EXTENDED_LEN).expect("header");
        assert_eq!(len, bytes.len(), "{line}");
        let Message::Update(u) = Message::decode(kind, &bytes[19..], &neg).expect(line) else {
            continue;
        };
        if u.eor.is_some() {
            continue;
        }
        let (nlris, announce) = if u.announced.is_empty() {
            (&u.withdrawn, false)
        } else {
            (&u.announced, true)
        };
        assert_eq!(nlris.len(), 1, "one rule per UPDATE: {line}");
        let n = &nlris[0];
        assert!(matches!(n, Nlri::Flow(_)), "typed flow rule: {line}");
        assert!(matches!(n.family().safi, Safi::FLOW | Safi::FLOW_VPN));
        let mut out = Vec::new();
        if announce {
            encode_announce(&mut out, n.family(), &u.attributes, [n], &neg).unwrap();
        } else {
            encode_withdraw_with_attributes(&mut out, n.family(), &u.attributes, [n], &neg)
                .unwrap();
        }
        assert_eq!(
            out.iter().map(|b| format!("{b:02X}")).collect::<String>(),
            bytes.iter().map(|b| format!("{b:02X}")).collect::<String>(),
            "{}: {line}",
            file.display()
        );
        checked += 1;
    }
    checked
}

#[test]
fn own_flow_case_round_trips() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/functional/own-flow.msg");
    assert_eq!(round_trip(&file), 5);
}

#[test]
fn suite_flow_messages_round_trip() {
    let suite = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/exabgp-suite");
    if !suite.is_dir() {
        eprintln!("skipped: {} is absent", suite.display());
        return;
    }
    let mut checked = 0;
    for name in [
        "conf-flow",
        "conf-flow-redirect",
        "api-flow",
        "api-flow-merge",
        "api-broken-flow",
    ] {
        checked += round_trip(&suite.join(format!("encoding/{name}.msg")));
    }
    assert!(checked >= 35, "{checked} flow UPDATEs checked");
}
