//! Events about neighbors for their helpers: state changes (`neighbor-changes`) and the
//! messages received (`receive { ... }`) and sent (`send { ... }`), in each helper's encoder.

use super::Reactor;
use crate::api::encode::{Context, Direction, NegotiatedExtra, Raw};
use crate::bgp::message::{kind, Message, HEADER_LEN, MARKER};
use crate::config::MessageSelection;
use crate::peer::io::Frame;

pub(super) enum StateChange<'a> {
    Connected,
    Up,
    Down(&'a str),
}

impl Reactor {
    pub(super) fn report_state(&mut self, id: usize, change: StateChange<'_>) {
        self.emit(id, |api, enc, out, h, n| {
            api.neighbor_changes
                && match change {
                    StateChange::Connected => enc.connected(out, h, n),
                    StateChange::Up => enc.up(out, h, n),
                    StateChange::Down(reason) => enc.down(out, h, n, reason),
                }
        });
    }

    /// Report a received message to the helpers whose `receive` block asks for its type:
    /// parsed (the default), as `packets` (raw hex), or both in one (`consolidate`).
    pub(super) fn report_received(&mut self, id: usize, frame: &Frame, msg: &Message) {
        self.report_message(id, Direction::Receive, frame.kind, &frame.body, msg);
    }

    /// Whether a helper of neighbor `id` asked for the messages of this type we send.
    /// Cheap: called before every write, so sending costs nothing when nobody listens.
    pub(super) fn wants_sent(&self, id: usize, message_kind: u8) -> bool {
        self.neighbors
            .get(id)
            .and_then(Option::as_ref)
            .is_some_and(|n| sends(&n.helpers, message_kind))
    }

    /// Report what we wrote to neighbor `id` (`send { ... }`): `bytes` holds one or more whole
    /// messages as they went on the wire. Callers check [`Reactor::wants_sent`] first.
    pub(super) fn report_sent(&mut self, id: usize, bytes: &[u8]) {
        let Some(n) = self.neighbors.get(id).and_then(Option::as_ref) else {
            return;
        };
        // Our UPDATEs carry path ids where we send them: decode them from that side.
        let neg = n
            .session
            .as_ref()
            .and_then(|s| s.negotiated.as_ref())
            .map(|neg| {
                let mut ours = neg.clone();
                ours.addpath_receive = neg.addpath_send.clone();
                ours
            })
            .unwrap_or_default();
        let mut rest = bytes;
        while let Some(&[hi, lo]) = rest.get(16..18) {
            let len = usize::from(u16::from_be_bytes([hi, lo]));
            let (Some(message), Some(&message_kind)) = (rest.get(..len), rest.get(18)) else {
                break;
            };
            if len < HEADER_LEN {
                break;
            }
            let body = message.get(HEADER_LEN..).unwrap_or_default();
            if let Ok(msg) = Message::decode(message_kind, body, &neg) {
                self.report_message(id, Direction::Send, message_kind, body, &msg);
            }
            rest = rest.get(len..).unwrap_or_default();
        }
    }

    fn report_message(
        &mut self,
        id: usize,
        dir: Direction,
        message_kind: u8,
        body: &[u8],
        msg: &Message,
    ) {
        let Some(n) = self.neighbors.get(id).and_then(Option::as_ref) else {
            return;
        };
        let selection = |api: &crate::config::Api| match dir {
            Direction::Send => api.send,
            _ => api.receive,
        };
        if !n
            .helpers
            .iter()
            .any(|(_, api)| wanted(&selection(api), message_kind))
        {
            return;
        }
        // Per message on the receive path: copy nothing that no helper asked for.
        let negotiated = if n.helpers.iter().any(|(_, api)| api.negotiated) {
            n.session.as_ref().and_then(|s| s.negotiated.clone())
        } else {
            None
        };
        // The raw form is the header rebuilt in front of the body we already hold.
        let mut header = [0u8; HEADER_LEN];
        let len = u16::try_from(HEADER_LEN + body.len()).unwrap_or(u16::MAX);
        for (slot, byte) in header.iter_mut().zip(
            MARKER
                .iter()
                .chain(&len.to_be_bytes())
                .chain(&[message_kind]),
        ) {
            *slot = *byte;
        }
        let raw = Some(Raw {
            header: &header,
            body,
        });
        self.emit(id, |api, enc, out, h, who| {
            let sel = &selection(api);
            if !wanted(sel, message_kind) {
                return false;
            }
            let neg = negotiated
                .as_ref()
                .filter(|_| api.negotiated)
                .map(|n| (n, NegotiatedExtra::default()));
            let mut wrote = false;
            if sel.packets && !sel.consolidate {
                let ctx = Context {
                    negotiated: neg,
                    raw,
                };
                wrote |= enc.packets(out, h, who, dir, message_kind, ctx);
            }
            if sel.parsed || sel.consolidate || !sel.packets {
                let ctx = Context {
                    negotiated: neg,
                    raw: if sel.consolidate { raw } else { None },
                };
                wrote |= match msg {
                    Message::Open(open) => enc.open(out, h, who, dir, open, ctx.raw),
                    Message::Update(update) => enc.update(out, h, who, dir, update, ctx),
                    Message::Notification(note) => {
                        enc.notification(out, h, who, dir, note, ctx.raw)
                    }
                    Message::Keepalive => enc.keepalive(out, h, who, dir, ctx.raw),
                    Message::RouteRefresh(rr) => enc.refresh(out, h, who, dir, rr, ctx.raw),
                };
            }
            wrote
        });
    }
}

/// Whether one of these helper bindings asks, in `send { ... }`, for messages of this type
/// (for call sites holding a mutable borrow of the neighbor's session).
pub(super) fn sends(helpers: &[(usize, crate::config::Api)], message_kind: u8) -> bool {
    helpers
        .iter()
        .any(|(_, api)| wanted(&api.send, message_kind))
}

/// Whether `receive { ... }` asks for messages of this type.
fn wanted(sel: &MessageSelection, message_kind: u8) -> bool {
    match message_kind {
        kind::OPEN => sel.open,
        kind::UPDATE => sel.update,
        kind::NOTIFICATION => sel.notification,
        kind::KEEPALIVE => sel.keepalive,
        kind::ROUTE_REFRESH => sel.refresh,
        _ => false,
    }
}
