//! Run-time state of one configured neighbor: its Adj-RIB-Out, connection attempts, and the
//! session (if any) with its RFC 4271 FSM state and timers.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use crate::api::encode::Neighbor as EncNeighbor;
use crate::bgp::message::Open;
use crate::bgp::{Attributes, Negotiated, Nlri};
use crate::config::{Api, Neighbor as NeighborConfig};
use crate::peer::io::{Outgoing, SessionKey};
use crate::rib::out::AdjRibOut;
use crate::rib::received::AdjRibIn;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Idle,
    Connect,
    OpenSent,
    OpenConfirm,
    Established,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::Connect => "connect",
            State::OpenSent => "opensent",
            State::OpenConfirm => "openconfirm",
            State::Established => "established",
        }
    }
}

pub struct Session {
    pub key: SessionKey,
    pub stream: TcpStream,
    pub writer: Sender<Outgoing>,
    /// The reader and writer threads, awaited (briefly) before the daemon exits.
    pub threads: Vec<JoinHandle<()>>,
    pub max_len: Arc<AtomicUsize>,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    pub sent_open: Option<Open>,
    /// The peer's OPEN, for `show neighbor extensive`.
    pub received_open: Option<Open>,
    pub negotiated: Option<Negotiated>,
    /// When the hold timer fires (None: hold time 0).
    pub hold_deadline: Option<Instant>,
    pub keepalive_due: Option<Instant>,
    pub incoming: bool,
}

pub struct Neighbor {
    pub config: NeighborConfig,
    pub state: State,
    pub session: Option<Session>,
    pub rib: AdjRibOut,
    /// Outgoing connection attempts made so far (for tcp.attempts).
    pub attempts: u32,
    pub generation: u64,
    pub next_connect: Option<Instant>,
    /// Consecutive failed attempts, for the reconnect back-off.
    pub failures: u32,
    /// Helpers (registry indices) that may address this neighbor and hear its events.
    pub helpers: Vec<(usize, Api)>,
    /// ExaBGP's per-neighbor event counter, advanced by every JSON event.
    pub counter: u64,
    /// Routes under `watchdog NAME`, announced and withdrawn together by helpers.
    pub watchdogs: HashMap<String, Vec<(Nlri, Arc<Attributes>)>>,
    /// Routes received from the peer (`show adj-rib in`).
    pub adj_rib_in: AdjRibIn,
    pub established_at: Option<Instant>,
    /// UPDATEs wait until then after the session comes up, so messages the peer sent right
    /// behind its KEEPALIVE (an error, a NOTIFICATION) are seen before our table goes out.
    pub updates_from: Option<Instant>,
    pub updates_sent: u64,
    pub updates_received: u64,
    /// Messages of the current session by type, for `show neighbor`.
    pub counts: super::show::Counts,
    /// Whether our next OPEN sets the graceful-restart Restart State (R) bit: as ExaBGP, from
    /// start until the first session is established, and again after an operator asked for
    /// the session to be re-established (RFC 4724 §4.2).
    pub restarted: bool,
}

impl Neighbor {
    pub fn new(config: NeighborConfig) -> Neighbor {
        Neighbor {
            config,
            state: State::Idle,
            session: None,
            rib: AdjRibOut::default(),
            attempts: 0,
            generation: 0,
            next_connect: None,
            failures: 0,
            helpers: Vec::new(),
            counter: 0,
            watchdogs: HashMap::new(),
            adj_rib_in: AdjRibIn::default(),
            established_at: None,
            updates_from: None,
            updates_sent: 0,
            updates_received: 0,
            counts: Default::default(),
            restarted: true,
        }
    }

    /// Who the neighbor is, for events sent to helpers.
    pub fn encoder_identity(&self) -> EncNeighbor {
        let c = &self.config;
        let session = self.session.as_ref();
        let negotiated_peer_as = session
            .and_then(|s| s.negotiated.as_ref())
            .map(|n| n.peer_as);
        EncNeighbor {
            local_address: c.local_address.or_else(|| session.map(|s| s.local.ip())),
            peer_address: c.peer_address,
            local_as: c.local_as,
            peer_as: c.peer_as.or(negotiated_peer_as).unwrap_or(0),
            router_id: c.router_id,
        }
    }

    /// ExaBGP's name for the peer, used in logs and API selectors.
    pub fn name(&self) -> String {
        let c = &self.config;
        let local = c
            .local_address
            .map_or_else(|| "auto".to_string(), |a| a.to_string());
        let router_id = c
            .router_id
            .map_or_else(|| "auto".to_string(), |a| a.to_string());
        let peer_as = c
            .peer_as
            .map_or_else(|| "auto".to_string(), |a| a.to_string());
        let session = family_allowed(c.capabilities.multi_session, &c.families);
        format!(
            "neighbor {} local-ip {} local-as {} peer-as {} router-id {} family-allowed {session}",
            c.peer_address, local, c.local_as, peer_as, router_id
        )
    }

    pub fn peer_ip(&self) -> IpAddr {
        self.config.peer_address
    }

    pub fn established(&self) -> bool {
        self.state == State::Established
    }

    /// Delay before the next connection attempt after `failures` attempts in a row did not
    /// reach Established: short at first, then backing off to 30 s.
    pub fn retry_delay(&self) -> Duration {
        match self.failures {
            0..=1 => Duration::from_millis(500),
            2..=3 => Duration::from_secs(1),
            4..=6 => Duration::from_secs(5),
            _ => Duration::from_secs(30),
        }
    }
}

/// The `family-allowed` word of a peer's name: `in-open`, or with multi-session the families
/// the session carries (`ipv4-unicast/ipv6-unicast`), as ExaBGP names them.
fn family_allowed(multi_session: bool, families: &[crate::bgp::Family]) -> String {
    if !multi_session {
        return "in-open".to_string();
    }
    families
        .iter()
        .map(|f| f.to_string().replace(' ', "-"))
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod name_tests {
    use super::family_allowed;
    use crate::bgp::Family;

    #[test]
    fn multi_session_names_the_families() {
        assert_eq!(family_allowed(false, &[Family::IPV4_UNICAST]), "in-open");
        assert_eq!(
            family_allowed(true, &[Family::IPV4_UNICAST, Family::new(1, 5)]),
            "ipv4-unicast/ipv4-mcast-vpn"
        );
    }
}
