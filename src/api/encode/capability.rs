//! OPEN capabilities (RFC 5492 and each capability's RFC) as ExaBGP 5.0 shows them: the JSON
//! `capabilities` object and the text encoder's `capabilities [...]` list.
//!
//! ExaBGP keeps capabilities in a dictionary keyed by code, so repeated codes are merged
//! (multiprotocol families, add-path and next-hop entries accumulate; others keep the first
//! position and the last value). A received OPEN is keyed by the numeric code, an OPEN we sent
//! by the capability's name, and a sent OPEN always carries a `hostname` entry, null when no
//! host name is configured (it is then absent from the wire).

use std::fmt::Write;

use crate::bgp::capability::{self as cap, AddPathMode, Capability};
use crate::bgp::iana::{Afi, Family, Safi};

use super::attr::join;
use super::escape::{hex_digits, json_str, oneline};

/// One dictionary entry: a capability code and its merged value.
#[derive(Clone, Debug)]
enum Entry {
    Known(Capability),
    /// The hostname ExaBGP lists in every OPEN it sends, even when none is configured.
    NoHostname,
}

impl Entry {
    fn code(&self) -> u8 {
        match self {
            Entry::Known(c) => c.code(),
            Entry::NoHostname => cap::HOSTNAME,
        }
    }
}

fn merge(into: &mut Capability, next: &Capability) {
    match (into, next) {
        (Capability::Multiprotocol(_), Capability::Multiprotocol(_)) => {}
        (Capability::AddPath(a), Capability::AddPath(b)) => {
            for (f, m) in b {
                match a.iter_mut().find(|(g, _)| g == f) {
                    Some(slot) => slot.1 = *m,
                    None => a.push((*f, *m)),
                }
            }
        }
        (Capability::ExtendedNextHop(a), Capability::ExtendedNextHop(b)) => {
            a.extend(b.iter().copied())
        }
        // ExaBGP keeps the first multi-session capability (the later ones are its own flags).
        (Capability::MultiSession { .. }, Capability::MultiSession { .. }) => {}
        (slot, other) => *slot = other.clone(),
    }
}

/// Multiprotocol families are merged separately: ExaBGP lists every family, in order.
fn entries(caps: &[Capability], sent: bool) -> (Vec<Entry>, Vec<Family>) {
    let mut out: Vec<Entry> = Vec::new();
    let mut families = Vec::new();
    for c in caps {
        if let Capability::Multiprotocol(f) = c {
            families.push(*f);
        }
        match out.iter_mut().find(|e| e.code() == c.code()) {
            Some(Entry::Known(existing)) => merge(existing, c),
            Some(Entry::NoHostname) => {}
            None => out.push(Entry::Known(c.clone())),
        }
    }
    if sent && !out.iter().any(|e| e.code() == cap::HOSTNAME) {
        // ExaBGP builds its OPEN in a fixed order; hostname comes before software-version
        // and the multi-session pair, which are the only ones after it.
        let at = out
            .iter()
            .position(|e| {
                matches!(
                    e.code(),
                    cap::SOFTWARE_VERSION | cap::MULTISESSION | cap::MULTISESSION_CISCO
                )
            })
            .unwrap_or(out.len());
        out.insert(at, Entry::NoHostname);
    }
    (out, families)
}

