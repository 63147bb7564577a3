//! UPDATE encoding as ExaBGP 5.0 packs it (RFC 4271 §4.3, RFC 4760, RFC 7911, RFC 8654).
//!
//! Routes are written straight into the caller's buffer, one UPDATE after another, each filled
//! up to `Negotiated::max_message`; lengths are back-patched, so nothing is allocated per route.

use std::borrow::Borrow;
use std::net::{IpAddr, Ipv4Addr};

use super::{finish_message, kind, start_message, Update, HEADER_LEN};
use crate::bgp::attribute::encode::{encode_attributes, put_attr};
use crate::bgp::attribute::{code, flag, Attributes, NextHop};
use crate::bgp::error::EncodeError;
use crate::bgp::iana::{Afi, Family, Safi};
use crate::bgp::negotiated::Negotiated;
use crate::bgp::nlri::Nlri;

/// Resolve `next-hop self` as ExaBGP does: the session's local address when it has the
/// route's AFI, the router id for IPv4 routes on an IPv6 session, and 0.0.0.0 otherwise
/// (ExaBGP's fallback rather than failing the session).
pub fn resolve_next_hop(nh: Option<NextHop>, family: Family, neg: &Negotiated) -> Option<IpAddr> {
    let local = neg.local_address.map(|a| match a {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(a, IpAddr::V4),
        v4 => v4,
    });
    match nh? {
        NextHop::Addr(a) => Some(a),
        NextHop::SelfAddr => Some(match (family.afi, local) {
            (Afi::IPV4, Some(a @ IpAddr::V4(_))) | (Afi::IPV6, Some(a @ IpAddr::V6(_))) => a,
            (Afi::IPV4, _) => IpAddr::V4(neg.router_id.unwrap_or(Ipv4Addr::UNSPECIFIED)),
            _ => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        }),
    }
}

/// The next hop field of MP_REACH_NLRI: length octet then address. ExaBGP writes an IPv4
/// next hop of an IPv6 route as 4 bytes, whether or not RFC 8950 was negotiated.
/// VPN families put an 8-byte zero route distinguisher in front (RFC 4364 §4.3.2).
fn put_next_hop(out: &mut Vec<u8>, family: Family, nh: Option<IpAddr>) {
    let rd: &[u8] = if family.safi == Safi::MPLS_VPN {
        &[0; 8]
    } else {
        &[]
    };
    match nh {
        Some(IpAddr::V4(a)) => {
            out.push(4 + rd.len() as u8);
            out.extend_from_slice(rd);
            out.extend_from_slice(&a.octets());
        }
        Some(IpAddr::V6(a)) => {
            out.push(16 + rd.len() as u8);
            out.extend_from_slice(rd);
            out.extend_from_slice(&a.octets());
        }
        None => out.push(0),
    }
}

/// The next hop as a NEXT_HOP attribute: ExaBGP keeps a VPLS route's next hop in the NLRI's
/// MP_REACH only, so none is written for that family.
fn attribute_next_hop(family: Family, nh: Option<IpAddr>) -> Option<IpAddr> {
    // Flow routes keep their next hop (redirect, copy) in MP_REACH only, as ExaBGP does.
    if family == crate::bgp::nlri::vpls::Vpls::FAMILY
        || matches!(family.safi, Safi::FLOW | Safi::FLOW_VPN)
    {
        None
    } else {
        nh
    }
}

fn put_u16_at(out: &mut [u8], at: usize, v: u16) {
    if let Some(slot) = out.get_mut(at..at + 2) {
        slot.copy_from_slice(&v.to_be_bytes());
    }
}

/// One UPDATE being filled.
struct Pending {
    start: usize,
    /// Where the 2-byte total path attribute length sits.
    attr_len_at: usize,
    /// For MP: where the MP attribute's flags octet sits (its length is 2 bytes until closed).
    mp_at: Option<usize>,
}

