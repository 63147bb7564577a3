//! Parser for the functional suite's `.msg` files (suite README §3): options, rules, groups.

use std::collections::BTreeMap;
use std::fmt;

/// What the peer must do besides checking messages (README §3, option lines).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    pub bind_ipv6: bool,
    pub send_unknown_capability: bool,
    pub inspect_open: bool,
    pub send_default_route: bool,
    pub send_unknown_message: bool,
    /// `option:asn:N`: reply with this AS instead of the daemon's own.
    pub asn: Option<u16>,
    /// Read by the runner; the peer only keeps it.
    pub tcp_connections: Option<u32>,
}

/// One rule line, normalised as README §3.1 says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Upper-case hex of a message the daemon must send, with or without the marker.
    Raw(String),
    /// Signal name to send to the daemon, lower-case as stored (`sigusr1`).
    Signal(String),
    /// Text of the Cease NOTIFICATION the peer sends (after the last colon, lower-case).
    Notification(String),
    /// Any other kind: stored, never matches (kept so a stray rule blocks its group visibly).
    Other { kind: String, content: String },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Raw(hex) => write!(f, "raw:{hex}"),
            Rule::Signal(name) => write!(f, "signal:{name}"),
            Rule::Notification(text) => write!(f, "notification:{text}"),
            Rule::Other { kind, content } => write!(f, "{kind}:{content}"),
        }
    }
}

/// Rules sharing one (connection letter, sequence number), in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub letter: char,
    pub seq: u64,
    pub rules: Vec<Rule>,
}

impl Group {
    pub fn label(&self) -> String {
        format!("{}{}", self.letter, self.seq)
    }
}

/// A parsed `.msg` file: options plus groups in consumption order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MsgFile {
    pub options: Options,
    pub groups: Vec<Group>,
}

/// Why a `.msg` file was rejected; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub msg: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.msg)
    }
}

impl std::error::Error for ParseError {}

/// The Cease NOTIFICATION length byte is `21 + len`, one byte wide (README §4.4).
pub const MAX_NOTIFICATION_TEXT: usize = 234;

pub fn parse(text: &str) -> Result<MsgFile, ParseError> {
    let mut options = Options::default();
    let mut groups: BTreeMap<(char, u64), Vec<Rule>> = BTreeMap::new();
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw_line.trim();
        // A `#` anywhere comments the whole line out, so `# 1:raw:...` disables a rule.
        if line.is_empty() || line.contains('#') {
            continue;
        }
        let err = |msg: String| ParseError { line: line_no, msg };
        if line.starts_with("option:") {
            parse_option(line, &mut options).map_err(err)?;
            continue;
        }
        let (key, rule) = parse_rule(line).map_err(err)?;
        groups.entry(key).or_default().push(rule);
    }
    let groups = groups
        .into_iter()
        .map(|((letter, seq), rules)| Group { letter, seq, rules })
        .collect();
    Ok(MsgFile { options, groups })
}

fn parse_option(line: &str, options: &mut Options) -> Result<(), String> {
    match line {
        "option:bind:ipv6" => options.bind_ipv6 = true,
        "option:open:send-unknown-capability" => options.send_unknown_capability = true,
        "option:open:inspect-open-message" => options.inspect_open = true,
        "option:update:send-default-route" => options.send_default_route = true,
        "option:open:send-unknown-message" => options.send_unknown_message = true,
        _ => {
            if let Some(value) = line.strip_prefix("option:asn:") {
                let asn = value
                    .parse::<u16>()
                    .map_err(|_| format!("option:asn needs a 16-bit AS number, got {value:?}"))?;
                options.asn = Some(asn);
            } else if let Some(value) = line.strip_prefix("option:tcp_connections:") {
                let n = value
                    .parse::<u32>()
                    .map_err(|_| format!("option:tcp_connections needs a number, got {value:?}"))?;
                options.tcp_connections = Some(n);
            } else if line.starts_with("option:SIGUSR1:") {
                // Known to the reference peer but broken and unused upstream: accepted, ignored.
            } else {
                return Err(format!("unknown option {line:?}"));
            }
        }
    }
    Ok(())
}

/// Splits `<prefix>:<kind>:<content>` on the first two colons.
fn split3(line: &str) -> Result<(&str, &str, &str), String> {
    let mut parts = line.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(prefix), Some(kind), Some(content)) => Ok((prefix, kind, content)),
        _ => Err(format!("expected <prefix>:<kind>:<content>, got {line:?}")),
    }
}

/// `[letter]number`; without a letter the rule belongs to connection A. Letters are
/// case-insensitive here (README §3.1 quirk: no shipped file mixes cases).
fn parse_prefix(prefix: &str) -> Result<(char, u64), String> {
    let prefix = prefix.trim();
    let (letter, digits) = match prefix.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => (c.to_ascii_uppercase(), &prefix[c.len_utf8()..]),
        _ => ('A', prefix),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "rule prefix must be an optional letter and a number, got {prefix:?}"
        ));
    }
    let seq = digits
        .parse::<u64>()
        .map_err(|_| format!("sequence number too large in {prefix:?}"))?;
    Ok((letter, seq))
}

