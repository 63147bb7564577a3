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
    let mut lexer = Lexer::new();
    lexer.feed(text, &mut emit)?;
    lexer.finish()
}

/// The tokeniser as a state machine fed a piece of text at a time, so that a configuration
/// can be read from its file in blocks instead of being loaded whole.
///
/// Every piece given to `feed` must end at the end of a line (just after a `\n`), except the
/// last piece of the input; `finish` marks the end of the input.
#[derive(Debug)]
pub struct Lexer {
    line: u32,
    col: u32,
    /// Open `[` and `(`: braces inside them are list punctuation, not blocks.
    brackets: u32,
    /// A quoted string being read: it can go on past the end of a piece (an escaped newline
    /// keeps it open).
    quote: Option<Quote>,
}

#[derive(Debug)]
struct Quote {
    delim: char,
    text: String,
    at: (u32, u32),
    escape: Escape,
}

#[derive(Debug)]
enum Escape {
    None,
    /// After a backslash.
    Backslash,
    /// After `\u`: the hex digits read so far (four are taken, whatever they are).
    Unicode {
        hex: String,
        count: u8,
    },
}

impl Default for Lexer {
    fn default() -> Lexer {
        Lexer::new()
    }
}

impl Lexer {
    pub fn new() -> Lexer {
        Lexer {
            line: 1,
            col: 0,
            brackets: 0,
            quote: None,
        }
    }

    /// Tokenise `piece` (see the type's rule on where pieces end).
    pub fn feed(
        &mut self,
        piece: &str,
        out: &mut impl FnMut(Token) -> Result<(), LexError>,
    ) -> Result<(), LexError> {
        let bytes = piece.as_bytes();
        // The word being read: its first byte and position. Words never span a line end,
        // so a word is always a slice of the piece.
        let mut word: Option<(usize, u32, u32)> = None;
        let flush = |word: &mut Option<(usize, u32, u32)>,
                     end: usize,
                     out: &mut dyn FnMut(Token) -> Result<(), LexError>|
         -> Result<(), LexError> {
            if let Some((start, line, col)) = word.take() {
                out(Token {
                    text: Text::new(piece.get(start..end).unwrap_or_default()),
                    line,
                    col,
                    quoted: false,
                })?;
            }
            Ok(())
        };
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if self.quote.is_some() {
                let Some(c) = piece.get(i..).and_then(|s| s.chars().next()) else {
                    break;
                };
                i += c.len_utf8();
                if let Some(token) = self.quoted_char(c)? {
                    out(token)?;
                }
                continue;
            }
            if !b.is_ascii() {
                // Part of a word; columns count characters, so only a leading byte counts.
                if b & 0xC0 != 0x80 {
                    self.col += 1;
                    if word.is_none() {
                        word = Some((i, self.line, self.col));
                    }
                }
                i += 1;
                continue;
            }
            self.col += 1;
            match b {
                b'\n' => {
                    flush(&mut word, i, out)?;
                    self.line += 1;
                    self.col = 0;
                }
                b'#' => {
                    flush(&mut word, i, out)?;
                    // The comment runs to the end of the line; the newline is read as such.
                    i = bytes
                        .get(i..)
                        .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                        .map_or(bytes.len(), |p| i + p);
                    continue;
                }
                b'\\' => {
                    // Line continuation: backslash, optional trailing blanks, newline (or the
                    // end of the input).
                    let rest = bytes.get(i + 1..).unwrap_or_default();
                    let blanks = rest
                        .iter()
                        .take_while(|&&c| c == b' ' || c == b'\t' || c == b'\r')
                        .count();
                    match rest.get(blanks) {
                        None => {
                            flush(&mut word, i, out)?;
                            i = bytes.len();
                            continue;
                        }
                        Some(b'\n') => {
                            flush(&mut word, i, out)?;
                            self.line += 1;
                            self.col = 0;
                            i += blanks + 2;
                            continue;
                        }
                        Some(_) => {
                            if word.is_none() {
                                word = Some((i, self.line, self.col));
                            }
                        }
                    }
                }
                b'"' | b'\'' => {
                    flush(&mut word, i, out)?;
                    self.quote = Some(Quote {
                        delim: char::from(b),
                        text: String::new(),
                        at: (self.line, self.col),
                        escape: Escape::None,
                    });
                }
                b' ' | b'\t' | b'\r' => flush(&mut word, i, out)?,
                b';' | b',' | b'[' | b']' | b'(' | b')' | b'{' | b'}' => {
                    flush(&mut word, i, out)?;
                    match b {
                        b'[' | b'(' => self.brackets += 1,
                        b']' | b')' => self.brackets = self.brackets.saturating_sub(1),
                        // A block boundary always ends any bracket left open by a typo, so the
                        // parser reports the real problem instead of swallowing the rest of
                        // the file.
                        b';' => self.brackets = 0,
                        _ => {}
                    }
                    let text = match b {
                        // Inside a list: keep the brace, but mark it so it is not a block.
                        b'{' if self.brackets > 0 => "{{",
                        b'}' if self.brackets > 0 => "}}",
                        _ => piece.get(i..=i).unwrap_or_default(),
                    };
                    out(Token {
                        text: Text::new(text),
                        line: self.line,
                        col: self.col,
                        quoted: false,
                    })?;
                }
                _ => {
                    if word.is_none() {
                        word = Some((i, self.line, self.col));
                    }
                }
            }
            i += 1;
        }
        flush(&mut word, bytes.len(), out)
    }

    /// One character inside quotes; the token when it closes them.
    fn quoted_char(&mut self, c: char) -> Result<Option<Token>, LexError> {
        let Some(q) = self.quote.as_mut() else {
            return Ok(None);
        };
        match &mut q.escape {
            Escape::None => {
                self.col += 1;
                if c == q.delim {
                    let token = Token {
                        text: Text::new(&q.text),
                        line: q.at.0,
                        col: q.at.1,
                        quoted: true,
                    };
                    self.quote = None;
                    return Ok(Some(token));
                }
                match c {
                    '\n' => return Err(unterminated(q.at)),
                    '\\' => {
                        // The backslash and the character it escapes are two columns.
                        self.col += 1;
                        q.escape = Escape::Backslash;
                    }
                    _ => q.text.push(c),
                }
            }
            Escape::Backslash => {
                q.escape = Escape::None;
                match c {
                    'n' => q.text.push('\n'),
                    't' => q.text.push('\t'),
                    'r' => q.text.push('\r'),
                    'u' => {
                        self.col += 4;
                        q.escape = Escape::Unicode {
                            hex: String::new(),
                            count: 0,
                        };
                    }
                    // An escaped newline stays in the string (and does not count as a line).
                    o => q.text.push(o),
                }
            }
            Escape::Unicode { hex, count } => {
                hex.push(c);
                *count += 1;
                if *count == 4 {
                    let ch = unicode(hex, (self.line, self.col))?;
                    q.text.push(ch);
                    q.escape = Escape::None;
                }
            }
        }
        Ok(None)
    }

    /// The end of the input: the error of a quoted string left open.
    pub fn finish(self) -> Result<(), LexError> {
        let Some(q) = self.quote else {
            return Ok(());
        };
        if let Escape::Unicode { hex, .. } = &q.escape {
            unicode(hex, (self.line, self.col))?;
        }
        Err(unterminated(q.at))
    }
}

