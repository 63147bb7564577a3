//! The route grammar shared by `static`, `announce` and the helper API: a prefix followed by
//! attributes (`next-hop`, `as-path`, `community`, `split`, ...), or `attributes ... nlri ...`.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use super::community;
use super::lexer::Token;
use super::mpls;
use super::words::{error, parse_asn, parse_int, Words};
use super::{ConfigError, Route, RouteExtra};
use crate::bgp::attribute::{
    Aggregator, AsPath, NextHop, Origin, RawAttribute, Segment, SegmentKind,
};
use crate::bgp::nlri::labelled::RouteDistinguisher;
use crate::bgp::{Afi, Attributes, Family, Prefix, Safi};

/// What `parse_attribute` collected beside the BGP attributes: per-route settings that are
/// not sent as attributes.
#[derive(Clone, Debug, Default)]
pub struct RouteExtras {
    pub split: Option<u8>,
    pub watchdog: Option<String>,
    pub withdrawn: bool,
    pub name: Option<String>,
    pub path_id: Option<u32>,
    /// `label`: makes the route labelled unicast (or VPN with `rd`).
    pub labels: Option<Vec<u32>>,
    /// `rd` / `route-distinguisher`: makes the route MPLS VPN.
    pub rd: Option<RouteDistinguisher>,
}

impl RouteExtras {
    /// The settings a `Route` keeps.
    pub fn extra(&self) -> RouteExtra {
        RouteExtra {
            watchdog: self.watchdog.clone(),
            withdrawn: self.withdrawn,
            name: self.name.clone(),
        }
    }
}

/// Parse `<prefix> <attribute>...` (the words after `route`, or after `<afi> <safi>` in
/// `announce`) into routes, `split` expanded. `family` is the explicit family of an
/// `announce ipv4 multicast` section; None means unicast of the prefix's AFI.
pub fn parse_route_words(
    words: &[Token],
    family: Option<Family>,
    file: &Path,
) -> Result<Vec<Route>, ConfigError> {
    parse_route_words_for(words, family, file, true)
}

/// As `parse_route_words`; `announce` false is for the API's `withdraw route ...`, where the
/// next hop may be omitted.
pub fn parse_route_words_for(
    words: &[Token],
    family: Option<Family>,
    file: &Path,
    announce: bool,
) -> Result<Vec<Route>, ConfigError> {
    let mut w = Words::new(words, file);
    let ptok = w.next("prefix")?;
    let prefix = parse_prefix(&w, ptok)?;
    let family = family.unwrap_or(if prefix.is_v4() {
        Family::IPV4_UNICAST
    } else {
        Family::IPV6_UNICAST
    });
    check_prefix_family(&w, ptok, prefix, family)?;
    let mut attrs = Attributes::default();
    let mut extras = RouteExtras::default();
    while let Some(t) = w.peek() {
        if t.is("nlri") {
            return Err(w.error_at(t, "\"nlri\" is only valid after \"attributes\""));
        }
        parse_attribute(&mut w, &mut attrs, &mut extras, family)?;
    }
    finish(&w, ptok, vec![prefix], family, attrs, extras, announce)
}

/// Parse `<attribute>... nlri <prefix>...` (the words after `attributes`).
pub fn parse_attributes_nlri(
    words: &[Token],
    family: Option<Family>,
    file: &Path,
) -> Result<Vec<Route>, ConfigError> {
    parse_attributes_nlri_for(words, family, file, true)
}

