//! JSON and text of VPLS (RFC 4761), MCAST-VPN (RFC 6514) and MUP (draft-mpmz-bess-mup-safi)
//! NLRI, with ExaBGP 5.0's keys, order and spacing.
//!
//! Where ExaBGP's own JSON is not valid (its Type 1 Session Transformed route lacks the comma
//! before `"source_ip_len"`), the comma is written: helpers must be able to parse the line.

use std::fmt::Write;

use crate::bgp::nlri::mup::{Mup, MupRoute};
use crate::bgp::nlri::mvpn::{Mvpn, MvpnRoute};
use crate::bgp::nlri::vpls::Vpls;

use super::escape::hex_digits;

pub fn vpls_json(out: &mut String, v: &Vpls) {
    let _ = write!(
        out,
        "{{ \"rd\": \"{}\", \"endpoint\": {}, \"base\": {}, \"offset\": {}, \"size\": {} }}",
        v.rd, v.endpoint, v.base, v.offset, v.size
    );
}

pub fn vpls_text(out: &mut String, v: &Vpls) {
    let _ = write!(
        out,
        "vpls rd {} endpoint {} base {} offset {} size {}",
        v.rd, v.endpoint, v.base, v.offset, v.size
    );
}

/// `"raw"`: the whole NLRI (type, length and body) in upper-case hex.
fn raw(out: &mut String, packed: &[u8]) {
    out.push_str("\"raw\": \"");
    hex_digits(out, packed);
    out.push('"');
}

fn packed_mvpn(m: &Mvpn) -> Vec<u8> {
    let mut p = Vec::new();
    m.encode(&mut p, false);
    p
}

fn packed_mup(m: &Mup) -> Vec<u8> {
    let mut p = Vec::new();
    m.encode(&mut p, false);
    p
}

pub fn mvpn_json(out: &mut String, m: &Mvpn) {
    let packed = packed_mvpn(m);
    let (rd, source_as, source, group) = match &m.route {
        MvpnRoute::SourceAd { rd, source, group } => (rd, None, source, group),
        MvpnRoute::Join {
            rd,
            source_as,
            source,
            group,
            ..
        } => (rd, Some(source_as), source, group),
        MvpnRoute::Other { code, .. } => {
            let _ = write!(out, "{{ \"code\": {code}, \"parsed\": false, ");
            raw(out, &packed);
            out.push_str(" }");
            return;
        }
    };
    let _ = write!(out, "{{ \"code\": {}, \"parsed\": true, ", m.code());
    raw(out, &packed);
    let _ = write!(
        out,
        ", \"name\": \"{}\", \"rd\": \"{rd}\", ",
        m.name().unwrap_or_default()
    );
    if let Some(asn) = source_as {
        let _ = write!(out, "\"source-as\": \"{asn}\", ");
    }
    let _ = write!(out, "\"source\": \"{source}\", \"group\": \"{group}\"}}");
}

