//! `neighbor` and `template { neighbor }` bodies: settings, `family`, `capability`, `add-path`,
//! `nexthop`, `api`, and the route sections (`static`, `announce`).

use std::path::Path;
use std::sync::Arc;

use super::lexer::Token;
use super::partial::{GracefulRestart, Partial};
use super::route::{parse_attributes_nlri, parse_route_words, unsupported};
use super::static_routes::RouteRun;
use super::tree::{join, Node};
use super::words::{error, parse_asn, parse_bool, parse_int, Words};
use super::{Api, ConfigError, MessageSelection};
use crate::bgp::capability::AddPathMode;
use crate::bgp::{Afi, Attributes, Family, Safi};

/// The position of a node, for errors.
fn at(file: &Path, n: &Node, message: impl Into<String>) -> ConfigError {
    error(file, n.line, n.col, message)
}

fn body<'a>(file: &Path, n: &'a Node) -> Result<&'a [Node], ConfigError> {
    n.block
        .as_deref()
        .ok_or_else(|| at(file, n, format!("\"{}\" needs a {{ }} block", n.keyword())))
}

fn no_block(file: &Path, n: &Node) -> Result<(), ConfigError> {
    if n.block.is_some() {
        return Err(at(
            file,
            n,
            format!("\"{}\" does not take a block", n.keyword()),
        ));
    }
    Ok(())
}

/// The single argument of `key value;`.
fn one<'a>(file: &Path, n: &'a Node) -> Result<&'a Token, ConfigError> {
    no_block(file, n)?;
    match n.args() {
        [v] => Ok(v),
        [] => Err(at(file, n, format!("\"{}\" needs a value", n.keyword()))),
        [_, extra, ..] => Err(error(
            file,
            extra.line,
            extra.col,
            format!("unexpected \"{extra}\" after {}", n.keyword()),
        )),
    }
}

fn bad(file: &Path, t: &Token, what: &str) -> ConfigError {
    error(
        file,
        t.line,
        t.col,
        format!("invalid {what} \"{}\"", t.text),
    )
}

fn num<T: TryFrom<u64>>(file: &Path, n: &Node, what: &str) -> Result<T, ConfigError> {
    let v = one(file, n)?;
    parse_int(&v.text)
        .and_then(|x| T::try_from(x).ok())
        .ok_or_else(|| bad(file, v, what))
}

/// `key;` (true), `key true|false|enable|disable;`.
fn flag(file: &Path, n: &Node) -> Result<bool, ConfigError> {
    no_block(file, n)?;
    match n.args() {
        [] => Ok(true),
        [v] => parse_bool(&v.text)
            .ok_or_else(|| bad(file, v, "boolean (true, false, enable, disable)")),
        [_, extra, ..] => Err(error(
            file,
            extra.line,
            extra.col,
            format!("unexpected \"{extra}\""),
        )),
    }
}

/// The text value of `key "value";` or `key value;`.
fn text(file: &Path, n: &Node) -> Result<String, ConfigError> {
    no_block(file, n)?;
    if n.args().is_empty() {
        return Err(at(file, n, format!("\"{}\" needs a value", n.keyword())));
    }
    Ok(n.args()
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" "))
}

/// A TTL for `outgoing-ttl` / `incoming-ttl` / `ttl-security`: 0..255, or `disable` (None).
fn ttl(file: &Path, n: &Node) -> Result<Option<u8>, ConfigError> {
    let v = one(file, n)?;
    if matches!(v.text.as_str(), "false" | "disable" | "disabled") {
        return Ok(None);
    }
    parse_int(&v.text)
        .and_then(|x| u8::try_from(x).ok())
        .map(Some)
        .ok_or_else(|| bad(file, v, "ttl (0..255 or disable)"))
}

/// `host-name` / `domain-name`: letters, digits, '.' and '-', starting and ending with a letter
/// or digit, no empty label, at most 255 characters (the checks ExaBGP makes).
fn dns_name(file: &Path, n: &Node) -> Result<String, ConfigError> {
    let v = one(file, n)?;
    let s = v.text.as_str();
    let ok = !s.is_empty()
        && s.len() <= 255
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && !s.contains("..")
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !ok {
        return Err(bad(file, v, n.keyword()));
    }
    Ok(s.to_string())
}

