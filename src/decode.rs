//! `ferrobgp decode`: one hex-encoded BGP message (or bare NLRI) in, ExaBGP 5.0's JSON out.
//!
//! ExaBGP decodes as if it had an iBGP session with a fixed neighbor (127.0.0.1, AS 65533,
//! router-id 10.0.0.2) that negotiated every family (or the `-f` ones, or each neighbor of a
//! `-c` configuration), with ADD-PATH both ways when `-i` is given. We reproduce that
//! context and reuse the helper-API JSON encoder with `Direction::Decode`, so both paths
//! print the same objects. What reaches stdout matches ExaBGP (including its `invalid
//! payload` verdict); the reason for a failure goes to stderr, which ExaBGP leaves silent.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::api::encode::{nlri, Context, Direction, Encoder, Header, Neighbor};
use crate::bgp::message::{kind, Notification, Open, Update, HEADER_LEN, MARKER};
use crate::bgp::wire::Reader;
use crate::bgp::{Afi, Family, Negotiated, Nlri, Prefix, Safi};
use crate::cli::DecodeArgs;

/// What one `decode` run printed and whether it succeeded (exit 0) or not (exit 1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    /// Why the run failed, for stderr; empty on success.
    pub stderr: String,
    pub success: bool,
}

/// Why a decode failed. `Display` is the explanation written to stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeFailure {
    /// The payload has a character that is not a hex digit, a colon or a blank.
    NotHex(char),
    /// An odd number of hex digits: the last byte is incomplete.
    OddLength(usize),
    /// `-f` with an odd number of words, as ExaBGP reports it.
    FamilyWords,
    /// `-f` naming something that is not a family.
    UnknownFamily(String),
    /// `-c`: the configuration could not be loaded.
    Config(String),
    /// A message type `decode` does not show (ExaBGP shows OPEN, UPDATE and NOTIFICATION).
    UnknownType(u8),
    /// A 16-byte marker but no complete 19-byte header.
    ShortHeader(usize),
    /// The message or NLRI does not decode.
    Malformed(String),
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeFailure::NotHex(c) => write!(f, "{c:?} is not a hexadecimal digit"),
            DecodeFailure::OddLength(n) => {
                write!(f, "{n} hexadecimal digits do not make whole bytes")
            }
            DecodeFailure::FamilyWords => write!(f, "families provided are invalid"),
            DecodeFailure::UnknownFamily(s) => write!(f, "unknown family {s:?}"),
            DecodeFailure::Config(e) => write!(f, "configuration: {e}"),
            DecodeFailure::UnknownType(k) => write!(f, "message type {k} can not be decoded"),
            DecodeFailure::ShortHeader(n) => {
                write!(f, "{n} bytes after the marker is shorter than a BGP header")
            }
            DecodeFailure::Malformed(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for DecodeFailure {}

/// The session `decode` pretends to have: the neighbor shown in the JSON and what it
/// negotiated.
#[derive(Clone, Debug)]
pub struct Session {
    pub neighbor: Neighbor,
    pub negotiated: Negotiated,
}

const DECODE_AS: u32 = 65533;

impl Session {
    /// ExaBGP's built-in decode neighbor with these families (and ADD-PATH on all of them).
    pub fn builtin(families: Vec<Family>, addpath: bool) -> Session {
        let lo = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let path = if addpath {
            families.clone()
        } else {
            Vec::new()
        };
        Session {
            neighbor: Neighbor {
                local_address: Some(lo),
                peer_address: lo,
                local_as: DECODE_AS,
                peer_as: DECODE_AS,
                router_id: Some(Ipv4Addr::new(10, 0, 0, 2)),
            },
            negotiated: Negotiated {
                local_as: DECODE_AS,
                peer_as: DECODE_AS,
                families,
                addpath_send: path.clone(),
                addpath_receive: path,
                ..Negotiated::default()
            },
        }
    }

    /// One session per neighbor of a configuration, as `-c` uses them.
    fn from_config(n: &crate::config::Neighbor, addpath: bool) -> Session {
        let peer_as = n.peer_as.unwrap_or(n.local_as);
        // ExaBGP: `local-as or peer-as`.
        let local_as = if n.local_as == 0 { peer_as } else { n.local_as };
        let path = if addpath {
            n.families.clone()
        } else {
            n.add_path_families.clone()
        };
        Session {
            neighbor: Neighbor {
                local_address: n.local_address,
                peer_address: n.peer_address,
                local_as,
                peer_as,
                router_id: n.router_id,
            },
            negotiated: Negotiated {
                local_as,
                peer_as,
                families: n.families.clone(),
                addpath_send: path.clone(),
                addpath_receive: path,
                aigp: n.capabilities.aigp,
                ..Negotiated::default()
            },
        }
    }
}

/// Hex digits to bytes; colons and blanks are ignored, as ExaBGP ignores them.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, DecodeFailure> {
    let mut digits = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c == ':' || c.is_whitespace() {
            continue;
        }
        let d = c.to_digit(16).ok_or(DecodeFailure::NotHex(c))?;
        // to_digit(16) is below 16, so it fits a u8.
        digits.push(d as u8);
    }
    if digits.len() % 2 == 1 {
        return Err(DecodeFailure::OddLength(digits.len()));
    }
    Ok(digits
        .chunks(2)
        .map(|p| p.iter().fold(0, |a, d| a * 16 + d))
        .collect())
}

