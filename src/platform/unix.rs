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
