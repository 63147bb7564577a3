//! `ferrobgp healthcheck`: ExaBGP's anycast healthcheck helper. Run from a `process` block, it
//! runs a check command periodically and tells the daemon on stdout to announce the service
//! addresses with a MED for the service's state (or to withdraw them), waiting for each ack.
//!
//! `argv` holds the mapping from `python3 -m exabgp healthcheck ...` run lines to this
//! subcommand; `options` the command line, `fsm` the state machine, `announce` the commands,
//! `system` what touches the host.

pub mod announce;
pub mod argv;
pub mod fsm;
pub mod network;
pub mod options;
mod spec;
pub mod system;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use argv::{rewrite_exabgp_argv, rewrite_exabgp_argv_with};
use fsm::{Machine, State};
use options::{Options, Parsed};
use system::{IpSetup, Level, Logger};

/// Run the healthcheck with the arguments that follow `healthcheck`.
pub fn run(args: &[String]) -> ExitCode {
    let options = match options::parse(args) {
        Ok(Parsed::Run(options)) => *options,
        Ok(Parsed::Help) => {
            print!("{}", options::help());
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("usage: ferrobgp healthcheck [options]  (see --help)");
            eprintln!("ferrobgp healthcheck: error: {error}");
            return ExitCode::from(2);
        }
    };
    let log = Logger::new(
        options.debug,
        options.silent,
        !options.no_syslog,
        &options.syslog_facility,
        options.name.as_deref(),
    );
    match Healthcheck::start(options, log) {
        Ok(mut healthcheck) => healthcheck.run(),
        Err((log, message)) => {
            log.log(Level::Error, &message);
            ExitCode::FAILURE
        }
    }
}

struct Healthcheck {
    options: Options,
    log: Logger,
    stop: Arc<AtomicBool>,
    /// Acks are read unless `--no-ack` or stdout is a terminal (someone trying it by hand).
    read_acks: bool,
}

impl Healthcheck {
    /// Everything before the loop: pid file, addresses, ip setup, privileges, signals.
    fn start(mut options: Options, log: Logger) -> Result<Healthcheck, (Logger, String)> {
        if let Some(path) = &options.pid {
            if let Err(error) = system::write_pid(path) {
                return Err((log, format!("cannot write {}: {error}", path.display())));
            }
        }
        if options.ips.is_empty() {
            options.ips = system::system_ips(
                &options.ip_ifnames,
                options.label.as_deref(),
                options.label_exact_match,
                &log,
            );
        }
        if options.ips.is_empty() {
            return Err((log, "No IP found".into()));
        }
        if options.ip_setup {
            if let Err(error) = ip_setup(&options).setup(&log) {
                return Err((log, error));
            }
        }
        if let Err(error) =
            system::drop_privileges(options.user.as_deref(), options.group.as_deref())
        {
            return Err((log, error));
        }
        if options.deaggregate_networks {
            let mut hosts = Vec::new();
            for net in &options.ips {
                match net.hosts() {
                    Ok(list) => hosts.extend(list),
                    Err(error) => return Err((log, error.to_string())),
                }
            }
            options.ips = hosts;
        }
        rotate(&mut options.ips, options.start_ip);
        let stop = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
            if let Err(error) = signal_hook::flag::register(signal, Arc::clone(&stop)) {
                return Err((log, format!("cannot handle signal {signal}: {error}")));
            }
        }
        let read_acks = !options.no_ack && !std::io::stdout().is_terminal();
        Ok(Healthcheck {
            options,
            log,
            stop,
            read_acks,
        })
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// The check loop, until told to stop (withdrawing first), `--interval 0` made its one
    /// announcement, or the daemon went away.
    fn run(&mut self) -> ExitCode {
        let mut machine = Machine::new(self.options.rise, self.options.fall);
        loop {
            if self.stopping() {
                return self.leave();
            }
            let disabled = self.options.disable.as_ref().is_some_and(|f| f.exists());
            let successful = disabled
                || system::check(
                    self.options.command.as_deref(),
                    self.options.timeout,
                    &self.log,
                );
            let before = machine.state;
            if let Some(target) = machine.step(disabled, successful) {
                self.hooks(target);
            }
            if self.stopping() {
                return self.leave();
            }
            // Re-announced every round unless --debounce, so a peer that reconnected to a
            // daemon without adj-rib-out still learns the routes.
            if !self.options.debounce || machine.state != before {
                if let Err(error) = self.tell(machine.state) {
                    // As ExaBGP's healthcheck, which dies on the broken pipe: an orphan
                    // checking forever for nobody would be worse.
                    self.log.log(
                        Level::Error,
                        &format!("cannot write to the daemon, exiting: {error}"),
                    );
                    return ExitCode::FAILURE;
                }
            }
            let wait = if machine.settling() {
                self.options.fast
            } else if self.options.interval == 0.0 {
                self.log.log(
                    Level::Info,
                    "interval set to zero, exiting after the announcement",
                );
                return ExitCode::SUCCESS;
            } else {
                self.options.interval
            };
            self.sleep(wait);
        }
    }

