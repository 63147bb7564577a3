//! What the healthcheck does to the host: run the check command under a timeout, run the
//! state hooks, find and set up the service addresses on the loopback with `ip`, drop
//! privileges, and log to the console and syslog.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::os::unix::net::UnixDatagram;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::network::{Network, NetworkError};

/// Console (stderr, `LEVEL[healthcheck] message`) and syslog (`healthcheck[-name][pid]:`).
pub struct Logger {
    debug: bool,
    console: bool,
    syslog: Option<(UnixDatagram, u8, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Warning,
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warning => "WARNING",
            Level::Error => "ERROR",
        }
    }

    fn severity(self) -> u8 {
        match self {
            Level::Debug => 7,
            Level::Info => 6,
            Level::Warning => 4,
            Level::Error => 3,
        }
    }
}

/// syslog(3) facility numbers by name.
pub fn facility(name: &str) -> Option<u8> {
    let known = [
        ("kern", 0),
        ("user", 1),
        ("mail", 2),
        ("daemon", 3),
        ("auth", 4),
        ("syslog", 5),
        ("lpr", 6),
        ("news", 7),
        ("uucp", 8),
        ("cron", 9),
        ("authpriv", 10),
        ("ftp", 11),
        ("local0", 16),
        ("local1", 17),
        ("local2", 18),
        ("local3", 19),
        ("local4", 20),
        ("local5", 21),
        ("local6", 22),
        ("local7", 23),
    ];
    let lower = name.to_ascii_lowercase();
    known.iter().find(|(n, _)| *n == lower).map(|(_, f)| *f)
}

impl Logger {
    /// Syslog is used unless disabled or debugging (ExaBGP's rule); an unreachable `/dev/log`
    /// leaves the console only, where ExaBGP would stop with a traceback.
    pub fn new(
        debug: bool,
        silent: bool,
        syslog: bool,
        facility_name: &str,
        name: Option<&str>,
    ) -> Logger {
        let mut logger = Logger {
            debug,
            console: !silent,
            syslog: None,
        };
        if syslog && !debug {
            let ident = match name {
                Some(name) => format!("healthcheck-{name}[{}]", std::process::id()),
                None => format!("healthcheck[{}]", std::process::id()),
            };
            match (facility(facility_name), connect_syslog()) {
                (Some(code), Ok(socket)) => logger.syslog = Some((socket, code, ident)),
                (None, _) => logger.log(
                    Level::Warning,
                    &format!("unknown syslog facility {facility_name:?}, not using syslog"),
                ),
                (_, Err(error)) => logger.log(
                    Level::Debug,
                    &format!("syslog not reachable at /dev/log ({error})"),
                ),
            }
        }
        logger
    }

    pub fn log(&self, level: Level, message: &str) {
        if level == Level::Debug && !self.debug {
            return;
        }
        if self.console {
            eprintln!("{}[healthcheck] {message}", level.name());
        }
        if let Some((socket, facility, ident)) = &self.syslog {
            let priority = u32::from(*facility) * 8 + u32::from(level.severity());
            let _ = socket.send(format!("<{priority}>{ident}: {message}\0").as_bytes());
        }
    }
}

fn connect_syslog() -> std::io::Result<UnixDatagram> {
    let socket = UnixDatagram::unbound()?;
    socket.connect("/dev/log")?;
    Ok(socket)
}

