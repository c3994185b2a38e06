//! Everything that touches the operating system. Foreign types stop here: what leaves this
//! module is our own plain data. The contract every OS fulfils is the `Platform` trait, which
//! each OS module implements for its `Current`; the free functions here are the facade the
//! rest of the crate calls. `cfg` appears nowhere else in the crate.

use std::collections::HashSet;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use socket2::{Domain, Protocol, Type};

use crate::error::SystemError;
use crate::model::BindError;
use crate::model::KillScope;
use crate::model::{DefaultRoute, EnvHints, FirewallState, Os, Sysctls};
use crate::model::{Device, Host, IfAddress, Interface, Process, SockState, Socket, SocketTable};
use crate::model::{HolderFacts, IpCounters, Sighting, Signal, SignalError, SocketQuery, Syn};

#[cfg(target_os = "linux")]
#[path = "linux/mod.rs"]
mod os;

#[cfg(target_os = "macos")]
#[path = "macos/mod.rs"]
mod os;

#[cfg(target_os = "windows")]
#[path = "windows.rs"]
mod os;

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
#[path = "unsupported.rs"]
mod os;

// Built with the tests everywhere, so that the contract's defaults alone keep compiling.
#[cfg(all(
    test,
    any(target_os = "linux", target_os = "macos", target_os = "windows")
))]
#[path = "unsupported.rs"]
mod unsupported;

#[cfg(unix)]
mod unix;

// macOS's tables and records, parsed without `cfg` so that they are tested on every OS.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
mod macos_parse;

pub mod net;
pub mod server;
pub mod windows_data;
// Windows' `--kill` decisions, without `cfg` so that they are tested on every OS.
#[cfg_attr(not(windows), allow(dead_code))]
mod windows_kill;

use os::Current;

/// What an OS module provides. The two constants are facts every platform must state; each
/// method has a default that says plainly "not known here" or "not supported here", so a new
/// OS compiles with the constants alone and the overrides it lacks are its to-do list.
trait Platform {
    /// Which OS this is, as reports name it.
    const OS: Os;

    /// Whether typical servers set SO_REUSEADDR before binding, so a trial bind does too.
    /// No default: on Unix it only skips TIME_WAIT, on Windows it lets a socket take over a
    /// port in use, and a guess would make every trial bind lie.
    const SERVERS_SET_REUSEADDR: bool;

    /// Whether the first step of `--kill` already ends the process (Windows: TerminateProcess,
    /// as `taskkill /F`; a console program in another console cannot be asked politely), so
    /// that there is no SIGTERM to wait out and `--force` adds nothing.
    const STOP_IS_FINAL: bool = false;

