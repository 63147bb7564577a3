//! The top level of a configuration file: `process`, `template { neighbor }` and `neighbor`,
//! and the defaults and checks ExaBGP applies once a neighbor is complete.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use super::lexer::Token;
use super::neighbor::parse_body;
use super::partial::{GracefulRestart, Partial};
use super::reader::{tree_of_file, tree_of_text};
use super::tree::Node;
use super::words::{error, parse_bool};
use super::{Capabilities, Config, ConfigError, Encoder, Location, Neighbor, Process};
use crate::bgp::{Family, Prefix};

/// Parse configuration text; `file` names it in errors.
pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
    interpret(tree_of_text(text, file)?, file)
}

/// Read and parse a configuration file, a block at a time.
pub fn parse_file(path: &Path) -> Result<Config, ConfigError> {
    interpret(tree_of_file(path)?, path)
}

/// The configuration the statement tree describes.
fn interpret(nodes: Vec<Node>, file: &Path) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    let mut templates: HashMap<String, Partial> = HashMap::new();
    for mut n in nodes {
        match n.keyword() {
            "process" => {
                let p = process(file, &n)?;
                if config.processes.iter().any(|q| q.name == p.name) {
                    return Err(error(
                        file,
                        n.line,
                        n.col,
                        format!("a process section called \"{}\" already exists", p.name),
                    ));
                }
                config.processes.push(p);
            }
            "template" => {
                for mut t in take_block(file, &mut n)? {
                    if t.keyword() != "neighbor" {
                        return Err(error(
                            file,
                            t.line,
                            t.col,
                            format!("unknown template section \"{}\"", t.keyword()),
                        ));
                    }
                    let [name] = t.args() else {
                        return Err(error(
                            file,
                            t.line,
                            t.col,
                            "template neighbor needs exactly one name",
                        ));
                    };
                    let name = name.text.to_string();
                    let mut p = Partial::default();
                    let mut inherits = Vec::new();
                    let body = take_block(file, &mut t)?;
                    parse_body(file, body, &mut p, &mut inherits)?;
                    if let Some(i) = inherits.first() {
                        return Err(error(file, i.line, i.col, "a template can not inherit"));
                    }
                    templates.insert(name, p);
                }
            }
            "neighbor" => {
                let (line, col) = (n.line, n.col);
                let nb = neighbor(file, n, &templates)?;
                let clash = config
                    .neighbors
                    .iter()
                    .any(|o| identity(o) == identity(&nb));
                if clash {
                    return Err(error(
                        file,
                        line,
                        col,
                        format!("duplicate peer definition {}", nb.peer_address),
                    ));
                }
                config.neighbors.push(nb);
            }
            _ => {
                return Err(error(
                    file,
                    n.line,
                    n.col,
                    format!("unknown section \"{}\"", n.keyword()),
                ))
            }
        }
    }
    // Every process an `api` block names must exist.
    for nb in &config.neighbors {
        for name in nb.api.iter().flat_map(|a| &a.processes) {
            if !config.processes.iter().any(|p| &p.name == name) {
                let l = &nb.location;
                return Err(error(
                    file,
                    l.line,
                    l.col,
                    format!(
                        "an api called '{name}' is used by neighbor '{}' but not defined",
                        nb.peer_address
                    ),
                ));
            }
        }
    }
    Ok(config)
}

/// What makes two neighbors the same peer for ExaBGP's duplicate check: the listen port when
/// set, else the addresses, ASNs, router id and (with multi-session) the families.
fn identity(n: &Neighbor) -> String {
    if let Some(port) = n.listen {
        return format!("peer {} listen {port}", n.peer_address);
    }
    let families = if n.capabilities.multi_session {
        format!("{:?}", n.families)
    } else {
        String::new()
    };
    format!(
        "{}/{:?} {:?} {} {:?} {:?} {families}",
        n.peer_address, n.peer_range, n.local_address, n.local_as, n.peer_as, n.router_id
    )
}

