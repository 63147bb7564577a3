//! The `parser` / `routes` debug lines ExaBGP writes while it decodes an UPDATE (RFC 4271
//! §4.3 layout): the body in hex, one line per path attribute with its flags, code and
//! payload, one per NLRI block, and the classic IPv4 routes. Read from the raw bytes, so they
//! show what is on the wire whatever the decoder makes of it.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use crate::bgp::{Family, Negotiated};

/// ExaBGP's hex dump: upper-case, two bytes per group, groups separated by a space.
pub fn od(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 5 / 2);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 2 == 0 {
            s.push(' ');
        }
        let _ = write!(s, "{b:02X}");
    }
    s
}

/// The attribute codes ExaBGP decodes.
const KNOWN: [u8; 22] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 22, 23, 25, 26, 29, 32, 40,
];

/// The NEXT_HOP attribute's address, for attributes that were not logged again.
fn classic_next_hop(mut data: &[u8]) -> Option<Ipv4Addr> {
    while let (Some(&flag), Some(&code)) = (data.first(), data.get(1)) {
        let (length, header) = if flag & 0x10 != 0 {
            (be16(data, 2)?, 4)
        } else {
            (usize::from(*data.get(2)?), 3)
        };
        let value = data.get(header..header + length)?;
        if let (3, [a, b, c, d]) = (code, value) {
            return Some(Ipv4Addr::new(*a, *b, *c, *d));
        }
        data = data.get(header + length..)?;
    }
    None
}

fn parser(line: &str) {
    log::debug!(target: "parser", "{line}");
}

fn routes(line: &str) {
    log::debug!(target: "routes", "{line}");
}

