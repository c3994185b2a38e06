//! The words the analysis answers in: who can reach an address, how risky a bind is, what an
//! interface is for, what kind of bind it is, how a connection ended and which bind that
//! reveals, and what a firewall does with a connection. Every other module may use them; this
//! one uses nothing of ours.

use serde::Serialize;

/// The class of an address, from the IANA special-purpose registries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddrKind {
    Loopback,
    /// RFC 1918: 10/8, 172.16/12, 192.168/16.
    Private,
    /// 169.254/16 and fe80::/10: valid on one link only.
    LinkLocal,
    /// 100.64/10, shared address space: carrier-grade NAT, and Tailscale's tailnet.
    Cgnat,
    /// fc00::/7, IPv6's private addresses.
    Ula,
    /// 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20.
    Documentation,
    /// Everything else that is not routed on the internet (0/8, 240/4, benchmarking,
    /// multicast, unspecified…).
    Reserved,
    Public,
}

/// Who can open a connection to an address, from nobody to the whole internet.
/// The order is the order of exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    None,
    /// This machine only (and the containers and VMs it runs).
    Host,
    /// Devices on the same link only (link-local).
    Link,
    /// Devices on the local network.
    Lan,
    /// Anyone on the internet, unless a firewall stops them.
    Internet,
}

impl Reach {
    pub fn risk(self) -> Risk {
        match self {
            Reach::None => Risk::None,
            Reach::Host => Risk::Low,
            Reach::Link | Reach::Lan => Risk::Medium,
            Reach::Internet => Risk::High,
        }
    }
}

/// How much a bind exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    None,
    Low,
    Medium,
    High,
}

/// What an interface is for, as far as a server bound to its address is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Loopback,
    /// A real network link: Wi-Fi, Ethernet, or a container's or namespace's own uplink.
    Network,
    /// Docker, Podman or CNI bridge: only containers on this machine use it.
    ContainerBridge,
    /// libvirt, VirtualBox or VMware host-only networks and other internal bridges.
    VmBridge,
    /// The host side of a container's or VM's virtual cable (veth, tap on a bridge).
    ContainerPort,
    /// A VPN tunnel (WireGuard, OpenVPN, utun…): only the VPN's peers use it.
    Vpn,
    /// Tailscale: devices signed in to the same tailnet.
    Tailnet,
    /// WSL2's virtual NIC in NAT mode: Windows reaches it, the LAN does not.
    WslNat,
    /// A Hyper-V virtual switch on Windows (WSL, Default Switch).
    HyperV,
    /// Apple's peer-to-peer links (AirDrop, Continuity).
    PeerToPeer,
    /// A macOS system tunnel (`utun` with only link-local addresses: iCloud Private Relay,
    /// Back to My Mac, Continuity): it carries no VPN and no URL.
    SystemTunnel,
}

impl Role {
    /// Interfaces whose addresses are not for your phone.
    pub fn is_virtual(self) -> bool {
        !matches!(self, Role::Loopback | Role::Network)
    }

    /// The most a server bound to an address of this interface can be reached by.
    pub fn reach_cap(self) -> Reach {
        match self {
            Role::ContainerBridge
            | Role::VmBridge
            | Role::ContainerPort
            | Role::WslNat
            | Role::HyperV => Reach::Host,
            Role::PeerToPeer | Role::SystemTunnel => Reach::Link,
            Role::Loopback | Role::Network | Role::Vpn | Role::Tailnet => Reach::Internet,
        }
    }
}

/// Why an address is not offered as a URL for other devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotShareable {
    Loopback,
    LinkLocal,
    Down,
    /// Not a unicast address another device could connect to.
    Reserved,
    /// The interface is virtual: its role says who can use it.
    Virtual,
    /// Duplicate address detection has not passed (tentative, or failed).
    NotReady,
    /// A non-loopback address on the loopback interface: only routed traffic reaches it.
    OnLoopback,
}

