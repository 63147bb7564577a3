//! Routes of the VPLS (RFC 4761), MCAST-VPN (RFC 6514) and MUP (draft-mpmz-bess-mup-safi)
//! families, as the config (`l2vpn { vpls ... }`, `announce { ipv4 { mcast-vpn ...; mup ...; } }`)
//! and the API (`announce vpls ...`, `announce ipv4 mcast-vpn ...`) write them.

use std::net::IpAddr;
use std::path::Path;

use super::lexer::Token;
use super::route::{parse_attribute, RouteExtras};
use super::srv6::parse_prefix_sid_srv6;
use super::tree::Node;
use super::words::{parse_asn, parse_int, Words};
use super::{ConfigError, Route};
use crate::bgp::attribute::NextHop;
use crate::bgp::nlri::labelled::RouteDistinguisher;
use crate::bgp::nlri::mup::{Mup, MupRoute};
use crate::bgp::nlri::mvpn::{Mvpn, MvpnRoute, SHARED_JOIN, SOURCE_JOIN};
use crate::bgp::nlri::vpls::Vpls;
use crate::bgp::{Afi, Attributes, Family, Nlri, Safi};

/// The routes of `<afi> <safi> <words>` for the families this file handles; None for others.
pub fn family_route(
    family: Family,
    words: &[Token],
    file: &Path,
    announce: bool,
) -> Option<Result<Vec<Route>, ConfigError>> {
    let r = match (family.afi, family.safi) {
        (Afi::IPV4 | Afi::IPV6, Safi::MCAST_VPN) => parse_mvpn(family.afi, words, file),
        (Afi::IPV4 | Afi::IPV6, Safi::MUP) => parse_mup(family.afi, words, file),
        (Afi::L2VPN, Safi::VPLS) => parse_vpls(words, file, announce),
        _ => return None,
    };
    Some(r.map(|r| vec![r]))
}

fn make_route(nlri: Nlri, attributes: Attributes, x: RouteExtras) -> Route {
    Route::with_extra(nlri, std::sync::Arc::new(attributes), x.extra())
}

fn rd_word(w: &mut Words<'_>) -> Result<RouteDistinguisher, ConfigError> {
    super::mpls::rd(w)
}

fn expect(w: &mut Words<'_>, word: &str) -> Result<(), ConfigError> {
    let t = w.next(word)?;
    if !t.text.eq_ignore_ascii_case(word) {
        return Err(w.error_at(t, format!("expect {word}, but received '{t}'")));
    }
    Ok(())
}

/// An address of the route's AFI.
fn addr_of(w: &mut Words<'_>, afi: Afi, what: &str) -> Result<IpAddr, ConfigError> {
    let t = w.next(what)?;
    let ip: IpAddr = t
        .text
        .parse()
        .map_err(|_| w.error_at(t, format!("invalid {what} {t}")))?;
    if ip.is_ipv4() != (afi == Afi::IPV4) {
        return Err(w.error_at(t, format!("{what} {t} is not an {afi:?} address")));
    }
    Ok(ip)
}

fn number<T: TryFrom<u64>>(w: &mut Words<'_>, what: &str) -> Result<T, ConfigError> {
    let t = w.next(what)?;
    parse_int(&t.text)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| w.error_at(t, format!("invalid {what} {t}")))
}

/// The attributes after the NLRI words; `bgp-prefix-sid-srv6` is handled here, and with
/// `map_v4` an IPv4 next hop becomes IPv4-mapped IPv6 (ExaBGP does so for IPv6 MUP).
fn attributes(
    w: &mut Words<'_>,
    family: Family,
    map_v4: bool,
) -> Result<(Attributes, RouteExtras), ConfigError> {
    let mut a = Attributes::default();
    let mut x = RouteExtras::default();
    while let Some(t) = w.peek() {
        if t.is("bgp-prefix-sid-srv6") {
            w.next("bgp-prefix-sid-srv6")?;
            let attr = parse_prefix_sid_srv6(w)?;
            a.raw.retain(|r| r.code != attr.code);
            a.raw.push(attr);
            continue;
        }
        parse_attribute(w, &mut a, &mut x, family)?;
    }
    if map_v4 {
        if let Some(NextHop::Addr(IpAddr::V4(v4))) = a.next_hop {
            a.next_hop = Some(NextHop::Addr(IpAddr::V6(v4.to_ipv6_mapped())));
        }
    }
    Ok((a, x))
}

