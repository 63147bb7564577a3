//! A table of routes keyed by NLRI, compact enough for a million entries per neighbor.
//!
//! Entries live in one vector in the order they were first inserted (the order ExaBGP sends a
//! table in), with IP prefixes stored inline in 32 bytes instead of a 48-byte `Nlri`. A
//! separate open-addressing index finds them: each 8-byte slot holds a position and 32 bits
//! of the key's hash, so probing rarely touches an entry that is not the one sought. A
//! `HashMap` would hold a second copy of each key and, just past a power of two, twice the
//! slots.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash, Hasher};

use super::fast_hash::FastHasher;
use crate::bgp::{Family, Nlri, Prefix};

/// An NLRI as stored: IP prefixes inline, other families boxed.
#[derive(Clone, Debug)]
enum Key {
    Ip {
        family: Family,
        len: u8,
        v6: bool,
        path_id: Option<u32>,
        addr: [u32; 4],
    },
    Other(Box<Nlri>),
}

impl Key {
    fn new(nlri: Nlri) -> Key {
        match nlri {
            Nlri::Inet {
                family,
                prefix,
                path_id,
            } => {
                let (v6, wide, len) = match prefix {
                    Prefix::V4 { addr, len } => (false, u128::from(addr), len),
                    Prefix::V6 { addr, len } => (true, addr, len),
                };
                Key::Ip {
                    family,
                    len,
                    v6,
                    path_id,
                    addr: split(wide),
                }
            }
            other => Key::Other(Box::new(other)),
        }
    }

    fn nlri(&self) -> Cow<'_, Nlri> {
        match self {
            Key::Ip {
                family,
                len,
                v6,
                path_id,
                addr,
            } => {
                let wide = join(*addr);
                let prefix = if *v6 {
                    Prefix::V6 {
                        addr: wide,
                        len: *len,
                    }
                } else {
                    Prefix::V4 {
                        addr: wide as u32,
                        len: *len,
                    }
                };
                Cow::Owned(Nlri::Inet {
                    family: *family,
                    prefix,
                    path_id: *path_id,
                })
            }
            Key::Other(n) => Cow::Borrowed(n),
        }
    }

    fn matches(&self, nlri: &Nlri) -> bool {
        match (self, nlri) {
            (Key::Other(n), _) => **n == *nlri,
            (
                Key::Ip {
                    family,
                    len,
                    v6,
                    path_id,
                    addr,
                },
                Nlri::Inet {
                    family: f,
                    prefix,
                    path_id: p,
                },
            ) => {
                let (pv6, wide, plen) = match *prefix {
                    Prefix::V4 { addr, len } => (false, u128::from(addr), len),
                    Prefix::V6 { addr, len } => (true, addr, len),
                };
                family == f && path_id == p && *len == plen && *v6 == pv6 && join(*addr) == wide
            }
            _ => false,
        }
    }
}

fn split(v: u128) -> [u32; 4] {
    [
        (v >> 96) as u32,
        (v >> 64) as u32,
        (v >> 32) as u32,
        v as u32,
    ]
}

fn join(a: [u32; 4]) -> u128 {
    a.iter().fold(0u128, |acc, w| (acc << 32) | u128::from(*w))
}

const EMPTY: u64 = 0;
const TOMBSTONE: u64 = u64::MAX;

/// An index slot: the hash's high half beside position + 1.
fn slot_value(hash: usize, pos: u32) -> u64 {
    ((hash as u64) & 0xffff_ffff_0000_0000) | u64::from(pos + 1)
}

fn slot_position(slot: u64) -> usize {
    (slot & 0xffff_ffff) as usize - 1
}

/// Routes by NLRI, iterated in first-insertion order.
#[derive(Debug)]
pub struct RouteTable<V> {
    /// `None` where an entry was removed (positions stay stable until `compact`).
    entries: Vec<Option<(Key, V)>>,
    /// `slot_value` of an entry, `EMPTY` or `TOMBSTONE`; its length is a power of two.
    index: Vec<u64>,
    live: usize,
    tombstones: usize,
    /// Per table: received prefixes come from peers, who must not be able to aim at one slot.
    seed: u64,
}

impl<V> Default for RouteTable<V> {
    fn default() -> Self {
        RouteTable {
            entries: Vec::new(),
            index: Vec::new(),
            live: 0,
            tombstones: 0,
            seed: RandomState::new().hash_one(0u8),
        }
    }
}

impl<V> RouteTable<V> {
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    fn hash(&self, nlri: &Nlri) -> usize {
        let mut h = FastHasher::with_seed(self.seed);
        nlri.hash(&mut h);
        h.finish() as usize
    }

