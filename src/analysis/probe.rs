//! What connection attempts say: the status of each, the bind they reveal, and what to do.

use std::net::IpAddr;

use super::address::classify;
use super::notes::Note;
use super::sockets::{bound_not_listening, owner_name};
use super::vocab::{AddrKind, Reach};
use super::vocab::{InferredBind, ServerKind, Status, Unreachable};
use crate::model::DebugEvidence;
use crate::model::{Family, Host, Outcome, Process, Socket, SocketTable};

/// One probe of one of this machine's addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalResult {
    pub ip: IpAddr,
    pub status: Status,
    /// Who could reach this address (from the interface analysis).
    pub reach: Reach,
    /// Another device can be given this address.
    pub shareable: bool,
}

/// The bind behind a set of local results. Every family is judged on its own: all of one
/// family's addresses answering, loopback included, is a wildcard bind.
pub fn infer(results: &[LocalResult]) -> InferredBind {
    let open = |r: &&LocalResult| r.status == Status::Open;
    let loopback = |r: &&LocalResult| classify(r.ip) == AddrKind::Loopback;
    if !results.iter().any(|r| r.status == Status::Open) {
        return InferredBind::None;
    }
    if !results.iter().filter(open).any(|r| !loopback(&r)) {
        return InferredBind::Loopback;
    }
    let whole_family = [Family::Ipv4, Family::Ipv6].iter().any(|&family| {
        let of: Vec<&LocalResult> = results
            .iter()
            .filter(|r| Family::of(r.ip) == family)
            .collect();
        of.iter().any(|r| !loopback(r)) && of.iter().all(|r| r.status == Status::Open)
    });
    if whole_family {
        InferredBind::All
    } else {
        InferredBind::Specific
    }
}

/// Who can reach the server, by the addresses that answered.
pub fn reach(results: &[LocalResult]) -> Reach {
    results
        .iter()
        .filter(|r| r.status == Status::Open)
        .map(|r| r.reach)
        .max()
        .unwrap_or(Reach::None)
}

/// A Python process, or one whose command line runs Flask: what Werkzeug's server runs in.
pub fn runs_python_or_flask(p: &Process) -> bool {
    let name = p.name.to_ascii_lowercase();
    name.starts_with("python")
        || name.starts_with("flask")
        || p.cmdline.as_deref().is_some_and(|c| c.contains("flask"))
}

/// What the local probe of `port` means for the user. `table` holds the sockets on the port
/// (listening, and TCP bound without listening) and their owners.
pub fn local_notes(
    host: &Host,
    port: u16,
    results: &[LocalResult],
    bind: InferredBind,
    table: &SocketTable,
) -> Vec<Note> {
    let mut notes = Vec::new();
    // A closed port on this machine refuses at once: silence means a local firewall drops it.
    let silent: Vec<IpAddr> = results
        .iter()
        .filter(|r| r.status == Status::Timeout)
        .map(|r| r.ip)
        .collect();
    if !silent.is_empty() {
        notes.push(Note::LocalFirewall { ips: silent });
    }
    let listening: Vec<&Socket> = table
        .sockets
        .iter()
        .filter(|s| s.is_tcp_listener())
        .collect();
    for s in listening.iter().filter(|s| s.device.is_some()) {
        let device = s
            .device
            .and_then(|d| host.interfaces.iter().find(|i| i.index == Some(d)));
        // A link-local address's zone ties it to its interface anyway.
        if let (Some(iface), false) = (device, classify(s.local.ip()) == AddrKind::LinkLocal) {
            notes.push(Note::BoundToDevice {
                socket: s.local,
                device: iface.name.clone(),
            });
        }
    }
    let flask = table.processes.iter().any(runs_python_or_flask);
    match bind {
        InferredBind::None if !listening.is_empty() => notes.push(Note::ListenerSilent {
            port,
            sockets: listening.iter().map(|s| s.local).collect(),
        }),
        InferredBind::None => match bound_not_listening(port, table, false) {
            Some(note) => notes.push(note),
            None => notes.push(Note::NothingListens { port }),
        },
        InferredBind::Loopback => notes.push(Note::LoopbackFix { flask }),
        InferredBind::All | InferredBind::Specific => {}
    }
    // One address beyond loopback answered, loopback did not: localhost does not reach it.
    let loopback_open = results
        .iter()
        .any(|r| classify(r.ip) == AddrKind::Loopback && r.status == Status::Open);
    let answered = results
        .iter()
        .filter(|r| r.status == Status::Open && classify(r.ip) != AddrKind::Loopback)
        .max_by_key(|r| (r.shareable, r.ip.is_ipv4()));
    if let (InferredBind::Specific, false, Some(r)) = (bind, loopback_open, answered) {
        notes.push(Note::NotOnLocalhost { ip: r.ip, port });
    }
    // 127.0.0.1 and ::1 held by different programs: `localhost` reaches either.
    let holders = |loopback: IpAddr| -> Vec<u32> {
        listening
            .iter()
            .filter(|s| s.local.ip() == loopback)
            .flat_map(|s| s.pids.iter().copied())
            .collect()
    };
    let (v4, v6) = (
        holders(IpAddr::from([127, 0, 0, 1])),
        holders(IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1])),
    );
    if !v4.is_empty() && !v6.is_empty() && v4.iter().all(|p| !v6.contains(p)) {
        notes.push(Note::SplitLocalhost {
            v4: owner_name(table, v4[0]),
            v6: owner_name(table, v6[0]),
        });
    }
    if bind != InferredBind::None {
        notes.push(Note::SelfTestOnly { port });
    }
    notes
}

