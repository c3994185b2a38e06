//! The kill sequence of `port --kill`: every owner opened at the check and verified again
//! through that handle right before each of its signals, SIGTERM, a wait for the port to free,
//! SIGKILL only when allowed, and a last look at who holds the port now. Where the first step
//! is already final (Windows: TerminateProcess), it is the only one: the wait is for the
//! processes to end, then for the port.

use std::time::{Duration, Instant};

use crate::model::{
    HolderFacts, KillOutcome, KillRun, KillScope, Process, Signal, SignalError, Signalled,
    SocketQuery, SocketTable,
};
use crate::platform::{self, Holder};

/// An owner `--kill` means to stop, opened at the check.
pub struct Target {
    pub pid: u32,
    /// The opened process, or what stopped it from being opened: nothing is sent to it then.
    pub holder: Result<Holder, KillOutcome>,
    /// What the question shows of it.
    pub facts: HolderFacts,
}

/// Opens each of `pids` (owners of `table`'s sockets that `scope` covers) that still is the
/// process seen and still holds one of those sockets.
pub fn open(table: &SocketTable, scope: KillScope, pids: &[u32]) -> Vec<Target> {
    pids.iter()
        .map(|&pid| {
            let sockets: Vec<_> = table
                .sockets
                .iter()
                .filter(|s| scope.socket(s) && s.pids.contains(&pid))
                .cloned()
                .collect();
            let holder = match table.process(pid) {
                Some(process) => platform::open_holder(process, &sockets).map_err(|e| match e {
                    SignalError::Gone => KillOutcome::AlreadyExited,
                    other => outcome(&other),
                }),
                None => Err(KillOutcome::NotVerified),
            };
            let facts = holder
                .as_ref()
                .map(platform::holder_facts)
                .unwrap_or_default();
            // Shown with the others, never signalled: the container is to be stopped instead.
            let holder = match holder {
                Ok(_) if facts.container_init => Err(KillOutcome::ContainerInit),
                other => other,
            };
            Target { pid, holder, facts }
        })
        .collect()
}

/// What an error from opening or signalling means for the process.
fn outcome(error: &SignalError) -> KillOutcome {
    match error {
        SignalError::Gone => KillOutcome::Exited,
        SignalError::NotHolding => KillOutcome::NotVerified,
        SignalError::Permission => KillOutcome::Permission,
        SignalError::OtherNamespace => KillOutcome::OtherNamespace,
        SignalError::Unsupported => KillOutcome::Unsupported,
        SignalError::ContainerInit => KillOutcome::ContainerInit,
        SignalError::Other(_) => KillOutcome::StillRunning,
    }
}

/// Stops `targets` (opened owners of `table`'s sockets on `port` that `scope` covers, parents
/// first); the port is free when no such socket is left.
pub fn stop(
    port: u16,
    scope: KillScope,
    table: &SocketTable,
    targets: &[Target],
    force: bool,
    grace: Duration,
) -> KillRun {
    let mut run = KillRun {
        targets: targets
            .iter()
            .map(|t| Signalled {
                pid: t.pid,
                signals: Vec::new(),
                outcome: t
                    .holder
                    .as_ref()
                    .err()
                    .copied()
                    .unwrap_or(KillOutcome::NotVerified),
            })
            .collect(),
        freed: false,
        taken_by: Vec::new(),
    };
    let (first, then) = steps(platform::STOP_IS_FINAL, force);
    for (target, done) in targets.iter().zip(&mut run.targets) {
        if let Ok(holder) = &target.holder {
            send(holder, done, first);
        }
    }
    // Nobody signalled (every owner had gone or changed): nothing to wait for.
    let signalled = run.targets.iter().any(|t| !t.signals.is_empty());
    let deadline = Instant::now() + if signalled { grace } else { Duration::ZERO };
    let left = || deadline.saturating_duration_since(Instant::now());
    if platform::STOP_IS_FINAL {
        for (target, done) in targets.iter().zip(&run.targets) {
            if let (Ok(holder), false) = (&target.holder, done.signals.is_empty()) {
                platform::wait_holder(holder, left());
            }
        }
    }
    run.freed = wait_until_free(port, scope, left());
    if let (false, Some(then)) = (run.freed, then) {
        for (target, done) in targets.iter().zip(&mut run.targets) {
            if let Ok(holder) = &target.holder {
                if !done.signals.is_empty() && platform::holder_running(holder) {
                    send(holder, done, then);
                }
            }
        }
        run.freed = wait_until_free(port, scope, grace);
    }
    for (target, done) in targets.iter().zip(&mut run.targets) {
        if let (Ok(holder), false) = (&target.holder, done.signals.is_empty()) {
            done.outcome = if platform::holder_running(holder) {
                KillOutcome::StillRunning
            } else {
                KillOutcome::Exited
            };
        }
    }
    if !run.freed {
        run.taken_by = newcomers(port, scope, table);
    }
    run
}

/// The first step of the sequence, and the one `--force` adds when the port is still held
/// after the grace: none where the first already ends the process (`first_is_final`).
fn steps(first_is_final: bool, force: bool) -> (Signal, Option<Signal>) {
    if first_is_final {
        (Signal::Kill, None)
    } else {
        (Signal::Terminate, force.then_some(Signal::Kill))
    }
}

/// Signals one owner through its handle, once verified again through it.
fn send(holder: &Holder, done: &mut Signalled, signal: Signal) {
    match platform::signal_holder(holder, signal) {
        Ok(()) => done.signals.push(signal),
        // Between two signals it may exit or close the socket: the last look says which.
        Err(_) if !done.signals.is_empty() => {}
        Err(SignalError::Gone) => done.outcome = KillOutcome::AlreadyExited,
        Err(e) => done.outcome = outcome(&e),
    }
}

/// Polls the socket dump until no socket that `scope` covers is on `port`, for at most `grace`.
fn wait_until_free(port: u16, scope: KillScope, grace: Duration) -> bool {
    let deadline = Instant::now() + grace;
    loop {
        if !platform::port_listening(port, scope).unwrap_or(true) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The processes holding a socket that `scope` covers on `port` now that did not hold it at
/// the check (`before`): the port was taken again while the user was asked, or between the
/// check and the signal.
fn newcomers(port: u16, scope: KillScope, before: &SocketTable) -> Vec<Process> {
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
        .filter(|s| scope.socket(s))
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    now.processes
        .into_iter()
        .filter(|p| listening.contains(&p.pid) && !known(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigterm_first_and_sigkill_only_when_forced_unless_the_first_step_is_final() {
        assert_eq!(steps(false, false), (Signal::Terminate, None));
        assert_eq!(steps(false, true), (Signal::Terminate, Some(Signal::Kill)));
        // Windows: TerminateProcess at once, and --force adds nothing.
        assert_eq!(steps(true, false), (Signal::Kill, None));
        assert_eq!(steps(true, true), (Signal::Kill, None));
    }
}
