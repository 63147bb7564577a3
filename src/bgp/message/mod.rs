//! BGP messages (RFC 4271 §4): header framing and the five message types.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::attribute::{Attributes, TreatAsWithdraw};
use super::capability::Capability;
use super::error::{DecodeError, EncodeError};
use super::iana::Family;
use super::negotiated::Negotiated;
use super::nlri::Nlri;

#[cfg(test)]
mod decode_tests;
pub mod notification;
pub mod open;
pub mod refresh;
#[cfg(test)]
mod tests;
pub mod update;
pub mod update_decode;
#[cfg(test)]
mod update_tests;

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
    /// RFC 7606 treat-as-withdraw: a malformed attribute turned the announcements into
    /// withdrawals (already moved into `withdrawn`); which attribute, for the log and JSON.
    pub treat_as_withdraw: Option<TreatAsWithdraw>,
    /// RFC 7606 attribute discard: codes of malformed attributes that were dropped.
    pub discarded: Vec<u8>,
    /// Next hops ExaBGP shows beside `attributes.next_hop` (display only).
    pub shown_next_hops: ShownNextHops,
}

/// How ExaBGP groups an UPDATE's announced routes by next hop, where that differs from
/// `attributes.next_hop` for all (which the RIB keeps for every route of the UPDATE).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShownNextHops {
    /// How many routes at the end of `announced` came from the NLRI field (ExaBGP lists
    /// them before the MP_REACH ones).
    pub native: usize,
    /// The NEXT_HOP attribute when an MP_REACH next hop took its place in `attributes`:
    /// the NLRI field's routes are shown under it.
    pub native_next_hop: Option<IpAddr>,
    /// The link-local half of a 32-octet MP_REACH next hop: ExaBGP lists the MP_REACH routes
    /// a second time under it.
    pub link_local: Option<Ipv6Addr>,
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

// UPDATE is by far the most common message: boxing it would cost an allocation per UPDATE
// to shrink the rare others.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Open(Open),
    Update(Update),
    Notification(Notification),
    Keepalive,
    RouteRefresh(RouteRefresh),
}

/// ExaBGP's name for a message type, used in error texts.
pub fn kind_name(kind: u8) -> String {
    match kind {
        kind::OPEN => "OPEN".into(),
        kind::UPDATE => "UPDATE".into(),
        kind::NOTIFICATION => "NOTIFICATION".into(),
        kind::KEEPALIVE => "KEEPALIVE".into(),
        kind::ROUTE_REFRESH => "ROUTE_REFRESH".into(),
        other => format!("unknown message {other:#x}"),
    }
}

/// Validate a 19-byte header: marker, length within [19, max_len] and minimum per type.
/// Returns (total message length, type). Errors are the RFC 4271 §6.1 NOTIFICATIONs, with
/// ExaBGP's text as data.
pub fn parse_header(h: &[u8], max_len: usize) -> Result<(usize, u8), DecodeError> {
    let (marker, len, kind) = match h {
        [m @ .., l0, l1, k] if m.len() == 16 => {
            (m, usize::from(u16::from_be_bytes([*l0, *l1])), *k)
        }
        _ => {
            let why = "The packet received does not contain a BGP marker";
            return Err(DecodeError::new(1, 1, why, why));
        }
    };
    if marker != MARKER {
        let why = "The packet received does not contain a BGP marker";
        return Err(DecodeError::new(1, 1, why, why));
    }
    // RFC 4271 §6.1: per-type minimum (and exact, for KEEPALIVE) lengths.
    let fits = match kind {
        kind::OPEN => len >= 29,
        kind::UPDATE => len >= 23,
        kind::NOTIFICATION => len >= 21,
        kind::KEEPALIVE => len == HEADER_LEN,
        kind::ROUTE_REFRESH => len >= 23,
        _ => true,
    };
    if len < HEADER_LEN || len > max_len || !fits {
        let why = format!("{} has an invalid message length of {len}", kind_name(kind));
        return Err(DecodeError::new(1, 2, why.clone(), why));
    }
    Ok((len, kind))
}

/// Append a message header with a zero length; `finish_message` fills the length in.
pub(crate) fn start_message(out: &mut Vec<u8>, kind: u8) -> usize {
    let at = out.len();
    out.extend_from_slice(&MARKER);
    out.extend_from_slice(&[0, 0, kind]);
    at
}

pub(crate) fn finish_message(out: &mut Vec<u8>, at: usize, max: usize) -> Result<(), EncodeError> {
    let len = out.len() - at;
    if len > max {
        out.truncate(at);
        return Err(EncodeError(format!(
            "message of {len} bytes is larger than {max}"
        )));
    }
    let l = (len as u16).to_be_bytes();
    if let Some(slot) = out.get_mut(at + 16..at + 18) {
        slot.copy_from_slice(&l);
    }
    Ok(())
}

impl Message {
    pub fn kind(&self) -> u8 {
        match self {
            Message::Open(_) => kind::OPEN,
            Message::Update(_) => kind::UPDATE,
            Message::Notification(_) => kind::NOTIFICATION,
            Message::Keepalive => kind::KEEPALIVE,
            Message::RouteRefresh(_) => kind::ROUTE_REFRESH,
        }
    }

    /// Decode a message body of type `kind`; an unknown type is NOTIFICATION 1/3 carrying
    /// ExaBGP's text.
    pub fn decode(kind: u8, body: &[u8], neg: &Negotiated) -> Result<Message, DecodeError> {
        match kind {
            kind::OPEN => Ok(Message::Open(Open::decode(body)?)),
            kind::UPDATE => Ok(Message::Update(Update::decode(body, neg)?)),
            kind::NOTIFICATION => Ok(Message::Notification(Notification::decode(body)?)),
            kind::KEEPALIVE if body.is_empty() => Ok(Message::Keepalive),
            kind::KEEPALIVE => {
                let why = format!(
                    "KEEPALIVE has an invalid message length of {}",
                    body.len() + HEADER_LEN
                );
                Err(DecodeError::new(1, 2, why.clone(), why))
            }
            kind::ROUTE_REFRESH => Ok(Message::RouteRefresh(RouteRefresh::decode(body)?)),
            other => {
                let why = format!("can not decode message of type \"{other}\"");
                Err(DecodeError::new(1, 3, why.clone(), why))
            }
        }
    }

    /// Append the whole message (header included) to `out`.
    pub fn encode(&self, neg: &Negotiated, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let at = start_message(out, self.kind());
        let body = match self {
            Message::Open(o) => o.encode_body(out),
            Message::Update(u) => u.encode_body(out, neg),
            Message::Notification(n) => {
                out.extend_from_slice(&[n.code, n.subcode]);
                out.extend_from_slice(&n.data);
                Ok(())
            }
            Message::Keepalive => Ok(()),
            Message::RouteRefresh(r) => {
                r.encode_body(out);
                Ok(())
            }
        };
        if let Err(e) = body {
            out.truncate(at);
            return Err(e);
        }
        // Our own OPEN and NOTIFICATION always fit the 4096 limit (RFC 8654 §3 keeps them there).
        let max = match self {
            Message::Update(_) => neg.max_message,
            _ => MAX_LEN,
        };
        finish_message(out, at, max)
    }
}
