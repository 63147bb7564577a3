//! `validate -n`: a neighbor written back as configuration text, in the form (and with the
//! quirks) of ExaBGP 5.0's neighbor string: unset values print as Python's `None`, the MD5
//! address defaults to the local address, and routes follow in a `static` block.

use std::fmt::Write as _;
use std::net::IpAddr;

use crate::api::encode::{attr, nlri};
use crate::bgp::attribute::NextHop;
use crate::bgp::capability::AddPathMode;
use crate::bgp::{Attributes, Nlri};
use crate::config::{Api, Neighbor, Route};

/// How the configuration spelled the IPv6 addresses it wrote differently from their
/// canonical text (`2A02:B80::1`): ExaBGP shows a configured address as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spelling(Vec<(String, String)>);

impl Spelling {
    pub fn from_text(text: &str) -> Spelling {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let Ok(tokens) = crate::config::lexer::tokenize(text) else {
            return Spelling::default();
        };
        for tok in tokens {
            let written = tok.text.as_str();
            if let Ok(a) = written.parse::<std::net::Ipv6Addr>() {
                let canonical = a.to_string();
                if canonical != written && !pairs.iter().any(|(c, _)| *c == canonical) {
                    pairs.push((canonical, written.to_string()));
                }
            }
        }
        Spelling(pairs)
    }

