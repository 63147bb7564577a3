//! Adj-RIB-Out pending-change semantics ExaBGP 5.0 has and the flow tests depend on
//! (rib/outgoing.py: pending changes keyed by attribute set, then NLRI).

use std::sync::Arc;

use super::out::AdjRibOut;
use crate::bgp::nlri::flow::{kind, Flow, Item};
use crate::bgp::testutil::session;
use crate::bgp::{Attributes, Family, Nlri};

fn flow(src: &str) -> Nlri {
    let mut f = Flow::new(Family::new(1, 133));
    f.add(
        kind::SOURCE,
        Item::Prefix {
            prefix: src.parse().unwrap(),
            offset: 0,
        },
    );
    Nlri::Flow(Box::new(f))
}

fn rate(r: u8) -> Arc<Attributes> {
    Arc::new(Attributes {
        extended_communities: vec![[0x80, 0x06, 0, 0, r, 0, 0, 0]],
        ..Attributes::default()
    })
}

/// The UPDATEs sent, as hex, one per message.
fn flush(rib: &mut AdjRibOut) -> Vec<String> {
    let neg = session(1, 1, "127.0.0.1");
    let mut out = Vec::new();
    rib.encode(&mut out, usize::MAX, false, &neg).unwrap();
    crate::bgp::testutil::messages(&out)
}

#[test]
fn configured_rules_with_one_match_are_all_in_the_first_table() {
    let mut rib = AdjRibOut::default();
    rib.announce(flow("10.0.0.1/32"), rate(1), false);
    rib.announce(flow("10.0.0.1/32"), rate(2), false);
    assert_eq!(rib.len(), 1);
    rib.start_session(&[]);
    let sent = flush(&mut rib);
    assert_eq!(sent.len(), 2, "{sent:?}");
    // A later session sends only the latest.
    rib.start_session(&[]);
    assert_eq!(flush(&mut rib).len(), 1);
}

#[test]
fn reannouncing_keeps_a_pending_withdrawal_and_a_second_withdrawal_replaces_it() {
    let mut rib = AdjRibOut::default();
    rib.start_session(&[]);
    flush(&mut rib);
    let a = flow("10.0.0.1/32");
    let plain = Arc::new(Attributes::default());
    // The first batch of a session leaves withdrawals out; send something first.
    rib.announce(flow("10.0.0.9/32"), rate(9), true);
    flush(&mut rib);
    rib.withdraw(&a, plain.clone(), true);
    rib.announce(a.clone(), rate(1), true);
    rib.withdraw(&a, plain.clone(), true);
    rib.announce(a.clone(), rate(1), true);
    let sent = flush(&mut rib);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].contains("800F"), "withdrawal first: {}", sent[0]);
    assert!(
        sent[1].contains("800E"),
        "then the announcement: {}",
        sent[1]
    );
}
