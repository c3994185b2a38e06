//! `listeners`, and the socket rows `port` shares: each socket with its owners and its reach.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use serde::Serialize;

use super::{NoteOut, Report};
use crate::analysis::expose::listeners_for;
use crate::analysis::firewall::{self, Check};
use crate::analysis::interfaces::environment_notes;
use crate::analysis::notes::read_next;
use crate::analysis::notes::Note;
use crate::analysis::sockets::{debugger_notes, dual_stack, owner_notes, Reaches};
use crate::analysis::topics::Topic;
use crate::analysis::vocab::Reach;
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;
use crate::model::FirewallState;
use crate::model::{DebugFinding, Host, Process, Proto, SockState, Socket, SocketTable};
use crate::report::firewall::FirewallOut;

/// A socket as reports show it: where it listens, who can reach it, who holds it.
#[derive(Debug, Clone, Serialize)]
pub struct SocketOut {
    pub proto: Proto,
    pub ip: IpAddr,
    pub port: u16,
    pub state: SockState,
    /// The interface the socket is tied to (SO_BINDTODEVICE, or a link-local zone): it accepts
    /// only what arrives through it. Its index where no interface has it any more.
    pub device: Option<String>,
    pub v6only: Option<bool>,
    /// For `::` sockets: whether IPv4 is accepted too.
    pub dual_stack: Option<bool>,
    pub remote: Option<SocketAddr>,
    /// Who can reach it; `null` for sockets that are not listening.
    pub reach: Option<Reach>,
    /// Reachable from beyond this machine.
    pub exposed: bool,
    /// The socket's owner as the kernel records it (known even when the process is not).
    pub uid: Option<u32>,
    pub user: Option<String>,
    /// Whether the processes holding it could be seen.
    pub owner_known: bool,
    /// Every process holding the socket (Werkzeug's reloader: two). In JSON each as its pid,
    /// name and user only: the report lists the whole records once, in its own `processes`.
    #[serde(serialize_with = "brief")]
    pub processes: Vec<Arc<Process>>,
    /// For a socket reachable beyond this machine, what the firewall does with other devices'
    /// connections, per interface; empty otherwise, or when the firewall was not read.
    pub firewall: Vec<FirewallOut>,
}

/// What the firewall verdict of a socket depends on: its protocol, address, IPV6_V6ONLY and
/// interface.
type SocketKey = (Proto, SocketAddr, Option<bool>, Option<u32>);

/// A socket's processes as its row names them: pid, name and user.
fn brief<S: serde::Serializer>(processes: &[Arc<Process>], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Brief<'a> {
        pid: u32,
        name: &'a str,
        user: Option<&'a str>,
    }
    s.collect_seq(processes.iter().map(|p| Brief {
        pid: p.pid,
        name: &p.name,
        user: p.user.as_deref(),
    }))
}

/// The processes holding `rows`, each once, in pid order: what the rows' `pids` refer to.
pub fn processes_of(rows: &[SocketOut]) -> Vec<Arc<Process>> {
    each_once(rows.iter().flat_map(|r| &r.processes))
}

/// `processes`, each once, in pid order.
fn each_once<'p>(processes: impl Iterator<Item = &'p Arc<Process>>) -> Vec<Arc<Process>> {
    let mut all: Vec<Arc<Process>> = processes.cloned().collect();
    all.sort_unstable_by_key(|p| p.pid);
    all.dedup_by_key(|p| p.pid);
    all
}

/// The table's process records, each shared by the rows of its sockets, found by pid.
#[derive(Debug, Clone)]
struct Shared(Vec<Arc<Process>>);

impl Shared {
    fn of(table: &SocketTable) -> Shared {
        let mut all: Vec<Arc<Process>> = table
            .processes
            .iter()
            .map(|p| Arc::new(p.clone()))
            .collect();
        all.sort_by_key(|p| p.pid);
        Shared(all)
    }

    fn get(&self, pid: &u32) -> Option<&Arc<Process>> {
        let at = self.0.binary_search_by_key(pid, |p| p.pid).ok()?;
        self.0.get(at)
    }
}

