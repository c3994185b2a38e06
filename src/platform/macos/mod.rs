//! macOS: interfaces come from getifaddrs and are recognised by name (en0, utun3, bridge100,
//! awdl0). Sockets come from the kernel's tables as `netstat` reads them
//! (`net.inet.{tcp,udp}.pcblist_n`, complete without root) and their owners from libproc;
//! the default routes from `route -n get`. The application firewall is asked through
//! `socketfilterfw`, whose questions need no root. Every byte and line read is parsed in
//! `macos_parse`, cfg-free and tested on Linux.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use super::macos_parse::{self as parse, Pcb};
use super::{unix, Holder, Platform};
use crate::model::{
    DefaultRoute, Family, FirewallState, HolderFacts, KillScope, MacFirewall, Os, Process, Proto,
    Signal, SignalError, SockState, Socket, SocketQuery, SocketTable, Sysctls,
};

mod sys;

pub struct Current;

impl Platform for Current {
    const OS: Os = Os::Macos;

    /// Servers on macOS set SO_REUSEADDR as on every Unix.
    const SERVERS_SET_REUSEADDR: bool = true;

    fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
        socket_table(query)
    }

    /// The kernel's tables alone, no owners looked up.
    fn port_listening(port: u16, scope: KillScope) -> io::Result<bool> {
        Ok(pcbs(SocketQuery::Port(port))?
            .iter()
            .any(|p| scope.covers(p.proto, p.state)))
    }

    fn port_held(port: u16) -> io::Result<bool> {
        Ok(pcbs(SocketQuery::Port(port))?.iter().any(|p| {
            p.proto == Proto::Tcp && matches!(p.state, SockState::Listen | SockState::Bound)
        }))
    }

    /// The same process (pid and start time) still has a descriptor on a socket with the same
    /// protocol and local address. A process whose descriptors cannot be read is not verified.
    fn still_holds(process: &Process, socket: &Socket) -> bool {
        same_start(process) && holds_socket(process.pid, socket)
    }

    /// Signals by number (XNU gives no process handle), so the check is ordered to leave the
    /// least time between it and kill(2): the slow part first (its socket among its
    /// descriptors, a table read and a call per descriptor), then its start time read again
    /// (one proc_pidinfo call), then the signal. What is left is the instant between those two
    /// calls, in which the process would have to exit and its number be given to a new one.
    fn signal_holder(holder: &Holder, signal: Signal) -> Result<(), SignalError> {
        let process = &holder.process;
        let verified =
            holder.sockets.iter().any(|s| holds_socket(process.pid, s)) && same_start(process);
        if !verified {
            return Err(if Self::alive(process.pid) {
                SignalError::NotHolding
            } else {
                SignalError::Gone
            });
        }
        unix::signal(process.pid, signal)
    }

    /// Where it works (`PROC_PIDVNODEPATHINFO`, readable for the user's own processes or as
    /// root) and how long it has run, from the start time seen.
    fn holder_facts(holder: &Holder) -> HolderFacts {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        HolderFacts {
            cwd: sys::vnodepathinfo(holder.process.pid)
                .as_deref()
                .and_then(parse::vnode_cwd),
            running_for: holder
                .process
                .start_time
                .and_then(|us| now.checked_sub(Duration::from_micros(us))),
            container_init: false,
        }
    }

    fn prepare_process() {
        unix::raise_descriptor_limit();
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

    /// XNU reserves ports below 1024 (IPPORT_RESERVED, a constant, not a sysctl) for root,
    /// but only for a specific address since 10.14: the analysis knows that rule by the OS.
    fn sysctls() -> Sysctls {
        let int = |name: &str| {
            sys::sysctl(name)
                .ok()
                .as_deref()
                .and_then(parse::sysctl_int)
        };
        Sysctls {
            bindv6only: int("net.inet6.ip6.v6only").map(|v| v != 0),
            unprivileged_port_start: Some(1024),
            ephemeral_range: parse::port_range(
                int("net.inet.ip.portrange.first"),
                int("net.inet.ip.portrange.last"),
            ),
            nonlocal_bind: None,
        }
    }

    fn default_routes() -> Vec<DefaultRoute> {
        let ask = |args: &'static [&'static str]| {
            unix::run_with_deadline("/sbin/route", args, ROUTE_TIMEOUT)
                .ok()
                .and_then(|ran| parse::route_interface(&ran.stdout))
        };
        std::thread::scope(|s| {
            let v4 = s.spawn(|| ask(&["-n", "get", "-inet", "default"]));
            let v6 = s.spawn(|| ask(&["-n", "get", "-inet6", "default"]));
            [(v4, Family::Ipv4), (v6, Family::Ipv6)]
                .into_iter()
                .filter_map(|(answer, family)| {
                    answer.join().ok().flatten().map(|interface| DefaultRoute {
                        interface,
                        family,
                        metric: 0,
                    })
                })
                .collect()
        })
    }

    /// The source address of the route to a documentation address (TEST-NET-1): connecting a
    /// UDP socket picks it and sends nothing. A full-tunnel VPN's routes (0/1 and 128/1, or
    /// default) make it the tunnel's address.
    fn route_source() -> Option<IpAddr> {
        let socket = std::net::UdpSocket::bind(("0.0.0.0", 0)).ok()?;
        socket.connect(("192.0.2.1", 9)).ok()?;
        Some(socket.local_addr().ok()?.ip()).filter(|ip| !ip.is_unspecified())
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

/// `route -n get` answers from the kernel at once; this bounds a hung one.
const ROUTE_TIMEOUT: Duration = Duration::from_secs(1);

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

/// The kernel's sockets of interest, from both tables.
fn pcbs(query: SocketQuery) -> io::Result<Vec<Pcb>> {
    let mut out = Vec::new();
    for (name, proto) in [
        ("net.inet.tcp.pcblist_n", Proto::Tcp),
        ("net.inet.udp.pcblist_n", Proto::Udp),
    ] {
        let table = sys::sysctl(name)?;
        out.extend(
            parse::parse_pcblist(&table, proto)?
                .into_iter()
                .filter(|p| match query {
                    SocketQuery::Listening => p.state.is_listening(),
                    SocketQuery::Port(port) => p.local.port() == port,
                }),
        );
    }
    Ok(out)
}

/// Sockets from the kernel's tables, owners from each process's descriptors (libproc).
/// Another user's process cannot be read without root: it is counted, and the socket keeps the
/// pid the kernel recorded as its last user (`so_last_pid`) when that is such a process.
fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
    let pcbs = pcbs(query)?;
    let root = rustix::process::geteuid().is_root();
    let mut holders: HashMap<u64, BTreeSet<u32>> = HashMap::new();
    let mut unreadable: BTreeSet<u32> = BTreeSet::new();
    if !pcbs.is_empty() {
        let wanted: BTreeSet<u64> = pcbs.iter().map(|p| p.so).collect();
        for pid in sys::all_pids()? {
            let list = match sys::fd_list(pid) {
                Ok(list) => list,
                // Gone in between: nothing to own.
                Err(e) if e.raw_os_error() == Some(libc::ESRCH) => continue,
                Err(_) => {
                    unreadable.insert(pid);
                    continue;
                }
            };
            for fd in parse::socket_fds(&list) {
                let Some(s) = sys::fd_socket_info(pid, fd)
                    .as_deref()
                    .and_then(parse::fd_socket)
                else {
                    continue;
                };
                if wanted.contains(&s.so) {
                    holders.entry(s.so).or_default().insert(pid);
                }
            }
        }
    }
    let mut sockets: BTreeMap<(Proto, SocketAddr, Option<SocketAddr>, u64), Socket> =
        BTreeMap::new();
    for p in &pcbs {
        let mut pids: Vec<u32> = holders
            .get(&p.so)
            .map(|set| set.iter().copied().collect())
            .unwrap_or_default();
        if pids.is_empty() && unreadable.contains(&p.last_pid) {
            pids.push(p.last_pid);
        }
        sockets.insert(
            (p.proto, p.local, p.remote, p.so),
            Socket {
                proto: p.proto,
                local: p.local,
                remote: p.remote,
                state: p.state,
                v6only: p.v6only,
                device: None,
                uid: Some(p.uid),
                inode: None,
                pids,
            },
        );
    }
    let sockets: Vec<Socket> = sockets.into_values().collect();
    let owners: BTreeSet<u32> = sockets
        .iter()
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    let processes: Vec<Process> = owners.into_iter().filter_map(process).collect();
    let uids: BTreeSet<u32> = sockets
        .iter()
        .filter_map(|s| s.uid)
        .chain(processes.iter().filter_map(|p| p.uid))
        .collect();
    let users = uids
        .into_iter()
        .filter_map(|uid| user_name(uid).map(|name| (uid, name)))
        .collect();
    let (unreadable, protected) = if root {
        (0, unreadable.len())
    } else {
        (unreadable.len(), 0)
    };
    Ok(SocketTable {
        sockets,
        processes,
        owners_complete: unreadable + protected == 0,
        unreadable,
        protected,
        users,
    })
}

