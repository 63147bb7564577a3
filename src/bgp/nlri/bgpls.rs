//! BGP-LS NLRI (RFC 9552 §5.2; AFI 16388 SAFI 71, and SAFI 72 with a route distinguisher):
//! node, link and IPv4/IPv6 prefix NLRI with their descriptor TLVs. ExaBGP only decodes
//! BGP-LS, so a route keeps its bytes and is written back unchanged.

use std::net::{IpAddr, Ipv4Addr};

use super::labelled::RouteDistinguisher;
use crate::bgp::error::DecodeError;
use crate::bgp::iana::{Family, Safi};
use crate::bgp::wire::Reader;

/// One node descriptor sub-TLV (RFC 9552 §5.2.1.4).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeDescriptor {
    As(u32),
    BgpLsId(u32),
    OspfArea(IpAddr),
    /// IS-IS system id (hex), with the pseudonode number when 7 bytes.
    IsisRouter {
        sysid: String,
        psn: Option<u8>,
    },
    /// OSPF router id, with the designated router when 8 bytes.
    OspfRouter {
        id: Ipv4Addr,
        dr: Option<Ipv4Addr>,
    },
    /// A sub-TLV ExaBGP keeps as bytes (unknown code, or a router id of another protocol).
    Generic {
        code: u16,
        value: Vec<u8>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Node {
        local: Vec<NodeDescriptor>,
    },
    Link {
        local: Vec<NodeDescriptor>,
        remote: Vec<NodeDescriptor>,
        interfaces: Vec<IpAddr>,
        neighbors: Vec<IpAddr>,
        topologies: Vec<u16>,
        link_ids: Vec<(u32, u32)>,
    },
    Prefix {
        local: Vec<NodeDescriptor>,
        ospf_route: Option<u8>,
        prefix: IpAddr,
        len: u8,
    },
    /// An NLRI type ExaBGP does not parse.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BgpLs {
    pub family: Family,
    /// NLRI type: 1 node, 2 link, 3 IPv4 prefix, 4 IPv6 prefix.
    pub code: u16,
    /// The bytes after the type and length.
    pub body: Vec<u8>,
    pub path_id: Option<u32>,
    pub rd: Option<RouteDistinguisher>,
    pub protocol: u8,
    pub domain: u64,
    pub kind: Kind,
}

fn bad(why: impl Into<String>) -> DecodeError {
    DecodeError::new(3, 10, Vec::new(), format!("bgp-ls: {}", why.into()))
}

/// The TLVs of `data` as (type, value), every boundary checked.
fn tlvs(data: &[u8]) -> Result<Vec<(u16, &[u8])>, DecodeError> {
    let mut r = Reader::new(data);
    let mut v = Vec::new();
    while !r.is_empty() {
        let t = r.u16().map_err(|_| bad("truncated TLV header"))?;
        let l = r.u16().map_err(|_| bad("truncated TLV header"))?;
        let value = r
            .take(usize::from(l))
            .map_err(|_| bad(format!("TLV {t} of {l} bytes runs past the NLRI")))?;
        v.push((t, value));
    }
    Ok(v)
}

fn ip_of(b: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(b) {
        return Some(IpAddr::from(a));
    }
    <[u8; 16]>::try_from(b).ok().map(IpAddr::from)
}

fn be_u32(b: &[u8]) -> Option<u32> {
    <[u8; 4]>::try_from(b).ok().map(u32::from_be_bytes)
}

