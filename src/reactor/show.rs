//! `show neighbor [summary|extensive|configuration] [json]` answers, in ExaBGP 5.0's layouts
//! (`NeighborTemplate` in its `bgp/neighbor.py`), and the per-session message counters they
//! print.

use std::fmt::Write as _;

use super::neighbor::{Neighbor, State};
use super::Reactor;
use crate::api::command::{Selector, ShowNeighbor};
use crate::bgp::capability::Capability;
use crate::bgp::message::HEADER_LEN;

/// The message types ExaBGP counts, in its display order, with their type codes.
const COUNTED: [(&str, u8); 5] = [
    ("open", 1),
    ("notification", 3),
    ("keepalive", 4),
    ("update", 2),
    ("refresh", 5),
];

/// Messages sent and received on the current session, by type code (1..=5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub sent: [u64; 6],
    pub received: [u64; 6],
}

impl Counts {
    /// Count every whole message in `bytes` (as written to the socket) as sent.
    pub fn note_sent(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let (Some(&[hi, lo]), Some(&kind)) = (rest.get(16..18), rest.get(18)) {
            let len = usize::from(u16::from_be_bytes([hi, lo]));
            if len < HEADER_LEN {
                break;
            }
            if let Some(slot) = self.sent.get_mut(usize::from(kind)) {
                *slot += 1;
            }
            rest = rest.get(len..).unwrap_or_default();
        }
    }

    pub fn note_received(&mut self, kind: u8) {
        if let Some(slot) = self.received.get_mut(usize::from(kind)) {
            *slot += 1;
        }
    }

    fn get(&self, kind: u8) -> (u64, u64) {
        let at = usize::from(kind);
        (
            self.sent.get(at).copied().unwrap_or(0),
            self.received.get(at).copied().unwrap_or(0),
        )
    }
}

/// Python's `str(timedelta(seconds=s))`.
fn timedelta(s: u64) -> String {
    let days = s / 86_400;
    let rest = s % 86_400;
    let hms = format!("{}:{:02}:{:02}", rest / 3600, (rest / 60) % 60, rest % 60);
    match days {
        0 => hms,
        1 => format!("1 day, {hms}"),
        d => format!("{d} days, {hms}"),
    }
}

fn en(v: Option<bool>) -> &'static str {
    match v {
        None => "n/a",
        Some(true) => "enabled",
        Some(false) => "disabled",
    }
}

fn addpath(send: Option<bool>, receive: Option<bool>) -> &'static str {
    match (send == Some(true), receive == Some(true)) {
        (true, true) => "send/receive",
        (true, false) => "send",
        (false, true) => "receive",
        (false, false) => "disabled",
    }
}

/// (family, local, common, add-path send, add-path receive); None: not known yet.
type FamilyRow = (String, bool, Option<bool>, Option<bool>, Option<bool>);

