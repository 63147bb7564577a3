//! ExaBGP configurations start the healthcheck through Python (`run python3 -m exabgp
//! healthcheck ...;`, `run /usr/bin/exabgp healthcheck ...;`, `run exabgp-healthcheck ...;`).
//! On a host with ferrobgp and no ExaBGP those programs are missing, so the helper spawner
//! rewrites such a run line to this binary's own `healthcheck` subcommand, arguments unchanged.

use std::path::Path;

fn basename(program: &str) -> &str {
    Path::new(program)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or(program)
}

/// `python`, `python3`, `python3.11`, `pypy3`.
fn is_python(program: &str) -> bool {
    let name = basename(program);
    let version = name
        .strip_prefix("python")
        .or_else(|| name.strip_prefix("pypy"));
    version.is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The healthcheck's own arguments when `argv` starts an ExaBGP healthcheck, else None.
pub fn healthcheck_args(argv: &[String]) -> Option<&[String]> {
    let mut rest = argv;
    // `/usr/bin/env python3 ...` (without VAR=value assignments, which would need a shell).
    if rest.first().is_some_and(|p| basename(p) == "env") {
        rest = rest.get(1..)?;
    }
    let program = rest.first()?;
    match basename(program) {
        "exabgp-healthcheck" => return rest.get(1..),
        "exabgp" => {
            return (rest.get(1).map(String::as_str) == Some("healthcheck"))
                .then(|| rest.get(2..))
                .flatten()
        }
        _ => {}
    }
    if !is_python(program) {
        return None;
    }
    // Interpreter flags (`-u`, `-O`, `-W ignore`...) may come before `-m`.
    let mut i = 1;
    while let Some(arg) = rest.get(i) {
        if arg == "-m" {
            break;
        }
        if !arg.starts_with('-') {
            return None;
        }
        i += if matches!(arg.as_str(), "-W" | "-X") {
            2
        } else {
            1
        };
    }
    match rest.get(i + 1).map(String::as_str)? {
        "exabgp.application.healthcheck" => rest.get(i + 2..),
        "exabgp" if rest.get(i + 2).map(String::as_str) == Some("healthcheck") => rest.get(i + 3..),
        _ => None,
    }
}

/// `argv` rewritten to run `exe healthcheck ...` when it starts an ExaBGP healthcheck.
pub fn rewrite_exabgp_argv_with(argv: &[String], exe: &Path) -> Option<Vec<String>> {
    let args = healthcheck_args(argv)?;
    let mut out = Vec::with_capacity(args.len() + 2);
    out.push(exe.to_string_lossy().into_owned());
    out.push("healthcheck".to_string());
    out.extend_from_slice(args);
    Some(out)
}

/// As [`rewrite_exabgp_argv_with`], with the running ferrobgp binary.
pub fn rewrite_exabgp_argv(argv: &[String]) -> Option<Vec<String>> {
    let exe = std::env::current_exe().ok()?;
    rewrite_exabgp_argv_with(argv, &exe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    fn rewritten(args: &[&str]) -> Option<Vec<String>> {
        rewrite_exabgp_argv_with(&strings(args), Path::new("/usr/sbin/ferrobgp"))
    }

    #[test]
    fn python_module_forms() {
        let want = Some(strings(&[
            "/usr/sbin/ferrobgp",
            "healthcheck",
            "--cmd",
            "curl -sf http://127.0.0.1/",
            "--ip",
            "192.0.2.1",
        ]));
        for argv in [
            &["python3", "-m", "exabgp", "healthcheck"][..],
            &["/usr/bin/python3.11", "-u", "-m", "exabgp", "healthcheck"],
            &[
                "python",
                "-W",
                "ignore",
                "-m",
                "exabgp.application.healthcheck",
            ],
            &["/usr/bin/env", "python3", "-m", "exabgp", "healthcheck"],
            &["/usr/local/bin/exabgp", "healthcheck"],
            &["exabgp-healthcheck"],
        ] {
            let mut argv = argv.to_vec();
            argv.extend(["--cmd", "curl -sf http://127.0.0.1/", "--ip", "192.0.2.1"]);
            assert_eq!(rewritten(&argv), want, "{argv:?}");
        }
    }

    #[test]
    fn other_programs_are_left_alone() {
        for argv in [
            &["python3", "helper.py"][..],
            &["python3", "-m", "exabgp", "server", "x.conf"],
            &["python3", "-m", "json.tool"],
            &["exabgp", "cli", "show", "neighbor"],
            &["/etc/exabgp/healthcheck.sh"],
            &["pythonic", "-m", "exabgp", "healthcheck"],
            &[],
        ] {
            assert_eq!(rewritten(argv), None, "{argv:?}");
        }
    }
}
