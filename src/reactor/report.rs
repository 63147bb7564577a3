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
        self.emit(
            id,
            |api| api.neighbor_changes,
            |enc, out, h, n| match change {
                StateChange::Connected => enc.connected(out, h, n),
                StateChange::Up => enc.up(out, h, n),
                StateChange::Down(reason) => enc.down(out, h, n, reason),
            },
        );
    }

    /// Report a received message to the helpers whose `receive` block asks for its type:
    /// parsed (the default), as `packets` (raw hex), or both in one (`consolidate`).
    pub(super) fn report_received(&mut self, id: usize, frame: &Frame, msg: &Message) {
        let Some(n) = self.neighbors.get(id).and_then(Option::as_ref) else {
            return;
        };
        let sel = n.config.api.receive;
        if !wanted(&sel, frame.kind) {
            return;
        }
        let negotiated = n.session.as_ref().and_then(|s| s.negotiated.clone());
        let with_negotiated = n.config.api.negotiated;
        let mut whole = Vec::with_capacity(HEADER_LEN + frame.body.len());
        whole.extend_from_slice(&MARKER);
        whole.extend_from_slice(
            &u16::try_from(HEADER_LEN + frame.body.len())
                .unwrap_or(u16::MAX)
                .to_be_bytes(),
        );
        whole.push(frame.kind);
        whole.extend_from_slice(&frame.body);
        let raw = Raw::split(&whole);
        let ctx = Context {
            negotiated: negotiated
                .as_ref()
                .filter(|_| with_negotiated)
                .map(|n| (n, NegotiatedExtra::default())),
            raw: if sel.consolidate { raw } else { None },
        };
        let parsed = sel.parsed || sel.consolidate || !sel.packets;
        let dir = Direction::Receive;
        if sel.packets && !sel.consolidate {
            let pctx = Context {
                negotiated: ctx.negotiated,
                raw,
            };
            self.emit(
                id,
                |_| true,
                |enc, out, h, who| enc.packets(out, h, who, dir, frame.kind, pctx),
            );
        }
        if !parsed {
            return;
        }
        self.emit(
            id,
            |_| true,
            |enc, out, h, who| match msg {
                Message::Open(open) => enc.open(out, h, who, dir, open, ctx.raw),
                Message::Update(update) => enc.update(out, h, who, dir, update, ctx),
                Message::Notification(note) => enc.notification(out, h, who, dir, note, ctx.raw),
                Message::Keepalive => enc.keepalive(out, h, who, dir, ctx.raw),
                Message::RouteRefresh(rr) => enc.refresh(out, h, who, dir, rr, ctx.raw),
            },
        );
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