/// ExaBGP's name for a capability code (the key of a sent OPEN's capabilities).
fn code_name(code: u8) -> String {
    match code {
        0 => "reserved",
        cap::MULTIPROTOCOL => "multiprotocol",
        cap::ROUTE_REFRESH => "route-refresh",
        3 => "outbound-route-filtering",
        4 => "multiple-routes",
        cap::EXTENDED_NEXTHOP => "nexthop",
        cap::EXTENDED_MESSAGE => "extended-message",
        cap::GRACEFUL_RESTART => "graceful-restart",
        cap::FOUR_OCTET_AS => "asn4",
        67 => "dynamic-capability",
        cap::MULTISESSION => "multi-session",
        cap::ADD_PATH => "add-path",
        cap::ENHANCED_ROUTE_REFRESH => "enhanced-route-refresh",
        cap::OPERATIONAL => "operational",
        cap::CISCO_ROUTE_REFRESH => "cisco-route-refresh",
        // sic: ExaBGP's spelling.
        cap::MULTISESSION_CISCO => "cisco-multi-sesion",
        cap::HOSTNAME => "hostname",
        cap::SOFTWARE_VERSION => "software-version",
        other => return format!("unknown capability {other:#x}"),
    }
    .to_string()
}

/// ExaBGP's words for an AFI/SAFI it has no name for: `unknown-afi-0x3`, `unknown safi 3`.
fn afi_name(afi: Afi) -> String {
    afi.name()
        .map_or_else(|| format!("unknown-afi-{:#x}", afi.0), str::to_string)
}

fn safi_name(safi: Safi) -> String {
    safi.name()
        .map_or_else(|| format!("unknown safi {}", safi.0), str::to_string)
}

fn slashed(f: Family) -> String {
    format!("{}/{}", afi_name(f.afi), safi_name(f.safi))
}

fn spaced(f: Family) -> String {
    format!("{} {}", afi_name(f.afi), safi_name(f.safi))
}

fn iana_class(code: u8) -> &'static str {
    match code {
        70..=127 => "unassigned",
        128..=255 => "reserved",
        _ => "unknown",
    }
}

/// Append the content of the JSON `capabilities` object (without braces).
pub fn json(out: &mut String, caps: &[Capability], sent: bool) {
    let (list, families) = entries(caps, sent);
    join(out, &list, ", ", |out, e| {
        if sent {
            let _ = write!(out, "\"{}\": ", code_name(e.code()));
        } else {
            let _ = write!(out, "\"{}\": ", e.code());
        }
        match e {
            Entry::NoHostname => out.push_str("{ \"host-name\": null, \"domain-name\": null }"),
            Entry::Known(c) => json_value(out, c, &families),
        }
    });
}

