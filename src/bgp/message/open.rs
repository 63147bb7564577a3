//! OPEN (RFC 4271 §4.2) with capabilities (RFC 5492) and extended parameters (RFC 9072).

use std::net::Ipv4Addr;

use super::Open;
use crate::bgp::capability::Capability;
use crate::bgp::error::{DecodeError, EncodeError};
use crate::bgp::wire::Reader;

/// Optional parameter type 2 (RFC 5492); 1 is the deprecated authentication parameter.
const PARAM_CAPABILITIES: u8 = 2;
const PARAM_AUTHENTICATION: u8 = 1;
/// RFC 9072: a parameter length of 255 followed by type 255 announces 2-byte lengths.
const EXTENDED: u8 = 255;

fn bad(subcode: u8, reason: impl Into<String>) -> DecodeError {
    DecodeError::new(2, subcode, Vec::new(), reason)
}

impl Open {
    /// The 4-byte ASN of the speaker: the FourOctetAs capability when present, else "My AS".
    pub fn asn4(&self) -> u32 {
        self.capabilities
            .iter()
            .find_map(|c| match c {
                Capability::FourOctetAs(a) => Some(*a),
                _ => None,
            })
            .unwrap_or(u32::from(self.asn))
    }

    pub fn has(&self, code: u8) -> bool {
        self.capabilities.iter().any(|c| c.code() == code)
    }

    pub fn decode(body: &[u8]) -> Result<Open, DecodeError> {
        let mut r = Reader::new(body);
        let short = |_| DecodeError::new(1, 2, Vec::new(), "OPEN is too short");
        let version = r.u8().map_err(short)?;
        if version != 4 {
            // RFC 4271 §6.2: the data is the largest version we support.
            return Err(DecodeError::new(
                2,
                1,
                vec![0, 4],
                format!("BGP version {version} is not supported"),
            ));
        }
        let asn = r.u16().map_err(short)?;
        let hold_time = r.u16().map_err(short)?;
        let router_id = Ipv4Addr::from(r.u32().map_err(short)?);
        let mut opt_len = usize::from(r.u8().map_err(short)?);
        let mut wide = false;
        if opt_len == usize::from(EXTENDED) && r.rest().first() == Some(&EXTENDED) {
            let _ = r.u8();
            opt_len = usize::from(
                r.u16()
                    .map_err(|_| bad(0, "truncated extended parameters"))?,
            );
            wide = true;
        }
        let mut params = r
            .sub(opt_len)
            .map_err(|_| bad(0, "optional parameters overrun the OPEN"))?;
        let mut capabilities = Vec::new();
        while !params.is_empty() {
            let kind = params.u8().map_err(|_| bad(0, "truncated parameter"))?;
            let len = if wide {
                params.u16().map(usize::from)
            } else {
                params.u8().map(usize::from)
            }
            .map_err(|_| bad(0, "truncated parameter"))?;
            let mut value = params
                .sub(len)
                .map_err(|_| bad(0, "parameter overruns the OPEN"))?;
            match kind {
                PARAM_CAPABILITIES => {
                    while !value.is_empty() {
                        let code = value.u8().map_err(|_| bad(0, "truncated capability"))?;
                        let len = value.u8().map_err(|_| bad(0, "truncated capability"))?;
                        let v = value
                            .take(usize::from(len))
                            .map_err(|_| bad(0, "capability overruns its parameter"))?;
                        capabilities.push(Capability::decode(code, v)?);
                    }
                }
                PARAM_AUTHENTICATION => {
                    return Err(bad(5, "authentication parameter is not supported"))
                }
                other => return Err(bad(4, format!("unknown OPEN parameter {other:#x}"))),
            }
        }
        Ok(Open {
            version,
            asn,
            hold_time,
            router_id,
            capabilities,
        })
    }

    /// The body, with each capability in its own optional parameter as ExaBGP sends them.
    pub fn encode_body(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.version);
        out.extend_from_slice(&self.asn.to_be_bytes());
        out.extend_from_slice(&self.hold_time.to_be_bytes());
        out.extend_from_slice(&self.router_id.octets());
        let mut caps = Vec::with_capacity(self.capabilities.len());
        for c in &self.capabilities {
            let mut one = Vec::new();
            c.encode(&mut one)?;
            caps.push(one);
        }
        let short: usize = caps.iter().map(|c| c.len() + 2).sum();
        if short < 255 {
            out.push(short as u8);
            for c in caps {
                out.extend_from_slice(&[PARAM_CAPABILITIES, c.len() as u8]);
                out.extend_from_slice(&c);
            }
        } else {
            let long: usize = caps.iter().map(|c| c.len() + 3).sum();
            let long =
                u16::try_from(long).map_err(|_| EncodeError("OPEN parameters too long".into()))?;
            out.extend_from_slice(&[EXTENDED, EXTENDED]);
            out.extend_from_slice(&long.to_be_bytes());
            for c in caps {
                out.push(PARAM_CAPABILITIES);
                out.extend_from_slice(&(c.len() as u16).to_be_bytes());
                out.extend_from_slice(&c);
            }
        }
        Ok(())
    }
}