pub fn mvpn_text(out: &mut String, m: &Mvpn) {
    match &m.route {
        MvpnRoute::SourceAd { rd, source, group } => {
            let _ = write!(out, "mvpn:sourcead::{rd}:{source}:{group}");
        }
        MvpnRoute::Join {
            code,
            rd,
            source_as,
            source,
            group,
        } => {
            let kind = if *code == crate::bgp::nlri::mvpn::SHARED_JOIN {
                "shared-join"
            } else {
                "source-join"
            };
            let _ = write!(out, "mvpn:{kind}::{rd}:{source_as}:{source}:{group}");
        }
        MvpnRoute::Other { body, .. } => {
            out.push_str("mvpn:unknown:0x");
            for b in body {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}

pub fn mup_json(out: &mut String, m: &Mup) {
    let packed = packed_mup(m);
    let (arch, code) = (m.arch(), m.code());
    match &m.route {
        MupRoute::Isd { rd, addr, len } => {
            let _ = write!(out, "{{ \"name\": \"InterworkSegmentDiscoveryRoute\", \"arch\": {arch}, \"code\": {code}, \"prefix_ip_len\": {len}, \"prefix_ip\": \"{addr}\", \"rd\": \"{rd}\", ");
        }
        MupRoute::Dsd { rd, ip } => {
            let _ = write!(out, "{{ \"name\": \"DirectSegmentDiscoveryRoute\", \"arch\": {arch}, \"code\": {code}, \"ip\": \"{ip}\", \"rd\": \"{rd}\", ");
        }
        MupRoute::T1st {
            rd,
            addr,
            len,
            teid,
            qfi,
            endpoint,
            source,
        } => {
            let ep_len = crate::bgp::nlri::ipbytes::bits(*endpoint);
            let _ = write!(out, "{{ \"name\": \"Type1SessionTransformedRoute\", \"arch\": {arch}, \"code\": {code}, \"prefix_ip_len\": {len}, \"prefix_ip\": \"{addr}\", \"teid\": \"{teid}\", \"qfi\": \"{qfi}\", \"rd\": \"{rd}\", \"endpoint_ip_len\": {ep_len}, \"endpoint_ip\": \"{endpoint}\", ");
            match source {
                Some(s) => {
                    let s_len = crate::bgp::nlri::ipbytes::bits(*s);
                    let _ = write!(out, "\"source_ip_len\": {s_len}, \"source_ip\": \"{s}\", ");
                }
                // ExaBGP prints Python's empty bytes literal when there is no source.
                None => out.push_str("\"source_ip_len\": 0, \"source_ip\": \"b''\", "),
            }
        }
        MupRoute::T2st {
            rd,
            endpoint,
            teid,
            teid_bits,
        } => {
            let ep_len =
                u16::from(crate::bgp::nlri::ipbytes::bits(*endpoint)) + u16::from(*teid_bits);
            let _ = write!(out, "{{ \"name\": \"Type2SessionTransformedRoute\",  \"arch\": {arch}, \"code\": {code}, \"endpoint_len\": {ep_len}, \"endpoint_ip\": \"{endpoint}\", \"rd\": \"{rd}\", \"teid\": \"{teid}\", ");
        }
        MupRoute::Other { .. } => {
            let _ = write!(out, "{{ \"arch\": {arch}, \"code\": {code}, ");
        }
    }
    raw(out, &packed);
    out.push_str(" }");
}

pub fn mup_text(out: &mut String, m: &Mup) {
    match &m.route {
        MupRoute::Isd { rd, addr, len } => {
            let _ = write!(out, "mup:isd::{rd}:{addr}/{len}");
        }
        MupRoute::Dsd { rd, ip } => {
            let _ = write!(out, "mup:dsd::{rd}:{ip}");
        }
        MupRoute::T1st {
            rd,
            addr,
            len,
            teid,
            qfi,
            endpoint,
            source,
        } => {
            let _ = write!(
                out,
                "mup:t1st::{rd}:{addr}/{len}:{teid}:{qfi}:{endpoint}/{len}"
            );
            if let Some(s) = source {
                let _ = write!(out, ":{s}/{}", crate::bgp::nlri::ipbytes::bits(*s));
            }
        }
        MupRoute::T2st {
            rd,
            endpoint,
            teid,
            teid_bits,
        } => {
            let ep_len =
                u16::from(crate::bgp::nlri::ipbytes::bits(*endpoint)) + u16::from(*teid_bits);
            let _ = write!(out, "mup:t2st::{rd}:{ep_len}:{endpoint}:{teid}:");
        }
        MupRoute::Other { body, .. } => {
            out.push_str("mup:unknown:0x");
            for b in body {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::iana::Family;
    use crate::bgp::testutil::unhex;

    /// Expected strings are `exabgp decode` 5.0.15 output for the same bytes.
    #[test]
    fn json_as_exabgp_prints_it() {
        let v = &Vpls::decode_field(
            Vpls::FAMILY,
            &unhex("00110001C0A8C901007B000500010008029CE1"),
            false,
        )
        .unwrap()[0];
        let mut s = String::new();
        vpls_json(&mut s, v);
        assert_eq!(
            s,
            r#"{ "rd": "192.168.201.1:123", "endpoint": 5, "base": 10702, "offset": 1, "size": 8 }"#
        );

        let m = &Mvpn::decode_field(
            Family::new(1, 5),
            &unhex("06160000FDE80001869F0000FDE8200A63C70120EFFBFFE4"),
            false,
        )
        .unwrap()[0];
        let mut s = String::new();
        mvpn_json(&mut s, m);
        assert_eq!(
            s,
            r#"{ "code": 6, "parsed": true, "raw": "06160000FDE80001869F0000FDE8200A63C70120EFFBFFE4", "name": "C-Multicast Shared Tree Join route", "rd": "65000:99999", "source-as": "65000", "source": "10.99.199.1", "group": "239.251.255.228"}"#
        );
        let m = &Mvpn::decode_field(
            Family::new(1, 5),
            &unhex("05120000FDE80001869F200A630C0420EFFBFFE4"),
            false,
        )
        .unwrap()[0];
        let mut s = String::new();
        mvpn_json(&mut s, m);
        assert_eq!(
            s,
            r#"{ "code": 5, "parsed": true, "raw": "05120000FDE80001869F200A630C0420EFFBFFE4", "name": "Source Active A-D Route", "rd": "65000:99999", "source": "10.99.12.4", "group": "239.251.255.228"}"#
        );

        let cases = [
            (
                1,
                "0100010C0000006400000064180A0001",
                r#"{ "name": "InterworkSegmentDiscoveryRoute", "arch": 1, "code": 1, "prefix_ip_len": 24, "prefix_ip": "10.0.1.0", "rd": "100:100", "raw": "0100010C0000006400000064180A0001" }"#,
            ),
            (
                2,
                "01000218000000640000006420010000000000000000000000000001",
                r#"{ "name": "DirectSegmentDiscoveryRoute", "arch": 1, "code": 2, "ip": "2001::1", "rd": "100:100", "raw": "01000218000000640000006420010000000000000000000000000001" }"#,
            ),
            (
                1,
                "0100040D0000006400000064200A000001",
                r#"{ "name": "Type2SessionTransformedRoute",  "arch": 1, "code": 4, "endpoint_len": 32, "endpoint_ip": "10.0.0.1", "rd": "100:100", "teid": "0", "raw": "0100040D0000006400000064200A000001" }"#,
            ),
            (
                2,
                "0100041D0000006400000064A02001000000000000000000000000000100003039",
                r#"{ "name": "Type2SessionTransformedRoute",  "arch": 1, "code": 4, "endpoint_len": 160, "endpoint_ip": "2001::1", "rd": "100:100", "teid": "12345", "raw": "0100041D0000006400000064A02001000000000000000000000000000100003039" }"#,
            ),
            // ExaBGP omits the comma after endpoint_ip; ferrobgp writes it.
            (
                1,
                "0100031C000000640000006420C0A800020000303909200A000001200A000101",
                r#"{ "name": "Type1SessionTransformedRoute", "arch": 1, "code": 3, "prefix_ip_len": 32, "prefix_ip": "192.168.0.2", "teid": "12345", "qfi": "9", "rd": "100:100", "endpoint_ip_len": 32, "endpoint_ip": "10.0.0.1", "source_ip_len": 32, "source_ip": "10.0.1.1", "raw": "0100031C000000640000006420C0A800020000303909200A000001200A000101" }"#,
            ),
        ];
        for (afi, h, want) in cases {
            let m = &Mup::decode_field(Family::new(afi, 85), &unhex(h), false).unwrap()[0];
            let mut s = String::new();
            mup_json(&mut s, m);
            assert_eq!(s, want);
            assert!(serde_json::from_str::<serde_json::Value>(&s).is_ok());
        }
    }

    #[test]
    fn text_forms() {
        let m = &Mup::decode_field(
            Family::new(1, 85),
            &unhex("0100010C0000006400000064180A0001"),
            false,
        )
        .unwrap()[0];
        let mut s = String::new();
        mup_text(&mut s, m);
        assert_eq!(s, "mup:isd::100:100:10.0.1.0/24");
        let m = &Mvpn::decode_field(
            Family::new(1, 5),
            &unhex("05120000FDE80001869F200A630C0420EFFBFFE4"),
            false,
        )
        .unwrap()[0];
        let mut s = String::new();
        mvpn_text(&mut s, m);
        assert_eq!(s, "mvpn:sourcead::65000:99999:10.99.12.4:239.251.255.228");
    }
}
