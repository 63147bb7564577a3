//! One accepted connection (suite README §4.1-4.2): frame messages, answer the OPEN, send
//! a KEEPALIVE before checking each later message, and carry out the checker's actions.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};

use crossbeam_channel::Sender;

use crate::checker::{Action, Checker, Verdict};
use crate::msgfile::Options;
use crate::signal::PidSource;
use crate::wire;

/// How the whole run ended; the main thread prints it and exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure(String),
}

pub struct Shared {
    pub checker: Mutex<Checker>,
    pub options: Options,
    /// Record mode: every message is accepted and nothing is ever decided.
    pub sink: bool,
    pub pid: PidSource,
    pub outcome: Sender<Outcome>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Checker> {
        // A panicked connection thread must not wedge the others: the state stays usable.
        self.checker
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Prints a line at once (the runner shows the last lines of a failing peer).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
        let _ = out.flush();
    }};
}
pub(crate) use say;

/// Reads one message: 19-byte header, then length-19 bytes. Lengths below 19 read no body.
fn read_message(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut msg = vec![0u8; wire::HEADER_LEN];
    stream.read_exact(&mut msg)?;
    let length = match (msg.get(16), msg.get(17)) {
        (Some(&hi), Some(&lo)) => usize::from(u16::from_be_bytes([hi, lo])),
        _ => wire::HEADER_LEN,
    };
    let body = length.saturating_sub(wire::HEADER_LEN);
    msg.resize(wire::HEADER_LEN + body, 0);
    if let Some(rest) = msg.get_mut(wire::HEADER_LEN..) {
        stream.read_exact(rest)?;
    }
    Ok(msg)
}

/// Why a connection stopped without deciding the run.
enum Stop {
    Io(io::Error),
    Decided,
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

pub fn handle(id: usize, mut stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    match run(id, &mut stream, &shared) {
        Ok(()) | Err(Stop::Decided) => {}
        Err(Stop::Io(e)) if e.kind() == ErrorKind::UnexpectedEof => {
            // A closed connection never ends the test: the daemon may reconnect.
            say!("[{id}] connection closed by the daemon");
        }
        Err(Stop::Io(e)) if e.kind() == ErrorKind::ConnectionReset && shared.lock().done() => {
            say!("[{id}] connection reset after the last rule");
            let _ = shared.outcome.send(Outcome::Success);
        }
        Err(Stop::Io(e)) => say!("[{id}] connection ended: {e}"),
    }
}

/// Sends and logs. A failed write is only reported: the daemon may have closed its side
/// right after its last message (e.g. a NOTIFICATION), and that message must still be
/// checked; a dead socket shows up at the next read anyway.
fn send(id: usize, stream: &mut TcpStream, what: &str, msg: &[u8]) {
    say!("[{id}] send {what} {}", wire::to_hex(msg));
    if let Err(e) = stream.write_all(msg) {
        say!("[{id}] send failed: {e}");
    }
}

fn run(id: usize, stream: &mut TcpStream, shared: &Shared) -> Result<(), Stop> {
    if let Some(note) = shared.lock().on_connect() {
        say!("[{id}] {note}");
    }
    let open = read_message(stream)?;
    say!("[{id}] recv open {}", wire::to_hex(&open));
    let options = &shared.options;
    let reply = match wire::open_reply(&open, options.asn, options.send_unknown_capability) {
        Ok(reply) => reply,
        Err(e) => return decide(shared, Verdict::Failure(e.to_string())),
    };
    send(id, stream, "open", &reply);
    send(id, stream, "keepalive", &wire::keepalive());
    if options.send_unknown_message {
        send(id, stream, "unknown-message", &wire::unknown_message());
    }
    if shared.sink {
        loop {
            let msg = read_message(stream)?;
            say!("[{id}] recv {}", wire::to_hex(&msg));
            send(id, stream, "keepalive", &wire::keepalive());
        }
    }
    if options.inspect_open {
        let (verdict, actions) = shared.lock().check(&open);
        perform(id, stream, shared, actions)?;
        report(id, shared, verdict)?;
    } else {
        // The OPEN is not checked, but a leading signal/notification group runs now.
        let actions = shared.lock().actions(&open);
        perform(id, stream, shared, actions)?;
        if options.send_default_route {
            send(id, stream, "default-route", &wire::default_route());
        }
    }
    loop {
        let msg = read_message(stream)?;
        say!("[{id}] recv {}", wire::to_hex(&msg));
        send(id, stream, "keepalive", &wire::keepalive());
        let (verdict, actions) = shared.lock().check(&msg);
        perform(id, stream, shared, actions)?;
        report(id, shared, verdict)?;
    }
}

fn perform(
    id: usize,
    stream: &mut TcpStream,
    shared: &Shared,
    actions: Vec<Action>,
) -> Result<(), Stop> {
    for action in actions {
        match action {
            Action::Send(msg) => send(id, stream, "action", &msg),
            Action::Signal(name) => match shared.pid.send(&name) {
                Ok(pid) => say!("[{id}] sent {name} to pid {pid}"),
                Err(e) => return decide(shared, Verdict::Failure(e.to_string())),
            },
        }
    }
    Ok(())
}

fn report(id: usize, shared: &Shared, verdict: Verdict) -> Result<(), Stop> {
    match &verdict {
        Verdict::Accepted(why) => {
            say!("[{id}]   ok: {why}");
            Ok(())
        }
        Verdict::Success(why) => {
            say!("[{id}]   ok: {why}");
            decide(shared, verdict)
        }
        Verdict::Failure(_) => decide(shared, verdict),
    }
}

fn decide(shared: &Shared, verdict: Verdict) -> Result<(), Stop> {
    let outcome = match verdict {
        Verdict::Failure(why) => Outcome::Failure(why),
        _ => Outcome::Success,
    };
    let _ = shared.outcome.send(outcome);
    Err(Stop::Decided)
}
