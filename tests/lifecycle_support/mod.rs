//! Support for the lifecycle and fault tests: a raw BGP peer driven step by step, the daemon
//! started on a given configuration, and what /proc says about it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::api_support::{message, temp_dir, Daemon, Msg, LOCAL_AS};

// ---------------------------------------------------------------------------------------
// A raw peer, driven step by step by the test.

pub fn read_msg(s: &mut TcpStream, within: Duration) -> Option<(u8, Vec<u8>)> {
    s.set_read_timeout(Some(within)).ok()?;
    let mut head = [0u8; 19];
    s.read_exact(&mut head).ok()?;
    let len = usize::from(u16::from_be_bytes([head[16], head[17]]));
    let mut body = vec![0u8; len.checked_sub(19)?];
    s.read_exact(&mut body).ok()?;
    Some((head[18], body))
}

/// An OPEN body: AS LOCAL_AS, `hold`, `id`, ipv4 unicast + asn4.
pub fn open_body(hold: u16, id: Ipv4Addr) -> Vec<u8> {
    let mut caps = vec![1, 4, 0, 1, 0, 1, 65, 4];
    caps.extend_from_slice(&LOCAL_AS.to_be_bytes());
    let mut open = vec![4];
    open.extend_from_slice(&(LOCAL_AS as u16).to_be_bytes());
    open.extend_from_slice(&hold.to_be_bytes());
    open.extend_from_slice(&id.octets());
    open.push(u8::try_from(caps.len() + 2).expect("caps"));
    open.push(2);
    open.push(u8::try_from(caps.len()).expect("caps"));
    open.extend_from_slice(&caps);
    open
}

/// Read the daemon's OPEN and answer with ours (no KEEPALIVE yet).
pub fn answer_open(s: &mut TcpStream, hold: u16, id: Ipv4Addr) {
    let (kind, _) = read_msg(s, Duration::from_secs(10)).expect("an OPEN from the daemon");
    assert_eq!(kind, 1, "first message is not an OPEN");
    s.write_all(&message(1, &open_body(hold, id)))
        .expect("send OPEN");
}

/// Read messages until one of `kind` arrives (KEEPALIVEs and others skipped).
pub fn wait_kind(s: &mut TcpStream, kind: u8, within: Duration) -> Option<Vec<u8>> {
    let end = Instant::now() + within;
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        match read_msg(s, left.max(Duration::from_millis(1))) {
            Some((k, body)) if k == kind => return Some(body),
            Some(_) => continue,
            None => return None,
        }
    }
    None
}

pub fn accept(listener: &TcpListener, within: Duration) -> TcpStream {
    listener.set_nonblocking(true).expect("nonblocking");
    let end = Instant::now() + within;
    loop {
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).expect("blocking");
                return s;
            }
            Err(_) if Instant::now() < end => sleep(Duration::from_millis(20)),
            Err(e) => panic!("the daemon never connected: {e}"),
        }
    }
}

pub fn free_port(ip: &str) -> u16 {
    TcpListener::bind((ip, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

// ---------------------------------------------------------------------------------------
// The daemon and what /proc says about it.

pub fn run_daemon(dir: &Path, conf: &Path, env: &[(&str, String)]) -> Daemon {
    let out = std::fs::File::create(dir.join("daemon.out")).expect("daemon log");
    let err = out.try_clone().expect("daemon log");
    let mut c = Command::new(env!("CARGO_BIN_EXE_ferrobgp"));
    c.arg(conf)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .env("exabgp_api_cli", "false")
        .env("exabgp_daemon_drop", "false")
        .env("exabgp_log_enable", "true")
        .env("exabgp_log_level", "DEBUG")
        .env("API_LOG", dir.join("helper.log"))
        .env("API_SCRIPT", dir.join("script.txt"));
    for (k, v) in env {
        c.env(k, v);
    }
    Daemon {
        child: c.spawn().expect("start the daemon"),
        dir: dir.to_path_buf(),
        log: dir.join("helper.log"),
    }
}

pub fn wait_output(d: &Daemon, text: &str, within: Duration) -> bool {
    let end = Instant::now() + within;
    while Instant::now() < end {
        if d.output().contains(text) {
            return true;
        }
        sleep(Duration::from_millis(50));
    }
    false
}

pub fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

pub fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, Iterator::count)
}

/// Threads of the daemon serving a session (named `peer ADDR` and `write ADDR`).
pub fn session_threads(pid: u32) -> usize {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    dir.flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
        .filter(|name| name.starts_with("peer ") || name.starts_with("write "))
        .count()
}

pub fn fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count)
}

