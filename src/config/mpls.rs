//! The MPLS words of the route grammar: `label`, `rd` / `route-distinguisher` and
//! `bgp-prefix-sid`, and the labelled or VPN NLRI a route becomes when it has them
//! (RFC 8277, RFC 4364, RFC 8669).

use super::words::Words;
use super::ConfigError;
use crate::bgp::attribute::{prefix_sid, RawAttribute};
use crate::bgp::nlri::labelled::{Labelled, RouteDistinguisher, MAX_LABEL};
use crate::bgp::{Family, Nlri, Prefix, Safi};

/// `label 100` or `label [ 100 200 ]` (outermost first).
pub fn labels(w: &mut Words<'_>) -> Result<Vec<u32>, ConfigError> {
    let mut v = Vec::new();
    for t in w.list("label")? {
        let n = t
            .text
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= MAX_LABEL)
            .ok_or_else(|| w.error_at(t, format!("invalid label {t} (0 to {MAX_LABEL})")))?;
        v.push(n);
    }
    Ok(v)
}

/// `rd 65000:1`, `rd 1.2.3.4:5`, `rd 4200000000:7`.
pub fn rd(w: &mut Words<'_>) -> Result<RouteDistinguisher, ConfigError> {
    let t = w.next("route-distinguisher value")?;
    t.text.parse().map_err(|e| w.error_at(t, format!("{e}")))
}

/// `bgp-prefix-sid [ index ]` or `bgp-prefix-sid [ index, [ ( base,range ) ... ] ]`.
pub fn prefix_sid(w: &mut Words<'_>) -> Result<RawAttribute, ConfigError> {
    let open = w.next("'['")?;
    if !open.is("[") {
        return Err(w.error_at(
            open,
            format!("'{open}' is not a valid bgp-prefix-sid (format: [ <label-index> ] or [ <label-index>, [ ( <srgb-base>,<srgb-range> ) ] ])"),
        ));
    }
    let idx = w.next("label index")?;
    let index = idx
        .text
        .parse::<u32>()
        .map_err(|_| w.error_at(idx, format!("invalid bgp-prefix-sid label index {idx}")))?;
    let mut srgb = Vec::new();
    let mut nested = false;
    loop {
        let t = w.next("']' closing the bgp-prefix-sid")?;
        if t.is("]") {
            break;
        }
        if t.is(",") {
            continue;
        }
        if t.is("[") && !nested {
            nested = true;
            continue;
        }
        if !t.is("(") {
            return Err(w.error_at(t, format!("could not parse BGP PrefixSid attribute at {t}")));
        }
        let mut pair = Vec::new();
        loop {
            let v = w.next("')' closing the SRGB range")?;
            if v.is(")") {
                break;
            }
            if v.is(",") {
                continue;
            }
            pair.push(
                v.text
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n < 1 << 24)
                    .ok_or_else(|| w.error_at(v, "could not parse SRGB tuple"))?,
            );
        }
        match pair.as_slice() {
            [base, range] => srgb.push((*base, *range)),
            _ => return Err(w.error_at(t, "could not parse SRGB tuple")),
        }
    }
    if nested && !w.eat("]") {
        return Err(w.error_end("missing ']' closing the bgp-prefix-sid"));
    }
    Ok(RawAttribute {
        flags: prefix_sid::FLAGS,
        code: prefix_sid::CODE,
        value: prefix_sid::encode(index, &srgb),
    })
}

/// The family a route with these MPLS words belongs to: a route distinguisher makes a
/// unicast route MPLS VPN, labels alone make it labelled unicast, as ExaBGP decides.
pub fn family(family: Family, labels: Option<&[u32]>, rd: Option<RouteDistinguisher>) -> Family {
    let safi = match family.safi {
        Safi::UNICAST if rd.is_some() => Safi::MPLS_VPN,
        Safi::UNICAST if labels.is_some() => Safi::NLRI_MPLS,
        s => s,
    };
    Family {
        afi: family.afi,
        safi,
    }
}

