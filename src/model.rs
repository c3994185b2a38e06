//! The snapshot of a machine that every analysis works on.
//!
//! The platform layer fills a [`Host`] once; everything after that is a pure function of it,
//! so a laptop, a WSL2 VM or a server with 200 interfaces can be described in a unit test.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Serialize;

/// Everything bindscope knows about the machine it runs on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Host {
    pub hostname: Option<String>,
    pub os: Os,
    pub interfaces: Vec<Interface>,
    /// Default routes of the main routing table.
    pub default_routes: Vec<DefaultRoute>,
    /// The source address the kernel picks for outgoing traffic (`local_ip()`): under a
    /// full-tunnel VPN this is the VPN's address, not the LAN's.
    pub route_source: Option<IpAddr>,
    pub sysctls: Sysctls,
    pub env: EnvHints,
    /// This process may bind ports below the unprivileged start (root or CAP_NET_BIND_SERVICE).
    pub privileged: bool,
    /// Port ranges the OS keeps for itself (Windows' excluded port ranges): a bind there fails
    /// with WinError 10013 though nobody holds the port. Read only by `port` and `free`.
    pub excluded_ports: Vec<(u16, u16)>,
}

impl Host {
    pub fn interface(&self, name: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.name == name)
    }

    /// The interface that holds `ip`, if any.
    pub fn owner_of(&self, ip: IpAddr) -> Option<&Interface> {
        self.interfaces
            .iter()
            .find(|i| i.addresses.iter().any(|a| a.ip == ip))
    }

    pub fn has_default_route(&self, interface: &str) -> bool {
        self.default_routes.iter().any(|r| r.interface == interface)
    }

    /// Every (interface, address) pair, in interface order.
    pub fn addresses(&self) -> impl Iterator<Item = (&Interface, &IfAddress)> {
        self.interfaces
            .iter()
            .flat_map(|i| i.addresses.iter().map(move |a| (i, a)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Os {
    #[default]
    Linux,
    Macos,
    Windows,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub index: Option<u32>,
    /// Administratively up and not known to be down.
    pub up: bool,
    pub device: Device,
    /// The bridge this interface is a port of, if any.
    pub master: Option<String>,
    pub addresses: Vec<IfAddress>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfAddress {
    pub ip: IpAddr,
    pub prefix: u8,
    pub state: AddrState,
}

impl IfAddress {
    /// An address ready for use, as most are.
    pub fn new(ip: IpAddr, prefix: u8) -> Self {
        IfAddress {
            ip,
            prefix,
            state: AddrState::Ready,
        }
    }
}

/// Whether the kernel lets an address be used yet. IPv6 checks that no other device has the
/// address (duplicate address detection) before it may be bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddrState {
    #[default]
    Ready,
    /// Duplicate address detection is still running (`IFA_F_TENTATIVE`): a bind fails.
    Tentative,
    /// Another device answered for the address (`IFA_F_DADFAILED`): it stays unusable.
    DadFailed,
}

impl AddrState {
    pub fn usable(self) -> bool {
        self == AddrState::Ready
    }
}

/// What kind of device the OS says an interface is. `Unknown` where the platform cannot tell;
/// the analysis then falls back to the interface's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Device {
    Loopback,
    /// A physical (or paravirtual, as in a VM) network card.
    Ethernet,
    Wireless,
    Bridge,
    Veth,
    Tun,
    Tap,
    Wireguard,
    Vlan,
    Bond,
    Dummy,
    /// A VM host-only adapter (VirtualBox, VMware, Parallels): reaches only this machine's VMs.
    HostOnly,
    /// Some other virtual device (macvlan, vxlan, a GRE tunnel…).
    OtherVirtual,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Ipv4,
    Ipv6,
}

impl Family {
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => Family::Ipv4,
            IpAddr::V6(_) => Family::Ipv6,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultRoute {
    pub interface: String,
    pub family: Family,
    pub metric: u32,
}

/// Kernel settings that change what a bind does. `None` where they cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sysctls {
    /// `net.ipv6.bindv6only`: whether `::` takes IPv6 only by default.
    pub bindv6only: Option<bool>,
    /// `net.ipv4.ip_unprivileged_port_start`: ports below need privileges.
    pub unprivileged_port_start: Option<u16>,
    /// `net.ipv4.ip_local_port_range`: where the OS picks outgoing ports.
    pub ephemeral_range: Option<(u16, u16)>,
    /// `net.ipv4.ip_nonlocal_bind`: binding an address the machine lacks succeeds.
    pub nonlocal_bind: Option<bool>,
}

/// What the environment says about where this machine sits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnvHints {
    pub wsl: Option<WslMode>,
    /// Running inside a container (Docker, Podman, systemd-nspawn…): its name if known.
    pub container: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WslMode {
    /// WSL2's default: a VM behind NAT; the LAN reaches Windows, not the VM.
    Nat,
    /// `networkingMode=mirrored`: the VM shares Windows' addresses.
    Mirrored,
}

/// The transport protocol of a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Proto {
    Tcp,
    Udp,
}

/// A socket's state, with the names `ss` uses. A bound UDP socket is `Unconn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SockState {
    Listen,
    Unconn,
    Established,
    SynSent,
    SynRecv,
    FinWait1,
    FinWait2,
    TimeWait,
    CloseWait,
    LastAck,
    Closing,
    /// TCP bound but neither listening nor connected: a server that crashed or paused between
    /// `bind()` and `listen()`. Linux reports these since 6.5 when asked.
    Bound,
    Other,
}

