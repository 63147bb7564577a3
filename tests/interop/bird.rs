//! BIRD 2: IPv4 and IPv6 unicast both ways with MED, communities and large communities,
//! withdrawals seen on both sides; TCP MD5 with the right and a wrong password; and the anycast
//! recipe (the healthcheck helper) seen by BIRD.
//!
//! BIRD quirks on loopback: a 127/8 neighbor is not "directly connected" (multihop, next hops
//! resolved through tables holding a default route via lo), `strict bind` so it does not take
//! other ports, `next hop address ::1` for IPv6 over the IPv4 session, `import all` plus an
//! export filter, and a short `error wait time` for quick reconnects. No kernel protocol: the
//! host's routing table is never touched.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::{self, Proc, Workdir};

struct Bird {
    birdc: PathBuf,
    socket: PathBuf,
    _proc: Proc,
}

impl Bird {
    /// BIRD listening on 127.0.0.1:`port` (passive) for the speaker at 127.0.0.2, AS 65002.
    fn start(dir: &Workdir, bird: &Path, birdc: PathBuf, port: u16, statics: &str) -> Bird {
        Bird::start_with(dir, bird, birdc, port, statics, "")
    }

    /// As `start`, with `session` lines added to the BGP protocol (e.g. a password).
    fn start_with(
        dir: &Workdir,
        bird: &Path,
        birdc: PathBuf,
        port: u16,
        statics: &str,
        session: &str,
    ) -> Bird {
        let conf = dir.write(
            "bird.conf",
            &format!(
                r#"log "{log}" all;
router id 127.0.0.1;
protocol device {{ scan time 10; }}
protocol static igp4 {{ ipv4; route 0.0.0.0/0 via "lo"; }}
protocol static igp6 {{ ipv6; route ::/0 via "lo"; }}
{statics}
# BIRD sends no MED to an eBGP peer unless the export filter sets it.
filter to_peer {{
  if proto = "from_bird4" then {{ bgp_med = 77; accept; }}
  if proto = "from_bird6" then {{ bgp_med = 66; accept; }}
  reject;
}}
protocol bgp speaker {{
  local 127.0.0.1 port {port} as 65002;
  neighbor 127.0.0.2 as 65001;
  strict bind on;
  passive on;
  multihop 2;
  error wait time 1, 2;
  {session}
  ipv4 {{ import all; export filter to_peer; next hop self; igp table master4; gateway recursive; }};
  ipv6 {{ import all; export filter to_peer; next hop address ::1; igp table master6; gateway recursive; }};
}}
"#,
                log = dir.file("bird.log").display()
            ),
        );
        let socket = dir.file("bird.ctl");
        let mut command = Command::new(bird);
        command
            .arg("-f")
            .arg("-c")
            .arg(&conf)
            .arg("-s")
            .arg(&socket)
            .arg("-P")
            .arg(dir.file("bird.pid"));
        let proc = Proc::spawn("bird", command, &dir.file("bird.out"), true);
        if common::wait_for(|| socket.exists().then_some(())).is_none() {
            common::fail(dir, &["bird.out", "bird.log"], "BIRD did not start");
        }
        Bird {
            birdc,
            socket,
            _proc: proc,
        }
    }

    fn cli(&self, args: &[&str]) -> String {
        let mut all = vec!["-s", self.socket.to_str().unwrap_or_default()];
        all.extend_from_slice(args);
        common::output(&self.birdc, &all)
    }

    /// The `show route all` block of `prefix` learnt from the speaker, if any.
    fn route(&self, prefix: &str) -> Option<String> {
        let table = self.cli(&["show", "route", "all", "protocol", "speaker"]);
        route_block(&table, prefix)
    }
}

/// The lines of one route in `show route all` output: its first line, then indented ones.
fn route_block(table: &str, prefix: &str) -> Option<String> {
    let mut lines = table
        .lines()
        .skip_while(|l| !l.starts_with(&format!("{prefix} ")));
    let first = lines.next()?;
    let mut block = vec![first];
    block.extend(lines.take_while(|l| l.starts_with(char::is_whitespace)));
    Some(block.join("\n"))
}

fn binaries(test: &str) -> Option<(PathBuf, PathBuf)> {
    match (common::find_binary("bird"), common::find_binary("birdc")) {
        (Some(bird), Some(birdc)) => Some((bird, birdc)),
        _ => {
            common::skip(
                test,
                "bird/birdc not installed (apt-get install bird2; .ci/run does)",
            );
            None
        }
    }
}

const LOGS: &[&str] = &["speaker.log", "bird.log", "bird.out", "received.json"];

