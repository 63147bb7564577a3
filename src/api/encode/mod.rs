//! What ExaBGP 5.0 writes to its helper processes' stdin: events in JSON (`encoder json`) or
//! text (`encoder text`), byte for byte (`reactor/api/response/{json,text}.py` in ExaBGP).
//!
//! The reactor owns one [`Encoder`] per helper. Every event function appends the complete
//! bytes to write for that event to a caller-owned `String` (reused between events: clear it
//! yourself) and returns whether anything was appended; nothing else is written. The appended
//! bytes always end with the line terminator(s) ExaBGP writes:
//! * JSON: one line and `\n`;
//! * text: the event's line(s), each ending `\n`, then one more `\n` (ExaBGP's writer adds a
//!   newline after text that already ends with one, so helpers see a blank line after every
//!   event); the operational lines are the exception ExaBGP makes, with a single `\n`.
//!
//! The text encoder has no `negotiated`, `fsm` or `signal` event: those return `false`.
//! Everything written is ASCII; peer-supplied strings are escaped so they cannot end a line.
//! The clock, host name, pids and per-neighbor counter come in through [`Header`], so output
//! is deterministic for tests.

pub mod attr;
mod bgpls;
mod bgpls_attr;
mod capability;
pub(crate) mod digits;
mod escape;
mod evpn;
mod extcomm;
mod flow;
pub mod json;
mod l2vpn_mcast_mup;
mod labelled;
pub mod nlri;
mod pmsi;
mod prefix_sid;
mod rtc;
mod shutdown;
mod srv6_service;
pub mod text;

use std::net::{IpAddr, Ipv4Addr};

use crate::bgp::message::{Notification, Open, RouteRefresh, Update};
use crate::bgp::{Family, Negotiated};

/// The JSON format version ExaBGP 5.0 announces in every event (not the release number).
pub const JSON_VERSION: &str = "5.0.0";

/// The per-event envelope values the encoder does not compute itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Header<'a> {
    /// Seconds since the epoch (ExaBGP's `time.time()`).
    pub time: f64,
    pub host: &'a str,
    pub pid: u32,
    pub ppid: u32,
    /// This helper's event count for this neighbor, starting at 1 (ExaBGP counts per neighbor
    /// and per encoder). Ignored by the shutdown notice, which has none.
    pub counter: u64,
}

/// The neighbor an event is about, as the reactor knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Neighbor {
    /// `None` prints as ExaBGP prints an unset address: `None`.
    pub local_address: Option<IpAddr>,
    pub peer_address: IpAddr,
    pub local_as: u32,
    pub peer_as: u32,
    /// The configured (local) router-id; omitted from the JSON when unset.
    pub router_id: Option<Ipv4Addr>,
}

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Send,
    Receive,
    /// `exabgp decode` reports the message it decoded as direction `in`.
    Decode,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Send => "send",
            Direction::Receive => "receive",
            Direction::Decode => "in",
        }
    }
}

/// The raw message split as ExaBGP splits it: the 19-byte header and the body.
/// Passed to the parsed events when the neighbor's api asks for `consolidate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Raw<'a> {
    pub header: &'a [u8],
    pub body: &'a [u8],
}

impl<'a> Raw<'a> {
    /// Split a whole message (header included); `None` when shorter than a header.
    pub fn split(message: &'a [u8]) -> Option<Raw<'a>> {
        let header = message.get(..crate::bgp::message::HEADER_LEN)?;
        let body = message.get(crate::bgp::message::HEADER_LEN..)?;
        Some(Raw { header, body })
    }
}

/// The RFC 4271 §8 session states, named as ExaBGP names them in `fsm` events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsmState {
    Idle,
    Active,
    Connect,
    OpenSent,
    OpenConfirm,
    Established,
}

impl FsmState {
    pub fn name(self) -> &'static str {
        match self {
            FsmState::Idle => "IDLE",
            FsmState::Active => "ACTIVE",
            FsmState::Connect => "CONNECT",
            FsmState::OpenSent => "OPENSENT",
            FsmState::OpenConfirm => "OPENCONFIRM",
            FsmState::Established => "ESTABLISHED",
        }
    }
}

/// What the negotiated event reports beyond `crate::bgp::Negotiated`, which does not track
/// these two yet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NegotiatedExtra {
    pub multisession: bool,
    pub operational: bool,
}

/// ExaBGP's private OPERATIONAL message (draft-ietf-idr-operational-message), in the three
/// forms its encoders report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operational<'a> {
    /// The message name, e.g. `adm` / `asm` (advisory), `rpcq` (query), `apcp` (counter).
    pub name: &'a str,
    pub family: Family,
    pub kind: OperationalKind<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationalKind<'a> {
    Advisory(&'a str),
    Query,
    Counter {
        router_id: Ipv4Addr,
        sequence: u32,
        counter: u32,
    },
}

/// Output format of one helper (`encoder json|text` in its `process` block).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
}

/// One helper's encoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encoder {
    pub format: Format,
    /// `exabgp.api.compact`: inet NLRIs as bare strings in JSON.
    pub compact: bool,
}

impl Encoder {
    pub fn json(compact: bool) -> Encoder {
        Encoder {
            format: Format::Json,
            compact,
        }
    }

    pub fn text() -> Encoder {
        Encoder {
            format: Format::Text,
            compact: false,
        }
    }

    /// `state: connected` (needs `neighbor-changes`).
    pub fn connected(&self, out: &mut String, h: &Header<'_>, n: &Neighbor) -> bool {
        match self.format {
            Format::Json => json::state(out, h, n, "connected", None),
            Format::Text => text::state(out, n, "connected", None),
        }
        true
    }

