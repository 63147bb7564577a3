//! The JSON encoder (`encoder json`): ExaBGP 5.0's event objects with its exact key order and
//! spacing, written by hand because the spacing is part of what helpers may depend on.

use std::fmt::Write;
use std::net::IpAddr;

use crate::bgp::message::{Notification, Open, RouteRefresh, Update};
use crate::bgp::{Afi, Family, Negotiated, Nlri};

use super::attr::{self, join};
use super::digits::{push_ipv4, push_u32, push_u64};
use super::escape::{hex_upper, json_str, py_float};
use super::{capability, nlri, shutdown};
use super::{
    Context, Direction, FsmState, Header, NegotiatedExtra, Neighbor, Operational, OperationalKind,
    Raw, JSON_VERSION,
};

/// `{ "exabgp": ..., "type": ..., [header/body,] <content> }` and the newline.
fn envelope(
    out: &mut String,
    h: &Header<'_>,
    counter: bool,
    kind: &str,
    raw: Option<Raw<'_>>,
    content: &str,
) {
    envelope_start(out, h, counter, kind, raw);
    out.push_str(content);
    out.push_str(" }\n");
}

/// What `envelope` writes before the content.
fn envelope_start(
    out: &mut String,
    h: &Header<'_>,
    counter: bool,
    kind: &str,
    raw: Option<Raw<'_>>,
) {
    let _ = write!(out, "{{ \"exabgp\": \"{JSON_VERSION}\", \"time\": ");
    py_float(out, h.time);
    out.push_str(", \"host\" : ");
    json_str(out, h.host);
    out.push_str(", \"pid\" : ");
    push_u64(out, u64::from(h.pid));
    out.push_str(", \"ppid\" : ");
    push_u64(out, u64::from(h.ppid));
    out.push_str(", ");
    if counter {
        out.push_str("\"counter\": ");
        push_u64(out, h.counter);
        out.push_str(", ");
    }
    out.push_str("\"type\": \"");
    out.push_str(kind);
    out.push_str("\", ");
    if let Some(raw) = raw {
        if !raw.header.is_empty() {
            out.push_str("\"header\": \"");
            hex_upper(out, raw.header);
            out.push_str("\", ");
        }
        if !raw.body.is_empty() {
            out.push_str("\"body\": \"");
            hex_upper(out, raw.body);
            out.push_str("\", ");
        }
    }
}

/// The `"neighbor": { ... }` object around an event's content (ExaBGP's odd spacing kept).
fn neighbor(n: &Neighbor, dir: Option<Direction>, content: &str) -> String {
    let mut s = String::with_capacity(160 + content.len());
    neighbor_start(&mut s, n, dir);
    s.push_str(if content.is_empty() { " " } else { ", " });
    s.push_str(content);
    s.push_str(" }");
    s
}

/// What `neighbor` writes before the separator and the content.
fn neighbor_start(s: &mut String, n: &Neighbor, dir: Option<Direction>) {
    s.push_str("\"neighbor\": { \"address\": { \"local\": \"");
    match n.local_address {
        Some(IpAddr::V4(a)) => push_ipv4(s, a),
        Some(a) => {
            let _ = write!(s, "{a}");
        }
        None => s.push_str("None"),
    }
    s.push_str("\", \"peer\": \"");
    match n.peer_address {
        IpAddr::V4(a) => push_ipv4(s, a),
        a => {
            let _ = write!(s, "{a}");
        }
    }
    s.push_str("\" }, \"asn\": { \"local\": ");
    push_u32(s, n.local_as);
    s.push_str(", \"peer\": ");
    push_u32(s, n.peer_as);
    s.push_str(" }");
    if let Some(id) = n.router_id {
        s.push_str(", \"router-id\": \"");
        push_ipv4(s, id);
        s.push('"');
    }
    s.push(' ');
    if let Some(d) = dir {
        let _ = write!(s, ", \"direction\": \"{}\"", d.as_str());
    }
}

pub(super) fn state(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    state: &str,
    reason: Option<&str>,
) {
    let mut c = format!("\"state\": \"{state}\"");
    if let Some(r) = reason {
        c.push_str(", \"reason\": ");
        json_str(&mut c, r);
    }
    envelope(out, h, true, "state", None, &neighbor(n, None, &c));
}

