//! The socket table over NETLINK_SOCK_DIAG, read the way `ss` reads it: one dump per family
//! and protocol with the state filter applied in the kernel; then the owners from /proc.

use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;

use netlink_packet_core::Parseable;
use netlink_packet_sock_diag::inet::nlas::Nla;
use netlink_packet_sock_diag::inet::{
    ExtensionFlags, InetRequest, InetResponse, SocketId, StateFlags,
};
use netlink_packet_sock_diag::{SockDiagMessage, AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP};
use netlink_sys::protocols::NETLINK_SOCK_DIAG;

use super::{netlink, procfs};
use crate::model::SocketQuery;
use crate::model::{KillScope, Proto, SockState, Socket, SocketTable};

const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// include/net/tcp_states.h: a state only asked for, never held by a socket.
const TCP_BOUND_INACTIVE: u32 = 13;

pub fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
    let mut table = owned(dump(query)?);
    // A socket whose owner was not found although it could have been (it has an inode, and
    // this process may read its creator's /proc entries) may have closed with its process
    // between the dump and the /proc scan: a second dump tells, and only those still open are
    // kept. Other users' sockets, hidden without root, are not worth a second dump.
    let euid = rustix::process::geteuid();
    let suspect = |s: &Socket| {
        s.pids.is_empty() && s.inode.is_some() && (euid.is_root() || s.uid == Some(euid.as_raw()))
    };
    if table.sockets.iter().any(suspect) {
        let open: HashSet<(Proto, Option<u64>, SocketAddr)> = dump(query)?
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
    Ok(dump(SocketQuery::Port(port))?
        .iter()
        .any(|s| scope.socket(s)))
}

/// Whether a listener or a bound TCP socket holds `port`: the dump alone.
pub fn port_held(port: u16) -> io::Result<bool> {
    Ok(dump(SocketQuery::Port(port))?
        .iter()
        .any(Socket::holds_tcp_port))
}

fn dump(query: SocketQuery) -> io::Result<Vec<Socket>> {
    let diag = netlink::open(NETLINK_SOCK_DIAG)?;
    let mut sockets = Vec::new();
    let mut sequence = 0;
    for proto in [Proto::Tcp, Proto::Udp] {
        for family in [AF_INET, AF_INET6] {
            sequence += 1;
            let states = match (query, proto) {
                (SocketQuery::Listening, Proto::Tcp) => StateFlags::LISTEN,
                // A bound, unconnected UDP socket is in the CLOSE state: `ss` calls it UNCONN.
                (SocketQuery::Listening, Proto::Udp) => StateFlags::CLOSE,
                // Every state, and TCP's bound-inactive pseudo-state (Linux 6.5): sockets
                // bound without listen(). Older kernels ignore the bit.
                (SocketQuery::Port(_), _) => {
                    StateFlags::from_bits_retain(StateFlags::all().bits() | 1 << TCP_BOUND_INACTIVE)
                }
            };
            let request = InetRequest {
                family,
                protocol: match proto {
                    Proto::Tcp => IPPROTO_TCP,
                    Proto::Udp => IPPROTO_UDP,
                },
                extensions: ExtensionFlags::empty(),
                states,
                socket_id: if family == AF_INET {
                    SocketId::new_v4()
                } else {
                    SocketId::new_v6()
                },
            };
            let request = netlink::request(SockDiagMessage::InetRequest(request), sequence);
            netlink::dump(&diag, &request, sequence, |kind, payload| {
                if kind != SOCK_DIAG_BY_FAMILY {
                    return;
                }
                if let Some(socket) = InetResponse::parse(payload)
                    .ok()
                    .and_then(|r| socket(proto, &r))
                {
                    let wanted = match query {
                        SocketQuery::Listening => true,
                        SocketQuery::Port(port) => socket.local.port() == port,
                    };
                    if wanted {
                        sockets.push(socket);
                    }
                }
            })?;
        }
    }

    Ok(sockets)
}

/// The table: the sockets with every pid that holds each, and those processes. A process that
/// exits between the /proc scan and the reading of its details is left out.
fn owned(mut sockets: Vec<Socket>) -> SocketTable {
    let inodes: HashSet<u64> = sockets.iter().filter_map(|s| s.inode).collect();
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

fn socket(proto: Proto, response: &InetResponse) -> Option<Socket> {
    let h = &response.header;
    let id = &h.socket_id;
    let state = match (proto, h.state) {
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
    let v6only = response.nlas.iter().find_map(|nla| match nla {
        Nla::SkV6Only(v) => Some(*v),
        _ => None,
    });
    Some(Socket {
        proto,
        local: SocketAddr::new(id.source_address, id.source_port),
        remote: (id.destination_port != 0)
            .then(|| SocketAddr::new(id.destination_address, id.destination_port)),
        state,
        v6only: if h.family == AF_INET6 { v6only } else { None },
        device: (id.interface_id != 0).then_some(id.interface_id),
        uid: Some(h.uid),
        // Sockets in TIME_WAIT have no inode: nobody holds them any more.
        inode: (h.inode != 0).then_some(u64::from(h.inode)),
        pids: Vec::new(),
    })
}