/// `shared-join rp <ip> group <ip> rd <rd> source-as <asn>`, `source-join source ...`,
/// `source-ad source <ip> group <ip> rd <rd>`, then attributes.
pub fn parse_mvpn(afi: Afi, words: &[Token], file: &Path) -> Result<Route, ConfigError> {
    let family = Family {
        afi,
        safi: Safi::MCAST_VPN,
    };
    let mut w = Words::new(words, file);
    let kind = w.next("mcast-vpn route type")?;
    let route = match kind.text.as_str() {
        "source-ad" => {
            expect(&mut w, "source")?;
            let source = addr_of(&mut w, afi, "source")?;
            expect(&mut w, "group")?;
            let group = addr_of(&mut w, afi, "group")?;
            expect(&mut w, "rd")?;
            let rd = rd_word(&mut w)?;
            MvpnRoute::SourceAd { rd, source, group }
        }
        "shared-join" | "source-join" => {
            let (code, first) = if kind.is("shared-join") {
                (SHARED_JOIN, "rp")
            } else {
                (SOURCE_JOIN, "source")
            };
            expect(&mut w, first)?;
            let source = addr_of(&mut w, afi, first)?;
            expect(&mut w, "group")?;
            let group = addr_of(&mut w, afi, "group")?;
            expect(&mut w, "rd")?;
            let rd = rd_word(&mut w)?;
            expect(&mut w, "source-as")?;
            let t = w.next("source-as")?;
            let source_as = parse_asn(&t.text)
                .filter(|_| t.text.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| w.error_at(t, format!("invalid source-as {t}")))?;
            MvpnRoute::Join {
                code,
                rd,
                source_as,
                source,
                group,
            }
        }
        _ => return Err(w.error_at(kind, format!("unknown/unsupported mvpn route type: {kind}"))),
    };
    let (a, x) = attributes(&mut w, family, false)?;
    Ok(make_route(Nlri::Mvpn(Box::new(Mvpn { afi, route })), a, x))
}

/// A prefix `addr/len` of the route's AFI, host bits kept as written (ExaBGP does not check).
fn prefix_of(w: &mut Words<'_>, afi: Afi) -> Result<(IpAddr, u8), ConfigError> {
    let t = w.next("prefix")?;
    let bad = || format!("unexpect prefix format '{t}'");
    let (a, l) = t.text.split_once('/').ok_or_else(|| w.error_at(t, bad()))?;
    let addr: IpAddr = a.parse().map_err(|_| w.error_at(t, bad()))?;
    let len: u8 = l.parse().map_err(|_| w.error_at(t, bad()))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    if len > max || addr.is_ipv4() != (afi == Afi::IPV4) {
        return Err(w.error_at(t, bad()));
    }
    Ok((addr, len))
}

