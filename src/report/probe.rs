//! `probe`: the attempts, the bind they reveal (of this machine) or what each status means (of a
//! target), and the verdict.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::{NoteOut, Report};
use crate::analysis::expose::url;
use crate::analysis::firewall::{self, Check};
use crate::analysis::host_check::{host_name, refused_by};
use crate::analysis::interfaces;
use crate::analysis::notes::read_next;
use crate::analysis::notes::Note;
use crate::analysis::probe::{
    self, http_notes, infer, local_notes, server_kind, status_of, LocalResult,
};
use crate::analysis::sockets::owner_notes;
use crate::analysis::sockets::{debugger_notes, reach_at};
use crate::analysis::topics::Topic;
use crate::analysis::vocab::Reach;
use crate::analysis::vocab::{DevServer, InferredBind, ServerKind, Status, Unreachable};
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;
use crate::i18n::{Label, Text};
use crate::model::{Attempt, Host, HttpProbe, Process, SockState, SocketTable};
use crate::model::{DebugFinding, IcmpReason};
use crate::parse::{HostInput, HostSpec};
use crate::report::firewall::FirewallOut;

/// One connection attempt.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeRow {
    /// `null` when the name did not resolve.
    pub ip: Option<IpAddr>,
    pub port: u16,
    /// This machine's interface holding `ip` (local probes).
    pub interface: Option<String>,
    pub status: Status,
    /// For `unreachable`: `host` or `network`.
    pub unreachable: Option<Unreachable>,
    pub elapsed_ms: u64,
    /// What the status means, in the user's language.
    pub meaning: &'static str,
    /// The OS's words, for `error`.
    pub error: Option<String>,
    /// The ICMP error behind a failure, where the OS reports it (Linux): `admin_prohibited`
    /// (a firewall rejected it), `host_unreachable`, `net_unreachable`, `port_unreachable`,
    /// `other`; `null` otherwise.
    pub reason: Option<IcmpReason>,
    /// With `--http`, for open ones.
    pub http: Option<HttpOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HttpOut {
    /// The `Host` header sent: the address as the other device would type it.
    pub host: String,
    pub status: Option<u16>,
    pub reason: Option<String>,
    pub server: Option<String>,
    pub server_kind: ServerKind,
    /// Werkzeug's debugger answers (checked only when the server is Werkzeug).
    pub debugger: Option<bool>,
    /// A development server refused this `Host` (or, for Next.js, a page from it): which one,
    /// and the setting that lets the other device in.
    pub host_refused: Option<HostRefusal>,
    /// Why there is no answer.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HostRefusal {
    pub server: DevServer,
    pub setting: &'static str,
}

/// `probe -p PORT`: this machine's own addresses.
#[derive(Debug, Clone, Serialize)]
pub struct LocalProbeReport {
    pub verdict: LocalVerdict,
    pub port: u16,
    pub timeout_ms: u64,
    pub results: Vec<ProbeRow>,
    pub inferred_bind: InferredBind,
    pub reach: Reach,
    /// The addresses the listening sockets are bound to, from the socket table.
    pub listening_on: Vec<IpAddr>,
    /// What this machine's firewall does with connections from other devices, per interface.
    pub firewall: Vec<FirewallOut>,
    /// The processes holding the port.
    pub processes: Vec<Arc<Process>>,
    /// The URL to try from another device, when one should work.
    pub url: Option<String>,
    pub notes: Vec<NoteOut>,
    /// The `explain` pages to read next.
    pub explain: Vec<Topic>,
}

/// `probe TARGET`: any host, from wherever bindscope runs.
#[derive(Debug, Clone, Serialize)]
pub struct RemoteProbeReport {
    pub verdict: RemoteVerdict,
    /// The target as given.
    pub target: String,
    /// How many of `results` opened.
    pub open: usize,
    pub timeout_ms: u64,
    /// One entry per resolved address and port.
    pub results: Vec<ProbeRow>,
    pub notes: Vec<NoteOut>,
    /// The `explain` pages to read next.
    pub explain: Vec<Topic>,
}

/// `probe`'s answer: of this machine, or of a target.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ProbeReport {
    Local(LocalProbeReport),
    Remote(RemoteProbeReport),
}