fn json_value(out: &mut String, c: &Capability, families: &[Family]) {
    match c {
        Capability::Multiprotocol(_) => {
            out.push_str("{ \"name\": \"multiprotocol\", \"families\": [");
            join(out, families, ",", |out, f| {
                let _ = write!(out, " \"{}\"", slashed(*f));
            });
            out.push_str(" ] }");
        }
        Capability::RouteRefresh => {
            out.push_str("{ \"name\": \"route-refresh\", \"variant\": \"RFC\" }")
        }
        Capability::CiscoRouteRefresh => {
            out.push_str("{ \"name\": \"route-refresh\", \"variant\": \"Cisco\" }")
        }
        Capability::ExtendedNextHop(v) => {
            out.push_str("{ \"name\": \"nexthop\", \"conversion\": [");
            join(out, v, ",", |out, (f, nh)| {
                let _ = write!(out, " \"{}/{}\"", slashed(*f), afi_name(Afi(*nh)));
            });
            out.push_str(" ] }");
        }
        Capability::ExtendedMessage => {
            out.push_str("{ \"name\": \"extended-message\", \"size\": 65535 }")
        }
        Capability::GracefulRestart {
            restart_flags,
            restart_time,
            families,
        } => {
            let _ = write!(
                out,
                "{{ \"name\": \"graceful restart\", \"time\": {restart_time}, \"address-family-flags\": {{ "
            );
            join(out, families, ", ", |out, (f, flags)| {
                let restart = if flags & 0x80 != 0 {
                    " \"restart\""
                } else {
                    ""
                };
                let _ = write!(out, "\"{}\": [{restart} ] ", slashed(*f));
            });
            // ExaBGP labels the R bit "forwarding"; kept for compatibility.
            let forwarding = if restart_flags & 0x8 != 0 {
                " \"forwarding\" "
            } else {
                " "
            };
            let _ = write!(out, "}}, \"restart-flags\": [{forwarding}]  }}");
        }
        Capability::FourOctetAs(asn) => {
            let _ = write!(out, "{{ \"name\": \"asn4\", \"asn4\": {asn} }}");
        }
        Capability::MultiSession { code, data } => {
            let variant = if *code == cap::MULTISESSION {
                "RFC"
            } else {
                "Cisco"
            };
            let _ = write!(
                out,
                "{{ \"name\": \"multisession\", \"variant\": \"{variant}\", \"capabilities\": ["
            );
            let ids = data.get(1..).unwrap_or_default();
            join(out, ids, ",", |out, id| {
                let _ = write!(out, " \"{}\"", code_name(*id));
            });
            out.push_str(" ] }");
        }
        Capability::AddPath(v) => {
            out.push_str("{ \"name\": \"addpath\"");
            if !v.is_empty() {
                out.push_str(", ");
            }
            join(out, v, ",", |out, (f, mode)| {
                let _ = write!(out, "\"{}\": \"{}\"", slashed(*f), mode.name());
            });
            out.push_str(" }");
        }
        Capability::EnhancedRouteRefresh => {
            out.push_str("{ \"name\": \"enhanced-route-refresh\" }")
        }
        Capability::Hostname { host, domain } => {
            out.push_str("{ \"host-name\": ");
            json_str(out, host);
            out.push_str(", \"domain-name\": ");
            json_str(out, domain);
            out.push_str(" }");
        }
        Capability::SoftwareVersion(s) => {
            out.push_str("{ \"software\": ");
            json_str(out, s);
            out.push_str(" }");
        }
        Capability::Operational => out.push_str("{ \"name\": \"operational\" }"),
        Capability::Unknown { code, value } => {
            let _ = write!(
                out,
                "{{ \"name\": \"unknown\", \"iana\": \"{}\", \"value\": {code}, \"raw\": \"",
                iana_class(*code)
            );
            hex_digits(out, value);
            out.push_str("\" }");
        }
    }
}

/// Append the text encoder's capability list (without the brackets): each capability's name,
/// sorted by code, lower-cased, peer strings escaped onto one line.
pub fn text(out: &mut String, caps: &[Capability], sent: bool) {
    let (mut list, families) = entries(caps, sent);
    list.sort_by_key(Entry::code);
    let mut s = String::new();
    join(&mut s, &list, ", ", |s, e| match e {
        Entry::NoHostname => s.push_str("Hostname(None None)"),
        Entry::Known(c) => text_value(s, c, &families),
    });
    let mut escaped = String::new();
    oneline(&mut escaped, &s);
    out.push_str(&escaped.to_lowercase());
}

