//! The `ferrobgp` binary's command line: subcommands, the ExaBGP 4.x bare form, exit codes,
//! `env` output, and the man page staying in step with the flags clap knows.

use std::path::Path;
use std::process::{Command, Output};

use clap::CommandFactory;
use ferrobgp::cli::Cli;
use ferrobgp::env::TABLE;

/// The binary with a clean settings environment: no inherited `exabgp*` variables and an
/// env file path that does not exist.
fn ferrobgp(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ferrobgp"));
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy().to_lowercase();
        if name.starts_with("exabgp") {
            command.env_remove(&key);
        }
    }
    command.env("EXABGP_ENVFILE", "/nonexistent/ferrobgp-test.env");
    command.env("exabgp_log_enable", "false");
    for (key, value) in env {
        command.env(key, value);
    }
    match command.args(args).output() {
        Ok(output) => output,
        Err(e) => panic!("cannot run ferrobgp: {e}"),
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn version_prints_both_versions() {
    let out = ferrobgp(&["version"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(format!("ferrobgp {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    assert_eq!(lines.next(), Some("ExaBGP : 5.0.15"));

    let out = ferrobgp(&["version"], &[("exabgp_version", "5.0.0-0+test")]);
    assert!(stdout(&out).contains("ExaBGP : 5.0.0-0+test"));
}

#[test]
fn env_prints_every_visible_setting() {
    let out = ferrobgp(&["env"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("\n[exabgp.api]\nack = true\n"), "{text}");
    assert!(text.contains("\n[exabgp.tcp]\n"));
    assert!(text.ends_with("port = 179\n"));
    assert_eq!(text.lines().filter(|l| l.contains(" = ")).count(), 45);
    // log.enable was set false by the harness.
    assert!(text.contains("\nenable = false\n"));

    let out = ferrobgp(&["env", "--env"], &[]);
    assert_eq!(stdout(&out).lines().count(), 45);
    assert!(stdout(&out).starts_with("exabgp.profile.enable=false\n"));
}

#[test]
fn env_diff_shows_only_what_was_set() {
    let only_port = [("exabgp_tcp_port", "1790"), ("exabgp_log_enable", "true")];
    let out = ferrobgp(&["env", "--diff"], &only_port);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "\n[exabgp.tcp]\nport = 1790\n");

    let out = ferrobgp(&["env", "-d", "-e"], &only_port);
    assert_eq!(stdout(&out), "exabgp.tcp.port=1790\n");

    // The dotted spelling beats the underscored one.
    let both = [
        ("exabgp_tcp_port", "1790"),
        ("exabgp.tcp.port", "1791"),
        ("exabgp_log_enable", "true"),
    ];
    assert_eq!(
        stdout(&ferrobgp(&["env", "-de"], &both)),
        "exabgp.tcp.port=1791\n"
    );
}

#[test]
fn env_file_option_is_read() {
    let dir = std::env::temp_dir().join(format!("ferrobgp-cli-test-{}", std::process::id()));
    assert!(std::fs::create_dir_all(&dir).is_ok());
    let file = dir.join("x.env");
    assert!(std::fs::write(
        &file,
        "[exabgp.bgp]\npassive = true\n[exabgp.log]\nenable = true\n"
    )
    .is_ok());
    let path = file.to_string_lossy().into_owned();
    let out = ferrobgp(
        &["--env-file", &path, "env", "-d", "-e"],
        &[("exabgp_log_enable", "")],
    );
    let _ = std::fs::remove_dir_all(&dir);
    // An empty environment value still wins over the file, as in ExaBGP (and reads as false).
    assert_eq!(
        stdout(&out),
        "exabgp.log.enable=false\nexabgp.bgp.passive=true\n"
    );
}

#[test]
fn bad_setting_exits_1_naming_the_key() {
    let out = ferrobgp(&["env"], &[("exabgp_tcp_port", "http")]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("ferrobgp: ") && err.contains("exabgp.tcp.port"),
        "{err}"
    );
    assert!(err.contains("http"), "{err}");
}

#[test]
fn bare_configuration_runs_the_server() {
    // A missing file keeps this from ever starting a daemon; reaching the "not a config"
    // check proves the arguments were taken as `server` ones.
    let out = ferrobgp(&["/nonexistent/ferrobgp.conf"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not an exabgp config file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn suite_runner_flags_are_accepted() {
    let out = ferrobgp(&["-d", "-p", "/nonexistent/ferrobgp.conf"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not an exabgp config file"));

    let every_flag = [
        "server",
        "-v",
        "-d",
        "-p",
        "-1",
        "-P",
        "-m",
        "-s",
        "5",
        "--profile",
        "x",
        "/nonexistent/ferrobgp.conf",
    ];
    let out = ferrobgp(&every_flag, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    let out = ferrobgp(&["server", "--no-such-flag", "x.conf"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(ferrobgp(&["server"], &[]).status.code(), Some(2));
    assert_eq!(ferrobgp(&["env", "--bogus"], &[]).status.code(), Some(2));
}

#[test]
fn validate_reports_missing_files() {
    let out = ferrobgp(&["validate", "-nrv", "/nonexistent/ferrobgp.conf"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/nonexistent/ferrobgp.conf"));
}

fn man_page() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("man")
        .join("ferrobgp.1");
    std::fs::read_to_string(path).ok()
}

#[test]
fn man_page_documents_every_long_flag() {
    let Some(page) = man_page() else {
        panic!("man/ferrobgp.1 is missing");
    };
    let command = Cli::command();
    let documented = |long: &str| page.contains(&format!("\\-\\-{}", long.replace('-', "\\-")));
    let mut missing = Vec::new();
    let subcommands = command.get_subcommands().filter(|s| s.get_name() != "help");
    for cmd in std::iter::once(&command).chain(subcommands) {
        if !page.contains(&format!(".B {}", cmd.get_name()))
            && !page.contains(&format!(".BR {} ", cmd.get_name()))
        {
            missing.push(cmd.get_name().to_string());
        }
        for arg in cmd.get_arguments() {
            match arg.get_long() {
                Some(long) if !documented(long) => {
                    missing.push(format!("{} --{long}", cmd.get_name()))
                }
                _ => {}
            }
        }
    }
    assert!(missing.is_empty(), "not in man/ferrobgp.1: {missing:?}");
}

#[test]
fn man_page_documents_every_setting() {
    let Some(page) = man_page() else {
        panic!("man/ferrobgp.1 is missing");
    };
    let missing: Vec<String> = TABLE
        .iter()
        .filter(|s| !s.hidden() || matches!(s.key, "rotate" | "configuration"))
        .map(|s| s.dotted())
        .filter(|key| !page.contains(&key.replace('-', "\\-")))
        .collect();
    assert!(missing.is_empty(), "not in man/ferrobgp.1: {missing:?}");
}

/// `exabgp.daemon.pid`: the daemon writes its pid there and removes the file when it stops.
#[test]
fn pid_file_is_written_then_removed() {
    let dir = std::env::temp_dir().join(format!("ferrobgp-pid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let conf = dir.join("idle.conf");
    // A passive neighbor and no listener: the daemon just waits for its signal.
    std::fs::write(
        &conf,
        "neighbor 127.0.0.9 {\n local-as 1;\n peer-as 1;\n router-id 1.1.1.1;\n passive;\n}\n",
    )
    .expect("write conf");
    let pid_path = dir.join("ferrobgp.pid");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferrobgp"))
        .arg(&conf)
        .env("exabgp_daemon_pid", &pid_path)
        .env("exabgp_tcp_bind", "")
        .env("exabgp_api_cli", "false")
        .env("exabgp_log_enable", "false")
        .spawn()
        .expect("start ferrobgp");
    let mut written = String::new();
    for _ in 0..100 {
        written = std::fs::read_to_string(&pid_path).unwrap_or_default();
        if !written.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().expect("wait for ferrobgp");
    assert_eq!(written.trim(), child.id().to_string());
    assert!(status.success(), "{status}");
    assert!(!pid_path.exists(), "pid file left behind");
    let _ = std::fs::remove_dir_all(&dir);
}
