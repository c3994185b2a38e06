//! The socket table over NETLINK_SOCK_DIAG, read much as `ss` reads it: dumps with the state
//! filter, and for one port a bytecode filter on it (`ss 'sport = :P'`), applied in the kernel;
//! then the owners from /proc, of the sockets found only.
//!
//! TCP is asked for both families in one request (the original TCPDIAG_GETSOCK form, which the
//! kernel dumps with AF_UNSPEC): each TCP dump walks tables the families share (the bind hash
//! for sockets bound without listen() costs 3 ms a walk on a large machine), so one request
//! walks them once where a request per family walked them twice. UDP has no such form: one
//! request per family.

use std::collections::HashSet;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use netlink_sys::protocols::NETLINK_SOCK_DIAG;

use super::{netlink, procfs};
use crate::model::SocketQuery;
use crate::model::{KillScope, Proto, SockState, Socket, SocketTable};

const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// include/uapi/linux/inet_diag.h: the request (and answer) type of the first interface.
const TCPDIAG_GETSOCK: u16 = 18;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
/// include/uapi/linux/tcp.h's states, as `idiag_states` bits.
const TCP_LISTEN: u32 = 10;
const TCP_CLOSE: u32 = 7;
/// TCP_ESTABLISHED (1) to TCP_CLOSING (11).
const ALL_STATES: u32 = 0xffe;
/// include/net/tcp_states.h: a state only asked for, never held by a socket.
const TCP_BOUND_INACTIVE: u32 = 13;
/// include/uapi/linux/inet_diag.h.
const INET_DIAG_REQ_BYTECODE: u16 = 1;
const INET_DIAG_BC_S_GE: u8 = 2;
const INET_DIAG_BC_S_LE: u8 = 3;
const INET_DIAG_SKV6ONLY: u16 = 11;

/// What one dump asks the kernel for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// Listening TCP sockets and bound UDP sockets, on every port.
    Listening,
    /// Every socket on the port, in any state.
    Port(u16),
    /// What a server holds on the port: listening sockets, and TCP bound without listening.
    Held(u16),
    /// Every socket in every state: what the filters are checked against.
    #[cfg(test)]
    Every,
}

impl Ask {
    fn of(query: SocketQuery) -> Ask {
        match query {
            SocketQuery::Listening => Ask::Listening,
            SocketQuery::Port(port) => Ask::Port(port),
        }
    }

    fn port(self) -> Option<u16> {
        match self {
            Ask::Listening => None,
            #[cfg(test)]
            Ask::Every => None,
            Ask::Port(port) | Ask::Held(port) => Some(port),
        }
    }

    /// The `idiag_states` bits for one protocol.
    fn states(self, proto: Proto) -> u32 {
        match (self, proto) {
            (Ask::Listening, Proto::Tcp) => 1 << TCP_LISTEN,
            // Bound without listen(): TCP's bound-inactive pseudo-state (Linux 6.5). Older
            // kernels ignore the bit.
            (Ask::Held(_), Proto::Tcp) => 1 << TCP_LISTEN | 1 << TCP_BOUND_INACTIVE,
            // A bound, unconnected UDP socket is in the CLOSE state: `ss` calls it UNCONN.
            (Ask::Listening | Ask::Held(_), Proto::Udp) => 1 << TCP_CLOSE,
            // Every state, and the bound-inactive pseudo-state.
            #[cfg(test)]
            (Ask::Every, _) => ALL_STATES | 1 << TCP_BOUND_INACTIVE,
            (Ask::Port(_), _) => ALL_STATES | 1 << TCP_BOUND_INACTIVE,
        }
    }

    /// Whether a socket the kernel sent is one asked for (the kernel's filters decide; this
    /// is the same rule, kept so that a filter a kernel ignored cannot widen the answer).
    fn wants(self, socket: &Socket) -> bool {
        match self {
            Ask::Listening => true,
            #[cfg(test)]
            Ask::Every => true,
            Ask::Port(port) => socket.local.port() == port,
            Ask::Held(port) => {
                socket.local.port() == port
                    && (socket.state.is_listening() || socket.state == SockState::Bound)
            }
        }
    }
}

pub fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
    table(Ask::of(query))
}

