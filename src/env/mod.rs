//! `exabgp.<section>.<key>` settings: environment variables, then an INI file, then defaults.
//!
//! Lookup order for each key, as ExaBGP 5.0 does it: the `exabgp.tcp.port` environment
//! variable, then `exabgp_tcp_port`, then `port` in the `[exabgp.tcp]` section of the env
//! file, then the default from [`TABLE`]. Environment values are used as given; INI values
//! lose surrounding blanks and quotes first.

mod ini;
mod print;
mod table;
mod value;

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

pub use crate::config::Encoder;
pub use ini::{Ini, IniError};
pub use print::{env_lines, ini_lines};
pub use table::{find, Setting, TABLE};
pub use value::{unquote, Level, ShowRoutesFormat, Umask, Value};

/// The ExaBGP release we behave like; what `exabgp_version` overrides.
pub const EXABGP_RELEASE: &str = "5.0.15";

/// Every setting, by ExaBGP section. `Settings::default()` holds ExaBGP's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub profile: Profile,
    pub pdb: Pdb,
    pub daemon: Daemon,
    pub log: Log,
    pub tcp: Tcp,
    pub bgp: Bgp,
    pub cache: Cache,
    pub api: Api,
    pub reactor: Reactor,
    pub debug: Debug,
    /// The version we claim (software-version capability, `version`): `exabgp_version` from
    /// the environment when set (the functional suite sets `5.0.0-0+test`), else [`EXABGP_RELEASE`].
    pub version: String,
    /// The env file that was looked for, and whether it existed.
    pub env_file: Option<PathBuf>,
    pub env_file_loaded: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub enable: bool,
    pub file: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pdb {
    pub enable: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Daemon {
    /// Empty: no pid file.
    pub pid: String,
    pub user: String,
    pub daemonize: bool,
    pub drop: bool,
    pub umask: Umask,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Log {
    pub enable: bool,
    pub level: Level,
    /// Raw; `logging::Destination::parse` interprets it.
    pub destination: String,
    pub all: bool,
    pub configuration: bool,
    pub reactor: bool,
    pub daemon: bool,
    pub processes: bool,
    pub network: bool,
    pub statistics: bool,
    pub packets: bool,
    pub rib: bool,
    pub message: bool,
    pub timers: bool,
    pub routes: bool,
    pub parser: bool,
    pub short: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tcp {
    pub once: bool,
    /// 0 = unlimited; above 0 the daemon also exits once every peer is gone.
    pub attempts: u32,
    pub delay: u32,
    /// Empty: no listener.
    pub bind: Vec<IpAddr>,
    pub port: u16,
    pub acl: bool,
    /// `exabgp.tcp.port` / `exabgp_tcp_port` was set (digits) in the process environment:
    /// ExaBGP then also connects to that port, else to 179 (see [`Tcp::connect_port`]).
    pub port_in_env: bool,
}

impl Tcp {
    /// The remote port for outgoing sessions when the neighbor names none (`connect`).
    pub fn connect_port(&self) -> u16 {
        if self.port_in_env {
            self.port
        } else {
            179
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bgp {
    pub passive: bool,
    pub openwait: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cache {
    pub attributes: bool,
    pub nexthops: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    pub ack: bool,
    pub chunk: u32,
    pub show_routes_format: ShowRoutesFormat,
    /// Read by nothing in ExaBGP 5.0 (every `process` names its encoder); kept for `env`.
    pub encoder: Encoder,
    pub compact: bool,
    pub respawn: bool,
    pub terminate: bool,
    pub cli: bool,
    pub pipename: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reactor {
    pub speed: f64,
}

/// ExaBGP's hidden `debug` section (honoured, never printed by `env`).
#[derive(Clone, Debug, PartialEq)]
pub struct Debug {
    pub pdb: bool,
    pub memory: bool,
    /// Report configuration errors as fatal instead of recovering (the suite sets it).
    pub configuration: bool,
    pub selfcheck: bool,
    pub route: String,
    pub defensive: bool,
    /// Several config files: one daemon, each reload takes the next file.
    pub rotate: bool,
}

/// Why settings could not be read; each names the key or file and the bad value.
#[derive(Debug)]
pub enum SettingsError {
    Invalid {
        key: String,
        value: String,
        reason: String,
    },
    Ini {
        file: Option<PathBuf>,
        error: IniError,
    },
    Read {
        file: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Invalid { key, value, reason } => {
                write!(f, "invalid value for {key}: {value:?}: {reason}")
            }
            SettingsError::Ini {
                file: Some(file),
                error,
            } => {
                write!(f, "{}: {error}", file.display())
            }
            SettingsError::Ini { file: None, error } => write!(f, "env file: {error}"),
            SettingsError::Read { file, error } => {
                write!(f, "cannot read env file {}: {error}", file.display())
            }
        }
    }
}

impl std::error::Error for SettingsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SettingsError::Ini { error, .. } => Some(error),
            SettingsError::Read { error, .. } => Some(error),
            SettingsError::Invalid { .. } => None,
        }
    }
}

impl Default for Settings {
    /// ExaBGP's defaults, taken from [`TABLE`] (a unit test checks every default parses).
    fn default() -> Settings {
        let mut settings = Settings::blank();
        for entry in TABLE {
            let _ = entry.apply(&mut settings, entry.default);
        }
        settings
    }
}

/// The first non-empty value among `names` in `env`.
fn lookup<'a>(env: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|name| {
        env.iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    })
}

/// The value under exactly `name`, empty included (ExaBGP tests presence, not emptiness).
fn present<'a>(env: &'a [(String, String)], name: &str) -> Option<&'a str> {
    env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

