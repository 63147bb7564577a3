//! Flow specification NLRI (RFC 8955 for IPv4, RFC 8956 for IPv6), SAFI 133 and 134 (VPN).
//!
//! A rule is a list of components kept grouped by type in ascending order (the RFC requires
//! that order on the wire, and ExaBGP keeps one list per type, merging repeated keywords).
//! Operator octets are stored without their end-of-list and length bits: both are computed
//! when encoding, as ExaBGP does, so a decoded rule re-encodes to the canonical form.

use std::fmt::Write;

use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Afi, Family, Safi};
use crate::bgp::prefix::Prefix;

mod names;
pub use names::value_of;
use names::{bits_text, numeric_text};

/// Operator bits (RFC 8955 §4.2.1).
pub mod op {
    pub const EOL: u8 = 0x80;
    pub const AND: u8 = 0x40;
    pub const LEN: u8 = 0x30;
    pub const LT: u8 = 0x04;
    pub const GT: u8 = 0x02;
    pub const EQ: u8 = 0x01;
    /// Bitmask operators: NOT and MATCH.
    pub const NOT: u8 = 0x02;
    pub const MATCH: u8 = 0x01;
}

/// Component type codes.
pub mod kind {
    pub const DESTINATION: u8 = 1;
    pub const SOURCE: u8 = 2;
    pub const PROTOCOL: u8 = 3;
    pub const PORT: u8 = 4;
    pub const DESTINATION_PORT: u8 = 5;
    pub const SOURCE_PORT: u8 = 6;
    pub const ICMP_TYPE: u8 = 7;
    pub const ICMP_CODE: u8 = 8;
    pub const TCP_FLAGS: u8 = 9;
    pub const PACKET_LENGTH: u8 = 10;
    pub const DSCP: u8 = 11;
    pub const FRAGMENT: u8 = 12;
    pub const FLOW_LABEL: u8 = 13;
}

/// One item of a component: a prefix (types 1 and 2) or an operator and value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    /// IPv6 prefixes carry an offset (RFC 8956 §3.1); always 0 for IPv4.
    Prefix { prefix: Prefix, offset: u8 },
    /// `op` holds the AND bit and the comparison bits only.
    Op { op: u8, value: u64 },
}

/// A flow rule: family (flow or flow-vpn, IPv4 or IPv6), optional route distinguisher and
/// components grouped by type, ascending.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Flow {
    pub family: Family,
    pub rd: Option<[u8; 8]>,
    pub components: Vec<(u8, Vec<Item>)>,
}

/// How a component type is matched and how wide its values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Prefix,
    /// Numeric operator, value written in at most `max` octets.
    Numeric {
        max: u8,
    },
    /// Bitmask operator.
    Binary {
        max: u8,
    },
}

/// The shape of component `k` for `afi`; None for a type the family does not define.
pub fn shape(afi: Afi, k: u8) -> Option<Shape> {
    let v6 = afi == Afi::IPV6;
    Some(match k {
        kind::DESTINATION | kind::SOURCE => Shape::Prefix,
        kind::PROTOCOL | kind::ICMP_TYPE | kind::ICMP_CODE | kind::DSCP => {
            Shape::Numeric { max: 1 }
        }
        kind::PORT | kind::DESTINATION_PORT | kind::SOURCE_PORT | kind::PACKET_LENGTH => {
            Shape::Numeric { max: 2 }
        }
        kind::TCP_FLAGS | kind::FRAGMENT => Shape::Binary { max: 2 },
        kind::FLOW_LABEL if v6 => Shape::Numeric { max: 4 },
        _ => return None,
    })
}

/// The keyword ExaBGP uses for component `k` (config, JSON and text).
pub fn name(afi: Afi, k: u8) -> &'static str {
    let v6 = afi == Afi::IPV6;
    match k {
        kind::DESTINATION if v6 => "destination-ipv6",
        kind::DESTINATION => "destination-ipv4",
        kind::SOURCE if v6 => "source-ipv6",
        kind::SOURCE => "source-ipv4",
        kind::PROTOCOL if v6 => "next-header",
        kind::PROTOCOL => "protocol",
        kind::PORT => "port",
        kind::DESTINATION_PORT => "destination-port",
        kind::SOURCE_PORT => "source-port",
        kind::ICMP_TYPE => "icmp-type",
        kind::ICMP_CODE => "icmp-code",
        kind::TCP_FLAGS => "tcp-flags",
        kind::PACKET_LENGTH => "packet-length",
        kind::DSCP if v6 => "traffic-class",
        kind::DSCP => "dscp",
        kind::FRAGMENT => "fragment",
        kind::FLOW_LABEL => "flow-label",
        _ => "unknown",
    }
}