/// What ExaBGP's `cli_data` gathers about one peer.
struct Data {
    up_for: u64,
    local_address: String,
    peer_address: String,
    local_as: u32,
    peer_as: Option<u32>,
    local_id: String,
    peer_id: Option<String>,
    local_hold: u16,
    peer_hold: Option<u16>,
    state: &'static str,
    capabilities: Vec<(&'static str, Option<bool>, Option<bool>)>,
    families: Vec<FamilyRow>,
    messages: Vec<(&'static str, u64, u64)>,
}

fn fsm_name(state: State) -> &'static str {
    match state {
        State::Idle => "IDLE",
        State::Connect => "CONNECT",
        State::OpenSent => "OPENSENT",
        State::OpenConfirm => "OPENCONFIRM",
        State::Established => "ESTABLISHED",
    }
}

fn data(n: &Neighbor) -> Data {
    let c = &n.config;
    let session = n.session.as_ref();
    let received = session.and_then(|s| s.received_open.as_ref());
    let neg = session.and_then(|s| s.negotiated.as_ref());
    let announced = |pred: &dyn Fn(&Capability) -> bool| -> Option<bool> {
        received.map(|o| o.capabilities.iter().any(pred))
    };
    let caps = &c.capabilities;
    let capabilities = vec![
        (
            "asn4",
            Some(caps.asn4),
            received.map(|_| neg.is_some_and(|x| x.asn4)),
        ),
        (
            "route-refresh",
            Some(caps.route_refresh),
            announced(&|c| matches!(c, Capability::RouteRefresh)),
        ),
        (
            "multi-session",
            Some(caps.multi_session),
            if received.is_some() {
                announced(&|c| matches!(c, Capability::MultiSession { .. }))
            } else {
                neg.map(|x| x.multisession)
            },
        ),
        (
            "operational",
            Some(caps.operational),
            neg.map(|x| x.operational),
        ),
        (
            "add-path",
            Some(caps.add_path.is_some()),
            announced(&|c| matches!(c, Capability::AddPath(_))),
        ),
        (
            "extended-message",
            Some(caps.extended_message),
            announced(&|c| matches!(c, Capability::ExtendedMessage)),
        ),
        (
            "graceful-restart",
            Some(caps.graceful_restart.is_some()),
            announced(&|c| matches!(c, Capability::GracefulRestart { .. })),
        ),
    ];
    let families = c
        .families
        .iter()
        .map(|f| match neg.filter(|_| received.is_some()) {
            Some(neg) => (
                f.to_string(),
                true,
                Some(neg.families.contains(f)),
                Some(neg.addpath_send(*f)),
                Some(neg.addpath_receive(*f)),
            ),
            None => {
                let ap = if c.add_path_families.contains(f) {
                    None
                } else {
                    Some(false)
                };
                (f.to_string(), true, None, ap, ap)
            }
        })
        .collect();
    let mut messages = Vec::new();
    let (mut total_sent, mut total_received) = (0, 0);
    for (name, kind) in COUNTED {
        let (s, r) = n.counts.get(kind);
        total_sent += s;
        total_received += r;
        messages.push((name, s, r));
    }
    messages.push(("total", total_sent, total_received));
    let local_id = c
        .router_id
        .or_else(|| session.and_then(|s| s.sent_open.as_ref().map(|o| o.router_id)));
    Data {
        up_for: n.established_at.map_or(0, |t| t.elapsed().as_secs()),
        local_address: c
            .local_address
            .or_else(|| session.map(|s| s.local.ip()))
            .map_or_else(|| "None".to_string(), |a| a.to_string()),
        peer_address: c.peer_address.to_string(),
        local_as: c.local_as,
        peer_as: c.peer_as.or(neg.map(|x| x.peer_as)),
        local_id: local_id.map_or_else(|| "None".to_string(), |a| a.to_string()),
        peer_id: received.map(|o| o.router_id.to_string()),
        local_hold: c.hold_time,
        peer_hold: received.map(|o| o.hold_time),
        state: fsm_name(n.state),
        capabilities,
        families,
        messages,
    }
}

fn pr<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "n/a".to_string(), |v| v.to_string())
}

fn summary_line(d: &Data) -> String {
    let up = if d.up_for > 0 {
        timedelta(d.up_for)
    } else {
        "down".to_string()
    };
    let (sent, received) = d
        .messages
        .iter()
        .find(|(k, _, _)| *k == "update")
        .map_or((0, 0), |(_, s, r)| (*s, *r));
    format!(
        "{:<15} {:<7} {:>9} {:<12} {:>10} {:>10}",
        d.peer_address,
        pr(d.peer_as),
        up,
        d.state.to_lowercase(),
        sent,
        received
    )
}

