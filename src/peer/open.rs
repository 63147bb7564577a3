//! The OPEN message ferrobgp sends for a neighbor, capability for capability as ExaBGP 5.0.
//!
//! ExaBGP puts every capability in its own optional parameter, in this order: multiprotocol,
//! 4-octet AS, extended next hop, ADD-PATH, graceful restart, route refresh + enhanced route
//! refresh, operational, extended message, hostname, software version, multi-session.

use std::net::Ipv4Addr;

use crate::bgp::attribute::AS_TRANS;
use crate::bgp::capability::Capability;
use crate::bgp::message::Open;
use crate::bgp::Family;
use crate::config::Neighbor;

/// The only families ExaBGP offers ADD-PATH for (the ones it can write a path id for).
const ADD_PATH_FAMILIES: [Family; 6] = [
    Family::new(1, 1),
    Family::new(2, 1),
    Family::new(1, 4),
    Family::new(2, 4),
    Family::new(1, 128),
    Family::new(2, 128),
];

/// The only (family, next-hop AFI) pairs ExaBGP offers in the extended next hop capability.
const NEXTHOP_PAIRS: [(Family, u16); 4] = [
    (Family::new(1, 1), 2),
    (Family::new(1, 2), 2),
    (Family::new(1, 4), 2),
    (Family::new(1, 128), 2),
];

/// Graceful restart: R bit (restarting) which ExaBGP sets on its OPENs, and the per-family
/// "forwarding state preserved" bit.
const RESTART_STATE: u8 = 0x8;
const FORWARDING_STATE: u8 = 0x80;

/// Families in the order ExaBGP lists them (it keeps them sorted); unknown ones last.
fn ordered(families: &[Family]) -> Vec<Family> {
    let mut v: Vec<Family> = Vec::with_capacity(families.len());
    for f in families {
        if !v.contains(f) {
            v.push(*f);
        }
    }
    v.sort_by_key(|f| {
        Family::ALL
            .iter()
            .position(|a| a == f)
            .unwrap_or(usize::MAX)
    });
    v
}

