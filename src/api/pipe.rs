//! The `cli` named pipes (`<pipename>.in` / `<pipename>.out`), served inside the daemon.
//!
//! ExaBGP runs a bridge process for them; here two threads do the same job: one reads
//! command lines from `.in` and hands them to the reactor as [`HelperEvent::Lines`] of an
//! internal helper (which may address every neighbor), the other writes that helper's
//! answers to `.out`. The FIFOs are never created: like ExaBGP, they must already exist
//! (`mkfifo`) in one of the folders [`locations`] lists.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::thread;

use crossbeam_channel::{Receiver, Sender};
use log::{debug, warn};

use super::process::{HelperEvent, HelperKey, MAX_LINE};

/// The folders searched for the pipes, in ExaBGP's order: system run folders first, then
/// the same ones under the install root.
pub fn locations(root: &Path) -> Vec<PathBuf> {
    // SAFETY: getuid(2) cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    let mut out = Vec::new();
    for base in [PathBuf::from("/"), root.to_path_buf()] {
        for sub in [
            "run/exabgp".to_string(),
            format!("run/{uid}"),
            "run".to_string(),
            "var/run/exabgp".to_string(),
            format!("var/run/{uid}"),
            "var/run".to_string(),
        ] {
            out.push(base.join(sub));
        }
    }
    out
}

fn is_fifo(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

/// The first folder holding both `<pipename>.in` and `<pipename>.out` as FIFOs.
pub fn find(root: &Path, pipename: &str) -> Option<PathBuf> {
    locations(root).into_iter().find(|dir| {
        is_fifo(&dir.join(format!("{pipename}.in")))
            && is_fifo(&dir.join(format!("{pipename}.out")))
    })
}

/// The two pipe paths in `dir`.
pub fn paths(dir: &Path, pipename: &str) -> (PathBuf, PathBuf) {
    (
        dir.join(format!("{pipename}.in")),
        dir.join(format!("{pipename}.out")),
    )
}

/// Start serving the pipes in `dir`: commands read from `.in` become `Lines` events for
/// `key`; what the reactor queues on the returned sender is written to `.out`.
///
/// Both FIFOs are opened read-write: that never blocks, `.in` never reports end-of-file
/// between two clients, and `.out` accepts writes while no client listens (the client
/// drains what it finds before sending its command, as ExaBGP's does).
pub fn serve(
    dir: &Path,
    pipename: &str,
    key: HelperKey,
    events: Sender<HelperEvent>,
    queue: usize,
) -> io::Result<Sender<Vec<u8>>> {
    let (input, output) = paths(dir, pipename);
    let open = |p: &Path| {
        OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_CLOEXEC)
            .open(p)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))
    };
    let reader = open(&input)?;
    let writer = open(&output)?;
    let (tx, rx) = crossbeam_channel::bounded::<Vec<u8>>(queue);
    thread::Builder::new()
        .name("cli-in".into())
        .spawn(move || read_commands(reader, key, events))?;
    thread::Builder::new()
        .name("cli-out".into())
        .spawn(move || write_answers(writer, rx))?;
    Ok(tx)
}

/// Forward complete lines; a line longer than MAX_LINE is cut (the reactor refuses it).
fn read_commands(mut fifo: File, key: HelperKey, events: Sender<HelperEvent>) {
    let mut pending: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match fifo.read(&mut chunk) {
            Ok(0) => {
                // Cannot happen while we hold a write end; do not spin if it does.
                thread::sleep(std::time::Duration::from_millis(100));
                continue;
            }
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                warn!(target: "processes", "cli pipe: read failed, cli disabled: {e}");
                return;
            }
        };
        pending.extend_from_slice(chunk.get(..n).unwrap_or_default());
        let lines = split_lines(&mut pending);
        if lines.is_empty() {
            continue;
        }
        debug!(target: "processes", "cli pipe: {} command(s)", lines.len());
        if events.send(HelperEvent::Lines { key, lines }).is_err() {
            return;
        }
    }
}

/// Take the complete lines off the front of `pending` (lossily decoded); an over-long
/// partial line is passed on cut, so it is answered `error` rather than held forever.
fn split_lines(pending: &mut Vec<u8>) -> Vec<String> {
    let mut lines = Vec::new();
    while let Some(pos) = pending.iter().position(|b| *b == b'\n') {
        let line: Vec<u8> = pending.drain(..=pos).collect();
        let text = String::from_utf8_lossy(line.get(..pos).unwrap_or_default());
        lines.push(text.trim_end_matches('\r').to_string());
    }
    if pending.len() > MAX_LINE {
        let cut: Vec<u8> = std::mem::take(pending);
        lines.push(String::from_utf8_lossy(cut.get(..MAX_LINE).unwrap_or_default()).into_owned());
    }
    lines
}

fn write_answers(mut fifo: File, rx: Receiver<Vec<u8>>) {
    for bytes in rx {
        if let Err(e) = fifo.write_all(&bytes) {
            warn!(target: "processes", "cli pipe: write failed, cli answers stop: {e}");
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_follow_exabgp_order() {
        let l = locations(Path::new("/opt/x"));
        assert_eq!(l.len(), 12);
        assert_eq!(l[0], PathBuf::from("/run/exabgp"));
        assert_eq!(l[2], PathBuf::from("/run"));
        assert_eq!(l[5], PathBuf::from("/var/run"));
        assert_eq!(l[6], PathBuf::from("/opt/x/run/exabgp"));
        assert_eq!(l[11], PathBuf::from("/opt/x/var/run"));
    }

    #[test]
    fn lines_are_split_and_partial_kept() {
        let mut p = b"show neighbor\r\nversion\nhel".to_vec();
        assert_eq!(split_lines(&mut p), vec!["show neighbor", "version"]);
        assert_eq!(p, b"hel");
        p.extend_from_slice(b"p\n");
        assert_eq!(split_lines(&mut p), vec!["help"]);
        assert!(p.is_empty());
        let mut long = vec![b'a'; MAX_LINE + 5];
        let cut = split_lines(&mut long);
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].len(), MAX_LINE);
        assert!(long.is_empty());
    }

    #[test]
    fn served_pipes_carry_commands_and_answers() {
        let dir = std::env::temp_dir().join(format!("ferrobgp-pipe-{}", std::process::id()));
        let run = dir.join("run");
        std::fs::create_dir_all(&run).unwrap();
        for name in ["t.in", "t.out"] {
            let c = std::ffi::CString::new(run.join(name).to_str().unwrap()).unwrap();
            // SAFETY: c is a valid NUL-terminated path.
            unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
        }
        let found = find(&dir, "t");
        assert_eq!(found.as_deref(), Some(run.as_path()));
        let (tx, rx) = crossbeam_channel::unbounded();
        let key = HelperKey {
            index: 3,
            generation: 1,
        };
        let out = serve(&run, "t", key, tx, 16).unwrap();
        let mut w = OpenOptions::new()
            .write(true)
            .open(run.join("t.in"))
            .unwrap();
        w.write_all(b"version\n").unwrap();
        match rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap() {
            HelperEvent::Lines { key: k, lines } => {
                assert_eq!(k, key);
                assert_eq!(lines, vec!["version"]);
            }
            other => panic!("unexpected {other:?}"),
        }
        let mut r = OpenOptions::new()
            .read(true)
            .open(run.join("t.out"))
            .unwrap();
        out.send(b"done\n".to_vec()).unwrap();
        let mut buf = [0u8; 5];
        r.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"done\n");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