fn extensive(d: &Data) -> String {
    let kv = |k: &str, a: &str, b: &str, c: &str| format!("   {k:<20} {a:>15} {b:>15} {c:<15}");
    let mut out = format!(
        "Neighbor {}\n\n    Session                       Local\n",
        d.peer_address
    );
    let _ = writeln!(out, "{}", kv("local", &d.local_address, "", ""));
    let _ = writeln!(out, "{}", kv("state", d.state, "", ""));
    if d.up_for > 0 {
        let _ = writeln!(out, "{}", kv("up for", &timedelta(d.up_for), "", ""));
    } else {
        let _ = writeln!(out, "{}", kv("down for", &timedelta(0), "", ""));
    }
    out.push_str("\n    Setup                         Local          Remote\n");
    let _ = writeln!(
        out,
        "{}",
        kv("AS", &d.local_as.to_string(), &pr(d.peer_as), "")
    );
    let _ = writeln!(out, "{}", kv("ID", &d.local_id, &pr(d.peer_id.clone()), ""));
    let _ = writeln!(
        out,
        "{}",
        kv("hold-time", &d.local_hold.to_string(), &pr(d.peer_hold), "")
    );
    out.push_str("\n    Capability                    Local          Remote\n");
    for (k, l, p) in &d.capabilities {
        let _ = writeln!(out, "{}", kv(&format!("{k}:"), en(*l), en(*p), ""));
    }
    out.push_str("\n    Families                      Local          Remote        Add-Path\n");
    for (f, l, common, send, receive) in &d.families {
        // ExaBGP unpacks the add-path pair the other way round here: kept.
        let _ = writeln!(
            out,
            "{}",
            kv(
                &format!("{f}:"),
                en(Some(*l)),
                en(*common),
                addpath(*receive, *send)
            )
        );
    }
    out.push_str("\n    Message Statistic              Sent        Received\n");
    for (k, s, r) in &d.messages {
        let _ = writeln!(
            out,
            "{}",
            kv(&format!("{k}:"), &s.to_string(), &r.to_string(), "")
        );
    }
    out.push('\n');
    out
}

fn as_json(d: &Data) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let mut local_caps = Map::new();
    let mut peer_caps = Map::new();
    let mut both_caps = Vec::new();
    for (k, l, p) in &d.capabilities {
        local_caps.insert(k.to_string(), json!(l));
        peer_caps.insert(k.to_string(), json!(p));
        // ExaBGP tests a builtin there, always true: every capability the peer has.
        if p.is_some_and(|p| p) {
            both_caps.push(Value::from(*k));
        }
    }
    let (mut lf, mut pf, mut la, mut pa, mut ap) =
        (Map::new(), Map::new(), Map::new(), Map::new(), Map::new());
    let mut common = Vec::new();
    for (f, l, c, send, receive) in &d.families {
        lf.insert(f.clone(), json!(l));
        pf.insert(f.clone(), json!(c));
        la.insert(f.clone(), json!(send));
        pa.insert(f.clone(), json!(receive));
        if *l && c.is_some_and(|c| c) {
            common.push(Value::from(f.clone()));
        }
        ap.insert(f.clone(), json!(addpath(*send, *receive)));
    }
    let (mut sent, mut received) = (Map::new(), Map::new());
    for (k, s, r) in &d.messages {
        sent.insert(k.to_string(), json!(s));
        received.insert(k.to_string(), json!(r));
    }
    let up = d.up_for > 0;
    json!({
        "state": if up { "up" } else { "down" },
        "duration": d.up_for,
        "fsm": d.state,
        "local": {
            "capabilities": local_caps, "families": lf, "add-path": la,
            "address": d.local_address, "as": d.local_as, "id": d.local_id, "hold": d.local_hold,
        },
        "peer": {
            "capabilities": peer_caps, "families": pf, "add-path": pa,
            "address": d.peer_address, "as": d.peer_as, "id": d.peer_id, "hold": d.peer_hold,
        },
        "messages": { "sent": sent, "received": received },
        "capabilities": both_caps,
        "families": common,
        "add-path": ap,
    })
}