/// The kind of bind, as the comparison tables of the seeds know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BindKind {
    Loopback,
    All,
    Lan,
    Public,
    LinkLocal,
    Virtual,
    NotLocal,
}

impl BindKind {
    pub const ALL: [BindKind; 7] = [
        BindKind::Loopback,
        BindKind::All,
        BindKind::Lan,
        BindKind::Public,
        BindKind::LinkLocal,
        BindKind::Virtual,
        BindKind::NotLocal,
    ];
}

/// How a connection attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Refused,
    Timeout,
    Unreachable,
    Unresolved,
    Error,
}

/// Which kind of unreachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unreachable {
    /// No device answered for that address, or an ICMP host-unreachable.
    Host,
    /// No route from here to that network.
    Network,
}

/// The bind that local probe results reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InferredBind {
    /// Only loopback answered: 127.0.0.1 or ::1.
    Loopback,
    /// Every address of a family answered: 0.0.0.0 or ::.
    All,
    /// Some addresses beyond loopback answered, not all: one address.
    Specific,
    /// Nothing answered.
    None,
}

/// What an HTTP answer tells about the server behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerKind {
    /// Werkzeug's development server (Flask's `flask run`, `app.run()`).
    Werkzeug,
    /// macOS's AirPlay Receiver, answering on 5000 and 7000 instead of the user's app.
    #[serde(rename = "airplay")]
    AirPlay,
    Other,
}

/// A development server that refuses requests whose `Host` (or `Origin`) it does not know: the
/// phone typed an address the server was not told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DevServer {
    /// webpack-dev-server (and what runs on it: Create React App, Vue CLI, Angular's dev server).
    Webpack,
    Vite,
    Django,
    /// Next.js's `next dev`: it blocks its own resources (`/_next/…`) for other origins.
    Nextjs,
}

impl DevServer {
    /// The setting that lets the other device in, spelled as the server's documentation does.
    pub fn setting(self) -> &'static str {
        match self {
            DevServer::Webpack => "devServer.allowedHosts",
            DevServer::Vite => "server.allowedHosts",
            DevServer::Django => "ALLOWED_HOSTS",
            DevServer::Nextjs => "allowedDevOrigins",
        }
    }
}

/// What a firewall does with a new connection from another device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirewallVerdict {
    Accept,
    /// Silently: the other device times out.
    Drop,
    /// With an answer: a TCP reset or an ICMP error, so the other device is refused at once.
    Reject,
    /// Not known: a part could not be read, or a rule is not understood.
    Unknown,
    /// No firewall is set up.
    None,
}

/// Which firewall answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirewallSource {
    Nftables,
    Iptables,
    Ufw,
    Firewalld,
    Windows,
    Macos,
}

/// A part of the firewall that could not be read (without privilege).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unread {
    /// The kernel's nftables ruleset (needs CAP_NET_ADMIN).
    Nftables,
    /// Legacy iptables tables.
    IptablesLegacy,
    /// ufw's rules file (root's).
    UfwRules,
    /// The desktop firewall's settings.
    Settings,
}

/// What the beacon's run shows about the other device, from the strongest evidence down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BeaconDiagnosis {
    /// Another device visited: the network and every firewall let it through.
    Visited,
    /// The beacon listens on loopback: no other device can reach it.
    LoopbackOnly,
    /// A device sent a TLS ClientHello to this plain-HTTP port: its browser tried `https://`.
    TlsOnHttp,
    /// A device asked for this machine's address and packets were dropped on the way in,
    /// with no connection: this machine's firewall dropped it.
    DroppedHere,
    /// A device connected to the beacon but sent no request (not a browser, or it gave up).
    ConnectedSilent,
    /// A device asked for this machine's address, but nothing it sent reached the beacon and
    /// nothing was dropped: it used another address or port.
    SeenNotConnected,
    /// Only this machine visited: that proves nothing about other devices.
    VisitedFromHere,
    /// Nothing from another device reached this machine at all.
    NeverArrived,
    /// No visit, and this system does not let bindscope see what arrives.
    NotWatched,
}