    /// SIGTERM or SIGINT: withdraw, then exit successfully (the daemon being gone already is
    /// the usual reason, so a failed write is not an error here).
    fn leave(&self) -> ExitCode {
        let _ = self.tell(State::Exit);
        ExitCode::SUCCESS
    }

    /// Sleep in short slices so SIGTERM is acted on promptly.
    fn sleep(&self, seconds: f64) {
        let total = Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX);
        let started = Instant::now();
        while !self.stopping() {
            let left = total.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
    }

    fn hooks(&self, target: State) {
        self.log
            .log(Level::Debug, &format!("Transition to {target}"));
        let specific: &[String] = match target {
            State::Up => &self.options.up_execute,
            State::Down => &self.options.down_execute,
            State::Disabled => &self.options.disabled_execute,
            _ => &[],
        };
        let all: Vec<String> = specific
            .iter()
            .chain(&self.options.execute)
            .cloned()
            .collect();
        system::execute(&all, target.name(), &self.log);
    }

    /// Send the commands for `state`, then add or remove the addresses on the interfaces as
    /// `--dynamic-ip-setup` (or leaving, `--ip-setup`) asks.
    fn tell(&self, state: State) -> std::io::Result<()> {
        if !announce::announces(state) {
            return Ok(());
        }
        if state == State::Up && self.options.ip_dynamic {
            self.log.log(
                Level::Info,
                "service up, restoring loopback and ip-ifname ips",
            );
            if let Err(error) = ip_setup(&self.options).setup(&self.log) {
                self.log.log(Level::Error, &error);
            }
        }
        self.log.log(
            Level::Info,
            &format!("send announces for {state} state to ExaBGP"),
        );
        let mut stdout = std::io::stdout().lock();
        let mut stdin = std::io::stdin().lock();
        for command in announce::commands(&self.options, state) {
            self.log.log(Level::Debug, &format!("exabgp: {command}"));
            let written = writeln!(stdout, "{command}").and_then(|()| stdout.flush());
            if let Err(error) = written {
                self.cleanup(state);
                return Err(error);
            }
            if self.read_acks {
                let mut ack = String::new();
                let _ = stdin.read_line(&mut ack);
            }
        }
        self.cleanup(state);
        Ok(())
    }

    /// Remove the addresses set up on the interfaces when leaving (with ip setup) or, with
    /// `--dynamic-ip-setup`, when the service goes down or is disabled.
    fn cleanup(&self, state: State) {
        let leaving = state == State::Exit && (self.options.ip_dynamic || self.options.ip_setup);
        let down = matches!(state, State::Down | State::Disabled) && self.options.ip_dynamic;
        if leaving || down {
            self.log.log(Level::Info, "deleting setup ips");
            ip_setup(&self.options).remove(&self.log);
        }
    }
}

fn ip_setup(options: &Options) -> IpSetup<'_> {
    IpSetup {
        ips: &options.ips,
        ip_ifnames: &options.ip_ifnames,
        label: options.label.as_deref(),
        exact: options.label_exact_match,
        sudo: options.sudo,
    }
}

/// `--start-ip N`: begin the list (and so the lowest metric) at its Nth address.
fn rotate<T>(list: &mut [T], start: i64) {
    let Ok(len) = i64::try_from(list.len()) else {
        return;
    };
    if len == 0 {
        return;
    }
    let by = usize::try_from(start.rem_euclid(len)).unwrap_or(0);
    list.rotate_left(by);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_ip_rotates_like_a_deque() {
        let mut list = [1, 2, 3, 4];
        rotate(&mut list, 1);
        assert_eq!(list, [2, 3, 4, 1]);
        let mut list = [1, 2, 3, 4];
        rotate(&mut list, -1);
        assert_eq!(list, [4, 1, 2, 3]);
        let mut list = [1, 2, 3];
        rotate(&mut list, 7);
        assert_eq!(list, [2, 3, 1]);
        let mut empty: [u8; 0] = [];
        rotate(&mut empty, 3);
    }
}