/// The character of a `\u` escape: exactly four hex digits.
fn unicode(hex: &str, at: (u32, u32)) -> Result<char, LexError> {
    let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    match ch {
        Some(ch) if hex.len() == 4 => Ok(ch),
        _ => Err(LexError {
            line: at.0,
            col: at.1,
            message: format!("invalid \\u escape \"{hex}\""),
        }),
    }
}

fn unterminated(at: (u32, u32)) -> LexError {
    LexError {
        line: at.0,
        col: at.1,
        message: "unterminated string".into(),
    }
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

    /// Tokens of `text` fed one line at a time, as the file reader does.
    fn by_lines(text: &str) -> Result<Vec<Token>, LexError> {
        let mut out = Vec::new();
        let mut lexer = Lexer::new();
        for piece in text.split_inclusive('\n') {
            lexer.feed(piece, &mut |t| {
                out.push(t);
                Ok(())
            })?;
        }
        lexer.finish()?;
        Ok(out)
    }

    #[test]
    fn lines_fed_one_by_one_give_the_same_tokens() {
        for text in [
            "neighbor 1.2.3.4 {\n  community [1:2,3:4]; # c { ;\n}\n",
            "route 1.0.0.0/8 \\ \t\n next-hop 1.1.1.1 a\\b;\n\\",
            "description \"a\\\nb\" x;\nnext;",
            "d \"\\u00e9\\t\" é x\u{e9}y ;\r\n",
            "as-path [{ 1\n 2 }] ;\n{",
        ] {
            assert_eq!(by_lines(text), tokenize(text), "{text:?}");
        }
        // An escaped newline keeps the string open and, as before, is not counted as a line.
        let t = by_lines("d \"a\\\nb\" x;\nnext;").unwrap();
        assert_eq!(t[1].text, "a\nb");
        assert_eq!((t[2].line, t[2].col), (1, 10));
        assert_eq!((t[4].line, t[4].col), (2, 1));
        let t = tokenize("x é y").unwrap();
        assert_eq!((t[1].col, t[2].col), (3, 5));
    }

    #[test]
    fn bad_escapes_and_open_strings_at_the_end() {
        for (text, want) in [
            ("a \"\\u12\nxy\"", (1, 9, "invalid \\u escape \"12\nx\"")),
            ("a \"\\u00", (1, 9, "invalid \\u escape \"00\"")),
            ("a \"\\u+0e9\"", (1, 9, "")),
            ("a \"x\\", (1, 3, "unterminated string")),
            ("a\n 'x\ny'", (2, 2, "unterminated string")),
        ] {
            let got = tokenize(text);
            assert_eq!(by_lines(text), got, "{text:?}");
            match got {
                Ok(t) => assert_eq!((want.2, t[1].text.as_str()), ("", "\u{e9}")),
                Err(e) => assert_eq!((e.line, e.col, e.message.as_str()), want, "{text:?}"),
            }
        }
    }

    #[test]
    fn unterminated_string_is_an_error() {
        let e = tokenize("a \"b\nc").unwrap_err();
        assert_eq!((e.line, e.col), (1, 3));
    }
}
