//! A mutation fuzzer for ferrobgp's input parsers: BGP messages (every family, with and
//! without ADD-PATH), configuration text, and helper command lines. Seeds come from the
//! project's own files (the decode corpus, conf/ examples, the functional configs); each run
//! mutates them (bit flips, byte sets, insertions, deletions, truncations, splices) and checks
//! that no input makes a parser panic. A panic prints the input (hex) and exits 1.
//!
//! Usage: `ferrobgp-fuzz [message|config|command|all] [EXECUTIONS] [SEED]`
//! (defaults: all, 1000000 per target, seed 1). Run it from the repository root.

use std::collections::HashMap;
use std::panic;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use ferrobgp::bgp::message::{Message, HEADER_LEN};
use ferrobgp::bgp::{Family, Negotiated};

/// xorshift64*: fast and deterministic, so a failing run can be repeated from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(seed);
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                out[i] = [0x00, 0xff, 0x7f, 0x80, 0x01][rng.below(5)];
            }
            2 => {
                let i = rng.below(len + 1);
                out.insert(i, rng.next() as u8);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(8));
                out.drain(i..i + n);
            }
            4 => out.truncate(rng.below(len + 1)),
            5 if !other.is_empty() => {
                // Splice: our head, the other seed's tail.
                let cut = rng.below(len + 1);
                let from = rng.below(other.len());
                out.truncate(cut);
                out.extend_from_slice(&other[from..]);
            }
            _ if len > 0 => {
                let i = rng.below(len);
                out[i] = rng.next() as u8;
            }
            _ => out.push(rng.next() as u8),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

fn message_seeds() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string("tests/decode/corpus.jsonl").unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<HashMap<String, serde_json::Value>>(l).ok())
        .filter_map(|m| m.get("hex").and_then(|h| h.as_str()).and_then(unhex))
        .filter(|b| b.len() >= HEADER_LEN)
        .collect()
}

fn text_seeds(dirs: &[&str]) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "conf") {
                if let Ok(b) = std::fs::read(e.path()) {
                    seeds.push(b);
                }
            }
        }
    }
    seeds
}

const COMMANDS: &[&str] = &[
    "announce route 10.0.0.0/24 next-hop self med 100 community [65000:1 no-export] as-path [ 1 2 3 ]",
    "neighbor 127.0.0.1 local-as 1 withdraw route 10.0.0.0/24 next-hop 1.2.3.4",
    "announce attributes next-hop 1.1.1.1 local-preference 200 nlri 10.0.0.0/24 10.0.1.0/24",
    "announce ipv6 unicast 2001:db8::/32 next-hop 2001:db8::1 large-community [1:2:3]",
    "announce flow route { match { source 10.0.0.1/32; destination-port =80; protocol tcp; } then { discard; } }",
    "announce route 10.0.0.0/24 next-hop 1.1.1.1 rd 65000:1 label [ 100 ] extended-community [ target:65000:1 ]",
    "announce vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.168.201.1",
    "neighbor 127.0.0.1, neighbor 127.0.0.2 announce eor ipv4 unicast",
    "show adj-rib out extensive json",
    "teardown 2",
];

fn run_target(
    name: &str,
    execs: u64,
    rng: &mut Rng,
    seeds: &[Vec<u8>],
    check: impl Fn(&[u8]),
) -> bool {
    if seeds.is_empty() {
        println!("{name}: no seeds found (run from the repository root)");
        return false;
    }
    let start = Instant::now();
    let mut input = Vec::new();
    for _ in 0..execs {
        let seed = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())];
        mutate(rng, seed, other, &mut input);
        if panic::catch_unwind(panic::AssertUnwindSafe(|| check(&input))).is_err() {
            println!("{name}: PANIC on input {}", hex(&input));
            return false;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{name}: {execs} executions, {} seeds, 0 crashes, {secs:.1} s ({:.0}/s)",
        seeds.len(),
        execs as f64 / secs
    );
    true
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().map_or("all", String::as_str);
    let execs: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1).max(1));
    // The panic message is printed by run_target with the input; keep stderr quiet.
    panic::set_hook(Box::new(|_| {}));

    let plain = Negotiated::default();
    let addpath = Negotiated {
        addpath_receive: Family::ALL.to_vec(),
        asn4: false,
        max_message: 65535,
        ..Negotiated::default()
    };
    let mut ok = true;
    if matches!(target, "message" | "all") {
        ok &= run_target("message", execs, &mut rng, &message_seeds(), |bytes| {
            let kind = bytes.get(18).copied().unwrap_or(2);
            let body = bytes.get(HEADER_LEN..).unwrap_or_default();
            let _ = ferrobgp::bgp::message::parse_header(
                bytes.get(..HEADER_LEN).unwrap_or_default(),
                65535,
            );
            let _ = Message::decode(kind, body, &plain);
            let _ = Message::decode(kind, body, &addpath);
        });
    }
    if matches!(target, "config" | "all") {
        let seeds = text_seeds(&["conf", "tests/functional/etc", "tests/decode"]);
        ok &= run_target("config", execs, &mut rng, &seeds, |bytes| {
            let text = String::from_utf8_lossy(bytes);
            let _ = ferrobgp::config::load_str(&text, Path::new("fuzz.conf"));
        });
    }
    if matches!(target, "command" | "all") {
        let seeds: Vec<Vec<u8>> = COMMANDS.iter().map(|c| c.as_bytes().to_vec()).collect();
        ok &= run_target("command", execs, &mut rng, &seeds, |bytes| {
            let _ = ferrobgp::api::command::parse(&String::from_utf8_lossy(bytes));
        });
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