/// Interpret one neighbor or template body.
pub fn parse_body(
    file: &Path,
    nodes: Vec<Node>,
    p: &mut Partial,
    inherits: &mut Vec<Token>,
) -> Result<(), ConfigError> {
    for mut node in nodes {
        // A `static` block is taken, not borrowed: its routes (maybe millions) move into `p`.
        if node.keyword() == "static" {
            let Some(children) = node.block.take() else {
                return Err(at(file, &node, "\"static\" needs a { } block"));
            };
            static_section(file, children, p)?;
            continue;
        }
        let n = &node;
        let kw = n.keyword();
        match kw {
            "inherit" => {
                let mut w = Words::new(n.args(), file);
                for t in w.list("template name")? {
                    inherits.push(t.clone());
                }
            }
            "description" => p.description = Some(text(file, n)?),
            "router-id" => {
                let v = one(file, n)?;
                p.router_id = Some(v.text.parse().map_err(|_| bad(file, v, "router-id"))?);
            }
            "local-address" => {
                let v = one(file, n)?;
                p.local_address = Some(if v.text == "auto" {
                    None
                } else {
                    Some(v.text.parse().map_err(|_| bad(file, v, "local-address"))?)
                });
            }
            "local-as" => {
                let v = one(file, n)?;
                if v.text == "auto" {
                    // The model keeps a concrete local ASN; the OPEN can not be built without one.
                    return Err(error(file, v.line, v.col, "local-as auto is not supported"));
                }
                p.local_as = Some(parse_asn(&v.text).ok_or_else(|| bad(file, v, "local-as"))?);
            }
            "peer-as" => {
                let v = one(file, n)?;
                p.peer_as = Some(if v.text == "auto" {
                    None
                } else {
                    Some(parse_asn(&v.text).ok_or_else(|| bad(file, v, "peer-as"))?)
                });
            }
            "hold-time" => {
                let h: u16 = num(file, n, "hold-time")?;
                // RFC 4271 §4.2: zero or at least three seconds.
                if h != 0 && h < 3 {
                    return Err(at(
                        file,
                        n,
                        format!("hold-time must be 0 or at least 3, not {h}"),
                    ));
                }
                p.hold_time = Some(h);
            }
            "passive" => p.passive = Some(flag(file, n)?),
            "listen" => p.listen = Some(num(file, n, "port")?),
            "connect" => p.connect = Some(num(file, n, "port")?),
            "md5-password" => p.md5_password = Some(text(file, n)?),
            "md5-base64" => {
                let v = one(file, n)?;
                p.md5_base64 = Some(if v.text == "auto" {
                    None
                } else {
                    Some(parse_bool(&v.text).ok_or_else(|| bad(file, v, "md5-base64"))?)
                });
            }
            "md5-ip" => {
                let v = one(file, n)?;
                p.md5_ip = Some(v.text.parse().map_err(|_| bad(file, v, "md5-ip"))?);
            }
            "ttl-security" => p.ttl_security = ttl(file, n)?,
            "outgoing-ttl" => p.outgoing_ttl = ttl(file, n)?,
            "incoming-ttl" => p.incoming_ttl = ttl(file, n)?,
            "source-interface" => p.source_interface = Some(text(file, n)?),
            "host-name" => p.host_name = Some(dns_name(file, n)?),
            "domain-name" => p.domain_name = Some(dns_name(file, n)?),
            "group-updates" => p.group_updates = Some(flag(file, n)?),
            "auto-flush" => p.auto_flush = Some(flag(file, n)?),
            // ExaBGP reads a bare `adj-rib-out;` / `adj-rib-in;` as false, unlike other switches.
            "adj-rib-out" => p.adj_rib_out = Some(!n.args().is_empty() && flag(file, n)?),
            "adj-rib-in" => p.adj_rib_in = Some(!n.args().is_empty() && flag(file, n)?),
            "manual-eor" => p.manual_eor = Some(flag(file, n)?),
            "rate-limit" => {
                let v = one(file, n)?;
                p.rate_limit = Some(if v.text == "disable" || v.text == "disabled" {
                    None
                } else {
                    Some(
                        parse_int(&v.text)
                            .and_then(|x| u32::try_from(x).ok())
                            .filter(|x| *x > 0)
                            .ok_or_else(|| {
                                bad(file, v, "rate-limit (a positive number or disable)")
                            })?,
                    )
                });
            }
            "family" => {
                let (fams, all) = families(file, body(file, n)?)?;
                p.all_families |= all;
                for f in fams {
                    if !p.families.contains(&f) {
                        p.families.push(f);
                    }
                }
            }
            "add-path" => {
                for f in families(file, body(file, n)?)?.0 {
                    if !p.add_path_families.contains(&f) {
                        p.add_path_families.push(f);
                    }
                }
            }
            "nexthop" => {
                for e in nexthops(file, body(file, n)?)? {
                    if !p.nexthop_families.contains(&e) {
                        p.nexthop_families.push(e);
                    }
                }
            }
            "capability" => capability(file, body(file, n)?, p)?,
            "api" => {
                let mut api = Api::default();
                parse_api(file, body(file, n)?, &mut api)?;
                p.api.push(api);
            }
            "announce" => announce_section(file, body(file, n)?, p)?,
            "flow" => {
                for (r, at) in super::flow::section(file, body(file, n)?)? {
                    p.push_route(r, at.line, at.col);
                }
            }
            "l2vpn" => {
                for (r, at) in super::l2vpn_mcast_mup::l2vpn_section(file, body(file, n)?)? {
                    p.push_route(r, at.line, at.col);
                }
            }
            "operational" => {
                // Parsed far enough to know the section is not empty.
                if body(file, n)?.iter().any(|c| !c.keyword().is_empty()) {
                    let what = if kw == "l2vpn" { "l2vpn vpls" } else { kw };
                    return Err(at(file, n, format!("unsupported: {what}")));
                }
            }
            "peer-address" => {
                // Implied by the `neighbor` line; accepted for compatibility.
                one(file, n)?;
            }
            _ => {
                return Err(at(
                    file,
                    n,
                    format!("unknown neighbor setting \"{}\"", n.keyword()),
                ))
            }
        }
    }
    Ok(())
}

