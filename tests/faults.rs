//! Fault behaviour on loopback: the hold timer against a silent peer, a peer that stops
//! reading, a peer that flaps 100 times, a thousand neighbors with nobody listening. Each
//! test prints what it measured; every wait is bounded and every daemon killed by pid.

mod api_support;
mod lifecycle_support;

use std::io::Write;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::thread::sleep;
use std::time::{Duration, Instant};

use api_support::{message, temp_dir, LOCAL_AS};
use lifecycle_support::*;

#[test]
fn hold_timer_expiry_sends_notification_4_0() {
    let (daemon, listener) = one_neighbor("lifecycle-hold", "");
    let mut s = accept(&listener, Duration::from_secs(20));
    answer_open(&mut s, 3, Ipv4Addr::new(10, 0, 0, 2));
    s.write_all(&message(4, &[])).expect("keepalive");
    let from = Instant::now();
    // Silent from now on: within the 3 s hold time (plus slack) the daemon gives up.
    let note = wait_kind(&mut s, 3, Duration::from_secs(8));
    let took = from.elapsed();
    assert_eq!(
        note.as_deref().and_then(|b| b.get(..2)),
        Some(&[4, 0][..]),
        "no NOTIFICATION 4/0\n{}",
        tail(&daemon.output())
    );
    assert!(
        took >= Duration::from_millis(2500),
        "hold timer fired early: {took:?}"
    );
    eprintln!("hold timer (3 s) fired after {took:?}");
}

#[test]
fn peer_that_stops_reading_is_dropped_by_its_hold_timer_with_flat_memory() {
    // 60,000 routes, each with its own MED so each is an UPDATE: ~3.5 MB to send.
    let dir = temp_dir("lifecycle-noread");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let _ = socket2::SockRef::from(&listener).set_recv_buffer_size(4096);
    let port = listener.local_addr().expect("addr").port();
    let mut conf = format!(
        "neighbor 127.0.0.1 {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
         local-as {LOCAL_AS};\n  peer-as {LOCAL_AS};\n  family {{ ipv4 unicast; }}\n  static {{\n"
    );
    for i in 0..60_000u32 {
        conf.push_str(&format!(
            "    route 20.{}.{}.0/24 next-hop 127.0.0.1 med {i};\n",
            i >> 8,
            i & 255
        ));
    }
    conf.push_str("  }\n}\n");
    let path = dir.join("n.conf");
    std::fs::write(&path, conf).expect("config");
    let daemon = run_daemon(
        &dir,
        &path,
        &[
            ("exabgp_tcp_port", port.to_string()),
            ("exabgp_tcp_bind", String::new()),
            ("exabgp_log_level", "INFO".into()),
        ],
    );
    let pid = daemon.child.id();
    let mut s = accept(&listener, Duration::from_secs(60));
    answer_open(&mut s, 3, Ipv4Addr::new(10, 0, 0, 2));
    s.write_all(&message(4, &[])).expect("keepalive");
    assert!(
        wait_output(&daemon, "session established", Duration::from_secs(10)),
        "no session\n{}",
        tail(&daemon.output())
    );
    // Neither read nor write from now on.
    let mut rss = Vec::new();
    let from = Instant::now();
    while from.elapsed() < Duration::from_secs(3) {
        sleep(Duration::from_millis(500));
        rss.push(cpu_and_rss(pid).1 * 4);
    }
    assert!(
        wait_output(&daemon, "hold timer expired", Duration::from_secs(10)),
        "hold timer did not expire\n{}",
        tail(&daemon.output())
    );
    // No more sessions: the reconnections are refused.
    drop(listener);
    // The writer blocked on the full socket is let go (linger, then shutdown).
    let end = Instant::now() + Duration::from_secs(15);
    while session_threads(pid) > 0 && Instant::now() < end {
        sleep(Duration::from_millis(200));
    }
    rss.push(cpu_and_rss(pid).1 * 4);
    let left = session_threads(pid);
    eprintln!("RSS KiB while blocked and after: {rss:?}; session threads left {left}");
    assert_eq!(left, 0, "the blocked session's threads did not end");
    let first = rss.first().copied().unwrap_or(0);
    let max = rss.iter().copied().max().unwrap_or(0);
    assert!(
        max <= first + 16 * 1024,
        "memory grew while the peer did not read: {rss:?}"
    );
    drop(s);
}

/// One session from the test to a passive daemon: OPEN both ways, KEEPALIVE, then close.
fn flap_once(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let Some((1, _)) = read_msg(&mut s, Duration::from_secs(5)) else {
        return false;
    };
    let open = message(1, &open_body(90, Ipv4Addr::new(10, 0, 0, 2)));
    if s.write_all(&open)
        .and_then(|()| s.write_all(&message(4, &[])))
        .is_err()
    {
        return false;
    }
    let up = wait_kind(&mut s, 4, Duration::from_secs(5)).is_some();
    drop(s);
    up
}

#[test]
fn peer_flapping_100_times_leaks_no_threads_or_fds() {
    let dir = temp_dir("lifecycle-flap");
    let port = free_port("127.0.0.1");
    let conf = dir.join("f.conf");
    std::fs::write(
        &conf,
        format!(
            "neighbor 127.0.0.1 {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
             local-as {LOCAL_AS};\n  peer-as {LOCAL_AS};\n  passive true;\n  \
             family {{ ipv4 unicast; }}\n  static {{\n    route 10.5.0.0/24 next-hop 127.0.0.1;\n  }}\n}}\n"
        ),
    )
    .expect("config");
    let daemon = run_daemon(
        &dir,
        &conf,
        &[
            ("exabgp_tcp_port", port.to_string()),
            ("exabgp_tcp_bind", "127.0.0.1".into()),
            ("exabgp_log_level", "INFO".into()),
        ],
    );
    let pid = daemon.child.id();
    assert!(
        wait_output(&daemon, "listening on 127.0.0.1", Duration::from_secs(10)),
        "no listener\n{}",
        tail(&daemon.output())
    );
    assert!(flap_once(port), "first session failed");
    let settle = |t: usize, f: usize| {
        let end = Instant::now() + Duration::from_secs(12);
        while (threads(pid) > t || fds(pid) > f) && Instant::now() < end {
            sleep(Duration::from_millis(200));
        }
        (threads(pid), fds(pid))
    };
    // The first session's threads linger a few seconds after the close.
    sleep(Duration::from_secs(4));
    let (t0, f0) = (threads(pid), fds(pid));
    let mut up = 0;
    for _ in 0..100 {
        // The daemon closed the previous session when our socket went: give it a moment.
        let end = Instant::now() + Duration::from_secs(5);
        while !flap_once(port) {
            assert!(Instant::now() < end, "a session did not come up");
            sleep(Duration::from_millis(20));
        }
        up += 1;
    }
    let (t1, f1) = settle(t0, f0);
    eprintln!("{up} flaps: threads {t0} -> {t1}, fds {f0} -> {f1}");
    assert!(t1 <= t0, "threads leaked: {t0} -> {t1}");
    assert!(f1 <= f0, "fds leaked: {f0} -> {f1}");
}

