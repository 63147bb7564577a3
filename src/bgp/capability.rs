//! OPEN capabilities (RFC 5492) that ExaBGP sends or parses; unknown ones are kept raw.

use super::error::DecodeError;
use super::iana::{Afi, Family, Safi};
use super::wire::{with_len8, Reader, Short};

pub const MULTIPROTOCOL: u8 = 1;
pub const ROUTE_REFRESH: u8 = 2;
pub const EXTENDED_NEXTHOP: u8 = 5;
pub const EXTENDED_MESSAGE: u8 = 6;
pub const GRACEFUL_RESTART: u8 = 64;
pub const FOUR_OCTET_AS: u8 = 65;
pub const MULTISESSION: u8 = 68;
pub const ADD_PATH: u8 = 69;
pub const ENHANCED_ROUTE_REFRESH: u8 = 70;
pub const HOSTNAME: u8 = 73;
pub const SOFTWARE_VERSION: u8 = 75;
pub const CISCO_ROUTE_REFRESH: u8 = 128;
pub const MULTISESSION_CISCO: u8 = 131;
pub const OPERATIONAL: u8 = 185;

/// ADD-PATH direction bits per family (RFC 7911 §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddPathMode {
    Receive,
    Send,
    Both,
    /// A value RFC 7911 does not define (0, or above 3), as a peer sent it. ExaBGP keeps it,
    /// shows it (`disabled`, `invalid (N)`) and negotiates on its two low bits.
    Other(u8),
}

impl AddPathMode {
    pub fn from_bits(b: u8) -> AddPathMode {
        match b {
            1 => AddPathMode::Receive,
            2 => AddPathMode::Send,
            3 => AddPathMode::Both,
            other => AddPathMode::Other(other),
        }
    }
    /// The octet on the wire.
    pub fn bits(self) -> u8 {
        match self {
            AddPathMode::Receive => 1,
            AddPathMode::Send => 2,
            AddPathMode::Both => 3,
            AddPathMode::Other(b) => b,
        }
    }
    pub fn sends(self) -> bool {
        self.bits() & 2 != 0
    }
    pub fn receives(self) -> bool {
        self.bits() & 1 != 0
    }
    /// ExaBGP's word for the mode, as in `add-path send/receive`.
    pub fn name(self) -> std::borrow::Cow<'static, str> {
        match self {
            AddPathMode::Receive => "receive".into(),
            AddPathMode::Send => "send".into(),
            AddPathMode::Both => "send/receive".into(),
            AddPathMode::Other(0) => "disabled".into(),
            AddPathMode::Other(b) => format!("invalid ({b})").into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    /// 1: RFC 4760.
    Multiprotocol(Family),
    /// 2: RFC 2918.
    RouteRefresh,
    /// 128: the pre-standard Cisco route refresh.
    CiscoRouteRefresh,
    /// 5: RFC 8950, (NLRI family, next-hop AFI).
    ExtendedNextHop(Vec<(Family, u16)>),
    /// 6: RFC 8654.
    ExtendedMessage,
    /// 64: RFC 4724: restart flags (top 4 bits of the first word, R = 0x8), restart time,
    /// per-family forwarding flags.
    GracefulRestart {
        restart_flags: u8,
        restart_time: u16,
        families: Vec<(Family, u8)>,
    },
    /// 65: RFC 6793.
    FourOctetAs(u32),
    /// 68 (and Cisco 131): multi-session. ExaBGP sends one capability per listed code, the
    /// first being the flags octet, so the value is kept as sent.
    MultiSession { code: u8, data: Vec<u8> },
    /// 69: RFC 7911.
    AddPath(Vec<(Family, AddPathMode)>),
    /// 70: RFC 7313.
    EnhancedRouteRefresh,
    /// 73: draft-walton-bgp-hostname-capability.
    Hostname { host: String, domain: String },
    /// 75: draft-abraitis-bgp-version-capability.
    SoftwareVersion(String),
    /// 185: ExaBGP's private operational capability.
    Operational,
    /// Any other code, kept as received.
    Unknown { code: u8, value: Vec<u8> },
}

fn bad(reason: impl Into<String>) -> DecodeError {
    // ExaBGP answers a malformed capability with OPEN error, unspecific subcode.
    DecodeError::new(2, 0, Vec::new(), reason)
}

/// Strings longer than a length octet would allow are cut, as ExaBGP cuts them at 64.
fn put_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let b = b.get(..b.len().min(64)).unwrap_or_default();
    out.push(b.len() as u8);
    out.extend_from_slice(b);
}