    /// `text` with each canonical address word replaced by its spelling.
    pub fn apply(&self, text: String) -> String {
        if self.0.is_empty() {
            return text;
        }
        text.split(' ')
            .map(|w| {
                self.0
                    .iter()
                    .find(|(c, _)| c == w)
                    .map_or(w, |(_, written)| written.as_str())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A route as ExaBGP's `rib insert` log and `static` block show it: the NLRI, its next hop
/// (`self` already resolved to the local address), then the configured attributes.
pub fn route_text(n: &Neighbor, route: &Route, spelling: &Spelling) -> String {
    spelling.apply(change_text(&route.nlri, &route.attributes, n.local_address))
}

/// The text form of one route and its attributes; `local` resolves `next-hop self`.
pub fn change_text(nlri: &Nlri, attributes: &Attributes, local: Option<IpAddr>) -> String {
    let mut s = String::new();
    nlri::text(&mut s, nlri);
    // ExaBGP's text of these NLRI does not show the next hop.
    let next_hop = match nlri {
        Nlri::Mvpn(_) | Nlri::Mup(_) => None,
        _ => attributes.next_hop,
    };
    match next_hop {
        Some(NextHop::Addr(a)) => {
            let _ = write!(s, " next-hop {a}");
        }
        Some(NextHop::SelfAddr) => match local {
            Some(a) => {
                let _ = write!(s, " next-hop {a}");
            }
            None => s.push_str(" next-hop self"),
        },
        None => {}
    }
    nlri::text_tail(&mut s, nlri);
    attr::text(&mut s, attributes, false);
    s
}

/// Python's rendering of an optional value.
fn or_none<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "None".to_string(), |v| v.to_string())
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn enable(b: bool) -> &'static str {
    if b {
        "enable"
    } else {
        "disable"
    }
}

fn add_path(mode: Option<AddPathMode>) -> String {
    match mode {
        None => "disable".into(),
        Some(AddPathMode::Receive) => "receive".into(),
        Some(AddPathMode::Send) => "send".into(),
        Some(AddPathMode::Both) => "send/receive".into(),
        Some(AddPathMode::Other(0)) => "disable".into(),
        Some(AddPathMode::Other(n)) => n.to_string(),
    }
}

/// The neighbor as ExaBGP's validator prints it; `routes` fill the `static` block.
pub fn neighbor(n: &Neighbor, routes: &[&Route], spelling: &Spelling) -> String {
    let mut s = String::new();
    let auto = n.local_address.is_none();
    let _ = writeln!(s, "neighbor {} {{", peer(n));
    let _ = writeln!(
        s,
        "  description \"{}\";",
        n.description.as_deref().unwrap_or("")
    );
    let _ = writeln!(s, "  router-id {};", or_none(n.router_id));
    let _ = writeln!(s, "  host-name {};", or_none(n.host_name.as_ref()));
    let _ = writeln!(s, "  domain-name {};", or_none(n.domain_name.as_ref()));
    let _ = writeln!(
        s,
        "  local-address {};",
        n.local_address
            .map_or_else(|| "auto".to_string(), |a| a.to_string())
    );
    let _ = writeln!(
        s,
        "  source-interface {};",
        or_none(n.source_interface.as_ref())
    );
    let _ = writeln!(s, "  local-as {};", n.local_as);
    let _ = writeln!(s, "  peer-as {};", or_none(n.peer_as));
    let _ = writeln!(s, "  hold-time {};", n.hold_time);
    let _ = writeln!(
        s,
        "  rate-limit {};",
        match n.rate_limit {
            None | Some(0) => "disable".to_string(),
            Some(r) => r.to_string(),
        }
    );
    let _ = writeln!(s, "  manual-eor {};", flag(n.manual_eor));
    let _ = writeln!(s, "\n  passive {};", flag(n.passive));
    if let Some(p) = n.listen.filter(|p| *p != 0) {
        let _ = writeln!(s, "\n  listen {p};");
    }
    if let Some(p) = n.connect.filter(|p| *p != 0) {
        let _ = writeln!(s, "\n  connect {p};");
    }
    let _ = writeln!(s, "  group-updates {};", flag(n.group_updates));
    let _ = writeln!(s, "  auto-flush {};", flag(n.auto_flush));
    let _ = writeln!(s, "  adj-rib-in {};", flag(n.adj_rib_in));
    let _ = writeln!(s, "  adj-rib-out {};", flag(n.adj_rib_out));
    if let Some(p) = n.md5_password.as_ref().filter(|p| !p.is_empty()) {
        let _ = writeln!(s, "  md5-password \"{p}\";");
    }
    let _ = writeln!(s, "  md5-base64 {};", flag(n.md5_base64.unwrap_or(false)));
    if !auto {
        let _ = writeln!(s, "  md5-ip \"{}\";", or_none(n.md5_ip.or(n.local_address)));
    }
    if let Some(t) = n.outgoing_ttl.filter(|t| *t != 0) {
        let _ = writeln!(s, "  outgoing-ttl {t};");
    }
    if let Some(t) = n.incoming_ttl.filter(|t| *t != 0) {
        let _ = writeln!(s, "  incoming-ttl {t};");
    }
    let c = &n.capabilities;
    s.push_str("  capability {\n");
    let _ = writeln!(s, "    asn4 {};", enable(c.asn4));
    let _ = writeln!(s, "    route-refresh {};", enable(c.route_refresh));
    let _ = writeln!(
        s,
        "    graceful-restart {};",
        match c.graceful_restart {
            None | Some(0) => "disable".to_string(),
            Some(t) => t.to_string(),
        }
    );
    let _ = writeln!(s, "    software-version {};", enable(c.software_version));
    let _ = writeln!(s, "    nexthop {};", enable(c.nexthop));
    let _ = writeln!(s, "    add-path {};", add_path(c.add_path));
    let _ = writeln!(s, "    multi-session {};", enable(c.multi_session));
    let _ = writeln!(s, "    operational {};", enable(c.operational));
    let _ = writeln!(s, "    aigp {};", enable(c.aigp));
    s.push_str("  }\n  family {");
    for f in &n.families {
        let _ = write!(s, "\n    {f};");
    }
    s.push_str("\n  }\n  nexthop {");
    for (f, afi) in &n.nexthop_families {
        let name = crate::bgp::Afi(*afi)
            .name()
            .map_or_else(|| afi.to_string(), str::to_string);
        let _ = write!(s, "\n    {f} {name};");
    }
    s.push_str("\n  }\n  add-path {");
    for f in &n.add_path_families {
        let _ = write!(s, "\n    {f};");
    }
    s.push_str("\n  }\n");
    for process in processes(&n.api) {
        api(&mut s, &n.api, process);
    }
    s.push_str("\nstatic { ");
    for r in routes {
        let _ = write!(s, "\n    {}", route_text(n, r, spelling));
    }
    s.push_str("\n}}");
    s
}

pub(super) fn peer(n: &Neighbor) -> String {
    match &n.peer_range {
        Some(range) => range.to_string(),
        None => n.peer_address.to_string(),
    }
}

/// Every helper named by the neighbor's `api` blocks, in order, repeats kept (ExaBGP
/// concatenates the blocks' lists).
fn processes(apis: &[Api]) -> Vec<&str> {
    apis.iter()
        .flat_map(|a| a.processes.iter().map(String::as_str))
        .collect()
}

/// One `api` block for `process`: a setting shows when any block naming it asks for it.
fn api(s: &mut String, apis: &[Api], process: &str) {
    let naming: Vec<&Api> = apis
        .iter()
        .filter(|a| a.processes.iter().any(|p| p == process))
        .collect();
    let any = |f: &dyn Fn(&Api) -> bool| naming.iter().any(|a| f(a));
    s.push_str("  api {\n");
    let _ = writeln!(s, "    processes [ {process} ];");
    for (name, on) in [
        ("neighbor-changes", any(&|a| a.neighbor_changes)),
        ("negotiated", any(&|a| a.negotiated)),
        ("fsm", any(&|a| a.fsm)),
        ("signal", any(&|a| a.signal)),
    ] {
        if on {
            let _ = writeln!(s, "    {name};");
        }
    }
    for (word, pick) in [
        ("receive", (|a: &Api| a.receive) as fn(&Api) -> _),
        ("send", |a: &Api| a.send),
    ] {
        let m =
            |f: fn(&crate::config::MessageSelection) -> bool| naming.iter().any(|a| f(&pick(a)));
        // ExaBGP's order: the three forms, then the message kinds.
        let kinds = [
            ("packets", m(|x| x.packets)),
            ("parsed", m(|x| x.parsed)),
            ("consolidate", m(|x| x.consolidate)),
            ("notification", m(|x| x.notification)),
            ("open", m(|x| x.open)),
            ("keepalive", m(|x| x.keepalive)),
            ("update", m(|x| x.update)),
            ("refresh", m(|x| x.refresh)),
            ("operational", m(|x| x.operational)),
        ];
        if kinds.iter().any(|(_, on)| *on) {
            let _ = writeln!(s, "    {word} {{");
            for (name, on) in kinds {
                if on {
                    let _ = writeln!(s, "      {name};");
                }
            }
            s.push_str("    }\n");
        }
    }
    s.push_str("  }\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_addresses_keep_their_spelling() {
        let s = Spelling::from_text("route 2a02:b80::/32 next-hop 2A02:B80::1;");
        assert_eq!(
            s.apply("2a02:b80::/32 next-hop 2a02:b80::1 med 1".into()),
            "2a02:b80::/32 next-hop 2A02:B80::1 med 1"
        );
    }

    #[test]
    fn a_neighbor_is_written_back_as_exabgp_does() {
        let text = "process p { run /bin/true; encoder json; }\n\
            neighbor ::1 { router-id 127.0.0.2; local-address ::1; local-as 1; peer-as 1;\n\
            family { ipv6 unicast; }\n\
            api { processes [ p ]; neighbor-changes; receive { update; parsed; } }\n\
            static { route 2001:db8::/32 next-hop self med 5; } }";
        let config = crate::config::load_str(text, std::path::Path::new("t.conf")).unwrap();
        let n = &config.neighbors[0];
        let routes: Vec<&Route> = n.routes.iter().collect();
        let got = neighbor(n, &routes, &Spelling::default());
        assert!(got.starts_with("neighbor ::1 {\n  description \"\";\n  router-id 127.0.0.2;\n"));
        assert!(got.contains("  host-name None;\n"));
        assert!(got.contains("  manual-eor false;\n\n  passive false;\n"));
        assert!(got.contains("  md5-ip \"::1\";\n"));
        assert!(got.contains("  family {\n    ipv6 unicast;\n  }\n  nexthop {\n  }\n"));
        assert!(got.contains(
            "  api {\n    processes [ p ];\n    neighbor-changes;\n    receive {\n      parsed;\n      update;\n    }\n  }\n"
        ));
        assert!(got.ends_with("\nstatic { \n    2001:db8::/32 next-hop ::1 med 5\n}}"));
    }
}
