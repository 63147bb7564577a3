//! `ferrobgp validate [-n] [-r] [-v] CONF...`, as ExaBGP 5.0 runs it: everything goes to the
//! log (stderr by default): the parse log (`-v`), each neighbor written back as configuration
//! (`-n`, shown at debug level), each route's round trip through the wire (`-r`). The first
//! file that fails ends the run with status 1 (and an `error:` line on stderr when the file
//! could not be loaded).

mod render;
mod routes;
mod trace;
mod wire_log;

use std::path::{Path, PathBuf};

use crate::config::{self, Neighbor, Route};

use render::Spelling;
use routes::Checker;
pub use routes::{check_routes, RouteProblem};

/// What to check beyond parsing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub neighbor: bool,
    pub route: bool,
}

/// Why validation stopped, in ExaBGP's words (already logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    /// ExaBGP also writes `error: <message>` to stderr for a file it cannot load, but not
    /// for an invalid route (the route's problem is in the `parser` debug log).
    pub to_stderr: bool,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Validate each configuration in turn; stops at the first that fails. `root` and `cwd`
/// resolve the names as the server does.
pub fn run(names: &[PathBuf], options: Options, root: &Path, cwd: &Path) -> Result<(), Failure> {
    for name in names {
        one(name, options, root, cwd)?;
    }
    Ok(())
}

fn critical(message: &str) -> Failure {
    log::error!(target: "configuration", "{message}");
    Failure {
        message: message.to_string(),
        to_stderr: true,
    }
}

fn one(name: &Path, options: Options, root: &Path, cwd: &Path) -> Result<(), Failure> {
    let shown = name.display().to_string();
    log::info!(target: "configuration", "loading {shown}");
    let path = crate::cli::config_path(name, root, cwd).map_err(|e| critical(&e.to_string()))?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| critical(&format!("{shown} is not a valid config file: {e}")))?;
    let tracing = log::log_enabled!(target: "configuration", log::Level::Debug);
    let spelling = Spelling::from_text(&text);
    let loaded = config::load_str(&text, &path);
    let config = match loaded {
        Ok(config) => {
            if tracing {
                parse_log(&text, None, &config.neighbors, &spelling);
            }
            config
        }
        Err(e) => {
            if tracing {
                parse_log(&text, Some(e.location.line), &[], &spelling);
            }
            return Err(critical(&format!(
                "{shown} is not a valid config file: {e}"
            )));
        }
    };
    log::info!(target: "configuration", "\u{2713} loading");

    if options.neighbor {
        log::warn!(target: "configuration", "checking neighbors");
        // The neighbor text is logged under the file's name, as ExaBGP does.
        let rendering = log::log_enabled!(target: shown.as_str(), log::Level::Debug);
        for n in &config.neighbors {
            if rendering {
                let text = render::neighbor(n, &queued(n), &spelling);
                log::debug!(target: shown.as_str(), "{text}");
            }
            log::info!(target: "configuration", "\u{2713} neighbor  {}", render::peer(n));
        }
    }

    if options.route {
        log::warn!(target: "configuration", "checking routes");
        let verbose = log::log_enabled!(target: "parser", log::Level::Debug);
        for n in &config.neighbors {
            let mut checker = Checker::new(n, verbose, spelling.clone());
            // ExaBGP checks no route of a multi-session neighbor: its RIB is left holding
            // the last family's session only.
            let routes = if multi_session(n) {
                Vec::new()
            } else {
                cached(n)
            };
            for route in routes {
                if checker.check(route).is_err() {
                    return Err(Failure {
                        to_stderr: false,
                        ..critical(&format!("{shown} has an invalid route"))
                    });
                }
            }
        }
        log::info!(target: "configuration", "\u{2713} routes");
    }
    Ok(())
}

/// The parse log, with each neighbor's `rib insert` lines where ExaBGP writes them.
fn parse_log(text: &str, stop: Option<u32>, neighbors: &[Neighbor], spelling: &Spelling) {
    for step in trace::steps(text, stop) {
        match step {
            trace::Step::Line(line) => log::debug!(target: "configuration", "{line}"),
            trace::Step::NeighborEnd(i, nexthops) => {
                if let Some(n) = neighbors.get(i) {
                    skipped_nexthops(n, &nexthops);
                    // A multi-session neighbor is one RIB insertion pass per family.
                    let passes = if multi_session(n) {
                        n.families.len()
                    } else {
                        1
                    };
                    for _ in 0..passes {
                        for route in announced(n) {
                            log::debug!(target: "rib", "insert {}", render::route_text(n, route, spelling));
                        }
                    }
                }
            }
        }
    }
}

