//! A benchmark peer: accepts one BGP session, answers the OPEN with the speaker's own
//! capabilities, and counts the prefixes it is sent until it has the expected number (or an
//! IPv4 unicast End-of-RIB), then prints how long that took.
//!
//! Usage: `bgp-sink --port P --expect N [--ready FILE]`. Output, one line:
//! `prefixes=N updates=U first_to_last=SECS accepted_to_last=SECS last_at=UNIX_SECS`.
//!
//! With `--feed N` it is the other end instead: it sends a realistic table of N prefixes
//! (/11 to /24, AS paths of 3 to 6 four-byte ASNs, communities on 60% and MED on 30% of the
//! routes, about 4 prefixes per UPDATE), then End-of-RIB, and stays up until the speaker
//! closes. Output: `fed=N updates=U seconds=SECS`.
//!
//! `--watch SECS` keeps the session SECS longer once the table is through and then prints
//! `keepalives=K max_gap=SECS` for the KEEPALIVEs the speaker sent from the start of the
//! session: with hold time H no gap may reach H (the speaker keeps its timers while busy).

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HEADER: usize = 19;

struct Args {
    port: u16,
    expect: u64,
    feed: Option<u64>,
    ready: Option<String>,
    watch: Option<f64>,
}

/// Gaps between the speaker's KEEPALIVEs.
struct Keepalives {
    last: Instant,
    count: u64,
    max_gap: f64,
}

impl Keepalives {
    fn new() -> Keepalives {
        Keepalives {
            last: Instant::now(),
            count: 0,
            max_gap: 0.0,
        }
    }

    fn seen(&mut self) {
        let now = Instant::now();
        self.max_gap = self.max_gap.max((now - self.last).as_secs_f64());
        self.last = now;
        self.count += 1;
    }

    fn report(&self) {
        println!("keepalives={} max_gap={:.3}", self.count, self.max_gap);
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        port: 0,
        expect: u64::MAX,
        feed: None,
        ready: None,
        watch: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--port" => args.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--expect" => args.expect = value()?.parse().map_err(|e| format!("--expect: {e}"))?,
            "--ready" => args.ready = Some(value()?),
            "--watch" => args.watch = Some(value()?.parse().map_err(|e| format!("--watch: {e}"))?),
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

fn serve(stream: TcpStream, accepted: Instant, args: &Args) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut body = Vec::with_capacity(65536);
    let mut reader = io::BufReader::with_capacity(1 << 20, stream.try_clone()?);
    let kind = read_message(&mut reader, &mut body)?;
    if kind != 1 || body.len() < 9 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "first message is not an OPEN",
        ));
    }
    // Same capabilities, AS and hold time as the speaker (iBGP), router id + 1.
    body[8] = body[8].wrapping_add(1);
    let writer = Arc::new(Mutex::new(stream));
    let send = |bytes: &[u8]| -> io::Result<()> {
        let mut w = writer
            .lock()
            .map_err(|_| io::Error::other("writer poisoned"))?;
        w.write_all(bytes)
    };
    send(&message(1, &body))?;
    send(&message(4, &[]))?;
    let mut keepalives = Keepalives::new();
    let watch = args.watch.map(Duration::from_secs_f64);
    if let Some(n) = args.feed {
        let done = Arc::new(AtomicBool::new(false));
        let feeder = {
            let (writer, done) = (writer.clone(), done.clone());
            std::thread::spawn(move || {
                let start = Instant::now();
                match send_table(&writer, n) {
                    Ok(updates) => println!(
                        "fed={n} updates={updates} seconds={:.3}",
                        start.elapsed().as_secs_f64()
                    ),
                    Err(e) => eprintln!("bgp-sink: feeding failed: {e}"),
                }
                done.store(true, Ordering::SeqCst);
            })
        };
        // Answer keepalives until the speaker goes away (or the watch is over).
        reader
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(200)))?;
        let mut until: Option<Instant> = None;
        loop {
            if let (None, Some(w)) = (until, watch) {
                if done.load(Ordering::SeqCst) {
                    until = Some(Instant::now() + w);
                }
            }
            if until.is_some_and(|u| Instant::now() >= u) {
                break;
            }
            match answer_one(&mut reader, &mut body, &mut keepalives, &send) {
                Ok(()) => {}
                Err(_) if watch.is_none() => break,
                Err(e) => return Err(e),
            }
        }
        if watch.is_some() {
            keepalives.report();
        }
        drop(feeder);
        return Ok(());
    }
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
                if prefixes >= args.expect || (eor && args.expect == u64::MAX) {
                    break;
                }
            }
            4 => {
                keepalives.seen();
                send(&message(4, &[]))?;
            }
            3 => return Err(notification_error()),
            _ => {}
        }
    }
    let end = Instant::now();
    let since_first = first.map_or(0.0, |f| (end - f).as_secs_f64());
    // The wall-clock time of the last route, for a bench that started the speaker itself.
    let last_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    println!(
        "prefixes={prefixes} updates={updates} first_to_last={since_first:.3} accepted_to_last={:.3} last_at={last_at:.6}",
        (end - accepted).as_secs_f64()
    );
    if let Some(w) = watch {
        let until = end + w;
        reader
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(200)))?;
        while Instant::now() < until {
            answer_one(&mut reader, &mut body, &mut keepalives, &send)?;
        }
        keepalives.report();
    }
    Ok(())
}

/// Read one message, or time out: answer a KEEPALIVE, fail on a NOTIFICATION.
fn answer_one(
    reader: &mut impl Read,
    body: &mut Vec<u8>,
    keepalives: &mut Keepalives,
    send: &dyn Fn(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    match read_message(reader, body) {
        Ok(4) => {
            keepalives.seen();
            send(&message(4, &[]))
        }
        Ok(3) => Err(notification_error()),
        Ok(_) => Ok(()),
        Err(e) if timed_out(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

fn notification_error() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "NOTIFICATION received")
}

fn timed_out(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
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
    match serve(stream, Instant::now(), &args) {
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
fn send_table(w: &Mutex<TcpStream>, n: u64) -> io::Result<u64> {
    let mut rng = Lcg(42);
    // Written in chunks under the lock, so KEEPALIVE answers go between whole messages.
    let mut out: Vec<u8> = Vec::with_capacity(1 << 18);
    let flush = |out: &mut Vec<u8>| -> io::Result<()> {
        let mut s = w.lock().map_err(|_| io::Error::other("writer poisoned"))?;
        s.write_all(out)?;
        out.clear();
        Ok(())
    };
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
        out.extend_from_slice(&message(2, &body));
        if out.len() >= 1 << 18 {
            flush(&mut out)?;
        }
        updates += 1;
    }
    out.extend_from_slice(&message(2, &[0, 0, 0, 0]));
    flush(&mut out)?;
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