/// What servers hold on `port` (listening sockets, TCP bound without listening) and their
/// owners: the kernel is asked for these states on this port only.
pub fn held_on(port: u16) -> io::Result<SocketTable> {
    table(Ask::Held(port))
}

fn table(ask: Ask) -> io::Result<SocketTable> {
    let mut table = owned(dump(ask)?);
    // A socket whose owner was not found although it could have been (it has an inode, and
    // this process may read its creator's /proc entries) may have closed with its process
    // between the dump and the /proc scan: a second dump tells, and only those still open are
    // kept. Other users' sockets, hidden without root, are not worth a second dump.
    let euid = rustix::process::geteuid();
    let suspect = |s: &Socket| {
        s.pids.is_empty() && s.inode.is_some() && (euid.is_root() || s.uid == Some(euid.as_raw()))
    };
    if table.sockets.iter().any(suspect) {
        let open: HashSet<(Proto, Option<u64>, SocketAddr)> = dump(ask)?
            .iter()
            .map(|s| (s.proto, s.inode, s.local))
            .collect();
        table
            .sockets
            .retain(|s| !suspect(s) || open.contains(&(s.proto, s.inode, s.local)));
    }
    Ok(table)
}

/// Whether a socket that `scope` covers is on `port`: the dump alone, without the /proc scan
/// for owners.
pub fn port_listening(port: u16, scope: KillScope) -> io::Result<bool> {
    Ok(dump(Ask::Held(port))?.iter().any(|s| scope.socket(s)))
}

/// Whether a listener or a bound TCP socket holds `port`: the dump alone.
pub fn port_held(port: u16) -> io::Result<bool> {
    Ok(dump(Ask::Held(port))?.iter().any(Socket::holds_tcp_port))
}

/// The bytecode `ss 'sport = :P'` sends: local port ≥ P, then ≤ P. Each test is an operation
/// and the port in the `no` field of a second one; a failed test jumps past the end (4 bytes
/// beyond), which the kernel takes as a rejection.
fn port_filter(port: u16) -> [u8; 16] {
    let op = |code: u8, yes: u8, no: u16| {
        let [n0, n1] = no.to_ne_bytes();
        [code, yes, n0, n1]
    };
    let value = op(0, 0, port);
    let mut bytecode = [0u8; 16];
    bytecode[0..4].copy_from_slice(&op(INET_DIAG_BC_S_GE, 8, 16 + 4));
    bytecode[4..8].copy_from_slice(&value);
    bytecode[8..12].copy_from_slice(&op(INET_DIAG_BC_S_LE, 8, 8 + 4));
    bytecode[12..16].copy_from_slice(&value);
    bytecode
}

/// How a dump is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `inet_diag_req_v2` (SOCK_DIAG_BY_FAMILY): one family, any protocol.
    ByFamily(u8, u8),
    /// `inet_diag_req` (TCPDIAG_GETSOCK): TCP, both families at once.
    TcpBothFamilies,
}

/// A dump request, with the bytecode attribute when there is a filter.
fn request(form: Form, states: u32, filter: Option<&[u8]>, sequence: u32) -> Vec<u8> {
    // The header (16 bytes), the request, then the attribute. v2's request is 56 bytes:
    // family, protocol, extensions, padding, states, and a zeroed socket id. The first form's
    // is 60: family, two prefix lengths, extensions, the socket id, states, and a zeroed
    // `dbs`; the kernel takes its family as AF_UNSPEC.
    let body = match form {
        Form::ByFamily(..) => 56,
        Form::TcpBothFamilies => 60,
    };
    let attribute = filter.map_or(0, |bc| 4 + bc.len());
    let length = 16 + body + attribute;
    let kind = match form {
        Form::ByFamily(..) => SOCK_DIAG_BY_FAMILY,
        Form::TcpBothFamilies => TCPDIAG_GETSOCK,
    };
    let mut buf = netlink::header(length, kind, netlink::REQUEST | netlink::DUMP, sequence);
    match form {
        Form::ByFamily(family, protocol) => {
            buf.extend_from_slice(&[family, protocol, 0, 0]);
            buf.extend_from_slice(&states.to_ne_bytes());
            buf.extend_from_slice(&[0u8; 48]);
        }
        Form::TcpBothFamilies => {
            buf.extend_from_slice(&[AF_INET, 0, 0, 0]);
            buf.extend_from_slice(&[0u8; 48]);
            buf.extend_from_slice(&states.to_ne_bytes());
            buf.extend_from_slice(&0u32.to_ne_bytes());
        }
    }
    if let Some(bc) = filter {
        buf.extend_from_slice(&(attribute as u16).to_ne_bytes());
        buf.extend_from_slice(&INET_DIAG_REQ_BYTECODE.to_ne_bytes());
        buf.extend_from_slice(bc);
    }
    buf
}

