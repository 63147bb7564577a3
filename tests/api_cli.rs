//! `ferrobgp cli` against a running daemon through named pipes found under $EXABGP_ROOT:
//! the command travels the same path as a helper's and may address every neighbor.

mod api_support;

use std::ffi::CString;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use api_support::*;

fn mkfifo(path: &Path) {
    let c = CString::new(path.to_str().expect("utf-8 path")).expect("path");
    // SAFETY: c is a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

fn cli(root: &Path, pipename: &str, words: &[&str]) -> (String, String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_ferrobgp"))
        .arg("cli")
        .arg("--pipename")
        .arg(pipename)
        .args(words)
        .env("EXABGP_ROOT", root)
        .output()
        .expect("run ferrobgp cli");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

#[test]
fn cli_shows_neighbors_of_a_running_daemon() {
    if !has_python() {
        eprintln!("skipped: python3 is needed for the helper");
        return;
    }
    let dir = temp_dir("cli");
    let run = dir.join("run");
    std::fs::create_dir_all(&run).expect("run dir");
    let pipename = format!("ferrocli{}", std::process::id());
    mkfifo(&run.join(format!("{pipename}.in")));
    mkfifo(&run.join(format!("{pipename}.out")));
    let mut peer = Peer::bind(180);
    // The helper is bound to the neighbor; the cli is not, and still reaches it.
    let conf = config(&dir, "    neighbor-changes;", "");
    let root = dir.to_str().expect("utf-8").to_string();
    let daemon = start(
        &dir,
        &conf,
        peer.port,
        "",
        &[
            ("exabgp_api_cli", "true"),
            ("exabgp_api_pipename", &pipename),
            ("EXABGP_ROOT", &root),
        ],
    );
    peer.establish(Duration::from_secs(20)).expect("session");
    assert!(daemon.wait_log("\"up\"", Duration::from_secs(10)));

    let (out, err, ok) = cli(&dir, &pipename, &["show", "neighbor", "summary"]);
    assert!(ok, "cli failed: {err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("127.0.0.1") && l.contains("established")),
        "no established 127.0.0.1 in:\n{out}\nstderr:\n{err}\ndaemon:\n{}",
        daemon.output()
    );

    // Abbreviations are expanded and echoed.
    let (out, _, ok) = cli(&dir, &pipename, &["s", "n", "s"]);
    assert!(ok);
    assert!(out.starts_with("command: show neighbor summary\n"), "{out}");

    // Commands reach the neighbor: the peer gets the UPDATE.
    let (_, err, ok) = cli(
        &dir,
        &pipename,
        &["announce", "route", "10.6.0.0/24", "next-hop", "127.0.0.1"],
    );
    assert!(ok && err.is_empty(), "announce: {err}");
    assert!(peer.wait_for(Duration::from_secs(5), |m| m
        .iter()
        .any(|m| m.kind == 2 && m.body.ends_with(&[24, 10, 6, 0]))));

    // An unknown command is an error, reported on stderr.
    let (_, err, _) = cli(&dir, &pipename, &["frobnicate"]);
    assert!(err.contains("ExaBGP returns an error"), "{err}");

    // Several commands in a row do not see each other's answers.
    let started = Instant::now();
    for _ in 0..3 {
        let (out, _, ok) = cli(&dir, &pipename, &["version"]);
        assert!(ok);
        assert_eq!(out.trim(), format!("exabgp {VERSION}"));
    }
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn cli_without_pipes_says_where_it_looked() {
    let dir = temp_dir("cli-none");
    let (out, _, ok) = cli(&dir, "ferro-no-such-pipe", &["version"]);
    assert!(!ok);
    assert!(out.contains("could not find ExaBGP's named pipes (ferro-no-such-pipe.in"));
    assert!(out.contains(&format!("{}/run/exabgp/", dir.display())));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_is_off_with_exabgp_api_cli_false() {
    if !has_python() {
        eprintln!("skipped: python3 is needed for the helper");
        return;
    }
    let dir = temp_dir("cli-off");
    let run = dir.join("run");
    std::fs::create_dir_all(&run).expect("run dir");
    let pipename = format!("ferrocli-off{}", std::process::id());
    mkfifo(&run.join(format!("{pipename}.in")));
    mkfifo(&run.join(format!("{pipename}.out")));
    let peer = Peer::bind(180);
    let conf = config(&dir, "", "");
    let root = dir.to_str().expect("utf-8").to_string();
    let daemon = start(
        &dir,
        &conf,
        peer.port,
        "",
        &[
            ("exabgp_api_cli", "false"),
            ("exabgp_api_pipename", &pipename),
            ("EXABGP_ROOT", &root),
        ],
    );
    std::thread::sleep(Duration::from_secs(1));
    let (_, err, ok) = cli(&dir, &pipename, &["version"]);
    assert!(!ok, "the cli answered although exabgp_api_cli=false");
    assert!(err.contains("not running"), "{err}");
    drop(daemon);
}
