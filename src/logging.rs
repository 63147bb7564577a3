//! Logging as ExaBGP 5.0 does it: `log` records whose target is one of ExaBGP's categories
//! (`configuration`, `reactor`, `daemon`, `processes`, `network`, `statistics`, `packets`,
//! `rib`, `message`, `timers`, `routes`, `parser`), each switched by `exabgp.log.<category>`
//! (or all of them by `exabgp.log.all`), under the `exabgp.log.enable` master switch and
//! the `exabgp.log.level` threshold. Lines look like ExaBGP's: short `<category> <message>`,
//! long `HH:MM:SS <pid> <category> <message>` (UTC).
//!
//! A small `log::Log` of our own rather than simplelog: ExaBGP's padding, its per-category
//! switches, syslog datagrams and 1 MiB x 3 file rotation are each a few lines here.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::net::UdpSocket;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use log::{Level, LevelFilter, Log, Metadata, Record};

use crate::env::Settings;

/// ExaBGP's log categories, used as `log` targets (`log::info!(target: "network", ...)`).
pub const CATEGORIES: [&str; 12] = [
    "configuration",
    "reactor",
    "daemon",
    "processes",
    "network",
    "statistics",
    "packets",
    "rib",
    "message",
    "timers",
    "routes",
    "parser",
];

/// Where log lines go (`exabgp.log.destination`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// `stdout` and `stderr`: both write to stderr, as ExaBGP does (stdout is for helpers'
    /// users and `env` output, never for logs).
    Stderr,
    /// Local syslog over `/dev/log`, facility daemon.
    Syslog,
    /// `host:<address>[:port]`: remote syslog over UDP (port 514 unless given).
    Host(String),
    /// `file:<path>`, `/abs/path` or `~/path`: rotated at 1 MiB, three old files kept.
    File(PathBuf),
}

impl Destination {
    /// Interpret `exabgp.log.destination`; anything unrecognised falls back to stderr with
    /// a warning for the caller to print (ExaBGP does the same).
    pub fn parse(raw: &str) -> (Destination, Option<String>) {
        match raw {
            "stdout" | "stderr" => return (Destination::Stderr, None),
            "syslog" => return (Destination::Syslog, None),
            _ => {}
        }
        if let Some(host) = raw.strip_prefix("host:") {
            return (Destination::Host(host.to_string()), None);
        }
        if let Some(path) = raw.strip_prefix("file:") {
            return (Destination::File(expand_home(path)), None);
        }
        if raw.starts_with('/') || raw.starts_with('~') {
            return (Destination::File(expand_home(raw)), None);
        }
        let warning = format!(
            "invalid log destination {raw:?}, expected stdout, stderr, syslog, host:<address>, \
             file:<path> or an absolute path; falling back to stdout"
        );
        (Destination::Stderr, Some(warning))
    }
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix('~'), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => {
            PathBuf::from(format!("{}{}", Path::new(&home).display(), rest))
        }
        _ => PathBuf::from(path),
    }
}

/// The logger could not open its destination.
#[derive(Debug)]
pub struct LogError {
    pub destination: String,
    pub error: io::Error,
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot log to {}: {}", self.destination, self.error)
    }
}

impl std::error::Error for LogError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Which records pass, decided once from the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub enable: bool,
    pub level: LevelFilter,
    /// Categories switched off (`exabgp.log.<category> = false` and `log.all` unset).
    pub off: Vec<&'static str>,
}

impl Filter {
    pub fn from_settings(settings: &Settings) -> Filter {
        let log = &settings.log;
        let switches = [
            log.configuration,
            log.reactor,
            log.daemon,
            log.processes,
            log.network,
            log.statistics,
            log.packets,
            log.rib,
            log.message,
            log.timers,
            log.routes,
            log.parser,
        ];
        let off = CATEGORIES
            .iter()
            .zip(switches)
            .filter(|(_, on)| !(log.all || *on))
            .map(|(name, _)| *name)
            .collect();
        Filter {
            enable: log.enable,
            level: if log.enable {
                log.level.filter()
            } else {
                LevelFilter::Off
            },
            off,
        }
    }

