//! The wire codec against the shared suite's expected messages: every `raw` message of every
//! `encoding/*.msg` decodes (no panic; UPDATEs of the families the codec types decode without
//! error) and re-encodes to the same bytes. Skips, saying why, when the suite is absent.

use std::path::{Path, PathBuf};
use std::time::Instant;

use ferrobgp::bgp::attribute::{Attributes, NextHop};
use ferrobgp::bgp::message::update::encode_announce;
use ferrobgp::bgp::message::{parse_header, Message, MAX_EXTENDED_LEN};
use ferrobgp::bgp::{Family, Negotiated, Nlri};

fn suite() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/exabgp-suite");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let d: Vec<u8> = s.bytes().filter(|c| c.is_ascii_hexdigit()).collect();
    d.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}

/// The session the test's configuration makes: 2-byte ASNs with `asn4 disable`, ADD-PATH
/// both ways with `add-path`, extended messages unless disabled.
fn session_for(suite: &Path, msg: &Path) -> Negotiated {
    let mut neg = Negotiated {
        max_message: MAX_EXTENDED_LEN,
        ..Negotiated::default()
    };
    // `option:asn:N`: the test peer answers with another AS, making the session eBGP.
    if std::fs::read_to_string(msg)
        .unwrap_or_default()
        .contains("option:asn:")
    {
        neg.peer_as = 1;
    }
    let ci = msg.with_extension("ci");
    let confs = std::fs::read_to_string(ci).unwrap_or_default();
    for conf in confs.split_whitespace() {
        let text = std::fs::read_to_string(suite.join("etc").join(conf)).unwrap_or_default();
        if text.contains("asn4 disable") {
            neg.asn4 = false;
        }
        // `nexthop true;` (RFC 8950): a next hop of the other AFI is accepted.
        if text.contains("nexthop true") {
            neg.extended_nexthop.insert(Family::IPV4_UNICAST, vec![2]);
            neg.extended_nexthop.insert(Family::IPV6_UNICAST, vec![1]);
        }
        if text.contains("add-path send") || text.contains("add-path receive") {
            neg.addpath_receive = Family::ALL.to_vec();
            neg.addpath_send = Family::ALL.to_vec();
        }
    }
    neg
}

