//! The BGP wire: types and codecs, with no I/O, no threads and no clocks (RFC 4271 and friends).
#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::unwrap_used))]

pub mod attribute;
pub mod capability;
pub mod error;
pub mod iana;
pub mod message;
pub mod negotiated;
pub mod nlri;
pub mod prefix;
#[cfg(test)]
pub mod testutil;
pub mod wire;

pub use attribute::Attributes;
pub use error::{DecodeError, EncodeError, Notify};
pub use iana::{Afi, Family, Safi};
pub use message::Message;
pub use negotiated::Negotiated;
pub use nlri::Nlri;
pub use prefix::Prefix;
