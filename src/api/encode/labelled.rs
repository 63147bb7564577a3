//! Labelled unicast and MPLS VPN routes (RFC 8277, RFC 4364) as ExaBGP 5.0 shows them:
//! JSON `{ "nlri": .., "path-information": .., "label": [ [n] ], "rd": .. }` and the text
//! form `prefix [path-information id] label n next-hop nh rd x`.

use std::fmt::Write;

use crate::bgp::nlri::labelled::Labelled;

/// ADD-PATH identifiers are dotted quads in ExaBGP's output.
fn dotted(id: u32) -> std::net::Ipv4Addr {
    std::net::Ipv4Addr::from(id)
}

/// One route in JSON. Without path id, labels or RD it is a plain prefix, compact or not.
pub fn json(out: &mut String, l: &Labelled, compact: bool) {
    let mut inner = String::new();
    if let Some(id) = l.path_id {
        let _ = write!(inner, "\"path-information\": \"{}\"", dotted(id));
    }
    if !l.labels.is_empty() {
        if !inner.is_empty() {
            inner.push_str(", ");
        }
        inner.push_str("\"label\": [ ");
        for (i, label) in l.labels.iter().enumerate() {
            if i > 0 {
                inner.push_str(", ");
            }
            let _ = write!(inner, "[{label}]");
        }
        inner.push_str(" ]");
    }
    if let Some(rd) = l.rd {
        if !inner.is_empty() {
            inner.push_str(", ");
        }
        let _ = write!(inner, "\"rd\": \"{rd}\"");
    }
    let prefix = l.prefix;
    if !inner.is_empty() {
        let _ = write!(out, "{{ \"nlri\": \"{prefix}\", {inner} }}");
    } else if compact {
        let _ = write!(out, "\"{prefix}\"");
    } else {
        let _ = write!(out, "{{ \"nlri\": \"{prefix}\" }}");
    }
}

/// The text form up to where the next hop goes: prefix, path id, labels
/// (`label 5`, or `label [ 5 6 ]` for a stack).
pub fn text(out: &mut String, l: &Labelled) {
    let _ = write!(out, "{}", l.prefix);
    if let Some(id) = l.path_id {
        let _ = write!(out, " path-information {}", dotted(id));
    }
    match l.labels.as_slice() {
        [] => {}
        [one] => {
            let _ = write!(out, " label {one}");
        }
        many => {
            out.push_str(" label [ ");
            for (i, label) in many.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{label}");
            }
            out.push_str(" ]");
        }
    }
}

/// What ExaBGP writes after the next hop: ` rd x` for a VPN route.
pub fn text_tail(out: &mut String, l: &Labelled) {
    if let Some(rd) = l.rd {
        let _ = write!(out, " rd {rd}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgp::Family;

    fn route(labels: &[u32], rd: Option<&str>, path_id: Option<u32>) -> Labelled {
        Labelled {
            family: Family::new(1, if rd.is_some() { 128 } else { 4 }),
            prefix: "10.0.0.0/24".parse().unwrap(),
            labels: labels.to_vec(),
            rd: rd.map(|r| r.parse().unwrap()),
            path_id,
        }
    }

    #[test]
    fn json_keys_in_exabgp_order() {
        let mut s = String::new();
        json(&mut s, &route(&[20012], Some("100:100"), Some(10)), true);
        assert_eq!(
            s,
            r#"{ "nlri": "10.0.0.0/24", "path-information": "0.0.0.10", "label": [ [20012] ], "rd": "100:100" }"#
        );
        let mut s = String::new();
        json(&mut s, &route(&[1, 2], None, None), false);
        assert_eq!(s, r#"{ "nlri": "10.0.0.0/24", "label": [ [1], [2] ] }"#);
        let mut s = String::new();
        json(&mut s, &route(&[], None, None), true);
        json(&mut s, &route(&[], None, None), false);
        assert_eq!(s, r#""10.0.0.0/24"{ "nlri": "10.0.0.0/24" }"#);
    }

    #[test]
    fn text_form() {
        let mut s = String::new();
        let r = route(&[1000], Some("65000:1"), Some(1));
        text(&mut s, &r);
        s.push_str(" next-hop 1.2.3.4");
        text_tail(&mut s, &r);
        assert_eq!(
            s,
            "10.0.0.0/24 path-information 0.0.0.1 label 1000 next-hop 1.2.3.4 rd 65000:1"
        );
        let mut s = String::new();
        text(&mut s, &route(&[1, 2], None, None));
        assert_eq!(s, "10.0.0.0/24 label [ 1 2 ]");
    }
}
