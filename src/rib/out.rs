//! Adj-RIB-Out of one neighbor: the routes it should hold, and the changes not yet sent,
//! grouped into UPDATEs the way ExaBGP 5.0 groups them.
//!
//! Changes are bucketed by attribute set (in order of first appearance), then by family, then
//! by NLRI (in order of first appearance). With `group-updates`, IPv4 unicast NLRIs of one
//! bucket share UPDATEs; every other family gets one UPDATE per NLRI.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::fast_hash::FastBuild;
use super::table::RouteTable;
use crate::bgp::message::update::{
    encode_announce, encode_eor, encode_withdraw, encode_withdraw_with_attributes,
};
use crate::bgp::message::{Message, RouteRefresh};
use crate::bgp::{Attributes, EncodeError, Family, Negotiated, Nlri};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Announce,
    Withdraw,
}

#[derive(Clone, Debug)]
struct Change {
    nlri: Nlri,
    action: Action,
}

#[derive(Debug)]
struct Bucket {
    attrs: Arc<Attributes>,
    /// Per family, the queued changes; `None` where a later change moved the NLRI elsewhere.
    families: Vec<(Family, Vec<Option<Change>>)>,
}

/// Where a queued change sits, to replace it when the same NLRI changes again.
#[derive(Clone, Copy, Debug)]
struct Slot {
    bucket: usize,
    family: usize,
    index: usize,
}

/// A route the peer should hold.
#[derive(Debug)]
struct Held {
    attrs: Arc<Attributes>,
    /// Put there by the configuration (a reload withdraws it when the new one drops it).
    from_config: bool,
}

#[derive(Default, Debug)]
pub struct AdjRibOut {
    /// The routes the peer should hold, in the order they were first added.
    routes: RouteTable<Held>,
    /// The whole table queued at the start of a session, walked in place rather than copied
    /// into `buckets`; turned into ordinary queued changes as soon as anything changes.
    walk: Option<Walk>,
    buckets: Vec<Bucket>,
    bucket_of: HashMap<*const Attributes, usize>,
    queued: HashMap<Nlri, Slot, FastBuild>,
    /// Older pending changes of an NLRI still to be sent beside its latest one: ExaBGP keys
    /// pending changes by attribute set then NLRI, so a re-announcement with other attributes
    /// does not cancel a change queued under the first set (flow rules rely on it).
    older: HashMap<Nlri, Vec<Slot>, FastBuild>,
    /// Announcements replaced before the first session: ExaBGP still sends them in its first
    /// table (two configured flow routes with one match and different actions both go out),
    /// with the table position of the route that replaced them.
    shadowed: Vec<(usize, Nlri, Arc<Attributes>)>,
    started: bool,
    /// End-of-RIB markers to send once the queued changes are out.
    eor: Vec<Family>,
    /// Index of the first bucket not yet encoded (encoding is resumable under a byte budget).
    cursor: usize,
    /// ExaBGP leaves withdrawals out of the first batch of UPDATEs of a session (the initial
    /// table, or the first helper batch when the table was empty); helpers' expectations
    /// depend on it (a route announced and withdrawn in that batch never shows).
    send_withdraws: bool,
    /// Route refreshes to send before other changes.
    refresh: Vec<Refresh>,
}

/// The table in the order ExaBGP sends it: by attribute set (first appearance), then family,
/// as table positions.
#[derive(Debug)]
struct Walk {
    buckets: Vec<WalkBucket>,
    /// First bucket not yet encoded.
    next: usize,
}

#[derive(Debug)]
struct WalkBucket {
    attrs: Arc<Attributes>,
    families: Vec<(Family, Vec<u32>)>,
}

#[derive(Debug)]
struct Refresh {
    /// Families framed by BoRR/EoRR (empty without enhanced route refresh).
    markers: Vec<Family>,
    routes: Vec<(Nlri, Arc<Attributes>)>,
}

impl AdjRibOut {
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// Add or replace a route. Returns false when the route was already there unchanged.
    /// Queued for sending only when `live` (a session is established).
    pub fn announce(&mut self, nlri: Nlri, attrs: Arc<Attributes>, live: bool) -> bool {
        self.put(nlri, attrs, live, false)
    }