/// As `parse_attributes_nlri`, for the API's `withdraw attributes ... nlri ...` when `announce`
/// is false.
pub fn parse_attributes_nlri_for(
    words: &[Token],
    family: Option<Family>,
    file: &Path,
    announce: bool,
) -> Result<Vec<Route>, ConfigError> {
    let mut w = Words::new(words, file);
    let mut attrs = Attributes::default();
    let mut extras = RouteExtras::default();
    let mut at_nlri = None;
    while let Some(t) = w.peek() {
        if t.is("nlri") {
            at_nlri = w.next("nlri").ok();
            break;
        }
        parse_attribute(
            &mut w,
            &mut attrs,
            &mut extras,
            family.unwrap_or(Family::IPV4_UNICAST),
        )?;
    }
    let Some(nlri_tok) = at_nlri else {
        return Err(w.error_end("missing \"nlri\" and its prefixes"));
    };
    let mut prefixes = Vec::new();
    let mut first: Option<&Token> = None;
    while !w.is_empty() {
        let t = w.next("prefix")?;
        if t.is("[") || t.is("]") || t.is(",") {
            continue;
        }
        prefixes.push(parse_prefix(&w, t)?);
        first = first.or(Some(t));
    }
    let Some(first) = first else {
        return Err(w.error_at(nlri_tok, "\"nlri\" needs at least one prefix"));
    };
    let fam = family.unwrap_or(if prefixes.first().is_some_and(|p| p.is_v4()) {
        Family::IPV4_UNICAST
    } else {
        Family::IPV6_UNICAST
    });
    for p in &prefixes {
        check_prefix_family(&w, first, *p, fam)?;
    }
    finish(&w, first, prefixes, fam, attrs, extras, announce)
}

/// Build the routes once every attribute is known: check the next hop, expand `split`.
fn finish(
    w: &Words<'_>,
    at: &Token,
    prefixes: Vec<Prefix>,
    family: Family,
    attrs: Attributes,
    extras: RouteExtras,
    announce: bool,
) -> Result<Vec<Route>, ConfigError> {
    let family = mpls::family(family, extras.labels.as_deref(), extras.rd);
    // ExaBGP refuses an IPv4 unicast/multicast announcement without a next hop (IPv6 ones
    // may omit it).
    if announce && family.afi == Afi::IPV4 && attrs.next_hop.is_none() {
        return Err(w.error_at(
            at,
            format!("route {at} has no next-hop (mandatory for {family})"),
        ));
    }
    // One shared copy for every route of the statement (`split` can make millions).
    let attrs = std::sync::Arc::new(attrs);
    let mut routes = Vec::new();
    for prefix in prefixes {
        let expanded = match extras.split {
            // Splitting into a shorter or equal length is ignored, as ExaBGP does.
            Some(to) if to > prefix.len() => prefix.split(to).ok_or_else(|| {
                w.error_at(
                    at,
                    format!("can not split {prefix} into /{to} (at most 2^24 routes, /32 or /128)"),
                )
            })?,
            _ => vec![prefix],
        };
        for p in expanded {
            let nlri = mpls::nlri(
                family,
                p,
                extras.path_id,
                extras.labels.as_deref(),
                extras.rd,
            )
            .map_err(|m| w.error_at(at, m))?;
            routes.push(Route::with_extra(nlri, attrs.clone(), extras.extra()));
        }
    }
    Ok(routes)
}

fn parse_prefix(w: &Words<'_>, t: &Token) -> Result<Prefix, ConfigError> {
    // The address is parsed once (a large `static` section is mostly prefixes).
    let (a, len) = match t.text.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (t.text.as_str(), None),
    };
    let addr = a.parse::<IpAddr>().ok();
    let p = addr
        .and_then(|addr| {
            let len = match len {
                Some(l) => l.parse::<u8>().ok()?,
                None if addr.is_ipv4() => 32,
                None => 128,
            };
            Prefix::new(addr, len)
        })
        .ok_or_else(|| {
            w.error_at(
                t,
                format!("'{}' is not a valid prefix (e.g. 192.0.2.0/24)", t.text),
            )
        })?;
    // ExaBGP refuses host bits set beyond the mask rather than silently clearing them.
    if addr != Some(p.addr()) {
        return Err(w.error_at(t, format!("invalid network {} for netmask {}", a, p.len())));
    }
    Ok(p)
}

fn check_prefix_family(
    w: &Words<'_>,
    t: &Token,
    p: Prefix,
    family: Family,
) -> Result<(), ConfigError> {
    let afi = if p.is_v4() { Afi::IPV4 } else { Afi::IPV6 };
    if afi != family.afi {
        return Err(w.error_at(t, format!("prefix {p} does not belong to family {family}")));
    }
    Ok(())
}