/// Builds socket rows; the reach of a bind is worked out once per address, and process
/// records are shared between the rows of one process.
pub struct SocketRows<'a> {
    host: &'a Host,
    table: &'a SocketTable,
    reaches: Reaches<'a>,
    processes: Shared,
    /// The firewall, when it was read: each exposed socket gets its verdict.
    firewall: Option<&'a FirewallState>,
    checked: HashMap<SocketKey, Vec<Check>>,
}

impl<'a> SocketRows<'a> {
    pub fn new(host: &'a Host, table: &'a SocketTable) -> SocketRows<'a> {
        SocketRows {
            host,
            table,
            reaches: Reaches::new(host),
            firewall: None,
            checked: HashMap::new(),
            processes: Shared::of(table),
        }
    }

    /// Asks `state` about every socket reachable beyond this machine.
    pub fn with_firewall(mut self, state: &'a FirewallState) -> SocketRows<'a> {
        self.firewall = Some(state);
        self
    }

    /// Who can reach the socket's bind; `None` for sockets that are not listening.
    fn reach_of(&mut self, socket: &Socket) -> Option<Reach> {
        socket.state.is_listening().then(|| self.reaches.of(socket))
    }

    pub fn row(&mut self, socket: &Socket) -> SocketOut {
        let host = self.host;
        let reach = self.reach_of(socket);
        let checks = match (self.firewall, reach) {
            (Some(state), Some(r)) if r > Reach::Host => self
                .checked
                .entry(key(socket))
                .or_insert_with(|| firewall_checks(host, state, self.table, socket))
                .as_slice(),
            _ => &[],
        };
        row_of(host, self.table, socket, reach, &self.processes, checks)
    }
}

fn key(socket: &Socket) -> SocketKey {
    (socket.proto, socket.local, socket.v6only, socket.device)
}

/// A socket's row, with the firewall's verdict for its bind (`checks`, none when the firewall
/// was not read or the socket stays on this machine).
fn row_of(
    host: &Host,
    table: &SocketTable,
    socket: &Socket,
    reach: Option<Reach>,
    processes: &Shared,
    checks: &[Check],
) -> SocketOut {
    let mut out = socket_out(host, table, socket, reach, processes);
    // Exposed is what gets through: the bind's reach, unless the firewall keeps every other
    // device out.
    out.exposed = out.exposed && !firewall::blocks_all(checks);
    out.firewall = crate::report::firewall::out(checks);
    out
}

/// The firewall's verdict for the addresses beyond loopback a socket takes.
fn firewall_checks(
    host: &Host,
    state: &FirewallState,
    table: &SocketTable,
    socket: &Socket,
) -> Vec<Check> {
    let ips: Vec<IpAddr> = listeners_for(host, socket.local.ip(), socket.v6only, socket.device)
        .iter()
        .filter(|l| l.reach > Reach::Host)
        .map(|l| l.ip)
        .collect();
    let program = socket
        .pids
        .first()
        .and_then(|&pid| table.process(pid))
        .and_then(|p| p.cmdline.as_deref())
        .and_then(|c| c.split_whitespace().next());
    firewall::checks(
        host,
        state,
        socket.proto,
        socket.local.port(),
        &ips,
        program,
    )
}

fn socket_out(
    host: &Host,
    table: &SocketTable,
    socket: &Socket,
    reach: Option<Reach>,
    processes: &Shared,
) -> SocketOut {
    SocketOut {
        proto: socket.proto,
        ip: socket.local.ip(),
        port: socket.local.port(),
        state: socket.state,
        device: socket.device.map(|d| {
            host.interfaces
                .iter()
                .find(|i| i.index == Some(d))
                .map_or_else(|| d.to_string(), |i| i.name.clone())
        }),
        v6only: socket.v6only,
        dual_stack: dual_stack(host, socket),
        remote: socket.remote,
        reach,
        exposed: reach.is_some_and(|r| r > Reach::Host),
        firewall: Vec::new(),
        uid: socket.uid,
        user: socket
            .uid
            .and_then(|uid| table.user(uid))
            .map(str::to_string),
        owner_known: !socket.pids.is_empty(),
        processes: socket
            .pids
            .iter()
            .filter_map(|pid| processes.get(pid).cloned())
            .collect(),
    }
}