fn block<'a>(file: &Path, n: &'a Node) -> Result<&'a [Node], ConfigError> {
    n.block.as_deref().ok_or_else(|| {
        error(
            file,
            n.line,
            n.col,
            format!("\"{}\" needs a {{ }} block", n.keyword()),
        )
    })
}

/// The body of a block node, moved out of it.
fn take_block(file: &Path, n: &mut Node) -> Result<Vec<Node>, ConfigError> {
    n.block.take().ok_or_else(|| {
        error(
            file,
            n.line,
            n.col,
            format!("\"{}\" needs a {{ }} block", n.keyword()),
        )
    })
}

fn process(file: &Path, n: &Node) -> Result<Process, ConfigError> {
    let [name] = n.args() else {
        return Err(error(file, n.line, n.col, "process needs exactly one name"));
    };
    let mut run: Option<Vec<String>> = None;
    let mut encoder = None;
    let mut respawn = true;
    for s in block(file, n)? {
        let args = s.args();
        let first = args.first();
        match (s.keyword(), first) {
            ("run", Some(prg)) => {
                let mut argv = vec![resolve_program(file, &prg.text)];
                argv.extend(args.iter().skip(1).map(|t| t.text.to_string()));
                run = Some(argv);
            }
            ("encoder", Some(e)) if args.len() == 1 => {
                encoder = Some(match e.text.as_str() {
                    "text" => Encoder::Text,
                    "json" => Encoder::Json,
                    _ => {
                        return Err(error(
                            file,
                            e.line,
                            e.col,
                            format!("invalid encoder \"{}\" (text or json)", e.text),
                        ))
                    }
                })
            }
            ("respawn", Some(v)) if args.len() == 1 => {
                respawn = parse_bool(&v.text).ok_or_else(|| {
                    error(
                        file,
                        v.line,
                        v.col,
                        format!("invalid respawn \"{}\" (true or false)", v.text),
                    )
                })?
            }
            ("respawn", None) => respawn = true,
            ("run" | "encoder" | "respawn", _) => {
                return Err(error(
                    file,
                    s.line,
                    s.col,
                    format!("invalid \"{}\" statement", s.keyword()),
                ))
            }
            _ => {
                return Err(error(
                    file,
                    s.line,
                    s.col,
                    format!("unknown process setting \"{}\"", s.keyword()),
                ))
            }
        }
    }
    let missing = |what: &str| {
        error(
            file,
            n.line,
            n.col,
            format!("process {}: missing {what}", name.text),
        )
    };
    Ok(Process {
        name: name.text.to_string(),
        run: run.ok_or_else(|| missing("run"))?,
        encoder: encoder.ok_or_else(|| missing("encoder"))?,
        respawn,
        location: Location {
            file: file.to_path_buf(),
            line: n.line,
            col: n.col,
        },
    })
}

/// Where ExaBGP finds a relative program: it tries /etc/exabgp, the configuration's folder and
/// each `$PATH` entry, and the last one that exists wins. When none exists the configuration's
/// folder is used, so that the error shown at spawn time names a sensible path.
pub fn resolve_program(config: &Path, prg: &str) -> String {
    if prg.starts_with('/') {
        return prg.to_string();
    }
    let dir = config.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    let local = normalize(&dir.join(prg));
    let mut candidates = vec![
        normalize(&Path::new("/etc/exabgp").join(prg)),
        local.clone(),
    ];
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|p| normalize(&p.join(prg))));
    }
    let found = candidates.into_iter().rev().find(|c| c.exists());
    found.unwrap_or(local).to_string_lossy().into_owned()
}

