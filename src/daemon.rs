//! The daemon: loads the configuration, starts the signal and listener threads, then runs the
//! reactor on the calling thread until shutdown.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use log::{info, warn};

use crate::config::{self, Config};
use crate::env::Settings;
use crate::listener;
use crate::reactor::{Inputs, Reactor};
use crate::signal;

/// Why the daemon stopped with a failure; main prints it and exits non-zero.
#[derive(Debug)]
pub enum DaemonError {
    Config(config::ConfigError),
    Io(String, std::io::Error),
    NoConfiguration,
}

impl fmt::Display for DaemonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DaemonError::Config(e) => write!(f, "{e}"),
            DaemonError::Io(what, e) => write!(f, "{what}: {e}"),
            DaemonError::NoConfiguration => write!(f, "no configuration file given"),
        }
    }
}

impl std::error::Error for DaemonError {}

/// The configuration to start with: the first file (the others take turns on reload when
/// debug.rotate is set; without it, main runs one daemon per file).
fn initial_config(configs: &[PathBuf]) -> Result<Config, DaemonError> {
    let first = configs.first().ok_or(DaemonError::NoConfiguration)?;
    config::load(first).map_err(DaemonError::Config)
}

/// Batches of session events (one per socket read) waiting for the reactor.
const SESSION_EVENTS: usize = 64;

/// Run the daemon in the foreground until shutdown.
pub fn run(settings: Settings, configs: Vec<PathBuf>) -> Result<(), DaemonError> {
    let config = initial_config(&configs)?;
    let pid_file = write_pid_file(&settings.daemon.pid)?;
    info!(target: "daemon", "ferrobgp {} starting with {} neighbor(s)", settings.version, config.neighbors.len());

    // Bounded: a reader thread that gets ahead of the reactor waits (and TCP pushes back on
    // the peer) instead of holding a whole table of decoded messages in memory.
    let sessions = crossbeam_channel::bounded(SESSION_EVENTS);
    let helpers = crossbeam_channel::unbounded();
    let (signal_tx, signals) = crossbeam_channel::unbounded();
    let (incoming_tx, incoming) = crossbeam_channel::unbounded();
    let _signals =
        signal::spawn(signal_tx).map_err(|e| DaemonError::Io("cannot watch signals".into(), e))?;

    let mut addrs: Vec<SocketAddr> = settings
        .tcp
        .bind
        .iter()
        .map(|ip| SocketAddr::new(*ip, settings.tcp.port))
        .collect();
    for n in &config.neighbors {
        if let (Some(port), Some(local)) = (n.listen, n.local_address) {
            let addr = SocketAddr::new(local, port);
            if !addrs.contains(&addr) {
                addrs.push(addr);
            }
        }
    }
    let _listener = if addrs.is_empty() {
        None
    } else {
        let mut md5 = Vec::new();
        for n in &config.neighbors {
            if let Some(password) = &n.md5_password {
                let key = crate::peer::sockopt::md5_key(password, n.md5_base64).map_err(|e| {
                    DaemonError::Io(
                        format!("neighbor {}", n.peer_address),
                        std::io::Error::other(e),
                    )
                })?;
                md5.push((n.peer_address, key));
            }
        }
        let l = listener::spawn(&addrs, &md5, incoming_tx)
            .map_err(|e| DaemonError::Io("cannot start the listener".into(), e))?;
        for a in &l.addresses {
            info!(target: "network", "listening on {a}");
        }
        Some(l)
    };
    if config.neighbors.is_empty() {
        warn!(target: "configuration", "no neighbor configured");
    }

    let mut reactor = Reactor::new(
        settings,
        configs,
        config,
        Inputs {
            sessions,
            helpers,
            signals,
            incoming,
        },
    );
    reactor.run();
    if let Some(path) = pid_file {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// Write our pid to `exabgp.daemon.pid` (init scripts signal the daemon through it); it is
/// removed again on a clean exit.
fn write_pid_file(path: &str) -> Result<Option<PathBuf>, DaemonError> {
    if path.is_empty() {
        return Ok(None);
    }
    let path = PathBuf::from(path);
    std::fs::write(&path, format!("{}\n", std::process::id()))
        .map_err(|e| DaemonError::Io(format!("cannot write the pid file {}", path.display()), e))?;
    Ok(Some(path))
}
