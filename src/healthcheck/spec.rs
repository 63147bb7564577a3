//! The healthcheck's options as ExaBGP's healthcheck declares them: names (the first is the
//! one the parser dispatches on), whether they take a value, and their help text.

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Arity {
    Flag,
    Value,
    /// `nargs='?'`: a value when the next argument is not an option, else the constant.
    Optional(&'static str),
}

pub(super) struct Spec {
    pub(super) names: &'static [&'static str],
    pub(super) arity: Arity,
    pub(super) metavar: &'static str,
    pub(super) help: &'static str,
}

const fn flag(names: &'static [&'static str], help: &'static str) -> Spec {
    Spec {
        names,
        arity: Arity::Flag,
        metavar: "",
        help,
    }
}

const fn value(names: &'static [&'static str], metavar: &'static str, help: &'static str) -> Spec {
    Spec {
        names,
        arity: Arity::Value,
        metavar,
        help,
    }
}

/// Every option; the first name is the canonical one `set` dispatches on.
pub(super) const SPECS: &[Spec] = &[
    flag(&["--help", "-h"], "show this help message and exit"),
    flag(&["--silent", "-s"], "don't log to console"),
    Spec {
        names: &["--syslog-facility", "-sF"],
        arity: Arity::Optional("daemon"),
        metavar: "[FACILITY]",
        help: "log to syslog using FACILITY, default FACILITY is daemon",
    },
    flag(&["--no-syslog"], "disable syslog logging"),
    flag(&["--debug", "-d"], "enable debugging"),
    flag(
        &["--no-ack", "-a"],
        "do not wait for the daemon's ack (exabgp.api.ack=false)",
    ),
    flag(&["--sudo"], "use sudo to setup ip addresses"),
    value(&["--name", "-n"], "NAME", "name for this healthchecker"),
    value(
        &["--config", "-F"],
        "FILE",
        "read configuration from a file",
    ),
    value(&["--pid", "-p"], "FILE", "write PID to the provided file"),
    value(&["--user"], "USER", "set user after setting ip addresses"),
    value(
        &["--group"],
        "GROUP",
        "set group after setting ip addresses",
    ),
    value(
        &["--interval", "-i"],
        "N",
        "wait N seconds between each healthcheck (zero to exit after first announcement)",
    ),
    value(
        &["--fast-interval", "-f"],
        "N",
        "when a state change is about to occur, wait N seconds between each healthcheck",
    ),
    value(
        &["--timeout", "-t"],
        "N",
        "wait N seconds for the check command to execute",
    ),
    value(
        &["--rise"],
        "N",
        "check N times before considering the service up",
    ),
    value(
        &["--fall"],
        "N",
        "check N times before considering the service down",
    ),
    value(
        &["--disable"],
        "FILE",
        "if FILE exists, the service is considered disabled",
    ),
    value(
        &["--command", "--cmd", "-c"],
        "CMD",
        "command to use for healthcheck",
    ),
    value(
        &["--next-hop", "-N"],
        "IP",
        "self IP address to use as next hop",
    ),
    value(
        &["--ip"],
        "IP",
        "advertise this IP address or network (CIDR notation)",
    ),
    value(
        &["--ip-ifname"],
        "IP%IFNAME",
        "bind this IP address or network (CIDR) to the given interface (i.e. 192.0.2.1%eth0)",
    ),
    value(
        &["--local-preference"],
        "P",
        "advertise with local preference P",
    ),
    flag(
        &["--deaggregate-networks"],
        "deaggregate networks specified in --ip",
    ),
    flag(&["--no-ip-setup"], "don't setup missing IP addresses"),
    flag(
        &["--dynamic-ip-setup"],
        "delete setup ips on state down and disabled, then restore them when up",
    ),
    value(
        &["--label"],
        "LABEL",
        "use the provided label to match setup ip addresses",
    ),
    flag(
        &["--label-exact-match"],
        "use the provided label to exactly match setup ip addresses, not a prefix match",
    ),
    value(
        &["--start-ip"],
        "N",
        "index of the first IP in the list of IP addresses",
    ),
    value(
        &["--up-metric"],
        "M",
        "first IP get the metric M when the service is up",
    ),
    value(
        &["--down-metric"],
        "M",
        "first IP get the metric M when the service is down",
    ),
    value(
        &["--disabled-metric"],
        "M",
        "first IP get the metric M when the service is disabled",
    ),
    value(
        &["--increase"],
        "M",
        "for each additional IP address, increase metric value by M",
    ),
    value(
        &["--community"],
        "COMMUNITY",
        "announce IPs with the supplied community",
    ),
    value(
        &["--extended-community"],
        "EXTENDEDCOMMUNITY",
        "announce IPs with the supplied extended community",
    ),
    value(
        &["--large-community"],
        "LARGECOMMUNITY",
        "announce IPs with the supplied large community",
    ),
    value(
        &["--disabled-community"],
        "DISABLEDCOMMUNITY",
        "announce IPs with the supplied community when disabled",
    ),
    value(
        &["--as-path"],
        "ASPATH",
        "announce IPs with the supplied as-path",
    ),
    value(
        &["--up-as-path"],
        "ASPATH",
        "announce IPs with the supplied as-path when the service is up",
    ),
    value(
        &["--down-as-path"],
        "ASPATH",
        "announce IPs with the supplied as-path when the service is down",
    ),
    value(
        &["--disabled-as-path"],
        "ASPATH",
        "announce IPs with the supplied as-path when the service is disabled",
    ),
    flag(
        &["--withdraw-on-down"],
        "instead of increasing the metric on health failure, withdraw the route",
    ),
    value(
        &["--path-id"],
        "PATHID",
        "path ID to advertise for the route",
    ),
    value(
        &["--neighbor"],
        "NEIGHBOR",
        "advertise the route to the selected neighbors (* for all)",
    ),
    flag(
        &["--debounce"],
        "announce only on state changes, instead of every iteration",
    ),
    value(&["--execute"], "CMD", "execute CMD on state change"),
    value(
        &["--up-execute"],
        "CMD",
        "execute CMD when the service becomes available",
    ),
    value(
        &["--down-execute"],
        "CMD",
        "execute CMD when the service becomes unavailable",
    ),
    value(
        &["--disabled-execute"],
        "CMD",
        "execute CMD when the service is disabled",
    ),
];

/// The options that cannot be combined (one logging choice).
pub(super) const EXCLUSIVE: [&str; 3] = ["--silent", "--syslog-facility", "--no-syslog"];

pub fn help() -> String {
    let mut out = String::from(
        "usage: ferrobgp healthcheck [options]\n\n\
         Announce service addresses to the daemon (through the helper API) depending on a\n\
         check command, as `exabgp healthcheck` does. Run it from a `process` block.\n\n\
         options:\n",
    );
    for spec in SPECS {
        let mut names = spec.names.join(", ");
        if spec.arity != Arity::Flag {
            names = format!("{names} {}", spec.metavar);
        }
        out.push_str(&format!("  {names:<38} {}\n", spec.help));
    }
    out.push_str(
        "\nA --config FILE holds one long option per line without its dashes:\n  \
         debug\n  interval = 10\n  command = curl -sf http://127.0.0.1/healthcheck\n",
    );
    out
}
