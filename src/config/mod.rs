//! The ExaBGP 5.0 configuration language: lexer, parser, templates and checks.

pub mod check;
pub mod community;
pub mod flow;
pub mod l2vpn_mcast_mup;
pub mod lexer;
pub mod model;
pub mod mpls;
pub mod neighbor;
pub mod parser;
pub mod partial;
pub mod reader;
pub mod route;
pub mod route_list;
pub mod srv6;
pub mod static_routes;
pub mod tree;
pub mod words;

use std::fmt;
use std::path::Path;

pub use check::check_programs;
pub use lexer::{tokenize_line, Token};
pub use model::*;
pub use route::{
    parse_attributes_nlri, parse_attributes_nlri_for, parse_family_route, parse_route_words,
    parse_route_words_for,
};

/// A configuration error, shown as `file:line:col: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Read and parse one configuration file (read a block at a time, never held whole).
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    parser::parse_file(path)
}

/// Parse configuration text; `path` names it in errors and anchors relative program paths.
pub fn load_str(text: &str, path: &Path) -> Result<Config, ConfigError> {
    parser::parse(text, path)
}

impl ConfigError {
    /// True for a construct that is valid ExaBGP but not implemented yet (`unsupported: ...`).
    pub fn is_unsupported(&self) -> bool {
        self.message.starts_with("unsupported:")
    }
}
