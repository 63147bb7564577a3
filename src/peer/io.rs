//! Socket threads of one BGP session: an outgoing connect, a blocking reader that frames
//! messages, and a writer fed by a bounded channel so the reactor never blocks on a slow peer.

use std::io::{self, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use socket2::{Domain, Protocol, Socket, Type};

use crate::bgp::message::{parse_header, HEADER_LEN, MAX_LEN};
use crate::bgp::DecodeError;
use crate::peer::sockopt;

/// TCP connect timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the reader keeps draining a closed session for the peer's end of stream.
const LINGER: Duration = Duration::from_secs(3);

/// Identifies one connection of one neighbor: events from an older connection are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SessionKey {
    pub neighbor: usize,
    pub generation: u64,
}

/// One message as read from the socket: its type and body (header stripped).
#[derive(Debug)]
pub struct Frame {
    pub kind: u8,
    pub body: Vec<u8>,
}

/// Why a reader stopped.
#[derive(Debug)]
pub enum ReadEnd {
    /// The peer closed the connection.
    Eof,
    Io(io::Error),
    /// A header was malformed: the NOTIFICATION to send.
    Malformed(DecodeError),
}

#[derive(Debug)]
pub enum SessionEvent {
    Connected {
        key: SessionKey,
        stream: TcpStream,
    },
    ConnectFailed {
        key: SessionKey,
        error: io::Error,
    },
    Frames {
        key: SessionKey,
        frames: Vec<Frame>,
    },
    Closed {
        key: SessionKey,
        end: ReadEnd,
    },
    /// The writer emptied its queue: the reactor may queue more UPDATEs.
    Drained {
        key: SessionKey,
    },
}

/// What the reactor sends to a writer thread.
#[derive(Debug)]
pub enum Outgoing {
    Bytes(Vec<u8>),
    /// Write what is queued, then shut the socket down (both ways), ending the reader too.
    Close,
}

/// Per-neighbor socket settings: TCP MD5 key, TTL we send with, minimum TTL we accept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SocketOptions {
    pub md5: Option<Vec<u8>>,
    pub ttl: Option<u8>,
    pub min_ttl: Option<u8>,
}

impl SocketOptions {
    /// Apply to a socket that talks to `peer`.
    pub fn apply(&self, socket: &Socket, peer: IpAddr) -> io::Result<()> {
        if let Some(key) = &self.md5 {
            sockopt::set_md5(socket, peer, key)?;
        }
        if let Some(ttl) = self.ttl {
            if peer.is_ipv4() {
                socket.set_ttl(u32::from(ttl))?;
            } else {
                socket.set_unicast_hops_v6(u32::from(ttl))?;
            }
        }
        if let Some(min) = self.min_ttl {
            sockopt::set_min_ttl(socket, peer.is_ipv6(), min)?;
        }
        Ok(())
    }
}

/// Connect from `local` (if any) to `remote` in a thread; the result comes back as an event.
pub fn spawn_connect(
    key: SessionKey,
    local: Option<SocketAddr>,
    remote: SocketAddr,
    options: SocketOptions,
    events: Sender<SessionEvent>,
) -> io::Result<()> {
    thread::Builder::new()
        .name(format!("connect {}", remote.ip()))
        .spawn(move || {
            let ev = match connect(local, remote, &options) {
                Ok(stream) => SessionEvent::Connected { key, stream },
                Err(error) => SessionEvent::ConnectFailed { key, error },
            };
            let _ = events.send(ev);
        })?;
    Ok(())
}

