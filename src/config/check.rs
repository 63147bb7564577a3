//! Checks that need the file system: the helper programs a `process` block runs. Kept apart
//! from parsing so that a configuration can be parsed (and tested) without its helpers.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use super::{Config, ConfigError, Process};

/// The checks ExaBGP makes on `run` programs before starting: the program exists, is a
/// regular file we may execute, and is neither setuid nor setgid.
pub fn check_programs(config: &Config) -> Result<(), ConfigError> {
    config.processes.iter().try_for_each(check_program)
}

fn check_program(p: &Process) -> Result<(), ConfigError> {
    let fail = |message: String| ConfigError {
        location: p.location.clone(),
        message,
    };
    let Some(prg) = p.run.first() else {
        return Err(fail(format!("process {}: empty run", p.name)));
    };
    let meta = std::fs::metadata(Path::new(prg))
        .map_err(|_| fail(format!("can not locate the program \"{prg}\"")))?;
    if meta.is_dir() {
        return Err(fail(format!("can not execute directories \"{prg}\"")));
    }
    if !meta.is_file() {
        return Err(fail(format!("program must be a regular file \"{prg}\"")));
    }
    let mode = meta.permissions().mode();
    if mode & 0o4000 != 0 {
        return Err(fail(format!("refusing to run setuid programs \"{prg}\"")));
    }
    if mode & 0o2000 != 0 {
        return Err(fail(format!("refusing to run setgid programs \"{prg}\"")));
    }
    // As ExaBGP: the "other" execute bit, plus the owner / group bit when they are ours.
    let (uid, gid) = current_ids();
    let mut bits = 0o001;
    if meta.uid() == uid {
        bits |= 0o100;
    }
    if meta.gid() == gid {
        bits |= 0o010;
    }
    if mode & bits == 0 {
        return Err(fail(format!(
            "exabgp will not be able to run this program \"{prg}\""
        )));
    }
    Ok(())
}

/// The effective uid/gid, read from /proc so that no libc binding is needed; on failure
/// (no /proc) the owner and group bits are not considered.
fn current_ids() -> (u32, u32) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(u32::MAX)
    };
    (field("Uid:"), field("Gid:"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;

    #[test]
    fn programs_must_exist_and_be_executable() {
        let c = load_str(
            "process p { run /bin/sh -c true; encoder text; }",
            Path::new("/x.conf"),
        )
        .unwrap();
        assert!(check_programs(&c).is_ok());
        let c = load_str(
            "process p { run /nonexistent/prog; encoder text; }",
            Path::new("/x.conf"),
        )
        .unwrap();
        let e = check_programs(&c).unwrap_err();
        assert_eq!(
            e.message,
            "can not locate the program \"/nonexistent/prog\""
        );
        assert_eq!(e.location.line, 1);
        let c = load_str(
            "process p { run /etc; encoder text; }",
            Path::new("/x.conf"),
        )
        .unwrap();
        assert!(check_programs(&c)
            .unwrap_err()
            .message
            .contains("directories"));
        let c = load_str(
            "process p { run /etc/passwd; encoder text; }",
            Path::new("/x.conf"),
        )
        .unwrap();
        assert!(check_programs(&c).is_err());
    }
}
