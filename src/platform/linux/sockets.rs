//! The socket table over NETLINK_SOCK_DIAG, read the way `ss` reads it: one dump per family
//! and protocol with the state filter, and for one port a bytecode filter on it (`ss 'sport =
//! :P'`), applied in the kernel; then the owners from /proc, of the sockets found only.

use std::collections::HashSet;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use netlink_sys::protocols::NETLINK_SOCK_DIAG;

use super::{netlink, procfs};
use crate::model::SocketQuery;
use crate::model::{KillScope, Proto, SockState, Socket, SocketTable};

const SOCK_DIAG_BY_FAMILY: u16 = 20;
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

/// An `inet_diag_req_v2` dump request, with the bytecode attribute when there is a filter.
fn request(family: u8, protocol: u8, states: u32, filter: Option<&[u8]>, sequence: u32) -> Vec<u8> {
    const NLM_F_REQUEST: u16 = 1;
    const NLM_F_DUMP: u16 = 0x300;
    // The header (16 bytes), the request (56: family, protocol, extensions, padding, states,
    // and a zeroed socket id), then the attribute.
    let attribute = filter.map_or(0, |bc| 4 + bc.len());
    let length = 16 + 56 + attribute;
    let mut buf = Vec::with_capacity(length);
    buf.extend_from_slice(&(length as u32).to_ne_bytes());
    buf.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    buf.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    buf.extend_from_slice(&sequence.to_ne_bytes());
    buf.extend_from_slice(&0u32.to_ne_bytes());
    buf.extend_from_slice(&[family, protocol, 0, 0]);
    buf.extend_from_slice(&states.to_ne_bytes());
    buf.extend_from_slice(&[0u8; 48]);
    if let Some(bc) = filter {
        buf.extend_from_slice(&(attribute as u16).to_ne_bytes());
        buf.extend_from_slice(&INET_DIAG_REQ_BYTECODE.to_ne_bytes());
        buf.extend_from_slice(bc);
    }
    buf
}

fn dump(ask: Ask) -> io::Result<Vec<Socket>> {
    let diag = netlink::open(NETLINK_SOCK_DIAG)?;
    let mut sockets = Vec::new();
    let mut sequence = 0;
    let filter = ask.port().map(port_filter);
    for proto in [Proto::Tcp, Proto::Udp] {
        for family in [AF_INET, AF_INET6] {
            sequence += 1;
            let protocol = match proto {
                Proto::Tcp => IPPROTO_TCP,
                Proto::Udp => IPPROTO_UDP,
            };
            let states = ask.states(proto);
            let request = request(
                family,
                protocol,
                states,
                filter.as_ref().map(|f| &f[..]),
                sequence,
            );
            netlink::dump(&diag, &request, sequence, |kind, payload| {
                if kind != SOCK_DIAG_BY_FAMILY {
                    return;
                }
                if let Some(socket) = parse(proto, payload).filter(|s| ask.wants(s)) {
                    sockets.push(socket);
                }
            })?;
        }
    }
    // The vector doubled as it grew: up to half of it is empty (2 MB at 50,000 sockets).
    sockets.shrink_to_fit();
    Ok(sockets)
}

/// The table: the sockets with every pid that holds each, and those processes. A process that
/// exits between the /proc scan and the reading of its details is left out.
fn owned(mut sockets: Vec<Socket>) -> SocketTable {
    let inodes: HashSet<u64> = sockets.iter().filter_map(|s| s.inode).collect();
    // No socket with an inode (a free port): no /proc scan at all.
    let owners = procfs::owners(&inodes);
    let mut pids: Vec<u32> = owners.by_inode.values().flatten().copied().collect();
    pids.sort_unstable();
    pids.dedup();
    let processes = procfs::processes(&pids, &owners.uids);
    let seen: HashSet<u32> = processes.iter().map(|p| p.pid).collect();
    for socket in sockets.iter_mut() {
        if let Some(held_by) = socket.inode.and_then(|i| owners.by_inode.get(&i)) {
            socket.pids = held_by
                .iter()
                .copied()
                .filter(|p| seen.contains(p))
                .collect();
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
        let request = request(AF_INET, IPPROTO_TCP, 1 << TCP_LISTEN, Some(&bc), 7);
        assert_eq!(request.len(), 16 + 56 + 4 + 16);
        assert_eq!(u32::from_ne_bytes(request[0..4].try_into().unwrap()), 92);
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
    type Key = (Proto, SocketAddr, Option<SocketAddr>, String, Option<u64>);

    fn keys<'a>(sockets: impl IntoIterator<Item = &'a Socket>) -> Vec<Key> {
        let mut keys: Vec<Key> = sockets
            .into_iter()
            .map(|s| {
                (
                    s.proto,
                    s.local,
                    s.remote,
                    format!("{:?}", s.state),
                    s.inode,
                )
            })
            .collect();
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
            for port in [port_a, port_b, port_c, free] {
                assert_eq!(
                    keys(&dump(Ask::Port(port)).unwrap()),
                    keys(on(port)),
                    "port {port}"
                );
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
            drop((client, served, a6, bound));
        });
    }
}