/// `a/./b/../c` -> `a/c`, like Python's `os.path.abspath` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn neighbor(
    file: &Path,
    mut n: Node,
    templates: &HashMap<String, Partial>,
) -> Result<Neighbor, ConfigError> {
    let here = |m: String| error(file, n.line, n.col, m);
    let [addr] = n.args() else {
        return Err(here("neighbor needs exactly one address".into()));
    };
    let (peer_address, range) = if addr.text.contains('/') {
        let p: Prefix = addr.text.parse().map_err(|_| {
            error(
                file,
                addr.line,
                addr.col,
                format!("invalid neighbor address \"{}\"", addr.text),
            )
        })?;
        (p.addr(), Some(p))
    } else {
        let a: IpAddr = addr.text.parse().map_err(|_| {
            error(
                file,
                addr.line,
                addr.col,
                format!("invalid neighbor address \"{}\"", addr.text),
            )
        })?;
        (a, None)
    };
    let mut p = Partial::default();
    let mut inherits: Vec<Token> = Vec::new();
    let body = take_block(file, &mut n)?;
    parse_body(file, body, &mut p, &mut inherits)?;
    for i in &inherits {
        let t = templates.get(i.text.as_str()).ok_or_else(|| {
            error(
                file,
                i.line,
                i.col,
                format!("unknown template \"{}\"", i.text),
            )
        })?;
        p.inherit(t);
    }
    finish(file, &n, peer_address, range, p)
}

