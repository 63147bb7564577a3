//! Test helpers: hex fixtures in ExaBGP's `MARKER:LENGTH:TYPE:BODY` form, and sessions.

use std::net::IpAddr;

use super::message::{parse_header, Message, MAX_EXTENDED_LEN};
use super::negotiated::Negotiated;

/// Bytes from hex, ignoring `:` and spaces.
pub fn unhex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|c| c.is_ascii_hexdigit()).collect();
    assert_eq!(digits.len() % 2, 0, "odd hex fixture {s}");
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

/// Upper-case hex, the way ExaBGP's fixtures are written.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// A session as the suite's test peer makes it: same capabilities, iBGP unless `peer_as`.
pub fn session(local_as: u32, peer_as: u32, local: &str) -> Negotiated {
    Negotiated {
        local_as,
        peer_as,
        local_address: Some(local.parse::<IpAddr>().unwrap()),
        max_message: MAX_EXTENDED_LEN,
        ..Negotiated::default()
    }
}

/// Split a buffer of whole messages into their hex fixtures, `MARKER:LENGTH:TYPE:BODY`.
pub fn messages(buf: &[u8]) -> Vec<String> {
    let mut v = Vec::new();
    let mut rest = buf;
    while !rest.is_empty() {
        let (len, kind) = parse_header(&rest[..19], 65535).expect("valid header");
        v.push(format!(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:{:04X}:{:02X}:{}",
            len,
            kind,
            hex(&rest[19..len])
        ));
        rest = &rest[len..];
    }
    v
}

/// Feed `decode` every truncation and every single-byte change of `msg` (a whole message):
/// it must return, never panic, and any error must be a valid NOTIFICATION code.
pub fn robust(msg: &[u8], neg: &Negotiated) {
    let check = |bytes: &[u8]| {
        let r = parse_header(bytes.get(..19).unwrap_or(bytes), MAX_EXTENDED_LEN)
            .and_then(|(_, kind)| Message::decode(kind, bytes.get(19..).unwrap_or_default(), neg));
        if let Err(e) = r {
            assert!((1..=7).contains(&e.notify.code), "bad code {e}");
        }
    };
    for n in 0..=msg.len() {
        check(&msg[..n]);
    }
    let mut m = msg.to_vec();
    for i in 0..m.len() {
        let orig = m[i];
        for b in 0..=255u8 {
            m[i] = b;
            check(&m);
        }
        m[i] = orig;
    }
}
