//! Helper processes (`process NAME { run ...; }`): spawning, one thread reading each helper's
//! stdout into the reactor's channel, one thread writing its stdin, and signals to end them.
//!
//! Lines read in one `read()` travel as one event: ExaBGP applies the commands of one read as a
//! batch before sending the resulting UPDATEs, and helpers rely on that.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Sender, TrySendError};

use crate::config::Process;

/// Messages a helper's stdin queue may hold; past that, messages to it are dropped (and
/// counted) rather than blocking the reactor: a helper that stops reading loses events, the
/// BGP sessions do not stall.
pub const STDIN_QUEUE: usize = 1 << 16;
/// Bytes a helper's stdin queue may hold: one message can be a whole turn's events, so the
/// message count alone would not keep memory flat when a helper reads slowly.
pub const STDIN_BYTES: usize = 64 << 20;
/// Longest command line accepted; a longer one is cut off and reported as an error.
pub const MAX_LINE: usize = 1 << 20;

/// One running instance of a helper: the registry index and a start counter, so events from
/// an instance that was replaced are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HelperKey {
    pub index: usize,
    pub generation: u64,
}

#[derive(Debug)]
pub enum HelperEvent {
    /// The complete lines of one read from the helper's stdout (lossily decoded as UTF-8).
    Lines { key: HelperKey, lines: Vec<String> },
    /// The helper closed its stdout and exited (None: its status could not be read).
    Exited {
        key: HelperKey,
        status: Option<ExitStatus>,
    },
}

/// The daemon's handle on a running helper.
pub struct Running {
    pub key: HelperKey,
    pub pid: u32,
    stdin: Sender<Vec<u8>>,
    /// Bytes queued and not yet written to the helper (the writer thread takes them off).
    queued: Arc<AtomicUsize>,
    /// Messages dropped because the helper was not reading.
    pub dropped: u64,
}

impl Running {
    /// A helper served inside the daemon (the cli pipes): no process, `stdin` is drained by
    /// the daemon's own writer thread.
    pub fn internal(key: HelperKey, stdin: Sender<Vec<u8>>) -> Running {
        Running {
            key,
            pid: 0,
            stdin,
            queued: Arc::new(AtomicUsize::new(0)),
            dropped: 0,
        }
    }

    /// Whether its stdin queue is full (the next message would be dropped): events for it
    /// need not be encoded.
    pub fn is_full(&self) -> bool {
        self.stdin.is_full() || self.queued.load(Ordering::Relaxed) >= STDIN_BYTES
    }

    /// Count a message dropped without being queued.
    pub fn drop_one(&mut self) {
        self.dropped += 1;
    }

    /// Queue bytes for the helper's stdin without blocking. False when dropped.
    pub fn send(&mut self, bytes: Vec<u8>) -> bool {
        if self.is_full() {
            self.dropped += 1;
            return false;
        }
        let len = bytes.len();
        match self.stdin.try_send(bytes) {
            Ok(()) => {
                // Internal helpers' writers do not count down: only spawned ones are bounded.
                if self.pid != 0 {
                    self.queued.fetch_add(len, Ordering::Relaxed);
                }
                true
            }
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                self.dropped += 1;
                false
            }
        }
    }

    /// Send `sig` to the helper's process group (each helper leads its own).
    pub fn signal(&self, sig: libc::c_int) {
        // pid 0 is an internal helper: kill(0) would signal the daemon's own group.
        if self.pid == 0 {
            return;
        }
        if let Ok(pid) = libc::pid_t::try_from(self.pid) {
            // SAFETY: kill(2) has no memory-safety preconditions; a negative pid names the group.
            unsafe {
                libc::kill(-pid, sig);
            }
        }
    }
}

/// Start a helper. Its program path was resolved by the configuration parser; the working
/// directory is the daemon's, the environment the daemon's plus `TERM=dumb`, and it gets its
/// own process group so a Ctrl-C aimed at the daemon does not reach it.
pub fn spawn(
    key: HelperKey,
    process: &Process,
    cwd: Option<&Path>,
    events: Sender<HelperEvent>,
) -> io::Result<Running> {
    // `python3 -m exabgp healthcheck ...` (and the other ExaBGP spellings) run our own.
    let rewritten = crate::healthcheck::rewrite_exabgp_argv(&process.run);
    let (program, args) = rewritten
        .as_deref()
        .unwrap_or(&process.run)
        .split_first()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty run command"))?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env("TERM", "dumb")
        .env_remove("exabgp_cli_pipe")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .process_group(0);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let mut child = cmd.spawn()?;
    let pid = child.id();
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("no stdout pipe"))?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| io::Error::other("no stdin pipe"))?;
    widen_pipe(&stdin);
    widen_pipe(&stdout);
    let (tx, rx) = crossbeam_channel::bounded::<Vec<u8>>(STDIN_QUEUE);
    let queued = Arc::new(AtomicUsize::new(0));
    let name = process.name.clone();
    thread::Builder::new()
        .name(format!("api {name}"))
        .spawn(move || read_loop(key, child, stdout, events))?;
    thread::Builder::new()
        .name(format!("api-in {name}"))
        .spawn({
            let queued = queued.clone();
            move || write_loop(stdin, rx, &queued)
        })?;
    Ok(Running {
        key,
        pid,
        stdin: tx,
        queued,
        dropped: 0,
    })
}