/// Size the MP attribute would take once its length is narrowed to one octet if it can be.
fn mp_shrink(out: &[u8], mp_at: Option<usize>, extra: usize) -> usize {
    match mp_at {
        Some(at) if out.len() + extra - at - 4 <= 255 => 1,
        _ => 0,
    }
}

fn close(out: &mut Vec<u8>, m: &Pending, max: usize) -> Result<(), EncodeError> {
    if let Some(at) = m.mp_at {
        let len = out.len() - at - 4;
        if len <= 255 {
            out.remove(at + 2);
            if let Some(f) = out.get_mut(at) {
                *f &= !flag::EXTENDED_LENGTH;
            }
            if let Some(l) = out.get_mut(at + 2) {
                *l = len as u8;
            }
        } else {
            put_u16_at(out, at + 2, len as u16);
        }
    }
    // Native announcements had their attribute length written when opened.
    if m.mp_at.is_some() {
        let alen = out.len() - m.attr_len_at - 2;
        put_u16_at(out, m.attr_len_at, alen as u16);
    }
    finish_message(out, m.start, max)
}

/// Append to `out` as many UPDATEs as needed to announce `nlris` (all of `family`) with
/// `attrs`, exactly as ExaBGP 5.0 encodes them. Returns the number of messages written.
/// An NLRI too large for any message is left out, as ExaBGP does.
pub fn encode_announce(
    out: &mut Vec<u8>,
    family: Family,
    attrs: &Attributes,
    nlris: impl IntoIterator<Item = impl Borrow<Nlri>>,
    neg: &Negotiated,
) -> Result<usize, EncodeError> {
    let addpath = neg.addpath_send(family);
    let nh = resolve_next_hop(attrs.next_hop, family, neg);
    let mut attr = Vec::with_capacity(128);
    encode_attributes(attrs, attribute_next_hop(family, nh), neg, &mut attr)?;
    let native = family == Family::IPV4_UNICAST && !matches!(nh, Some(IpAddr::V6(_)));
    let max = neg.max_message;
    let mut count = 0;
    let mut cur: Option<Pending> = None;
    for nlri in nlris {
        let nlri: &Nlri = nlri.borrow();
        if nlri.family() != family {
            continue;
        }
        let n = nlri.encoded_len(addpath);
        if let Some(m) = &cur {
            if out.len() + n - mp_shrink(out, m.mp_at, n) - m.start > max {
                close(out, m, max)?;
                count += 1;
                cur = None;
            }
        }
        if cur.is_none() {
            let start = start_message(out, kind::UPDATE);
            out.extend_from_slice(&[0, 0]);
            let attr_len_at = out.len();
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&attr);
            let mp_at = if native {
                put_u16_at(out, attr_len_at, attr.len() as u16);
                None
            } else {
                let at = out.len();
                out.extend_from_slice(&[
                    flag::OPTIONAL | flag::EXTENDED_LENGTH,
                    code::MP_REACH_NLRI,
                    0,
                    0,
                ]);
                out.extend_from_slice(&family.afi.0.to_be_bytes());
                out.push(family.safi.0);
                put_next_hop(out, family, nh);
                out.push(0);
                Some(at)
            };
            let m = Pending {
                start,
                attr_len_at,
                mp_at,
            };
            if out.len() + n - mp_shrink(out, mp_at, n) - start > max {
                // Not even one NLRI fits beside these attributes.
                out.truncate(start);
                log::error!(target: "parser", "can not pack one NLRI in an UPDATE for {family} (attributes too large)");
                continue;
            }
            cur = Some(m);
        }
        nlri.encode(out, addpath);
    }
    if let Some(m) = &cur {
        close(out, m, max)?;
        count += 1;
    }
    Ok(count)
}

/// Append the UPDATEs withdrawing `nlris` (all of `family`): the withdrawn routes field for
/// IPv4 unicast, MP_UNREACH_NLRI otherwise, with no other attribute.
pub fn encode_withdraw(
    out: &mut Vec<u8>,
    family: Family,
    nlris: impl IntoIterator<Item = impl Borrow<Nlri>>,
    neg: &Negotiated,
) -> Result<usize, EncodeError> {
    withdraw(out, family, &[], nlris, neg)
}

