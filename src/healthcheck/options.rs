//! The healthcheck's command line, spelled as ExaBGP's (`exabgp healthcheck --help`): long
//! options may be abbreviated to any unique prefix and given as `--opt=value`, short ones take
//! their value attached (`-i5`) or next, and `--config FILE` reads one long option per line
//! (`interval = 10`, `no-ip-setup`) placed before the command line's own arguments.
//!
//! Hand-written rather than clap: `-sF` is a two-letter short option and abbreviations of long
//! options are accepted, neither of which clap does, and run lines in existing configurations
//! rely on both.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use super::network::Network;
pub use super::spec::help;
use super::spec::{Arity, Spec, EXCLUSIVE, SPECS};

/// Where announcements go: every peer, or the listed neighbor addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Neighbor {
    All,
    Address(IpAddr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub silent: bool,
    pub syslog_facility: String,
    pub no_syslog: bool,
    pub debug: bool,
    pub no_ack: bool,
    pub sudo: bool,
    pub name: Option<String>,
    pub config: Option<PathBuf>,
    pub pid: Option<PathBuf>,
    pub user: Option<String>,
    pub group: Option<String>,
    pub interval: f64,
    pub fast: f64,
    pub timeout: u64,
    pub rise: i64,
    pub fall: i64,
    pub disable: Option<PathBuf>,
    pub command: Option<String>,
    pub next_hop: Option<IpAddr>,
    pub ips: Vec<Network>,
    /// `--ip-ifname IP%IFNAME` pairs, checked against `ips` by [`parse`].
    pub ip_ifnames: Vec<(Network, String)>,
    pub local_preference: i64,
    pub deaggregate_networks: bool,
    pub ip_setup: bool,
    pub ip_dynamic: bool,
    pub label: Option<String>,
    pub label_exact_match: bool,
    pub start_ip: i64,
    pub up_metric: i64,
    pub down_metric: i64,
    pub disabled_metric: i64,
    pub increase: i64,
    pub community: Option<String>,
    pub extended_community: Option<String>,
    pub large_community: Option<String>,
    pub disabled_community: Option<String>,
    pub as_path: Option<String>,
    pub up_as_path: Option<String>,
    pub down_as_path: Option<String>,
    pub disabled_as_path: Option<String>,
    pub withdraw_on_down: bool,
    pub path_id: Option<i64>,
    pub neighbors: Vec<Neighbor>,
    pub debounce: bool,
    pub execute: Vec<String>,
    pub up_execute: Vec<String>,
    pub down_execute: Vec<String>,
    pub disabled_execute: Vec<String>,
}

impl Default for Options {
    /// ExaBGP's defaults.
    fn default() -> Options {
        Options {
            silent: false,
            syslog_facility: "daemon".into(),
            no_syslog: false,
            debug: false,
            no_ack: false,
            sudo: false,
            name: None,
            config: None,
            pid: None,
            user: None,
            group: None,
            interval: 5.0,
            fast: 1.0,
            timeout: 5,
            rise: 3,
            fall: 3,
            disable: None,
            command: None,
            next_hop: None,
            ips: Vec::new(),
            ip_ifnames: Vec::new(),
            local_preference: -1,
            deaggregate_networks: false,
            ip_setup: true,
            ip_dynamic: false,
            label: None,
            label_exact_match: false,
            start_ip: 0,
            up_metric: 100,
            down_metric: 1000,
            disabled_metric: 500,
            increase: 1,
            community: None,
            extended_community: None,
            large_community: None,
            disabled_community: None,
            as_path: None,
            up_as_path: None,
            down_as_path: None,
            disabled_as_path: None,
            withdraw_on_down: false,
            path_id: None,
            neighbors: Vec::new(),
            debounce: false,
            execute: Vec::new(),
            up_execute: Vec::new(),
            down_execute: Vec::new(),
            disabled_execute: Vec::new(),
        }
    }
}

/// What the command line asked for.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Run(Box<Options>),
    Help,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Does `arg` look like an option rather than a value (argparse: a dash, not a negative number)?
fn looks_like_option(arg: &str) -> bool {
    arg.starts_with('-') && arg.len() > 1 && arg.parse::<f64>().is_err()
}

fn find_long(name: &str) -> Result<&'static Spec, UsageError> {
    if let Some(spec) = SPECS.iter().find(|s| s.names.contains(&name)) {
        return Ok(spec);
    }
    let matches: Vec<&'static str> = SPECS
        .iter()
        .flat_map(|s| s.names.iter().copied())
        .filter(|n| n.starts_with("--") && n.starts_with(name))
        .collect();
    match matches.as_slice() {
        [one] => find_long(one),
        [] => Err(UsageError(format!("unrecognized arguments: {name}"))),
        many => Err(UsageError(format!(
            "ambiguous option: {name} could match {}",
            many.join(", ")
        ))),
    }
}