/// TCP MD5 (RFC 2385) against BIRD: the session comes up with the same password and not with
/// another one.
#[test]
fn bird_md5_password() {
    let Some((bird_bin, birdc)) = binaries("bird_md5_password") else {
        return;
    };
    for (password, expect_up) in [("s3cret", true), ("wrong", false)] {
        let dir = Workdir::new(&format!("bird-md5-{password}"));
        let port = common::free_port();
        let bird = Bird::start_with(
            &dir,
            &bird_bin,
            birdc.clone(),
            port,
            "",
            r#"password "s3cret";"#,
        );
        let conf = dir.write(
            "speaker.conf",
            &format!(
                "{}neighbor 127.0.0.1 {{\n  router-id 127.0.0.2;\n  local-address 127.0.0.2;\n  \
                 local-as 65001;\n  peer-as 65002;\n  md5-password {password};\n  \
                 family {{ ipv4 unicast; }}\n{}  static {{\n    \
                 route 198.51.100.0/24 next-hop 127.0.0.2;\n  }}\n}}\n",
                common::helper_processes(&dir),
                common::HELPER_BINDINGS
            ),
        );
        let _speaker = common::start_speaker(&dir, &conf, port);
        let learnt = if expect_up {
            common::wait_for(|| bird.route("198.51.100.0/24")).is_some()
        } else {
            // A few connection attempts' worth: the route must never arrive.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(6);
            let mut seen = false;
            while std::time::Instant::now() < deadline && !seen {
                seen = bird.route("198.51.100.0/24").is_some();
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
            seen
        };
        eprintln!("interop bird md5: password {password:?} -> BIRD learnt the route: {learnt}");
        if learnt != expect_up {
            common::fail(
                &dir,
                LOGS,
                &format!("MD5 password {password:?}: session up = {learnt}"),
            );
        }
    }
}

#[test]
fn bird_unicast_both_ways() {
    let Some((bird, birdc)) = binaries("bird_unicast_both_ways") else {
        return;
    };
    let dir = Workdir::new("bird-unicast");
    let port = common::free_port();
    let bird = Bird::start(
        &dir,
        &bird,
        birdc,
        port,
        r#"protocol static from_bird4 {
  ipv4;
  route 203.0.113.0/24 via "lo" { bgp_community.add((65002,42)); bgp_large_community.add((65002,1,2)); };
}
protocol static from_bird6 {
  ipv6;
  route 2001:db8:b::/48 via "lo" { bgp_community.add((65002,43)); bgp_large_community.add((65002,3,4)); };
}"#,
    );
    let conf = dir.write(
        "speaker.conf",
        &format!(
            "{}neighbor 127.0.0.1 {{\n  router-id 127.0.0.2;\n  local-address 127.0.0.2;\n  \
             local-as 65001;\n  peer-as 65002;\n  hold-time 30;\n  \
             family {{ ipv4 unicast; ipv6 unicast; }}\n{}  static {{\n    \
             route 198.51.100.0/24 next-hop 127.0.0.2 med 50 community [ 65001:100 ] large-community [ 65001:1:2 ];\n    \
             route 2001:db8:f::/48 next-hop ::1 med 60 community [ 65001:101 ] large-community [ 65001:3:4 ];\n  \
             }}\n}}\n",
            common::helper_processes(&dir),
            common::HELPER_BINDINGS
        ),
    );
    let _speaker = common::start_speaker(&dir, &conf, port);

    // Speaker -> BIRD, both families, every attribute.
    for (prefix, wanted) in [
        (
            "198.51.100.0/24",
            &[
                "BGP.med: 50",
                "(65001,100)",
                "(65001, 1, 2)",
                "BGP.as_path: 65001",
            ][..],
        ),
        (
            "2001:db8:f::/48",
            &["BGP.med: 60", "(65001,101)", "(65001, 3, 4)"],
        ),
    ] {
        let Some(block) = common::wait_for(|| bird.route(prefix)) else {
            common::fail(&dir, LOGS, &format!("BIRD never learnt {prefix}"));
        };
        eprintln!("interop bird: BIRD received\n{block}");
        for needle in wanted {
            if !block.contains(needle) {
                common::fail(
                    &dir,
                    LOGS,
                    &format!("BIRD's {prefix} lacks {needle}:\n{block}"),
                );
            }
        }
    }

    // BIRD -> speaker.
    for (prefix, med, community, large) in [
        ("203.0.113.0/24", 77, [65002, 42], [65002, 1, 2]),
        ("2001:db8:b::/48", 66, [65002, 43], [65002, 3, 4]),
    ] {
        let seen = common::wait_for(|| {
            common::announced(&common::updates(&dir.read("received.json")), prefix).cloned()
        });
        let Some(update) = seen else {
            common::fail(&dir, LOGS, &format!("the speaker never received {prefix}"));
        };
        eprintln!(
            "interop bird: speaker received {prefix} with {}",
            update.attributes
        );
        let attrs = &update.attributes;
        assert_eq!(attrs["med"], med, "{prefix} MED");
        assert_eq!(common::as_path(attrs), [65002], "{prefix} AS_PATH");
        assert_eq!(
            attrs["community"],
            serde_json::json!([community]),
            "{prefix} communities"
        );
        assert_eq!(
            attrs["large-community"],
            serde_json::json!([large]),
            "{prefix} large"
        );
    }

    // Withdrawals, speaker -> BIRD (through the API) ...
    common::command(&dir, "withdraw route 198.51.100.0/24 next-hop 127.0.0.2");
    common::command(&dir, "withdraw route 2001:db8:f::/48 next-hop ::1");
    for prefix in ["198.51.100.0/24", "2001:db8:f::/48"] {
        if common::wait_for(|| bird.route(prefix).is_none().then_some(())).is_none() {
            common::fail(
                &dir,
                LOGS,
                &format!("BIRD still has {prefix} after the withdraw"),
            );
        }
        eprintln!("interop bird: BIRD saw the withdraw of {prefix}");
    }
    // ... and BIRD -> speaker.
    bird.cli(&["disable", "from_bird4"]);
    bird.cli(&["disable", "from_bird6"]);
    for prefix in ["203.0.113.0/24", "2001:db8:b::/48"] {
        let gone = common::wait_for(|| {
            common::withdrawn(&common::updates(&dir.read("received.json")), prefix).then_some(())
        });
        if gone.is_none() {
            common::fail(
                &dir,
                LOGS,
                &format!("the speaker never saw {prefix} withdrawn"),
            );
        }
        eprintln!("interop bird: speaker saw the withdraw of {prefix}");
    }
}