impl Settings {
    /// Placeholders only, overwritten by the table defaults in `default()`.
    fn blank() -> Settings {
        Settings {
            profile: Profile {
                enable: false,
                file: String::new(),
            },
            pdb: Pdb { enable: false },
            daemon: Daemon {
                pid: String::new(),
                user: String::new(),
                daemonize: false,
                drop: false,
                umask: Umask(0),
            },
            log: Log {
                enable: false,
                level: Level::Info,
                destination: String::new(),
                all: false,
                configuration: false,
                reactor: false,
                daemon: false,
                processes: false,
                network: false,
                statistics: false,
                packets: false,
                rib: false,
                message: false,
                timers: false,
                routes: false,
                parser: false,
                short: false,
            },
            tcp: Tcp {
                once: false,
                attempts: 0,
                delay: 0,
                bind: Vec::new(),
                port: 0,
                acl: false,
                port_in_env: false,
            },
            bgp: Bgp {
                passive: false,
                openwait: 0,
            },
            cache: Cache {
                attributes: false,
                nexthops: false,
            },
            api: Api {
                ack: false,
                chunk: 0,
                show_routes_format: ShowRoutesFormat::V1,
                encoder: Encoder::Json,
                compact: false,
                respawn: false,
                terminate: false,
                cli: false,
                pipename: String::new(),
            },
            reactor: Reactor { speed: 0.0 },
            debug: Debug {
                pdb: false,
                memory: false,
                configuration: false,
                selfcheck: false,
                route: String::new(),
                defensive: false,
                rotate: false,
            },
            version: EXABGP_RELEASE.to_string(),
            env_file: None,
            env_file_loaded: false,
        }
    }

    /// Build settings from an environment (name, value pairs) and an optional INI text.
    /// Pure: reads nothing else, so tests can feed it anything.
    pub fn from_sources(
        env: &[(String, String)],
        ini: Option<&str>,
    ) -> Result<Settings, SettingsError> {
        let ini = match ini {
            Some(text) => {
                Some(Ini::parse(text).map_err(|error| SettingsError::Ini { file: None, error })?)
            }
            None => None,
        };
        let mut settings = Settings::default();
        for entry in TABLE {
            let section = format!("exabgp.{}", entry.section);
            let raw = match present(env, &entry.dotted())
                .or_else(|| present(env, &entry.underscored()))
            {
                Some(value) => Some(value.to_string()),
                None => ini
                    .as_ref()
                    .and_then(|ini| ini.get(&section, entry.key))
                    .map(|value| unquote(value).to_string()),
            };
            let raw = raw.unwrap_or_else(|| entry.default.to_string());
            entry
                .apply(&mut settings, &raw)
                .map_err(|reason| SettingsError::Invalid {
                    key: entry.dotted(),
                    value: raw.clone(),
                    reason,
                })?;
        }
        settings.apply_aliases(env)?;
        settings.tcp.port_in_env = ["exabgp.tcp.port", "exabgp_tcp_port"].iter().any(|name| {
            present(env, name)
                .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        });
        if let Some(version) = present(env, "exabgp_version") {
            settings.version = version.to_string();
        }
        Ok(settings)
    }

