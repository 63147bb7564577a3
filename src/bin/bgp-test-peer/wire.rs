//! The few BGP messages the peer builds itself (RFC 4271 §4) and the OPEN reply rewrite
//! of the suite README §4.2.

use std::fmt;

pub const MARKER: [u8; 16] = [0xff; 16];
pub const HEADER_LEN: usize = 19;

pub const TYPE_UPDATE: u8 = 2;
pub const TYPE_NOTIFICATION: u8 = 3;
pub const TYPE_KEEPALIVE: u8 = 4;
pub const TYPE_ROUTE_REFRESH: u8 = 5;

/// Message offsets inside an OPEN (header included).
const OPEN_MY_AS: usize = 20;
const OPEN_ROUTER_ID_LAST: usize = 27;
const OPEN_OPT_PARAMS_LEN: usize = 28;
const OPEN_OPT_PARAMS: usize = 29;

const CAPABILITIES_PARAM: u8 = 2;
const CAPABILITY_AS4: u8 = 65;

/// Optional parameter carrying unknown capability 66 with text `loremipsum`.
const UNKNOWN_CAPABILITY: &[u8] = b"\x02\x0c\x42\x0aloremipsum";

pub fn header(length: u16, kind: u8) -> Vec<u8> {
    let mut msg = MARKER.to_vec();
    msg.extend_from_slice(&length.to_be_bytes());
    msg.push(kind);
    msg
}

pub fn keepalive() -> Vec<u8> {
    header(HEADER_LEN as u16, TYPE_KEEPALIVE)
}

/// A header-only message of type 255, which no BGP speaker knows.
pub fn unknown_message() -> Vec<u8> {
    header(HEADER_LEN as u16, 255)
}

/// UPDATE for 0.0.0.0/32, ORIGIN IGP, empty AS_PATH, NEXT_HOP 127.0.0.1, LOCAL_PREF 100.
pub fn default_route() -> Vec<u8> {
    let mut msg = header(0x31, TYPE_UPDATE);
    msg.extend_from_slice(&[0x00, 0x00, 0x00, 0x15]);
    msg.extend_from_slice(&[0x40, 0x01, 0x01, 0x00]);
    msg.extend_from_slice(&[0x40, 0x02, 0x00]);
    msg.extend_from_slice(&[0x40, 0x03, 0x04, 127, 0, 0, 1]);
    msg.extend_from_slice(&[0x40, 0x05, 0x04, 0, 0, 0, 100]);
    msg.extend_from_slice(&[0x20, 0, 0, 0, 0]);
    msg
}

/// Cease (6/0) carrying `text`; the caller bounds the text to fit the one-byte length.
pub fn cease(text: &str) -> Vec<u8> {
    let length = HEADER_LEN + 2 + text.len();
    let mut msg = header(length as u16, TYPE_NOTIFICATION);
    msg.extend_from_slice(&[6, 0]);
    msg.extend_from_slice(text.as_bytes());
    msg
}

pub fn kind(msg: &[u8]) -> Option<u8> {
    msg.get(HEADER_LEN - 1).copied()
}

/// The checker's End-of-RIB test: an UPDATE whose body is 4 bytes (IPv4 unicast EOR) or
/// 11 bytes (MP_UNREACH EOR), regardless of content, as the reference peer does.
pub fn is_eor(msg: &[u8]) -> bool {
    kind(msg) == Some(TYPE_UPDATE) && matches!(msg.len().saturating_sub(HEADER_LEN), 4 | 11)
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortOpen(pub usize);

impl fmt::Display for ShortOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the daemon's first message is {} bytes, too short for an OPEN",
            self.0
        )
    }
}

impl std::error::Error for ShortOpen {}

/// Builds the OPEN reply from the daemon's OPEN (README §4.2): same bytes, router-id + 1
/// (or, with `asn`, AS fields replaced and router-id kept), then the optional unknown
/// capability appended with the reference's no-carry length arithmetic.
pub fn open_reply(
    open: &[u8],
    asn: Option<u16>,
    unknown_capability: bool,
) -> Result<Vec<u8>, ShortOpen> {
    if open.len() < OPEN_OPT_PARAMS {
        return Err(ShortOpen(open.len()));
    }
    let mut reply = open.to_vec();
    match asn {
        None => {
            if let Some(b) = reply.get_mut(OPEN_ROUTER_ID_LAST) {
                *b = b.wrapping_add(1);
            }
        }
        Some(asn) => {
            if let Some(field) = reply.get_mut(OPEN_MY_AS..OPEN_MY_AS + 2) {
                field.copy_from_slice(&asn.to_be_bytes());
            }
            rewrite_as4(&mut reply, asn);
        }
    }
    if unknown_capability {
        reply.extend_from_slice(UNKNOWN_CAPABILITY);
        let grow = UNKNOWN_CAPABILITY.len() as u8;
        // Low byte only, no carry into the high byte: the reference's quirk.
        if let Some(b) = reply.get_mut(17) {
            *b = b.wrapping_add(grow);
        }
        if let Some(b) = reply.get_mut(OPEN_OPT_PARAMS_LEN) {
            *b = b.wrapping_add(grow);
        }
    }
    Ok(reply)
}

