//! Flow routes (RFC 8955/8956): the `flow { route NAME { rd; next-hop; match {..}
//! then {..} scope {..} } }` section of a neighbor, and the API's `announce flow route ...`
//! in its block and one-line forms.
//!
//! Every keyword takes one word or one `[ ]` list, so a route's statements are read as one
//! word stream whatever their nesting: this is what lets the API accept `scope` before or
//! after `then`, and the one-line form without any block, as ExaBGP does.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

use super::lexer::Token;
use super::route::{parse_attribute, RouteExtras};
use super::tree::Node;
use super::words::{error, Words};
use super::{ConfigError, Location, Route};
use crate::bgp::attribute::{NextHop, RawAttribute};
use crate::bgp::nlri::flow::{family_for, kind, op, shape, value_of, Flow, Item, Shape};
use crate::bgp::{Afi, Attributes, Family, Nlri, Prefix, Safi};

/// IPv6 Address Specific Extended Community (RFC 5701), where the IETF redirect to an IPv6
/// next hop goes.
const IPV6_EXTENDED_COMMUNITY: u8 = 25;

/// The routes of a neighbor's `flow { ... }` section.
pub fn section(file: &Path, nodes: &[Node]) -> Result<Vec<(Route, Location)>, ConfigError> {
    let mut out = Vec::new();
    for n in nodes {
        if n.keyword() != "route" {
            return Err(error(
                file,
                n.line,
                n.col,
                format!("unknown flow entry \"{}\"", n.keyword()),
            ));
        }
        let mut words = Vec::new();
        flatten(n.block.as_deref().unwrap_or(&[]), &mut words);
        let name = n.args().first().map(|t| t.text.to_string());
        let mut route = parse_words(&words, file, true, None).map_err(|mut e| {
            if e.location.line == 0 {
                e.location.line = n.line;
                e.location.col = n.col;
            }
            e
        })?;
        route.set_name(name);
        let location = Location {
            file: file.to_path_buf(),
            line: n.line,
            col: n.col,
        };
        out.push((route, location));
    }
    Ok(out)
}

/// Every word of the statements under a route, nested `match`/`then`/`scope` blocks
/// included, in order.
fn flatten(nodes: &[Node], out: &mut Vec<Token>) {
    for n in nodes {
        match &n.block {
            Some(children) => flatten(children, out),
            None => out.extend(n.words.iter().cloned()),
        }
    }
}

/// The API form: the words after `announce flow route` (braces and semicolons of the block
/// form are dropped, with the `match`/`then`/`scope` words that open blocks).
pub fn parse_api(words: &[Token], announce: bool) -> Result<Route, ConfigError> {
    let mut flat: Vec<Token> = Vec::with_capacity(words.len());
    let mut i = 0;
    while let Some(t) = words.get(i) {
        let opens = words.get(i + 1).is_some_and(|n| n.is("{"));
        let block_word = matches!(t.text.as_str(), "match" | "then" | "scope") && opens;
        if !(t.is("{") || t.is("}") || t.is(";") || block_word) {
            flat.push(t.clone());
        }
        i += 1;
    }
    parse_words(&flat, Path::new("<api>"), announce, None)
}

/// `announce ipv4 flow <words>` (API) and `announce { ipv4 { flow <words>; } }` (config):
/// the family is given, though an IPv6 prefix still makes the rule IPv6, as in ExaBGP.
/// None when `family` is not a flow family.
pub fn family_route(
    family: Family,
    words: &[Token],
    file: &Path,
    announce: bool,
) -> Option<Result<Vec<Route>, ConfigError>> {
    if !matches!(family.safi, Safi::FLOW | Safi::FLOW_VPN) {
        return None;
    }
    Some(parse_words(words, file, announce, Some(family)).map(|r| vec![r]))
}