/// `-f "ipv4 unicast ipv6 flow"`: word pairs.
pub fn parse_families(text: &str) -> Result<Vec<Family>, DecodeFailure> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() % 2 == 1 {
        return Err(DecodeFailure::FamilyWords);
    }
    words
        .chunks(2)
        .map(|pair| match pair {
            [a, s] => match (Afi::from_name(a), Safi::from_name(s)) {
                (Some(afi), Some(safi)) => Ok(Family { afi, safi }),
                _ => Err(DecodeFailure::UnknownFamily(format!("{a} {s}"))),
            },
            _ => Err(DecodeFailure::FamilyWords),
        })
        .collect()
}

fn sessions(args: &DecodeArgs) -> Result<Vec<Session>, DecodeFailure> {
    if let Some(path) = &args.configuration {
        let conf = crate::config::load(path).map_err(|e| DecodeFailure::Config(e.to_string()))?;
        return Ok(conf
            .neighbors
            .iter()
            .map(|n| Session::from_config(n, args.path_information))
            .collect());
    }
    let families = match &args.family {
        Some(f) => parse_families(f)?,
        None => Family::ALL.to_vec(),
    };
    Ok(vec![Session::builtin(families, args.path_information)])
}

fn header(host: &str) -> Header<'_> {
    Header {
        time: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64()),
        host,
        pid: std::process::id(),
        ppid: std::os::unix::process::parent_id(),
        counter: 1,
    }
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into())
}

/// Bare NLRI (`-n`) of the session's first family, one JSON object per line.
fn decode_nlri(raw: &[u8], s: &Session, out: &mut String) -> Result<(), DecodeFailure> {
    let family = s
        .negotiated
        .families
        .first()
        .copied()
        .ok_or_else(|| DecodeFailure::Malformed("the neighbor has no family".into()))?;
    let mut nlris: Vec<Nlri> = Vec::new();
    Nlri::decode_field(
        family,
        raw,
        s.negotiated.addpath_receive(family),
        10,
        &mut nlris,
    )
    .map_err(|e| DecodeFailure::Malformed(e.to_string()))?;
    if nlris.is_empty() {
        return Err(DecodeFailure::Malformed("no NLRI".into()));
    }
    if crate::bgp::nlri::is_inet(family) {
        let addpath = s.negotiated.addpath_receive(family);
        let wire = wire_prefixes(raw, family.afi == Afi::IPV4, addpath).unwrap_or_default();
        if wire.len() == nlris.len() {
            for (n, w) in nlris.iter_mut().zip(wire) {
                if let Nlri::Inet { prefix, .. } = n {
                    if *prefix == w.masked() {
                        *prefix = w;
                    }
                }
            }
        }
    }
    for n in &nlris {
        nlri::json(out, n, false);
        out.push('\n');
    }
    Ok(())
}