/// The anycast recipe: two healthcheck helpers watch the same service (a file that exists
/// while it is healthy); one withdraws on failure, the other raises its MED. BIRD sees both.
#[test]
fn bird_anycast_healthcheck() {
    let Some((bird, birdc)) = binaries("bird_anycast_healthcheck") else {
        return;
    };
    let dir = Workdir::new("bird-anycast");
    let port = common::free_port();
    let bird = Bird::start(&dir, &bird, birdc, port, "");
    let healthy = dir.write("healthy", "");
    let check = format!("test -e {}", healthy.display());
    // One helper in ferrobgp's spelling, one in ExaBGP's (`python3 -m exabgp healthcheck`),
    // which ferrobgp maps to its own healthcheck.
    let healthcheck = |program: &str, ip: &str, extra: &str| {
        format!(
            "  run {program} --cmd \"{check}\" --ip {ip} --no-ip-setup --no-syslog \
             --rise 1 --fall 1 --interval 0.3 --fast-interval 0.2 --community 65001:53 {extra};\n  \
             encoder text;\n"
        )
    };
    let ferrobgp = format!("{} healthcheck", env!("CARGO_BIN_EXE_ferrobgp"));
    // Under ExaBGP itself the Python spelling needs its module on the python3 found first in
    // PATH, which an installation in a virtualenv does not give: use ours there.
    let exabgp_spelling = if std::env::var("FERROBGP_INTEROP_DAEMON").as_deref() == Ok("exabgp") {
        ferrobgp.as_str()
    } else {
        "python3 -m exabgp healthcheck"
    };
    let conf = dir.write(
        "speaker.conf",
        &format!(
            "process withdrawing {{\n{}}}\nprocess metric {{\n{}}}\n\
             neighbor 127.0.0.1 {{\n  router-id 127.0.0.2;\n  local-address 127.0.0.2;\n  \
             local-as 65001;\n  peer-as 65002;\n  hold-time 30;\n  \
             family {{ ipv4 unicast; }}\n  api {{ processes [ withdrawing, metric ]; }}\n}}\n",
            healthcheck(&ferrobgp, "203.0.113.53/32", "--withdraw-on-down"),
            healthcheck(exabgp_spelling, "203.0.113.54/32", "")
        ),
    );
    let _speaker = common::start_speaker(&dir, &conf, port);
    let logs = &["speaker.log", "bird.log", "bird.out"];

    for prefix in ["203.0.113.53/32", "203.0.113.54/32"] {
        let up = common::wait_for(|| bird.route(prefix).filter(|b| b.contains("BGP.med: 100")));
        let Some(block) = up else {
            common::fail(
                &dir,
                logs,
                &format!("BIRD never learnt {prefix} with MED 100"),
            );
        };
        assert!(block.contains("(65001,53)"), "{block}");
        assert!(block.contains("BGP.next_hop: 127.0.0.2"), "{block}");
        eprintln!("interop anycast: service up, BIRD has\n{block}");
    }

    std::fs::remove_file(&healthy).expect("fail the service");
    let gone = common::wait_for(|| bird.route("203.0.113.53/32").is_none().then_some(()));
    if gone.is_none() {
        common::fail(
            &dir,
            logs,
            "BIRD kept 203.0.113.53/32 after the check failed",
        );
    }
    eprintln!("interop anycast: service down, BIRD withdrew 203.0.113.53/32");
    let down = common::wait_for(|| {
        bird.route("203.0.113.54/32")
            .filter(|b| b.contains("BGP.med: 1000"))
    });
    let Some(block) = down else {
        common::fail(&dir, logs, "BIRD never saw 203.0.113.54/32 at MED 1000");
    };
    eprintln!("interop anycast: service down, BIRD has\n{block}");

    dir.write("healthy", "");
    let back = common::wait_for(|| bird.route("203.0.113.53/32"));
    if back.is_none() {
        common::fail(
            &dir,
            logs,
            "203.0.113.53/32 did not come back with the service",
        );
    }
    eprintln!("interop anycast: service back, BIRD re-learnt 203.0.113.53/32");
}

