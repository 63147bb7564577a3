//! The helper API end to end: a scripted helper sends every command, a loopback peer plays
//! the other side, and what the helper was told (answers and JSON events, normalised) and
//! what the peer received (UPDATE bytes) are compared with fixtures recorded from ExaBGP
//! 5.0.15 (`tests/api-fixtures/record.sh`). Timing-dependent parts are kept out: events
//! are compared as a multiset, up-times are masked.

mod api_support;

use std::time::Duration;

use api_support::*;
use serde_json::Value;

const EVENTS_API: &str = "    \
    receive { parsed; open; update; keepalive; notification; refresh; }\n    \
    send { parsed; open; update; keepalive; notification; refresh; }";

fn skip() -> bool {
    if !has_python() {
        eprintln!("skipped: python3 is needed for the helper");
        return true;
    }
    false
}

/// Send-side and receive-side events: OPEN, KEEPALIVE, UPDATE (and EOR), ROUTE-REFRESH,
/// NOTIFICATION, state changes.
#[test]
fn events_match_exabgp() {
    events_scenario("events", EVENTS_API);
}

/// The same exchange seen as raw `packets`, and as `consolidate`d parsed+raw events.
#[test]
fn packet_events_match_exabgp() {
    events_scenario(
        "packets",
        "    receive { packets; open; update; notification; refresh; }\n    \
         send { packets; open; update; refresh; }",
    );
    events_scenario(
        "consolidate",
        "    receive { parsed; packets; consolidate; open; update; }\n    \
         send { parsed; packets; consolidate; update; notification; }",
    );
}

fn events_scenario(name: &str, api: &str) {
    if skip() {
        return;
    }
    let dir = temp_dir(name);
    let mut peer = Peer::bind(180);
    let conf = config(
        &dir,
        &format!("    neighbor-changes;\n{api}"),
        "  static { route 10.0.0.0/24 next-hop 127.0.0.1; }",
    );
    let script = "@wait \"up\"\n@sleep 1\nannounce route-refresh ipv4 unicast\n\
                  announce route 10.1.0.0/24 next-hop 127.0.0.1\n";
    let daemon = start(&dir, &conf, peer.port, script, &[]);
    peer.establish(Duration::from_secs(20)).expect("session");
    // Let the daemon send its table (and EORs) before the peer speaks.
    assert!(peer.wait_for(Duration::from_secs(10), |m| m
        .iter()
        .filter(|m| m.kind == 2)
        .count()
        >= 3));
    peer.send(&peer_update());
    peer.send(&message(5, &[0, 1, 0, 1]));
    assert!(daemon.wait_log("announce route 10.1.0.0/24", Duration::from_secs(15)));
    assert!(peer.wait_for(Duration::from_secs(10), |m| m
        .iter()
        .any(|m| m.kind == 2 && m.body.ends_with(&[24, 10, 1, 0]))));
    std::thread::sleep(Duration::from_millis(500));
    // No reconnection to accept after this: the listener goes first.
    drop(std::mem::replace(&mut peer.listener, dummy_listener()));
    peer.send(&message(3, &[6, 2]));
    peer.close();
    assert!(daemon.wait_log("\"down\"", Duration::from_secs(10)));
    std::thread::sleep(Duration::from_millis(300));
    let got = serde_json::json!({
        "helper": digest(&until_down(&daemon.helper_log())),
        "wire": peer.wire(),
    });
    let diffs = check_fixture(name, &got);
    assert!(
        diffs.is_empty(),
        "{name}: differences with ExaBGP:\n{}\n\ndaemon output:\n{}",
        diffs.join("\n"),
        daemon.output()
    );
}

fn dummy_listener() -> std::net::TcpListener {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind")
}