impl Socket {
    /// A TCP socket in LISTEN: what a web server (and a TCP probe) talks to.
    pub fn is_tcp_listener(&self) -> bool {
        self.proto == Proto::Tcp && self.state == SockState::Listen
    }

    /// Whether this socket stops a TCP server from binding its port: a listener, or a socket
    /// bound without listening, on any address and family. Connections (TIME_WAIT included)
    /// do not: servers set SO_REUSEADDR, and on Linux and macOS that lets them bind beside
    /// connections; UDP sockets are another port space.
    pub fn holds_tcp_port(&self) -> bool {
        self.proto == Proto::Tcp && matches!(self.state, SockState::Listen | SockState::Bound)
    }
}

/// Which sockets on a port `port --kill` stops the owners of: TCP listeners, and with `udp`
/// (`--udp`) UDP sockets bound and not connected, UDP's servers. A connected UDP socket is a
/// client (DNS, QUIC) that only happens to use the number, and never one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KillScope {
    pub udp: bool,
}

impl KillScope {
    pub fn covers(self, proto: Proto, state: SockState) -> bool {
        match proto {
            Proto::Tcp => state == SockState::Listen,
            Proto::Udp => self.udp && state == SockState::Unconn,
        }
    }

    pub fn socket(self, socket: &Socket) -> bool {
        self.covers(socket.proto, socket.state)
    }
}

impl SockState {
    /// A socket a server is waiting on: TCP listening, UDP bound and not connected.
    pub fn is_listening(self) -> bool {
        matches!(self, SockState::Listen | SockState::Unconn)
    }

    /// A UDP socket's state, as `ss` names it: connected to one peer (a client: DNS, QUIC)
    /// is `Established` and no listener; otherwise `Unconn`, which takes datagrams from
    /// anyone. Every platform that knows the peer decides through this one rule.
    pub fn of_udp(remote: Option<SocketAddr>) -> SockState {
        match remote {
            Some(_) => SockState::Established,
            None => SockState::Unconn,
        }
    }
}

/// One socket of the machine's socket table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    pub proto: Proto,
    pub local: std::net::SocketAddr,
    /// The peer of a connected socket.
    pub remote: Option<std::net::SocketAddr>,
    pub state: SockState,
    /// For IPv6 sockets: IPV6_V6ONLY. `None` for IPv4 or where the OS does not say.
    pub v6only: Option<bool>,
    /// The interface the socket is tied to (SO_BINDTODEVICE, or a link-local address's zone),
    /// by index: it then accepts only what arrives through that interface.
    pub device: Option<u32>,
    /// The socket's owner as the kernel records it; known even when its process is not.
    pub uid: Option<u32>,
    pub inode: Option<u64>,
    /// Every process that holds the socket, in pid order. Empty when none could be seen.
    pub pids: Vec<u32>,
}

/// A process that holds a socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Process {
    pub pid: u32,
    pub ppid: Option<u32>,
    pub name: String,
    pub uid: Option<u32>,
    pub user: Option<String>,
    /// The command line, shortened; `None` when it cannot be read.
    pub cmdline: Option<String>,
    /// When the process started (clock ticks since boot on Linux): with the pid, it tells a
    /// process apart from a later one that reuses the pid.
    #[serde(skip)]
    pub start_time: Option<u64>,
}