    /// The machine's sockets and the processes holding them.
    fn socket_table(_query: SocketQuery) -> io::Result<SocketTable> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "reading sockets is not supported on this system yet",
        ))
    }

    /// What servers hold on `port`: its listening sockets and its TCP sockets bound without
    /// listening, with their owners. A platform that can ask for these states alone overrides
    /// it.
    fn held_on(port: u16) -> io::Result<SocketTable> {
        let mut table = Self::socket_table(SocketQuery::Port(port))?;
        table
            .sockets
            .retain(|s| s.state.is_listening() || s.state == SockState::Bound);
        let pids: HashSet<u32> = table.sockets.iter().flat_map(|s| s.pids.clone()).collect();
        table.processes.retain(|p| pids.contains(&p.pid));
        Ok(table)
    }

    /// Whether a socket that `scope` covers is on `port` (a TCP listener; with `--udp`, a
    /// bound UDP socket too). A platform with a cheaper way than the whole table (no owners
    /// looked up) overrides it.
    fn port_listening(port: u16, scope: KillScope) -> io::Result<bool> {
        Ok(Self::socket_table(SocketQuery::Port(port))?
            .sockets
            .iter()
            .any(|s| scope.socket(s)))
    }

    /// Whether a socket stops a TCP server from binding `port` (`Socket::holds_tcp_port`).
    /// A platform with a cheaper way than the whole table overrides it.
    fn port_held(port: u16) -> io::Result<bool> {
        Ok(Self::socket_table(SocketQuery::Port(port))?
            .sockets
            .iter()
            .any(Socket::holds_tcp_port))
    }

    /// Whether `process` is still the one that was seen and still holds `socket`. `false`
    /// where it cannot be checked, so nothing is signalled on a guess.
    fn still_holds(_process: &Process, _socket: &Socket) -> bool {
        false
    }

    /// Whether a process with this pid is running.
    fn alive(_pid: u32) -> bool {
        false
    }

    /// The value of the environment variable `name` of process `pid`, where it can be read
    /// (on Linux: the same user's processes, or all as root).
    fn env_var(_pid: u32, _name: &str) -> Option<String> {
        None
    }

    /// Sends `signal` to the process `pid`.
    fn signal(_pid: u32, _signal: Signal) -> Result<(), SignalError> {
        Err(SignalError::Unsupported)
    }

    /// Opens `process` if it still is the process that was seen and still holds one of
    /// `sockets`. The default holds only its number, checked again right before each signal;
    /// a platform with process handles overrides the three `holder` methods.
    fn open_holder(process: &Process, sockets: &[Socket]) -> Result<Handle, SignalError> {
        if sockets.iter().any(|s| Self::still_holds(process, s)) {
            Ok(Handle::Number)
        } else if Self::alive(process.pid) {
            Err(SignalError::NotHolding)
        } else {
            Err(SignalError::Gone)
        }
    }

    /// Sends `signal` to `holder` once it is verified again to hold its socket.
    fn signal_holder(holder: &Holder, signal: Signal) -> Result<(), SignalError> {
        Self::open_holder(&holder.process, &holder.sockets)?;
        Self::signal(holder.process.pid, signal)
    }

    /// Whether `holder` still runs.
    fn holder_running(holder: &Holder) -> bool {
        Self::alive(holder.process.pid)
    }

    /// Waits at most `wait` for `holder` to end; whether it has.
    fn wait_holder(holder: &Holder, wait: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + wait;
        loop {
            if !Self::holder_running(holder) {
                return true;
            }
            if std::time::Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
    }

    /// Where `holder` works and how long it has run, where the OS says.
    fn holder_facts(_holder: &Holder) -> HolderFacts {
        HolderFacts::default()
    }

    /// Whether the process numbers this platform reads belong to another pid namespace than
    /// this process's (Linux: a /proc mounted by an outer namespace), so that a number read
    /// there may name another process here.
    fn foreign_pids() -> bool {
        false
    }

    /// Interfaces with their addresses. The default reads getifaddrs (GetAdaptersAddresses on
    /// Windows) and leaves devices to be told by their names.
    fn interfaces() -> io::Result<Vec<Interface>> {
        portable_interfaces()
    }

    fn hostname() -> Option<String> {
        None
    }

    /// Environment hints (WSL, containers) from the machine and its interfaces.
    fn env_hints(_interfaces: &[Interface]) -> EnvHints {
        EnvHints::default()
    }

    /// Default routes; none known means `local_ip()` stands in for the route.
    fn default_routes() -> Vec<DefaultRoute> {
        Vec::new()
    }

    /// The source address the OS picks for outgoing traffic. `local_ip()` asks the routing
    /// table on Windows; on macOS it only takes the first non-loopback IPv4. Linux asks its
    /// routing table itself (the same question, without local-ip-address's router thread).
    fn route_source() -> Option<IpAddr> {
        local_ip_address::local_ip().ok()
    }

    /// Readies the console for colour; `false` where colour cannot be shown after all.
    fn prepare_console(colour: bool) -> bool {
        colour
    }

    /// Readies the process before any work: on Unix, the soft limit on open descriptors
    /// raised towards the hard one.
    fn prepare_process() {}

    /// Port ranges the OS keeps for itself, where a bind fails though nobody holds the port
    /// (Windows' excluded port ranges). Read only by `port` and `free`: it may run a program.
    fn excluded_ports() -> Vec<(u16, u16)> {
        Vec::new()
    }

    /// Kernel settings that change what a bind does; unknown ones stay `None`.
    fn sysctls() -> Sysctls {
        Sysctls::default()
    }

    /// Whether this process may bind privileged ports.
    fn privileged() -> bool {
        false
    }

    /// What can be read of the host firewall, without privilege where the OS allows; `program`
    /// is the listening program's path, for firewalls that decide by program. Nothing read
    /// means the verdict is unknown.
    fn firewall(_program: Option<&str>) -> FirewallState {
        FirewallState::default()
    }

    /// A watch of devices asking for this machine's hardware address: each call waits up to
    /// its timeout and gives the new ones. `None` where it cannot be watched.
    fn neighbour_watch() -> Option<NeighbourWatch> {
        None
    }

    /// This machine's IP counters, where they can be read.
    fn ip_counters() -> Option<IpCounters> {
        None
    }

    /// A capture of the TCP SYNs arriving for `port`, where this process may capture (on
    /// Linux: root or CAP_NET_RAW). Each call waits up to its timeout.
    fn syn_capture(_port: u16) -> Option<SynCapture> {
        None
    }
}

