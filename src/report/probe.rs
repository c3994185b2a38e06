use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::NoteOut;
use crate::analysis::expose::url;
use crate::analysis::interfaces;
use crate::analysis::notes::read_next;
use crate::analysis::notes::Note;
use crate::analysis::probe::{self, http_notes, infer, local_notes, LocalResult};
use crate::analysis::sockets::owner_notes;
use crate::analysis::topics::Topic;
use crate::analysis::vocab::Reach;
use crate::analysis::vocab::{InferredBind, ServerKind, Status, Unreachable};
use crate::i18n::Catalogue;
use crate::model::{Host, Process, SocketTable};

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
    /// With `--http`, for open ones.
    pub http: Option<HttpOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HttpOut {
    pub status: Option<u16>,
    pub reason: Option<String>,
    pub server: Option<String>,
    pub server_kind: ServerKind,
    /// Werkzeug's debugger answers (checked only when the server is Werkzeug).
    pub debugger: Option<bool>,
    /// Why there is no answer.
    pub error: Option<String>,
}

/// `probe -p PORT`: this machine's own addresses.
#[derive(Debug, Clone, Serialize)]
pub struct LocalProbeReport {
    pub port: u16,
    pub timeout_ms: u64,
    pub results: Vec<ProbeRow>,
    pub inferred_bind: InferredBind,
    pub reach: Reach,
    /// The addresses the listening sockets are bound to, from the socket table.
    pub listening_on: Vec<IpAddr>,
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
    /// The target as given.
    pub target: String,
    pub timeout_ms: u64,
    /// One entry per resolved address and port.
    pub results: Vec<ProbeRow>,
    pub notes: Vec<NoteOut>,
    /// The `explain` pages to read next.
    pub explain: Vec<Topic>,
}

impl RemoteProbeReport {
    pub fn open(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.status == Status::Open)
            .count()
    }
}

/// One connection attempt as gathered.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub ip: Option<IpAddr>,
    pub port: u16,
    pub interface: Option<String>,
    pub status: Status,
    pub unreachable: Option<Unreachable>,
    pub elapsed_ms: u64,
    pub error: Option<String>,
    pub http: Option<HttpOut>,
}

pub fn row(attempt: Attempt, cat: &dyn Catalogue) -> ProbeRow {
    ProbeRow {
        meaning: cat.meaning(attempt.status, attempt.unreachable),
        ip: attempt.ip,
        port: attempt.port,
        interface: attempt.interface,
        status: attempt.status,
        unreachable: attempt.unreachable,
        elapsed_ms: attempt.elapsed_ms,
        error: attempt.error,
        http: attempt.http,
    }
}

/// The notes that HTTP answers earn, once each.
fn http_notes_of(attempts: &[Attempt]) -> Vec<Note> {
    let mut notes: Vec<Note> = Vec::new();
    for a in attempts {
        if let (Some(ip), Some(http)) = (a.ip, &a.http) {
            for note in http_notes(ip, http.server_kind, http.debugger == Some(true)) {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    notes
}

/// Attempts on this machine's own addresses, with who could reach each address.
pub fn local_results(host: &Host, attempts: &[Attempt]) -> Vec<LocalResult> {
    attempts
        .iter()
        .filter_map(|a| {
            let ip = a.ip?;
            Some(LocalResult {
                ip,
                status: a.status,
                reach: interfaces::reach_of(host, ip),
            })
        })
        .collect()
}

/// The local probe: which bind the answers reveal, who can reach it, what to do.
pub fn local(
    host: &Host,
    port: u16,
    timeout: Duration,
    attempts: Vec<Attempt>,
    table: &SocketTable,
    cat: &dyn Catalogue,
) -> LocalProbeReport {
    let results = local_results(host, &attempts);
    let inferred_bind = infer(&results);
    let reach = probe::reach(&results);
    let mut notes = local_notes(port, &results, inferred_bind, table);
    notes.extend(http_notes_of(&attempts));
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
    let url = (reach >= Reach::Lan)
        .then(|| {
            primary.filter(|&p| answered(p)).or_else(|| {
                results
                    .iter()
                    .find(|r| r.status == Status::Open && r.reach >= Reach::Lan)
                    .map(|r| r.ip)
            })
        })
        .flatten()
        .and_then(|ip| url("http", ip, port, ""));
    let mut listening_on: Vec<IpAddr> = table
        .sockets
        .iter()
        .filter(|s| s.state.is_listening())
        .map(|s| s.local.ip())
        .collect();
    listening_on.sort();
    listening_on.dedup();
    LocalProbeReport {
        port,
        timeout_ms: timeout.as_millis() as u64,
        results: attempts.into_iter().map(|a| row(a, cat)).collect(),
        inferred_bind,
        reach,
        listening_on,
        processes: table.processes.iter().cloned().map(Arc::new).collect(),
        url,
        explain: read_next(Topic::for_inferred(inferred_bind), &notes),
        notes: NoteOut::all(&notes, cat),
    }
}

pub fn remote(
    target: &str,
    timeout: Duration,
    attempts: Vec<Attempt>,
    cat: &dyn Catalogue,
) -> RemoteProbeReport {
    let notes = http_notes_of(&attempts);
    // The page for the worst outcome: a timeout says more than a refusal, a refusal more
    // than an open port.
    let worst = attempts
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
    RemoteProbeReport {
        target: target.to_string(),
        timeout_ms: timeout.as_millis() as u64,
        results: attempts.into_iter().map(|a| row(a, cat)).collect(),
        notes: NoteOut::all(&notes, cat),
        explain,
    }
}