/// `ipv4 unicast;` ... entries of a `family` or `add-path` block; `all;` gives every family.
fn families(file: &Path, nodes: &[Node]) -> Result<(Vec<Family>, bool), ConfigError> {
    let mut v = Vec::new();
    let mut all = false;
    for n in nodes {
        no_block(file, n)?;
        if n.keyword() == "all" {
            if !v.is_empty() {
                return Err(at(file, n, "all can not be used with any other options"));
            }
            all = true;
            continue;
        }
        if n.keyword() == "minimal" {
            return Err(at(file, n, "family minimal is deprecated"));
        }
        if all {
            return Err(at(file, n, "can not add any family once family all is set"));
        }
        let f = family_words(file, n, n.words.as_slice())?;
        if v.contains(&f) {
            return Err(at(file, n, format!("duplicate afi/safi pair {f}")));
        }
        v.push(f);
    }
    Ok((v, all))
}

/// `<afi> <safi>` as accepted in a `family` block.
fn family_words(file: &Path, n: &Node, words: &[Token]) -> Result<Family, ConfigError> {
    let [a, s] = words else {
        return Err(at(
            file,
            n,
            format!("expected \"<afi> <safi>\", got \"{}\"", join(words)),
        ));
    };
    let afi = Afi::from_name(&a.text.to_ascii_lowercase()).ok_or_else(|| bad(file, a, "afi"))?;
    let safi = Safi::from_name(&s.text.to_ascii_lowercase()).ok_or_else(|| bad(file, s, "safi"))?;
    let f = Family { afi, safi };
    // The pairs ExaBGP's family block accepts (ipv6 multicast only comes with `all`).
    let ok = match afi {
        Afi::IPV4 => matches!(safi.0, 1 | 2 | 4 | 5 | 85 | 128 | 133 | 134),
        Afi::IPV6 => matches!(safi.0, 1 | 4 | 5 | 85 | 128 | 133 | 134),
        Afi::L2VPN => matches!(safi.0, 65 | 70),
        Afi::BGPLS => matches!(safi.0, 71 | 72),
        _ => false,
    };
    if !ok {
        return Err(at(
            file,
            n,
            format!("invalid afi/safi pair {} {}", a.text, s.text),
        ));
    }
    Ok(f)
}

/// `nexthop { ipv4 unicast ipv6; }`.
fn nexthops(file: &Path, nodes: &[Node]) -> Result<Vec<(Family, u16)>, ConfigError> {
    let mut v = Vec::new();
    for n in nodes {
        no_block(file, n)?;
        let Some((nh, fam)) = n.words.split_last() else {
            continue;
        };
        let f = family_words(file, n, fam)?;
        let nh_afi = Afi::from_name(&nh.text.to_ascii_lowercase())
            .filter(|a| *a == Afi::IPV4 || *a == Afi::IPV6)
            .ok_or_else(|| bad(file, nh, "next-hop afi"))?;
        v.push((f, nh_afi.0));
    }
    Ok(v)
}

