//! Tokeniser for ExaBGP's configuration language: words, quoted strings, `;`, `{ }`, `[ ]`,
//! `( )` and `,`, each with the line and column it starts at.

use std::fmt;

/// The text of a token, kept inline when short: nearly every word of a configuration is, and
/// a file of a million routes would otherwise make millions of small allocations.
#[derive(Clone)]
pub struct Text(Repr);

/// Private so that `Inline` bytes can only come from `Text::new` (always whole UTF-8).
#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

/// Longest text kept inline (fills the 24 bytes a `Box<str>` variant needs anyway).
const INLINE: usize = 22;

impl Text {
    pub fn new(s: &str) -> Text {
        let mut bytes = [0u8; INLINE];
        match bytes.get_mut(..s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s.as_bytes());
                Text(Repr::Inline {
                    len: s.len() as u8,
                    bytes,
                })
            }
            None => Text(Repr::Heap(s.into())),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                let b = bytes.get(..usize::from(*len)).unwrap_or(&[]);
                // SAFETY: `bytes[..len]` is a copy of a whole `&str` made by `Text::new` and
                // never modified (`Repr` is private); validating it again on every access
                // cost a quarter of the time spent loading a large configuration.
                unsafe { std::str::from_utf8_unchecked(b) }
            }
            Repr::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s)
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.as_str().to_string()
    }
}

/// One token. `quoted` tokens are never punctuation, even when their text is `{` or `;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: Text,
    pub line: u32,
    pub col: u32,
    pub quoted: bool,
}

impl Token {
    /// A token without a position, for API commands split by whitespace.
    pub fn word(text: &str) -> Token {
        Token {
            text: Text::new(text),
            line: 0,
            col: 0,
            quoted: false,
        }
    }

    /// True when this is the unquoted punctuation `p`.
    pub fn is(&self, p: &str) -> bool {
        !self.quoted && self.text.as_str() == p
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
    each_token(text, |t| {
        out.push(t);
        Ok(())
    })?;
    Ok(out)
}

/// As `tokenize`, handing each token to `emit` as it is found, so a large file is never held
/// as one list of tokens. An error from `emit` stops the scan and is returned.
pub fn each_token(
    text: &str,
    mut emit: impl FnMut(Token) -> Result<(), LexError>,
) -> Result<(), LexError> {
    let out = &mut emit;
    let mut line: u32 = 1;
    let mut col: u32 = 0;
    let mut word = String::new();
    let mut start = (1u32, 1u32);
    let mut chars = text.chars().peekable();
    let mut brackets: u32 = 0;

    fn flush(
        out: &mut impl FnMut(Token) -> Result<(), LexError>,
        word: &mut String,
        start: (u32, u32),
    ) -> Result<(), LexError> {
        if !word.is_empty() {
            out(Token {
                text: Text::new(word),
                line: start.0,
                col: start.1,
                quoted: false,
            })?;
            word.clear();
        }
        Ok(())
    }

    while let Some(c) = chars.next() {
        col += 1;
        match c {
            '\n' => {
                flush(out, &mut word, start)?;
                line += 1;
                col = 0;
            }
            '#' => {
                flush(out, &mut word, start)?;
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
                    flush(out, &mut word, start)?;
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
                flush(out, &mut word, start)?;
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
                out(Token {
                    text: Text::new(&s),
                    line: at.0,
                    col: at.1,
                    quoted: true,
                })?;
            }
            ' ' | '\t' | '\r' => flush(out, &mut word, start)?,
            ';' | ',' | '[' | ']' | '(' | ')' | '{' | '}' => {
                flush(out, &mut word, start)?;
                match c {
                    '[' | '(' => brackets += 1,
                    ']' | ')' => brackets = brackets.saturating_sub(1),
                    // A block boundary always ends any bracket left open by a typo, so the
                    // parser reports the real problem instead of swallowing the rest of the file.
                    ';' => brackets = 0,
                    _ => {}
                }
                let mut one = [0u8; 4];
                let text = match c {
                    // Inside a list: keep the brace, but mark it so it is not a block.
                    '{' if brackets > 0 => Text::new("{{"),
                    '}' if brackets > 0 => Text::new("}}"),
                    _ => Text::new(c.encode_utf8(&mut one)),
                };
                out(Token {
                    text,
                    line,
                    col,
                    quoted: false,
                })?;
            }
            _ => {
                if word.is_empty() {
                    start = (line, col);
                }
                word.push(c);
            }
        }
    }
    flush(out, &mut word, start)?;
    Ok(())
}

/// Split one API command line: the same rules, without blocks.
pub fn tokenize_line(text: &str) -> Result<Vec<Token>, LexError> {
    tokenize(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s)
            .unwrap()
            .into_iter()
            .map(|t| t.text.into())
            .collect()
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
    fn short_and_long_texts_read_back_the_same() {
        let long = "2001:db8:1234:5678:9abc:def0:1234:5678/128";
        for s in ["", ";", "next-hop", "0123456789012345678901", long, "é€x"] {
            let t = Text::new(s);
            assert_eq!(t.as_str(), s);
            assert_eq!(t, s);
            assert_eq!(format!("{t}"), s);
            assert_eq!(t, Text::new(s));
        }
        let t = tokenize(&format!("route {long} next-hop self;")).unwrap();
        assert_eq!(t[1].text, long);
        assert!(t[4].is(";"));
    }

    #[test]
    fn an_error_from_the_consumer_stops_the_scan() {
        let mut seen = 0;
        let e = each_token("a b c d", |t| {
            seen += 1;
            if t.text == "b" {
                return Err(LexError {
                    line: t.line,
                    col: t.col,
                    message: "stop".into(),
                });
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!((seen, e.col, e.message.as_str()), (2, 3, "stop"));
    }

    #[test]
    fn unterminated_string_is_an_error() {
        let e = tokenize("a \"b\nc").unwrap_err();
        assert_eq!((e.line, e.col), (1, 3));
    }
}
