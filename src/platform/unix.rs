//! What Linux and macOS do alike.

use crate::model::{Signal, SignalError};

pub fn hostname() -> Option<String> {
    let uname = rustix::system::uname();
    let name = uname.nodename().to_string_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}

pub fn signal(pid: u32, signal: Signal) -> Result<(), SignalError> {
    let pid = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .ok_or(SignalError::Gone)?;
    let signal = match signal {
        Signal::Terminate => rustix::process::Signal::TERM,
        Signal::Kill => rustix::process::Signal::KILL,
    };
    rustix::process::kill_process(pid, signal).map_err(|e| match e {
        rustix::io::Errno::SRCH => SignalError::Gone,
        rustix::io::Errno::PERM => SignalError::Permission,
        other => SignalError::Other(other.to_string()),
    })
}

/// At most this much of each output stream of a command is kept.
const OUTPUT_LIMIT: u64 = 1 << 20;

/// What a command printed, and whether it exited with success.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))] // macOS reads the output only
pub struct Ran {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Why a command gave nothing to read.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub enum NotRun {
    /// No such program.
    Missing,
    /// It did not finish within the deadline (and was killed), or could not be run.
    Failed(String),
}

/// Runs `program` with `args` (no shell, no input, `LC_ALL=C`) within `timeout`, reading both
/// streams while it runs (a large output must not block it), and kills it at the deadline. For
/// tools whose answers are read but whose hanging must not hang bindscope (socketfilterfw; on
/// Linux, nft and iptables-save).
pub fn run_with_deadline(
    program: &str,
    args: &[&str],
    timeout: std::time::Duration,
) -> Result<Ran, NotRun> {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let deadline = Instant::now() + timeout;
    let mut child = Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => NotRun::Missing,
            _ => NotRun::Failed(e.to_string()),
        })?;
    let streams = [
        child.stdout.take().and_then(collect),
        child.stderr.take().and_then(collect),
    ];
    let [Some(out), Some(err)] = streams else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(NotRun::Failed(format!(
            "{program}'s output could not be read"
        )));
    };
    let left = || deadline.saturating_duration_since(Instant::now());
    // The output ends when the program exits: waited for, not polled (polling every 5 ms cost
    // up to 5 ms a tool, three tools in a row for the firewall). The second stream gets a
    // moment more, should the first end at the deadline.
    let stdout = out.recv_timeout(left()).ok();
    let stderr = err
        .recv_timeout(left().max(Duration::from_millis(100)))
        .ok();
    // Its output closed, the program is most likely exiting: its status is asked for at
    // growing intervals, 0.2 ms to 5 ms, until the deadline.
    let mut pause = Duration::from_micros(200);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(pause.min(left()));
                pause = (pause * 2).min(Duration::from_millis(5));
            }
            _ => break None,
        }
    };
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    match (status, stdout, stderr) {
        (Some(status), Some(out), Some(err)) => Ok(Ran {
            success: status.success(),
            stdout: text(out),
            stderr: text(err),
        }),
        // It exited, but a process it left behind holds a pipe open.
        (Some(_), _, _) => Err(NotRun::Failed(format!("{program} kept its output open"))),
        (None, _, _) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(NotRun::Failed(format!(
                "{program} did not answer within {timeout:?}"
            )))
        }
    }
}

/// What `program` printed, standard output then standard error, whatever its exit status:
/// `None` when it cannot be run or does not finish within `timeout`.
#[cfg_attr(target_os = "linux", allow(dead_code))] // macOS asks socketfilterfw so
pub fn run_bounded(program: &str, args: &[&str], timeout: std::time::Duration) -> Option<String> {
    let ran = run_with_deadline(program, args, timeout).ok()?;
    Some(ran.stdout + &ran.stderr)
}

/// Reads a stream to its end (or the limit) on a thread of its own.
fn collect(
    stream: impl std::io::Read + Send + 'static,
) -> Option<std::sync::mpsc::Receiver<Vec<u8>>> {
    use std::io::Read;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("output".to_string())
        .spawn(move || {
            let mut text = Vec::new();
            let _ = stream.take(OUTPUT_LIMIT).read_to_end(&mut text);
            let _ = tx.send(text);
        })
        .ok()?;
    Some(rx)
}

/// Raises the soft limit on open descriptors (`ulimit -n`) towards the hard one: under a low
/// limit (`ulimit -n 4`) the owner scan could open no /proc directory and every owner went
/// unseen. Capped, since programs bindscope runs inherit it; best effort.
pub fn raise_descriptor_limit() {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    const ENOUGH: u64 = 1 << 16;
    let limit = getrlimit(Resource::Nofile);
    let want = limit.maximum.map_or(ENOUGH, |hard| hard.min(ENOUGH));
    if limit.current.is_some_and(|soft| soft < want) {
        let _ = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(want),
                maximum: limit.maximum,
            },
        );
    }
}

/// The soft limit on open descriptors (`ulimit -n`), when there is one.
pub fn descriptor_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::run_bounded;

    #[test]
    fn a_command_is_read_whatever_its_exit_status() {
        let out = run_bounded(
            "sh",
            &["-c", "echo out; echo err >&2; exit 3"],
            Duration::from_secs(5),
        );
        assert_eq!(out.as_deref(), Some("out\nerr\n"));
        assert_eq!(
            run_bounded("/nonexistent/tool", &[], Duration::from_secs(1)),
            None
        );
    }

    #[test]
    fn a_command_that_hangs_is_killed_at_the_deadline() {
        let start = Instant::now();
        assert_eq!(
            run_bounded("sleep", &["30"], Duration::from_millis(200)),
            None
        );
        assert!(start.elapsed() < Duration::from_secs(5));
        // Finished, but a child it left holds the pipe: the deadline still holds.
        let start = Instant::now();
        let out = run_bounded(
            "sh",
            &["-c", "sleep 3 & echo started"],
            Duration::from_millis(300),
        );
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(out, None);
    }
}