/// Octets needed for `value` among 1, 2, 4 and 8: ExaBGP always writes the narrowest.
fn width(value: u64) -> u8 {
    if value < 1 << 8 {
        1
    } else if value < 1 << 16 {
        2
    } else if value < 1 << 32 {
        4
    } else {
        8
    }
}

fn len_bits(w: u8) -> u8 {
    match w {
        1 => 0x00,
        2 => 0x10,
        4 => 0x20,
        _ => 0x30,
    }
}

/// The pattern of an IPv6 prefix from `offset` to its length, left aligned (RFC 8956 §3.1).
fn v6_pattern(addr: u128, len: u8, offset: u8) -> Vec<u8> {
    let bits = u32::from(len.saturating_sub(offset));
    if bits == 0 {
        return Vec::new();
    }
    let size = bits.div_ceil(8);
    let matched = addr.checked_shr(128 - u32::from(len)).unwrap_or(0) & (u128::MAX >> (128 - bits));
    let aligned = matched << (size * 8 - bits);
    let bytes = aligned.to_be_bytes();
    bytes
        .get(16 - size as usize..)
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}

fn v6_address(pattern: &[u8], len: u8, offset: u8) -> u128 {
    let bits = u32::from(len.saturating_sub(offset));
    if bits == 0 {
        return 0;
    }
    let mut value: u128 = 0;
    for b in pattern {
        value = (value << 8) | u128::from(*b);
    }
    let matched = value >> (pattern.len() as u32 * 8 - bits);
    matched.checked_shl(128 - u32::from(len)).unwrap_or(0)
}

impl Flow {
    pub fn new(family: Family) -> Flow {
        Flow {
            family,
            rd: None,
            components: Vec::new(),
        }
    }