fn parse_rule(line: &str) -> Result<((char, u64), Rule), String> {
    if line.contains("notification:") {
        // Notification lines keep their spaces; only the content is lower-cased, and the
        // text sent is what follows its last colon.
        let (prefix, kind, content) = split3(line)?;
        let key = parse_prefix(prefix)?;
        let kind = kind.trim().to_ascii_lowercase();
        let content = content.to_lowercase();
        if kind != "notification" {
            return Ok((key, Rule::Other { kind, content }));
        }
        let text = content.rsplit(':').next().unwrap_or_default().to_string();
        if text.len() > MAX_NOTIFICATION_TEXT {
            return Err(format!(
                "notification text is {} bytes, at most {MAX_NOTIFICATION_TEXT} fit",
                text.len()
            ));
        }
        return Ok((key, Rule::Notification(text)));
    }
    let squeezed: String = line
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let (prefix, kind, content) = split3(&squeezed)?;
    let key = parse_prefix(prefix)?;
    let rule = match kind {
        "raw" => {
            let hex: String = content
                .chars()
                .filter(|&c| c != ':')
                .collect::<String>()
                .to_ascii_uppercase();
            if hex.len() < 6
                || !hex.len().is_multiple_of(2)
                || !hex.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return Err(format!(
                    "raw rule content is not a hex message: {content:?}"
                ));
            }
            Rule::Raw(hex)
        }
        "signal" => {
            if content.is_empty() {
                return Err("signal rule without a signal name".to_string());
            }
            Rule::Signal(content.to_string())
        }
        other => Rule::Other {
            kind: other.to_string(),
            content: content.to_string(),
        },
    };
    Ok((key, rule))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKER: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";

    #[test]
    fn raw_rules_are_normalised() {
        let file = parse(
            "1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000\n\
             1:RAW: ffffffffffffffffffffffffffffffff 001702:0000 0000\n\
             1:raw:0017:02:00000000\n",
        )
        .unwrap();
        assert_eq!(file.groups.len(), 1);
        let rules = &file.groups[0].rules;
        assert_eq!(rules[0], Rule::Raw(format!("{MARKER}00170200000000")));
        assert_eq!(rules[0], rules[1]);
        assert_eq!(rules[2], Rule::Raw("00170200000000".to_string()));
    }

    #[test]
    fn comments_and_blank_lines_are_dropped() {
        let file = parse("\n   \n# 1:raw:0017:02:00000000\n1:raw:0017:02:00000000 # x\n").unwrap();
        assert!(file.groups.is_empty());
    }

    #[test]
    fn groups_sort_by_letter_then_integer_sequence() {
        let file = parse(
            "B1:raw:0017:02:00000000\n\
             10:raw:0017:02:00000000\n\
             2:raw:0017:02:00000000\n\
             a1:raw:0017:02:00000000\n\
             C1:raw:0017:02:00000000\n\
             A2:raw:0017:02:00000001\n",
        )
        .unwrap();
        let labels: Vec<String> = file.groups.iter().map(Group::label).collect();
        assert_eq!(labels, ["A1", "A2", "A10", "B1", "C1"]);
        // Same group keeps file order.
        assert_eq!(
            file.groups[1].rules,
            vec![
                Rule::Raw("00170200000000".into()),
                Rule::Raw("00170200000001".into())
            ]
        );
    }

    #[test]
    fn options_are_recognised() {
        let file = parse(
            "option:bind:ipv6\noption:open:send-unknown-capability\n\
             option:open:inspect-open-message\noption:update:send-default-route\n\
             option:open:send-unknown-message\noption:asn:65000\noption:tcp_connections:3\n",
        )
        .unwrap();
        let o = file.options;
        assert!(o.bind_ipv6 && o.send_unknown_capability && o.inspect_open);
        assert!(o.send_default_route && o.send_unknown_message);
        assert_eq!(o.asn, Some(65000));
        assert_eq!(o.tcp_connections, Some(3));
    }

    #[test]
    fn unknown_option_is_a_clear_error() {
        let err = parse("1:raw:0017:02:00000000\noption:open:frobnicate\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.msg.contains("unknown option"), "{err}");
        assert!(parse("option:asn:70000").is_err(), "AS must fit 16 bits");
    }

    #[test]
    fn notification_keeps_spaces_and_takes_text_after_last_colon() {
        let file = parse("A1:notification:Closing Session\n2:notification:ab:CD ef\n").unwrap();
        assert_eq!(
            file.groups[0].rules,
            vec![Rule::Notification("closing session".into())]
        );
        assert_eq!(
            file.groups[1].rules,
            vec![Rule::Notification("cd ef".into())]
        );
        let long = format!("1:notification:{}", "x".repeat(235));
        assert!(parse(&long).is_err());
    }

    #[test]
    fn signal_is_stored_lower_case() {
        let file = parse("A2:signal:SIGUSR1").unwrap();
        assert_eq!(file.groups[0].rules, vec![Rule::Signal("sigusr1".into())]);
        assert_eq!(file.groups[0].label(), "A2");
    }

    #[test]
    fn malformed_rules_are_rejected() {
        assert!(parse("1:raw:XYZ").is_err());
        assert!(parse("1:raw:0017:02:0").is_err(), "odd hex length");
        assert!(parse("AB1:raw:0017:02:00000000").is_err());
        assert!(parse("1raw").is_err());
        assert!(parse(":raw:0017:02:00000000").is_err());
    }

    #[test]
    fn unknown_kind_is_kept_and_never_matches() {
        let file = parse("1:frob:abc").unwrap();
        assert_eq!(
            file.groups[0].rules,
            vec![Rule::Other {
                kind: "frob".into(),
                content: "abc".into()
            }]
        );
    }

    /// Every shipped `.msg` file parses (skips when the shared suite is absent).
    #[test]
    fn every_suite_file_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/exabgp-suite/encoding");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: ../shared/exabgp-suite not found");
            return;
        };
        let mut count = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "msg") {
                let text = std::fs::read_to_string(&path).unwrap();
                let file = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(!file.groups.is_empty(), "{}", path.display());
                count += 1;
            }
        }
        assert!(count >= 72, "only {count} .msg files found");
    }
}