pub(super) fn shutdown(out: &mut String, h: &Header<'_>) {
    envelope(
        out,
        h,
        false,
        "notification",
        None,
        "\"notification\": \"shutdown\"",
    );
}

fn negotiated_object(s: &mut String, neg: &Negotiated, extra: NegotiatedExtra) {
    let refresh = if neg.enhanced_route_refresh {
        "enhanced"
    } else if neg.route_refresh {
        "normal"
    } else {
        "absent"
    };
    let _ = write!(
        s,
        "\"negotiated\": {{ \"message_size\": {}, \"hold_time\": {}, \"asn4\": {}, \"multisession\": {}, \
         \"operational\": {}, \"refresh\": \"{refresh}\", \"families\": ",
        neg.max_message, neg.hold_time, neg.asn4, extra.multisession, extra.operational
    );
    // json.dumps of a list of strings: ["a", "b"].
    let list = |s: &mut String, items: &[String]| {
        s.push('[');
        join(s, items, ", ", |s, i| json_str(s, i));
        s.push(']');
    };
    let families: Vec<String> = neg.families.iter().map(|f| nlri::family_key(*f)).collect();
    list(s, &families);
    s.push_str(", \"nexthop\": ");
    // The map has no order; ExaBGP lists them in the order of the families.
    let mut keys: Vec<Family> = neg
        .families
        .iter()
        .copied()
        .filter(|f| neg.extended_nexthop.contains_key(f))
        .collect();
    let mut rest: Vec<Family> = neg
        .extended_nexthop
        .keys()
        .copied()
        .filter(|f| !keys.contains(f))
        .collect();
    rest.sort();
    keys.extend(rest);
    let nexthops: Vec<String> = keys
        .iter()
        .flat_map(|f| {
            let afis = neg.extended_nexthop.get(f).cloned().unwrap_or_default();
            afis.into_iter().map(move |afi| {
                let name = Afi(afi)
                    .name()
                    .map_or_else(|| afi.to_string(), str::to_string);
                format!("{} {name}", nlri::family_key(*f))
            })
        })
        .collect();
    list(s, &nexthops);
    let send: Vec<String> = neg
        .families
        .iter()
        .filter(|f| neg.addpath_send(**f))
        .map(|f| nlri::family_key(*f))
        .collect();
    let receive: Vec<String> = neg
        .families
        .iter()
        .filter(|f| neg.addpath_receive(**f))
        .map(|f| nlri::family_key(*f))
        .collect();
    s.push_str(", \"add_path\": {\"send\": ");
    list(s, &send);
    s.push_str(", \"receive\": ");
    list(s, &receive);
    s.push_str("} } ");
}

pub(super) fn negotiated(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    neg: &Negotiated,
    extra: NegotiatedExtra,
) {
    let mut c = String::new();
    negotiated_object(&mut c, neg, extra);
    envelope(out, h, true, "negotiated", None, &neighbor(n, None, &c));
}

pub(super) fn fsm(out: &mut String, h: &Header<'_>, n: &Neighbor, state: FsmState) {
    let c = format!("\"state\": \"{}\"", state.name());
    envelope(out, h, true, "fsm", None, &neighbor(n, None, &c));
}

/// Signal names as Python's `signal` module has them on Linux.
fn signal_name(sig: i32) -> &'static str {
    match sig {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        17 => "SIGCHLD",
        _ => "unknown",
    }
}

pub(super) fn signal(out: &mut String, h: &Header<'_>, n: &Neighbor, sig: i32) {
    let c = format!("\"code\": \"{sig}\", \"name\": \"{}\"", signal_name(sig));
    envelope(out, h, true, "signal", None, &neighbor(n, None, &c));
}

pub(super) fn open(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    dir: Direction,
    open: &Open,
    raw: Option<Raw<'_>>,
) {
    let mut c = format!(
        "\"open\": {{ \"version\": {}, \"asn\": {}, \"hold_time\": {}, \"router_id\": \"{}\", \"capabilities\": {{ ",
        open.version, open.asn, open.hold_time, open.router_id
    );
    capability::json(&mut c, &open.capabilities, dir == Direction::Send);
    c.push_str(" } }");
    envelope(out, h, true, "open", raw, &neighbor(n, Some(dir), &c));
}