/// Parse `<afi> <safi> <prefix> <attribute>...` (the `announce ipv4 unicast ...` form of the
/// helper API). Families other than unicast and multicast are `unsupported:` errors.
pub fn parse_family_route(
    words: &[Token],
    file: &Path,
    announce: bool,
) -> Result<Vec<Route>, ConfigError> {
    let mut w = Words::new(words, file);
    let a = w.next("afi (ipv4 or ipv6)")?;
    let afi = match a.text.as_str() {
        "ipv4" => Afi::IPV4,
        "ipv6" => Afi::IPV6,
        "l2vpn" | "bgp-ls" => return Err(unsupported(file, a, &a.text)),
        _ => return Err(w.error_at(a, format!("invalid afi \"{}\"", a.text))),
    };
    let s = w.next("safi")?;
    let safi = Safi::from_name(&s.text)
        .ok_or_else(|| w.error_at(s, format!("invalid safi \"{}\"", s.text)))?;
    let family = Family { afi, safi };
    let rest = words.get(2..).unwrap_or(&[]);
    if let Some(r) = super::l2vpn_mcast_mup::family_route(family, rest, file, announce) {
        return r;
    }
    if let Some(r) = super::flow::family_route(family, rest, file, announce) {
        return r;
    }
    if !matches!(
        safi,
        Safi::UNICAST | Safi::MULTICAST | Safi::NLRI_MPLS | Safi::MPLS_VPN
    ) {
        return Err(unsupported(file, s, &family.to_string()));
    }
    parse_route_words_for(words.get(2..).unwrap_or(&[]), Some(family), file, announce)
}

/// The `unsupported:` error for a family or attribute this version can not announce yet.
pub fn unsupported(file: &Path, t: &Token, what: &str) -> ConfigError {
    error(file, t.line, t.col, format!("unsupported: {what}"))
}

/// Parse one attribute (keyword and value) at the cursor. `_family` is the family the route
/// was announced under, before `rd` / `label` refine it (kept for family-specific words).
pub fn parse_attribute(
    w: &mut Words<'_>,
    a: &mut Attributes,
    x: &mut RouteExtras,
    _family: Family,
) -> Result<(), ConfigError> {
    let key = w.next("attribute")?;
    let kw = key.text.to_ascii_lowercase();
    match kw.as_str() {
        "next-hop" => {
            let v = w.next("next-hop value")?;
            a.next_hop = Some(if v.text.eq_ignore_ascii_case("self") {
                NextHop::SelfAddr
            } else {
                NextHop::Addr(
                    v.text
                        .parse()
                        .map_err(|_| w.error_at(v, format!("invalid next-hop {v}")))?,
                )
            });
        }
        "origin" => {
            let v = w.next("origin value")?;
            a.origin = Some(match v.text.to_ascii_lowercase().as_str() {
                "igp" => Origin::Igp,
                "egp" => Origin::Egp,
                "incomplete" => Origin::Incomplete,
                _ => {
                    return Err(
                        w.error_at(v, format!("unknown origin {v} (igp, egp or incomplete)"))
                    )
                }
            });
        }
        "as-path" => a.as_path = Some(as_path(w)?),
        "med" => a.med = Some(number_u32(w, "med")?),
        "local-preference" => a.local_pref = Some(number_u32(w, "local-preference")?),
        "atomic-aggregate" => a.atomic_aggregate = true,
        "aggregator" => a.aggregator = Some(aggregator(w)?),
        "originator-id" => {
            let v = w.next("originator-id value")?;
            a.originator_id = Some(ipv4(w, v, "originator-id")?);
        }
        "cluster-list" => {
            let mut ids = Vec::new();
            for t in w.list("cluster-list")? {
                ids.push(ipv4(w, t, "cluster-id")?);
            }
            if ids.is_empty() {
                return Err(w.error_at(key, "no cluster-id in the cluster list"));
            }
            a.cluster_list = ids;
        }
        "community" => {
            for t in w.list("community")? {
                let c = community::community(&t.text).map_err(|m| w.error_at(t, m))?;
                a.communities.push(c);
            }
        }
        "large-community" => {
            for t in w.list("large-community")? {
                let c = community::large_community(&t.text).map_err(|m| w.error_at(t, m))?;
                // ExaBGP drops duplicates within one list.
                if !a.large_communities.contains(&c) {
                    a.large_communities.push(c);
                }
            }
        }
        "extended-community" => {
            for t in w.list("extended-community")? {
                let c = community::extended_community(&t.text).map_err(|m| w.error_at(t, m))?;
                a.extended_communities.push(c);
            }
        }
        "aigp" => {
            let v = w.next("aigp value")?;
            a.aigp = Some(parse_int(&v.text).ok_or_else(|| {
                w.error_at(
                    v,
                    "aigp requires number (decimal or hexadecimal 0x prefixed)",
                )
            })?);
        }
        "attribute" => a.raw.push(generic(w)?),
        "path-information" => {
            let v = w.next("path-information value")?;
            x.path_id = Some(if let Ok(ip) = v.text.parse::<Ipv4Addr>() {
                u32::from(ip)
            } else {
                parse_int(&v.text)
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| w.error_at(v, format!("invalid path-information {v}")))?
            });
        }
        "split" => {
            let v = w.next("split /<length>")?;
            let len = v.text.strip_prefix('/').and_then(|s| s.parse::<u8>().ok());
            x.split = Some(len.ok_or_else(|| w.error_at(v, "split needs /<number>"))?);
        }
        "watchdog" => {
            let v = w.next("watchdog name")?;
            if v.text.eq_ignore_ascii_case("announce") || v.text.eq_ignore_ascii_case("withdraw") {
                return Err(w.error_at(v, format!("invalid watchdog name {v}")));
            }
            x.watchdog = Some(v.text.to_string());
        }
        "withdraw" => x.withdrawn = true,
        "name" => x.name = Some(w.next("name")?.text.to_string()),
        "rd" | "route-distinguisher" => x.rd = Some(mpls::rd(w)?),
        "label" => x.labels = Some(mpls::labels(w)?),
        "bgp-prefix-sid" => a.raw.push(mpls::prefix_sid(w)?),
        "bgp-prefix-sid-srv6" => a.raw.push(super::srv6::parse_prefix_sid_srv6(w)?),
        _ => return Err(w.error_at(key, format!("unknown route attribute \"{key}\""))),
    }
    Ok(())
}

