//! How each kind of setting is read from text and written back, as ExaBGP's
//! `environment/parsing.py` does (same accepted spellings, same printed forms).

use std::net::IpAddr;

use crate::config::Encoder;

/// A setting's value type: parsed from an environment variable or INI value, printed by `env`.
pub trait Value: Sized {
    /// Parse a raw value; the error is the reason, the caller adds the key and the value.
    fn read(raw: &str) -> Result<Self, String>;
    /// The INI form `ferrobgp env` prints (quoted where ExaBGP quotes).
    fn write(&self) -> String;
}

/// ExaBGP's `unquote`: surrounding blanks, then any run of quote characters at either end.
pub fn unquote(raw: &str) -> &str {
    raw.trim().trim_matches(|c| c == '\'' || c == '"')
}

fn quote(text: &str) -> String {
    format!("'{text}'")
}

impl Value for bool {
    // ExaBGP treats every other spelling (including "false", "off", a typo or a padded
    // " true") as false without complaint; we keep that so the same env files mean the same.
    fn read(raw: &str) -> Result<Self, String> {
        Ok(matches!(
            raw.to_lowercase().as_str(),
            "1" | "yes" | "on" | "enable" | "true"
        ))
    }
    fn write(&self) -> String {
        self.to_string()
    }
}

fn integer<T: std::str::FromStr>(raw: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    // Python's int() allows blanks around the digits and `_` between them.
    let cleaned: String = raw.trim().chars().filter(|c| *c != '_').collect();
    cleaned
        .parse::<T>()
        .map_err(|e| format!("not a valid number ({e})"))
}

impl Value for u16 {
    fn read(raw: &str) -> Result<Self, String> {
        integer(raw)
    }
    fn write(&self) -> String {
        self.to_string()
    }
}

impl Value for u32 {
    fn read(raw: &str) -> Result<Self, String> {
        integer(raw)
    }
    fn write(&self) -> String {
        self.to_string()
    }
}

impl Value for f64 {
    fn read(raw: &str) -> Result<Self, String> {
        let value: f64 = raw
            .trim()
            .parse()
            .map_err(|e| format!("not a valid number ({e})"))?;
        if value.is_finite() {
            Ok(value)
        } else {
            Err("not a finite number".into())
        }
    }
    fn write(&self) -> String {
        // `{:?}` keeps the `.0` Python prints for whole floats ("1.0", not "1").
        format!("{self:?}")
    }
}

impl Value for String {
    fn read(raw: &str) -> Result<Self, String> {
        Ok(unquote(raw).to_string())
    }
    fn write(&self) -> String {
        quote(self)
    }
}

/// `tcp.bind`: blank-separated addresses; an empty list means "do not listen".
impl Value for Vec<IpAddr> {
    fn read(raw: &str) -> Result<Self, String> {
        unquote(raw)
            .split(' ')
            .filter(|word| !word.is_empty())
            .map(|word| {
                word.parse::<IpAddr>()
                    .map_err(|_| format!("ip {word} is invalid"))
            })
            .collect()
    }
    fn write(&self) -> String {
        let joined: Vec<String> = self.iter().map(IpAddr::to_string).collect();
        quote(&joined.join(" "))
    }
}

/// `log.level`: the syslog-style threshold names ExaBGP accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Fatal,
    Critical,
    Error,
    Warning,
    Info,
    Debug,
    NotSet,
}

impl Level {
    const NAMES: [(Level, &'static str); 7] = [
        (Level::Fatal, "FATAL"),
        (Level::Critical, "CRITICAL"),
        (Level::Error, "ERROR"),
        (Level::Warning, "WARNING"),
        (Level::Info, "INFO"),
        (Level::Debug, "DEBUG"),
        (Level::NotSet, "NOTSET"),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(level, _)| *level == self)
            .map_or("INFO", |(_, name)| name)
    }

    /// The `log` crate threshold: `log` has no CRITICAL/FATAL, so those keep errors only;
    /// NOTSET lets everything through, trace included.
    pub fn filter(self) -> log::LevelFilter {
        match self {
            Level::Fatal | Level::Critical | Level::Error => log::LevelFilter::Error,
            Level::Warning => log::LevelFilter::Warn,
            Level::Info => log::LevelFilter::Info,
            Level::Debug => log::LevelFilter::Debug,
            Level::NotSet => log::LevelFilter::Trace,
        }
    }
}

impl Value for Level {
    fn read(raw: &str) -> Result<Self, String> {
        let upper = unquote(raw).to_uppercase();
        Self::NAMES
            .iter()
            .find(|(_, name)| *name == upper)
            .map(|(level, _)| *level)
            .ok_or_else(|| format!("invalid log level {upper}"))
    }
    fn write(&self) -> String {
        self.name().to_string()
    }
}

/// `daemon.umask`, read as octal (`0137`, `0o137` or `137`) and printed `'0o137'`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Umask(pub u32);

