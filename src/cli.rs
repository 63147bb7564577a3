//! The command line, as ExaBGP 5.0 spells it: `server`, `validate`, `env`, `version`,
//! `decode` (plus `cli` and `healthcheck`, not written yet), and the 4.x form where the
//! first argument is a configuration file (`ferrobgp -d -p conf`) meaning `server`.

use std::ffi::OsString;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::env::{Level, Settings};

/// Subcommand names; any other first argument makes the command line a `server` one.
pub const SUBCOMMANDS: [&str; 7] = [
    "version",
    "cli",
    "healthcheck",
    "decode",
    "server",
    "env",
    "validate",
];

#[derive(Parser, Debug)]
#[command(
    name = "ferrobgp",
    version,
    about = "A BGP speaker, drop-in replacement for ExaBGP 5.0",
    after_help = "A configuration file can be given directly:\n  \
                  ferrobgp CONF...   (same as: ferrobgp server CONF...)\n\n\
                  Settings come from exabgp.<section>.<key> / exabgp_<section>_<key> environment\n\
                  variables, then the env file; `ferrobgp env` prints them."
)]
pub struct Cli {
    /// INI settings file (default: $EXABGP_ENVFILE, else <root>/etc/exabgp/exabgp.env)
    #[arg(long, global = true, value_name = "FILE")]
    pub env_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the BGP daemon
    Server(ServerArgs),
    /// Check configuration files and exit
    Validate(ValidateArgs),
    /// Print the exabgp.* settings in effect
    Env(EnvArgs),
    /// Print version information
    Version,
    /// Decode a hex-encoded BGP message to JSON
    Decode(DecodeArgs),
    /// Send a command to a running daemon through its named pipes
    Cli(PassThrough),
    /// Announce or withdraw service addresses from a check command (`healthcheck --help`)
    #[command(disable_help_flag = true)]
    Healthcheck(PassThrough),
}

#[derive(Args, Debug, Default, Clone, PartialEq, Eq)]
pub struct ServerArgs {
    /// Log everything: log.all, level DEBUG, long format
    #[arg(short, long)]
    pub verbose: bool,
    /// As --verbose (ExaBGP also starts its debugger; accepted for compatibility)
    #[arg(short, long)]
    pub debug: bool,
    /// Send ourselves SIGUSR1 (reload) after N seconds, to exercise reloads
    #[arg(short, long, value_name = "N")]
    pub signal: Option<u64>,
    /// Make only one connection attempt per peer (tcp.attempts = 1)
    #[arg(short = '1', long)]
    pub once: bool,
    /// Accepted for compatibility, no effect (ExaBGP's debugger)
    #[arg(short, long)]
    pub pdb: bool,
    /// Make every neighbor passive: only accept incoming connections (bgp.passive)
    #[arg(short = 'P', long)]
    pub passive: bool,
    /// Accepted for compatibility, no effect (ExaBGP's memory report)
    #[arg(short, long)]
    pub memory: bool,
    /// Accepted for compatibility, ignored (ExaBGP's Python profiler output)
    #[arg(long, value_name = "FILE")]
    pub profile: Option<String>,
    /// Configuration file(s): one daemon per file, or one rotating through them on reload
    /// when exabgp.debug.rotate is set
    #[arg(value_name = "CONF", required = true)]
    pub configuration: Vec<PathBuf>,
}

#[derive(Args, Debug, Default, Clone, PartialEq, Eq)]
pub struct ValidateArgs {
    /// Also check the neighbors
    #[arg(short, long)]
    pub neighbor: bool,
    /// Also check the routes
    #[arg(short, long)]
    pub route: bool,
    /// Verbose: log.all, level DEBUG, log.parser
    #[arg(short, long)]
    pub verbose: bool,
    /// Accepted for compatibility, no effect
    #[arg(short, long)]
    pub pdb: bool,
    #[arg(value_name = "CONF", required = true)]
    pub configuration: Vec<PathBuf>,
}

#[derive(Args, Debug, Default, Clone, PartialEq, Eq)]
pub struct EnvArgs {
    /// Only settings that differ from the defaults
    #[arg(short, long)]
    pub diff: bool,
    /// Print as exabgp.section.key=value lines instead of INI
    #[arg(short, long)]
    pub env: bool,
}

