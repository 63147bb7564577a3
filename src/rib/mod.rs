//! Routing information bases: what each neighbor should be sent (Adj-RIB-Out).

pub mod intern;
pub mod out;
