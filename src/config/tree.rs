//! Statements and blocks: the token stream grouped into `words ;` and `words { ... }` nodes,
//! before any keyword is interpreted.

use super::lexer::Token;

/// One statement: its words, and its body when it opens a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub words: Vec<Token>,
    pub block: Option<Vec<Node>>,
    /// Position of the first word (or of the `{` / `;` when there is no word).
    pub line: u32,
    pub col: u32,
}

impl Node {
    /// The keyword: the first word, or "" for an empty statement.
    pub fn keyword(&self) -> &str {
        self.words.first().map_or("", |t| t.text.as_str())
    }

    /// The words after the keyword.
    pub fn args(&self) -> &[Token] {
        self.words.get(1..).unwrap_or(&[])
    }
}

/// A grouping problem: an unbalanced brace or a statement not ended by `;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// Group `tokens` into top-level nodes.
pub fn build(tokens: Vec<Token>) -> Result<Vec<Node>, TreeError> {
    let mut b = Builder::default();
    for tok in tokens {
        b.push(tok)?;
    }
    b.finish()
}

/// Groups tokens into nodes as they arrive (`push`), so the lexer's output never has to be
/// held whole; `finish` returns the top-level nodes.
#[derive(Default)]
pub struct Builder {
    /// Each open block keeps its nodes so far and the words of the statement that opened it.
    stack: Vec<(Vec<Node>, Vec<Token>, u32, u32)>,
    current: Vec<Node>,
    words: Vec<Token>,
    /// A stray top-level '}' seen: the end of the configuration.
    ended: Option<Token>,
}

impl Builder {
    pub fn push(&mut self, tok: Token) -> Result<(), TreeError> {
        if let Some(end) = &self.ended {
            // ExaBGP stops reading at a stray top-level '}' (a suite file ends with one);
            // accept it as the end, but refuse to drop anything written after it.
            return Err(TreeError {
                line: end.line,
                col: end.col,
                message: format!(
                    "unbalanced '}}' (followed by \"{}\" at line {})",
                    tok.text, tok.line
                ),
            });
        }
        if tok.is(";") {
            let (line, col) = self
                .words
                .first()
                .map_or((tok.line, tok.col), |w| (w.line, w.col));
            if !self.words.is_empty() {
                self.current.push(Node {
                    words: std::mem::take(&mut self.words),
                    block: None,
                    line,
                    col,
                });
            }
        } else if tok.is("{") {
            let (line, col) = self
                .words
                .first()
                .map_or((tok.line, tok.col), |w| (w.line, w.col));
            self.stack.push((
                std::mem::take(&mut self.current),
                std::mem::take(&mut self.words),
                line,
                col,
            ));
        } else if tok.is("}") {
            if let Some(w) = self.words.first() {
                return Err(TreeError {
                    line: w.line,
                    col: w.col,
                    message: format!(
                        "statement \"{}\" is not ended by ';' before '}}'",
                        join(&self.words)
                    ),
                });
            }
            let Some((parent, head, line, col)) = self.stack.pop() else {
                self.ended = Some(tok);
                return Ok(());
            };
            let body = std::mem::replace(&mut self.current, parent);
            self.current.push(Node {
                words: head,
                block: Some(body),
                line,
                col,
            });
        } else {
            self.words.push(tok);
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<Node>, TreeError> {
        if let Some(end) = &self.ended {
            log::warn!(target: "configuration", "line {}: ignoring an extra '}}' at the end", end.line);
        }
        if let Some(w) = self.words.first() {
            return Err(TreeError {
                line: w.line,
                col: w.col,
                message: format!("statement \"{}\" is not ended by ';'", join(&self.words)),
            });
        }
        // ExaBGP closes blocks left open at the end of the file (a suite file relies on it).
        while let Some((parent, head, line, col)) = self.stack.pop() {
            log::warn!(target: "configuration", "line {line}: block never closed, closed at the end of the file");
            let body = std::mem::replace(&mut self.current, parent);
            self.current.push(Node {
                words: head,
                block: Some(body),
                line,
                col,
            });
        }
        Ok(self.current)
    }
}

/// The words joined by spaces, for messages.
pub fn join(words: &[Token]) -> String {
    words
        .iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lexer::tokenize;

    #[test]
    fn nests_blocks() {
        let n = build(tokenize("a { b 1; c { d; } }\ne;").unwrap()).unwrap();
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].keyword(), "a");
        let body = n[0].block.as_ref().unwrap();
        assert_eq!(body[0].args()[0].text, "1");
        assert_eq!(body[1].block.as_ref().unwrap()[0].keyword(), "d");
        assert_eq!((n[1].line, n[1].col), (2, 1));
    }

    #[test]
    fn unbalanced_braces_are_errors() {
        // Accepted as ExaBGP does: a block left open at the end, a stray '}' at the very end.
        let n = build(tokenize("a {\n b;\n").unwrap()).unwrap();
        assert_eq!(n[0].block.as_ref().unwrap()[0].keyword(), "b");
        assert_eq!(build(tokenize("a; }").unwrap()).unwrap().len(), 1);
        let e = build(tokenize("a; } b;").unwrap()).unwrap_err();
        assert!(e.message.contains("unbalanced"));
        let e = build(tokenize("a { b }").unwrap()).unwrap_err();
        assert!(e.message.contains("not ended"));
    }
}
