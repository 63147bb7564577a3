//! Wire errors: what a NOTIFICATION carries, and why a decode failed.

use std::fmt;

/// The code, subcode and data of the NOTIFICATION a decode error calls for (RFC 4271 §6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notify {
    pub code: u8,
    pub subcode: u8,
    pub data: Vec<u8>,
}

impl Notify {
    pub fn new(code: u8, subcode: u8, data: impl Into<Vec<u8>>) -> Notify {
        Notify {
            code,
            subcode,
            data: data.into(),
        }
    }
}

impl fmt::Display for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "notification {}/{}", self.code, self.subcode)?;
        if !self.data.is_empty() {
            write!(f, " ({})", String::from_utf8_lossy(&self.data))?;
        }
        Ok(())
    }
}

impl std::error::Error for Notify {}

/// A message could not be decoded: the NOTIFICATION to send, with a human reason for the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub notify: Notify,
    pub reason: String,
}

impl DecodeError {
    pub fn new(code: u8, subcode: u8, data: impl Into<Vec<u8>>, reason: impl Into<String>) -> Self {
        DecodeError {
            notify: Notify::new(code, subcode, data),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.reason, self.notify)
    }
}

impl std::error::Error for DecodeError {}

/// A message could not be encoded (for example an attribute longer than its length field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot encode: {}", self.0)
    }
}

impl std::error::Error for EncodeError {}

impl From<super::wire::Short> for EncodeError {
    fn from(_: super::wire::Short) -> EncodeError {
        EncodeError("a length field overflowed".into())
    }
}

/// RFC 4271 §6 error codes and the subcodes the codec raises.
pub mod code {
    pub const HEADER: u8 = 1;
    pub const OPEN: u8 = 2;
    pub const UPDATE: u8 = 3;
    pub const CEASE: u8 = 6;
    pub const ROUTE_REFRESH: u8 = 7;
}