    /// Add an item to component `k`, keeping types in ascending order.
    pub fn add(&mut self, k: u8, item: Item) {
        match self.components.binary_search_by_key(&k, |(t, _)| *t) {
            Ok(i) => {
                if let Some((_, items)) = self.components.get_mut(i) {
                    items.push(item);
                }
            }
            Err(i) => self.components.insert(i, (k, vec![item])),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
    }

    /// The NLRI value: route distinguisher then components (without the length prefix).
    fn body(&self, out: &mut Vec<u8>) {
        if let Some(rd) = &self.rd {
            out.extend_from_slice(rd);
        }
        for (k, items) in &self.components {
            let mut wrote_type = false;
            let last = items.len().saturating_sub(1);
            for (i, item) in items.iter().enumerate() {
                match item {
                    // Each prefix carries its own type octet.
                    Item::Prefix { prefix, offset } => {
                        out.push(*k);
                        match *prefix {
                            Prefix::V4 { .. } => prefix.encode(out),
                            Prefix::V6 { addr, len } => {
                                out.push(len);
                                out.push(*offset);
                                out.extend_from_slice(&v6_pattern(addr, len, *offset));
                            }
                        }
                    }
                    Item::Op { op: o, value } => {
                        if !wrote_type {
                            out.push(*k);
                            wrote_type = true;
                        }
                        let w = width(*value);
                        let eol = if i == last { op::EOL } else { 0 };
                        out.push((o & !(op::EOL | op::LEN)) | eol | len_bits(w));
                        let bytes = value.to_be_bytes();
                        out.extend_from_slice(bytes.get(8 - usize::from(w)..).unwrap_or(&[]));
                    }
                }
            }
        }
    }

    pub fn encoded_len(&self, addpath: bool) -> usize {
        let mut v = Vec::new();
        self.encode(&mut v, addpath);
        v.len()
    }

    /// Append the NLRI: length (one octet below 240, else 0xfnnn), then the value. With ADD-PATH
    /// a zero path identifier goes first, as ExaBGP sends.
    pub fn encode(&self, out: &mut Vec<u8>, addpath: bool) {
        if addpath {
            out.extend_from_slice(&[0, 0, 0, 0]);
        }
        let mut body = Vec::with_capacity(32);
        self.body(&mut body);
        let len = body.len();
        if len < 0xf0 {
            out.push(len as u8);
        } else {
            let l = (len.min(0x0fff) as u16) | 0xf000;
            out.extend_from_slice(&l.to_be_bytes());
        }
        out.extend_from_slice(&body);
    }

    /// Decode every flow NLRI of an MP_REACH/MP_UNREACH field. As ExaBGP does (RFC 8955 §10
    /// defers to RFC 7606), a malformed rule is dropped and the next one read; a length that
    /// runs past the field, or a truncated path identifier, is an error.
    pub fn decode_field(
        family: Family,
        field: &[u8],
        addpath: bool,
        subcode: u8,
    ) -> Result<Vec<Flow>, DecodeError> {
        let bad =
            |why: String| DecodeError::new(3, subcode, Vec::new(), format!("{family}: {why}"));
        let mut out = Vec::new();
        let mut rest = field;
        while !rest.is_empty() {
            if addpath {
                rest = rest
                    .get(4..)
                    .ok_or_else(|| bad("truncated path identifier".into()))?;
            }
            let (&first, after) = rest
                .split_first()
                .ok_or_else(|| bad("missing flow length".into()))?;
            let (len, after) = if first & 0xf0 == 0xf0 {
                let (&second, after) = after
                    .split_first()
                    .ok_or_else(|| bad("truncated flow length".into()))?;
                (
                    (usize::from(first & 0x0f) << 8) | usize::from(second),
                    after,
                )
            } else {
                (usize::from(first), after)
            };
            let body = after
                .get(..len)
                .ok_or_else(|| bad(format!("flow length {len} beyond the field")))?;
            rest = after.get(len..).unwrap_or_default();
            if let Ok(flow) = Flow::decode_one(family, body) {
                out.push(flow);
            }
        }
        Ok(out)
    }

    fn decode_one(family: Family, mut b: &[u8]) -> Result<Flow, String> {
        let mut flow = Flow::new(family);
        if family.safi == Safi::FLOW_VPN {
            let rd = b.get(..8).ok_or("truncated route distinguisher")?;
            let mut a = [0u8; 8];
            a.copy_from_slice(rd);
            flow.rd = Some(a);
            b = b.get(8..).unwrap_or_default();
        }
        let afi = family.afi;
        let mut last: Option<u8> = None;
        while let Some((&k, rest)) = b.split_first() {
            b = rest;
            let sh = shape(afi, k).ok_or_else(|| format!("unknown flow component {k}"))?;
            if let Some(l) = last {
                if k < l || (k == l && sh != Shape::Prefix) {
                    return Err(format!("flow component {k} out of order"));
                }
            }
            last = Some(k);
            match sh {
                Shape::Prefix => {
                    let (item, rest) = decode_prefix(afi, b)?;
                    b = rest;
                    flow.add(k, item);
                }
                Shape::Numeric { .. } | Shape::Binary { .. } => {
                    // The octet layout differs per kind (RFC 8955 §4.2.1.1 and §4.2.1.2).
                    let mask = if matches!(sh, Shape::Binary { .. }) {
                        op::AND | op::NOT | op::MATCH
                    } else {
                        op::AND | op::LT | op::GT | op::EQ
                    };
                    let (Shape::Numeric { max } | Shape::Binary { max }) = sh else {
                        continue;
                    };
                    let limit = 1u64 << (8 * u32::from(max));
                    let mut first = true;
                    loop {
                        let (&o, rest) = b.split_first().ok_or("truncated flow operator")?;
                        let w = 1usize << ((o & op::LEN) >> 4);
                        let v = rest.get(..w).ok_or("truncated flow value")?;
                        b = rest.get(w..).unwrap_or_default();
                        let value = v.iter().fold(0u64, |a, x| (a << 8) | u64::from(*x));
                        if value >= limit {
                            return Err(format!("flow component {k} value {value} is too large"));
                        }
                        let mut bits = o & mask;
                        if first {
                            bits &= !op::AND;
                            first = false;
                        }
                        flow.add(k, Item::Op { op: bits, value });
                        if o & op::EOL != 0 {
                            break;
                        }
                    }
                }
            }
        }
        if flow.components.is_empty() {
            return Err("flow NLRI without any component".into());
        }
        Ok(flow)
    }

    /// `flow destination-ipv4 10.0.0.1/32 protocol [ =tcp =udp ]...`: ExaBGP's string form.
    pub fn text(&self, next_hop: Option<std::net::IpAddr>) -> String {
        let mut s = String::from("flow");
        for (k, items) in &self.components {
            let _ = write!(s, " {} ", name(self.family.afi, *k));
            let mut line = String::new();
            for (i, item) in items.iter().enumerate() {
                let and = matches!(item, Item::Op { op: o, .. } if o & op::AND != 0);
                if i > 0 && !and {
                    line.push(' ');
                }
                line.push_str(&self.item_text(*k, item));
            }
            if items.len() > 1 {
                let _ = write!(s, "[ {line} ]");
            } else {
                s.push_str(&line);
            }
        }
        if let Some(rd) = &self.rd {
            s.push_str(&rd_text(rd));
        }
        if let Some(nh) = next_hop {
            let _ = write!(s, " next-hop {nh}");
        }
        s
    }

    /// The values of component `k` as ExaBGP lists them in JSON: items joined by AND are one
    /// string.
    pub fn values(&self, k: u8, items: &[Item]) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let t = self.item_text(k, item);
            let and = matches!(item, Item::Op { op: o, .. } if o & op::AND != 0);
            match v.last_mut() {
                Some(last) if i > 0 && and => last.push_str(&t),
                _ => v.push(t),
            }
        }
        v
    }

    fn item_text(&self, k: u8, item: &Item) -> String {
        match item {
            Item::Prefix { prefix, offset } => {
                if prefix.is_v4() {
                    prefix.to_string()
                } else {
                    format!("{prefix}/{offset}")
                }
            }
            Item::Op { op: o, value } => {
                let binary = matches!(shape(self.family.afi, k), Some(Shape::Binary { .. }));
                if binary {
                    let p = match o & (op::AND | op::NOT | op::MATCH) {
                        0x00 => "",
                        0x02 => "!",
                        0x01 => "=",
                        0x03 => "!=",
                        0x40 => "&",
                        0x42 => "&!",
                        0x41 => "&=",
                        _ => "&!=",
                    };
                    format!("{p}{}", bits_text(self.family.afi, k, *value))
                } else {
                    let cmp = o & (op::LT | op::GT | op::EQ);
                    let and = if o & op::AND != 0 { "&" } else { "" };
                    let p = match cmp {
                        0x07 => return format!("{and}true"),
                        0x00 => return format!("{and}false"),
                        0x04 => "<",
                        0x02 => ">",
                        0x01 => "=",
                        0x05 => "<=",
                        0x03 => ">=",
                        _ => "!=",
                    };
                    format!("{and}{p}{}", numeric_text(k, *value))
                }
            }
        }
    }
}

