//! Functional tests: the upstream ExaBGP suite (`../shared/exabgp-suite`) and this
//! project's own cases (`tests/functional/`), each run against the daemon by the Rust test
//! peer. Knobs: FERROBGP_FUNCTIONAL_DAEMON (e.g. `exabgp`), FERROBGP_FUNCTIONAL_ONLY
//! (comma-separated names), FERROBGP_FUNCTIONAL_VERBOSE, FERROBGP_FUNCTIONAL_KEEP,
//! FERROBGP_FUNCTIONAL_JOBS.

mod support;

use std::path::{Path, PathBuf};

use support::case::{discover, read_list};
use support::run::Config;
use support::suite::{check_required, only, run_all, say};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> Config {
    Config::from_env(
        env!("CARGO_BIN_EXE_ferrobgp"),
        env!("CARGO_BIN_EXE_bgp-test-peer"),
        root().join("tests/helpers"),
    )
}

/// Runs the `.ci` cases of `cases_dir` and fails only when a case of `list` fails.
fn run_suite(title: &str, cases_dir: PathBuf, etc: PathBuf, list: &str) {
    let cases = discover(&cases_dir, &etc, &only()).unwrap_or_else(|e| panic!("{e}"));
    if cases.is_empty() {
        say(&format!("\n{title}: no case selected"));
        return;
    }
    let summary = run_all(title, &cases, &config());
    let required = read_list(&root().join(list));
    if let Err(e) = check_required(&summary, &cases, &required, list) {
        panic!("{e}");
    }
}

#[test]
fn upstream_suite() {
    let suite = root().join("../shared/exabgp-suite");
    if !suite.is_dir() {
        say("skipped: ../shared/exabgp-suite not found");
        return;
    }
    run_suite(
        "upstream",
        suite.join("encoding"),
        suite.join("etc"),
        "tests/upstream-pass.txt",
    );
}

#[test]
fn own_cases() {
    let dir = root().join("tests/functional");
    run_suite(
        "own",
        dir.clone(),
        dir.join("etc"),
        "tests/functional/expected-pass.txt",
    );
}

/// The peer alone, driven by a scripted daemon: OPEN rewrite with `option:asn`, KEEPALIVE
/// before each check, any order within a group, a Cease action, `successful` and exit 0.
#[test]
fn peer_passes_a_scripted_session() {
    use support::probe::{connect, read, send};
    const M: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
    let eor = format!("{M}001702 00000000");
    let route = format!("{M}002F02 00000014400101004002060201 0000FFFD 4003040A0001FE 180A0000");
    let open =
        format!("{M}003101 04FFFD00B40A000002 14 020601040001000102064104 0000FFFD 02020200");
    let dir = std::env::temp_dir().join(format!("ferrobgp-peer-self-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let msg = dir.join("case.msg");
    std::fs::write(
        &msg,
        format!("option:asn:65000\n1:raw:{route}\n1:raw:{eor}\n2:notification:Bye Now\n"),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let peer = std::process::Command::new(env!("CARGO_BIN_EXE_bgp-test-peer"))
        .args(["--port", &port.to_string(), "--pid", "1"])
        .arg(&msg)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut s = connect(port).unwrap();
    let keepalive = format!("{M}001304");
    send(&mut s, &open).unwrap();
    let reply = read(&mut s).unwrap();
    assert_eq!(
        reply,
        format!("{M}003101 04FDE800B40A000002 14 020601040001000102064104 0000FDE8 02020200")
            .replace(' ', ""),
        "AS fields rewritten, router-id kept"
    );
    assert_eq!(read(&mut s).unwrap(), keepalive);
    send(&mut s, &keepalive).unwrap();
    assert_eq!(read(&mut s).unwrap(), keepalive);
    send(&mut s, &eor).unwrap(); // second rule of the group first
    assert_eq!(read(&mut s).unwrap(), keepalive);
    send(&mut s, &route).unwrap();
    assert_eq!(read(&mut s).unwrap(), keepalive);
    assert_eq!(
        read(&mut s).unwrap(),
        format!("{M}001C030600627965206E6F77")
    );
    let out = peer.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("successful"), "{text}");
}

/// A message matching no rule of the current group fails the peer with code 1.
#[test]
fn peer_fails_on_an_unexpected_message() {
    use support::probe::{connect, read, send};
    const M: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
    let dir = std::env::temp_dir().join(format!("ferrobgp-peer-fail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let msg = dir.join("case.msg");
    std::fs::write(&msg, format!("1:raw:{M}:0017:02:00000000\n")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let peer = std::process::Command::new(env!("CARGO_BIN_EXE_bgp-test-peer"))
        .args(["--port", &port.to_string()])
        .arg(&msg)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut s = connect(port).unwrap();
    send(&mut s, &format!("{M}001D01 04FFFD00B40A00000200")).unwrap();
    read(&mut s).unwrap();
    read(&mut s).unwrap();
    send(&mut s, &format!("{M}001B02 0004 180A0000 0000")).unwrap();
    let out = peer.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("unexpected message"), "{text}");
    assert!(text.contains("failed with code 1"), "{text}");
}