/// See [`Platform::syn_capture`].
pub type SynCapture = Box<dyn FnMut(std::time::Duration) -> Vec<Syn> + Send>;

/// See [`Platform::neighbour_watch`].
pub type NeighbourWatch = Box<dyn FnMut(std::time::Duration) -> Vec<Sighting> + Send>;

/// The machine's sockets and the processes holding them. Sockets whose owner cannot be read
/// stay in the table with no pids.
pub fn socket_table(query: SocketQuery) -> Result<SocketTable, SystemError> {
    Current::socket_table(query).map_err(SystemError::Sockets)
}

/// What servers hold on `port` (listening, or TCP bound without listening), with their
/// owners: what the overview and `explain` need of a port.
pub fn held_on(port: u16) -> Result<SocketTable, SystemError> {
    Current::held_on(port).map_err(SystemError::Sockets)
}

/// Whether a socket that `scope` covers is on `port` (no owners looked up: cheap enough to
/// poll).
pub fn port_listening(port: u16, scope: KillScope) -> Result<bool, SystemError> {
    Current::port_listening(port, scope).map_err(SystemError::Sockets)
}

/// Whether a listener or a bound TCP socket holds `port`, on any address (no owners looked
/// up: cheap enough to poll).
pub fn port_held(port: u16) -> Result<bool, SystemError> {
    Current::port_held(port).map_err(SystemError::Sockets)
}

/// A process `--kill` verified as a holder of the port and opened at that check: the signals
/// go to this process, never to whatever has its number by the time they are sent.
pub struct Holder {
    pub process: Process,
    /// The listening sockets it held at the check; it must still hold one when signalled.
    sockets: Vec<Socket>,
    // Only Linux and Windows have a handle to read; elsewhere it is always `Number`.
    #[cfg_attr(not(any(target_os = "linux", windows)), allow(dead_code))]
    handle: Handle,
}

/// What a `Holder` keeps of its process.
enum Handle {
    /// Only the number, where the OS gives no handle (macOS): it is verified again right
    /// before each signal, which leaves the instant between the check and the signal.
    #[cfg_attr(any(target_os = "linux", windows), allow(dead_code))]
    Number,
    /// The process opened at the check (PROCESS_TERMINATE, PROCESS_QUERY_LIMITED_INFORMATION,
    /// SYNCHRONIZE) and its creation time then: while it is open its pid is not reused, and
    /// TerminateProcess and the wait go through it.
    #[cfg(windows)]
    Process {
        handle: std::os::windows::io::OwnedHandle,
        created: u64,
    },
    /// Its /proc directory, opened at the check: it stays this process's even when the number
    /// is reused or names another process in this pid namespace, and it is what the signal is
    /// sent through (pidfd_send_signal).
    #[cfg(target_os = "linux")]
    Proc(rustix::fd::OwnedFd),
}

/// Opens `process`, a holder of `sockets`, if it still is the process that was seen and still
/// holds one of them.
pub fn open_holder(process: &Process, sockets: &[Socket]) -> Result<Holder, SignalError> {
    let handle = Current::open_holder(process, sockets)?;
    Ok(Holder {
        process: process.clone(),
        sockets: sockets.to_vec(),
        handle,
    })
}

/// Sends `signal` to `holder` after verifying through its handle that it still holds its
/// socket.
pub fn signal_holder(holder: &Holder, signal: Signal) -> Result<(), SignalError> {
    Current::signal_holder(holder, signal)
}

pub fn holder_running(holder: &Holder) -> bool {
    Current::holder_running(holder)
}

/// Waits at most `wait` for `holder` to end; whether it has.
pub fn wait_holder(holder: &Holder, wait: std::time::Duration) -> bool {
    Current::wait_holder(holder, wait)
}

pub fn holder_facts(holder: &Holder) -> HolderFacts {
    Current::holder_facts(holder)
}

/// Whether the pids this platform reads are another pid namespace's: then no number read
/// there may be trusted to name a process here.
pub fn foreign_pids() -> bool {
    Current::foreign_pids()
}

/// An environment variable of another process, where the OS lets it be read.
pub fn env_var(pid: u32, name: &str) -> Option<String> {
    Current::env_var(pid, name)
}

/// The host firewall as the OS gives it, for `analysis::firewall` to decide on; `program` is the
/// path of the program that listens (macOS asks about it, Windows matches rules to it).
pub fn firewall(program: Option<&str>) -> FirewallState {
    Current::firewall(program)
}

/// New devices asking for this machine's hardware address, where the OS shows them.
pub fn neighbour_watch() -> Option<NeighbourWatch> {
    Current::neighbour_watch()
}

