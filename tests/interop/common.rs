//! Shared pieces of the interop tests: a temporary folder per test, free loopback ports, peer
//! daemons started unprivileged and killed by pid, ferrobgp (or ExaBGP, to check a test
//! against the reference: FERROBGP_INTEROP_DAEMON=exabgp) with API helpers that feed it
//! commands from a file and record what it receives as JSON.

use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long any one expectation may take (sessions come up in 1-3 s on loopback).
pub const WAIT: Duration = Duration::from_secs(30);

/// Print why a test did not run; tests return right after.
pub fn skip(test: &str, reason: &str) {
    eprintln!("interop {test}: SKIPPED: {reason}");
}

/// A program from PATH or the usual daemon folders.
pub fn find_binary(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/bin", "/usr/lib/frr", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A folder every peer user can write (peers run as nobody when we are root), removed at the
/// end unless FERROBGP_INTEROP_KEEP is set.
pub struct Workdir {
    pub path: PathBuf,
}

impl Workdir {
    pub fn new(name: &str) -> Workdir {
        let path =
            std::env::temp_dir().join(format!("ferrobgp-interop-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create work folder");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o777)).expect("chmod work folder");
        Workdir { path }
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.file(name);
        fs::write(&path, text).expect("write file");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod file");
        path
    }

    pub fn script(&self, name: &str, text: &str) -> PathBuf {
        let path = self.write(name, text);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod script");
        path
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.file(name)).unwrap_or_default()
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        if std::env::var_os("FERROBGP_INTEROP_KEEP").is_none() {
            let _ = fs::remove_dir_all(&self.path);
        } else {
            eprintln!("interop: kept {}", self.path.display());
        }
    }
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The nobody user and nogroup (or nobody) group, when running as root.
fn nobody() -> Option<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    let uid = passwd
        .lines()
        .find(|l| l.starts_with("nobody:"))?
        .split(':')
        .nth(2)?
        .parse()
        .ok()?;
    let groups = fs::read_to_string("/etc/group").ok()?;
    let gid = groups
        .lines()
        .find(|l| l.starts_with("nogroup:") || l.starts_with("nobody:"))?
        .split(':')
        .nth(2)?
        .parse()
        .ok()?;
    Some((uid, gid))
}

/// A running process, stopped (SIGTERM, then SIGKILL after 5 s) by its pid when dropped.
pub struct Proc {
    child: Child,
}

