//! RFC 4271 §6.8 connection collision detection: what an incoming connection does to the
//! neighbor's current one, decided as ExaBGP 5.0 does.

use std::net::Ipv4Addr;
use std::time::Duration;

use super::neighbor::State;
use crate::bgp::message::{Message, Notification};
use crate::bgp::Negotiated;

/// What an incoming connection does to the neighbor's current one.
#[derive(Debug, PartialEq)]
pub(super) enum Collision {
    /// No other connection: accept.
    None,
    /// Keep the current connection; the incoming one gets a Cease 7 with this text.
    RefuseIncoming(&'static str),
    /// Close the current connection (with this NOTIFICATION) and accept the incoming one.
    CloseExisting(Option<Notification>),
}

/// RFC 4271 §6.8, as ExaBGP applies it: an established session is kept; in OpenConfirm the
/// peer's BGP Identifier is known and the connection initiated by the speaker with the higher
/// Identifier is kept (ours is the outgoing one, or an earlier incoming one with the same
/// outcome); before the peer's OPEN, the incoming connection replaces our attempt.
pub(super) fn collision(n: &super::Neighbor) -> Collision {
    let Some(s) = n.session.as_ref() else {
        return Collision::None;
    };
    let local = s.sent_open.as_ref().map(|o| o.router_id);
    let remote = s.received_open.as_ref().map(|o| o.router_id);
    decide(n.state, local, remote)
}

/// The decision for a neighbor with a connection in `state`, given both BGP Identifiers
/// once the OPENs were exchanged.
fn decide(state: State, local: Option<Ipv4Addr>, remote: Option<Ipv4Addr>) -> Collision {
    match state {
        State::Established => {
            Collision::RefuseIncoming("could not accept the connection, already established")
        }
        State::OpenConfirm => match (local, remote) {
            (Some(local), Some(remote)) if remote < local => Collision::RefuseIncoming(
                "could not accept the connection, as another connection is already in open-confirm and will go through",
            ),
            _ => Collision::CloseExisting(Some(super::cease::cease(super::cease::COLLISION))),
        },
        _ => Collision::CloseExisting(None),
    }
}

/// Send a Cease with `subcode` (7, Connection Collision Resolution, for a connection that is
/// not kept; 3, Peer De-configured, for a peer with no session configured) and close the
/// connection. The socket is fresh, so the short write does not block the reactor for long.
pub(super) fn refuse(stream: std::net::TcpStream, subcode: u8, why: &str) {
    use std::io::Write;
    let note = Notification {
        code: super::cease::CODE,
        subcode,
        data: why.as_bytes().to_vec(),
    };
    let mut buf = Vec::new();
    if Message::Notification(note)
        .encode(&Negotiated::default(), &mut buf)
        .is_ok()
    {
        let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
        let _ = (&stream).write_all(&buf);
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOW: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
    const HIGH: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 200);

    #[test]
    fn established_session_is_kept() {
        assert!(matches!(
            decide(State::Established, Some(LOW), Some(HIGH)),
            Collision::RefuseIncoming(_)
        ));
    }

    #[test]
    fn open_confirm_keeps_the_connection_of_the_higher_identifier() {
        // RFC 4271 §6.8: our Identifier is higher, our connection stays.
        assert!(matches!(
            decide(State::OpenConfirm, Some(HIGH), Some(LOW)),
            Collision::RefuseIncoming(_)
        ));
        // The peer's is higher: ours is closed with Cease 7 (Connection Collision Resolution).
        match decide(State::OpenConfirm, Some(LOW), Some(HIGH)) {
            Collision::CloseExisting(Some(n)) => assert_eq!((n.code, n.subcode), (6, 7)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn before_the_peer_open_the_incoming_connection_wins() {
        assert_eq!(
            decide(State::OpenSent, Some(HIGH), None),
            Collision::CloseExisting(None)
        );
        assert_eq!(
            decide(State::Connect, None, None),
            Collision::CloseExisting(None)
        );
    }
}
