//! The reactor: one thread, one `select!` loop, owning every neighbor, its RIB and its session.
//! Peer bytes, accepted connections, signals and timers all arrive here as channel messages.

mod cease;
mod cli_helper;
mod collision;
mod commands;
mod helpers;
mod neighbor;
mod report;
mod session;
mod show;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{after, never, select, Receiver, Sender};
use log::{info, warn};

use crate::api::process::HelperEvent;
use crate::bgp::attribute::NextHop;
use crate::bgp::{Afi, Attributes, Nlri};
use crate::config::{self, Config};
use crate::env::Settings;
use crate::listener::Incoming;
use crate::peer::io::SessionEvent;
use crate::rib::intern::Interner;
use crate::rib::table::RouteTable;
use crate::signal::Signal;

use helpers::{Helper, Identity};
pub use neighbor::{Neighbor, State};

/// How long a shutdown waits for NOTIFICATIONs to be written before giving up.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// Longest run of session events applied before timers are looked at again.
const DRAIN_BUDGET: Duration = Duration::from_millis(100);
/// How long a closed session's writer may take to put its last bytes on the wire before the
/// socket is shut down under it: a peer that stopped reading would otherwise keep the writer
/// (and the reader beside it) blocked for ever.
const CLOSE_LINGER: Duration = Duration::from_secs(5);

/// Routes of an Adj-RIB-Out, with their attributes.
type RibRoutes = Vec<(Nlri, Arc<Attributes>)>;

/// The threads of a closed session, still writing their last bytes.
struct Closing {
    threads: Vec<JoinHandle<()>>,
    stream: Option<std::net::TcpStream>,
    deadline: Instant,
}

impl Closing {
    fn finished(&self) -> bool {
        self.threads.iter().all(JoinHandle::is_finished)
    }

    /// Past its deadline, unblock the threads by shutting the socket down.
    fn expire(&mut self, now: Instant) {
        if now >= self.deadline {
            if let Some(stream) = self.stream.take() {
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        }
    }
}

/// Input channels, created by the daemon before the threads feeding them.
pub struct Inputs {
    pub sessions: (Sender<SessionEvent>, Receiver<SessionEvent>),
    pub helpers: (Sender<HelperEvent>, Receiver<HelperEvent>),
    pub signals: Receiver<Signal>,
    pub incoming: Receiver<Incoming>,
}

pub struct Reactor {
    settings: Settings,
    neighbors: Vec<Option<Neighbor>>,
    interner: Interner,
    session_tx: Sender<SessionEvent>,
    session_rx: Receiver<SessionEvent>,
    signals: Receiver<Signal>,
    incoming: Receiver<Incoming>,
    next_generation: u64,
    /// Set once shutdown began: the time after which the loop ends even if sessions linger.
    stopping: Option<Instant>,
    configs: Vec<PathBuf>,
    /// Index in `configs` of the file in use (rotates on reload with debug.rotate).
    config_index: usize,
    /// Writer threads of closed sessions, still writing their last bytes.
    closing: Vec<Closing>,
    helpers: Vec<Helper>,
    helper_tx: Sender<HelperEvent>,
    helper_rx: Receiver<HelperEvent>,
    identity: Identity,
}

impl Reactor {
    pub fn new(
        settings: Settings,
        configs: Vec<PathBuf>,
        config: Config,
        inputs: Inputs,
    ) -> Reactor {
        let (session_tx, session_rx) = inputs.sessions;
        let (helper_tx, helper_rx) = inputs.helpers;
        let mut reactor = Reactor {
            settings,
            neighbors: Vec::new(),
            interner: Interner::default(),
            session_tx,
            session_rx,
            signals: inputs.signals,
            incoming: inputs.incoming,
            next_generation: 1,
            stopping: None,
            configs,
            config_index: 0,
            closing: Vec::new(),
            helpers: Vec::new(),
            helper_tx,
            helper_rx,
            identity: Identity::current(),
        };
        reactor.apply_config(config, false);
        reactor.start_cli();
        reactor
    }

