//! Windows: interfaces come from GetAdaptersAddresses (through if-addrs) under their
//! friendly names ("Wi-Fi", "vEthernet (WSL)"); routes are not read yet, so `local_ip()`
//! (the first adapter with a default route there) stands in for the default route. Sockets come
//! from GetExtendedTcpTable/GetExtendedUdpTable (through netstat2), which name the owning pid
//! of every socket; process names and users from sysinfo, unknown where access is denied.

use std::collections::BTreeMap;
use std::io;

use super::Platform;
use crate::model::{Os, Process, Proto, SockState, Socket, SocketQuery, SocketTable, Sysctls};

/// Windows: interfaces, environment hints and routes keep the contract's defaults, and so
/// does `signal`: stopping processes is not supported here yet (`taskkill /PID N` does it).
pub struct Current;

impl Platform for Current {
    const OS: Os = Os::Windows;

    /// On Windows SO_REUSEADDR lets a socket take over a port that is in use; servers do not
    /// set it, and neither does a trial bind.
    const SERVERS_SET_REUSEADDR: bool = false;

    fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
        socket_table(query)
    }

    /// The same pid (and start time) must still own a socket on the port.
    fn still_holds(process: &Process, socket: &Socket) -> bool {
        let (pid, port) = (process.pid, socket.local.port());
        let holds = all_sockets().is_ok_and(|all| {
            all.iter()
                .any(|s| s.local_port() == port && s.associated_pids.contains(&pid))
        });
        holds
            && (process.start_time.is_none()
                || processes(&[pid]).first().and_then(|p| p.start_time) == process.start_time)
    }

    fn alive(pid: u32) -> bool {
        use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
        let mut system = System::new();
        system.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[Pid::from_u32(pid)]),
            true,
            ProcessRefreshKind::nothing(),
        );
        system.process(Pid::from_u32(pid)).is_some()
    }

    fn hostname() -> Option<String> {
        std::env::var("COMPUTERNAME").ok().filter(|n| !n.is_empty())
    }

    /// Windows has no privileged ports, and its IPv6 sockets are v6-only by default.
    fn sysctls() -> Sysctls {
        Sysctls {
            bindv6only: Some(true),
            unprivileged_port_start: None,
            ephemeral_range: None,
            nonlocal_bind: None,
        }
    }
}

fn all_sockets() -> io::Result<Vec<netstat2::SocketInfo>> {
    use netstat2::{AddressFamilyFlags, ProtocolFlags};
    netstat2::get_sockets_info(
        AddressFamilyFlags::IPV4 | AddressFamilyFlags::IPV6,
        ProtocolFlags::TCP | ProtocolFlags::UDP,
    )
    .map_err(|e| io::Error::other(e.to_string()))
}

fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
    use netstat2::ProtocolSocketInfo;
    let mut sockets = Vec::new();
    for info in all_sockets()? {
        let (proto, local, remote, state) = match &info.protocol_socket_info {
            ProtocolSocketInfo::Tcp(t) => (
                Proto::Tcp,
                std::net::SocketAddr::new(t.local_addr, t.local_port),
                (t.remote_port != 0)
                    .then(|| std::net::SocketAddr::new(t.remote_addr, t.remote_port)),
                tcp_state(&t.state),
            ),
            ProtocolSocketInfo::Udp(u) => (
                Proto::Udp,
                std::net::SocketAddr::new(u.local_addr, u.local_port),
                None,
                SockState::Unconn,
            ),
        };
        let wanted = match query {
            SocketQuery::Listening => state.is_listening(),
            SocketQuery::Port(port) => local.port() == port,
        };
        if wanted {
            let mut pids = info.associated_pids.clone();
            pids.sort_unstable();
            pids.dedup();
            sockets.push(Socket {
                proto,
                local,
                remote,
                state,
                v6only: None,
                device: None,
                uid: None,
                inode: None,
                pids,
            });
        }
    }
    let mut pids: Vec<u32> = sockets
        .iter()
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    pids.sort_unstable();
    pids.dedup();
    let processes = processes(&pids);
    Ok(SocketTable {
        sockets,
        processes,
        owners_complete: true,
        unreadable: 0,
        protected: 0,
        users: Vec::new(),
    })
}

fn tcp_state(state: &netstat2::TcpState) -> SockState {
    use netstat2::TcpState as T;
    match state {
        T::Listen => SockState::Listen,
        T::Established => SockState::Established,
        T::SynSent => SockState::SynSent,
        T::SynReceived => SockState::SynRecv,
        T::FinWait1 => SockState::FinWait1,
        T::FinWait2 => SockState::FinWait2,
        T::TimeWait => SockState::TimeWait,
        T::CloseWait => SockState::CloseWait,
        T::LastAck => SockState::LastAck,
        T::Closing => SockState::Closing,
        _ => SockState::Other,
    }
}

/// Names, parents and users of the pids; a pid whose process cannot be opened keeps "?".
fn processes(pids: &[u32]) -> Vec<Process> {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind, Users};
    let wanted: Vec<Pid> = pids.iter().map(|p| Pid::from_u32(*p)).collect();
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&wanted),
        true,
        ProcessRefreshKind::nothing()
            .with_user(UpdateKind::Always)
            .with_cmd(UpdateKind::Always),
    );
    let users = Users::new_with_refreshed_list();
    let mut out: BTreeMap<u32, Process> = BTreeMap::new();
    for &pid in pids {
        let found = system.process(Pid::from_u32(pid));
        out.insert(
            pid,
            Process {
                pid,
                ppid: found.and_then(|p| p.parent()).map(|p| p.as_u32()),
                name: found
                    .map(|p| p.name().to_string_lossy().into_owned())
                    .unwrap_or_else(|| "?".to_string()),
                uid: None,
                user: found
                    .and_then(|p| p.user_id())
                    .and_then(|uid| users.get_user_by_id(uid))
                    .map(|u| u.name().to_string()),
                cmdline: found.map(|p| {
                    p.cmd()
                        .iter()
                        .map(|a| a.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(" ")
                }),
                start_time: found.map(|p| p.start_time()),
            },
        );
    }
    out.into_values().collect()
}