pub(super) fn notification(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    dir: Direction,
    msg: &Notification,
    raw: Option<Raw<'_>>,
) {
    let data = shutdown::data(msg, dir);
    let mut c = format!(
        "\"notification\": {{ \"code\": {}, \"subcode\": {}, \"data\": \"",
        msg.code, msg.subcode
    );
    hex_upper(&mut c, &data);
    c.push_str("\", \"message\": ");
    json_str(&mut c, &String::from_utf8_lossy(&data));
    c.push_str(" } ");
    envelope(
        out,
        h,
        true,
        "notification",
        raw,
        &neighbor(n, Some(dir), &c),
    );
}

pub(super) fn keepalive(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    dir: Direction,
    raw: Option<Raw<'_>>,
) {
    envelope(out, h, true, "keepalive", raw, &neighbor(n, Some(dir), ""));
}

fn subtype_name(subtype: u8) -> &'static str {
    match subtype {
        0 => "query",
        1 => "begin",
        2 => "end",
        _ => "invalid",
    }
}

pub(super) fn refresh(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    dir: Direction,
    rr: &RouteRefresh,
    raw: Option<Raw<'_>>,
) {
    let (afi, safi) = nlri::afi_safi(rr.family);
    let c = format!(
        "\"route-refresh\": {{ \"afi\": \"{afi}\", \"safi\": \"{safi}\", \"subtype\": \"{}\" }}",
        subtype_name(rr.subtype)
    );
    envelope(out, h, true, "refresh", raw, &neighbor(n, Some(dir), &c));
}

pub(super) fn operational(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    dir: Direction,
    op: &Operational<'_>,
    raw: Option<Raw<'_>>,
) {
    let (afi, safi) = nlri::afi_safi(op.family);
    let mut c = String::from("\"operational\": { \"name\": ");
    json_str(&mut c, op.name);
    let _ = write!(c, ", \"afi\": \"{afi}\", \"safi\": \"{safi}\"");
    match op.kind {
        OperationalKind::Advisory(text) => {
            c.push_str(", \"advisory\": ");
            json_str(&mut c, text);
        }
        OperationalKind::Query => {}
        OperationalKind::Counter {
            router_id,
            sequence,
            counter,
        } => {
            let _ = write!(c, ", \"router-id\": \"{router_id}\", \"sequence\": {sequence}, \"counter\": {counter}");
        }
    }
    c.push_str(" }");
    envelope(
        out,
        h,
        true,
        "operational",
        raw,
        &neighbor(n, Some(dir), &c),
    );
}

/// ExaBGP's long message names, used as the `type` of a packets event.
fn message_name(category: u8) -> &'static str {
    match category {
        1 => "open",
        2 => "update",
        3 => "notification",
        4 => "keepalive",
        5 => "route-refresh",
        6 => "operational",
        _ => "unknown",
    }
}

pub(super) fn packets(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    dir: Direction,
    category: u8,
    ctx: Context<'_>,
) {
    let raw = ctx.raw.unwrap_or(Raw {
        header: &[],
        body: &[],
    });
    let mut c = format!("\"message\": {{ \"category\": {category}, \"header\": \"");
    hex_upper(&mut c, raw.header);
    c.push_str("\", \"body\": \"");
    hex_upper(&mut c, raw.body);
    c.push_str("\" } ");
    if let Some((neg, extra)) = ctx.negotiated {
        c.push_str(", ");
        negotiated_object(&mut c, neg, extra);
    }
    envelope(
        out,
        h,
        true,
        message_name(category),
        None,
        &neighbor(n, Some(dir), &c),
    );
}

/// Whether ExaBGP would consider the UPDATE to carry attributes: any shown attribute, or a
/// NEXT_HOP attribute (IPv4 unicast routes), which is in its attribute set but never shown.
fn has_attributes(u: &Update, shown: &str) -> bool {
    !shown.is_empty()
        || (u.attributes.next_hop.is_some()
            && u.announced
                .iter()
                .any(|n| n.family() == Family::IPV4_UNICAST))
}