/// The sockets of interest and the processes that hold them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SocketTable {
    pub sockets: Vec<Socket>,
    /// In pid order (every platform builds it so): [`SocketTable::process`] looks up by
    /// binary search.
    pub processes: Vec<Process>,
    /// Every process's open files could be read, so a socket without pids has no visible owner
    /// at all (a kernel socket, another pid namespace). False without privileges.
    pub owners_complete: bool,
    /// Processes whose open files could not be read (other users', without privileges).
    pub unreadable: usize,
    /// Processes whose open files could not be read even as root: guarded by the system (a
    /// sandbox's supervisor, a security module), so sudo would not help.
    pub protected: usize,
    /// The names of the sockets' owner uids.
    pub users: Vec<(u32, String)>,
}

impl SocketTable {
    /// The process `pid`, in logarithmic time when `processes` is in pid order (a table built
    /// by hand in another order is still answered, by a scan on a miss).
    pub fn process(&self, pid: u32) -> Option<&Process> {
        match self.processes.binary_search_by_key(&pid, |p| p.pid) {
            Ok(i) => Some(&self.processes[i]),
            Err(_) => self.processes.iter().find(|p| p.pid == pid),
        }
    }

    pub fn user(&self, uid: u32) -> Option<&str> {
        self.users
            .iter()
            .find(|(u, _)| *u == uid)
            .map(|(_, name)| name.as_str())
    }
}

/// A bind host after names have been resolved (resolution is the platform layer's job).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Ip {
        ip: IpAddr,
        zone: Option<String>,
    },
    Localhost {
        resolved: Vec<IpAddr>,
    },
    Hostname {
        name: String,
        resolved: Vec<IpAddr>,
    },
    Interface {
        name: String,
    },
    /// Every address of both families: what `urls` assumes when no host is given.
    Everything,
}

/// Why a real bind failed, by the OS's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindError {
    InUse,
    NotLocal,
    Permission,
    Other(String),
}

/// In `--json`, a bind error is its code: `in_use`, `not_local`, `permission`, `other`.
impl Serialize for BindError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl BindError {
    /// The bind error an OS error stands for.
    pub fn from_io(e: &std::io::Error) -> BindError {
        match e.kind() {
            std::io::ErrorKind::AddrInUse => BindError::InUse,
            std::io::ErrorKind::AddrNotAvailable => BindError::NotLocal,
            std::io::ErrorKind::PermissionDenied => BindError::Permission,
            _ => BindError::Other(e.to_string()),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            BindError::InUse => "in_use",
            BindError::NotLocal => "not_local",
            BindError::Permission => "permission",
            BindError::Other(_) => "other",
        }
    }
}

/// Which sockets to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketQuery {
    /// Listening TCP sockets and bound UDP sockets.
    Listening,
    /// Every socket whose local port is this one, in any state.
    Port(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    Terminate,
    Kill,
}

// Every platform builds this enum, but one that cannot signal yet (Windows today) only ever
// says `Unsupported`.
#[allow(dead_code)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignalError {
    /// The process is gone.
    Gone,
    /// The process runs but no longer holds the socket, or its number now names another
    /// process: it is not the one that was checked.
    NotHolding,
    Permission,
    /// The process lives in a pid namespace this one cannot reach (an outer one): the kernel
    /// refuses to signal it from here.
    OtherNamespace,
    /// This platform cannot signal processes yet.
    Unsupported,
    /// The process is pid 1 of a pid namespace of its own: a container's init.
    ContainerInit,
    Other(String),
}

/// How a connection attempt ended, by the OS's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Open,
    /// RST: nothing listens there (or a firewall REJECT).
    Refused,
    /// No answer before the deadline: dropped packets.
    Timeout,
    /// ICMP host unreachable, or no device answered ARP/ND.
    HostUnreachable,
    /// No route to that network from here.
    NetworkUnreachable,
    /// The name did not resolve: nothing was attempted.
    Unresolved,
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectAttempt {
    pub outcome: Outcome,
    pub elapsed: Duration,
    /// The ICMP error behind a failed connect, where the OS reports it (Linux's IP_RECVERR).
    pub reason: Option<IcmpReason>,
}