/// utime + stime in clock ticks, and RSS in pages, from /proc/PID/stat.
pub fn cpu_and_rss(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = text
        .rfind(')')
        .and_then(|i| text.get(i + 2..))
        .unwrap_or("");
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|w| w.parse().unwrap_or(0))
        .collect();
    // After "(comm) ": state is 0, utime 11, stime 12, rss 21.
    let at = |i: usize| f.get(i).copied().unwrap_or(0);
    (at(11) + at(12), at(21))
}

pub fn signal(d: &Daemon, sig: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(d.child.id().to_string())
        .status();
}

// ---------------------------------------------------------------------------------------
// UPDATE contents (IPv4 unicast only, as the tests send).

pub fn prefixes(mut b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    while let Some((&len, rest)) = b.split_first() {
        let n = usize::from(len).div_ceil(8);
        let Some(bytes) = rest.get(..n) else { break };
        let mut ip = [0u8; 4];
        ip[..n].copy_from_slice(bytes);
        out.push(format!("{}/{len}", Ipv4Addr::from(ip)));
        b = &rest[n..];
    }
    out
}

/// (withdrawn, announced) of an UPDATE body.
pub fn update_nlri(body: &[u8]) -> (Vec<String>, Vec<String>) {
    let wl = usize::from(u16::from_be_bytes([body[0], body[1]]));
    let withdrawn = prefixes(&body[2..2 + wl]);
    let at = 2 + wl;
    let al = usize::from(u16::from_be_bytes([body[at], body[at + 1]]));
    let announced = prefixes(&body[at + 2 + al..]);
    (withdrawn, announced)
}

pub fn changes(msgs: &[Msg]) -> (Vec<String>, Vec<String>, Vec<u8>) {
    let mut w = Vec::new();
    let mut a = Vec::new();
    let mut kinds = Vec::new();
    for m in msgs.iter().filter(|m| m.kind != 4) {
        kinds.push(m.kind);
        if m.kind == 2 {
            let (mw, ma) = update_nlri(&m.body);
            w.extend(mw);
            a.extend(ma);
        }
    }
    (w, a, kinds)
}

pub fn statics(routes: &[&str]) -> String {
    let r: String = routes.iter().map(|r| format!("    route {r};\n")).collect();
    format!("  static {{\n{r}  }}")
}

/// A daemon that connects to a listener of the test: (daemon, listener).
pub fn one_neighbor(name: &str, neighbor_extra: &str) -> (Daemon, TcpListener) {
    let dir = temp_dir(name);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let conf = dir.join("n.conf");
    std::fs::write(
        &conf,
        format!(
            "neighbor 127.0.0.1 {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
             local-as {LOCAL_AS};\n  peer-as {LOCAL_AS};\n  family {{ ipv4 unicast; }}\n\
             {neighbor_extra}\n}}\n"
        ),
    )
    .expect("config");
    let daemon = run_daemon(
        &dir,
        &conf,
        &[
            ("exabgp_tcp_port", port.to_string()),
            ("exabgp_tcp_bind", String::new()),
        ],
    );
    (daemon, listener)
}

/// A neighbor block for `peer` with `body` inside (after the session lines).
pub fn neighbor_conf(peer: &str, body: &str) -> String {
    format!(
        "neighbor {peer} {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
         local-as {LOCAL_AS};\n  peer-as {LOCAL_AS};\n  family {{ ipv4 unicast; }}\n{body}\n}}\n"
    )
}

pub fn routes_30(range: std::ops::Range<u32>, med: impl Fn(u32) -> Option<u32>) -> String {
    let mut s = String::from("  static {\n");
    for i in range {
        let extra = med(i).map(|m| format!(" med {m}")).unwrap_or_default();
        s.push_str(&format!(
            "    route 30.{}.{}.0/24 next-hop 127.0.0.1{extra};\n",
            i >> 8,
            i & 255
        ));
    }
    s.push_str("  }");
    s
}

pub fn p30(i: u32) -> String {
    format!("30.{}.{}.0/24", i >> 8, i & 255)
}
