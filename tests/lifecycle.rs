//! Session lifecycle on loopback: reload deltas (SIGUSR1, debug.rotate), helper restarts
//! (SIGUSR2), re-establishment (SIGALRM) and the graceful-restart R bit, RFC 4271 §6.8
//! collisions, and RFC 7606 errors as helpers see them. Fault tests are in faults.rs.

mod api_support;
mod lifecycle_support;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use api_support::{has_python, message, temp_dir, Daemon, Msg, Peer, LOCAL_AS};
use lifecycle_support::*;

// ---------------------------------------------------------------------------------------

#[test]
fn reload_sends_only_the_delta_keeps_helper_routes_and_refuses_a_broken_config() {
    if !has_python() {
        eprintln!("skipped: python3 is needed for the helper");
        return;
    }
    let dir = temp_dir("lifecycle-reload");
    std::fs::write(
        dir.join("script.txt"),
        "announce route 10.99.0.0/24 next-hop 127.0.0.1\n",
    )
    .expect("script");
    let mut peer = Peer::bind(30);
    let before = statics(&[
        "10.1.0.0/24 next-hop 127.0.0.1",
        "10.2.0.0/24 next-hop 127.0.0.1",
        "10.3.0.0/24 next-hop 127.0.0.1",
    ]);
    let conf = api_support::config(&dir, "", &before);
    let daemon = run_daemon(
        &dir,
        &conf,
        &[
            ("exabgp_tcp_port", peer.port.to_string()),
            ("exabgp_tcp_bind", String::new()),
        ],
    );
    peer.establish(Duration::from_secs(20)).expect("session");
    let all_in = |m: &[Msg]| {
        let (_, a, _) = changes(m);
        ["10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24", "10.99.0.0/24"]
            .iter()
            .all(|p| a.iter().any(|x| x == p))
    };
    assert!(
        peer.wait_for(Duration::from_secs(20), all_in),
        "initial routes missing\n{}",
        tail(&daemon.output())
    );
    let mark = peer.received.lock().map(|r| r.len()).unwrap_or(0);

    // 10.1 unchanged, 10.2 changed, 10.3 removed, 10.4 added.
    let after = statics(&[
        "10.1.0.0/24 next-hop 127.0.0.1",
        "10.2.0.0/24 next-hop 127.0.0.1 med 50",
        "10.4.0.0/24 next-hop 127.0.0.1",
    ]);
    api_support::config(&dir, "", &after);
    signal(&daemon, "USR1");
    let delta = |m: &[Msg]| {
        let (w, a, _) = changes(m.get(mark..).unwrap_or(&[]));
        w.len() + a.len() >= 3
    };
    assert!(
        peer.wait_for(Duration::from_secs(10), delta),
        "no delta after reload\n{}",
        tail(&daemon.output())
    );
    sleep(Duration::from_secs(1));
    let (mut w, mut a, kinds) = {
        let r = peer.received.lock().expect("lock");
        changes(r.get(mark..).unwrap_or(&[]))
    };
    w.sort();
    a.sort();
    assert_eq!(w, ["10.3.0.0/24"], "withdrawn after reload");
    assert_eq!(a, ["10.2.0.0/24", "10.4.0.0/24"], "announced after reload");
    assert!(kinds.iter().all(|k| *k == 2), "not only UPDATEs: {kinds:?}");

    // A configuration that does not parse is refused, located, and changes nothing.
    let mark = peer.received.lock().map(|r| r.len()).unwrap_or(0);
    std::fs::write(
        &conf,
        "neighbor 127.0.0.1 {\n  local-as 1;\n  bogus-word 3;\n}\n",
    )
    .expect("broken config");
    signal(&daemon, "USR1");
    assert!(
        wait_output(&daemon, "reload refused", Duration::from_secs(10)),
        "no refusal logged\n{}",
        tail(&daemon.output())
    );
    let out = daemon.output();
    let refusal = out
        .lines()
        .find(|l| l.contains("reload refused"))
        .unwrap_or("");
    assert!(
        refusal.contains("api.conf:3"),
        "refusal not located: {refusal}"
    );
    sleep(Duration::from_secs(1));
    let later: Vec<u8> = peer
        .received
        .lock()
        .map(|r| {
            r[mark..]
                .iter()
                .map(|m| m.kind)
                .filter(|k| *k != 4)
                .collect()
        })
        .unwrap_or_default();
    assert!(later.is_empty(), "a broken reload sent {later:?}");

    // A neighbor removed by a reload gets a Cease 6/3.
    let gone = api_support::config(&dir, "", &after).with_file_name("api.conf");
    let text = std::fs::read_to_string(&gone)
        .expect("config")
        .replace("neighbor 127.0.0.1 {", "neighbor 127.0.0.3 {");
    std::fs::write(&gone, text).expect("config");
    signal(&daemon, "USR1");
    let cease = |m: &[Msg]| {
        m.iter()
            .any(|m| m.kind == 3 && m.body.first() == Some(&6) && m.body.get(1) == Some(&3))
    };
    assert!(
        peer.wait_for(Duration::from_secs(10), cease),
        "no Cease 6/3 for the removed neighbor\n{}",
        tail(&daemon.output())
    );
}