fn nlri_line(family: Family, addpath: bool, data: &[u8]) {
    let path = if addpath {
        "with path-information"
    } else {
        "without path-information"
    };
    let payload = if data.is_empty() {
        "none".to_string()
    } else {
        od(data)
    };
    parser(&format!(
        "NLRI      {:<18} {path:<28} payload {payload}",
        family.to_string()
    ));
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

/// Log the decoding of an UPDATE body (the message without its 19-byte header). Stops
/// quietly at the first inconsistency: the decoder proper reports it. `cache` holds the
/// previous UPDATE's attribute bytes: ExaBGP reuses (and does not log again) a set of
/// attributes identical to the session's previous one.
pub fn update(body: &[u8], neg: &Negotiated, cache: &mut Option<Vec<u8>>) {
    parser(&format!("parsing UPDATE ({:>4}) {}", body.len(), od(body)));
    let Some(wlen) = be16(body, 0) else { return };
    let Some(withdrawn) = body.get(2..2 + wlen) else {
        return;
    };
    if withdrawn.is_empty() {
        routes("withdrawn NLRI none");
    }
    let Some(alen) = be16(body, 2 + wlen) else {
        return;
    };
    let start = 4 + wlen;
    let Some(attributes) = body.get(start..start + alen) else {
        return;
    };
    let announced = body.get(start + alen..).unwrap_or_default();
    let mut next_hop = None;
    if cache.as_deref() == Some(attributes) {
        next_hop = classic_next_hop(attributes);
    } else {
        attribute_lines(attributes, neg, &mut next_hop);
        *cache = Some(attributes.to_vec());
    }
    if announced.is_empty() {
        routes("announced NLRI none");
    }
    let addpath = neg.addpath_receive(Family::IPV4_UNICAST);
    classic(withdrawn, addpath, "withdrawn", None);
    classic(announced, addpath, "announced", next_hop);
}

fn attribute_lines(mut data: &[u8], neg: &Negotiated, next_hop: &mut Option<Ipv4Addr>) {
    while let (Some(&flag), Some(&code)) = (data.first(), data.get(1)) {
        let (length, header) = if flag & 0x10 != 0 {
            match be16(data, 2) {
                Some(l) => (l, 4),
                None => return,
            }
        } else {
            match data.get(2) {
                Some(&l) => (usize::from(l), 3),
                None => return,
            }
        };
        let Some(value) = data.get(header..header + length) else {
            return;
        };
        let payload = if value.is_empty() {
            String::new()
        } else {
            format!(" payload {}", od(value))
        };
        parser(&format!(
            "attribute {:<18} flag {flag:#04x} type {code:#04x} len {length:#04x}{payload}",
            crate::bgp::attribute::name(code)
        ));
        match code {
            3 => {
                if let [a, b, c, d] = value {
                    *next_hop = Some(Ipv4Addr::new(*a, *b, *c, *d));
                }
            }
            14 => mp_nlri(value, neg, true),
            15 => mp_nlri(value, neg, false),
            _ if KNOWN.contains(&code) => {}
            // The partial bit is kept: ExaBGP clears it for the attributes it knows only.
            _ if flag & 0x40 != 0 => parser(&format!(
                "unknown transitive attribute (flag 0x{flag:02X}, aid 0x{code:02X})"
            )),
            _ => parser(&format!(
                "ignoring unknown non-transitive attribute (flag 0x{flag:02X}, aid 0x{code:02X})"
            )),
        }
        data = data.get(header + length..).unwrap_or_default();
    }
}

/// The NLRI block of MP_REACH_NLRI (RFC 4760 §3: AFI, SAFI, next hop, reserved octet, NLRI)
/// or MP_UNREACH_NLRI (§4: AFI, SAFI, NLRI).
fn mp_nlri(value: &[u8], neg: &Negotiated, reach: bool) {
    let (Some(afi), Some(&safi)) = (be16(value, 0), value.get(2)) else {
        return;
    };
    let Ok(afi) = u16::try_from(afi) else { return };
    let family = Family::new(afi, safi);
    let nlri = if reach {
        let Some(&nh_len) = value.get(3) else { return };
        value.get(5 + usize::from(nh_len)..)
    } else {
        value.get(3..)
    };
    if let Some(nlri) = nlri.filter(|n| !n.is_empty()) {
        nlri_line(family, neg.addpath_receive(family), nlri);
    }
}

/// The IPv4 unicast routes of the classic fields, each as its NLRI block and its text.
fn classic(mut data: &[u8], addpath: bool, action: &str, next_hop: Option<Ipv4Addr>) {
    while !data.is_empty() {
        nlri_line(Family::IPV4_UNICAST, addpath, data);
        let (path_id, rest) = if addpath {
            match (data.get(..4), data.get(4..)) {
                (Some(id), Some(rest)) => (
                    Some(Ipv4Addr::new(
                        id.first().copied().unwrap_or(0),
                        id.get(1).copied().unwrap_or(0),
                        id.get(2).copied().unwrap_or(0),
                        id.get(3).copied().unwrap_or(0),
                    )),
                    rest,
                ),
                _ => return,
            }
        } else {
            (None, data)
        };
        let Some(&bits) = rest.first() else { return };
        let octets = usize::from(bits).div_ceil(8);
        let Some(addr) = rest.get(1..1 + octets) else {
            return;
        };
        let mut ip = [0u8; 4];
        for (dst, src) in ip.iter_mut().zip(addr) {
            *dst = *src;
        }
        let mut text = format!("{}/{bits}", Ipv4Addr::from(ip));
        if let Some(id) = path_id {
            let _ = write!(text, " path-information {id}");
        }
        if action == "announced" {
            if let Some(nh) = next_hop {
                let _ = write!(text, " next-hop {nh}");
            }
        }
        routes(&format!("{action} NLRI {text}"));
        data = rest.get(1 + octets..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_grouped_by_two_bytes() {
        assert_eq!(od(&[0xff, 0xff, 0x00, 0x4e, 0x02]), "FFFF 004E 02");
        assert_eq!(od(&[]), "");
    }

    #[test]
    fn attribute_names_follow_exabgp() {
        assert_eq!(crate::bgp::attribute::name(5), "local-preference");
        assert_eq!(crate::bgp::attribute::name(0x99), "unknown-attribute-0x99");
    }

    #[test]
    fn truncated_bodies_do_not_panic() {
        let neg = Negotiated::default();
        for body in [
            &[][..],
            &[0, 1],
            &[0, 0, 0, 9, 0x40],
            &[0, 0, 0, 4, 0x90, 14, 0, 9],
            &[0, 0, 0, 0, 33, 1],
        ] {
            update(body, &neg, &mut None);
        }
    }
}
