//! Routing information bases: what each neighbor should be sent (Adj-RIB-Out).

pub mod fast_hash;
pub mod intern;
pub mod out;
#[cfg(test)]
mod pending_tests;