impl Proc {
    /// Start `command` with output to `log`; as nobody when we are root.
    pub fn spawn(name: &str, mut command: Command, log: &Path, unprivileged: bool) -> Proc {
        let out = fs::File::create(log).expect("create log");
        command
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("clone log"))
            .stderr(out);
        if unprivileged && is_root() {
            if let Some((uid, gid)) = nobody() {
                command.uid(uid).gid(gid);
            }
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Proc { child }
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if !self.running() {
            return;
        }
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill(2) on the pid of a child we started and have not reaped.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if !self.running() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Poll `probe` every 200 ms until it gives a value or [`WAIT`] passes.
pub fn wait_for<T>(mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(value) = probe() {
            return Some(value);
        }
        if start.elapsed() > WAIT {
            return None;
        }
        sleep(Duration::from_millis(200));
    }
}

/// Run a client command and return its stdout (empty when it fails).
pub fn output(program: &Path, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// The API helpers of the speaker under test: `feed` runs the commands appended to the
/// `commands` file, `monitor` records every message received, as JSON, in `received.json`.
pub fn helper_processes(dir: &Workdir) -> String {
    dir.write("commands", "");
    let commands = dir.file("commands");
    let received = dir.file("received.json");
    let feed = dir.script(
        "feed.sh",
        &format!(
            "#!/bin/sh\nexec tail -n +1 -F {} 2>/dev/null\n",
            commands.display()
        ),
    );
    let monitor = dir.script(
        "monitor.sh",
        // Not `exec`: the shell keeps the daemon's stdout pipe open, as ExaBGP takes a
        // closed stdout for a dead helper.
        &format!("#!/bin/sh\ncat >> {}\n", received.display()),
    );
    format!(
        "process feed {{\n  run {};\n  encoder text;\n}}\n\
         process monitor {{\n  run {};\n  encoder json;\n}}\n",
        feed.display(),
        monitor.display()
    )
}

/// The `api` blocks binding the helpers to a neighbor.
pub const HELPER_BINDINGS: &str = "  api { processes [ feed ]; }\n  \
    api { processes [ monitor ]; receive { parsed; update; } }\n";

/// Queue an API command for the speaker (the feed helper passes it on).
pub fn command(dir: &Workdir, line: &str) {
    use std::io::Write;
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(dir.file("commands"))
        .expect("open commands");
    writeln!(file, "{line}").expect("append command");
}

/// The speaker under test: ferrobgp, or ExaBGP with FERROBGP_INTEROP_DAEMON=exabgp.
pub fn start_speaker(dir: &Workdir, conf: &Path, peer_port: u16) -> Proc {
    let daemon = std::env::var("FERROBGP_INTEROP_DAEMON").unwrap_or_default();
    let mut command = if daemon == "exabgp" {
        Command::new("exabgp")
    } else {
        Command::new(env!("CARGO_BIN_EXE_ferrobgp"))
    };
    command
        .arg(conf)
        .env("exabgp_tcp_port", peer_port.to_string())
        .env("exabgp_tcp_bind", "")
        .env("exabgp_api_cli", "false")
        .env("exabgp_log_routes", "true")
        .current_dir(&dir.path);
    Proc::spawn("speaker", command, &dir.file("speaker.log"), false)
}

/// One received UPDATE's content, from the monitor's JSON.
#[derive(Debug, Default, Clone)]
pub struct Update {
    pub attributes: Value,
    /// (family, next hop, nlri object)
    pub announced: Vec<(String, String, Value)>,
    pub withdrawn: Vec<(String, Value)>,
}

pub fn updates(json_lines: &str) -> Vec<Update> {
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|v| v.pointer("/neighbor/message/update").cloned())
        .map(|update| {
            let mut out = Update {
                attributes: update.get("attribute").cloned().unwrap_or(Value::Null),
                ..Update::default()
            };
            if let Some(families) = update.get("announce").and_then(Value::as_object) {
                for (family, hops) in families {
                    for (hop, list) in hops.as_object().into_iter().flatten() {
                        for nlri in list.as_array().into_iter().flatten() {
                            out.announced
                                .push((family.clone(), hop.clone(), nlri.clone()));
                        }
                    }
                }
            }
            if let Some(families) = update.get("withdraw").and_then(Value::as_object) {
                for (family, list) in families {
                    for nlri in list.as_array().into_iter().flatten() {
                        out.withdrawn.push((family.clone(), nlri.clone()));
                    }
                }
            }
            out
        })
        .collect()
}

/// The attributes of the last announcement of `prefix` (matched on the `nlri` text).
pub fn announced<'a>(updates: &'a [Update], prefix: &str) -> Option<&'a Update> {
    updates.iter().rev().find(|u| {
        u.announced
            .iter()
            .any(|(_, _, nlri)| nlri.get("nlri").and_then(Value::as_str) == Some(prefix))
    })
}

pub fn withdrawn(updates: &[Update], prefix: &str) -> bool {
    updates.iter().any(|u| {
        u.withdrawn
            .iter()
            .any(|(_, nlri)| nlri.get("nlri").and_then(Value::as_str) == Some(prefix))
    })
}

/// Panic with the logs of the test folder, so a CI failure shows what each side said.
pub fn fail(dir: &Workdir, logs: &[&str], what: &str) -> ! {
    for name in logs {
        eprintln!("----- {name}\n{}", dir.read(name));
    }
    panic!("{what}");
}

/// The ASNs of a JSON `as-path` (ExaBGP 5: `{"0": {"element": "as-sequence", "value": [..]}}`).
pub fn as_path(attributes: &Value) -> Vec<u64> {
    attributes["as-path"]
        .as_object()
        .into_iter()
        .flat_map(|segments| segments.values())
        .flat_map(|segment| segment["value"].as_array().cloned().unwrap_or_default())
        .filter_map(|asn| asn.as_u64())
        .collect()
}