    /// Environment-only spellings ExaBGP still honours.
    fn apply_aliases(&mut self, env: &[(String, String)]) -> Result<(), SettingsError> {
        let connections = lookup(env, &["exabgp.tcp.connections", "exabgp_tcp_connections"]);
        if let Some(raw) = connections {
            self.tcp.attempts = u32::read(raw).map_err(|reason| SettingsError::Invalid {
                key: "exabgp.tcp.connections".into(),
                value: raw.into(),
                reason,
            })?;
        }
        // tcp.once only stands in for tcp.attempts when no explicit count was given.
        let once = lookup(env, &["exabgp.tcp.once", "exabgp_tcp_once"]);
        let attempts = lookup(env, &["exabgp.tcp.attempts", "exabgp_tcp_attempts"]);
        if once.is_some() && attempts.is_none() && connections.is_none() {
            self.tcp.attempts = u32::from(self.tcp.once);
        }
        Ok(())
    }

    /// Read the real process environment and env file. The file is `env_file` when given,
    /// else `$EXABGP_ENVFILE`, else `<root>/etc/exabgp/exabgp.env` (see [`root`]); a missing
    /// file is not an error (ExaBGP only advises creating one). Also checks that
    /// `daemon.user` exists, as ExaBGP refuses to start otherwise.
    pub fn load(env_file: Option<&Path>) -> Result<Settings, SettingsError> {
        let env: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let path = match env_file {
            Some(path) => path.to_path_buf(),
            None => match present(&env, "EXABGP_ENVFILE") {
                Some(path) => PathBuf::from(path),
                None => root().join("etc").join("exabgp").join("exabgp.env"),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(SettingsError::Read { file: path, error }),
        };
        let mut settings =
            Settings::from_sources(&env, text.as_deref()).map_err(|error| match error {
                SettingsError::Ini { error, .. } => SettingsError::Ini {
                    file: Some(path.clone()),
                    error,
                },
                other => other,
            })?;
        settings.env_file_loaded = text.is_some();
        settings.env_file = Some(path);
        if let Some(false) = user_exists(&settings.daemon.user) {
            return Err(SettingsError::Invalid {
                key: "exabgp.daemon.user".into(),
                value: settings.daemon.user.clone(),
                reason: "user not found on this system".into(),
            });
        }
        Ok(settings)
    }
}

/// Whether `/etc/passwd` lists `user`; `None` when it cannot be read (no check then).
fn user_exists(user: &str) -> Option<bool> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    Some(
        passwd
            .lines()
            .any(|line| line.split(':').next() == Some(user)),
    )
}