/// Build one flow route from its keywords; `given` is the family named by the command.
fn parse_words(
    words: &[Token],
    file: &Path,
    _announce: bool,
    given: Option<Family>,
) -> Result<Route, ConfigError> {
    let mut w = Words::new(words, file);
    let mut flow = Flow::new(Family::new(1, 133));
    let mut attrs = Attributes::default();
    let mut extras = RouteExtras::default();
    let mut vpn = false;
    while let Some(key) = w.peek() {
        let kw = key.text.to_ascii_lowercase();
        match kw.as_str() {
            "source" | "source-ipv4" | "source-ipv6" => {
                w.next("source")?;
                let t = w.next("source prefix")?;
                add_prefix(&w, t, &mut flow, kind::SOURCE)?;
            }
            "destination" | "destination-ipv4" | "destination-ipv6" => {
                w.next("destination")?;
                let t = w.next("destination prefix")?;
                add_prefix(&w, t, &mut flow, kind::DESTINATION)?;
            }
            "protocol" | "next-header" => condition(&mut w, &mut flow, kind::PROTOCOL)?,
            "port" => condition(&mut w, &mut flow, kind::PORT)?,
            "destination-port" => condition(&mut w, &mut flow, kind::DESTINATION_PORT)?,
            "source-port" => condition(&mut w, &mut flow, kind::SOURCE_PORT)?,
            "icmp-type" => condition(&mut w, &mut flow, kind::ICMP_TYPE)?,
            "icmp-code" => condition(&mut w, &mut flow, kind::ICMP_CODE)?,
            "tcp-flags" => condition(&mut w, &mut flow, kind::TCP_FLAGS)?,
            "packet-length" => condition(&mut w, &mut flow, kind::PACKET_LENGTH)?,
            "dscp" | "traffic-class" => condition(&mut w, &mut flow, kind::DSCP)?,
            "fragment" => condition(&mut w, &mut flow, kind::FRAGMENT)?,
            "flow-label" => condition(&mut w, &mut flow, kind::FLOW_LABEL)?,
            "rd" | "route-distinguisher" => {
                w.next("rd")?;
                let t = w.next("route distinguisher")?;
                flow.rd =
                    Some(route_distinguisher(&t.text).ok_or_else(|| {
                        w.error_at(t, format!("invalid route distinguisher {t}"))
                    })?);
                vpn = true;
            }
            "next-hop" => {
                w.next("next-hop")?;
                let t = w.next("next-hop value")?;
                attrs.next_hop = Some(if t.text.eq_ignore_ascii_case("self") {
                    NextHop::SelfAddr
                } else {
                    NextHop::Addr(ip(&w, t)?)
                });
            }
            "accept" => {
                w.next("accept")?;
            }
            "discard" => {
                w.next("discard")?;
                ext(&mut attrs, rate(0x06, 0, 0.0));
            }
            "rate-limit" => {
                w.next("rate-limit")?;
                let t = w.next("rate-limit value")?;
                let speed: u64 = t
                    .text
                    .parse()
                    .map_err(|_| w.error_at(t, format!("invalid rate-limit {t}")))?;
                let packets = w.peek().is_some_and(|u| u.is("packets"));
                if packets || w.peek().is_some_and(|u| u.is("bytes")) {
                    w.next("unit")?;
                }
                // ExaBGP caps the byte rate at one terabyte per second.
                let speed = if packets {
                    speed
                } else {
                    speed.min(1_000_000_000_000)
                };
                let sub = if packets { 0x0c } else { 0x06 };
                ext(&mut attrs, rate(sub, 0, speed as f32));
            }
            "redirect" => {
                w.next("redirect")?;
                let t = w.next("redirect value")?;
                redirect(&w, t, &mut attrs)?;
            }
            "redirect-to-nexthop" => {
                w.next("redirect-to-nexthop")?;
                ext(&mut attrs, simpson(false));
            }
            "redirect-to-nexthop-ietf" => {
                w.next("redirect-to-nexthop-ietf")?;
                let t = w.next("redirect-to-nexthop-ietf address")?;
                match ip(&w, t)? {
                    IpAddr::V4(a) => {
                        let o = a.octets();
                        ext(&mut attrs, [0x01, 0x0c, o[0], o[1], o[2], o[3], 0, 0]);
                    }
                    IpAddr::V6(a) => {
                        let mut value = vec![0x00, 0x0c];
                        value.extend_from_slice(&a.octets());
                        value.extend_from_slice(&[0, 0]);
                        ipv6_ext(&mut attrs, value);
                    }
                }
            }
            "copy" => {
                w.next("copy")?;
                let t = w.next("copy address")?;
                attrs.next_hop = Some(NextHop::Addr(ip(&w, t)?));
                ext(&mut attrs, simpson(true));
            }
            "mark" => {
                w.next("mark")?;
                let t = w.next("mark value")?;
                let dscp = t
                    .text
                    .parse::<u8>()
                    .ok()
                    .filter(|d| *d <= 0x3f && t.text.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| w.error_at(t, format!("invalid dscp {t} for mark")))?;
                ext(&mut attrs, [0x80, 0x09, 0, 0, 0, 0, 0, dscp]);
            }
            "action" => {
                w.next("action")?;
                let t = w.next("action value")?;
                let sample = t.text.contains("sample");
                let terminal = t.text.contains("terminal");
                if !sample && !terminal {
                    return Err(w.error_at(t, format!("invalid flow action {t}")));
                }
                let bits = (u8::from(sample) << 1) | u8::from(terminal);
                ext(&mut attrs, [0x80, 0x07, 0, 0, 0, 0, 0, bits]);
            }
            "interface-set" => {
                w.next("interface-set")?;
                for t in w.list("interface-set")? {
                    let c = interface_set(&t.text).map_err(|m| w.error_at(t, m))?;
                    ext(&mut attrs, c);
                }
            }
            "community" | "large-community" | "extended-community" => {
                parse_attribute(&mut w, &mut attrs, &mut extras, flow.family)?;
            }
            _ => return Err(w.error_at(key, format!("unknown flow keyword \"{key}\""))),
        }
    }
    if flow.is_empty() {
        return Err(
            w.error_end("a flow route needs at least one match, or it matches every packet")
        );
    }
    flow.family = family_for(
        &flow,
        vpn || given.is_some_and(|f| f.safi == Safi::FLOW_VPN),
    );
    if given.is_some_and(|f| f.afi == Afi::IPV6) {
        flow.family.afi = Afi::IPV6;
    }
    Ok(Route::new(
        Nlri::Flow(Box::new(flow)),
        std::sync::Arc::new(attrs),
    ))
}