/// A process's parent, user, name, path and start time (`PROC_PIDTBSDINFO`, `proc_pidpath`);
/// `None` for one that exited meanwhile.
fn process(pid: u32) -> Option<Process> {
    let info = parse::bsdinfo(&sys::bsdinfo(pid)?)?;
    let path = sys::pid_path(pid);
    Some(Process {
        pid,
        ppid: Some(info.ppid).filter(|&p| p != 0),
        name: info.name,
        uid: Some(info.uid),
        user: user_name(info.uid),
        cmdline: path,
        start_time: Some(info.start),
    })
}

fn user_name(uid: u32) -> Option<String> {
    uzers::get_user_by_uid(uid).map(|u| u.name().to_string_lossy().into_owned())
}

/// Whether `process` started when it was seen (PROC_PIDTBSDINFO's start time, to the
/// microsecond): another process with its number did not.
fn same_start(process: &Process) -> bool {
    sys::bsdinfo(process.pid)
        .as_deref()
        .and_then(parse::bsdinfo)
        .is_some_and(|info| Some(info.start) == process.start_time)
}

/// Whether `pid` has a descriptor on a socket with `socket`'s protocol and local address.
fn holds_socket(pid: u32, socket: &Socket) -> bool {
    let Ok(now) = pcbs(SocketQuery::Port(socket.local.port())) else {
        return false;
    };
    let handles: BTreeSet<u64> = now
        .iter()
        .filter(|p| p.proto == socket.proto && p.local == socket.local)
        .map(|p| p.so)
        .collect();
    let Ok(list) = sys::fd_list(pid) else {
        return false;
    };
    parse::socket_fds(&list).into_iter().any(|fd| {
        sys::fd_socket_info(pid, fd)
            .as_deref()
            .and_then(parse::fd_socket)
            .is_some_and(|s| handles.contains(&s.so))
    })
}
