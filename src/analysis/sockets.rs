//! Listening sockets and the processes behind them: who can reach each one, why a bind on a
//! port fails, which owner to stop and which never to touch.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use serde::Serialize;

use super::expose::{listeners_for, plain, v6only_by_default};
use super::notes::{Conflict, Note};
use super::vocab::{InferredBind, Reach};
use crate::model::{
    BindError, DebugFinding, Host, KillScope, Os, Proto, SockState, Socket, SocketTable,
};

/// Who can reach a listening socket: the reach of a bind to its address, with the socket's
/// own IPV6_V6ONLY where the OS reports it.
pub fn reach(host: &Host, socket: &Socket) -> Reach {
    listeners_for(host, socket.local.ip(), socket.v6only, socket.device)
        .iter()
        .map(|l| l.reach)
        .max()
        .unwrap_or(Reach::None)
}

/// [`reach`], worked out once per bind (address, IPV6_V6ONLY, interface): thousands of
/// sockets share a handful of binds, and each reach lists the addresses the bind takes.
pub struct Reaches<'h> {
    host: &'h Host,
    known: HashMap<Bind, Reach>,
    /// The last bind asked about: sockets come in runs of one address.
    last: Option<(Bind, Reach)>,
}

type Bind = (IpAddr, Option<bool>, Option<u32>);

