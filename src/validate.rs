//! `ferrobgp validate -r`: every configured route must survive the wire. Each route is
//! encoded into UPDATEs as it would be sent to its neighbor, decoded back, and encoded again;
//! the two encodings must be identical and the route must come back.

use std::net::{IpAddr, Ipv4Addr};

use crate::bgp::message::update::encode_announce;
use crate::bgp::message::{Message, HEADER_LEN};
use crate::bgp::{Negotiated, Nlri};
use crate::config::{Config, Neighbor, Route};

/// What `validate -r` found wrong with one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteProblem {
    pub neighbor: IpAddr,
    pub route: String,
    pub problem: String,
}

impl std::fmt::Display for RouteProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "neighbor {} route {}: {}",
            self.neighbor, self.route, self.problem
        )
    }
}

/// The session a neighbor would negotiate with a peer that mirrors its OPEN.
fn negotiated(n: &Neighbor) -> Negotiated {
    let addpath = if n.capabilities.add_path.is_some() {
        n.add_path_families.clone()
    } else {
        Vec::new()
    };
    let mut extended_nexthop: std::collections::HashMap<_, Vec<u16>> = Default::default();
    for (family, afi) in &n.nexthop_families {
        extended_nexthop.entry(*family).or_default().push(*afi);
    }
    Negotiated {
        extended_nexthop,
        local_as: n.local_as,
        peer_as: n.peer_as.unwrap_or(n.local_as),
        asn4: n.capabilities.asn4,
        families: n.families.clone(),
        addpath_send: addpath.clone(),
        addpath_receive: addpath,
        // `next-hop self` resolves to the local address; any address of the right kind will do.
        local_address: n.local_address.or(Some(IpAddr::V4(Ipv4Addr::LOCALHOST))),
        ..Negotiated::default()
    }
}

/// Check every route of every neighbor; returns the number checked and the problems found.
pub fn check_routes(config: &Config) -> (usize, Vec<RouteProblem>) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for n in &config.neighbors {
        let neg = negotiated(n);
        for route in &n.routes {
            checked += 1;
            if let Err(problem) = round_trip(route, &neg) {
                problems.push(RouteProblem {
                    neighbor: n.peer_address,
                    route: describe(&route.nlri),
                    problem,
                });
            }
        }
    }
    (checked, problems)
}

fn round_trip(route: &Route, neg: &Negotiated) -> Result<(), String> {
    let family = route.nlri.family();
    let mut first = Vec::new();
    encode_announce(&mut first, family, &route.attributes, [&route.nlri], neg)
        .map_err(|e| e.to_string())?;
    let mut second = Vec::new();
    let mut found = false;
    for message in split(&first)? {
        let (kind, body) = message;
        let Message::Update(update) =
            Message::decode(kind, body, neg).map_err(|e| format!("does not decode: {e}"))?
        else {
            return Err("did not encode to an UPDATE".into());
        };
        found |= update.announced.iter().any(|n| n.identical(&route.nlri));
        encode_announce(
            &mut second,
            family,
            &update.attributes,
            &update.announced,
            neg,
        )
        .map_err(|e| format!("does not encode again: {e}"))?;
    }
    if !found {
        return Err("the route is not in the UPDATE it encodes to".into());
    }
    if first != second {
        return Err("encoding, decoding and encoding again changes the bytes".into());
    }
    Ok(())
}

/// The route as ExaBGP's text encoder writes it.
fn describe(nlri: &Nlri) -> String {
    let mut s = String::new();
    crate::api::encode::nlri::text(&mut s, nlri);
    crate::api::encode::nlri::text_tail(&mut s, nlri);
    s
}

/// The (type, body) of each message in `bytes`.
fn split(bytes: &[u8]) -> Result<Vec<(u8, &[u8])>, String> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let len = match (rest.get(16), rest.get(17)) {
            (Some(&hi), Some(&lo)) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err("truncated message".into()),
        };
        let kind = rest.get(18).copied().ok_or("truncated message")?;
        let body = rest.get(HEADER_LEN..len).ok_or("bad message length")?;
        out.push((kind, body));
        rest = rest.get(len..).unwrap_or_default();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_routes_survive_the_wire() {
        let text = "neighbor 127.0.0.1 { local-as 1; peer-as 2; router-id 1.1.1.1; local-address 127.0.0.1;\n\
            static { route 10.0.0.0/24 next-hop self med 5 community [1:2 no-export] as-path [ 1 2 ];\n\
            route 2001:db8::/32 next-hop 2001:db8::1 large-community [1:2:3]; } }";
        let config = crate::config::load_str(text, std::path::Path::new("t.conf")).unwrap();
        let (checked, problems) = check_routes(&config);
        assert_eq!(checked, 2);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
