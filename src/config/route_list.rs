//! The routes of a neighbor, stored in fixed-size chunks: a configuration of a million routes
//! never needs one huge contiguous block, never copies the table to grow it, and gives the
//! memory back chunk by chunk while the reactor consumes it.

use std::fmt;
use std::hash::{Hash, Hasher};

use super::Route;

/// Routes per chunk: 4096 routes of 64 bytes, 256 KiB.
const CHUNK: usize = 4096;

/// A list of routes in insertion order, used like a `Vec<Route>`.
#[derive(Clone, Default)]
pub struct RouteList {
    chunks: Vec<Vec<Route>>,
    len: usize,
}

impl RouteList {
    pub fn new() -> RouteList {
        RouteList::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, route: Route) {
        let chunk = match self.chunks.last_mut() {
            Some(c) if c.len() < CHUNK => c,
            _ => {
                // A first small chunk for the common few-route neighbor; full ones after it.
                let cap = if self.chunks.is_empty() { 4 } else { CHUNK };
                self.chunks.push(Vec::with_capacity(cap));
                match self.chunks.last_mut() {
                    Some(c) => c,
                    None => return,
                }
            }
        };
        if chunk.len() == chunk.capacity() {
            // Grow by doubling, but never past a chunk (no slack beyond CHUNK).
            let want = (chunk.len() * 2).clamp(4, CHUNK);
            chunk.reserve_exact(want - chunk.len());
        }
        chunk.push(route);
        self.len += 1;
    }

    /// Move every route of `other` to the end of this list (the chunks move, not the routes).
    pub fn append(&mut self, other: RouteList) {
        if other.is_empty() {
            return;
        }
        if self.is_empty() {
            *self = other;
            return;
        }
        self.len += other.len;
        self.chunks
            .extend(other.chunks.into_iter().filter(|c| !c.is_empty()));
    }

    pub fn iter(&self) -> impl Iterator<Item = &Route> + Clone + '_ {
        self.chunks.iter().flatten()
    }

    /// Keep the routes for which `keep` is true, in place (no chunk is reallocated).
    pub fn retain(&mut self, mut keep: impl FnMut(&Route) -> bool) {
        for c in &mut self.chunks {
            c.retain(&mut keep);
        }
        self.chunks.retain(|c| !c.is_empty());
        self.len = self.chunks.iter().map(Vec::len).sum();
    }
}

impl From<Vec<Route>> for RouteList {
    fn from(routes: Vec<Route>) -> RouteList {
        routes.into_iter().collect()
    }
}

impl FromIterator<Route> for RouteList {
    fn from_iter<I: IntoIterator<Item = Route>>(iter: I) -> RouteList {
        let mut list = RouteList::new();
        list.extend(iter);
        list
    }
}

impl Extend<Route> for RouteList {
    fn extend<I: IntoIterator<Item = Route>>(&mut self, iter: I) {
        for r in iter {
            self.push(r);
        }
    }
}

/// Consumes the list front to back, freeing each chunk once it is used up.
pub struct IntoIter {
    chunks: std::vec::IntoIter<Vec<Route>>,
    current: std::vec::IntoIter<Route>,
    left: usize,
}

impl Iterator for IntoIter {
    type Item = Route;

    fn next(&mut self) -> Option<Route> {
        loop {
            if let Some(r) = self.current.next() {
                self.left = self.left.saturating_sub(1);
                return Some(r);
            }
            // Replacing `current` drops (frees) the chunk just used up.
            self.current = self.chunks.next()?.into_iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for RouteList {
    type Item = Route;
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        IntoIter {
            chunks: self.chunks.into_iter(),
            current: Vec::new().into_iter(),
            left: self.len,
        }
    }
}

impl<'a> IntoIterator for &'a RouteList {
    type Item = &'a Route;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<Route>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flatten()
    }
}

/// Equal when the routes are, wherever the chunk boundaries fall.
impl PartialEq for RouteList {
    fn eq(&self, other: &RouteList) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for RouteList {}

impl Hash for RouteList {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len);
        for r in self {
            r.hash(state);
        }
    }
}

/// Shown as a plain list, as a `Vec<Route>` was.
impl fmt::Debug for RouteList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::{Attributes, Nlri, Prefix};
    use std::sync::Arc;

    fn route(i: u32) -> Route {
        let p = Prefix::new(std::net::Ipv4Addr::from(i).into(), 32).unwrap();
        Route::new(Nlri::unicast(p, None), Arc::new(Attributes::default()))
    }

    fn prefixes(l: &RouteList) -> Vec<String> {
        l.iter().map(|r| format!("{:?}", r.nlri)).collect()
    }

    #[test]
    fn a_route_is_64_bytes() {
        assert_eq!(std::mem::size_of::<Route>(), 64);
    }

    #[test]
    fn keeps_order_across_chunks_and_appends() {
        let n = CHUNK as u32 * 2 + 7;
        let mut a: RouteList = (0..n).map(route).collect();
        assert_eq!(a.len(), n as usize);
        assert!(a.chunks.iter().all(|c| c.capacity() <= CHUNK));
        let b: RouteList = (n..n + 3).map(route).collect();
        a.append(b);
        let all: RouteList = (0..n + 3).map(route).collect();
        assert_eq!(a, all);
        assert_eq!(prefixes(&a), prefixes(&all));
        let owned: Vec<Route> = a.into_iter().collect();
        assert_eq!(owned.len(), n as usize + 3);
        assert_eq!(owned[5], route(5));
        assert_eq!(owned.last(), Some(&route(n + 2)));
    }

    #[test]
    fn equality_ignores_chunk_boundaries_and_retain_filters() {
        let mut a: RouteList = (0..3).map(route).collect();
        a.append((3..6).map(route).collect());
        let b: RouteList = (0..6).map(route).collect();
        assert_eq!(a, b);
        assert_eq!(
            format!("{a:?}"),
            format!("{:?}", (0..6).map(route).collect::<Vec<_>>())
        );
        a.retain(|r| r != &route(1) && r != &route(4));
        assert_eq!(a.len(), 4);
        assert_eq!(
            a,
            RouteList::from(vec![route(0), route(2), route(3), route(5)])
        );
        assert_ne!(a, b);
    }
}