/// How TCP is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tcp {
    /// One request for both families.
    AtOnce,
    /// One request per family: where the kernel refuses the other form.
    ByFamily,
}

/// The dump, TCP asked for both families at once; where that fails, the whole dump again
/// with a request per family, on a socket of its own (a dump broken off midway may still
/// hold the first).
fn dump(ask: Ask) -> io::Result<Vec<Socket>> {
    dump_as(ask, Tcp::AtOnce).or_else(|_| dump_as(ask, Tcp::ByFamily))
}

fn dump_as(ask: Ask, tcp: Tcp) -> io::Result<Vec<Socket>> {
    let diag = netlink::open(NETLINK_SOCK_DIAG)?;
    let mut sockets = Vec::new();
    let mut sequence = 0;
    let filter = ask.port().map(port_filter);
    let filter = filter.as_ref().map(|f| &f[..]);
    let mut ask_for = |form: Form, proto: Proto, sockets: &mut Vec<Socket>| {
        sequence += 1;
        let request = request(form, ask.states(proto), filter, sequence);
        netlink::dump(&diag, &request, sequence, |kind, payload| {
            if kind != SOCK_DIAG_BY_FAMILY && kind != TCPDIAG_GETSOCK {
                return;
            }
            if let Some(socket) = parse(proto, payload).filter(|s| ask.wants(s)) {
                sockets.push(socket);
            }
        })
    };
    let by_family = |protocol| [AF_INET, AF_INET6].map(|family| Form::ByFamily(family, protocol));
    match tcp {
        Tcp::AtOnce => {
            ask_for(Form::TcpBothFamilies, Proto::Tcp, &mut sockets)?;
            // The families come mixed, in the kernel's hash order; IPv4 first, then IPv6,
            // each in the order it came: what a request per family gives (what comes first
            // is what notes and blockers name first).
            sockets.sort_by_key(|s| s.local.is_ipv6());
        }
        Tcp::ByFamily => {
            for form in by_family(IPPROTO_TCP) {
                ask_for(form, Proto::Tcp, &mut sockets)?;
            }
        }
    }
    for form in by_family(IPPROTO_UDP) {
        ask_for(form, Proto::Udp, &mut sockets)?;
    }
    // The vector doubled as it grew: up to half of it is empty (2 MB at 50,000 sockets).
    sockets.shrink_to_fit();
    Ok(sockets)
}

/// The table: the sockets with every pid that holds each, and those processes. A process that
/// exits between the /proc scan and the reading of its details is left out.
fn owned(mut sockets: Vec<Socket>) -> SocketTable {
    let inodes = procfs::Inodes::new(sockets.iter().filter_map(|s| s.inode));
    // No socket with an inode (a free port): no /proc scan at all.
    let owners = procfs::owners(&inodes);
    drop(inodes);
    let mut pids: Vec<u32> = owners.held.iter().map(|&(_, pid)| pid).collect();
    pids.sort_unstable();
    pids.dedup();
    let processes = procfs::processes(&pids, &owners.uids);
    // In pid order, as asked for.
    let seen = |pid: &u32| processes.binary_search_by_key(pid, |p| p.pid).is_ok();
    for socket in sockets.iter_mut() {
        if let Some(inode) = socket.inode {
            socket.pids = owners.holders(inode).filter(|p| seen(p)).collect();
        }
    }
    let mut uids: Vec<u32> = sockets.iter().filter_map(|s| s.uid).collect();
    uids.sort_unstable();
    uids.dedup();
    let users = uids
        .into_iter()
        .filter_map(|uid| super::user_name(uid).map(|name| (uid, name)))
        .collect();
    SocketTable {
        sockets,
        processes,
        owners_complete: owners.unreadable + owners.protected == 0,
        unreadable: owners.unreadable,
        protected: owners.protected,
        users,
    }
}

