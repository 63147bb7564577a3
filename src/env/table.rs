//! The one table of `exabgp.<section>.<key>` settings: defaults, help and typed accessors.
//! Everything else (defaults, lookup, `env` output, the man page test) walks this table.
//! Order and defaults follow ExaBGP 5.0's `environment/setup.py`, so `env --env` prints
//! keys in the same order.

use super::value::Value;
use super::Settings;

/// One `exabgp.<section>.<key>` setting.
pub struct Setting {
    pub section: &'static str,
    pub key: &'static str,
    /// The default, written as a user would write it (parsed like any other value).
    pub default: &'static str,
    pub help: &'static str,
    set: fn(&mut Settings, &str) -> Result<(), String>,
    show: fn(&Settings) -> String,
}

impl Setting {
    /// `exabgp.tcp.port`
    pub fn dotted(&self) -> String {
        format!("exabgp.{}.{}", self.section, self.key)
    }

    /// `exabgp_tcp_port`: ExaBGP only swaps the dots, so `show-routes-format` keeps its dashes.
    pub fn underscored(&self) -> String {
        self.dotted().replace('.', "_")
    }

    /// The internal `debug` section is honoured but never printed by `env`.
    pub fn hidden(&self) -> bool {
        self.section == "debug"
    }

    /// Parse `raw` into `settings`; the error is the reason only.
    pub fn apply(&self, settings: &mut Settings, raw: &str) -> Result<(), String> {
        (self.set)(settings, raw)
    }

    /// The current value in the form `env` prints.
    pub fn show(&self, settings: &Settings) -> String {
        (self.show)(settings)
    }
}

fn assign<T: Value>(slot: &mut T, raw: &str) -> Result<(), String> {
    *slot = T::read(raw)?;
    Ok(())
}

macro_rules! setting {
    ($section:ident . $field:ident, $key:literal, $default:literal, $help:literal) => {
        Setting {
            section: stringify!($section),
            key: $key,
            default: $default,
            help: $help,
            set: |s, raw| assign(&mut s.$section.$field, raw),
            show: |s| Value::write(&s.$section.$field),
        }
    };
}

