//! Numbers, IPv4 addresses and prefixes written straight into the output, without going
//! through `fmt`: JSON for a full table is mostly these, and `write!` made up a quarter of
//! the time spent reporting received routes.

use std::net::Ipv4Addr;

use crate::bgp::Prefix;

pub fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in buf.get(at..).unwrap_or_default() {
        out.push(char::from(*d));
    }
}

pub fn push_u32(out: &mut String, n: u32) {
    push_u64(out, u64::from(n));
}

pub fn push_ipv4(out: &mut String, addr: Ipv4Addr) {
    for (i, octet) in addr.octets().into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_u64(out, u64::from(octet));
    }
}

/// `a.b.c.d/len`, or an IPv6 prefix as `Display` writes it.
pub fn push_prefix(out: &mut String, prefix: &Prefix) {
    match *prefix {
        Prefix::V4 { addr, len } => {
            push_ipv4(out, Ipv4Addr::from(addr));
            out.push('/');
            push_u64(out, u64::from(len));
        }
        Prefix::V6 { .. } => {
            use std::fmt::Write;
            let _ = write!(out, "{prefix}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_display_writes() {
        for n in [0u64, 7, 10, 99, 100, 65535, 4_294_967_295, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        for a in ["0.0.0.0", "10.0.255.1", "255.255.255.255", "192.0.2.33"] {
            let mut s = String::new();
            push_ipv4(&mut s, a.parse().unwrap());
            assert_eq!(s, a);
        }
        for p in [
            Prefix::V4 {
                addr: 0x0a00_0000,
                len: 8,
            },
            Prefix::V6 {
                addr: 0x2001_0db8 << 96,
                len: 32,
            },
        ] {
            let mut s = String::new();
            push_prefix(&mut s, &p);
            assert_eq!(s, p.to_string());
        }
    }
}
