//! Support for the API tests: a minimal loopback BGP peer, a daemon runner (ferrobgp, or
//! ExaBGP 5.0.15 with FERROBGP_API_DAEMON=exabgp to record fixtures), a scripted Python
//! helper that logs what the daemon writes to it, and the normalisation that makes two runs
//! comparable.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

pub const LOCAL_AS: u32 = 65000;
pub const VERSION: &str = "5.0.0-0+test";

/// The helper: runs the commands of `$API_SCRIPT` (with `@sleep S` and `@wait TEXT` — wait
/// until a line containing TEXT arrived), logging `>>> command` and every line received
/// to `$API_LOG`.
pub const HELPER: &str = r#"#!/usr/bin/env python3
import os, sys, threading, time
log = open(os.environ['API_LOG'], 'a', buffering=1)
lock = threading.Condition()
seen = []
def reader():
    for line in sys.stdin:
        with lock:
            log.write(line if line.endswith('\n') else line + '\n')
            seen.append(line)
            lock.notify_all()
threading.Thread(target=reader, daemon=True).start()
def wait_for(text, timeout=20.0):
    end = time.time() + timeout
    with lock:
        while not any(text in l for l in seen):
            left = end - time.time()
            if left <= 0:
                return
            lock.wait(left)
for cmd in open(os.environ['API_SCRIPT']).read().split('\n'):
    if not cmd:
        continue
    if cmd.startswith('@sleep '):
        time.sleep(float(cmd[7:]))
        continue
    if cmd.startswith('@wait '):
        wait_for(cmd[6:])
        continue
    with lock:
        log.write('>>> ' + cmd + '\n')
    sys.stdout.write(cmd + '\n')
    sys.stdout.flush()
    time.sleep(0.3)
while True:
    time.sleep(1)
"#;

/// A fresh temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ferrobgp-api-{name}-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Which daemon runs: ferrobgp unless FERROBGP_API_DAEMON names another command.
pub fn daemon_command() -> Vec<String> {
    std::env::var("FERROBGP_API_DAEMON")
        .ok()
        .map(|d| d.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| vec![env!("CARGO_BIN_EXE_ferrobgp").to_string()])
}

pub fn is_exabgp() -> bool {
    daemon_command()
        .first()
        .is_some_and(|p| p.contains("exabgp"))
}

// ---------------------------------------------------------------------------------------
// The peer

pub struct Msg {
    pub kind: u8,
    pub body: Vec<u8>,
    pub at: Instant,
}

pub struct Peer {
    pub listener: TcpListener,
    pub port: u16,
    pub hold: u16,
    stream: Option<TcpStream>,
    pub received: Arc<Mutex<Vec<Msg>>>,
    /// Keepalives stop when this is set.
    quiet: Arc<Mutex<bool>>,
}

pub fn message(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![0xff; 16];
    let len = u16::try_from(19 + body.len()).expect("short message");
    m.extend_from_slice(&len.to_be_bytes());
    m.push(kind);
    m.extend_from_slice(body);
    m
}

fn read_message(s: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    let mut head = [0u8; 19];
    s.read_exact(&mut head).ok()?;
    let len = usize::from(u16::from_be_bytes([head[16], head[17]]));
    let mut body = vec![0u8; len.checked_sub(19)?];
    s.read_exact(&mut body).ok()?;
    Some((head[18], body))
}

