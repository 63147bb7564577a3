//! Community values as ExaBGP writes them: COMMUNITY (RFC 1997), EXTENDED_COMMUNITY (RFC 4360,
//! typed forms `target:` `origin:` `redirect:` `l2info:` `bandwidth:` `mup:` or raw `0x` hex) and
//! LARGE_COMMUNITY (RFC 8092).

use super::words::parse_int;

/// One COMMUNITY value: `a:b`, a well-known name, a decimal or `0x` number.
pub fn community(s: &str) -> Result<u32, String> {
    if let Some((hi, lo)) = s.split_once(':') {
        let part = |p: &str| -> Result<u32, String> {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("invalid community {s}"));
            }
            match p.parse::<u32>() {
                Ok(n) if n <= 0xffff => Ok(n),
                _ => Err(format!("invalid community {s} (value too large)")),
            }
        };
        if !hi.is_empty() {
            return Ok((part(hi)? << 16) | part(lo)?);
        }
    }
    // RFC 1997 and RFC 7999 well-known values.
    let named = match s.to_ascii_lowercase().as_str() {
        "no-export" | "no_export" => Some(0xffff_ff01),
        "no-advertise" | "no_advertise" => Some(0xffff_ff02),
        "no-export-subconfed" => Some(0xffff_ff03),
        "nopeer" | "no-peer" => Some(0xffff_ff04),
        "blackhole" => Some(0xffff_029a),
        _ => None,
    };
    if let Some(v) = named {
        return Ok(v);
    }
    match parse_int(s) {
        Some(n) => u32::try_from(n).map_err(|_| format!("invalid community {s} (too large)")),
        None => Err(format!("invalid community name {s}")),
    }
}

/// One LARGE_COMMUNITY value `a:b:c`.
pub fn large_community(s: &str) -> Result<[u32; 3], String> {
    let parts: Vec<&str> = s.split(':').collect();
    if let [a, b, c] = parts.as_slice() {
        let n = |p: &str| {
            p.parse::<u32>()
                .map_err(|_| format!("invalid large-community {s}"))
        };
        return Ok([n(a)?, n(b)?, n(c)?]);
    }
    // A single number is split into three 32-bit words, as ExaBGP does.
    match parse_int(s) {
        Some(n) => Ok([0, (n >> 32) as u32, n as u32]),
        None => Err(format!("invalid large-community {s}")),
    }
}

/// A dotted-quad IPv4 address as a number, for `origin:1.2.3.4:5`.
fn dotted(s: &str) -> Option<u32> {
    s.parse::<std::net::Ipv4Addr>().ok().map(u32::from)
}

