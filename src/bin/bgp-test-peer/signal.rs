//! Sending a `signal:` rule's signal to the daemon (suite README §4.4), whose pid comes
//! from the command line or from a file the runner writes after spawning the daemon.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum PidSource {
    Fixed(i32),
    /// Re-read at every signal: the runner writes it after the peer has started.
    File(PathBuf),
    None,
}

#[derive(Debug)]
pub enum SignalError {
    UnknownSignal(String),
    NoPid,
    PidFile(PathBuf, String),
    Kill {
        pid: i32,
        signal: String,
        err: std::io::Error,
    },
}

impl fmt::Display for SignalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignalError::UnknownSignal(name) => write!(f, "unknown signal {name:?}"),
            SignalError::NoPid => write!(f, "no daemon pid: pass --pid or --pid-file"),
            SignalError::PidFile(path, why) => {
                write!(
                    f,
                    "cannot read the daemon pid from {}: {why}",
                    path.display()
                )
            }
            SignalError::Kill { pid, signal, err } => {
                write!(f, "cannot send {signal} to pid {pid}: {err}")
            }
        }
    }
}

impl std::error::Error for SignalError {}

fn number(name: &str) -> Option<i32> {
    use signal_hook::consts::signal::*;
    let name = name.strip_prefix("SIG").unwrap_or(name);
    Some(match name {
        "USR1" => SIGUSR1,
        "USR2" => SIGUSR2,
        "HUP" => SIGHUP,
        "INT" => SIGINT,
        "TERM" => SIGTERM,
        "ALRM" => SIGALRM,
        "KILL" => SIGKILL,
        "QUIT" => SIGQUIT,
        _ => return None,
    })
}

impl PidSource {
    fn pid(&self) -> Result<i32, SignalError> {
        match self {
            PidSource::Fixed(pid) => Ok(*pid),
            PidSource::None => Err(SignalError::NoPid),
            PidSource::File(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| SignalError::PidFile(path.clone(), e.to_string()))?;
                let text = text.trim();
                text.parse::<i32>()
                    .ok()
                    .filter(|pid| *pid > 0)
                    .ok_or_else(|| {
                        SignalError::PidFile(path.clone(), format!("{text:?} is not a pid"))
                    })
            }
        }
    }

    /// Sends `name` (`SIGUSR1`, case-insensitive) to the daemon; returns the pid used.
    pub fn send(&self, name: &str) -> Result<i32, SignalError> {
        let upper = name.to_ascii_uppercase();
        let signal = number(&upper).ok_or_else(|| SignalError::UnknownSignal(upper.clone()))?;
        let pid = self.pid()?;
        kill(pid, signal).map_err(|err| SignalError::Kill {
            pid,
            signal: upper,
            err,
        })?;
        Ok(pid)
    }
}

fn kill(pid: i32, signal: i32) -> std::io::Result<()> {
    extern "C" {
        fn kill(pid: i32, sig: i32) -> i32;
    }
    // SAFETY: kill(2) takes two integers and touches no memory of ours; pid > 0 is checked
    // by the caller so it never targets a process group.
    let rc = unsafe { kill(pid, signal) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names() {
        assert_eq!(number("SIGUSR1"), Some(signal_hook::consts::SIGUSR1));
        assert_eq!(number("TERM"), Some(signal_hook::consts::SIGTERM));
        assert_eq!(number("SIGFOO"), None);
    }

    #[test]
    fn pid_file_is_read_and_validated() {
        let path = std::env::temp_dir().join(format!("bgp-test-peer-pid-{}", std::process::id()));
        std::fs::write(&path, "4242\n").unwrap();
        assert_eq!(PidSource::File(path.clone()).pid().unwrap(), 4242);
        std::fs::write(&path, "-1").unwrap();
        assert!(PidSource::File(path.clone()).pid().is_err());
        std::fs::remove_file(&path).unwrap();
        assert!(PidSource::File(path).pid().is_err());
        assert!(matches!(
            PidSource::None.send("SIGUSR1"),
            Err(SignalError::NoPid)
        ));
        assert!(matches!(
            PidSource::Fixed(1).send("SIGNOPE"),
            Err(SignalError::UnknownSignal(_))
        ));
    }

    #[test]
    fn sends_a_real_signal_to_a_child() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = child.id() as i32;
        assert_eq!(PidSource::Fixed(pid).send("sigterm").unwrap(), pid);
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(signal_hook::consts::SIGTERM));
    }
}