/// The body ExaBGP cuts from a message with a header. It reads the length as
/// `byte16 << 16 | byte17` and slices with it, so any length of 256 or more (and any
/// length past the end) means "to the end", and a short length cuts the body.
fn body_by_length(raw: &[u8]) -> &[u8] {
    let size = match (raw.get(16), raw.get(17)) {
        (Some(hi), Some(lo)) => usize::from(*hi) * 65536 + usize::from(*lo),
        _ => 0,
    };
    let end = size.min(raw.len());
    raw.get(HEADER_LEN..end).unwrap_or(&[])
}

/// RFC 7606 treat-as-withdraw: our codec moves the announced routes into `withdrawn` (what
/// the RIB needs), but `exabgp decode` shows them still announced, next to the `error`
/// marker. The routes withdrawn by the message itself come first in `withdrawn` (the
/// withdrawn field, then MP_UNREACH), so the rest goes back to `announced`.
fn show_as_received(body: &[u8], neg: &Negotiated, u: &mut Update) {
    if u.treat_as_withdraw.is_none() {
        return;
    }
    let wlen = match (body.first(), body.get(1)) {
        (Some(a), Some(b)) => usize::from(u16::from_be_bytes([*a, *b])),
        _ => return,
    };
    let mut kept = Vec::new();
    let v4 = Family::IPV4_UNICAST;
    let field = body.get(2..2 + wlen).unwrap_or(&[]);
    if Nlri::decode_field(v4, field, neg.addpath_receive(v4), 10, &mut kept).is_err() {
        return;
    }
    let attrs = body.get(2 + wlen..).and_then(|rest| {
        let alen = usize::from(u16::from_be_bytes([*rest.first()?, *rest.get(1)?]));
        rest.get(2..2 + alen)
    });
    let unreach = attrs
        .and_then(|a| crate::bgp::attribute::decode::decode_attributes(a, neg).ok())
        .and_then(|d| d.mp_unreach)
        .map_or(0, |(_, v)| v.len());
    let own = (kept.len() + unreach).min(u.withdrawn.len());
    u.announced = u.withdrawn.split_off(own);
}

/// The IPv4/IPv6 prefixes of an NLRI field as received: bits past the length kept.
/// None when the field does not read as prefixes (the codec has refused it already).
fn wire_prefixes(field: &[u8], v4: bool, addpath: bool) -> Option<Vec<Prefix>> {
    let mut r = Reader::new(field);
    let mut v = Vec::new();
    let width = if v4 { 4 } else { 16 };
    while !r.is_empty() {
        if addpath {
            r.u32().ok()?;
        }
        let len = r.u8().ok()?;
        let bytes = r.take(usize::from(len).div_ceil(8)).ok()?;
        let addr = crate::bgp::nlri::ipbytes::addr_padded(bytes, width)?;
        v.push(Prefix::with_host_bits(addr, len)?);
    }
    Some(v)
}

/// One NLRI field of an UPDATE body: its family and bytes, in the order the codec reads them.
struct Field<'a> {
    family: Family,
    bytes: &'a [u8],
    announced: bool,
}

/// The NLRI fields of an UPDATE body: withdrawn routes, MP_UNREACH, MP_REACH, NLRI.
fn nlri_fields(body: &[u8]) -> Option<Vec<Field<'_>>> {
    let v4 = Family::IPV4_UNICAST;
    let mut r = Reader::new(body);
    let wlen = r.u16().ok()?;
    let withdrawn = r.take(usize::from(wlen)).ok()?;
    let alen = r.u16().ok()?;
    let mut attrs = Reader::new(r.take(usize::from(alen)).ok()?);
    let mut fields = vec![Field {
        family: v4,
        bytes: withdrawn,
        announced: false,
    }];
    let mut reach = None;
    while !attrs.is_empty() {
        let flags = attrs.u8().ok()?;
        let code = attrs.u8().ok()?;
        let len = if flags & 0x10 != 0 {
            usize::from(attrs.u16().ok()?)
        } else {
            usize::from(attrs.u8().ok()?)
        };
        let mut value = Reader::new(attrs.take(len).ok()?);
        if !matches!(code, 14 | 15) {
            continue;
        }
        let family = Family::new(value.u16().ok()?, value.u8().ok()?);
        if code == 14 {
            let nh = value.u8().ok()?;
            value.take(usize::from(nh) + 1).ok()?;
            reach = Some((family, value.rest()));
        } else {
            fields.push(Field {
                family,
                bytes: value.rest(),
                announced: false,
            });
        }
    }
    if let Some((family, bytes)) = reach {
        fields.push(Field {
            family,
            bytes,
            announced: true,
        });
    }
    fields.push(Field {
        family: v4,
        bytes: r.rest(),
        announced: true,
    });
    Some(fields)
}

