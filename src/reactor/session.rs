//! The RFC 4271 FSM as the reactor drives it: connecting, OPEN exchange, keepalives, hold
//! timer, UPDATE flushing under writer back-pressure, and closing with a NOTIFICATION.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::TrySendError;
use log::{debug, info, warn};

use super::neighbor::{Session, State};
use super::report::{sends, StateChange};
use super::Reactor;
use crate::bgp::message::{kind, Message, Notification, MAX_LEN};
use crate::bgp::{Family, Negotiated};
use crate::listener::Incoming;
use crate::peer::io::{self, Frame, Outgoing, ReadEnd, SessionEvent, SessionKey};
use crate::peer::{negotiate, open};

/// Batches a writer may hold before the reactor stops encoding UPDATEs for it.
const WRITER_QUEUE: usize = 64;
/// Bytes of UPDATEs encoded per batch.
const BATCH_BYTES: usize = 1 << 16;
/// How long the first UPDATEs of a session wait for what the peer sent with its KEEPALIVE.
const FIRST_UPDATE_DELAY: Duration = Duration::from_millis(20);
/// Delay before reconnecting after an established session ends.
const RECONNECT_AFTER_CLOSE: Duration = Duration::from_millis(500);

impl Reactor {
    pub(super) fn neighbor_timers(&mut self, id: usize, now: Instant) {
        let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) else {
            return;
        };
        if n.next_connect.is_some_and(|t| t <= now) && n.session.is_none() && n.state == State::Idle
        {
            n.next_connect = None;
            self.connect(id);
            return;
        }
        let Some(s) = n.session.as_mut() else { return };
        if s.hold_deadline.is_some_and(|t| t <= now) {
            let name = n.config.peer_address;
            warn!(target: "network", "peer {name}: hold timer expired");
            let notify = Notification {
                code: 4,
                subcode: 0,
                data: Vec::new(),
            };
            self.close_session(id, Some(notify), "hold timer expired");
            return;
        }
        if s.keepalive_due.is_some_and(|t| t <= now) {
            let hold = s.negotiated.as_ref().map_or(0, |neg| neg.hold_time);
            s.keepalive_due = keepalive_interval(hold).map(|i| now + i);
            let mut buf = Vec::with_capacity(19);
            if Message::Keepalive
                .encode(&Negotiated::default(), &mut buf)
                .is_ok()
            {
                let copy = sends(&n.helpers, kind::KEEPALIVE).then(|| buf.clone());
                n.counts.note_sent(&buf);
                let _ = s.writer.try_send(Outgoing::Bytes(buf));
                if let Some(copy) = copy {
                    self.report_sent(id, &copy);
                }
            }
        }
    }

    fn connect(&mut self, id: usize) {
        let port = self.outgoing_port(id);
        let generation = self.next_generation;
        let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) else {
            return;
        };
        self.next_generation += 1;
        n.generation = generation;
        n.attempts += 1;
        n.state = State::Connect;
        let remote = SocketAddr::new(n.config.peer_address, port);
        let local = n.config.local_address.map(|a| SocketAddr::new(a, 0));
        debug!(target: "network", "peer {}: connecting to {remote} (attempt {})", remote.ip(), n.attempts);
        let key = SessionKey {
            neighbor: id,
            generation,
        };
        let options = match socket_options(&n.config) {
            Ok(o) => o,
            Err(e) => {
                warn!(target: "network", "peer {}: {e}", remote.ip());
                n.state = State::Idle;
                self.after_session_end(id, false);
                return;
            }
        };
        if let Err(e) = io::spawn_connect(key, local, remote, options, self.session_tx.clone()) {
            warn!(target: "network", "peer {}: cannot start a connection: {e}", remote.ip());
            n.state = State::Idle;
            self.after_session_end(id, false);
        }
    }

    /// The port to connect to: the neighbor's `connect`, else tcp.port when it came from the
    /// environment, else 179 (as ExaBGP).
    fn outgoing_port(&self, id: usize) -> u16 {
        let configured = self
            .neighbors
            .get(id)
            .and_then(Option::as_ref)
            .and_then(|n| n.config.connect);
        configured.unwrap_or_else(|| self.settings.tcp.connect_port())
    }

    pub(super) fn on_session_event(&mut self, ev: SessionEvent) {
        match ev {
            SessionEvent::Connected { key, stream } => self.on_connected(key, stream, false),
            SessionEvent::ConnectFailed { key, error } => {
                if !self.current(key) {
                    return;
                }
                if let Some(n) = self.neighbor(key.neighbor) {
                    debug!(target: "network", "peer {}: connection failed: {error}", n.config.peer_address);
                    n.state = State::Idle;
                }
                self.after_session_end(key.neighbor, false);
            }
            SessionEvent::Frames { key, frames } => {
                for frame in frames {
                    if !self.current(key) {
                        break;
                    }
                    self.on_frame(key, frame);
                }
            }
            SessionEvent::Closed { key, end } => {
                if !self.current(key) {
                    return;
                }
                match end {
                    ReadEnd::Eof => {
                        self.close_session(key.neighbor, None, "connection closed by peer")
                    }
                    ReadEnd::Io(e) => {
                        self.close_session(key.neighbor, None, &format!("connection error: {e}"))
                    }
                    ReadEnd::Malformed(e) => {
                        let reason = e.reason.clone();
                        self.close_session(key.neighbor, Some(notification(e.notify)), &reason)
                    }
                }
            }
            SessionEvent::Drained { key } => {
                if self.current(key) {
                    self.flush_neighbor(key.neighbor);
                }
            }
        }
    }

    fn neighbor(&mut self, id: usize) -> Option<&mut super::Neighbor> {
        self.neighbors.get_mut(id).and_then(Option::as_mut)
    }

    /// Whether an event belongs to the neighbor's current connection.
    fn current(&self, key: SessionKey) -> bool {
        self.neighbors
            .get(key.neighbor)
            .and_then(Option::as_ref)
            .is_some_and(|n| n.generation == key.generation)
    }

    pub(super) fn on_incoming(&mut self, inc: Incoming) {
        let ip = canonical(inc.remote.ip());
        let found = self.neighbors.iter().position(|n| {
            n.as_ref().is_some_and(|n| {
                n.config.peer_address == ip || n.config.peer_range.is_some_and(|r| contains(&r, ip))
            })
        });
        // As ExaBGP: a peer with no session here (never configured, removed by a reload, or
        // the daemon is stopping) is told so with a Cease 6/3 rather than a bare close.
        let unconfigured = match found {
            None => Some("not a configured neighbor"),
            Some(_) if self.stopping.is_some() => Some("shutting down"),
            Some(_) => None,
        };
        if let Some(why) = unconfigured {
            info!(target: "network", "refused connection from {}: {why}", inc.remote);
            super::collision::refuse(
                inc.stream,
                super::cease::PEER_DECONFIGURED,
                "no session configured for the peer",
            );
            return;
        }
        let Some(id) = found else { return };
        let Some(n) = self.neighbor(id) else { return };
        match super::collision::collision(n) {
            super::collision::Collision::None => {}
            super::collision::Collision::RefuseIncoming(why) => {
                info!(target: "network", "peer {ip}: connection refused: {why}");
                super::collision::refuse(inc.stream, super::cease::COLLISION, why);
                return;
            }
            super::collision::Collision::CloseExisting(notify) => {
                let reason = "connection collision: keeping the incoming connection";
                self.close_session(id, notify, reason);
            }
        }
        let generation = self.next_generation;
        self.next_generation += 1;
        if let Some(n) = self.neighbor(id) {
            n.generation = generation;
            n.next_connect = None;
            // TTL settings apply to the accepted socket from here on (MD5 is on the listener).
            if let Ok(opts) = socket_options(&n.config) {
                let ttl_only = io::SocketOptions { md5: None, ..opts };
                if let Err(e) = ttl_only.apply(&socket2::SockRef::from(&inc.stream), ip) {
                    warn!(target: "network", "peer {ip}: cannot set TTL options: {e}");
                }
            }
        }
        self.on_connected(
            SessionKey {
                neighbor: id,
                generation,
            },
            inc.stream,
            true,
        );
    }

    fn on_connected(&mut self, key: SessionKey, stream: std::net::TcpStream, incoming: bool) {
        if !self.current(key) || self.stopping.is_some() {
            return;
        }
        let version = self.settings.version.clone();
        let openwait = Duration::from_secs(u64::from(self.settings.bgp.openwait.max(1)));
        let (writer, outgoing) = crossbeam_channel::bounded(WRITER_QUEUE + 8);
        let max_len = Arc::new(AtomicUsize::new(MAX_LEN));
        let (local, remote) = match (stream.local_addr(), stream.peer_addr()) {
            (Ok(l), Ok(r)) => (l, r),
            _ => {
                self.after_session_end(key.neighbor, false);
                return;
            }
        };
        let threads = match io::spawn_session(
            key,
            &stream,
            max_len.clone(),
            self.session_tx.clone(),
            outgoing,
        ) {
            Ok(t) => t,
            Err(e) => {
                warn!(target: "network", "peer {}: cannot start session threads: {e}", remote.ip());
                self.after_session_end(key.neighbor, false);
                return;
            }
        };
        let Some(n) = self.neighbor(key.neighbor) else {
            return;
        };
        let router_id = n.config.router_id.or(match canonical(local.ip()) {
            IpAddr::V4(a) => Some(a),
            IpAddr::V6(_) => None,
        });
        let mut open = open::build_open(
            &n.config,
            router_id.unwrap_or(Ipv4Addr::UNSPECIFIED),
            &version,
        );
        if !n.restarted {
            clear_restart_state(&mut open);
        }
        let mut buf = Vec::new();
        if let Err(e) = Message::Open(open.clone()).encode(&Negotiated::default(), &mut buf) {
            warn!(target: "network", "peer {}: cannot encode our OPEN: {e}", remote.ip());
        }
        let open_sent = sends(&n.helpers, kind::OPEN).then(|| buf.clone());
        n.counts = Default::default();
        n.counts.note_sent(&buf);
        let _ = writer.try_send(Outgoing::Bytes(buf));
        info!(target: "network", "peer {}: connected ({local} -> {remote}), OPEN sent", remote.ip());
        n.state = State::OpenSent;
        n.session = Some(Session {
            key,
            stream,
            writer,
            threads: threads.into(),
            max_len,
            local,
            remote,
            sent_open: Some(open),
            received_open: None,
            negotiated: None,
            hold_deadline: Some(Instant::now() + openwait),
            keepalive_due: None,
            incoming,
        });
        self.report_state(key.neighbor, StateChange::Connected);
        if let Some(bytes) = open_sent {
            self.report_sent(key.neighbor, &bytes);
        }
    }

    fn on_frame(&mut self, key: SessionKey, frame: Frame) {
        let id = key.neighbor;
        let Some(n) = self.neighbor(id) else { return };
        let Some(s) = n.session.as_mut() else { return };
        let decoded = match &s.negotiated {
            Some(neg) => Message::decode(frame.kind, &frame.body, neg),
            None => Message::decode(frame.kind, &frame.body, &Negotiated::default()),
        };
        let msg = match decoded {
            Ok(m) => m,
            Err(e) => {
                let reason = format!("malformed message: {}", e.reason);
                self.close_session(id, Some(notification(e.notify)), &reason);
                return;
            }
        };
        if let Some(hold) = s.negotiated.as_ref().map(|n| n.hold_time) {
            s.hold_deadline = hold_interval(hold).map(|h| Instant::now() + h);
        }
        n.counts.note_received(frame.kind);
        self.report_received(id, &frame, &msg);
        let Some(n) = self.neighbor(id) else { return };
        let peer = n.config.peer_address;
        match (n.state, msg) {
            (_, Message::Notification(note)) => {
                let text = String::from_utf8_lossy(&note.data).to_string();
                warn!(target: "network", "peer {peer}: received NOTIFICATION {}/{} {text}", note.code, note.subcode);
                let reason = format!("notification received ({},{})", note.code, note.subcode);
                self.close_session(id, None, &reason);
            }
            (State::OpenSent, Message::Open(received)) => self.on_open(id, received),
            (State::OpenConfirm, Message::Keepalive) => self.on_established(id),
            (State::Established, Message::Keepalive) => {}
            (State::Established, Message::Update(update)) => {
                n.updates_received += 1;
                // RFC 7606: the session stays up; what the codec dropped is logged here.
                for code in &update.discarded {
                    warn!(target: "network", "peer {peer}: attribute {} discarded (RFC 7606)", attribute_name(*code));
                }
                if let Some(why) = update.treat_as_withdraw {
                    warn!(target: "network", "peer {peer}: UPDATE treated as withdraw (RFC 7606): {why}, {} NLRI withdrawn", update.withdrawn.len());
                }
                if log::log_enabled!(target: "routes", log::Level::Info) {
                    for nlri in &update.withdrawn {
                        info!(target: "routes", "peer {peer}: withdrawn {}", describe(nlri));
                    }
                    for nlri in &update.announced {
                        info!(target: "routes", "peer {peer}: received {}", describe(nlri));
                    }
                }
                if n.config.adj_rib_in {
                    n.adj_rib_in
                        .update(&frame.body, &update.withdrawn, &update.announced);
                }
            }
            (State::Established, Message::RouteRefresh(rr)) => {
                debug!(target: "message", "peer {peer}: ROUTE-REFRESH for {}", rr.family);
                // A request (subtype 0) asks for the table again; BoRR/EoRR only frame theirs.
                if rr.subtype == 0 && n.config.adj_rib_out {
                    self.resend_table(id, Some(rr.family));
                }
            }
            (state, msg) => {
                // RFC 4271 §6.6: an unexpected message is a Finite State Machine Error, with the
                // subcode naming our state (RFC 6608).
                let subcode = match state {
                    State::OpenSent => 1,
                    State::OpenConfirm => 2,
                    _ => 3,
                };
                let reason = format!(
                    "unexpected {} in state {}",
                    message_name(&msg),
                    state.name()
                );
                self.close_session(
                    id,
                    Some(Notification {
                        code: 5,
                        subcode,
                        data: Vec::new(),
                    }),
                    &reason,
                );
            }
        }
    }

    fn on_open(&mut self, id: usize, received: crate::bgp::message::Open) {
        let Some(n) = self.neighbor(id) else { return };
        let Some(s) = n.session.as_mut() else { return };
        let Some(sent) = s.sent_open.as_ref() else {
            return;
        };
        match negotiate::negotiate(&n.config, sent, &received, canonical(s.local.ip())) {
            Ok(neg) => {
                s.max_len.store(neg.max_message, Ordering::Relaxed);
                let now = Instant::now();
                s.hold_deadline = hold_interval(neg.hold_time).map(|h| now + h);
                s.keepalive_due = keepalive_interval(neg.hold_time).map(|k| now + k);
                let mut buf = Vec::with_capacity(19);
                let mut sent = None;
                if Message::Keepalive.encode(&neg, &mut buf).is_ok() {
                    sent = sends(&n.helpers, kind::KEEPALIVE).then(|| buf.clone());
                    n.counts.note_sent(&buf);
                    let _ = s.writer.try_send(Outgoing::Bytes(buf));
                }
                s.negotiated = Some(neg);
                s.received_open = Some(received);
                n.state = State::OpenConfirm;
                if let Some(bytes) = sent {
                    self.report_sent(id, &bytes);
                }
            }
            Err(notify) => {
                let reason = format!("OPEN refused: {notify}");
                self.close_session(id, Some(notification(notify)), &reason);
            }
        }
    }

    fn on_established(&mut self, id: usize) {
        let Some(n) = self.neighbor(id) else { return };
        n.state = State::Established;
        n.failures = 0;
        n.restarted = false;
        let families: Vec<Family> = match (
            n.config.manual_eor,
            n.session.as_ref().and_then(|s| s.negotiated.as_ref()),
        ) {
            (false, Some(neg)) => neg.families.clone(),
            _ => Vec::new(),
        };
        n.rib.start_session(&families);
        if let Some(neg) = n.session.as_ref().and_then(|s| s.negotiated.as_ref()) {
            n.adj_rib_in.start_session(neg);
        }
        n.established_at = Some(Instant::now());
        n.updates_from = Some(Instant::now() + FIRST_UPDATE_DELAY);
        info!(target: "network", "peer {}: session established, {} routes to send", n.config.peer_address, n.rib.len());
        self.report_state(id, StateChange::Up);
    }

    pub(super) fn flush_neighbor(&mut self, id: usize) {
        let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) else {
            return;
        };
        if n.state != State::Established || !n.rib.has_pending() {
            return;
        }
        if n.updates_from.is_some_and(|t| t > Instant::now()) {
            return;
        }
        n.updates_from = None;
        let Some(s) = n.session.as_ref() else { return };
        let Some(neg) = s.negotiated.as_ref() else {
            return;
        };
        let group = n.config.group_updates;
        let reporting = sends(&n.helpers, kind::UPDATE) || sends(&n.helpers, kind::ROUTE_REFRESH);
        let mut sent: Vec<Vec<u8>> = Vec::new();
        while n.rib.has_pending() && s.writer.len() < WRITER_QUEUE {
            let mut buf = Vec::with_capacity(BATCH_BYTES + 4096);
            match n.rib.encode(&mut buf, BATCH_BYTES, group, neg) {
                Ok(messages) => n.updates_sent += messages as u64,
                Err(e) => {
                    warn!(target: "rib", "peer {}: cannot encode UPDATE: {e}", n.config.peer_address);
                    n.rib.clear_queue();
                }
            }
            if buf.is_empty() {
                continue;
            }
            let copy = reporting.then(|| buf.clone());
            n.counts.note_sent(&buf);
            match s.writer.try_send(Outgoing::Bytes(buf)) {
                Ok(()) => sent.extend(copy),
                Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => break,
            }
        }
        for bytes in sent {
            self.report_sent(id, &bytes);
        }
    }

    /// Send `notify` (if any), close the connection, and decide what happens next.
    pub(super) fn close_session(&mut self, id: usize, notify: Option<Notification>, reason: &str) {
        let stopping = self.stopping.is_some();
        let Some(n) = self.neighbor(id) else { return };
        let Some(s) = n.session.take() else { return };
        let was_established = n.state == State::Established;
        n.state = State::Idle;
        // Events still in flight from this connection are ignored from now on.
        n.generation = 0;
        info!(target: "network", "peer {}: session closed: {reason}", n.config.peer_address);
        // A session we tear down (Cease) after announcing graceful restart is closed without
        // a NOTIFICATION, as ExaBGP does, so the peer keeps our routes while we come back
        // (RFC 4724 helper mode; RFC 8538 would make a Cease end that).
        let silent = was_established
            && notify
                .as_ref()
                .is_some_and(|note| note.code == super::cease::CODE)
            && announced_graceful_restart(s.sent_open.as_ref());
        let notify = if silent {
            info!(target: "network", "peer {}: graceful restart announced, closing the session without notification", n.config.peer_address);
            None
        } else {
            notify
        };
        // The reason helpers are given is ExaBGP's, which names the NOTIFICATION we sent.
        let told = match (&notify, stopping) {
            (_, true) => "stop, message [shutting down]".to_string(),
            (Some(note), false) => format!("notification sent ({},{})", note.code, note.subcode),
            (None, false) if silent => {
                "graceful restarted negotiated, closing without sending any notification"
                    .to_string()
            }
            (None, false) => reason.to_string(),
        };
        let mut note_sent = None;
        if let Some(note) = notify {
            let mut buf = Vec::new();
            if Message::Notification(note)
                .encode(&Negotiated::default(), &mut buf)
                .is_ok()
            {
                note_sent = sends(&n.helpers, kind::NOTIFICATION).then(|| buf.clone());
                let _ = s.writer.try_send(Outgoing::Bytes(buf));
            }
        }
        if s.writer.try_send(Outgoing::Close).is_err() {
            let _ = s.stream.shutdown(std::net::Shutdown::Both);
        }
        n.rib.clear_queue();
        n.established_at = None;
        if let Some(bytes) = note_sent {
            self.report_sent(id, &bytes);
        }
        self.report_state(id, StateChange::Down(&told));
        // Kept so the daemon can let the NOTIFICATION reach the wire before it exits.
        self.closing.push(super::Closing {
            threads: s.threads,
            stream: Some(s.stream),
            deadline: Instant::now() + super::CLOSE_LINGER,
        });
        self.after_session_end(id, was_established);
    }

    /// After an attempt or session ends: retry later, or drop the neighbor once it used its
    /// tcp.attempts.
    fn after_session_end(&mut self, id: usize, was_established: bool) {
        let attempts = self.settings.tcp.attempts;
        let stopping = self.stopping.is_some();
        let Some(n) = self.neighbor(id) else { return };
        n.state = State::Idle;
        if attempts > 0 && n.attempts >= attempts {
            info!(target: "reactor", "peer {}: no connection attempts left, removing it", n.config.peer_address);
            if let Some(slot) = self.neighbors.get_mut(id) {
                *slot = None;
            }
            return;
        }
        if stopping || n.config.passive {
            return;
        }
        // A peer that refuses us before the session is up (connection refused, NOTIFICATION
        // after OPEN) is retried with a growing delay; one that was up, at once.
        let delay = if was_established {
            RECONNECT_AFTER_CLOSE
        } else {
            n.failures += 1;
            n.retry_delay()
        };
        n.next_connect = Some(Instant::now() + delay);
    }
}