/// Split the command line into (canonical option, value) pairs.
fn tokenize(args: &[String]) -> Result<Vec<(&'static str, Option<String>)>, UsageError> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let (spec, inline) = if let Some(long) = arg.strip_prefix("--").filter(|r| !r.is_empty()) {
            match long.split_once('=') {
                Some((name, value)) => (find_long(&format!("--{name}"))?, Some(value.to_string())),
                None => (find_long(arg)?, None),
            }
        } else if looks_like_option(arg) {
            if let Some(spec) = SPECS.iter().find(|s| s.names.contains(&arg.as_str())) {
                (spec, None)
            } else {
                // `-i5`: a short option with its value attached.
                let short: String = arg.chars().take(2).collect();
                let rest: String = arg.chars().skip(2).collect();
                let rest = rest.strip_prefix('=').map(str::to_string).unwrap_or(rest);
                match SPECS.iter().find(|s| s.names.contains(&short.as_str())) {
                    Some(spec) if spec.arity != Arity::Flag => (spec, Some(rest)),
                    _ => return Err(UsageError(format!("unrecognized arguments: {arg}"))),
                }
            }
        } else {
            return Err(UsageError(format!("unrecognized arguments: {arg}")));
        };
        let canonical = spec.names.first().copied().unwrap_or_default();
        let value = match (spec.arity, inline) {
            (Arity::Flag, Some(_)) => {
                return Err(UsageError(format!(
                    "argument {canonical}: ignored explicit argument"
                )))
            }
            (Arity::Flag, None) => None,
            (_, Some(value)) => Some(value),
            (arity, None) => match args.get(i) {
                Some(next) if !looks_like_option(next) => {
                    i += 1;
                    Some(next.clone())
                }
                _ => match arity {
                    Arity::Optional(constant) => Some(constant.to_string()),
                    _ => {
                        return Err(UsageError(format!(
                            "argument {}: expected one argument",
                            spec.names.join("/")
                        )))
                    }
                },
            },
        };
        out.push((canonical, value));
    }
    Ok(out)
}

fn number<T: std::str::FromStr>(option: &str, value: &str) -> Result<T, UsageError> {
    value
        .trim()
        .parse()
        .map_err(|_| UsageError(format!("argument {option}: invalid value: {value:?}")))
}

fn seconds(option: &str, value: &str) -> Result<f64, UsageError> {
    let n: f64 = number(option, value)?;
    if n.is_finite() && n >= 0.0 {
        Ok(n)
    } else {
        Err(UsageError(format!(
            "argument {option}: invalid value: {value:?} (seconds, zero or more)"
        )))
    }
}

/// The text is spliced into one command line: a control character (a newline) would turn one
/// announce into several commands.
fn attribute(option: &str, value: &str) -> Result<String, UsageError> {
    match value.chars().find(|c| *c != '\t' && c.is_control()) {
        Some(c) => Err(UsageError(format!(
            "argument {option}: {value:?} contains the control character {c:?}"
        ))),
        None => Ok(value.to_string()),
    }
}

fn address(option: &str, value: &str) -> Result<IpAddr, UsageError> {
    value
        .trim()
        .parse()
        .map_err(|_| UsageError(format!("argument {option}: invalid address: {value:?}")))
}

