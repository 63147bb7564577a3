//! NLRI (RFC 4271 §4.3, RFC 4760, RFC 7911) as ExaBGP 5.0 shows them, and the grouping of an
//! UPDATE's routes by family and next hop that its JSON `announce` object uses.

use std::fmt::Write;

use super::digits::push_prefix;

use crate::bgp::attribute::NextHop;
use crate::bgp::message::Update;
use crate::bgp::{Family, Nlri};

use super::escape::hex_digits;

/// `"ipv4 unicast"`: the family key ExaBGP uses in `announce`/`withdraw`.
pub fn family_key(f: Family) -> String {
    f.to_string()
}

/// The `"afi"`/`"safi"` words of an EOR or route-refresh (numbers when unnamed).
pub fn afi_safi(f: Family) -> (String, String) {
    (
        f.afi
            .name()
            .map_or_else(|| f.afi.0.to_string(), str::to_string),
        f.safi
            .name()
            .map_or_else(|| f.safi.0.to_string(), str::to_string),
    )
}

/// ADD-PATH identifiers are shown as dotted quads (`0.0.0.1`), as ExaBGP prints them.
fn dotted(id: u32) -> String {
    std::net::Ipv4Addr::from(id).to_string()
}

/// One NLRI in JSON. `compact` is ExaBGP's `api.compact`: a bare prefix string for inet
/// routes without a path identifier.
pub fn json(out: &mut String, n: &Nlri, compact: bool) {
    match n {
        Nlri::Inet {
            prefix,
            path_id: Some(id),
            ..
        } => {
            let _ = write!(
                out,
                "{{ \"nlri\": \"{prefix}\", \"path-information\": \"{}\" }}",
                dotted(*id)
            );
        }
        Nlri::Inet {
            prefix,
            path_id: None,
            ..
        } if compact => {
            out.push('"');
            push_prefix(out, prefix);
            out.push('"');
        }
        Nlri::Inet {
            prefix,
            path_id: None,
            ..
        } => {
            out.push_str("{ \"nlri\": \"");
            push_prefix(out, prefix);
            out.push_str("\" }");
        }
        // Families the codec does not decode yet: the bytes, so nothing is silently lost.
        Nlri::Flow(f) => super::flow::json(out, f, None),
        Nlri::Vpls(v) => super::l2vpn_mcast_mup::vpls_json(out, v),
        Nlri::Mvpn(m) => super::l2vpn_mcast_mup::mvpn_json(out, m),
        Nlri::Mup(m) => super::l2vpn_mcast_mup::mup_json(out, m),
        Nlri::Evpn(e) => super::evpn::json(out, e),
        Nlri::BgpLs(b) => super::bgpls::json(out, b, None),
        Nlri::Rtc(r) => super::rtc::json(out, r),
        Nlri::Labelled(l) => super::labelled::json(out, l, compact),
        Nlri::Raw { bytes, .. } => {
            out.push_str("{ \"raw\": \"");
            hex_digits(out, bytes);
            out.push_str("\" }");
        }
    }
}

/// As `json`, for an announced route: a flow rule shows its next hop inside the rule.
pub fn json_announced(out: &mut String, n: &Nlri, compact: bool, nh: Option<&NextHop>) {
    match (n, nh) {
        (Nlri::Flow(f), Some(NextHop::Addr(a))) => super::flow::json(out, f, Some(*a)),
        (Nlri::BgpLs(b), Some(NextHop::Addr(a))) => super::bgpls::json(out, b, Some(*a)),
        _ => json(out, n, compact),
    }
}

/// The text form: `10.0.0.0/24` or `10.0.0.0/24 path-information 0.0.0.1`.
pub fn text(out: &mut String, n: &Nlri) {
    match n {
        Nlri::Inet {
            prefix, path_id, ..
        } => {
            let _ = write!(out, "{prefix}");
            if let Some(id) = path_id {
                let _ = write!(out, " path-information {}", dotted(*id));
            }
        }
        Nlri::Flow(f) => super::flow::text(out, f),
        Nlri::Vpls(v) => super::l2vpn_mcast_mup::vpls_text(out, v),
        Nlri::Mvpn(m) => super::l2vpn_mcast_mup::mvpn_text(out, m),
        Nlri::Mup(m) => super::l2vpn_mcast_mup::mup_text(out, m),
        Nlri::Evpn(e) => super::evpn::text(out, e),
        Nlri::BgpLs(b) => super::bgpls::text(out, b),
        Nlri::Rtc(r) => super::rtc::text(out, r),
        Nlri::Labelled(l) => super::labelled::text(out, l),
        Nlri::Raw { bytes, .. } => {
            out.push_str("raw 0x");
            hex_digits(out, bytes);
        }
    }
}

/// What the text form of a route shows after its next hop (` rd x` for VPN routes), or,
/// for a withdrawal, right after `text`.
pub fn text_tail(out: &mut String, n: &Nlri) {
    if let Nlri::Labelled(l) = n {
        super::labelled::text_tail(out, l);
    }
}

/// The next-hop key of an announced route: the address, `self` if the reactor has not
/// resolved it, or `no-nexthop` when the UPDATE carries none.
pub fn next_hop_key(nh: Option<&NextHop>) -> String {
    match nh {
        Some(NextHop::Addr(ip)) => ip.to_string(),
        Some(NextHop::SelfAddr) => "self".to_string(),
        // ExaBGP's NoNextHop prints as `no-nexthop` (`null` only when printing fails).
        None => "no-nexthop".to_string(),
    }
}

