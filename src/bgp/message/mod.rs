//! BGP messages (RFC 4271 §4): header framing and the five message types.

use std::net::Ipv4Addr;

use super::attribute::Attributes;
use super::capability::Capability;
use super::iana::Family;
use super::nlri::Nlri;

pub const MARKER: [u8; 16] = [0xff; 16];
pub const HEADER_LEN: usize = 19;
/// Largest message without RFC 8654 extended messages.
pub const MAX_LEN: usize = 4096;
/// Largest message with RFC 8654 extended messages.
pub const MAX_EXTENDED_LEN: usize = 65535;

pub mod kind {
    pub const OPEN: u8 = 1;
    pub const UPDATE: u8 = 2;
    pub const NOTIFICATION: u8 = 3;
    pub const KEEPALIVE: u8 = 4;
    pub const ROUTE_REFRESH: u8 = 5;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Open {
    pub version: u8,
    /// The 2-byte "My AS" field (AS_TRANS when the real ASN needs 4 bytes).
    pub asn: u16,
    pub hold_time: u16,
    pub router_id: Ipv4Addr,
    /// In wire order; ExaBGP puts each capability in its own optional parameter.
    pub capabilities: Vec<Capability>,
}

/// A decoded UPDATE. `withdrawn` and `announced` include the MP_UNREACH/MP_REACH NLRIs, so a
/// consumer sees one list per direction whatever the family.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Update {
    pub withdrawn: Vec<Nlri>,
    pub attributes: Attributes,
    pub announced: Vec<Nlri>,
    /// Set when the UPDATE is an End-of-RIB marker (RFC 4724 §2) for this family.
    pub eor: Option<Family>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub code: u8,
    pub subcode: u8,
    pub data: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteRefresh {
    pub family: Family,
    /// RFC 7313 subtype: 0 request, 1 BoRR, 2 EoRR.
    pub subtype: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Open(Open),
    Update(Update),
    Notification(Notification),
    Keepalive,
    RouteRefresh(RouteRefresh),
}
