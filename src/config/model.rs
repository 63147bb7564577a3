//! The parsed configuration: plain data, produced by the parser and owned by the reactor.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::Arc;

use crate::bgp::capability::AddPathMode;
use crate::bgp::{Attributes, Family, Nlri, Prefix};

pub use super::route_list::RouteList;

/// Where a thing was written, for error messages and logs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// `process` blocks, in file order.
    pub processes: Vec<Process>,
    /// `neighbor` blocks with templates applied, in file order.
    pub neighbors: Vec<Neighbor>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoder {
    Text,
    Json,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Process {
    pub name: String,
    /// argv; the program path resolved as ExaBGP does (the config file's folder for relative paths).
    pub run: Vec<String>,
    pub encoder: Encoder,
    pub respawn: bool,
    pub location: Location,
}

/// Which messages a helper is sent (`api { receive { .. } send { .. } }`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MessageSelection {
    pub parsed: bool,
    pub packets: bool,
    pub consolidate: bool,
    pub open: bool,
    pub update: bool,
    pub notification: bool,
    pub keepalive: bool,
    pub refresh: bool,
    pub operational: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Api {
    pub processes: Vec<String>,
    pub processes_match: Vec<String>,
    pub neighbor_changes: bool,
    pub negotiated: bool,
    pub fsm: bool,
    pub signal: bool,
    pub receive: MessageSelection,
    pub send: MessageSelection,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Capabilities {
    pub asn4: bool,
    pub route_refresh: bool,
    /// Restart time in seconds; None = capability not sent.
    pub graceful_restart: Option<u16>,
    /// Global add-path mode; None = disabled.
    pub add_path: Option<AddPathMode>,
    pub extended_message: bool,
    pub multi_session: bool,
    pub operational: bool,
    /// RFC 8950 extended next hop.
    pub nexthop: bool,
    pub aigp: bool,
    pub software_version: bool,
}

impl Default for Capabilities {
    fn default() -> Capabilities {
        Capabilities {
            asn4: true,
            route_refresh: false,
            graceful_restart: None,
            add_path: None,
            extended_message: true,
            multi_session: false,
            operational: false,
            nexthop: false,
            aigp: false,
            software_version: false,
        }
    }
}

/// A route from `static`, `announce` or `attributes ... nlri`: one NLRI with its attributes
/// (`split` is already expanded into several routes).
///
/// Kept at 64 bytes: a configuration can hold millions of these, and the settings few routes
/// use live behind one optional box.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    pub nlri: Nlri,
    /// Shared between routes written with the same attributes (a million `static` routes
    /// with one next hop hold one copy).
    pub attributes: Arc<Attributes>,
    /// `watchdog`, `withdraw` and `name`: None when none is written.
    pub extra: Option<Box<RouteExtra>>,
}

/// The rarely written per-route settings that are not BGP attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RouteExtra {
    /// `watchdog NAME`: announced/withdrawn together by `announce|withdraw watchdog NAME`.
    pub watchdog: Option<String>,
    /// `withdraw`: defined but not announced until its watchdog is announced.
    pub withdrawn: bool,
    pub name: Option<String>,
}

impl Route {
    /// A route without watchdog, `withdraw` or name.
    pub fn new(nlri: Nlri, attributes: Arc<Attributes>) -> Route {
        Route {
            nlri,
            attributes,
            extra: None,
        }
    }

    /// A route with these settings; the box is only allocated when one is set.
    pub fn with_extra(nlri: Nlri, attributes: Arc<Attributes>, extra: RouteExtra) -> Route {
        Route {
            nlri,
            attributes,
            extra: (extra != RouteExtra::default()).then(|| Box::new(extra)),
        }
    }

    /// Set or clear the route's `name`.
    pub fn set_name(&mut self, name: Option<String>) {
        let mut extra = self.extra.take().map(|b| *b).unwrap_or_default();
        extra.name = name;
        self.extra = (extra != RouteExtra::default()).then(|| Box::new(extra));
    }

    /// `watchdog NAME`: announced/withdrawn together by `announce|withdraw watchdog NAME`.
    pub fn watchdog(&self) -> Option<&str> {
        self.extra.as_ref()?.watchdog.as_deref()
    }

    /// `withdraw`: defined but not announced until its watchdog is announced.
    pub fn withdrawn(&self) -> bool {
        self.extra.as_ref().is_some_and(|x| x.withdrawn)
    }

    pub fn name(&self) -> Option<&str> {
        self.extra.as_ref()?.name.as_deref()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Neighbor {
    pub peer_address: IpAddr,
    /// A passive neighbor written as a prefix accepts any peer in it.
    pub peer_range: Option<Prefix>,
    pub description: Option<String>,
    pub router_id: Option<Ipv4Addr>,
    /// None = `auto`: discovered from the socket.
    pub local_address: Option<IpAddr>,
    pub local_as: u32,
    /// None = `auto`: accept the ASN of the peer's OPEN.
    pub peer_as: Option<u32>,
    pub hold_time: u16,
    pub passive: bool,
    pub listen: Option<u16>,
    pub connect: Option<u16>,
    pub md5_password: Option<String>,
    pub md5_base64: Option<bool>,
    pub md5_ip: Option<IpAddr>,
    pub ttl_security: Option<u8>,
    pub outgoing_ttl: Option<u8>,
    pub incoming_ttl: Option<u8>,
    pub source_interface: Option<String>,
    pub host_name: Option<String>,
    pub domain_name: Option<String>,
    pub group_updates: bool,
    pub auto_flush: bool,
    pub adj_rib_out: bool,
    pub adj_rib_in: bool,
    pub manual_eor: bool,
    pub rate_limit: Option<u32>,
    /// Families for the OPEN, in ExaBGP's order (every family when no `family` block).
    pub families: Vec<Family>,
    pub capabilities: Capabilities,
    /// ADD-PATH families, sorted: the `add-path { }` block's entries that are in `families`, or
    /// every family when there is no block (as ExaBGP lists them); empty when add-path is off.
    /// The OPEN still only offers it for the families that can carry a path id.
    pub add_path_families: Vec<Family>,
    /// `nexthop { afi safi nh-afi; }` entries.
    pub nexthop_families: Vec<(Family, u16)>,
    /// `api` blocks of the neighbor and its templates, flattened into one.
    /// The `api` blocks, as written (several per neighbor, and from templates): a helper
    /// hears only what the blocks naming it ask for.
    pub api: Vec<Api>,
    /// Routes in ExaBGP's order (as `exabgp validate` inserts them): the neighbor's own in file
    /// order, then each inherited template's. Routes of a family not in `families` are
    /// dropped (ExaBGP refuses them, except IPv4 unicast which it silently skips).
    pub routes: RouteList,
    pub location: Location,
}