/// Run the check through `sh -c` in its own process group, output captured, killed with
/// its children after `timeout` seconds (0: no limit). Exit status 0 is healthy.
pub fn check(command: Option<&str>, timeout: u64, log: &Logger) -> bool {
    let Some(command) = command else {
        return true;
    };
    log.log(Level::Debug, &format!("Checking command {command:?}"));
    let spawned = Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => {
            log.log(
                Level::Warning,
                &format!("Cannot run check command: {error}"),
            );
            return false;
        }
    };
    // Readers on their own threads so a chatty check cannot fill a pipe and stall; their text
    // comes back over a channel so a grandchild keeping a pipe open cannot block us either.
    let (tx, rx) = crossbeam_channel::unbounded::<Vec<u8>>();
    for pipe in [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        let _ = std::thread::Builder::new()
            .name("healthcheck output".into())
            .spawn(move || {
                // Keep the first 64 KiB for the log, drain the rest so the check never
                // blocks on a full pipe.
                let mut pipe = pipe;
                let mut buf = Vec::new();
                let _ = pipe.by_ref().take(1 << 16).read_to_end(&mut buf);
                let _ = std::io::copy(&mut pipe, &mut std::io::sink());
                let _ = tx.send(buf);
            });
    }
    drop(tx);
    let deadline = (timeout > 0).then(|| Instant::now() + Duration::from_secs(timeout));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            log.log(
                Level::Warning,
                &format!("Timeout ({timeout}) while running check command {command}"),
            );
            kill_group(child.id());
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut output = Vec::new();
    while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
        output.extend(chunk);
    }
    let output = String::from_utf8_lossy(&output).trim().to_string();
    match status {
        Some(status) if status.success() => {
            log.log(
                Level::Debug,
                &format!("Command was executed successfully {output}"),
            );
            true
        }
        Some(status) => {
            let code = status
                .code()
                .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
            log.log(
                Level::Warning,
                &format!("Check command was unsuccessful: {code}"),
            );
            if !output.is_empty() {
                log.log(Level::Info, &format!("Output of check command: {output}"));
            }
            false
        }
        None => false,
    }
}

fn kill_group(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) has no memory-safety preconditions; a negative pid names the group
        // the check leads (process_group(0) above).
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

/// Run the hooks for a new state with `STATE` set, output discarded, waiting for each.
pub fn execute(commands: &[String], state: &str, log: &Logger) {
    for command in commands {
        log.log(
            Level::Debug,
            &format!("Transition to {state}, execute `{command}`"),
        );
        let result = Command::new("/bin/sh")
            .arg("-c")
            .arg(command)
            .env("STATE", state)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Err(error) = result {
            log.log(Level::Warning, &format!("cannot run `{command}`: {error}"));
        }
    }
}

/// One line of `ip -o address show dev IF`: the address and, when the address carries a label
/// on one of `ifnames` (`lo:web1`), that label.
pub fn parse_ip_line(line: &str, ifnames: &BTreeSet<String>) -> Option<(Network, Option<String>)> {
    let mut words = line.split_whitespace();
    let index = words.next()?;
    index.strip_suffix(':')?.parse::<u32>().ok()?;
    let _name = words.next()?;
    if !matches!(words.next()?, "inet" | "inet6") {
        return None;
    }
    // Addresses with host bits (192.0.2.1/24) are skipped, as ExaBGP skips them.
    let network: Network = words.next()?.parse().ok()?;
    let label = words.find_map(|word| {
        let (ifname, label) = word.split_once(':')?;
        let label = label.split('\\').next()?;
        (ifnames.contains(ifname) && !label.is_empty()).then(|| label.to_string())
    });
    Some((network, label))
}

/// Which of the non-loopback addresses found count, given `--label`: with a label, only those
/// carrying it (exactly, or as a prefix), all of them otherwise.
pub fn select_ips(
    found: &[(Network, Option<String>)],
    label: Option<&str>,
    exact: bool,
) -> Vec<Network> {
    found
        .iter()
        .filter(|(ip, _)| !ip.is_loopback())
        .filter(|(_, have)| match (label, have) {
            (Some(want), Some(have)) if exact => have == want,
            (Some(want), Some(have)) => have.starts_with(want),
            (Some(_), None) => false,
            (None, _) => true,
        })
        .map(|(ip, _)| *ip)
        .collect()
}

/// The interfaces' addresses, as `ip -o address show` lists them.
pub fn system_ips(
    ip_ifnames: &[(Network, String)],
    label: Option<&str>,
    exact: bool,
    log: &Logger,
) -> Vec<Network> {
    let mut ifnames: BTreeSet<String> = ip_ifnames.iter().map(|(_, i)| i.clone()).collect();
    ifnames.insert("lo".to_string());
    let mut found = Vec::new();
    for ifname in &ifnames {
        let output = Command::new("/sbin/ip")
            .args(["-o", "address", "show", "dev", ifname])
            .stderr(Stdio::null())
            .output();
        match output {
            Ok(output) => found.extend(
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .filter_map(|line| parse_ip_line(line, &ifnames)),
            ),
            Err(error) => log.log(Level::Warning, &format!("cannot run /sbin/ip: {error}")),
        }
    }
    let ips = select_ips(&found, label, exact);
    log.log(Level::Debug, &format!("System addresses detected: {ips:?}"));
    ips
}