impl Report for ProbeReport {
    fn command(&self) -> &'static str {
        "probe"
    }

    fn exit_code(&self) -> ExitCode {
        let reached = match self {
            ProbeReport::Local(local) => {
                local.reach > Reach::Host
                    && !matches!(
                        local.verdict,
                        LocalVerdict::FirewallBlocks | LocalVerdict::HostNotAllowed
                    )
            }
            ProbeReport::Remote(remote) => {
                remote.open > 0 && remote.verdict != RemoteVerdict::HostNotAllowed
            }
        };
        if reached {
            ExitCode::Success
        } else {
            ExitCode::Problem
        }
    }
}

/// The first line of a probe of this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocalVerdict {
    /// Werkzeug's debugger is on and reachable beyond loopback: remote code execution.
    DebuggerExposed,
    /// No address answered: nothing listens, or it is not running.
    NothingAnswers,
    /// No address answered, yet the socket table shows a listener (tied to one interface, or
    /// behind a firewall here).
    ListensButSilent,
    /// A TCP socket is bound on the port but does not listen.
    BoundNotListening,
    /// Only loopback answered: this machine only.
    LoopbackOnly,
    /// Addresses beyond loopback answered: `reach` says who can connect.
    Reachable,
    /// Addresses beyond loopback answered, but this machine's firewall drops or rejects other
    /// devices' connections on every interface.
    FirewallBlocks,
    /// Addresses beyond loopback answered, but the development server refuses the `Host` a
    /// phone sends there (`--http`): the notes name the server and the setting.
    HostNotAllowed,
}

/// The first line of a probe of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::enum_variant_names)] // `all_open`, `some_open`, `none_open` read best in JSON
pub enum RemoteVerdict {
    /// Werkzeug's debugger answered: remote code execution, whatever else opened.
    DebuggerExposed,
    /// It answered, but a development server refused the `Host` this device sent (`--http`).
    HostNotAllowed,
    AllOpen,
    SomeOpen,
    NoneOpen,
}

pub fn row(attempt: Attempt, cat: &dyn Catalogue) -> ProbeRow {
    let (status, unreachable, error) = status_of(&attempt.outcome);
    ProbeRow {
        meaning: match attempt.reason {
            Some(IcmpReason::AdminProhibited) => cat.label(Label::AdminProhibited),
            // A closed TCP port answers with a reset; an ICMP port-unreachable is a
            // firewall's plain reject (nftables' and iptables' default).
            Some(IcmpReason::PortUnreachable) => cat.label(Label::PortUnreachableReject),
            _ => cat.meaning(status, unreachable),
        },
        reason: attempt.reason,
        ip: attempt.ip,
        port: attempt.port,
        interface: attempt.interface,
        status,
        unreachable,
        elapsed_ms: attempt.elapsed_ms,
        error,
        http: attempt.http.map(|h| http_out(h, cat)),
    }
}

/// An HTTP answer with what it tells about the server.
fn http_out(probe: HttpProbe, cat: &dyn Catalogue) -> HttpOut {
    let dev_resource = probe.dev_resource.as_ref().and_then(|r| r.as_ref().ok());
    match probe.answer {
        Ok(a) => HttpOut {
            host: probe.host,
            status: Some(a.status),
            reason: Some(a.reason.clone()),
            server_kind: server_kind(a.server.as_deref()),
            host_refused: refused_by(&a, dev_resource).map(|server| HostRefusal {
                server,
                setting: server.setting(),
            }),
            server: a.server,
            debugger: probe.debugger,
            error: None,
        },
        Err(e) => HttpOut {
            host: probe.host,
            status: None,
            reason: None,
            server: None,
            server_kind: ServerKind::Other,
            debugger: None,
            host_refused: None,
            error: Some(cat.text(&Text::HttpFailed { failure: &e })),
        },
    }
}

/// Whether a development server refused the `Host` sent to an address beyond loopback: the
/// address another device uses.
fn refused_beyond_loopback(rows: &[ProbeRow]) -> bool {
    rows.iter().any(|r| {
        r.ip.is_some_and(|ip| !ip.is_loopback())
            && r.http.as_ref().is_some_and(|h| h.host_refused.is_some())
    })
}