/// What an ICMP error said about a connection: who turned it away and how.
// Only Linux reads ICMP errors so far; the reports read the reason everywhere.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IcmpReason {
    /// "Communication administratively prohibited": a firewall rejected it (firewalld's
    /// default, `reject with icmpx admin-prohibited`).
    AdminProhibited,
    HostUnreachable,
    NetUnreachable,
    /// The host answered that nothing listens (what a firewall's plain `reject` sends, too).
    PortUnreachable,
    /// Another ICMP error.
    Other,
}

/// One GET as the phone would send it: to `addr`, with the `Host` (and, for a development
/// server's own resources, the `Origin`) that a browser on another device sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub addr: SocketAddr,
    pub host: String,
    pub path: String,
    pub origin: Option<String>,
}

/// What an HTTP server answered: its status, the headers that name it, and the start of its
/// body (at most [`HTTP_BODY_CAP`] bytes, read lossily as UTF-8).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpAnswer {
    pub status: u16,
    pub reason: String,
    pub server: Option<String>,
    pub content_type: Option<String>,
    pub powered_by: Option<String>,
    pub body: String,
}

/// How much of an answer's body is read: enough to recognise a development server's refusal
/// (Django's debug page names DisallowedHost in its title), never an unbounded download.
pub const HTTP_BODY_CAP: usize = 64 * 1024;

/// Why a request got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpFailure {
    /// No answer's head before the timeout.
    Timeout,
    /// The connection or the exchange failed: the OS's or the HTTP library's words.
    Failed(String),
}

/// What the beacon learns of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// Who connected.
    pub peer: SocketAddr,
    /// Which of this machine's addresses they reached.
    pub local: SocketAddr,
    pub method: String,
    pub path: String,
    /// The client asked for HTML (a browser) rather than anything (curl).
    pub wants_html: bool,
    pub accept_language: Option<String>,
}

/// Why the beacon stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ended {
    TimeUp,
    /// Ctrl+C.
    Interrupted,
}

/// A device seen by the beacon's packet watch: it asked for this machine's hardware address
/// (a new ARP or ND entry), so it sent, or was about to send, something here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub ip: IpAddr,
    /// The interface's index.
    pub interface: u32,
    pub hardware: Option<String>,
}

/// A TCP SYN for the beacon's port, seen on the wire before the firewall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syn {
    pub source: IpAddr,
    /// This machine's address it was for.
    pub dest: IpAddr,
    /// The interface's index.
    pub interface: u32,
}

/// The IP counters of this machine (its network namespace), IPv4 and IPv6 summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IpCounters {
    /// Packets received.
    pub received: u64,
    /// Packets handed to TCP, UDP, ICMP and the other protocols.
    pub delivered: u64,
    /// Packets accounted for otherwise: forwarded, malformed, discarded, fragments,
    /// broadcast and multicast.
    pub accounted: u64,
}

impl IpCounters {
    /// Unicast packets received since `start` and never delivered: dropped on the way in,
    /// which is what a host firewall does.
    pub fn undelivered_since(&self, start: &IpCounters) -> u64 {
        let received = self.received.saturating_sub(start.received);
        let rest = self.delivered.saturating_sub(start.delivered)
            + self.accounted.saturating_sub(start.accounted);
        received.saturating_sub(rest)
    }
}

/// The answer to a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub content_type: &'static str,
    pub body: String,
}

/// What `wait` waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitMode {
    /// A TCP connection opens.
    Connect,
    /// Any HTTP answer, whatever its status.
    Http,
    /// Nothing holds the port any more.
    Free,
}

/// Where `wait` connects: the addresses a browser tries for `localhost`, or one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitHost {
    /// No `--host`, `localhost`, or a wildcard: this machine's loopback addresses.
    Loopback {
        /// Which loopback addresses: both for `localhost` and `::`, IPv4 for `0.0.0.0`.
        families: Families,
    },
    Ip {
        ip: std::net::IpAddr,
        zone: Option<String>,
    },
}

/// Which address families a command shows (`-4`, `-6`, or both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Families {
    Both,
    V4,
    V6,
}

impl Families {
    pub fn admits(self, ip: std::net::IpAddr) -> bool {
        match self {
            Families::Both => true,
            Families::V4 => ip.is_ipv4(),
            Families::V6 => ip.is_ipv6(),
        }
    }
}

