//! ferrobgp: a BGP speaker that is a drop-in replacement for ExaBGP 5.0.
//!
//! One reactor thread owns all state and runs a `crossbeam_channel::select!` loop; blocking
//! reader threads (peer sockets, helper stdout, signals, listeners) feed it through channels.

pub mod bgp;
pub mod config;
pub mod daemon;
pub mod env;
pub mod peer;