fn ext(attrs: &mut Attributes, c: [u8; 8]) {
    attrs.extended_communities.push(c);
}

/// Add a 20-octet IPv6 extended community to attribute 25.
fn ipv6_ext(attrs: &mut Attributes, value: Vec<u8>) {
    if let Some(r) = attrs
        .raw
        .iter_mut()
        .find(|r| r.code == IPV6_EXTENDED_COMMUNITY)
    {
        r.value.extend_from_slice(&value);
        return;
    }
    attrs.raw.push(RawAttribute {
        flags: 0xc0,
        code: IPV6_EXTENDED_COMMUNITY,
        value,
    });
}

/// Traffic-rate (subtype 0x06, bytes; 0x0c, packets): ASN then an IEEE float (RFC 8955 §7.3).
fn rate(sub: u8, asn: u16, speed: f32) -> [u8; 8] {
    let a = asn.to_be_bytes();
    let s = speed.to_be_bytes();
    [0x80, sub, a[0], a[1], s[0], s[1], s[2], s[3]]
}

/// draft-simpson redirect to the next hop of the UPDATE (type 0x08), with its copy bit.
fn simpson(copy: bool) -> [u8; 8] {
    [0x08, 0, 0, 0, 0, 0, 0, u8::from(copy)]
}

fn ip(w: &Words<'_>, t: &Token) -> Result<IpAddr, ConfigError> {
    t.text
        .parse()
        .map_err(|_| w.error_at(t, format!("invalid ip address {t}")))
}