    /// Targets that are not categories (module paths, `welcome`) pass when logging is on.
    pub fn allows(&self, target: &str, level: Level) -> bool {
        // ExaBGP's own internal names for two categories.
        let category = match target {
            "wire" => "packets",
            "timer" => "timers",
            other => other,
        };
        self.enable && level <= self.level && !self.off.contains(&category)
    }
}

/// `HH:MM:SS` (UTC) for `unix` seconds.
fn clock(unix: u64) -> String {
    let day = unix % 86_400;
    format!("{:02}:{:02}:{:02}", day / 3600, day % 3600 / 60, day % 60)
}

/// One line as ExaBGP lays it out.
pub fn format_line(short: bool, target: &str, message: &str, unix: u64, pid: u32) -> String {
    if short {
        format!("{target:<15} {message}")
    } else {
        format!("{} {pid:<6} {target:<15} {message}", clock(unix))
    }
}

/// Syslog priority for facility daemon (3) and the record's severity.
fn priority(level: Level) -> u8 {
    let severity = match level {
        Level::Error => 3,
        Level::Warn => 4,
        Level::Info => 6,
        Level::Debug | Level::Trace => 7,
    };
    3 * 8 + severity
}

const ROTATE_BYTES: u64 = 1024 * 1024;
const ROTATE_KEEP: u32 = 3;

struct RotatingFile {
    path: PathBuf,
    file: File,
    size: u64,
}

impl RotatingFile {
    fn open(path: &Path) -> io::Result<RotatingFile> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let size = file.metadata()?.len();
        Ok(RotatingFile {
            path: path.to_path_buf(),
            file,
            size,
        })
    }

    fn numbered(&self, n: u32) -> PathBuf {
        let mut name = self.path.clone().into_os_string();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn write_line(&mut self, line: &str) -> io::Result<()> {
        let len = line.len() as u64 + 1;
        if self.size > 0 && self.size + len >= ROTATE_BYTES {
            for n in (1..ROTATE_KEEP).rev() {
                let _ = std::fs::rename(self.numbered(n), self.numbered(n + 1));
            }
            std::fs::rename(&self.path, self.numbered(1))?;
            *self = RotatingFile::open(&self.path)?;
        }
        writeln!(self.file, "{line}")?;
        self.size += len;
        Ok(())
    }
}

/// The local syslog socket, reconnected when a send fails (syslogd restarted or started
/// after us), so a missing `/dev/log` at start-up costs log lines, not the daemon.
struct LocalSyslog {
    path: &'static str,
    socket: Option<UnixDatagram>,
}

impl LocalSyslog {
    fn connect(path: &str) -> io::Result<UnixDatagram> {
        let socket = UnixDatagram::unbound()?;
        socket.connect(path)?;
        Ok(socket)
    }

    fn send(&mut self, datagram: &[u8]) -> io::Result<()> {
        if let Some(socket) = &self.socket {
            if socket.send(datagram).is_ok() {
                return Ok(());
            }
        }
        self.socket = None;
        let socket = LocalSyslog::connect(self.path)?;
        socket.send(datagram)?;
        self.socket = Some(socket);
        Ok(())
    }
}

enum Sink {
    Stderr,
    Syslog(LocalSyslog),
    Host(UdpSocket, String),
    File(RotatingFile),
}

impl Sink {
    fn open(destination: &Destination) -> io::Result<Sink> {
        Ok(match destination {
            Destination::Stderr => Sink::Stderr,
            Destination::Syslog => {
                let path = if cfg!(target_os = "macos") {
                    "/var/run/syslog"
                } else {
                    "/dev/log"
                };
                let socket = match LocalSyslog::connect(path) {
                    Ok(socket) => Some(socket),
                    Err(error) => {
                        // Nothing is logging yet, so say it on stderr once.
                        eprintln!("ferrobgp: cannot reach syslog at {path} ({error}); will retry");
                        None
                    }
                };
                Sink::Syslog(LocalSyslog { path, socket })
            }
            Destination::Host(host) => {
                let target = syslog_target(host);
                let bind = if target.starts_with('[') {
                    "[::]:0"
                } else {
                    "0.0.0.0:0"
                };
                Sink::Host(UdpSocket::bind(bind)?, target)
            }
            Destination::File(path) => Sink::File(RotatingFile::open(path)?),
        })
    }

