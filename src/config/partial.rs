//! A neighbor or template body as written, before inheritance and defaults: every setting is
//! optional so that a template can be merged in the way ExaBGP merges it.

use std::net::{IpAddr, Ipv4Addr};

use super::{Api, Route, RouteList};
use crate::bgp::capability::AddPathMode;
use crate::bgp::Family;

/// `graceful-restart` as written: bare means "the hold time", resolved after inheritance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GracefulRestart {
    Disabled,
    HoldTime,
    Seconds(u16),
}

#[derive(Clone, Debug, Default)]
pub struct Partial {
    pub description: Option<String>,
    pub router_id: Option<Ipv4Addr>,
    /// Some(None) = `auto`.
    pub local_address: Option<Option<IpAddr>>,
    pub local_as: Option<u32>,
    /// Some(None) = `auto`.
    pub peer_as: Option<Option<u32>>,
    pub hold_time: Option<u16>,
    pub passive: Option<bool>,
    pub listen: Option<u16>,
    pub connect: Option<u16>,
    pub md5_password: Option<String>,
    /// Some(None) = `auto`.
    pub md5_base64: Option<Option<bool>>,
    pub md5_ip: Option<IpAddr>,
    pub ttl_security: Option<u8>,
    pub outgoing_ttl: Option<u8>,
    pub incoming_ttl: Option<u8>,
    pub source_interface: Option<String>,
    pub host_name: Option<String>,
    pub domain_name: Option<String>,
    pub group_updates: Option<bool>,
    pub auto_flush: Option<bool>,
    pub adj_rib_out: Option<bool>,
    pub adj_rib_in: Option<bool>,
    pub manual_eor: Option<bool>,
    /// Some(None) = `disable`.
    pub rate_limit: Option<Option<u32>>,
    pub families: Vec<Family>,
    /// `family { all; }` was written.
    pub all_families: bool,
    pub asn4: Option<bool>,
    pub route_refresh: Option<bool>,
    pub graceful_restart: Option<GracefulRestart>,
    /// Some(None) = `add-path disable`.
    pub add_path: Option<Option<AddPathMode>>,
    pub extended_message: Option<bool>,
    pub multi_session: Option<bool>,
    pub operational: Option<bool>,
    pub nexthop: Option<bool>,
    pub aigp: Option<bool>,
    pub software_version: Option<bool>,
    pub add_path_families: Vec<Family>,
    pub nexthop_families: Vec<(Family, u16)>,
    pub api: Vec<Api>,
    pub routes: RouteList,
    /// Where the first route of each family was written: the only route position an error
    /// can name once the families are known (a route of a family the neighbor does not
    /// announce), kept per family rather than per route.
    pub firsts: Vec<FirstRoute>,
}

/// The first route of a family in `Partial::routes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirstRoute {
    pub family: Family,
    /// Its index in `Partial::routes`.
    pub index: usize,
    pub line: u32,
    pub col: u32,
}

/// Record `route`, written at `line:col`, at index `index` of a route list.
pub fn note_first(firsts: &mut Vec<FirstRoute>, route: &Route, index: usize, line: u32, col: u32) {
    let family = route.nlri.family();
    // Nearly every route has the family of the one before: check the latest entry first.
    if firsts.last().is_some_and(|f| f.family == family)
        || firsts.iter().any(|f| f.family == family)
    {
        return;
    }
    firsts.push(FirstRoute {
        family,
        index,
        line,
        col,
    });
}

fn over<T: Clone>(dst: &mut Option<T>, src: &Option<T>) {
    if src.is_some() {
        dst.clone_from(src);
    }
}

fn extend_unique<T: Clone + PartialEq>(dst: &mut Vec<T>, src: &[T]) {
    for v in src {
        if !dst.contains(v) {
            dst.push(v.clone());
        }
    }
}