/// As `encode_withdraw`, for families other than unicast and multicast, whose withdrawals
/// ExaBGP sends with the route's attributes beside the MP_UNREACH_NLRI (VPN, flow, ...).
/// For unicast and multicast `attrs` is ignored, as ExaBGP sends none there.
pub fn encode_withdraw_with_attributes(
    out: &mut Vec<u8>,
    family: Family,
    attrs: &Attributes,
    nlris: impl IntoIterator<Item = impl Borrow<Nlri>>,
    neg: &Negotiated,
) -> Result<usize, EncodeError> {
    if matches!(family.safi, Safi::UNICAST | Safi::MULTICAST) {
        return withdraw(out, family, &[], nlris, neg);
    }
    let nh = resolve_next_hop(attrs.next_hop, family, neg);
    let mut attr = Vec::with_capacity(128);
    encode_attributes(attrs, attribute_next_hop(family, nh), neg, &mut attr)?;
    withdraw(out, family, &attr, nlris, neg)
}

fn withdraw(
    out: &mut Vec<u8>,
    family: Family,
    attr: &[u8],
    nlris: impl IntoIterator<Item = impl Borrow<Nlri>>,
    neg: &Negotiated,
) -> Result<usize, EncodeError> {
    let addpath = neg.addpath_send(family);
    let native = family == Family::IPV4_UNICAST;
    let max = neg.max_message;
    let mut count = 0;
    let mut cur: Option<Pending> = None;
    // For native withdrawals the length slot right after the header counts the NLRI.
    let mut wlen_at = 0;
    for nlri in nlris {
        let nlri: &Nlri = nlri.borrow();
        if nlri.family() != family {
            continue;
        }
        let n = nlri.encoded_len(addpath);
        let trailer = if native { 2 } else { 0 };
        if let Some(m) = &cur {
            if out.len() + n + trailer - mp_shrink(out, m.mp_at, n) - m.start > max {
                if native {
                    finish_native_withdraw(out, wlen_at);
                }
                close(out, m, max)?;
                count += 1;
                cur = None;
            }
        }
        if cur.is_none() {
            let start = start_message(out, kind::UPDATE);
            let m = if native {
                wlen_at = out.len();
                out.extend_from_slice(&[0, 0]);
                Pending {
                    start,
                    attr_len_at: 0,
                    mp_at: None,
                }
            } else {
                out.extend_from_slice(&[0, 0]);
                let attr_len_at = out.len();
                out.extend_from_slice(&[0, 0]);
                out.extend_from_slice(attr);
                let at = out.len();
                out.extend_from_slice(&[
                    flag::OPTIONAL | flag::EXTENDED_LENGTH,
                    code::MP_UNREACH_NLRI,
                    0,
                    0,
                ]);
                out.extend_from_slice(&family.afi.0.to_be_bytes());
                out.push(family.safi.0);
                Pending {
                    start,
                    attr_len_at,
                    mp_at: Some(at),
                }
            };
            if out.len() + n + trailer - mp_shrink(out, m.mp_at, n) - start > max {
                out.truncate(start);
                log::error!(target: "parser", "can not pack one NLRI in an UPDATE for {family} (withdrawal too large)");
                continue;
            }
            cur = Some(m);
        }
        nlri.encode(out, addpath);
    }
    if let Some(m) = &cur {
        if native {
            finish_native_withdraw(out, wlen_at);
        }
        close(out, m, max)?;
        count += 1;
    }
    Ok(count)
}

fn finish_native_withdraw(out: &mut Vec<u8>, wlen_at: usize) {
    let len = out.len() - wlen_at - 2;
    put_u16_at(out, wlen_at, len as u16);
    out.extend_from_slice(&[0, 0]);
}

