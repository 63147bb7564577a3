//! Run-time state of one configured neighbor: its Adj-RIB-Out, connection attempts, and the
//! session (if any) with its RFC 4271 FSM state and timers.

use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use crate::bgp::message::Open;
use crate::bgp::Negotiated;
use crate::config::Neighbor as NeighborConfig;
use crate::peer::io::{Outgoing, SessionKey};
use crate::rib::out::AdjRibOut;

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
    pub writer_thread: Option<JoinHandle<()>>,
    pub max_len: Arc<AtomicUsize>,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    pub sent_open: Option<Open>,
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
        format!(
            "neighbor {} local-ip {} local-as {} peer-as {} router-id {} family-allowed in-open",
            c.peer_address, local, c.local_as, peer_as, router_id
        )
    }

    pub fn peer_ip(&self) -> IpAddr {
        self.config.peer_address
    }

    pub fn established(&self) -> bool {
        self.state == State::Established
    }

    /// Delay before the next connection attempt: at once the first time, then a back-off.
    pub fn retry_delay(&self) -> Duration {
        match self.failures {
            0 => Duration::from_millis(100),
            1..=3 => Duration::from_secs(1),
            4..=6 => Duration::from_secs(5),
            _ => Duration::from_secs(30),
        }
    }
}
