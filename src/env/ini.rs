//! The INI environment file (`exabgp.env`), read the way Python's configparser reads it:
//! `[section]` headers, `key = value` or `key: value`, `#`/`;` comment lines, indented
//! continuation lines, case-insensitive keys and a `[DEFAULT]` section seen by every section.

use std::collections::HashMap;
use std::fmt;

/// A line the INI reader could not understand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IniError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for IniError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for IniError {}

/// Parsed sections; values are kept raw (unquoting is the reader's business).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ini {
    sections: HashMap<String, HashMap<String, String>>,
}

impl Ini {
    pub fn parse(text: &str) -> Result<Ini, IniError> {
        let mut ini = Ini::default();
        let mut section: Option<String> = None;
        // The option a continuation line extends, with its indentation.
        let mut last: Option<(String, usize)> = None;
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            if trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if let (Some(name), Some((key, key_indent))) = (&section, &last) {
                if indent > *key_indent {
                    if let Some(value) = ini
                        .sections
                        .get_mut(name)
                        .and_then(|keys| keys.get_mut(key))
                    {
                        value.push('\n');
                        value.push_str(trimmed);
                    }
                    continue;
                }
            }
            if let Some(name) = trimmed.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
                ini.sections.entry(name.to_string()).or_default();
                section = Some(name.to_string());
                last = None;
                continue;
            }
            let Some(name) = &section else {
                return Err(IniError {
                    line: number,
                    message: format!("{trimmed:?} comes before any [section] header"),
                });
            };
            let Some(split) = trimmed.find(['=', ':']) else {
                return Err(IniError {
                    line: number,
                    message: format!("{trimmed:?} is not `key = value`"),
                });
            };
            let (key, value) = trimmed.split_at(split);
            let key = key.trim().to_lowercase();
            // split_at keeps the separator at the start of `value`; it is one ASCII byte.
            let value = value.get(1..).unwrap_or("").trim().to_string();
            if key.is_empty() {
                return Err(IniError {
                    line: number,
                    message: format!("{trimmed:?} has no key"),
                });
            }
            ini.sections
                .entry(name.clone())
                .or_default()
                .insert(key.clone(), value);
            last = Some((key, indent));
        }
        Ok(ini)
    }

    /// The value of `key` in `[section]`, falling back to `[DEFAULT]` when the section exists.
    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        let keys = self.sections.get(section)?;
        keys.get(key)
            .or_else(|| self.sections.get("DEFAULT").and_then(|d| d.get(key)))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_keys_and_comments() {
        let text = "# comment\n[exabgp.tcp]\nport = 1790\n; other\nBind: 127.0.0.1\n\n[exabgp.log]\nlevel=DEBUG\n";
        let ini = Ini::parse(text).unwrap_or_default();
        assert_eq!(ini.get("exabgp.tcp", "port"), Some("1790"));
        assert_eq!(ini.get("exabgp.tcp", "bind"), Some("127.0.0.1"));
        assert_eq!(ini.get("exabgp.log", "level"), Some("DEBUG"));
        assert_eq!(ini.get("exabgp.log", "port"), None);
        assert_eq!(ini.get("exabgp.api", "ack"), None);
    }

    #[test]
    fn default_section_applies_to_existing_sections() {
        let ini = Ini::parse("[DEFAULT]\nack = false\n[exabgp.api]\n").unwrap_or_default();
        assert_eq!(ini.get("exabgp.api", "ack"), Some("false"));
        assert_eq!(ini.get("exabgp.bgp", "ack"), None);
    }

    #[test]
    fn continuation_lines_join_with_newlines() {
        let ini = Ini::parse("[s]\nkey = a\n  b\nnext = c\n").unwrap_or_default();
        assert_eq!(ini.get("s", "key"), Some("a\nb"));
        assert_eq!(ini.get("s", "next"), Some("c"));
    }

    #[test]
    fn rejects_lines_outside_sections_and_without_separator() {
        let err = Ini::parse("port = 1\n").err();
        assert_eq!(err.map(|e| e.line), Some(1));
        let err = Ini::parse("[s]\n\njust words\n").err();
        assert_eq!(err.map(|e| e.line), Some(3));
    }
}
