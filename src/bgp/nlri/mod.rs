//! NLRI: what an UPDATE announces or withdraws, per family (RFC 4271 §4.3, RFC 4760, RFC 7911).

pub mod labelled;

use super::error::DecodeError;
use super::iana::{Afi, Family, Safi};
use super::prefix::Prefix;
use super::wire::Reader;

/// One NLRI entry. Unicast and multicast share `Inet`; the other families are added as
/// variants as they are implemented (labelled, VPN, flow, ...), and anything undecoded is kept
/// raw so it can be shown and re-sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nlri {
    Inet {
        family: Family,
        prefix: Prefix,
        /// ADD-PATH path identifier (RFC 7911); None when not configured.
        path_id: Option<u32>,
    },
    /// Bytes of a family the codec does not decode yet, written back as they are. A received
    /// MP_REACH/MP_UNREACH of such a family becomes one `Raw` holding its whole NLRI field.
    Raw { family: Family, bytes: Vec<u8> },
}

/// True for the families whose NLRI are plain prefixes (RFC 4271 §4.3 layout).
pub fn is_inet(family: Family) -> bool {
    matches!(family.afi, Afi::IPV4 | Afi::IPV6)
        && matches!(family.safi, Safi::UNICAST | Safi::MULTICAST)
}

impl Nlri {
    pub fn family(&self) -> Family {
        match self {
            Nlri::Inet { family, .. } | Nlri::Raw { family, .. } => *family,
        }
    }

    /// Wire size when encoded, to pack UPDATEs without encoding twice.
    pub fn encoded_len(&self, addpath: bool) -> usize {
        match self {
            Nlri::Inet { prefix, .. } => {
                usize::from(addpath) * 4 + 1 + usize::from(prefix.len()).div_ceil(8)
            }
            Nlri::Raw { bytes, .. } => bytes.len(),
        }
    }

    /// Append the NLRI; with ADD-PATH a missing path id is sent as 0, as ExaBGP does.
    pub fn encode(&self, out: &mut Vec<u8>, addpath: bool) {
        match self {
            Nlri::Inet {
                prefix, path_id, ..
            } => {
                if addpath {
                    out.extend_from_slice(&path_id.unwrap_or(0).to_be_bytes());
                }
                prefix.encode(out);
            }
            Nlri::Raw { bytes, .. } => out.extend_from_slice(bytes),
        }
    }

    /// Decode a whole NLRI field of `family`, appending to `into`.
    /// Errors are UPDATE 3/10 (Invalid Network Field), or 3/9 inside MP attributes
    /// (`code`/`subcode` chosen by the caller).
    pub fn decode_field(
        family: Family,
        field: &[u8],
        addpath: bool,
        subcode: u8,
        into: &mut Vec<Nlri>,
    ) -> Result<(), DecodeError> {
        if field.is_empty() {
            return Ok(());
        }
        if !is_inet(family) {
            into.push(Nlri::Raw {
                family,
                bytes: field.to_vec(),
            });
            return Ok(());
        }
        let max = if family.afi == Afi::IPV4 { 32 } else { 128 };
        let bad = |why: &str| DecodeError::new(3, subcode, Vec::new(), format!("{family}: {why}"));
        let mut r = Reader::new(field);
        while !r.is_empty() {
            let path_id = if addpath {
                Some(r.u32().map_err(|_| bad("truncated path identifier"))?)
            } else {
                None
            };
            let len = r.u8().map_err(|_| bad("truncated prefix"))?;
            if len > max {
                return Err(bad(&format!("prefix length {len} is too long")));
            }
            let bytes = r
                .take(usize::from(len).div_ceil(8))
                .map_err(|_| bad("truncated prefix"))?;
            let mut full = [0u8; 16];
            for (d, s) in full.iter_mut().zip(bytes) {
                *d = *s;
            }
            let addr = if family.afi == Afi::IPV4 {
                let mut a = [0u8; 4];
                for (d, s) in a.iter_mut().zip(full) {
                    *d = s;
                }
                std::net::IpAddr::from(a)
            } else {
                std::net::IpAddr::from(full)
            };
            let prefix = Prefix::new(addr, len).ok_or_else(|| bad("bad prefix"))?;
            into.push(Nlri::Inet {
                family,
                prefix,
                path_id,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inet_round_trip_with_and_without_path_id() {
        let n = Nlri::Inet {
            family: Family::IPV4_UNICAST,
            prefix: "10.0.0.10/32".parse().unwrap(),
            path_id: Some(1),
        };
        let mut out = Vec::new();
        n.encode(&mut out, true);
        assert_eq!(out, [0, 0, 0, 1, 32, 10, 0, 0, 10]);
        assert_eq!(n.encoded_len(true), out.len());
        let mut v = Vec::new();
        Nlri::decode_field(Family::IPV4_UNICAST, &out, true, 10, &mut v).unwrap();
        assert_eq!(v, [n]);
        let mut v = Vec::new();
        Nlri::decode_field(
            Family::IPV6_UNICAST,
            &[0x20, 0x20, 0x01, 0x0d, 0xb8],
            false,
            10,
            &mut v,
        )
        .unwrap();
        assert_eq!(v[0].to_string_prefix(), "2001:db8::/32");
    }

    #[test]
    fn rfc4271_4_3_bad_lengths_are_invalid_network_field() {
        let mut v = Vec::new();
        let e = Nlri::decode_field(
            Family::IPV4_UNICAST,
            &[33, 1, 2, 3, 4, 5],
            false,
            10,
            &mut v,
        )
        .unwrap_err();
        assert_eq!((e.notify.code, e.notify.subcode), (3, 10));
        assert!(Nlri::decode_field(Family::IPV4_UNICAST, &[24, 1], false, 10, &mut v).is_err());
    }

    impl Nlri {
        fn to_string_prefix(&self) -> String {
            match self {
                Nlri::Inet { prefix, .. } => prefix.to_string(),
                Nlri::Raw { .. } => String::new(),
            }
        }
    }
}