    /// As `announce`, for a route of the configuration: marked so (see `from_config`) even
    /// when it was already there unchanged.
    pub fn announce_configured(&mut self, nlri: Nlri, attrs: Arc<Attributes>, live: bool) -> bool {
        self.put(nlri, attrs, live, true)
    }

    fn put(&mut self, nlri: Nlri, attrs: Arc<Attributes>, live: bool, configured: bool) -> bool {
        self.unwalk();
        let pos = self.routes.position(&nlri);
        let mut from_config = configured;
        if let Some((key, held)) = pos.and_then(|p| self.routes.at(p)) {
            let old = &held.attrs;
            if (Arc::ptr_eq(old, &attrs) || **old == *attrs) && key.identical(&nlri) {
                if configured && !held.from_config {
                    if let Some(held) = self.routes.get_mut(&nlri) {
                        held.from_config = true;
                    }
                }
                return false;
            }
            if !live && !self.started && **old != *attrs {
                let shadow = (pos.unwrap_or(0), key.into_owned(), old.clone());
                self.shadowed.push(shadow);
            }
            from_config |= held.from_config;
        }
        let held = Held {
            attrs: attrs.clone(),
            from_config,
        };
        // A replaced route keeps its place in the table and takes the new key (route data
        // outside the identity, such as labels, may differ).
        self.routes.insert(nlri.clone(), held);
        if live {
            self.queue(nlri, attrs, Action::Announce);
        }
        true
    }

    /// Remove a route. `attrs` are those given with the withdrawal (ExaBGP buckets withdrawals
    /// by them too). Queued even if the route was unknown, as ExaBGP does.
    pub fn withdraw(&mut self, nlri: &Nlri, attrs: Arc<Attributes>, live: bool) -> bool {
        self.unwalk();
        let known = self.routes.remove(nlri).is_some();
        self.shadowed.retain(|(_, n, _)| n != nlri);
        if self.shadowed.is_empty() && self.routes.sparse() {
            self.routes.compact();
        }
        if live {
            self.queue(nlri.clone(), attrs, Action::Withdraw);
        }
        known
    }

    pub fn is_from_config(&self, nlri: &Nlri) -> bool {
        self.routes.get(nlri).is_some_and(|h| h.from_config)
    }

    /// The routes the configuration put there.
    pub fn config_routes(&self) -> Vec<Nlri> {
        self.routes
            .iter()
            .filter(|(_, h)| h.from_config)
            .map(|(n, _)| n.into_owned())
            .collect()
    }

    /// The routes helpers put there (not the configuration's).
    pub fn helper_routes(&self) -> Vec<(Nlri, Arc<Attributes>)> {
        self.routes
            .iter()
            .filter(|(_, h)| !h.from_config)
            .map(|(n, h)| (n.into_owned(), h.attrs.clone()))
            .collect()
    }

    /// Drop all queued changes and queue the whole table (new session, or route refresh),
    /// followed by End-of-RIB for `eor` families.
    pub fn queue_table(&mut self, eor: &[Family]) {
        self.clear_queue();
        self.eor = eor.to_vec();
        if self.shadowed.is_empty() {
            self.walk = self.plan_walk();
            return;
        }
        let shadowed = std::mem::take(&mut self.shadowed);
        let mut all: Vec<(usize, Nlri, Arc<Attributes>)> =
            Vec::with_capacity(shadowed.len() + self.routes.len());
        all.extend(shadowed);
        all.extend(self.routes.positions().filter_map(|(pos, h)| {
            Some((pos, self.routes.at(pos)?.0.into_owned(), h.attrs.clone()))
        }));
        // Stable: a shadowed announcement goes before the one that replaced it.
        all.sort_by_key(|(pos, _, _)| *pos);
        for (_, nlri, attrs) in all {
            self.queue(nlri, attrs, Action::Announce);
        }
    }