fn capability(file: &Path, nodes: &[Node], p: &mut Partial) -> Result<(), ConfigError> {
    for n in nodes {
        match n.keyword() {
            "asn4" => p.asn4 = Some(flag(file, n)?),
            "route-refresh" => p.route_refresh = Some(flag(file, n)?),
            "graceful-restart" => {
                no_block(file, n)?;
                p.graceful_restart = Some(match n.args() {
                    [] => GracefulRestart::HoldTime,
                    [v] if parse_bool(&v.text) == Some(false) => GracefulRestart::Disabled,
                    [v] if parse_bool(&v.text) == Some(true) => GracefulRestart::HoldTime,
                    [v] => {
                        // RFC 4724 §3: the restart time is a 12-bit field.
                        let s = parse_int(&v.text)
                            .filter(|s| *s <= 4095)
                            .ok_or_else(|| bad(file, v, "graceful-restart time (0..4095)"))?;
                        GracefulRestart::Seconds(s as u16)
                    }
                    [_, extra, ..] => return Err(bad(file, extra, "graceful-restart argument")),
                });
            }
            "add-path" => {
                let v = one(file, n)?;
                p.add_path = Some(match v.text.as_str() {
                    "disable" | "disabled" | "false" => None,
                    "send" => Some(AddPathMode::Send),
                    "receive" => Some(AddPathMode::Receive),
                    "send/receive" | "receive/send" => Some(AddPathMode::Both),
                    _ => {
                        return Err(bad(
                            file,
                            v,
                            "add-path (send, receive, send/receive, disable)",
                        ))
                    }
                });
            }
            "extended-message" => p.extended_message = Some(flag(file, n)?),
            "multi-session" => p.multi_session = Some(flag(file, n)?),
            "operational" => p.operational = Some(flag(file, n)?),
            "nexthop" => p.nexthop = Some(flag(file, n)?),
            "aigp" => p.aigp = Some(flag(file, n)?),
            "software-version" => p.software_version = Some(flag(file, n)?),
            _ => {
                return Err(at(
                    file,
                    n,
                    format!("unknown capability \"{}\"", n.keyword()),
                ))
            }
        }
    }
    Ok(())
}

fn parse_api(file: &Path, nodes: &[Node], api: &mut Api) -> Result<(), ConfigError> {
    for n in nodes {
        match n.keyword() {
            "processes" | "processes-match" => {
                no_block(file, n)?;
                let mut w = Words::new(n.args(), file);
                let names: Vec<String> = w
                    .list("process name")?
                    .iter()
                    .map(|t| t.text.to_string())
                    .collect();
                if let Some(t) = w.peek() {
                    return Err(error(file, t.line, t.col, format!("unexpected \"{t}\"")));
                }
                if n.keyword() == "processes" {
                    api.processes.extend(names);
                } else {
                    api.processes_match.extend(names);
                }
            }
            "neighbor-changes" => api.neighbor_changes = flag(file, n)?,
            "negotiated" => api.negotiated = flag(file, n)?,
            "fsm" => api.fsm = flag(file, n)?,
            "signal" => api.signal = flag(file, n)?,
            "receive" => selection(file, body(file, n)?, &mut api.receive)?,
            "send" => selection(file, body(file, n)?, &mut api.send)?,
            _ => {
                return Err(at(
                    file,
                    n,
                    format!("unknown api setting \"{}\"", n.keyword()),
                ))
            }
        }
    }
    if !api.processes.is_empty() && !api.processes_match.is_empty() {
        if let Some(n) = nodes.first() {
            return Err(at(file, n, "processes and processes-match are exclusive"));
        }
    }
    Ok(())
}

fn selection(file: &Path, nodes: &[Node], s: &mut MessageSelection) -> Result<(), ConfigError> {
    for n in nodes {
        let v = flag(file, n)?;
        let slot = match n.keyword() {
            "parsed" => &mut s.parsed,
            "packets" => &mut s.packets,
            "consolidate" => &mut s.consolidate,
            "open" => &mut s.open,
            "update" => &mut s.update,
            "notification" => &mut s.notification,
            "keepalive" => &mut s.keepalive,
            "refresh" => &mut s.refresh,
            "operational" => &mut s.operational,
            _ => {
                return Err(at(
                    file,
                    n,
                    format!("unknown message kind \"{}\"", n.keyword()),
                ))
            }
        };
        *slot = v;
    }
    Ok(())
}

