//! ferrobgp: command line -> settings (with the flags folded in) -> logging -> subcommand.
//! Exit codes: 0 ok, 1 configuration or runtime failure, 2 usage error (from clap).

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ExitCode};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use ferrobgp::cli::{self, Command, EnvArgs, ServerArgs, ValidateArgs};
use ferrobgp::daemon;
use ferrobgp::env::{self, Settings};
use ferrobgp::logging::{self, Destination};

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        // Usage errors exit 2; --help and --version print and exit 0.
        Err(error) => error.exit(),
    };
    match run(cli.command, cli.env_file) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("ferrobgp: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, env_file: Option<PathBuf>) -> Result<ExitCode, Error> {
    // A helper of its own, with its own logging: no exabgp.* settings apply to it.
    if let Command::Healthcheck(args) = &command {
        return Ok(ferrobgp::healthcheck::run(&args.args));
    }
    let mut settings = Settings::load(env_file.as_deref())?;
    match command {
        Command::Server(args) => server(settings, &args, env_file.as_deref()),
        Command::Validate(args) => {
            args.apply(&mut settings);
            logging::init(&settings)?;
            validate(&args)
        }
        Command::Env(args) => print_env(&settings, &args),
        Command::Version => print_lines(&cli::version_lines(&settings.version)),
        Command::Decode(args) => Ok(decode(&args)),
        Command::Cli(args) => {
            let name = if settings.api.pipename.is_empty() {
                "exabgp"
            } else {
                settings.api.pipename.as_str()
            };
            Ok(ExitCode::from(ferrobgp::cli_client::run(&args.args, name)))
        }
        Command::Healthcheck(args) => Ok(ferrobgp::healthcheck::run(&args.args)),
    }
}

/// `decode`: stdout as ExaBGP prints it, the reason for a failure on stderr, exit 0 or 1.
fn decode(args: &cli::DecodeArgs) -> ExitCode {
    let outcome = ferrobgp::decode::run(args);
    // A closed stdout (decode | head) is not worth reporting.
    let _ = io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = io::stdout().flush();
    let _ = io::stderr().write_all(outcome.stderr.as_bytes());
    if outcome.success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Configuration names made absolute, or the first one that is not a file.
fn config_paths(names: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let root = env::root();
    let cwd = std::env::current_dir()?;
    names
        .iter()
        .map(|name| cli::config_path(name, &root, &cwd).map_err(Error::from))
        .collect()
}

fn server(
    mut settings: Settings,
    args: &ServerArgs,
    env_file: Option<&Path>,
) -> Result<ExitCode, Error> {
    args.apply(&mut settings);
    let configs = config_paths(&args.configuration)?;
    // The parent of per-file daemons only waits; each child logs for itself.
    if configs.len() > 1 && !settings.debug.rotate {
        return one_daemon_per_config(&settings, args, env_file, &configs);
    }
    logging::init(&settings)?;

    log::info!(target: "daemon", "Thank you for using ferrobgp");
    log::debug!(
        target: "daemon",
        "version {} (ExaBGP {})",
        env!("CARGO_PKG_VERSION"),
        settings.version
    );
    log::debug!(target: "daemon", "location {}", env::root().display());
    if let (false, Some(path)) = (settings.env_file_loaded, &settings.env_file) {
        log::warn!(
            target: "configuration",
            "environment file {0} missing; generate it with \"ferrobgp env > {0}\"",
            path.display()
        );
    }
    if let Some(seconds) = args.signal {
        reload_after(seconds);
    }
    daemon::run(settings, configs)?;
    Ok(ExitCode::SUCCESS)
}

/// `-s N`: a SIGUSR1 to ourselves after N seconds, to exercise a reload.
fn reload_after(seconds: u64) {
    let spawned = std::thread::Builder::new()
        .name("reload timer".into())
        .spawn(move || {
            std::thread::sleep(Duration::from_secs(seconds));
            log::info!(target: "reactor", "sending SIGUSR1 to ourselves (--signal {seconds})");
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGUSR1);
        });
    if let Err(error) = spawned {
        log::error!(target: "reactor", "cannot start the --signal timer: {error}");
    }
}

/// Several configurations without `debug.rotate`: one daemon process per file, as ExaBGP
/// forks one per file; we wait for them all and fail if any failed.
fn one_daemon_per_config(
    settings: &Settings,
    args: &ServerArgs,
    env_file: Option<&Path>,
    configs: &[PathBuf],
) -> Result<ExitCode, Error> {
    if let (Destination::File(_), _) = Destination::parse(&settings.log.destination) {
        return Err("cannot log to a file when running several configurations \
                    (each runs in its own process); use syslog or set exabgp.debug.rotate"
            .into());
    }
    // Like ExaBGP's parent, survive ^C and keep waiting: the children receive it too and stop.
    signal_hook::flag::register(
        signal_hook::consts::SIGINT,
        Arc::new(AtomicBool::new(false)),
    )?;
    let exe = std::env::current_exe()?;
    let mut children: Vec<Child> = Vec::new();
    for conf in configs {
        let child_args: Vec<OsString> = args.child_args(conf, env_file);
        match std::process::Command::new(&exe).args(child_args).spawn() {
            Ok(child) => children.push(child),
            Err(error) => {
                for child in &mut children {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                return Err(
                    format!("cannot start a daemon for {}: {error}", conf.display()).into(),
                );
            }
        }
    }
    let mut failed = false;
    for mut child in children {
        failed |= !child.wait()?.success();
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `validate`: everything is logged, as ExaBGP does; the first failing file ends the run
/// with status 1 (and `error: ...` on stderr when it could not be loaded).
fn validate(args: &ValidateArgs) -> Result<ExitCode, Error> {
    let options = ferrobgp::validate::Options {
        neighbor: args.neighbor,
        route: args.route,
    };
    let cwd = std::env::current_dir()?;
    match ferrobgp::validate::run(&args.configuration, options, &env::root(), &cwd) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(failure) => {
            if failure.to_stderr {
                eprintln!("error: {failure}");
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

fn print_env(settings: &Settings, args: &EnvArgs) -> Result<ExitCode, Error> {
    let lines = if args.env {
        env::env_lines(settings, args.diff)
    } else {
        env::ini_lines(settings, args.diff)
    };
    print_lines(&lines)
}

/// Write to stdout; a closed pipe (`ferrobgp env | head`) ends quietly with status 1.
fn print_lines(lines: &[String]) -> Result<ExitCode, Error> {
    let mut out = io::stdout().lock();
    let written = lines
        .iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::FAILURE),
        Err(error) => Err(error.into()),
    }
}