impl Partial {
    /// Merge an inherited template the way ExaBGP 5.0 does: a setting present in the template
    /// replaces the neighbor's own (checked with `exabgp validate`), lists are extended with
    /// the template's entries after the neighbor's, and `api` blocks are flattened.
    pub fn inherit(&mut self, t: &Partial) {
        over(&mut self.description, &t.description);
        over(&mut self.router_id, &t.router_id);
        over(&mut self.local_address, &t.local_address);
        over(&mut self.local_as, &t.local_as);
        over(&mut self.peer_as, &t.peer_as);
        over(&mut self.hold_time, &t.hold_time);
        over(&mut self.passive, &t.passive);
        over(&mut self.listen, &t.listen);
        over(&mut self.connect, &t.connect);
        over(&mut self.md5_password, &t.md5_password);
        over(&mut self.md5_base64, &t.md5_base64);
        over(&mut self.md5_ip, &t.md5_ip);
        over(&mut self.ttl_security, &t.ttl_security);
        over(&mut self.outgoing_ttl, &t.outgoing_ttl);
        over(&mut self.incoming_ttl, &t.incoming_ttl);
        over(&mut self.source_interface, &t.source_interface);
        over(&mut self.host_name, &t.host_name);
        over(&mut self.domain_name, &t.domain_name);
        over(&mut self.group_updates, &t.group_updates);
        over(&mut self.auto_flush, &t.auto_flush);
        over(&mut self.adj_rib_out, &t.adj_rib_out);
        over(&mut self.adj_rib_in, &t.adj_rib_in);
        over(&mut self.manual_eor, &t.manual_eor);
        over(&mut self.rate_limit, &t.rate_limit);
        extend_unique(&mut self.families, &t.families);
        self.all_families |= t.all_families;
        over(&mut self.asn4, &t.asn4);
        over(&mut self.route_refresh, &t.route_refresh);
        over(&mut self.graceful_restart, &t.graceful_restart);
        over(&mut self.add_path, &t.add_path);
        over(&mut self.extended_message, &t.extended_message);
        over(&mut self.multi_session, &t.multi_session);
        over(&mut self.operational, &t.operational);
        over(&mut self.nexthop, &t.nexthop);
        over(&mut self.aigp, &t.aigp);
        over(&mut self.software_version, &t.software_version);
        extend_unique(&mut self.add_path_families, &t.add_path_families);
        extend_unique(&mut self.nexthop_families, &t.nexthop_families);
        for block in &t.api {
            if !self.api.contains(block) {
                self.api.push(block.clone());
            }
        }
        self.merge_firsts(&t.firsts);
        self.routes.extend(t.routes.iter().cloned());
    }

    /// Add one route written at `line:col`.
    pub fn push_route(&mut self, route: Route, line: u32, col: u32) {
        note_first(&mut self.firsts, &route, self.routes.len(), line, col);
        self.routes.push(route);
    }

    /// Add routes parsed ahead of time, with their first-of-family positions relative to them.
    pub fn append_routes(&mut self, routes: RouteList, firsts: &[FirstRoute]) {
        self.merge_firsts(firsts);
        self.routes.append(routes);
    }

    /// Take in the first-of-family positions of routes about to be added after ours: a
    /// family we already have keeps its earlier position.
    fn merge_firsts(&mut self, firsts: &[FirstRoute]) {
        let offset = self.routes.len();
        for f in firsts {
            if !self.firsts.iter().any(|g| g.family == f.family) {
                self.firsts.push(FirstRoute {
                    index: f.index + offset,
                    ..*f
                });
            }
        }
    }

    /// The position of the first route, in list order, whose family `refused` says is refused.
    pub fn first_refused(&self, refused: impl Fn(Family) -> bool) -> Option<FirstRoute> {
        self.firsts
            .iter()
            .filter(|f| refused(f.family))
            .min_by_key(|f| f.index)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_settings_win_and_lists_extend() {
        let mut n = Partial {
            hold_time: Some(90),
            families: vec![Family::IPV6_UNICAST],
            ..Default::default()
        };
        let t = Partial {
            hold_time: Some(180),
            local_as: Some(1),
            families: vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST],
            ..Default::default()
        };
        n.inherit(&t);
        assert_eq!(n.hold_time, Some(180));
        assert_eq!(n.local_as, Some(1));
        assert_eq!(n.families, vec![Family::IPV6_UNICAST, Family::IPV4_UNICAST]);
    }
}