/// `mup-isd <prefix> rd <rd>`, `mup-dsd <ip> rd <rd>`, `mup-t1st <prefix> rd <rd> teid <n>
/// qfi <n> endpoint <ip> [source <ip>]`, `mup-t2st <ip> rd <rd> teid <n>/<bits>`, then
/// attributes.
pub fn parse_mup(afi: Afi, words: &[Token], file: &Path) -> Result<Route, ConfigError> {
    let family = Family {
        afi,
        safi: Safi::MUP,
    };
    let mut w = Words::new(words, file);
    let kind = w.next("mup route type")?;
    let route = match kind.text.as_str() {
        "mup-isd" => {
            let (addr, len) = prefix_of(&mut w, afi)?;
            expect(&mut w, "rd")?;
            let rd = rd_word(&mut w)?;
            MupRoute::Isd { rd, addr, len }
        }
        "mup-dsd" => {
            let ip = addr_of(&mut w, afi, "address")?;
            expect(&mut w, "rd")?;
            let rd = rd_word(&mut w)?;
            MupRoute::Dsd { rd, ip }
        }
        "mup-t1st" => {
            let (addr, len) = prefix_of(&mut w, afi)?;
            expect(&mut w, "rd")?;
            let rd = rd_word(&mut w)?;
            expect(&mut w, "teid")?;
            let teid = number(&mut w, "teid")?;
            expect(&mut w, "qfi")?;
            let qfi = number(&mut w, "qfi")?;
            expect(&mut w, "endpoint")?;
            let endpoint = addr_of(&mut w, afi, "endpoint")?;
            let source = if w.eat("source") {
                Some(addr_of(&mut w, afi, "source")?)
            } else {
                None
            };
            MupRoute::T1st {
                rd,
                addr,
                len,
                teid,
                qfi,
                endpoint,
                source,
            }
        }
        "mup-t2st" => {
            let endpoint = addr_of(&mut w, afi, "endpoint")?;
            expect(&mut w, "rd")?;
            let rd = rd_word(&mut w)?;
            expect(&mut w, "teid")?;
            let t = w.next("teid/bits")?;
            let bad = || format!("unexpect teid format '{t}', expect <teid>/<length 0-32>");
            let (n, b) = t.text.split_once('/').ok_or_else(|| w.error_at(t, bad()))?;
            let teid: u64 = n.parse().map_err(|_| w.error_at(t, bad()))?;
            let teid_bits: u8 = b
                .parse()
                .ok()
                .filter(|b| *b <= 32)
                .ok_or_else(|| w.error_at(t, bad()))?;
            if teid >= 1u64 << teid_bits {
                return Err(w.error_at(
                    t,
                    format!("unexpect teid format, we can not store {teid} using {teid_bits} bits"),
                ));
            }
            MupRoute::T2st {
                rd,
                endpoint,
                teid: u32::try_from(teid).map_err(|_| w.error_at(t, bad()))?,
                teid_bits,
            }
        }
        _ => return Err(w.error_at(kind, format!("mup: unknown mup type: {kind}"))),
    };
    let (a, x) = attributes(&mut w, family, afi == Afi::IPV6)?;
    Ok(make_route(Nlri::Mup(Box::new(Mup { afi, route })), a, x))
}

/// `endpoint <n> base <n> offset <n> size <n> rd <rd> next-hop <ip> <attributes>`, in any
/// order (ExaBGP's `vpls` words).
pub fn parse_vpls(words: &[Token], file: &Path, announce: bool) -> Result<Route, ConfigError> {
    let mut w = Words::new(words, file);
    let mut a = Attributes::default();
    let mut x = RouteExtras::default();
    let (mut rd, mut endpoint, mut base, mut offset, mut size) = (None, None, None, None, None);
    while let Some(t) = w.peek() {
        match t.text.as_str() {
            "rd" | "route-distinguisher" => {
                w.next("rd")?;
                rd = Some(rd_word(&mut w)?);
            }
            "endpoint" => {
                w.next("endpoint")?;
                endpoint = Some(number::<u16>(&mut w, "l2vpn vpls endpoint")?);
            }
            "base" => {
                w.next("base")?;
                base = Some(number::<u32>(&mut w, "l2vpn vpls label")?);
            }
            "offset" => {
                w.next("offset")?;
                offset = Some(number::<u16>(&mut w, "l2vpn vpls block-offset")?);
            }
            "size" => {
                w.next("size")?;
                size = Some(number::<u16>(&mut w, "l2vpn vpls block-size")?);
            }
            _ => parse_attribute(&mut w, &mut a, &mut x, Vpls::FAMILY)?,
        }
    }
    let missing = |what: &str| w.error_end(format!("vpls nlri {what} missing"));
    if announce && a.next_hop.is_none() {
        return Err(missing("next-hop"));
    }
    let endpoint = endpoint.ok_or_else(|| missing("endpoint"))?;
    let base = base.ok_or_else(|| missing("base"))?;
    let offset = offset.ok_or_else(|| missing("offset"))?;
    let size = size.ok_or_else(|| missing("size"))?;
    let rd = rd.ok_or_else(|| missing("route-distinguisher"))?;
    if base > 0xfffff - u32::from(size).min(0xfffff) {
        return Err(w.error_end("vpls nlri size inconsistency"));
    }
    let nlri = Nlri::Vpls(Box::new(Vpls {
        rd,
        endpoint,
        offset,
        size,
        base,
    }));
    Ok(make_route(nlri, a, x))
}