/// ExaBGP's install root: `$EXABGP_ROOT`, else the folder above the binary's `bin`/`sbin`
/// (`/usr/bin/ferrobgp` -> `/usr`), else the binary's folder. Config names starting
/// `etc/exabgp/` and the default env file are found under it.
pub fn root() -> PathBuf {
    if let Some(root) = std::env::var_os("EXABGP_ROOT").filter(|r| !r.is_empty()) {
        return PathBuf::from(root);
    }
    let folder = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"));
    match folder.file_name().and_then(|n| n.to_str()) {
        Some("bin") | Some("sbin") => folder.parent().map_or(folder.clone(), Path::to_path_buf),
        _ => folder,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn settings(pairs: &[(&str, &str)], ini: Option<&str>) -> Settings {
        match Settings::from_sources(&env(pairs), ini) {
            Ok(settings) => settings,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    #[test]
    fn defaults_match_exabgp() {
        let s = Settings::default();
        assert_eq!(s.tcp.port, 179);
        assert!(!s.tcp.port_in_env);
        assert_eq!(s.tcp.connect_port(), 179);
        assert!(s.tcp.bind.is_empty());
        assert_eq!(s.tcp.attempts, 0);
        assert!(!s.bgp.passive);
        assert_eq!(s.bgp.openwait, 60);
        assert!(s.api.ack && s.api.respawn && s.api.cli && !s.api.terminate);
        assert_eq!(s.api.encoder, Encoder::Json);
        assert_eq!(s.api.pipename, "exabgp");
        assert!(s.log.enable && s.log.short && !s.log.all && !s.log.packets);
        assert_eq!(s.log.level, Level::Info);
        assert_eq!(s.log.destination, "stdout");
        assert_eq!(s.daemon.user, "nobody");
        assert_eq!(s.daemon.umask, Umask(0o137));
        assert!(s.daemon.drop && !s.daemon.daemonize);
        assert!(!s.debug.rotate && !s.debug.configuration);
        assert_eq!(s.reactor.speed, 1.0);
        assert_eq!(s.version, EXABGP_RELEASE);
        assert_eq!(settings(&[], None), s);
    }

    #[test]
    fn dotted_beats_underscored_beats_ini() {
        let ini = "[exabgp.tcp]\nport = 3000\nbind = '127.0.0.1'\n";
        let s = settings(&[], Some(ini));
        assert_eq!(s.tcp.port, 3000);
        assert!(!s.tcp.port_in_env, "an INI port is not an environment port");
        assert_eq!(s.tcp.connect_port(), 179);
        assert_eq!(s.tcp.bind, vec![IpAddr::from([127, 0, 0, 1])]);

        let s = settings(&[("exabgp_tcp_port", "2000")], Some(ini));
        assert_eq!(s.tcp.port, 2000);
        assert!(s.tcp.port_in_env);
        assert_eq!(s.tcp.connect_port(), 2000);

        let s = settings(
            &[("exabgp_tcp_port", "2000"), ("exabgp.tcp.port", "1000")],
            Some(ini),
        );
        assert_eq!(s.tcp.port, 1000);
    }

    #[test]
    fn suite_runner_environment() {
        let s = settings(
            &[
                ("exabgp_tcp_port", "1790"),
                ("exabgp_tcp_bind", ""),
                ("exabgp_tcp_connections", "3"),
                ("exabgp_api_cli", "false"),
                ("exabgp_log_enable", "false"),
                ("exabgp_debug_rotate", "true"),
                ("exabgp_debug_configuration", "true"),
                ("exabgp_version", "5.0.0-0+test"),
            ],
            None,
        );
        assert_eq!(s.tcp.port, 1790);
        assert!(s.tcp.bind.is_empty());
        assert_eq!(s.tcp.attempts, 3);
        assert!(!s.api.cli && !s.log.enable);
        assert!(s.debug.rotate && s.debug.configuration);
        assert_eq!(s.version, "5.0.0-0+test");
    }

    #[test]
    fn once_stands_in_for_attempts_only_when_alone() {
        assert_eq!(
            settings(&[("exabgp_tcp_once", "true")], None).tcp.attempts,
            1
        );
        assert_eq!(
            settings(&[("exabgp.tcp.once", "false")], None).tcp.attempts,
            0
        );
        let both = [("exabgp_tcp_once", "true"), ("exabgp_tcp_attempts", "5")];
        assert_eq!(settings(&both, None).tcp.attempts, 5);
        let alias = [("exabgp_tcp_once", "true"), ("exabgp_tcp_connections", "4")];
        assert_eq!(settings(&alias, None).tcp.attempts, 4);
        // Only the environment triggers the alias, as in ExaBGP.
        let ini = "[exabgp.tcp]\nonce = true\n";
        assert_eq!(settings(&[], Some(ini)).tcp.attempts, 0);
    }

    #[test]
    fn errors_name_the_key_and_value() {
        let err = Settings::from_sources(&env(&[("exabgp_tcp_port", "http")]), None).err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            text.contains("exabgp.tcp.port") && text.contains("http"),
            "{text}"
        );

        let err = Settings::from_sources(&env(&[("exabgp.tcp.connections", "x")]), None).err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("exabgp.tcp.connections"), "{text}");

        let err = Settings::from_sources(&[], Some("[exabgp.log]\nlevel = LOUD\n")).err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            text.contains("exabgp.log.level") && text.contains("LOUD"),
            "{text}"
        );

        let err = Settings::from_sources(&[], Some("level = x\n")).err();
        assert!(matches!(err, Some(SettingsError::Ini { .. })));
    }

    #[test]
    fn ini_values_are_unquoted_env_values_are_not() {
        let s = settings(
            &[],
            Some("[exabgp.api]\nack = 'false'\npipename = \"bgp\"\n"),
        );
        assert!(!s.api.ack);
        assert_eq!(s.api.pipename, "bgp");
        // ExaBGP reads a quoted boolean from the environment as false.
        assert!(
            !settings(&[("exabgp_api_respawn", "'true'")], None)
                .api
                .respawn
        );
    }

    #[test]
    fn dashed_key_uses_dashes_in_underscored_name() {
        let s = settings(&[("exabgp_api_show-routes-format", "v2")], None);
        assert_eq!(s.api.show_routes_format, ShowRoutesFormat::V2);
    }
}
