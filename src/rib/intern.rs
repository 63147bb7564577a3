//! Attribute sets shared between routes: a million routes with one attribute set hold one copy.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::sync::Arc;

use super::fast_hash::FastBuild;
use crate::bgp::Attributes;

#[derive(Default)]
pub struct Interner {
    /// Sets come from the configuration and helpers (received ones are not interned).
    sets: HashSet<Arc<Attributes>, FastBuild>,
    /// The set returned last, compared by address before hashing.
    last: Option<Arc<Attributes>>,
}

impl Interner {
    /// The shared copy of `attrs`, so routes can be grouped by pointer. Takes an owned set
    /// (a received UPDATE's, only moved into an `Arc` when new) or one already shared (a
    /// configured route's, kept as it is when new).
    pub fn intern<A>(&mut self, attrs: A) -> Arc<Attributes>
    where
        A: Borrow<Attributes> + Into<Arc<Attributes>>,
    {
        if let Some(last) = &self.last {
            // Consecutive routes usually carry one set: skip hashing it again.
            if std::ptr::eq(Arc::as_ptr(last), attrs.borrow()) {
                return last.clone();
            }
        }
        let shared = match self.sets.get(attrs.borrow()) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<Attributes> = attrs.into();
                self.sets.insert(shared.clone());
                shared
            }
        };
        self.last = Some(shared.clone());
        shared
    }

    /// Forget sets no route uses any more.
    pub fn collect(&mut self) {
        self.last = None;
        self.sets.retain(|a| Arc::strong_count(a) > 1);
    }

    pub fn len(&self) -> usize {
        self.sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_sets_share_one_copy_and_unused_ones_are_collected() {
        let mut i = Interner::default();
        let a = i.intern(Attributes {
            med: Some(5),
            ..Default::default()
        });
        let b = i.intern(Attributes {
            med: Some(5),
            ..Default::default()
        });
        assert!(Arc::ptr_eq(&a, &b));
        drop((a, b));
        i.collect();
        assert!(i.is_empty());
    }

    #[test]
    fn shared_sets_are_kept_or_replaced_by_the_interned_copy() {
        let mut i = Interner::default();
        let first = Arc::new(Attributes {
            med: Some(7),
            ..Default::default()
        });
        let a = i.intern(first.clone());
        assert!(Arc::ptr_eq(&a, &first), "a new shared set is kept as given");
        assert!(Arc::ptr_eq(&i.intern(first.clone()), &first));
        let other = Arc::new((*first).clone());
        assert!(
            Arc::ptr_eq(&i.intern(other), &first),
            "an equal set maps to the first"
        );
        let owned = i.intern(Attributes::default());
        assert!(!Arc::ptr_eq(&owned, &first));
        assert!(Arc::ptr_eq(&i.intern((*first).clone()), &first));
        assert_eq!(i.len(), 2);
        drop((a, owned, first));
        i.collect();
        assert!(i.is_empty());
    }
}
