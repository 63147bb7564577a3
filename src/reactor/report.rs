//! Events about neighbors for their helpers: state changes (`neighbor-changes`) and the
//! messages received (`receive { ... }`), in each helper's encoder.

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
        let Some(n) = self.neighbors.get(id).and_then(Option::as_ref) else {
            return;
        };
        if !n
            .helpers
            .iter()
            .any(|(_, api)| wanted(&api.receive, frame.kind))
        {
            return;
        }
        let negotiated = n.session.as_ref().and_then(|s| s.negotiated.clone());
        let mut whole = Vec::with_capacity(HEADER_LEN + frame.body.len());
        whole.extend_from_slice(&MARKER);
        let len = u16::try_from(HEADER_LEN + frame.body.len()).unwrap_or(u16::MAX);
        whole.extend_from_slice(&len.to_be_bytes());
        whole.push(frame.kind);
        whole.extend_from_slice(&frame.body);
        let raw = Raw::split(&whole);
        let dir = Direction::Receive;
        self.emit(id, |api, enc, out, h, who| {
            let sel = &api.receive;
            if !wanted(sel, frame.kind) {
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
                wrote |= enc.packets(out, h, who, dir, frame.kind, ctx);
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