/// The status of a connect, and for a failure the kind of unreachable or the OS's words.
pub fn status_of(outcome: &Outcome) -> (Status, Option<Unreachable>, Option<String>) {
    match outcome {
        Outcome::Open => (Status::Open, None, None),
        Outcome::Refused => (Status::Refused, None, None),
        Outcome::Timeout => (Status::Timeout, None, None),
        Outcome::HostUnreachable => (Status::Unreachable, Some(Unreachable::Host), None),
        Outcome::NetworkUnreachable => (Status::Unreachable, Some(Unreachable::Network), None),
        Outcome::Unresolved => (Status::Unresolved, None, None),
        Outcome::Error(e) => (Status::Error, None, Some(e.clone())),
    }
}

/// What an HTTP `Server` header tells about the server behind it.
pub fn server_kind(server: Option<&str>) -> ServerKind {
    match server {
        Some(s) if s.starts_with("Werkzeug") => ServerKind::Werkzeug,
        Some(s) if s.starts_with("AirTunes") => ServerKind::AirPlay,
        _ => ServerKind::Other,
    }
}

/// The notes an HTTP probe of `ip` earns.
pub fn http_notes(ip: IpAddr, kind: ServerKind, debugger: bool) -> Vec<Note> {
    let beyond_loopback = classify(ip) != AddrKind::Loopback;
    match kind {
        ServerKind::Werkzeug if debugger && beyond_loopback => vec![Note::DebuggerExposed {
            ip,
            evidence: DebugEvidence::Answered,
        }],
        ServerKind::Werkzeug if beyond_loopback => vec![Note::DevServerExposed { ip }],
        ServerKind::Werkzeug => Vec::new(),
        ServerKind::AirPlay => vec![Note::AirPlayAnswered],
        ServerKind::Other => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(ip: &str, status: Status, reach: Reach) -> LocalResult {
        LocalResult {
            ip: ip.parse().unwrap(),
            status,
            reach,
            shareable: reach >= Reach::Lan,
        }
    }

    use Status::{Open, Refused, Timeout};

    #[test]
    fn the_bind_follows_from_who_answered() {
        let lo_only = [
            r("127.0.0.1", Open, Reach::Host),
            r("::1", Refused, Reach::Host),
            r("192.168.1.23", Refused, Reach::Lan),
        ];
        assert_eq!(infer(&lo_only), InferredBind::Loopback);
        assert_eq!(reach(&lo_only), Reach::Host);
        let all_v4 = [
            r("127.0.0.1", Open, Reach::Host),
            r("::1", Refused, Reach::Host),
            r("192.168.1.23", Open, Reach::Lan),
            r("172.17.0.1", Open, Reach::Host),
        ];
        assert_eq!(infer(&all_v4), InferredBind::All);
        assert_eq!(reach(&all_v4), Reach::Lan);
        let one = [
            r("127.0.0.1", Refused, Reach::Host),
            r("192.168.1.23", Open, Reach::Lan),
            r("172.17.0.1", Refused, Reach::Host),
        ];
        assert_eq!(infer(&one), InferredBind::Specific);
        let none = [
            r("127.0.0.1", Refused, Reach::Host),
            r("192.168.1.23", Timeout, Reach::Lan),
        ];
        assert_eq!(infer(&none), InferredBind::None);
        assert_eq!(reach(&none), Reach::None);
        assert_eq!(infer(&[]), InferredBind::None);
        // `::` v6-only: the IPv6 family answers whole.
        let v6 = [
            r("127.0.0.1", Refused, Reach::Host),
            r("::1", Open, Reach::Host),
            r("192.168.1.23", Refused, Reach::Lan),
            r("fd12::23", Open, Reach::Lan),
        ];
        assert_eq!(infer(&v6), InferredBind::All);
        // A machine with loopback only cannot tell a wildcard from loopback.
        assert_eq!(
            infer(&[r("127.0.0.1", Open, Reach::Host)]),
            InferredBind::Loopback
        );
    }

    #[test]
    fn silence_from_this_machine_means_a_local_firewall() {
        let results = [
            r("127.0.0.1", Refused, Reach::Host),
            r("10.203.9.2", Timeout, Reach::Lan),
        ];
        let host = crate::analysis::fixtures::laptop();
        let notes = local_notes(
            &host,
            5000,
            &results,
            infer(&results),
            &SocketTable::default(),
        );
        assert_eq!(
            notes[0],
            Note::LocalFirewall {
                ips: vec!["10.203.9.2".parse().unwrap()]
            }
        );
    }

    #[test]
    fn http_answers_name_the_server() {
        assert_eq!(
            server_kind(Some("Werkzeug/3.1.3 Python/3.11.7")),
            ServerKind::Werkzeug
        );
        assert_eq!(server_kind(Some("AirTunes/770.8.1")), ServerKind::AirPlay);
        assert_eq!(server_kind(Some("nginx")), ServerKind::Other);
        assert_eq!(server_kind(None), ServerKind::Other);
        let lan: IpAddr = "10.203.5.1".parse().unwrap();
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(
            http_notes(lan, ServerKind::Werkzeug, true),
            vec![Note::DebuggerExposed {
                ip: lan,
                evidence: DebugEvidence::Answered
            }]
        );
        assert_eq!(
            http_notes(lan, ServerKind::Werkzeug, false),
            vec![Note::DevServerExposed { ip: lan }]
        );
        assert!(
            http_notes(lo, ServerKind::Werkzeug, true).is_empty(),
            "loopback is the safe place"
        );
        assert_eq!(
            http_notes(lo, ServerKind::AirPlay, false),
            vec![Note::AirPlayAnswered]
        );
    }
}