fn set(o: &mut Options, option: &str, value: Option<String>) -> Result<(), UsageError> {
    let v = value.unwrap_or_default();
    match option {
        "--silent" => o.silent = true,
        "--syslog-facility" => o.syslog_facility = v,
        "--no-syslog" => o.no_syslog = true,
        "--debug" => o.debug = true,
        "--no-ack" => o.no_ack = true,
        "--sudo" => o.sudo = true,
        "--name" => o.name = Some(v),
        "--config" => o.config = Some(PathBuf::from(v)),
        "--pid" => o.pid = Some(PathBuf::from(v)),
        "--user" => o.user = Some(v),
        "--group" => o.group = Some(v),
        "--interval" => o.interval = seconds(option, &v)?,
        "--fast-interval" => o.fast = seconds(option, &v)?,
        "--timeout" => o.timeout = number(option, &v)?,
        "--rise" => o.rise = number(option, &v)?,
        "--fall" => o.fall = number(option, &v)?,
        "--disable" => o.disable = Some(PathBuf::from(v)),
        "--command" => o.command = Some(v),
        "--next-hop" => o.next_hop = Some(address(option, &v)?),
        "--ip" => o.ips.push(
            v.parse()
                .map_err(|e| UsageError(format!("argument --ip: {e}")))?,
        ),
        "--ip-ifname" => o.ip_ifnames.push(ip_ifname(&v)?),
        "--local-preference" => o.local_preference = number(option, &v)?,
        "--deaggregate-networks" => o.deaggregate_networks = true,
        "--no-ip-setup" => o.ip_setup = false,
        "--dynamic-ip-setup" => o.ip_dynamic = true,
        "--label" => o.label = Some(v),
        "--label-exact-match" => o.label_exact_match = true,
        "--start-ip" => o.start_ip = number(option, &v)?,
        "--up-metric" => o.up_metric = number(option, &v)?,
        "--down-metric" => o.down_metric = number(option, &v)?,
        "--disabled-metric" => o.disabled_metric = number(option, &v)?,
        "--increase" => o.increase = number(option, &v)?,
        "--community" => o.community = Some(attribute(option, &v)?),
        "--extended-community" => o.extended_community = Some(attribute(option, &v)?),
        "--large-community" => o.large_community = Some(attribute(option, &v)?),
        "--disabled-community" => o.disabled_community = Some(attribute(option, &v)?),
        "--as-path" => o.as_path = Some(attribute(option, &v)?),
        "--up-as-path" => o.up_as_path = Some(attribute(option, &v)?),
        "--down-as-path" => o.down_as_path = Some(attribute(option, &v)?),
        "--disabled-as-path" => o.disabled_as_path = Some(attribute(option, &v)?),
        "--withdraw-on-down" => o.withdraw_on_down = true,
        "--path-id" => o.path_id = Some(number(option, &v)?),
        "--neighbor" => o.neighbors.push(if v.trim() == "*" {
            Neighbor::All
        } else {
            Neighbor::Address(address(option, &v)?)
        }),
        "--debounce" => o.debounce = true,
        "--execute" => o.execute.push(v),
        "--up-execute" => o.up_execute.push(v),
        "--down-execute" => o.down_execute.push(v),
        "--disabled-execute" => o.disabled_execute.push(v),
        other => return Err(UsageError(format!("unrecognized arguments: {other}"))),
    }
    Ok(())
}

/// `IP%IFNAME`; the interface name as Linux allows it (15 characters at most).
fn ip_ifname(value: &str) -> Result<(Network, String), UsageError> {
    let bad = || {
        UsageError(format!(
            "expected IP to IFNAME parameter: <ip_address>%<ifname>, got {value:?}"
        ))
    };
    let (ip, ifname) = value.split_once('%').ok_or_else(bad)?;
    if ifname.contains('%') {
        return Err(bad());
    }
    let ip: Network = ip
        .parse()
        .map_err(|e| UsageError(format!("argument --ip-ifname: {e}")))?;
    let valid = (1..=15).contains(&ifname.len())
        && ifname
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._:-".contains(c));
    if !valid {
        return Err(UsageError(format!(
            "expected NIC interface name but got {ifname:?}"
        )));
    }
    Ok((ip, ifname.to_string()))
}

fn parse_once(args: &[String]) -> Result<Parsed, UsageError> {
    let mut options = Options::default();
    let mut exclusive: Option<&str> = None;
    for (option, value) in tokenize(args)? {
        if option == "--help" {
            return Ok(Parsed::Help);
        }
        if EXCLUSIVE.contains(&option) {
            match exclusive {
                Some(seen) if seen != option => {
                    return Err(UsageError(format!(
                        "argument {option}: not allowed with argument {seen}"
                    )))
                }
                _ => exclusive = Some(option),
            }
        }
        set(&mut options, option, value)?;
    }
    Ok(Parsed::Run(Box::new(options)))
}

/// A configuration file as command-line arguments: `key = value` becomes `--key value`,
/// a bare `key` becomes `--key`; blank lines and `#` comments are skipped.
pub fn config_file_args(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .flat_map(|line| {
            let option = format!("--{line}");
            match option.split_once('=') {
                Some((key, value)) => vec![key.trim().to_string(), value.trim().to_string()],
                None => vec![option.trim().to_string()],
            }
        })
        .collect()
}

/// Parse the arguments that follow `healthcheck`; `read` loads a `--config` file.
pub fn parse_with(
    args: &[String],
    read: impl Fn(&std::path::Path) -> std::io::Result<String>,
) -> Result<Parsed, UsageError> {
    let first = parse_once(args)?;
    let options = match first {
        Parsed::Help => return Ok(Parsed::Help),
        Parsed::Run(options) => options,
    };
    let options = match &options.config {
        None => options,
        Some(path) => {
            let text = read(path).map_err(|e| {
                UsageError(format!(
                    "argument --config/-F: can't open '{}': {e}",
                    path.display()
                ))
            })?;
            let mut combined = config_file_args(&text);
            combined.extend_from_slice(args);
            match parse_once(&combined)? {
                Parsed::Help => return Ok(Parsed::Help),
                Parsed::Run(options) => options,
            }
        }
    };
    for (ip, _) in &options.ip_ifnames {
        if !options.ips.contains(ip) {
            return Err(UsageError(format!(
                "no 'ip' parameter has been defined for the ip_ifname pair '{ip}'"
            )));
        }
    }
    Ok(Parsed::Run(options))
}

