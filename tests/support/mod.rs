//! Shared test support: the functional-suite runner (suite README §1-2).
#![allow(dead_code)]

pub mod case;
pub mod probe;
pub mod proc;
pub mod run;
pub mod suite;
