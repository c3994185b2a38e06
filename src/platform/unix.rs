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

/// Runs `program` with `args` (no shell, no input, `LC_ALL=C`) and returns what it printed,
/// standard output then standard error, whatever its exit status: `None` when it cannot be run
/// or does not finish within `timeout`, and then it is killed. For tools whose answers are
/// read but whose hanging must not hang bindscope (socketfilterfw; on Linux, nft and
/// iptables-save).
#[cfg_attr(target_os = "linux", allow(dead_code))] // the Linux firewall reader's to use
pub fn run_bounded(program: &str, args: &[&str], timeout: std::time::Duration) -> Option<String> {
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
        .ok()?;
    let streams = [
        child.stdout.take().and_then(collect),
        child.stderr.take().and_then(collect),
    ];
    let finished = loop {
        match child.try_wait() {
            Ok(Some(_)) => break true,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => break false,
        }
    };
    if !finished || streams.iter().any(Option::is_none) {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    }
    // A process it left behind may still hold a pipe open: the reading has a deadline too.
    let mut out = Vec::new();
    for stream in streams.into_iter().flatten() {
        let left = deadline.saturating_duration_since(Instant::now());
        out.extend(
            stream
                .recv_timeout(left.max(Duration::from_millis(100)))
                .ok()?,
        );
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Reads a stream to its end (or the limit) on a thread of its own.
#[cfg_attr(target_os = "linux", allow(dead_code))]
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