    /// Errors are dropped: a logger has nowhere to report its own failure.
    fn emit(&mut self, level: Level, line: &str) {
        let _ = match self {
            Sink::Stderr => writeln!(io::stderr().lock(), "{line}"),
            Sink::Syslog(syslog) => syslog.send(syslog_datagram(level, line).as_bytes()),
            Sink::Host(socket, target) => socket
                .send_to(syslog_datagram(level, line).as_bytes(), target.as_str())
                .map(|_| ()),
            Sink::File(file) => file.write_line(line),
        };
    }
}

/// `address[:port]` for a remote syslog, port 514 unless given; bare IPv6 gets brackets.
fn syslog_target(host: &str) -> String {
    if host.parse::<std::net::SocketAddr>().is_ok() {
        return host.to_string();
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => std::net::SocketAddr::new(ip, 514).to_string(),
        Err(_) if host.contains(':') => host.to_string(),
        Err(_) => format!("{host}:514"),
    }
}

fn syslog_datagram(level: Level, line: &str) -> String {
    format!(
        "<{}>ferrobgp[{}]: {line}",
        priority(level),
        std::process::id()
    )
}

struct Logger {
    filter: Filter,
    short: bool,
    sink: Mutex<Sink>,
}

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        self.filter.allows(metadata.target(), metadata.level())
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let pid = std::process::id();
        let message = record.args().to_string();
        let Ok(mut sink) = self.sink.lock() else {
            return;
        };
        // ExaBGP prefixes every line of a multi-line message.
        for part in message.split('\n') {
            let line = format_line(self.short, record.target(), part, unix, pid);
            sink.emit(record.level(), &line);
        }
    }

    fn flush(&self) {
        if let Ok(mut sink) = self.sink.lock() {
            if let Sink::File(file) = &mut *sink {
                let _ = file.file.flush();
            }
        }
    }
}