/// The daemon connects out (to `peer` on 127.0.0.1) and listens on 127.0.0.2; the test makes
/// a second connection while the first is in OpenConfirm.
fn collision(peer_id: Ipv4Addr) -> (Option<Vec<u8>>, Option<Vec<u8>>, String) {
    let dir = temp_dir(&format!("lifecycle-collision-{peer_id}"));
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let out_port = listener.local_addr().expect("addr").port();
    let in_port = free_port("127.0.0.2");
    let conf = dir.join("c.conf");
    std::fs::write(
        &conf,
        format!(
            "neighbor 127.0.0.1 {{\n  router-id 10.0.0.100;\n  local-address 127.0.0.2;\n  \
             local-as {LOCAL_AS};\n  peer-as {LOCAL_AS};\n  connect {out_port};\n  \
             family {{ ipv4 unicast; }}\n}}\n"
        ),
    )
    .expect("config");
    let daemon = run_daemon(
        &dir,
        &conf,
        &[
            ("exabgp_tcp_port", in_port.to_string()),
            ("exabgp_tcp_bind", "127.0.0.2".into()),
        ],
    );
    assert!(
        wait_output(&daemon, "listening on 127.0.0.2", Duration::from_secs(10)),
        "no listener\n{}",
        tail(&daemon.output())
    );
    let mut outgoing = accept(&listener, Duration::from_secs(20));
    answer_open(&mut outgoing, 90, peer_id);
    // Its KEEPALIVE: the daemon is in OpenConfirm.
    assert!(wait_kind(&mut outgoing, 4, Duration::from_secs(5)).is_some());
    let local = SocketAddr::from(([127, 0, 0, 1], 0));
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket.bind(&local.into()).expect("bind 127.0.0.1");
    socket
        .connect(&SocketAddr::from(([127, 0, 0, 2], in_port)).into())
        .expect("connect to the daemon");
    let mut incoming: TcpStream = socket.into();
    let on_incoming = wait_kind_any(&mut incoming, &[1, 3], Duration::from_secs(5));
    let on_outgoing = wait_kind(&mut outgoing, 3, Duration::from_secs(2));
    let _ = incoming.write_all(&message(4, &[]));
    (on_incoming, on_outgoing, daemon.output())
}

fn wait_kind_any(s: &mut TcpStream, kinds: &[u8], within: Duration) -> Option<Vec<u8>> {
    let (k, mut body) = read_msg(s, within)?;
    kinds.contains(&k).then(|| {
        body.insert(0, k);
        body
    })
}

#[test]
fn collision_keeps_the_connection_of_the_higher_identifier() {
    // Our identifier (10.0.0.100) is higher: the incoming connection gets Cease 7.
    let (inc, out, log) = collision(Ipv4Addr::new(10, 0, 0, 2));
    let inc = inc.unwrap_or_default();
    assert_eq!(
        inc.get(..3),
        Some(&[3, 6, 7][..]),
        "incoming not refused\n{}",
        tail(&log)
    );
    assert!(out.is_none(), "the outgoing connection was closed");
    // The peer's is higher: the outgoing connection gets Cease 7, the incoming an OPEN.
    let (inc, out, log) = collision(Ipv4Addr::new(10, 0, 0, 200));
    assert_eq!(
        inc.unwrap_or_default().first(),
        Some(&1),
        "no OPEN on the incoming connection\n{}",
        tail(&log)
    );
    assert_eq!(
        out.unwrap_or_default().get(..2),
        Some(&[6, 7][..]),
        "outgoing not closed with Cease 7\n{}",
        tail(&log)
    );
}

