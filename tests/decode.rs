//! `ferrobgp decode` against ExaBGP 5.0.15's recorded output for every message of
//! `tests/decode/corpus.jsonl` (expected outputs in `tests/decode/expected.jsonl`, written by
//! `tests/decode/regen.py`; see `tests/decode/README.md`).
//!
//! Outputs are compared as text, after replacing the volatile envelope values (time, host,
//! pid, ppid, counter), so key order and ExaBGP's spacing are checked too. Every message must
//! match but the documented cases where ExaBGP crashes or is wrong (`divergences.txt`).

use std::collections::HashMap;
use std::path::PathBuf;

use ferrobgp::cli::{self, Command, DecodeArgs};
use ferrobgp::decode::{run, Outcome};

struct Entry {
    id: String,
    args: Vec<String>,
    hex: String,
}

struct Expected {
    exit: i64,
    stdout: String,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/decode")
}

fn corpus() -> Vec<Entry> {
    let text = std::fs::read_to_string(dir().join("corpus.jsonl")).expect("corpus.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus line is JSON");
            Entry {
                id: v["id"].as_str().expect("id").to_string(),
                args: v["args"]
                    .as_array()
                    .expect("args")
                    .iter()
                    .map(|a| a.as_str().expect("arg").to_string())
                    .collect(),
                hex: v["hex"].as_str().expect("hex").to_string(),
            }
        })
        .collect()
}

fn expected() -> HashMap<String, Expected> {
    let text = std::fs::read_to_string(dir().join("expected.jsonl")).expect("expected.jsonl");
    let mut map = HashMap::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(l).expect("expected line is JSON");
        if let Some(id) = v["id"].as_str() {
            map.insert(
                id.to_string(),
                Expected {
                    exit: v["exit"].as_i64().expect("exit"),
                    stdout: v["stdout"].as_str().expect("stdout").to_string(),
                },
            );
        }
    }
    map
}

/// `id  # comment` lines; blank lines and comment lines are skipped.
fn id_list(name: &str) -> HashMap<String, String> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (id.to_string(), rest.trim().to_string())
        })
        .collect()
}

fn decode_args(e: &Entry) -> DecodeArgs {
    let mut argv: Vec<String> = vec!["ferrobgp".into(), "decode".into()];
    argv.extend(e.args.iter().cloned());
    argv.push(e.hex.clone());
    match cli::parse(argv).map(|c| c.command) {
        Ok(Command::Decode(a)) => a,
        other => panic!("{}: bad corpus arguments: {other:?}", e.id),
    }
}

/// Replace the volatile envelope values of each JSON line by a placeholder.
fn normalise(stdout: &str) -> String {
    stdout
        .lines()
        .map(
            |line| match (line.find("\"time\": "), line.find("\"type\": ")) {
                (Some(a), Some(b)) if a < b => format!("{}<volatile>, {}", &line[..a], &line[b..]),
                _ => line.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
}

const ORACLE_CRASH: &str = "EXABGP HAD AN INTERNAL ISSUE";
const HEX_HELP: &str = "The BGP message must be an hexadecimal string.";

enum Verdict {
    Pass,
    Fail(String),
}

fn judge(e: &Entry, want: &Expected, got: &Outcome) -> Verdict {
    let got_exit = if got.success { 0 } else { 1 };
    if want.stdout.contains(ORACLE_CRASH) {
        // ExaBGP dies with a traceback; we must fail cleanly.
        return if !got.success && got.stdout == "invalid payload\n" {
            Verdict::Pass
        } else {
            Verdict::Fail(format!(
                "{}: oracle crashes, we should say invalid payload",
                e.id
            ))
        };
    }
    let want_out = match want.stdout.find(HEX_HELP) {
        // The help also lists ExaBGP's environment, which is not ours to copy.
        Some(at) if want.stdout.starts_with("Environment values") => &want.stdout[at..],
        _ => want.stdout.as_str(),
    };
    if got_exit != want.exit {
        return Verdict::Fail(format!(
            "{}: exit {got_exit}, ExaBGP {}\n  ours:   {}\n  theirs: {}\n  stderr: {}",
            e.id,
            want.exit,
            got.stdout.trim_end(),
            want_out.trim_end(),
            got.stderr.trim_end()
        ));
    }
    let (a, b) = (normalise(&got.stdout), normalise(want_out));
    if a == b {
        Verdict::Pass
    } else {
        Verdict::Fail(format!("{}:\n  ours:   {a}\n  theirs: {b}", e.id))
    }
}

#[test]
fn corpus_matches_exabgp() {
    let corpus = corpus();
    let expected = expected();
    let divergent = id_list("divergences.txt");
    let only = std::env::var("FERROBGP_DECODE_ONLY").ok();
    let (mut passed, mut failed, mut div) = (0, 0, 0);
    let mut failures = Vec::new();
    for e in &corpus {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|x| e.id.starts_with(x)))
        {
            continue;
        }
        let want = expected
            .get(&e.id)
            .unwrap_or_else(|| panic!("{}: no expected output (run regen.py)", e.id));
        let got = run(&decode_args(e));
        if let Some(rule) = divergent.get(&e.id) {
            // Documented: ExaBGP is wrong here; we check our own promise instead.
            div += 1;
            let ok = if rule.starts_with("exit1") {
                !got.success
            } else {
                got.success
                    && got
                        .stdout
                        .lines()
                        .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
            };
            if !ok {
                failed += 1;
                failures.push(format!("{}: documented divergence broken ({rule})", e.id));
            }
            continue;
        }
        match judge(e, want, &got) {
            Verdict::Pass => passed += 1,
            Verdict::Fail(why) => {
                failed += 1;
                failures.push(why);
            }
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "{passed} passed, {failed} failed, {div} documented divergences, corpus {}",
        corpus.len()
    );
    assert_eq!(
        failed, 0,
        "{failed} decode outputs differ from ExaBGP 5.0.15"
    );
}

/// Every truncation and every one-byte change of each corpus message decodes or fails
/// cleanly: never a panic.
#[test]
fn truncations_and_flips_never_panic() {
    let mut runs = 0usize;
    for e in corpus() {
        let base = decode_args(&e);
        let Ok(bytes) = ferrobgp::decode::parse_hex(&e.hex) else {
            continue;
        };
        let mut variants: Vec<Vec<u8>> = (0..bytes.len()).map(|n| bytes[..n].to_vec()).collect();
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut v = bytes.clone();
                v[i] ^= flip;
                variants.push(v);
            }
        }
        for v in variants {
            let mut a = base.clone();
            a.payload = vec![v.iter().map(|b| format!("{b:02X}")).collect()];
            let o = run(&a);
            assert!(
                o.success || !o.stdout.is_empty(),
                "{}: failure without output",
                e.id
            );
            runs += 1;
        }
    }
    println!("{runs} mutated messages decoded without a panic");
}