/// This machine's IP counters, where the OS shows them.
pub fn ip_counters() -> Option<IpCounters> {
    Current::ip_counters()
}

/// The TCP SYNs arriving for `port`, where this process may capture them.
pub fn syn_capture(port: u16) -> Option<SynCapture> {
    Current::syn_capture(port)
}

/// Readies the terminal before anything is written: on Windows, colour needs the console's
/// virtual-terminal processing, and without it colour is turned off rather than printed as
/// escape codes. Returns whether to colour.
pub fn prepare_console(colour: bool) -> bool {
    Current::prepare_console(colour)
}

/// Readies the process before any work (on Unix, room for the descriptors the owner scan
/// needs under a low `ulimit -n`).
pub fn prepare_process() {
    Current::prepare_process()
}

/// Ranges of ports the OS keeps for itself (Windows' excluded port ranges), for `port` and
/// `free`; none elsewhere.
pub fn excluded_ports() -> Vec<(u16, u16)> {
    Current::excluded_ports()
}

/// The OS bindscope runs on, as reports name it.
pub const OS: Os = Current::OS;

/// Whether `--kill`'s first step already ends the process here (Windows).
pub const STOP_IS_FINAL: bool = Current::STOP_IS_FINAL;

/// The snapshot, read on a thread of its own while `beside` runs here. A command that needs
/// the machine and a socket dump asks both at once: the dump mostly waits on the kernel (on
/// Linux, finding TCP sockets bound without listen() walks the whole bind hash: 3 ms on a
/// large machine) while the snapshot reads interfaces and routes. Where no thread can be
/// started, the snapshot is read after `beside`.
pub fn snapshot_beside<T>(beside: impl FnOnce() -> T) -> (Result<Host, SystemError>, T) {
    std::thread::scope(|scope| {
        let reading = std::thread::Builder::new().spawn_scoped(scope, snapshot);
        let value = beside();
        let host = match reading {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => snapshot(),
        };
        (host, value)
    })
}

/// Reads the machine: interfaces and their addresses, routes, kernel settings, environment.
pub fn snapshot() -> Result<Host, SystemError> {
    let interfaces = Current::interfaces().map_err(SystemError::Interfaces)?;
    Ok(Host {
        hostname: Current::hostname(),
        os: Current::OS,
        env: Current::env_hints(&interfaces),
        interfaces,
        default_routes: Current::default_routes(),
        route_source: Current::route_source(),
        sysctls: Current::sysctls(),
        privileged: Current::privileged(),
        excluded_ports: Vec::new(),
    })
}

/// Interfaces through if-addrs: what macOS and Windows offer, and what Linux falls back to.
fn portable_interfaces() -> io::Result<Vec<Interface>> {
    Ok(from_if_addrs(if_addrs::get_if_addrs()?))
}

/// Interfaces from their addresses alone (getifaddrs, GetAdaptersAddresses): what macOS and
/// Windows offer, and what Linux falls back to. Devices are left to be told by their names.
fn from_if_addrs(addrs: Vec<if_addrs::Interface>) -> Vec<Interface> {
    let mut interfaces: Vec<Interface> = Vec::new();
    for a in addrs {
        // Linux labels IPv4 aliases "eth0:1"; they belong to eth0.
        let name = a.name.split(':').next().unwrap_or(&a.name).to_string();
        let slot = match interfaces.iter().position(|i| i.name == name) {
            Some(n) => n,
            None => {
                interfaces.push(Interface {
                    name,
                    index: a.index,
                    up: matches!(
                        a.oper_status,
                        if_addrs::IfOperStatus::Up | if_addrs::IfOperStatus::Unknown
                    ),
                    device: if a.is_loopback() {
                        Device::Loopback
                    } else {
                        Device::Unknown
                    },
                    master: None,
                    addresses: Vec::new(),
                });
                interfaces.len() - 1
            }
        };
        let (ip, prefix) = match &a.addr {
            if_addrs::IfAddr::V4(v4) => (IpAddr::V4(v4.ip), v4.prefixlen),
            if_addrs::IfAddr::V6(v6) => (IpAddr::V6(v6.ip), v6.prefixlen),
        };
        let addresses = &mut interfaces[slot].addresses;
        if !addresses.iter().any(|x| x.ip == ip) {
            addresses.push(IfAddress::new(ip, prefix));
        }
    }
    interfaces
}

/// Looks a name up the way servers do (getaddrinfo), keeping its order and dropping repeats.
/// Names under `.invalid` never resolve (RFC 6761) and are not sent to any resolver.
pub fn resolve(name: &str) -> io::Result<Vec<IpAddr>> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    if lower == "invalid" || lower.ends_with(".invalid") {
        return Ok(Vec::new());
    }
    let mut out: Vec<IpAddr> = Vec::new();
    for addr in (name, 0).to_socket_addrs()? {
        if !out.contains(&addr.ip()) {
            out.push(addr.ip());
        }
    }
    Ok(out)
}

