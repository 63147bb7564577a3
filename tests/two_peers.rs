//! Two ferrobgp daemons peer with each other on loopback: one listens (tcp.bind), the other
//! connects from 127.0.0.2. Each must receive the other's routes, and when one is stopped the
//! other must log the Cease NOTIFICATION it was sent.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A daemon that is stopped (SIGTERM, then SIGKILL) when dropped.
struct Daemon {
    child: Child,
    log: PathBuf,
}

impl Daemon {
    fn start(conf: &Path, log: PathBuf, env: &[(&str, String)]) -> Daemon {
        let file = fs::File::create(&log).expect("create log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ferrobgp"));
        cmd.arg("-d")
            .arg(conf)
            .stdout(file.try_clone().expect("clone log"))
            .stderr(file)
            .stdin(Stdio::null());
        cmd.env("exabgp_api_cli", "false")
            .env("exabgp_log_enable", "true")
            .env("exabgp_log_routes", "true");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Daemon {
            child: cmd.spawn().expect("start ferrobgp"),
            log,
        }
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_for_log(&self, needle: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.log().contains(needle) {
                return true;
            }
            sleep(Duration::from_millis(100));
        }
        false
    }

    fn terminate(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.terminate();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn config(local: &str, peer: &str, passive: bool, routes: &[&str]) -> String {
    config_with(local, peer, passive, routes, "")
}

/// A neighbor block; `extra` lines go inside it (e.g. `md5-password ...;`).
fn config_with(local: &str, peer: &str, passive: bool, routes: &[&str], extra: &str) -> String {
    let routes: String = routes.iter().map(|r| format!("\t\troute {r};\n")).collect();
    format!(
        "neighbor {peer} {{\n\trouter-id {local};\n\tlocal-address {local};\n\tlocal-as 65001;\n\
         \tpeer-as 65002;\n\tpassive {passive};\n{extra}\tfamily {{ ipv4 unicast; }}\n\tstatic {{\n{routes}\t}}\n}}\n"
    )
}

#[test]
fn two_daemons_exchange_routes_and_the_survivor_logs_the_cease() {
    let dir = std::env::temp_dir().join(format!("ferrobgp-two-peers-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    let port = free_port();
    // A listens on 127.0.0.1 and never connects; B connects to it from 127.0.0.2.
    let a_conf = dir.join("a.conf");
    let b_conf = dir.join("b.conf");
    let a_routes = [
        "10.1.0.0/24 next-hop 127.0.0.1 community [65001:1]",
        "10.1.1.0/24 next-hop 127.0.0.1",
    ];
    let b_routes = ["10.2.0.0/24 next-hop 127.0.0.2 med 20"];
    fs::write(&a_conf, config("127.0.0.1", "127.0.0.2", true, &a_routes)).expect("write a.conf");
    fs::write(
        &b_conf,
        config("127.0.0.2", "127.0.0.1", false, &b_routes).replace(
            "local-as 65001;\n\tpeer-as 65002;",
            "local-as 65002;\n\tpeer-as 65001;",
        ),
    )
    .expect("write b.conf");

    let a = Daemon::start(
        &a_conf,
        dir.join("a.log"),
        &[
            ("exabgp_tcp_bind", "127.0.0.1".into()),
            ("exabgp_tcp_port", port.to_string()),
        ],
    );
    assert!(
        a.wait_for_log("listening on 127.0.0.1", Duration::from_secs(10)),
        "A never listened:\n{}",
        a.log()
    );
    let mut b = Daemon::start(
        &b_conf,
        dir.join("b.log"),
        &[
            ("exabgp_tcp_bind", String::new()),
            ("exabgp_tcp_port", port.to_string()),
        ],
    );

    let wait = Duration::from_secs(20);
    assert!(
        a.wait_for_log("received 10.2.0.0/24", wait),
        "A did not get B's route:\n{}",
        a.log()
    );
    assert!(
        b.wait_for_log("received 10.1.0.0/24", wait),
        "B did not get A's routes:\n{}",
        b.log()
    );
    assert!(
        b.wait_for_log("received 10.1.1.0/24", wait),
        "B did not get A's routes:\n{}",
        b.log()
    );

    b.terminate();
    assert!(
        a.wait_for_log("received NOTIFICATION 6/3", Duration::from_secs(10)),
        "A did not log B's Cease:\n{}",
        a.log()
    );
    drop(a);
    let _ = fs::remove_dir_all(&dir);
}

/// Start a listening A and a connecting B with the given MD5 passwords; true when B's route
/// reached A within `wait`.
fn md5_session(tag: &str, a_password: &str, b_password: &str, wait: Duration) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!("ferrobgp-md5-{tag}-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    let port = free_port();
    let a_conf = dir.join("a.conf");
    let b_conf = dir.join("b.conf");
    let a_extra = format!("\tmd5-password {a_password};\n");
    let b_extra = format!("\tmd5-password {b_password};\n");
    fs::write(
        &a_conf,
        config_with("127.0.0.1", "127.0.0.2", true, &[], &a_extra),
    )
    .expect("write a.conf");
    let b_text = config_with(
        "127.0.0.2",
        "127.0.0.1",
        false,
        &["10.9.0.0/24 next-hop 127.0.0.2"],
        &b_extra,
    )
    .replace(
        "local-as 65001;\n\tpeer-as 65002;",
        "local-as 65002;\n\tpeer-as 65001;",
    );
    fs::write(&b_conf, b_text).expect("write b.conf");
    let a = Daemon::start(
        &a_conf,
        dir.join("a.log"),
        &[
            ("exabgp_tcp_bind", "127.0.0.1".into()),
            ("exabgp_tcp_port", port.to_string()),
        ],
    );
    assert!(
        a.wait_for_log("listening on 127.0.0.1", Duration::from_secs(10)),
        "A never listened:\n{}",
        a.log()
    );
    let b = Daemon::start(
        &b_conf,
        dir.join("b.log"),
        &[
            ("exabgp_tcp_bind", String::new()),
            ("exabgp_tcp_port", port.to_string()),
        ],
    );
    let up = a.wait_for_log("received 10.9.0.0/24", wait);
    let logs = format!("A:\n{}\nB:\n{}", a.log(), b.log());
    drop((a, b));
    let _ = fs::remove_dir_all(&dir);
    (up, logs)
}

#[test]
fn tcp_md5_sessions_need_matching_passwords() {
    let (up, logs) = md5_session("same", "s3cret", "s3cret", Duration::from_secs(20));
    assert!(
        up,
        "matching MD5 passwords did not bring the session up:\n{logs}"
    );
    let (up, logs) = md5_session("differ", "s3cret", "other", Duration::from_secs(4));
    assert!(
        !up,
        "a session came up with different MD5 passwords:\n{logs}"
    );
}
