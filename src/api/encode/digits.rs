//! Numbers, IPv4 addresses and prefixes written straight into the output, without going
//! through `fmt`: JSON for a full table is mostly these, and `write!` made up a quarter of
//! the time spent reporting received routes.

use std::net::Ipv4Addr;

use crate::bgp::Prefix;

/// Append the decimal digits of `n` to `buf` (the ASCII bytes of a string being built).
fn digits(buf: &mut [u8; 24], at: &mut usize, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        if let Some(d) = tmp.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in tmp.get(i..).unwrap_or_default() {
        if let Some(slot) = buf.get_mut(*at) {
            *slot = *d;
            *at += 1;
        }
    }
}

/// Push the first `len` bytes of `buf`, which only ever holds ASCII digits, dots and a slash.
fn push_ascii(out: &mut String, buf: &[u8], len: usize) {
    if let Some(Ok(text)) = buf.get(..len).map(std::str::from_utf8) {
        out.push_str(text);
    }
}

pub fn push_u64(out: &mut String, n: u64) {
    let (mut buf, mut at) = ([0u8; 24], 0);
    digits(&mut buf, &mut at, n);
    push_ascii(out, &buf, at);
}

pub fn push_u32(out: &mut String, n: u32) {
    push_u64(out, u64::from(n));
}

/// `a.b.c.d`, then `/len` when given.
fn push_dotted(out: &mut String, addr: Ipv4Addr, len: Option<u8>) {
    let (mut buf, mut at) = ([0u8; 24], 0);
    for (i, octet) in addr.octets().into_iter().enumerate() {
        if i > 0 {
            if let Some(slot) = buf.get_mut(at) {
                *slot = b'.';
                at += 1;
            }
        }
        digits(&mut buf, &mut at, u64::from(octet));
    }
    if let Some(len) = len {
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'/';
            at += 1;
        }
        digits(&mut buf, &mut at, u64::from(len));
    }
    push_ascii(out, &buf, at);
}

pub fn push_ipv4(out: &mut String, addr: Ipv4Addr) {
    push_dotted(out, addr, None);
}

/// `a.b.c.d/len`, or an IPv6 prefix as `Display` writes it.
pub fn push_prefix(out: &mut String, prefix: &Prefix) {
    match *prefix {
        Prefix::V4 { addr, len } => push_dotted(out, Ipv4Addr::from(addr), Some(len)),
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