/// ExaBGP's name for a path attribute code, as its logs and API show it.
fn attribute_name(code: u8) -> std::borrow::Cow<'static, str> {
    crate::bgp::attribute::name(code)
}

/// A reconnection is not a restart of this speaker: its OPEN does not claim the graceful
/// restart Restart State bit (RFC 4724 §4.2).
fn clear_restart_state(open: &mut crate::bgp::message::Open) {
    for cap in &mut open.capabilities {
        if let crate::bgp::capability::Capability::GracefulRestart { restart_flags, .. } = cap {
            *restart_flags &= !RESTART_STATE;
        }
    }
}

fn announced_graceful_restart(open: Option<&crate::bgp::message::Open>) -> bool {
    open.is_some_and(|o| {
        o.capabilities.iter().any(|c| {
            matches!(
                c,
                crate::bgp::capability::Capability::GracefulRestart { .. }
            )
        })
    })
}

/// The graceful restart Restart State (R) flag, in the high nibble of the restart flags.
const RESTART_STATE: u8 = 0x8;

pub(super) fn describe(nlri: &crate::bgp::Nlri) -> String {
    match nlri {
        crate::bgp::Nlri::Inet {
            prefix,
            path_id: Some(id),
            ..
        } => format!("{prefix} path-information {id}"),
        crate::bgp::Nlri::Inet { prefix, .. } => prefix.to_string(),
        crate::bgp::Nlri::Flow(f) => f.text(None),
        // ExaBGP's text form (`10.0.0.0/24 label 16 rd 65000:1`).
        crate::bgp::Nlri::Labelled(_) => {
            let mut s = String::new();
            crate::api::encode::nlri::text(&mut s, nlri);
            crate::api::encode::nlri::text_tail(&mut s, nlri);
            s
        }
        other => format!("{} NLRI", other.family()),
    }
}