/// ExaBGP splits a multi-session neighbor with several families into one neighbor per
/// family sharing one RIB (each inserting every route), and keeps the last, whose RIB
/// answers for the last family only: its validator checks none of the routes.
fn multi_session(n: &Neighbor) -> bool {
    n.capabilities.multi_session && n.families.len() > 1
}

/// ExaBGP's notes on `nexthop` entries it drops because a family is not negotiated.
fn skipped_nexthops(n: &Neighbor, written: &[[String; 3]]) {
    if !n.capabilities.nexthop {
        return;
    }
    let has = |afi: &str, safi: &str| {
        let name = format!("{afi} {safi}");
        n.families.iter().any(|f| f.to_string() == name)
    };
    for [afi, safi, nh] in written {
        if !has(afi, safi) {
            log::debug!(target: "configuration", "skipping nexthop afi,safi {afi}/{safi} as it is not negotiated");
        } else if !has(nh, safi) {
            log::debug!(target: "configuration", "skipping nexthop afi {nh}/{safi} as it is not negotiated");
        }
    }
}

/// The routes that go into the neighbor's RIB: all but those a watchdog holds back.
fn announced(n: &Neighbor) -> Vec<&Route> {
    n.routes.iter().filter(|r| !r.withdrawn()).collect()
}

/// The RIB's view of the routes: one per NLRI, where it was first inserted, carrying the last
/// attributes it was inserted with.
fn queued(n: &Neighbor) -> Vec<&Route> {
    let mut out: Vec<&Route> = Vec::new();
    let mut place: std::collections::HashMap<&crate::bgp::Nlri, usize> = Default::default();
    for route in announced(n) {
        match place.get(&route.nlri).and_then(|&i| out.get_mut(i)) {
            Some(slot) => {
                if !(slot.nlri.identical(&route.nlri) && slot.attributes == route.attributes) {
                    *slot = route;
                }
            }
            None => {
                place.insert(&route.nlri, out.len());
                out.push(route);
            }
        }
    }
    out
}

/// The RIB's routes in the order its cache gives them back: family by family, in the order
/// the neighbor lists its families.
fn cached(n: &Neighbor) -> Vec<&Route> {
    let routes = queued(n);
    let mut out = Vec::with_capacity(routes.len());
    for family in &n.families {
        out.extend(routes.iter().filter(|r| r.nlri.family() == *family));
    }
    out
}

/// The machine's name, as ExaBGP's JSON `host` shows it.
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> config::Config {
        config::load_str(text, Path::new("t.conf")).unwrap()
    }

    #[test]
    fn the_rib_keeps_the_first_place_and_the_last_attributes() {
        let c = load(
            "neighbor 127.0.0.1 { local-as 1; peer-as 1; router-id 1.1.1.1; local-address 127.0.0.1;\n\
             family { ipv4 unicast; ipv6 unicast; }\n\
             static { route 2001:db8::/32 next-hop ::1; route 10.0.0.0/8 next-hop 1.1.1.1;\n\
             route 2001:db8::/32 next-hop ::2; } }",
        );
        let n = &c.neighbors[0];
        let q: Vec<String> = queued(n)
            .iter()
            .map(|r| render::route_text(n, r, &Spelling::default()))
            .collect();
        assert_eq!(
            q,
            ["2001:db8::/32 next-hop ::2", "10.0.0.0/8 next-hop 1.1.1.1"]
        );
        let c: Vec<String> = cached(n)
            .iter()
            .map(|r| render::route_text(n, r, &Spelling::default()))
            .collect();
        assert_eq!(
            c,
            ["10.0.0.0/8 next-hop 1.1.1.1", "2001:db8::/32 next-hop ::2"]
        );
    }

    #[test]
    fn a_missing_file_fails() {
        let e = run(
            &[PathBuf::from("/nonexistent/x.conf")],
            Options::default(),
            Path::new("/"),
            Path::new("/"),
        )
        .unwrap_err();
        assert!(e.message.contains("/nonexistent/x.conf"), "{e}");
        assert!(e.to_stderr);
    }
}