pub fn parse(args: &[String]) -> Result<Parsed, UsageError> {
    parse_with(args, |path| std::fs::read_to_string(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    fn run(args: &[&str]) -> Options {
        match parse(&strings(args)).unwrap() {
            Parsed::Run(options) => *options,
            Parsed::Help => panic!("help"),
        }
    }

    #[test]
    fn defaults_match_exabgp() {
        let o = run(&[]);
        assert_eq!(o.interval, 5.0);
        assert_eq!(o.fast, 1.0);
        assert_eq!((o.timeout, o.rise, o.fall), (5, 3, 3));
        assert_eq!(
            (o.up_metric, o.down_metric, o.disabled_metric),
            (100, 1000, 500)
        );
        assert_eq!(o.increase, 1);
        assert_eq!(o.local_preference, -1);
        assert!(o.ip_setup);
        assert_eq!(o.syslog_facility, "daemon");
    }

    #[test]
    fn long_short_attached_and_abbreviated_forms() {
        let o = run(&[
            "--cmd",
            "true",
            "-i5",
            "-f",
            "0.5",
            "--ip=192.0.2.1/32",
            "--ip",
            "2001:db8::1",
            "--with",
            "--neighbor",
            "*",
            "--neighbor",
            "127.0.0.2",
            "-sF",
            "local0",
            "-N",
            "192.0.2.254",
            "--no-ip",
            "--fall=1",
        ]);
        assert_eq!(o.command.as_deref(), Some("true"));
        assert_eq!(o.interval, 5.0);
        assert_eq!(o.fast, 0.5);
        assert_eq!(o.ips.len(), 2);
        assert!(o.withdraw_on_down);
        assert_eq!(o.neighbors.first(), Some(&Neighbor::All));
        assert_eq!(o.syslog_facility, "local0");
        assert_eq!(o.next_hop, Some("192.0.2.254".parse().unwrap()));
        assert!(!o.ip_setup);
        assert_eq!(o.fall, 1);
    }

    #[test]
    fn bad_input_is_a_usage_error() {
        for args in [
            &["--interval"][..],
            &["--interval", "soon"],
            &["--ip", "192.0.2.1/24"],
            &["--bogus"],
            &["--d"], // --debug, --deaggregate-networks, --disable, ...
            &["stray"],
            &["--silent", "--no-syslog"],
            &["--community", "1:1\nneighbor * teardown 2"],
            &["--ip-ifname", "192.0.2.1%eth0"],
            &["--neighbor", "peer"],
            &["--interval", "-1"],
        ] {
            assert!(parse(&strings(args)).is_err(), "{args:?} accepted");
        }
    }

    #[test]
    fn optional_facility_takes_its_constant() {
        let o = run(&["--syslog-facility", "--debug"]);
        assert_eq!(o.syslog_facility, "daemon");
        assert!(o.debug);
    }

    #[test]
    fn ip_ifname_must_name_a_configured_ip() {
        let o = run(&["--ip", "192.0.2.1", "--ip-ifname", "192.0.2.1%eth0.10"]);
        assert_eq!(
            o.ip_ifnames.first().map(|(_, i)| i.as_str()),
            Some("eth0.10")
        );
        assert!(parse(&strings(&[
            "--ip",
            "192.0.2.1",
            "--ip-ifname",
            "192.0.2.1%bad/if"
        ]))
        .is_err());
    }

    #[test]
    fn config_file_comes_before_the_command_line() {
        let text =
            "# comment\ndebug\nname = web\ninterval = 10\ncommand = curl -sf http://127.0.0.1/\n\n";
        assert_eq!(
            config_file_args(text),
            strings(&[
                "--debug",
                "--name",
                "web",
                "--interval",
                "10",
                "--command",
                "curl -sf http://127.0.0.1/"
            ])
        );
        let args = strings(&["--config", "/x", "--interval", "2"]);
        let parsed = parse_with(&args, |_| Ok(text.to_string())).unwrap();
        let Parsed::Run(o) = parsed else {
            panic!("help")
        };
        assert!(o.debug);
        assert_eq!(o.name.as_deref(), Some("web"));
        assert_eq!(o.interval, 2.0);
        assert_eq!(o.command.as_deref(), Some("curl -sf http://127.0.0.1/"));
        let missing = parse_with(&args, |_| Err(std::io::Error::other("gone")));
        assert!(missing.is_err());
    }

    #[test]
    fn help_is_recognised() {
        assert_eq!(parse(&strings(&["-h"])).unwrap(), Parsed::Help);
        assert!(help().contains("--withdraw-on-down"));
    }
}