/// `next_hop_key` as a JSON string, written in place (it never needs escaping).
pub fn push_next_hop_key(out: &mut String, nh: Option<&NextHop>) {
    out.push('"');
    match nh {
        Some(NextHop::Addr(std::net::IpAddr::V4(a))) => super::digits::push_ipv4(out, *a),
        other => out.push_str(&next_hop_key(other)),
    }
    out.push('"');
}

/// An announced route and the next hop it is shown with.
pub type Hopped<'a> = (&'a Nlri, Option<NextHop>);

/// The announced routes with the next hop ExaBGP shows each with: the NLRI field's routes
/// (first) under the NEXT_HOP attribute, MP_REACH's under its next hop, each a second time
/// under the link-local half of a 32-octet one. Returns (NLRI field, MP_REACH); for an
/// UPDATE not decoded from the wire everything is in the second list.
pub fn announced_with_next_hops(u: &Update) -> (Vec<Hopped<'_>>, Vec<Hopped<'_>>) {
    let shown = &u.shown_next_hops;
    let hop = u.attributes.next_hop;
    let split = u.announced.len().saturating_sub(shown.native);
    let (mp, native) = u.announced.split_at(split);
    let native_hop = shown.native_next_hop.map(NextHop::Addr).or(hop);
    let native = native.iter().map(|n| (n, native_hop)).collect();
    let mut routes = Vec::with_capacity(mp.len());
    for n in mp {
        routes.push((n, hop));
        if let Some(ll) = shown.link_local {
            routes.push((n, Some(NextHop::Addr(ll.into()))));
        }
    }
    (native, routes)
}

/// Routes by family, then by next hop.
pub type Groups<'a> = Vec<(Family, Vec<(Option<NextHop>, Vec<&'a Nlri>)>)>;

/// Announced routes by family, then by next hop, in ExaBGP's order: the NLRI field's routes
/// (under the NEXT_HOP attribute), then MP_REACH's (under its next hop, and again under its
/// link-local one when it has one); groups in first-seen order, as ExaBGP's dictionaries.
pub fn announced_groups(u: &Update) -> Groups<'_> {
    let (mut routes, mp) = announced_with_next_hops(u);
    routes.extend(mp);
    let mut groups: Groups<'_> = Vec::new();
    for (n, hop) in routes {
        let f = n.family();
        let at = match groups.iter().position(|(g, _)| *g == f) {
            Some(i) => i,
            None => {
                groups.push((f, Vec::new()));
                groups.len() - 1
            }
        };
        let Some((_, family)) = groups.get_mut(at) else {
            continue;
        };
        match family.iter_mut().find(|(h, _)| *h == hop) {
            Some((_, list)) => list.push(n),
            None => family.push((hop, vec![n])),
        }
    }
    groups
}

/// Routes grouped by family in first-seen order, as ExaBGP's dictionaries keep them.
pub fn by_family(nlris: &[Nlri]) -> Vec<(Family, Vec<&Nlri>)> {
    let mut groups: Vec<(Family, Vec<&Nlri>)> = Vec::new();
    for n in nlris {
        let f = n.family();
        match groups.iter_mut().find(|(g, _)| *g == f) {
            Some((_, v)) => v.push(n),
            None => groups.push((f, vec![n])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_hop_keys_written_in_place_are_the_escaped_strings() {
        let hops = [
            Some(NextHop::Addr("192.0.2.1".parse().unwrap())),
            Some(NextHop::Addr("2001:db8::1".parse().unwrap())),
            Some(NextHop::SelfAddr),
            None,
        ];
        for hop in hops {
            let (mut fast, mut slow) = (String::new(), String::new());
            push_next_hop_key(&mut fast, hop.as_ref());
            super::super::escape::json_str(&mut slow, &next_hop_key(hop.as_ref()));
            assert_eq!(fast, slow);
        }
    }

    fn inet(p: &str, id: Option<u32>) -> Nlri {
        Nlri::unicast(p.parse().unwrap(), id)
    }

    #[test]
    fn inet_forms() {
        let mut out = String::new();
        json(&mut out, &inet("10.0.1.0/24", None), false);
        json(&mut out, &inet("10.0.1.0/24", Some(10)), true);
        json(&mut out, &inet("2001:db8::1/128", None), true);
        assert_eq!(
            out,
            r#"{ "nlri": "10.0.1.0/24" }{ "nlri": "10.0.1.0/24", "path-information": "0.0.0.10" }"2001:db8::1/128""#
        );
        let mut t = String::new();
        text(&mut t, &inet("10.0.1.0/24", Some(1)));
        assert_eq!(t, "10.0.1.0/24 path-information 0.0.0.1");
    }

    #[test]
    fn grouping_keeps_first_seen_order() {
        let v = [
            inet("2001:db8::/64", None),
            inet("10.0.0.0/8", None),
            inet("2001:db8:1::/64", None),
        ];
        let g = by_family(&v);
        assert_eq!(g.len(), 2);
        assert_eq!(family_key(g[0].0), "ipv6 unicast");
        assert_eq!(g[0].1.len(), 2);
    }
}
