//! Labelled unicast, MPLS VPN and BGP Prefix-SID routes, round trip against ExaBGP 5.0.15
//! (tests/fixtures/vpn/regen.py): each case is a `static` route; ExaBGP packed it (the `hex`
//! lines) and `exabgp decode` printed the first message (the `json` line). ferrobgp must parse
//! the same route words, pack the same bytes, decode them back to the same route, and print
//! the same JSON, byte for byte.

use std::path::{Path, PathBuf};

use ferrobgp::api::encode::{Context, Direction, Encoder, Header, Neighbor};
use ferrobgp::bgp::message::update::encode_announce;
use ferrobgp::bgp::{Family, Message, Negotiated, Nlri};
use ferrobgp::config::{parse_route_words, tokenize_line};
use serde_json::Value;

struct Case {
    name: String,
    options: String,
    route: String,
    hex: Vec<String>,
    json: String,
}

fn cases() -> Vec<Case> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vpn/cases.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut v: Vec<Case> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("# ") {
            if !name.starts_with("generated") {
                v.push(Case {
                    name: name.to_string(),
                    options: String::new(),
                    route: String::new(),
                    hex: Vec::new(),
                    json: String::new(),
                });
            }
            continue;
        }
        let c = v.last_mut().expect("a case starts with '# name'");
        let (key, value) = line
            .split_once(": ")
            .unwrap_or((line.trim_end_matches(':'), ""));
        match key {
            "options" => c.options = value.to_string(),
            "route" => c.route = value.to_string(),
            "hex" => c.hex.push(value.to_string()),
            "json" => c.json = value.to_string(),
            other => panic!("unknown fixture key {other}"),
        }
    }
    v
}

const FAMILIES: [Family; 6] = [
    Family::new(1, 1),
    Family::new(1, 4),
    Family::new(1, 128),
    Family::new(2, 1),
    Family::new(2, 4),
    Family::new(2, 128),
];

/// The session regen.py packs for: iBGP AS 1, 4-byte ASNs, ADD-PATH both ways with `addpath`;
/// RFC 8950 next hops are negotiated so the IPv6 next hops of IPv4 VPN routes decode.
fn session(addpath: bool) -> Negotiated {
    Negotiated {
        extended_nexthop: [(Family::new(1, 128), vec![2]), (Family::new(1, 4), vec![2])]
            .into_iter()
            .collect(),
        local_as: 1,
        peer_as: 1,
        asn4: true,
        families: FAMILIES.to_vec(),
        addpath_send: if addpath {
            FAMILIES.to_vec()
        } else {
            Vec::new()
        },
        addpath_receive: if addpath {
            FAMILIES.to_vec()
        } else {
            Vec::new()
        },
        max_message: 4096,
        local_address: "127.0.0.1".parse().ok(),
        ..Negotiated::default()
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).unwrap())
        .collect()
}

/// `MARKER:LENGTH:TYPE:BODY` for each message of a buffer.
fn messages(mut buf: &[u8]) -> Vec<String> {
    let mut v = Vec::new();
    while buf.len() >= 19 {
        let len = usize::from(u16::from_be_bytes([buf[16], buf[17]]));
        let (m, rest) = buf.split_at(len);
        v.push(format!(
            "{}:{}:{}:{}",
            hex(&m[..16]),
            hex(&m[16..18]),
            hex(&m[18..19]),
            hex(&m[19..])
        ));
        buf = rest;
    }
    v
}

fn header<'a>(v: &'a Value, line: &str) -> Header<'a> {
    let time = line
        .split("\"time\": ")
        .nth(1)
        .and_then(|t| t.split(',').next())
        .unwrap();
    Header {
        time: time.parse().unwrap(),
        host: v["host"].as_str().unwrap(),
        pid: v["pid"].as_u64().unwrap() as u32,
        ppid: v["ppid"].as_u64().unwrap() as u32,
        counter: v["counter"].as_u64().unwrap_or(0),
    }
}