#[test]
fn every_suite_message_decodes_and_re_encodes() {
    let Some(suite) = suite() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite.join("encoding"))
        .expect("encoding folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "msg"))
        .collect();
    files.sort();
    let (mut total, mut typed) = (0, 0);
    for file in &files {
        let neg = session_for(&suite, file);
        let text = std::fs::read_to_string(file).expect("readable .msg");
        for line in text.lines() {
            let mut parts = line.splitn(3, ':');
            let (Some(_), Some("raw"), Some(hex)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let Some(bytes) = unhex(hex) else {
                panic!("{}: bad hex {line}", file.display())
            };
            total += 1;
            let (len, kind) = parse_header(&bytes[..19], MAX_EXTENDED_LEN)
                .unwrap_or_else(|e| panic!("{}: {line}: {e}", file.display()));
            assert_eq!(len, bytes.len(), "{}: {line}", file.display());
            let decoded = Message::decode(kind, &bytes[19..], &neg);
            let m = match decoded {
                Ok(m) => m,
                Err(e) => panic!("{}: {line}: {e}", file.display()),
            };
            // Re-encoding is exact for the messages whose NLRI are typed (or kept whole).
            if let Message::Update(u) = &m {
                let inet = u
                    .announced
                    .iter()
                    .chain(&u.withdrawn)
                    .all(|n| matches!(n, Nlri::Inet { .. }));
                let one_mp = u
                    .announced
                    .iter()
                    .map(Nlri::family)
                    .filter(|f| *f != Family::IPV4_UNICAST)
                    .count()
                    <= 1;
                // An IPv4 unicast End-of-RIB sent as an empty MP_UNREACH is re-sent in the
                // RFC 4724 short form.
                let long_eor = u.eor == Some(Family::IPV4_UNICAST) && bytes.len() != 23;
                if !inet || !one_mp || long_eor {
                    continue;
                }
            }
            let mut out = Vec::new();
            m.encode(&neg, &mut out)
                .unwrap_or_else(|e| panic!("{}: {line}: {e}", file.display()));
            assert_eq!(out, bytes, "{}: {line}", file.display());
            typed += 1;
        }
    }
    eprintln!("{total} messages decoded, {typed} re-encoded byte for byte");
    assert!(total > 300 && typed > 150, "{total} / {typed}");
}

#[test]
fn a_million_routes_encode_quickly() {
    let neg = Negotiated {
        local_as: 65000,
        peer_as: 65000,
        ..Negotiated::default()
    };
    let attrs = Attributes {
        next_hop: Some(NextHop::Addr("192.0.2.1".parse().expect("address"))),
        med: Some(10),
        ..Attributes::default()
    };
    let nlris: Vec<Nlri> = (0..1_000_000u32)
        .map(|i| Nlri::Inet {
            family: Family::IPV4_UNICAST,
            prefix: ferrobgp::bgp::Prefix::V4 {
                addr: (10 << 24) | (i << 4),
                len: 28,
            },
            path_id: None,
        })
        .collect();
    let mut out = Vec::with_capacity(8 << 20);
    let start = Instant::now();
    let n = encode_announce(&mut out, Family::IPV4_UNICAST, &attrs, &nlris, &neg).expect("encodes");
    let took = start.elapsed();
    eprintln!("1M routes: {n} UPDATEs, {} bytes in {took:?}", out.len());
    assert_eq!(out.len(), nlris.len() * 5 + n * (19 + 4 + 28));
}

#[test]
fn suite_messages_cut_or_corrupted_never_panic() {
    let Some(suite) = suite() else { return };
    let neg = Negotiated {
        max_message: MAX_EXTENDED_LEN,
        ..Negotiated::default()
    };
    let mut n = 0usize;
    for entry in std::fs::read_dir(suite.join("encoding"))
        .expect("encoding folder")
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines().filter(|l| l.contains(":raw:")) {
            let Some(bytes) = line.split(":raw:").nth(1).and_then(unhex) else {
                continue;
            };
            let decode = |b: &[u8]| {
                let r = parse_header(b.get(..19).unwrap_or(b), MAX_EXTENDED_LEN).and_then(
                    |(_, kind)| Message::decode(kind, b.get(19..).unwrap_or_default(), &neg),
                );
                if let Err(e) = r {
                    assert!((1..=7).contains(&e.notify.code), "{e}");
                }
            };
            for cut in 0..bytes.len() {
                decode(&bytes[..cut]);
            }
            let mut m = bytes.clone();
            for i in 19..m.len() {
                let orig = m[i];
                for b in [0, 0xff, orig ^ 0x80, orig ^ 0x01] {
                    m[i] = b;
                    decode(&m);
                    n += 1;
                }
                m[i] = orig;
            }
        }
    }
    eprintln!("{n} corrupted messages decoded without panic");
}

