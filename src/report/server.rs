//! The server already running on the port, as `urls` and the overview tell it: how it is bound,
//! which URLs it answers on, and the notes that follow.

use std::net::IpAddr;

use serde::Serialize;

use crate::analysis::notes::Note;
use crate::analysis::probe::runs_python_or_flask;
use crate::analysis::sockets::{answers_on, debugger_notes, running_bind};
use crate::analysis::vocab::InferredBind;
use crate::model::{DebugFinding, Host, Process, SocketTable};

/// What was read of the port: its sockets and owners, and whether a debugger is on.
#[derive(Clone, Copy)]
pub struct Running<'a> {
    pub table: &'a SocketTable,
    pub debug: &'a [DebugFinding],
}

/// `server` in `--json`: `null` when nothing listens on the port.
#[derive(Debug, Clone, Serialize)]
pub struct ServerOut {
    /// How it is bound, by its sockets: `loopback`, `all`, `specific`.
    pub inferred_bind: InferredBind,
    /// The addresses its listening sockets are bound to.
    pub listening_on: Vec<IpAddr>,
    pub processes: Vec<Process>,
    /// Werkzeug's debugger is on and reachable beyond this machine.
    pub debugger_exposed: bool,
}

/// The running server, or `None` when no TCP socket listens on the port.
pub fn server(host: &Host, running: Running) -> Option<ServerOut> {
    let inferred_bind = running_bind(host, &running.table.sockets)?;
    let mut listening_on: Vec<IpAddr> = running
        .table
        .sockets
        .iter()
        .filter(|s| s.is_tcp_listener())
        .map(|s| s.local.ip())
        .collect();
    listening_on.sort();
    listening_on.dedup();
    Some(ServerOut {
        inferred_bind,
        listening_on,
        processes: tcp_owners(running.table),
        debugger_exposed: !debugger_notes(host, running.debug, running.table).is_empty(),
    })
}

/// The processes holding the port's TCP listeners (a UDP socket on the port is not the server).
fn tcp_owners(table: &SocketTable) -> Vec<Process> {
    table
        .processes
        .iter()
        .filter(|p| {
            table
                .sockets
                .iter()
                .any(|s| s.is_tcp_listener() && s.pids.contains(&p.pid))
        })
        .cloned()
        .collect()
}

/// Whether the running server answers on `ip`: `None` when nothing listens.
pub fn answers(host: &Host, running: Option<Running>, ip: IpAddr) -> Option<bool> {
    let running = running?;
    running_bind(host, &running.table.sockets)?;
    Some(answers_on(host, &running.table.sockets, ip))
}

/// What the running server means for the URLs: the debugger first, then a loopback bind that
/// no network URL reaches, or that nothing runs yet.
/// `bind` is what the server should be started on (the host asked about, or the wildcard);
/// `None` where starting it there is not the advice (a public address, WSL behind NAT).
pub fn server_notes(
    host: &Host,
    port: u16,
    running: Option<Running>,
    bind: Option<&str>,
) -> Vec<Note> {
    let Some(running) = running else {
        return Vec::new();
    };
    let mut notes = debugger_notes(host, running.debug, running.table);
    match running_bind(host, &running.table.sockets) {
        None => notes.extend(bind.map(|bind| Note::ServerNotRunning {
            port,
            bind: bind.to_string(),
        })),
        Some(InferredBind::Loopback) => {
            let flask = tcp_owners(running.table).iter().any(runs_python_or_flask);
            notes.push(Note::ServerLoopbackOnly { port, flask });
        }
        Some(_) => {}
    }
    notes
}
