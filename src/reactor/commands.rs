//! Carrying out helper commands: route changes into the Adj-RIB-Out of the selected
//! neighbors, session control, acks, and the `show` answers.

use std::borrow::Cow;
use std::sync::Arc;

use log::{debug, info, warn};

use super::neighbor::State;
use super::Reactor;
use crate::api::command::{self, Command, Direction, Selector};
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
                // ExaBGP answers before the session goes down (the teardown is scheduled).
                self.answer(helper, true);
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
                None
            }
            Command::Shutdown => {
                self.write_helper(helper, "shutdown in progress\n");
                self.answer(helper, true);
                self.shutdown();
                None
            }
            Command::Reload => {
                self.write_helper(helper, "reload in progress\n");
                self.answer(helper, true);
                self.reload(false);
                None
            }
            // As SIGALRM: reload, restart the helpers and re-establish every session.
            Command::Restart => {
                self.write_helper(helper, "restart in progress\n");
                self.answer(helper, true);
                self.reload(true);
                self.reestablish_all();
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
                extensive,
                json,
            } => {
                let text = self.show_adj_rib(&selector, direction, extensive, json);
                self.write_helper(helper, &text);
                Some(true)
            }
            Command::FlushAdjRibOut { selector } => {
                // ExaBGP frames a flush with BoRR/EoRR when route-refresh is configured,
                // whatever the peer announced; and refuses it without an established peer.
                let mut any = false;
                for id in self.targets(helper, &selector) {
                    let Some(n) = self.neighbors.get(id).and_then(Option::as_ref) else {
                        continue;
                    };
                    if !n.established() {
                        continue;
                    }
                    any = true;
                    let framed = n.config.capabilities.route_refresh;
                    self.resend_table_framed(id, None, Some(framed));
                }
                Some(any)
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
                                .map(|(nlri, a)| (nlri.into_owned(), a.clone()))
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
                    && (selector.is_all() || selector.matches(&n.name()))
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
        let logged = log::log_enabled!(target: "rib", log::Level::Info);
        for route in routes {
            let described = if logged {
                describe_route(&route)
            } else {
                String::new()
            };
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
            if logged {
                info!(target: "rib", "helper {name}: route {} {}", if announce { "added" } else { "removed" }, described);
            }
        }
        true
    }

    /// Re-send the Adj-RIB-Out of an established session (all families, or one), framed by
    /// BoRR/EoRR when enhanced route refresh was negotiated.
    pub(super) fn resend_table(&mut self, id: usize, family: Option<crate::bgp::Family>) {
        self.resend_table_framed(id, family, None);
    }

    /// As `resend_table`, with BoRR/EoRR framing forced on or off (`Some`) rather than
    /// following the negotiation (`None`).
    fn resend_table_framed(
        &mut self,
        id: usize,
        family: Option<crate::bgp::Family>,
        framed: Option<bool>,
    ) {
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
        let enhanced = framed.unwrap_or(neg.enhanced_route_refresh);
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
            let _ = s.writer.try_send(Outgoing::Bytes(buf.clone()));
            if let Some(n) = self.neighbors.get_mut(id).and_then(Option::as_mut) {
                n.counts.note_sent(&buf);
            }
            if let Some(bytes) = copy {
                self.report_sent(id, &bytes);
            }
        }
    }

    /// ExaBGP's lines: `<peer-ip> <afi> <safi> <route>`, the peer's full name instead of its
    /// address when extensive; in JSON one object per route (its `show-routes-format v1`).
    fn show_adj_rib(
        &self,
        selector: &Selector,
        direction: Direction,
        extensive: bool,
        json: bool,
    ) -> String {
        let mut out = String::new();
        for n in self
            .neighbors
            .iter()
            .flatten()
            .filter(|n| selector.matches(&n.name()))
        {
            let routes: Vec<(Cow<'_, crate::bgp::Nlri>, Arc<crate::bgp::Attributes>)> =
                match direction {
                    Direction::Out => n.rib.routes().map(|(n, a)| (n, a.clone())).collect(),
                    Direction::In => n.adj_rib_in.routes(),
                };
            let who = if extensive {
                n.name()
            } else {
                n.config.peer_address.to_string()
            };
            for (nlri, attrs) in routes {
                if json {
                    if let crate::bgp::Nlri::Inet { prefix, .. } = &*nlri {
                        out.push_str(&format!(
                            "{{\"{}\": {{\"routes\": [{{\"prefix\": \"{prefix}\", \"family\": \"{}\"}}]}}}}\n",
                            n.config.peer_address,
                            nlri.family()
                        ));
                    }
                    continue;
                }
                out.push_str(&format!(
                    "{who} {} {}",
                    nlri.family(),
                    super::session::describe(&nlri)
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

fn describe_route(r: &Route) -> String {
    super::session::describe(&r.nlri)
}

/// ExaBGP 5.0.15's `help` answer, commands it parses but ferrobgp refuses included.
const HELP: &str =
    "\navailable API commands are listed here:\n=======================================\n\n\
filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]\n\n\
command are:\n------------\n\n\
# \n\
[neighbor <ip> [filters]] announce attribute\n\
[neighbor <ip> [filters]] announce attributes\n\
[neighbor <ip> [filters]] announce eor\n\
[neighbor <ip> [filters]] announce flow\n\
[neighbor <ip> [filters]] announce ipv4\n\
[neighbor <ip> [filters]] announce ipv6\n\
[neighbor <ip> [filters]] announce operational\n\
[neighbor <ip> [filters]] announce route\n\
[neighbor <ip> [filters]] announce route-refresh\n\
[neighbor <ip> [filters]] announce vpls\n\
[neighbor <ip> [filters]] announce watchdog\n\
[neighbor <ip> [filters]] clear adj-rib\n\
[neighbor <ip> [filters]] crash\n\
[neighbor <ip> [filters]] flush adj-rib out\n\
[neighbor <ip> [filters]] teardown\n\
[neighbor <ip> [filters]] withdraw attribute\n\
[neighbor <ip> [filters]] withdraw attributes\n\
[neighbor <ip> [filters]] withdraw flow\n\
[neighbor <ip> [filters]] withdraw ipv4\n\
[neighbor <ip> [filters]] withdraw ipv6\n\
[neighbor <ip> [filters]] withdraw route\n\
[neighbor <ip> [filters]] withdraw vpls\n\
[neighbor <ip> [filters]] withdraw watchdog\n\
disable-ack \nenable-ack \nhelp \nreload \nreset \nrestart \n\
show adj-rib in [ extensive ] \nshow adj-rib out [ extensive ] \n\
show neighbor [ summary | extensive | configuration ] \n\
shutdown \nsilence-ack \nversion \n\n";
