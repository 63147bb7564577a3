//! The text encoder (`encoder text`): ExaBGP 5.0's one-line events, each followed by the blank
//! line its writer adds. Peer-supplied strings go through `oneline` so they stay on their line.

use std::fmt::Write;

use crate::bgp::message::{Notification, Open, RouteRefresh, Update};
use crate::bgp::{Family, Nlri};

use super::escape::{hex_upper, oneline};
use super::{attr, capability, nlri, shutdown};
use super::{Direction, Header, Neighbor, Operational, OperationalKind, Raw};

/// ` header 0x.. body 0x..`: each part only when non-empty.
fn header_body(out: &mut String, raw: Option<Raw<'_>>) {
    let Some(raw) = raw else { return };
    if !raw.header.is_empty() {
        out.push_str(" header ");
        hex_upper(out, raw.header);
    }
    if !raw.body.is_empty() {
        out.push_str(" body ");
        hex_upper(out, raw.body);
    }
}

/// Close an event: its own newline, and the one ExaBGP's writer appends after every event.
fn end(out: &mut String) {
    out.push_str("\n\n");
}

fn prefix(out: &mut String, n: &Neighbor, dir: Direction) {
    let _ = write!(out, "neighbor {} {}", n.peer_address, dir.as_str());
}

pub(super) fn state(out: &mut String, n: &Neighbor, state: &str, reason: Option<&str>) {
    let _ = write!(out, "neighbor {} {state}", n.peer_address);
    if let Some(r) = reason {
        out.push_str(" - ");
        oneline(out, r);
    }
    end(out);
}

pub(super) fn shutdown(out: &mut String, h: &Header<'_>) {
    let _ = write!(out, "shutdown {} {}", h.pid, h.ppid);
    end(out);
}

pub(super) fn open(
    out: &mut String,
    n: &Neighbor,
    dir: Direction,
    open: &Open,
    raw: Option<Raw<'_>>,
) {
    prefix(out, n, dir);
    let _ = write!(
        out,
        " open version {} asn {} hold_time {} router_id {} capabilities [",
        open.version, open.asn, open.hold_time, open.router_id
    );
    capability::text(out, &open.capabilities, dir == Direction::Send);
    out.push(']');
    header_body(out, raw);
    end(out);
}

pub(super) fn notification(
    out: &mut String,
    n: &Neighbor,
    dir: Direction,
    msg: &Notification,
    raw: Option<Raw<'_>>,
) {
    prefix(out, n, dir);
    let _ = write!(
        out,
        " notification code {} subcode {} data ",
        msg.code, msg.subcode
    );
    hex_upper(out, &shutdown::data(msg, dir));
    header_body(out, raw);
    end(out);
}

pub(super) fn keepalive(out: &mut String, n: &Neighbor, dir: Direction, raw: Option<Raw<'_>>) {
    prefix(out, n, dir);
    out.push_str(" keepalive");
    header_body(out, raw);
    end(out);
}

pub(super) fn refresh(
    out: &mut String,
    n: &Neighbor,
    dir: Direction,
    rr: &RouteRefresh,
    raw: Option<Raw<'_>>,
) {
    prefix(out, n, dir);
    let (afi, safi) = nlri::afi_safi(rr.family);
    let subtype = match rr.subtype {
        0 => "query",
        1 => "begin",
        2 => "end",
        _ => "invalid",
    };
    let _ = write!(out, " route-refresh afi {afi} safi {safi} {subtype}");
    header_body(out, raw);
    end(out);
}

/// ExaBGP's operational lines lack the trailing newline the others have, so only the
/// writer's newline follows them.
pub(super) fn operational(
    out: &mut String,
    n: &Neighbor,
    dir: Direction,
    op: &Operational<'_>,
    raw: Option<Raw<'_>>,
) {
    prefix(out, n, dir);
    let (afi, safi) = nlri::afi_safi(op.family);
    out.push_str(" operational ");
    oneline(out, op.name);
    let _ = write!(out, " afi {afi} safi {safi}");
    match op.kind {
        OperationalKind::Advisory(text) => {
            out.push_str(" advisory \"");
            oneline(out, text);
            out.push('"');
        }
        OperationalKind::Query => {}
        OperationalKind::Counter {
            router_id,
            sequence,
            counter,
        } => {
            let _ = write!(
                out,
                " router-id {router_id} sequence {sequence} counter {counter}"
            );
        }
    }
    header_body(out, raw);
    out.push('\n');
}

pub(super) fn packets(
    out: &mut String,
    n: &Neighbor,
    dir: Direction,
    category: u8,
    raw: Option<Raw<'_>>,
) {
    prefix(out, n, dir);
    let _ = write!(out, " {category}");
    header_body(out, raw);
    end(out);
}