/// One EXTENDED_COMMUNITY value, 8 bytes.
pub fn extended_community(s: &str) -> Result<[u8; 8], String> {
    let bad = || format!("invalid extended-community {s}");
    if !s.contains(':') {
        if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            let bytes = super::route::hex_bytes(hex).ok_or_else(bad)?;
            return <[u8; 8]>::try_from(bytes.as_slice())
                .map_err(|_| format!("{} (need 8 bytes)", bad()));
        }
        if s == "redirect-to-nexthop" {
            // draft-simpson-idr-flowspec-redirect: type 0x08 subtype 0x00, value zero.
            return Ok([0x08, 0, 0, 0, 0, 0, 0, 0]);
        }
        return Err(bad());
    }
    let mut parts: Vec<&str> = s.split(':').collect();
    let kind = if parts.len() == 2 {
        "target"
    } else {
        parts.remove(0)
    };
    let first = parts.first().copied().unwrap_or("");
    // A trailing `L` forces the 4-byte-ASN layout (ExaBGP's "long" marker).
    let long = first.ends_with('L');
    let nums: Vec<u64> = parts
        .iter()
        .map(|p| {
            let digits = p.strip_suffix('L').unwrap_or(p);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                digits.parse::<u64>().ok()
            } else {
                dotted(p).map(u64::from)
            }
        })
        .collect::<Option<Vec<u64>>>()
        .ok_or_else(bad)?;
    let mut out = [0u8; 8];
    let fit = |v: u64, max: u64| {
        if v <= max {
            Ok(v)
        } else {
            Err(format!("{} (value {v} too large)", bad()))
        }
    };
    let two =
        |out: &mut [u8; 8], hdr: [u8; 2], a: u64, b: u64, a_len: usize| -> Result<(), String> {
            out[0] = hdr[0];
            out[1] = hdr[1];
            if a_len == 2 {
                out[2..4].copy_from_slice(&(fit(a, 0xffff)? as u16).to_be_bytes());
                out[4..8].copy_from_slice(&(fit(b, 0xffff_ffff)? as u32).to_be_bytes());
            } else {
                out[2..6].copy_from_slice(&(fit(a, 0xffff_ffff)? as u32).to_be_bytes());
                out[6..8].copy_from_slice(&(fit(b, 0xffff)? as u16).to_be_bytes());
            }
            Ok(())
        };
    match (kind, nums.as_slice()) {
        ("target" | "origin", [a, b]) => {
            let sub = if kind == "target" { 0x02 } else { 0x03 };
            // RFC 4360 §4/§5: 2-byte ASN (type 0x00) unless the global part needs 4 bytes or is an
            // address (type 0x01); ExaBGP uses 0x01 for 4-byte ASNs as well.
            if *a > 0xffff || first.contains('.') || long {
                two(&mut out, [0x01, sub], *a, *b, 4)?;
            } else {
                two(&mut out, [0x00, sub], *a, *b, 2)?;
            }
        }
        ("target4" | "origin4", [a, b]) => {
            let sub = if kind == "target4" { 0x02 } else { 0x03 };
            two(&mut out, [0x01, sub], *a, *b, 4)?;
        }
        // RFC 5575 traffic redirect (2-octet AS).
        ("redirect", [a, b]) => two(&mut out, [0x80, 0x08], *a, *b, 2)?,
        // draft-mup: type 0x0c subtype 0x00.
        ("mup", [a, b]) => two(&mut out, [0x0c, 0x00], *a, *b, 2)?,
        // RFC 4761 Layer2 Info: encaps, control flags, MTU, reserved.
        ("l2info", [a, b, c, d]) => {
            out[0] = 0x80;
            out[1] = 0x0a;
            out[2] = fit(*a, 0xff)? as u8;
            out[3] = fit(*b, 0xff)? as u8;
            out[4..6].copy_from_slice(&(fit(*c, 0xffff)? as u16).to_be_bytes());
            out[6..8].copy_from_slice(&(fit(*d, 0xffff)? as u16).to_be_bytes());
        }
        // Link bandwidth (draft-ietf-idr-link-bandwidth): ASN then an IEEE float in bytes/s.
        ("bandwidth", [a, b]) => {
            out[0] = 0x40;
            out[1] = 0x04;
            out[2..4].copy_from_slice(&(fit(*a, 0xffff)? as u16).to_be_bytes());
            out[4..8].copy_from_slice(&(fit(*b, 0xffff_ffff)? as f32).to_be_bytes());
        }
        (
            "target" | "origin" | "target4" | "origin4" | "redirect" | "mup" | "l2info"
            | "bandwidth",
            _,
        ) => return Err(format!("{} (wrong number of fields)", bad())),
        _ => return Err(format!("invalid extended-community type {kind}")),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communities() {
        assert_eq!(community("30740:30740"), Ok((30740 << 16) | 30740));
        assert_eq!(community("no-export"), Ok(0xffff_ff01));
        assert_eq!(community("0"), Ok(0));
        assert_eq!(community("0x10"), Ok(16));
        assert!(community("70000:1").is_err());
        assert!(community("bogus").is_err());
    }

    #[test]
    fn large_communities() {
        assert_eq!(large_community("1:2:3"), Ok([1, 2, 3]));
        assert!(large_community("1:2").is_err());
    }

    #[test]
    fn extended_communities_match_exabgp_bytes() {
        assert_eq!(
            extended_community("target:65000:99999").unwrap(),
            [0, 2, 0xfd, 0xe8, 0, 1, 0x86, 0x9f]
        );
        assert_eq!(
            extended_community("origin:2.3.4.5:6789").unwrap(),
            [1, 3, 2, 3, 4, 5, 0x1a, 0x85]
        );
        assert_eq!(
            extended_community("origin:2345:6.7.8.9").unwrap(),
            [0, 3, 0x09, 0x29, 6, 7, 8, 9]
        );
        assert_eq!(
            extended_community("target:120000L:123").unwrap(),
            [1, 2, 0, 1, 0xd4, 0xc0, 0, 123]
        );
        assert_eq!(
            extended_community("72:0.0.0.1").unwrap(),
            [0, 2, 0, 72, 0, 0, 0, 1]
        );
        assert_eq!(
            extended_community("l2info:19:0:1500:111").unwrap(),
            [0x80, 0x0a, 19, 0, 0x05, 0xdc, 0, 111]
        );
        assert_eq!(
            extended_community("redirect:65500:12345").unwrap(),
            [0x80, 8, 0xff, 0xdc, 0, 0, 0x30, 0x39]
        );
        assert_eq!(
            extended_community("0x0002fde800000001").unwrap(),
            [0, 2, 0xfd, 0xe8, 0, 0, 0, 1]
        );
        assert!(extended_community("0x0002").is_err());
        assert!(extended_community("bogus:1:2").is_err());
        assert!(extended_community("target:70000:70000").is_err());
    }
}
