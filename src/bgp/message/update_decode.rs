//! UPDATE decoding (RFC 4271 §4.3, RFC 4760, RFC 4724 §2 End-of-RIB).

use super::{ShownNextHops, Update};
use crate::bgp::attribute::decode::decode_attributes;
use crate::bgp::attribute::NextHop;
use crate::bgp::error::DecodeError;
use crate::bgp::iana::Family;
use crate::bgp::negotiated::Negotiated;
use crate::bgp::nlri::Nlri;
use crate::bgp::wire::Reader;

impl Update {
    pub fn decode(body: &[u8], neg: &Negotiated) -> Result<Update, DecodeError> {
        // RFC 4271 §6.3: lengths that do not add up make a Malformed Attribute List.
        let malformed = |why: &str| DecodeError::new(3, 1, Vec::new(), why.to_string());
        let mut r = Reader::new(body);
        let wlen = r
            .u16()
            .map_err(|_| malformed("truncated withdrawn routes length"))?;
        let withdrawn_field = r
            .take(usize::from(wlen))
            .map_err(|_| malformed("withdrawn routes overrun the UPDATE"))?;
        let alen = r
            .u16()
            .map_err(|_| malformed("truncated path attribute length"))?;
        let attr_field = r
            .take(usize::from(alen))
            .map_err(|_| malformed("path attributes overrun the UPDATE"))?;
        let nlri_field = r.rest();

        if body.len() == 4 {
            return Ok(Update {
                eor: Some(Family::IPV4_UNICAST),
                ..Update::default()
            });
        }
        let v4 = Family::IPV4_UNICAST;
        let mut u = Update::default();
        Nlri::decode_field(
            v4,
            withdrawn_field,
            neg.addpath_receive(v4),
            10,
            &mut u.withdrawn,
        )?;
        let decoded = decode_attributes(attr_field, neg)?;
        u.attributes = decoded.attributes;
        if let Some((family, nlris)) = decoded.mp_unreach {
            // RFC 4724 §2: an UPDATE with only an empty MP_UNREACH is the family's End-of-RIB.
            if nlris.is_empty()
                && attr_field.len() <= 7
                && withdrawn_field.is_empty()
                && nlri_field.is_empty()
            {
                u.eor = Some(family);
            }
            u.withdrawn.extend(nlris);
        }
        if let Some((_, nlris)) = decoded.mp_reach {
            u.announced.extend(nlris);
        }
        let mp_count = u.announced.len();
        Nlri::decode_field(
            v4,
            nlri_field,
            neg.addpath_receive(v4),
            10,
            &mut u.announced,
        )?;
        let shown_native = match (decoded.next_hop_attribute, u.attributes.next_hop) {
            (Some(a), Some(NextHop::Addr(b))) if a != b => Some(a),
            _ => None,
        };
        u.shown_next_hops = ShownNextHops {
            native: u.announced.len() - mp_count,
            native_next_hop: shown_native,
            link_local: decoded.link_local,
        };
        u.discarded = decoded.discarded;
        if decoded.treat_as_withdraw.is_some() {
            u.treat_as_withdraw = decoded.treat_as_withdraw;
            u.withdrawn.append(&mut u.announced);
        }
        Ok(u)
    }
}
