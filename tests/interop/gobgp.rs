//! GoBGP 3: IPv4 FlowSpec and VPNv4 routes from the speaker arrive intact. gobgpd listens on
//! 127.0.0.1 (passive) with accept-route policies and its gRPC API on another loopback port,
//! which the `gobgp` client (`-u ADDR -p PORT`) queries. Next hops are documentation-range
//! addresses: GoBGP refuses loopback ones.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::{self, Proc, Workdir};

const LOGS: &[&str] = &["speaker.log", "gobgpd.out"];

struct GoBgp {
    client: PathBuf,
    api: String,
    _proc: Proc,
}

impl GoBgp {
    fn start(dir: &Workdir, gobgpd: &Path, client: PathBuf, port: u16) -> GoBgp {
        let conf = dir.write(
            "gobgpd.toml",
            &format!(
                r#"[global.config]
  as = 65004
  router-id = "127.0.0.1"
  port = {port}
  local-address-list = ["127.0.0.1"]
[global.apply-policy.config]
  default-import-policy = "accept-route"
  default-export-policy = "accept-route"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.2"
    peer-as = 65001
  [neighbors.transport.config]
    passive-mode = true
    local-address = "127.0.0.1"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-flowspec"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l3vpn-ipv4-unicast"
"#
            ),
        );
        let api_port = common::free_port();
        let api = format!("127.0.0.1:{api_port}");
        let mut command = Command::new(gobgpd);
        command
            .arg("-f")
            .arg(&conf)
            .args(["-t", "toml", "--pprof-disable", "--api-hosts", &api]);
        let proc = Proc::spawn("gobgpd", command, &dir.file("gobgpd.out"), true);
        let gobgp = GoBgp {
            client,
            api: api_port.to_string(),
            _proc: proc,
        };
        if common::wait_for(|| gobgp.cli(&["neighbor"]).contains("127.0.0.2").then_some(()))
            .is_none()
        {
            common::fail(dir, LOGS, "gobgpd did not start");
        }
        gobgp
    }

    fn cli(&self, args: &[&str]) -> String {
        let mut all = vec!["-u", "127.0.0.1", "-p", self.api.as_str()];
        all.extend_from_slice(args);
        common::output(&self.client, &all)
    }
}

/// Start gobgpd and the speaker with `families` and `routes` (inside the neighbor block).
fn session(test: &str, families: &str, routes: &str) -> Option<(Workdir, GoBgp, Proc)> {
    let (Some(gobgpd), Some(client)) =
        (common::find_binary("gobgpd"), common::find_binary("gobgp"))
    else {
        common::skip(
            test,
            "gobgpd/gobgp not installed (apt-get install gobgpd; .ci/run does)",
        );
        return None;
    };
    let dir = Workdir::new(test);
    let port = common::free_port();
    let gobgp = GoBgp::start(&dir, &gobgpd, client, port);
    let conf = dir.write(
        "speaker.conf",
        &format!(
            "neighbor 127.0.0.1 {{\n  router-id 127.0.0.2;\n  local-address 127.0.0.2;\n  \
             local-as 65001;\n  peer-as 65004;\n  hold-time 30;\n  family {{ {families} }}\n\
             {routes}}}\n"
        ),
    );
    let speaker = common::start_speaker(&dir, &conf, port);
    Some((dir, gobgp, speaker))
}

#[test]
fn gobgp_flowspec() {
    let Some((dir, gobgp, _speaker)) = session(
        "gobgp_flowspec",
        "ipv4 flow;",
        "  flow {\n    route ddos {\n      match {\n        destination 198.51.100.7/32;\n        \
         source 192.0.2.0/24;\n        protocol udp;\n        destination-port =53;\n        \
         packet-length >400;\n      }\n      then {\n        discard;\n      }\n    }\n    \
         route police {\n      match {\n        destination 198.51.100.8/32;\n        \
         protocol tcp;\n        destination-port =80;\n      }\n      then {\n        \
         rate-limit 9600;\n      }\n    }\n  }\n",
    ) else {
        return;
    };
    let rib = common::wait_for(|| {
        let out = gobgp.cli(&["global", "rib", "-a", "ipv4-flowspec"]);
        (out.contains("198.51.100.7/32") && out.contains("198.51.100.8/32")).then_some(out)
    });
    let Some(rib) = rib else {
        common::fail(&dir, LOGS, "GoBGP never received both FlowSpec rules");
    };
    eprintln!("interop gobgp: GoBGP received\n{rib}");
    for needle in [
        "[destination: 198.51.100.7/32][source: 192.0.2.0/24][protocol: ==udp][destination-port: ==53][packet-length: >400]",
        "discard",
        "[destination: 198.51.100.8/32][protocol: ==tcp][destination-port: ==80]",
        "rate: 9600",
    ] {
        assert!(rib.contains(needle), "GoBGP's FlowSpec RIB lacks {needle}:\n{rib}");
    }
}