#[derive(Args, Debug, Default, Clone, PartialEq, Eq)]
pub struct DecodeArgs {
    /// The data is NLRI only
    #[arg(short, long)]
    pub nlri: bool,
    /// The data is an UPDATE message (accepted, no effect)
    #[arg(short, long)]
    pub update: bool,
    /// The data is an OPEN message (accepted, no effect)
    #[arg(short, long)]
    pub open: bool,
    /// Accepted for compatibility, no effect
    #[arg(short, long)]
    pub debug: bool,
    /// Accepted for compatibility, no effect
    #[arg(short, long)]
    pub pdb: bool,
    /// Take families and capabilities from this configuration file
    #[arg(short, long, value_name = "CONF")]
    pub configuration: Option<PathBuf>,
    /// Expected family, like "ipv4 unicast"
    #[arg(short, long, value_name = "FAMILY")]
    pub family: Option<String>,
    /// Decode with ADD-PATH path identifiers
    #[arg(short = 'i', long)]
    pub path_information: bool,
    /// The message in hexadecimal; colons and blanks are ignored
    #[arg(value_name = "HEX", required = true)]
    pub payload: Vec<String>,
}

#[derive(Args, Debug, Default, Clone, PartialEq, Eq)]
pub struct PassThrough {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

impl ServerArgs {
    /// Fold the flags into the settings, as ExaBGP does before starting its logger.
    pub fn apply(&self, settings: &mut Settings) {
        if self.verbose || self.debug {
            settings.log.all = true;
            settings.log.level = Level::Debug;
            settings.log.short = false;
        }
        if self.debug || self.pdb {
            settings.debug.pdb = true;
        }
        if let Some(file) = &self.profile {
            settings.profile.enable = true;
            settings.profile.file = file.clone();
        }
        // ExaBGP 5.0 sets tcp.once here and then never reads it; one attempt is what -1 means.
        if self.once {
            settings.tcp.once = true;
            settings.tcp.attempts = 1;
        }
        if self.memory {
            settings.debug.memory = true;
        }
        if self.passive {
            settings.bgp.passive = true;
        }
    }

    /// The arguments for a child `server` run on one configuration file (several files
    /// without `debug.rotate` run one daemon each).
    pub fn child_args(&self, conf: &Path, env_file: Option<&Path>) -> Vec<OsString> {
        let mut args: Vec<OsString> = Vec::new();
        if let Some(file) = env_file {
            args.push("--env-file".into());
            args.push(file.into());
        }
        args.push("server".into());
        let flags = [
            (self.verbose, "--verbose"),
            (self.debug, "--debug"),
            (self.once, "--once"),
            (self.pdb, "--pdb"),
            (self.passive, "--passive"),
            (self.memory, "--memory"),
        ];
        args.extend(
            flags
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, f)| OsString::from(f)),
        );
        if let Some(file) = &self.profile {
            args.push("--profile".into());
            args.push(file.into());
        }
        args.push("--".into());
        args.push(conf.into());
        args
    }
}

impl ValidateArgs {
    pub fn apply(&self, settings: &mut Settings) {
        if self.verbose {
            settings.log.all = true;
            settings.log.level = Level::Debug;
            settings.log.parser = true;
        }
        if self.pdb {
            settings.debug.pdb = true;
        }
    }
}

/// ExaBGP 4.x compatibility: when the first argument (after any `--env-file FILE`) is not
/// a subcommand, insert `server` before it, unless help or version is asked for.
pub fn rewrite(mut args: Vec<OsString>) -> Vec<OsString> {
    let asks_help = args.iter().skip(1).any(|a| a == "-h" || a == "--help");
    let mut first = 1;
    while let Some(arg) = args.get(first) {
        if arg == "--env-file" {
            first += 2;
        } else if arg.to_str().is_some_and(|a| a.starts_with("--env-file=")) {
            first += 1;
        } else {
            break;
        }
    }
    let Some(arg) = args.get(first) else {
        return args;
    };
    let keep = asks_help
        || arg == "-V"
        || arg == "--version"
        || arg.to_str().is_some_and(|a| SUBCOMMANDS.contains(&a));
    if !keep {
        args.insert(first, "server".into());
    }
    args
}

