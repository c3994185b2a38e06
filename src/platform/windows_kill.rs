//! Windows' `--kill`, the decisions without the calls: cfg-free, so that they are tested on
//! every OS. `windows.rs` makes the calls: OpenProcess(PROCESS_TERMINATE |
//! PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE) at the check, GetProcessTimes for its
//! creation time, the TCP/UDP tables for who holds the socket, TerminateProcess, and
//! WaitForSingleObject for its end.
//!
//! The handle opened at the check pins the process: while bindscope holds it, Windows does not
//! give its pid to another process, so what is verified at the check and again right before
//! TerminateProcess is the process that is terminated.

use std::net::SocketAddr;
use std::time::Duration;

use crate::model::{Proto, SignalError, Socket};

/// Win32 error codes OpenProcess and TerminateProcess fail with.
pub const ERROR_ACCESS_DENIED: u32 = 5;
pub const ERROR_INVALID_PARAMETER: u32 = 87;

/// Seconds between 1601-01-01 (FILETIME's epoch) and 1970-01-01.
const FILETIME_TO_UNIX: u64 = 11_644_473_600;

/// A FILETIME (100 ns ticks since 1601) in whole seconds since 1970, as sysinfo gives a
/// process's start time: the two are compared for equality.
pub fn unix_seconds(filetime: u64) -> u64 {
    (filetime / 10_000_000).saturating_sub(FILETIME_TO_UNIX)
}

/// Whether the process opened now is the one the socket table named: it was created when
/// the table's process was (whole seconds, as sysinfo reads them). A table that could not
/// read the start time leaves only the socket to verify it by.
pub fn same_process(seen_start: Option<u64>, created_filetime: u64) -> bool {
    seen_start.is_none_or(|seen| seen == unix_seconds(created_filetime))
}

/// What OpenProcess's failure means: an unknown pid is ERROR_INVALID_PARAMETER.
pub fn open_error(code: u32) -> SignalError {
    match code {
        ERROR_INVALID_PARAMETER => SignalError::Gone,
        ERROR_ACCESS_DENIED => SignalError::Permission,
        other => SignalError::Other(format!("OpenProcess failed (Windows error {other})")),
    }
}

/// What TerminateProcess's failure means, once the process is known to run: access denied
/// (another user's, or a protected process).
pub fn terminate_error(code: u32) -> SignalError {
    match code {
        ERROR_ACCESS_DENIED => SignalError::Permission,
        other => SignalError::Other(format!("TerminateProcess failed (Windows error {other})")),
    }
}

/// One row of the TCP or UDP table: what it binds and the pid that owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub proto: Proto,
    pub local: SocketAddr,
    pub pid: u32,
}

/// Whether `pid` still owns one of `sockets` (by protocol, local address and port) in the
/// tables read now.
pub fn still_held(rows: &[Row], pid: u32, sockets: &[Socket]) -> bool {
    rows.iter().any(|row| {
        row.pid == pid
            && sockets
                .iter()
                .any(|s| s.proto == row.proto && s.local == row.local)
    })
}

/// The verdict of a check, at the opening and again right before TerminateProcess: the
/// process must still run, still be the one seen, and still hold the socket.
pub fn verdict(exited: bool, same: bool, held: bool) -> Result<(), SignalError> {
    if exited {
        Err(SignalError::Gone)
    } else if !same || !held {
        Err(SignalError::NotHolding)
    } else {
        Ok(())
    }
}

/// How long a process created at `created_filetime` has run at `now` (since 1970), unless
/// the clock says it has not started yet.
pub fn running_for(created_filetime: u64, now: Duration) -> Option<Duration> {
    let created = Duration::from_nanos(created_filetime.saturating_mul(100))
        .checked_sub(Duration::from_secs(FILETIME_TO_UNIX))?;
    now.checked_sub(created)
}

