//! Interoperability with real BGP implementations from Debian's packages (installed by
//! `.ci/run`): BIRD 2, GoBGP 3 and FRR 8, each run unprivileged on loopback (127.0.0.1, the
//! speaker on 127.0.0.2) with its own configuration and sockets in a temporary folder, killed
//! by pid. A test whose peer is not installed prints why and passes.
//!
//! FERROBGP_INTEROP_DAEMON=exabgp runs the same tests against ExaBGP 5.0, to check a test
//! itself; FERROBGP_INTEROP_KEEP=1 keeps the folders (configurations and logs).

#[path = "interop/bird.rs"]
mod bird;
#[path = "interop/common.rs"]
mod common;
#[path = "interop/frr.rs"]
mod frr;
#[path = "interop/gobgp.rs"]
mod gobgp;
