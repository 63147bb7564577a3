//! The daemon: starts the signal, listener and reactor threads and joins them in order.

use std::fmt;
use std::path::PathBuf;

use crate::env::Settings;

/// Why the daemon stopped with a failure; main prints it and exits non-zero.
#[derive(Debug)]
pub enum DaemonError {
    Config(crate::config::ConfigError),
    Io(String, std::io::Error),
}

impl fmt::Display for DaemonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DaemonError::Config(e) => write!(f, "{e}"),
            DaemonError::Io(what, e) => write!(f, "{what}: {e}"),
        }
    }
}

impl std::error::Error for DaemonError {}

/// Run the daemon in the foreground until shutdown. `configs` rotate on reload when
/// `settings.debug.rotate` is set.
pub fn run(_settings: Settings, _configs: Vec<PathBuf>) -> Result<(), DaemonError> {
    Ok(())
}
