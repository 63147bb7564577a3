//! A benchmark peer: accepts one BGP session, answers the OPEN with the speaker's own
//! capabilities, and counts the prefixes it is sent until it has the expected number (or an
//! IPv4 unicast End-of-RIB), then prints how long that took.
//!
//! Usage: `bgp-sink --port P --expect N [--ready FILE]`. Output, one line:
//! `prefixes=N updates=U first_to_last=SECS accepted_to_last=SECS`.
//!
//! With `--feed N` it is the other end instead: it sends a realistic table of N prefixes
//! (/11 to /24, AS paths of 3 to 6 four-byte ASNs, communities on 60% and MED on 30% of the
//! routes, about 4 prefixes per UPDATE), then End-of-RIB, and stays up until the speaker
//! closes. Output: `fed=N updates=U seconds=SECS`.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Instant;

const HEADER: usize = 19;

struct Args {
    port: u16,
    expect: u64,
    feed: Option<u64>,
    ready: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        port: 0,
        expect: u64::MAX,
        feed: None,
        ready: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--port" => args.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--expect" => args.expect = value()?.parse().map_err(|e| format!("--expect: {e}"))?,
            "--ready" => args.ready = Some(value()?),
            "--feed" => args.feed = Some(value()?.parse().map_err(|e| format!("--feed: {e}"))?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn read_message(stream: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<u8> {
    let mut header = [0u8; HEADER];
    stream.read_exact(&mut header)?;
    let len = usize::from(u16::from_be_bytes([header[16], header[17]]));
    if len < HEADER {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "bad length"));
    }
    buf.resize(len - HEADER, 0);
    stream.read_exact(buf)?;
    Ok(header[18])
}

fn message(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![0xff; 16];
    m.extend_from_slice(&((HEADER + body.len()) as u16).to_be_bytes());
    m.push(kind);
    m.extend_from_slice(body);
    m
}

/// Prefixes in an UPDATE body: withdrawn routes are skipped, NLRI counted (IPv4 unicast, or
/// MP_REACH for other families). Returns (count, is_end_of_rib).
fn count_prefixes(body: &[u8]) -> (u64, bool) {
    let get = |i: usize| body.get(i).copied().unwrap_or(0);
    let wlen = usize::from(u16::from_be_bytes([get(0), get(1)]));
    let alen_at = 2 + wlen;
    let alen = usize::from(u16::from_be_bytes([get(alen_at), get(alen_at + 1)]));
    let nlri_at = alen_at + 2 + alen;
    if body.len() == 4 {
        return (0, true);
    }
    let mut count = count_nlri(body.get(nlri_at..).unwrap_or(&[]));
    let mut i = alen_at + 2;
    while i < nlri_at {
        let flags = get(i);
        let code = get(i + 1);
        let (len, hdr) = if flags & 0x10 != 0 {
            (usize::from(u16::from_be_bytes([get(i + 2), get(i + 3)])), 4)
        } else {
            (usize::from(get(i + 2)), 3)
        };
        if code == 14 {
            let v = body.get(i + hdr..i + hdr + len).unwrap_or(&[]);
            let nh_len = usize::from(v.get(3).copied().unwrap_or(0));
            count += count_nlri(v.get(4 + nh_len + 1..).unwrap_or(&[]));
        }
        if code == 15 && len == 3 && alen == 6 {
            return (0, true);
        }
        i += hdr + len;
    }
    (count, false)
}

fn count_nlri(mut nlri: &[u8]) -> u64 {
    let mut n = 0;
    while let Some(&bits) = nlri.first() {
        let skip = 1 + usize::from(bits).div_ceil(8);
        nlri = nlri.get(skip..).unwrap_or(&[]);
        n += 1;
    }
    n
}

fn serve(
    mut stream: TcpStream,
    accepted: Instant,
    expect: u64,
    feed: Option<u64>,
) -> io::Result<()> {
    let mut body = Vec::with_capacity(65536);
    let kind = read_message(&mut stream, &mut body)?;
    if kind != 1 || body.len() < 9 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "first message is not an OPEN",
        ));
    }
    // Same capabilities and AS as the speaker (iBGP), router id + 1.
    body[8] = body[8].wrapping_add(1);
    stream.write_all(&message(1, &body))?;
    stream.write_all(&message(4, &[]))?;
    if let Some(n) = feed {
        let mut writer = stream.try_clone()?;
        std::thread::spawn(move || {
            let start = Instant::now();
            match send_table(&mut writer, n) {
                Ok(updates) => println!(
                    "fed={n} updates={updates} seconds={:.3}",
                    start.elapsed().as_secs_f64()
                ),
                Err(e) => eprintln!("bgp-sink: feeding failed: {e}"),
            }
        });
        // Answer keepalives until the speaker goes away.
        let mut reader = io::BufReader::new(stream.try_clone()?);
        while let Ok(kind) = read_message(&mut reader, &mut body) {
            if kind == 4 {
                stream.write_all(&message(4, &[]))?;
            }
        }
        return Ok(());
    }
    let mut reader = io::BufReader::with_capacity(1 << 20, stream.try_clone()?);
    let (mut prefixes, mut updates) = (0u64, 0u64);
    let mut first: Option<Instant> = None;
    loop {
        let kind = read_message(&mut reader, &mut body)?;
        match kind {
            2 => {
                first.get_or_insert_with(Instant::now);
                updates += 1;
                let (n, eor) = count_prefixes(&body);
                prefixes += n;
                if prefixes >= expect || (eor && expect == u64::MAX) {
                    break;
                }
            }
            4 => stream.write_all(&message(4, &[]))?,
            3 => {
                return Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "NOTIFICATION received",
                ))
            }
            _ => {}
        }
    }
    let end = Instant::now();
    let since_first = first.map_or(0.0, |f| (end - f).as_secs_f64());
    println!(
        "prefixes={prefixes} updates={updates} first_to_last={since_first:.3} accepted_to_last={:.3}",
        (end - accepted).as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bgp-sink: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("bgp-sink: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &args.ready {
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
        if let Err(e) = std::fs::write(path, port.to_string()) {
            eprintln!("bgp-sink: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    let (stream, _) = match listener.accept() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bgp-sink: accept failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    match serve(stream, Instant::now(), args.expect, args.feed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bgp-sink: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A deterministic pseudo-random sequence (64-bit LCG), so every run feeds the same table.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

/// Send `n` prefixes in UPDATEs of about 4 prefixes each, then End-of-RIB.
fn send_table(w: &mut TcpStream, n: u64) -> io::Result<u64> {
    let mut rng = Lcg(42);
    let mut out = io::BufWriter::with_capacity(1 << 20, w);
    let (mut sent, mut updates, mut serial) = (0u64, 0u64, 0u32);
    while sent < n {
        let mut attrs = vec![0x40, 1, 1, 0];
        let hops = 3 + rng.next() % 4;
        attrs.extend_from_slice(&[0x40, 2, (2 + 4 * hops) as u8, 2, hops as u8]);
        for _ in 0..hops {
            attrs.extend_from_slice(&(64512 + rng.next() % 60000).to_be_bytes());
        }
        attrs.extend_from_slice(&[0x40, 3, 4, 192, 0, 2, 1]);
        if rng.next() % 10 < 3 {
            attrs.extend_from_slice(&[0x80, 4, 4]);
            attrs.extend_from_slice(&(rng.next() % 1000).to_be_bytes());
        }
        attrs.extend_from_slice(&[0x40, 5, 4, 0, 0, 0, 100]);
        if rng.next() % 10 < 6 {
            attrs.extend_from_slice(&[0xC0, 8, 8]);
            attrs.extend_from_slice(&((65000u32 << 16) | (rng.next() % 1000)).to_be_bytes());
            attrs.extend_from_slice(&((65001u32 << 16) | (rng.next() % 1000)).to_be_bytes());
        }
        let mut nlri = Vec::new();
        for _ in 0..4 {
            if sent >= n {
                break;
            }
            // Distinct prefixes: a serial number spread over the address space, length 11..=24.
            let len = 11 + (rng.next() % 14) as u8;
            let addr = (serial.wrapping_mul(2654435761) | 0x0100_0000)
                & (u32::MAX << (32 - u32::from(len)));
            serial += 1;
            nlri.push(len);
            nlri.extend_from_slice(&addr.to_be_bytes()[..usize::from(len).div_ceil(8)]);
            sent += 1;
        }
        let mut body = vec![0, 0];
        body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
        body.extend_from_slice(&attrs);
        body.extend_from_slice(&nlri);
        out.write_all(&message(2, &body))?;
        updates += 1;
    }
    out.write_all(&message(2, &[0, 0, 0, 0]))?;
    out.flush()?;
    Ok(updates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_native_nlri_and_spots_end_of_rib() {
        // Two /24s with ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF.
        let body = [
            0, 0, 0, 0x15, 0x40, 1, 1, 0, 0x40, 2, 0, 0x40, 3, 4, 10, 0, 255, 254, 0x40, 5, 4, 0,
            0, 0, 100, 24, 10, 0, 4, 24, 10, 0, 5,
        ];
        assert_eq!(count_prefixes(&body), (2, false));
        assert_eq!(count_prefixes(&[0, 0, 0, 0]), (0, true));
    }
}