/// Every command, its answer, and what it put on the wire.
#[test]
fn commands_match_exabgp() {
    if skip() {
        return;
    }
    let dir = temp_dir("commands");
    let mut peer = Peer::bind(180);
    let conf = config(
        &dir,
        "    neighbor-changes;",
        "  static {\n    route 10.0.0.0/24 next-hop 127.0.0.1;\n    \
         route 10.5.0.0/24 next-hop 127.0.0.1 watchdog dog withdraw;\n  }",
    );
    let commands = [
        "version",
        "# a comment",
        "show neighbor summary",
        "announce route 10.1.0.0/24 next-hop 127.0.0.1",
        "announce ipv4 unicast 10.2.0.0/24 next-hop 127.0.0.1",
        "announce attributes next-hop 127.0.0.1 nlri 10.3.0.0/24 10.3.1.0/24",
        "announce route 2001:db8::/32 next-hop 2001:db8::1",
        "@sleep 1",
        "show adj-rib out",
        "show adj-rib in",
        "withdraw route 10.1.0.0/24 next-hop 127.0.0.1",
        "withdraw attributes next-hop 127.0.0.1 nlri 10.3.1.0/24",
        "announce watchdog dog",
        "@sleep 0.5",
        "withdraw watchdog dog",
        "announce eor ipv4 unicast",
        "announce route-refresh ipv4 unicast",
        "show neighbor extensive",
        "show neighbor configuration",
        "show neighbor json",
        "show neighbor",
        "show adj-rib out json",
        "show adj-rib out extensive",
        "flush adj-rib out",
        "@sleep 0.5",
        "clear adj-rib out",
        "@sleep 0.5",
        "frobnicate the router",
        "announce route not-a-prefix next-hop 1.2.3.4",
        "neighbor 10.99.99.99 announce route 10.4.0.0/24 next-hop 127.0.0.1",
        "disable-ack",
        "version",
        "enable-ack",
        "silence-ack",
        "version",
        "enable-ack",
        "help",
        "reset",
        "reload",
        "@sleep 1",
        "neighbor 127.0.0.1 teardown 2",
    ];
    let mut script = String::from("@wait \"up\"\n@sleep 1\n");
    for c in commands {
        script.push_str(c);
        script.push('\n');
    }
    let daemon = start(&dir, &conf, peer.port, &script, &[]);
    peer.establish(Duration::from_secs(20)).expect("session");
    assert!(peer.wait_for(Duration::from_secs(10), |m| m
        .iter()
        .filter(|m| m.kind == 2)
        .count()
        >= 3));
    peer.send(&peer_update());
    assert!(
        daemon.wait_log(">>> neighbor 127.0.0.1 teardown", Duration::from_secs(40)),
        "the helper never got to the end of its script:\n{}",
        daemon.helper_log()
    );
    drop(std::mem::replace(&mut peer.listener, dummy_listener()));
    assert!(daemon.wait_log("\"down\"", Duration::from_secs(10)));
    std::thread::sleep(Duration::from_millis(300));
    let got = serde_json::json!({
        "helper": digest(&until_down(&daemon.helper_log())),
        "wire": peer.wire(),
    });
    let diffs = check_fixture("commands", &got);
    assert!(
        diffs.is_empty(),
        "differences with ExaBGP:\n{}\n\ndaemon output:\n{}",
        diffs.join("\n"),
        daemon.output()
    );
}

/// `shutdown` from a helper ends the daemon; the helper gets `shutdown in progress`, `done`
/// and the shutdown notice. (ExaBGP 5.0.15 closes the TCP session without a NOTIFICATION;
/// ferrobgp sends a Cease first, so the peer is not checked.)
#[test]
fn shutdown_command_stops_the_daemon() {
    if skip() {
        return;
    }
    let dir = temp_dir("shutdown");
    let mut peer = Peer::bind(180);
    let conf = config(&dir, "    neighbor-changes;", "");
    let mut daemon = start(&dir, &conf, peer.port, "@wait \"up\"\nshutdown\n", &[]);
    peer.establish(Duration::from_secs(20)).expect("session");
    assert!(
        daemon.wait_exit(Duration::from_secs(15)),
        "still running after shutdown"
    );
    let log = daemon.helper_log();
    assert!(
        log.contains(">>> shutdown\nshutdown in progress\ndone\n"),
        "{log}"
    );
    let last: Vec<Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        last.iter()
            .any(|v| v.get("type") == Some(&Value::from("notification"))
                && v.get("notification") == Some(&Value::from("shutdown"))),
        "no shutdown notice in:\n{log}"
    );
}
