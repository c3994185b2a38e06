//! `port P`: the sockets on a port, the trial binds, what the port is, and what `--kill` did.

use std::net::IpAddr;
use std::sync::Arc;

use serde::Serialize;

use super::sockets::{processes_of, SocketOut, SocketRows};
use super::{NoteOut, Report};
use crate::analysis::notes::read_next;
use crate::analysis::ports::{facts, PortClass, Service};
use crate::analysis::sockets::{debugger_notes, port_notes, KillPlan, Refusal};
use crate::analysis::topics::Topic;
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;
use crate::model::{
    BindError, DebugFinding, HolderFacts, Host, KillOutcome, KillRun, Process, Signal,
};
use crate::model::{FirewallState, SocketTable};
use crate::report::firewall::FirewallOut;

/// The answer to "can a server take this port now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortVerdict {
    /// Every trial bind succeeded.
    Free,
    /// Something holds it.
    Taken,
    /// Refused for want of privilege (or, on Windows, an excluded range).
    Restricted,
    /// Failed for another reason.
    Unbindable,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortReport {
    pub port: u16,
    pub verdict: PortVerdict,
    /// A Werkzeug debugger on the port is reachable beyond this machine: DANGER, said first.
    pub debugger_exposed: bool,
    pub class: PortClass,
    /// Below `ip_unprivileged_port_start`: root or CAP_NET_BIND_SERVICE needed.
    pub needs_privilege: bool,
    pub in_ephemeral_range: Option<bool>,
    pub ephemeral_range: Option<(u16, u16)>,
    pub service: Option<ServiceOut>,
    /// Every socket on the port, in any state.
    pub sockets: Vec<SocketOut>,
    /// The processes the sockets' `pids` refer to, each once.
    pub processes: Vec<Arc<Process>>,
    /// Real trial binds, with the options servers set.
    pub bind_test: Vec<BindTest>,
    /// Every trial bind succeeded.
    pub free: bool,
    /// The nearest ports that bind on 127.0.0.1 and 0.0.0.0 right now.
    pub suggestions: Vec<u16>,
    pub notes: Vec<NoteOut>,
    /// The `explain` pages to read next.
    pub explain: Vec<Topic>,
    /// What `--kill` did.
    pub kill: Option<KillOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceOut {
    pub id: Service,
    pub name: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct BindTest {
    pub host: IpAddr,
    pub ok: bool,
    /// `in_use`, `not_local`, `permission`, `other`.
    pub error: Option<BindError>,
    /// The result in the user's language.
    pub message: String,
}

/// How `--kill` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KillVerdict {
    /// No process held the port: nothing to stop.
    NothingToKill,
    /// The user answered no: nothing was signalled.
    Cancelled,
    /// The port is free now.
    Freed,
    /// Someone else took the port between the check and the signal.
    TakenAgain,
    /// Signals were sent, and the port is still held.
    NotFreed,
    /// Nothing was signalled and the port is still held: its owners were refused, could not
    /// be seen, or could not be verified (`refused`, `unseen`, the targets' outcomes say why).
    NothingSent,
}

#[derive(Debug, Clone, Serialize)]
pub struct KillOut {
    pub verdict: KillVerdict,
    /// The processes to stop as they were shown before the question (with `--yes`, as they
    /// would have been): each opened and verified as a holder of the port.
    pub holders: Vec<HolderOut>,
    pub targets: Vec<KillTarget>,
    pub refused: Vec<RefusedOut>,
    /// Listening sockets on the port whose owner bindscope could not see.
    pub unseen: Vec<UnseenOut>,
    /// SIGKILL was allowed (`--force`).
    pub forced: bool,
    /// The first step already ends the process (Windows: TerminateProcess, as `taskkill /F`;
    /// a console program in another console cannot be asked to close): it is sent as `kill`,
    /// there is no SIGTERM to ignore, and `--force` changes nothing.
    pub first_step_final: bool,
    /// The user answered no: nothing was signalled.
    pub cancelled: bool,
    /// No listening socket is left on the port.
    pub freed: bool,
    /// SIGTERM was sent and ignored, and `--force` was not given: `--force` would send SIGKILL.
    pub force_would_help: bool,
    /// When not freed: processes listening on the port now that were not there at the check
    /// (the port was taken again between the check and the signal). They are left alone.
    pub taken_by: Vec<Process>,
    /// Bound UDP sockets were included (`--udp`); otherwise only TCP listeners.
    pub udp: bool,
    /// Bound UDP sockets on the port left alone because `--udp` was not given.
    pub udp_left: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct KillTarget {
    pub pid: u32,
    pub name: String,
    pub user: Option<String>,
    /// The signals sent, in order.
    pub signals: Vec<Signal>,
    pub outcome: KillOutcome,
}

/// A process `--kill` is about to stop, as the user sees it before answering.
#[derive(Debug, Clone, Serialize)]
pub struct HolderOut {
    pub pid: u32,
    pub name: String,
    pub user: Option<String>,
    pub cmdline: Option<String>,
    /// Its working directory.
    pub cwd: Option<String>,
    /// Seconds since it started.
    pub running_s: Option<u64>,
    /// It is pid 1 of a pid namespace of its own, a container's init: shown, never signalled.
    pub container_init: bool,
}

/// A listening socket whose owner could not be seen.
#[derive(Debug, Clone, Serialize)]
pub struct UnseenOut {
    pub ip: IpAddr,
    pub port: u16,
    /// The socket's owner as the kernel records it.
    pub user: Option<String>,
    /// Another user's processes were hidden from bindscope: sudo would show (and stop) it.
    pub needs_privilege: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RefusedOut {
    pub pid: u32,
    pub reason: Refusal,
    pub message: &'static str,
}

/// Everything gathered about a port.
pub struct PortFindings<'a> {
    pub port: u16,
    pub table: &'a SocketTable,
    pub bind_test: &'a [(IpAddr, Result<(), BindError>)],
    pub suggestions: Vec<u16>,
    /// Werkzeug's debugger found on in the port's owners.
    pub debug: &'a [DebugFinding],
    /// The firewall, when it was read.
    pub firewall: Option<&'a FirewallState>,
}

impl Report for PortReport {
    fn command(&self) -> &'static str {
        "port"
    }

    fn exit_code(&self) -> ExitCode {
        let fine = match &self.kill {
            Some(kill) => kill.freed,
            None => self.verdict == PortVerdict::Free,
        };
        if fine {
            ExitCode::Success
        } else {
            ExitCode::Problem
        }
    }
}

fn verdict(bind_test: &[(IpAddr, Result<(), BindError>)]) -> PortVerdict {
    let failed = |e: &BindError| bind_test.iter().any(|(_, r)| r.as_ref().err() == Some(e));
    if bind_test.iter().all(|(_, r)| r.is_ok()) {
        PortVerdict::Free
    } else if failed(&BindError::InUse) {
        PortVerdict::Taken
    } else if failed(&BindError::Permission) {
        PortVerdict::Restricted
    } else {
        PortVerdict::Unbindable
    }
}

pub fn port(host: &Host, found: &PortFindings, cat: &dyn Catalogue) -> PortReport {
    let port = found.port;
    let f = facts(host, port);
    let mut notes = debugger_notes(host, found.debug, found.table);
    let debugger_exposed = !notes.is_empty();
    notes.extend(port_notes(host, port, found.bind_test, found.table));
    // Listening sockets first, then the rest by state.
    let mut rows = SocketRows::new(host, found.table);
    if let Some(state) = found.firewall {
        rows = rows.with_firewall(state);
    }
    let mut sockets: Vec<SocketOut> = found.table.sockets.iter().map(|s| rows.row(s)).collect();
    sockets.sort_by_key(|s| (!s.state.is_listening(), s.proto, s.ip));
    let entries: Vec<&FirewallOut> = sockets.iter().flat_map(|s| &s.firewall).collect();
    notes.extend(crate::report::firewall::notes(
        port,
        &entries,
        &format!("bindscope port {port}"),
    ));
    let verdict = verdict(found.bind_test);
    PortReport {
        port,
        verdict,
        debugger_exposed,
        class: f.class,
        needs_privilege: f.needs_privilege,
        in_ephemeral_range: f.in_ephemeral_range,
        ephemeral_range: host.sysctls.ephemeral_range,
        service: f.service.map(|id| ServiceOut {
            id,
            name: cat.service(id),
        }),
        processes: processes_of(&sockets),
        sockets,
        bind_test: found
            .bind_test
            .iter()
            .map(|(host, result)| BindTest {
                host: *host,
                ok: result.is_ok(),
                error: result.as_ref().err().cloned(),
                message: cat.bind_result(result.as_ref().err()),
            })
            .collect(),
        free: verdict == PortVerdict::Free,
        suggestions: found.suggestions.clone(),
        explain: read_next(Topic::Ports, &notes),
        notes: NoteOut::all(&notes, cat),
        kill: None,
    }
}

/// The opened owners (`pid` with what was read through its handle) as the question shows them.
pub fn holders<'f>(
    table: &SocketTable,
    opened: impl Iterator<Item = (u32, &'f HolderFacts)>,
) -> Vec<HolderOut> {
    opened
        .map(|(pid, facts)| {
            let process = table.process(pid);
            HolderOut {
                pid,
                name: process.map_or_else(|| "?".to_string(), |p| p.name.clone()),
                user: process.and_then(|p| p.user.clone()),
                cmdline: process.and_then(|p| p.cmdline.clone()),
                cwd: facts.cwd.clone(),
                running_s: facts.running_for.map(|d| d.as_secs()),
                container_init: facts.container_init,
            }
        })
        .collect()
}

/// What `--kill` did: `run` is `None` when nothing was signalled (nobody to stop, or the user
/// said no); `holders` are what the question showed.
pub fn kill(
    table: &SocketTable,
    plan: &KillPlan,
    holders: Vec<HolderOut>,
    run: Option<KillRun>,
    forced: bool,
    first_step_final: bool,
    cat: &dyn Catalogue,
) -> KillOut {
    let cancelled = run.is_none() && !plan.targets.is_empty();
    let run = run.unwrap_or(KillRun {
        targets: Vec::new(),
        freed: !table.sockets.iter().any(|s| plan.scope.socket(s)),
        taken_by: Vec::new(),
    });
    let sent = run.targets.iter().any(|t| !t.signals.is_empty());
    let verdict = if cancelled {
        KillVerdict::Cancelled
    } else if run.freed && run.targets.is_empty() && plan.refused.is_empty() {
        KillVerdict::NothingToKill
    } else if run.freed {
        KillVerdict::Freed
    } else if !run.taken_by.is_empty() {
        KillVerdict::TakenAgain
    } else if !sent {
        KillVerdict::NothingSent
    } else {
        KillVerdict::NotFreed
    };
    let force_would_help = !forced
        && !run.freed
        && run
            .targets
            .iter()
            .any(|t| t.signals == [Signal::Terminate] && t.outcome == KillOutcome::StillRunning);
    let user_of = |uid: Option<u32>| {
        uid.and_then(|uid| {
            table
                .users
                .iter()
                .find(|(u, _)| *u == uid)
                .map(|(_, name)| name.clone())
        })
    };
    let unseen = if run.freed {
        Vec::new()
    } else {
        table
            .sockets
            .iter()
            .filter(|s| plan.scope.socket(s) && s.pids.is_empty())
            .map(|s| UnseenOut {
                ip: s.local.ip(),
                port: s.local.port(),
                user: user_of(s.uid),
                needs_privilege: !table.owners_complete,
            })
            .collect()
    };
    KillOut {
        verdict,
        holders,
        targets: run
            .targets
            .into_iter()
            .map(|t| {
                let process = table.process(t.pid);
                KillTarget {
                    pid: t.pid,
                    name: process.map_or_else(|| "?".to_string(), |p| p.name.clone()),
                    user: process.and_then(|p| p.user.clone()),
                    signals: t.signals,
                    outcome: t.outcome,
                }
            })
            .collect(),
        refused: plan
            .refused
            .iter()
            .map(|&(pid, reason)| RefusedOut {
                pid,
                reason,
                message: cat.refusal(reason),
            })
            .collect(),
        unseen,
        forced,
        first_step_final,
        cancelled,
        freed: run.freed,
        force_would_help,
        taken_by: run.taken_by,
        udp: plan.scope.udp,
        udp_left: plan.udp_left,
    }
}