/// `redirect 1.2.3.4`, `redirect 2001::1`, `redirect [2001::1]`: the next hop, marked by a
/// redirect-to-nexthop community; `redirect [2001::1]:N`: IPv6 redirect community;
/// `redirect ASN:N`: traffic-redirect, 4-byte ASN form for ASNs above 65535.
fn redirect(w: &Words<'_>, t: &Token, attrs: &mut Attributes) -> Result<(), ConfigError> {
    let s = t.text.as_str();
    let colons = s.matches(':').count();
    let bad = |m: &str| w.error_at(t, format!("invalid redirect {s}: {m}"));
    if colons == 0 || (colons > 1 && !s.contains('[') && !s.contains(']')) {
        attrs.next_hop = Some(NextHop::Addr(ip(w, t)?));
        ext(attrs, simpson(false));
        return Ok(());
    }
    if let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        let a: IpAddr = inner.parse().map_err(|_| bad("not an address"))?;
        attrs.next_hop = Some(NextHop::Addr(a));
        ext(attrs, simpson(false));
        return Ok(());
    }
    if colons > 1 {
        let (a, nn) = s
            .strip_prefix('[')
            .and_then(|x| x.split_once("]:"))
            .ok_or_else(|| bad("enclose an IPv6 address in []"))?;
        let a: Ipv6Addr = a.parse().map_err(|_| bad("not an IPv6 address"))?;
        let nn: u16 = nn
            .parse()
            .map_err(|_| bad("the local administrator is a 16 bit number"))?;
        let mut value = vec![0x00, 0x02];
        value.extend_from_slice(&a.octets());
        value.extend_from_slice(&nn.to_be_bytes());
        attrs.next_hop = Some(NextHop::Addr(IpAddr::V6(a)));
        ipv6_ext(attrs, value);
        return Ok(());
    }
    let (asn, nn) = s.split_once(':').ok_or_else(|| bad("expected ASN:NN"))?;
    if asn.contains('.') {
        return Err(bad("the IP:NN form is deprecated"));
    }
    let asn: u32 = asn.parse().map_err(|_| bad("the ASN is a 32 bit number"))?;
    let nn: u64 = nn.parse().map_err(|_| bad("invalid local administrator"))?;
    if let Ok(a2) = u16::try_from(asn) {
        let nn = u32::try_from(nn).map_err(|_| bad("the local administrator is 32 bits"))?;
        let a = a2.to_be_bytes();
        let n = nn.to_be_bytes();
        ext(attrs, [0x80, 0x08, a[0], a[1], n[0], n[1], n[2], n[3]]);
    } else {
        let nn = u16::try_from(nn).map_err(|_| bad("with a 4-byte ASN the value is 16 bits"))?;
        let a = asn.to_be_bytes();
        let n = nn.to_be_bytes();
        ext(attrs, [0x82, 0x08, a[0], a[1], a[2], a[3], n[0], n[1]]);
    }
    Ok(())
}

/// `transitive:input:ASN:GROUP` (RFC 8955 flowspec interface-set, type 0x07/0x47 subtype 2).
fn interface_set(s: &str) -> Result<[u8; 8], String> {
    let parts: Vec<&str> = s.split(':').collect();
    let [trans, dir, asn, group] = parts.as_slice() else {
        return Err(format!("not a valid interface-set {s}"));
    };
    let kind = match *trans {
        "transitive" => 0x07,
        "non-transitive" => 0x47,
        _ => {
            return Err(format!(
                "bad transitivity {trans} (transitive or non-transitive)"
            ))
        }
    };
    let dir: u16 = match *dir {
        "input" => 1,
        "output" => 2,
        "input-output" => 3,
        _ => {
            return Err(format!(
                "bad direction {dir} (input, output or input-output)"
            ))
        }
    };
    let asn: u32 = asn
        .parse()
        .map_err(|_| format!("a 32 bits number must be used, invalid value {asn}"))?;
    let group: u16 = group
        .parse()
        .ok()
        .filter(|g| *g < 1 << 14)
        .ok_or_else(|| format!("group-id is a 14 bits number, invalid value {group}"))?;
    let a = asn.to_be_bytes();
    let g = ((dir << 14) | group).to_be_bytes();
    Ok([kind, 0x02, a[0], a[1], a[2], a[3], g[0], g[1]])
}

