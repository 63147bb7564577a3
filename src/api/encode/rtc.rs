//! Route Target Constraint routes (RFC 4684) as ExaBGP 5.0 shows them.

use std::fmt::Write;

use super::extcomm;
use crate::bgp::nlri::rtc::Rtc;

pub fn json(out: &mut String, r: &Rtc) {
    match &r.target {
        Some(t) => {
            let _ = write!(out, "{{ \"origin\": {}, \"route-target\": \"", r.origin);
            extcomm::text(out, t);
            out.push_str("\" }");
        }
        None => out.push_str("{ \"origin\": 0, \"route-target\": null }"),
    }
}

/// ExaBGP's text: `rtc ORIGIN:TARGET`, or `rtc wildcard`.
pub fn text(out: &mut String, r: &Rtc) {
    match &r.target {
        Some(t) => {
            let _ = write!(out, "rtc {}:", r.origin);
            extcomm::text(out, t);
        }
        None => out.push_str("rtc wildcard"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_target_and_wildcard() {
        let v = Rtc::decode_field(
            &[96, 0, 0, 0xfd, 0xe8, 0, 2, 0xfd, 0xe8, 0, 0, 0, 1, 0],
            false,
        )
        .unwrap();
        let mut out = String::new();
        json(&mut out, &v[0]);
        json(&mut out, &v[1]);
        assert_eq!(
            out,
            r#"{ "origin": 65000, "route-target": "target:65000:1" }{ "origin": 0, "route-target": null }"#
        );
    }
}