/// The `message` object of an update event: `{ "update": { ... } }` or `{ "eor": { ... } }`.
/// `dir` decides how generic attributes' flags are shown (see `attr::json`).
pub fn update_message(out: &mut String, u: &Update, dir: Direction, compact: bool) {
    if let Some(f) = u.eor {
        let (afi, safi) = nlri::afi_safi(f);
        let _ = write!(
            out,
            "{{ \"eor\": {{ \"afi\" : \"{afi}\", \"safi\" : \"{safi}\" }} }}"
        );
        return;
    }
    out.push_str("{ \"update\": { ");
    let mark = out.len();
    out.push_str("\"attribute\": { ");
    let shown_at = out.len();
    attr::update_json(out, u, dir);
    let mut first = true;
    if has_attributes(u, out.get(shown_at..).unwrap_or_default()) {
        out.push_str(" }");
        first = false;
    } else {
        out.truncate(mark);
    }
    let announce = nlri::announced_groups(u);
    if !announce.is_empty() {
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str("\"announce\": { ");
        join(out, &announce, ", ", |s, (f, groups)| {
            s.push('"');
            s.push_str(&nlri::family_key(*f));
            s.push_str("\": { ");
            join(s, groups, ", ", |s, (hop, list)| {
                nlri::push_next_hop_key(s, hop.as_ref());
                s.push_str(": [ ");
                join(s, list, ", ", |s, n: &&Nlri| {
                    nlri::json_announced(s, n, compact, hop.as_ref())
                });
                s.push_str(" ]");
            });
            s.push_str(" }");
        });
        out.push_str(" }");
    }
    let withdraw = nlri::by_family(&u.withdrawn);
    if !withdraw.is_empty() {
        if !first {
            out.push_str(", ");
        }
        out.push_str("\"withdraw\": { ");
        join(out, &withdraw, ", ", |s, (f, list)| {
            s.push('"');
            s.push_str(&nlri::family_key(*f));
            s.push_str("\": [ ");
            join(s, list, ", ", |s, n: &&Nlri| nlri::json(s, n, compact));
            s.push_str(" ]");
        });
        out.push_str(" }");
    }
    out.push_str(" } }");
}