/// Binds a TCP listener the way typical servers do, then closes it at once.
pub fn try_bind(addr: SocketAddr) -> Result<(), BindError> {
    let socket = socket2::Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
        .map_err(bind_error)?;
    if Current::SERVERS_SET_REUSEADDR {
        socket.set_reuse_address(true).map_err(bind_error)?;
    }
    socket.bind(&addr.into()).map_err(bind_error)?;
    socket.listen(1).map_err(bind_error)?;
    Ok(())
}

fn bind_error(e: io::Error) -> BindError {
    BindError::from_io(&e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Proto, SockState};

    /// A platform whose only override is a fixed socket table: one listener on 5000, one
    /// connection in TIME_WAIT on 5001.
    struct Fixture;

    impl Platform for Fixture {
        const OS: Os = Os::Other;
        const SERVERS_SET_REUSEADDR: bool = true;

        fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
            let socket = |port, state| Socket {
                proto: Proto::Tcp,
                local: SocketAddr::from(([127, 0, 0, 1], port)),
                remote: None,
                state,
                v6only: None,
                device: None,
                uid: None,
                inode: None,
                pids: Vec::new(),
            };
            let all = [
                socket(5000, SockState::Listen),
                socket(5001, SockState::TimeWait),
            ];
            Ok(SocketTable {
                sockets: all
                    .into_iter()
                    .filter(|s| match query {
                        SocketQuery::Listening => s.state.is_listening(),
                        SocketQuery::Port(port) => s.local.port() == port,
                    })
                    .collect(),
                ..SocketTable::default()
            })
        }
    }

    #[test]
    fn the_default_port_listening_reads_the_socket_table() {
        let tcp = KillScope::default();
        assert!(Fixture::port_listening(5000, tcp).unwrap());
        assert!(!Fixture::port_listening(5001, tcp).unwrap());
        assert!(!Fixture::port_listening(5002, tcp).unwrap());
        // What a server holds: the listener; a connection in TIME_WAIT is nobody's server.
        assert_eq!(Fixture::held_on(5000).unwrap().sockets.len(), 1);
        assert!(Fixture::held_on(5001).unwrap().sockets.is_empty());
    }

    #[test]
    fn a_platform_with_only_the_defaults_says_what_it_cannot_do() {
        use unsupported::Current as Bare;
        let e = Bare::socket_table(SocketQuery::Listening).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::Unsupported);
        let e = Bare::port_listening(5000, KillScope::default()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::Unsupported);
        assert_eq!(
            Bare::signal(std::process::id(), Signal::Terminate),
            Err(SignalError::Unsupported)
        );
        assert!(!Bare::alive(std::process::id()));
        assert_eq!(Bare::hostname(), None);
        assert_eq!(Bare::default_routes(), Vec::new());
        assert_eq!(Bare::sysctls(), Sysctls::default());
        assert_eq!(
            Bare::firewall(Some("/usr/bin/python3")),
            FirewallState::default()
        );
        let interfaces = Bare::interfaces().unwrap();
        assert!(interfaces.iter().any(|i| i.device == Device::Loopback));
    }

    #[test]
    fn the_portable_path_finds_loopback_too() {
        let interfaces = from_if_addrs(if_addrs::get_if_addrs().unwrap());
        let lo = interfaces
            .iter()
            .find(|i| i.device == Device::Loopback)
            .expect("a loopback interface");
        assert!(lo.addresses.iter().any(|a| a.ip.is_loopback()));
    }

    #[test]
    fn invalid_names_never_resolve_and_never_leave_the_machine() {
        assert_eq!(resolve("nothing.invalid").unwrap(), Vec::<IpAddr>::new());
        assert_eq!(resolve("NOTHING.INVALID.").unwrap(), Vec::<IpAddr>::new());
    }

    #[test]
    fn a_real_bind_reports_the_port_in_use() {
        let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = held.local_addr().unwrap();
        assert_eq!(try_bind(addr), Err(BindError::InUse));
        drop(held);
        assert_eq!(try_bind(addr), Ok(()));
    }

    #[test]
    fn a_foreign_address_cannot_be_bound() {
        // TEST-NET-3 is never assigned to this machine; bind() answers locally, nothing is sent.
        let addr: SocketAddr = "203.0.113.254:5000".parse().unwrap();
        assert_eq!(try_bind(addr), Err(BindError::NotLocal));
    }
}
