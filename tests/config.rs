//! Loads every configuration of the shared ExaBGP functional suite: each must parse, or fail
//! with an `unsupported:` error for a family not implemented yet. Nothing is started.

use std::path::PathBuf;

use ferrobgp::config;

fn suite_etc() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/exabgp-suite/etc");
    dir.is_dir().then_some(dir)
}

#[test]
fn every_suite_configuration_parses_or_is_unsupported() {
    let Some(dir) = suite_etc() else {
        println!("skipped: ../shared/exabgp-suite/etc is absent (the shared functional suite is not checked out)");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("suite folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    files.sort();
    let (mut parsed, mut unsupported, mut failed) = (0, Vec::new(), Vec::new());
    for f in &files {
        // A panic is a failure of its own: catch it to name the file, then fail the test.
        let result = std::panic::catch_unwind(|| config::load(f));
        match result {
            Ok(Ok(_)) => parsed += 1,
            Ok(Err(e)) if e.is_unsupported() => unsupported.push(e.to_string()),
            Ok(Err(e)) => failed.push(e.to_string()),
            Err(_) => failed.push(format!("{}: PANIC", f.display())),
        }
    }
    println!(
        "{parsed} parsed, {} unsupported, {} failed",
        unsupported.len(),
        failed.len()
    );
    for u in &unsupported {
        println!("  unsupported {u}");
    }
    for e in &failed {
        println!("  FAILED {e}");
    }
    assert_eq!(files.len(), parsed + unsupported.len() + failed.len());
    // Every configuration of the suite is accepted by ExaBGP 5.0.15 (`exabgp validate`, with
    // its helper programs present), so any other error is a parser bug.
    assert!(
        failed.is_empty(),
        "{} configurations failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// No input panics the parser: every prefix of every suite configuration (cut every few
/// characters), and each with a brace, bracket or quote dropped in, is parsed to Ok or Err.
#[test]
fn truncated_and_mangled_configurations_never_panic() {
    let Some(dir) = suite_etc() else {
        println!("skipped: ../shared/exabgp-suite/etc is absent");
        return;
    };
    let mut runs = 0usize;
    for entry in std::fs::read_dir(&dir)
        .expect("suite folder is readable")
        .flatten()
    {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
        for cut in cuts {
            let head = text.get(..cut).unwrap_or_default();
            for extra in ["", "}", "{", "[", "\"", "(", ";"] {
                let mangled = format!("{head}{extra}{}", text.get(cut..).unwrap_or_default());
                let outcome = std::panic::catch_unwind(|| {
                    let _ = config::load_str(head, &path);
                    let _ = config::load_str(&mangled, &path);
                });
                assert!(
                    outcome.is_ok(),
                    "panic in {} cut at {cut} with {extra:?}",
                    path.display()
                );
                runs += 1;
            }
        }
    }
    println!("{runs} mangled configurations parsed without a panic");
}

#[test]
fn errors_carry_file_line_and_column() {
    let path = PathBuf::from("/tmp/inline.conf");
    let e = config::load_str(
        "neighbor 127.0.0.1 {\n  local-as 1;\n  peer-as x;\n}\n",
        &path,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "/tmp/inline.conf:3:11: invalid peer-as \"x\""
    );
    let e = config::load_str("neighbor 127.0.0.1 {\n}\n}\nneighbor", &path).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("/tmp/inline.conf:3:1: unbalanced"),
        "{e}"
    );
}

#[test]
fn route_words_are_reusable_by_the_api() {
    let words = config::tokenize_line("10.0.0.0/24 next-hop self med 100 split /25").unwrap();
    let routes = config::parse_route_words(&words, None, std::path::Path::new("api")).unwrap();
    assert_eq!(routes.len(), 2);
    assert_eq!(routes[0].attributes.med, Some(100));
}

/// Diagnostic: `cargo test --test config dump -- --ignored --nocapture` prints, per suite
/// configuration, the route count, to compare with `exabgp validate -nrv` ("rib insert" lines).
#[test]
#[ignore]
fn dump() {
    let Some(dir) = suite_etc() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("suite folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    files.sort();
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match config::load(f) {
            Ok(c) => {
                println!(
                    "{name} {}",
                    c.neighbors.iter().map(|n| n.routes.len()).sum::<usize>()
                );
                for n in &c.neighbors {
                    let f: Vec<String> = n.families.iter().map(|f| format!(" {f};")).collect();
                    println!("FAMILY {name} {}", f.join(""));
                    let b = |v: bool| if v { "enable" } else { "disable" };
                    let cap = &n.capabilities;
                    let gr = cap
                        .graceful_restart
                        .map_or("disable".to_string(), |s| s.to_string());
                    let ap = match cap.add_path {
                        None => "disable",
                        Some(ferrobgp::bgp::capability::AddPathMode::Send) => "send",
                        Some(ferrobgp::bgp::capability::AddPathMode::Receive) => "receive",
                        Some(ferrobgp::bgp::capability::AddPathMode::Both) => "send/receive",
                        Some(ferrobgp::bgp::capability::AddPathMode::Other(_)) => "invalid",
                    };
                    let kv = [
                        (
                            "router-id",
                            n.router_id.map_or("None".into(), |r| r.to_string()),
                        ),
                        ("local-as", n.local_as.to_string()),
                        (
                            "peer-as",
                            n.peer_as.map_or("auto".into(), |a| a.to_string()),
                        ),
                        ("hold-time", n.hold_time.to_string()),
                        ("passive", n.passive.to_string()),
                        ("group-updates", n.group_updates.to_string()),
                        ("adj-rib-out", n.adj_rib_out.to_string()),
                        ("manual-eor", n.manual_eor.to_string()),
                        ("asn4", b(cap.asn4).into()),
                        ("route-refresh", b(cap.route_refresh).into()),
                        ("graceful-restart", gr),
                        ("software-version", b(cap.software_version).into()),
                        ("nexthop", b(cap.nexthop).into()),
                        ("add-path", ap.into()),
                        ("multi-session", b(cap.multi_session).into()),
                        ("operational", b(cap.operational).into()),
                        ("aigp", b(cap.aigp).into()),
                    ];
                    for (k, v) in kv {
                        println!("CFG {name} {k} {v};");
                    }
                    for r in &n.routes {
                        let nh = match r.attributes.next_hop {
                            Some(ferrobgp::bgp::attribute::NextHop::Addr(a)) => a.to_string(),
                            Some(ferrobgp::bgp::attribute::NextHop::SelfAddr) => "self".into(),
                            None => "none".into(),
                        };
                        if let ferrobgp::bgp::Nlri::Inet { prefix, .. } = &r.nlri {
                            if !r.withdrawn() {
                                println!("RIB {name} {prefix} {nh}");
                            }
                        }
                    }
                    for f in &n.add_path_families {
                        println!("CFG {name} AP {f};");
                    }
                }
            }
            Err(e) => println!("{name} ERR {e}"),
        }
    }
}

/// `ferrobgp validate -r` itself (the binary) on every upstream configuration: exit 0 (every
/// route survives encode, decode, encode), or exit 1 with a located `unsupported:` error;
/// never a crash.
#[test]
fn validate_command_on_every_suite_configuration() {
    let Some(etc) = suite_etc() else {
        println!("skipped: ../shared/exabgp-suite/etc is absent (the shared functional suite is not checked out)");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&etc)
        .expect("read etc")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    files.sort();
    let (mut valid, mut unsupported, mut failed) = (0, 0, Vec::new());
    for f in &files {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ferrobgp"))
            .arg("validate")
            .arg("-r")
            .arg(f)
            .env("exabgp_log_enable", "false")
            .output()
            .expect("run ferrobgp validate");
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => valid += 1,
            Some(1) if stderr.contains("unsupported:") && stderr.contains(".conf:") => {
                unsupported += 1
            }
            _ => failed.push(format!("{}: {:?} {stderr}", f.display(), out.status)),
        }
    }
    println!(
        "ferrobgp validate -r: {valid} valid, {unsupported} unsupported, {} failed (of {})",
        failed.len(),
        files.len()
    );
    assert!(
        failed.is_empty(),
        "validate failed on:\n{}",
        failed.join("\n")
    );
}
