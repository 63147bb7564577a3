//! Adj-RIB-In: the routes the peer announced in the current session (`show adj-rib in`).
//!
//! Each UPDATE's path attributes are kept as the peer sent them, one copy shared by the
//! routes of that UPDATE, and decoded only when shown: decoded, a set takes four to five
//! times the room, and a full table carries hundreds of thousands of them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::table::RouteTable;
use crate::bgp::attribute::decode::decode_attributes;
use crate::bgp::{Attributes, Negotiated, Nlri};

#[derive(Debug, Default)]
pub struct AdjRibIn {
    routes: RouteTable<Arc<[u8]>>,
    /// The session's capabilities, to decode the kept attributes.
    negotiated: Negotiated,
}

/// The path attribute field of an UPDATE body (RFC 4271 §4.3), if the lengths hold.
fn attribute_field(body: &[u8]) -> Option<&[u8]> {
    let withdrawn = usize::from(u16::from_be_bytes([*body.first()?, *body.get(1)?]));
    let at = 2 + withdrawn;
    let len = usize::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    body.get(at + 2..at + 2 + len)
}

impl AdjRibIn {
    /// A session came up: the peer sends its table again (ExaBGP starts from empty too).
    pub fn start_session(&mut self, negotiated: &Negotiated) {
        self.routes.clear();
        self.negotiated = negotiated.clone();
    }

    /// Apply a received UPDATE (`body` as framed, and the routes it was decoded into).
    pub fn update(&mut self, body: &[u8], withdrawn: &[Nlri], announced: &[Nlri]) {
        for nlri in withdrawn {
            self.routes.remove(nlri);
        }
        if self.routes.sparse() {
            self.routes.compact();
        }
        if announced.is_empty() {
            return;
        }
        let attrs: Arc<[u8]> = Arc::from(attribute_field(body).unwrap_or_default());
        for nlri in announced {
            self.routes.insert(nlri.clone(), attrs.clone());
        }
    }

    pub fn clear(&mut self) {
        self.routes.clear();
    }

    pub fn len(&self) -> usize {
        self.routes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// Every route with its attributes, in the order first received; each set decoded once.
    pub fn routes(&self) -> Vec<(Cow<'_, Nlri>, Arc<Attributes>)> {
        let mut decoded: HashMap<*const u8, Arc<Attributes>> = HashMap::new();
        self.routes
            .iter()
            .map(|(nlri, raw)| {
                let attrs = decoded
                    .entry(raw.as_ptr())
                    .or_insert_with(|| {
                        let d = decode_attributes(raw, &self.negotiated);
                        Arc::new(d.map(|d| d.attributes).unwrap_or_default())
                    })
                    .clone();
                (nlri, attrs)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::attribute::{NextHop, Origin};
    use crate::bgp::message::Update;
    use crate::bgp::{Family, Prefix};

    fn v4(addr: u32, len: u8) -> Nlri {
        Nlri::Inet {
            family: Family::IPV4_UNICAST,
            prefix: Prefix::V4 { addr, len },
            path_id: None,
        }
    }

    #[test]
    fn keeps_received_routes_and_decodes_their_attributes_when_shown() {
        // ORIGIN IGP, NEXT_HOP 192.0.2.1, MED 5; NLRI 10.0.0.0/8 and 10.1.0.0/16.
        let attrs = [
            0x40, 1, 1, 0, 0x40, 3, 4, 192, 0, 2, 1, 0x80, 4, 4, 0, 0, 0, 5,
        ];
        let mut body = vec![0, 0, 0, attrs.len() as u8];
        body.extend_from_slice(&attrs);
        body.extend_from_slice(&[8, 10, 16, 10, 1]);
        let neg = Negotiated::default();
        let update = Update::decode(&body, &neg).unwrap();
        let mut rib = AdjRibIn::default();
        rib.start_session(&neg);
        rib.update(&body, &update.withdrawn, &update.announced);
        let shown = rib.routes();
        assert_eq!(shown.len(), 2);
        assert_eq!(*shown[0].0, v4(10 << 24, 8));
        let a = &shown[1].1;
        assert!(Arc::ptr_eq(a, &shown[0].1));
        assert_eq!(a.origin, Some(Origin::Igp));
        assert_eq!(a.med, Some(5));
        assert_eq!(
            a.next_hop,
            Some(NextHop::Addr("192.0.2.1".parse().unwrap()))
        );
        // A withdrawal removes one; a new session starts empty.
        rib.update(&[0, 2, 8, 10, 0, 0], &[v4(10 << 24, 8)], &[]);
        assert_eq!(rib.len(), 1);
        rib.start_session(&neg);
        assert!(rib.is_empty());
    }

    #[test]
    fn a_truncated_body_keeps_routes_without_attributes() {
        assert_eq!(attribute_field(&[0, 5, 1]), None);
        assert_eq!(
            attribute_field(&[0, 0, 0, 2, 7, 7, 24]),
            Some(&[7u8, 7][..])
        );
    }
}