#[test]
fn a_thousand_neighbors_with_nobody_listening_cost_little_cpu() {
    let dir = temp_dir("lifecycle-thousand");
    let port = free_port("127.0.0.1");
    let mut conf = String::new();
    for i in 0..1000u32 {
        conf.push_str(&format!(
            "neighbor 127.0.{}.{} {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
             local-as {LOCAL_AS};\n  peer-as {LOCAL_AS};\n  family {{ ipv4 unicast; }}\n}}\n",
            1 + i / 250,
            1 + i % 250
        ));
    }
    let path = dir.join("k.conf");
    std::fs::write(&path, conf).expect("config");
    let daemon = run_daemon(
        &dir,
        &path,
        &[
            ("exabgp_tcp_port", port.to_string()),
            ("exabgp_tcp_bind", String::new()),
            ("exabgp_log_level", "INFO".into()),
        ],
    );
    let pid = daemon.child.id();
    sleep(Duration::from_secs(1));
    let (c0, _) = cpu_and_rss(pid);
    let from = Instant::now();
    sleep(Duration::from_secs(10));
    let (c1, rss) = cpu_and_rss(pid);
    let secs = from.elapsed().as_secs_f64();
    // Clock ticks are 1/100 s on Linux.
    let share = (c1.saturating_sub(c0)) as f64 / 100.0 / secs * 100.0;
    eprintln!(
        "1000 idle neighbors: {} ticks of CPU in {secs:.1} s = {share:.1}% of a core, \
         {} threads, RSS {} KiB",
        c1.saturating_sub(c0),
        threads(pid),
        rss * 4
    );
    assert!(share < 20.0, "reconnect loop costs {share:.1}% of a core");
}

/// The data of ExaBGP's Cease 6/3 for a peer with no session configured.
const NO_SESSION: &[u8] = b"no session configured for the peer";

/// Connect from 127.0.0.1 to the daemon's listener and return the NOTIFICATION it answers.
fn refused_with(port: u16) -> Option<Vec<u8>> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    wait_kind(&mut s, 3, Duration::from_secs(5))
}

#[test]
fn a_peer_with_no_session_configured_gets_cease_peer_deconfigured() {
    let dir = temp_dir("lifecycle-deconfigured");
    let port = free_port("127.0.0.1");
    let conf = dir.join("d.conf");
    let neighbor = |peer: &str| {
        format!(
            "neighbor {peer} {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
             local-as {LOCAL_AS};\n  peer-as {LOCAL_AS};\n  passive true;\n  \
             family {{ ipv4 unicast; }}\n}}\n"
        )
    };
    std::fs::write(&conf, neighbor("127.0.0.1")).expect("config");
    let daemon = run_daemon(
        &dir,
        &conf,
        &[
            ("exabgp_tcp_port", port.to_string()),
            ("exabgp_tcp_bind", "127.0.0.1".into()),
            ("exabgp_log_level", "INFO".into()),
        ],
    );
    assert!(
        wait_output(&daemon, "listening on 127.0.0.1", Duration::from_secs(10)),
        "no listener\n{}",
        tail(&daemon.output())
    );
    assert!(
        flap_once(port),
        "the configured peer could not open a session"
    );
    // A reload removes the neighbor: its next connection is refused with a Cease 6/3.
    std::fs::write(&conf, neighbor("127.0.0.9")).expect("config");
    signal(&daemon, "USR1");
    // (A connection that beats the reload is torn down with "Peer De-configured": try again.)
    let refusal = |n: &Vec<u8>| n.get(..2) == Some(&[6, 3][..]) && n.get(2..) == Some(NO_SESSION);
    let end = Instant::now() + Duration::from_secs(10);
    let mut refused = false;
    while !refused && Instant::now() < end {
        refused = refused_with(port).is_some_and(|n| refusal(&n));
        if !refused {
            sleep(Duration::from_millis(100));
        }
    }
    assert!(refused, "no Cease 6/3\n{}", tail(&daemon.output()));
    assert!(
        daemon
            .output()
            .contains("refused connection from 127.0.0.1:"),
        "the refusal is logged\n{}",
        tail(&daemon.output())
    );
}