/// The neighbor's `l2vpn { vpls [NAME] { ... } ; vpls <words>; }` section.
pub fn l2vpn_section<'a>(
    file: &Path,
    nodes: &'a [Node],
) -> Result<Vec<(Route, &'a Node)>, ConfigError> {
    let mut routes = Vec::new();
    for n in nodes {
        if n.keyword().is_empty() {
            continue;
        }
        if n.keyword() != "vpls" {
            return Err(super::words::error(
                file,
                n.line,
                n.col,
                format!("unknown l2vpn entry \"{}\"", n.keyword()),
            ));
        }
        let words: Vec<Token> = match &n.block {
            // `vpls NAME { ... }`: the name is only a label.
            Some(children) => children
                .iter()
                .flat_map(|c| c.words.iter().cloned())
                .collect(),
            None => n.args().to_vec(),
        };
        routes.push((parse_vpls(&words, file, true)?, n));
    }
    Ok(routes)
}

/// Whether an IPv6 next hop would be written as IPv4-mapped for this family (for tests).
#[cfg(test)]
fn mapped(a: &Attributes) -> Option<std::net::Ipv6Addr> {
    match a.next_hop {
        Some(NextHop::Addr(IpAddr::V6(v6))) => Some(v6),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lexer::tokenize;

    fn nlri_bytes(r: &Route) -> String {
        let mut out = Vec::new();
        r.nlri.encode(&mut out, false);
        crate::bgp::testutil::hex(&out)
    }

    #[test]
    fn mvpn_routes_encode_as_exabgp() {
        let t = tokenize("shared-join rp 10.99.199.1 group 239.251.255.228 rd 65000:99999 source-as 65000 next-hop 10.10.6.3 extended-community [ target:192.168.94.12:5 ]").unwrap();
        let r = parse_mvpn(Afi::IPV4, &t, Path::new("t")).unwrap();
        assert_eq!(
            nlri_bytes(&r),
            "06160000FDE80001869F0000FDE8200A63C70120EFFBFFE4"
        );
        assert_eq!(r.attributes.extended_communities.len(), 1);
        let t =
            tokenize("source-ad source fd12::4 group ff0e::1 rd 65000:99999 next-hop 10.10.6.4")
                .unwrap();
        let r = parse_mvpn(Afi::IPV6, &t, Path::new("t")).unwrap();
        assert_eq!(nlri_bytes(&r), "052A0000FDE80001869F80FD12000000000000000000000000000480FF0E0000000000000000000000000001");
        let t = tokenize("source-ad source fd12::4 group 1.2.3.4 rd 65000:99999").unwrap();
        assert!(parse_mvpn(Afi::IPV6, &t, Path::new("t")).is_err());
        let t = tokenize("bogus-join rp 1.1.1.1").unwrap();
        assert!(parse_mvpn(Afi::IPV4, &t, Path::new("t")).is_err());
    }

    #[test]
    fn mup_routes_encode_as_exabgp() {
        let cases = [
            (Afi::IPV4, "mup-isd 10.0.1.0/24 rd 100:100 next-hop 2001::1 bgp-prefix-sid-srv6 ( l3-service 2001:db8:1:1:: 0x48 [64,24,16,0,0,0] )", "0100010C0000006400000064180A0001"),
            (Afi::IPV4, "mup-t1st 192.168.0.2/32 rd 100:100 teid 12345 qfi 9 endpoint 10.0.0.1 source 10.0.1.1 next-hop 10.0.0.2", "0100031C000000640000006420C0A800020000303909200A000001200A000101"),
            (Afi::IPV4, "mup-t2st 10.0.0.1 rd 100:100 teid 12345/23 next-hop 10.0.0.2", "010004100000006400000064370A000001003039"),
            (Afi::IPV4, "mup-t2st 10.0.0.1 rd 100:100 teid 0/0 next-hop 10.0.0.2", "0100040D0000006400000064200A000001"),
            (Afi::IPV6, "mup-dsd 2001::1 rd 100:100 next-hop 2001::2", "01000218000000640000006420010000000000000000000000000001"),
        ];
        for (afi, s, want) in cases {
            let r = parse_mup(afi, &tokenize(s).unwrap(), Path::new("t")).unwrap();
            assert_eq!(nlri_bytes(&r), want, "{s}");
        }
        let r = parse_mup(Afi::IPV4, &tokenize(cases[0].1).unwrap(), Path::new("t")).unwrap();
        assert_eq!(r.attributes.raw.len(), 1);
        let r = parse_mup(
            Afi::IPV6,
            &tokenize("mup-t2st 2001::1 rd 100:100 teid 12345/32 next-hop 10.0.0.2").unwrap(),
            Path::new("t"),
        )
        .unwrap();
        assert_eq!(
            mapped(&r.attributes),
            Some("::ffff:10.0.0.2".parse().unwrap())
        );
        for bad in [
            "mup-t2st 10.0.0.1 rd 100:100 teid 12345/0",
            "mup-isd 10.0.1.0 rd 1:1",
            "mup-xyz 1.1.1.1",
        ] {
            assert!(
                parse_mup(Afi::IPV4, &tokenize(bad).unwrap(), Path::new("t")).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn vpls_words_in_any_order() {
        let t = tokenize("endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.168.201.1 local-preference 100").unwrap();
        let r = parse_vpls(&t, Path::new("t"), true).unwrap();
        assert_eq!(nlri_bytes(&r), "00110001C0A8C901007B000500010008029CE1");
        assert_eq!(r.attributes.local_pref, Some(100));
        let t = tokenize("endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123").unwrap();
        assert!(parse_vpls(&t, Path::new("t"), true).is_err(), "no next-hop");
        assert!(parse_vpls(&t, Path::new("t"), false).is_ok());
        let t = tokenize("endpoint 5 base 10702 offset 1 next-hop 1.1.1.1 rd 1:1").unwrap();
        assert!(parse_vpls(&t, Path::new("t"), true).is_err(), "no size");
    }
    /// Config text to wire bytes: each route's UPDATE equals the upstream suite's expectation
    /// (conf-srv6-mup, api-ipv6, conf-mvpn, api-vpls), announce and withdrawal.
    #[test]
    fn whole_updates_match_the_suite() {
        use crate::bgp::message::update::{encode_announce, encode_withdraw_with_attributes};
        use crate::bgp::testutil::{messages, session};
        let neg = session(65000, 65000, "127.0.0.1");
        let cases: [(Family, &str, &str, &str); 3] = [
            (
                Family::new(1, 85),
                "mup-dsd 10.0.0.1 rd 100:100 next-hop 2001::2 extended-community [ target:10:10 mup:10:10 ] bgp-prefix-sid-srv6 ( l3-service 2001:db8:1:1:: 0x13 [64,24,16,0,0,0] )",
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0088:02:000000714001010040020040050400000064C010100002000A0000000A0C00000A0000000AC028250500220001001E0020010DB800010001000000000000000000001300010006401810000000800E250001551020010000000000000000000000000002000100020C00000064000000640A000001",
                "",
            ),
            (
                Family::new(2, 85),
                "mup-isd 2001::/64 rd 100:100 next-hop 2001::2 extended-community [ target:10:10 ] bgp-prefix-sid-srv6 ( l3-service 2001:db8:1:1:: 0x47 [64,24,16,0,0,0] )",
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0085:02:0000006E4001010040020040050400000064C010080002000A0000000AC028250500220001001E0020010DB800010001000000000000000000004700010006401810000000800E2A000255102001000000000000000000000000000200010001110000006400000064402001000000000000",
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0073:02:0000005C4001010040020040050400000064C010080002000A0000000AC028250500220001001E0020010DB800010001000000000000000000004700010006401810000000800F18000255010001110000006400000064402001000000000000",
            ),
            (
                Family::new(1, 5),
                "source-ad source 10.99.12.4 group 239.251.255.228 rd 65000:99999 next-hop 10.10.6.4 extended-community [ target:65000:99999 ]",
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0057:02:00000040400101004002004003040A0A060440050400000064C010080002FDE80001869F800E1D000105040A0A06040005120000FDE80001869F200A630C0420EFFBFFE4",
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0051:02:0000003A400101004002004003040A0A060440050400000064C010080002FDE80001869F800F1700010505120000FDE80001869F200A630C0420EFFBFFE4",
            ),
        ];
        for (family, text, announce, withdraw) in cases {
            let routes = family_route(family, &tokenize(text).unwrap(), Path::new("t"), true)
                .unwrap()
                .unwrap();
            let r = &routes[0];
            let mut out = Vec::new();
            encode_announce(&mut out, family, &r.attributes, [&r.nlri], &neg).unwrap();
            assert_eq!(messages(&out), [announce], "{text}");
            if !withdraw.is_empty() {
                let mut out = Vec::new();
                encode_withdraw_with_attributes(&mut out, family, &r.attributes, [&r.nlri], &neg)
                    .unwrap();
                assert_eq!(messages(&out), [withdraw], "{text}");
            }
        }
        // api-vpls: no NEXT_HOP attribute, the next hop only in MP_REACH.
        let neg = session(1, 1, "127.0.0.1");
        let t = tokenize(
            "endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.168.201.1",
        )
        .unwrap();
        let r = parse_vpls(&t, Path::new("t"), true).unwrap();
        let mut out = Vec::new();
        encode_withdraw_with_attributes(&mut out, Vpls::FAMILY, &r.attributes, [&r.nlri], &neg)
            .unwrap();
        assert_eq!(
            messages(&out),
            ["FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:003E:02:000000274001010040020040050400000064800F1600194100110001C0A8C901007B000500010008029CE1"]
        );
    }
    #[test]
    fn l2vpn_section_takes_named_blocks_and_one_liners() {
        let text = "vpls site5 { endpoint 5; base 10732; offset 1; size 8; next-hop 192.168.201.1; rd 192.168.201.1:124; }\n\
                    vpls endpoint 5 base 10702 offset 1 size 8 next-hop 192.168.201.1 rd 192.168.201.1:123;";
        let nodes = crate::config::tree::build(tokenize(text).unwrap()).unwrap();
        let routes = l2vpn_section(Path::new("t"), &nodes).unwrap();
        assert_eq!(routes.len(), 2);
        assert_eq!(
            nlri_bytes(&routes[0].0),
            "00110001C0A8C901007C000500010008029EC1"
        );
        assert_eq!(routes[1].1.line, 2);
        let nodes = crate::config::tree::build(tokenize("evpn x;").unwrap()).unwrap();
        assert!(l2vpn_section(Path::new("t"), &nodes).is_err());
    }
    /// The API lines the upstream helpers write (api-vpls, api-mvpn, api-ipv6) reach these
    /// parsers.
    #[test]
    fn api_commands_route_here() {
        use crate::api::command::{parse, Command};
        let lines = [
            "neighbor 127.0.0.1 announce vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.168.201.1 origin igp as-path [ 30740 30740 ] local-preference 100 med 2000 community [ 54591:123] extended-community [ target:54591:6 l2info:19:0:1500:111] originator-id 192.168.22.1 cluster-list [ 3.3.3.3 192.168.201.1 ]",
            "neighbor 127.0.0.1 withdraw vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.168.201.1",
            "announce ipv6 mcast-vpn source-join source fd12::2 group ff0e::1 rd 65000:99999 source-as 65000 next-hop 10.10.6.3 extended-community [ target:192.168.94.12:5 ]",
            "withdraw ipv6 mup mup-isd 2001::/64 rd 100:100 next-hop 2001::2 extended-community [ target:10:10 ] bgp-prefix-sid-srv6 ( l3-service 2001:db8:1:1:: 0x47 [64,24,16,0,0,0] )",
        ];
        let families = [
            Vpls::FAMILY,
            Vpls::FAMILY,
            Family::new(2, 5),
            Family::new(2, 85),
        ];
        for (line, family) in lines.iter().zip(families) {
            let routes = match parse(line).unwrap() {
                Some(Command::Announce { routes, .. } | Command::Withdraw { routes, .. }) => routes,
                other => panic!("{line}: {other:?}"),
            };
            assert_eq!(routes.len(), 1, "{line}");
            assert_eq!(routes[0].nlri.family(), family, "{line}");
        }
        assert!(parse("announce vpls endpoint 5").is_err());
    }
}
