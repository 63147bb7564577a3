//! The accept thread: every listening socket in one `polling` loop; accepted connections go
//! to the reactor as channel messages, and a notify wakes the loop to stop.

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use crossbeam_channel::Sender;
use polling::{Event, Events, Poller};
use socket2::{Domain, Protocol, Socket, Type};

#[derive(Debug)]
pub struct Incoming {
    pub stream: TcpStream,
    pub remote: SocketAddr,
}

pub struct Listener {
    poller: Arc<Poller>,
    stop: Arc<AtomicBool>,
    pub addresses: Vec<SocketAddr>,
}

impl Listener {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.poller.notify();
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop();
    }
}

fn bind(addr: SocketAddr, md5: &[(IpAddr, Vec<u8>)]) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    // A listener only completes handshakes signed with the key set for the connecting peer.
    for (peer, key) in md5.iter().filter(|(p, _)| p.is_ipv4() == addr.is_ipv4()) {
        crate::peer::sockopt::set_md5(&socket, *peer, key)?;
    }
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    let listener: TcpListener = socket.into();
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Bind every address (with the TCP MD5 keys of the peers that may connect) and start the
/// accept thread.
pub fn spawn(
    addrs: &[SocketAddr],
    md5: &[(IpAddr, Vec<u8>)],
    tx: Sender<Incoming>,
) -> io::Result<Listener> {
    let mut listeners = Vec::new();
    for addr in addrs {
        let l = bind(*addr, md5)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
        listeners.push(l);
    }
    let addresses = listeners
        .iter()
        .filter_map(|l| l.local_addr().ok())
        .collect();
    let poller = Arc::new(Poller::new()?);
    for (key, l) in listeners.iter().enumerate() {
        // SAFETY: each listener stays alive in `listeners`, owned by the thread below, until
        // the poller is dropped with it.
        unsafe { poller.add(l, Event::readable(key))? };
    }
    let stop = Arc::new(AtomicBool::new(false));
    let (p, s) = (poller.clone(), stop.clone());
    thread::Builder::new()
        .name("listener".into())
        .spawn(move || accept_loop(&p, &s, &listeners, &tx))?;
    Ok(Listener {
        poller,
        stop,
        addresses,
    })
}

fn accept_loop(
    poller: &Poller,
    stop: &AtomicBool,
    listeners: &[TcpListener],
    tx: &Sender<Incoming>,
) {
    let mut events = Events::new();
    while !stop.load(Ordering::Relaxed) {
        events.clear();
        if poller.wait(&mut events, None).is_err() {
            continue;
        }
        for ev in events.iter() {
            let Some(l) = listeners.get(ev.key) else {
                continue;
            };
            while let Ok((stream, remote)) = l.accept() {
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_nodelay(true);
                if tx.send(Incoming { stream, remote }).is_err() {
                    return;
                }
            }
            let _ = poller.modify(l, Event::readable(ev.key));
        }
    }
    for l in listeners {
        let _ = poller.delete(l);
    }
}