    /// `state: up` (needs `neighbor-changes`).
    pub fn up(&self, out: &mut String, h: &Header<'_>, n: &Neighbor) -> bool {
        match self.format {
            Format::Json => json::state(out, h, n, "up", None),
            Format::Text => text::state(out, n, "up", None),
        }
        true
    }

    /// `state: down` with ExaBGP's reason text (needs `neighbor-changes`).
    pub fn down(&self, out: &mut String, h: &Header<'_>, n: &Neighbor, reason: &str) -> bool {
        match self.format {
            Format::Json => json::state(out, h, n, "down", Some(reason)),
            Format::Text => text::state(out, n, "down", Some(reason)),
        }
        true
    }

    /// The notice every helper gets when the daemon exits.
    pub fn shutdown(&self, out: &mut String, h: &Header<'_>) -> bool {
        match self.format {
            Format::Json => json::shutdown(out, h),
            Format::Text => text::shutdown(out, h),
        }
        true
    }

    /// The negotiated session parameters (needs `negotiated`); JSON only.
    pub fn negotiated(
        &self,
        out: &mut String,
        h: &Header<'_>,
        n: &Neighbor,
        neg: &Negotiated,
        extra: NegotiatedExtra,
    ) -> bool {
        match self.format {
            Format::Json => {
                json::negotiated(out, h, n, neg, extra);
                true
            }
            Format::Text => false,
        }
    }

    /// An FSM state change (needs `fsm`); JSON only.
    pub fn fsm(&self, out: &mut String, h: &Header<'_>, n: &Neighbor, state: FsmState) -> bool {
        match self.format {
            Format::Json => {
                json::fsm(out, h, n, state);
                true
            }
            Format::Text => false,
        }
    }

    /// A signal received by the daemon (needs `signal`), by number; JSON only.
    pub fn signal(&self, out: &mut String, h: &Header<'_>, n: &Neighbor, signal: i32) -> bool {
        match self.format {
            Format::Json => {
                json::signal(out, h, n, signal);
                true
            }
            Format::Text => false,
        }
    }

    /// A parsed OPEN.
    pub fn open(
        &self,
        out: &mut String,
        h: &Header<'_>,
        n: &Neighbor,
        dir: Direction,
        open: &Open,
        raw: Option<Raw<'_>>,
    ) -> bool {
        match self.format {
            Format::Json => json::open(out, h, n, dir, open, raw),
            Format::Text => text::open(out, n, dir, open, raw),
        }
        true
    }

    /// A parsed UPDATE (or End-of-RIB). `ctx.negotiated` when the api asks for `negotiated`,
    /// `ctx.raw` for `consolidate` (text shows it too).
    pub fn update(
        &self,
        out: &mut String,
        h: &Header<'_>,
        n: &Neighbor,
        dir: Direction,
        update: &Update,
        ctx: Context<'_>,
    ) -> bool {
        match self.format {
            Format::Json => json::update(out, h, n, dir, update, ctx, self.compact),
            Format::Text => text::update(out, n, dir, update, ctx.raw),
        }
        true
    }

    /// A parsed NOTIFICATION.
    pub fn notification(
        &self,
        out: &mut String,
        h: &Header<'_>,
        n: &Neighbor,
        dir: Direction,
        msg: &Notification,
        raw: Option<Raw<'_>>,
    ) -> bool {
        match self.format {
            Format::Json => json::notification(out, h, n, dir, msg, raw),
            Format::Text => text::notification(out, n, dir, msg, raw),
        }
        true
    }

    /// A KEEPALIVE.
    pub fn keepalive(
        &self,
        out: &mut String,
        h: &Header<'_>,
        n: &Neighbor,
        dir: Direction,
        raw: Option<Raw<'_>>,
    ) -> bool {
        match self.format {
            Format::Json => json::keepalive(out, h, n, dir, raw),
            Format::Text => text::keepalive(out, n, dir, raw),
        }
        true
    }

    /// A ROUTE-REFRESH (RFC 2918 / RFC 7313).
    pub fn refresh(
        &self,
        out: &mut String,
        h: &Header<'_>,
        n: &Neighbor,
        dir: Direction,
        rr: &RouteRefresh,
        raw: Option<Raw<'_>>,
    ) -> bool {
        match self.format {
            Format::Json => json::refresh(out, h, n, dir, rr, raw),
            Format::Text => text::refresh(out, n, dir, rr, raw),
        }
        true
    }

    /// An OPERATIONAL message.
    pub fn operational(
        &self,
        out: &mut String,
        h: &Header<'_>,
        n: &Neighbor,
        dir: Direction,
        op: &Operational<'_>,
        raw: Option<Raw<'_>>,
    ) -> bool {
        match self.format {
            Format::Json => json::operational(out, h, n, dir, op, raw),
            Format::Text => text::operational(out, n, dir, op, raw),
        }
        true
    }

    /// A raw message (`packets`): its type code, and `ctx.raw`'s header and body in hex.
    /// `ctx.negotiated` when the api asks for `negotiated` (JSON only).
    pub fn packets(
        &self,
        out: &mut String,
        h: &Header<'_>,
        n: &Neighbor,
        dir: Direction,
        category: u8,
        ctx: Context<'_>,
    ) -> bool {
        match self.format {
            Format::Json => json::packets(out, h, n, dir, category, ctx),
            Format::Text => text::packets(out, n, dir, category, ctx.raw),
        }
        true
    }
}

/// The optional parts of a message event: the negotiated object ExaBGP appends to updates
/// and packets when the api asks for `negotiated`, and the raw bytes (consolidate/packets).
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    pub negotiated: Option<(&'a Negotiated, NegotiatedExtra)>,
    pub raw: Option<Raw<'a>>,
}