/// ExaBGP shows a prefix with the bits past its length as received (`10.255.0.0/12`); the
/// codec clears them, so that one route is one RIB key. `decode` reads the prefixes again
/// from the message and shows them as ExaBGP does. Anything unexpected leaves `u` as it is.
fn show_host_bits(body: &[u8], neg: &Negotiated, u: &mut Update) {
    let Some(fields) = nlri_fields(body) else {
        return;
    };
    let mut wire: [Vec<Prefix>; 2] = [Vec::new(), Vec::new()];
    for f in fields
        .iter()
        .filter(|f| crate::bgp::nlri::is_inet(f.family))
    {
        let v4 = f.family.afi == Afi::IPV4;
        let Some(v) = wire_prefixes(f.bytes, v4, neg.addpath_receive(f.family)) else {
            return;
        };
        wire[usize::from(f.announced)].extend(v);
    }
    let [withdrawn, announced] = wire;
    for (list, wire) in [(&mut u.withdrawn, withdrawn), (&mut u.announced, announced)] {
        let mut ours: Vec<&mut Prefix> = list
            .iter_mut()
            .filter_map(|n| match n {
                Nlri::Inet { prefix, .. } => Some(prefix),
                _ => None,
            })
            .collect();
        let same =
            ours.len() == wire.len() && ours.iter().zip(&wire).all(|(a, b)| **a == b.masked());
        if same {
            for (a, b) in ours.iter_mut().zip(wire) {
                **a = b;
            }
        }
    }
}

/// RFC 7311 §3: AIGP is only accepted on sessions configured for it; ExaBGP drops it
/// (well formed or not) everywhere else, so `decode` does not show it.
/// On a configured session a malformed AIGP (which our codec keeps as a generic attribute)
/// is an UPDATE error for ExaBGP (3/9): `invalid payload`.
fn check_aigp(u: &mut Update, neg: &Negotiated) -> Result<(), DecodeFailure> {
    if !neg.aigp {
        u.attributes.aigp = None;
        u.attributes.raw.retain(|r| r.code != AIGP);
    } else if u.attributes.raw.iter().any(|r| r.code == AIGP) {
        return Err(DecodeFailure::Malformed("malformed AIGP attribute".into()));
    }
    Ok(())
}

const AIGP: u8 = 26;

/// ExaBGP refuses an UPDATE carrying a multiprotocol family the session did not negotiate
/// (with `-f`, or any family it does not know). Plain IPv4 NLRI fields are always read.
fn check_families(u: &Update, neg: &Negotiated) -> Result<(), DecodeFailure> {
    let mp = u.announced.iter().chain(&u.withdrawn).map(Nlri::family);
    for f in mp.chain(u.eor) {
        if f != Family::IPV4_UNICAST && !neg.families.contains(&f) {
            return Err(DecodeFailure::Malformed(format!(
                "family {f} was not negotiated"
            )));
        }
    }
    Ok(())
}