pub(super) fn update(
    out: &mut String,
    h: &Header<'_>,
    n: &Neighbor,
    dir: Direction,
    u: &Update,
    ctx: Context<'_>,
    compact: bool,
) {
    // Written in place: a full table is a quarter of a million of these.
    envelope_start(out, h, true, "update", ctx.raw);
    neighbor_start(out, n, Some(dir));
    out.push_str(", \"message\": ");
    update_message(out, u, dir, compact);
    if let Some((neg, extra)) = ctx.negotiated {
        out.push_str(", ");
        negotiated_object(out, neg, extra);
    }
    out.push_str(" } }\n");
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::super::Encoder;
    use super::*;
    use crate::bgp::attribute::{Attributes, NextHop, Origin};
    use crate::bgp::message::ShownNextHops;

    const H: Header<'static> = Header {
        time: 1795742588.7238684,
        host: "vm",
        pid: 17816,
        ppid: 17815,
        counter: 10,
    };
    const HEAD: &str = r#"{ "exabgp": "5.0.0", "time": 1795742588.7238684, "host" : "vm", "pid" : 17816, "ppid" : 17815, "counter": 10, "#;
    const NB: &str = r#""neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 1, "peer": 1 }, "router-id": "1.2.3.4" "#;

    fn n() -> Neighbor {
        let lo = IpAddr::V4(Ipv4Addr::LOCALHOST);
        Neighbor {
            local_address: Some(lo),
            peer_address: lo,
            local_as: 1,
            peer_as: 1,
            router_id: Some(Ipv4Addr::new(1, 2, 3, 4)),
        }
    }

    fn inet(p: &str, id: Option<u32>) -> Nlri {
        Nlri::unicast(p.parse().unwrap(), id)
    }

    // Expected lines are ExaBGP 5.0.15's (captured from a loopback session).
    #[test]
    fn state_events() {
        let enc = Encoder::json(false);
        let mut out = String::new();
        enc.down(&mut out, &H, &n(), "notification sent (3,1)");
        assert_eq!(
            out,
            format!("{HEAD}\"type\": \"state\", {NB}, \"state\": \"down\", \"reason\": \"notification sent (3,1)\" }} }}\n")
        );
        out.clear();
        enc.connected(&mut out, &H, &n());
        assert_eq!(
            out,
            format!("{HEAD}\"type\": \"state\", {NB}, \"state\": \"connected\" }} }}\n")
        );
    }

    #[test]
    fn shutdown_has_no_counter_and_no_neighbor() {
        let mut out = String::new();
        Encoder::json(false).shutdown(&mut out, &H);
        assert_eq!(
            out,
            "{ \"exabgp\": \"5.0.0\", \"time\": 1795742588.7238684, \"host\" : \"vm\", \"pid\" : 17816, \"ppid\" : 17815, \"type\": \"notification\", \"notification\": \"shutdown\" }\n"
        );
    }

    #[test]
    fn keepalive_fsm_and_signal() {
        let enc = Encoder::json(false);
        let mut out = String::new();
        enc.keepalive(&mut out, &H, &n(), Direction::Send, None);
        assert_eq!(
            out,
            format!("{HEAD}\"type\": \"keepalive\", {NB}, \"direction\": \"send\"  }} }}\n")
        );
        out.clear();
        enc.fsm(&mut out, &H, &n(), FsmState::OpenConfirm);
        assert_eq!(
            out,
            format!("{HEAD}\"type\": \"fsm\", {NB}, \"state\": \"OPENCONFIRM\" }} }}\n")
        );
        out.clear();
        enc.signal(&mut out, &H, &n(), 10);
        assert_eq!(
            out,
            format!(
                "{HEAD}\"type\": \"signal\", {NB}, \"code\": \"10\", \"name\": \"SIGUSR1\" }} }}\n"
            )
        );
    }

    #[test]
    fn negotiated_object() {
        let neg = Negotiated {
            families: vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST],
            extended_nexthop: [(Family::IPV4_UNICAST, vec![2])].into_iter().collect(),
            addpath_receive: vec![Family::IPV4_UNICAST],
            max_message: 65535,
            route_refresh: true,
            enhanced_route_refresh: true,
            ..Negotiated::default()
        };
        let mut out = String::new();
        Encoder::json(false).negotiated(&mut out, &H, &n(), &neg, NegotiatedExtra::default());
        assert_eq!(
            out,
            format!(
                "{HEAD}\"type\": \"negotiated\", {NB}, \"negotiated\": {{ \"message_size\": 65535, \"hold_time\": 180, \
                 \"asn4\": true, \"multisession\": false, \"operational\": false, \"refresh\": \"enhanced\", \
                 \"families\": [\"ipv4 unicast\", \"ipv6 unicast\"], \"nexthop\": [\"ipv4 unicast ipv6\"], \
                 \"add_path\": {{\"send\": [], \"receive\": [\"ipv4 unicast\"]}} }}  }} }}\n"
            )
        );
    }

    #[test]
    fn notification_data_cannot_break_the_line() {
        let msg = Notification {
            code: 6,
            subcode: 2,
            data: b"\x05a\nb\"c".to_vec(),
        };
        let mut out = String::new();
        Encoder::json(false).notification(&mut out, &H, &n(), Direction::Receive, &msg, None);
        assert_eq!(out.matches('\n').count(), 1);
        assert!(out.ends_with(
            "\"notification\": { \"code\": 6, \"subcode\": 2, \"data\": \"0x53687574646F776E20436F6D6D756E69636174696F6E3A2022612062226322\", \"message\": \"Shutdown Communication: \\\"a b\\\"c\\\"\" }  } }\n"
        ));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["neighbor"]["notification"]["message"],
            "Shutdown Communication: \"a b\"c\""
        );
    }

    #[test]
    fn refresh_and_operational() {
        let enc = Encoder::json(false);
        let mut out = String::new();
        let rr = RouteRefresh {
            family: Family::IPV6_UNICAST,
            subtype: 2,
        };
        enc.refresh(&mut out, &H, &n(), Direction::Receive, &rr, None);
        assert!(out.ends_with(
            "\"direction\": \"receive\", \"route-refresh\": { \"afi\": \"ipv6\", \"safi\": \"unicast\", \"subtype\": \"end\" } } }\n"
        ));
        out.clear();
        let op = Operational {
            name: "ASM",
            family: Family::IPV4_UNICAST,
            kind: OperationalKind::Advisory("line\nbreak"),
        };
        enc.operational(&mut out, &H, &n(), Direction::Send, &op, None);
        assert!(out.ends_with(
            "\"operational\": { \"name\": \"ASM\", \"afi\": \"ipv4\", \"safi\": \"unicast\", \"advisory\": \"line\\nbreak\" } } }\n"
        ));
    }

    fn update() -> Update {
        Update {
            withdrawn: vec![inet("2001:db8::1/128", None), inet("10.0.3.0/24", Some(7))],
            attributes: Attributes {
                origin: Some(Origin::Igp),
                next_hop: Some(NextHop::Addr("2001:db8::1".parse().unwrap())),
                ..Attributes::default()
            },
            announced: vec![
                inet("2001:db8:0:1::/64", None),
                inet("2001:db8:0:2::/64", None),
            ],
            ..Update::default()
        }
    }

    #[test]
    fn update_groups_by_family_and_next_hop() {
        let mut out = String::new();
        update_message(&mut out, &update(), Direction::Receive, false);
        assert_eq!(
            out,
            concat!(
                r#"{ "update": { "attribute": { "origin": "igp" }, "announce": { "ipv6 unicast": { "2001:db8::1": [ "#,
                r#"{ "nlri": "2001:db8:0:1::/64" }, { "nlri": "2001:db8:0:2::/64" } ] } }, "withdraw": { "#,
                r#""ipv6 unicast": [ { "nlri": "2001:db8::1/128" } ], "#,
                r#""ipv4 unicast": [ { "nlri": "10.0.3.0/24", "path-information": "0.0.0.7" } ] } } }"#,
            )
        );
    }

    /// ExaBGP lists the NLRI field's routes first, under the NEXT_HOP attribute, then the
    /// MP_REACH ones under their next hop and again under its link-local half.
    #[test]
    fn routes_are_grouped_by_their_own_next_hop() {
        let hop = |s: &str| Some(NextHop::Addr(s.parse().unwrap()));
        let u = Update {
            attributes: Attributes {
                next_hop: hop("192.0.2.9"),
                ..Attributes::default()
            },
            announced: vec![inet("10.10.0.0/16", None), inet("10.11.0.0/16", None)],
            shown_next_hops: ShownNextHops {
                native: 1,
                native_next_hop: Some("192.0.2.1".parse().unwrap()),
                link_local: None,
            },
            ..Update::default()
        };
        let mut out = String::new();
        update_message(&mut out, &u, Direction::Decode, false);
        assert!(out.contains(r#""ipv4 unicast": { "192.0.2.1": [ { "nlri": "10.11.0.0/16" } ], "192.0.2.9": [ { "nlri": "10.10.0.0/16" } ] }"#), "{out}");
        let u = Update {
            attributes: Attributes {
                next_hop: hop("2001:db8::1"),
                ..Attributes::default()
            },
            announced: vec![inet("2001:db8:5::/48", None)],
            shown_next_hops: ShownNextHops {
                link_local: Some("fe80::1".parse().unwrap()),
                ..ShownNextHops::default()
            },
            ..Update::default()
        };
        out.clear();
        update_message(&mut out, &u, Direction::Receive, false);
        assert!(out.contains(r#""ipv6 unicast": { "2001:db8::1": [ { "nlri": "2001:db8:5::/48" } ], "fe80::1": [ { "nlri": "2001:db8:5::/48" } ] }"#), "{out}");
    }

    #[test]
    fn compact_form_keeps_path_information_objects() {
        let mut out = String::new();
        update_message(&mut out, &update(), Direction::Receive, true);
        assert!(
            out.contains(r#"[ "2001:db8:0:1::/64", "2001:db8:0:2::/64" ]"#),
            "{out}"
        );
        assert!(out.contains(r#"[ "2001:db8::1/128" ], "ipv4 unicast": [ { "nlri": "10.0.3.0/24", "path-information": "0.0.0.7" } ]"#), "{out}");
    }

    #[test]
    fn eor_and_packets() {
        let enc = Encoder::json(false);
        let mut out = String::new();
        let eor = Update {
            eor: Some(Family::IPV6_UNICAST),
            ..Update::default()
        };
        enc.update(
            &mut out,
            &H,
            &n(),
            Direction::Send,
            &eor,
            Context::default(),
        );
        assert!(out.ends_with(
            "\"direction\": \"send\", \"message\": { \"eor\": { \"afi\" : \"ipv6\", \"safi\" : \"unicast\" } } } }\n"
        ));
        out.clear();
        let raw = Raw {
            header: &[0xff; 19],
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
        assert_eq!(
            out,
            format!(
                "{HEAD}\"type\": \"keepalive\", {NB}, \"direction\": \"receive\", \"message\": {{ \"category\": 4, \
                 \"header\": \"0x{}\", \"body\": \"0x\" }}  }} }}\n",
                "FF".repeat(19)
            )
        );
    }
}
