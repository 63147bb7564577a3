//! Running one functional case (suite README §1.2-1.4): temp folder, free port, the test
//! peer, the daemon with the suite's environment, the verdict, and cleanup by pid.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::case::Case;
use super::proc::{self, Lines};

/// How the runner is set up; `Config::from_env` reads the `FERROBGP_FUNCTIONAL_*` knobs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Program and leading arguments; `-d -p <confs>` are appended.
    pub daemon: Vec<String>,
    pub peer: PathBuf,
    /// `tests/helpers`, whose files land in `<tmp>/run/`.
    pub helpers: PathBuf,
    pub timeout: Duration,
    pub verbose: bool,
    pub keep: bool,
}

impl Config {
    pub fn from_env(default_daemon: &str, peer: &str, helpers: PathBuf) -> Config {
        let daemon = std::env::var("FERROBGP_FUNCTIONAL_DAEMON")
            .ok()
            .map(|d| d.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| vec![default_daemon.to_string()]);
        let flag = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0");
        Config {
            daemon,
            peer: PathBuf::from(peer),
            helpers,
            timeout: Duration::from_secs(30),
            verbose: flag("FERROBGP_FUNCTIONAL_VERBOSE"),
            keep: flag("FERROBGP_FUNCTIONAL_KEEP"),
        }
    }
}

/// Why a case failed, with the end of both outputs for the report.
#[derive(Debug)]
pub struct Failure {
    pub reason: String,
    pub peer: Vec<String>,
    pub daemon: Vec<String>,
}

impl Failure {
    /// The last lines of both outputs, one per line, indented and tagged.
    pub fn details(&self) -> String {
        let peer = self.peer.iter().map(|l| format!("    peer   | {l}"));
        let daemon = self.daemon.iter().map(|l| format!("    daemon | {l}"));
        peer.chain(daemon).collect::<Vec<_>>().join("\n")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// At most this many cases run at once across every test of the binary.
struct Slots {
    free: Mutex<usize>,
    cond: Condvar,
}

static SLOTS: Slots = Slots {
    free: Mutex::new(0),
    cond: Condvar::new(),
};
static SLOTS_INIT: std::sync::Once = std::sync::Once::new();

pub struct Slot;

impl Slot {
    pub fn acquire(total: usize) -> Slot {
        SLOTS_INIT.call_once(|| *SLOTS.free.lock().unwrap_or_else(|p| p.into_inner()) = total);
        let mut free = SLOTS.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = SLOTS.cond.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *SLOTS.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        SLOTS.cond.notify_one();
    }
}

/// A port the OS just called free, never handed out twice by this process.
fn free_port() -> std::io::Result<u16> {
    static GIVEN: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
    for _ in 0..50 {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut given = GIVEN.lock().unwrap_or_else(|p| p.into_inner());
        if given.get_or_insert_with(HashSet::new).insert(port) {
            return Ok(port);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AddrInUse,
        "no fresh free port after 50 tries",
    ))
}

fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "ferrobgp-functional-{}-{n}-{name}",
        std::process::id()
    ))
}

/// Copies the regular files of `from` whose name ends with one of `exts` (any file when
/// `exts` is empty); `*.run` become executable, the rest world-readable.
fn copy_files(from: &Path, exts: &[&str], to: &Path) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(()); // an absent helpers folder just means no helpers yet
    };
    for entry in entries {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !path.is_file() || !(exts.is_empty() || exts.contains(&ext)) {
            continue;
        }
        if let Some(file) = path.file_name() {
            let target = to.join(file);
            std::fs::copy(&path, &target)?;
            let mode = if ext == "run" { 0o755 } else { 0o644 };
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode))?;
        }
    }
    Ok(())
}

/// `<tmp>/*.conf` and `<tmp>/run/` (every helper file: `*.run` and what they import),
/// world-readable: a daemon running as root may
/// drop privileges to `nobody` (suite README §1.3) and still has to read them.
fn prepare(case: &Case, cfg: &Config, dir: &Path) -> std::io::Result<()> {
    let run = dir.join("run");
    std::fs::create_dir_all(&run)?;
    for d in [dir, run.as_path()] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755))?;
    }
    copy_files(&case.etc, &["conf"], dir)?;
    copy_files(&cfg.helpers, &[], &run)
}

struct Peer {
    child: Child,
    lines: Lines,
    port: u16,
}

fn start_peer(case: &Case, cfg: &Config, pid_file: &Path) -> Result<Peer, String> {
    let mut last = String::new();
    // The port may be taken between our probe and the peer's bind: try a few.
    for _ in 0..3 {
        let port = free_port().map_err(|e| format!("no free port: {e}"))?;
        let mut child = Command::new(&cfg.peer)
            .arg("--port")
            .arg(port.to_string())
            .arg("--pid-file")
            .arg(pid_file)
            .arg(&case.msg)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", cfg.peer.display()))?;
        let lines = Lines::default();
        let (tx, rx) = crossbeam_channel::bounded(1);
        if let Some(out) = child.stdout.take() {
            proc::capture(
                out,
                format!("peer {}", case.name),
                lines.clone(),
                Some(("listening on", tx)),
            );
        }
        if let Some(err) = child.stderr.take() {
            proc::capture(err, format!("peer err {}", case.name), lines.clone(), None);
        }
        if rx.recv_timeout(Duration::from_secs(5)).is_ok() {
            return Ok(Peer { child, lines, port });
        }
        let _ = child.kill();
        let _ = child.wait();
        last = lines.tail(3).join(" / ");
    }
    Err(format!("the peer never listened: {last}"))
}