/// Apply ExaBGP's defaults and checks to a neighbor with its templates merged.
fn finish(
    file: &Path,
    n: &Node,
    peer_address: IpAddr,
    range: Option<Prefix>,
    mut p: Partial,
) -> Result<Neighbor, ConfigError> {
    let here = |m: String| error(file, n.line, n.col, m);
    let mut missing: Vec<&str> = Vec::new();
    if p.local_as.is_none() {
        missing.push("local-as");
    }
    if p.peer_as.is_none() {
        missing.push("peer-as");
    }
    if !missing.is_empty() {
        return Err(here(format!(
            "incomplete neighbor {peer_address}, missing {}",
            missing.join(", ")
        )));
    }
    let local_address = p.local_address.flatten();
    let auto = local_address.is_none();
    // ExaBGP: the router id defaults to the local address for IPv4 sessions.
    let router_id = p.router_id.or(match local_address {
        Some(IpAddr::V4(a)) if peer_address.is_ipv4() => Some(a),
        _ => None,
    });
    if auto && p.listen.is_some_and(|l| l > 0) {
        return Err(here(format!(
            "incomplete neighbor {peer_address}, missing local-address (needed by listen)"
        )));
    }
    if router_id.is_none() && (auto || peer_address.is_ipv6()) {
        return Err(here(format!(
            "incomplete neighbor {peer_address}, missing router-id"
        )));
    }
    if let Some(l) = local_address {
        if l.is_ipv4() != peer_address.is_ipv4() {
            return Err(here(
                "local-address and peer-address must be of the same family".into(),
            ));
        }
    }
    let passive = p.passive.unwrap_or(false);
    if range.is_some_and(|r| r.len() < if r.is_v4() { 32 } else { 128 }) && !passive {
        return Err(here(
            "can only use ip ranges for the peer address with passive neighbors".into(),
        ));
    }
    if let Some(pw) = &p.md5_password {
        let len = if p.md5_base64 == Some(Some(true)) {
            base64_len(pw).ok_or_else(|| here("Invalid MD5 password: not valid base64".into()))?
        } else {
            pw.len()
        };
        // RFC 2385 / Linux TCP_MD5SIG keys are at most 80 bytes.
        if len > 80 {
            return Err(here(
                "MD5 password must be no larger than 80 characters".into(),
            ));
        }
    }
    let hold_time = p.hold_time.unwrap_or(180);
    let families = order_families(&p);
    let capabilities = Capabilities {
        asn4: p.asn4.unwrap_or(true),
        route_refresh: p.route_refresh.unwrap_or(false),
        graceful_restart: match p.graceful_restart {
            None | Some(GracefulRestart::Disabled) => None,
            Some(GracefulRestart::HoldTime) => Some(hold_time.min(4095)),
            Some(GracefulRestart::Seconds(s)) => Some(s),
        },
        add_path: p.add_path.flatten(),
        extended_message: p.extended_message.unwrap_or(true),
        multi_session: p.multi_session.unwrap_or(false),
        operational: p.operational.unwrap_or(false),
        // A `nexthop { }` block turns the capability on unless it is disabled explicitly.
        nexthop: p.nexthop.unwrap_or(!p.nexthop_families.is_empty()),
        aigp: p.aigp.unwrap_or(false),
        software_version: p.software_version.unwrap_or(false),
    };
    // Families not negotiated are skipped, as ExaBGP does (it logs them at debug level).
    let add_path_families = if capabilities.add_path.is_some() {
        // Sorted like the families (ExaBGP's add_addpath keeps them sorted).
        // Without an `add-path { }` block, every family of the neighbor is listed.
        let mut v: Vec<Family> = if p.add_path_families.is_empty() {
            families.clone()
        } else {
            p.add_path_families
                .iter()
                .copied()
                .filter(|f| families.contains(f))
                .collect()
        };
        v.sort();
        v
    } else {
        Vec::new()
    };
    let nexthop_families = if capabilities.nexthop {
        p.nexthop_families
            .iter()
            .copied()
            .filter(|(f, nh)| {
                families.contains(f)
                    && families.contains(&Family {
                        afi: crate::bgp::Afi(*nh),
                        safi: f.safi,
                    })
            })
            .collect()
    } else {
        Vec::new()
    };
    // ExaBGP refuses a route of a family the OPEN does not carry, except IPv4 unicast, whose
    // routes are then silently not announced.
    if let Some(at) = p.first_refused(|f| !families.contains(&f) && f != Family::IPV4_UNICAST) {
        return Err(error(
            file,
            at.line,
            at.col,
            format!("trying to announce a route of type {} when we are not announcing the family to our peer", at.family),
        ));
    }
    // Filtered in place: a million routes are not held twice.
    if p.firsts.iter().any(|f| !families.contains(&f.family)) {
        p.routes.retain(|r| families.contains(&r.nlri.family()));
    }
    let routes = std::mem::take(&mut p.routes);
    let route_refresh = capabilities.route_refresh;
    Ok(Neighbor {
        peer_address,
        peer_range: range.filter(|r| r.len() < if r.is_v4() { 32 } else { 128 }),
        description: p.description,
        router_id,
        local_address,
        local_as: p.local_as.unwrap_or(0),
        peer_as: p.peer_as.flatten(),
        hold_time,
        passive,
        listen: p.listen.filter(|l| *l > 0),
        connect: p.connect.filter(|c| *c > 0),
        md5_password: p.md5_password,
        md5_base64: p.md5_base64.unwrap_or(Some(false)),
        md5_ip: p.md5_ip.or(local_address),
        ttl_security: p.ttl_security,
        outgoing_ttl: p.outgoing_ttl,
        incoming_ttl: p.incoming_ttl,
        source_interface: p.source_interface,
        host_name: p.host_name,
        domain_name: p.domain_name,
        group_updates: p.group_updates.unwrap_or(true),
        auto_flush: p.auto_flush.unwrap_or(true),
        // route-refresh needs the sent routes kept, so it forces adj-rib-out on.
        adj_rib_out: p.adj_rib_out.unwrap_or(true) || route_refresh,
        adj_rib_in: p.adj_rib_in.unwrap_or(true),
        manual_eor: p.manual_eor.unwrap_or(false),
        rate_limit: p.rate_limit.flatten(),
        families,
        capabilities,
        add_path_families,
        nexthop_families,
        api: p.api,
        routes,
        location: Location {
            file: file.to_path_buf(),
            line: n.line,
            col: n.col,
        },
    })
}

/// The decoded length of standard base64 text, None when it is not valid base64.
fn base64_len(s: &str) -> Option<usize> {
    let body = s.trim_end_matches('=');
    let pad = s.len() - body.len();
    let valid = s.len().is_multiple_of(4)
        && pad <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    valid.then(|| s.len() / 4 * 3 - pad)
}

