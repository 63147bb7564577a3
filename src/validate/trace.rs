//! `validate -v`: the parse log ExaBGP writes while it reads a configuration, one line per
//! statement (`. keyword | 'arg' ...`), per block opened (`> keyword | 'arg' ...`) and per block
//! closed (`< keyword | `), rebuilt from the statement tree once the file has been parsed.

use crate::config::lexer::{self, Token};

/// One line of the parse log, or the place where a neighbor's routes are inserted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Line(String),
    /// The end of the n-th `neighbor` block outside a template: ExaBGP logs the neighbor's
    /// `rib insert` lines here, before its closing `<` line. With it, the neighbor's `nexthop`
    /// block entries as written (afi, safi, next-hop afi), which ExaBGP checks at this point.
    NeighborEnd(usize, Vec<[String; 3]>),
}

/// The parse log of `text`; stops before the first statement after line `stop` (where the
/// parser failed), and is empty when the text does not split into tokens. Read from the
/// token stream rather than the statement tree, so that brace problems the loader already
/// reported are not reported twice.
pub fn steps(text: &str, stop: Option<u32>) -> Vec<Step> {
    let Ok(tokens) = lexer::tokenize(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Open blocks: keyword, and whether the block is (inside) a template.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut words: Vec<Token> = Vec::new();
    let mut neighbors = 0;
    let mut nexthops: Vec<[String; 3]> = Vec::new();
    for tok in tokens {
        let end = [";", "{", "}"].into_iter().find(|p| tok.is(p));
        let Some(end) = end else {
            words.push(tok);
            continue;
        };
        let line = words.first().map_or(tok.line, |w| w.line);
        if stop.is_some_and(|stop| line > stop) {
            return out;
        }
        let keyword = words.first().map_or("", |w| w.text.as_str()).to_string();
        let args = words.get(1..).unwrap_or(&[]);
        match end {
            ";" => {
                if !words.is_empty() {
                    out.push(Step::Line(format_line('.', &keyword, args)));
                }
                if let ([.., (parent, false), (block, _)], [safi, nh]) = (open.as_slice(), args) {
                    if parent == "neighbor" && block == "nexthop" {
                        nexthops.push([
                            keyword.clone(),
                            safi.text.as_str().to_string(),
                            nh.text.as_str().to_string(),
                        ]);
                    }
                }
            }
            "{" => {
                out.push(Step::Line(format_line('>', &keyword, args)));
                let template = keyword == "template" || open.last().is_some_and(|o| o.1);
                open.push((keyword, template));
            }
            _ => {
                // A stray top-level '}' ends the configuration, as it does for ExaBGP.
                let Some((keyword, template)) = open.pop() else {
                    return out;
                };
                close(&mut out, &keyword, template, &mut neighbors, &mut nexthops);
            }
        }
        words.clear();
    }
    // ExaBGP closes the blocks left open at the end of the file.
    if stop.is_none() {
        while let Some((keyword, template)) = open.pop() {
            close(&mut out, &keyword, template, &mut neighbors, &mut nexthops);
        }
    }
    out
}

fn close(
    out: &mut Vec<Step>,
    keyword: &str,
    template: bool,
    neighbors: &mut usize,
    nexthops: &mut Vec<[String; 3]>,
) {
    if keyword == "neighbor" && !template {
        out.push(Step::NeighborEnd(*neighbors, std::mem::take(nexthops)));
        *neighbors += 1;
    }
    out.push(Step::Line(format_line('<', keyword, &[])));
}

fn format_line(mark: char, keyword: &str, args: &[Token]) -> String {
    format!("{mark} {keyword:<16} | {}", params(args))
}

/// ExaBGP's `params()`: each word in single quotes, or nothing for none.
fn params(args: &[Token]) -> String {
    args.iter()
        .map(|t| format!("'{}'", t.text.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, stop: Option<u32>) -> Vec<String> {
        steps(text, stop)
            .into_iter()
            .map(|s| match s {
                Step::Line(l) => l,
                Step::NeighborEnd(n, nh) => format!("end {n} {nh:?}"),
            })
            .collect()
    }

    #[test]
    fn statements_and_blocks_are_logged_as_exabgp_does() {
        let got = lines(
            "template { neighbor t { local-as 1; } }\n\
             neighbor 127.0.0.1 {\n description \"a b\";\n nexthop { ipv4 unicast ipv6; }\n}\n",
            None,
        );
        assert_eq!(
            got,
            [
                "> template         | ",
                "> neighbor         | 't'",
                ". local-as         | '1'",
                "< neighbor         | ",
                "< template         | ",
                "> neighbor         | '127.0.0.1'",
                ". description      | 'a b'",
                "> nexthop          | ",
                ". ipv4             | 'unicast' 'ipv6'",
                "< nexthop          | ",
                "end 0 [[\"ipv4\", \"unicast\", \"ipv6\"]]",
                "< neighbor         | ",
            ]
        );
    }

    #[test]
    fn the_log_stops_where_the_parser_failed() {
        let got = lines("a 1;\nb 2;\nc 3;\n", Some(2));
        assert_eq!(
            got,
            [". a                | '1'", ". b                | '2'"]
        );
        assert_eq!(
            lines("a {", None),
            ["> a                | ", "< a                | "]
        );
    }
}