fn ifname_for(ip: &Network, ip_ifnames: &[(Network, String)]) -> String {
    ip_ifnames
        .iter()
        .find(|(net, _)| net == ip)
        .map_or_else(|| "lo".to_string(), |(_, ifname)| ifname.clone())
}

/// Every host address of the configured networks.
fn expand(ips: &[Network]) -> Result<Vec<Network>, NetworkError> {
    let mut out = Vec::new();
    for net in ips {
        out.extend(net.hosts()?);
    }
    Ok(out)
}

pub struct IpSetup<'a> {
    pub ips: &'a [Network],
    pub ip_ifnames: &'a [(Network, String)],
    pub label: Option<&'a str>,
    pub exact: bool,
    pub sudo: bool,
}

impl IpSetup<'_> {
    /// `[sudo] ip address add|delete IP dev IF [label IF:LABEL]`.
    fn ip_argv(&self, verb: &str, ip: &Network) -> Vec<String> {
        let ifname = ifname_for(ip, self.ip_ifnames);
        let mut argv: Vec<String> = Vec::new();
        if self.sudo {
            argv.push("sudo".into());
        }
        argv.extend(["ip", "address", verb].map(String::from));
        argv.extend([ip.to_string(), "dev".into(), ifname.clone()]);
        if let Some(label) = self.label {
            argv.extend(["label".into(), format!("{ifname}:{label}")]);
        }
        argv
    }

    fn ip_command(&self, verb: &str, ip: &Network) -> Command {
        let argv = self.ip_argv(verb, ip);
        let mut command = Command::new(argv.first().map_or("ip", String::as_str));
        command
            .args(argv.iter().skip(1))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    /// Add the service addresses missing from the interfaces. `ip` exiting 2 means the address
    /// is there already; any other failure stops the healthcheck, as in ExaBGP.
    pub fn setup(&self, log: &Logger) -> Result<(), String> {
        let existing: BTreeSet<Network> = system_ips(self.ip_ifnames, self.label, self.exact, log)
            .into_iter()
            .collect();
        let wanted = expand(self.ips).map_err(|e| e.to_string())?;
        for ip in wanted.iter().filter(|ip| !existing.contains(ip)) {
            log.log(Level::Debug, &format!("Setup IP address {ip}"));
            let status = self
                .ip_command("add", ip)
                .status()
                .map_err(|e| format!("cannot run ip: {e}"))?;
            if !status.success() && status.code() != Some(2) {
                return Err(format!("ip address add {ip} failed ({status})"));
            }
        }
        Ok(())
    }

    /// Remove the service addresses this healthcheck labelled; failures are only logged.
    pub fn remove(&self, log: &Logger) {
        let existing: BTreeSet<Network> = system_ips(self.ip_ifnames, self.label, self.exact, log)
            .into_iter()
            .collect();
        let Ok(wanted) = expand(self.ips) else { return };
        for ip in wanted.iter().filter(|ip| existing.contains(ip)) {
            log.log(Level::Debug, &format!("Remove IP address {ip}"));
            let ok = self
                .ip_command("delete", ip)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                log.log(
                    Level::Warning,
                    &format!("Unable to remove IP address {ip} - is healthcheck running as root?"),
                );
            }
        }
    }
}

