//! Socket options std and socket2 do not offer: TCP MD5 signatures (RFC 2385) and the
//! minimum TTL / hop limit of GTSM (RFC 5082).

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsRawFd;

const TCP_MD5SIG_MAXKEYLEN: usize = 80;

/// The kernel's `struct tcp_md5sig` (linux/tcp.h).
#[repr(C)]
struct TcpMd5Sig {
    addr: libc::sockaddr_storage,
    flags: u8,
    prefixlen: u8,
    keylen: u16,
    ifindex: libc::c_int,
    key: [u8; TCP_MD5SIG_MAXKEYLEN],
}

#[derive(Debug)]
pub struct KeyTooLong;

/// Sign (and require signatures on) segments to and from `peer` with `key`.
pub fn set_md5(sock: &impl AsRawFd, peer: IpAddr, key: &[u8]) -> io::Result<()> {
    if key.len() > TCP_MD5SIG_MAXKEYLEN {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "TCP MD5 key longer than 80 bytes",
        ));
    }
    // SAFETY: sockaddr_storage is plain data for which all-zero bytes are a valid value.
    let mut sig: TcpMd5Sig = unsafe { std::mem::zeroed() };
    let addr = socket2::SockAddr::from(SocketAddr::new(peer, 0));
    let len = (addr.len() as usize).min(std::mem::size_of::<libc::sockaddr_storage>());
    // SAFETY: both regions are at least `len` bytes long and do not overlap.
    unsafe {
        std::ptr::copy_nonoverlapping(
            addr.as_ptr().cast::<u8>(),
            (&mut sig.addr as *mut libc::sockaddr_storage).cast::<u8>(),
            len,
        );
    }
    sig.keylen = key.len() as u16;
    if let Some(dst) = sig.key.get_mut(..key.len()) {
        dst.copy_from_slice(key);
    }
    setsockopt(sock, libc::IPPROTO_TCP, libc::TCP_MD5SIG, &sig)
}

/// Refuse segments that arrive with a TTL (hop limit) below `ttl` (GTSM, RFC 5082).
pub fn set_min_ttl(sock: &impl AsRawFd, ipv6: bool, ttl: u8) -> io::Result<()> {
    let value = libc::c_int::from(ttl);
    if ipv6 {
        setsockopt(sock, libc::IPPROTO_IPV6, libc::IPV6_MINHOPCOUNT, &value)
    } else {
        setsockopt(sock, libc::IPPROTO_IP, libc::IP_MINTTL, &value)
    }
}

fn setsockopt<T>(
    sock: &impl AsRawFd,
    level: libc::c_int,
    name: libc::c_int,
    value: &T,
) -> io::Result<()> {
    // SAFETY: `value` points to a live, initialised T and its exact size is passed.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            level,
            name,
            (value as *const T).cast::<libc::c_void>(),
            std::mem::size_of::<T>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The key bytes of `md5-password`: base64-decoded when `md5-base64 true` (or, for `auto`,
/// when the text is valid base64), the text itself otherwise.
pub fn md5_key(password: &str, base64: Option<bool>) -> Result<Vec<u8>, String> {
    match base64 {
        Some(true) => decode_base64(password)
            .ok_or_else(|| format!("md5-password is not valid base64: {password}")),
        Some(false) => Ok(password.as_bytes().to_vec()),
        None => Ok(password.as_bytes().to_vec()),
    }
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_keys_decode_and_plain_keys_stay() {
        assert_eq!(md5_key("c2VjcmV0", Some(true)).unwrap(), b"secret");
        assert_eq!(md5_key("secret", None).unwrap(), b"secret");
        assert!(md5_key("not base64!", Some(true)).is_err());
    }

    #[test]
    fn md5_and_min_ttl_are_accepted_by_the_kernel() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        set_md5(&l, "127.0.0.2".parse().unwrap(), b"secret").unwrap();
        set_min_ttl(&l, false, 254).unwrap();
        assert!(set_md5(&l, "127.0.0.2".parse().unwrap(), &[0u8; 81]).is_err());
    }
}