/// `ASN:N` (type 0, or type 2 for a 4-byte ASN) or `IP:N` (type 1) (RFC 4364 §4.2).
pub fn route_distinguisher(s: &str) -> Option<[u8; 8]> {
    let (a, n) = s.split_once(':')?;
    let mut rd = [0u8; 8];
    if let Ok(ip) = a.parse::<Ipv4Addr>() {
        let n: u16 = n.parse().ok()?;
        rd[1] = 1;
        rd[2..6].copy_from_slice(&ip.octets());
        rd[6..8].copy_from_slice(&n.to_be_bytes());
        return Some(rd);
    }
    let asn: u32 = a.parse().ok()?;
    let n: u64 = n.parse().ok()?;
    if let Ok(a2) = u16::try_from(asn) {
        rd[2..4].copy_from_slice(&a2.to_be_bytes());
        rd[4..8].copy_from_slice(&u32::try_from(n).ok()?.to_be_bytes());
    } else {
        rd[1] = 2;
        rd[2..6].copy_from_slice(&asn.to_be_bytes());
        rd[6..8].copy_from_slice(&u16::try_from(n).ok()?.to_be_bytes());
    }
    Some(rd)
}

/// Add a source or destination prefix; IPv4 and IPv6 prefixes can not be mixed in a rule.
fn add_prefix(w: &Words<'_>, t: &Token, flow: &mut Flow, k: u8) -> Result<(), ConfigError> {
    let item = prefix(w, t)?;
    let v4 = |i: &Item| matches!(i, Item::Prefix { prefix, .. } if prefix.is_v4());
    let mixed = flow.components.iter().any(|(c, items)| {
        matches!(*c, kind::SOURCE | kind::DESTINATION) && items.iter().any(|i| v4(i) != v4(&item))
    });
    if mixed {
        return Err(w.error_at(t, "a flow rule can not mix IPv4 and IPv6 prefixes"));
    }
    flow.add(k, item);
    Ok(())
}

/// `10.0.0.0/24`, `2001:db8::/32` or `::1/128/120` (IPv6 with an RFC 8956 offset).
fn prefix(w: &Words<'_>, t: &Token) -> Result<Item, ConfigError> {
    let bad = || {
        w.error_at(
            t,
            format!("'{t}' is not a valid flow prefix (IPv4/mask, IPv6/mask or IPv6/mask/offset)"),
        )
    };
    let mut parts = t.text.split('/');
    let addr: IpAddr = parts.next().and_then(|a| a.parse().ok()).ok_or_else(bad)?;
    let len: u8 = parts.next().and_then(|l| l.parse().ok()).ok_or_else(bad)?;
    let offset: u8 = match parts.next() {
        Some(o) if addr.is_ipv6() => o.parse().ok().ok_or_else(bad)?,
        Some(_) => return Err(bad()),
        None => 0,
    };
    if parts.next().is_some() {
        return Err(bad());
    }
    if (len == 0 && offset != 0) || (len != 0 && offset >= len) {
        return Err(w.error_at(
            t,
            format!("offset {offset} must be zero for /0 or below the netmask"),
        ));
    }
    let prefix = Prefix::new(addr, len)
        .ok_or_else(|| w.error_at(t, format!("netmask {len} is out of range")))?;
    Ok(Item::Prefix { prefix, offset })
}

/// A value condition: one word (`>8080&<8088`) or a `[ ]` list of them. `&` joins the next
/// test to the previous one within a word.
fn condition(w: &mut Words<'_>, flow: &mut Flow, k: u8) -> Result<(), ConfigError> {
    let key = w.next("flow match")?;
    let binary = matches!(shape(flow.family.afi, k), Some(Shape::Binary { .. }));
    let max = match shape(crate::bgp::Afi::IPV6, k) {
        Some(Shape::Numeric { max } | Shape::Binary { max }) => max,
        _ => 2,
    };
    let limit: u64 = match k {
        kind::DSCP if key.text == "dscp" => 0x3f,
        kind::FLOW_LABEL => 0xf_ffff,
        _ => (1u64 << (8 * u32::from(max))) - 1,
    };
    let list = w.list(&key.text)?;
    if list.is_empty() {
        return Err(w.error_at(key, format!("{key} needs a value")));
    }
    for t in list {
        let mut rest = t.text.as_str();
        let mut and = 0;
        loop {
            let (bits, after) = if binary {
                binary_operator(rest)
            } else {
                numeric_operator(rest)
            }
            .ok_or_else(|| w.error_at(t, format!("invalid expression {t}")))?;
            let (word, tail) = after.split_once('&').unwrap_or((after, ""));
            let value = if !binary && (bits & 0x07 == 0x07 || bits & 0x07 == 0) && word.is_empty() {
                0
            } else {
                value_of(k, word)
                    .filter(|v| *v <= limit)
                    .ok_or_else(|| w.error_at(t, format!("invalid {key} value {word}")))?
            };
            flow.add(
                k,
                Item::Op {
                    op: bits | and,
                    value,
                },
            );
            if !after.contains('&') {
                break;
            }
            if tail.is_empty() {
                return Err(w.error_at(t, "can not finish an expression on an &"));
            }
            and = op::AND;
            rest = tail;
        }
    }
    Ok(())
}

