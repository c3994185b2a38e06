use std::net::IpAddr;

use serde::Serialize;

use super::sockets::{SocketOut, SocketRows};
use super::NoteOut;
use crate::analysis::notes::read_next;
use crate::analysis::notes::{Conflict, Note};
use crate::analysis::ports::{facts, PortClass, Service};
use crate::analysis::sockets::{blockers, owner_notes, KillOutcome, Refusal};
use crate::analysis::topics::Topic;
use crate::i18n::Catalogue;
use crate::model::BindError;
use crate::model::Signal;
use crate::model::{Host, Process, SockState, SocketTable};

#[derive(Debug, Clone, Serialize)]
pub struct PortReport {
    pub port: u16,
    pub class: PortClass,
    /// Below `ip_unprivileged_port_start`: root or CAP_NET_BIND_SERVICE needed.
    pub needs_privilege: bool,
    pub in_ephemeral_range: Option<bool>,
    pub ephemeral_range: Option<(u16, u16)>,
    pub service: Option<ServiceOut>,
    /// Every socket on the port, in any state.
    pub sockets: Vec<SocketOut>,
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
    pub error: Option<&'static str>,
    /// The result in the user's language.
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KillOut {
    pub targets: Vec<KillTarget>,
    pub refused: Vec<RefusedOut>,
    /// SIGKILL was allowed (`--force`).
    pub forced: bool,
    /// The user answered no: nothing was signalled.
    pub cancelled: bool,
    /// No listening socket is left on the port.
    pub freed: bool,
    /// When not freed: processes listening on the port now that were not there at the check
    /// (the port was taken again between the check and the signal). They are left alone.
    pub taken_by: Vec<Process>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KillTarget {
    pub pid: u32,
    pub name: String,
    /// The signals sent, in order.
    pub signals: Vec<Signal>,
    pub outcome: KillOutcome,
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
}

pub fn port(host: &Host, found: &PortFindings, cat: &dyn Catalogue) -> PortReport {
    let port = found.port;
    let f = facts(host, port);
    let mut notes = Vec::new();
    for (trial, result) in found.bind_test {
        if let Err(BindError::InUse) = result {
            // The same address needs no explaining: the table shows who holds it.
            let explained = blockers(host, *trial, &found.table.sockets)
                .into_iter()
                .filter(|(_, rule)| *rule != Conflict::Same);
            for (blocker, rule) in explained {
                notes.push(Note::Conflict {
                    trial: *trial,
                    blocker,
                    rule,
                });
            }
        }
    }
    notes.extend(owner_notes(host, Some(port), found.table));
    if let (true, Some(start)) = (f.needs_privilege, host.sysctls.unprivileged_port_start) {
        notes.push(if host.privileged {
            Note::PrivilegedPortAllowed { port, start }
        } else {
            Note::PrivilegedPort { port, start }
        });
    }
    let refused = found
        .bind_test
        .iter()
        .any(|(_, r)| matches!(r, Err(BindError::Permission)));
    let listening = found.table.sockets.iter().any(|s| s.state.is_listening());
    if refused && host.os == crate::model::Os::Windows && !listening {
        notes.push(Note::ExcludedPortRange { port });
    }
    if found
        .table
        .sockets
        .iter()
        .any(|s| s.state == SockState::TimeWait)
    {
        notes.push(Note::TimeWait);
    }
    if let (Some(true), Some((low, high))) = (f.in_ephemeral_range, host.sysctls.ephemeral_range) {
        notes.push(Note::EphemeralRange { low, high });
    }

    // Listening sockets first, then the rest by state.
    let mut rows = SocketRows::new(host, found.table);
    let mut sockets: Vec<SocketOut> = found.table.sockets.iter().map(|s| rows.row(s)).collect();
    sockets.sort_by_key(|s| (!s.state.is_listening(), s.proto, s.ip));
    PortReport {
        port,
        class: f.class,
        needs_privilege: f.needs_privilege,
        in_ephemeral_range: f.in_ephemeral_range,
        ephemeral_range: host.sysctls.ephemeral_range,
        service: f.service.map(|id| ServiceOut {
            id,
            name: cat.service(id),
        }),
        sockets,
        bind_test: found
            .bind_test
            .iter()
            .map(|(host, result)| BindTest {
                host: *host,
                ok: result.is_ok(),
                error: result.as_ref().err().map(BindError::code),
                message: cat.bind_result(result.as_ref().err()),
            })
            .collect(),
        free: found.bind_test.iter().all(|(_, r)| r.is_ok()),
        suggestions: found.suggestions.clone(),
        explain: read_next(Topic::Ports, &notes),
        notes: NoteOut::all(&notes, cat),
        kill: None,
    }
}