fn start_daemon(case: &Case, cfg: &Config, dir: &Path, port: u16) -> Result<Child, String> {
    let (program, leading) = cfg
        .daemon
        .split_first()
        .ok_or_else(|| "empty daemon command".to_string())?;
    let mut cmd = Command::new(program);
    cmd.args(leading)
        .arg("-d")
        .arg("-p")
        .args(case.confs.iter().map(|c| dir.join(c)))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("exabgp_tcp_port", port.to_string())
        .env("exabgp_tcp_bind", "")
        .env("exabgp_tcp_connections", case.tcp_connections.to_string())
        .env("exabgp_api_cli", "false")
        .env("exabgp_debug_rotate", "true")
        .env("exabgp_debug_configuration", "true")
        .env("exabgp_version", "5.0.0-0+test")
        .env(
            "exabgp_log_enable",
            if cfg.verbose { "true" } else { "false" },
        );
    cmd.spawn()
        .map_err(|e| format!("cannot start daemon {program:?}: {e}"))
}

/// Writes the pid through a rename so the peer never reads half a file.
fn write_pid(pid_file: &Path, pid: u32) -> std::io::Result<()> {
    let partial = pid_file.with_extension("partial");
    std::fs::write(&partial, format!("{pid}\n"))?;
    std::fs::rename(&partial, pid_file)
}

/// Runs one case; Ok when the peer exits 0 saying `successful` within the timeout.
pub fn run_case(case: &Case, cfg: &Config) -> Result<(), Failure> {
    let dir = temp_dir(&case.name);
    let result = run_in(case, cfg, &dir);
    if !cfg.keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn run_in(case: &Case, cfg: &Config, dir: &Path) -> Result<(), Failure> {
    let bare = |reason: String| Failure {
        reason,
        peer: Vec::new(),
        daemon: Vec::new(),
    };
    prepare(case, cfg, dir).map_err(|e| bare(format!("cannot prepare {}: {e}", dir.display())))?;
    let pid_file = dir.join("daemon.pid");
    let mut peer = start_peer(case, cfg, &pid_file).map_err(bare)?;
    let daemon_lines = Lines::default();
    let mut daemon = match start_daemon(case, cfg, dir, peer.port) {
        Ok(child) => child,
        Err(e) => {
            let _ = peer.child.kill();
            let _ = peer.child.wait();
            return Err(bare(e));
        }
    };
    if let Some(out) = daemon.stdout.take() {
        proc::capture(
            out,
            format!("daemon {}", case.name),
            daemon_lines.clone(),
            None,
        );
    }
    if let Some(err) = daemon.stderr.take() {
        proc::capture(
            err,
            format!("daemon err {}", case.name),
            daemon_lines.clone(),
            None,
        );
    }
    // Helpers outlive a killed daemon: remember them while it runs, kill them after it.
    let mut family = BTreeSet::new();
    let verdict = match write_pid(&pid_file, daemon.id()) {
        Ok(()) => watch(cfg, &mut peer, &mut daemon, &mut family),
        Err(e) => Err(format!("cannot write {}: {e}", pid_file.display())),
    };
    family.extend(proc::descendants(daemon.id()));
    if peer.child.try_wait().ok().flatten().is_none() {
        let _ = peer.child.kill();
    }
    let _ = peer.child.wait();
    family.extend(proc::descendants(daemon.id()));
    proc::terminate(&mut daemon, Duration::from_secs(3));
    proc::kill_leftovers(&family);
    verdict.map_err(|reason| {
        let n = if cfg.verbose { 80 } else { 12 };
        Failure {
            reason,
            peer: peer.lines.tail(n),
            daemon: daemon_lines.tail(n),
        }
    })
}

/// Polls both children until the peer decides, the daemon is gone for good, or timeout.
fn watch(
    cfg: &Config,
    peer: &mut Peer,
    daemon: &mut Child,
    family: &mut BTreeSet<proc::ProcId>,
) -> Result<(), String> {
    // The peer may still be reading the daemon's last messages when the daemon exits.
    const AFTER_DAEMON_EXIT: Duration = Duration::from_secs(2);
    let start = Instant::now();
    let mut daemon_exit: Option<(Instant, String)> = None;
    let mut last_scan = Instant::now();
    loop {
        if let Ok(Some(status)) = peer.child.try_wait() {
            // Give the capture thread a moment to store the final line.
            let deadline = Instant::now() + Duration::from_millis(500);
            while !peer.lines.contains("successful") && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            return if status.success() && peer.lines.contains("successful") {
                Ok(())
            } else {
                Err(format!("peer exited with {status}"))
            };
        }
        if daemon_exit.is_none() {
            if let Ok(Some(status)) = daemon.try_wait() {
                daemon_exit = Some((Instant::now(), status.to_string()));
            } else if last_scan.elapsed() > Duration::from_millis(500) {
                family.extend(proc::descendants(daemon.id()));
                last_scan = Instant::now();
            }
        }
        if let Some((when, status)) = &daemon_exit {
            if when.elapsed() > AFTER_DAEMON_EXIT {
                return Err(format!(
                    "daemon exited ({status}) before the peer was satisfied"
                ));
            }
        }
        if start.elapsed() > cfg.timeout {
            return Err(format!("timeout after {} s", cfg.timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}
