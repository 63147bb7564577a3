//! Statements and blocks: the token stream grouped into `words ;` and `words { ... }` nodes,
//! before any keyword is interpreted.

use std::path::PathBuf;

use super::lexer::Token;
use super::static_routes::{is_route_statement, RouteRun, StaticParser};

/// One statement: its words, and its body when it opens a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub words: Vec<Token>,
    pub block: Option<Vec<Node>>,
    /// Route statements of a `static` block parsed as they were read (`Builder::parsing_routes`):
    /// such a node has no words and no block, and stands for those statements.
    pub routes: Option<Box<RouteRun>>,
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
    /// Set by `parsing_routes`.
    routes: Option<StaticParser>,
    /// The open block is a neighbor's `static` block, whose route statements are parsed now.
    in_static: bool,
}

impl Builder {
    /// A builder that parses the route statements of `neighbor { static { } }` and
    /// `template { neighbor { static { } } }` blocks as soon as each one ends, instead of
    /// keeping their words (errors name `file`).
    pub fn parsing_routes(file: PathBuf) -> Builder {
        Builder {
            routes: Some(StaticParser::new(file)),
            ..Builder::default()
        }
    }

    /// Whether the block now open is one whose route statements are parsed early: the same
    /// places `parser::parse` hands a `static` block to `static_section`.
    fn static_block(&self) -> bool {
        fn kw(e: &(Vec<Node>, Vec<Token>, u32, u32)) -> &str {
            e.1.first().map_or("", |t| t.text.as_str())
        }
        self.routes.is_some()
            && match self.stack.as_slice() {
                [n, s] => kw(n) == "neighbor" && kw(s) == "static",
                [t, n, s] => kw(t) == "template" && kw(n) == "neighbor" && kw(s) == "static",
                _ => false,
            }
    }

    /// Parse the statement in `words` into the run ending the current block (a new one when
    /// the last node is not a run).
    fn parse_route(&mut self) {
        let Some(parser) = self.routes.as_mut() else {
            return;
        };
        if !matches!(
            self.current.last(),
            Some(Node {
                routes: Some(_),
                ..
            })
        ) {
            let (line, col) = self.words.first().map_or((0, 0), |w| (w.line, w.col));
            self.current.push(Node {
                words: Vec::new(),
                block: None,
                routes: Some(Box::default()),
                line,
                col,
            });
        }
        if let Some(Node {
            routes: Some(run), ..
        }) = self.current.last_mut()
        {
            parser.parse(&self.words, run);
        }
        // The buffer is kept: its capacity serves the next statement.
        self.words.clear();
    }

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
            if self.in_static && is_route_statement(&self.words) {
                self.parse_route();
            } else if !self.words.is_empty() {
                self.current.push(Node {
                    words: std::mem::take(&mut self.words),
                    block: None,
                    routes: None,
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
            self.in_static = self.static_block();
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
                routes: None,
                line,
                col,
            });
            self.in_static = self.static_block();
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
                routes: None,
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

    /// The routes of a run node, or the keyword of a plain one.
    fn kinds(nodes: &[Node]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match &n.routes {
                Some(run) => format!("run {} {:?}", run.routes.len(), run.error.is_some()),
                None => n.keyword().to_string(),
            })
            .collect()
    }

    fn tree_parsing_routes(text: &str) -> Vec<Node> {
        let mut b = Builder::parsing_routes(PathBuf::from("t"));
        for t in tokenize(text).unwrap() {
            b.push(t).unwrap();
        }
        b.finish().unwrap()
    }

    #[test]
    fn route_statements_of_static_blocks_become_runs() {
        let text = "neighbor a { static { route 1.0.0.0/8 next-hop 1.1.1.1;
                       attributes next-hop 1.1.1.1 nlri 2.0.0.0/8 3.0.0.0/8;
                       route 4.0.0.0/8 { med 5; } route 5.0.0.0/8 next-hop 1.1.1.1;
                       route; route 6.0.0.0/8 next-hop 1.1.1.1; bogus; } }
                     template { neighbor t { static { route 7.0.0.0/8 next-hop 1.1.1.1; } } }
                     static { route 8.0.0.0/8 next-hop 1.1.1.1; }
                     neighbor b { x { static { route 9.0.0.0/8; } } }";
        let n = tree_parsing_routes(text);
        let body = |n: &Node| n.block.clone().unwrap();
        let st = body(&body(&n[0])[0]);
        assert_eq!(kinds(&st), ["run 3 false", "route", "run 1 true", "bogus"]);
        assert_eq!(kinds(&body(&st[1])), ["med"]);
        let t = body(&body(&body(&n[1])[0])[0]);
        assert_eq!(kinds(&t), ["run 1 false"]);
        // Elsewhere the statements stay as they are, for the parser's own errors.
        assert_eq!(kinds(&body(&n[2])), ["route"]);
        assert_eq!(kinds(&body(&body(&body(&n[3])[0])[0])), ["route"]);
        // Without `parsing_routes` nothing is parsed early.
        let plain = build(tokenize(text).unwrap()).unwrap();
        assert_eq!(kinds(&body(&body(&plain[0])[0])).len(), 7);
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