#[test]
fn route_blocks_are_cut_at_the_next_route() {
    let table = "Table master4:\n198.51.100.0/24      unicast [speaker] * (100)\n\tBGP.med: 50\n\
                 203.0.113.0/24       unicast [speaker]\n\tBGP.med: 7\n";
    let block = route_block(table, "198.51.100.0/24").expect("found");
    assert!(block.contains("BGP.med: 50"));
    assert!(!block.contains("BGP.med: 7"));
    assert!(route_block(table, "198.51.100.0/2").is_none());
}

/// conf/anycast-healthcheck.conf as shipped (its check, disable file and ASNs swapped for the
/// test's): MED 100 while healthy, 1000 once the check fails, 500 while the disable file exists.
#[test]
fn bird_anycast_example() {
    let Some((bird, birdc)) = binaries("bird_anycast_example") else {
        return;
    };
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conf/anycast-healthcheck.conf");
    let Ok(conf) = std::fs::read_to_string(&example) else {
        common::skip(
            "bird_anycast_example",
            "conf/anycast-healthcheck.conf missing",
        );
        return;
    };
    let dir = Workdir::new("bird-anycast-example");
    let port = common::free_port();
    let bird = Bird::start(&dir, &bird, birdc, port, "");
    let healthy = dir.write("healthy", "");
    let disabled = dir.file("disabled");
    let conf = conf
        .replace(
            "run ferrobgp healthcheck",
            &format!("run {} healthcheck", env!("CARGO_BIN_EXE_ferrobgp")),
        )
        .replace(
            "nslookup -timeout=1 example.org 127.0.0.1",
            &format!("test -e {}", healthy.display()),
        )
        .replace(
            "/run/ferrobgp/dns.disabled",
            &disabled.display().to_string(),
        )
        .replace("--interval 5", "--interval 1")
        .replace("local-as 65010;", "local-as 65001;")
        .replace("peer-as 65020;", "peer-as 65002;");
    assert!(conf.contains("test -e"), "the example changed:\n{conf}");
    let conf = dir.write("speaker.conf", &conf);
    let _speaker = common::start_speaker(&dir, &conf, port);
    let logs = &["speaker.log", "bird.log", "bird.out"];
    let prefix = "198.51.100.53/32";
    let med = |value: &str| {
        let needle = format!("BGP.med: {value}\n");
        common::wait_for(|| {
            bird.route(prefix)
                .filter(|b| format!("{b}\n").contains(&needle))
        })
    };
    let Some(block) = med("100") else {
        common::fail(
            &dir,
            logs,
            "BIRD never learnt the service address at MED 100",
        );
    };
    assert!(block.contains("(65010,53)"), "{block}");
    eprintln!("interop anycast example: healthy\n{block}");
    std::fs::remove_file(&healthy).expect("fail the service");
    if med("1000").is_none() {
        common::fail(
            &dir,
            logs,
            "the MED was not raised to 1000 when the check failed",
        );
    }
    eprintln!("interop anycast example: check failing, MED 1000");
    dir.write("disabled", "");
    if med("500").is_none() {
        common::fail(
            &dir,
            logs,
            "the MED did not go to 500 with the disable file",
        );
    }
    eprintln!("interop anycast example: disabled, MED 500");
}