    /// Add the processes and neighbors of `config`: helpers not running yet are started
    /// (all of them when `restart_helpers`), neighbors get their routes and helper bindings.
    fn apply_config(&mut self, config: Config, restart_helpers: bool) {
        self.update_helpers(config.processes, restart_helpers);
        for n in config.neighbors {
            let mut neighbor = Neighbor::new(n);
            if self.settings.bgp.passive {
                neighbor.config.passive = true;
            }
            let routes = std::mem::take(&mut neighbor.config.routes);
            let local = neighbor.config.local_address;
            for route in routes {
                let shared = self.interner.intern(route.attributes);
                let attrs = self.resolve_self(&shared, &route.nlri, local);
                if let Some(dog) = route.extra.as_ref().and_then(|x| x.watchdog.clone()) {
                    neighbor
                        .watchdogs
                        .entry(dog)
                        .or_default()
                        .push((route.nlri.clone(), attrs.clone()));
                }
                if !route.extra.as_ref().is_some_and(|x| x.withdrawn) {
                    neighbor.rib.announce_configured(route.nlri, attrs, false);
                }
            }
            if !neighbor.config.passive {
                neighbor.next_connect = Some(Instant::now());
            }
            self.neighbors.push(Some(neighbor));
        }
        for id in 0..self.neighbors.len() {
            let Some(api) = self
                .neighbors
                .get(id)
                .and_then(Option::as_ref)
                .map(|n| n.config.api.clone())
            else {
                continue;
            };
            let bound = self.helpers_of(&api);
            if let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) {
                n.helpers = bound;
            }
        }
        self.start_helpers();
    }

    /// `next-hop self` with a configured local address of the route's AFI is that address,
    /// so re-announcing a route with either spelling is no change (as ExaBGP). Without one the
    /// session's address is used when the UPDATE is encoded.
    fn resolve_self(
        &mut self,
        attrs: &Arc<Attributes>,
        nlri: &Nlri,
        local: Option<IpAddr>,
    ) -> Arc<Attributes> {
        let is_self = attrs.next_hop == Some(NextHop::SelfAddr);
        match local {
            Some(addr) if is_self && addr.is_ipv4() == (nlri.family().afi == Afi::IPV4) => {
                let mut resolved = (**attrs).clone();
                resolved.next_hop = Some(NextHop::Addr(addr));
                self.interner.intern(resolved)
            }
            _ => attrs.clone(),
        }
    }

    /// Reconcile the helper registry with the configured processes: a process present before
    /// and after keeps running (unless `restart`), a removed one is stopped, a new one added.
    fn update_helpers(&mut self, processes: Vec<crate::config::Process>, restart: bool) {
        let compact = self.settings.api.compact;
        let ack = self.settings.api.ack;
        for h in self.helpers.iter_mut().filter(|h| !h.internal) {
            let kept = processes.iter().any(|p| p.name == h.process.name);
            if !kept || restart {
                h.retired = !kept;
                if let Some(r) = h.running.take() {
                    r.signal(libc::SIGTERM);
                }
            }
        }
        for p in processes {
            match self.helpers.iter_mut().find(|h| h.process.name == p.name) {
                Some(h) => {
                    h.retired = false;
                    h.process = p;
                }
                None => self.helpers.push(Helper::new(p, compact, ack)),
            }
        }
    }