/// What became of a process `--kill` meant to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KillOutcome {
    /// The process is gone.
    Exited,
    /// It had exited on its own between the check and the signal: nothing was sent.
    AlreadyExited,
    StillRunning,
    /// It no longer held the socket (or was a new process with the same pid): left alone.
    NotVerified,
    /// Not allowed to signal it.
    Permission,
    /// It runs in a pid namespace outside bindscope's (bindscope runs in a container or an
    /// `unshare --pid` of its own): it can only be stopped from there.
    OtherNamespace,
    /// This platform cannot signal processes yet, or not through a handle on the process (a
    /// kernel older than Linux 5.1): nothing is sent by number alone.
    Unsupported,
    /// It is pid 1 of a pid namespace of its own, a container's init: stopping it stops the
    /// whole container, so it is left alone and the container is to be stopped instead.
    ContainerInit,
}

/// What a user is shown about a process before being asked to stop it, beyond its name,
/// user and command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolderFacts {
    /// Its working directory, where it can be read.
    pub cwd: Option<String>,
    /// How long it has run.
    pub running_for: Option<Duration>,
    /// It is pid 1 of a pid namespace of its own (a container's init): never signalled.
    pub container_init: bool,
}

/// One probe of one address and port, as gathered: how the connect ended and, with `--http`,
/// what the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// `None` when the name did not resolve.
    pub ip: Option<IpAddr>,
    pub port: u16,
    /// This machine's interface holding `ip` (local probes).
    pub interface: Option<String>,
    pub outcome: Outcome,
    pub elapsed_ms: u64,
    /// The ICMP error behind a failure, where the OS reported it.
    pub reason: Option<IcmpReason>,
    pub http: Option<HttpProbe>,
}

/// What one HTTP request to an open address brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpProbe {
    /// The `Host` header sent: the address as the other device would type it.
    pub host: String,
    /// The answer, or why there is none.
    pub answer: Result<HttpAnswer, HttpFailure>,
    /// Next.js's answer to a request for one of its development resources from a page opened
    /// at `host` (asked only of Next.js).
    pub dev_resource: Option<Result<HttpAnswer, HttpFailure>>,
    /// Werkzeug's debugger answered its own resource (asked only of Werkzeug).
    pub debugger: Option<bool>,
}

/// What was done to one owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signalled {
    pub pid: u32,
    /// The signals sent, in order.
    pub signals: Vec<Signal>,
    pub outcome: KillOutcome,
}

/// What the sequence did, and the port afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KillRun {
    pub targets: Vec<Signalled>,
    /// No listening socket is left on the port.
    pub freed: bool,
    /// When not freed: processes listening on the port now that did not hold it at the check.
    pub taken_by: Vec<Process>,
}

/// What a `wait` saw: whether it happened, who answered, when, after how many rounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waited {
    /// It happened: an address answered, or the port is free.
    pub done: bool,
    /// The address that answered (connect and HTTP).
    pub answered_by: Option<SocketAddr>,
    /// The status of the HTTP answer (`--http`).
    pub http_status: Option<u16>,
    /// From the start to the answer, or to the end of the last round.
    pub after: Duration,
    /// Rounds of connects (or looks at the socket table).
    pub attempts: u32,
    /// `--free` at the timeout: who still holds the port, where the table names them.
    pub held_by: Vec<Process>,
}

/// What shows that Werkzeug's debugger is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DebugEvidence {
    /// It answered its own resource (`?__debugger__=yes&cmd=resource`).
    Answered,
    /// The command line has `--debug` (`flask run --debug`).
    CommandLine,
    /// The environment has `FLASK_DEBUG=1`.
    Environment,
}

/// Werkzeug's debugger found on in a process that holds a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebugFinding {
    pub pid: u32,
    pub evidence: DebugEvidence,
}

/// What the platform could read of this machine's firewall, as the OS gave it. The analysis
/// (`analysis::firewall`) turns it into a verdict for one port and interface.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FirewallState {
    /// `nft -j list ruleset`: the kernel's ruleset as JSON (libnftables-json(5)).
    pub nftables: Capture,
    /// `iptables-nft-save`: the tables iptables (nf_tables backend, ufw's) keeps in nftables,
    /// whose xt matches nft's JSON shows without their arguments.
    pub iptables_nft: Capture,
    /// `ip6tables-nft-save`, the same for IPv6.
    pub ip6tables_nft: Capture,
    /// `iptables-legacy-save`, read where legacy (x_tables) tables exist beside nftables.
    pub iptables_legacy: Capture,
    /// `ip6tables-legacy-save`, the same for IPv6.
    pub ip6tables_legacy: Capture,
    /// ufw's own files, readable without privilege; `None` where ufw is not installed.
    pub ufw: Option<UfwFiles>,
    /// firewalld, where it runs.
    pub firewalld: Option<Firewalld>,
    /// Windows Defender Firewall (INetFwPolicy2).
    pub windows: Option<WindowsFirewall>,
    /// macOS's application firewall (socketfilterfw's answers).
    pub macos: Option<MacFirewall>,
}

