//! The operational files stay usable: every `conf/*.conf` example parses, its helper scripts
//! compile, the man pages render without a groff warning, and the systemd unit reloads with
//! SIGUSR1 (SIGHUP stops ExaBGP 5.0 and ferrobgp alike).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &str, extension: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == extension))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn every_example_configuration_parses() {
    let confs = files("conf", "conf");
    assert!(confs.len() >= 5, "examples missing: {confs:?}");
    for conf in &confs {
        let config = match ferrobgp::config::load(conf) {
            Ok(config) => config,
            Err(error) => panic!("{}: {error}", conf.display()),
        };
        // Loopback neighbors only: the examples must be safe to run as they are.
        assert!(!config.neighbors.is_empty(), "{}", conf.display());
        for neighbor in &config.neighbors {
            let ip = neighbor.peer_address;
            assert!(ip.is_loopback(), "{}: neighbor {ip}", conf.display());
        }
    }
}

#[test]
fn example_scripts_compile() {
    if !installed("python3") {
        eprintln!("example_scripts_compile: SKIPPED: python3 is not installed");
        return;
    }
    for script in files("conf/scripts", "py") {
        let source = std::fs::read_to_string(&script).expect("read script");
        let status = Command::new("python3")
            .args([
                "-c",
                "import sys; compile(sys.stdin.read(), sys.argv[1], 'exec')",
            ])
            .arg(&script)
            .stdin(std::fs::File::open(&script).expect("open script"))
            .status()
            .expect("run python3");
        assert!(status.success(), "{} does not compile", script.display());
        assert!(
            source.starts_with("#!/usr/bin/env python3"),
            "{}",
            script.display()
        );
    }
}

#[test]
fn man_pages_render_without_warnings() {
    if !installed("groff") {
        eprintln!("man_pages_render_without_warnings: SKIPPED: groff is not installed");
        return;
    }
    let pages: Vec<PathBuf> = ["1", "5", "7"]
        .iter()
        .flat_map(|section| files("man", section))
        .collect();
    assert!(
        pages.iter().any(|p| p.ends_with("ferrobgp-api.7")),
        "man/ferrobgp-api.7 missing: {pages:?}"
    );
    for page in pages {
        let out = Command::new("groff")
            .args(["-man", "-ww", "-z"])
            .arg(&page)
            .output()
            .expect("run groff");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{}: {stderr}",
            page.display()
        );
    }
}

#[test]
fn systemd_unit_reloads_with_usr1() {
    let unit = std::fs::read_to_string(root().join("conf/systemd/ferrobgp.service"))
        .expect("conf/systemd/ferrobgp.service");
    assert!(unit.lines().any(|l| l == "Type=simple"), "{unit}");
    assert!(
        unit.lines()
            .any(|l| l == "ExecReload=/bin/kill -USR1 $MAINPID"),
        "{unit}"
    );
    let env = root().join("conf/systemd/ferrobgp.env");
    let out = Command::new(env!("CARGO_BIN_EXE_ferrobgp"))
        .arg("--env-file")
        .arg(&env)
        .args(["env", "-d"])
        .output()
        .expect("run ferrobgp env");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