/// ExaBGP keeps a neighbor's families sorted by (AFI, SAFI) code, which is also the order of
/// its OPEN; no `family` block (or `all`) means every family.
fn order_families(p: &Partial) -> Vec<Family> {
    if p.families.is_empty() || p.all_families {
        return Family::ALL.to_vec();
    }
    let mut v = p.families.clone();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(s: &str) -> Result<Config, ConfigError> {
        parse(s, Path::new("/etc/x/t.conf"))
    }

    const N: &str = "neighbor 127.0.0.1 { local-address 127.0.0.1; local-as 1; peer-as 2; ";

    #[test]
    fn defaults() {
        let c = load(&format!("{N} }}")).unwrap();
        let n = &c.neighbors[0];
        assert_eq!(n.router_id, Some("127.0.0.1".parse().unwrap()));
        assert_eq!(n.hold_time, 180);
        assert_eq!(n.families, Family::ALL.to_vec());
        assert!(n.group_updates && n.adj_rib_out && !n.passive);
        assert_eq!(n.capabilities, Capabilities::default());
    }

    #[test]
    fn graceful_restart_bare_is_hold_time_and_rr_forces_adj_rib_out() {
        let c = load(&format!("{N} hold-time 90; adj-rib-out false; capability {{ graceful-restart; route-refresh; }} }}")).unwrap();
        let n = &c.neighbors[0];
        assert_eq!(n.capabilities.graceful_restart, Some(90));
        assert!(n.adj_rib_out);
    }

    #[test]
    fn families_sorted_and_foreign_routes() {
        let c = load(&format!(
            "{N} family {{ ipv6 unicast; ipv4 nlri-mpls; ipv4 unicast; }} }}"
        ))
        .unwrap();
        assert_eq!(
            c.neighbors[0].families,
            vec![
                Family::IPV4_UNICAST,
                Family::new(1, 4),
                Family::IPV6_UNICAST
            ]
        );
        let c = load(&format!(
            "{N} family {{ ipv6 unicast; }} static {{ route 1.0.0.0/8 next-hop 1.1.1.1; }} }}"
        ))
        .unwrap();
        assert!(c.neighbors[0].routes.is_empty());
        let e = load(&format!(
            "{N} family {{ ipv4 unicast; }} static {{ route 2001::/16 next-hop ::1; }} }}"
        ))
        .unwrap_err();
        assert!(e.message.contains("not announcing the family"));
    }

    #[test]
    fn templates_override_and_append() {
        let c = load(&format!(
            "template {{ neighbor t {{ hold-time 30; static {{ route 1.0.0.0/8 next-hop 1.1.1.1; }} }} }}
             {N} inherit t; hold-time 60; static {{ route 2.0.0.0/8 next-hop 1.1.1.1; }} }}"
        ))
        .unwrap();
        let n = &c.neighbors[0];
        assert_eq!(n.hold_time, 30);
        let p: Vec<String> = n.routes.iter().map(|r| format!("{:?}", r.nlri)).collect();
        assert!(p[0].contains("V4 { addr: 33554432"), "{p:?}");
        assert!(load(&format!("{N} inherit nope; }}"))
            .unwrap_err()
            .message
            .contains("unknown template"));
    }

    #[test]
    fn route_order_matches_exabgp() {
        // `exabgp validate -nrv` inserts 1 2 3 5 6 9 8 for this configuration.
        let c = load(
            "template { neighbor t { static { route 9.0.0.0/8 next-hop 1.1.1.1; }
               announce { ipv4 { unicast 8.0.0.0/8 next-hop 1.1.1.1; } } } }
             neighbor 127.0.0.1 { inherit t; local-as 1; peer-as 1; local-address 127.0.0.1;
               static { route 1.0.0.0/8 next-hop 1.1.1.1; }
               announce { ipv4 { unicast 2.0.0.0/8 next-hop 1.1.1.1; } }
               static { route 3.0.0.0/8 next-hop 1.1.1.1;
                        attributes next-hop 1.1.1.1 nlri 5.0.0.0/8 6.0.0.0/8; } }",
        )
        .unwrap();
        let firsts: Vec<String> = c.neighbors[0]
            .routes
            .iter()
            .map(|r| match &r.nlri {
                crate::bgp::Nlri::Inet { prefix, .. } => prefix.to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            firsts,
            [
                "1.0.0.0/8",
                "2.0.0.0/8",
                "3.0.0.0/8",
                "5.0.0.0/8",
                "6.0.0.0/8",
                "9.0.0.0/8",
                "8.0.0.0/8"
            ]
        );
    }

    #[test]
    fn nexthop_and_add_path_families_are_filtered_by_the_families() {
        let c = load(&format!(
            "{N} family {{ ipv4 unicast; ipv4 mpls-vpn; }}
             nexthop {{ ipv4 unicast ipv6; ipv4 mpls-vpn ipv6; }}
             capability {{ add-path send; }} add-path {{ ipv6 unicast; ipv4 unicast; }} }}"
        ))
        .unwrap();
        let n = &c.neighbors[0];
        // ipv6 unicast / ipv6 mpls-vpn are not negotiated: ExaBGP skips both entries.
        assert!(n.nexthop_families.is_empty());
        assert!(n.capabilities.nexthop);
        assert_eq!(n.add_path_families, vec![Family::IPV4_UNICAST]);
        let c = load(&format!(
            "{N} family {{ ipv4 unicast; ipv6 unicast; }} nexthop {{ ipv4 unicast ipv6; }}
             capability {{ add-path receive; }} }}"
        ))
        .unwrap();
        let n = &c.neighbors[0];
        assert_eq!(n.nexthop_families, vec![(Family::IPV4_UNICAST, 2)]);
        assert_eq!(
            n.add_path_families,
            vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST]
        );
    }

    #[test]
    fn processes() {
        let c = load("process p { run ./x.py --flag; encoder json; respawn false; }").unwrap();
        assert_eq!(
            c.processes[0].run,
            vec!["/etc/x/x.py".to_string(), "--flag".to_string()]
        );
        assert_eq!(c.processes[0].encoder, Encoder::Json);
        assert!(!c.processes[0].respawn);
        assert!(load("process p { run /bin/true; }")
            .unwrap_err()
            .message
            .contains("missing encoder"));
        let e = load(&format!("{N} api {{ processes [ q ]; }} }}")).unwrap_err();
        assert!(e.message.contains("an api called 'q'"));
    }

    #[test]
    fn md5() {
        assert_eq!(base64_len("YWJj"), Some(3));
        assert_eq!(base64_len("YWI="), Some(2));
        assert_eq!(base64_len("YW*="), None);
        let c = load(&format!(
            "{N} md5-password \"secret\"; md5-ip 127.0.0.1; }}"
        ))
        .unwrap();
        assert_eq!(c.neighbors[0].md5_password.as_deref(), Some("secret"));
        let e = load(&format!(
            "{N} md5-password \"not base64!\"; md5-base64 true; }}"
        ))
        .unwrap_err();
        assert!(e.message.contains("base64"));
        let long = "x".repeat(81);
        assert!(load(&format!("{N} md5-password {long}; }}")).is_err());
    }

    #[test]
    fn neighbor_errors() {
        let e =
            load("neighbor 127.0.0.1 {\n local-address 127.0.0.1;\n local-as 1;\n}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "/etc/x/t.conf:1:1: incomplete neighbor 127.0.0.1, missing peer-as"
        );
        assert!(load(&format!("{N} }} {N} }}"))
            .unwrap_err()
            .message
            .contains("duplicate"));
        assert!(
            load("neighbor 10.0.0.0/24 { local-as 1; peer-as 1; router-id 1.1.1.1; }")
                .unwrap_err()
                .message
                .contains("passive")
        );
        assert!(load(
            "neighbor 10.0.0.0/24 { local-as 1; peer-as 1; router-id 1.1.1.1; passive; }"
        )
        .is_ok());
        assert!(
            load("neighbor ::1 { local-as 1; peer-as 1; local-address ::1; }")
                .unwrap_err()
                .message
                .contains("router-id")
        );
        assert!(load("bogus { }")
            .unwrap_err()
            .message
            .contains("unknown section"));
    }
}
