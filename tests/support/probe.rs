//! A scripted "daemon" for checking the test peer itself without a real BGP speaker:
//! connect, send raw messages, read what the peer answers.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

pub fn unhex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .map(|b| (b as char).to_digit(16).unwrap_or(0) as u8)
        .collect();
    digits
        .chunks(2)
        .map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0))
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Connects to `port`, retrying for up to 5 s while the peer starts.
pub fn connect(port: u16) -> std::io::Result<TcpStream> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(stream) => {
                stream.set_read_timeout(Some(Duration::from_secs(5)))?;
                return Ok(stream);
            }
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

pub fn send(stream: &mut TcpStream, text: &str) -> std::io::Result<()> {
    stream.write_all(&unhex(text))
}

/// Reads one BGP message and returns it as upper-case hex.
pub fn read(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut msg = vec![0u8; 19];
    stream.read_exact(&mut msg)?;
    let length = usize::from(u16::from_be_bytes([msg[16], msg[17]]));
    msg.resize(length.max(19), 0);
    stream.read_exact(&mut msg[19..])?;
    Ok(hex(&msg))
}
