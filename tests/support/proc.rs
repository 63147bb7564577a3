//! Child processes for the runner: output capture, signals by pid, bounded waits, and
//! cleanup of helpers a daemon left behind.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ExitStatus};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

/// Lines a child printed (stdout and stderr interleaved as they arrive).
#[derive(Clone, Default)]
pub struct Lines(Arc<Mutex<Vec<String>>>);

impl Lines {
    fn push(&self, line: String) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(line);
    }

    pub fn contains(&self, needle: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(|l| l.contains(needle))
    }

    pub fn tail(&self, n: usize) -> Vec<String> {
        let lines = self.0.lock().unwrap_or_else(|p| p.into_inner());
        lines[lines.len().saturating_sub(n)..].to_vec()
    }

    pub fn all(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Copies `stream` into `lines` on a detached thread (a helper that outlives the daemon
/// may keep the pipe open, so nobody joins it); `marker` fires on the first line
/// containing `needle`.
pub fn capture<R: Read + Send + 'static>(
    stream: R,
    name: String,
    lines: Lines,
    marker: Option<(&'static str, Sender<()>)>,
) {
    let _ = thread::Builder::new().name(name).spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf).trim_end().to_string();
                    if let Some((needle, tx)) = &marker {
                        if line.contains(needle) {
                            let _ = tx.send(());
                        }
                    }
                    lines.push(line);
                }
            }
        }
    });
}

pub fn signal(pid: u32, sig: i32) -> std::io::Result<()> {
    extern "C" {
        fn kill(pid: i32, sig: i32) -> i32;
    }
    let pid = i32::try_from(pid)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad pid"))?;
    // SAFETY: kill(2) takes two integers and touches no memory of ours; pid > 0 so it
    // targets one process we started (or one it started), never a group.
    if unsafe { kill(pid, sig) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Waits for `child` at most `limit`.
pub fn wait_timeout(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            _ => return None,
        }
    }
}

/// SIGTERM, then SIGKILL after `grace`; always reaps.
pub fn terminate(child: &mut Child, grace: Duration) -> Option<ExitStatus> {
    if let Ok(Some(status)) = child.try_wait() {
        return Some(status);
    }
    let _ = signal(child.id(), signal_hook::consts::SIGTERM);
    if let Some(status) = wait_timeout(child, grace) {
        return Some(status);
    }
    let _ = child.kill();
    child.wait().ok()
}

/// A process identity that survives pid reuse: (pid, start time in clock ticks).
pub type ProcId = (u32, u64);

/// `/proc/<pid>/stat` fields after the `(comm)`: state is index 0, ppid 1, starttime 19.
fn stat(pid: u32) -> Option<(u32, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = text.get(text.rfind(')')? + 1..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ppid = fields.get(1)?.parse().ok()?;
    let start = fields.get(19)?.parse().ok()?;
    Some((ppid, start))
}

/// Every live descendant of `root` (Linux /proc; empty elsewhere).
pub fn descendants(root: u32) -> BTreeSet<ProcId> {
    let mut table = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((ppid, start)) = stat(pid) {
                table.push((pid, ppid, start));
            }
        }
    }
    let mut found = BTreeSet::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for &(pid, ppid, start) in &table {
            if ppid == parent && found.insert((pid, start)) {
                frontier.push(pid);
            }
        }
    }
    found
}

/// SIGKILLs each recorded process that still runs with the same start time.
pub fn kill_leftovers(procs: &BTreeSet<ProcId>) {
    for &(pid, start) in procs {
        if stat(pid).is_some_and(|(_, s)| s == start) {
            let _ = signal(pid, signal_hook::consts::SIGKILL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    #[test]
    fn finds_and_kills_grandchildren() {
        let mut child = Command::new("sh")
            .args(["-c", "sleep 30 & sleep 30 & wait"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut found = descendants(child.id());
        while found.len() < 2 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
            found = descendants(child.id());
        }
        assert_eq!(found.len(), 2, "{found:?}");
        kill_leftovers(&found);
        assert!(terminate(&mut child, Duration::from_secs(3)).is_some());
    }
}
