//! What each interface is for, who can reach its addresses, and which address to share.

use std::net::IpAddr;

use serde::Serialize;

use super::address::{classify, natural_reach};
use super::notes::Note;
use super::vocab::{AddrKind, Reach};
use super::vocab::{NotShareable, Role};
use crate::model::{Device, Family, Host, IfAddress, Interface, Os, WslMode};

pub fn role(host: &Host, iface: &Interface) -> Role {
    let name = iface.name.as_str();
    let lower = name.to_ascii_lowercase();
    let starts = |p: &str| lower.starts_with(p);
    let numbered = |p: &str| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
    };
    let has_default = host.has_default_route(name);

    if iface.device == Device::Loopback
        || lower == "lo"
        || numbered("lo")
        || lower == "loopback0"
        || starts("loopback pseudo-interface")
    {
        return Role::Loopback;
    }
    if host.env.wsl == Some(WslMode::Nat)
        && matches!(iface.device, Device::Ethernet | Device::Unknown)
    {
        return Role::WslNat;
    }
    if starts("tailscale") {
        return Role::Tailnet;
    }
    if host.os == Os::Macos
        && numbered("utun")
        && iface
            .addresses
            .iter()
            .all(|a| classify(a.ip) == AddrKind::LinkLocal)
    {
        // macOS keeps several utun for itself (iCloud Private Relay, Continuity, Back to My
        // Mac), each with only an fe80:: address; a VPN's utun carries routable addresses.
        return Role::SystemTunnel;
    }
    if matches!(iface.device, Device::Wireguard | Device::Tun)
        || ["wg", "tun", "utun", "ipsec", "zt", "nordlynx", "proton"]
            .iter()
            .any(|p| starts(p))
    {
        return Role::Vpn;
    }
    if iface.device == Device::Tap {
        return if iface.master.is_some() {
            Role::ContainerPort
        } else {
            Role::Vpn
        };
    }
    if is_container_bridge(&lower) {
        return Role::ContainerBridge;
    }
    if iface.device == Device::HostOnly
        || ["virbr", "vboxnet", "vmnet", "lxcbr", "lxdbr", "incusbr"]
            .iter()
            .any(|p| starts(p))
    {
        return Role::VmBridge;
    }
    if starts("vethernet") {
        // Hyper-V names every virtual switch's host adapter "vEthernet (…)"; an external
        // switch carries the real LAN and so the default route.
        return if has_default {
            Role::Network
        } else {
            Role::HyperV
        };
    }
    if starts("awdl") || starts("llw") {
        return Role::PeerToPeer;
    }
    if iface.device == Device::Veth || starts("veth") {
        // Inside a container or namespace the veth is the uplink; on the host, the end that
        // is plugged into a bridge (or named veth…) leads to a container.
        return if iface.master.is_some() || starts("veth") {
            Role::ContainerPort
        } else {
            Role::Network
        };
    }
    let is_bridge = iface.device == Device::Bridge || (host.os == Os::Macos && numbered("bridge"));
    if is_bridge && !has_default && !bridges_a_physical_port(host, name) {
        return Role::VmBridge;
    }
    Role::Network
}

fn is_container_bridge(lower: &str) -> bool {
    if lower == "docker0" || lower.starts_with("podman") || lower.starts_with("cni") {
        return true;
    }
    // Docker's user-defined networks: br- and the first 12 hex digits of the network id.
    lower
        .strip_prefix("br-")
        .is_some_and(|id| id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()))
}

fn bridges_a_physical_port(host: &Host, bridge: &str) -> bool {
    host.interfaces.iter().any(|i| {
        i.master.as_deref() == Some(bridge)
            && matches!(i.device, Device::Ethernet | Device::Wireless)
    })
}

/// Who can reach an address of this machine, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrReach {
    pub reach: Reach,
    /// Only devices that route the address's network through this machine can reach it: it is
    /// on no link another device is on (a bridge with only containers, a down interface, `lo`),
    /// but the OS accepts packets for it on any interface (the weak host model).
    pub routed_only: bool,
}

