//! `ferrobgp healthcheck` as a helper sees it: the commands on stdout as the check passes and
//! fails, the ack read after each, the disable file, the withdraw on SIGTERM; and the same
//! output as ExaBGP's healthcheck for the same options (when `exabgp` is installed).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const EXE: &str = env!("CARGO_BIN_EXE_ferrobgp");

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferrobgp-hc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A running healthcheck whose every command is acked with `done`.
struct Helper {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Helper {
    fn start(args: &[&str]) -> Helper {
        let mut child = Command::new(EXE)
            .arg("healthcheck")
            .args(["--no-syslog", "--no-ip-setup"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start healthcheck");
        let stdout = child.stdout.take().expect("stdout");
        let mut stdin = child.stdin.take().expect("stdin");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = stdin.write_all(b"done\n");
                let _ = stdin.flush();
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Helper { child, lines: rx }
    }

    fn next(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(10))
            .expect("a command within 10 s")
    }

    /// Skip repeated announcements until one containing `needle`.
    fn until(&self, needle: &str) -> String {
        for _ in 0..100 {
            let line = self.next();
            if line.contains(needle) {
                return line;
            }
        }
        panic!("no command with {needle:?}");
    }

    fn terminate(&mut self) {
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill(2) on our own, not yet reaped, child.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn follows_the_check_and_withdraws_on_exit() {
    let dir = temp_dir("states");
    let healthy = dir.join("healthy");
    let disabled = dir.join("disabled");
    std::fs::write(&healthy, "").expect("create");
    let check = format!("test -e {}", healthy.display());
    let disable = disabled.display().to_string();
    let mut helper = Helper::start(&[
        "--cmd",
        &check,
        "--ip",
        "192.0.2.1/32",
        "--ip",
        "192.0.2.2",
        "--rise",
        "2",
        "--fall",
        "2",
        "--interval",
        "0.2",
        "--fast-interval",
        "0.1",
        "--disable",
        &disable,
        "--community",
        "65000:1",
        "--debounce",
    ]);
    // Two successes: UP, one command per address, the metric growing by one.
    assert_eq!(
        helper.next(),
        "neighbor * announce route 192.0.2.1/32 next-hop self med 100 community [ 65000:1 ]"
    );
    assert_eq!(
        helper.next(),
        "neighbor * announce route 192.0.2.2/32 next-hop self med 101 community [ 65000:1 ]"
    );
    std::fs::remove_file(&healthy).expect("fail the service");
    assert_eq!(
        helper.next(),
        "neighbor * announce route 192.0.2.1/32 next-hop self med 1000 community [ 65000:1 ]"
    );
    assert!(helper.next().ends_with("med 1001 community [ 65000:1 ]"));
    std::fs::write(&disabled, "").expect("disable");
    assert!(helper
        .next()
        .ends_with("192.0.2.1/32 next-hop self med 500 community [ 65000:1 ]"));
    assert!(helper.next().contains("med 501"));
    std::fs::remove_file(&disabled).expect("enable");
    std::fs::write(&healthy, "").expect("heal");
    assert!(helper.next().contains("med 100 "));
    assert!(helper.next().contains("med 101 "));
    helper.terminate();
    assert_eq!(
        helper.until("withdraw"),
        "neighbor * withdraw route 192.0.2.1/32 next-hop self"
    );
    assert_eq!(
        helper.next(),
        "neighbor * withdraw route 192.0.2.2/32 next-hop self"
    );
    let status = helper.child.wait().expect("exit");
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_file_and_exit_after_one_announcement() {
    let dir = temp_dir("config");
    let conf = dir.join("healthcheck.conf");
    std::fs::write(
        &conf,
        "# as ExaBGP reads it\nname = web\ninterval = 0\nrise = 1\nip = 203.0.113.7/32\n\
         command = true\nneighbor = 127.0.0.2\nas-path = 65000 65001\n",
    )
    .expect("write conf");
    let output = Command::new(EXE)
        .args(["healthcheck", "--no-syslog", "--no-ip-setup", "--no-ack"])
        .arg("--config")
        .arg(&conf)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("run");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "neighbor 127.0.0.2 announce route 203.0.113.7/32 next-hop self med 100 \
         as-path [ 65000 65001 ]\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2() {
    let status = Command::new(EXE)
        .args(["healthcheck", "--ip", "192.0.2.1/24"])
        .stderr(Stdio::null())
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(2));
    let help = Command::new(EXE)
        .args(["healthcheck", "--help"])
        .output()
        .expect("run");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--withdraw-on-down"));
}

/// ExaBGP's healthcheck, one announcement and exit, against ours: same bytes on stdout.
#[test]
fn same_commands_as_exabgp() {
    let exabgp_present = Command::new("exabgp")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !exabgp_present {
        eprintln!("healthcheck same_commands_as_exabgp: SKIPPED: exabgp is not installed");
        return;
    }
    let cases: &[&[&str]] = &[
        &[
            "--cmd",
            "true",
            "--ip",
            "192.0.2.1",
            "--ip",
            "2001:db8::/64",
            "--rise",
            "1",
        ],
        &[
            "--cmd",
            "false",
            "--ip",
            "192.0.2.1",
            "--fall",
            "1",
            "--community",
            "1:1",
            "--disabled-community",
            "2:2",
            "--large-community",
            "1:2:3",
            "--down-metric",
            "7",
            "--increase",
            "5",
            "--local-preference",
            "20",
            "--path-id",
            "9",
        ],
        &[
            "--cmd",
            "false",
            "--ip",
            "192.0.2.0/31",
            "--deaggregate-networks",
            "--fall",
            "1",
            "--withdraw-on-down",
            "--neighbor",
            "127.0.0.2",
            "--neighbor",
            "::1",
            "-N",
            "192.0.2.254",
        ],
        &[
            "--cmd",
            "true",
            "--ip",
            "192.0.2.1",
            "--ip",
            "192.0.2.2",
            "--ip",
            "192.0.2.3",
            "--start-ip",
            "1",
            "--rise",
            "1",
            "--up-as-path",
            "1 2",
            "--as-path",
            "3",
            "--extended-community",
            "target:1:1",
        ],
    ];
    for args in cases {
        let run = |program: &[&str]| {
            let (exe, rest) = program.split_first().expect("program");
            let output = Command::new(exe)
                .args(rest)
                .args(["--no-syslog", "--no-ip-setup", "--no-ack"])
                .args(["--interval", "0", "--fast-interval", "0"])
                .args(*args)
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .expect("run healthcheck");
            String::from_utf8_lossy(&output.stdout).into_owned()
        };
        let ours = run(&[EXE, "healthcheck"]);
        let theirs = run(&["exabgp", "healthcheck"]);
        assert!(!ours.is_empty(), "{args:?}");
        assert_eq!(ours, theirs, "{args:?}");
    }
}

/// The daemon gone (stdout closed): the healthcheck exits instead of checking for nobody.
#[test]
fn exits_when_the_daemon_is_gone() {
    let mut child = Command::new(EXE)
        .args(["healthcheck", "--no-syslog", "--no-ip-setup", "--no-ack"])
        .args([
            "--cmd",
            "true",
            "--ip",
            "192.0.2.1",
            "--rise",
            "1",
            "--interval",
            "0.1",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start healthcheck");
    let mut first = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first command");
    assert!(
        first.starts_with("neighbor * announce route 192.0.2.1/32"),
        "{first}"
    );
    // The reader (and so the pipe) is dropped here.
    for _ in 0..100 {
        if let Ok(Some(status)) = child.try_wait() {
            assert_eq!(status.code(), Some(1));
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the healthcheck kept running with nobody reading");
}
