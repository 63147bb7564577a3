//! A small regular-expression matcher for `processes-match [ "^add" ]`: ExaBGP matches process
//! names with Python's `re.match`, and the patterns people write there are simple (anchors,
//! `.`, classes, `* + ?`), so this covers them without a regex crate.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Atom {
    Any,
    Char(char),
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repeat {
    One,
    ZeroOrOne,
    ZeroOrMore,
    OneOrMore,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    items: Vec<(Atom, Repeat)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unsupported pattern: {}", self.0)
    }
}

impl std::error::Error for PatternError {}

impl Pattern {
    /// Compile `re`. Alternation and groups are refused with an error rather than misread.
    pub fn new(re: &str) -> Result<Pattern, PatternError> {
        // re.match anchors at the start; a leading ^ says the same.
        let mut chars = re.strip_prefix('^').unwrap_or(re).chars().peekable();
        let mut items = Vec::new();
        while let Some(c) = chars.next() {
            let atom = match c {
                '.' => Atom::Any,
                '$' if chars.peek().is_none() => Atom::End,
                '\\' => match chars.next() {
                    Some('d') => Atom::Class {
                        negated: false,
                        items: vec![('0', '9')],
                    },
                    Some('w') => Atom::Class {
                        negated: false,
                        items: vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
                    },
                    Some('s') => Atom::Class {
                        negated: false,
                        items: vec![(' ', ' '), ('\t', '\t')],
                    },
                    Some(other) => Atom::Char(other),
                    None => return Err(PatternError(re.to_string())),
                },
                '[' => {
                    let negated = chars.peek() == Some(&'^');
                    if negated {
                        chars.next();
                    }
                    let mut set = Vec::new();
                    loop {
                        match chars.next() {
                            Some(']') if !set.is_empty() => break,
                            Some(a) => {
                                if chars.peek() == Some(&'-') {
                                    chars.next();
                                    match chars.next() {
                                        Some(']') => {
                                            set.push((a, a));
                                            set.push(('-', '-'));
                                            break;
                                        }
                                        Some(b) => set.push((a, b)),
                                        None => return Err(PatternError(re.to_string())),
                                    }
                                } else {
                                    set.push((a, a));
                                }
                            }
                            None => return Err(PatternError(re.to_string())),
                        }
                    }
                    Atom::Class {
                        negated,
                        items: set,
                    }
                }
                '(' | ')' | '|' | '{' | '}' | '*' | '+' | '?' => {
                    return Err(PatternError(re.to_string()))
                }
                other => Atom::Char(other),
            };
            let repeat = match chars.peek() {
                Some('*') => Repeat::ZeroOrMore,
                Some('+') => Repeat::OneOrMore,
                Some('?') => Repeat::ZeroOrOne,
                _ => Repeat::One,
            };
            if repeat != Repeat::One {
                chars.next();
            }
            items.push((atom, repeat));
        }
        Ok(Pattern { items })
    }

    /// Whether the pattern matches at the start of `s` (Python's `re.match`).
    pub fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        match_here(&self.items, &chars)
    }
}

fn atom_matches(atom: &Atom, c: char) -> bool {
    match atom {
        Atom::Any => c != '\n',
        Atom::Char(x) => *x == c,
        Atom::Class { negated, items } => {
            items.iter().any(|(a, b)| (*a..=*b).contains(&c)) != *negated
        }
        Atom::End => false,
    }
}

fn match_here(items: &[(Atom, Repeat)], s: &[char]) -> bool {
    let Some(((atom, repeat), rest)) = items.split_first() else {
        return true;
    };
    if *atom == Atom::End {
        return s.is_empty();
    }
    let (min, max) = match repeat {
        Repeat::One => (1, 1),
        Repeat::ZeroOrOne => (0, 1),
        Repeat::ZeroOrMore => (0, usize::MAX),
        Repeat::OneOrMore => (1, usize::MAX),
    };
    let run = s
        .iter()
        .take(max)
        .take_while(|c| atom_matches(atom, **c))
        .count();
    if run < min {
        return false;
    }
    (min..=run)
        .rev()
        .any(|n| s.get(n..).is_some_and(|tail| match_here(rest, tail)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_prefixes_classes_and_repeats() {
        let p = Pattern::new("^add").unwrap();
        assert!(p.matches("add-remove"));
        assert!(!p.matches("remove-add"));
        assert!(Pattern::new("a.*e$").unwrap().matches("announce"));
        assert!(!Pattern::new("a.*e$").unwrap().matches("announced"));
        assert!(Pattern::new("[a-c]+x?\\d").unwrap().matches("abc1"));
        assert!(Pattern::new("(a|b)").is_err());
    }
}
