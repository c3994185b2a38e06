//! The facts an analysis wants to tell the user, as data. The catalogues in `i18n` turn each
//! into a sentence in English or Korean; `code()` names it in `--json`.

use std::net::{IpAddr, SocketAddr};

use super::topics::Topic;
use super::vocab::{DevServer, FirewallSource, FirewallVerdict, Role, Unread as FirewallUnread};
use crate::model::BindError;
use crate::model::DebugEvidence;
use crate::model::Os;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Bound to loopback: this machine only. Tells how to open it up.
    LoopbackOnly,
    /// `0.0.0.0` / `::`: every address of the family, including ones added later.
    AllInterfaces,
    /// `::` also takes IPv4 (dual stack) because `bindv6only=0`.
    DualStack,
    /// `::` takes IPv6 only because `bindv6only=1` (or the OS defaults to it).
    V6Only { windows: bool },
    /// A wildcard bind also listens on these container or VM networks; `routed`: devices that
    /// route to them through this machine can connect too.
    AlsoVirtual {
        interfaces: Vec<String>,
        routed: bool,
    },
    /// An address on no link another device is on (a down interface, `lo`), which the kernel
    /// still accepts from any interface: devices that route `network` here reach it.
    RoutedOnly {
        ip: IpAddr,
        network: String,
        interface: String,
        down: bool,
    },
    /// Duplicate address detection has not passed: a bind fails with EADDRNOTAVAIL.
    AddressNotReady { ip: IpAddr, failed: bool },
    /// `::ffff:a.b.c.d` needs a dual-stack socket; with IPv6-only sockets the bind fails.
    MappedNeedsDualStack { ip: IpAddr },
    /// The broadcast address of a loopback range: it binds, nothing reaches it.
    NotUnicast { ip: IpAddr, network: String },
    /// A bind to one address beyond loopback: 127.0.0.1 and `localhost` do not answer.
    NotOnLocalhost { ip: IpAddr, port: u16 },
    /// A socket tied to one interface (SO_BINDTODEVICE) accepts only what arrives through it.
    BoundToDevice { socket: SocketAddr, device: String },
    /// The socket table shows a listener, but no connection from this machine got through.
    ListenerSilent { port: u16, sockets: Vec<SocketAddr> },
    /// A TCP socket bound without listen(): a server that crashed or paused while starting.
    /// `holds`: a trial bind found the port in use (a server that sets SO_REUSEADDR may still
    /// take it beside a bound-only socket that set it too).
    BoundNotListening {
        port: u16,
        owner: Option<String>,
        holds: bool,
    },
    /// The server running on the port listens on loopback only: the network URLs will not
    /// answer until it is restarted on 0.0.0.0.
    ServerLoopbackOnly { port: u16, flask: bool },
    /// Nothing listens on the port yet: the URLs are where it will answer once started there.
    ServerNotRunning { port: u16, bind: String },
    /// `urls --host` of a loopback bind: such a server has no network URL.
    NoNetworkUrl { host: String },
    /// What this machine's firewall does with a new connection to the port from another device
    /// on `interface`.
    Firewall {
        port: u16,
        interface: String,
        verdict: FirewallVerdict,
        source: Option<FirewallSource>,
        rule: Option<String>,
        fix: Option<String>,
    },
    /// The firewall could not be read whole without privilege: this command would tell.
    FirewallUnread {
        command: String,
        parts: Vec<FirewallUnread>,
    },
    /// A public address: binding 0.0.0.0 exposes the server to the internet.
    PublicExposure { ip: IpAddr, port: u16 },
    /// A wildcard bind also listens on these VPN interfaces.
    AlsoVpn { interfaces: Vec<String> },
    /// An address of this bind is public: the internet can connect unless a firewall stops it.
    Public { ip: IpAddr },
    /// The bind lets the network in; a firewall may still stop it.
    FirewallDecides,
    /// A bind to an address that sits on a virtual interface.
    VirtualAddress {
        ip: IpAddr,
        interface: String,
        role: Role,
    },
    /// The address is not on this machine: the bind fails with EADDRNOTAVAIL.
    NotLocal {
        ip: IpAddr,
        lan: Option<(IpAddr, String)>,
    },
    /// `ip_nonlocal_bind=1`: the bind succeeds even so, but nothing arrives.
    NonlocalBindAllowed,
    /// A link-local IPv6 address without `%zone` cannot be bound.
    LinkLocalNeedsZone { ip: IpAddr },
    /// Link-local addresses get no URL: browsers reject zone ids.
    LinkLocalNoUrl,
    /// Port below `ip_unprivileged_port_start` and no privilege to bind it.
    PrivilegedPort { port: u16, start: u16 },
    /// Same, but this process has the privilege.
    PrivilegedPortAllowed { port: u16, start: u16 },
    /// macOS (XNU since 10.14) checks the privilege for a port below `start` only when the
    /// address is a specific one: `allowed` when the bind is to 0.0.0.0 or `::` only.
    LowPortSpecificAddress {
        port: u16,
        start: u16,
        allowed: bool,
    },
    /// `localhost` resolves to these addresses; what typical servers bind.
    Localhost {
        resolved: Vec<IpAddr>,
        picked: IpAddr,
    },
    /// A hostname resolves to these addresses; servers take the first IPv4 one.
    Hostname {
        name: String,
        resolved: Vec<IpAddr>,
        picked: IpAddr,
    },
    /// An interface name: servers bind addresses, so its address was taken.
    InterfaceName { name: String, picked: IpAddr },
    /// An interface that exists but has no address a server could bind.
    InterfaceWithoutAddress { name: String },
    /// WSL2 in NAT mode: the LAN reaches Windows, not this VM.
    WslNat,
    /// WSL2 with mirrored networking: Windows' addresses are shared.
    WslMirrored,
    /// Running inside a container: reachable from outside only through published ports.
    InContainer { name: String },
    /// A VPN carries the default route; LAN devices may still reach the LAN address.
    FullTunnelVpn { interface: String },
    /// No address another device could use.
    NoLanAddress,
    /// `--try`: the real bind failed.
    BindFailed { error: BindError },
    /// `--try`: the real bind succeeded (and was closed at once).
    BindSucceeded,
    /// A trial bind failed because of this socket, and the rule that makes it so.
    Conflict {
        trial: IpAddr,
        blocker: SocketAddr,
        rule: Conflict,
    },
    /// Werkzeug's reloader: the parent watches files and runs the child; both hold the socket.
    Reloader { parent: u32, child: u32 },
    /// docker-proxy holds the port for a published container port.
    DockerProxy { ports: Vec<u16> },
    /// macOS: AirPlay Receiver answers on 5000 and 7000.
    AirPlay { port: u16 },
    /// Windows: a socket holds the port's address; a second Werkzeug (SO_REUSEADDR) may still
    /// bind there beside an old one that set it too, and the old one keeps answering.
    ReuseAddrShares { port: u16 },
    /// Windows refuses ports in excluded ranges (Hyper-V, WSL, Docker) with WinError 10013 and
    /// no visible owner; `range` where netsh named it (else an exclusive holder is possible).
    ExcludedPortRange {
        port: u16,
        range: Option<(u16, u16)>,
    },
    /// Sockets of other users' processes are listed without their owners.
    OwnersHidden { processes: usize },
    /// Processes that even root may not inspect: their sockets are listed without an owner.
    OwnersProtected { processes: usize },
    /// Sockets that no visible process holds: the kernel's, or another namespace's.
    NoVisibleOwner,
    /// Connections in TIME_WAIT on the port: they do not stop a server that sets SO_REUSEADDR.
    TimeWait,
    /// The port lies in the range the OS lends to outgoing connections.
    EphemeralRange { low: u16, high: u16 },
    /// A local probe: nothing answers on the port.
    NothingListens { port: u16 },
    /// A local probe: loopback only; how to open it up (Flask's flags when it is Flask).
    LoopbackFix { flask: bool },
    /// 127.0.0.1 and ::1 answered by different programs.
    SplitLocalhost { v4: String, v6: String },
    /// A test from this machine shows the bind, not the firewall.
    SelfTestOnly { port: u16 },
    /// Werkzeug's debugger is on and reachable beyond loopback: anyone who reaches it can run
    /// code. `ip` is the address it answers on or the socket's bind.
    DebuggerExposed { ip: IpAddr, evidence: DebugEvidence },
    /// Werkzeug's development server answers beyond loopback.
    DevServerExposed { ip: IpAddr },
    /// macOS's AirPlay Receiver answered, not the user's app.
    AirPlayAnswered,
    /// A development server refused the `Host` the other device sends (`host`, whose name
    /// without the port is `name`): the phone gets its error page, not the app.
    HostNotAllowed {
        server: DevServer,
        host: String,
        name: String,
    },
    /// Some of this machine's own addresses did not answer at all: a local firewall drops them.
    LocalFirewall { ips: Vec<IpAddr> },
    /// `--http` does not speak TLS: an https target gets the TCP result only.
    HttpsNotProbed,
    /// A desktop firewall (Windows Defender Firewall, macOS's application firewall) asks the
    /// first time a program listens beyond loopback; a "no" makes other devices time out.
    FirewallPrompt { os: Os },
}