/// The OPEN ferrobgp sends for `n`, byte-identical to ExaBGP 5.0.15's for the same neighbor.
pub fn build_open(n: &Neighbor, router_id: Ipv4Addr, version: &str) -> Open {
    let caps = &n.capabilities;
    let families = ordered(&n.families);
    let mut c = Vec::new();
    c.extend(families.iter().map(|f| Capability::Multiprotocol(*f)));
    if caps.asn4 {
        c.push(Capability::FourOctetAs(n.local_as));
    }
    if caps.nexthop {
        let pairs = NEXTHOP_PAIRS
            .iter()
            .filter(|p| n.nexthop_families.contains(p))
            .copied()
            .collect();
        c.push(Capability::ExtendedNextHop(pairs));
    }
    if let Some(mode) = caps.add_path {
        let wanted = if n.add_path_families.is_empty() {
            &families
        } else {
            &n.add_path_families
        };
        let v = ADD_PATH_FAMILIES
            .iter()
            .filter(|f| wanted.contains(f))
            .map(|f| (*f, mode))
            .collect();
        c.push(Capability::AddPath(v));
    }
    if let Some(time) = caps.graceful_restart.filter(|t| *t != 0) {
        c.push(Capability::GracefulRestart {
            restart_flags: RESTART_STATE,
            restart_time: time & 0x0fff,
            families: families.iter().map(|f| (*f, FORWARDING_STATE)).collect(),
        });
    }
    if caps.route_refresh {
        c.push(Capability::RouteRefresh);
        c.push(Capability::EnhancedRouteRefresh);
    }
    if caps.operational {
        c.push(Capability::Operational);
    }
    if caps.extended_message {
        c.push(Capability::ExtendedMessage);
    }
    if let Some(host) = n.host_name.as_deref().filter(|h| !h.is_empty()) {
        c.push(Capability::Hostname {
            host: host.to_string(),
            domain: n.domain_name.clone().unwrap_or_default(),
        });
    }
    if caps.software_version {
        let mut s = format!("ExaBGP/{version}");
        if s.len() > 64 {
            let mut end = 61;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s.truncate(end);
            s.push_str("...");
        }
        c.push(Capability::SoftwareVersion(s));
    }
    if caps.multi_session {
        // ExaBGP writes the flags octet and each session code as separate capabilities,
        // then the Cisco variant (131) with only the flags octet.
        c.push(Capability::MultiSession {
            code: 68,
            data: vec![0],
        });
        c.push(Capability::MultiSession {
            code: 68,
            data: vec![1],
        });
        c.push(Capability::MultiSession {
            code: 131,
            data: vec![0],
        });
    }
    let asn = u16::try_from(n.local_as).unwrap_or(AS_TRANS as u16);
    Open {
        version: 4,
        asn,
        hold_time: n.hold_time,
        router_id,
        capabilities: c,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::bgp::message::Message;
    use crate::bgp::testutil::messages;
    use crate::bgp::Negotiated;

    fn neighbor(body: &str) -> Neighbor {
        let text = format!(
            "neighbor 127.0.0.1 {{\n router-id 10.0.0.2;\n local-address 127.0.0.1;\n local-as 65533;\n peer-as 65533;\n hold-time 180;\n{body}\n}}\n"
        );
        let mut c = crate::config::load_str(&text, Path::new("test.conf")).expect("config parses");
        c.neighbors.remove(0)
    }

    fn open_hex(body: &str, version: &str) -> String {
        let n = neighbor(body);
        let o = build_open(&n, Ipv4Addr::new(10, 0, 0, 2), version);
        let mut out = Vec::new();
        Message::Open(o)
            .encode(&Negotiated::default(), &mut out)
            .unwrap();
        messages(&out).remove(0)
    }

    #[test]
    fn every_family_when_no_family_block() {
        // Captured from ExaBGP 5.0.15 for a neighbor with no family block.
        let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:00D1:01:04FFFD00B40A000002B4020601040001000102060104000100020206010400010004020601040001000502060104000100550206010400010080020601040001008402060104000100850206010400010086020601040002000102060104000200020206010400020004020601040002000502060104000200550206010400020080020601040002008502060104000200860206010400190041020601040019004602060104400400470206010440040048020641040000FFFD02020600";
        assert_eq!(open_hex("", "5.0.15"), want);
    }

    #[test]
    fn hostname_and_software_version() {
        // conf-hostname and conf-cap-software-version.
        let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0055:01:04FFFD00B40A000002380206010400010001020641040000FFFD02020600022249200C6D792D686F73742D6E616D65126D792D646F6D61696E2D6E616D652E636F6D";
        let body = " host-name my-host-name;\n domain-name my-domain-name.com;\n family {\n ipv4 unicast;\n }";
        assert_eq!(open_hex(body, "5.0.0-0+test"), want);
        let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0049:01:04FFFD00B40A0000022C0206010400010001020641040000FFFD0202060002164B14134578614247502F352E302E302D302B74657374";
        let body = " capability {\n software-version enable;\n }\n family {\n ipv4 unicast;\n }";
        assert_eq!(open_hex(body, "5.0.0-0+test"), want);
    }

    #[test]
    fn every_optional_capability_in_exabgp_order() {
        // Captured from ExaBGP 5.0.15 (version string 5.0.15).
        let body = " capability {\n route-refresh;\n graceful-restart 120;\n add-path send/receive;\n multi-session;\n operational;\n aigp;\n nexthop;\n software-version enable;\n }\n family {\n ipv4 unicast;\n ipv6 unicast;\n ipv4 multicast;\n }\n nexthop {\n ipv4 unicast ipv6;\n }";
        let want = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0096:01:04FFFD00B40A00000279020601040001000102060104000100020206010400020001020641040000FFFD02080506000100010002020A450800010103000201030210400E807800010180000102800002018002020200020246000202B9000202060002104B0E0D4578614247502F352E302E3135020344010002034401010203830100";
        assert_eq!(open_hex(body, "5.0.15"), want);
    }
}
