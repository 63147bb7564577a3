//! The one-line statements of a neighbor's `static` block (`route <prefix> ...;` and
//! `attributes ... nlri ...;`), parsed as soon as their `;` is read: a block of a million
//! routes then never exists as tokens or statement nodes, only as routes.

use std::path::PathBuf;
use std::sync::Arc;

use super::lexer::Token;
use super::partial::{note_first, FirstRoute};
use super::route::{parse_attributes_nlri, parse_route_words};
use super::words::error;
use super::{ConfigError, RouteList};
use crate::bgp::Attributes;

/// Consecutive one-line route statements of a `static` block, already parsed, standing in
/// the block for the statement nodes they were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteRun {
    pub routes: RouteList,
    /// Where the first route of each family was written (indexes into `routes`).
    pub firsts: Vec<FirstRoute>,
    /// The error of the statement after the last route: reported when the neighbor's body is
    /// interpreted, in the order the parser would have met it.
    pub error: Option<ConfigError>,
}

/// True for the statements parsed early: `static_section` would parse exactly these words.
pub fn is_route_statement(words: &[Token]) -> bool {
    words
        .first()
        .is_some_and(|k| matches!(k.text.as_str(), "route" | "attributes" | "attribute"))
}

/// Parses route statements for one configuration file.
pub struct StaticParser {
    file: PathBuf,
    /// The attribute set of the previous statement: consecutive routes written with the
    /// same attributes share it instead of each holding a copy.
    last: Option<Arc<Attributes>>,
}

impl StaticParser {
    pub fn new(file: PathBuf) -> StaticParser {
        StaticParser { file, last: None }
    }

    /// Parse one statement (`words` holds its keyword, as `is_route_statement` accepted it)
    /// into `run`; once `run` holds an error, later statements are not parsed (that error
    /// is the one reported).
    pub fn parse(&mut self, words: &[Token], run: &mut RouteRun) {
        if run.error.is_some() {
            return;
        }
        let Some((kw, args)) = words.split_first() else {
            return;
        };
        let file = self.file.as_path();
        let parsed = match kw.text.as_str() {
            "route" if args.is_empty() => Err(error(file, kw.line, kw.col, "route needs a prefix")),
            "route" => parse_route_words(args, None, file),
            _ => parse_attributes_nlri(args, None, file),
        };
        let routes = match parsed {
            Ok(routes) => routes,
            Err(e) => {
                run.error = Some(e);
                return;
            }
        };
        for mut r in routes {
            match &self.last {
                Some(prev) if Arc::ptr_eq(prev, &r.attributes) => {}
                Some(prev) if **prev == *r.attributes => r.attributes = prev.clone(),
                _ => self.last = Some(r.attributes.clone()),
            }
            note_first(&mut run.firsts, &r, run.routes.len(), kw.line, kw.col);
            run.routes.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lexer::tokenize;

    fn run(statements: &[&str]) -> RouteRun {
        let mut p = StaticParser::new(PathBuf::from("t.conf"));
        let mut run = RouteRun::default();
        for s in statements {
            let words = tokenize(s).unwrap();
            assert!(is_route_statement(&words));
            p.parse(&words, &mut run);
        }
        run
    }

    #[test]
    fn routes_share_attributes_and_families_keep_their_first_position() {
        let r = run(&[
            "route 1.0.0.0/8 next-hop 1.1.1.1",
            "route 2.0.0.0/8 next-hop 1.1.1.1",
            "  route 2001:db8::/32 next-hop ::1",
            "attributes next-hop 1.1.1.1 nlri 3.0.0.0/8 4.0.0.0/8",
        ]);
        assert_eq!(r.routes.len(), 5);
        assert!(r.error.is_none());
        let v: Vec<_> = r.routes.iter().collect();
        assert!(Arc::ptr_eq(&v[0].attributes, &v[1].attributes));
        assert_eq!(r.firsts.len(), 2);
        assert_eq!(
            (r.firsts[1].index, r.firsts[1].line, r.firsts[1].col),
            (2, 1, 3)
        );
    }

    #[test]
    fn attribute_sets_differing_in_any_list_are_not_equal() {
        let words = [
            "next-hop 1.1.1.1",
            "next-hop 1.1.1.2",
            "next-hop 1.1.1.1 med 5",
            "next-hop 1.1.1.1 community [ 1:1 ]",
            "next-hop 1.1.1.1 community [ 1:2 ]",
            "next-hop 1.1.1.1 as-path [ 1 2 ]",
            "next-hop 1.1.1.1 as-path [ ]",
            "next-hop 1.1.1.1 extended-community [ target:1:1 ]",
            "next-hop 1.1.1.1 large-community [ 1:2:3 ]",
            "next-hop 1.1.1.1 cluster-list [ 1.1.1.1 ]",
            "next-hop 1.1.1.1 attribute [ 0x20 0xc0 0x0000006400000064 ]",
        ];
        let attrs: Vec<Attributes> = words
            .iter()
            .map(|w| {
                let r = run(&[&format!("route 1.0.0.0/8 {w}")]);
                let route = r.routes.into_iter().next().unwrap();
                (*route.attributes).clone()
            })
            .collect();
        for (i, a) in attrs.iter().enumerate() {
            for (j, b) in attrs.iter().enumerate() {
                assert_eq!(a == b, i == j, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_first_error_is_kept_and_stops_parsing() {
        let r = run(&[
            "route 1.0.0.0/8 next-hop 1.1.1.1",
            "route",
            "route 300.0.0.0/8 next-hop 1.1.1.1",
        ]);
        assert_eq!(r.routes.len(), 1);
        let e = r.error.unwrap();
        assert_eq!(e.to_string(), "t.conf:1:1: route needs a prefix");
    }
}