/// The NLRI of one route of `family`; labelled and VPN families get a `Labelled` route.
/// Errors name what is missing (an MPLS VPN route needs its route distinguisher).
pub fn nlri(
    family: Family,
    prefix: Prefix,
    path_id: Option<u32>,
    labels: Option<&[u32]>,
    rd: Option<RouteDistinguisher>,
) -> Result<Nlri, String> {
    if !Labelled::applies(family) {
        if rd.is_some() || labels.is_some() {
            return Err(format!(
                "{family} routes take no label or route-distinguisher"
            ));
        }
        return Ok(Nlri::Inet {
            family,
            prefix,
            path_id,
        });
    }
    let rd = match (family.safi, rd) {
        (Safi::MPLS_VPN, None) => {
            return Err(format!("{family} route needs a route-distinguisher (rd)"))
        }
        (Safi::MPLS_VPN, rd) => rd,
        (_, Some(_)) => return Err(format!("{family} routes take no route-distinguisher")),
        (_, None) => None,
    };
    let labels = labels.map(<[u32]>::to_vec).unwrap_or_default();
    // The NLRI length octet counts labels, RD and prefix in bits.
    let bits = labels.len() * 24 + if rd.is_some() { 64 } else { 0 } + usize::from(prefix.len());
    if bits > 255 {
        return Err(format!(
            "{prefix}: {} labels do not fit the NLRI ({bits} bits, at most 255)",
            labels.len()
        ));
    }
    Ok(Nlri::Labelled(Box::new(Labelled {
        family,
        prefix,
        labels,
        rd,
        path_id,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lexer::tokenize;
    use std::path::Path;

    fn with<T>(s: &str, f: impl FnOnce(&mut Words<'_>) -> T) -> T {
        let toks = tokenize(s).unwrap();
        let mut w = Words::new(&toks, Path::new("t"));
        f(&mut w)
    }

    #[test]
    fn label_forms() {
        assert_eq!(with("1000", labels).unwrap(), [1000]);
        assert_eq!(with("[ 1 2 ]", labels).unwrap(), [1, 2]);
        assert!(with("1048576", labels).is_err());
        assert!(with("x", labels).is_err());
    }

    #[test]
    fn prefix_sid_forms_as_conf_prefix_sid_writes_them() {
        let a = with("[ 777 ]", prefix_sid).unwrap();
        assert_eq!((a.code, a.flags), (40, 0xC0));
        assert_eq!(a.value, prefix_sid::encode(777, &[]));
        let a = with("[ 300, [ ( 800000,4096 ), ( 1000000,5000 ) ] ]", prefix_sid).unwrap();
        assert_eq!(
            a.value,
            prefix_sid::encode(300, &[(800000, 4096), (1000000, 5000)])
        );
        assert!(with("777", prefix_sid).is_err());
        assert!(with("[ 1, [ ( 1 ) ] ]", prefix_sid).is_err());
        assert!(with("[ 1, [ ( 1,2 ) ]", prefix_sid).is_err());
        assert!(with("[ 1, [ ( 16777216,2 ) ] ]", prefix_sid).is_err());
    }

    fn labelled(n: &Nlri) -> &Labelled {
        match n {
            Nlri::Labelled(l) => l,
            other => panic!("not labelled: {other:?}"),
        }
    }

    #[test]
    fn api_forms_as_the_upstream_helpers_write_them() {
        use crate::api::command::{parse, Command};
        // api-attributes-vpn: singular `attribute`, RD and labels before `nlri`.
        let Some(Command::Announce { routes, .. }) = parse("announce attribute route-distinguisher 63333:100 label [ 110 ] next-hop 10.0.99.12 origin igp as-path [100, 500] local-preference 100 extended-community 0:0 originator-id 10.0.99.12 nlri 128.0.64.0/18 128.0.0.0/18").unwrap() else {
            panic!("not an announce")
        };
        assert_eq!(routes.len(), 2);
        let l = labelled(&routes[1].nlri);
        assert_eq!(
            (l.family, l.labels.as_slice(), l.rd.map(|r| r.to_string())),
            (
                Family::new(1, 128),
                &[110][..],
                Some("63333:100".to_string())
            )
        );
        // api-vpnv4: `route ... rd ... label ...`, and its withdrawal.
        for line in [
            "neighbor 127.0.0.1 announce route 1.4.0.0/16 rd 65000:1 next-hop 101.1.101.1 community 100:1 extended-community 0x0002FDE900000001 label 1000",
            "neighbor 127.0.0.1 withdraw route 1.4.0.0/16 rd 65000:1 label 1000",
            "announce ipv4 mpls-vpn 1.4.0.0/16 rd 65000:1 label 1000 next-hop 101.1.101.1",
        ] {
            let routes = match parse(line).unwrap() {
                Some(Command::Announce { routes, .. } | Command::Withdraw { routes, .. }) => routes,
                other => panic!("{line}: {other:?}"),
            };
            assert_eq!(labelled(&routes[0].nlri).labels, [1000], "{line}");
        }
        let Some(Command::Announce { routes, .. }) =
            parse("announce ipv6 nlri-mpls 2001:db8::/32 label [ 1 2 ] next-hop 2001:db8::1")
                .unwrap()
        else {
            panic!()
        };
        assert_eq!(routes[0].nlri.family(), Family::new(2, 4));
        assert!(parse("announce ipv4 mpls-vpn 1.4.0.0/16 label 1 next-hop 1.1.1.1").is_err());
    }

    #[test]
    fn family_and_nlri_follow_rd_and_labels() {
        let u = Family::IPV4_UNICAST;
        let rd: RouteDistinguisher = "1:1".parse().unwrap();
        assert_eq!(family(u, Some(&[1]), Some(rd)), Family::new(1, 128));
        assert_eq!(family(u, Some(&[1]), None), Family::new(1, 4));
        assert_eq!(
            family(Family::IPV6_UNICAST, None, None),
            Family::IPV6_UNICAST
        );
        let p: Prefix = "10.0.0.0/8".parse().unwrap();
        assert!(nlri(Family::new(1, 128), p, None, Some(&[1]), None).is_err());
        assert!(nlri(Family::new(1, 4), p, None, None, Some(rd)).is_err());
        assert!(nlri(u, p, None, Some(&[1]), None).is_err());
        let host: Prefix = "2001:db8::1/128".parse().unwrap();
        let v6 = Family::new(2, 128);
        assert!(nlri(v6, host, None, Some(&[1, 2]), Some(rd)).is_ok());
        assert!(nlri(v6, host, None, Some(&[1, 2, 3]), Some(rd)).is_err());
        let Ok(Nlri::Labelled(l)) = nlri(Family::new(1, 128), p, Some(3), Some(&[5]), Some(rd))
        else {
            panic!("not labelled")
        };
        assert_eq!((l.labels.as_slice(), l.path_id), (&[5][..], Some(3)));
    }
}