    /// Run until shutdown. Returns when every session is closed (or the grace time is over).
    pub fn run(&mut self) {
        loop {
            let now = Instant::now();
            self.on_timers(now);
            if self.finished(now) {
                break;
            }
            let wake = match self.next_deadline() {
                Some(at) => after(at.saturating_duration_since(Instant::now())),
                None => never(),
            };
            select! {
                recv(self.session_rx) -> ev => match ev {
                    Ok(ev) => {
                        self.on_session_event(ev);
                        // Apply everything already waiting before encoding UPDATEs, within a
                        // time budget: a peer flooding UPDATEs (each maybe an event to encode
                        // for helpers) must not hold back the keepalive timers.
                        let budget = Instant::now() + DRAIN_BUDGET;
                        while Instant::now() < budget {
                            let Ok(ev) = self.session_rx.try_recv() else { break };
                            self.on_session_event(ev);
                        }
                    }
                    Err(_) => break,
                },
                recv(self.signals) -> sig => {
                    if let Ok(sig) = sig {
                        self.on_signal(sig);
                    }
                },
                recv(self.helper_rx) -> ev => {
                    // One read of one helper at a time: its commands are applied as a batch,
                    // then the UPDATEs they cause go out before the next read is looked at.
                    if let Ok(ev) = ev {
                        self.on_helper_event(ev);
                    }
                },
                recv(self.incoming) -> inc => {
                    if let Ok(inc) = inc {
                        self.on_incoming(inc);
                    }
                },
                recv(wake) -> _ => {},
            }
            self.flush();
            self.flush_helpers();
            let now = Instant::now();
            self.closing.iter_mut().for_each(|c| c.expire(now));
            self.closing.retain(|c| !c.finished());
        }
        self.drain_writers();
        self.stop_helpers();
        info!(target: "reactor", "stopped");
    }

    /// Give closing sessions a moment to put their NOTIFICATION on the wire.
    fn drain_writers(&mut self) {
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        while self.closing.iter().any(|c| !c.finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.closing.clear();
    }

    fn finished(&self, now: Instant) -> bool {
        match self.stopping {
            Some(deadline) => now >= deadline || self.live_neighbors().all(|n| n.session.is_none()),
            None => {
                // tcp.attempts: once every neighbor used its attempts, the daemon ends.
                self.settings.tcp.attempts > 0 && self.live_neighbors().next().is_none()
            }
        }
    }

    fn live_neighbors(&self) -> impl Iterator<Item = &Neighbor> {
        self.neighbors.iter().flatten()
    }

    fn on_signal(&mut self, sig: Signal) {
        match sig {
            Signal::Shutdown(raw) => {
                info!(target: "reactor", "signal {raw} received: shutting down");
                self.shutdown();
            }
            Signal::Reload => {
                info!(target: "reactor", "reload requested");
                self.reload(false);
            }
            Signal::ReloadRestartHelpers => {
                info!(target: "reactor", "reload requested, helpers restarted");
                self.reload(true);
            }
            Signal::Restart => {
                info!(target: "reactor", "restart requested: sessions re-established, helpers restarted");
                self.reload(true);
                self.reestablish_all();
            }
        }
    }

    /// Cease every session and stop connecting; the loop ends once the sessions are closed.
    pub fn shutdown(&mut self) {
        if self.stopping.is_some() {
            return;
        }
        self.stopping = Some(Instant::now() + SHUTDOWN_GRACE);
        for id in 0..self.neighbors.len() {
            if let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) {
                n.next_connect = None;
            }
            let cease = cease::cease(cease::PEER_DECONFIGURED);
            self.close_session(id, Some(cease), "shutting down");
        }
    }