/// An UPDATE for 10.9.0.0/24 with ORIGIN, an empty AS_PATH, NEXT_HOP 127.0.0.1 and `extra`.
fn update_with(extra: &[u8]) -> Vec<u8> {
    let mut attrs = vec![0x40, 1, 1, 0, 0x40, 2, 0, 0x40, 3, 4, 127, 0, 0, 1];
    attrs.extend_from_slice(extra);
    let mut body = vec![0, 0];
    body.extend_from_slice(&u16::try_from(attrs.len()).expect("attrs").to_be_bytes());
    body.extend_from_slice(&attrs);
    body.extend_from_slice(&[24, 10, 9, 0]);
    message(2, &body)
}

#[test]
fn rfc7606_errors_are_logged_and_reported_to_helpers_as_exabgp_does() {
    if !has_python() {
        eprintln!("skipped: python3 is needed for the helper");
        return;
    }
    let dir = temp_dir("lifecycle-7606");
    let mut peer = Peer::bind(30);
    let conf = api_support::config(&dir, "    receive { parsed; update; }", "");
    let daemon = api_support::start(&dir, &conf, peer.port, "", &[]);
    peer.establish(Duration::from_secs(30)).expect("session");
    // MED of 3 bytes: treat-as-withdraw (RFC 7606 §7.4).
    peer.send(&update_with(&[0x80, 4, 3, 0, 0, 1]));
    sleep(Duration::from_millis(300));
    // ATOMIC_AGGREGATE of 1 byte: attribute discard (RFC 7606 §7.6).
    peer.send(&update_with(&[0x40, 6, 1, 0]));
    let both = |log: &str| log.contains("\"error\": \"discard\"");
    let end = Instant::now() + Duration::from_secs(15);
    while !both(&daemon.helper_log()) && Instant::now() < end {
        sleep(Duration::from_millis(100));
    }
    let log = daemon.helper_log();
    let events: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["type"] == "update")
        .collect();
    for e in &events {
        eprintln!("{}", e["neighbor"]["message"]);
    }
    assert!(!peer.notified(), "the session was reset");
    let first = events.first().expect("no update event").clone();
    let second = events.get(1).expect("one update event only").clone();
    assert_eq!(
        first["neighbor"]["message"]["update"],
        serde_json::json!({
            "attribute": { "origin": "igp", "error": "treat-as-withdraw" },
            "withdraw": { "ipv4 unicast": [ { "nlri": "10.9.0.0/24" } ] }
        })
    );
    assert_eq!(
        second["neighbor"]["message"]["update"],
        serde_json::json!({
            "attribute": { "origin": "igp", "error": "discard" },
            "announce": { "ipv4 unicast": { "127.0.0.1": [ { "nlri": "10.9.0.0/24" } ] } }
        })
    );
    if !api_support::is_exabgp() {
        let out = daemon.output();
        assert!(
            out.contains(
                "peer 127.0.0.1: UPDATE treated as withdraw (RFC 7606): the med attribute is malformed"
            ),
            "treat-as-withdraw not logged\n{}",
            tail(&out)
        );
        assert!(
            out.contains("peer 127.0.0.1: attribute atomic-aggregate discarded (RFC 7606)"),
            "discard not logged\n{}",
            tail(&out)
        );
    }
}

