//! Tokeniser for ExaBGP's configuration language: words, quoted strings, `;`, `{ }`, `[ ]`,
//! `( )` and `,`, each with the line and column it starts at.

use std::fmt;

/// One token. `quoted` tokens are never punctuation, even when their text is `{` or `;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub line: u32,
    pub col: u32,
    pub quoted: bool,
}

impl Token {
    /// A token without a position, for API commands split by whitespace.
    pub fn word(text: &str) -> Token {
        Token {
            text: text.to_string(),
            line: 0,
            col: 0,
            quoted: false,
        }
    }

    /// True when this is the unquoted punctuation `p`.
    pub fn is(&self, p: &str) -> bool {
        !self.quoted && self.text == p
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write!(f, "\"{}\"", self.text)
        } else {
            f.write_str(&self.text)
        }
    }
}

/// Why the text could not be split into tokens, with the 1-based position of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// Split `text` into tokens.
///
/// `{` and `}` inside `[ ]` or `( )` are plain punctuation (the as-path confederation forms
/// `[{ 1 2 }]`), everywhere else they open and close blocks. `#` starts a comment outside
/// quotes; a backslash at the end of a line joins it with the next one, as ExaBGP does.
pub fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let mut out = Vec::new();
    let mut line: u32 = 1;
    let mut col: u32 = 0;
    let mut word = String::new();
    let mut start = (1u32, 1u32);
    let mut chars = text.chars().peekable();
    let mut brackets: u32 = 0;

    fn flush(out: &mut Vec<Token>, word: &mut String, start: (u32, u32)) {
        if !word.is_empty() {
            out.push(Token {
                text: std::mem::take(word),
                line: start.0,
                col: start.1,
                quoted: false,
            });
        }
    }

    while let Some(c) = chars.next() {
        col += 1;
        match c {
            '\n' => {
                flush(&mut out, &mut word, start);
                line += 1;
                col = 0;
            }
            '#' => {
                flush(&mut out, &mut word, start);
                while let Some(&n) = chars.peek() {
                    if n == '\n' {
                        break;
                    }
                    chars.next();
                }
            }
            '\\' => {
                // Line continuation: backslash, optional trailing blanks, newline.
                let mut rest = chars.clone();
                let mut blanks = 0;
                while let Some(&n) = rest.peek() {
                    if n == ' ' || n == '\t' || n == '\r' {
                        rest.next();
                        blanks += 1;
                    } else {
                        break;
                    }
                }
                if matches!(rest.peek(), Some('\n') | None) {
                    flush(&mut out, &mut word, start);
                    for _ in 0..blanks {
                        chars.next();
                    }
                    if chars.next().is_some() {
                        line += 1;
                        col = 0;
                    }
                } else {
                    if word.is_empty() {
                        start = (line, col);
                    }
                    word.push(c);
                }
            }
            '"' | '\'' => {
                flush(&mut out, &mut word, start);
                let at = (line, col);
                let mut s = String::new();
                let mut closed = false;
                while let Some(n) = chars.next() {
                    col += 1;
                    if n == c {
                        closed = true;
                        break;
                    }
                    if n == '\n' {
                        break;
                    }
                    if n == '\\' {
                        col += 1;
                        match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('r') => s.push('\r'),
                            Some('u') => {
                                let hex: String = chars.by_ref().take(4).collect();
                                col += 4;
                                let ch =
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                                match ch {
                                    Some(ch) if hex.len() == 4 => s.push(ch),
                                    _ => {
                                        return Err(LexError {
                                            line,
                                            col,
                                            message: format!("invalid \\u escape \"{hex}\""),
                                        })
                                    }
                                }
                            }
                            Some(o) => s.push(o),
                            None => break,
                        }
                        continue;
                    }
                    s.push(n);
                }
                if !closed {
                    return Err(LexError {
                        line: at.0,
                        col: at.1,
                        message: "unterminated string".into(),
                    });
                }
                out.push(Token {
                    text: s,
                    line: at.0,
                    col: at.1,
                    quoted: true,
                });
            }
            ' ' | '\t' | '\r' => flush(&mut out, &mut word, start),
            ';' | ',' | '[' | ']' | '(' | ')' | '{' | '}' => {
                flush(&mut out, &mut word, start);
                match c {
                    '[' | '(' => brackets += 1,
                    ']' | ')' => brackets = brackets.saturating_sub(1),
                    // A block boundary always ends any bracket left open by a typo, so the
                    // parser reports the real problem instead of swallowing the rest of the file.
                    ';' => brackets = 0,
                    _ => {}
                }
                let text = if brackets > 0 && (c == '{' || c == '}') {
                    // Inside a list: keep the brace, but mark it so it is not a block.
                    format!("{c}{c}")
                } else {
                    c.to_string()
                };
                out.push(Token {
                    text,
                    line,
                    col,
                    quoted: false,
                });
            }
            _ => {
                if word.is_empty() {
                    start = (line, col);
                }
                word.push(c);
            }
        }
    }
    flush(&mut out, &mut word, start);
    Ok(out)
}

/// Split one API command line: the same rules, without blocks.
pub fn tokenize_line(text: &str) -> Result<Vec<Token>, LexError> {
    tokenize(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).unwrap().into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_punctuation_and_keeps_positions() {
        let t = tokenize("neighbor 1.2.3.4 {\n  community [1:2,3:4];\n}").unwrap();
        let v: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            v,
            [
                "neighbor",
                "1.2.3.4",
                "{",
                "community",
                "[",
                "1:2",
                ",",
                "3:4",
                "]",
                ";",
                "}"
            ]
        );
        assert_eq!((t[3].line, t[3].col), (2, 3));
        assert_eq!((t[10].line, t[10].col), (3, 1));
    }

    #[test]
    fn comments_quotes_and_continuation() {
        assert_eq!(texts("a b # c ;\nd;"), ["a", "b", "d", ";"]);
        let t = tokenize("description \"x # y; {\";").unwrap();
        assert_eq!(t[1].text, "x # y; {");
        assert!(t[1].quoted);
        assert_eq!(
            texts("route 1.0.0.0/8 \\\n  next-hop 1.1.1.1;"),
            ["route", "1.0.0.0/8", "next-hop", "1.1.1.1", ";"]
        );
        assert_eq!(texts("}process"), ["}", "process"]);
    }

    #[test]
    fn braces_inside_lists_are_not_blocks() {
        assert_eq!(
            texts("as-path [{ 1 2 }] ;"),
            ["as-path", "[", "{{", "1", "2", "}}", "]", ";"]
        );
    }

    #[test]
    fn unterminated_string_is_an_error() {
        let e = tokenize("a \"b\nc").unwrap_err();
        assert_eq!((e.line, e.col), (1, 3));
    }
}