impl Capability {
    pub fn code(&self) -> u8 {
        match self {
            Capability::Multiprotocol(_) => MULTIPROTOCOL,
            Capability::RouteRefresh => ROUTE_REFRESH,
            Capability::CiscoRouteRefresh => CISCO_ROUTE_REFRESH,
            Capability::ExtendedNextHop(_) => EXTENDED_NEXTHOP,
            Capability::ExtendedMessage => EXTENDED_MESSAGE,
            Capability::GracefulRestart { .. } => GRACEFUL_RESTART,
            Capability::FourOctetAs(_) => FOUR_OCTET_AS,
            Capability::MultiSession { code, .. } => *code,
            Capability::AddPath(_) => ADD_PATH,
            Capability::EnhancedRouteRefresh => ENHANCED_ROUTE_REFRESH,
            Capability::Hostname { .. } => HOSTNAME,
            Capability::SoftwareVersion(_) => SOFTWARE_VERSION,
            Capability::Operational => OPERATIONAL,
            Capability::Unknown { code, .. } => *code,
        }
    }

    /// Append code, length and value.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), Short> {
        out.push(self.code());
        with_len8(out, |out| self.encode_value(out))
    }

    fn encode_value(&self, out: &mut Vec<u8>) {
        match self {
            Capability::Multiprotocol(f) => {
                out.extend_from_slice(&f.afi.0.to_be_bytes());
                out.push(0);
                out.push(f.safi.0);
            }
            Capability::RouteRefresh
            | Capability::CiscoRouteRefresh
            | Capability::ExtendedMessage
            | Capability::EnhancedRouteRefresh
            | Capability::Operational => {}
            Capability::ExtendedNextHop(v) => {
                for (f, nh) in v {
                    out.extend_from_slice(&f.afi.0.to_be_bytes());
                    out.extend_from_slice(&u16::from(f.safi.0).to_be_bytes());
                    out.extend_from_slice(&nh.to_be_bytes());
                }
            }
            Capability::GracefulRestart {
                restart_flags,
                restart_time,
                families,
            } => {
                let word = (u16::from(*restart_flags) << 12) | (restart_time & 0x0fff);
                out.extend_from_slice(&word.to_be_bytes());
                for (f, flags) in families {
                    out.extend_from_slice(&f.afi.0.to_be_bytes());
                    out.push(f.safi.0);
                    out.push(*flags);
                }
            }
            Capability::FourOctetAs(asn) => out.extend_from_slice(&asn.to_be_bytes()),
            Capability::MultiSession { data, .. } => out.extend_from_slice(data),
            Capability::AddPath(v) => {
                for (f, mode) in v {
                    out.extend_from_slice(&f.afi.0.to_be_bytes());
                    out.push(f.safi.0);
                    out.push(mode.bits());
                }
            }
            Capability::Hostname { host, domain } => {
                put_str(out, host);
                put_str(out, domain);
            }
            Capability::SoftwareVersion(s) => put_str(out, s),
            Capability::Unknown { value, .. } => out.extend_from_slice(value),
        }
    }

    /// Decode one capability value. Errors are OPEN errors (2/0) as ExaBGP raises them.
    pub fn decode(code: u8, value: &[u8]) -> Result<Capability, DecodeError> {
        let mut r = Reader::new(value);
        let short = |_| bad(format!("capability {code} is truncated"));
        Ok(match code {
            MULTIPROTOCOL => {
                let afi = r.u16().map_err(short)?;
                let _reserved = r.u8().map_err(short)?;
                let safi = r.u8().map_err(short)?;
                Capability::Multiprotocol(Family {
                    afi: Afi(afi),
                    safi: Safi(safi),
                })
            }
            ROUTE_REFRESH => Capability::RouteRefresh,
            CISCO_ROUTE_REFRESH => Capability::CiscoRouteRefresh,
            EXTENDED_MESSAGE => Capability::ExtendedMessage,
            ENHANCED_ROUTE_REFRESH => Capability::EnhancedRouteRefresh,
            OPERATIONAL => Capability::Operational,
            EXTENDED_NEXTHOP => {
                let mut v = Vec::new();
                while !r.is_empty() {
                    let afi = r.u16().map_err(short)?;
                    let safi = r.u16().map_err(short)?;
                    let nh = r.u16().map_err(short)?;
                    v.push((
                        Family {
                            afi: Afi(afi),
                            safi: Safi(safi as u8),
                        },
                        nh,
                    ));
                }
                Capability::ExtendedNextHop(v)
            }
            GRACEFUL_RESTART => {
                let word = r.u16().map_err(short)?;
                let mut families = Vec::new();
                while !r.is_empty() {
                    let afi = r.u16().map_err(short)?;
                    let safi = r.u8().map_err(short)?;
                    let flags = r.u8().map_err(short)?;
                    families.push((
                        Family {
                            afi: Afi(afi),
                            safi: Safi(safi),
                        },
                        flags,
                    ));
                }
                Capability::GracefulRestart {
                    restart_flags: (word >> 12) as u8,
                    restart_time: word & 0x0fff,
                    families,
                }
            }
            FOUR_OCTET_AS => Capability::FourOctetAs(r.u32().map_err(short)?),
            MULTISESSION | MULTISESSION_CISCO => Capability::MultiSession {
                code,
                data: value.to_vec(),
            },
            ADD_PATH => {
                let mut v = Vec::new();
                while !r.is_empty() {
                    let afi = r.u16().map_err(short)?;
                    let safi = r.u8().map_err(short)?;
                    let mode = r.u8().map_err(short)?;
                    // Kept whatever the value (shown as ExaBGP shows it); a repeated family
                    // takes the later mode in the first one's place, as ExaBGP's dict does.
                    let family = Family {
                        afi: Afi(afi),
                        safi: Safi(safi),
                    };
                    let mode = AddPathMode::from_bits(mode);
                    match v.iter_mut().find(|(f, _)| *f == family) {
                        Some(slot) => slot.1 = mode,
                        None => v.push((family, mode)),
                    }
                }
                Capability::AddPath(v)
            }
            HOSTNAME => {
                let host = read_str(&mut r).map_err(short)?;
                let domain = if r.is_empty() {
                    String::new()
                } else {
                    read_str(&mut r).map_err(short)?
                };
                Capability::Hostname { host, domain }
            }
            SOFTWARE_VERSION => Capability::SoftwareVersion(read_str(&mut r).map_err(short)?),
            _ => Capability::Unknown {
                code,
                value: value.to_vec(),
            },
        })
    }
}

