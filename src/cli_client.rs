//! `ferrobgp cli [--pipename NAME] WORDS...`: send one command to a running daemon through
//! its named pipes and print the answer, as `exabgp cli` does: the same pipe folders, the
//! same abbreviations, the same 5 s limits and the same messages.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::api::pipe;

/// Opening `.in` and waiting for an answer both give up after this long.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Stale answers of an earlier command are drained for at most this long.
const DRAIN: Duration = Duration::from_millis(1500);
/// With acks off nothing ends an answer: stop after this much silence.
const QUIET: Duration = Duration::from_millis(500);
const POLL: Duration = Duration::from_millis(10);

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub pipename: Option<String>,
    pub words: Vec<String>,
}

/// Split `--pipename NAME` / `--pipename=NAME` off the words.
pub fn request(args: &[String]) -> Result<Request, String> {
    let mut pipename = None;
    let mut words = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--pipename" {
            pipename = Some(it.next().ok_or("--pipename needs a value")?.clone());
        } else if let Some(v) = a.strip_prefix("--pipename=") {
            pipename = Some(v.to_string());
        } else {
            words.push(a.clone());
        }
    }
    Ok(Request { pipename, words })
}

/// Expand abbreviations the way ExaBGP's cli does. Each word is replaced by the first
/// entry whose short form it equals, or whose long form it starts, when the entry's
/// condition on the position and the words already expanded holds. (Some ExaBGP conditions
/// compare a list with a string and never hold: `r`/`rr` never expand, `a`/`f`/`t`/`w`
/// only as the first word; that is kept.)
pub fn expand(words: &[String]) -> Vec<String> {
    type Rule = fn(usize, &[String]) -> bool;
    fn prev(pre: &[String]) -> &str {
        pre.last().map_or("", String::as_str)
    }
    let rules: [(&str, &str, Rule); 24] = [
        ("a", "announce", |pos, _| pos == 0),
        ("a", "attributes", |_, pre| {
            matches!(prev(pre), "announce" | "withdraw")
        }),
        ("c", "configuration", |_, _| true),
        ("e", "eor", |_, pre| prev(pre) == "announce"),
        ("e", "extensive", |_, pre| pre.iter().any(|w| w == "show")),
        ("f", "flow", |_, pre| {
            matches!(prev(pre), "announce" | "withdraw")
        }),
        ("f", "flush", |pos, _| pos == 0),
        ("h", "help", |pos, _| pos == 0),
        ("i", "in", |_, pre| prev(pre) == "adj-rib"),
        ("n", "neighbor", |pos, pre| pos == 0 || prev(pre) == "show"),
        ("r", "route", |_, _| false),
        ("rr", "route-refresh", |_, _| false),
        ("s", "show", |pos, _| pos == 0),
        ("t", "teardown", |pos, _| pos == 0),
        ("s", "summary", |pos, _| pos != 0),
        ("v", "vps", |_, pre| {
            matches!(prev(pre), "announce" | "withdraw")
        }),
        ("o", "operation", |_, pre| prev(pre) == "announce"),
        ("o", "out", |_, pre| prev(pre) == "adj-rib"),
        ("a", "adj-rib", |_, pre| {
            matches!(prev(pre), "clear" | "flush" | "show")
        }),
        ("w", "withdraw", |pos, _| pos == 0),
        ("w", "watchdog", |_, pre| {
            matches!(prev(pre), "announce" | "withdraw")
        }),
        ("neighbour", "neighbor", |_, _| true),
        ("neigbour", "neighbor", |_, _| true),
        ("neigbor", "neighbor", |_, _| true),
    ];
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (pos, word) in words.iter().enumerate() {
        let hit = rules.iter().find(|(short, long, cond)| {
            (word == short || long.starts_with(word.as_str())) && cond(pos, &out)
        });
        out.push(hit.map_or_else(|| word.clone(), |(_, long, _)| long.to_string()));
    }
    out
}

/// Run the client; returns the exit code.
pub fn run(args: &[String], default_pipename: &str) -> u8 {
    let out = &mut io::stdout();
    let err = &mut io::stderr();
    let req = match request(args) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "ferrobgp cli: {e}");
            return 2;
        }
    };
    let name = req.pipename.unwrap_or_else(|| default_pipename.to_string());
    let mut words = req.words;
    if words.is_empty() {
        let _ = writeln!(out, "no commmand provided, sending \"help\"");
        words.push("help".into());
    }
    let root = crate::env::root();
    let Some(dir) = pipe::find(&root, &name) else {
        let _ = write!(
            out,
            "could not find ExaBGP's named pipes ({name}.in and {name}.out) for the cli\n\
             we scanned the following folders (the number is your PID):\n - {}\n",
            pipe::locations(&root)
                .iter()
                .map(|p| format!("{}/", p.display()))
                .collect::<Vec<_>>()
                .join("\n - ")
        );
        return 1;
    };
    let (send, recv) = pipe::paths(&dir, &name);
    match exchange(&send, &recv, &words, out, err) {
        Ok(code) => code,
        // Our reader went away (`ferrobgp cli ... | head`): nothing left to say.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "could not communicate with ExaBGP ({e})");
            1
        }
    }
}

