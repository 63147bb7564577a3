//! The helper registry inside the reactor: starting, respawning and stopping helpers, reading
//! their command lines, answering `done`/`error`, and sending them events about neighbors.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use log::{debug, error, info, warn};

use super::Reactor;
use crate::api::encode::{Encoder, Header, Neighbor as EncNeighbor};
use crate::api::pattern::Pattern;
use crate::api::process::{self, HelperEvent, HelperKey, Running};
use crate::config::{Api, Encoder as ConfigEncoder, Process};

/// ExaBGP counts helper starts per 64-second window of the wall clock; a sixth start within
/// one window ends the daemon.
const RESPAWN_WINDOW_SECS: u64 = 64;
const MAX_STARTS_PER_WINDOW: u32 = 5;
/// Between the shutdown notice and SIGTERM, then between SIGTERM and SIGKILL.
const NOTICE_GRACE: Duration = Duration::from_millis(100);
const TERM_GRACE: Duration = Duration::from_secs(2);

pub struct Helper {
    pub process: Process,
    pub encoder: Encoder,
    pub running: Option<Running>,
    pub generation: u64,
    /// Whether commands are answered (`enable-ack`/`disable-ack`/`silence-ack`).
    pub ack: bool,
    window: u64,
    starts: u32,
    /// Removed from the configuration by a reload: not respawned.
    pub retired: bool,
    /// Served inside the daemon (the cli pipes): kept across reloads, addresses every
    /// neighbor, has no process to signal or wait for.
    pub internal: bool,
    /// Text written to the helper during this reactor turn, sent as one message at its end.
    outbox: String,
}

impl Helper {
    pub fn new(process: Process, compact: bool, ack: bool) -> Helper {
        let encoder = match process.encoder {
            ConfigEncoder::Json => Encoder::json(compact),
            ConfigEncoder::Text => Encoder::text(),
        };
        Helper {
            process,
            encoder,
            running: None,
            generation: 0,
            ack,
            window: 0,
            starts: 0,
            retired: false,
            internal: false,
            outbox: String::new(),
        }
    }

    /// Count a start; false once the window's budget is exceeded.
    fn count_start(&mut self) -> bool {
        let window = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            / RESPAWN_WINDOW_SECS;
        if window != self.window {
            self.window = window;
            self.starts = 0;
        }
        self.starts += 1;
        self.starts <= MAX_STARTS_PER_WINDOW
    }
}

/// The per-event values the encoder does not compute.
pub struct Identity {
    pub host: String,
    pub pid: u32,
    pub ppid: u32,
}