/// One whole message (or a bare UPDATE body when it has no marker), as JSON.
fn decode_message(raw: &[u8], s: &Session, out: &mut String) -> Result<(), DecodeFailure> {
    let malformed = |e: crate::bgp::DecodeError| DecodeFailure::Malformed(e.to_string());
    let host = host_name();
    let h = header(&host);
    let enc = Encoder::json(false);
    let dir = Direction::Decode;
    if !raw.starts_with(&MARKER) {
        // ExaBGP: no header means the data is one UPDATE body.
        let mut u = Update::decode(raw, &s.negotiated).map_err(malformed)?;
        show_as_received(raw, &s.negotiated, &mut u);
        show_host_bits(raw, &s.negotiated, &mut u);
        check_aigp(&mut u, &s.negotiated)?;
        check_families(&u, &s.negotiated)?;
        enc.update(out, &h, &s.neighbor, dir, &u, Context::default());
        return Ok(());
    }
    let k = *raw
        .get(HEADER_LEN - 1)
        .ok_or(DecodeFailure::ShortHeader(raw.len()))?;
    match k {
        kind::OPEN => {
            // ExaBGP decodes an OPEN to the end of the data, whatever its length says.
            let body = raw.get(HEADER_LEN..).unwrap_or(&[]);
            let o = Open::decode(body).map_err(malformed)?;
            enc.open(out, &h, &s.neighbor, dir, &o, None);
        }
        kind::UPDATE => {
            let body = body_by_length(raw);
            let mut u = Update::decode(body, &s.negotiated).map_err(malformed)?;
            show_as_received(body, &s.negotiated, &mut u);
            show_host_bits(body, &s.negotiated, &mut u);
            check_aigp(&mut u, &s.negotiated)?;
            check_families(&u, &s.negotiated)?;
            enc.update(out, &h, &s.neighbor, dir, &u, Context::default());
        }
        kind::NOTIFICATION => {
            let body = body_by_length(raw);
            let n = match Notification::decode(body) {
                Ok(n) => n,
                // ExaBGP shows a NOTIFICATION too short for a code as 0/0 with this text.
                Err(_) if body.len() < 2 => Notification {
                    code: 0,
                    subcode: 0,
                    data: format!(
                        "peer sent a NOTIFICATION of {} bytes, too short to carry a code",
                        body.len()
                    )
                    .into_bytes(),
                },
                Err(e) => return Err(malformed(e)),
            };
            enc.notification(out, &h, &s.neighbor, dir, &n, None);
        }
        other => return Err(DecodeFailure::UnknownType(other)),
    }
    Ok(())
}

fn run_inner(args: &DecodeArgs, out: &mut String) -> Result<(), DecodeFailure> {
    let text: String = args.payload.concat();
    let raw = parse_hex(&text)?;
    for s in sessions(args)? {
        if args.nlri {
            decode_nlri(&raw, &s, out)?;
        } else {
            decode_message(&raw, &s, out)?;
        }
    }
    Ok(())
}

