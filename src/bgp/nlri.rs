//! NLRI: what an UPDATE announces or withdraws, per family (RFC 4271 §4.3, RFC 4760, RFC 7911).

use super::iana::Family;
use super::prefix::Prefix;

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
    Raw { family: Family, bytes: Vec<u8> },
}

impl Nlri {
    pub fn family(&self) -> Family {
        match self {
            Nlri::Inet { family, .. } | Nlri::Raw { family, .. } => *family,
        }
    }
}
