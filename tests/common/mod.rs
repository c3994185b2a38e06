//! Runs the built binary with a clean environment and shows stdout and stderr when an
//! assertion fails.
#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_bindscope");

pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(args: Vec<String>, out: Output) -> Run {
        Run {
            args,
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn context(&self) -> String {
        // A 100 kB argument is shown by its start and its length.
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| match a.char_indices().nth(80) {
                Some((cut, _)) => format!("{}… ({} bytes)", &a[..cut], a.len()),
                None => a.clone(),
            })
            .collect();
        format!(
            "bindscope {args:?}\nexit code {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    pub fn code(&self, expected: i32) -> &Run {
        assert_eq!(self.code, expected, "{}", self.context());
        self
    }

    pub fn json(&self) -> serde_json::Value {
        let value: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.context()));
        assert_eq!(value["schema"], 1, "{}", self.context());
        value
    }
}

/// A command for the binary with colour and locale variables cleared.
pub fn command(prefix: &[&str]) -> Command {
    command_for(BIN, prefix)
}

/// `program` run under `prefix` (e.g. `ip netns exec NS`), or alone when it is empty.
pub fn prefixed(prefix: &[&str], program: &str) -> Command {
    match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn command_for(bin: &str, prefix: &[&str]) -> Command {
    let mut cmd = prefixed(prefix, bin);
    neutral_env(&mut cmd);
    cmd.stdin(Stdio::null());
    cmd
}

/// Removes what would change bindscope's language or colour, so a test reads the same words
/// whatever terminal ran it.
pub fn neutral_env(cmd: &mut Command) {
    for var in [
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "LANGUAGE",
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
    ] {
        cmd.env_remove(var);
    }
}

pub fn run_with(prefix: &[&str], args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = command(prefix);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bindscope runs");
    Run::from(args.iter().map(|s| s.to_string()).collect(), out)
}

/// Another copy of the binary (one that another user can run), under `prefix`.
pub fn run_bin(bin: &str, prefix: &[&str], args: &[&str]) -> Run {
    let out = command_for(bin, prefix)
        .args(args)
        .output()
        .expect("bindscope runs");
    Run::from(args.iter().map(|s| s.to_string()).collect(), out)
}

pub fn bindscope(args: &[&str]) -> Run {
    run_with(&[], args, &[])
}

pub fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

pub mod flask;
pub mod netns;
pub mod real;

/// A helper process (tests/helpers/listen.py) holding sockets; killed and reaped when dropped.
pub struct Held {
    pub child: std::process::Child,
    /// The ports, in the order asked; with `--fork`, the child's pid follows.
    pub numbers: Vec<u32>,
}

impl Held {
    pub fn port(&self, n: usize) -> u16 {
        self.numbers[n] as u16
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the helper has exited (reaping it if so).
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Waits (bounded) for the helper to exit.
    pub fn wait_exit(&mut self, limit: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if self.exited() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        false
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts tests/helpers/SCRIPT under `prefix` with stdin and stdout piped (closing stdin
/// stops it), and returns it with the first line it prints, which says it is ready.
pub fn python_helper(
    prefix: &[&str],
    script: &str,
    args: &[&str],
) -> (std::process::Child, String) {
    use std::io::BufRead;
    let path = format!("{}/tests/helpers/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child = prefixed(prefix, "python3")
        .arg(path)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{script} did not say it was ready: {e}"));
    (child, line)
}

/// Starts the helper (under `prefix`, e.g. `ip netns exec NS`) and waits for its ports.
pub fn hold(prefix: &[&str], args: &[&str]) -> Held {
    let (child, line) = python_helper(prefix, "listen.py", args);
    let numbers = line
        .split_whitespace()
        .map(|n| n.parse().expect("a number"))
        .collect::<Vec<u32>>();
    assert!(!numbers.is_empty(), "the helper failed to bind {args:?}");
    Held { child, numbers }
}

/// A port that is free right now (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The `code` of every note in a JSON report.
pub fn note_codes(v: &serde_json::Value) -> Vec<String> {
    v["notes"]
        .as_array()
        .map(|notes| {
            notes
                .iter()
                .filter_map(|n| n["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A pseudo-terminal: the end a test writes answers to, and the end a child takes as its
/// stdin, so that bindscope sees a terminal and asks.
#[cfg(unix)]
pub fn pseudo_terminal() -> (std::fs::File, std::fs::File) {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("ptsname");
    let terminal = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().expect("a path"))
        .expect("the terminal end opens");
    (std::fs::File::from(master), terminal)
}

/// What a child writes to `out`, in chunks as they arrive, read on a thread of its own.
pub fn chunks_of(
    mut out: impl std::io::Read + Send + 'static,
) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0
                || tx
                    .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                    .is_err()
            {
                break;
            }
        }
    });
    rx
}

/// The string field `key` of every item of a JSON list: the hosts of `binds`, the names of
/// `interfaces`. Panics (failing the test) when `list` is not a list or an item lacks `key`.
pub fn strings<'a>(list: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| {
            item[key]
                .as_str()
                .unwrap_or_else(|| panic!("no string {key:?} in {item}"))
        })
        .collect()
}

/// The first item of a JSON list whose field `key` is the string `value`: the note with a code,
/// the address with an IP. Panics (failing the test) when `list` is not a list.
pub fn find<'a>(
    list: &'a serde_json::Value,
    key: &str,
    value: &str,
) -> Option<&'a serde_json::Value> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .find(|item| item[key] == value)
}

/// The whole records of the processes a socket row of a `listeners` or `port` report names
/// (its `processes` carry pid, name and user), from the report's `processes`, where each is
/// listed once.
pub fn owners<'a>(
    report: &'a serde_json::Value,
    socket: &serde_json::Value,
) -> Vec<&'a serde_json::Value> {
    let all = report["processes"]
        .as_array()
        .expect("the report lists processes");
    socket["processes"]
        .as_array()
        .expect("the socket names its processes")
        .iter()
        .map(|named| {
            let pid = &named["pid"];
            all.iter()
                .find(|p| p["pid"] == *pid)
                .unwrap_or_else(|| panic!("pid {pid} is not among the report's processes"))
        })
        .collect()
}

/// A process this test started: its stdin closed, then killed and reaped when dropped, also
/// when an assertion fails.
pub struct Reaped(pub std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
