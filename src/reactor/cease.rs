//! The Cease NOTIFICATIONs the reactor sends (RFC 4486), with the data ExaBGP puts in them:
//! the subcode's name, prefixed by its length for the RFC 8203 shutdown-communication
//! subcodes (administrative shutdown and reset).

use crate::bgp::message::Notification;

pub const CODE: u8 = 6;
pub const PEER_DECONFIGURED: u8 = 3;
/// Connection Collision Resolution (RFC 4486 §4).
pub const COLLISION: u8 = 7;

fn name(subcode: u8) -> &'static str {
    match subcode {
        0 => "Unspecific",
        1 => "Maximum Number of Prefixes Reached",
        2 => "Administrative Shutdown",
        3 => "Peer De-configured",
        4 => "Administrative Reset",
        5 => "Connection Rejected",
        6 => "Other Configuration Change",
        7 => "Connection Collision Resolution",
        8 => "Out of Resources",
        _ => "unknown notification type",
    }
}

/// A Cease with ExaBGP's data for `subcode`.
pub fn cease(subcode: u8) -> Notification {
    let text = name(subcode);
    if matches!(subcode, 2 | 4) {
        return Notification::shutdown(subcode, text);
    }
    Notification {
        code: CODE,
        subcode,
        data: text.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrative_reset_carries_a_shutdown_communication() {
        let n = cease(4);
        assert_eq!(n.data.first(), Some(&20));
        assert_eq!(n.shutdown_text().as_deref(), Some("Administrative Reset"));
        assert_eq!(cease(3).data, b"Peer De-configured");
    }
}
