//! The kill sequence of `port --kill`: every owner re-verified right before its signal,
//! SIGTERM, a wait for the port to free, SIGKILL only when allowed, and a last look at who
//! holds the port now.

use std::time::{Duration, Instant};

use crate::model::{
    KillOutcome, KillRun, Process, Signal, SignalError, Signalled, SocketQuery, SocketTable,
};
use crate::platform;

/// Stops `targets` (pids of `table`'s listening sockets on `port`, parents first).
pub fn stop(
    port: u16,
    table: &SocketTable,
    targets: &[u32],
    force: bool,
    grace: Duration,
) -> KillRun {
    let mut run = KillRun {
        targets: targets
            .iter()
            .map(|&pid| Signalled {
                pid,
                signals: Vec::new(),
                outcome: KillOutcome::NotVerified,
            })
            .collect(),
        freed: false,
        taken_by: Vec::new(),
    };
    for target in &mut run.targets {
        send(table, target, Signal::Terminate);
    }
    // Nobody signalled (every owner had gone or changed): nothing to wait for.
    let signalled = run.targets.iter().any(|t| !t.signals.is_empty());
    run.freed = wait_until_free(port, if signalled { grace } else { Duration::ZERO });
    if !run.freed && force {
        for target in &mut run.targets {
            if !target.signals.is_empty() && platform::alive(target.pid) {
                send(table, target, Signal::Kill);
            }
        }
        run.freed = wait_until_free(port, grace);
    }
    for target in &mut run.targets {
        if !target.signals.is_empty() {
            target.outcome = if platform::alive(target.pid) {
                KillOutcome::StillRunning
            } else {
                KillOutcome::Exited
            };
        }
    }
    if !run.freed {
        run.taken_by = newcomers(port, table);
    }
    run
}

/// Signals one owner if it still is the process that holds the socket.
fn send(table: &SocketTable, target: &mut Signalled, signal: Signal) {
    let pid = target.pid;
    let verified = table.process(pid).is_some_and(|process| {
        table
            .sockets
            .iter()
            .filter(|s| s.state.is_listening() && s.pids.contains(&pid))
            .any(|socket| platform::still_holds(process, socket))
    });
    if !verified {
        if target.signals.is_empty() {
            target.outcome = if platform::alive(pid) {
                KillOutcome::NotVerified
            } else {
                KillOutcome::AlreadyExited
            };
        }
        return;
    }
    match platform::signal(pid, signal) {
        Ok(()) => target.signals.push(signal),
        Err(SignalError::Gone) => {}
        Err(SignalError::Permission) => target.outcome = KillOutcome::Permission,
        Err(SignalError::Unsupported) => target.outcome = KillOutcome::Unsupported,
        Err(SignalError::Other(_)) => target.outcome = KillOutcome::StillRunning,
    }
}

/// Polls the socket dump until no socket listens on `port`, for at most `grace`.
fn wait_until_free(port: u16, grace: Duration) -> bool {
    let deadline = Instant::now() + grace;
    loop {
        if !platform::port_listening(port).unwrap_or(true) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The processes listening on `port` now that did not hold it at the check (`before`): the
/// port was taken again while the user was asked, or between the check and the signal.
fn newcomers(port: u16, before: &SocketTable) -> Vec<Process> {
    let Ok(now) = platform::socket_table(SocketQuery::Port(port)) else {
        return Vec::new();
    };
    let known = |p: &Process| {
        before
            .process(p.pid)
            .is_some_and(|b| b.start_time == p.start_time)
    };
    let listening: Vec<u32> = now
        .sockets
        .iter()
        .filter(|s| s.state.is_listening())
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    now.processes
        .into_iter()
        .filter(|p| listening.contains(&p.pid) && !known(p))
        .collect()
}