#[test]
fn gobgp_vpnv4() {
    let Some((dir, gobgp, _speaker)) = session(
        "gobgp_vpnv4",
        "ipv4 mpls-vpn;",
        "  static {\n    route 203.0.113.0/24 rd 65001:7 label 100 next-hop 192.0.2.2 \
         extended-community [ target:65001:7 ] med 5;\n    \
         route 198.51.100.0/25 rd 192.0.2.1:8 label 200 next-hop 192.0.2.3 \
         extended-community [ target:65001:8 ];\n  }\n",
    ) else {
        return;
    };
    let rib = common::wait_for(|| {
        let out = gobgp.cli(&["global", "rib", "-a", "vpnv4"]);
        (out.contains("203.0.113.0/24") && out.contains("198.51.100.0/25")).then_some(out)
    });
    let Some(rib) = rib else {
        common::fail(&dir, LOGS, "GoBGP never received both VPNv4 routes");
    };
    eprintln!("interop gobgp: GoBGP received\n{rib}");
    for needle in [
        "65001:7:203.0.113.0/24",
        "[100]",
        "192.0.2.2",
        "65001:7",
        "{Med: 5}",
        "192.0.2.1:8:198.51.100.0/25",
        "[200]",
        "192.0.2.3",
    ] {
        assert!(
            rib.contains(needle),
            "GoBGP's VPNv4 RIB lacks {needle}:\n{rib}"
        );
    }
}

/// conf/flowspec-blackhole.conf and its script, pointed at GoBGP: a rule per listed source,
/// withdrawn when the source leaves the list.
#[test]
fn gobgp_flowspec_blackhole_example() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf");
    let Ok(conf) = std::fs::read_to_string(example.join("flowspec-blackhole.conf")) else {
        common::skip(
            "gobgp_flowspec_blackhole_example",
            "conf/flowspec-blackhole.conf missing",
        );
        return;
    };
    if common::find_binary("python3").is_none() {
        common::skip("gobgp_flowspec_blackhole_example", "python3 not installed");
        return;
    }
    let (Some(gobgpd), Some(client)) =
        (common::find_binary("gobgpd"), common::find_binary("gobgp"))
    else {
        common::skip(
            "gobgp_flowspec_blackhole_example",
            "gobgpd/gobgp not installed (apt-get install gobgpd; .ci/run does)",
        );
        return;
    };
    let dir = Workdir::new("gobgp-blackhole");
    let port = common::free_port();
    let gobgp = GoBgp::start(&dir, &gobgpd, client, port);
    let blocklist = dir.write("blocklist", "192.0.2.66\n# a comment\n203.0.113.0/24\n");
    let script = example.join("scripts/flowspec-blackhole.py");
    let conf = conf
        .replace(
            "./scripts/flowspec-blackhole.py /run/ferrobgp/blocklist",
            &format!("{} {}", script.display(), blocklist.display()),
        )
        .replace("local-as 65010;", "local-as 65001;")
        .replace("peer-as 65020;", "peer-as 65004;");
    assert!(
        conf.contains(&blocklist.display().to_string()),
        "example changed: {conf}"
    );
    let conf = dir.write("speaker.conf", &conf);
    let _speaker = common::start_speaker(&dir, &conf, port);
    let rules = |want: usize| {
        common::wait_for(|| {
            let out = gobgp.cli(&["global", "rib", "-a", "ipv4-flowspec"]);
            (out.matches("[discard]").count() == want).then_some(out)
        })
    };
    let Some(out) = rules(2) else {
        common::fail(&dir, LOGS, "GoBGP never held the two blackhole rules");
    };
    eprintln!("interop gobgp: blackhole rules\n{out}");
    assert!(
        out.contains("[destination: 198.51.100.0/24][source: 192.0.2.66/32]"),
        "{out}"
    );
    assert!(
        out.contains("[destination: 198.51.100.0/24][source: 203.0.113.0/24]"),
        "{out}"
    );
    dir.write("blocklist", "192.0.2.66\n");
    let Some(out) = rules(1) else {
        common::fail(
            &dir,
            LOGS,
            "the rule of a source removed from the list stayed",
        );
    };
    assert!(out.contains("[source: 192.0.2.66/32]"), "{out}");
    eprintln!("interop gobgp: after removing 203.0.113.0/24 from the list\n{out}");
}
