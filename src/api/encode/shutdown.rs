//! The data of a received Cease with a shutdown communication (RFC 8203 / RFC 9003) as
//! ExaBGP 5.0 reports it: replaced by a sentence quoting the message, line breaks flattened.

use std::borrow::Cow;

use crate::bgp::message::Notification;

use super::escape::hex_upper;
use super::Direction;

/// RFC 8203's limit, which ExaBGP 5.0 still enforces.
const MAX_LEN: usize = 128;

/// The data ExaBGP shows for a NOTIFICATION: a received 6/2 or 6/4 is parsed as a shutdown
/// communication; everything else, and what we send, is shown as it is on the wire.
pub fn data(msg: &Notification, dir: Direction) -> Cow<'_, [u8]> {
    if dir == Direction::Send || msg.code != 6 || !matches!(msg.subcode, 2 | 4) {
        return Cow::Borrowed(&msg.data);
    }
    let Some((&len, rest)) = msg.data.split_first() else {
        return Cow::Borrowed(&msg.data);
    };
    let len = usize::from(len);
    let mut hex = String::new();
    hex_upper(&mut hex, rest);
    if len == 0 {
        return Cow::Owned(b"empty Shutdown Communication.".to_vec());
    }
    let (Some(text), Some(trailer)) = (rest.get(..len), rest.get(len..)) else {
        return Cow::Owned(
            format!("invalid Shutdown Communication (buffer underrun) length : {len} [{hex}]")
                .into_bytes(),
        );
    };
    if len > MAX_LEN {
        return Cow::Owned(
            format!("invalid Shutdown Communication (too large) length : {len} [{hex}]")
                .into_bytes(),
        );
    }
    let Ok(text) = std::str::from_utf8(text) else {
        return Cow::Owned(
            format!("invalid Shutdown Communication (invalid UTF-8) length : {len} [{hex}]")
                .into_bytes(),
        );
    };
    let mut s = format!(
        "Shutdown Communication: \"{}\"",
        text.replace(['\r', '\n'], " ")
    );
    if !trailer.is_empty() {
        s.push_str(", trailing data: ");
        hex_upper(&mut s, trailer);
    }
    Cow::Owned(s.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(code: u8, subcode: u8, bytes: &[u8], dir: Direction) -> Vec<u8> {
        data(
            &Notification {
                code,
                subcode,
                data: bytes.to_vec(),
            },
            dir,
        )
        .into_owned()
    }

    #[test]
    fn received_shutdown_communication_is_quoted_and_flattened() {
        let mut d = vec![29];
        d.extend_from_slice(b"bye \"now\"\nneighbor 9.9.9.9 up");
        let got = shown(6, 2, &d, Direction::Receive);
        assert_eq!(
            got.as_slice(),
            b"Shutdown Communication: \"bye \"now\" neighbor 9.9.9.9 up\"".as_slice()
        );
        // What we send is shown as sent.
        assert_eq!(shown(6, 2, &d, Direction::Send), d.as_slice());
    }

    #[test]
    fn malformed_shutdown_communications() {
        let empty = shown(6, 4, &[0], Direction::Receive);
        assert_eq!(
            empty.as_slice(),
            b"empty Shutdown Communication.".as_slice()
        );
        let short = shown(6, 2, &[5, b'a'], Direction::Receive);
        assert_eq!(
            String::from_utf8_lossy(&short),
            "invalid Shutdown Communication (buffer underrun) length : 5 [0x61]"
        );
        let bad = shown(6, 2, &[1, 0xff, 7], Direction::Receive);
        assert_eq!(
            String::from_utf8_lossy(&bad),
            "invalid Shutdown Communication (invalid UTF-8) length : 1 [0xFF07]"
        );
        let trail = shown(6, 2, &[1, b'x', 7], Direction::Receive);
        assert_eq!(
            String::from_utf8_lossy(&trail),
            "Shutdown Communication: \"x\", trailing data: 0x07"
        );
        assert!(shown(6, 2, &[], Direction::Receive).is_empty());
        assert_eq!(shown(3, 1, b"abc", Direction::Receive), b"abc".as_slice());
    }
}