/// Replaces the AS in the first capabilities parameter whose first capability is AS4.
fn rewrite_as4(reply: &mut [u8], asn: u16) {
    let params_len = reply.get(OPEN_OPT_PARAMS_LEN).copied().unwrap_or(0) as usize;
    let end = (OPEN_OPT_PARAMS + params_len).min(reply.len());
    let mut at = OPEN_OPT_PARAMS;
    while at + 2 <= end {
        let (Some(&ptype), Some(&plen)) = (reply.get(at), reply.get(at + 1)) else {
            return;
        };
        let value = at + 2;
        if ptype == CAPABILITIES_PARAM && reply.get(value) == Some(&CAPABILITY_AS4) {
            if let Some(field) = reply.get_mut(value + 2..value + 6) {
                field.copy_from_slice(&u32::from(asn).to_be_bytes());
            }
            return;
        }
        at = value + plen as usize;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    // AS 65533, hold 180, router-id 10.0.0.2, mp ipv4/unicast, AS4 65533, route-refresh.
    const OPEN: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 0031 01 04 FFFD 00B4 0A000002 14 \
                        0206 01040001 0001 0206 41040000FFFD 0202 0200";

    #[test]
    fn reply_bumps_router_id() {
        let reply = open_reply(&unhex(OPEN), None, false).unwrap();
        let mut expected = unhex(OPEN);
        expected[27] = 0x03;
        assert_eq!(reply, expected);
    }

    #[test]
    fn router_id_wraps() {
        let mut open = unhex(OPEN);
        open[27] = 0xff;
        let reply = open_reply(&open, None, false).unwrap();
        assert_eq!(reply[27], 0x00);
        assert_eq!(reply[26], open[26], "no carry into the previous byte");
    }

    #[test]
    fn asn_rewrites_both_as_fields_and_keeps_router_id() {
        let reply = open_reply(&unhex(OPEN), Some(65000), false).unwrap();
        let expected = unhex(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 0031 01 04 FDE8 00B4 0A000002 14 \
             0206 01040001 0001 0206 41040000FDE8 0202 0200",
        );
        assert_eq!(to_hex(&reply), to_hex(&expected));
    }

    #[test]
    fn asn_without_as4_changes_only_the_two_byte_field() {
        let open = unhex(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 0025 01 04 FFFD 00B4 0A000002 08 \
             0206 01040001 0001",
        );
        let reply = open_reply(&open, Some(1), false).unwrap();
        let mut expected = open.clone();
        expected[20] = 0;
        expected[21] = 1;
        assert_eq!(reply, expected);
    }

    #[test]
    fn unknown_capability_appends_without_carry() {
        let reply = open_reply(&unhex(OPEN), None, true).unwrap();
        assert_eq!(reply.len(), 0x31 + 14);
        assert_eq!(&reply[16..18], &[0x00, 0x3f]);
        assert_eq!(reply[28], 0x22);
        assert!(to_hex(&reply).ends_with("020C420A6C6F72656D697073756D"));

        // Length low byte 0xF8 + 14 wraps to 0x06 and the high byte stays.
        let mut big = unhex(OPEN);
        big[17] = 0xf8;
        let reply = open_reply(&big, None, true).unwrap();
        assert_eq!(&reply[16..18], &[0x00, 0x06]);
    }

    #[test]
    fn short_or_odd_opens_never_panic() {
        assert_eq!(open_reply(&[0xff; 10], None, false), Err(ShortOpen(10)));
        // Parameter lengths pointing past the end are walked safely.
        let mut open = unhex(OPEN);
        open[28] = 0xff;
        open[30] = 0xff;
        assert!(open_reply(&open, Some(7), true).is_ok());
        let open =
            unhex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 001F 01 04 FFFD 00B4 0A000002 05 0203 41");
        assert!(open_reply(&open, Some(7), false).is_ok());
    }

    #[test]
    fn built_messages_match_the_readme() {
        assert_eq!(
            to_hex(&default_route()),
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00310200000015400101004002004003047F000001400504000000642000000000"
        );
        assert_eq!(
            to_hex(&cease("closing session because we can")),
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0033030600636C6F73696E672073657373696F6E20626563617573652077652063616E"
        );
        assert_eq!(to_hex(&keepalive()), format!("{}001304", "F".repeat(32)));
        assert_eq!(
            to_hex(&unknown_message()),
            format!("{}0013FF", "F".repeat(32))
        );
    }

    #[test]
    fn eor_detection_is_by_body_length() {
        assert!(is_eor(&unhex(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 0017 02 00000000"
        )));
        assert!(is_eor(&unhex(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 001E 02 00000007900F0003000201"
        )));
        assert!(!is_eor(&default_route()));
        assert!(!is_eor(&keepalive()));
        assert!(!is_eor(&[0xff; 3]));
    }
}
