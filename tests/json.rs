//! ferrobgp's helper encoders against ExaBGP 5.0.15's own output.
//!
//! * `updates.txt` (tests/fixtures/json/regen.py): hand-built UPDATEs and what
//!   `exabgp decode` printed for them; decoded here with ferrobgp's decoder and encoded again.
//! * `events-<mode>.{json,text}` (tests/fixtures/json/capture.py): everything ExaBGP wrote to
//!   a JSON and a text helper during a loopback session. Each JSON event is rebuilt from its
//!   inputs (raw messages from the packets events, the header values from the line itself),
//!   encoded with both encoders, and the results must match both files byte for byte.

use std::collections::HashMap;
use std::path::PathBuf;

use ferrobgp::api::encode::{
    Context, Direction, Encoder, FsmState, Header, NegotiatedExtra, Neighbor, Raw,
};
use ferrobgp::bgp::{Afi, Family, Message, Negotiated, Safi};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/json")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim_start_matches("0x");
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).unwrap())
        .collect()
}

/// The header values of a captured line. The time is read from the text: serde_json's
/// default float parsing is not correctly rounded, Rust's `str::parse` is.
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

fn family(s: &str) -> Family {
    let (a, b) = s.split_once(' ').unwrap();
    Family {
        afi: Afi::from_name(a).unwrap(),
        safi: Safi::from_name(b).unwrap(),
    }
}

