//! Keeps the mutation fuzzer (`src/bin/ferrobgp-fuzz.rs`) working: a short run over every
//! target must find its seeds and no panic. Long runs (10 million executions per target) are
//! made by hand: `cargo run --release --bin ferrobgp-fuzz -- all 10000000`.

use std::process::Command;

#[test]
fn short_fuzz_run_finds_no_panic() {
    let out = Command::new(env!("CARGO_BIN_EXE_ferrobgp-fuzz"))
        .args(["all", "20000", "3"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run ferrobgp-fuzz");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(out.status.success(), "{text}");
    for target in ["message", "config", "command"] {
        assert!(
            text.contains(&format!("{target}: 20000 executions")),
            "{target} did not run:\n{text}"
        );
    }
}
