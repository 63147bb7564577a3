//! The helper command language (ExaBGP 5.0 API): one line in, one `Command` out.
//!
//! A line may start with neighbor selectors (`neighbor 10.0.0.1 [local-ip ..] [local-as ..]
//! [peer-as ..] [router-id ..] [family-allowed ..]`, several joined by `,`, or `neighbor *`);
//! they are matched word for word against each peer's ExaBGP name, as ExaBGP does.

use std::fmt;
use std::path::Path;

use crate::bgp::{Afi, Family, Safi};
use crate::config::{self, tokenize_line, Route, Token};

/// `neighbor ...` selectors: each inner list holds `key value` strings that must all appear in
/// a peer's name. Empty = every peer the helper may address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Vec<String>>);

impl Selector {
    pub fn is_all(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the peer named `name` (see `Neighbor::name`) is selected.
    pub fn matches(&self, name: &str) -> bool {
        if self.0.is_empty() {
            return true;
        }
        self.0.iter().any(|description| {
            description
                .iter()
                .all(|part| part.trim() == "neighbor *" || contains_words(name, part.trim()))
        })
    }
}

/// `part` occurs in `name` delimited by start/end, whitespace or a comma.
fn contains_words(name: &str, part: &str) -> bool {
    name.match_indices(part).any(|(i, _)| {
        let before = name.get(..i).and_then(|s| s.chars().next_back());
        let after = name.get(i + part.len()..).and_then(|s| s.chars().next());
        before.is_none_or(char::is_whitespace)
            && after.is_none_or(|c| c.is_whitespace() || c == ',')
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowNeighbor {
    Summary,
    Extensive,
    Configuration,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `#...`: answered `done`, logged.
    Comment(String),
    Announce {
        selector: Selector,
        routes: Vec<Route>,
    },
    Withdraw {
        selector: Selector,
        routes: Vec<Route>,
    },
    Eor {
        selector: Selector,
        family: Family,
    },
    RouteRefresh {
        selector: Selector,
        family: Family,
    },
    Watchdog {
        selector: Selector,
        name: String,
        announce: bool,
    },
    Teardown {
        selector: Selector,
        subcode: u8,
    },
    Shutdown,
    Reload,
    Restart,
    Version,
    Help,
    Reset,
    EnableAck,
    DisableAck,
    SilenceAck,
    ShowNeighbor {
        selector: Selector,
        /// None: no mode given, answered with ExaBGP's hint.
        mode: Option<ShowNeighbor>,
        json: bool,
    },
    ShowAdjRib {
        selector: Selector,
        direction: Direction,
        extensive: bool,
        json: bool,
    },
    FlushAdjRibOut {
        selector: Selector,
    },
    ClearAdjRib {
        selector: Selector,
        direction: Direction,
    },
}

/// Why a line was refused; the helper gets `error`, the log gets this.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError(pub String);

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CommandError {}

fn err<T>(msg: impl Into<String>) -> Result<T, CommandError> {
    Err(CommandError(msg.into()))
}

/// Parse one line. `Ok(None)` for a blank line, which ExaBGP ignores without an answer.
pub fn parse(line: &str) -> Result<Option<Command>, CommandError> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    if let Some(rest) = line.strip_prefix('#') {
        return Ok(Some(Command::Comment(rest.trim().to_string())));
    }
    let tokens = tokenize_line(line).map_err(|e| CommandError(e.message))?;
    let (selector, rest) = selectors(&tokens)?;
    let words: Vec<&str> = rest.iter().map(|t| t.text.as_str()).collect();
    let cmd = match words.as_slice() {
        ["announce" | "withdraw", ..] => route_command(rest, selector)?,
        ["teardown", code] => Command::Teardown {
            selector,
            subcode: code
                .parse()
                .map_err(|_| CommandError(format!("invalid teardown code '{code}'")))?,
        },
        ["shutdown"] => Command::Shutdown,
        ["reload"] => Command::Reload,
        ["restart"] => Command::Restart,
        ["version"] => Command::Version,
        ["help"] => Command::Help,
        ["reset"] => Command::Reset,
        ["enable-ack"] => Command::EnableAck,
        ["disable-ack"] => Command::DisableAck,
        ["silence-ack"] => Command::SilenceAck,
        ["show", "neighbor", opts @ ..] | ["show", "neighbors", opts @ ..] => {
            let mut mode = None;
            let mut json = false;
            let mut selector = selector;
            for o in opts.iter() {
                match *o {
                    "summary" => mode = Some(ShowNeighbor::Summary),
                    "extensive" => mode = Some(ShowNeighbor::Extensive),
                    "configuration" => mode = Some(ShowNeighbor::Configuration),
                    "json" => json = true,
                    ip if ip.parse::<std::net::IpAddr>().is_ok() => {
                        selector.0.push(vec![format!("neighbor {ip}")])
                    }
                    other => return err(format!("unknown show neighbor option '{other}'")),
                }
            }
            Command::ShowNeighbor {
                selector,
                mode,
                json,
            }
        }
        ["show", "adj-rib", dir, opts @ ..] => {
            let direction = direction(dir)?;
            let mut extensive = false;
            let mut json = false;
            for o in opts {
                match *o {
                    "extensive" => extensive = true,
                    "json" => json = true,
                    other => return err(format!("unknown show adj-rib option '{other}'")),
                }
            }
            Command::ShowAdjRib {
                selector,
                direction,
                extensive,
                json,
            }
        }
        ["flush", "adj-rib", "out"] => Command::FlushAdjRibOut { selector },
        ["clear", "adj-rib", dir] => Command::ClearAdjRib {
            selector,
            direction: direction(dir)?,
        },
        _ => return err(format!("command not understood: {line}")),
    };
    Ok(Some(cmd))
}

fn direction(word: &str) -> Result<Direction, CommandError> {
    match word {
        "in" => Ok(Direction::In),
        "out" => Ok(Direction::Out),
        other => err(format!("'{other}' is not in or out")),
    }
}

/// Split leading `neighbor ...` selectors off the command.
fn selectors(tokens: &[Token]) -> Result<(Selector, &[Token]), CommandError> {
    const FILTERS: [&str; 6] = [
        "neighbor",
        "local-ip",
        "local-as",
        "peer-as",
        "router-id",
        "family-allowed",
    ];
    let mut rest = tokens;
    let mut all = Vec::new();
    if !rest.first().is_some_and(|t| t.is("neighbor")) {
        return Ok((Selector::default(), rest));
    }
    let mut current: Vec<String> = Vec::new();
    while let Some(first) = rest.first() {
        if first.is(",") {
            if !current.is_empty() {
                all.push(std::mem::take(&mut current));
            }
            rest = rest.get(1..).unwrap_or_default();
            continue;
        }
        if !FILTERS.contains(&first.text.as_str()) || first.quoted {
            break;
        }
        let Some(value) = rest.get(1) else {
            return err(format!("'{}' needs a value", first.text));
        };
        current.push(format!(
            "{} {}",
            first.text,
            value.text.trim_end_matches(',')
        ));
        let had_comma = value.text.ends_with(',');
        rest = rest.get(2..).unwrap_or_default();
        if had_comma {
            all.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        all.push(current);
    }
    Ok((Selector(all), rest))
}

fn route_command(tokens: &[Token], selector: Selector) -> Result<Command, CommandError> {
    let announce = tokens.first().is_some_and(|t| t.text == "announce");
    let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    let api = Path::new("<api>");
    let rest = |n: usize| tokens.get(n..).unwrap_or_default();
    let routes =
        |r: Result<Vec<Route>, config::ConfigError>| r.map_err(|e| CommandError(e.message));
    let parsed = match words.get(1..).unwrap_or_default() {
        ["route", ..] => routes(config::route::parse_route_words_for(
            rest(2),
            None,
            api,
            announce,
        ))?,
        ["attribute" | "attributes", ..] => routes(config::route::parse_attributes_nlri_for(
            rest(2),
            None,
            api,
            announce,
        ))?,
        ["ipv4" | "ipv6", ..] => routes(config::route::parse_family_route(rest(1), api, announce))?,
        ["eor"] => {
            return Ok(Command::Eor {
                selector,
                family: Family::IPV4_UNICAST,
            })
        }
        ["eor", afi, safi] => {
            return Ok(Command::Eor {
                selector,
                family: family(afi, safi)?,
            })
        }
        ["route-refresh", afi, safi] if announce => {
            return Ok(Command::RouteRefresh {
                selector,
                family: family(afi, safi)?,
            })
        }
        ["watchdog", name] => {
            return Ok(Command::Watchdog {
                selector,
                name: name.to_string(),
                announce,
            })
        }
        ["flow", "route", ..] => {
            vec![config::flow::parse_api(rest(3), announce).map_err(|e| CommandError(e.message))?]
        }
        ["vpls", ..] => vec![config::l2vpn_mcast_mup::parse_vpls(rest(2), api, announce)
            .map_err(|e| CommandError(e.message))?],
        [kind @ ("flow" | "operational"), ..] => {
            return err(format!("unsupported: {kind} from the API"))
        }
        _ => return err(format!("command not understood: {}", words.join(" "))),
    };
    Ok(if announce {
        Command::Announce {
            selector,
            routes: parsed,
        }
    } else {
        Command::Withdraw {
            selector,
            routes: parsed,
        }
    })
}

fn family(afi: &str, safi: &str) -> Result<Family, CommandError> {
    match (Afi::from_name(afi), Safi::from_name(safi)) {
        (Some(afi), Some(safi)) => Ok(Family { afi, safi }),
        _ => err(format!("unknown family '{afi} {safi}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: &str = "neighbor 127.0.0.1 local-ip 127.0.0.1 local-as 1 peer-as 1 router-id 1.2.3.4 family-allowed in-open";

    #[test]
    fn selectors_match_words_of_the_peer_name() {
        let Some(Command::Teardown { selector, subcode }) =
            parse("neighbor 127.0.0.1 teardown 2").unwrap()
        else {
            panic!("not a teardown")
        };
        assert_eq!(subcode, 2);
        assert!(selector.matches(NAME));
        assert!(!selector.matches(&NAME.replace("127.0.0.1 local", "127.0.0.10 local")));
        let Some(Command::Shutdown) = parse("shutdown").unwrap() else {
            panic!()
        };
        let tokens =
            tokenize_line("neighbor 10.0.0.1 peer-as 1, neighbor 127.0.0.1 reload").unwrap();
        let (sel, rest) = selectors(&tokens).unwrap();
        assert_eq!(sel.0.len(), 2);
        assert!(sel.matches(NAME));
        assert_eq!(rest.len(), 1);
        let tokens = tokenize_line("neighbor * announce eor").unwrap();
        let (star, _) = selectors(&tokens).unwrap();
        assert!(star.matches("anything"));
    }

    #[test]
    fn routes_and_controls_parse() {
        let Some(Command::Announce { routes, selector }) =
            parse("announce route 10.0.0.0/24 next-hop 1.2.3.4 med 100").unwrap()
        else {
            panic!()
        };
        assert!(selector.is_all());
        assert_eq!(routes.len(), 1);
        assert_eq!(routes[0].attributes.med, Some(100));
        assert_eq!(
            parse("announce eor ipv6 unicast").unwrap(),
            Some(Command::Eor {
                selector: Selector::default(),
                family: Family::IPV6_UNICAST
            })
        );
        assert_eq!(parse("  ").unwrap(), None);
        assert_eq!(
            parse("# hello").unwrap(),
            Some(Command::Comment("hello".into()))
        );
        assert!(parse("frobnicate the router").is_err());
        assert!(parse("announce route not-a-prefix next-hop 1.2.3.4").is_err());
        let Some(Command::Withdraw { routes, .. }) =
            parse("withdraw flow route { match { destination 10.0.0.0/8; } then { discard; } }")
                .unwrap()
        else {
            panic!("not a flow withdrawal")
        };
        assert_eq!(routes[0].nlri.family(), Family::new(1, 133));
        assert!(parse("announce flow route { then { discard; } }").is_err());
    }
}
