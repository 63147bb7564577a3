//! `exabgp.<section>.<key>` settings: environment variables, then an INI file, then defaults.

/// Every setting, by ExaBGP section.
#[derive(Clone, Debug, Default)]
pub struct Settings {}