/// The notes that HTTP answers earn, once each.
fn http_notes_of(rows: &[ProbeRow]) -> Vec<Note> {
    let mut notes: Vec<Note> = Vec::new();
    for a in rows {
        if let (Some(ip), Some(http)) = (a.ip, &a.http) {
            let mut earned = http_notes(ip, http.server_kind, http.debugger == Some(true));
            if let Some(refusal) = http.host_refused {
                earned.push(Note::HostNotAllowed {
                    server: refusal.server,
                    host: http.host.clone(),
                    name: host_name(&http.host).to_string(),
                });
            }
            for note in earned {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    notes
}

/// Attempts on this machine's own addresses, with who could reach each address: through the
/// socket that answered where the socket table shows it (one tied to `lo` answers this machine
/// on any of its addresses, and nobody else), else by the address.
pub fn local_results(host: &Host, attempts: &[Attempt], table: &SocketTable) -> Vec<LocalResult> {
    attempts
        .iter()
        .filter_map(|a| {
            let ip = a.ip?;
            let by_socket = reach_at(host, &table.sockets, ip);
            Some(LocalResult {
                ip,
                status: status_of(&a.outcome).0,
                reach: by_socket.unwrap_or_else(|| interfaces::reach_of(host, ip).reach),
                shareable: interfaces::shareable(host, ip),
            })
        })
        .collect()
}

/// What the local probe found, for its report.
pub struct LocalFindings<'a> {
    pub port: u16,
    pub timeout: Duration,
    pub attempts: Vec<Attempt>,
    /// The sockets on the port and their owners.
    pub table: &'a SocketTable,
    /// Werkzeug's debugger found on, by the process and socket it holds.
    pub debug: &'a [DebugFinding],
    /// The firewall's answer for the addresses beyond loopback that answered.
    pub firewall: &'a [Check],
}

/// The local probe: which bind the answers reveal, who can reach it, what to do.
pub fn local(host: &Host, found: LocalFindings, cat: &dyn Catalogue) -> LocalProbeReport {
    let LocalFindings {
        port,
        timeout,
        attempts,
        table,
        debug,
        firewall,
    } = found;
    let results = local_results(host, &attempts, table);
    let inferred_bind = infer(&results);
    let reach = probe::reach(&results);
    let rows: Vec<ProbeRow> = attempts.into_iter().map(|a| row(a, cat)).collect();
    let mut notes = debugger_notes(host, debug, table);
    // What the firewall does is what tells about the phone: said before the self-test's notes.
    notes.extend(firewall::notes(
        port,
        firewall,
        &format!("bindscope probe -p {port}"),
    ));
    for note in http_notes_of(&rows) {
        let answered_debugger = matches!(note, Note::DebuggerExposed { .. });
        if !(answered_debugger
            && notes
                .iter()
                .any(|n| matches!(n, Note::DebuggerExposed { .. })))
        {
            notes.push(note);
        }
    }
    notes.extend(local_notes(host, port, &results, inferred_bind, table));
    // Who holds the port, or how to see it when other users' processes hide it.
    if inferred_bind != InferredBind::None {
        notes.extend(owner_notes(host, Some(port), table));
    }
    if reach > Reach::Host {
        notes.extend(interfaces::environment_notes(host));
    }
    // The URL for another device: the primary address if it answered, else any shareable one.
    let primary = interfaces::primary(host).map(|p| p.ip);
    let answered = |ip: IpAddr| {
        results
            .iter()
            .any(|r| r.ip == ip && r.status == Status::Open)
    };
    let url = primary
        .filter(|&p| answered(p))
        .or_else(|| {
            results
                .iter()
                .find(|r| r.status == Status::Open && r.shareable)
                .map(|r| r.ip)
        })
        .and_then(|ip| url("http", ip, port, ""));
    let mut listening_on: Vec<IpAddr> = table
        .sockets
        .iter()
        .filter(|s| s.is_tcp_listener())
        .map(|s| s.local.ip())
        .collect();
    listening_on.sort();
    listening_on.dedup();
    let danger = notes
        .iter()
        .any(|n| matches!(n, Note::DebuggerExposed { .. }));
    let blocked = reach > Reach::Host && firewall::blocks_all(firewall);
    let refused = refused_beyond_loopback(&rows);
    let verdict = match inferred_bind {
        _ if danger => LocalVerdict::DebuggerExposed,
        InferredBind::All | InferredBind::Specific if blocked => LocalVerdict::FirewallBlocks,
        InferredBind::All | InferredBind::Specific if refused => LocalVerdict::HostNotAllowed,
        InferredBind::None if !listening_on.is_empty() => LocalVerdict::ListensButSilent,
        InferredBind::None if table.sockets.iter().any(|s| s.state == SockState::Bound) => {
            LocalVerdict::BoundNotListening
        }
        InferredBind::None => LocalVerdict::NothingAnswers,
        InferredBind::Loopback => LocalVerdict::LoopbackOnly,
        InferredBind::All | InferredBind::Specific => LocalVerdict::Reachable,
    };
    LocalProbeReport {
        verdict,
        port,
        timeout_ms: timeout.as_millis() as u64,
        results: rows,
        inferred_bind,
        reach,
        listening_on,
        firewall: crate::report::firewall::out(firewall),
        // No URL to try while the firewall keeps every other device out, nor one that invites
        // them to a debugger, nor one the server refuses.
        url: url.filter(|_| !blocked && !danger && !refused),
        processes: table.processes.iter().cloned().map(Arc::new).collect(),
        explain: read_next(Topic::for_inferred(inferred_bind), &notes),
        notes: NoteOut::all(&notes, cat),
    }
}

/// What `probe TARGET` was asked.
pub struct RemoteRequest<'a> {
    pub target: &'a HostInput,
    pub ports: &'a [u16],
    pub timeout: Duration,
    /// `--http` of an https target: only the TCP result is known.
    pub https_not_probed: bool,
}

/// The target as the user would recognise it: with its port when there is one port.
fn shown(request: &RemoteRequest) -> String {
    let host = match &request.target.host {
        HostSpec::Ip { ip, .. } => ip.to_string(),
        HostSpec::Name(name) => name.clone(),
    };
    match request.target.port {
        Some(port) if request.ports.len() == 1 && host.contains(':') => format!("[{host}]:{port}"),
        Some(port) if request.ports.len() == 1 => format!("{host}:{port}"),
        _ => host,
    }
}

pub fn remote(
    request: &RemoteRequest,
    attempts: Vec<Attempt>,
    cat: &dyn Catalogue,
) -> RemoteProbeReport {
    let rows: Vec<ProbeRow> = attempts.into_iter().map(|a| row(a, cat)).collect();
    let mut notes = http_notes_of(&rows);
    if request.https_not_probed {
        notes.push(Note::HttpsNotProbed);
    }
    // The page for the worst outcome: a timeout says more than a refusal, a refusal more
    // than an open port.
    let worst = rows
        .iter()
        .map(|a| a.status)
        .max_by_key(|s| match s {
            Status::Open => 0,
            Status::Unresolved | Status::Error => 1,
            Status::Refused => 2,
            Status::Unreachable => 3,
            Status::Timeout => 4,
        })
        .unwrap_or(Status::Open);
    let explain = read_next(Topic::for_status(worst), &notes);
    let open = rows.iter().filter(|r| r.status == Status::Open).count();
    let danger = notes
        .iter()
        .any(|n| matches!(n, Note::DebuggerExposed { .. }));
    RemoteProbeReport {
        verdict: match open {
            _ if danger => RemoteVerdict::DebuggerExposed,
            _ if rows
                .iter()
                .any(|r| r.http.as_ref().is_some_and(|h| h.host_refused.is_some())) =>
            {
                RemoteVerdict::HostNotAllowed
            }
            0 => RemoteVerdict::NoneOpen,
            n if n == rows.len() => RemoteVerdict::AllOpen,
            _ => RemoteVerdict::SomeOpen,
        },
        open,
        target: shown(request),
        timeout_ms: request.timeout.as_millis() as u64,
        results: rows,
        notes: NoteOut::all(&notes, cat),
        explain,
    }
}
