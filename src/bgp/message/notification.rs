//! NOTIFICATION (RFC 4271 §4.5) and the shutdown communication (RFC 8203 / RFC 9003).

use super::Notification;
use crate::bgp::error::{DecodeError, Notify};

impl Notification {
    pub fn decode(body: &[u8]) -> Result<Notification, DecodeError> {
        match body {
            [code, subcode, data @ ..] => Ok(Notification {
                code: *code,
                subcode: *subcode,
                data: data.to_vec(),
            }),
            _ => Err(DecodeError::new(
                1,
                2,
                Vec::new(),
                "NOTIFICATION is too short",
            )),
        }
    }

    /// Cease with a shutdown communication: subcode 2 (administrative shutdown) or 4
    /// (administrative reset), the text prefixed by its length (RFC 8203 §2), cut at 255 bytes
    /// on a character boundary.
    pub fn shutdown(subcode: u8, text: &str) -> Notification {
        let mut end = text.len().min(255);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let t = text.get(..end).unwrap_or_default();
        let mut data = Vec::with_capacity(t.len() + 1);
        data.push(t.len() as u8);
        data.extend_from_slice(t.as_bytes());
        Notification {
            code: 6,
            subcode,
            data,
        }
    }

    /// The RFC 8203 text of a Cease 2/4, when the data is a well-formed one.
    pub fn shutdown_text(&self) -> Option<String> {
        if self.code != 6 || !matches!(self.subcode, 2 | 4) {
            return None;
        }
        let (len, rest) = self.data.split_first()?;
        let text = rest.get(..usize::from(*len))?;
        std::str::from_utf8(text).ok().map(str::to_string)
    }
}

impl From<Notify> for Notification {
    fn from(n: Notify) -> Notification {
        Notification {
            code: n.code,
            subcode: n.subcode,
            data: n.data,
        }
    }
}

impl From<&DecodeError> for Notification {
    fn from(e: &DecodeError) -> Notification {
        e.notify.clone().into()
    }
}