/// Grow a helper pipe from 64 KiB to 1 MiB where the system allows: a full table's events
/// then cost a sixteenth of the context switches. Best effort (the default size works).
fn widen_pipe(pipe: &impl AsRawFd) {
    // SAFETY: fcntl(F_SETPIPE_SZ) on a pipe descriptor we own; no memory is passed.
    unsafe {
        libc::fcntl(pipe.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
    }
}

fn read_loop(
    key: HelperKey,
    mut child: Child,
    mut stdout: ChildStdout,
    events: Sender<HelperEvent>,
) {
    let mut buf = vec![0u8; 1 << 16];
    let mut partial: Vec<u8> = Vec::new();
    loop {
        let n = match stdout.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let Some(chunk) = buf.get(..n) else { break };
        partial.extend_from_slice(chunk);
        let lines = take_lines(&mut partial);
        if !lines.is_empty() && events.send(HelperEvent::Lines { key, lines }).is_err() {
            let _ = child.kill();
            let _ = child.wait();
            return;
        }
    }
    if !partial.is_empty() {
        let line = String::from_utf8_lossy(&partial).into_owned();
        let _ = events.send(HelperEvent::Lines {
            key,
            lines: vec![line],
        });
    }
    drop(stdout);
    let status = child.wait().ok();
    let _ = events.send(HelperEvent::Exited { key, status });
}

/// Split the complete lines off `partial`, leaving an unfinished last line in it. A line
/// longer than MAX_LINE is cut so a helper cannot make the daemon buffer without bound.
fn take_lines(partial: &mut Vec<u8>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in partial.iter().enumerate() {
        if *b == b'\n' {
            let line = partial.get(start..i).unwrap_or_default();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            lines.push(String::from_utf8_lossy(line).into_owned());
            start = i + 1;
        }
    }
    partial.drain(..start);
    if partial.len() > MAX_LINE {
        lines.push(
            String::from_utf8_lossy(partial.get(..MAX_LINE).unwrap_or_default()).into_owned(),
        );
        partial.clear();
    }
    lines
}

fn write_loop(
    mut stdin: ChildStdin,
    rx: crossbeam_channel::Receiver<Vec<u8>>,
    queued: &AtomicUsize,
) {
    let mut batch = Vec::with_capacity(1 << 16);
    for bytes in rx.iter() {
        // One write for everything already queued: a million acks are not a million syscalls.
        batch.clear();
        batch.extend_from_slice(&bytes);
        while batch.len() < (1 << 20) {
            match rx.try_recv() {
                Ok(more) => batch.extend_from_slice(&more),
                Err(_) => break,
            }
        }
        if stdin.write_all(&batch).and_then(|_| stdin.flush()).is_err() {
            return;
        }
        queued.fetch_sub(batch.len(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Encoder, Location};
    use std::time::Duration;

    fn process(script: &str) -> Process {
        Process {
            name: "test".into(),
            run: vec!["/bin/sh".into(), "-c".into(), script.into()],
            encoder: Encoder::Text,
            respawn: false,
            location: Location::default(),
        }
    }

    #[test]
    fn lines_of_one_write_arrive_together_then_exit_is_reported() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let key = HelperKey {
            index: 0,
            generation: 1,
        };
        let _h = spawn(
            key,
            &process("printf 'a\\nb\\n'; sleep 0.2; printf 'c'"),
            None,
            tx,
        )
        .unwrap();
        let wait = Duration::from_secs(5);
        match rx.recv_timeout(wait).unwrap() {
            HelperEvent::Lines { lines, .. } => assert_eq!(lines, ["a", "b"]),
            other => panic!("unexpected {other:?}"),
        }
        match rx.recv_timeout(wait).unwrap() {
            HelperEvent::Lines { lines, .. } => assert_eq!(lines, ["c"]),
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            matches!(rx.recv_timeout(wait).unwrap(), HelperEvent::Exited { status: Some(s), .. } if s.success())
        );
    }

    #[test]
    fn stdin_reaches_the_helper() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let key = HelperKey {
            index: 0,
            generation: 1,
        };
        let mut h = spawn(key, &process("read x; echo got-$x"), None, tx).unwrap();
        assert!(h.send(b"ping\n".to_vec()));
        match rx.recv_timeout(Duration::from_secs(5)).unwrap() {
            HelperEvent::Lines { lines, .. } => assert_eq!(lines, ["got-ping"]),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn long_and_invalid_lines_do_not_break_framing() {
        let mut partial = b"ok\r\n\xff\xfe\npart".to_vec();
        let lines = take_lines(&mut partial);
        assert_eq!(lines, ["ok", "\u{fffd}\u{fffd}"]);
        assert_eq!(partial, b"part");
    }
}
