//! Routing information bases: what each neighbor should be sent (Adj-RIB-Out) and what it
//! sent (Adj-RIB-In).

pub mod fast_hash;
pub mod intern;
pub mod out;
#[cfg(test)]
mod pending_tests;
pub mod received;
pub mod table;
