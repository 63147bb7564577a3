//! From configuration text to the statement tree: the text goes through the lexer into the
//! tree builder a block of lines at a time, so a file of a million routes is never held whole
//! (nor its tokens, nor its route statements: see `Builder::parsing_routes`).

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use super::lexer::{LexError, Lexer};
use super::tree::{Builder, Node};
use super::words::error;
use super::{ConfigError, Location};

/// Bytes read from the file at a time.
const BLOCK: usize = 64 * 1024;

/// The lexer and the tree builder of one configuration file.
struct TreeReader<'a> {
    file: &'a Path,
    lexer: Lexer,
    tree: Builder,
}

impl<'a> TreeReader<'a> {
    fn new(file: &'a Path) -> TreeReader<'a> {
        TreeReader {
            file,
            lexer: Lexer::new(),
            tree: Builder::parsing_routes(file.to_path_buf()),
        }
    }

    /// Whole lines of text (or the last, unterminated, line of the input).
    fn feed(&mut self, piece: &str) -> Result<(), ConfigError> {
        let tree = &mut self.tree;
        self.lexer
            .feed(piece, &mut |t| {
                tree.push(t).map_err(|e| LexError {
                    line: e.line,
                    col: e.col,
                    message: e.message,
                })
            })
            .map_err(|e| error(self.file, e.line, e.col, e.message))
    }

    fn finish(self) -> Result<Vec<Node>, ConfigError> {
        let file = self.file;
        self.lexer
            .finish()
            .map_err(|e| error(file, e.line, e.col, e.message))?;
        self.tree
            .finish()
            .map_err(|e| error(file, e.line, e.col, e.message))
    }
}

/// The statement tree of configuration text; `file` names it in errors.
pub fn tree_of_text(text: &str, file: &Path) -> Result<Vec<Node>, ConfigError> {
    let mut r = TreeReader::new(file);
    r.feed(text)?;
    r.finish()
}

/// The statement tree of a configuration file, read a block at a time.
pub fn tree_of_file(path: &Path) -> Result<Vec<Node>, ConfigError> {
    let f = File::open(path).map_err(|e| read_error(path, e))?;
    tree_of_reader(BufReader::with_capacity(BLOCK, f), path)
}

/// As `tree_of_file`, from any reader. A file that can not be read whole, or is not UTF-8, is
/// refused with the same error wherever the problem is, even after a syntax error: the
/// problem of a file read at once (the file is read to its end to tell).
pub fn tree_of_reader(mut input: impl BufRead, file: &Path) -> Result<Vec<Node>, ConfigError> {
    let mut r = TreeReader::new(file);
    // The start of a line longer than the block read so far.
    let mut partial: Vec<u8> = Vec::new();
    loop {
        let block = input.fill_buf().map_err(|e| read_error(file, e))?;
        if block.is_empty() {
            break;
        }
        let taken = match block.iter().rposition(|&b| b == b'\n') {
            Some(end) => {
                let lines = block.get(..=end).unwrap_or_default();
                let fed = if partial.is_empty() {
                    text(lines).map(|s| r.feed(s))
                } else {
                    partial.extend_from_slice(lines);
                    let fed = text(&partial).map(|s| r.feed(s));
                    partial.clear();
                    fed
                };
                let fed = fed.map_err(|e| read_error(file, e))?;
                if let Err(e) = fed {
                    input.consume(end + 1);
                    return Err(rest_readable(input, file).err().unwrap_or(e));
                }
                end + 1
            }
            None => {
                partial.extend_from_slice(block);
                block.len()
            }
        };
        input.consume(taken);
    }
    if !partial.is_empty() {
        r.feed(text(&partial).map_err(|e| read_error(file, e))?)?;
    }
    r.finish()
}

/// `bytes` as text, refused as `read_to_string` refuses it.
fn text(bytes: &[u8]) -> Result<&str, io::Error> {
    std::str::from_utf8(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// Read the rest of the input, checking it as `tree_of_reader` would.
fn rest_readable(mut input: impl BufRead, file: &Path) -> Result<(), ConfigError> {
    let mut partial: Vec<u8> = Vec::new();
    loop {
        let block = input.fill_buf().map_err(|e| read_error(file, e))?;
        if block.is_empty() {
            break;
        }
        let n = block.len();
        // A character can only be cut at the end of a block: check up to the last newline.
        partial.extend_from_slice(block);
        input.consume(n);
        if let Some(end) = partial.iter().rposition(|&b| b == b'\n') {
            text(partial.get(..=end).unwrap_or_default()).map_err(|e| read_error(file, e))?;
            partial.drain(..=end);
        }
    }
    text(&partial).map_err(|e| read_error(file, e))?;
    Ok(())
}

fn read_error(file: &Path, e: io::Error) -> ConfigError {
    ConfigError {
        location: Location {
            file: file.to_path_buf(),
            line: 0,
            col: 0,
        },
        message: format!("can not read the configuration: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads at most `n` bytes per `fill_buf`, to cut lines and characters anywhere.
    fn small_blocks(text: &[u8], n: usize) -> impl BufRead + '_ {
        BufReader::with_capacity(n, text)
    }

    fn shape(nodes: &[Node]) -> String {
        format!("{nodes:?}")
    }

    #[test]
    fn blocks_of_any_size_give_the_same_tree() {
        let text = "process p { run \"/bin/x\" 'a b'; }\n# é comment ; {\nneighbor 127.0.0.1 {\n description \"d\\u00e9 \\\"q\\\"\"; \\\n local-as 1;\n static {\n  route 1.0.0.0/8 next-hop 1.1.1.1 as-path [ 1 { 2 } ];\n  route 2.0.0.0/8 { med 5; }\n }\n}";
        let whole = shape(&tree_of_text(text, Path::new("t")).unwrap());
        for n in [1, 2, 3, 7, 64] {
            let r = tree_of_reader(small_blocks(text.as_bytes(), n), Path::new("t")).unwrap();
            assert_eq!(shape(&r), whole, "blocks of {n}");
        }
    }

    #[test]
    fn errors_are_the_same_and_a_bad_file_wins_over_a_syntax_error() {
        let text = "a {\n b \"x;\n}\n";
        let want = tree_of_text(text, Path::new("t")).unwrap_err();
        assert_eq!(want.to_string(), "t:2:4: unterminated string");
        for n in [1, 5, 100] {
            let e = tree_of_reader(small_blocks(text.as_bytes(), n), Path::new("t")).unwrap_err();
            assert_eq!(e, want);
        }
        let mut bad = b"a; }\nb;\n".to_vec();
        bad.extend_from_slice(b"c \xe9;\n");
        for n in [1, 4, 100] {
            let e = tree_of_reader(small_blocks(&bad, n), Path::new("t")).unwrap_err();
            assert_eq!(
                e.to_string(),
                "t:0:0: can not read the configuration: stream did not contain valid UTF-8"
            );
        }
        let e = tree_of_file(Path::new("/nonexistent/ferrobgp.conf")).unwrap_err();
        assert!(e.message.starts_with("can not read the configuration: "));
    }
}