    /// The table grouped as ExaBGP sends it, as positions (4 bytes a route).
    fn plan_walk(&self) -> Option<Walk> {
        let mut buckets: Vec<WalkBucket> = Vec::new();
        let mut bucket_of: HashMap<*const Attributes, usize> = HashMap::new();
        for (pos, held) in self.routes.positions() {
            let Ok(pos32) = u32::try_from(pos) else {
                continue;
            };
            let b = *bucket_of
                .entry(Arc::as_ptr(&held.attrs))
                .or_insert_with(|| {
                    buckets.push(WalkBucket {
                        attrs: held.attrs.clone(),
                        families: Vec::new(),
                    });
                    buckets.len() - 1
                });
            let Some(family) = self.routes.at(pos).map(|(n, _)| n.family()) else {
                continue;
            };
            let Some(bucket) = buckets.get_mut(b) else {
                continue;
            };
            match bucket.families.iter_mut().find(|(f, _)| *f == family) {
                Some((_, list)) => list.push(pos32),
                None => bucket.families.push((family, vec![pos32])),
            }
        }
        (!buckets.is_empty()).then_some(Walk { buckets, next: 0 })
    }

    /// Turn what is left of a table walk into ordinary queued changes, before the table or
    /// the queue changes under it.
    fn unwalk(&mut self) {
        let Some(walk) = self.walk.take() else {
            return;
        };
        for bucket in walk.buckets.into_iter().skip(walk.next) {
            for (_, positions) in bucket.families {
                for pos in positions {
                    if let Some((nlri, _)) = self.routes.at(pos as usize) {
                        let nlri = nlri.into_owned();
                        self.queue(nlri, bucket.attrs.clone(), Action::Announce);
                    }
                }
            }
        }
    }

    /// Re-send every route (`flush adj-rib out`, or the peer's ROUTE-REFRESH), one UPDATE per
    /// route as ExaBGP does, ahead of other queued changes; framed by BoRR/EoRR (RFC 7313) for
    /// `families` when enhanced route refresh was negotiated.
    pub fn queue_refresh(&mut self, families: &[Family], enhanced: bool) {
        let routes: Vec<(Nlri, Arc<Attributes>)> = self
            .routes
            .iter()
            .filter(|(n, _)| families.contains(&n.family()))
            .map(|(n, h)| (n.into_owned(), h.attrs.clone()))
            .collect();
        let markers = if enhanced {
            families.to_vec()
        } else {
            Vec::new()
        };
        self.refresh.push(Refresh { markers, routes });
    }

    /// A session was established: queue the whole table and End-of-RIB for `eor` families;
    /// the first batch sent leaves withdrawals out.
    pub fn start_session(&mut self, eor: &[Family]) {
        self.send_withdraws = false;
        self.queue_table(eor);
        self.started = true;
    }

    /// Queue an End-of-RIB marker (API `announce eor`).
    pub fn queue_eor(&mut self, family: Family) {
        self.eor.push(family);
    }

    pub fn clear_queue(&mut self) {
        self.walk = None;
        self.buckets.clear();
        self.bucket_of.clear();
        self.queued.clear();
        self.older.clear();
        self.eor.clear();
        self.cursor = 0;
    }

    pub fn has_pending(&self) -> bool {
        self.walk.is_some()
            || self.cursor < self.buckets.len()
            || !self.eor.is_empty()
            || !self.refresh.is_empty()
    }

    /// The attributes a route is announced with, if it is in the table.
    pub fn get(&self, nlri: &Nlri) -> Option<Arc<Attributes>> {
        self.routes.get(nlri).map(|h| h.attrs.clone())
    }

