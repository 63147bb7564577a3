//! Signals as ExaBGP 5.0 maps them, turned into channel messages for the reactor:
//! USR1 reload, USR2 reload and restart helpers, ALRM restart, TERM/INT/HUP shutdown.

use std::io;
use std::thread;

use crossbeam_channel::Sender;
use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2};
use signal_hook::iterator::Signals;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Reload,
    ReloadRestartHelpers,
    Restart,
    /// Carries the signal number, for the log.
    Shutdown(i32),
}

impl Signal {
    pub fn from_raw(sig: i32) -> Option<Signal> {
        Some(match sig {
            SIGUSR1 => Signal::Reload,
            SIGUSR2 => Signal::ReloadRestartHelpers,
            SIGALRM => Signal::Restart,
            SIGTERM | SIGINT | SIGHUP => Signal::Shutdown(sig),
            _ => return None,
        })
    }
}

/// Stops the signal thread when dropped or closed.
pub struct Handle(signal_hook::iterator::Handle);

impl Handle {
    pub fn close(&self) {
        self.0.close();
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Start the thread that forwards signals to `tx`.
pub fn spawn(tx: Sender<Signal>) -> io::Result<Handle> {
    let mut signals = Signals::new([SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGINT, SIGHUP])?;
    let handle = signals.handle();
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for raw in signals.forever() {
                if let Some(sig) = Signal::from_raw(raw) {
                    if tx.send(sig).is_err() {
                        break;
                    }
                }
            }
        })?;
    Ok(Handle(handle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn usr1_reaches_the_channel_as_reload() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let _handle = spawn(tx).unwrap();
        signal_hook::low_level::raise(SIGUSR1).unwrap();
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)), Ok(Signal::Reload));
    }

    #[test]
    fn hup_is_shutdown_not_reload() {
        assert_eq!(Signal::from_raw(SIGHUP), Some(Signal::Shutdown(SIGHUP)));
    }
}