/// One `inet_diag_msg` (72 bytes: family, state, timer, retransmits, the socket id, expiry,
/// queues, uid, inode), then its attributes, of which only IPV6_V6ONLY is read. Read in place:
/// nothing is allocated per socket.
fn parse(proto: Proto, msg: &[u8]) -> Option<Socket> {
    let u16_be = |at: usize| Some(u16::from_be_bytes(msg.get(at..at + 2)?.try_into().ok()?));
    let u32_ne = |at: usize| Some(u32::from_ne_bytes(msg.get(at..at + 4)?.try_into().ok()?));
    let ip = |at: usize, family: u8| -> Option<IpAddr> {
        let bytes: [u8; 16] = msg.get(at..at + 16)?.try_into().ok()?;
        Some(match family {
            AF_INET => IpAddr::V4(Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3])),
            _ => IpAddr::V6(Ipv6Addr::from(bytes)),
        })
    };
    let (&family, &state) = (msg.first()?, msg.get(1)?);
    if family != AF_INET && family != AF_INET6 {
        return None;
    }
    let (source_port, destination_port) = (u16_be(4)?, u16_be(6)?);
    let (source, destination) = (ip(8, family)?, ip(24, family)?);
    let interface = u32_ne(40)?;
    let (uid, inode) = (u32_ne(64)?, u32_ne(68)?);
    let mut v6only = None;
    let mut at = 72;
    while let (Some(len), Some(kind)) = (
        msg.get(at..at + 2)
            .map(|b| u16::from_ne_bytes([b[0], b[1]]) as usize),
        msg.get(at + 2..at + 4)
            .map(|b| u16::from_ne_bytes([b[0], b[1]])),
    ) {
        if len < 4 {
            break;
        }
        if kind & 0x3fff == INET_DIAG_SKV6ONLY {
            v6only = msg.get(at + 4).map(|&b| b != 0);
        }
        at += len.next_multiple_of(4);
    }
    let state = match (proto, state) {
        (Proto::Udp, 7) => SockState::Unconn,
        (_, 1) => SockState::Established,
        (_, 2) => SockState::SynSent,
        (_, 3) => SockState::SynRecv,
        (_, 4) => SockState::FinWait1,
        (_, 5) => SockState::FinWait2,
        (_, 6) => SockState::TimeWait,
        (_, 8) => SockState::CloseWait,
        (_, 9) => SockState::LastAck,
        (_, 10) => SockState::Listen,
        (_, 11) => SockState::Closing,
        (Proto::Tcp, 7 | 13) => SockState::Bound,
        _ => SockState::Other,
    };
    Some(Socket {
        proto,
        local: SocketAddr::new(source, source_port),
        remote: (destination_port != 0).then(|| SocketAddr::new(destination, destination_port)),
        state,
        v6only: if family == AF_INET6 { v6only } else { None },
        device: (interface != 0).then_some(interface),
        uid: Some(uid),
        // Sockets in TIME_WAIT have no inode: nobody holds them any more.
        inode: (inode != 0).then_some(u64::from(inode)),
        pids: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream, UdpSocket};

    #[test]
    fn the_port_filter_is_what_ss_sends() {
        // `ss -ltn 'sport = :5000'` sends S_GE 5000 then S_LE 5000, each failure jumping past
        // the end.
        let bc = port_filter(5000);
        assert_eq!(&bc[0..2], &[INET_DIAG_BC_S_GE, 8]);
        assert_eq!(u16::from_ne_bytes([bc[2], bc[3]]), 20);
        assert_eq!(u16::from_ne_bytes([bc[6], bc[7]]), 5000);
        assert_eq!(&bc[8..10], &[INET_DIAG_BC_S_LE, 8]);
        assert_eq!(u16::from_ne_bytes([bc[10], bc[11]]), 12);
        assert_eq!(u16::from_ne_bytes([bc[14], bc[15]]), 5000);
        let v2 = request(
            Form::ByFamily(AF_INET, IPPROTO_TCP),
            1 << TCP_LISTEN,
            Some(&bc),
            7,
        );
        assert_eq!(v2.len(), 16 + 56 + 4 + 16);
        assert_eq!(u32::from_ne_bytes(v2[0..4].try_into().unwrap()), 92);
        assert_eq!(u16::from_ne_bytes([v2[4], v2[5]]), SOCK_DIAG_BY_FAMILY);
        assert_eq!(&v2[16..20], &[AF_INET, IPPROTO_TCP, 0, 0]);
        assert_eq!(u32::from_ne_bytes(v2[20..24].try_into().unwrap()), 1 << 10);
        assert_eq!(&v2[72..76], &[20, 0, 1, 0], "the bytecode attribute");
        // The first form: the states after the 48-byte socket id, then `dbs`.
        let both = request(Form::TcpBothFamilies, 1 << TCP_LISTEN, Some(&bc), 8);
        assert_eq!(both.len(), 16 + 60 + 4 + 16);
        assert_eq!(u16::from_ne_bytes([both[4], both[5]]), TCPDIAG_GETSOCK);
        assert_eq!(
            u32::from_ne_bytes(both[68..72].try_into().unwrap()),
            1 << 10
        );
        assert_eq!(&both[72..76], &[0; 4]);
        assert_eq!(&both[76..80], &[20, 0, 1, 0]);
    }

    #[test]
    fn a_diag_message_is_read_in_place() {
        let mut msg = vec![0u8; 72];
        msg[0] = AF_INET6;
        msg[1] = 10;
        msg[4..6].copy_from_slice(&5000u16.to_be_bytes());
        msg[8..24].copy_from_slice(&"fe80::1".parse::<Ipv6Addr>().unwrap().octets());
        msg[40..44].copy_from_slice(&3u32.to_ne_bytes());
        msg[64..68].copy_from_slice(&1000u32.to_ne_bytes());
        msg[68..72].copy_from_slice(&4242u32.to_ne_bytes());
        // An attribute before the one wanted, then IPV6_V6ONLY (5 bytes, padded to 8).
        msg.extend_from_slice(&8u16.to_ne_bytes());
        msg.extend_from_slice(&5u16.to_ne_bytes());
        msg.extend_from_slice(&[9, 9, 9, 9]);
        msg.extend_from_slice(&5u16.to_ne_bytes());
        msg.extend_from_slice(&INET_DIAG_SKV6ONLY.to_ne_bytes());
        msg.extend_from_slice(&[1, 0, 0, 0]);
        let s = parse(Proto::Tcp, &msg).unwrap();
        assert_eq!(s.local, "[fe80::1]:5000".parse().unwrap());
        assert_eq!(s.remote, None);
        assert_eq!(s.state, SockState::Listen);
        assert_eq!(s.v6only, Some(true));
        assert_eq!(s.device, Some(3));
        assert_eq!((s.uid, s.inode), (Some(1000), Some(4242)));
        assert_eq!(
            parse(Proto::Tcp, &msg[..71]),
            None,
            "a short message is no socket"
        );
        msg[0] = 1;
        assert_eq!(parse(Proto::Tcp, &msg), None, "another family is no socket");
    }

    /// What the comparison looks at: everything the kernel said of a socket.
    type Key = (
        Proto,
        SocketAddr,
        Option<SocketAddr>,
        String,
        Option<u64>,
        Option<bool>,
    );

    /// Every socket's key, in the order the dump gave them.
    fn in_order(sockets: &[Socket]) -> Vec<Key> {
        sockets.iter().map(key).collect()
    }

    fn key(s: &Socket) -> Key {
        (
            s.proto,
            s.local,
            s.remote,
            format!("{:?}", s.state),
            s.inode,
            s.v6only,
        )
    }

    /// Every socket's key, sorted.
    fn keys<'a>(sockets: impl IntoIterator<Item = &'a Socket>) -> Vec<Key> {
        let mut keys: Vec<Key> = sockets.into_iter().map(key).collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_kernels_filters_answer_what_the_whole_dump_says_of_the_port() {
        super::super::test_netns::in_own_namespace(|_| {
            // Port A: IPv4 and IPv6 listeners, a UDP socket, an established connection (both
            // ends in the table: the server's side has local port A). Port B: a wildcard
            // listener and a server-closed connection in TIME_WAIT. Port C: bound, no listen.
            let a4 = TcpListener::bind("127.0.0.1:0").unwrap();
            let port_a = a4.local_addr().unwrap().port();
            let a6 = TcpListener::bind(("::1", port_a)).unwrap();
            let _udp = UdpSocket::bind(("127.0.0.1", port_a)).unwrap();
            let client = TcpStream::connect(("127.0.0.1", port_a)).unwrap();
            let (served, _) = a4.accept().unwrap();
            let b = TcpListener::bind("0.0.0.0:0").unwrap();
            let port_b = b.local_addr().unwrap().port();
            // And an IPv6-only wildcard listener beside it: the flag comes in an attribute.
            let b6 =
                socket2::Socket::new(socket2::Domain::IPV6, socket2::Type::STREAM, None).unwrap();
            b6.set_only_v6(true).unwrap();
            b6.bind(&SocketAddr::from((Ipv6Addr::UNSPECIFIED, port_b)).into())
                .unwrap();
            b6.listen(8).unwrap();
            let closing = TcpStream::connect(("127.0.0.1", port_b)).unwrap();
            let (closed, _) = b.accept().unwrap();
            drop(closed);
            drop(closing);
            let bound =
                socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
            bound
                .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
                .unwrap();
            let port_c = bound.local_addr().unwrap().as_socket().unwrap().port();
            let free = (1..u16::MAX)
                .map(|p| port_a.wrapping_add(p))
                .find(|p| ![0, port_a, port_b, port_c].contains(p))
                .unwrap();

            // The server's side reaches TIME_WAIT once the client's FIN is in (bounded wait).
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            let everything = loop {
                let all = dump(Ask::Every).unwrap();
                let waits = all
                    .iter()
                    .any(|s| s.local.port() == port_b && s.state == SockState::TimeWait);
                if waits || std::time::Instant::now() > deadline {
                    break all;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            };
            let on = |port: u16| everything.iter().filter(move |s| s.local.port() == port);
            assert!(
                on(port_b).any(|s| s.state == SockState::TimeWait),
                "the server's side of the closed connection waits: {everything:?}"
            );
            assert!(
                on(port_b).any(|s| s.v6only == Some(true)),
                "the IPv6-only listener says so: {everything:?}"
            );
            for port in [port_a, port_b, port_c, free] {
                assert_eq!(
                    keys(&dump(Ask::Port(port)).unwrap()),
                    keys(on(port)),
                    "port {port}"
                );
                // TCP in one request for both families answers what a request per family
                // does.
                // In the same order: IPv4 first, each family as the kernel walks it.
                for ask in [Ask::Port(port), Ask::Held(port)] {
                    assert_eq!(
                        in_order(&dump_as(ask, Tcp::AtOnce).expect("the kernel takes the form")),
                        in_order(&dump_as(ask, Tcp::ByFamily).unwrap()),
                        "{ask:?}"
                    );
                }
                let held =
                    on(port).filter(|s| s.state.is_listening() || s.state == SockState::Bound);
                assert_eq!(
                    keys(&dump(Ask::Held(port)).unwrap()),
                    keys(held),
                    "held {port}"
                );
            }
            let listening = everything.iter().filter(|s| s.state.is_listening());
            assert_eq!(keys(&dump(Ask::Listening).unwrap()), keys(listening));
            let every = dump_as(Ask::Every, Tcp::AtOnce).expect("the kernel takes the form");
            assert_eq!(
                in_order(&every),
                in_order(&dump_as(Ask::Every, Tcp::ByFamily).unwrap())
            );
            assert!(
                every
                    .iter()
                    .filter(|s| s.proto == Proto::Tcp)
                    .is_sorted_by_key(|s| s.local.is_ipv6()),
                "TCP over IPv4 first: {every:?}"
            );
            assert_eq!(dump(Ask::Port(port_a)).unwrap().len(), 4);
            assert!(dump(Ask::Port(free)).unwrap().is_empty());
            // A free port asks /proc nothing: no socket, so no inode to look for.
            let table = held_on(free).unwrap();
            assert!(table.sockets.is_empty() && table.processes.is_empty());
            // A held one finds its owner: this process.
            let table = held_on(port_a).unwrap();
            assert_eq!(table.sockets.len(), 3, "{:?}", table.sockets);
            assert!(table
                .sockets
                .iter()
                .all(|s| s.pids.contains(&std::process::id())));
            drop((client, served, a6, b6, bound));
        });
    }
}