/// A `Negotiated` with what ExaBGP's negotiated object says.
fn negotiated(v: &Value) -> Negotiated {
    let list = |k: &Value| -> Vec<String> {
        k.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let mut extended_nexthop: HashMap<Family, Vec<u16>> = HashMap::new();
    for nh in list(&v["nexthop"]) {
        let (f, afi) = nh.rsplit_once(' ').unwrap();
        extended_nexthop
            .entry(family(f))
            .or_default()
            .push(Afi::from_name(afi).unwrap().0);
    }
    Negotiated {
        asn4: v["asn4"].as_bool().unwrap(),
        families: list(&v["families"]).iter().map(|f| family(f)).collect(),
        addpath_send: list(&v["add_path"]["send"])
            .iter()
            .map(|f| family(f))
            .collect(),
        addpath_receive: list(&v["add_path"]["receive"])
            .iter()
            .map(|f| family(f))
            .collect(),
        max_message: v["message_size"].as_u64().unwrap() as usize,
        extended_nexthop,
        hold_time: v["hold_time"].as_u64().unwrap() as u16,
        route_refresh: v["refresh"] != "absent",
        enhanced_route_refresh: v["refresh"] == "enhanced",
        ..Negotiated::default()
    }
}

fn extra(v: &Value) -> NegotiatedExtra {
    NegotiatedExtra {
        multisession: v["multisession"].as_bool().unwrap(),
        operational: v["operational"].as_bool().unwrap(),
    }
}

fn direction(v: &Value) -> Direction {
    match v["neighbor"]["direction"].as_str().unwrap() {
        "send" => Direction::Send,
        "receive" => Direction::Receive,
        _ => Direction::Decode,
    }
}

fn fsm_state(s: &str) -> FsmState {
    match s {
        "IDLE" => FsmState::Idle,
        "ACTIVE" => FsmState::Active,
        "CONNECT" => FsmState::Connect,
        "OPENSENT" => FsmState::OpenSent,
        "OPENCONFIRM" => FsmState::OpenConfirm,
        "ESTABLISHED" => FsmState::Established,
        other => panic!("fsm state {other}"),
    }
}

/// Replays one captured session through both encoders.
fn replay(mode: &str) {
    let json_lines = fixture(&format!("events-{mode}.json"));
    let want_text = fixture(&format!("events-{mode}.text"));
    let (json, text) = (Encoder::json(false), Encoder::text());
    // The last raw message seen per (direction, category), from the packets events.
    let mut raw: HashMap<(String, u64), (Vec<u8>, Vec<u8>)> = HashMap::new();
    let mut neg = Negotiated::default();
    let mut got_text = String::new();
    for line in json_lines.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let h = header(&v, line);
        let mut out = String::new();
        let mut txt = String::new();
        let kind = v["type"].as_str().unwrap();
        if kind == "notification" && v["notification"] == "shutdown" {
            json.shutdown(&mut out, &h);
            text.shutdown(&mut txt, &h);
            assert_eq!(out, format!("{line}\n"));
            got_text.push_str(&txt);
            continue;
        }
        let n = neighbor(&v);
        let nb = &v["neighbor"];
        if let Some(cat) = nb["message"]["category"].as_u64() {
            let (hd, bd) = (
                unhex(nb["message"]["header"].as_str().unwrap()),
                unhex(nb["message"]["body"].as_str().unwrap()),
            );
            let dir = direction(&v);
            let negp = nb.get("negotiated").map(|x| (negotiated(x), extra(x)));
            let ctx = Context {
                negotiated: negp.as_ref().map(|(a, b)| (a, *b)),
                raw: Some(Raw {
                    header: &hd,
                    body: &bd,
                }),
            };
            json.packets(&mut out, &h, &n, dir, cat as u8, ctx);
            text.packets(&mut txt, &h, &n, dir, cat as u8, ctx);
            raw.insert((dir.as_str().to_string(), cat), (hd, bd));
        } else {
            // Consolidated events carry their raw message at the top level.
            let top = v.get("header").map(|x| {
                (
                    unhex(x.as_str().unwrap()),
                    v.get("body")
                        .map(|b| unhex(b.as_str().unwrap()))
                        .unwrap_or_default(),
                )
            });
            let raw_of = |cat: u64| -> (Vec<u8>, Vec<u8>) {
                top.clone()
                    .or_else(|| {
                        raw.get(&(nb["direction"].as_str().unwrap_or("").to_string(), cat))
                            .cloned()
                    })
                    .unwrap()
            };
            let consolidated = top.as_ref().map(|(a, b)| Raw { header: a, body: b });
            match kind {
                "fsm" => {
                    json.fsm(&mut out, &h, &n, fsm_state(nb["state"].as_str().unwrap()));
                    assert!(!text.fsm(&mut txt, &h, &n, FsmState::Idle));
                }
                "state" => {
                    let st = nb["state"].as_str().unwrap();
                    for (enc, buf) in [(&json, &mut out), (&text, &mut txt)] {
                        match st {
                            "connected" => enc.connected(buf, &h, &n),
                            "up" => enc.up(buf, &h, &n),
                            _ => enc.down(buf, &h, &n, nb["reason"].as_str().unwrap()),
                        };
                    }
                }
                "negotiated" => {
                    neg = negotiated(&nb["negotiated"]);
                    json.negotiated(&mut out, &h, &n, &neg, extra(&nb["negotiated"]));
                    assert!(!text.negotiated(&mut txt, &h, &n, &neg, NegotiatedExtra::default()));
                }
                "keepalive" => {
                    json.keepalive(&mut out, &h, &n, direction(&v), consolidated);
                    text.keepalive(&mut txt, &h, &n, direction(&v), consolidated);
                }
                "open" | "update" | "refresh" | "notification" => {
                    let cat = match kind {
                        "open" => 1,
                        "update" => 2,
                        "notification" => 3,
                        _ => 5,
                    };
                    let (_, body) = raw_of(cat);
                    let msg = Message::decode(cat as u8, &body, &neg)
                        .unwrap_or_else(|e| panic!("{e}: {line}"));
                    let dir = direction(&v);
                    let negp = nb.get("negotiated").map(|x| (negotiated(x), extra(x)));
                    let ctx = Context {
                        negotiated: negp.as_ref().map(|(a, b)| (a, *b)),
                        raw: consolidated,
                    };
                    match &msg {
                        Message::Open(o) => {
                            json.open(&mut out, &h, &n, dir, o, consolidated);
                            text.open(&mut txt, &h, &n, dir, o, consolidated);
                        }
                        Message::Update(u) => {
                            json.update(&mut out, &h, &n, dir, u, ctx);
                            text.update(&mut txt, &h, &n, dir, u, ctx);
                        }
                        Message::Notification(m) => {
                            json.notification(&mut out, &h, &n, dir, m, consolidated);
                            text.notification(&mut txt, &h, &n, dir, m, consolidated);
                        }
                        Message::RouteRefresh(r) => {
                            json.refresh(&mut out, &h, &n, dir, r, consolidated);
                            text.refresh(&mut txt, &h, &n, dir, r, consolidated);
                        }
                        Message::Keepalive => unreachable!(),
                    }
                }
                other => panic!("event type {other} not covered: {line}"),
            }
        }
        assert_eq!(
            out,
            format!("{line}\n"),
            "JSON differs from ExaBGP ({mode})"
        );
        got_text.push_str(&txt);
    }
    let (mut got_lines, mut want_lines) = (got_text.lines(), want_text.lines());
    loop {
        match (got_lines.next(), want_lines.next()) {
            (None, None) => break,
            (g, w) => assert_eq!(g, w, "text differs from ExaBGP ({mode})"),
        }
    }
    assert_eq!(got_text, want_text);
}