/// `update start`, one line per route (withdrawn, announced, EOR), the consolidated raw
/// bytes if any, `update end`, then the blank line.
pub(super) fn update(
    out: &mut String,
    n: &Neighbor,
    dir: Direction,
    u: &Update,
    raw: Option<Raw<'_>>,
) {
    let mut head = String::new();
    prefix(&mut head, n, dir);
    head.push_str(" update");
    let _ = writeln!(out, "{head} start");
    if let Some(f) = u.eor {
        let (afi, safi) = nlri::afi_safi(f);
        let _ = writeln!(
            out,
            "{head} route eor {}/{} ({afi} {safi})",
            f.afi.0, f.safi.0
        );
    } else {
        let mut attrs = String::new();
        attr::update_text(&mut attrs, u, dir);
        // ExaBGP's order: IPv4 withdrawn and announced (the classic fields), then the
        // MP_UNREACH and MP_REACH routes.
        let classic = |n: &&Nlri| n.family() == Family::IPV4_UNICAST;
        let (w4, w_mp): (Vec<&Nlri>, Vec<&Nlri>) = u.withdrawn.iter().partition(classic);
        // Each route with its own next hop (see `nlri::announced_with_next_hops`); an UPDATE
        // not read from the wire does not say which routes were in the NLRI field: IPv4
        // unicast ones are.
        let (a4, a_mp) = match nlri::announced_with_next_hops(u) {
            (native, mp) if native.is_empty() => mp.into_iter().partition(|(n, _)| classic(n)),
            split => split,
        };
        let withdrawn = |out: &mut String, list: &[&Nlri]| {
            for r in list {
                let _ = write!(out, "{head} withdrawn ");
                nlri::text(out, r);
                nlri::text_tail(out, r);
                out.push('\n');
            }
        };
        let announced = |out: &mut String, list: &[nlri::Hopped<'_>]| {
            for (r, hop) in list {
                match hop {
                    Some(_) => {
                        let _ = write!(out, "{head} announced ");
                        nlri::text(out, r);
                        let _ = write!(out, " next-hop {}", nlri::next_hop_key(hop.as_ref()));
                        nlri::text_tail(out, r);
                        out.push_str(&attrs);
                    }
                    // ExaBGP's form for a route without a next hop.
                    None => {
                        let _ = write!(out, "{head} ");
                        nlri::text(out, r);
                        nlri::text_tail(out, r);
                        out.push(' ');
                        out.push_str(&attrs);
                    }
                }
                out.push('\n');
            }
        };
        withdrawn(out, &w4);
        announced(out, &a4);
        withdrawn(out, &w_mp);
        announced(out, &a_mp);
    }
    if raw.is_some_and(|r| !r.header.is_empty() || !r.body.is_empty()) {
        header_body(out, raw);
        out.push('\n');
    }
    let _ = writeln!(out, "{head} end");
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::super::{Context, Encoder, FsmState};
    use super::*;
    use crate::bgp::attribute::{Attributes, NextHop, Origin};

    const H: Header<'static> = Header {
        time: 1.5,
        host: "vm",
        pid: 17816,
        ppid: 17815,
        counter: 3,
    };

    fn n() -> Neighbor {
        let lo = IpAddr::V4(Ipv4Addr::LOCALHOST);
        Neighbor {
            local_address: Some(lo),
            peer_address: lo,
            local_as: 1,
            peer_as: 1,
            router_id: None,
        }
    }

    fn inet(p: &str, id: Option<u32>) -> Nlri {
        Nlri::unicast(p.parse().unwrap(), id)
    }

    // Expected lines are ExaBGP 5.0.15's forms (captured from a loopback session).
    #[test]
    fn every_event_ends_with_a_blank_line() {
        let enc = Encoder::text();
        let mut out = String::new();
        enc.connected(&mut out, &H, &n());
        enc.up(&mut out, &H, &n());
        enc.keepalive(&mut out, &H, &n(), Direction::Send, None);
        enc.down(&mut out, &H, &n(), "peer reset\nneighbor 127.0.0.1 up");
        enc.shutdown(&mut out, &H);
        assert_eq!(
            out,
            concat!(
                "neighbor 127.0.0.1 connected\n\n",
                "neighbor 127.0.0.1 up\n\n",
                "neighbor 127.0.0.1 send keepalive\n\n",
                "neighbor 127.0.0.1 down - peer reset\\x0aneighbor 127.0.0.1 up\n\n",
                "shutdown 17816 17815\n\n",
            )
        );
    }

    #[test]
    fn json_only_events_write_nothing() {
        let enc = Encoder::text();
        let mut out = String::new();
        assert!(!enc.fsm(&mut out, &H, &n(), FsmState::Idle));
        assert!(!enc.signal(&mut out, &H, &n(), 10));
        assert!(out.is_empty());
    }

    /// ExaBGP prints each route with its own next hop: the NLRI field's first.
    #[test]
    fn routes_keep_their_own_next_hop() {
        let u = Update {
            attributes: Attributes {
                next_hop: Some(NextHop::Addr("192.0.2.9".parse().unwrap())),
                ..Attributes::default()
            },
            announced: vec![inet("10.10.0.0/16", None), inet("10.11.0.0/16", None)],
            shown_next_hops: crate::bgp::message::ShownNextHops {
                native: 1,
                native_next_hop: Some("192.0.2.1".parse().unwrap()),
                link_local: None,
            },
            ..Update::default()
        };
        let mut out = String::new();
        Encoder::text().update(
            &mut out,
            &H,
            &n(),
            Direction::Receive,
            &u,
            Context::default(),
        );
        assert_eq!(
            out,
            concat!(
                "neighbor 127.0.0.1 receive update start\n",
                "neighbor 127.0.0.1 receive update announced 10.11.0.0/16 next-hop 192.0.2.1\n",
                "neighbor 127.0.0.1 receive update announced 10.10.0.0/16 next-hop 192.0.2.9\n",
                "neighbor 127.0.0.1 receive update end\n\n",
            )
        );
    }

    #[test]
    fn update_lines() {
        let u = Update {
            withdrawn: vec![inet("10.0.3.0/24", None), inet("2001:db8::/32", None)],
            attributes: Attributes {
                origin: Some(Origin::Igp),
                next_hop: Some(NextHop::Addr("10.0.0.1".parse().unwrap())),
                local_pref: Some(100),
                ..Attributes::default()
            },
            announced: vec![inet("10.0.1.0/24", Some(1))],
            ..Update::default()
        };
        let raw = Raw {
            header: &[0xff, 0x02],
            body: &[0, 0],
        };
        let mut out = String::new();
        Encoder::text().update(
            &mut out,
            &H,
            &n(),
            Direction::Receive,
            &u,
            Context {
                negotiated: None,
                raw: Some(raw),
            },
        );
        assert_eq!(
            out,
            concat!(
                "neighbor 127.0.0.1 receive update start\n",
                "neighbor 127.0.0.1 receive update withdrawn 10.0.3.0/24\n",
                "neighbor 127.0.0.1 receive update announced 10.0.1.0/24 path-information 0.0.0.1 next-hop 10.0.0.1 ",
                "origin igp local-preference 100\n",
                "neighbor 127.0.0.1 receive update withdrawn 2001:db8::/32\n",
                " header 0xFF02 body 0x0000\n",
                "neighbor 127.0.0.1 receive update end\n\n",
            )
        );
        out.clear();
        let eor = Update {
            eor: Some(Family::IPV6_UNICAST),
            ..Update::default()
        };
        Encoder::text().update(
            &mut out,
            &H,
            &n(),
            Direction::Send,
            &eor,
            Context::default(),
        );
        assert_eq!(
            out,
            concat!(
                "neighbor 127.0.0.1 send update start\n",
                "neighbor 127.0.0.1 send update route eor 2/1 (ipv6 unicast)\n",
                "neighbor 127.0.0.1 send update end\n\n",
            )
        );
    }

    #[test]
    fn messages() {
        let enc = Encoder::text();
        let mut out = String::new();
        let note = Notification {
            code: 3,
            subcode: 1,
            data: b"ab".to_vec(),
        };
        enc.notification(&mut out, &H, &n(), Direction::Send, &note, None);
        let rr = RouteRefresh {
            family: Family::IPV4_UNICAST,
            subtype: 0,
        };
        enc.refresh(&mut out, &H, &n(), Direction::Receive, &rr, None);
        let raw = Raw {
            header: &[0xff, 0x04],
            body: &[],
        };
        enc.packets(
            &mut out,
            &H,
            &n(),
            Direction::Receive,
            4,
            Context {
                negotiated: None,
                raw: Some(raw),
            },
        );
        let op = Operational {
            name: "rpcq",
            family: Family::IPV4_UNICAST,
            kind: OperationalKind::Query,
        };
        enc.operational(&mut out, &H, &n(), Direction::Receive, &op, None);
        assert_eq!(
            out,
            concat!(
                "neighbor 127.0.0.1 send notification code 3 subcode 1 data 0x6162\n\n",
                "neighbor 127.0.0.1 receive route-refresh afi ipv4 safi unicast query\n\n",
                "neighbor 127.0.0.1 receive 4 header 0xFF04\n\n",
                "neighbor 127.0.0.1 receive operational rpcq afi ipv4 safi unicast\n",
            )
        );
    }
}
