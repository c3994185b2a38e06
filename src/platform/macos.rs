//! macOS: interfaces come from getifaddrs alone and are recognised by name (en0, utun3,
//! bridge100, awdl0); routes are not read yet, so `local_ip()` (the first non-loopback IPv4
//! address there) stands in for the default route. The application firewall is asked through
//! `socketfilterfw`, whose questions need no root.

use std::collections::BTreeMap;
use std::io;
use std::time::Duration;

use super::{unix, Platform};
use crate::model::{
    FirewallState, MacFirewall, Os, Process, Proto, Signal, SignalError, SockState, Socket,
    SocketQuery, SocketTable, Sysctls,
};

/// macOS: interfaces, environment hints and routes keep the contract's defaults.
pub struct Current;

impl Platform for Current {
    const OS: Os = Os::Macos;

    /// Servers on macOS set SO_REUSEADDR as on every Unix.
    const SERVERS_SET_REUSEADDR: bool = true;

    fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
        socket_table(query)
    }

    /// macOS has no socket inodes here: the pid must still hold a socket on the same port.
    fn still_holds(process: &Process, socket: &Socket) -> bool {
        let (pid, port) = (process.pid, socket.local.port());
        listeners::get_all().is_ok_and(|all| {
            all.iter()
                .any(|l| l.process.pid == pid && l.socket.port() == port)
        })
    }

    /// Whether `pid` is still running (signal 0 delivers nothing and checks the pid).
    fn alive(pid: u32) -> bool {
        i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
            .is_some_and(|pid| match rustix::process::test_kill_process(pid) {
                Ok(()) => true,
                Err(e) => e == rustix::io::Errno::PERM,
            })
    }

    fn signal(pid: u32, signal: Signal) -> Result<(), SignalError> {
        unix::signal(pid, signal)
    }

    fn hostname() -> Option<String> {
        unix::hostname()
    }

    /// macOS has no privileged ports since 10.14 and `net.inet6.ip6.v6only` defaults to 0; the
    /// sysctls themselves are not read yet.
    fn sysctls() -> Sysctls {
        Sysctls {
            bindv6only: Some(false),
            unprivileged_port_start: None,
            ephemeral_range: None,
            nonlocal_bind: None,
        }
    }

    fn privileged() -> bool {
        rustix::process::geteuid().is_root()
    }

    fn firewall(program: Option<&str>) -> FirewallState {
        FirewallState {
            macos: Some(mac_firewall(program)),
            ..FirewallState::default()
        }
    }
}

const SOCKETFILTERFW: &str = "/usr/libexec/ApplicationFirewall/socketfilterfw";

/// Each question to socketfilterfw gets this long; they are asked at once.
const ASK_TIMEOUT: Duration = Duration::from_secs(2);

/// socketfilterfw's answers, as printed; `None` for one it did not give in time. The program is
/// asked about by its real path (the list holds real paths, and Homebrew's `bin/python3` is a
/// link into its Cellar).
fn mac_firewall(program: Option<&str>) -> MacFirewall {
    let asked = program.map(|p| {
        std::fs::canonicalize(p)
            .ok()
            .and_then(|real| real.into_os_string().into_string().ok())
            .unwrap_or_else(|| p.to_string())
    });
    let ask = |args: &[&str]| unix::run_bounded(SOCKETFILTERFW, args, ASK_TIMEOUT);
    std::thread::scope(|s| {
        let global_state = s.spawn(|| ask(&["--getglobalstate"]));
        let block_all = s.spawn(|| ask(&["--getblockall"]));
        let stealth = s.spawn(|| ask(&["--getstealthmode"]));
        let listapps = s.spawn(|| ask(&["--listapps"]));
        let app = asked.as_deref().map(|path| {
            s.spawn(move || ask(&["--getappblocked", path]).map(|text| (path.to_string(), text)))
        });
        MacFirewall {
            global_state: global_state.join().ok().flatten(),
            block_all: block_all.join().ok().flatten(),
            stealth: stealth.join().ok().flatten(),
            app: app.and_then(|a| a.join().ok().flatten()),
            listapps: listapps.join().ok().flatten(),
        }
    })
}

/// Sockets from the `listeners` crate (libproc: each process's socket descriptors). macOS
/// shows a socket only through a process that holds it, so there are no sockets of unknown
/// owner to keep; uid, inode and IPV6_V6ONLY are not reported.
fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
    let all = listeners::get_all().map_err(|e| io::Error::other(e.to_string()))?;
    let mut sockets: BTreeMap<(Proto, std::net::SocketAddr, u8), Socket> = BTreeMap::new();
    let mut processes: BTreeMap<u32, Process> = BTreeMap::new();
    for l in all {
        let proto = match l.protocol {
            listeners::Protocol::TCP => Proto::Tcp,
            listeners::Protocol::UDP => Proto::Udp,
        };
        let state = state(proto, l.state);
        let wanted = match query {
            SocketQuery::Listening => state.is_listening(),
            SocketQuery::Port(port) => l.socket.port() == port,
        };
        if !wanted {
            continue;
        }
        let socket = sockets
            .entry((proto, l.socket, state as u8))
            .or_insert_with(|| Socket {
                proto,
                local: l.socket,
                remote: None,
                state,
                v6only: None,
                device: None,
                uid: None,
                inode: None,
                pids: Vec::new(),
            });
        if !socket.pids.contains(&l.process.pid) {
            socket.pids.push(l.process.pid);
            socket.pids.sort_unstable();
        }
        processes.entry(l.process.pid).or_insert_with(|| Process {
            pid: l.process.pid,
            ppid: None,
            name: l.process.name.clone(),
            uid: None,
            user: None,
            cmdline: (!l.process.path.is_empty()).then(|| l.process.path.clone()),
            start_time: None,
        });
    }
    Ok(SocketTable {
        sockets: sockets.into_values().collect(),
        processes: processes.into_values().collect(),
        owners_complete: rustix::process::geteuid().is_root(),
        unreadable: 0,
        protected: 0,
        users: Vec::new(),
    })
}

fn state(proto: Proto, state: listeners::SocketState) -> SockState {
    use listeners::SocketState as S;
    match (proto, state) {
        (Proto::Udp, _) => SockState::Unconn,
        (_, S::Listen) => SockState::Listen,
        (_, S::Established) => SockState::Established,
        (_, S::SynSent) => SockState::SynSent,
        (_, S::SynReceived) => SockState::SynRecv,
        (_, S::FinWait1) => SockState::FinWait1,
        (_, S::FinWait2) => SockState::FinWait2,
        (_, S::TimeWait) => SockState::TimeWait,
        (_, S::CloseWait) => SockState::CloseWait,
        (_, S::LastAck) => SockState::LastAck,
        (_, S::Closing) => SockState::Closing,
        _ => SockState::Other,
    }
}