#[test]
fn reload_of_10k_routes_sends_exactly_the_300_changes() {
    let dir = temp_dir("lifecycle-reload10k");
    let mut peer = Peer::bind(30);
    let conf = dir.join("r.conf");
    std::fs::write(
        &conf,
        neighbor_conf("127.0.0.1", &routes_30(0..10_000, |_| None)),
    )
    .expect("config");
    let daemon = run_daemon(
        &dir,
        &conf,
        &[
            ("exabgp_tcp_port", peer.port.to_string()),
            ("exabgp_tcp_bind", String::new()),
            ("exabgp_log_level", "INFO".into()),
        ],
    );
    peer.establish(Duration::from_secs(30)).expect("session");
    let count = |m: &[Msg]| changes(m).1.len();
    assert!(
        peer.wait_for(Duration::from_secs(30), |m| count(m) >= 10_000),
        "initial table incomplete\n{}",
        tail(&daemon.output())
    );
    let mark = peer.received.lock().map(|r| r.len()).unwrap_or(0);
    // 0..100 changed (MED), 100..200 removed, 10000..10100 added.
    let body = routes_30(0..100, |_| Some(7)) + "\n" + &routes_30(200..10_100, |_| None);
    std::fs::write(&conf, neighbor_conf("127.0.0.1", &body)).expect("config");
    signal(&daemon, "USR1");
    let delta = |m: &[Msg]| {
        let (w, a, _) = changes(m.get(mark..).unwrap_or(&[]));
        w.len() + a.len() >= 300
    };
    assert!(
        peer.wait_for(Duration::from_secs(20), delta),
        "delta incomplete\n{}",
        tail(&daemon.output())
    );
    sleep(Duration::from_secs(2));
    let (mut w, mut a, kinds) = {
        let r = peer.received.lock().expect("lock");
        changes(r.get(mark..).unwrap_or(&[]))
    };
    w.sort();
    a.sort();
    let mut want_w: Vec<String> = (100..200).map(p30).collect();
    let mut want_a: Vec<String> = (0..100).chain(10_000..10_100).map(p30).collect();
    want_w.sort();
    want_a.sort();
    eprintln!(
        "reload delta: {} withdrawn, {} announced in {} UPDATEs",
        w.len(),
        a.len(),
        kinds.len()
    );
    assert_eq!(w, want_w, "withdrawn");
    assert_eq!(a, want_a, "announced");
    assert!(kinds.iter().all(|k| *k == 2), "not only UPDATEs: {kinds:?}");
}

#[test]
fn reload_reestablishes_a_changed_neighbor_and_starts_a_new_one() {
    let dir = temp_dir("lifecycle-reload-neighbors");
    let mut peer = Peer::bind(30);
    let conf = dir.join("n.conf");
    let helper = dir.join("helper.sh");
    std::fs::write(
        &helper,
        "#!/bin/sh\necho 'announce route 10.77.0.0/24 next-hop 127.0.0.1'\n\
         while sleep 1; do :; done\n",
    )
    .expect("helper");
    api_support::make_executable(&helper);
    let process = format!(
        "process h {{\n  run {};\n  encoder json;\n}}\n",
        helper.display()
    );
    let route = "  api {\n    processes [ h ];\n  }\n  \
                 static {\n    route 10.1.0.0/24 next-hop 127.0.0.1;\n  }";
    std::fs::write(&conf, process.clone() + &neighbor_conf("127.0.0.1", route)).expect("config");
    let daemon = run_daemon(
        &dir,
        &conf,
        &[
            ("exabgp_tcp_port", peer.port.to_string()),
            ("exabgp_tcp_bind", String::new()),
        ],
    );
    peer.establish(Duration::from_secs(20)).expect("session");
    let from_helper = |m: &[Msg]| changes(m).1.iter().any(|p| p == "10.77.0.0/24");
    assert!(
        peer.wait_for(Duration::from_secs(10), from_helper),
        "helper route missing\n{}",
        tail(&daemon.output())
    );
    // A second neighbor, 127.0.0.3, whose listener the daemon must reach after the reload.
    let other = TcpListener::bind(("127.0.0.3", peer.port)).expect("bind 127.0.0.3");
    let changed = route.replace("  static", "  hold-time 90;\n  static");
    let text = process + &neighbor_conf("127.0.0.1", &changed) + &neighbor_conf("127.0.0.3", "");
    std::fs::write(&conf, text).expect("config");
    signal(&daemon, "USR1");
    let cease = |m: &[Msg]| m.iter().any(|m| m.kind == 3 && m.body.first() == Some(&6));
    assert!(
        peer.wait_for(Duration::from_secs(10), cease),
        "the changed neighbor was not torn down\n{}",
        tail(&daemon.output())
    );
    // The changed neighbor comes back with its new definition (hold time 90 in its OPEN).
    let mut again = accept(&peer.listener, Duration::from_secs(20));
    let (kind, open) = read_msg(&mut again, Duration::from_secs(5)).expect("OPEN");
    assert_eq!(kind, 1);
    assert_eq!(open.get(3..5), Some(&90u16.to_be_bytes()[..]), "hold time");
    // Its table: the configured route and the one the helper announced before the reload.
    again
        .write_all(&message(1, &open_body(90, Ipv4Addr::new(10, 0, 0, 2))))
        .and_then(|()| again.write_all(&message(4, &[])))
        .expect("OPEN+KEEPALIVE");
    let mut announced = Vec::new();
    let end = Instant::now() + Duration::from_secs(10);
    while announced.len() < 2 && Instant::now() < end {
        if let Some(body) = wait_kind(&mut again, 2, Duration::from_secs(1)) {
            announced.extend(update_nlri(&body).1);
        }
    }
    announced.sort();
    assert_eq!(
        announced,
        ["10.1.0.0/24", "10.77.0.0/24"],
        "table after re-establishment\n{}",
        tail(&daemon.output())
    );
    // The new neighbor connects.
    let mut new = accept(&other, Duration::from_secs(20));
    let (kind, _) = read_msg(&mut new, Duration::from_secs(5)).expect("OPEN");
    assert_eq!(kind, 1, "the new neighbor did not send an OPEN");
}

