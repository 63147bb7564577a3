//! `exabgp.<section>.<key>` settings: environment variables, then an INI file, then defaults.
