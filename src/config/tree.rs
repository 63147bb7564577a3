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
    // Each open block keeps its nodes so far and the words of the statement that opened it.
    let mut stack: Vec<(Vec<Node>, Vec<Token>, u32, u32)> = Vec::new();
    let mut current: Vec<Node> = Vec::new();
    let mut words: Vec<Token> = Vec::new();

    let mut tokens = tokens.into_iter();
    while let Some(tok) = tokens.next() {
        if tok.is(";") {
            let (line, col) = words
                .first()
                .map_or((tok.line, tok.col), |w| (w.line, w.col));
            if !words.is_empty() {
                current.push(Node {
                    words: std::mem::take(&mut words),
                    block: None,
                    line,
                    col,
                });
            }
        } else if tok.is("{") {
            let (line, col) = words
                .first()
                .map_or((tok.line, tok.col), |w| (w.line, w.col));
            stack.push((
                std::mem::take(&mut current),
                std::mem::take(&mut words),
                line,
                col,
            ));
        } else if tok.is("}") {
            if let Some(w) = words.first() {
                return Err(TreeError {
                    line: w.line,
                    col: w.col,
                    message: format!(
                        "statement \"{}\" is not ended by ';' before '}}'",
                        join(&words)
                    ),
                });
            }
            let Some((parent, head, line, col)) = stack.pop() else {
                // ExaBGP stops reading at a stray top-level '}' (a suite file ends with one);
                // accept it as the end, but refuse to drop anything written after it.
                if let Some(next) = tokens.next() {
                    return Err(TreeError {
                        line: tok.line,
                        col: tok.col,
                        message: format!(
                            "unbalanced '}}' (followed by \"{}\" at line {})",
                            next.text, next.line
                        ),
                    });
                }
                log::warn!(target: "configuration", "line {}: ignoring an extra '}}' at the end", tok.line);
                break;
            };
            let body = std::mem::replace(&mut current, parent);
            current.push(Node {
                words: head,
                block: Some(body),
                line,
                col,
            });
        } else {
            words.push(tok);
        }
    }
    if let Some(w) = words.first() {
        return Err(TreeError {
            line: w.line,
            col: w.col,
            message: format!("statement \"{}\" is not ended by ';'", join(&words)),
        });
    }
    // ExaBGP closes blocks left open at the end of the file (a suite file relies on it).
    while let Some((parent, head, line, col)) = stack.pop() {
        log::warn!(target: "configuration", "line {line}: block never closed, closed at the end of the file");
        let body = std::mem::replace(&mut current, parent);
        current.push(Node {
            words: head,
            block: Some(body),
            line,
            col,
        });
    }
    Ok(current)
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