/// RFC 9552 §5.2.1.4: sub-TLVs appear once each, in ascending order.
fn descriptors(data: &[u8], protocol: u8) -> Result<Vec<NodeDescriptor>, DecodeError> {
    let mut out = Vec::new();
    let mut previous: Option<u16> = None;
    for (t, v) in tlvs(data)? {
        if previous.is_some_and(|p| t <= p) {
            return Err(bad(format!(
                "node descriptor sub-TLV {t} repeated or out of order"
            )));
        }
        previous = Some(t);
        let invalid = || bad(format!("invalid node descriptor sub-TLV {t}"));
        out.push(match t {
            512 => NodeDescriptor::As(be_u32(v).ok_or_else(invalid)?),
            513 => NodeDescriptor::BgpLsId(be_u32(v).ok_or_else(invalid)?),
            514 => NodeDescriptor::OspfArea(ip_of(v).ok_or_else(invalid)?),
            // The router id's size depends on the protocol (IS-IS 1/2; OSPF 3/6, direct 5,
            // static 227 as ExaBGP numbers them); other protocols keep the bytes.
            515 if matches!(protocol, 1 | 2) => match v {
                [id @ .., psn] if v.len() == 7 => NodeDescriptor::IsisRouter {
                    sysid: hex_lower(id),
                    psn: Some(*psn),
                },
                _ if v.len() == 6 => NodeDescriptor::IsisRouter {
                    sysid: hex_lower(v),
                    psn: None,
                },
                _ => return Err(invalid()),
            },
            515 if matches!(protocol, 3 | 5 | 6 | 227) => {
                let id = v.get(..4).and_then(be_u32).map(Ipv4Addr::from);
                match (v.len(), id) {
                    (4, Some(id)) => NodeDescriptor::OspfRouter { id, dr: None },
                    (8, Some(id)) => NodeDescriptor::OspfRouter {
                        id,
                        dr: v.get(4..8).and_then(be_u32).map(Ipv4Addr::from),
                    },
                    _ => return Err(invalid()),
                }
            }
            code => NodeDescriptor::Generic {
                code,
                value: v.to_vec(),
            },
        });
    }
    Ok(out)
}