/// WaitForSingleObject's timeout for `wait`: milliseconds, short of INFINITE (u32::MAX).
pub fn wait_ms(wait: Duration) -> u32 {
    u32::try_from(wait.as_millis()).map_or(u32::MAX - 1, |ms| ms.min(u32::MAX - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SockState;

    fn socket(proto: Proto, local: &str) -> Socket {
        Socket {
            proto,
            local: local.parse().unwrap(),
            remote: None,
            state: if proto == Proto::Tcp {
                SockState::Listen
            } else {
                SockState::Unconn
            },
            v6only: None,
            device: None,
            uid: None,
            inode: None,
            pids: vec![8120],
        }
    }

    fn row(proto: Proto, local: &str, pid: u32) -> Row {
        Row {
            proto,
            local: local.parse().unwrap(),
            pid,
        }
    }

    /// 2026-12-01 15:42:07.1234567 UTC as a FILETIME, and what sysinfo makes of it.
    const CREATED: u64 = 134_406_133_271_234_567;
    const STARTED: u64 = 1_796_139_727;

    #[test]
    fn creation_time_is_compared_in_sysinfo_s_seconds() {
        assert_eq!(unix_seconds(CREATED), STARTED);
        // The Windows epoch, and a time before 1970, do not wrap around.
        assert_eq!(unix_seconds(0), 0);
        assert!(same_process(Some(STARTED), CREATED));
        // Within the same second is the same process; a second later is another one.
        assert!(same_process(Some(STARTED), CREATED + 5_000_000));
        assert!(!same_process(Some(STARTED), CREATED + 10_000_000));
        assert!(!same_process(Some(STARTED - 60), CREATED));
        // Not read at the check: the socket alone verifies it.
        assert!(same_process(None, CREATED));
    }

    #[test]
    fn the_holder_is_verified_by_its_socket_in_the_table_read_now() {
        let flask = [socket(Proto::Tcp, "0.0.0.0:5000")];
        let now = [
            row(Proto::Tcp, "127.0.0.1:5000", 9000),
            row(Proto::Tcp, "0.0.0.0:5000", 8120),
        ];
        assert!(still_held(&now, 8120, &flask));
        // Another pid holds it now, or the same pid holds another address, port or protocol.
        assert!(!still_held(&now[..1], 8120, &flask));
        assert!(!still_held(
            &[row(Proto::Tcp, "0.0.0.0:5001", 8120)],
            8120,
            &flask
        ));
        assert!(!still_held(
            &[row(Proto::Udp, "0.0.0.0:5000", 8120)],
            8120,
            &flask
        ));
        assert!(!still_held(
            &[row(Proto::Tcp, "[::]:5000", 8120)],
            8120,
            &flask
        ));
        assert!(!still_held(&[], 8120, &flask));
    }

    #[test]
    fn a_check_lets_only_the_running_process_seen_holding_the_socket_through() {
        assert_eq!(verdict(false, true, true), Ok(()));
        assert_eq!(verdict(true, true, true), Err(SignalError::Gone));
        assert_eq!(verdict(true, false, false), Err(SignalError::Gone));
        assert_eq!(verdict(false, false, true), Err(SignalError::NotHolding));
        assert_eq!(verdict(false, true, false), Err(SignalError::NotHolding));
    }

    #[test]
    fn win32_errors_map_to_what_the_report_says() {
        assert_eq!(open_error(ERROR_INVALID_PARAMETER), SignalError::Gone);
        assert_eq!(open_error(ERROR_ACCESS_DENIED), SignalError::Permission);
        assert!(matches!(open_error(1), SignalError::Other(m) if m.contains("error 1")));
        assert_eq!(
            terminate_error(ERROR_ACCESS_DENIED),
            SignalError::Permission
        );
        assert!(matches!(terminate_error(6), SignalError::Other(_)));
    }

    #[test]
    fn running_time_comes_from_the_creation_time() {
        let now = Duration::from_secs(STARTED + 7500);
        // 0.1234567 s after the whole second: 7499.8765433 s.
        let ran = running_for(CREATED, now).unwrap();
        assert_eq!(ran.as_secs(), 7499);
        assert_eq!(running_for(CREATED, Duration::from_secs(STARTED - 1)), None);
        assert_eq!(running_for(0, now), None);
    }

    #[test]
    fn the_wait_is_bounded_and_never_infinite() {
        assert_eq!(wait_ms(Duration::from_millis(1500)), 1500);
        assert_eq!(wait_ms(Duration::ZERO), 0);
        assert_eq!(wait_ms(Duration::from_secs(u64::MAX)), u32::MAX - 1);
    }
}
