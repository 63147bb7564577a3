//! ferrobgp: a BGP speaker that is a drop-in replacement for ExaBGP 5.0.
//!
//! One reactor thread owns all state and runs a `crossbeam_channel::select!` loop; blocking
//! reader threads (peer sockets, helper stdout, signals, listeners) feed it through channels.

pub mod api;
pub mod bgp;
pub mod cli;
pub mod cli_client;
pub mod config;
pub mod daemon;
pub mod decode;
pub mod env;
pub mod healthcheck;
pub mod listener;
pub mod logging;
pub mod peer;
pub mod reactor;
pub mod rib;
pub mod signal;
pub mod validate;