/// The listeners' first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListenersVerdict {
    /// Werkzeug's debugger is reachable beyond this machine.
    DebuggerExposed,
    NothingListens,
    /// Nothing is reachable from beyond this machine.
    NoneExposed,
    /// `exposed` sockets are; `widest_reach` says how far the widest goes.
    Exposed,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListenersReport<'a> {
    pub verdict: ListenersVerdict,
    /// Riskiest first: by reach, then port.
    pub listeners: Listeners<'a>,
    /// The processes the listeners' `pids` refer to, each once.
    pub processes: Vec<Arc<Process>>,
    pub total: usize,
    pub exposed: usize,
    /// How far the most exposed listener reaches.
    pub widest_reach: Option<Reach>,
    /// `--fail-on-exposed`: any exposed listener is a problem (exit 1).
    pub fail_on_exposed: bool,
    /// Addresses where a Werkzeug debugger is reachable beyond this machine: exit 1 with
    /// `--fail-on-exposed`, whatever else is exposed.
    pub debugger_exposed: usize,
    /// Every owner could be seen (false without privileges when other users' processes
    /// hold sockets).
    pub owners_complete: bool,
    pub notes: Vec<NoteOut>,
    /// The `explain` pages to read next.
    pub explain: Vec<Topic>,
}

/// Filters for `listeners`.
pub struct ListenersView {
    pub exposed_only: bool,
    pub fail_on_exposed: bool,
    pub proto: Option<Proto>,
    pub ipv4: bool,
    pub ipv6: bool,
}

/// The listeners' rows, made when they are written and never kept: a row is 170 bytes and its
/// cells more, so 50,000 sockets held as rows were 8 MB on top of the socket table. What a
/// row needs beyond the table (its reach, the firewall's verdict for its bind) is worked out
/// once, when the report is made; the rows come out the same each time they are asked for.
#[derive(Debug, Clone)]
pub struct Listeners<'a> {
    host: &'a Host,
    table: &'a SocketTable,
    /// The shown sockets, riskiest first: each one's place in the table and its reach.
    shown: Vec<(u32, Option<Reach>)>,
    /// The firewall's verdict for each exposed bind, when the firewall was read.
    checked: HashMap<SocketKey, Vec<Check>>,
    processes: Shared,
}

impl<'a> Listeners<'a> {
    pub fn len(&self) -> usize {
        self.shown.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The rows, in order, each made afresh.
    pub fn rows(&self) -> impl Iterator<Item = SocketOut> + '_ {
        self.shown.iter().map(|&(at, reach)| {
            let socket = &self.table.sockets[at as usize];
            let checks = self
                .checked
                .get(&key(socket))
                .map_or(&[][..], Vec::as_slice);
            row_of(
                self.host,
                self.table,
                socket,
                reach,
                &self.processes,
                checks,
            )
        })
    }
}

impl Serialize for Listeners<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.rows())
    }
}

