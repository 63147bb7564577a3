//! Carrying out helper commands: route changes into the Adj-RIB-Out of the selected
//! neighbors, session control, acks, and the `show` answers.

use std::sync::Arc;
use std::time::Instant;

use log::{debug, info, warn};

use super::neighbor::State;
use super::Reactor;
use crate::api::command::{self, Command, Direction, Selector, ShowNeighbor};
use crate::bgp::message::{Message, RouteRefresh};
use crate::bgp::Negotiated;
use crate::config::Route;
use crate::peer::io::Outgoing;

impl Reactor {
    pub(super) fn on_command_line(&mut self, helper: usize, line: &str) {
        let name = self
            .helpers
            .get(helper)
            .map(|h| h.process.name.clone())
            .unwrap_or_default();
        let cmd = match command::parse(line) {
            Ok(Some(cmd)) => cmd,
            Ok(None) => return,
            Err(e) => {
                warn!(target: "processes", "helper {name}: {e} (command: {})", line.trim());
                self.answer(helper, false);
                return;
            }
        };
        debug!(target: "processes", "helper {name}: {}", line.trim());
        let ok = self.apply_command(helper, &name, cmd);
        if let Some(ok) = ok {
            self.answer(helper, ok);
        }
    }

    /// Carry out one command. Returns the answer to give, or None when the command answers
    /// for itself (or never answers).
    fn apply_command(&mut self, helper: usize, name: &str, cmd: Command) -> Option<bool> {
        match cmd {
            Command::Comment(text) => {
                debug!(target: "processes", "helper {name}: # {text}");
                Some(true)
            }
            Command::Announce { selector, routes } => {
                Some(self.change_routes(helper, name, &selector, routes, true))
            }
            Command::Withdraw { selector, routes } => {
                Some(self.change_routes(helper, name, &selector, routes, false))
            }
            Command::Eor { selector, family } => {
                let targets = self.targets(helper, &selector);
                for id in &targets {
                    if let Some(n) = self.neighbors.get_mut(*id).and_then(Option::as_mut) {
                        if n.established() {
                            n.rib.queue_eor(family);
                        }
                    }
                }
                Some(!targets.is_empty())
            }
            Command::RouteRefresh { selector, family } => {
                let targets = self.targets(helper, &selector);
                for id in &targets {
                    self.send_message(
                        *id,
                        &Message::RouteRefresh(RouteRefresh { family, subtype: 0 }),
                    );
                }
                Some(!targets.is_empty())
            }
            Command::Watchdog {
                selector,
                name: dog,
                announce,
            } => {
                let targets = self.targets(helper, &selector);
                for id in &targets {
                    let Some(n) = self.neighbors.get_mut(*id).and_then(Option::as_mut) else {
                        continue;
                    };
                    let live = n.established();
                    let Some(routes) = n.watchdogs.get(&dog) else {
                        continue;
                    };
                    for (nlri, attrs) in routes.clone() {
                        if announce {
                            n.rib.announce(nlri, attrs, live);
                        } else {
                            n.rib.withdraw(&nlri, attrs, live);
                        }
                    }
                }
                Some(true)
            }
            Command::Teardown { selector, subcode } => {
                for id in self.targets(helper, &selector) {
                    if self
                        .neighbors
                        .get(id)
                        .and_then(Option::as_ref)
                        .is_some_and(|n| n.established())
                    {
                        let cease = super::cease::cease(subcode);
                        self.close_session(
                            id,
                            Some(cease),
                            &format!("teardown requested by helper {name}"),
                        );
                    }
                }
                Some(true)
            }
            Command::Shutdown => {
                self.write_helper(helper, "shutdown in progress\n");
                self.answer(helper, true);
                self.shutdown();
                None
            }
            Command::Reload | Command::Restart => {
                self.write_helper(helper, "reload in progress\n");
                self.answer(helper, true);
                self.reload(false);
                None
            }
            Command::Version => {
                let text = format!("exabgp {}\n", self.settings.version);
                self.write_helper(helper, &text);
                Some(true)
            }
            Command::Help => {
                self.write_helper(helper, HELP);
                Some(true)
            }
            Command::Reset => None,
            Command::EnableAck => {
                if let Some(h) = self.helpers.get_mut(helper) {
                    h.ack = true;
                }
                Some(true)
            }
            Command::DisableAck => {
                // Answered once, then silent.
                if let Some(h) = self.helpers.get_mut(helper) {
                    h.ack = true;
                }
                self.answer(helper, true);
                if let Some(h) = self.helpers.get_mut(helper) {
                    h.ack = false;
                }
                None
            }
            Command::SilenceAck => {
                if let Some(h) = self.helpers.get_mut(helper) {
                    h.ack = false;
                }
                None
            }
            Command::ShowNeighbor {
                selector,
                mode,
                json,
            } => {
                let text = self.show_neighbor(&selector, mode, json);
                self.write_helper(helper, &text);
                Some(true)
            }
            Command::ShowAdjRib {
                selector,
                direction,
                extensive: _,
                json: _,
            } => {
                let text = self.show_adj_rib(&selector, direction);
                self.write_helper(helper, &text);
                Some(true)
            }
            Command::FlushAdjRibOut { selector } => {
                for id in self.targets(helper, &selector) {
                    self.resend_table(id, None);
                }
                Some(true)
            }
            Command::ClearAdjRib {
                selector,
                direction,
            } => {
                for id in self.targets(helper, &selector) {
                    let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) else {
                        continue;
                    };
                    match direction {
                        Direction::In => n.adj_rib_in.clear(),
                        Direction::Out => {
                            let live = n.established();
                            let all: Vec<_> = n
                                .rib
                                .routes()
                                .into_iter()
                                .map(|(nlri, a)| (nlri.clone(), a.clone()))
                                .collect();
                            for (nlri, attrs) in all {
                                n.rib.withdraw(&nlri, attrs, live);
                            }
                        }
                    }
                }
                Some(true)
            }
        }
    }

    /// Neighbors a helper may address, narrowed by the command's selectors.
    fn targets(&self, helper: usize, selector: &Selector) -> Vec<usize> {
        let everyone = self.helpers.get(helper).is_some_and(|h| h.internal);
        self.neighbors
            .iter()
            .enumerate()
            .filter_map(|(id, n)| n.as_ref().map(|n| (id, n)))
            .filter(|(_, n)| {
                (everyone || n.helpers.iter().any(|(h, _)| *h == helper))
                    && selector.matches(&n.name())
            })
            .map(|(id, _)| id)
            .collect()
    }

    fn change_routes(
        &mut self,
        helper: usize,
        name: &str,
        selector: &Selector,
        routes: Vec<Route>,
        announce: bool,
    ) -> bool {
        let targets = self.targets(helper, selector);
        if targets.is_empty() {
            warn!(target: "processes", "helper {name}: no neighbor matching the command");
            return false;
        }
        for route in routes {
            let described = describe_route(&route);
            let shared = self.interner.intern(route.attributes);
            for id in &targets {
                let local = self
                    .neighbors
                    .get(*id)
                    .and_then(Option::as_ref)
                    .and_then(|n| n.config.local_address);
                let attrs = self.resolve_self(&shared, &route.nlri, local);
                let Some(n) = self.neighbors.get_mut(*id).and_then(Option::as_mut) else {
                    continue;
                };
                if !n.config.families.contains(&route.nlri.family()) {
                    debug!(target: "rib", "peer {}: {} not configured, route ignored", n.config.peer_address, route.nlri.family());
                    continue;
                }
                let live = n.established();
                if announce {
                    n.rib.announce(route.nlri.clone(), attrs.clone(), live);
                } else {
                    n.rib.withdraw(&route.nlri, attrs.clone(), live);
                }
            }
            info!(target: "rib", "helper {name}: route {} {}", if announce { "added" } else { "removed" }, described);
        }
        true
    }

    /// Re-send the Adj-RIB-Out of an established session (all families, or one), framed by
    /// BoRR/EoRR when enhanced route refresh was negotiated.
    pub(super) fn resend_table(&mut self, id: usize, family: Option<crate::bgp::Family>) {
        let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) else {
            return;
        };
        let Some(neg) = n.session.as_ref().and_then(|s| s.negotiated.as_ref()) else {
            return;
        };
        if n.state != State::Established {
            return;
        }
        let families: Vec<_> = neg
            .families
            .iter()
            .copied()
            .filter(|f| family.is_none_or(|x| x == *f))
            .collect();
        let enhanced = neg.enhanced_route_refresh;
        n.rib.queue_refresh(&families, enhanced);
    }

    /// Send one message now on an established session (ahead of queued UPDATEs).
    pub(super) fn send_message(&mut self, id: usize, msg: &Message) {
        let Some(n) = self.neighbors.get(id).and_then(Option::as_ref) else {
            return;
        };
        if n.state != State::Established {
            return;
        }
        let Some(s) = n.session.as_ref() else { return };
        let neg = s.negotiated.clone().unwrap_or_else(Negotiated::default);
        let mut buf = Vec::new();
        if msg.encode(&neg, &mut buf).is_ok() {
            let copy = buf
                .get(18)
                .is_some_and(|k| self.wants_sent(id, *k))
                .then(|| buf.clone());
            let _ = s.writer.try_send(Outgoing::Bytes(buf));
            if let Some(bytes) = copy {
                self.report_sent(id, &bytes);
            }
        }
    }

    fn show_neighbor(&self, selector: &Selector, mode: ShowNeighbor, json: bool) -> String {
        let mut out = String::new();
        let chosen = self
            .neighbors
            .iter()
            .flatten()
            .filter(|n| selector.matches(&n.name()));
        if json {
            let list: Vec<serde_json::Value> = chosen
                .map(|n| {
                    serde_json::json!({
                        "peer-address": n.config.peer_address.to_string(),
                        "local-address": n.config.local_address.map(|a| a.to_string()),
                        "peer-as": n.config.peer_as,
                        "local-as": n.config.local_as,
                        "state": n.state.name(),
                        "duration": n.established_at.map_or(0, |t| t.elapsed().as_secs()),
                        "messages": { "update": [n.updates_received, n.updates_sent] },
                    })
                })
                .collect();
            out.push_str(&serde_json::Value::Array(list).to_string());
            out.push('\n');
            return out;
        }
        if mode == ShowNeighbor::Summary {
            out.push_str("Peer            AS        up/down state       |     #sent     #recvd\n");
        }
        for n in chosen {
            let peer_as = n
                .config
                .peer_as
                .map_or_else(|| "auto".to_string(), |a| a.to_string());
            match mode {
                ShowNeighbor::Summary => {
                    let up = n
                        .established_at
                        .map_or_else(|| "down".to_string(), duration);
                    out.push_str(&format!(
                        "{:<15} {:<7} {:>9} {:<12} {:>10} {:>10}\n",
                        n.config.peer_address,
                        peer_as,
                        up,
                        n.state.name(),
                        n.updates_sent,
                        n.updates_received
                    ));
                }
                ShowNeighbor::Extensive | ShowNeighbor::Configuration => {
                    out.push_str(&format!("Neighbor {}\n", n.config.peer_address));
                    out.push_str(&format!("    state          {}\n", n.state.name()));
                    out.push_str(&format!(
                        "    local-address  {}\n",
                        n.config
                            .local_address
                            .map_or("auto".into(), |a| a.to_string())
                    ));
                    out.push_str(&format!("    local-as       {}\n", n.config.local_as));
                    out.push_str(&format!("    peer-as        {peer_as}\n"));
                    out.push_str(&format!("    hold-time      {}\n", n.config.hold_time));
                    out.push_str(&format!("    routes out     {}\n", n.rib.len()));
                    out.push_str(&format!("    routes in      {}\n", n.adj_rib_in.len()));
                    for f in &n.config.families {
                        out.push_str(&format!("    family         {f}\n"));
                    }
                }
            }
        }
        out
    }

    fn show_adj_rib(&self, selector: &Selector, direction: Direction) -> String {
        let mut out = String::new();
        for n in self
            .neighbors
            .iter()
            .flatten()
            .filter(|n| selector.matches(&n.name()))
        {
            let routes: Vec<(&crate::bgp::Nlri, &Arc<crate::bgp::Attributes>)> = match direction {
                Direction::Out => n.rib.routes(),
                Direction::In => n.adj_rib_in.iter().collect(),
            };
            for (nlri, attrs) in routes {
                out.push_str(&format!(
                    "neighbor {} {} {}",
                    n.config.peer_address,
                    nlri.family(),
                    super::session::describe(nlri)
                ));
                if let Some(nh) = attrs.next_hop {
                    match nh {
                        crate::bgp::attribute::NextHop::Addr(a) => {
                            out.push_str(&format!(" next-hop {a}"))
                        }
                        crate::bgp::attribute::NextHop::SelfAddr => out.push_str(" next-hop self"),
                    }
                }
                out.push('\n');
            }
        }
        out
    }
}