fn number_u32(w: &mut Words<'_>, what: &str) -> Result<u32, ConfigError> {
    let v = w.next(&format!("{what} value"))?;
    if !v.text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(w.error_at(v, format!("invalid {what} {v}")));
    }
    v.text
        .parse()
        .map_err(|_| w.error_at(v, format!("invalid {what} {v} (too large)")))
}

fn ipv4(w: &Words<'_>, t: &Token, what: &str) -> Result<Ipv4Addr, ConfigError> {
    t.text
        .parse()
        .map_err(|_| w.error_at(t, format!("invalid {what} {t} (an IPv4 address)")))
}

/// `as-path 65000`, `as-path [ 1 2 ]`, `( 3 4 )` sets, `[{ 5 }]`/`({ 6 })` confederation
/// segments, several segments in a row.
fn as_path(w: &mut Words<'_>) -> Result<AsPath, ConfigError> {
    let first = w
        .peek()
        .ok_or_else(|| w.error_end("missing as-path value"))?;
    if !first.is("[") && !first.is("(") {
        let t = w.next("as-path")?;
        let asn = parse_asn(&t.text)
            .ok_or_else(|| w.error_at(t, format!("could not parse as-path {t}")))?;
        return Ok(AsPath {
            segments: vec![Segment {
                kind: SegmentKind::Sequence,
                asns: vec![asn],
            }],
        });
    }
    let mut segments = Vec::new();
    while let Some(open) = w.peek().filter(|t| t.is("[") || t.is("(")) {
        w.next("as-path")?;
        let confed = w.eat("{{");
        let kind = match (open.is("["), confed) {
            (true, false) => SegmentKind::Sequence,
            (true, true) => SegmentKind::ConfedSequence,
            (false, false) => SegmentKind::Set,
            (false, true) => SegmentKind::ConfedSet,
        };
        let close = if open.is("[") { "]" } else { ")" };
        let mut asns = Vec::new();
        loop {
            let t = w.next(&format!("'{close}' closing the as-path"))?;
            if t.is(close) {
                break;
            }
            if t.is(",") || t.is("}}") {
                continue;
            }
            asns.push(
                parse_asn(&t.text)
                    .ok_or_else(|| w.error_at(t, format!("could not parse as-path: {t}")))?,
            );
        }
        segments.push(Segment { kind, asns });
    }
    Ok(AsPath { segments })
}