/// Run `decode` with these arguments; never panics on any payload.
pub fn run(args: &DecodeArgs) -> Outcome {
    let mut stdout = String::new();
    match run_inner(args, &mut stdout) {
        Ok(()) => Outcome {
            stdout,
            stderr: String::new(),
            success: true,
        },
        Err(e) => {
            // What ExaBGP prints on stdout for each failure, so scripts see the same thing.
            match &e {
                DecodeFailure::NotHex(_) | DecodeFailure::OddLength(_) => {
                    stdout.push_str("The BGP message must be an hexadecimal string.\n\n");
                    stdout.push_str("All colons or spaces are ignored, for example:\n\n");
                    stdout.push_str("  001E0200000007900F0003000101\n");
                    stdout.push_str("  001E:02:0000:0007:900F:0003:0001:01\n");
                    stdout.push_str(
                        "  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000101\n",
                    );
                    stdout.push_str(
                        "  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001E:02:0000:0007:900F:0003:0001:01\n",
                    );
                    stdout.push_str(
                        "  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 001E02 00000007900F0003000101\n",
                    );
                }
                DecodeFailure::FamilyWords => stdout.push_str("families provided are invalid"),
                DecodeFailure::UnknownType(k) => {
                    stdout.push_str(&format!("unknown type {k}\ninvalid payload\n"));
                }
                _ => stdout.push_str("invalid payload\n"),
            }
            Outcome {
                stdout,
                stderr: format!("ferrobgp decode: {e}\n"),
                success: false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(payload: &str) -> DecodeArgs {
        DecodeArgs {
            payload: vec![payload.to_string()],
            ..DecodeArgs::default()
        }
    }

    #[test]
    fn hex_ignores_colons_and_blanks_and_rejects_the_rest() {
        assert_eq!(parse_hex("ff:01 0A\t"), Ok(vec![0xff, 0x01, 0x0a]));
        assert_eq!(parse_hex("0g"), Err(DecodeFailure::NotHex('g')));
        assert_eq!(parse_hex("abc"), Err(DecodeFailure::OddLength(3)));
    }

    #[test]
    fn families_are_word_pairs() {
        assert_eq!(
            parse_families("ipv6 unicast ipv4 flow"),
            Ok(vec![Family::IPV6_UNICAST, Family::new(1, 133)])
        );
        assert_eq!(parse_families("ipv4"), Err(DecodeFailure::FamilyWords));
        assert!(matches!(
            parse_families("ipv4 bogus"),
            Err(DecodeFailure::UnknownFamily(_))
        ));
    }

    #[test]
    fn update_without_header_is_an_update_body() {
        // ORIGIN igp, AS_PATH empty, NEXT_HOP 192.168.1.1, MED 100; 24.168.10.0/24.
        let o = run(&args(
            "0000001540010100400200400304C0A80101800404000000641818A80A",
        ));
        assert!(o.success, "{o:?}");
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        let n = &v["neighbor"];
        assert_eq!(n["direction"], "in");
        assert_eq!(n["asn"]["local"], 65533);
        assert_eq!(n["router-id"], "10.0.0.2");
        assert_eq!(
            n["message"]["update"]["announce"]["ipv4 unicast"]["192.168.1.1"][0]["nlri"],
            "24.168.10.0/24"
        );
        assert_eq!(n["message"]["update"]["attribute"]["med"], 100);
    }

    #[test]
    fn keepalive_is_an_unknown_type_and_short_header_is_invalid() {
        let o = run(&args(&format!("{}001304", "FF".repeat(16))));
        assert!(!o.success);
        assert_eq!(o.stdout, "unknown type 4\ninvalid payload\n");
        let o = run(&args(&"FF".repeat(17)));
        assert!(!o.success);
        assert_eq!(o.stdout, "invalid payload\n");
        assert!(o.stderr.contains("shorter than a BGP header"), "{o:?}");
    }

    #[test]
    fn nlri_only_uses_the_first_family() {
        let mut a = args("180A0000 200B000001");
        a.nlri = true;
        let o = run(&a);
        assert_eq!(
            o.stdout,
            "{ \"nlri\": \"10.0.0.0/24\" }\n{ \"nlri\": \"11.0.0.1/32\" }\n"
        );
        a.family = Some("ipv6 unicast".into());
        a.payload = vec!["402001000000000000".into()];
        assert_eq!(run(&a).stdout, "{ \"nlri\": \"2001::/64\" }\n");
        a.payload = vec!["".into()];
        assert_eq!(run(&a).stdout, "invalid payload\n");
    }

    #[test]
    fn prefixes_are_shown_with_their_bits_past_the_length() {
        // NLRI 10.255.0.0/12 (0C 0A FF) and, withdrawn, 24.0.0.0/1 (01 18).
        let o = run(&args("0002 0118 000E 40010100400200400304C0000201 0C0AFF"));
        assert!(o.success, "{o:?}");
        assert!(
            o.stdout.contains(r#"{ "nlri": "10.255.0.0/12" }"#),
            "{}",
            o.stdout
        );
        assert!(
            o.stdout.contains(r#"{ "nlri": "24.0.0.0/1" }"#),
            "{}",
            o.stdout
        );
        let mut a = args("0C0AFF");
        a.nlri = true;
        assert_eq!(run(&a).stdout, "{ \"nlri\": \"10.255.0.0/12\" }\n");
        // The codec itself clears them: one route, one RIB key.
        let u = Update::decode(
            &parse_hex("0000 0000 0C0AFF").unwrap(),
            &Negotiated::default(),
        );
        let Ok(Update { announced, .. }) = u else {
            panic!("{u:?}")
        };
        assert_eq!(
            announced,
            [Nlri::unicast("10.240.0.0/12".parse().unwrap(), None)]
        );
    }

    #[test]
    fn header_length_is_read_as_exabgp_reads_it() {
        let mut m = vec![0xff; 16];
        m.extend_from_slice(&[0x00, 0x15, 3, 6, 2, 9, 9]);
        // Length 21 cuts the two trailing bytes off the NOTIFICATION data.
        assert_eq!(body_by_length(&m), &[6, 2]);
        m[16] = 1;
        assert_eq!(body_by_length(&m), &[6, 2, 9, 9]);
    }
}
