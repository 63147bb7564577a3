//! A cursor over a statement's words, producing `ConfigError`s that point at the word at fault.

use std::path::Path;

use super::lexer::Token;
use super::{ConfigError, Location};

pub struct Words<'a> {
    toks: &'a [Token],
    pos: usize,
    file: &'a Path,
    /// Where to point when the words run out (the statement's start).
    end: (u32, u32),
}

impl<'a> Words<'a> {
    pub fn new(toks: &'a [Token], file: &'a Path) -> Words<'a> {
        let end = toks.last().map_or((0, 0), |t| (t.line, t.col));
        Words {
            toks,
            pos: 0,
            file,
            end,
        }
    }

    pub fn file(&self) -> &'a Path {
        self.file
    }

    pub fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.pos)
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// The next word, or an error saying what was expected.
    pub fn next(&mut self, what: &str) -> Result<&'a Token, ConfigError> {
        match self.toks.get(self.pos) {
            Some(t) => {
                self.pos += 1;
                Ok(t)
            }
            None => Err(self.error_end(format!("missing {what}"))),
        }
    }

    /// Consume the next word when it is the unquoted `p`.
    pub fn eat(&mut self, p: &str) -> bool {
        if self.peek().is_some_and(|t| t.is(p)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// A single value or a `[ a b , c ]` list, commas ignored.
    pub fn list(&mut self, what: &str) -> Result<Vec<&'a Token>, ConfigError> {
        let first = self.next(what)?;
        if !first.is("[") {
            return Ok(vec![first]);
        }
        let mut v = Vec::new();
        loop {
            let t = self.next(&format!("']' closing the {what} list"))?;
            if t.is("]") {
                return Ok(v);
            }
            if !t.is(",") {
                v.push(t);
            }
        }
    }

    pub fn error_at(&self, tok: &Token, message: impl Into<String>) -> ConfigError {
        error(self.file, tok.line, tok.col, message)
    }

    pub fn error_end(&self, message: impl Into<String>) -> ConfigError {
        error(self.file, self.end.0, self.end.1, message)
    }
}

pub fn error(file: &Path, line: u32, col: u32, message: impl Into<String>) -> ConfigError {
    ConfigError {
        location: Location {
            file: file.to_path_buf(),
            line,
            col,
        },
        message: message.into(),
    }
}

/// A decimal or `0x` hexadecimal unsigned integer.
pub fn parse_int(s: &str) -> Option<u64> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// An ASN: asplain, or asdot `a.b` as ExaBGP accepts.
pub fn parse_asn(s: &str) -> Option<u32> {
    if let Some((hi, lo)) = s.split_once('.') {
        let hi: u16 = hi.parse().ok()?;
        let lo: u16 = lo.parse().ok()?;
        return Some((u32::from(hi) << 16) | u32::from(lo));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `true|false|enable|disable` as ExaBGP's boolean.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "enable" | "enabled" => Some(true),
        "false" | "disable" | "disabled" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_int("0x10"), Some(16));
        assert_eq!(parse_int("12"), Some(12));
        assert_eq!(parse_int("-1"), None);
        assert_eq!(parse_asn("1.10"), Some(65546));
        assert_eq!(parse_asn("4200000000"), Some(4_200_000_000));
        assert_eq!(parse_asn("x"), None);
        assert_eq!(parse_bool("enable"), Some(true));
    }

    #[test]
    fn lists_skip_commas_and_report_missing_end() {
        let toks: Vec<Token> = ["[", "a", ",", "b", "]"]
            .iter()
            .map(|s| Token::word(s))
            .collect();
        let mut w = Words::new(&toks, Path::new("f"));
        let v: Vec<&str> = w
            .list("x")
            .unwrap()
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(v, ["a", "b"]);
        let toks: Vec<Token> = ["[", "a"].iter().map(|s| Token::word(s)).collect();
        assert!(Words::new(&toks, Path::new("f")).list("x").is_err());
    }
}