fn read_str(r: &mut Reader<'_>) -> Result<String, Short> {
    let n = r.u8()?;
    Ok(String::from_utf8_lossy(r.take(usize::from(n))?).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02X}")).collect()
    }

    #[test]
    fn round_trips_as_exabgp_writes_them() {
        let cases: Vec<(Capability, &str)> = vec![
            (
                Capability::Multiprotocol(Family::IPV4_UNICAST),
                "010400010001",
            ),
            (Capability::FourOctetAs(65533), "41040000FFFD"),
            (Capability::ExtendedMessage, "0600"),
            (
                Capability::ExtendedNextHop(vec![(Family::IPV4_UNICAST, 2)]),
                "0506000100010002",
            ),
            (
                Capability::AddPath(vec![
                    (Family::IPV4_UNICAST, AddPathMode::Both),
                    (Family::IPV6_UNICAST, AddPathMode::Both),
                ]),
                "4508000101030002010 3",
            ),
            (
                Capability::GracefulRestart {
                    restart_flags: 8,
                    restart_time: 120,
                    families: vec![(Family::IPV4_UNICAST, 0x80)],
                },
                "4006807800010180",
            ),
            (
                Capability::Hostname {
                    host: "my-host-name".into(),
                    domain: "my-domain-name.com".into(),
                },
                "49200C6D792D686F73742D6E616D65126D792D646F6D61696E2D6E616D652E636F6D",
            ),
            (
                Capability::SoftwareVersion("ExaBGP/5.0.0-0+test".into()),
                "4B14134578614247502F352E302E302D302B74657374",
            ),
            (
                Capability::MultiSession {
                    code: 68,
                    data: vec![0],
                },
                "440100",
            ),
            (
                Capability::Unknown {
                    code: 200,
                    value: vec![1, 2],
                },
                "C8020102",
            ),
        ];
        for (cap, want) in cases {
            let want = want.replace(' ', "");
            let mut out = Vec::new();
            cap.encode(&mut out).unwrap();
            assert_eq!(hex(&out), want, "{cap:?}");
            let back = Capability::decode(out[0], &out[2..]).unwrap();
            assert_eq!(back, cap);
        }
    }

    #[test]
    fn truncated_values_are_open_errors() {
        let e = Capability::decode(FOUR_OCTET_AS, &[0, 1]).unwrap_err();
        assert_eq!((e.notify.code, e.notify.subcode), (2, 0));
        assert!(Capability::decode(ADD_PATH, &[0, 1, 1]).is_err());
        assert!(Capability::decode(HOSTNAME, &[5, b'a']).is_err());
    }

    /// RFC 7911 defines modes 1 to 3; others are kept (and re-sent) as received, shown as
    /// ExaBGP shows them, and negotiated on their two low bits.
    #[test]
    fn undefined_add_path_modes_are_kept() {
        let c = Capability::decode(ADD_PATH, &[0, 1, 1, 0, 0, 2, 1, 7, 0, 1, 1, 4]).unwrap();
        let Capability::AddPath(v) = &c else {
            panic!("{c:?}")
        };
        let modes: Vec<_> = v.iter().map(|(_, m)| m.name()).collect();
        assert_eq!(modes, ["invalid (4)", "invalid (7)"]);
        assert!(v[1].1.sends() && v[1].1.receives() && !v[0].1.sends());
        assert_eq!(AddPathMode::from_bits(0).name(), "disabled");
        let mut out = Vec::new();
        c.encode(&mut out).unwrap();
        assert_eq!(out, [ADD_PATH, 8, 0, 1, 1, 4, 0, 2, 1, 7]);
    }
}