pub fn listeners<'a>(
    host: &'a Host,
    table: &'a SocketTable,
    view: &ListenersView,
    debug: &[DebugFinding],
    firewall: Option<&FirewallState>,
    cat: &dyn Catalogue,
) -> ListenersReport<'a> {
    let mut reaches = Reaches::new(host);
    // Sorted before any row is made, riskiest first: by reach, then port. The sort moves
    // 8-byte entries, not rows.
    let mut shown: Vec<(u32, Option<Reach>)> = table
        .sockets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.state.is_listening())
        .filter(|(_, s)| view.proto.is_none_or(|p| p == s.proto))
        .filter(|(_, s)| (view.ipv4 || !s.local.is_ipv4()) && (view.ipv6 || !s.local.is_ipv6()))
        .map(|(at, s)| (at as u32, Some(reaches.of(s))))
        .collect();
    let socket = |at: u32| &table.sockets[at as usize];
    // The table's order breaks the last ties: the order a stable sort would keep.
    shown.sort_unstable_by(|&(a, ra), &(b, rb)| {
        let (x, y) = (socket(a), socket(b));
        rb.cmp(&ra)
            .then_with(|| x.local.port().cmp(&y.local.port()))
            .then_with(|| x.proto.cmp(&y.proto))
            .then_with(|| x.local.ip().cmp(&y.local.ip()))
            .then_with(|| a.cmp(&b))
    });
    // The firewall's verdict, once per bind beyond this machine.
    let mut checked: HashMap<SocketKey, Vec<Check>> = HashMap::new();
    if let Some(state) = firewall {
        for &(at, reach) in &shown {
            if reach.is_some_and(|r| r > Reach::Host) {
                let s = socket(at);
                checked
                    .entry(key(s))
                    .or_insert_with(|| firewall_checks(host, state, table, s));
            }
        }
    }
    // What gets through: the bind's reach, unless the firewall keeps every other device out.
    let exposed_at = |at: u32, reach: Option<Reach>| {
        reach.is_some_and(|r| r > Reach::Host)
            && !checked
                .get(&key(socket(at)))
                .is_some_and(|c| firewall::blocks_all(c))
    };
    let total = shown.len();
    let exposed = shown.iter().filter(|&&(at, r)| exposed_at(at, r)).count();
    if view.exposed_only {
        shown.retain(|&(at, r)| exposed_at(at, r));
    }
    let processes = Shared::of(table);
    // The processes the shown rows name.
    let named = each_once(
        shown
            .iter()
            .flat_map(|&(at, _)| &socket(at).pids)
            .filter_map(|pid| processes.get(pid)),
    );
    let mut notes = debugger_notes(host, debug, table);
    let danger = !notes.is_empty();
    // The firewall parts that could not be read, each named once, in the order the rows
    // meet them.
    let (mut incomplete, mut unread) = (false, Vec::new());
    for &(at, _) in &shown {
        let Some(checks) = checked.get(&key(socket(at))) else {
            continue;
        };
        for out in crate::report::firewall::out(checks) {
            incomplete |= !out.complete;
            for part in out.unread {
                if !unread.contains(&part) {
                    unread.push(part);
                }
            }
        }
    }
    if incomplete {
        notes.push(Note::FirewallUnread {
            command: "sudo bindscope listeners".into(),
            parts: unread,
        });
    }
    notes.extend(owner_notes(host, None, table));
    if exposed > 0 {
        notes.extend(environment_notes(host));
    }
    let first = if exposed > 0 {
        Topic::BindAll
    } else {
        Topic::LoopbackVsLan
    };
    let verdict = match (total, exposed) {
        _ if danger => ListenersVerdict::DebuggerExposed,
        (0, _) => ListenersVerdict::NothingListens,
        (_, 0) => ListenersVerdict::NoneExposed,
        _ => ListenersVerdict::Exposed,
    };
    ListenersReport {
        verdict,
        widest_reach: shown.iter().filter_map(|&(_, r)| r).max(),
        fail_on_exposed: view.fail_on_exposed,
        processes: named,
        listeners: Listeners {
            host,
            table,
            shown,
            checked,
            processes,
        },
        total,
        exposed,
        debugger_exposed: notes
            .iter()
            .filter(|n| matches!(n, Note::DebuggerExposed { .. }))
            .count(),
        owners_complete: table.owners_complete,
        explain: read_next(first, &notes),
        notes: NoteOut::all(&notes, cat),
    }
}

impl Report for ListenersReport<'_> {
    fn command(&self) -> &'static str {
        "listeners"
    }

    fn exit_code(&self) -> ExitCode {
        if self.fail_on_exposed && (self.exposed > 0 || self.debugger_exposed > 0) {
            ExitCode::Problem
        } else {
            ExitCode::Success
        }
    }
}