/// Why a bind conflicts with an existing listening socket (Linux's rules, measured).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// The same address and port.
    Same,
    /// The wildcard already covers the specific address tried.
    CoveredByWildcard,
    /// The wildcard was tried while a specific address holds the port.
    WildcardBlockedBySpecific,
    /// A dual-stack `::` socket holds the IPv4 port as well.
    DualStackHoldsIpv4,
    /// A dual-stack `::` bind needs the IPv4 port too, and it is held.
    DualStackNeedsIpv4,
    /// Windows: a bind that Windows' rules allow beside the holder failed, so the holder set
    /// SO_EXCLUSIVEADDRUSE.
    Exclusive,
}

impl Note {
    /// What the program knows of each note besides its words, in one place: its stable name in
    /// `--json`, the `explain` page that says more, and whether it warns. A new note is one line
    /// here and one sentence in each catalogue.
    fn meta(&self) -> (&'static str, Option<Topic>, Severity) {
        use Severity::{Info, Warning};
        use Topic as T;
        #[rustfmt::skip]
        let meta = match self {
            Note::LoopbackOnly => ("loopback_only", Some(T::LoopbackVsLan), Info),
            Note::AllInterfaces => ("all_interfaces", Some(T::BindAll), Info),
            Note::DualStack => ("dual_stack", Some(T::Ipv6), Info),
            Note::V6Only { .. } => ("v6_only", Some(T::Ipv6), Info),
            Note::AlsoVirtual { .. } => ("also_virtual", Some(T::Docker), Info),
            Note::RoutedOnly { .. } => ("routed_only", Some(T::LoopbackVsLan), Info),
            Note::AddressNotReady { .. } => ("address_not_ready", Some(T::Ipv6), Warning),
            Note::MappedNeedsDualStack { .. } => ("mapped_needs_dual_stack", Some(T::Ipv6), Warning),
            Note::NotUnicast { .. } => ("not_unicast", Some(T::LoopbackVsLan), Warning),
            Note::NotOnLocalhost { .. } => ("not_on_localhost", Some(T::LoopbackVsLan), Warning),
            Note::BoundToDevice { .. } => ("bound_to_device", Some(T::BindAll), Info),
            Note::ListenerSilent { .. } => ("listener_silent", Some(T::Firewall), Warning),
            Note::BoundNotListening { .. } => ("bound_not_listening", Some(T::Ports), Warning),
            Note::ServerLoopbackOnly { .. } => ("server_loopback_only", Some(T::LoopbackVsLan), Warning),
            Note::ServerNotRunning { .. } => ("server_not_running", None, Info),
            Note::NoNetworkUrl { .. } => ("no_network_url", Some(T::LoopbackVsLan), Warning),
            Note::PublicExposure { .. } => ("public_exposure", Some(T::Firewall), Warning),
            Note::Firewall { verdict, .. } => ("firewall", Some(T::Firewall), if matches!(verdict, FirewallVerdict::Drop | FirewallVerdict::Reject) { Warning } else { Info }),
            Note::FirewallUnread { .. } => ("firewall_unread", Some(T::Firewall), Info),
            Note::AlsoVpn { .. } => ("also_vpn", Some(T::Firewall), Info),
            Note::Public { .. } => ("public_address", Some(T::Firewall), Warning),
            Note::FirewallDecides => ("firewall_decides", Some(T::Firewall), Info),
            Note::VirtualAddress { role, .. } => ("virtual_address", Some(match role { Role::WslNat | Role::HyperV => T::Wsl, Role::Vpn | Role::Tailnet => T::Firewall, _ => T::Docker }), Info),
            Note::NotLocal { .. } => ("not_local", Some(T::LoopbackVsLan), Warning),
            Note::NonlocalBindAllowed => ("nonlocal_bind_allowed", None, Info),
            Note::LinkLocalNeedsZone { .. } => ("link_local_needs_zone", Some(T::Ipv6), Warning),
            Note::LinkLocalNoUrl => ("link_local_no_url", Some(T::Ipv6), Info),
            Note::PrivilegedPort { .. } => ("privileged_port", Some(T::Ports), Warning),
            Note::PrivilegedPortAllowed { .. } => ("privileged_port_allowed", Some(T::Ports), Info),
            Note::LowPortSpecificAddress { allowed, .. } => ("low_port_specific_address", Some(T::Ports), if *allowed { Info } else { Warning }),
            Note::Localhost { .. } => ("localhost", Some(T::Ipv6), Info),
            Note::Hostname { .. } => ("hostname", None, Info),
            Note::InterfaceName { .. } => ("interface_name", None, Info),
            Note::InterfaceWithoutAddress { .. } => ("interface_without_address", None, Warning),
            Note::WslNat => ("wsl_nat", Some(T::Wsl), Warning),
            Note::WslMirrored => ("wsl_mirrored", Some(T::Wsl), Info),
            Note::InContainer { .. } => ("in_container", Some(T::Docker), Info),
            Note::FullTunnelVpn { .. } => ("full_tunnel_vpn", Some(T::Firewall), Info),
            Note::NoLanAddress => ("no_lan_address", None, Info),
            Note::BindFailed { .. } => ("bind_failed", Some(T::Ports), Warning),
            Note::BindSucceeded => ("bind_succeeded", None, Info),
            Note::Conflict { .. } => ("conflict", Some(T::Ports), Info),
            Note::Reloader { .. } => ("reloader", Some(T::Debugging), Info),
            Note::DockerProxy { .. } => ("docker_proxy", Some(T::Docker), Info),
            Note::AirPlay { .. } => ("airplay", Some(T::Macos), Warning),
            Note::ReuseAddrShares { .. } => ("reuseaddr_shares", Some(T::Ports), Warning),
            Note::ExcludedPortRange { .. } => ("excluded_port_range", Some(T::Ports), Warning),
            Note::OwnersHidden { .. } => ("owners_hidden", None, Warning),
            Note::OwnersProtected { .. } => ("owners_protected", None, Info),
            Note::NoVisibleOwner => ("no_visible_owner", None, Info),
            Note::TimeWait => ("time_wait", Some(T::Ports), Info),
            Note::EphemeralRange { .. } => ("ephemeral_range", Some(T::Ports), Info),
            Note::NothingListens { .. } => ("nothing_listens", Some(T::Ports), Warning),
            Note::LoopbackFix { .. } => ("loopback_fix", Some(T::LoopbackVsLan), Warning),
            Note::SplitLocalhost { .. } => ("split_localhost", Some(T::Ipv6), Warning),
            Note::SelfTestOnly { .. } => ("self_test_only", Some(T::Firewall), Info),
            Note::DebuggerExposed { .. } => ("debugger_exposed", Some(T::Debugging), Warning),
            Note::DevServerExposed { .. } => ("dev_server_exposed", Some(T::Debugging), Warning),
            Note::AirPlayAnswered => ("airplay_answered", Some(T::Macos), Warning),
            Note::HostNotAllowed { .. } => ("host_not_allowed", None, Warning),
            Note::LocalFirewall { .. } => ("local_firewall", Some(T::Firewall), Warning),
            Note::HttpsNotProbed => ("https_not_probed", None, Info),
            Note::FirewallPrompt { .. } => ("firewall_prompt", Some(T::Firewall), Info),
        };
        meta
    }

