//! The facts an analysis wants to tell the user, as data. The catalogues in `i18n` turn each
//! into a sentence in English or Korean; `code()` names it in `--json`.

use std::net::{IpAddr, SocketAddr};

use super::interfaces::Role;
use super::topics::Topic;
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
    /// A wildcard bind also listens on these container or VM networks.
    AlsoVirtual { interfaces: Vec<String> },
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
    /// Windows refuses ports in excluded ranges (Hyper-V, WSL) with no visible owner.
    ExcludedPortRange { port: u16 },
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
    /// Werkzeug's debugger answers beyond loopback: anyone who reaches it can run code.
    DebuggerExposed { ip: IpAddr },
    /// Werkzeug's development server answers beyond loopback.
    DevServerExposed { ip: IpAddr },
    /// macOS's AirPlay Receiver answered, not the user's app.
    AirPlayAnswered,
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
}

/// Why a real bind failed, by the OS's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindError {
    InUse,
    NotLocal,
    Permission,
    Other(String),
}

impl BindError {
    pub fn code(&self) -> &'static str {
        match self {
            BindError::InUse => "in_use",
            BindError::NotLocal => "not_local",
            BindError::Permission => "permission",
            BindError::Other(_) => "other",
        }
    }
}

impl Note {
    /// The stable name of the note in `--json`.
    pub fn code(&self) -> &'static str {
        match self {
            Note::LoopbackOnly => "loopback_only",
            Note::AllInterfaces => "all_interfaces",
            Note::DualStack => "dual_stack",
            Note::V6Only { .. } => "v6_only",
            Note::AlsoVirtual { .. } => "also_virtual",
            Note::AlsoVpn { .. } => "also_vpn",
            Note::Public { .. } => "public_address",
            Note::FirewallDecides => "firewall_decides",
            Note::VirtualAddress { .. } => "virtual_address",
            Note::NotLocal { .. } => "not_local",
            Note::NonlocalBindAllowed => "nonlocal_bind_allowed",
            Note::LinkLocalNeedsZone { .. } => "link_local_needs_zone",
            Note::LinkLocalNoUrl => "link_local_no_url",
            Note::PrivilegedPort { .. } => "privileged_port",
            Note::PrivilegedPortAllowed { .. } => "privileged_port_allowed",
            Note::Localhost { .. } => "localhost",
            Note::Hostname { .. } => "hostname",
            Note::InterfaceName { .. } => "interface_name",
            Note::InterfaceWithoutAddress { .. } => "interface_without_address",
            Note::WslNat => "wsl_nat",
            Note::WslMirrored => "wsl_mirrored",
            Note::InContainer { .. } => "in_container",
            Note::FullTunnelVpn { .. } => "full_tunnel_vpn",
            Note::NoLanAddress => "no_lan_address",
            Note::BindFailed { .. } => "bind_failed",
            Note::BindSucceeded => "bind_succeeded",
            Note::Conflict { .. } => "conflict",
            Note::Reloader { .. } => "reloader",
            Note::DockerProxy { .. } => "docker_proxy",
            Note::AirPlay { .. } => "airplay",
            Note::ExcludedPortRange { .. } => "excluded_port_range",
            Note::OwnersHidden { .. } => "owners_hidden",
            Note::OwnersProtected { .. } => "owners_protected",
            Note::NoVisibleOwner => "no_visible_owner",
            Note::TimeWait => "time_wait",
            Note::EphemeralRange { .. } => "ephemeral_range",
            Note::NothingListens { .. } => "nothing_listens",
            Note::LoopbackFix { .. } => "loopback_fix",
            Note::SplitLocalhost { .. } => "split_localhost",
            Note::SelfTestOnly { .. } => "self_test_only",
            Note::DebuggerExposed { .. } => "debugger_exposed",
            Note::DevServerExposed { .. } => "dev_server_exposed",
            Note::AirPlayAnswered => "airplay_answered",
            Note::LocalFirewall { .. } => "local_firewall",
            Note::HttpsNotProbed => "https_not_probed",
            Note::FirewallPrompt { .. } => "firewall_prompt",
        }
    }

    /// The `explain` page that says more about what this note says, if one does.
    pub fn topic(&self) -> Option<Topic> {
        match self {
            Note::LoopbackOnly | Note::LoopbackFix { .. } | Note::NotLocal { .. } => {
                Some(Topic::LoopbackVsLan)
            }
            Note::AllInterfaces => Some(Topic::BindAll),
            Note::DualStack
            | Note::V6Only { .. }
            | Note::LinkLocalNeedsZone { .. }
            | Note::LinkLocalNoUrl
            | Note::Localhost { .. }
            | Note::SplitLocalhost { .. } => Some(Topic::Ipv6),
            Note::AlsoVirtual { .. } | Note::InContainer { .. } | Note::DockerProxy { .. } => {
                Some(Topic::Docker)
            }
            Note::Public { .. }
            | Note::FirewallDecides
            | Note::FullTunnelVpn { .. }
            | Note::AlsoVpn { .. }
            | Note::SelfTestOnly { .. }
            | Note::LocalFirewall { .. }
            | Note::FirewallPrompt { .. } => Some(Topic::Firewall),
            Note::WslNat | Note::WslMirrored => Some(Topic::Wsl),
            Note::VirtualAddress { role, .. } => Some(match role {
                Role::WslNat | Role::HyperV => Topic::Wsl,
                Role::Vpn | Role::Tailnet => Topic::Firewall,
                _ => Topic::Docker,
            }),
            Note::AirPlay { .. } | Note::AirPlayAnswered => Some(Topic::Macos),
            Note::PrivilegedPort { .. }
            | Note::PrivilegedPortAllowed { .. }
            | Note::BindFailed { .. }
            | Note::Conflict { .. }
            | Note::TimeWait
            | Note::EphemeralRange { .. }
            | Note::ExcludedPortRange { .. }
            | Note::NothingListens { .. } => Some(Topic::Ports),
            Note::Reloader { .. }
            | Note::DebuggerExposed { .. }
            | Note::DevServerExposed { .. } => Some(Topic::Debugging),
            Note::NonlocalBindAllowed
            | Note::Hostname { .. }
            | Note::InterfaceName { .. }
            | Note::InterfaceWithoutAddress { .. }
            | Note::NoLanAddress
            | Note::BindSucceeded
            | Note::OwnersHidden { .. }
            | Note::OwnersProtected { .. }
            | Note::NoVisibleOwner
            | Note::HttpsNotProbed => None,
        }
    }

    /// Notes that warn rather than inform are shown in the accent colour for problems.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Note::Public { .. }
                | Note::NotLocal { .. }
                | Note::LinkLocalNeedsZone { .. }
                | Note::PrivilegedPort { .. }
                | Note::WslNat
                | Note::BindFailed { .. }
                | Note::InterfaceWithoutAddress { .. }
                | Note::AirPlay { .. }
                | Note::ExcludedPortRange { .. }
                | Note::OwnersHidden { .. }
                | Note::NothingListens { .. }
                | Note::LoopbackFix { .. }
                | Note::SplitLocalhost { .. }
                | Note::DebuggerExposed { .. }
                | Note::DevServerExposed { .. }
                | Note::AirPlayAnswered
                | Note::LocalFirewall { .. }
        )
    }
}