/// Parse a full argv (program name first), applying the 4.x rewrite.
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    Cli::try_parse_from(rewrite(args.into_iter().map(Into::into).collect()))
}

/// A configuration file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAConfig(pub PathBuf);

impl fmt::Display for NotAConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not an exabgp config file (file not found)",
            self.0.display()
        )
    }
}

impl std::error::Error for NotAConfig {}

/// Where a configuration named on the command line lives, as ExaBGP finds it: a name
/// starting `etc/exabgp/` is looked up under `root`, others against `cwd`; the result is
/// absolute and lexically normalised but symlinks are kept (users swap configs by symlink,
/// and a reload must reread the link, not its old target).
pub fn config_path(name: &Path, root: &Path, cwd: &Path) -> Result<PathBuf, NotAConfig> {
    let candidate = match name.strip_prefix("etc/exabgp") {
        Ok(rest) => root.join("etc").join("exabgp").join(rest),
        Err(_) => cwd.join(name),
    };
    let absolute = normalise(&candidate);
    if absolute.is_file() {
        Ok(absolute)
    } else {
        Err(NotAConfig(name.to_path_buf()))
    }
}

/// Drop `.` and resolve `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `ferrobgp version`: our own line, then ExaBGP's layout (scripts grep `ExaBGP :`);
/// `version` is the ExaBGP version we claim (`exabgp_version` overrides it).
pub fn version_lines(version: &str) -> Vec<String> {
    let kernel = |name: &str| {
        std::fs::read_to_string(Path::new("/proc/sys/kernel").join(name))
            .map(|text| text.trim().to_string())
            .unwrap_or_default()
    };
    let ostype = Some(kernel("ostype"))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    let uname = [
        ostype,
        kernel("hostname"),
        kernel("osrelease"),
        kernel("version"),
        std::env::consts::ARCH.to_string(),
    ]
    .join(" ");
    let from = std::env::current_exe()
        .map(|exe| exe.display().to_string())
        .unwrap_or_default();
    vec![
        format!("ferrobgp {}", env!("CARGO_PKG_VERSION")),
        format!("ExaBGP : {version}"),
        format!("Uname  : {uname}"),
        format!("From   : {from}"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    fn parsed(words: &[&str]) -> Cli {
        match parse(words) {
            Ok(cli) => cli,
            Err(e) => panic!("{words:?}: {e}"),
        }
    }

    #[test]
    fn bare_configuration_means_server() {
        assert_eq!(
            rewrite(argv(&["f", "a.conf"])),
            argv(&["f", "server", "a.conf"])
        );
        assert_eq!(
            rewrite(argv(&["f", "-d", "-p", "a.conf"])),
            argv(&["f", "server", "-d", "-p", "a.conf"])
        );
        assert_eq!(
            rewrite(argv(&["f", "--env-file", "x.env", "a.conf"])),
            argv(&["f", "--env-file", "x.env", "server", "a.conf"])
        );
        assert_eq!(
            rewrite(argv(&["f", "env", "-d"])),
            argv(&["f", "env", "-d"])
        );
        assert_eq!(
            rewrite(argv(&["f", "a.conf", "-h"])),
            argv(&["f", "a.conf", "-h"])
        );
        assert_eq!(rewrite(argv(&["f"])), argv(&["f"]));
    }

    #[test]
    fn suite_runner_command_line_parses() {
        let cli = parsed(&["ferrobgp", "-d", "-p", "one.conf", "two.conf"]);
        let Command::Server(server) = cli.command else {
            panic!("not a server command");
        };
        assert!(server.debug && server.pdb && !server.verbose);
        assert_eq!(
            server.configuration,
            vec![PathBuf::from("one.conf"), PathBuf::from("two.conf")]
        );
    }

    #[test]
    fn server_flags_fold_into_settings() {
        let cli = parsed(&[
            "ferrobgp",
            "server",
            "-1",
            "-P",
            "-v",
            "--profile",
            "p",
            "c.conf",
        ]);
        let Command::Server(server) = cli.command else {
            panic!("not a server command");
        };
        let mut settings = Settings::default();
        server.apply(&mut settings);
        assert_eq!(settings.tcp.attempts, 1);
        assert!(settings.bgp.passive && settings.log.all && !settings.log.short);
        assert_eq!(settings.log.level, Level::Debug);
        assert!(settings.profile.enable);
        assert!(!settings.debug.pdb);
    }

    #[test]
    fn env_file_is_global() {
        let cli = parsed(&["ferrobgp", "env", "--env-file", "x.env", "-d", "-e"]);
        assert_eq!(cli.env_file, Some(PathBuf::from("x.env")));
        assert!(matches!(
            cli.command,
            Command::Env(EnvArgs {
                diff: true,
                env: true
            })
        ));
        let cli = parsed(&["ferrobgp", "--env-file=y.env", "c.conf"]);
        assert_eq!(cli.env_file, Some(PathBuf::from("y.env")));
        assert!(matches!(cli.command, Command::Server(_)));
    }

    #[test]
    fn decode_and_validate_flags() {
        let cli = parsed(&[
            "ferrobgp",
            "decode",
            "-n",
            "-f",
            "ipv4 unicast",
            "-i",
            "FFFF",
            "00",
        ]);
        let Command::Decode(decode) = cli.command else {
            panic!("not decode");
        };
        assert!(decode.nlri && decode.path_information);
        assert_eq!(decode.family.as_deref(), Some("ipv4 unicast"));
        assert_eq!(decode.payload, vec!["FFFF".to_string(), "00".to_string()]);
        let cli = parsed(&["ferrobgp", "validate", "-nrv", "a.conf"]);
        assert!(matches!(
            cli.command,
            Command::Validate(ValidateArgs {
                neighbor: true,
                route: true,
                verbose: true,
                ..
            })
        ));
    }

    #[test]
    fn usage_errors_are_clap_errors() {
        assert!(parse(["ferrobgp", "server", "--frobnicate", "c.conf"]).is_err());
        assert!(parse(["ferrobgp", "server"]).is_err());
        assert!(parse(["ferrobgp", "env", "extra"]).is_err());
    }

    #[test]
    fn child_args_reparse_to_the_same_flags() {
        let cli = parsed(&["ferrobgp", "server", "-d", "-1", "a.conf", "b.conf"]);
        let Command::Server(server) = cli.command else {
            panic!("not a server command");
        };
        let mut child = vec![OsString::from("ferrobgp")];
        child.extend(server.child_args(Path::new("/x/-odd.conf"), Some(Path::new("e.env"))));
        let again = parsed_os(child);
        assert_eq!(again.env_file, Some(PathBuf::from("e.env")));
        let Command::Server(again) = again.command else {
            panic!("not a server command");
        };
        assert_eq!(again.configuration, vec![PathBuf::from("/x/-odd.conf")]);
        assert!(again.debug && again.once && !again.passive);
    }

    fn parsed_os(args: Vec<OsString>) -> Cli {
        match parse(args) {
            Ok(cli) => cli,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn version_names_both_programs() {
        let lines = version_lines("5.0.0-0+test");
        assert_eq!(
            lines.first(),
            Some(&format!("ferrobgp {}", env!("CARGO_PKG_VERSION")))
        );
        assert_eq!(
            lines.get(1).map(String::as_str),
            Some("ExaBGP : 5.0.0-0+test")
        );
        assert!(lines.get(2).is_some_and(|l| l.starts_with("Uname  : ")));
        assert!(lines.get(3).is_some_and(|l| l.starts_with("From   : /")));
    }

    #[test]
    fn config_paths_are_absolute_and_checked() {
        let dir = std::env::temp_dir().join(format!("ferrobgp-cli-{}", std::process::id()));
        let etc = dir.join("etc").join("exabgp");
        assert!(std::fs::create_dir_all(&etc).is_ok());
        assert!(std::fs::write(etc.join("a.conf"), "").is_ok());
        let found = config_path(Path::new("etc/exabgp/a.conf"), &dir, Path::new("/nowhere"));
        assert_eq!(found, Ok(etc.join("a.conf")));
        let found = config_path(
            Path::new("./exabgp/../exabgp/a.conf"),
            &dir,
            &dir.join("etc"),
        );
        assert_eq!(found, Ok(etc.join("a.conf")));
        let missing = config_path(Path::new("b.conf"), &dir, &dir);
        assert_eq!(missing, Err(NotAConfig(PathBuf::from("b.conf"))));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