/// ` rd 65535:65536`, as ExaBGP appends it to the string form.
pub fn rd_text(rd: &[u8; 8]) -> String {
    format!(" rd {}", rd_value(rd))
}

/// A route distinguisher as `asn:number` or `ip:number` (RFC 4364 §4.2).
pub fn rd_value(rd: &[u8; 8]) -> String {
    let [t0, t1, a, b, c, d, e, f] = *rd;
    match u16::from_be_bytes([t0, t1]) {
        0 => format!(
            "{}:{}",
            u16::from_be_bytes([a, b]),
            u32::from_be_bytes([c, d, e, f])
        ),
        1 => format!("{a}.{b}.{c}.{d}:{}", u16::from_be_bytes([e, f])),
        2 => format!(
            "{}:{}",
            u32::from_be_bytes([a, b, c, d]),
            u16::from_be_bytes([e, f])
        ),
        _ => format!("{:016x}", u64::from_be_bytes([t0, t1, a, b, c, d, e, f])),
    }
}

fn decode_prefix(afi: Afi, b: &[u8]) -> Result<(Item, &[u8]), String> {
    if afi == Afi::IPV4 {
        let (&len, rest) = b.split_first().ok_or("truncated flow prefix")?;
        if len > 32 {
            return Err(format!("flow prefix length {len} is too long"));
        }
        let n = usize::from(len).div_ceil(8);
        let bytes = rest.get(..n).ok_or("truncated flow prefix")?;
        let mut a = [0u8; 4];
        for (d, s) in a.iter_mut().zip(bytes) {
            *d = *s;
        }
        let prefix = Prefix::new(std::net::IpAddr::from(a), len).ok_or("bad flow prefix")?;
        Ok((
            Item::Prefix { prefix, offset: 0 },
            rest.get(n..).unwrap_or_default(),
        ))
    } else {
        let (&len, rest) = b.split_first().ok_or("truncated flow prefix")?;
        let (&offset, rest) = rest.split_first().ok_or("truncated flow prefix offset")?;
        if (len, offset) != (0, 0) && !(offset < len && len <= 128) {
            return Err(format!(
                "flow ipv6 prefix of length {len} and offset {offset} is outside RFC 8956's range"
            ));
        }
        let n = usize::from(len - offset).div_ceil(8);
        let pattern = rest.get(..n).ok_or("truncated flow prefix pattern")?;
        let addr = v6_address(pattern, len, offset);
        let prefix = Prefix::new(std::net::IpAddr::from(addr.to_be_bytes()), len)
            .ok_or("bad flow prefix")?;
        Ok((
            Item::Prefix { prefix, offset },
            rest.get(n..).unwrap_or_default(),
        ))
    }
}

/// The flow family of a rule given its prefixes: IPv6 as soon as one prefix is IPv6.
pub fn family_for(flow: &Flow, vpn: bool) -> Family {
    let v6 = flow.components.iter().any(|(_, items)| {
        items
            .iter()
            .any(|i| matches!(i, Item::Prefix { prefix, .. } if !prefix.is_v4()))
    });
    Family {
        afi: if v6 { Afi::IPV6 } else { Afi::IPV4 },
        safi: if vpn { Safi::FLOW_VPN } else { Safi::FLOW },
    }
}

#[cfg(test)]
mod tests;
