//! Helper processes: the API that ExaBGP-compatible helpers speak.

pub mod encode;
