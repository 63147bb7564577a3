//! FRR 8 bgpd: IPv4 unicast with ADD-PATH both ways. bgpd runs without zebra (`-Z`), with no
//! vty TCP port and its vty socket in the test folder; loopback next hops are Martians to FRR,
//! so routes use documentation-range next hops (never routed: traffic stays on loopback).

use std::path::Path;
use std::process::Command;

use super::common::{self, Proc, Workdir};

const LOGS: &[&str] = &["speaker.log", "bgpd.log", "bgpd.out", "received.json"];

fn vtysh(vtysh: &Path, dir: &Workdir, command: &str) -> String {
    let socket = dir.path.to_str().unwrap_or_default().to_string();
    common::output(vtysh, &["--vty_socket", &socket, "-c", command])
}

#[test]
fn frr_unicast_add_path() {
    let (Some(bgpd), Some(vtysh_bin)) = (common::find_binary("bgpd"), common::find_binary("vtysh"))
    else {
        common::skip(
            "frr_unicast_add_path",
            "FRR bgpd/vtysh not installed (apt-get install frr; .ci/run does)",
        );
        return;
    };
    let dir = Workdir::new("frr");
    let port = common::free_port();
    let conf = dir.write(
        "bgpd.conf",
        &format!(
            "hostname interop\nlog file {log}\n!\nrouter bgp 65003\n \
             bgp router-id 127.0.0.1\n no bgp ebgp-requires-policy\n no bgp network import-check\n \
             neighbor 127.0.0.2 remote-as 65001\n neighbor 127.0.0.2 passive\n \
             neighbor 127.0.0.2 timers connect 2\n !\n address-family ipv4 unicast\n  \
             network 203.0.113.0/24\n  network 203.0.114.0/24\n  \
             neighbor 127.0.0.2 addpath-tx-all-paths\n exit-address-family\n!\n",
            log = dir.file("bgpd.log").display()
        ),
    );
    let mut command = Command::new(&bgpd);
    command
        .args(["-Z", "-n", "-S", "-l", "127.0.0.1", "-P", "0"])
        .arg("-p")
        .arg(port.to_string())
        .arg("--vty_socket")
        .arg(&dir.path)
        .arg("-i")
        .arg(dir.file("bgpd.pid"))
        .arg("-f")
        .arg(&conf);
    let _bgpd = Proc::spawn("bgpd", command, &dir.file("bgpd.out"), true);
    if common::wait_for(|| dir.file("bgpd.vty").exists().then_some(())).is_none() {
        common::fail(&dir, LOGS, "bgpd did not start");
    }

    let speaker_conf = dir.write(
        "speaker.conf",
        &format!(
            "{}neighbor 127.0.0.1 {{\n  router-id 127.0.0.2;\n  local-address 127.0.0.2;\n  \
             local-as 65001;\n  peer-as 65003;\n  hold-time 30;\n  family {{ ipv4 unicast; }}\n  \
             capability {{ add-path send/receive; }}\n{}  static {{\n    \
             route 198.51.100.0/24 next-hop 192.0.2.1 med 10 path-information 1;\n    \
             route 198.51.100.0/24 next-hop 192.0.2.2 med 20 path-information 2;\n  }}\n}}\n",
            common::helper_processes(&dir),
            common::HELPER_BINDINGS
        ),
    );
    let _speaker = common::start_speaker(&dir, &speaker_conf, port);

    // Speaker -> FRR: both paths of one prefix kept apart by their path identifiers.
    let both = common::wait_for(|| {
        let out = vtysh(&vtysh_bin, &dir, "show bgp ipv4 unicast 198.51.100.0/24");
        (out.contains("2 available") && out.contains("RX 1,") && out.contains("RX 2,"))
            .then_some(out)
    });
    let Some(out) = both else {
        common::fail(&dir, LOGS, "FRR never held both paths of 198.51.100.0/24");
    };
    eprintln!("interop frr: FRR received\n{out}");
    assert!(
        out.contains("192.0.2.1") && out.contains("192.0.2.2"),
        "{out}"
    );

    // FRR -> speaker: its networks arrive with a path identifier.
    for prefix in ["203.0.113.0/24", "203.0.114.0/24"] {
        let seen = common::wait_for(|| {
            let updates = common::updates(&dir.read("received.json"));
            common::announced(&updates, prefix).cloned()
        });
        let Some(update) = seen else {
            common::fail(&dir, LOGS, &format!("the speaker never received {prefix}"));
        };
        let nlri = update
            .announced
            .iter()
            .find(|(_, _, n)| n["nlri"] == prefix)
            .map(|(_, _, n)| n.clone())
            .unwrap_or_default();
        eprintln!(
            "interop frr: speaker received {nlri} with {}",
            update.attributes
        );
        assert!(
            nlri.get("path-information").is_some(),
            "no path id on {nlri}"
        );
        assert_eq!(common::as_path(&update.attributes), [65003]);
    }

    // One path withdrawn: FRR keeps the other.
    common::command(
        &dir,
        "withdraw route 198.51.100.0/24 next-hop 192.0.2.2 path-information 2",
    );
    let one = common::wait_for(|| {
        let out = vtysh(&vtysh_bin, &dir, "show bgp ipv4 unicast 198.51.100.0/24");
        out.contains("1 available").then_some(out)
    });
    let Some(out) = one else {
        common::fail(&dir, LOGS, "FRR kept both paths after withdrawing path 2");
    };
    assert!(
        out.contains("192.0.2.1") && !out.contains("192.0.2.2"),
        "{out}"
    );
    eprintln!("interop frr: after withdrawing path 2 FRR has\n{out}");
}