fn exchange(
    send: &Path,
    recv: &Path,
    words: &[String],
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<u8> {
    let mut reader = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(recv)?;
    drain(&mut reader);
    let sending = expand(words).join(" ");
    if sending != words.join(" ") {
        writeln!(out, "command: {sending}")?;
    }
    let mut writer = match OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(send)
    {
        Ok(w) => w,
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
            writeln!(
                err,
                "ExaBGP is not running / using the configured named pipe"
            )?;
            return Ok(1);
        }
        Err(e) => return Err(e),
    };
    writer.write_all(format!("{sending}\n").as_bytes())?;
    drop(writer);
    // The daemon never answers `reset`.
    if sending == "reset" {
        return Ok(0);
    }
    answer(&mut reader, out, err)
}

/// Throw away what an earlier command left in `.out`.
fn drain(reader: &mut File) {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    while start.elapsed() < DRAIN {
        match reader.read(&mut buf) {
            Ok(n) if n > 0 => continue,
            _ => return,
        }
    }
}

/// Print the answer's lines until `done`, `error` or `shutdown`.
fn answer(reader: &mut File, out: &mut impl Write, err: &mut impl Write) -> io::Result<u8> {
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    let mut last = Instant::now();
    let mut seen_any = false;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => 0,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
            Err(e) => return Err(e),
        };
        if n == 0 {
            let silent = last.elapsed();
            if silent > TIMEOUT {
                writeln!(err)?;
                writeln!(err, "warning: no end of command message received")?;
                writeln!(err, "warning: normal if exabgp.api.ack is set to false otherwise some data may get stuck on the pipe")?;
                writeln!(
                    err,
                    "warning: otherwise it may cause exabgp reactor to block"
                )?;
                return Ok(0);
            }
            // Acks off: an answer that went quiet is over.
            if seen_any && pending.is_empty() && silent > QUIET && !ack_expected() {
                return Ok(0);
            }
            std::thread::sleep(POLL);
            continue;
        }
        last = Instant::now();
        seen_any = true;
        pending.extend_from_slice(buf.get(..n).unwrap_or_default());
        while let Some(pos) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=pos).collect();
            let text = String::from_utf8_lossy(line.get(..pos).unwrap_or_default()).into_owned();
            match text.as_str() {
                "done" | "{\"answer\": \"done\", \"message\": \"command completed\"}" => {
                    return Ok(0)
                }
                "shutdown" => {
                    writeln!(err, "ExaBGP is shutting down, command aborted")?;
                    return Ok(0);
                }
                "error" => {
                    writeln!(
                        err,
                        "ExaBGP returns an error (see ExaBGP's logs for more information)"
                    )?;
                    writeln!(err, "use help for a list of available commands")?;
                    return Ok(0);
                }
                _ => {
                    writeln!(out, "{text}")?;
                    out.flush()?;
                }
            }
        }
    }
}

/// The cli reads exabgp.api.ack from its own environment, as ExaBGP's does.
fn ack_expected() -> bool {
    crate::env::Settings::load(None).map_or(true, |s| s.api.ack)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn expanded(s: &str) -> String {
        expand(&words(s)).join(" ")
    }

    #[test]
    fn abbreviations_expand_as_exabgp() {
        assert_eq!(expanded("s n s"), "show neighbor summary");
        assert_eq!(expanded("sh neighbor e"), "show neighbor extensive");
        assert_eq!(expanded("s a i"), "show adj-rib in");
        assert_eq!(expanded("s a o e"), "show adj-rib out extensive");
        assert_eq!(expanded("f a o"), "flush adj-rib out");
        assert_eq!(expanded("a e ipv4 unicast"), "announce eor ipv4 unicast");
        assert_eq!(expanded("h"), "help");
        assert_eq!(expanded("neighbour 127.0.0.1 t"), "neighbor 127.0.0.1 t");
        assert_eq!(
            expanded("a r 10.0.0.0/24 next-hop 1.2.3.4"),
            "announce r 10.0.0.0/24 next-hop 1.2.3.4"
        );
        assert_eq!(expanded("w w dog"), "withdraw watchdog dog");
        assert_eq!(expanded("show neighbor summary"), "show neighbor summary");
        assert_eq!(expanded("version"), "version");
    }

    #[test]
    fn pipename_is_taken_off_the_words() {
        let args = words("--pipename x show neighbor");
        assert_eq!(
            request(&args).unwrap(),
            Request {
                pipename: Some("x".into()),
                words: words("show neighbor")
            }
        );
        let args = words("version --pipename=y");
        assert_eq!(request(&args).unwrap().pipename.as_deref(), Some("y"));
        assert!(request(&words("--pipename")).is_err());
    }
}
