//! `validate -r`: every configured route must survive the wire. Each route is encoded into
//! UPDATEs as it would be sent over an iBGP session mirroring its neighbor's OPEN, decoded
//! back and encoded again; the route must come back, its text must read the same, and the two
//! encodings must be identical. With `-v` each step is logged as ExaBGP's validator logs it.

use std::net::{IpAddr, Ipv4Addr};

use crate::api::encode::{self, attr, nlri, Direction, Header};
use crate::bgp::message::update::encode_announce;
use crate::bgp::message::{Message, Update, HEADER_LEN};
use crate::bgp::Negotiated;
use crate::config::{Config, Neighbor, Route};

use super::render::{change_text, Spelling};
use super::wire_log;

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

/// The ASN of ExaBGP's synthetic iBGP check session: the peer's, else our own.
fn check_as(n: &Neighbor) -> u32 {
    n.peer_as.unwrap_or(n.local_as)
}

/// The session a neighbor would negotiate with a peer that mirrors its OPEN, as iBGP (ExaBGP
/// validates through iBGP so that no ASN is lost).
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
    let asn = check_as(n);
    Negotiated {
        extended_nexthop,
        local_as: asn,
        peer_as: asn,
        asn4: n.capabilities.asn4,
        families: n.families.clone(),
        addpath_send: addpath.clone(),
        addpath_receive: addpath,
        // `next-hop self` resolves to the local address; any address of the right kind will do.
        local_address: n.local_address.or(Some(IpAddr::V4(Ipv4Addr::LOCALHOST))),
        router_id: n.router_id,
        ..Negotiated::default()
    }
}

/// Check every route of every neighbor without logging; returns the number checked and the
/// problems found.
pub fn check_routes(config: &Config) -> (usize, Vec<RouteProblem>) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for n in &config.neighbors {
        let mut checker = Checker::new(n, false, Spelling::default());
        for route in &n.routes {
            checked += 1;
            if let Err(problem) = checker.check(route) {
                problems.push(RouteProblem {
                    neighbor: n.peer_address,
                    route: change_text(&route.nlri, &route.attributes, n.local_address),
                    problem,
                });
            }
        }
    }
    (checked, problems)
}

/// Checks the routes of one neighbor, logging under `parser` / `routes` when `log` is set.
pub struct Checker<'a> {
    n: &'a Neighbor,
    neg: Negotiated,
    log: bool,
    /// The JSON event counter of the decoded UPDATEs.
    counter: u64,
    /// The previous UPDATE's attribute bytes (see `wire_log::update`).
    cache: Option<Vec<u8>>,
    spelling: Spelling,
}

fn debug(target: &str, line: &str) {
    log::debug!(target: target, "{line}");
}