impl Peer {
    pub fn bind(hold: u16) -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        Peer {
            listener,
            port,
            hold,
            stream: None,
            received: Arc::new(Mutex::new(Vec::new())),
            quiet: Arc::new(Mutex::new(false)),
        }
    }

    /// Accept the daemon, exchange OPENs (ipv4+ipv6 unicast, route-refresh, asn4) and start
    /// a reader thread and a keepalive thread.
    pub fn establish(&mut self, within: Duration) -> Result<(), String> {
        self.listener
            .set_nonblocking(true)
            .map_err(|e| e.to_string())?;
        let end = Instant::now() + within;
        let mut stream = loop {
            match self.listener.accept() {
                Ok((s, _)) => break s,
                Err(_) if Instant::now() < end => thread::sleep(Duration::from_millis(20)),
                Err(e) => return Err(format!("the daemon never connected: {e}")),
            }
        };
        stream.set_nonblocking(false).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        let (kind, _) = read_message(&mut stream).ok_or("no OPEN from the daemon")?;
        if kind != 1 {
            return Err(format!("first message is type {kind}, not OPEN"));
        }
        let mut caps = Vec::new();
        for (afi, safi) in [(1u16, 1u8), (2, 1)] {
            caps.extend_from_slice(&[1, 4]);
            caps.extend_from_slice(&afi.to_be_bytes());
            caps.extend_from_slice(&[0, safi]);
        }
        caps.extend_from_slice(&[2, 0]);
        caps.extend_from_slice(&[65, 4]);
        caps.extend_from_slice(&LOCAL_AS.to_be_bytes());
        let mut open = vec![4];
        open.extend_from_slice(&(LOCAL_AS as u16).to_be_bytes());
        open.extend_from_slice(&self.hold.to_be_bytes());
        open.extend_from_slice(&[10, 0, 0, 2]);
        open.push(u8::try_from(caps.len() + 2).expect("caps"));
        open.push(2);
        open.push(u8::try_from(caps.len()).expect("caps"));
        open.extend_from_slice(&caps);
        stream
            .write_all(&message(1, &open))
            .map_err(|e| e.to_string())?;
        stream
            .write_all(&message(4, &[]))
            .map_err(|e| e.to_string())?;
        stream.set_read_timeout(None).map_err(|e| e.to_string())?;
        let mut reader = stream.try_clone().map_err(|e| e.to_string())?;
        let received = self.received.clone();
        thread::spawn(move || {
            while let Some((kind, body)) = read_message(&mut reader) {
                if let Ok(mut r) = received.lock() {
                    r.push(Msg {
                        kind,
                        body,
                        at: Instant::now(),
                    });
                }
            }
        });
        if self.hold > 0 {
            let mut ka = stream.try_clone().map_err(|e| e.to_string())?;
            let quiet = self.quiet.clone();
            let every = Duration::from_secs(u64::from(self.hold / 3).max(1));
            thread::spawn(move || loop {
                thread::sleep(every);
                if quiet.lock().map_or(true, |q| *q) {
                    return;
                }
                if ka.write_all(&message(4, &[])).is_err() {
                    return;
                }
            });
        }
        self.stream = Some(stream);
        Ok(())
    }

    pub fn send(&mut self, bytes: &[u8]) {
        if let Some(s) = self.stream.as_mut() {
            let _ = s.write_all(bytes);
        }
    }

    /// Stop keepalives and close the connection.
    pub fn close(&mut self) {
        if let Ok(mut q) = self.quiet.lock() {
            *q = true;
        }
        if let Some(s) = self.stream.take() {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    /// Wait until `pred` holds for the messages received so far.
    pub fn wait_for(&self, within: Duration, pred: impl Fn(&[Msg]) -> bool) -> bool {
        let end = Instant::now() + within;
        while Instant::now() < end {
            if self.received.lock().is_ok_and(|r| pred(&r)) {
                return true;
            }
            thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The longest silence between KEEPALIVEs received after `from`, up to now.
    pub fn longest_keepalive_gap(&self, from: Instant) -> Duration {
        let Ok(r) = self.received.lock() else {
            return Duration::MAX;
        };
        let mut last = from;
        let mut worst = Duration::ZERO;
        for m in r.iter().filter(|m| m.kind == 4 && m.at >= from) {
            worst = worst.max(m.at - last);
            last = m.at;
        }
        worst.max(last.elapsed())
    }

    /// Whether a NOTIFICATION arrived.
    pub fn notified(&self) -> bool {
        self.received
            .lock()
            .is_ok_and(|r| r.iter().any(|m| m.kind == 3))
    }

    /// Hex of every non-KEEPALIVE message received, type first.
    pub fn wire(&self) -> Vec<String> {
        self.received
            .lock()
            .map(|r| {
                r.iter()
                    .filter(|m| m.kind != 4)
                    .map(|m| format!("{}:{}", m.kind, hex(&m.body)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// An UPDATE announcing 10.9.0.0/24 next-hop 127.0.0.1, iBGP attributes.
pub fn peer_update() -> Vec<u8> {
    let attrs: Vec<u8> = [
        &[0x40, 1, 1, 0][..],
        &[0x40, 2, 0],
        &[0x40, 3, 4, 127, 0, 0, 1],
        &[0x40, 5, 4, 0, 0, 0, 100],
    ]
    .concat();
    let mut body = vec![0, 0];
    body.extend_from_slice(&u16::try_from(attrs.len()).expect("attrs").to_be_bytes());
    body.extend_from_slice(&attrs);
    body.extend_from_slice(&[24, 10, 9, 0]);
    message(2, &body)
}

// ---------------------------------------------------------------------------------------
// The daemon

pub struct Daemon {
    pub child: Child,
    pub dir: PathBuf,
    pub log: PathBuf,
}

/// A configuration with one neighbor 127.0.0.1 and one helper `h` running the scripted
/// helper; `api` is the body of the neighbor's api block, `extra` more neighbor lines.
pub fn config(dir: &Path, api: &str, extra: &str) -> PathBuf {
    config_with(dir, HELPER, api, extra)
}

/// As [`config`], with another helper program (a Python script with its `#!` line).
pub fn config_with(dir: &Path, helper_src: &str, api: &str, extra: &str) -> PathBuf {
    let helper = dir.join("helper.py");
    std::fs::write(&helper, helper_src).expect("helper");
    make_executable(&helper);
    let conf = format!(
        "process h {{\n  run {helper};\n  encoder json;\n}}\n\n\
         neighbor 127.0.0.1 {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
         local-as {LOCAL_AS};\n  peer-as {LOCAL_AS};\n  hold-time 180;\n  \
         family {{ ipv4 unicast; ipv6 unicast; }}\n  capability {{ route-refresh; }}\n  \
         api {{\n    processes [ h ];\n{api}\n  }}\n{extra}\n}}\n",
        helper = helper.display(),
    );
    let path = dir.join("api.conf");
    std::fs::write(&path, conf).expect("config");
    path
}

pub fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
}

pub fn has_python() -> bool {
    Command::new("python3")
        .arg("-c")
        .arg("pass")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Start the daemon on `conf`, connecting to the peer's port; `script` is what the helper
/// sends; `env` more environment for the daemon (and so its helpers).
pub fn start(dir: &Path, conf: &Path, port: u16, script: &str, env: &[(&str, &str)]) -> Daemon {
    let log = dir.join("helper.log");
    let script_path = dir.join("script.txt");
    std::fs::write(&script_path, script).expect("script");
    let cmd = daemon_command();
    let out = std::fs::File::create(dir.join("daemon.out")).expect("daemon log");
    let err = out.try_clone().expect("daemon log");
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..])
        .arg(conf)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .env("exabgp_tcp_port", port.to_string())
        .env("exabgp_tcp_bind", "")
        .env("exabgp_api_cli", "false")
        .env("exabgp_version", VERSION)
        .env("exabgp_daemon_drop", "false")
        .env("exabgp_log_enable", "true")
        .env("exabgp_log_level", "DEBUG")
        .env("API_LOG", &log)
        .env("API_SCRIPT", &script_path);
    for (k, v) in env {
        c.env(k, v);
    }
    let child = c.spawn().expect("start the daemon");
    Daemon {
        child,
        dir: dir.to_path_buf(),
        log,
    }
}

impl Daemon {
    /// Wait for the daemon to exit by itself; false on timeout.
    pub fn wait_exit(&mut self, within: Duration) -> bool {
        let end = Instant::now() + within;
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            thread::sleep(Duration::from_millis(50));
        }
        false
    }

    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    pub fn output(&self) -> String {
        std::fs::read_to_string(self.dir.join("daemon.out")).unwrap_or_default()
    }

    pub fn helper_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Wait until the helper log contains `text`.
    pub fn wait_log(&self, text: &str, within: Duration) -> bool {
        let end = Instant::now() + within;
        while Instant::now() < end {
            if self.helper_log().contains(text) {
                return true;
            }
            thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if !self.exited() {
            // SIGTERM first so it stops its helpers, then SIGKILL.
            if let Ok(pid) = i32::try_from(self.child.id()) {
                let _ = Command::new("kill")
                    .arg("-TERM")
                    .arg(pid.to_string())
                    .status();
            }
            if !self.wait_exit(Duration::from_secs(5)) {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
        // Kept after a failure (and with FERROBGP_API_KEEP) for the logs.
        if !thread::panicking() && std::env::var_os("FERROBGP_API_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Normalisation

/// A JSON event without what changes between runs (time, host, pids, counter).
pub fn normalise_event(mut v: Value) -> Value {
    if let Value::Object(map) = &mut v {
        for key in ["time", "host", "pid", "ppid", "counter"] {
            map.remove(key);
        }
    }
    v
}

/// `duration` values (seconds up) set to 0, at any depth.
pub fn mask_durations(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    if k == "duration" {
                        (k, Value::from(0))
                    } else {
                        (k, mask_durations(v))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(mask_durations).collect()),
        other => other,
    }
}

/// Up-times (`H:MM:SS`) and other clock values replaced so two runs compare equal.
pub fn normalise_text(line: &str) -> String {
    line.split(' ')
        .map(|w| {
            let parts: Vec<&str> = w.split(':').collect();
            let clock = parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if clock {
                "H:MM:SS".to_string()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The log up to and including the first `down` state event: what follows (reconnection
/// attempts) depends on retry timers, not on the API.
pub fn until_down(log: &str) -> String {
    let mut out = String::new();
    for line in log.lines() {
        out.push_str(line);
        out.push('\n');
        if line.contains("\"state\": \"down\"") {
            break;
        }
    }
    out
}

/// What a helper log says, made comparable: for each command the text lines that followed
/// it (answers; JSON events excluded), and the multiset of JSON events (sorted), each
/// normalised.
pub fn digest(log: &str) -> Value {
    let mut answers: Vec<Value> = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    let mut events: Vec<Value> = Vec::new();
    for line in log.lines() {
        if let Some(cmd) = line.strip_prefix(">>> ") {
            if let Some((c, lines)) = current.take() {
                answers.push(serde_json::json!([c, lines]));
            }
            current = Some((cmd.to_string(), Vec::new()));
            continue;
        }
        if line.starts_with('{') || line.starts_with('[') {
            if let Ok(v) = serde_json::from_str::<Value>(line) {
                // Answers to `show ... json` are JSON too, but carry no envelope.
                if v.get("exabgp").is_some() {
                    events.push(normalise_event(v));
                    continue;
                }
                if let Some((_, lines)) = current.as_mut() {
                    lines.push(mask_durations(v).to_string());
                }
                continue;
            }
        }
        if let Some((_, lines)) = current.as_mut() {
            lines.push(normalise_text(line));
        }
    }
    if let Some((c, lines)) = current.take() {
        answers.push(serde_json::json!([c, lines]));
    }
    events.sort_by_key(|v| v.to_string());
    serde_json::json!({ "answers": answers, "events": events })
}

/// The suite folder with the fixtures, `tests/api-fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api-fixtures")
}

/// Compare `got` with the fixture `name`, or write it when FERROBGP_API_RECORD is set.
/// Returns the differences, one line each (empty when equal).
pub fn check_fixture(name: &str, got: &Value) -> Vec<String> {
    let path = fixtures().join(format!("{name}.json"));
    if std::env::var("FERROBGP_API_RECORD").is_ok_and(|v| !v.is_empty() && v != "0") {
        let text = serde_json::to_string_pretty(got).expect("json");
        std::fs::create_dir_all(fixtures()).expect("fixtures dir");
        std::fs::write(&path, text + "\n").expect("write fixture");
        return Vec::new();
    }
    let want: Value = match std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
    {
        Some(v) => v,
        None => return vec![format!("no fixture {}", path.display())],
    };
    let mut diffs = Vec::new();
    diff("", &want, got, &mut diffs);
    diffs
}

/// Structural differences, as `path: want X, got Y`.
pub fn diff(at: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    Some(vb) => diff(&format!("{at}.{k}"), va, vb, out),
                    None => out.push(format!("{at}.{k}: missing (want {va})")),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    out.push(format!("{at}.{k}: unexpected {vb}"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff(&format!("{at}[{i}]"), va, vb, out);
            }
        }
        _ if want == got => {}
        _ => out.push(format!("{at}: want {want}, got {got}")),
    }
}
