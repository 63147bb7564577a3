//! Running a set of cases in parallel and reporting `PASS`/`FAIL` lines and the closing
//! `N passed, N failed`, with the must-pass list deciding the cargo test's own verdict.

use std::io::Write;
use std::sync::Mutex;
use std::thread;

use super::case::Case;
use super::run::{run_case, Config, Failure, Slot};

/// Cases running at once (the machine has two cores; daemons mostly wait on sockets).
fn jobs() -> usize {
    std::env::var("FERROBGP_FUNCTIONAL_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .filter(|j| *j > 0)
        .unwrap_or(4)
}

/// `FERROBGP_FUNCTIONAL_ONLY=conf-group,conf-split` keeps only those names.
pub fn only() -> Vec<String> {
    std::env::var("FERROBGP_FUNCTIONAL_ONLY")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Written straight to the process's stderr: the report is wanted even when libtest
/// captures test output.
pub fn say(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
    let _ = err.flush();
}

pub struct Summary {
    pub passed: Vec<String>,
    pub failed: Vec<String>,
}

pub fn run_all(title: &str, cases: &[Case], cfg: &Config) -> Summary {
    say(&format!(
        "\n{title}: {} case(s), daemon: {}",
        cases.len(),
        cfg.daemon.join(" ")
    ));
    let queue = Mutex::new(cases.iter());
    let results: Mutex<Vec<(String, Result<(), Failure>)>> = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..jobs().min(cases.len()) {
            scope.spawn(|| loop {
                let Some(case) = queue.lock().unwrap_or_else(|p| p.into_inner()).next() else {
                    return;
                };
                let slot = Slot::acquire(jobs());
                let result = run_case(case, cfg);
                drop(slot);
                match &result {
                    Ok(()) => say(&format!("PASS {}", case.name)),
                    Err(f) => say(&format!(
                        "FAIL {} ({f}; last lines:)\n{}",
                        case.name,
                        f.details()
                    )),
                }
                results
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((case.name.clone(), result));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let (ok, bad): (Vec<_>, Vec<_>) = results.into_iter().partition(|(_, r)| r.is_ok());
    let summary = Summary {
        passed: ok.into_iter().map(|(n, _)| n).collect(),
        failed: bad.into_iter().map(|(n, _)| n).collect(),
    };
    if !summary.failed.is_empty() {
        say(&format!("{title} failing: {}", summary.failed.join(" ")));
    }
    say(&format!(
        "{} passed, {} failed",
        summary.passed.len(),
        summary.failed.len()
    ));
    summary
}

/// The cargo test's verdict: every selected name of the must-pass list has to pass (and
/// exist, so a typo in the list is caught).
pub fn check_required(
    summary: &Summary,
    cases: &[Case],
    required: &[String],
    list: &str,
) -> Result<(), String> {
    let selected = super::suite::only();
    let mut problems = Vec::new();
    for name in required {
        if !selected.is_empty() && !selected.contains(name) {
            continue;
        }
        if !cases.iter().any(|c| &c.name == name) {
            problems.push(format!("{name} (listed in {list} but no such case)"));
        } else if summary.failed.contains(name) {
            problems.push(name.clone());
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("must-pass case(s) failed: {}", problems.join(", ")))
    }
}