fn text_value(s: &mut String, c: &Capability, families: &[Family]) {
    match c {
        Capability::Multiprotocol(_) => {
            s.push_str("Multiprotocol(");
            join(s, families, ",", |s, f| s.push_str(&spaced(*f)));
            s.push(')');
        }
        Capability::RouteRefresh => s.push_str("Route Refresh"),
        Capability::CiscoRouteRefresh => s.push_str("Cisco Route Refresh"),
        Capability::ExtendedNextHop(v) => {
            s.push_str("NextHop(");
            join(s, v, ",", |s, (f, nh)| {
                let _ = write!(s, "{} {}", spaced(*f), afi_name(Afi(*nh)));
            });
            s.push(')');
        }
        Capability::ExtendedMessage => s.push_str("Extended Message(65535)"),
        Capability::GracefulRestart {
            restart_flags,
            restart_time,
            families,
        } => {
            let _ = write!(
                s,
                "Graceful Restart Flags {restart_flags:#x} Time {restart_time} "
            );
            join(s, families, " ", |s, (f, flags)| {
                let _ = write!(s, "{}={flags:#x}", slashed(*f));
            });
        }
        Capability::FourOctetAs(asn) => {
            let _ = write!(s, "ASN4({asn})");
        }
        Capability::MultiSession { code, data } => {
            let info = if *code == cap::MULTISESSION {
                " (RFC)"
            } else {
                ""
            };
            let _ = write!(s, "Multisession{info} ");
            join(s, data.get(1..).unwrap_or_default(), " ", |s, id| {
                s.push_str(&code_name(*id))
            });
        }
        Capability::AddPath(v) => {
            s.push_str("AddPath(");
            join(s, v, ",", |s, (f, mode): &(Family, AddPathMode)| {
                let _ = write!(s, "{} {}", mode.name(), spaced(*f));
            });
            s.push(')');
        }
        Capability::EnhancedRouteRefresh => s.push_str("Enhanced Route Refresh"),
        Capability::Hostname { host, domain } => {
            let _ = write!(s, "Hostname({host} {domain})");
        }
        Capability::SoftwareVersion(v) => {
            let _ = write!(s, "Software({v})");
        }
        Capability::Operational => s.push_str("Operational"),
        Capability::Unknown { code, .. } => {
            let class = match iana_class(*code) {
                "reserved" => "Reserved",
                "unassigned" => "Unassigned",
                _ => "Unknown",
            };
            let _ = write!(s, "{class} {code}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The capabilities of the OPEN a test peer sent to ExaBGP 5.0.15 (see tests/json.rs).
    pub(crate) fn received() -> Vec<Capability> {
        vec![
            Capability::Multiprotocol(Family::IPV4_UNICAST),
            Capability::Multiprotocol(Family::IPV6_UNICAST),
            Capability::RouteRefresh,
            Capability::CiscoRouteRefresh,
            Capability::EnhancedRouteRefresh,
            Capability::FourOctetAs(1),
            Capability::AddPath(vec![
                (Family::IPV4_UNICAST, AddPathMode::Both),
                (Family::IPV6_UNICAST, AddPathMode::Receive),
            ]),
            Capability::GracefulRestart {
                restart_flags: 8,
                restart_time: 120,
                families: vec![(Family::IPV4_UNICAST, 0x80), (Family::IPV6_UNICAST, 0)],
            },
            Capability::ExtendedNextHop(vec![(Family::IPV4_UNICAST, 2)]),
            Capability::ExtendedMessage,
            Capability::Hostname {
                host: "evil\"host\nneighbor 1.1.1.1 up".into(),
                domain: "Dom".into(),
            },
            Capability::SoftwareVersion("Evil/1.0 \"x\"\n".into()),
            Capability::Unknown {
                code: 200,
                value: vec![1, 2],
            },
            Capability::Operational,
            Capability::Unknown {
                code: 9,
                value: vec![1],
            },
        ]
    }

    #[test]
    fn received_open_json_is_keyed_by_code() {
        let mut out = String::new();
        json(&mut out, &received(), false);
        assert_eq!(
            out,
            concat!(
                r#""1": { "name": "multiprotocol", "families": [ "ipv4/unicast", "ipv6/unicast" ] }, "#,
                r#""2": { "name": "route-refresh", "variant": "RFC" }, "#,
                r#""128": { "name": "route-refresh", "variant": "Cisco" }, "#,
                r#""70": { "name": "enhanced-route-refresh" }, "65": { "name": "asn4", "asn4": 1 }, "#,
                r#""69": { "name": "addpath", "ipv4/unicast": "send/receive","ipv6/unicast": "receive" }, "#,
                r#""64": { "name": "graceful restart", "time": 120, "address-family-flags": { "#,
                r#""ipv4/unicast": [ "restart" ] , "ipv6/unicast": [ ] }, "restart-flags": [ "forwarding" ]  }, "#,
                r#""5": { "name": "nexthop", "conversion": [ "ipv4/unicast/ipv6" ] }, "#,
                r#""6": { "name": "extended-message", "size": 65535 }, "#,
                r#""73": { "host-name": "evil\"host\nneighbor 1.1.1.1 up", "domain-name": "Dom" }, "#,
                r#""75": { "software": "Evil/1.0 \"x\"\n" }, "#,
                r#""200": { "name": "unknown", "iana": "reserved", "value": 200, "raw": "0102" }, "#,
                r#""185": { "name": "operational" }, "#,
                r#""9": { "name": "unknown", "iana": "unknown", "value": 9, "raw": "01" }"#,
            )
        );
    }

    #[test]
    fn received_open_text_is_sorted_lowercased_and_escaped() {
        let mut out = String::new();
        text(&mut out, &received(), false);
        assert_eq!(
            out,
            concat!(
                "multiprotocol(ipv4 unicast,ipv6 unicast), route refresh, nexthop(ipv4 unicast ipv6), ",
                "extended message(65535), unknown 9, graceful restart flags 0x8 time 120 ipv4/unicast=0x80 ",
                "ipv6/unicast=0x0, asn4(1), addpath(send/receive ipv4 unicast,receive ipv6 unicast), ",
                "enhanced route refresh, hostname(evil\"host\\x0aneighbor 1.1.1.1 up dom), ",
                "software(evil/1.0 \"x\"\\x0a), cisco route refresh, operational, reserved 200",
            )
        );
    }

    /// What ExaBGP 5.0.15 sent with `route-refresh` and `graceful-restart 120` and no host name.
    fn sent() -> Vec<Capability> {
        vec![
            Capability::Multiprotocol(Family::IPV4_UNICAST),
            Capability::Multiprotocol(Family::IPV6_UNICAST),
            Capability::FourOctetAs(1),
            Capability::ExtendedNextHop(vec![(Family::IPV4_UNICAST, 2)]),
            Capability::GracefulRestart {
                restart_flags: 8,
                restart_time: 120,
                families: vec![(Family::IPV4_UNICAST, 0x80), (Family::IPV6_UNICAST, 0x80)],
            },
            Capability::RouteRefresh,
            Capability::EnhancedRouteRefresh,
            Capability::ExtendedMessage,
        ]
    }

    #[test]
    fn sent_open_is_keyed_by_name_with_a_null_hostname() {
        let mut out = String::new();
        json(&mut out, &sent(), true);
        assert_eq!(
            out,
            concat!(
                r#""multiprotocol": { "name": "multiprotocol", "families": [ "ipv4/unicast", "ipv6/unicast" ] }, "#,
                r#""asn4": { "name": "asn4", "asn4": 1 }, "#,
                r#""nexthop": { "name": "nexthop", "conversion": [ "ipv4/unicast/ipv6" ] }, "#,
                r#""graceful-restart": { "name": "graceful restart", "time": 120, "address-family-flags": { "#,
                r#""ipv4/unicast": [ "restart" ] , "ipv6/unicast": [ "restart" ] }, "restart-flags": [ "forwarding" ]  }, "#,
                r#""route-refresh": { "name": "route-refresh", "variant": "RFC" }, "#,
                r#""enhanced-route-refresh": { "name": "enhanced-route-refresh" }, "#,
                r#""extended-message": { "name": "extended-message", "size": 65535 }, "#,
                r#""hostname": { "host-name": null, "domain-name": null }"#,
            )
        );
        let mut t = String::new();
        text(&mut t, &sent(), true);
        assert_eq!(
            t,
            concat!(
                "multiprotocol(ipv4 unicast,ipv6 unicast), route refresh, nexthop(ipv4 unicast ipv6), ",
                "extended message(65535), graceful restart flags 0x8 time 120 ipv4/unicast=0x80 ",
                "ipv6/unicast=0x80, asn4(1), enhanced route refresh, hostname(none none)",
            )
        );
    }
}