pub static TABLE: &[Setting] = &[
    setting!(profile.enable, "enable", "false", "profile the daemon (accepted, no effect)"),
    setting!(profile.file, "file", "", "where profiling output would go (accepted, no effect)"),
    setting!(pdb.enable, "enable", "false", "start a debugger on faults (accepted, no effect)"),
    setting!(daemon.pid, "pid", "", "file to write the daemon's pid to; empty for none"),
    setting!(daemon.user, "user", "nobody", "account to switch to when started as root; must exist"),
    setting!(daemon.daemonize, "daemonize", "false", "detach and run in the background"),
    setting!(daemon.drop, "drop", "true", "give up root privileges before starting helper processes"),
    setting!(daemon.umask, "umask", "0137", "file creation mask for the daemon (log files, pid file), octal"),
    setting!(log.enable, "enable", "true", "master switch for all logging"),
    setting!(log.level, "level", "INFO", "lowest severity logged: FATAL, CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET"),
    setting!(log.destination, "destination", "stdout", "stdout (written to stderr), stderr, syslog, host:<address>, file:<path> or an absolute path"),
    setting!(log.all, "all", "false", "turn every log category on"),
    setting!(log.configuration, "configuration", "true", "log configuration and command parsing"),
    setting!(log.reactor, "reactor", "true", "log signals, reloads and the main loop"),
    setting!(log.daemon, "daemon", "true", "log pid file, privilege and process start-up events"),
    setting!(log.processes, "processes", "true", "log helper process starts, exits and respawns"),
    setting!(log.network, "network", "true", "log TCP connections and session state changes"),
    setting!(log.statistics, "statistics", "true", "log message counters"),
    setting!(log.packets, "packets", "false", "log every BGP message sent and received, in hex"),
    setting!(log.rib, "rib", "false", "log changes to the locally configured routes"),
    setting!(log.message, "message", "false", "log route announcement changes made by a reload"),
    setting!(log.timers, "timers", "false", "log keepalive and hold timers"),
    setting!(log.routes, "routes", "false", "log routes received from peers"),
    setting!(log.parser, "parser", "false", "log the details of BGP message decoding"),
    setting!(log.short, "short", "true", "leave out time and pid from log lines on stdout/stderr"),
    setting!(tcp.once, "once", "false", "deprecated: one connection attempt per peer (use tcp.attempts)"),
    setting!(tcp.attempts, "attempts", "0", "connection attempts per peer, 0 for no limit; above 0 the daemon exits once all peers are gone"),
    setting!(tcp.delay, "delay", "0", "wait to connect until the minute of the hour is a multiple of this number"),
    setting!(tcp.bind, "bind", "", "addresses to listen on, blank separated; empty for no listener"),
    setting!(tcp.port, "port", "179", "port to listen on; when set in the environment, also the port to connect to"),
    setting!(tcp.acl, "acl", "", "unimplemented (accepted, no effect)"),
    setting!(bgp.passive, "passive", "false", "make every neighbor passive, whatever its configuration says"),
    setting!(bgp.openwait, "openwait", "60", "seconds to wait for the peer's OPEN once TCP is up"),
    setting!(cache.attributes, "attributes", "true", "attribute caching (accepted, no effect)"),
    setting!(cache.nexthops, "nexthops", "true", "deprecated (accepted, no effect)"),
    setting!(api.ack, "ack", "true", "answer each helper command with done or error"),
    setting!(api.chunk, "chunk", "1", "routes printed per batch by show adj-rib commands"),
    setting!(api.show_routes_format, "show-routes-format", "v1", "JSON shape of show adj-rib output: v1 or v2"),
    setting!(api.encoder, "encoder", "json", "default helper encoder, text or json (processes name their own)"),
    setting!(api.compact, "compact", "false", "shorter JSON for IPv4/IPv6 unicast NLRI"),
    setting!(api.respawn, "respawn", "true", "restart helper processes that exit"),
    setting!(api.terminate, "terminate", "false", "stop the daemon when a helper process exits"),
    setting!(api.cli, "cli", "true", "look for the named pipes and start the internal cli helper"),
    setting!(api.pipename, "pipename", "exabgp", "base name of the cli named pipes (<name>.in, <name>.out)"),
    setting!(reactor.speed, "speed", "1.0", "main loop period (accepted, no effect)"),
    setting!(debug.pdb, "pdb", "false", "debugger on errors (accepted, no effect)"),
    setting!(debug.memory, "memory", "false", "memory report on exit (accepted, no effect)"),
    setting!(debug.configuration, "configuration", "false", "treat configuration problems as fatal errors"),
    setting!(debug.selfcheck, "selfcheck", "false", "unused (accepted, no effect)"),
    setting!(debug.route, "route", "", "unused (accepted, no effect)"),
    setting!(debug.defensive, "defensive", "false", "unused (accepted, no effect)"),
    setting!(debug.rotate, "rotate", "false", "with several configuration files: one daemon, each reload takes the next file"),
];

/// The entry for `section.key`, if it exists.
pub fn find(section: &str, key: &str) -> Option<&'static Setting> {
    TABLE.iter().find(|s| s.section == section && s.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_parses() {
        let mut settings = Settings::default();
        for entry in TABLE {
            assert_eq!(
                entry.apply(&mut settings, entry.default),
                Ok(()),
                "{}",
                entry.dotted()
            );
        }
    }

    #[test]
    fn keys_are_unique_and_named_both_ways() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in TABLE.iter().skip(i + 1) {
                assert!(a.dotted() != b.dotted(), "duplicate {}", a.dotted());
            }
        }
        let entry = find("api", "show-routes-format");
        assert_eq!(
            entry.map(Setting::underscored).as_deref(),
            Some("exabgp_api_show-routes-format")
        );
        // 45 printed keys, as `exabgp env` prints, plus the 7 hidden debug ones.
        assert_eq!(TABLE.iter().filter(|s| !s.hidden()).count(), 45);
        assert_eq!(TABLE.iter().filter(|s| s.hidden()).count(), 7);
    }
}