#[test]
fn debug_rotate_takes_the_next_file_on_each_reload() {
    let dir = temp_dir("lifecycle-rotate");
    let mut peer = Peer::bind(30);
    let first = dir.join("a.conf");
    let second = dir.join("b.conf");
    let with = |p: &str| format!("  static {{\n    route {p} next-hop 127.0.0.1;\n  }}");
    std::fs::write(&first, neighbor_conf("127.0.0.1", &with("10.1.0.0/24"))).expect("a");
    std::fs::write(&second, neighbor_conf("127.0.0.1", &with("10.2.0.0/24"))).expect("b");
    let out = std::fs::File::create(dir.join("daemon.out")).expect("daemon log");
    let err = out.try_clone().expect("daemon log");
    let child = Command::new(env!("CARGO_BIN_EXE_ferrobgp"))
        .arg(&first)
        .arg(&second)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .env("exabgp_api_cli", "false")
        .env("exabgp_debug_rotate", "true")
        .env("exabgp_log_enable", "true")
        .env("exabgp_tcp_port", peer.port.to_string())
        .env("exabgp_tcp_bind", "")
        .spawn()
        .expect("start");
    let daemon = Daemon {
        child,
        dir: dir.clone(),
        log: dir.join("helper.log"),
    };
    peer.establish(Duration::from_secs(20)).expect("session");
    let has = |p: &'static str, withdrawn: bool| {
        move |m: &[Msg]| {
            let (w, a, _) = changes(m);
            if withdrawn {
                w.iter().any(|x| x == p)
            } else {
                a.iter().any(|x| x == p)
            }
        }
    };
    assert!(peer.wait_for(Duration::from_secs(10), has("10.1.0.0/24", false)));
    signal(&daemon, "USR1");
    assert!(
        peer.wait_for(Duration::from_secs(10), has("10.2.0.0/24", false)),
        "the second file was not loaded\n{}",
        tail(&daemon.output())
    );
    assert!(peer.wait_for(Duration::from_secs(5), has("10.1.0.0/24", true)));
    let mark = peer.received.lock().map(|r| r.len()).unwrap_or(0);
    signal(&daemon, "USR1");
    // Back to the first file.
    let back = |m: &[Msg]| {
        let (w, a, _) = changes(m.get(mark..).unwrap_or(&[]));
        a.iter().any(|x| x == "10.1.0.0/24") && w.iter().any(|x| x == "10.2.0.0/24")
    };
    assert!(
        peer.wait_for(Duration::from_secs(10), back),
        "the rotation did not come back to the first file\n{}",
        tail(&daemon.output())
    );
    assert!(!peer.notified(), "a rotation reset the session");
}

#[test]
fn sigusr2_restarts_helpers_and_keeps_the_session_and_their_routes() {
    let dir = temp_dir("lifecycle-usr2");
    let mut peer = Peer::bind(30);
    let pids = dir.join("pids");
    let helper = format!(
        "#!/bin/sh\necho $$ >> {}\necho 'announce route 10.77.0.0/24 next-hop 127.0.0.1'\n\
         while sleep 1; do :; done\n",
        pids.display()
    );
    let conf = api_support::config_with(&dir, &helper, "", "");
    let daemon = run_daemon(
        &dir,
        &conf,
        &[
            ("exabgp_tcp_port", peer.port.to_string()),
            ("exabgp_tcp_bind", String::new()),
        ],
    );
    peer.establish(Duration::from_secs(20)).expect("session");
    let got = |m: &[Msg]| changes(m).1.iter().any(|x| x == "10.77.0.0/24");
    assert!(
        peer.wait_for(Duration::from_secs(10), got),
        "helper route missing\n{}",
        tail(&daemon.output())
    );
    let started = |n: usize| {
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            let lines = std::fs::read_to_string(&pids).unwrap_or_default();
            let count = lines.lines().count();
            if count >= n || Instant::now() > end {
                return lines;
            }
            sleep(Duration::from_millis(100));
        }
    };
    let before = started(1);
    signal(&daemon, "USR2");
    let after = started(2);
    let pids_seen: Vec<&str> = after.lines().collect();
    assert_eq!(
        pids_seen.len(),
        2,
        "helper not restarted: {before:?} -> {after:?}\n{}",
        tail(&daemon.output())
    );
    assert_ne!(pids_seen[0], pids_seen[1]);
    sleep(Duration::from_secs(1));
    let (w, _, _) = changes(&peer.received.lock().expect("lock"));
    assert!(w.is_empty(), "routes withdrawn by USR2: {w:?}");
    assert!(!peer.notified(), "USR2 reset the session");
}