#[test]
fn session_events_match_exabgp_byte_for_byte() {
    replay("parsed");
}

#[test]
fn consolidated_events_match_exabgp_byte_for_byte() {
    replay("consolidate");
}

/// Drops the keys that vary per run.
fn normalised(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        for k in ["time", "host", "pid", "ppid", "counter"] {
            o.remove(k);
        }
    }
    v
}

#[test]
fn decoded_updates_match_exabgp_decode() {
    let text = fixture("updates.txt");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 3 && lines.len().is_multiple_of(3));
    let enc = Encoder::json(false);
    for case in lines.chunks(3) {
        let (name, hex, want) = (case[0].trim_start_matches("# "), case[1], case[2]);
        let body = unhex(hex.rsplit(':').next().unwrap());
        let mut neg = Negotiated::default();
        if name.contains("addpath") {
            neg.addpath_receive = vec![Family::IPV4_UNICAST];
        }
        let Message::Update(u) =
            Message::decode(2, &body, &neg).unwrap_or_else(|e| panic!("{name}: {e}"))
        else {
            panic!("{name}: not an update");
        };
        let v: Value = serde_json::from_str(want).unwrap();
        let mut out = String::new();
        enc.update(
            &mut out,
            &header(&v, want),
            &neighbor(&v),
            Direction::Decode,
            &u,
            Context::default(),
        );
        let got: Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{name}: {e}: {out}"));
        assert_eq!(normalised(got), normalised(v.clone()), "{name}");
        // The spacing matches too, not just the structure.
        assert_eq!(out, format!("{want}\n"), "{name}");
    }
}

/// Whatever a peer sends that the decoder accepts, the JSON stays one valid line and the text
/// lines all belong to the update (no line a helper could take for another event).
#[test]
fn mangled_updates_cannot_break_or_forge_lines() {
    let text = fixture("updates.txt");
    let lines: Vec<&str> = text.lines().collect();
    let (json, txt) = (Encoder::json(false), Encoder::text());
    let h = Header {
        time: 1.0,
        host: "h",
        pid: 1,
        ppid: 2,
        counter: 1,
    };
    let n = Neighbor {
        local_address: None,
        peer_address: "127.0.0.1".parse().unwrap(),
        local_as: 1,
        peer_as: 1,
        router_id: None,
    };
    let (mut checked, mut out, mut t) = (0, String::new(), String::new());
    for case in lines.chunks(3) {
        let body = unhex(case[1].rsplit(':').next().unwrap());
        let mut variants: Vec<Vec<u8>> = (0..body.len()).map(|i| body[..i].to_vec()).collect();
        for i in 0..body.len() {
            for x in [0x01, 0x80, 0xff] {
                let mut b = body.clone();
                b[i] ^= x;
                variants.push(b);
            }
        }
        for b in variants {
            let Ok(Message::Update(u)) = Message::decode(2, &b, &Negotiated::default()) else {
                continue;
            };
            out.clear();
            t.clear();
            json.update(&mut out, &h, &n, Direction::Receive, &u, Context::default());
            txt.update(&mut t, &h, &n, Direction::Receive, &u, Context::default());
            assert!(
                out.is_ascii() && out.ends_with('\n') && out.matches('\n').count() == 1,
                "{out}"
            );
            serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
            assert!(t.is_ascii() && t.ends_with("end\n\n"), "{t}");
            for line in t.lines().filter(|l| !l.is_empty()) {
                assert!(
                    line.starts_with("neighbor 127.0.0.1 receive update "),
                    "{line}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} variants decoded");
}