/// `aggregator ( 65000:1.2.3.4 )` or `aggregator 65000:1.2.3.4`.
fn aggregator(w: &mut Words<'_>) -> Result<Aggregator, ConfigError> {
    let paren = w.eat("(");
    let t = w.next("aggregator asn:address")?;
    let (asn, id) = t
        .text
        .split_once(':')
        .ok_or_else(|| w.error_at(t, format!("invalid aggregator {t}")))?;
    let agg = Aggregator {
        asn: parse_asn(asn)
            .ok_or_else(|| w.error_at(t, format!("invalid aggregator asn {asn}")))?,
        id: id
            .parse()
            .map_err(|_| w.error_at(t, format!("invalid aggregator address {id}")))?,
    };
    if paren && !w.eat(")") {
        return Err(w.error_at(t, "aggregator: missing ')'"));
    }
    Ok(agg)
}

/// `attribute [ 0xCODE 0xFLAGS 0xDATA ]`.
fn generic(w: &mut Words<'_>) -> Result<RawAttribute, ConfigError> {
    let open = w.next("'['")?;
    if !open.is("[") {
        return Err(w.error_at(open, "invalid attribute, does not start with ["));
    }
    let mut hex = |what: &str| -> Result<(Vec<u8>, &Token), ConfigError> {
        let t = w.next(what)?;
        let h = t
            .text
            .strip_prefix("0x")
            .or_else(|| t.text.strip_prefix("0X"));
        let v = h.and_then(hex_bytes_loose).ok_or_else(|| {
            w.error_at(
                t,
                format!("invalid attribute, {what} is not 0x hexadecimal"),
            )
        })?;
        Ok((v, t))
    };
    let (code, ct) = hex("code")?;
    let (flags, ft) = hex("flag")?;
    let (data, _) = hex("data")?;
    let byte = |v: &[u8], t: &Token, what: &str| match v {
        [b] => Ok(*b),
        [] => Ok(0),
        _ => Err(w.error_at(
            t,
            format!("invalid attribute, {what} does not fit in one byte"),
        )),
    };
    let code = byte(&code, ct, "code")?;
    let flags = byte(&flags, ft, "flag")?;
    let close = w.next("']'")?;
    if !close.is("]") {
        return Err(w.error_at(close, "invalid attribute, does not end with ]"));
    }
    Ok(RawAttribute {
        flags,
        code,
        value: data,
    })
}