fn numeric_operator(s: &str) -> Option<(u8, &str)> {
    let lower = s.to_ascii_lowercase();
    if let Some(r) = s.strip_prefix("!=") {
        return Some((op::LT | op::GT, r));
    }
    if s.starts_with('!') {
        return None;
    }
    if let Some(r) = s.strip_prefix(">=") {
        return Some((op::GT | op::EQ, r));
    }
    if let Some(r) = s.strip_prefix("<=") {
        return Some((op::LT | op::EQ, r));
    }
    if let Some(r) = s.strip_prefix('>') {
        return Some((op::GT, r));
    }
    if let Some(r) = s.strip_prefix('<') {
        return Some((op::LT, r));
    }
    if let Some(r) = s.strip_prefix('=') {
        return Some((op::EQ, r));
    }
    if lower.starts_with("true") {
        return Some((op::LT | op::GT | op::EQ, s.get(4..)?));
    }
    if lower.starts_with("false") {
        return Some((0, s.get(5..)?));
    }
    if s.is_empty() {
        return None;
    }
    Some((op::EQ, s))
}

fn binary_operator(s: &str) -> Option<(u8, &str)> {
    if s.is_empty() {
        return None;
    }
    if let Some(r) = s.strip_prefix("!=") {
        return Some((op::NOT | op::MATCH, r));
    }
    if let Some(r) = s.strip_prefix('!') {
        return Some((op::NOT, r));
    }
    if let Some(r) = s.strip_prefix('=') {
        return Some((op::MATCH, r));
    }
    Some((0, s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lexer::tokenize;

    fn api(s: &str) -> Route {
        parse_api(&tokenize(s).unwrap(), true).unwrap()
    }

    fn nlri_hex(r: &Route) -> String {
        let mut v = Vec::new();
        r.nlri.encode(&mut v, false);
        v.iter().map(|b| format!("{b:02X}")).collect()
    }

    #[test]
    fn api_block_and_one_line_forms() {
        let r = api("{ match { source 0.0.0.0/32; destination 0.0.0.0/32; destination-port =3128; protocol tcp; } then { rate-limit 0; } }");
        assert_eq!(nlri_hex(&r), "1301200000000002200000000003810605910C38");
        assert_eq!(
            r.attributes.extended_communities,
            vec![[0x80, 0x06, 0, 0, 0, 0, 0, 0]]
        );
        let r =
            api("destination 133.130.1.219/32 discard interface-set [ transitive:input:1234:10]");
        assert_eq!(nlri_hex(&r), "060120858201DB");
        let mut ec = r.attributes.extended_communities.clone();
        ec.sort();
        assert_eq!(
            ec,
            vec![
                [0x07, 0x02, 0, 0, 0x04, 0xd2, 0x40, 0x0a],
                [0x80, 0x06, 0, 0, 0, 0, 0, 0]
            ]
        );
        let r = api("{ match { source 4.4.4.4/32; } then { discard; } scope { interface-set [ non-transitive:input:3405770241:1 transitive:output:254:254 ]; } }");
        assert_eq!(r.attributes.extended_communities.len(), 3);
        assert!(parse_api(&tokenize("{ then { discard; } }").unwrap(), true).is_err());
        let mixed = tokenize("source 10.0.0.0/8 destination 2001:db8::/32 discard").unwrap();
        assert!(parse_api(&mixed, true).is_err());
    }

    #[test]
    fn family_forms_name_the_family() {
        let t = tokenize("source 10.0.0.0/24 discard").unwrap();
        let r = family_route(Family::new(1, 134), &t, Path::new("api"), true)
            .unwrap()
            .unwrap();
        assert_eq!(r[0].nlri.family(), Family::new(1, 134));
        let t = tokenize("source 2001:db8::/32 discard").unwrap();
        let r = family_route(Family::new(1, 133), &t, Path::new("api"), true)
            .unwrap()
            .unwrap();
        assert_eq!(r[0].nlri.family(), Family::new(2, 133));
        assert!(family_route(Family::IPV4_UNICAST, &t, Path::new("api"), true).is_none());
    }

    #[test]
    fn config_actions_encode_as_exabgp() {
        let r = api("source 10.0.0.0/24 rate-limit 9600");
        assert_eq!(
            r.attributes.extended_communities,
            vec![[0x80, 0x06, 0, 0, 0x46, 0x16, 0, 0]]
        );
        let r = api("source 10.0.0.0/24 redirect 65500:12345 mark 10 action sample-terminal");
        assert_eq!(
            r.attributes.extended_communities,
            vec![
                [0x80, 0x08, 0xff, 0xdc, 0, 0, 0x30, 0x39],
                [0x80, 0x09, 0, 0, 0, 0, 0, 10],
                [0x80, 0x07, 0, 0, 0, 0, 0, 3]
            ]
        );
        let r = api("source 10.0.0.0/24 redirect 258:33756718 redirect 4200000000:7");
        assert_eq!(
            r.attributes.extended_communities[0],
            [0x80, 0x08, 0x01, 0x02, 0x02, 0x03, 0x16, 0x2e]
        );
        assert_eq!(
            r.attributes.extended_communities[1],
            [0x82, 0x08, 0xfa, 0x56, 0xea, 0x00, 0, 7]
        );
        let r = api("source 10.0.0.2/32 copy 1.2.3.4");
        assert_eq!(
            r.attributes.next_hop,
            Some(NextHop::Addr("1.2.3.4".parse().unwrap()))
        );
        assert_eq!(r.attributes.extended_communities, vec![simpson(true)]);
        let r = api("source 10.0.0.1/32 redirect-to-nexthop-ietf 2A02:B80:0:1::1");
        assert_eq!(r.attributes.raw[0].code, 25);
        assert_eq!(r.attributes.raw[0].value.len(), 20);
        let r = api("source 10.0.0.1/32 redirect-to-nexthop-ietf 1.2.3.4");
        assert_eq!(
            r.attributes.extended_communities,
            vec![[0x01, 0x0c, 1, 2, 3, 4, 0, 0]]
        );
    }

    #[test]
    fn config_section_with_rd_and_ipv6() {
        let text = "route a-vpn-route { rd 65535:65536; next-hop 5.6.7.8; match { source 10.0.0.3/32; } then { redirect-to-nexthop; } }
                    route ipv6 { match { source ::1/128/120; destination 2a02:b80:15::7aca:39ff:feae:a87a/128/0; next-header udp; traffic-class 101; flow-label 2013; } then { discard; } }
                    route tcp { match { tcp-flags [SYN RST&FIN&!=push]; fragment [ last-fragment ]; packet-length [ >200&<300 >400&<500 ]; } then { accept; } }";
        let nodes = crate::config::tree::build(tokenize(text).unwrap()).unwrap();
        let routes = section(Path::new("t.conf"), &nodes).unwrap();
        assert_eq!(routes.len(), 3);
        let (vpn, _) = &routes[0];
        assert_eq!(vpn.nlri.family(), Family::new(1, 134));
        assert_eq!(nlri_hex(vpn), "0E0000FFFF0001000002200A000003");
        assert_eq!(vpn.name(), Some("a-vpn-route"));
        let (v6, _) = &routes[1];
        assert_eq!(v6.nlri.family(), Family::new(2, 133));
        assert_eq!(
            nlri_hex(v6),
            "210180002A020B80001500007ACA39FFFEAEA87A028078010381110B81650D9107DD"
        );
        assert_eq!(
            nlri_hex(&routes[2].0),
            "18090002000440 01C3080A02C854012C120190D401F40C8008".replace(' ', "")
        );
    }
}