/// ExaBGP prints up-times as Python's timedelta does: `H:MM:SS`.
fn duration(since: Instant) -> String {
    let s = since.elapsed().as_secs();
    format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

fn describe_route(r: &Route) -> String {
    super::session::describe(&r.nlri)
}

const HELP: &str =
    "\navailable API commands are listed here:\n=======================================\n\n\
filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]\n\n\
command are:\n------------\n\n\
#\n\
[neighbor <ip> [filters]] announce attributes\n\
[neighbor <ip> [filters]] announce eor\n\
[neighbor <ip> [filters]] announce ipv4\n\
[neighbor <ip> [filters]] announce ipv6\n\
[neighbor <ip> [filters]] announce route\n\
[neighbor <ip> [filters]] announce route-refresh\n\
[neighbor <ip> [filters]] announce watchdog\n\
[neighbor <ip> [filters]] clear adj-rib\n\
[neighbor <ip> [filters]] flush adj-rib out\n\
[neighbor <ip> [filters]] teardown\n\
[neighbor <ip> [filters]] withdraw attributes\n\
[neighbor <ip> [filters]] withdraw ipv4\n\
[neighbor <ip> [filters]] withdraw ipv6\n\
[neighbor <ip> [filters]] withdraw route\n\
[neighbor <ip> [filters]] withdraw watchdog\n\
disable-ack \nenable-ack \nhelp \nreload \nreset \nrestart \n\
show adj-rib [ in | out | extensive ] \nshow neighbor [ summary | extensive | configuration ] \n\
shutdown \nsilence-ack \nversion \n\n";
