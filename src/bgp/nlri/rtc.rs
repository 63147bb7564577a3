//! Route Target Constraint NLRI (RFC 4684 §4; AFI 1 SAFI 132): origin AS and a route
//! target, or the zero-length default (wildcard) route.

use crate::bgp::error::DecodeError;
use crate::bgp::iana::Family;
use crate::bgp::wire::Reader;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rtc {
    pub path_id: Option<u32>,
    /// The prefix length in bits as received (0 for the wildcard).
    pub len: u8,
    pub origin: u32,
    /// The route target, with the type's transitive/optional flags cleared as ExaBGP
    /// does (they mean nothing inside an RTC route); None for the wildcard.
    pub target: Option<[u8; 8]>,
}

fn bad(why: impl Into<String>) -> DecodeError {
    DecodeError::new(3, 10, Vec::new(), format!("ipv4 rtc: {}", why.into()))
}

impl Rtc {
    pub const FAMILY: Family = Family::new(1, 132);

    pub fn encoded_len(&self, addpath: bool) -> usize {
        usize::from(addpath) * 4 + if self.target.is_some() { 13 } else { 1 }
    }

    pub fn encode(&self, out: &mut Vec<u8>, addpath: bool) {
        if addpath {
            out.extend_from_slice(&self.path_id.unwrap_or(0).to_be_bytes());
        }
        out.push(self.len);
        if let Some(t) = self.target {
            out.extend_from_slice(&self.origin.to_be_bytes());
            out.extend_from_slice(&t);
        }
    }

    /// ExaBGP reads a whole origin and route target for any non-zero length of at least
    /// 32 bits (so a partial route target is refused as truncated).
    pub fn decode_field(field: &[u8], addpath: bool) -> Result<Vec<Rtc>, DecodeError> {
        let mut r = Reader::new(field);
        let mut v = Vec::new();
        while !r.is_empty() {
            let path_id = if addpath {
                Some(r.u32().map_err(|_| bad("truncated path identifier"))?)
            } else {
                None
            };
            let len = r.u8().map_err(|_| bad("truncated length"))?;
            if len == 0 {
                v.push(Rtc {
                    path_id,
                    len,
                    origin: 0,
                    target: None,
                });
                continue;
            }
            if len < 32 {
                return Err(bad(format!("length {len} is below 32 bits")));
            }
            let origin = r.u32().map_err(|_| bad("truncated origin AS"))?;
            let t = r.take(8).map_err(|_| bad("truncated route target"))?;
            let mut target = [0u8; 8];
            target.copy_from_slice(t);
            if let Some(kind) = target.first_mut() {
                *kind &= !0xc0;
            }
            v.push(Rtc {
                path_id,
                len,
                origin,
                target: Some(target),
            });
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_and_wildcard_round_trip() {
        let b = [96, 0, 0, 0xfd, 0xe8, 0, 2, 0xfd, 0xe8, 0, 0, 0, 1, 0];
        let v = Rtc::decode_field(&b, false).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].origin, 65000);
        assert_eq!(v[1].target, None);
        let mut out = Vec::new();
        v.iter().for_each(|r| r.encode(&mut out, false));
        assert_eq!(out, b);
    }

    #[test]
    fn rfc4684_4_short_routes_are_errors() {
        assert!(Rtc::decode_field(&[16, 0, 0], false).is_err());
        assert!(Rtc::decode_field(&[64, 0, 0, 0xfd, 0xe8, 0, 2, 0xfd, 0xe8], false).is_err());
    }
}