impl AddrReach {
    const NOBODY: AddrReach = AddrReach {
        reach: Reach::None,
        routed_only: false,
    };

    fn direct(reach: Reach) -> AddrReach {
        AddrReach {
            reach,
            routed_only: false,
        }
    }
}

/// Linux and macOS accept a packet for any of their addresses on any interface (the weak host
/// model); Windows only on the interface that holds the address.
pub fn weak_host(host: &Host) -> bool {
    host.os != Os::Windows
}

/// Some interface links this machine to other devices, so that they could route through it.
fn on_a_network(host: &Host) -> bool {
    host.interfaces
        .iter()
        .any(|i| i.up && matches!(role(host, i), Role::Network | Role::Vpn | Role::Tailnet))
}

/// Who can reach `addr` on `iface` right now, by the kernel's rules: loopback addresses only
/// from this machine (they are martians from outside), an address the kernel does not let be
/// used yet by nobody, and any other address by the devices on its link, or, on a weak-host OS,
/// by those that route to it through this machine.
pub fn address_reach(host: &Host, iface: &Interface, role: Role, addr: &IfAddress) -> AddrReach {
    if !addr.state.usable() {
        return AddrReach::NOBODY;
    }
    let kind = classify(addr.ip);
    if kind == AddrKind::Loopback {
        return AddrReach::direct(Reach::Host);
    }
    let natural = natural_reach(kind);
    let routed =
        // A public address stays the internet's: routers route to it.
        (weak_host(host) && kind != AddrKind::LinkLocal && on_a_network(host)).then_some(
            AddrReach {
                reach: natural,
                routed_only: true,
            },
        );
    let on_link = iface.up && role != Role::Loopback;
    if on_link {
        let direct = AddrReach::direct(natural.min(role.reach_cap()));
        // A bridge or a container's cable carries only this machine's guests, but the address
        // is accepted from outside too. WSL's and Hyper-V's NAT stand between instead.
        let internal = matches!(
            role,
            Role::ContainerBridge | Role::VmBridge | Role::ContainerPort
        );
        return match routed {
            Some(r) if internal && r.reach > direct.reach => r,
            _ => direct,
        };
    }
    match routed {
        Some(r) => r,
        // This machine still connects to its own address on a down interface or on `lo`.
        None if weak_host(host) || iface.up => AddrReach::direct(Reach::Host),
        None => AddrReach::NOBODY,
    }
}

/// Who can reach `ip`, one of this machine's addresses; `None` reach if it is not one.
pub fn reach_of(host: &Host, ip: IpAddr) -> AddrReach {
    host.interfaces
        .iter()
        .find_map(|i| {
            let addr = i.addresses.iter().find(|a| a.ip == ip)?;
            Some(address_reach(host, i, role(host, i), addr))
        })
        .unwrap_or(AddrReach::NOBODY)
}

/// Whether another device can be given `ip`, one of this machine's addresses.
pub fn shareable(host: &Host, ip: IpAddr) -> bool {
    host.interfaces.iter().any(|i| {
        i.addresses
            .iter()
            .any(|a| a.ip == ip && not_shareable(i, role(host, i), a).is_none())
    })
}

/// Why `addr` on `iface` should not be offered to another device, or `None` if it can be.
pub fn not_shareable(iface: &Interface, role: Role, addr: &IfAddress) -> Option<NotShareable> {
    match classify(addr.ip) {
        AddrKind::Loopback => return Some(NotShareable::Loopback),
        AddrKind::LinkLocal => return Some(NotShareable::LinkLocal),
        AddrKind::Reserved if !is_unicast_reserved(addr.ip) => return Some(NotShareable::Reserved),
        _ => {}
    }
    if !addr.state.usable() {
        Some(NotShareable::NotReady)
    } else if !iface.up {
        Some(NotShareable::Down)
    } else if role == Role::Loopback {
        Some(NotShareable::OnLoopback)
    } else if role.is_virtual() {
        Some(NotShareable::Virtual)
    } else {
        None
    }
}