/// `static { route ...; route P { ... } attributes ... nlri ...; }`. One-line statements
/// come already parsed when the tree was built by `Builder::parsing_routes`.
fn static_section(file: &Path, nodes: Vec<Node>, p: &mut Partial) -> Result<(), ConfigError> {
    // The attribute set of the previous statement: consecutive routes written with the same
    // attributes share it instead of each holding a copy.
    let mut last: Option<Arc<Attributes>> = None;
    for node in nodes {
        if let Some(run) = node.routes {
            let RouteRun {
                routes,
                firsts,
                error,
            } = *run;
            p.append_routes(routes, &firsts);
            match error {
                Some(e) => return Err(e),
                None => continue,
            }
        }
        let n = &node;
        let mut routes = match n.keyword() {
            "route" => match &n.block {
                None if n.args().is_empty() => return Err(at(file, n, "route needs a prefix")),
                None => parse_route_words(n.args(), None, file)?,
                Some(children) => {
                    let mut words: Vec<Token> = n.args().to_vec();
                    for c in children {
                        no_block(file, c)?;
                        words.extend(c.words.iter().cloned());
                    }
                    if words.is_empty() {
                        return Err(at(file, n, "route needs a prefix"));
                    }
                    parse_route_words(&words, None, file)?
                }
            },
            "attributes" | "attribute" => {
                no_block(file, n)?;
                parse_attributes_nlri(n.args(), None, file)?
            }
            _ => {
                return Err(at(
                    file,
                    n,
                    format!("unknown static entry \"{}\"", n.keyword()),
                ))
            }
        };
        for r in &mut routes {
            match &last {
                Some(prev) if Arc::ptr_eq(prev, &r.attributes) => {}
                Some(prev) if **prev == *r.attributes => r.attributes = prev.clone(),
                _ => last = Some(r.attributes.clone()),
            }
        }
        for r in routes {
            p.push_route(r, n.line, n.col);
        }
    }
    Ok(())
}

/// `announce { ipv4 { unicast P attrs; multicast ...; } ipv6 { ... } l2vpn { ... } }`.
fn announce_section(file: &Path, nodes: &[Node], p: &mut Partial) -> Result<(), ConfigError> {
    for n in nodes {
        let afi = match n.keyword() {
            "ipv4" => Afi::IPV4,
            "ipv6" => Afi::IPV6,
            "l2vpn" => {
                l2vpn_routes(file, body(file, n)?, p)?;
                continue;
            }
            _ => {
                return Err(at(
                    file,
                    n,
                    format!("unknown announce section \"{}\"", n.keyword()),
                ))
            }
        };
        for r in body(file, n)? {
            no_block(file, r)?;
            let Some(st) = r.words.first() else { continue };
            let safi = Safi::from_name(&st.text).ok_or_else(|| bad(file, st, "safi"))?;
            let family = Family { afi, safi };
            let misc = super::l2vpn_mcast_mup::family_route(family, r.args(), file, true)
                .or_else(|| super::flow::family_route(family, r.args(), file, true));
            if let Some(routes) = misc {
                for x in routes? {
                    p.push_route(x, r.line, r.col);
                }
                continue;
            }
            if !matches!(
                safi,
                Safi::UNICAST | Safi::MULTICAST | Safi::NLRI_MPLS | Safi::MPLS_VPN
            ) {
                return Err(unsupported(file, st, &family.to_string()));
            }
            for x in parse_route_words(r.args(), Some(family), file)? {
                p.push_route(x, r.line, r.col);
            }
        }
    }
    Ok(())
}