    /// The stable name of the note in `--json`.
    pub fn code(&self) -> &'static str {
        self.meta().0
    }

    /// The `explain` page that says more about what this note says, if one does.
    pub fn topic(&self) -> Option<Topic> {
        self.meta().1
    }

    pub fn severity(&self) -> Severity {
        self.meta().2
    }

    /// Notes that warn rather than inform are shown in the accent colour for problems.
    pub fn is_warning(&self) -> bool {
        self.severity() == Severity::Warning
    }
}

/// How much a note matters to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
}

/// How many pages a verdict points at, at most.
const MAX_POINTERS: usize = 3;

/// The pages to read next: the verdict's own first, then those its notes speak of, warnings
/// before the rest.
pub fn read_next(first: Topic, notes: &[Note]) -> Vec<Topic> {
    let mut topics = vec![first];
    let warnings = notes.iter().filter(|n| n.is_warning());
    let others = notes.iter().filter(|n| !n.is_warning());
    for topic in warnings.chain(others).filter_map(Note::topic) {
        if topics.len() == MAX_POINTERS {
            break;
        }
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_points_at_its_page_then_at_those_of_its_notes() {
        let notes = [Note::FirewallDecides, Note::WslNat, Note::DualStack];
        assert_eq!(
            read_next(Topic::BindAll, &notes),
            [Topic::BindAll, Topic::Wsl, Topic::Firewall],
            "a warning's page comes first"
        );
        assert_eq!(
            read_next(Topic::Firewall, &[Note::SelfTestOnly { port: 1 }]),
            [Topic::Firewall]
        );
    }
}