/// The routes of each test's configuration, grouped by attributes as ExaBGP groups them,
/// encode to UPDATEs the test expects.
#[test]
fn config_routes_encode_to_the_expected_updates() {
    use ferrobgp::bgp::message::update::encode_announce as announce;
    use ferrobgp::peer::negotiate::negotiate;
    use ferrobgp::peer::open::build_open;
    let Some(suite) = suite() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite.join("encoding"))
        .expect("encoding folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "msg"))
        .collect();
    files.sort();
    let (mut checked, mut matched, mut missing) = (0, 0, Vec::new());
    for file in &files {
        let msg = std::fs::read_to_string(file).unwrap_or_default();
        let expected: Vec<String> = msg
            .lines()
            .filter_map(|l| l.split(":raw:").nth(1))
            .map(|h| {
                h.chars()
                    .filter(|c| c.is_ascii_hexdigit())
                    .collect::<String>()
                    .to_uppercase()
            })
            .collect();
        let asn: Option<u16> = msg
            .lines()
            .find_map(|l| l.strip_prefix("option:asn:")?.trim().parse().ok());
        let ci = std::fs::read_to_string(file.with_extension("ci")).unwrap_or_default();
        let Some(conf) = ci.split_whitespace().next() else {
            continue;
        };
        let path = suite.join("etc").join(conf);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(config) = ferrobgp::config::load_str(&text, &path) else {
            continue;
        };
        for n in &config.neighbors {
            let rid = n.router_id.unwrap_or(std::net::Ipv4Addr::new(127, 0, 0, 1));
            let sent = build_open(n, rid, "5.0.0-0+test");
            let mut received = sent.clone();
            match asn {
                Some(a) => {
                    received.asn = a;
                    for c in &mut received.capabilities {
                        if let ferrobgp::bgp::capability::Capability::FourOctetAs(x) = c {
                            *x = u32::from(a);
                        }
                    }
                }
                None => {
                    let mut o = rid.octets();
                    o[3] = o[3].wrapping_add(1);
                    received.router_id = o.into();
                }
            }
            let local = n.local_address.unwrap_or(n.peer_address);
            let Ok(neg) = negotiate(n, &sent, &received, local) else {
                continue;
            };
            // Routes with the same attributes go in one UPDATE with group-updates, and only
            // for IPv4 unicast: ExaBGP's RIB sends every other family one route per UPDATE.
            let mut groups: Vec<(Family, &Attributes, Vec<&Nlri>)> = Vec::new();
            for r in n.routes.iter().filter(|r| !r.withdrawn()) {
                let family = r.nlri.family();
                if !matches!(r.nlri, Nlri::Inet { .. }) || !neg.families.contains(&family) {
                    continue;
                }
                let same = |g: &&mut (Family, &Attributes, Vec<&Nlri>)| {
                    g.0 == family && *g.1 == *r.attributes
                };
                let grouped = n.group_updates && family == Family::IPV4_UNICAST;
                match groups.iter_mut().find(|g| grouped && same(g)) {
                    Some(g) => g.2.push(&r.nlri),
                    None => groups.push((family, &r.attributes, vec![&r.nlri])),
                }
            }
            for (family, attrs, mut nlris) in groups {
                let mut out = Vec::new();
                if announce(&mut out, family, attrs, nlris.iter().copied(), &neg).is_err() {
                    continue;
                }
                let mut sorted = Vec::new();
                nlris.sort();
                let _ = announce(&mut sorted, family, attrs, nlris.iter().copied(), &neg);
                let mut rest = &out[..];
                while rest.len() >= 19 {
                    let len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
                    let hex: String = rest[..len].iter().map(|b| format!("{b:02X}")).collect();
                    checked += 1;
                    let alt: String = sorted
                        .get(out.len() - rest.len()..)
                        .unwrap_or_default()
                        .iter()
                        .take(len)
                        .map(|b| format!("{b:02X}"))
                        .collect();
                    if expected.contains(&hex) {
                        matched += 1;
                    } else if expected.contains(&alt) {
                        // Same UPDATE with the prefixes in another order: the order routes
                        // reach the RIB (template routes first?) is not the codec's.
                        eprintln!("order differs: {}: {hex}", file.display());
                        matched += 1;
                    } else {
                        missing.push(format!(
                            "{}: {} routes -> {hex}",
                            file.display(),
                            nlris.len()
                        ));
                    }
                    rest = &rest[len..];
                }
            }
        }
    }
    for m in &missing {
        eprintln!("not expected: {m}");
    }
    eprintln!("{matched} of {checked} UPDATEs built from configured routes are expected ones");
    assert!(checked > 20 && missing.is_empty());
}

#[test]
fn labelled_and_vpn_nlri_of_the_suite_round_trip() {
    use ferrobgp::bgp::nlri::labelled::Labelled;
    let Some(suite) = suite() else { return };
    let mut n = 0;
    for entry in std::fs::read_dir(suite.join("encoding"))
        .expect("encoding folder")
        .flatten()
    {
        let neg = session_for(&suite, &entry.path());
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines().filter(|l| l.contains(":raw:")) {
            let Some(bytes) = line.split(":raw:").nth(1).and_then(unhex) else {
                continue;
            };
            let Ok(Message::Update(u)) = Message::decode(bytes[18], &bytes[19..], &neg) else {
                continue;
            };
            for nlri in u.announced.iter().chain(&u.withdrawn) {
                let Nlri::Labelled(route) = nlri else {
                    continue;
                };
                assert!(Labelled::applies(route.family));
                // Each decoded route encodes back to bytes found in the message as sent.
                let mut again = Vec::new();
                route.encode(&mut again, neg.addpath_receive(route.family));
                assert!(
                    bytes.windows(again.len()).any(|w| w == again),
                    "{}: {line}: {route:?}",
                    entry.path().display()
                );
                n += 1;
            }
        }
    }
    eprintln!("{n} labelled/VPN NLRI round-tripped");
    assert!(n > 10, "{n}");
}
