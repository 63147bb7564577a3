//! The passive BGP peer of the functional suite (suite README §3-4): it answers the
//! daemon's OPEN, checks every message against a `.msg` file and exits 0 printing
//! `successful` once every rule is used up, or 1 printing `failed with code 1`.

mod checker;
mod conn;
mod msgfile;
mod signal;
mod wire;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;

use conn::{say, Outcome, Shared};
use signal::PidSource;

#[derive(Parser, Debug)]
#[command(about = "Functional-test BGP peer: checks what a daemon sends against a .msg file")]
struct Args {
    /// Port to listen on (default: $exabgp_tcp_port).
    #[arg(long)]
    port: Option<u16>,
    /// Listen on [::1] instead of 127.0.0.1 (as `option:bind:ipv6` does).
    #[arg(long)]
    ipv6: bool,
    /// File holding the daemon's pid, read each time a signal rule fires.
    #[arg(long, conflicts_with = "pid")]
    pid_file: Option<PathBuf>,
    /// The daemon's pid, for signal rules.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
    pid: Option<i32>,
    /// Check nothing: answer the OPEN, KEEPALIVE and print every message, never exit
    /// (for recording what a daemon sends when writing a new case).
    #[arg(long)]
    sink: bool,
    /// The .msg file: options and the messages the daemon must send.
    msgfile: PathBuf,
}

fn fail(why: &str) -> ExitCode {
    say!("{why}");
    say!("failed with code 1");
    ExitCode::from(1)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let text = match std::fs::read_to_string(&args.msgfile) {
        Ok(text) => text,
        Err(e) => return fail(&format!("cannot read {}: {e}", args.msgfile.display())),
    };
    let file = match msgfile::parse(&text) {
        Ok(file) => file,
        Err(e) => return fail(&format!("{}: {e}", args.msgfile.display())),
    };
    let port = match args.port.or_else(|| {
        std::env::var("exabgp_tcp_port")
            .ok()
            .and_then(|p| p.parse().ok())
    }) {
        Some(port) => port,
        None => return fail("no port: pass --port or set exabgp_tcp_port"),
    };
    let addr = if args.ipv6 || file.options.bind_ipv6 {
        SocketAddr::from((Ipv6Addr::LOCALHOST, port))
    } else {
        SocketAddr::from((Ipv4Addr::LOCALHOST, port))
    };
    // std sets SO_REUSEADDR on Unix listeners, so a port left in TIME_WAIT is reusable.
    let listener = match TcpListener::bind(addr) {
        Ok(listener) => listener,
        Err(e) => return fail(&format!("cannot listen on {addr}: {e}")),
    };
    let pid = match (args.pid, args.pid_file) {
        (Some(pid), _) => PidSource::Fixed(pid),
        (None, Some(path)) => PidSource::File(path),
        (None, None) => PidSource::None,
    };
    for group in &file.groups {
        let rules: Vec<String> = group.rules.iter().map(ToString::to_string).collect();
        say!("expect {}: {}", group.label(), rules.join(" | "));
    }
    let (tx, rx) = crossbeam_channel::unbounded();
    let shared = Arc::new(Shared {
        checker: Mutex::new(checker::Checker::new(file.groups)),
        options: file.options,
        sink: args.sink,
        pid,
        outcome: tx,
    });
    say!("listening on {addr}");
    let acceptor = Arc::clone(&shared);
    let spawned = std::thread::Builder::new()
        .name("accept".into())
        .spawn(move || accept_loop(listener, acceptor));
    if let Err(e) = spawned {
        return fail(&format!("cannot start the accept thread: {e}"));
    }
    // Only the accept thread and connection threads hold senders besides `shared`.
    drop(shared);
    match rx.recv() {
        Ok(Outcome::Success) => {
            say!("successful");
            ExitCode::SUCCESS
        }
        Ok(Outcome::Failure(why)) => fail(&why),
        Err(_) => {
            say!("failed with no code");
            ExitCode::from(1)
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut id = 0usize;
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                id += 1;
                let peer = stream
                    .peer_addr()
                    .map_or_else(|_| "?".to_string(), |a| a.to_string());
                say!("[{id}] connection from {peer}");
                let shared = Arc::clone(&shared);
                let spawned = std::thread::Builder::new()
                    .name(format!("conn {id}"))
                    .spawn(move || conn::handle(id, stream, shared));
                if let Err(e) = spawned {
                    say!("[{id}] cannot start a connection thread: {e}");
                }
            }
            Err(e) => {
                // e.g. EMFILE: back off instead of spinning.
                say!("accept failed: {e}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}
