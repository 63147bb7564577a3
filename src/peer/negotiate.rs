//! Capability negotiation (RFC 5492) and OPEN checks (RFC 4271 §6.2): what both OPENs agree on.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

use crate::bgp::attribute::AS_TRANS;
use crate::bgp::capability::{self as cap, AddPathMode, Capability};
use crate::bgp::error::Notify;
use crate::bgp::message::{Open, MAX_EXTENDED_LEN, MAX_LEN};
use crate::bgp::{Family, Negotiated};
use crate::config::Neighbor;

/// Smallest non-zero hold time (RFC 4271 §4.2).
const MIN_HOLD_TIME: u16 = 3;

fn refuse(subcode: u8, text: String) -> Notify {
    // ExaBGP puts its reason in the NOTIFICATION data.
    Notify::new(2, subcode, text.into_bytes())
}

fn add_paths(open: &Open) -> Vec<(Family, AddPathMode)> {
    open.capabilities
        .iter()
        .filter_map(|c| match c {
            Capability::AddPath(v) => Some(v.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn multiprotocol(open: &Open) -> Vec<Family> {
    open.capabilities
        .iter()
        .filter_map(|c| match c {
            Capability::Multiprotocol(f) => Some(*f),
            _ => None,
        })
        .collect()
}

fn nexthops(open: &Open) -> Vec<(Family, u16)> {
    open.capabilities
        .iter()
        .filter_map(|c| match c {
            Capability::ExtendedNextHop(v) => Some(v.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The session codes a multi-session capability lists (after its flags octet); none means
/// "multiprotocol" as ExaBGP reads it.
fn sessions(open: &Open, code: u8) -> Option<Vec<u8>> {
    let mut found = false;
    let mut codes = Vec::new();
    for c in &open.capabilities {
        if let Capability::MultiSession { code: c2, data } = c {
            if *c2 == code {
                // ExaBGP reads only the first capability of a code, skipping its flags octet.
                if !found {
                    codes.extend(
                        data.iter().skip(1).filter(|b| {
                            !matches!(**b, cap::MULTISESSION | cap::MULTISESSION_CISCO)
                        }),
                    );
                }
                found = true;
            }
        }
    }
    if !found {
        return None;
    }
    if codes.is_empty() {
        codes.push(cap::MULTIPROTOCOL);
    }
    codes.sort_unstable();
    codes.dedup();
    Some(codes)
}

/// Check the peer's OPEN against ours and the neighbor config, and compute what was agreed.
/// Errors are the NOTIFICATION to send (RFC 4271 §6.2).
pub fn negotiate(
    n: &Neighbor,
    sent: &Open,
    received: &Open,
    local_address: IpAddr,
) -> Result<Negotiated, Notify> {
    if received.version != 4 {
        return Err(Notify::new(2, 1, vec![0, 4]));
    }
    let asn4 = sent.has(cap::FOUR_OCTET_AS) && received.has(cap::FOUR_OCTET_AS);
    let mut peer_as = u32::from(received.asn);
    if asn4 && peer_as == AS_TRANS {
        peer_as = received.asn4();
    }
    if let Some(expected) = n.peer_as {
        if peer_as != expected {
            return Err(refuse(
                2,
                format!("ASN in OPEN ({peer_as}) did not match ASN expected ({expected})"),
            ));
        }
    }
    if received.router_id == Ipv4Addr::UNSPECIFIED {
        return Err(refuse(3, "0.0.0.0 is an invalid router_id".into()));
    }
    if peer_as == n.local_as && received.router_id == sent.router_id {
        return Err(refuse(
            3,
            format!(
                "BGP Identifier collision, same router-id ({}) on both sides of this IBGP session",
                received.router_id
            ),
        ));
    }
    if received.hold_time != 0 && received.hold_time < MIN_HOLD_TIME {
        return Err(refuse(
            6,
            format!("Hold Time is invalid ({})", received.hold_time),
        ));
    }

    // Multi-session: RFC variant first, then Cisco's (ExaBGP's order of preference).
    let ours_rfc = sessions(sent, cap::MULTISESSION);
    let ours_cisco = sessions(sent, cap::MULTISESSION_CISCO);
    let theirs_rfc = sessions(received, cap::MULTISESSION);
    let theirs_cisco = sessions(received, cap::MULTISESSION_CISCO);
    let multisession = match ((ours_rfc, theirs_rfc), (ours_cisco, theirs_cisco)) {
        ((Some(a), Some(b)), _) | (_, (Some(a), Some(b))) => {
            if a != b {
                return Err(refuse(
                    8,
                    "multisession, our peer did not reply with the same sessionid".into(),
                ));
            }
            true
        }
        ((Some(_), None), _) | (_, (Some(_), None)) => {
            return Err(refuse(9, "multisession is mandatory with this peer".into()));
        }
        _ => false,
    };

    let theirs = multiprotocol(received);
    let families = multiprotocol(sent)
        .into_iter()
        .filter(|f| theirs.contains(f))
        .collect();

    let (ours_ap, theirs_ap) = (add_paths(sent), add_paths(received));
    let mut addpath_send = Vec::new();
    let mut addpath_receive = Vec::new();
    for (family, mode) in &ours_ap {
        let Some((_, peer)) = theirs_ap.iter().find(|(f, _)| f == family) else {
            continue;
        };
        if mode.sends() && peer.receives() {
            addpath_send.push(*family);
        }
        if mode.receives() && peer.sends() {
            addpath_receive.push(*family);
        }
    }

    let theirs_nh = nexthops(received);
    let mut extended_nexthop: HashMap<Family, Vec<u16>> = HashMap::new();
    for pair in nexthops(sent).into_iter().filter(|p| theirs_nh.contains(p)) {
        extended_nexthop.entry(pair.0).or_default().push(pair.1);
    }

    let both = |code| sent.has(code) && received.has(code);
    Ok(Negotiated {
        local_as: n.local_as,
        peer_as,
        asn4,
        families,
        addpath_send,
        addpath_receive,
        max_message: if both(cap::EXTENDED_MESSAGE) {
            MAX_EXTENDED_LEN
        } else {
            MAX_LEN
        },
        extended_nexthop,
        hold_time: sent.hold_time.min(received.hold_time),
        local_address: Some(local_address),
        route_refresh: both(cap::ROUTE_REFRESH) || both(cap::ENHANCED_ROUTE_REFRESH),
        enhanced_route_refresh: both(cap::ENHANCED_ROUTE_REFRESH),
        aigp: n.capabilities.aigp,
        router_id: Some(sent.router_id),
        operational: both(cap::OPERATIONAL),
        multisession,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::peer::open::build_open;

    fn neighbor(body: &str) -> Neighbor {
        let text = format!(
            "neighbor 127.0.0.1 {{\n router-id 10.0.0.2;\n local-address 127.0.0.1;\n local-as 65533;\n{body}\n}}\n"
        );
        let mut c = crate::config::load_str(&text, Path::new("test.conf")).expect("config parses");
        c.neighbors.remove(0)
    }

    /// The suite's test peer: our own OPEN with the router id's last byte + 1, and optionally
    /// another AS (then the router id is kept).
    fn echo(sent: &Open, asn: Option<u16>) -> Open {
        let mut o = sent.clone();
        match asn {
            Some(a) => {
                o.asn = a;
                for c in &mut o.capabilities {
                    if let Capability::FourOctetAs(x) = c {
                        *x = u32::from(a);
                    }
                }
            }
            None => {
                let mut b = o.router_id.octets();
                b[3] = b[3].wrapping_add(1);
                o.router_id = Ipv4Addr::from(b);
            }
        }
        o
    }

    const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    #[test]
    fn test_peer_echo_negotiates_everything_we_offered() {
        let n = neighbor(" peer-as 65533;\n capability {\n route-refresh;\n add-path send/receive;\n }\n family {\n ipv4 unicast;\n ipv6 unicast;\n }");
        let sent = build_open(&n, Ipv4Addr::new(10, 0, 0, 2), "5.0.15");
        let neg = negotiate(&n, &sent, &echo(&sent, None), LOCAL).unwrap();
        assert!(neg.ibgp() && neg.asn4 && neg.route_refresh && neg.enhanced_route_refresh);
        assert_eq!(neg.families, [Family::IPV4_UNICAST, Family::IPV6_UNICAST]);
        assert!(
            neg.addpath_send(Family::IPV4_UNICAST) && neg.addpath_receive(Family::IPV6_UNICAST)
        );
        assert_eq!((neg.max_message, neg.hold_time), (MAX_EXTENDED_LEN, 180));
        assert_eq!(neg.local_address, Some(LOCAL));
    }

    #[test]
    fn ebgp_peer_may_keep_our_router_id() {
        let n = neighbor(" peer-as 65000;");
        let sent = build_open(&n, Ipv4Addr::new(10, 0, 0, 2), "5.0.15");
        let neg = negotiate(&n, &sent, &echo(&sent, Some(65000)), LOCAL).unwrap();
        assert_eq!((neg.local_as, neg.peer_as), (65533, 65000));
    }

    #[test]
    fn rfc4271_6_2_refusals() {
        let n = neighbor(" peer-as 65000;");
        let sent = build_open(&n, Ipv4Addr::new(10, 0, 0, 2), "5.0.15");
        let e = negotiate(&n, &sent, &echo(&sent, Some(65001)), LOCAL).unwrap_err();
        assert_eq!((e.code, e.subcode), (2, 2), "bad peer AS");
        let mut r = echo(&sent, Some(65000));
        r.hold_time = 2;
        assert_eq!(
            negotiate(&n, &sent, &r, LOCAL).unwrap_err().subcode,
            6,
            "hold time 1..2"
        );
        r.hold_time = 0;
        assert_eq!(
            negotiate(&n, &sent, &r, LOCAL).unwrap().hold_time,
            0,
            "0 disables keepalives"
        );
        r.router_id = Ipv4Addr::UNSPECIFIED;
        assert_eq!(
            negotiate(&n, &sent, &r, LOCAL).unwrap_err().subcode,
            3,
            "router id 0"
        );
        let n = neighbor(" peer-as 65533;");
        let sent = build_open(&n, Ipv4Addr::new(10, 0, 0, 2), "5.0.15");
        let e = negotiate(&n, &sent, &sent.clone(), LOCAL).unwrap_err();
        assert_eq!(e.subcode, 3, "iBGP router id collision");
    }

    #[test]
    fn auto_peer_as_accepts_any_and_asn4_uses_the_capability() {
        let mut n = neighbor(" peer-as 65000;");
        n.peer_as = None;
        let sent = build_open(&n, Ipv4Addr::new(10, 0, 0, 2), "5.0.15");
        let mut r = echo(&sent, Some(AS_TRANS as u16));
        r.capabilities
            .retain(|c| !matches!(c, Capability::FourOctetAs(_)));
        r.capabilities.push(Capability::FourOctetAs(4_200_000_000));
        let neg = negotiate(&n, &sent, &r, LOCAL).unwrap();
        assert_eq!(neg.peer_as, 4_200_000_000);
        r.capabilities
            .retain(|c| !matches!(c, Capability::FourOctetAs(_) | Capability::ExtendedMessage));
        let neg = negotiate(&n, &sent, &r, LOCAL).unwrap();
        assert!(!neg.asn4);
        assert_eq!((neg.peer_as, neg.max_message), (AS_TRANS, MAX_LEN));
    }

    #[test]
    fn multisession_must_be_answered() {
        let n = neighbor(" peer-as 65533;\n capability {\n multi-session;\n }");
        let sent = build_open(&n, Ipv4Addr::new(10, 0, 0, 2), "5.0.15");
        assert!(
            negotiate(&n, &sent, &echo(&sent, None), LOCAL)
                .unwrap()
                .multisession
        );
        let mut r = echo(&sent, None);
        r.capabilities
            .retain(|c| !matches!(c, Capability::MultiSession { .. }));
        assert_eq!(negotiate(&n, &sent, &r, LOCAL).unwrap_err().subcode, 9);
    }
}