impl Identity {
    pub fn current() -> Identity {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "localhost".into());
        Identity {
            host,
            pid: std::process::id(),
            ppid: std::os::unix::process::parent_id(),
        }
    }
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl Reactor {
    /// Start every configured helper (at start-up and for helpers a reload adds).
    pub(super) fn start_helpers(&mut self) {
        for index in 0..self.helpers.len() {
            if self
                .helpers
                .get(index)
                .is_some_and(|h| h.running.is_none() && !h.retired)
            {
                self.spawn_helper(index);
            }
        }
    }

    fn spawn_helper(&mut self, index: usize) {
        let tx = self.helper_tx.clone();
        let Some(h) = self.helpers.get_mut(index) else {
            return;
        };
        if !h.count_start() {
            error!(target: "processes", "helper {}: Too many death for this process, stopping", h.process.name);
            self.shutdown();
            return;
        }
        h.generation += 1;
        let key = HelperKey {
            index,
            generation: h.generation,
        };
        match process::spawn(key, &h.process, None, tx) {
            Ok(running) => {
                info!(target: "processes", "helper {} started (pid {}): {}", h.process.name, running.pid, h.process.run.join(" "));
                h.running = Some(running);
            }
            Err(e) => {
                error!(target: "processes", "helper {}: cannot start {}: {e}", h.process.name, h.process.run.join(" "));
                if self.settings.api.terminate {
                    self.shutdown();
                }
            }
        }
    }

    /// Helpers that may address (and hear about) a neighbor with these `api` blocks: those a
    /// block names, or whose name matches a block's `processes-match`; each with the union of
    /// the blocks that bind it (what it is sent).
    pub(super) fn helpers_of(&self, blocks: &[Api]) -> Vec<(usize, Api)> {
        let mut bound = Vec::new();
        for (index, h) in self.helpers.iter().enumerate() {
            let mut merged: Option<Api> = None;
            for block in blocks {
                let by_name = block.processes.contains(&h.process.name);
                let by_pattern = block
                    .processes_match
                    .iter()
                    .filter_map(|p| Pattern::new(p).ok())
                    .any(|p| p.matches(&h.process.name));
                if by_name || by_pattern {
                    let m = merged.get_or_insert_with(Api::default);
                    union(m, block);
                }
            }
            if let Some(api) = merged {
                bound.push((index, api));
            }
        }
        bound
    }

    pub(super) fn on_helper_event(&mut self, ev: HelperEvent) {
        match ev {
            HelperEvent::Lines { key, lines } => {
                if !self.helper_current(key) {
                    return;
                }
                for line in lines {
                    self.on_command_line(key.index, &line);
                }
            }
            HelperEvent::Exited { key, status } => {
                if !self.helper_current(key) {
                    return;
                }
                let Some(h) = self.helpers.get_mut(key.index) else {
                    return;
                };
                h.running = None;
                let name = h.process.name.clone();
                let respawn = h.process.respawn && self.settings.api.respawn && !h.retired;
                match status {
                    Some(s) => info!(target: "processes", "helper {name} exited ({s})"),
                    None => info!(target: "processes", "helper {name} exited"),
                }
                if self.stopping.is_some() {
                    return;
                }
                if self.settings.api.terminate {
                    warn!(target: "processes", "helper {name} died and api.terminate is set: shutting down");
                    self.shutdown();
                } else if respawn {
                    self.spawn_helper(key.index);
                }
            }
        }
    }

    fn helper_current(&self, key: HelperKey) -> bool {
        self.helpers
            .get(key.index)
            .is_some_and(|h| h.generation == key.generation && h.running.is_some())
    }

    /// Queue text for a helper's stdin (never blocks the reactor).
    pub(super) fn write_helper(&mut self, index: usize, text: &str) {
        if let Some(h) = self.helpers.get_mut(index) {
            if h.running.is_some() {
                h.outbox.push_str(text);
            }
        }
    }

    /// Hand what each helper was written this turn to its stdin thread, as one message.
    pub(super) fn flush_helpers(&mut self) {
        for h in &mut self.helpers {
            if h.outbox.is_empty() {
                continue;
            }
            // The next turn's outbox starts at this one's size instead of growing again.
            let next = String::with_capacity(h.outbox.len().min(1 << 18));
            let bytes = std::mem::replace(&mut h.outbox, next).into_bytes();
            let Some(r) = h.running.as_mut() else {
                continue;
            };
            if !r.send(bytes) && r.dropped.is_power_of_two() {
                warn!(target: "processes", "helper {} is not reading its input: {} message(s) dropped", h.process.name, r.dropped);
            }
        }
    }

    /// `done` or `error`, as plain text whatever the encoder, unless acks are off.
    pub(super) fn answer(&mut self, index: usize, ok: bool) {
        if self.helpers.get(index).is_some_and(|h| h.ack) {
            self.write_helper(index, if ok { "done\n" } else { "error\n" });
        }
    }

    /// Send an event about neighbor `id` to each of its helpers. `write` gets the helper's
    /// api settings, appends the encoded event if that helper wants it, and says whether it did.
    pub(super) fn emit(
        &mut self,
        id: usize,
        write: impl Fn(&Api, &Encoder, &mut String, &Header<'_>, &EncNeighbor) -> bool,
    ) {
        let Some(n) = self.neighbors.get(id).and_then(Option::as_ref) else {
            return;
        };
        if n.helpers.is_empty() {
            return;
        }
        let who = n.encoder_identity();
        let mut counter = n.counter;
        let time = now_secs();
        // Taken out while writing (nothing below reads it) rather than cloned per event.
        let targets = match self.neighbors.get_mut(id).and_then(Option::as_mut) {
            Some(n) => std::mem::take(&mut n.helpers),
            None => return,
        };
        for (index, api) in &targets {
            let Some(h) = self.helpers.get_mut(*index) else {
                continue;
            };
            let Some(running) = h.running.as_mut() else {
                continue;
            };
            if running.is_full() {
                // Not reading: do not spend time encoding what would be dropped.
                running.drop_one();
                continue;
            }
            let json = h.encoder.format == crate::api::encode::Format::Json;
            let header = Header {
                time,
                host: &self.identity.host,
                pid: self.identity.pid,
                ppid: self.identity.ppid,
                counter: counter + 1,
            };
            // Written straight into what the helper is sent this turn.
            let start = h.outbox.len();
            if write(api, &h.encoder, &mut h.outbox, &header, &who) {
                // ExaBGP's counter is per neighbor, advanced by every JSON event.
                if json {
                    counter += 1;
                }
            } else {
                h.outbox.truncate(start);
            }
        }
        if let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) {
            n.helpers = targets;
            n.counter = counter;
        }
    }

    /// Tell every helper the daemon is stopping, then end them: SIGTERM after a moment,
    /// SIGKILL for any still there after two seconds.
    pub(super) fn stop_helpers(&mut self) {
        let mut buf = String::new();
        for index in 0..self.helpers.len() {
            let Some(h) = self.helpers.get(index) else {
                continue;
            };
            if h.running.is_none() {
                continue;
            }
            buf.clear();
            let header = Header {
                time: now_secs(),
                host: &self.identity.host,
                pid: self.identity.pid,
                ppid: self.identity.ppid,
                counter: 0,
            };
            if h.encoder.shutdown(&mut buf, &header) {
                let text = buf.clone();
                self.write_helper(index, &text);
            }
        }
        self.flush_helpers();
        for h in self.helpers.iter_mut().filter(|h| h.internal) {
            // Dropping the queue lets the pipe writer finish the notice and end.
            h.running = None;
        }
        if self.helpers.iter().all(|h| h.running.is_none()) {
            return;
        }
        std::thread::sleep(NOTICE_GRACE);
        for h in &self.helpers {
            if let Some(r) = &h.running {
                r.signal(libc::SIGTERM);
            }
        }
        let deadline = Instant::now() + TERM_GRACE;
        while self.helpers.iter().any(|h| h.running.is_some()) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.helper_rx.recv_timeout(left) {
                Ok(HelperEvent::Exited { key, .. }) => {
                    if let Some(h) = self
                        .helpers
                        .get_mut(key.index)
                        .filter(|h| h.generation == key.generation)
                    {
                        h.running = None;
                    }
                }
                Ok(HelperEvent::Lines { .. }) => {}
                Err(_) => break,
            }
        }
        for h in &mut self.helpers {
            if let Some(r) = h.running.take() {
                debug!(target: "processes", "helper {} did not stop: killing it", h.process.name);
                r.signal(libc::SIGKILL);
            }
        }
    }
}

/// Add `block`'s processes and switches to `into`.
fn union(into: &mut Api, block: &Api) {
    into.processes.extend(block.processes.iter().cloned());
    into.processes_match
        .extend(block.processes_match.iter().cloned());
    into.neighbor_changes |= block.neighbor_changes;
    into.negotiated |= block.negotiated;
    into.fsm |= block.fsm;
    into.signal |= block.signal;
    for (d, s) in [
        (&mut into.receive, &block.receive),
        (&mut into.send, &block.send),
    ] {
        d.parsed |= s.parsed;
        d.packets |= s.packets;
        d.consolidate |= s.consolidate;
        d.open |= s.open;
        d.update |= s.update;
        d.notification |= s.notification;
        d.keepalive |= s.keepalive;
        d.refresh |= s.refresh;
        d.operational |= s.operational;
    }
}