/// End-of-RIB marker (RFC 4724 §2): an empty UPDATE for IPv4 unicast, an empty MP_UNREACH
/// otherwise (written with the extended-length flag, as ExaBGP does).
pub fn encode_eor(out: &mut Vec<u8>, family: Family) {
    let start = start_message(out, kind::UPDATE);
    if family == Family::IPV4_UNICAST {
        out.extend_from_slice(&[0, 0, 0, 0]);
    } else {
        out.extend_from_slice(&[0, 0, 0, 7, 0x90, code::MP_UNREACH_NLRI, 0, 3]);
        out.extend_from_slice(&family.afi.0.to_be_bytes());
        out.push(family.safi.0);
    }
    let _ = finish_message(out, start, usize::MAX);
}

impl Update {
    /// The body of one UPDATE holding everything in `self` (used to re-send a decoded UPDATE
    /// and in tests). Withdrawals and announcements of one family only, beside IPv4 unicast.
    pub fn encode_body(&self, out: &mut Vec<u8>, neg: &Negotiated) -> Result<(), EncodeError> {
        if let Some(f) = self.eor {
            let mut tmp = Vec::new();
            encode_eor(&mut tmp, f);
            out.extend_from_slice(tmp.get(HEADER_LEN..).unwrap_or_default());
            return Ok(());
        }
        let v4 = Family::IPV4_UNICAST;
        let ap4 = neg.addpath_send(v4);
        let wlen_at = out.len();
        out.extend_from_slice(&[0, 0]);
        for n in self.withdrawn.iter().filter(|n| n.family() == v4) {
            n.encode(out, ap4);
        }
        let wlen = (out.len() - wlen_at - 2) as u16;
        put_u16_at(out, wlen_at, wlen);
        let alen_at = out.len();
        out.extend_from_slice(&[0, 0]);
        let nh4 = resolve_next_hop(self.attributes.next_hop, v4, neg);
        // IPv4 unicast goes in the NLRI field unless its next hop is IPv6 (RFC 8950).
        let v4_native = !matches!(nh4, Some(IpAddr::V6(_)));
        let native = |n: &&Nlri| n.family() == v4 && v4_native;
        let has_native = self.announced.iter().any(|n| native(&n));
        let mp_family = self.announced.iter().find(|n| !native(n)).map(Nlri::family);
        let nh_attr = match mp_family {
            _ if has_native => nh4,
            Some(f) => resolve_next_hop(self.attributes.next_hop, f, neg),
            None => None,
        };
        // A withdraw-only UPDATE carries no attribute (RFC 4760 §4), as ExaBGP sends it.
        if !self.announced.is_empty() {
            encode_attributes(&self.attributes, nh_attr, neg, out)?;
        }
        if let Some(f) = self.withdrawn.iter().map(Nlri::family).find(|f| *f != v4) {
            let ap = neg.addpath_send(f);
            put_attr(out, flag::OPTIONAL, code::MP_UNREACH_NLRI, |o| {
                o.extend_from_slice(&f.afi.0.to_be_bytes());
                o.push(f.safi.0);
                for n in self.withdrawn.iter().filter(|n| n.family() == f) {
                    n.encode(o, ap);
                }
            })?;
        }
        if let Some(f) = mp_family {
            let ap = neg.addpath_send(f);
            let nh = resolve_next_hop(self.attributes.next_hop, f, neg);
            put_attr(out, flag::OPTIONAL, code::MP_REACH_NLRI, |o| {
                o.extend_from_slice(&f.afi.0.to_be_bytes());
                o.push(f.safi.0);
                put_next_hop(o, f, nh);
                o.push(0);
                for n in self
                    .announced
                    .iter()
                    .filter(|n| n.family() == f && !native(n))
                {
                    n.encode(o, ap);
                }
            })?;
        }
        let alen = (out.len() - alen_at - 2) as u16;
        put_u16_at(out, alen_at, alen);
        for n in self.announced.iter().filter(native) {
            n.encode(out, ap4);
        }
        Ok(())
    }
}