/// Reserved space that still works as a host's address on a private network (240/4, 198.18/15).
fn is_unicast_reserved(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !(v4.is_unspecified() || v4.is_multicast() || v4.is_broadcast()),
        IpAddr::V6(v6) => !(v6.is_unspecified() || v6.is_multicast()),
    }
}

/// The address to share with other devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Primary {
    pub interface: String,
    pub ip: IpAddr,
}

/// Picks the address that another device on the LAN would use: the address of a real network
/// interface that carries the default route, IPv4 first. A full-tunnel VPN's address, which
/// `local_ip()` would return, is never chosen.
pub fn primary(host: &Host) -> Option<Primary> {
    host.interfaces
        .iter()
        .enumerate()
        .filter(|(_, i)| i.up)
        .map(|(n, i)| (n, i, role(host, i)))
        .filter(|(_, _, r)| matches!(r, Role::Network | Role::WslNat))
        .flat_map(|(n, i, _)| i.addresses.iter().map(move |a| (n, i, a)))
        .filter(|(_, _, a)| {
            let kind = classify(a.ip);
            if !a.state.usable() {
                return false;
            }
            !matches!(kind, AddrKind::Loopback | AddrKind::LinkLocal)
                && (kind != AddrKind::Reserved || is_unicast_reserved(a.ip))
        })
        .min_by_key(|(n, i, a)| {
            let family = Family::of(a.ip);
            let metric = host
                .default_routes
                .iter()
                .filter(|r| r.interface == i.name && r.family == family)
                .map(|r| r.metric)
                .min();
            let routed = metric.is_some() || host.route_source == Some(a.ip);
            (
                !routed,
                family != Family::Ipv4,
                metric.unwrap_or(u32::MAX),
                device_rank(i.device),
                kind_rank(classify(a.ip)),
                *n,
            )
        })
        .map(|(_, i, a)| Primary {
            interface: i.name.clone(),
            ip: a.ip,
        })
}

fn device_rank(device: Device) -> u8 {
    match device {
        Device::Ethernet | Device::Wireless => 0,
        Device::Bridge | Device::Bond | Device::Vlan | Device::Unknown => 1,
        Device::Veth => 2,
        _ => 3,
    }
}

fn kind_rank(kind: AddrKind) -> u8 {
    match kind {
        AddrKind::Private => 0,
        AddrKind::Public => 1,
        AddrKind::Cgnat => 2,
        AddrKind::Ula => 3,
        AddrKind::Documentation => 4,
        _ => 5,
    }
}

/// The VPN interface that carries this machine's outgoing traffic (a full tunnel), if any.
pub fn full_tunnel_vpn(host: &Host) -> Option<&Interface> {
    let source = host.route_source?;
    let iface = host.owner_of(source)?;
    matches!(role(host, iface), Role::Vpn | Role::Tailnet).then_some(iface)
}

/// What the environment changes for every server that is not bound to loopback: WSL2's
/// networking, running inside a container, a desktop firewall that asks first.
pub fn environment_notes(host: &Host) -> Vec<Note> {
    let mut notes = Vec::new();
    match host.env.wsl {
        Some(WslMode::Nat) => notes.push(Note::WslNat),
        Some(WslMode::Mirrored) => notes.push(Note::WslMirrored),
        None => {}
    }
    if let Some(name) = &host.env.container {
        notes.push(Note::InContainer { name: name.clone() });
    }
    if matches!(host.os, Os::Windows | Os::Macos) {
        notes.push(Note::FirewallPrompt { os: host.os });
    }
    notes
}

/// What is true of this machine as a whole: its environment, a full-tunnel VPN, or having no
/// address to share.
pub fn host_notes(host: &Host) -> Vec<Note> {
    let mut notes = environment_notes(host);
    if let Some(vpn) = full_tunnel_vpn(host) {
        notes.push(Note::FullTunnelVpn {
            interface: vpn.name.clone(),
        });
    }
    if primary(host).is_none() {
        notes.push(Note::NoLanAddress);
    }
    notes
}