/// ExaBGP's `neighbor { ... }` dump of the configuration (`show neighbor configuration`).
fn configuration(n: &Neighbor) -> String {
    let c = &n.config;
    let yes = |b: bool| if b { "true" } else { "false" };
    let able = |b: bool| if b { "enable" } else { "disable" };
    let none = |v: Option<String>| v.unwrap_or_else(|| "None".to_string());
    let mut o = String::new();
    let _ = writeln!(o, "neighbor {} {{", c.peer_address);
    let _ = writeln!(
        o,
        "  description \"{}\";",
        c.description.clone().unwrap_or_default()
    );
    let _ = writeln!(
        o,
        "  router-id {};",
        none(c.router_id.map(|r| r.to_string()))
    );
    let _ = writeln!(o, "  host-name {};", none(c.host_name.clone()));
    let _ = writeln!(o, "  domain-name {};", none(c.domain_name.clone()));
    let _ = writeln!(
        o,
        "  local-address {};",
        c.local_address
            .map_or_else(|| "auto".to_string(), |a| a.to_string())
    );
    let _ = writeln!(
        o,
        "  source-interface {};",
        none(c.source_interface.clone())
    );
    let _ = writeln!(o, "  local-as {};", c.local_as);
    let _ = writeln!(o, "  peer-as {};", none(c.peer_as.map(|a| a.to_string())));
    let _ = writeln!(o, "  hold-time {};", c.hold_time);
    let _ = writeln!(
        o,
        "  rate-limit {};",
        c.rate_limit
            .filter(|r| *r != 0)
            .map_or_else(|| "disable".to_string(), |r| r.to_string())
    );
    let _ = writeln!(o, "  manual-eor {};", yes(c.manual_eor));
    let _ = writeln!(o, "\n  passive {};", yes(c.passive));
    if let Some(l) = c.listen.filter(|l| *l != 0) {
        let _ = writeln!(o, "\n  listen {l};");
    }
    if let Some(p) = c.connect.filter(|p| *p != 0) {
        let _ = writeln!(o, "\n  connect {p};");
    }
    let _ = writeln!(o, "  group-updates {};", yes(c.group_updates));
    let _ = writeln!(o, "  auto-flush {};", yes(c.auto_flush));
    let _ = writeln!(o, "  adj-rib-in {};", yes(c.adj_rib_in));
    let _ = writeln!(o, "  adj-rib-out {};", yes(c.adj_rib_out));
    if let Some(p) = c.md5_password.as_ref().filter(|p| !p.is_empty()) {
        let _ = writeln!(o, "  md5-password \"{p}\";");
    }
    let _ = writeln!(
        o,
        "  md5-base64 {};",
        match c.md5_base64 {
            Some(true) => "true",
            Some(false) => "false",
            None => "auto",
        }
    );
    if c.local_address.is_some() {
        let _ = writeln!(
            o,
            "  md5-ip \"{}\";",
            c.md5_ip
                .or(c.local_address)
                .map_or_else(String::new, |a| a.to_string())
        );
    }
    if let Some(t) = c.outgoing_ttl.filter(|t| *t != 0) {
        let _ = writeln!(o, "  outgoing-ttl {t};");
    }
    if let Some(t) = c.incoming_ttl.filter(|t| *t != 0) {
        let _ = writeln!(o, "  incoming-ttl {t};");
    }
    let caps = &c.capabilities;
    o.push_str("  capability {\n");
    let _ = writeln!(o, "    asn4 {};", able(caps.asn4));
    let _ = writeln!(o, "    route-refresh {};", able(caps.route_refresh));
    let _ = writeln!(
        o,
        "    graceful-restart {};",
        caps.graceful_restart
            .filter(|t| *t != 0)
            .map_or_else(|| "disable".to_string(), |t| t.to_string())
    );
    let _ = writeln!(o, "    software-version {};", able(caps.software_version));
    let _ = writeln!(o, "    nexthop {};", able(caps.nexthop));
    let _ = writeln!(
        o,
        "    add-path {};",
        caps.add_path
            .map_or_else(|| "disable".to_string(), |m| m.name().to_string())
    );
    let _ = writeln!(o, "    multi-session {};", able(caps.multi_session));
    let _ = writeln!(o, "    operational {};", able(caps.operational));
    let _ = writeln!(o, "    aigp {};", able(caps.aigp));
    o.push_str("  }\n  family {");
    for f in &c.families {
        let _ = write!(o, "\n    {f};");
    }
    o.push_str("\n  }\n  nexthop {");
    for (f, afi) in &c.nexthop_families {
        let name = crate::bgp::Afi(*afi).name().unwrap_or("unknown");
        let _ = write!(o, "\n    {f} {name};");
    }
    o.push_str("\n  }\n  add-path {");
    for f in &c.add_path_families {
        let _ = write!(o, "\n    {f};");
    }
    o.push_str("\n  }\n");
    for api in &c.api {
        for process in &api.processes {
            let _ = writeln!(o, "  api {{\n    processes [ {process} ];");
            for (on, name) in [
                (api.neighbor_changes, "neighbor-changes"),
                (api.negotiated, "negotiated"),
                (api.fsm, "fsm"),
                (api.signal, "signal"),
            ] {
                if on {
                    let _ = writeln!(o, "    {name};");
                }
            }
            for (word, sel) in [("receive", &api.receive), ("send", &api.send)] {
                let names: Vec<&str> = [
                    (sel.packets, "packets"),
                    (sel.parsed, "parsed"),
                    (sel.consolidate, "consolidate"),
                    (sel.notification, "notification"),
                    (sel.open, "open"),
                    (sel.keepalive, "keepalive"),
                    (sel.update, "update"),
                    (sel.refresh, "refresh"),
                    (sel.operational, "operational"),
                ]
                .into_iter()
                .filter_map(|(on, name)| on.then_some(name))
                .collect();
                if !names.is_empty() {
                    let _ = writeln!(o, "    {word} {{");
                    for name in names {
                        let _ = writeln!(o, "      {name};");
                    }
                    o.push_str("    }\n");
                }
            }
            o.push_str("  }\n");
        }
    }
    o.push_str("}\n");
    o
}

