//! ROUTE-REFRESH (RFC 2918 §3) with the enhanced subtypes BoRR / EoRR (RFC 7313 §3.2).

use super::RouteRefresh;
use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Afi, Family, Safi};

pub const REQUEST: u8 = 0;
pub const BEGIN: u8 = 1;
pub const END: u8 = 2;

impl RouteRefresh {
    pub fn decode(body: &[u8]) -> Result<RouteRefresh, DecodeError> {
        match body {
            [a0, a1, subtype, safi] => Ok(RouteRefresh {
                family: Family {
                    afi: Afi(u16::from_be_bytes([*a0, *a1])),
                    safi: Safi(*safi),
                },
                subtype: *subtype,
            }),
            // RFC 7313 §5: a bad length is ROUTE-REFRESH error 7/1 with the message as data.
            _ => Err(DecodeError::new(
                7,
                1,
                body.to_vec(),
                "ROUTE_REFRESH has an invalid length",
            )),
        }
    }

    pub fn encode_body(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.family.afi.0.to_be_bytes());
        out.push(self.subtype);
        out.push(self.family.safi.0);
    }
}