    /// Tear every session down with a Cease 6/3 to bring it up again (SIGALRM, as ExaBGP);
    /// the next OPENs claim the graceful-restart R bit.
    fn reestablish_all(&mut self) {
        for id in 0..self.neighbors.len() {
            if let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) {
                n.restarted = true;
            }
            let cease = cease::cease(cease::PEER_DECONFIGURED);
            self.close_session(id, Some(cease), "restart requested");
        }
    }

    /// Re-read the configuration (the next file with debug.rotate). A configuration that fails
    /// to parse is refused and the running one kept.
    fn reload(&mut self, restart_helpers: bool) {
        if self.settings.debug.rotate && !self.configs.is_empty() {
            self.config_index = (self.config_index + 1) % self.configs.len();
        }
        let Some(path) = self.configs.get(self.config_index).cloned() else {
            return;
        };
        match config::load(&path) {
            Ok(config) => self.reconfigure(config, restart_helpers),
            Err(e) => {
                warn!(target: "configuration", "reload refused, keeping the running configuration: {e}")
            }
        }
    }

    /// Apply a new configuration: neighbors whose definition is unchanged keep their session
    /// and get the route delta; the others are re-established.
    fn reconfigure(&mut self, config: Config, restart_helpers: bool) {
        let mut fresh = config.neighbors;
        // Routes helpers announced to a neighbor that is re-created, by its name: ExaBGP keys
        // its Adj-RIB-Out by that name, so they survive a change that keeps it.
        let mut carried: Vec<(String, RibRoutes)> = Vec::new();
        for id in 0..self.neighbors.len() {
            let Some(n) = self.neighbors.get(id).and_then(Option::as_ref) else {
                continue;
            };
            let found = fresh.iter().position(|f| same_definition(&n.config, f));
            match found {
                Some(pos) => {
                    let new = fresh.remove(pos);
                    self.replace_routes(id, new.routes);
                }
                None => {
                    let from_helpers = n.rib.helper_routes();
                    carried.push((n.name(), from_helpers));
                    let cease = cease::cease(cease::PEER_DECONFIGURED);
                    self.close_session(id, Some(cease), "removed by reload");
                    if let Some(slot) = self.neighbors.get_mut(id) {
                        *slot = None;
                    }
                }
            }
        }
        let rest = Config {
            processes: config.processes,
            neighbors: fresh,
        };
        let first_new = self.neighbors.len();
        self.apply_config(rest, restart_helpers);
        for n in self.neighbors.iter_mut().skip(first_new).flatten() {
            let name = n.name();
            if let Some((_, routes)) = carried.iter().find(|(old, _)| *old == name) {
                for (nlri, attrs) in routes {
                    if !n.rib.is_from_config(nlri) {
                        n.rib.announce(nlri.clone(), attrs.clone(), false);
                    }
                }
            }
        }
    }

    /// Route delta of a reload: withdraw what disappeared, announce what is new or changed.
    fn replace_routes(&mut self, id: usize, routes: config::RouteList) {
        let Some(local) = self
            .neighbors
            .get(id)
            .and_then(Option::as_ref)
            .map(|n| n.config.local_address)
        else {
            return;
        };
        let mut wanted = Vec::new();
        for route in routes.into_iter().filter(|r| !r.withdrawn()) {
            let shared = self.interner.intern(route.attributes);
            wanted.push((
                route.nlri.clone(),
                self.resolve_self(&shared, &route.nlri, local),
            ));
        }
        let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) else {
            return;
        };
        let live = n.established();
        let mut keep: RouteTable<()> = RouteTable::default();
        for (nlri, _) in &wanted {
            keep.insert(nlri.clone(), ());
        }
        // Only routes the old configuration put there go; routes helpers announced stay.
        for nlri in n.rib.config_routes() {
            if keep.get(&nlri).is_none() {
                if let Some(attrs) = n.rib.get(&nlri) {
                    n.rib.withdraw(&nlri, attrs, live);
                }
            }
        }
        for (nlri, attrs) in wanted {
            n.rib.announce_configured(nlri, attrs, live);
        }
        self.interner.collect();
    }

    fn next_deadline(&self) -> Option<Instant> {
        let mut next: Option<Instant> = self.stopping;
        let mut consider = |t: Option<Instant>| {
            if let Some(t) = t {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        };
        for c in self.closing.iter().filter(|c| c.stream.is_some()) {
            consider(Some(c.deadline));
        }
        for n in self.live_neighbors() {
            consider(n.next_connect);
            consider(n.updates_from);
            if let Some(s) = &n.session {
                consider(s.hold_deadline);
                consider(s.keepalive_due);
            }
        }
        next
    }

    fn on_timers(&mut self, now: Instant) {
        for id in 0..self.neighbors.len() {
            self.neighbor_timers(id, now);
        }
    }

    /// Encode pending UPDATEs for every established session whose writer has room.
    fn flush(&mut self) {
        for id in 0..self.neighbors.len() {
            self.flush_neighbor(id);
        }
    }
}

/// Whether a reloaded neighbor is the same session-wise (routes aside).
fn same_definition(old: &config::Neighbor, new: &config::Neighbor) -> bool {
    let strip = |n: &config::Neighbor| config::Neighbor {
        routes: Default::default(),
        location: Default::default(),
        ..n.clone()
    };
    strip(old) == strip(new)
}