impl Value for Umask {
    fn read(raw: &str) -> Result<Self, String> {
        let cleaned: String = raw.trim().chars().filter(|c| *c != '_').collect();
        let digits = cleaned
            .strip_prefix("0o")
            .or_else(|| cleaned.strip_prefix("0O"))
            .unwrap_or(&cleaned);
        u32::from_str_radix(digits, 8)
            .map(Umask)
            .map_err(|_| format!("{raw} is not an octal number"))
    }
    fn write(&self) -> String {
        format!("'0o{:o}'", self.0)
    }
}

impl Value for Encoder {
    fn read(raw: &str) -> Result<Self, String> {
        match raw.to_lowercase().as_str() {
            "text" => Ok(Encoder::Text),
            "json" => Ok(Encoder::Json),
            _ => Err("invalid encoder (must be text or json)".into()),
        }
    }
    fn write(&self) -> String {
        match self {
            Encoder::Text => "text".into(),
            Encoder::Json => "json".into(),
        }
    }
}

/// `api.show-routes-format`: the JSON shape of `show adj-rib ... json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowRoutesFormat {
    V1,
    V2,
}

impl Value for ShowRoutesFormat {
    fn read(raw: &str) -> Result<Self, String> {
        match raw.to_lowercase().as_str() {
            "v1" => Ok(ShowRoutesFormat::V1),
            "v2" => Ok(ShowRoutesFormat::V2),
            _ => Err("invalid show-routes-format (must be v1 or v2)".into()),
        }
    }
    fn write(&self) -> String {
        match self {
            ShowRoutesFormat::V1 => "v1".into(),
            ShowRoutesFormat::V2 => "v2".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_follow_exabgp_spellings() {
        for yes in ["1", "yes", "ON", "Enable", "true", "TRUE"] {
            assert_eq!(bool::read(yes), Ok(true), "{yes}");
        }
        // Anything else is false, padded values included (ExaBGP does not strip env values).
        for no in ["0", "false", "off", "no", "disable", "", " true", "truthy"] {
            assert_eq!(bool::read(no), Ok(false), "{no}");
        }
    }

    #[test]
    fn integers_accept_python_forms_and_reject_junk() {
        assert_eq!(u16::read(" 1790 "), Ok(1790));
        assert_eq!(u32::read("1_000"), Ok(1000));
        assert_eq!(u32::read("+5"), Ok(5));
        assert!(u16::read("70000").is_err());
        assert!(u32::read("-1").is_err());
        assert!(u32::read("ten").is_err());
    }

    #[test]
    fn floats_print_like_python() {
        assert_eq!(f64::read("1").map(|v| v.write()), Ok("1.0".to_string()));
        assert_eq!(f64::read("0.5").map(|v| v.write()), Ok("0.5".to_string()));
        assert!(f64::read("nan").is_err());
    }

    #[test]
    fn strings_unquote_and_print_quoted() {
        assert_eq!(
            String::read(" '/var/run/x.pid' "),
            Ok("/var/run/x.pid".into())
        );
        assert_eq!(String::read("\"'both'\""), Ok("both".into()));
        assert_eq!(String::new().write(), "''");
    }

    #[test]
    fn bind_lists_parse_both_families() {
        let ips = Vec::<IpAddr>::read("127.0.0.1  ::1").unwrap_or_default();
        assert_eq!(ips.len(), 2);
        assert_eq!(ips.write(), "'127.0.0.1 ::1'");
        assert_eq!(Vec::<IpAddr>::read(""), Ok(vec![]));
        assert_eq!(Vec::<IpAddr>::new().write(), "''");
        let err = Vec::<IpAddr>::read("127.0.0.1 localhost").err();
        assert_eq!(err.as_deref(), Some("ip localhost is invalid"));
    }

    #[test]
    fn levels_are_case_insensitive_and_checked() {
        assert_eq!(Level::read("debug"), Ok(Level::Debug));
        assert_eq!(Level::read("NOTSET"), Ok(Level::NotSet));
        assert_eq!(Level::Warning.write(), "WARNING");
        assert!(Level::read("verbose").is_err());
        assert_eq!(Level::Critical.filter(), log::LevelFilter::Error);
    }

    #[test]
    fn umask_is_octal_in_and_out() {
        assert_eq!(Umask::read("0137"), Ok(Umask(0o137)));
        assert_eq!(Umask::read("0o22"), Ok(Umask(0o22)));
        assert_eq!(Umask::read("022").map(|u| u.write()), Ok("'0o22'".into()));
        assert_eq!(Umask(0).write(), "'0o0'");
        assert!(Umask::read("0999").is_err());
    }

    #[test]
    fn encoder_and_routes_format_are_closed_sets() {
        assert_eq!(Encoder::read("TEXT"), Ok(Encoder::Text));
        assert!(Encoder::read("yaml").is_err());
        assert_eq!(ShowRoutesFormat::read("V2"), Ok(ShowRoutesFormat::V2));
        assert!(ShowRoutesFormat::read("v3").is_err());
    }
}