    /// Every route, in the order it was first added.
    pub fn routes(&self) -> impl Iterator<Item = (Cow<'_, Nlri>, &Arc<Attributes>)> + '_ {
        self.routes.iter().map(|(n, h)| (n, &h.attrs))
    }

    fn queue(&mut self, nlri: Nlri, attrs: Arc<Attributes>, action: Action) {
        let family = nlri.family();
        let key = Arc::as_ptr(&attrs);
        // A slot before the cursor was already encoded: the new change goes in a new bucket.
        let cursor = self.cursor;
        if let Some(slot) = self
            .queued
            .get(&nlri)
            .copied()
            .filter(|s| s.bucket >= cursor)
        {
            let same_bucket = self.bucket_of.get(&key) == Some(&slot.bucket);
            if same_bucket {
                if let Some(entry) = self.entry(slot) {
                    *entry = Some(Change { nlri, action });
                }
                return;
            }
            if action == Action::Withdraw {
                // A withdrawal cancels the latest pending change, as ExaBGP's del_from_rib.
                if let Some(entry) = self.entry(slot) {
                    *entry = None;
                }
            } else {
                self.older.entry(nlri.clone()).or_default().push(slot);
            }
        }
        let target = self.bucket_of.get(&key).copied().filter(|b| *b >= cursor);
        if let Some(olds) = self.older.get_mut(&nlri) {
            if let Some(pos) = olds.iter().position(|s| Some(s.bucket) == target) {
                let slot = olds.remove(pos);
                if let Some(entry) = self.entry(slot) {
                    *entry = Some(Change {
                        nlri: nlri.clone(),
                        action,
                    });
                }
                self.queued.insert(nlri, slot);
                return;
            }
        }
        let bucket = match self.bucket_of.get(&key) {
            Some(&b) if b >= self.cursor => b,
            _ => {
                self.buckets.push(Bucket {
                    attrs: attrs.clone(),
                    families: Vec::new(),
                });
                let b = self.buckets.len() - 1;
                self.bucket_of.insert(key, b);
                b
            }
        };
        let Some(b) = self.buckets.get_mut(bucket) else {
            return;
        };
        let fam = match b.families.iter().position(|(f, _)| *f == family) {
            Some(i) => i,
            None => {
                b.families.push((family, Vec::new()));
                b.families.len() - 1
            }
        };
        let Some((_, changes)) = b.families.get_mut(fam) else {
            return;
        };
        changes.push(Some(Change {
            nlri: nlri.clone(),
            action,
        }));
        let slot = Slot {
            bucket,
            family: fam,
            index: changes.len() - 1,
        };
        self.queued.insert(nlri, slot);
    }

    fn entry(&mut self, slot: Slot) -> Option<&mut Option<Change>> {
        self.buckets
            .get_mut(slot.bucket)?
            .families
            .get_mut(slot.family)?
            .1
            .get_mut(slot.index)
    }

    /// Encode queued changes into `out` until it holds at least `budget` bytes or nothing is
    /// left. Returns the number of messages written.
    pub fn encode(
        &mut self,
        out: &mut Vec<u8>,
        budget: usize,
        group_updates: bool,
        neg: &Negotiated,
    ) -> Result<usize, EncodeError> {
        let mut messages = 0;
        for refresh in self.refresh.drain(..) {
            let marker = |out: &mut Vec<u8>, family: Family, subtype: u8| {
                let rr = Message::RouteRefresh(RouteRefresh { family, subtype });
                rr.encode(neg, out)
            };
            for family in &refresh.markers {
                marker(out, *family, 1)?;
                messages += 1;
            }
            for (nlri, attrs) in &refresh.routes {
                messages += encode_announce(out, nlri.family(), attrs, [nlri], neg)?;
            }
            for family in &refresh.markers {
                marker(out, *family, 2)?;
                messages += 1;
            }
        }
        if let Some(walk) = &mut self.walk {
            while out.len() < budget {
                let Some(bucket) = walk.buckets.get(walk.next) else {
                    break;
                };
                for (family, positions) in &bucket.families {
                    let grouped = grouped(group_updates, *family);
                    let mut order: Vec<u32> = positions.clone();
                    if grouped {
                        sort_positions(&self.routes, &mut order);
                    }
                    let nlris = order
                        .iter()
                        .filter_map(|p| self.routes.at(*p as usize).map(|(n, _)| n));
                    messages += if grouped {
                        encode_announce(out, *family, &bucket.attrs, nlris, neg)?
                    } else {
                        let mut n = 0;
                        for nlri in nlris {
                            n += encode_announce(out, *family, &bucket.attrs, [nlri], neg)?;
                        }
                        n
                    };
                }
                walk.next += 1;
            }
            if walk.next < walk.buckets.len() {
                return Ok(messages);
            }
            self.walk = None;
            self.send_withdraws = true;
        }
        while out.len() < budget {
            let Some(bucket) = self.buckets.get(self.cursor) else {
                break;
            };
            for (family, changes) in &bucket.families {
                let grouped = grouped(group_updates, *family);
                let withdraws = self.send_withdraws;
                messages += encode_changes(
                    out,
                    *family,
                    &bucket.attrs,
                    changes,
                    grouped,
                    withdraws,
                    neg,
                )?;
            }
            self.cursor += 1;
        }
        if self.cursor >= self.buckets.len() {
            if !self.buckets.is_empty() {
                self.send_withdraws = true;
            }
            self.buckets.clear();
            self.bucket_of.clear();
            self.queued.clear();
            self.older.clear();
            self.cursor = 0;
            if out.len() < budget {
                for family in self.eor.drain(..) {
                    encode_eor(out, family);
                    messages += 1;
                }
            }
        }
        Ok(messages)
    }
}

/// ExaBGP packs several NLRIs in one UPDATE for IPv4 unicast and MCAST-VPN only.
fn grouped(group_updates: bool, family: Family) -> bool {
    group_updates && (family == Family::IPV4_UNICAST || family.safi == crate::bgp::Safi::MCAST_VPN)
}

/// Table positions in the order `sort_wire_order` gives their NLRIs.
fn sort_positions(table: &RouteTable<Held>, positions: &mut [u32]) {
    let key = |p: &u32| table.at(*p as usize).map(|(n, _)| wire_order(&n));
    let all_ip = positions.iter().all(|p| {
        table
            .at(*p as usize)
            .is_some_and(|(n, _)| matches!(*n, Nlri::Inet { .. }))
    });
    if all_ip {
        positions.sort_by_key(key);
    } else {
        positions.sort_by_cached_key(|p| {
            table
                .at(*p as usize)
                .map(|(n, _)| (wire_order(&n), packed(&n)))
        });
    }
}

/// The order ExaBGP packs NLRIs of one UPDATE in: by path identifier, then by the NLRI's
/// encoding (length byte first, so shorter prefixes before longer ones, then address).
fn wire_order(nlri: &Nlri) -> (Option<u32>, u8, u128) {
    match nlri {
        Nlri::Inet {
            prefix, path_id, ..
        } => {
            let addr = match *prefix {
                crate::bgp::Prefix::V4 { addr, .. } => u128::from(addr),
                crate::bgp::Prefix::V6 { addr, .. } => addr,
            };
            (*path_id, prefix.len(), addr)
        }
        _ => (None, 0, 0),
    }
}

/// Sort grouped NLRIs as ExaBGP packs them. IP prefixes sort on `wire_order` alone, computed
/// on the fly: caching keys for a million-route table would take another 64 MB.
fn sort_wire_order(nlris: &mut [&Nlri]) {
    if nlris.iter().all(|n| matches!(n, Nlri::Inet { .. })) {
        nlris.sort_by_key(|n| wire_order(n));
    } else {
        nlris.sort_by_cached_key(|n| (wire_order(n), packed(n)));
    }
}

/// The NLRI's bytes: ExaBGP orders grouped NLRIs of other families by their encoding.
fn packed(nlri: &Nlri) -> Vec<u8> {
    if matches!(nlri, Nlri::Inet { .. }) {
        return Vec::new();
    }
    let mut v = Vec::with_capacity(nlri.encoded_len(false));
    nlri.encode(&mut v, false);
    v
}

fn encode_changes(
    out: &mut Vec<u8>,
    family: Family,
    attrs: &Attributes,
    changes: &[Option<Change>],
    grouped: bool,
    withdraws: bool,
    neg: &Negotiated,
) -> Result<usize, EncodeError> {
    let live = changes
        .iter()
        .flatten()
        .filter(|c| withdraws || c.action == Action::Announce);
    if grouped {
        let mut withdraws: Vec<&Nlri> = live
            .clone()
            .filter(|c| c.action == Action::Withdraw)
            .map(|c| &c.nlri)
            .collect();
        let mut announces: Vec<&Nlri> = live
            .filter(|c| c.action == Action::Announce)
            .map(|c| &c.nlri)
            .collect();
        sort_wire_order(&mut withdraws);
        sort_wire_order(&mut announces);
        let mut n = 0;
        if !withdraws.is_empty() {
            n += encode_withdraw(out, family, withdraws, neg)?;
        }
        if !announces.is_empty() {
            n += encode_announce(out, family, attrs, announces, neg)?;
        }
        return Ok(n);
    }
    let mut n = 0;
    for c in live {
        n += match c.action {
            Action::Announce => encode_announce(out, family, attrs, [&c.nlri], neg)?,
            Action::Withdraw => {
                encode_withdraw_with_attributes(out, family, attrs, [&c.nlri], neg)?
            }
        };
    }
    Ok(n)
}