/// Install the process logger from the settings. Files always use the long format and
/// syslog the short one, as in ExaBGP; stderr follows `log.short`. An unrecognised
/// destination falls back to stderr and is reported there.
pub fn init(settings: &Settings) -> Result<(), LogError> {
    let (destination, warning) = Destination::parse(&settings.log.destination);
    let sink = Sink::open(&destination).map_err(|error| LogError {
        destination: settings.log.destination.clone(),
        error,
    })?;
    let short = match destination {
        Destination::File(_) => false,
        Destination::Syslog | Destination::Host(_) => true,
        Destination::Stderr => settings.log.short,
    };
    let filter = Filter::from_settings(settings);
    let level = filter.level;
    let logger = Logger {
        filter,
        short,
        sink: Mutex::new(sink),
    };
    // A second init (tests, or a caller re-initialising) keeps the first logger.
    if log::set_boxed_logger(Box::new(logger)).is_ok() {
        log::set_max_level(level);
    }
    if let Some(warning) = warning {
        log::warn!(target: "configuration", "{warning}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_follow_exabgp() {
        assert_eq!(Destination::parse("stdout").0, Destination::Stderr);
        assert_eq!(Destination::parse("stderr").0, Destination::Stderr);
        assert_eq!(Destination::parse("syslog").0, Destination::Syslog);
        assert_eq!(
            Destination::parse("host:192.0.2.1").0,
            Destination::Host("192.0.2.1".into())
        );
        assert_eq!(
            Destination::parse("file:/var/log/x.log").0,
            Destination::File("/var/log/x.log".into())
        );
        assert_eq!(
            Destination::parse("/tmp/x").0,
            Destination::File("/tmp/x".into())
        );
        let (fallback, warning) = Destination::parse("relative.log");
        assert_eq!(fallback, Destination::Stderr);
        assert!(warning.is_some_and(|w| w.contains("relative.log")));
    }

    #[test]
    fn categories_are_switched_by_settings() {
        let mut settings = Settings::default();
        let filter = Filter::from_settings(&settings);
        assert!(filter.allows("network", Level::Info));
        assert!(!filter.allows("network", Level::Debug), "INFO threshold");
        assert!(
            !filter.allows("packets", Level::Info),
            "packets is off by default"
        );
        assert!(
            !filter.allows("wire", Level::Info),
            "ExaBGP's name for packets"
        );
        assert!(filter.allows("ferrobgp::reactor", Level::Warn));

        settings.log.all = true;
        assert!(Filter::from_settings(&settings).allows("packets", Level::Info));

        settings.log.enable = false;
        let off = Filter::from_settings(&settings);
        assert!(!off.allows("reactor", Level::Error));
        assert!(!off.allows("anything", Level::Error));
        assert_eq!(off.level, LevelFilter::Off);
    }

    #[test]
    fn lines_are_padded_like_exabgp() {
        assert_eq!(
            format_line(true, "network", "up", 0, 1),
            "network         up"
        );
        assert_eq!(
            format_line(false, "reactor", "go", 3_661, 42),
            "01:01:01 42     reactor         go"
        );
        assert_eq!(priority(Level::Error), 27);
        assert_eq!(syslog_target("192.0.2.1"), "192.0.2.1:514");
        assert_eq!(syslog_target("2001:db8::1"), "[2001:db8::1]:514");
        assert_eq!(syslog_target("[2001:db8::1]:5140"), "[2001:db8::1]:5140");
        assert_eq!(syslog_target("logs.example:601"), "logs.example:601");
        assert_eq!(syslog_target("logs.example"), "logs.example:514");
        assert_eq!(priority(Level::Debug), 31);
    }

    #[test]
    fn local_syslog_reconnects_after_a_restart() {
        let dir = std::env::temp_dir().join(format!("ferrobgp-syslog-{}", std::process::id()));
        assert!(std::fs::create_dir_all(&dir).is_ok());
        let path = dir.join("log");
        let name: &'static str = Box::leak(path.to_string_lossy().into_owned().into_boxed_str());
        let mut syslog = LocalSyslog {
            path: name,
            socket: None,
        };
        assert!(syslog.send(b"lost").is_err(), "no syslogd yet");

        let mut buf = [0u8; 128];
        for round in 0..2 {
            let _ = std::fs::remove_file(&path);
            let Ok(server) = UnixDatagram::bind(&path) else {
                panic!("cannot bind {name}");
            };
            let line = syslog_datagram(Level::Warn, "network         up");
            assert!(syslog.send(line.as_bytes()).is_ok(), "round {round}");
            let got = server.recv(&mut buf).unwrap_or(0);
            let text = String::from_utf8_lossy(buf.get(..got).unwrap_or_default()).into_owned();
            assert!(text.starts_with("<28>ferrobgp["), "{text}");
            assert!(text.ends_with("]: network         up"), "{text}");
            // Dropping `server` stands for syslogd going away before the next round.
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_rotate_at_one_mebibyte() {
        let dir = std::env::temp_dir().join(format!("ferrobgp-log-{}", std::process::id()));
        assert!(std::fs::create_dir_all(&dir).is_ok());
        let path = dir.join("x.log");
        let Ok(mut file) = RotatingFile::open(&path) else {
            panic!("cannot open {}", path.display());
        };
        let line = "y".repeat(1023);
        for _ in 0..1100 {
            assert!(file.write_line(&line).is_ok());
        }
        assert!(path.with_extension("log.1").is_file());
        let current = std::fs::metadata(&path)
            .map(|m| m.len())
            .unwrap_or(u64::MAX);
        assert!(current < ROTATE_BYTES);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