    /// The index slot holding `nlri`, or None.
    fn find(&self, nlri: &Nlri) -> Option<usize> {
        if self.index.is_empty() {
            return None;
        }
        self.probe(nlri, self.hash(nlri)).ok()
    }

    /// Walk the probe sequence of `hash`: `Ok(slot)` holding `nlri`, or `Err(slot)` where it
    /// would go (the first tombstone passed, else the empty slot that ended the walk).
    /// The index must not be empty.
    fn probe(&self, nlri: &Nlri, hash: usize) -> Result<usize, usize> {
        let mask = self.index.len() - 1;
        let tag = (hash as u64) & 0xffff_ffff_0000_0000;
        let mut slot = hash & mask;
        let mut free = None;
        // The load factor keeps empty slots around, so the walk ends; bounded all the same.
        for _ in 0..self.index.len() {
            match self.index.get(slot).copied().unwrap_or(EMPTY) {
                EMPTY => return Err(free.unwrap_or(slot)),
                TOMBSTONE => {
                    free.get_or_insert(slot);
                }
                at if at & 0xffff_ffff_0000_0000 != tag => {}
                at => {
                    let hit = self
                        .entries
                        .get(slot_position(at))
                        .and_then(Option::as_ref)
                        .is_some_and(|(k, _)| k.matches(nlri));
                    if hit {
                        return Ok(slot);
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
        Err(free.unwrap_or(slot))
    }

    /// Position in insertion order of `nlri`'s entry.
    pub fn position(&self, nlri: &Nlri) -> Option<usize> {
        let slot = self.find(nlri)?;
        self.index.get(slot).map(|at| slot_position(*at))
    }

    pub fn get(&self, nlri: &Nlri) -> Option<&V> {
        self.at(self.position(nlri)?).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, nlri: &Nlri) -> Option<&mut V> {
        let pos = self.position(nlri)?;
        self.entries
            .get_mut(pos)
            .and_then(Option::as_mut)
            .map(|(_, v)| v)
    }

    /// The entry at a position: the NLRI as stored and its value.
    pub fn at(&self, pos: usize) -> Option<(Cow<'_, Nlri>, &V)> {
        self.entries
            .get(pos)
            .and_then(Option::as_ref)
            .map(|(k, v)| (k.nlri(), v))
    }

    /// Insert or replace; a replaced entry keeps its position but takes the new key (data
    /// outside an NLRI's identity, such as labels, may differ). Returns the old value.
    pub fn insert(&mut self, nlri: Nlri, value: V) -> Option<V> {
        if (self.live + self.tombstones + 1) * 8 > self.index.len() * 5 {
            self.rebuild(((self.live + 1) * 2).next_power_of_two().max(16));
        }
        let hash = self.hash(&nlri);
        let slot = match self.probe(&nlri, hash) {
            Ok(slot) => {
                let at = slot_position(*self.index.get(slot)?);
                let entry = self.entries.get_mut(at)?;
                return entry.replace((Key::new(nlri), value)).map(|(_, v)| v);
            }
            Err(slot) => slot,
        };
        let pos = self.entries.len();
        let Some(pos32) = u32::try_from(pos).ok().filter(|p| *p < u32::MAX - 1) else {
            // Beyond four billion entries: refused rather than wrapped onto another entry.
            return None;
        };
        if let Some(s) = self.index.get_mut(slot) {
            if *s == TOMBSTONE {
                self.tombstones -= 1;
            }
            *s = slot_value(hash, pos32);
        }
        self.entries.push(Some((Key::new(nlri), value)));
        self.live += 1;
        None
    }

    pub fn remove(&mut self, nlri: &Nlri) -> Option<V> {
        let slot = self.find(nlri)?;
        let at = std::mem::replace(self.index.get_mut(slot)?, TOMBSTONE);
        self.tombstones += 1;
        self.live -= 1;
        let removed = self
            .entries
            .get_mut(slot_position(at))?
            .take()
            .map(|(_, v)| v);
        if self.entries.last().is_some_and(Option::is_none) && self.live == 0 {
            self.clear();
        }
        removed
    }

    pub fn clear(&mut self) {
        self.entries = Vec::new();
        self.index = Vec::new();
        self.live = 0;
        self.tombstones = 0;
    }

    /// True when removed entries take more room than live ones: time to `compact`.
    pub fn sparse(&self) -> bool {
        let holes = self.entries.len() - self.live;
        holes > 1024 && holes > self.live
    }

    /// Close the gaps left by removed entries; positions change.
    pub fn compact(&mut self) {
        self.entries.retain(Option::is_some);
        self.entries.shrink_to_fit();
        self.rebuild((self.live * 2).next_power_of_two().max(16));
    }

    fn rebuild(&mut self, slots: usize) {
        let mut index = vec![EMPTY; slots];
        let mask = slots - 1;
        for (pos, entry) in self.entries.iter().enumerate() {
            let Some((key, _)) = entry else { continue };
            let hash = self.hash(&key.nlri());
            let mut slot = hash & mask;
            while index.get(slot).is_some_and(|s| *s != EMPTY) {
                slot = (slot + 1) & mask;
            }
            if let Some(s) = index.get_mut(slot) {
                *s = slot_value(hash, pos as u32);
            }
        }
        self.index = index;
        self.tombstones = 0;
    }

    /// Entries in first-insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'_, Nlri>, &V)> + '_ {
        self.entries.iter().flatten().map(|(k, v)| (k.nlri(), v))
    }

    /// Entries with their positions, in first-insertion order.
    pub fn positions(&self) -> impl Iterator<Item = (usize, &V)> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(pos, e)| e.as_ref().map(|(_, v)| (pos, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(addr: u32, len: u8) -> Nlri {
        Nlri::Inet {
            family: Family::IPV4_UNICAST,
            prefix: Prefix::V4 { addr, len },
            path_id: None,
        }
    }

    #[test]
    fn stores_ip_prefixes_in_32_bytes() {
        assert_eq!(std::mem::size_of::<Key>(), 32);
    }

    #[test]
    fn insert_get_replace_remove_in_order() {
        let mut t = RouteTable::default();
        for i in 0..5000u32 {
            assert_eq!(t.insert(v4(i << 8, 24), i), None);
        }
        let v6 = Nlri::Inet {
            family: Family::IPV6_UNICAST,
            prefix: Prefix::V6 {
                addr: 0x2001_0db8 << 96,
                len: 32,
            },
            path_id: Some(7),
        };
        t.insert(v6.clone(), 9999);
        assert_eq!(t.get(&v6), Some(&9999));
        assert_eq!(t.insert(v4(3 << 8, 24), 33), Some(3));
        assert_eq!(t.get(&v4(3 << 8, 24)), Some(&33));
        assert_eq!(t.get(&v4(3 << 8, 25)), None);
        for i in (0..5000u32).step_by(2) {
            assert_eq!(t.remove(&v4(i << 8, 24)), Some(if i == 3 { 33 } else { i }));
        }
        assert_eq!(t.len(), 2501);
        assert!(t.sparse() || t.entries.len() - t.len() <= 1024 || t.len() >= 2499);
        let order: Vec<u32> = t.iter().map(|(_, v)| *v).collect();
        let mut expected: Vec<u32> = (1..5000)
            .step_by(2)
            .map(|i| if i == 3 { 33 } else { i })
            .collect();
        expected.push(9999);
        assert_eq!(order, expected);
        // Removed keys come back at the end; kept ones keep their place after compaction.
        t.insert(v4(0, 24), 0);
        t.compact();
        assert_eq!(
            t.iter().last().map(|(n, _)| n.into_owned()),
            Some(v4(0, 24))
        );
        assert_eq!(t.get(&v6), Some(&9999));
        assert_eq!(t.iter().next().map(|(_, v)| *v), Some(1));
        assert_eq!(t.len(), 2502);
    }

    #[test]
    fn other_families_are_boxed_and_found() {
        let mut t = RouteTable::default();
        let flow = Nlri::Raw {
            family: Family::IPV4_UNICAST,
            bytes: vec![24, 10, 0, 0],
        };
        t.insert(flow.clone(), 1);
        t.insert(v4(1, 32), 2);
        assert_eq!(t.get(&flow), Some(&1));
        assert!(matches!(t.iter().next(), Some((Cow::Borrowed(_), 1))));
        t.remove(&flow);
        assert_eq!(t.get(&flow), None);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn reinserting_after_many_removals_does_not_grow_without_bound() {
        let mut t = RouteTable::default();
        for round in 0..50u32 {
            for i in 0..1000u32 {
                t.insert(v4(i, 32), round);
            }
            for i in 0..1000u32 {
                t.remove(&v4(i, 32));
            }
            if t.sparse() {
                t.compact();
            }
        }
        assert!(t.is_empty());
        assert!(t.index.len() <= 4096, "{}", t.index.len());
    }
}