/// `announce { l2vpn { vpls <words>; } }`.
fn l2vpn_routes(file: &Path, nodes: &[Node], p: &mut Partial) -> Result<(), ConfigError> {
    for r in nodes {
        no_block(file, r)?;
        let Some(kw) = r.words.first() else { continue };
        if !kw.is("vpls") {
            return Err(bad(file, kw, "l2vpn announcement"));
        }
        let route = super::l2vpn_mcast_mup::parse_vpls(r.args(), file, true)?;
        p.push_route(route, r.line, r.col);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lexer::tokenize;
    use crate::config::tree::build;

    fn partial(s: &str) -> Result<Partial, ConfigError> {
        let nodes = build(tokenize(s).unwrap()).unwrap();
        let mut p = Partial::default();
        let mut inh = Vec::new();
        parse_body(Path::new("t"), nodes, &mut p, &mut inh)?;
        Ok(p)
    }

    #[test]
    fn settings_and_blocks() {
        let p = partial(
            "description \"a b\"; hold-time 30; passive; group-updates false; rate-limit disable;
             family { ipv6 unicast; ipv4 flow; } capability { graceful-restart; add-path send/receive; route-refresh; }
             nexthop { ipv4 unicast ipv6; } add-path { ipv4 unicast; }",
        )
        .unwrap();
        assert_eq!(p.description.as_deref(), Some("a b"));
        assert_eq!(
            (p.hold_time, p.passive, p.group_updates),
            (Some(30), Some(true), Some(false))
        );
        assert_eq!(p.rate_limit, Some(None));
        assert_eq!(p.families, vec![Family::IPV6_UNICAST, Family::new(1, 133)]);
        assert_eq!(p.graceful_restart, Some(GracefulRestart::HoldTime));
        assert_eq!(p.add_path, Some(Some(AddPathMode::Both)));
        assert_eq!(p.nexthop_families, vec![(Family::IPV4_UNICAST, 2)]);
        assert_eq!(p.add_path_families, vec![Family::IPV4_UNICAST]);
    }

    #[test]
    fn api_blocks() {
        let p = partial("api a { processes [ x y ]; neighbor-changes; receive { parsed; update; } } api { processes [ z ]; send { packets; } }").unwrap();
        assert_eq!(p.api.len(), 2);
        assert_eq!(p.api[0].processes, vec!["x", "y"]);
        assert!(p.api[0].neighbor_changes && p.api[0].receive.parsed && p.api[0].receive.update);
        assert!(!p.api[0].send.packets && p.api[1].send.packets);
        assert_eq!(p.api[1].processes, vec!["z"]);
    }

    #[test]
    fn routes_in_file_order() {
        let p = partial("static { route 2.0.0.0/8 { next-hop 1.1.1.1; med 5; } route 3.0.0.0/8 next-hop 1.2.3.4; }
                         announce { ipv4 { multicast 4.0.0.0/8 next-hop 1.1.1.1; } }").unwrap();
        let v: Vec<String> = p
            .routes
            .iter()
            .map(|r| format!("{:?}", r.nlri.family()))
            .collect();
        assert_eq!(p.routes.len(), 3);
        assert_eq!(p.routes.iter().next().unwrap().attributes.med, Some(5));
        assert!(v[2].contains("Safi(2)"));
    }

    #[test]
    fn errors() {
        assert!(partial("hold-time 2;")
            .unwrap_err()
            .message
            .contains("at least 3"));
        assert!(partial("bogus 1;")
            .unwrap_err()
            .message
            .contains("unknown neighbor setting"));
        assert!(partial("family { ipv4 bogus; }").is_err());
        assert!(partial("family { ipv4 unicast; ipv4 unicast; }")
            .unwrap_err()
            .message
            .contains("duplicate"));
        assert!(partial("family { minimal; }").is_err());
        assert_eq!(
            partial("flow { route x { match { source 1.0.0.0/8; } then { discard; } } }")
                .unwrap()
                .routes
                .len(),
            1
        );
        assert!(partial("flow { route x { then { discard; } } }").is_err());
        assert!(
            partial("announce { ipv4 { mpls-vpn 1.0.0.0/8 next-hop 1.1.1.1; } }")
                .unwrap_err()
                .message
                .contains("needs a route-distinguisher")
        );
        assert_eq!(partial("local-as 1 2;").unwrap_err().location.col, 12);
        assert!(partial("host-name -bad;").is_err());
        assert_eq!(
            partial("host-name my-host.example;")
                .unwrap()
                .host_name
                .as_deref(),
            Some("my-host.example")
        );
        assert!(partial("outgoing-ttl 256;").is_err());
        assert_eq!(partial("outgoing-ttl 1;").unwrap().outgoing_ttl, Some(1));
        assert_eq!(partial("adj-rib-out;").unwrap().adj_rib_out, Some(false));
        assert_eq!(partial("adj-rib-in true;").unwrap().adj_rib_in, Some(true));
        assert!(partial("rate-limit 0;").is_err());
    }
}