fn connect(
    local: Option<SocketAddr>,
    remote: SocketAddr,
    options: &SocketOptions,
) -> io::Result<TcpStream> {
    let socket = Socket::new(
        Domain::for_address(remote),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    options.apply(&socket, remote.ip())?;
    if let Some(local) = local {
        socket.bind(&SocketAddr::new(local.ip(), 0).into())?;
    }
    socket.connect_timeout(&remote.into(), CONNECT_TIMEOUT)?;
    let stream: TcpStream = socket.into();
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// Start the reader and writer threads of an established TCP connection. `max_len` is the
/// largest message the reader accepts (raised after RFC 8654 negotiation). Returns the
/// reader and writer threads: after `Outgoing::Close` both end once what was queued is written
/// and the peer has closed its side (or a few seconds passed).
pub fn spawn_session(
    key: SessionKey,
    stream: &TcpStream,
    max_len: Arc<AtomicUsize>,
    events: Sender<SessionEvent>,
    outgoing: Receiver<Outgoing>,
) -> io::Result<[thread::JoinHandle<()>; 2]> {
    let name = stream
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let reader = stream.try_clone()?;
    let writer = stream.try_clone()?;
    let tx = events.clone();
    let read = thread::Builder::new()
        .name(format!("peer {name}"))
        .spawn(move || read_loop(key, reader, max_len, tx))?;
    let write = thread::Builder::new()
        .name(format!("write {name}"))
        .spawn(move || write_loop(key, writer, outgoing, events))?;
    Ok([read, write])
}

fn read_loop(
    key: SessionKey,
    stream: TcpStream,
    max_len: Arc<AtomicUsize>,
    tx: Sender<SessionEvent>,
) {
    let mut rd = BufReader::with_capacity(1 << 16, stream);
    let end = loop {
        let mut frames = Vec::new();
        // One event per socket read, not per message: drain what the buffer already holds.
        let end = loop {
            match read_frame(&mut rd, max_len.load(Ordering::Relaxed)) {
                Ok(frame) => frames.push(frame),
                Err(end) => break Some(end),
            }
            if !whole_frame_buffered(rd.buffer()) || frames.len() >= 1024 {
                break None;
            }
        };
        if !frames.is_empty() && tx.send(SessionEvent::Frames { key, frames }).is_err() {
            return;
        }
        if let Some(end) = end {
            break end;
        }
    };
    let _ = tx.send(SessionEvent::Closed { key, end });
}

/// True when `buf` starts with a complete message, so reading it cannot block.
fn whole_frame_buffered(buf: &[u8]) -> bool {
    match (buf.get(16), buf.get(17)) {
        (Some(&hi), Some(&lo)) => {
            buf.len() >= usize::from(u16::from_be_bytes([hi, lo])).max(HEADER_LEN)
        }
        _ => false,
    }
}

fn read_frame(rd: &mut impl Read, max_len: usize) -> Result<Frame, ReadEnd> {
    let mut header = [0u8; HEADER_LEN];
    if let Err(e) = rd.read_exact(&mut header) {
        return Err(match e.kind() {
            io::ErrorKind::UnexpectedEof => ReadEnd::Eof,
            _ => ReadEnd::Io(e),
        });
    }
    let (len, kind) = parse_header(&header, max_len.max(MAX_LEN)).map_err(ReadEnd::Malformed)?;
    let mut body = vec![0u8; len.saturating_sub(HEADER_LEN)];
    rd.read_exact(&mut body).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => ReadEnd::Eof,
        _ => ReadEnd::Io(e),
    })?;
    Ok(Frame { kind, body })
}

fn write_loop(
    key: SessionKey,
    mut stream: TcpStream,
    rx: Receiver<Outgoing>,
    tx: Sender<SessionEvent>,
) {
    for out in rx.iter() {
        match out {
            Outgoing::Bytes(bytes) => {
                if stream.write_all(&bytes).is_err() {
                    let _ = stream.shutdown(Shutdown::Both);
                    return;
                }
                if rx.is_empty() && tx.send(SessionEvent::Drained { key }).is_err() {
                    return;
                }
            }
            Outgoing::Close => break,
        }
    }
    // Half-close: the peer reads everything we wrote (a NOTIFICATION last) before it sees the
    // end; closing with its bytes unread would reset the connection and could lose ours.
    let _ = stream.flush();
    let _ = stream.set_read_timeout(Some(LINGER));
    let _ = stream.shutdown(Shutdown::Write);
}
