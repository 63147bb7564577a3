//! EVPN routes (RFC 7432 §7, RFC 9136) as ExaBGP 5.0 shows them: code, parsed flag, the
//! raw route in upper-case hex, then the fields of its type.

use std::fmt::Write;

use crate::bgp::nlri::evpn::{Esi, Evpn, Route};

fn esi(out: &mut String, e: &Esi) {
    out.push_str(", \"esi\": \"");
    if e.iter().all(|b| *b == 0) {
        out.push('-');
    } else {
        let parts: Vec<String> = e.iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&parts.join(":"));
    }
    out.push('"');
}

fn label(out: &mut String, l: Option<u32>) {
    match l {
        // ExaBGP leaves the raw value out when it is zero.
        Some(0) => out.push_str(", \"label\": [ [0] ]"),
        Some(raw) => {
            let _ = write!(out, ", \"label\": [ [{}, {raw}] ]", raw >> 4);
        }
        None => {}
    }
}

fn raw(out: &mut String, e: &Evpn) {
    let _ = write!(out, "\"raw\": \"{:02X}{:02X}", e.code, e.payload.len());
    for b in &e.payload {
        let _ = write!(out, "{b:02X}");
    }
    out.push('"');
}

pub fn json(out: &mut String, e: &Evpn) {
    let parsed = !matches!(e.route, Route::Other);
    let _ = write!(out, "{{ \"code\": {}, \"parsed\": {parsed}, ", e.code);
    raw(out, e);
    if parsed {
        let _ = write!(out, ", \"name\": \"{}\"", e.route.name());
    }
    match &e.route {
        Route::EthernetAd {
            rd,
            esi: s,
            etag,
            label: l,
        } => {
            let _ = write!(out, ", \"rd\": \"{rd}\"");
            esi(out, s);
            let _ = write!(out, ", \"ethernet-tag\": {etag}");
            label(out, *l);
        }
        Route::Mac {
            rd,
            esi: s,
            etag,
            mac,
            ip,
            label: l,
        } => {
            let _ = write!(out, ", \"rd\": \"{rd}\"");
            esi(out, s);
            let m: Vec<String> = mac.iter().map(|b| format!("{b:02X}")).collect();
            let _ = write!(
                out,
                ", \"ethernet-tag\": {etag}, \"mac\": \"{}\"",
                m.join(":")
            );
            label(out, *l);
            if let Some(ip) = ip {
                let _ = write!(out, ", \"ip\": \"{ip}\"");
            }
        }
        Route::Multicast { rd, etag, ip } => {
            let _ = write!(
                out,
                ", \"rd\": \"{rd}\", \"ethernet-tag\": {etag}, \"ip\": \"{ip}\""
            );
        }
        Route::Segment { rd, esi: s, ip } => {
            let _ = write!(out, ", \"rd\": \"{rd}\"");
            esi(out, s);
            let _ = write!(out, ", \"ip\": \"{ip}\"");
        }
        Route::Prefix {
            rd,
            esi: s,
            etag,
            ip,
            len,
            gateway,
            label: l,
        } => {
            let _ = write!(out, ", \"rd\": \"{rd}\"");
            esi(out, s);
            let _ = write!(out, ", \"ethernet-tag\": {etag}");
            label(out, *l);
            let _ = write!(
                out,
                ", \"ip\": \"{ip}\", \"iplen\": {len}, \"gateway\": \"{gateway}\""
            );
        }
        Route::Other => {}
    }
    out.push_str(" }");
}

/// The text form: ExaBGP's JSON object is the most complete description, so the text
/// encoder shows the route type and its raw bytes, which identify it exactly.
pub fn text(out: &mut String, e: &Evpn) {
    let _ = write!(out, "evpn {} ", e.code);
    raw(out, e);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_route_json_is_exabgps() {
        let b: Vec<u8> = [
            "0225",
            "0000FDE800000001",
            "00000000000000000000",
            "00000005",
            "30",
            "001122334455",
            "20",
            "C0000209",
            "000641",
        ]
        .concat()
        .as_bytes()
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect();
        let v = Evpn::decode_field(&b, false).unwrap();
        let mut out = String::new();
        json(&mut out, &v[0]);
        assert_eq!(
            out,
            r#"{ "code": 2, "parsed": true, "raw": "02250000FDE80000000100000000000000000000000000053000112233445520C0000209000641", "name": "MAC/IP advertisement", "rd": "65000:1", "esi": "-", "ethernet-tag": 5, "mac": "00:11:22:33:44:55", "label": [ [100, 1601] ], "ip": "192.0.2.9" }"#
        );
    }
}