impl<'a> Checker<'a> {
    pub fn new(n: &'a Neighbor, log: bool, spelling: Spelling) -> Checker<'a> {
        Checker {
            n,
            neg: negotiated(n),
            log,
            counter: 0,
            cache: None,
            spelling,
        }
    }

    fn debug(&self, line: &str) {
        if self.log {
            debug("parser", line);
        }
    }

    /// Check one route; `Err` says what went wrong.
    pub fn check(&mut self, route: &Route) -> Result<(), String> {
        let result = self.round_trip(route);
        if let Err(problem) = &result {
            self.debug("----------------------------------------");
            self.debug(problem);
            self.debug("----------------------------------------");
        }
        result
    }

    fn round_trip(&mut self, route: &Route) -> Result<(), String> {
        let local = self.n.local_address;
        let original = self
            .spelling
            .apply(change_text(&route.nlri, &route.attributes, local));
        let family = route.nlri.family();
        let mut bytes = Vec::new();
        encode_announce(
            &mut bytes,
            family,
            &route.attributes,
            [&route.nlri],
            &self.neg,
        )
        .map_err(|e| e.to_string())?;
        let packed = split(&bytes)?;
        let Some(&(first, kind, body)) = packed.first() else {
            return Err("the route encodes to no UPDATE".into());
        };
        self.debug(&format!("parsed route requires {} updates", packed.len()));
        self.debug(&format!("update size is {}", first.len()));
        self.debug(&format!("parsed route {original}"));
        self.debug(&format!("parsed hex   {}", wire_log::od(first)));
        if self.log {
            wire_log::update(body, &self.neg, &mut self.cache);
        }
        let Message::Update(update) =
            Message::decode(kind, body, &self.neg).map_err(|e| format!("does not decode: {e}"))?
        else {
            return Err("did not encode to an UPDATE".into());
        };
        if self.log {
            self.decoded_json(&update);
        }
        let Some(back) = update.announced.first() else {
            return Err(format!(
                "the route generated no NLRI when read back: {original}"
            ));
        };
        let decoded = change_text(back, &update.attributes, local);
        let mut again = Vec::new();
        encode_announce(&mut again, family, &update.attributes, [back], &self.neg)
            .map_err(|e| format!("does not encode again: {e}"))?;
        let recoded = split(&again)?;
        let recoded_first = recoded.first().map_or(&[][..], |m| m.0);
        self.debug(&format!("recoded route {decoded}"));
        self.debug(&format!("recoded hex   {}", wire_log::od(recoded_first)));
        if !back.identical(&route.nlri) {
            return Err("the route is not in the UPDATE it encodes to".into());
        }
        let (o, d) = normalise(&original, &decoded);
        if o != d {
            if original.contains("=http") || original.contains("=ndl-aas") {
                self.debug("skipping string and encoding checks on named flow attribute(s)");
            } else {
                self.debug("strings are different:");
                self.debug(&format!("[{o}]"));
                self.debug(&format!("[{d}]"));
                return Err("the route does not read the same once decoded".into());
            }
        } else {
            self.debug("strings are fine");
            if bytes != again {
                self.debug("encoding are different");
                return Err("encoding, decoding and encoding again changes the bytes".into());
            }
            self.debug("encoding is fine");
            self.debug("----------------------------------------");
        }
        if self.log {
            let mut s = String::from("JSON nlri ");
            nlri::json(&mut s, &route.nlri, false);
            self.debug(&s);
            let mut s = String::new();
            attr::json(&mut s, &route.attributes, false);
            self.debug(&format!("JSON attr {}", generic_json(&s)));
        }
        Ok(())
    }

    /// ExaBGP logs each decoded UPDATE as the JSON a helper would receive.
    fn decoded_json(&mut self, update: &Update) {
        self.counter += 1;
        let asn = check_as(self.n);
        let neighbor = encode::Neighbor {
            local_address: self.n.local_address,
            peer_address: self.n.peer_address,
            local_as: asn,
            peer_as: asn,
            router_id: self.n.router_id,
        };
        let time = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let host = super::host_name();
        let header = Header {
            time,
            host: &host,
            pid: std::process::id(),
            ppid: std::os::unix::process::parent_id(),
            counter: self.counter,
        };
        let mut json = String::new();
        encode::Encoder::json(false).update(
            &mut json,
            &header,
            &neighbor,
            Direction::Receive,
            update,
            encode::Context::default(),
        );
        self.debug(&format!("decoded UPDATE (   0) json {}", json.trim_end()));
    }
}

/// ExaBGP's comparison of the configured and the decoded route text: the attributes an
/// iBGP UPDATE adds by default are not differences.
fn normalise(original: &str, decoded: &str) -> (String, String) {
    let strip = |s: &str| {
        s.to_lowercase()
            .replace(" med 100", "")
            .replace(" local-preference 100", "")
            .replace(" origin igp", "")
    };
    let original = strip(&original.replace("attribute [ 0x04 0x80 0x00000064 ]", "med 100"));
    let decoded = strip(decoded).replace(
        "large-community [ 1:2:3 10:11:12 ]",
        "attribute [ 0x20 0xc0 0x0000000100000002000000030000000a0000000b0000000c ]",
    );
    (original, decoded)
}

/// ExaBGP's JSON for a configured `attribute [ code flag 0xdata ]` whose code it knows: under
/// the attribute's name, its hex for the scalar kinds, and an id/flag/payload object for the
/// list kinds (an ExaBGP quirk, mirrored so the output is the same).
fn generic_json(json: &str) -> String {
    const KEY: &str = "\"attribute-0x";
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(at) = rest.find(KEY) {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        // "attribute-0xCC-0xFF": "0xHEX"
        let parsed = (|| {
            let code = u8::from_str_radix(tail.get(13..15)?, 16).ok()?;
            let flag = u8::from_str_radix(tail.get(18..20)?, 16).ok()?;
            let value = tail.get(20..)?.strip_prefix("\": \"0x")?;
            let end = value.find('"')?;
            let hex = value.get(..end)?;
            Some((code, flag, hex, 20 + 6 + end + 1))
        })();
        let Some((code, flag, hex, used)) = parsed else {
            out.push_str(KEY);
            rest = tail.get(KEY.len()..).unwrap_or_default();
            continue;
        };
        let list = match code {
            2 => Some("as-path"),
            8 => Some("community"),
            10 => Some("cluster-list"),
            16 => Some("extended-community"),
            25 => Some("extended-community-ipv6"),
            29 => Some("bgp-ls"),
            32 => Some("large-community"),
            40 => Some("bgp-prefix-sid"),
            _ => None,
        };
        let scalar = match code {
            1 => Some("origin"),
            3 => Some("next-hop"),
            4 => Some("med"),
            5 => Some("local-preference"),
            7 | 18 => Some("aggregator"),
            9 => Some("originator-id"),
            22 => Some("pmsi"),
            26 => Some("aigp"),
            _ => None,
        };
        match (list, scalar) {
            (Some(name), _) => {
                let upper = hex.to_uppercase();
                out.push_str(&format!(
                    "\"{name}\": {{ \"id\": {code}, \"flag\": {flag}, \"payload\": \"0x{upper}\"}}"
                ));
            }
            (None, Some(name)) => out.push_str(&format!("\"{name}\": \"0x{hex}\"")),
            (None, None) => out.push_str(tail.get(..used).unwrap_or_default()),
        }
        rest = tail.get(used..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// One BGP message: all of it, its type, and its body after the header.
type Framed<'a> = (&'a [u8], u8, &'a [u8]);

/// Each message in `bytes`.
fn split(bytes: &[u8]) -> Result<Vec<Framed<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let len = match (rest.get(16), rest.get(17)) {
            (Some(&hi), Some(&lo)) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err("truncated message".into()),
        };
        let kind = rest.get(18).copied().ok_or("truncated message")?;
        let whole = rest.get(..len).ok_or("bad message length")?;
        let body = whole.get(HEADER_LEN..).ok_or("bad message length")?;
        out.push((whole, kind, body));
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

    #[test]
    fn generic_attributes_of_known_codes_show_as_exabgp_shows_them() {
        assert_eq!(
            generic_json("\"attribute-0x04-0x80\": \"0x00000064\""),
            "\"med\": \"0x00000064\""
        );
        assert_eq!(
            generic_json("\"origin\": \"igp\", \"attribute-0x20-0xC0\": \"0x0a\""),
            "\"origin\": \"igp\", \"large-community\": { \"id\": 32, \"flag\": 192, \"payload\": \"0x0A\"}"
        );
        let unknown = "\"attribute-0x99-0x60\": \"0x00000064\"";
        assert_eq!(generic_json(unknown), unknown);
        assert_eq!(generic_json("\"attribute-0x"), "\"attribute-0x");
    }

    #[test]
    fn default_ibgp_attributes_are_not_differences() {
        let (o, d) = normalise(
            "10.0.0.0/24 next-hop 1.1.1.1 MED 5",
            "10.0.0.0/24 next-hop 1.1.1.1 origin igp med 5 local-preference 100",
        );
        assert_eq!(o, d);
    }
}