/// One thing read from the OS: its text, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
// Only Linux reads captures; the analysis reads them everywhere.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub enum Capture {
    /// The tool or file is not there: nothing of this kind is set up.
    #[default]
    Absent,
    /// Reading it needs privilege this process lacks (CAP_NET_ADMIN, root, a policy).
    Denied,
    /// It failed for another reason: the words it gave.
    Failed(String),
    Text(String),
}

impl Capture {
    pub fn text(&self) -> Option<&str> {
        match self {
            Capture::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// ufw's configuration files (`/etc/ufw/ufw.conf`, `/etc/default/ufw`, `/etc/ufw/user.rules`,
/// `/etc/ufw/user6.rules`); `None` for one that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UfwFiles {
    pub conf: Option<String>,
    pub defaults: Option<String>,
    pub user_rules: Option<String>,
    pub user6_rules: Option<String>,
}

/// firewalld's answers for the interfaces that matter (its query interface needs no privilege).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Firewalld {
    pub running: bool,
    /// The zone of each interface asked about: `(interface, zone)`.
    pub zones: Vec<(String, String)>,
    pub default_zone: Option<String>,
}

/// Windows Defender Firewall, as INetFwPolicy2 reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WindowsFirewall {
    pub profiles: Vec<WinProfile>,
    pub rules: Vec<WinRule>,
    /// The category of each connected network, by the interface it is on (the Network List
    /// Manager): which profile filters a connection arriving there. Empty where it could not
    /// be read.
    pub networks: Vec<WinNetwork>,
}

/// A connected network and the profile its category puts it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WinNetwork {
    /// The interface's alias, as interfaces are named on Windows ("Wi-Fi", "Ethernet").
    pub interface: String,
    /// Public, Private, or Domain (a domain-authenticated network).
    pub category: WinProfileKind,
}

/// One of Windows' three firewall profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WinProfile {
    pub kind: WinProfileKind,
    /// The profile of a network this machine is connected to now.
    pub current: bool,
    pub enabled: bool,
    /// Inbound connections that no rule allows are blocked (the default).
    pub default_inbound_block: bool,
    /// "Block all incoming connections, including those in the list of allowed apps".
    pub block_all_inbound: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WinProfileKind {
    // Read from Windows only; the analysis matches it everywhere.
    #[allow(dead_code)]
    Domain,
    Private,
    Public,
}

/// One firewall rule, inbound or outbound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WinRule {
    pub name: String,
    pub enabled: bool,
    pub inbound: bool,
    /// Allow; else Block.
    pub allow: bool,
    /// The program it applies to (`C:\…\python.exe`); `None` for any program.
    pub program: Option<String>,
    /// The Windows service it applies to (`ServiceName`; `*` for any service); `None` for
    /// services and other processes alike.
    pub service: Option<String>,
    /// IP protocol number (6 TCP, 17 UDP); `None` for any.
    pub protocol: Option<u8>,
    /// `LocalPorts` as Windows writes it: `*`, `5000`, `5000-5010,8080`, or a keyword (`RPC`).
    pub local_ports: String,
    /// `LocalAddresses` as Windows writes it: `*`, `192.168.1.10/255.255.255.255`, `fe80::/64`.
    pub local_addresses: String,
    /// `RemoteAddresses`: `*`, `LocalSubnet`, addresses, subnets and ranges.
    pub remote_addresses: String,
    /// `InterfaceTypes`: `All`, or some of `Wireless`, `Lan`, `RemoteAccess`.
    pub interface_types: String,
    /// The profiles it applies to.
    pub profiles: Vec<WinProfileKind>,
}

/// socketfilterfw's answers, as printed; `None` where it could not be asked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MacFirewall {
    pub global_state: Option<String>,
    pub block_all: Option<String>,
    pub stealth: Option<String>,
    /// `--getappblocked PATH` for the program that listens, with the path asked about.
    pub app: Option<(String, String)>,
    /// `--listapps`: the applications in the firewall's list, each allowed or blocked. Read
    /// because `--getappblocked` may call an application that is not in the list "permitted".
    pub listapps: Option<String>,
}