impl<'h> Reaches<'h> {
    pub fn new(host: &'h Host) -> Reaches<'h> {
        Reaches {
            host,
            known: HashMap::new(),
            last: None,
        }
    }

    pub fn of(&mut self, socket: &Socket) -> Reach {
        let bind = (socket.local.ip(), socket.v6only, socket.device);
        if let Some((last, reach)) = self.last {
            if last == bind {
                return reach;
            }
        }
        let host = self.host;
        let reach = *self
            .known
            .entry(bind)
            .or_insert_with(|| reach(host, socket));
        self.last = Some((bind, reach));
        reach
    }
}

/// Whether any listening socket of `table` reaches beyond this machine.
pub fn any_beyond_host(host: &Host, table: &SocketTable) -> bool {
    let mut reaches = Reaches::new(host);
    table
        .sockets
        .iter()
        .any(|s| s.state.is_listening() && reaches.of(s) > Reach::Host)
}

/// Whether a `::` socket takes IPv4 too.
pub fn dual_stack(host: &Host, socket: &Socket) -> Option<bool> {
    match socket.local.ip() {
        IpAddr::V6(v6) if v6.is_unspecified() => {
            Some(!socket.v6only.unwrap_or_else(|| v6only_by_default(host)))
        }
        _ => None,
    }
}

/// The bind of the server running on a port, from its listening TCP sockets: `None` when no
/// TCP socket listens there. A wildcard socket means all; only loopback addresses, loopback;
/// anything else, specific addresses.
pub fn running_bind(host: &Host, sockets: &[Socket]) -> Option<InferredBind> {
    let listening: Vec<&Socket> = sockets.iter().filter(|s| s.is_tcp_listener()).collect();
    if listening.is_empty() {
        None
    } else if listening.iter().all(|s| reach(host, s) <= Reach::Host) {
        // Loopback addresses only, or tied to `lo`: this machine only.
        Some(InferredBind::Loopback)
    } else if listening
        .iter()
        .any(|s| s.local.ip().is_unspecified() && s.device.is_none())
    {
        Some(InferredBind::All)
    } else if listening.iter().all(|s| plain(s.local.ip()).is_loopback()) {
        Some(InferredBind::Loopback)
    } else {
        Some(InferredBind::Specific)
    }
}

/// Whether a TCP server listening in `sockets` takes connections to `ip`, by the same rules
/// as [`reach`]: its address, the wildcard with IPV6_V6ONLY, the interface it is tied to.
pub fn answers_on(host: &Host, sockets: &[Socket], ip: IpAddr) -> bool {
    sockets.iter().filter(|s| s.is_tcp_listener()).any(|s| {
        listeners_for(host, s.local.ip(), s.v6only, s.device)
            .iter()
            .any(|l| l.ip == ip && l.state.usable())
    })
}

/// Who can reach `ip` through the TCP servers listening in `sockets`: a socket tied to `lo`
/// takes this machine's connections to an address, not the LAN's. `None` when no socket there
/// takes `ip` (or the table could not be read).
pub fn reach_at(host: &Host, sockets: &[Socket], ip: IpAddr) -> Option<Reach> {
    sockets
        .iter()
        .filter(|s| s.is_tcp_listener())
        .flat_map(|s| listeners_for(host, s.local.ip(), s.v6only, s.device))
        .filter(|l| l.ip == ip)
        .map(|l| l.reach)
        .max()
}

/// The listening TCP sockets that stop a bind of `trial` on their port, and why. This only
/// explains a failure the real bind already reported; it follows Linux's rules (a specific
/// address and the wildcard conflict, a dual-stack `::` holds IPv4 too).
pub fn blockers(host: &Host, trial: IpAddr, sockets: &[Socket]) -> Vec<(SocketAddr, Conflict)> {
    if host.os == Os::Windows {
        return windows_blockers(trial, sockets);
    }
    let trial_dual = trial.is_ipv6() && trial.is_unspecified() && !v6only_by_default(host);
    sockets
        .iter()
        .filter(|s| s.is_tcp_listener())
        .filter_map(|s| {
            let held = plain(s.local.ip());
            let held_dual = dual_stack(host, s) == Some(true);
            let rule = match (trial, held) {
                _ if trial == held => Conflict::Same,
                (IpAddr::V4(t), IpAddr::V4(h)) if h.is_unspecified() && !t.is_unspecified() => {
                    Conflict::CoveredByWildcard
                }
                (IpAddr::V4(t), IpAddr::V4(_)) if t.is_unspecified() => {
                    Conflict::WildcardBlockedBySpecific
                }
                (IpAddr::V4(_), IpAddr::V6(_)) if held_dual => Conflict::DualStackHoldsIpv4,
                (IpAddr::V6(t), IpAddr::V4(_)) if t.is_unspecified() && trial_dual => {
                    Conflict::DualStackNeedsIpv4
                }
                (IpAddr::V6(t), IpAddr::V6(_)) if t.is_unspecified() => {
                    Conflict::WildcardBlockedBySpecific
                }
                (IpAddr::V6(_), IpAddr::V6(h)) if h.is_unspecified() => Conflict::CoveredByWildcard,
                _ => return None,
            };
            Some((s.local, rule))
        })
        .collect()
}

/// Windows: a trial bind failed on an address a TCP listener holds exactly, and a server that
/// sets SO_REUSEADDR (Werkzeug) would share it with a holder that set it too.
fn windows_flask_would_share(
    bind_test: &[(IpAddr, Result<(), BindError>)],
    table: &SocketTable,
) -> bool {
    use super::windows_bind::{second_bind, WinBind, WinBindOption, WinBindOutcome};
    bind_test.iter().any(|(trial, result)| {
        matches!(result, Err(BindError::InUse))
            && table
                .sockets
                .iter()
                .any(|s| s.is_tcp_listener() && plain(s.local.ip()) == *trial)
            && {
                let flask = WinBind {
                    option: WinBindOption::ReuseAddr,
                    wildcard: trial.is_unspecified(),
                };
                second_bind(flask, flask) == WinBindOutcome::Success
            }
    })
}

/// Windows' rules (`windows_bind`): a trial bind sets no option, so a failure beside a holder
/// that Windows would allow with no option means the holder is exclusive. IPv6 sockets are
/// v6-only there by default, so the families never meet.
fn windows_blockers(trial: IpAddr, sockets: &[Socket]) -> Vec<(SocketAddr, Conflict)> {
    use super::windows_bind::{second_bind, WinBind, WinBindOption, WinBindOutcome};
    sockets
        .iter()
        .filter(|s| s.is_tcp_listener())
        .filter_map(|s| {
            let held = plain(s.local.ip());
            if held.is_ipv4() != trial.is_ipv4() {
                return None;
            }
            if held == trial {
                return Some((s.local, Conflict::Same));
            }
            if !held.is_unspecified() && !trial.is_unspecified() {
                return None;
            }
            let bind = |ip: IpAddr| WinBind {
                option: WinBindOption::Default,
                wildcard: ip.is_unspecified(),
            };
            let rule = match second_bind(bind(held), bind(trial)) {
                WinBindOutcome::Success => Conflict::Exclusive,
                _ => Conflict::CoveredByWildcard,
            };
            Some((s.local, rule))
        })
        .collect()
}

/// DANGER: Werkzeug's debugger is on in a process whose socket reaches beyond this machine.
/// One note per address it listens on.
pub fn debugger_notes(host: &Host, findings: &[DebugFinding], table: &SocketTable) -> Vec<Note> {
    let mut notes = Vec::new();
    for finding in findings {
        let exposed = table.sockets.iter().filter(|s| {
            s.proto == Proto::Tcp
                && s.state == SockState::Listen
                && s.pids.contains(&finding.pid)
                && reach(host, s) > Reach::Host
        });
        for s in exposed {
            let note = Note::DebuggerExposed {
                ip: s.local.ip(),
                evidence: finding.evidence,
            };
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    notes
}

/// `python3 (4200)`, or `pid 4200` when the process could not be read.
pub fn owner_name(table: &SocketTable, pid: u32) -> String {
    table.process(pid).map_or_else(
        || format!("pid {pid}"),
        |p| format!("{} ({})", p.name, p.pid),
    )
}

/// A TCP socket bound without listen() on the port, with its owner; `holds` when a trial bind
/// found the port in use.
pub fn bound_not_listening(port: u16, table: &SocketTable, holds: bool) -> Option<Note> {
    let bound = table.sockets.iter().find(|s| s.state == SockState::Bound)?;
    Some(Note::BoundNotListening {
        port,
        owner: bound.pids.first().map(|&pid| owner_name(table, pid)),
        holds,
    })
}

fn looks_like_python(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("python") || name.starts_with("flask")
}

/// What the owners of `sockets` tell about how to free the port.
pub fn owner_notes(host: &Host, port: Option<u16>, table: &SocketTable) -> Vec<Note> {
    let mut notes = Vec::new();
    for socket in &table.sockets {
        for &parent in &socket.pids {
            let child = socket
                .pids
                .iter()
                .copied()
                .find(|&pid| table.process(pid).and_then(|p| p.ppid) == Some(parent));
            let python = |pid| {
                table
                    .process(pid)
                    .is_some_and(|p| looks_like_python(&p.name))
            };
            if let Some(child) = child.filter(|&c| python(c) && python(parent)) {
                let note = Note::Reloader { parent, child };
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    let mut proxied: Vec<u16> = table
        .sockets
        .iter()
        .filter(|s| {
            s.pids
                .iter()
                .any(|&pid| table.process(pid).is_some_and(|p| p.name == "docker-proxy"))
        })
        .map(|s| s.local.port())
        .collect();
    proxied.sort_unstable();
    proxied.dedup();
    if !proxied.is_empty() {
        notes.push(Note::DockerProxy { ports: proxied });
    }
    if let Some(port) = port {
        // AirPlay Receiver runs in ControlCenter; without privileges its owner is hidden.
        let airplay_likely = table.sockets.iter().any(|s| {
            s.pids.is_empty()
                || s.pids.iter().any(|&pid| {
                    table
                        .process(pid)
                        .is_some_and(|p| p.name.starts_with("ControlCe"))
                })
        });
        if host.os == Os::Macos && matches!(port, 5000 | 7000) && airplay_likely {
            notes.push(Note::AirPlay { port });
        }
    }
    if table.unreadable > 0 {
        notes.push(Note::OwnersHidden {
            processes: table.unreadable,
        });
    }
    if table.protected > 0 {
        notes.push(Note::OwnersProtected {
            processes: table.protected,
        });
    }
    if table.unreadable + table.protected == 0
        && table
            .sockets
            .iter()
            .any(|s| s.state.is_listening() && s.pids.is_empty())
    {
        notes.push(Note::NoVisibleOwner);
    }
    notes
}

/// What `port` says about a port beyond its table: why each trial bind that failed failed,
/// who holds it, the privilege it needs, Windows' excluded ranges, TIME_WAIT, the ephemeral
/// range.
pub fn port_notes(
    host: &Host,
    port: u16,
    bind_test: &[(IpAddr, Result<(), BindError>)],
    table: &SocketTable,
) -> Vec<Note> {
    let mut notes = Vec::new();
    for (trial, result) in bind_test {
        if let Err(BindError::InUse) = result {
            // The same address needs no explaining: the table shows who holds it.
            let explained = blockers(host, *trial, &table.sockets)
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
    let in_use = bind_test
        .iter()
        .any(|(_, r)| matches!(r, Err(BindError::InUse)));
    if host.os == Os::Windows && windows_flask_would_share(bind_test, table) {
        notes.push(Note::ReuseAddrShares { port });
    }
    notes.extend(bound_not_listening(port, table, in_use));
    notes.extend(owner_notes(host, Some(port), table));
    notes.extend(super::ports::privilege_note(host, port, false));
    let refused = bind_test
        .iter()
        .any(|(_, r)| matches!(r, Err(BindError::Permission)));
    let listening = table.sockets.iter().any(|s| s.state.is_listening());
    let range = super::ports::excluded_range(host, port);
    if range.is_some() || (refused && host.os == Os::Windows && !listening) {
        notes.push(Note::ExcludedPortRange { port, range });
    }
    if table.sockets.iter().any(|s| s.state == SockState::TimeWait) {
        notes.push(Note::TimeWait);
    }
    let f = super::ports::facts(host, port);
    if let (Some(true), Some((low, high))) = (f.in_ephemeral_range, host.sysctls.ephemeral_range) {
        notes.push(Note::EphemeralRange { low, high });
    }
    notes
}

/// Why a pid is never signalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Pid 0 is the kernel's.
    Kernel,
    /// Pid 1 is init: stopping it stops the machine (or the container).
    Init,
    /// bindscope itself.
    Itself,
    /// The number was read in a /proc of another pid namespace than bindscope's: here it may
    /// name another process, so none is signalled.
    ForeignPids,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KillPlan {
    /// The processes to stop, parents before their children.
    pub targets: Vec<u32>,
    pub refused: Vec<(u32, Refusal)>,
    /// Listening sockets on the port whose owner could not be seen.
    pub unowned: usize,
    /// Which of the port's sockets it is about: TCP listeners, and with `--udp` bound UDP
    /// sockets.
    pub scope: KillScope,
    /// Bound UDP sockets on the port left alone because `--udp` was not given.
    pub udp_left: usize,
}

/// Whom `--kill` may signal: the owners of the sockets `scope` covers (TCP listeners; with
/// `--udp`, bound UDP sockets too), never pid 0, 1 or itself, and none when their numbers are
/// another pid namespace's (`foreign_pids`).
pub fn kill_plan(
    table: &SocketTable,
    scope: KillScope,
    own_pid: u32,
    foreign_pids: bool,
) -> KillPlan {
    let listening: Vec<&Socket> = table.sockets.iter().filter(|s| scope.socket(s)).collect();
    let mut pids: Vec<u32> = listening
        .iter()
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    pids.sort_unstable();
    pids.dedup();
    // A parent (Werkzeug's reloader) goes first, so that it does not start a new child.
    let holders = pids.clone();
    let is_child = |pid: u32| {
        table
            .process(pid)
            .and_then(|p| p.ppid)
            .is_some_and(|ppid| holders.contains(&ppid))
    };
    pids.sort_by_key(|&pid| (is_child(pid), pid));
    let mut plan = KillPlan {
        targets: Vec::new(),
        refused: Vec::new(),
        unowned: listening.iter().filter(|s| s.pids.is_empty()).count(),
        scope,
        udp_left: table
            .sockets
            .iter()
            .filter(|s| !scope.udp && s.proto == Proto::Udp && s.state == SockState::Unconn)
            .count(),
    };
    for pid in pids {
        match pid {
            _ if foreign_pids => plan.refused.push((pid, Refusal::ForeignPids)),
            0 => plan.refused.push((pid, Refusal::Kernel)),
            1 => plan.refused.push((pid, Refusal::Init)),
            p if p == own_pid => plan.refused.push((pid, Refusal::Itself)),
            p => plan.targets.push(p),
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixtures;
    use crate::model::Process;
    use crate::test_support::ip;

    fn listen(addr: &str, v6only: Option<bool>, pids: &[u32]) -> Socket {
        Socket {
            proto: Proto::Tcp,
            local: addr.parse().unwrap(),
            remote: None,
            state: SockState::Listen,
            v6only,
            device: None,
            uid: Some(1000),
            inode: Some(1),
            pids: pids.to_vec(),
        }
    }

    fn process(pid: u32, ppid: u32, name: &str) -> Process {
        Process {
            pid,
            ppid: Some(ppid),
            name: name.into(),
            uid: Some(1000),
            user: Some("student".into()),
            cmdline: None,
            start_time: Some(1),
        }
    }

    #[test]
    fn reach_of_sockets_follows_their_bind_and_v6only() {
        let host = fixtures::laptop();
        assert_eq!(
            reach(&host, &listen("127.0.0.1:5000", None, &[])),
            Reach::Host
        );
        assert_eq!(reach(&host, &listen("0.0.0.0:5000", None, &[])), Reach::Lan);
        assert_eq!(
            reach(&host, &listen("[::1]:5000", Some(true), &[])),
            Reach::Host
        );
        // docker0's address: Linux accepts it from any device that routes there.
        assert_eq!(
            reach(&host, &listen("172.17.0.1:5000", None, &[])),
            Reach::Lan
        );
        let server = fixtures::server();
        assert_eq!(
            reach(&server, &listen("[::]:22", Some(false), &[])),
            Reach::Internet
        );
        let dual = listen("[::]:5000", Some(false), &[]);
        let v6 = listen("[::]:5000", Some(true), &[]);
        assert_eq!(dual_stack(&host, &dual), Some(true));
        assert_eq!(dual_stack(&host, &v6), Some(false));
        assert_eq!(dual_stack(&host, &listen("0.0.0.0:1", None, &[])), None);
    }

    #[test]
    fn windows_bind_conflicts_follow_windows_rules() {
        let mut host = fixtures::laptop();
        host.os = Os::Windows;
        let lo = [listen("127.0.0.1:5000", None, &[7])];
        // A wildcard bind beside a specific one succeeds on Windows: failing, the holder is
        // exclusive. Never Linux's "(on Linux SO_REUSEADDR does not change that)".
        assert_eq!(
            blockers(&host, ip("0.0.0.0"), &lo),
            vec![(lo[0].local, Conflict::Exclusive)]
        );
        assert_eq!(
            blockers(&host, ip("127.0.0.1"), &lo),
            vec![(lo[0].local, Conflict::Same)]
        );
        assert!(
            blockers(&host, ip("::"), &lo).is_empty(),
            "v6-only by default"
        );
        let all = [listen("0.0.0.0:5000", None, &[7])];
        assert_eq!(
            blockers(&host, ip("127.0.0.1"), &all),
            vec![(all[0].local, Conflict::Exclusive)]
        );
        assert_eq!(
            blockers(&host, ip("0.0.0.0"), &all),
            vec![(all[0].local, Conflict::Same)]
        );
        let table = SocketTable {
            sockets: lo.to_vec(),
            ..SocketTable::default()
        };
        let tried = [
            (ip("127.0.0.1"), Err(BindError::InUse)),
            (ip("0.0.0.0"), Err(BindError::InUse)),
        ];
        let notes = port_notes(&host, 5000, &tried, &table);
        assert!(notes.contains(&Note::ReuseAddrShares { port: 5000 }));
        assert!(!notes.iter().any(|n| matches!(
            n,
            Note::Conflict {
                rule: Conflict::WildcardBlockedBySpecific,
                ..
            }
        )));
        host.os = Os::Linux;
        let notes = port_notes(&host, 5000, &tried, &table);
        assert!(!notes.contains(&Note::ReuseAddrShares { port: 5000 }));
    }

    #[test]
    fn linux_bind_conflicts_are_explained() {
        let host = fixtures::laptop();
        let lo = [listen("127.0.0.1:5000", None, &[7])];
        assert_eq!(
            blockers(&host, ip("0.0.0.0"), &lo),
            vec![(lo[0].local, Conflict::WildcardBlockedBySpecific)]
        );
        assert_eq!(
            blockers(&host, ip("127.0.0.1"), &lo),
            vec![(lo[0].local, Conflict::Same)]
        );
        assert!(
            blockers(&host, ip("::1"), &lo).is_empty(),
            "[::1] and 127.0.0.1 coexist"
        );
        assert_eq!(
            blockers(&host, ip("::"), &lo),
            vec![(lo[0].local, Conflict::DualStackNeedsIpv4)]
        );
        let all = [listen("0.0.0.0:5000", None, &[7])];
        assert_eq!(
            blockers(&host, ip("127.0.0.1"), &all),
            vec![(all[0].local, Conflict::CoveredByWildcard)]
        );
        let dual = [listen("[::]:5000", Some(false), &[7])];
        assert_eq!(
            blockers(&host, ip("0.0.0.0"), &dual),
            vec![(dual[0].local, Conflict::DualStackHoldsIpv4)]
        );
        let v6only = [listen("[::]:5000", Some(true), &[7])];
        assert!(blockers(&host, ip("0.0.0.0"), &v6only).is_empty());
        assert_eq!(
            blockers(&host, ip("::1"), &v6only),
            vec![(v6only[0].local, Conflict::CoveredByWildcard)]
        );
    }

    #[test]
    fn werkzeug_reloader_is_named_and_its_parent_goes_first() {
        let host = fixtures::laptop();
        let table = SocketTable {
            sockets: vec![listen("127.0.0.1:5000", None, &[4200, 4242])],
            processes: vec![
                process(4200, 4100, "python3"),
                process(4242, 4200, "python3"),
            ],
            owners_complete: true,
            unreadable: 0,
            protected: 0,
            users: Vec::new(),
        };
        let notes = owner_notes(&host, Some(5000), &table);
        assert_eq!(
            notes,
            vec![Note::Reloader {
                parent: 4200,
                child: 4242
            }]
        );
        let plan = kill_plan(&table, KillScope::default(), 99, false);
        assert_eq!(plan.targets, vec![4200, 4242]);
        assert!(plan.refused.is_empty());
    }

    #[test]
    fn kill_never_touches_the_kernel_init_or_itself() {
        let table = SocketTable {
            sockets: vec![
                listen("0.0.0.0:5000", None, &[0, 1, 555, 777]),
                listen("[::]:5000", Some(true), &[]),
            ],
            processes: vec![process(777, 1, "node")],
            owners_complete: false,
            unreadable: 3,
            protected: 0,
            users: Vec::new(),
        };
        let plan = kill_plan(&table, KillScope::default(), 555, false);
        assert_eq!(plan.targets, vec![777]);
        assert_eq!(
            plan.refused,
            vec![
                (0, Refusal::Kernel),
                (1, Refusal::Init),
                (555, Refusal::Itself)
            ]
        );
        assert_eq!(plan.unowned, 1);
        // Numbers read in another pid namespace's /proc: nobody is signalled.
        let plan = kill_plan(&table, KillScope::default(), 555, true);
        assert!(plan.targets.is_empty());
        assert!(plan.refused.iter().all(|&(_, r)| r == Refusal::ForeignPids));
        assert_eq!(plan.refused.len(), 4);
    }

    #[test]
    fn kill_stops_tcp_listeners_and_bound_udp_sockets_only_with_udp() {
        let udp = |state, remote: Option<&str>, pid| Socket {
            proto: Proto::Udp,
            state,
            remote: remote.map(|r| r.parse().unwrap()),
            ..listen("0.0.0.0:5353", None, &[pid])
        };
        let table = SocketTable {
            sockets: vec![
                listen("127.0.0.1:5353", None, &[100]),
                udp(SockState::Unconn, None, 200),
                // A client connected to a DNS server, from the same port number.
                udp(SockState::Established, Some("10.0.0.1:53"), 300),
            ],
            processes: vec![
                process(100, 1, "flask"),
                process(200, 1, "mdns"),
                process(300, 1, "dig"),
            ],
            owners_complete: true,
            unreadable: 0,
            protected: 0,
            users: Vec::new(),
        };
        let plan = kill_plan(&table, KillScope::default(), 99, false);
        assert_eq!(plan.targets, vec![100]);
        assert_eq!(plan.udp_left, 1);
        let plan = kill_plan(&table, KillScope { udp: true }, 99, false);
        assert_eq!(plan.targets, vec![100, 200], "never the connected client");
        assert_eq!(plan.udp_left, 0);
    }

    #[test]
    fn docker_proxy_airplay_and_hidden_owners() {
        let mut host = fixtures::laptop();
        let table = SocketTable {
            sockets: vec![listen("0.0.0.0:8080", None, &[900])],
            processes: vec![process(900, 1, "docker-proxy")],
            owners_complete: true,
            unreadable: 0,
            protected: 0,
            users: Vec::new(),
        };
        assert_eq!(
            owner_notes(&host, None, &table),
            vec![Note::DockerProxy { ports: vec![8080] }]
        );
        host.os = Os::Macos;
        let airplay = SocketTable {
            sockets: vec![listen("0.0.0.0:5000", None, &[300])],
            processes: vec![process(300, 1, "ControlCenter")],
            owners_complete: false,
            unreadable: 2,
            protected: 0,
            users: Vec::new(),
        };
        let notes = owner_notes(&host, Some(5000), &airplay);
        assert!(notes.contains(&Note::AirPlay { port: 5000 }));
        assert!(notes.contains(&Note::OwnersHidden { processes: 2 }));
    }

    #[test]
    fn unowned_sockets_are_explained_by_what_hid_their_owner() {
        let host = fixtures::laptop();
        let table = |unreadable, protected| SocketTable {
            sockets: vec![listen("0.0.0.0:2024", None, &[])],
            owners_complete: unreadable + protected == 0,
            unreadable,
            protected,
            ..SocketTable::default()
        };
        // Nothing was hidden: the kernel's socket, or another namespace's.
        assert_eq!(
            owner_notes(&host, None, &table(0, 0)),
            vec![Note::NoVisibleOwner]
        );
        // Other users' processes: sudo shows them.
        assert_eq!(
            owner_notes(&host, None, &table(2, 0)),
            vec![Note::OwnersHidden { processes: 2 }]
        );
        // Guarded even from root: sudo would not help, so it is not offered.
        assert_eq!(
            owner_notes(&host, None, &table(0, 1)),
            vec![Note::OwnersProtected { processes: 1 }]
        );
    }
}
