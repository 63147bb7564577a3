//! Attribute sets shared between routes: a million routes with one attribute set hold one copy.

use std::collections::HashSet;
use std::sync::Arc;

use crate::bgp::Attributes;

#[derive(Default)]
pub struct Interner {
    sets: HashSet<Arc<Attributes>>,
}

impl Interner {
    /// The shared copy of `attrs`, so routes can be grouped by pointer.
    pub fn intern(&mut self, attrs: Attributes) -> Arc<Attributes> {
        if let Some(shared) = self.sets.get(&attrs) {
            return shared.clone();
        }
        let shared = Arc::new(attrs);
        self.sets.insert(shared.clone());
        shared
    }

    /// Forget sets no route uses any more.
    pub fn collect(&mut self) {
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
}