/// Even-length hex digits to bytes.
pub fn hex_bytes(h: &str) -> Option<Vec<u8>> {
    if !h.len().is_multiple_of(2) || !h.is_ascii() {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// Hex that may have an odd number of digits (`0x2` for a code), read as a number's bytes.
fn hex_bytes_loose(h: &str) -> Option<Vec<u8>> {
    if !h.len().is_multiple_of(2) {
        hex_bytes(&format!("0{h}"))
    } else {
        hex_bytes(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::Nlri;
    use crate::config::lexer::tokenize;

    fn route(s: &str) -> Result<Vec<Route>, ConfigError> {
        parse_route_words(&tokenize(s).unwrap(), None, Path::new("t.conf"))
    }

    #[test]
    fn one_line_route_with_attributes() {
        let r = route("10.0.0.0/24 next-hop 1.2.3.4 med 100 local-preference 200 origin egp community [ 1:2 no-export ] as-path [ 1 2 ] ( 3 4 ) atomic-aggregate aggregator ( 65000:1.2.3.4 ) originator-id 1.1.1.1 cluster-list [ 2.2.2.2 3.3.3.3 ] large-community 1:2:3 aigp 0x10").unwrap();
        assert_eq!(r.len(), 1);
        let a = &r[0].attributes;
        assert_eq!(a.next_hop, Some(NextHop::Addr("1.2.3.4".parse().unwrap())));
        assert_eq!(
            (a.med, a.local_pref, a.origin),
            (Some(100), Some(200), Some(Origin::Egp))
        );
        assert_eq!(a.communities, vec![0x0001_0002, 0xffff_ff01]);
        let segs = &a.as_path.as_ref().unwrap().segments;
        assert_eq!(
            segs[0],
            Segment {
                kind: SegmentKind::Sequence,
                asns: vec![1, 2]
            }
        );
        assert_eq!(
            segs[1],
            Segment {
                kind: SegmentKind::Set,
                asns: vec![3, 4]
            }
        );
        assert!(a.atomic_aggregate);
        assert_eq!(
            a.aggregator,
            Some(Aggregator {
                asn: 65000,
                id: "1.2.3.4".parse().unwrap()
            })
        );
        assert_eq!(a.cluster_list.len(), 2);
        assert_eq!(a.large_communities, vec![[1, 2, 3]]);
        assert_eq!(a.aigp, Some(16));
    }

    #[test]
    fn confederation_segments() {
        let r = route("10.0.0.0/24 next-hop 1.2.3.4 as-path [ 1 ] [{ 2 3 }] ({ 4 })").unwrap();
        let kinds: Vec<SegmentKind> = r[0]
            .attributes
            .as_path
            .as_ref()
            .unwrap()
            .segments
            .iter()
            .map(|s| s.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                SegmentKind::Sequence,
                SegmentKind::ConfedSequence,
                SegmentKind::ConfedSet
            ]
        );
    }

    #[test]
    fn split_path_information_and_internal_keywords() {
        let r = route("10.0.0.0/22 next-hop self split /24 path-information 1.2.3.4 watchdog dog withdraw name n").unwrap();
        assert_eq!(r.len(), 4);
        assert_eq!(
            r[3].nlri,
            Nlri::Inet {
                family: Family::IPV4_UNICAST,
                prefix: "10.0.3.0/24".parse().unwrap(),
                path_id: Some(0x01020304)
            }
        );
        assert_eq!(r[0].attributes.next_hop, Some(NextHop::SelfAddr));
        assert_eq!(r[0].watchdog(), Some("dog"));
        assert!(r[0].withdrawn());
        assert_eq!(r[0].name(), Some("n"));
    }

    #[test]
    fn api_forms() {
        let t = tokenize("ipv4 multicast 10.0.0.0/24 next-hop 1.1.1.1").unwrap();
        let r = parse_family_route(&t, Path::new("api"), true).unwrap();
        assert_eq!(r[0].nlri.family(), Family::IPV4_MULTICAST);
        let t = tokenize("ipv4 flow source 10.0.0.0/24").unwrap();
        let r = parse_family_route(&t, Path::new("api"), true).unwrap();
        assert_eq!(r[0].nlri.family(), Family::new(1, 133));
        // A withdrawal needs no next hop.
        let t = tokenize("10.0.0.0/24").unwrap();
        assert!(parse_route_words_for(&t, None, Path::new("api"), false).is_ok());
        assert!(parse_route_words_for(&t, None, Path::new("api"), true).is_err());
    }

    #[test]
    fn generic_attribute() {
        let r = route("10.0.0.7/32 next-hop 1.1.1.1 attribute [ 0x20 0xc0 0x0000000100000002 ]")
            .unwrap();
        assert_eq!(
            r[0].attributes.raw,
            vec![RawAttribute {
                flags: 0xc0,
                code: 0x20,
                value: vec![0, 0, 0, 1, 0, 0, 0, 2]
            }]
        );
    }

    #[test]
    fn attributes_nlri_form() {
        let t = tokenize("next-hop 1.1.1.1 med 5 nlri 1.0.0.0/8 2.0.0.0/8").unwrap();
        let r = parse_attributes_nlri(&t, None, Path::new("t")).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].attributes.med, Some(5));
    }

    #[test]
    fn errors_point_at_the_word() {
        let e = route("10.0.0.0/24 next-hop 1.2.3.4 med x").unwrap_err();
        assert_eq!((e.location.col, e.message.as_str()), (34, "invalid med x"));
        assert!(route("10.0.0.1/24 next-hop 1.2.3.4")
            .unwrap_err()
            .message
            .contains("invalid network"));
        assert!(route("10.0.0.0/24 med 1")
            .unwrap_err()
            .message
            .contains("no next-hop"));
        assert!(route("10.0.0.0/24 next-hop 1.2.3.4 bogus")
            .unwrap_err()
            .message
            .contains("unknown"));
        assert!(route("10.0.0.0/24 next-hop 1.2.3.4 as-path [ 1 2").is_err());
        assert!(route("10.0.0.0/24 next-hop 1.2.3.4 rd 1:x")
            .unwrap_err()
            .message
            .contains("not a valid route-distinguisher"));
        // IPv6 may omit the next hop.
        assert!(route("2001:db8::/32").is_ok());
    }
}
