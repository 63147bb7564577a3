//! Helper processes: the API that ExaBGP-compatible helpers speak.

pub mod command;
pub mod encode;
pub mod pattern;
pub mod pipe;
pub mod process;
