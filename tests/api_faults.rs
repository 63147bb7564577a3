//! Misbehaving helpers must not hurt the BGP sessions: with a 3 s hold time the peer checks
//! that KEEPALIVEs keep coming at least every 2.5 s and no NOTIFICATION is sent while a
//! helper floods commands, never reads, writes garbage, or dies in a loop (which ends the
//! daemon, as ExaBGP: "Too many death").

mod api_support;

use std::time::{Duration, Instant};

use api_support::*;

const HOLD: u16 = 3;
/// KEEPALIVEs go out every hold/3 = 1 s; allow for a slow test machine.
const MAX_GAP: Duration = Duration::from_millis(2500);

fn skip() -> bool {
    if !has_python() {
        eprintln!("skipped: python3 is needed for the helpers");
        return true;
    }
    false
}

/// Run a helper next to an established session for `watch`, then check keepalives.
fn session_survives(name: &str, helper: &str, api: &str, watch: Duration, peer_load: bool) {
    let dir = temp_dir(name);
    let mut peer = Peer::bind(HOLD);
    let conf = config_with(&dir, helper, api, "");
    let mut daemon = start(&dir, &conf, peer.port, "", &[]);
    peer.establish(Duration::from_secs(20)).expect("session");
    let from = Instant::now();
    if peer_load {
        // Many UPDATEs, each an event the helper will not read.
        let update = peer_update();
        for _ in 0..20_000 {
            peer.send(&update);
        }
    }
    while from.elapsed() < watch {
        std::thread::sleep(Duration::from_millis(200));
        let gap = peer.longest_keepalive_gap(from);
        assert!(
            gap <= MAX_GAP,
            "{name}: no KEEPALIVE for {gap:?}\ndaemon output:\n{}",
            tail(&daemon.output())
        );
        assert!(
            !peer.notified(),
            "{name}: the session was closed\ndaemon output:\n{}",
            tail(&daemon.output())
        );
        assert!(!daemon.exited(), "{name}: the daemon stopped");
    }
}

fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

#[test]
fn flooding_helper_does_not_stall_keepalives() {
    if skip() {
        return;
    }
    // A million commands in large writes, then one that shows they were all processed.
    let helper = r##"#!/usr/bin/env python3
import sys, time
chunk = "# flood\n" * 10000
for _ in range(100):
    sys.stdout.write(chunk)
sys.stdout.write("announce route 10.7.0.0/24 next-hop 127.0.0.1\n")
sys.stdout.flush()
while True:
    time.sleep(1)
"##;
    let dir = temp_dir("flood");
    let mut peer = Peer::bind(HOLD);
    let conf = config_with(&dir, helper, "", "");
    let mut daemon = start(&dir, &conf, peer.port, "", &[]);
    peer.establish(Duration::from_secs(20)).expect("session");
    let from = Instant::now();
    let done = |m: &[Msg]| {
        m.iter()
            .any(|m| m.kind == 2 && m.body.ends_with(&[24, 10, 7, 0]))
    };
    let deadline = Duration::from_secs(60);
    while !peer.wait_for(Duration::from_millis(200), done) {
        assert!(
            from.elapsed() < deadline,
            "the flood was not processed in {deadline:?}"
        );
        let gap = peer.longest_keepalive_gap(from);
        assert!(gap <= MAX_GAP, "no KEEPALIVE for {gap:?} during the flood");
        assert!(!peer.notified(), "the session was closed during the flood");
        assert!(!daemon.exited(), "the daemon stopped");
    }
    assert!(peer.longest_keepalive_gap(from) <= MAX_GAP);
}

#[test]
fn helper_that_never_reads_does_not_stall_keepalives() {
    if skip() {
        return;
    }
    let helper = "#!/usr/bin/env python3\nimport time\nwhile True:\n    time.sleep(1)\n";
    session_survives(
        "noread",
        helper,
        "    neighbor-changes;\n    receive { parsed; update; keepalive; }",
        Duration::from_secs(6),
        true,
    );
}

#[test]
fn garbage_from_helper_does_not_stall_keepalives() {
    if skip() {
        return;
    }
    // Invalid UTF-8, NULs, control bytes, a 3 MB line without newline, then a real command.
    let helper = r#"#!/usr/bin/env python3
import os, sys, time
out = sys.stdout.buffer
out.write(b"\xff\xfe\x00garbage\x80\x81\n" * 1000)
out.write(bytes(range(256)) * 100 + b"\n")
out.write(b"x" * 3_000_000 + b"\n")
out.write(b"announce route 10.8.0.0/24 next-hop 127.0.0.1\n")
out.flush()
while True:
    time.sleep(1)
"#;
    let dir = temp_dir("garbage");
    let mut peer = Peer::bind(HOLD);
    let conf = config_with(&dir, helper, "", "");
    let mut daemon = start(&dir, &conf, peer.port, "", &[]);
    peer.establish(Duration::from_secs(20)).expect("session");
    let from = Instant::now();
    assert!(
        peer.wait_for(Duration::from_secs(20), |m| m
            .iter()
            .any(|m| m.kind == 2 && m.body.ends_with(&[24, 10, 8, 0]))),
        "the command after the garbage was not applied\n{}",
        tail(&daemon.output())
    );
    while from.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(200));
    }
    let gap = peer.longest_keepalive_gap(from);
    assert!(gap <= MAX_GAP, "no KEEPALIVE for {gap:?}");
    assert!(!peer.notified(), "the session was closed");
    assert!(!daemon.exited(), "the daemon stopped");
}

#[test]
fn helper_dying_in_a_loop_ends_the_daemon() {
    if skip() {
        return;
    }
    let dir = temp_dir("death");
    let peer = Peer::bind(HOLD);
    let conf = config_with(&dir, "#!/bin/sh\nexit 1\n", "", "");
    let mut daemon = start(&dir, &conf, peer.port, "", &[]);
    assert!(
        daemon.wait_exit(Duration::from_secs(30)),
        "the daemon kept respawning its helper"
    );
    let out = daemon.output();
    assert!(
        out.contains("Too many death"),
        "no 'Too many death' in the output:\n{}",
        tail(&out)
    );
}
