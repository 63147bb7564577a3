//! `ferrobgp validate -nrv` prints what `exabgp validate -nrv` (5.0.15) prints, for every
//! configuration of the shared suite. The oracle's outputs are recorded as digests by
//! tests/validate/regen.py (which says how both programs are run and normalised); a digest
//! that differs fails the test unless tests/validate/known-differences.txt explains it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn suite_etc() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/exabgp-suite/etc");
    dir.is_dir().then_some(dir)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/validate")
        .join(name)
}

fn fnv1a64(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Replace the value after each `key` (up to the first byte `keep` rejects) with `with`.
fn replace_values(text: &str, key: &str, keep: impl Fn(char) -> bool, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(key) {
        let (head, tail) = rest.split_at(at + key.len());
        out.push_str(head);
        out.push_str(with);
        let end = tail.find(|c: char| !keep(c)).unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// regen.py's normalisation: the staging folder, and the clock, host and pids of the JSON.
fn normalise(text: &str, dir: &str) -> String {
    let text = text.replace(dir, "@DIR@");
    let number = |c: char| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-');
    let text = replace_values(&text, "\"time\": ", number, "0");
    let text = replace_values(&text, "\"host\" : \"", |c| c != '"', "@HOST@");
    let text = replace_values(&text, "\"pid\" : ", |c| c.is_ascii_digit(), "0");
    replace_values(&text, "\"ppid\" : ", |c| c.is_ascii_digit(), "0")
}

/// Copy `conf` into `dir`, with an empty executable stub for each relative `run` program.
fn stage(conf: &Path, dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let text = std::fs::read_to_string(conf).expect("read the configuration");
    let target = dir.join(conf.file_name().expect("a file name"));
    std::fs::write(&target, &text).expect("copy the configuration");
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("run") {
            continue;
        }
        let Some(program) = words.next().map(|p| p.trim_end_matches(';')) else {
            continue;
        };
        if program.starts_with('/') || program.is_empty() {
            continue;
        }
        let path = dir.join(program);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the program folder");
        }
        std::fs::write(&path, "#!/bin/sh\n").expect("write the stub");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .expect("make the stub executable");
    }
    target
}

/// Run `program validate -nrv` on a staged copy of `conf`; the normalised output.
fn run(program: &str, conf: &Path) -> String {
    let name = conf.file_stem().and_then(|s| s.to_str()).unwrap_or("conf");
    let dir = std::env::temp_dir().join(format!("ferrobgp-validate-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the staging folder");
    let target = stage(conf, &dir);
    let out = Command::new(program)
        .args(["validate", "-nrv"])
        .arg(&target)
        .current_dir(&dir)
        .env("exabgp_log_short", "true")
        .output()
        .expect("run validate");
    let _ = std::fs::remove_dir_all(&dir);
    let text = format!(
        "{}\n--stdout--\n{}--stderr--\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    normalise(&text, &dir.display().to_string())
}

/// name -> digest, from expected.txt.
fn expected() -> BTreeMap<String, u64> {
    let text =
        std::fs::read_to_string(fixture("expected.txt")).expect("tests/validate/expected.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let digest = u64::from_str_radix(f.get(3)?, 16).ok()?;
            Some((f.first()?.to_string(), digest))
        })
        .collect()
}

/// name -> reason, from known-differences.txt.
fn known() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(fixture("known-differences.txt"))
        .expect("tests/validate/known-differences.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (name, reason) = l.split_once(':')?;
            Some((name.trim().to_string(), reason.trim().to_string()))
        })
        .collect()
}

/// The first lines where the oracle (run now, when installed) and ferrobgp differ.
fn show_difference(conf: &Path, ours: &str) -> String {
    let installed = Command::new("exabgp").arg("version").output().is_ok();
    if !installed {
        return "(install exabgp 5.0.15 to see the lines that differ)".into();
    }
    let theirs = run("exabgp", conf);
    let mut shown = Vec::new();
    for (i, (a, b)) in theirs.lines().zip(ours.lines()).enumerate() {
        if a != b && shown.len() < 6 {
            shown.push(format!(
                "  line {}:\n    exabgp:   {a}\n    ferrobgp: {b}",
                i + 1
            ));
        }
    }
    let (ta, tb) = (theirs.lines().count(), ours.lines().count());
    if ta != tb {
        shown.push(format!("  exabgp printed {ta} lines, ferrobgp {tb}"));
    }
    shown.join("\n")
}

#[test]
fn validate_output_matches_exabgp_on_every_suite_configuration() {
    let Some(etc) = suite_etc() else {
        println!("skipped: ../shared/exabgp-suite/etc is absent (the shared functional suite is not checked out)");
        return;
    };
    let expected = expected();
    let known = known();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&etc)
        .expect("read etc")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    files.sort();
    let (mut matched, mut listed, mut now_match) = (0, 0, Vec::new());
    let mut failures = Vec::new();
    for conf in &files {
        let name = conf
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let Some(&want) = expected.get(&name) else {
            failures.push(format!(
                "{name}: not recorded (run tests/validate/regen.py)"
            ));
            continue;
        };
        let ours = run(env!("CARGO_BIN_EXE_ferrobgp"), conf);
        let same = fnv1a64(ours.as_bytes()) == want;
        match (same, known.get(&name)) {
            (true, None) => matched += 1,
            (true, Some(_)) => {
                matched += 1;
                now_match.push(name);
            }
            (false, Some(_)) => listed += 1,
            (false, None) => {
                failures.push(format!("{name}: differs\n{}", show_difference(conf, &ours)))
            }
        }
    }
    println!(
        "validate -nrv against exabgp 5.0.15: {matched} matched, {} differ ({listed} known, {} unexpected) of {}",
        listed + failures.len(),
        failures.len(),
        files.len()
    );
    if !now_match.is_empty() {
        println!(
            "now matching, remove from known-differences.txt: {}",
            now_match.join(", ")
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn normalisation_matches_regen() {
    let text = "@ \"time\": 1795750123.996035, \"host\" : \"vm\", \"pid\" : 31251, \"ppid\" : 31249, /tmp/x/a.conf";
    assert_eq!(
        normalise(text, "/tmp/x"),
        "@ \"time\": 0, \"host\" : \"@HOST@\", \"pid\" : 0, \"ppid\" : 0, @DIR@/a.conf"
    );
    // The digest regen.py computes for the same bytes.
    assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
}