/// The socket settings a neighbor's configuration asks for (`md5-password`, `outgoing-ttl`,
/// `incoming-ttl`, `ttl-security`).
pub(super) fn socket_options(n: &crate::config::Neighbor) -> Result<io::SocketOptions, String> {
    let md5 = match &n.md5_password {
        Some(p) => Some(crate::peer::sockopt::md5_key(p, n.md5_base64)?),
        None => None,
    };
    // GTSM (RFC 5082): send with TTL 255 and accept only peers at most N hops away.
    let (ttl, min_ttl) = match n.ttl_security {
        Some(hops) => (
            Some(255),
            Some(255u8.saturating_sub(hops.saturating_sub(1))),
        ),
        None => (n.outgoing_ttl, n.incoming_ttl),
    };
    Ok(io::SocketOptions { md5, ttl, min_ttl })
}

fn notification(n: crate::bgp::Notify) -> Notification {
    Notification {
        code: n.code,
        subcode: n.subcode,
        data: n.data,
    }
}

fn message_name(m: &Message) -> &'static str {
    match m {
        Message::Open(_) => "OPEN",
        Message::Update(_) => "UPDATE",
        Message::Notification(_) => "NOTIFICATION",
        Message::Keepalive => "KEEPALIVE",
        Message::RouteRefresh(_) => "ROUTE-REFRESH",
    }
}

fn hold_interval(hold: u16) -> Option<Duration> {
    (hold > 0).then(|| Duration::from_secs(u64::from(hold)))
}

fn keepalive_interval(hold: u16) -> Option<Duration> {
    (hold > 0).then(|| Duration::from_secs(u64::from(hold / 3).max(1)))
}

/// An IPv4-mapped IPv6 address as plain IPv4 (dual-stack sockets report peers that way).
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn contains(range: &crate::bgp::Prefix, ip: IpAddr) -> bool {
    let len = range.len();
    crate::bgp::Prefix::new(ip, len).is_some_and(|p| p == *range)
}
