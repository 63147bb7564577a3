//! Discovering functional cases: `NAME.ci` (first line: config names) beside `NAME.msg`,
//! configs in a sibling `etc/` folder (suite README §2).

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub msg: PathBuf,
    /// Config file names, relative to `etc`, in command-line order.
    pub confs: Vec<String>,
    /// Folder whose `*.conf` files are copied next to the daemon.
    pub etc: PathBuf,
    /// `option:tcp_connections:N` of the `.msg`, else 1 (suite README §1.3).
    pub tcp_connections: u32,
}

#[derive(Debug)]
pub struct CaseError {
    pub path: PathBuf,
    pub msg: String,
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.msg)
    }
}

impl std::error::Error for CaseError {}

fn error(path: &Path, msg: impl Into<String>) -> CaseError {
    CaseError {
        path: path.to_path_buf(),
        msg: msg.into(),
    }
}

/// Every `*.ci` in `cases`, sorted by name, kept when `only` is empty or names it.
pub fn discover(cases: &Path, etc: &Path, only: &[String]) -> Result<Vec<Case>, CaseError> {
    let entries = std::fs::read_dir(cases).map_err(|e| error(cases, e.to_string()))?;
    let mut found = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| error(cases, e.to_string()))?.path();
        if path.extension().is_none_or(|e| e != "ci") {
            continue;
        }
        let Some(name) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        found.push(load(&path, &name, etc)?);
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn load(ci: &Path, name: &str, etc: &Path) -> Result<Case, CaseError> {
    let text = std::fs::read_to_string(ci).map_err(|e| error(ci, e.to_string()))?;
    let confs: Vec<String> = text
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if confs.is_empty() {
        return Err(error(ci, "first line names no configuration file"));
    }
    for conf in &confs {
        if !etc.join(conf).is_file() {
            return Err(error(ci, format!("{conf} not found in {}", etc.display())));
        }
    }
    let msg = ci.with_extension("msg");
    let msg_text = std::fs::read_to_string(&msg).map_err(|e| error(&msg, e.to_string()))?;
    Ok(Case {
        name: name.to_string(),
        confs,
        etc: etc.to_path_buf(),
        tcp_connections: tcp_connections(&msg_text),
        msg,
    })
}

/// The runner's one option; the peer parses the rest of the file itself.
pub fn tcp_connections(msg_text: &str) -> u32 {
    msg_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.contains('#'))
        .find_map(|l| l.strip_prefix("option:tcp_connections:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(1)
}

/// Names listed one per line (blank lines and `#` comments ignored); missing file = none.
pub fn read_list(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_connections_defaults_to_one() {
        assert_eq!(tcp_connections("1:raw:0017:02:00000000\n"), 1);
        assert_eq!(tcp_connections("option:tcp_connections:3\n"), 3);
        assert_eq!(tcp_connections("# option:tcp_connections:3\n"), 1);
    }
}