/// Whether an OPEN body carries graceful restart with the Restart State bit.
fn restart_bit(open: &[u8]) -> Option<bool> {
    let mut params = open.get(10..)?;
    while let [kind, len, rest @ ..] = params {
        let (value, tail) = rest.split_at_checked(usize::from(*len))?;
        if *kind == 2 {
            let mut caps = value;
            while let [code, clen, crest @ ..] = caps {
                let (cv, ctail) = crest.split_at_checked(usize::from(*clen))?;
                if *code == 64 {
                    return Some(cv.first()? & 0x80 != 0);
                }
                caps = ctail;
            }
        }
        params = tail;
    }
    None
}

#[test]
fn graceful_restart_bit_is_set_until_established_and_after_a_restart() {
    let (daemon, listener) = one_neighbor(
        "lifecycle-grbit",
        "  capability {\n    graceful-restart 120;\n  }",
    );
    let id = Ipv4Addr::new(10, 0, 0, 2);
    let session = |within: Duration| {
        let mut s = accept(&listener, within);
        let (kind, open) = read_msg(&mut s, Duration::from_secs(5)).expect("OPEN");
        assert_eq!(kind, 1);
        s.write_all(&message(1, &open_body(90, id)))
            .and_then(|()| s.write_all(&message(4, &[])))
            .expect("OPEN+KEEPALIVE");
        assert!(wait_kind(&mut s, 4, Duration::from_secs(5)).is_some());
        (s, restart_bit(&open))
    };
    let (first, bit) = session(Duration::from_secs(20));
    assert_eq!(bit, Some(true), "first OPEN: R bit expected");
    drop(first);
    // A reconnection is not a restart.
    let (mut second, bit) = session(Duration::from_secs(20));
    assert_eq!(bit, Some(false), "OPEN after a reconnection: no R bit");
    // SIGALRM re-establishes: with graceful restart announced the session is closed without
    // a NOTIFICATION (as ExaBGP), and the next OPEN claims the R bit again.
    signal(&daemon, "ALRM");
    let end = Instant::now() + Duration::from_secs(10);
    let mut kinds = Vec::new();
    while let Some((kind, _)) = read_msg(&mut second, Duration::from_secs(10)) {
        kinds.push(kind);
        assert!(Instant::now() < end, "the session was not closed");
    }
    assert!(
        !kinds.contains(&3),
        "a NOTIFICATION was sent on restart\n{}",
        tail(&daemon.output())
    );
    let (_third, bit) = session(Duration::from_secs(20));
    assert_eq!(bit, Some(true), "OPEN after a restart: R bit expected");
}

/// ExaBGP closes a session whose OPEN announced graceful restart without a NOTIFICATION
/// when it tears it down (shutdown, reload, restart), so the peer keeps its routes (RFC 4724
/// helper mode).
#[test]
fn graceful_restart_sessions_are_torn_down_without_notification() {
    if !has_python() {
        eprintln!("skipped: python3 is needed for the helper");
        return;
    }
    let dir = temp_dir("lifecycle-grclose");
    let mut peer = Peer::bind(30);
    let conf = api_support::config(&dir, "", "  capability { graceful-restart 120; }");
    let mut daemon = api_support::start(&dir, &conf, peer.port, "", &[]);
    peer.establish(Duration::from_secs(30)).expect("session");
    sleep(Duration::from_secs(1));
    signal(&daemon, "TERM");
    assert!(daemon.wait_exit(Duration::from_secs(10)), "no exit");
    sleep(Duration::from_millis(300));
    assert!(
        !peer.notified(),
        "a NOTIFICATION was sent\n{}",
        tail(&daemon.output())
    );
}