fn neighbor(v: &Value) -> Neighbor {
    let n = &v["neighbor"];
    Neighbor {
        local_address: n["address"]["local"].as_str().unwrap().parse().ok(),
        peer_address: n["address"]["peer"].as_str().unwrap().parse().unwrap(),
        local_as: n["asn"]["local"].as_u64().unwrap() as u32,
        peer_as: n["asn"]["peer"].as_u64().unwrap() as u32,
        router_id: n["router-id"].as_str().map(|s| s.parse().unwrap()),
    }
}

#[test]
fn config_routes_pack_and_decode_as_exabgp() {
    let cases = cases();
    assert!(cases.len() >= 15, "too few cases: {}", cases.len());
    let mut checked_json = 0;
    for c in &cases {
        let name = &c.name;
        let addpath = c.options.contains("addpath");
        let words = tokenize_line(&c.route).unwrap();
        let routes = parse_route_words(&words, None, Path::new("t.conf"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(routes.len(), 1, "{name}");
        let route = &routes[0];
        let family = route.nlri.family();
        assert!(
            matches!(route.nlri, Nlri::Labelled(_)),
            "{name}: {family} route is not labelled"
        );

        // Same bytes as ExaBGP.
        let neg = session(addpath);
        let mut out = Vec::new();
        encode_announce(&mut out, family, &route.attributes, [&route.nlri], &neg)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(messages(&out), c.hex, "{name}: {}", c.route);

        // Decoded back to the same route: labels included (`==` leaves them out).
        let first = c.hex[0].rsplit(':').next().unwrap();
        let Message::Update(u) =
            Message::decode(2, &unhex(first), &neg).unwrap_or_else(|e| panic!("{name}: {e}"))
        else {
            panic!("{name}: not an update");
        };
        assert_eq!(u.announced.len(), 1, "{name}");
        assert!(
            u.announced[0].identical(&route.nlri),
            "{name}: {:?}",
            u.announced[0]
        );

        // Same JSON as `exabgp decode` (which reads path ids with -i, as `addpath` asks).
        if c.json.starts_with("refused by exabgp decode") {
            continue;
        }
        let v: Value = serde_json::from_str(&c.json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut got = String::new();
        Encoder::json(false).update(
            &mut got,
            &header(&v, &c.json),
            &neighbor(&v),
            Direction::Decode,
            &u,
            Context::default(),
        );
        assert_eq!(got, format!("{}\n", c.json), "{name}");
        checked_json += 1;
    }
    assert!(checked_json >= 15, "only {checked_json} JSON comparisons");
}

/// Withdrawals decode to the same JSON shape ExaBGP prints (`withdraw` keeps labels and RD).
#[test]
fn vpn_withdrawal_json() {
    // api-vpnv4's withdrawal, as the test peer expects it and `exabgp decode` shows it.
    let body = unhex("0000003B400101004002004003046501650140050400000064C0080400640001C010080002FDE900000001800F1100018068003E810000FDE8000000010104");
    let Message::Update(u) = Message::decode(2, &body, &session(false)).unwrap() else {
        panic!("not an update")
    };
    let h = Header {
        time: 1.0,
        host: "h",
        pid: 1,
        ppid: 2,
        counter: 1,
    };
    let n = Neighbor {
        local_address: "127.0.0.1".parse().ok(),
        peer_address: "127.0.0.1".parse().unwrap(),
        local_as: 1,
        peer_as: 1,
        router_id: None,
    };
    let mut got = String::new();
    Encoder::json(false).update(&mut got, &h, &n, Direction::Decode, &u, Context::default());
    let v: Value = serde_json::from_str(&got).unwrap();
    let want: Value = serde_json::from_str(r#"{ "update": { "attribute": { "origin": "igp", "local-preference": 100, "community": [ [ 100, 1 ] ], "extended-community": [ { "value": 842127122628609, "string": "target:65001:1" } ] }, "withdraw": { "ipv4 mpls-vpn": [ { "nlri": "1.4.0.0/16", "label": [ [1000] ], "rd": "65000:1" } ] } } }"#).unwrap();
    assert_eq!(v["neighbor"]["message"], want);
}

/// The text encoder puts labels before the next hop and the RD after it, as ExaBGP's
/// `extensive()` does (`10.0.0.0/24 label 1000 next-hop 1.2.3.4 rd 65000:1`).
#[test]
fn vpn_text_lines() {
    let case = cases()
        .into_iter()
        .find(|c| c.name == "vpn4-rd-type0")
        .expect("vpn4-rd-type0 case");
    let body = unhex(case.hex[0].rsplit(':').next().unwrap());
    let Message::Update(u) = Message::decode(2, &body, &session(false)).unwrap() else {
        panic!("not an update")
    };
    let h = Header {
        time: 1.0,
        host: "h",
        pid: 1,
        ppid: 2,
        counter: 1,
    };
    let n = Neighbor {
        local_address: "127.0.0.1".parse().ok(),
        peer_address: "127.0.0.1".parse().unwrap(),
        local_as: 1,
        peer_as: 1,
        router_id: None,
    };
    let mut got = String::new();
    Encoder::text().update(&mut got, &h, &n, Direction::Receive, &u, Context::default());
    assert!(
        got.contains(
            "neighbor 127.0.0.1 receive update announced 10.0.0.0/24 label 1000 next-hop 1.2.3.4 rd 65000:1 origin igp"
        ),
        "{got}"
    );
    // A withdrawal: no next hop, the RD right after the labels.
    let mut w = u.clone();
    w.withdrawn = std::mem::take(&mut w.announced);
    let mut got = String::new();
    Encoder::text().update(&mut got, &h, &n, Direction::Receive, &w, Context::default());
    assert!(
        got.contains("receive update withdrawn 10.0.0.0/24 label 1000 rd 65000:1\n"),
        "{got}"
    );
}

/// In the Adj-RIB-Out a labelled route is identified by family, path id, RD and prefix (as
/// ExaBGP indexes it): a new label replaces the route and is sent, a repeat is not, and a
/// withdrawal finds the route whatever labels it carries.
#[test]
fn rib_identity_leaves_labels_out() {
    use ferrobgp::rib::out::AdjRibOut;
    let route = |text: &str| {
        let words = tokenize_line(text).unwrap();
        parse_route_words(&words, None, Path::new("t"))
            .unwrap()
            .remove(0)
    };
    let a = route("10.0.0.0/24 rd 65000:1 next-hop 1.2.3.4 label 1000");
    let b = route("10.0.0.0/24 rd 65000:1 next-hop 1.2.3.4 label 2000");
    let attrs = a.attributes.clone();
    let neg = session(false);
    let mut rib = AdjRibOut::default();
    rib.start_session(&[]);
    assert!(rib.announce(a.nlri.clone(), attrs.clone(), true));
    assert!(
        !rib.announce(a.nlri.clone(), attrs.clone(), true),
        "a repeat"
    );
    assert!(
        rib.announce(b.nlri.clone(), attrs.clone(), true),
        "a new label"
    );
    assert_eq!(rib.len(), 1);
    let mut out = Vec::new();
    rib.encode(&mut out, usize::MAX, false, &neg).unwrap();
    let sent = messages(&out);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("7D01"), "label 2000 is sent: {sent:?}");
    // The table keeps the new label for the next session.
    let kept = rib.routes().next().map(|(n, _)| n.into_owned());
    assert!(kept.is_some_and(|n| n.identical(&b.nlri)));
    let w = route("10.0.0.0/24 rd 65000:1 next-hop 1.2.3.4");
    assert!(rib.withdraw(&w.nlri, attrs, false));
    assert!(rib.is_empty());
}

/// Every truncation and one-byte change of every fixture UPDATE decodes or is refused,
/// never panics.
#[test]
fn mangled_fixture_updates_never_panic() {
    for addpath in [false, true] {
        let neg = session(addpath);
        for c in cases() {
            for h in &c.hex {
                let body = unhex(h.rsplit(':').next().unwrap());
                for n in 0..body.len() {
                    let _ = Message::decode(2, &body[..n], &neg);
                    for x in [0x00, 0x01, 0x80, 0xff] {
                        let mut b = body.clone();
                        b[n] ^= x;
                        let _ = Message::decode(2, &b, &neg);
                    }
                }
            }
        }
    }
}