/// `--group` then `--user`, by name.
pub fn drop_privileges(user: Option<&str>, group: Option<&str>) -> Result<(), String> {
    if let Some(group) = group {
        let name = std::ffi::CString::new(group).map_err(|_| format!("bad group {group:?}"))?;
        // SAFETY: getgrnam reads a NUL-terminated string we own; the result is checked for
        // NULL before its gid is read, and used before any other getgr* call.
        let gid = unsafe {
            let entry = libc::getgrnam(name.as_ptr());
            if entry.is_null() {
                return Err(format!("unknown group {group}"));
            }
            (*entry).gr_gid
        };
        // SAFETY: plain system call on integers.
        if unsafe { libc::setresgid(gid, gid, gid) } != 0 {
            return Err(format!(
                "cannot switch to group {group}: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    if let Some(user) = user {
        let name = std::ffi::CString::new(user).map_err(|_| format!("bad user {user:?}"))?;
        // SAFETY: as for getgrnam above.
        let uid = unsafe {
            let entry = libc::getpwnam(name.as_ptr());
            if entry.is_null() {
                return Err(format!("unknown user {user}"));
            }
            (*entry).pw_uid
        };
        // SAFETY: plain system call on integers.
        if unsafe { libc::setresuid(uid, uid, uid) } != 0 {
            return Err(format!(
                "cannot switch to user {user}: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    Ok(())
}

pub fn write_pid(path: &std::path::Path) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    writeln!(file, "{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet() -> Logger {
        Logger::new(false, true, false, "daemon", None)
    }

    #[test]
    fn check_reports_exit_status_and_timeout() {
        let log = quiet();
        assert!(check(None, 5, &log));
        assert!(check(Some("true"), 5, &log));
        assert!(!check(Some("echo failing; exit 3"), 5, &log));
        // Far more output than a pipe holds: still read to the end, still healthy.
        assert!(check(Some("head -c 300000 /dev/zero"), 5, &log));
        let started = Instant::now();
        assert!(!check(Some("sleep 30"), 1, &log));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn hooks_see_the_state() {
        let dir = std::env::temp_dir().join(format!("ferrobgp-hc-hook-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let out = dir.join("state");
        let hook = format!("echo $STATE > {}", out.display());
        execute(&[hook], "DOWN", &quiet());
        assert_eq!(std::fs::read_to_string(&out).unwrap().trim(), "DOWN");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn ip_lines_and_labels() {
        let ifnames: BTreeSet<String> = ["lo".to_string()].into();
        let lines = [
            "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever",
            "1: lo    inet 192.0.2.1/32 scope global lo:web1\\       valid_lft forever",
            "1: lo    inet 192.0.2.2/32 scope global lo:webby\\       valid_lft forever",
            "1: lo    inet 198.51.100.1/32 scope global lo\\       valid_lft forever",
            "1: lo    inet 203.0.113.9/24 scope global lo:web\\       valid_lft forever",
            "1: lo    inet6 ::1/128 scope host \\       valid_lft forever",
            "garbage",
        ];
        let found: Vec<_> = lines
            .iter()
            .filter_map(|l| parse_ip_line(l, &ifnames))
            .collect();
        // 127.0.0.1/8 and 203.0.113.9/24 have host bits set: skipped.
        assert_eq!(found.len(), 4);
        let names = |v: Vec<Network>| v.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            names(select_ips(&found, None, false)),
            ["192.0.2.1/32", "192.0.2.2/32", "198.51.100.1/32"]
        );
        assert_eq!(
            names(select_ips(&found, Some("web"), false)),
            ["192.0.2.1/32", "192.0.2.2/32"]
        );
        assert_eq!(
            names(select_ips(&found, Some("web1"), true)),
            ["192.0.2.1/32"]
        );
    }

    #[test]
    fn ip_setup_commands() {
        let ips: Vec<Network> = vec!["192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap()];
        let ifnames = vec![("192.0.2.2/32".parse().unwrap(), "eth0".to_string())];
        let setup = IpSetup {
            ips: &ips,
            ip_ifnames: &ifnames,
            label: Some("web"),
            exact: false,
            sudo: true,
        };
        let first = ips.first().unwrap();
        assert_eq!(
            setup.ip_argv("add", first).join(" "),
            "sudo ip address add 192.0.2.1/32 dev lo label lo:web"
        );
        let second = ips.get(1).unwrap();
        let plain = IpSetup {
            label: None,
            sudo: false,
            ..setup
        };
        assert_eq!(
            plain.ip_argv("delete", second).join(" "),
            "ip address delete 192.0.2.2/32 dev eth0"
        );
    }

    #[test]
    fn facilities() {
        assert_eq!(facility("daemon"), Some(3));
        assert_eq!(facility("LOCAL7"), Some(23));
        assert_eq!(facility("nope"), None);
    }
}
