//! This machine's real values for the `explain` pages: where a page says "your LAN IP" or
//! "your ephemeral range", it shows them when they can be read.
//!
//! A page names a value as `{{name:fallback}}`; the fallback is the page's own generic text,
//! printed when the value cannot be read here.

use std::net::IpAddr;

use super::address::classify;
use super::expose::v6only_by_default;
use super::firewall::Check;
use super::interfaces::{primary, role, Primary};
use super::vocab::AddrKind;
use super::vocab::Role;
use crate::model::{Host, Os, SocketTable, WslMode};

/// The values a page can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Var {
    /// The primary address: `192.168.0.23`.
    LanIp,
    /// Its interface: `wlan0`.
    LanInterface,
    /// A Flask server's URL on it: `http://192.168.0.23:5000`.
    LanUrl,
    /// Whether the internet can reach that address directly: a private one it cannot, a
    /// public one it can.
    LanPrivacy,
    /// What `0.0.0.0` covers here: every IPv4 address.
    Ipv4Addresses,
    /// The IPv6 addresses other devices could use (ULA and global).
    Ipv6Addresses,
    /// The range the OS lends to outgoing connections: `32768–60999`.
    Ephemeral,
    /// The first port an ordinary user may bind: `1024`.
    PrivilegedBelow,
    /// Who holds port 5000 now.
    #[serde(rename = "port_5000")]
    Port5000,
    /// Whether `::` takes IPv4 too here.
    DualStack,
    /// WSL2's networking mode, or that this is not WSL.
    Wsl,
    /// The container this runs in, or that it runs in none.
    Container,
    /// Docker's or Podman's bridges on this machine, with their addresses.
    DockerBridge,
    /// The operating system.
    Os,
    /// What this machine's firewall does with another device's connection to port 5000 on
    /// the primary interface.
    Firewall,
}

impl Var {
    pub const ALL: [Var; 15] = [
        Var::LanIp,
        Var::LanInterface,
        Var::LanUrl,
        Var::LanPrivacy,
        Var::Ipv4Addresses,
        Var::Ipv6Addresses,
        Var::Ephemeral,
        Var::PrivilegedBelow,
        Var::Port5000,
        Var::DualStack,
        Var::Wsl,
        Var::Container,
        Var::DockerBridge,
        Var::Os,
        Var::Firewall,
    ];

    /// The name a page uses: `{{lan_ip:192.168.x.x}}`.
    pub fn name(self) -> &'static str {
        match self {
            Var::LanIp => "lan_ip",
            Var::LanInterface => "lan_interface",
            Var::LanUrl => "lan_url",
            Var::LanPrivacy => "lan_privacy",
            Var::Ipv4Addresses => "ipv4_addresses",
            Var::Ipv6Addresses => "ipv6_addresses",
            Var::Ephemeral => "ephemeral",
            Var::PrivilegedBelow => "privileged_below",
            Var::Port5000 => "port_5000",
            Var::DualStack => "dual_stack",
            Var::Wsl => "wsl",
            Var::Container => "container",
            Var::DockerBridge => "docker_bridge",
            Var::Os => "os",
            Var::Firewall => "firewall",
        }
    }

    pub fn find(name: &str) -> Option<Var> {
        Var::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// Who holds a port right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holders {
    Free,
    /// Held by these processes (`name (pid)`).
    Processes(Vec<String>),
    /// Held, but the owner cannot be seen without privileges.
    Hidden,
}

/// What the pages can tell of this machine; `None` where it could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Live {
    pub os: Option<Os>,
    pub primary: Option<Primary>,
    pub ipv4: Vec<IpAddr>,
    pub ipv6: Vec<IpAddr>,
    pub ephemeral: Option<(u16, u16)>,
    pub privileged_below: Option<u16>,
    pub port_5000: Option<Holders>,
    pub dual_stack: Option<bool>,
    /// `Some(None)`: known not to be WSL.
    pub wsl: Option<Option<WslMode>>,
    /// `Some(None)`: known not to run in a container.
    pub container: Option<Option<String>>,
    pub bridges: Vec<(String, IpAddr)>,
    /// The firewall's answer for port 5000 on the primary address, when it was read.
    pub firewall: Option<Check>,
}

/// The values of a machine, from its snapshot and (for port 5000) its sockets on that port.
pub fn live(host: &Host, port_5000: Option<&SocketTable>) -> Live {
    let linux = host.os == Os::Linux;
    let mut ipv4 = Vec::new();
    let mut ipv6 = Vec::new();
    let mut bridges = Vec::new();
    for (iface, addr) in host.addresses() {
        let kind = classify(addr.ip);
        match addr.ip {
            IpAddr::V4(_) => ipv4.push(addr.ip),
            IpAddr::V6(_) if matches!(kind, AddrKind::Ula | AddrKind::Public) => ipv6.push(addr.ip),
            IpAddr::V6(_) => {}
        }
        if role(host, iface) == Role::ContainerBridge && addr.ip.is_ipv4() {
            bridges.push((iface.name.clone(), addr.ip));
        }
    }
    Live {
        os: (host.os != Os::Other).then_some(host.os),
        primary: primary(host),
        ipv4,
        ipv6,
        ephemeral: host.sysctls.ephemeral_range,
        privileged_below: host.sysctls.unprivileged_port_start,
        port_5000: port_5000.map(holders),
        dual_stack: match host.os {
            Os::Linux if host.sysctls.bindv6only.is_none() => None,
            Os::Other => None,
            _ => Some(!v6only_by_default(host)),
        },
        wsl: linux.then_some(host.env.wsl),
        container: linux.then(|| host.env.container.clone()),
        bridges,
        firewall: None,
    }
}

fn holders(table: &SocketTable) -> Holders {
    let listening: Vec<_> = table
        .sockets
        .iter()
        .filter(|s| s.state.is_listening())
        .collect();
    if listening.is_empty() {
        return Holders::Free;
    }
    let mut names: Vec<String> = Vec::new();
    for pid in listening.iter().flat_map(|s| s.pids.iter().copied()) {
        let name = table
            .process(pid)
            .map_or_else(|| format!("pid {pid}"), |p| format!("{} ({pid})", p.name));
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        Holders::Hidden
    } else {
        Holders::Processes(names)
    }
}