fn hex_lower(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// An IP reachability TLV (RFC 9552 §5.3.2.2): length, then the prefix octets.
fn reachability(v: &[u8], v6: bool) -> Result<(IpAddr, u8), DecodeError> {
    let (len, octets) = v
        .split_first()
        .ok_or_else(|| bad("IP reachability TLV without a prefix length"))?;
    let max = if v6 { 128 } else { 32 };
    if *len > max || octets.len() > usize::from(*len).div_ceil(8) {
        return Err(bad(format!("IP reachability prefix /{len} does not fit")));
    }
    let mut full = [0u8; 16];
    for (d, s) in full.iter_mut().zip(octets) {
        *d = *s;
    }
    let ip = if v6 {
        IpAddr::from(full)
    } else {
        let [a, b, c, d, ..] = full;
        IpAddr::from([a, b, c, d])
    };
    Ok((ip, *len))
}

impl BgpLs {
    pub fn encoded_len(&self, addpath: bool) -> usize {
        usize::from(addpath) * 4 + 4 + self.body.len()
    }

    pub fn encode(&self, out: &mut Vec<u8>, addpath: bool) {
        if addpath {
            out.extend_from_slice(&self.path_id.unwrap_or(0).to_be_bytes());
        }
        out.extend_from_slice(&self.code.to_be_bytes());
        // The body came from a two-octet length, so it fits.
        let len = u16::try_from(self.body.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&self.body);
    }

    /// Decode a whole NLRI field: each NLRI is type(2) length(2) body.
    pub fn decode_field(
        family: Family,
        field: &[u8],
        addpath: bool,
    ) -> Result<Vec<BgpLs>, DecodeError> {
        let mut r = Reader::new(field);
        let mut v = Vec::new();
        while !r.is_empty() {
            let path_id = if addpath {
                Some(r.u32().map_err(|_| bad("truncated path identifier"))?)
            } else {
                None
            };
            let code = r.u16().map_err(|_| bad("truncated NLRI type"))?;
            let len = r.u16().map_err(|_| bad("truncated NLRI length"))?;
            let body = r
                .take(usize::from(len))
                .map_err(|_| bad(format!("NLRI of {len} bytes is truncated")))?;
            v.push(BgpLs::decode_one(family, code, body, path_id)?);
        }
        Ok(v)
    }

    fn decode_one(
        family: Family,
        code: u16,
        body: &[u8],
        path_id: Option<u32>,
    ) -> Result<BgpLs, DecodeError> {
        let mut ls = BgpLs {
            family,
            code,
            body: body.to_vec(),
            path_id,
            rd: None,
            protocol: 0,
            domain: 0,
            kind: Kind::Other,
        };
        if !(1..=4).contains(&code) {
            return Ok(ls);
        }
        let mut r = Reader::new(body);
        if family.safi == Safi::BGPLS_VPN {
            let mut rd = [0u8; 8];
            rd.copy_from_slice(
                r.take(8)
                    .map_err(|_| bad("truncated route distinguisher"))?,
            );
            ls.rd = Some(RouteDistinguisher(rd));
        }
        ls.protocol = r.u8().map_err(|_| bad("truncated protocol id"))?;
        ls.domain = r.u64().map_err(|_| bad("truncated identifier"))?;
        let items = tlvs(r.rest())?;
        ls.kind = match code {
            1 => match items.first() {
                Some((256, v)) => Kind::Node {
                    local: descriptors(v, ls.protocol)?,
                },
                _ => return Err(bad("node NLRI without a local node descriptor")),
            },
            2 => {
                let (mut local, mut remote) = (Vec::new(), Vec::new());
                let (mut interfaces, mut neighbors) = (Vec::new(), Vec::new());
                let (mut topologies, mut link_ids) = (Vec::new(), Vec::new());
                for (t, v) in items {
                    let addr = || ip_of(v).ok_or_else(|| bad(format!("bad address in TLV {t}")));
                    match t {
                        256 => local = descriptors(v, ls.protocol)?,
                        257 => remote = descriptors(v, ls.protocol)?,
                        258 => {
                            let ids = v
                                .get(..4)
                                .and_then(be_u32)
                                .zip(v.get(4..8).and_then(be_u32));
                            link_ids = vec![ids.ok_or_else(|| bad("short link identifier"))?];
                        }
                        259 | 261 => interfaces.push(addr()?),
                        260 | 262 => neighbors.push(addr()?),
                        263 => {
                            let id = v
                                .get(..2)
                                .and_then(|b| <[u8; 2]>::try_from(b).ok())
                                .ok_or_else(|| bad("short multi-topology id"))?;
                            // RFC 9552 §5.2.2.1: the top four bits are reserved.
                            topologies.push(u16::from_be_bytes(id) & 0x0fff);
                        }
                        // ExaBGP ignores the link TLVs it does not know.
                        _ => {}
                    }
                }
                Kind::Link {
                    local,
                    remote,
                    interfaces,
                    neighbors,
                    topologies,
                    link_ids,
                }
            }
            _ => {
                let mut local = Vec::new();
                let mut ospf_route = None;
                let mut reach = None;
                for (t, v) in items {
                    match t {
                        256 => local = descriptors(v, ls.protocol)?,
                        264 => match v {
                            [x] => ospf_route = Some(*x),
                            _ => return Err(bad("OSPF route type TLV is not one byte")),
                        },
                        265 => reach = Some(reachability(v, code == 4)?),
                        _ => {}
                    }
                }
                let (prefix, len) =
                    reach.ok_or_else(|| bad("prefix NLRI without IP reachability"))?;
                Kind::Prefix {
                    local,
                    ospf_route,
                    prefix,
                    len,
                }
            }
        };
        Ok(ls)
    }

    /// ExaBGP's NLRI type names.
    pub fn name(&self) -> &'static str {
        match self.code {
            1 => "bgpls-node",
            2 => "bgpls-link",
            3 => "bgpls-prefix-v4",
            4 => "bgpls-prefix-v6",
            _ => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    const LS: Family = Family::new(16388, 71);

    #[test]
    fn ospf_node_round_trips() {
        let b = hex(
            "0001002503000000000000000001000018020000040000FDE8020100040000000002030004C0000201",
        );
        let v = BgpLs::decode_field(LS, &b, false).unwrap();
        assert_eq!(v[0].protocol, 3);
        match &v[0].kind {
            Kind::Node { local } => {
                assert_eq!(local[0], NodeDescriptor::As(65000));
                assert_eq!(
                    local[2],
                    NodeDescriptor::OspfRouter {
                        id: Ipv4Addr::new(192, 0, 2, 1),
                        dr: None
                    }
                );
            }
            other => panic!("{other:?}"),
        }
        let mut out = Vec::new();
        v[0].encode(&mut out, false);
        assert_eq!(out, b);
        assert_eq!(v[0].encoded_len(false), b.len());
    }

    #[test]
    fn rfc9552_5_2_1_4_descriptors_in_order_once() {
        // AS (512) after BGP-LS id (513): out of order.
        let d = hex("02010004000000000200000400000001");
        assert!(descriptors(&d, 3).is_err());
        // An IS-IS router id must be 6 or 7 bytes.
        assert!(descriptors(&hex("020300040A000001"), 2).is_err());
    }

    #[test]
    fn truncated_tlvs_are_errors() {
        assert!(BgpLs::decode_field(LS, &hex("0001000503000000"), false).is_err());
        assert!(tlvs(&hex("0100000501")).is_err());
        let v = BgpLs::decode_field(LS, &hex("0009000100"), false).unwrap();
        assert_eq!(v[0].kind, Kind::Other);
    }
}