impl Reactor {
    /// The `show neighbor` answer (without the final `done`). `mode` None: ExaBGP's hint.
    pub(super) fn show_neighbor(
        &self,
        selector: &Selector,
        mode: Option<ShowNeighbor>,
        json: bool,
    ) -> String {
        let chosen: Vec<&Neighbor> = self
            .neighbors
            .iter()
            .flatten()
            .filter(|n| selector.matches(&n.name()))
            .collect();
        if json {
            let list: Vec<serde_json::Value> = chosen.iter().map(|n| as_json(&data(n))).collect();
            return format!("{}\n", serde_json::Value::Array(list));
        }
        let mut out = String::new();
        match mode {
            None => {
                out.push_str("please specify summary, extensive or configuration\n");
                out.push_str(
                    "you can filter by peer ip address adding it after the word neighbor\n",
                );
            }
            Some(ShowNeighbor::Summary) => {
                out.push_str(
                    "Peer            AS        up/down state       |     #sent     #recvd\n",
                );
                for n in chosen {
                    out.push_str(&summary_line(&data(n)));
                    out.push('\n');
                }
            }
            Some(ShowNeighbor::Extensive) => {
                for n in chosen {
                    out.push_str(&extensive(&data(n)));
                }
            }
            Some(ShowNeighbor::Configuration) => {
                for n in chosen {
                    out.push_str(&configuration(n));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_walk_message_headers() {
        let mut c = Counts::default();
        let ka = [[0xffu8; 16].as_slice(), &[0, 19, 4]].concat();
        let eor = [[0xffu8; 16].as_slice(), &[0, 23, 2, 0, 0, 0, 0]].concat();
        c.note_sent(&[ka.clone(), eor.clone(), ka].concat());
        assert_eq!(c.get(4), (2, 0));
        assert_eq!(c.get(2), (1, 0));
        c.note_received(5);
        assert_eq!(c.get(5), (0, 1));
        c.note_received(200);
        c.note_sent(&[0xff; 10]);
        assert_eq!(c.get(1), (0, 0));
    }

    #[test]
    fn timedelta_prints_as_python() {
        assert_eq!(timedelta(0), "0:00:00");
        assert_eq!(timedelta(3725), "1:02:05");
        assert_eq!(timedelta(86_400 + 5), "1 day, 0:00:05");
        assert_eq!(timedelta(2 * 86_400), "2 days, 0:00:00");
    }
}
