//! What a server bound to a host would listen on, and who could reach it.

use std::net::IpAddr;

use serde::Serialize;

use super::address::{classify, in_prefix, natural_reach};
use super::interfaces::{self, address_reach, not_shareable};
use super::notes::Note;
use super::vocab::BindKind;
use super::vocab::{AddrKind, Reach, Risk};
use super::vocab::{NotShareable, Role};
use crate::model::Target;
use crate::model::{AddrState, Host, IfAddress, Interface, Os};

/// One local address a server would accept connections on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub ip: IpAddr,
    pub interface: String,
    pub kind: AddrKind,
    pub role: Role,
    pub reach: Reach,
    /// Only devices that route `network` through this machine reach it (see
    /// [`interfaces::AddrReach`]).
    pub routed_only: bool,
    /// The address's network, as `ip/prefix` of its interface.
    pub network: String,
    pub state: AddrState,
    /// `None` when another device can be given this address.
    pub not_shareable: Option<NotShareable>,
}

/// One address a name resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub ip: IpAddr,
    /// The address belongs to this machine, so a bind to it can succeed.
    pub local: bool,
    /// The address typical servers (Flask/Werkzeug, Go, Node) bind.
    pub picked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// The address the server would bind; `None` when there is none to take.
    pub bind_ip: Option<IpAddr>,
    pub kind: BindKind,
    pub listens_on: Vec<Listener>,
    pub reach: Reach,
    /// The network whose routing `reach` depends on, when every address that reaches that far
    /// does so only by routing through this machine (a bridge, `lo`, a down interface).
    pub routed_network: Option<String>,
    pub risk: Risk,
    pub candidates: Vec<Candidate>,
    /// For `::`: whether IPv4 is accepted too.
    pub dual_stack: Option<bool>,
    pub notes: Vec<Note>,
}

/// Whether `::` takes IPv6 only unless the server says otherwise.
pub fn v6only_by_default(host: &Host) -> bool {
    host.os == Os::Windows || host.sysctls.bindv6only.unwrap_or(false)
}

pub fn expose(host: &Host, target: &Target, port: u16) -> Exposure {
    let mut notes = Vec::new();
    let mut candidates = Vec::new();
    let mut dual_stack = None;

    let (bind_ip, zone) = match target {
        Target::Ip { ip, zone } => (Some(*ip), zone.clone()),
        Target::Everything => (None, None),
        Target::Localhost { resolved } | Target::Hostname { resolved, .. } => {
            let picked = pick(resolved);
            candidates = resolved
                .iter()
                .map(|&ip| Candidate {
                    ip,
                    local: locate(host, ip, None).is_some(),
                    picked: Some(ip) == picked,
                })
                .collect();
            if let Some(picked) = picked {
                notes.push(match target {
                    Target::Hostname { name, .. } => Note::Hostname {
                        name: name.clone(),
                        resolved: resolved.clone(),
                        picked,
                    },
                    _ => Note::Localhost {
                        resolved: resolved.clone(),
                        picked,
                    },
                });
            }
            (picked, None)
        }
        Target::Interface { name } => {
            let addresses: Vec<IpAddr> = host
                .interface(name)
                .map(|i| i.addresses.iter().map(|a| a.ip).collect())
                .unwrap_or_default();
            let picked = pick(&addresses);
            match picked {
                Some(ip) => notes.push(Note::InterfaceName {
                    name: name.clone(),
                    picked: ip,
                }),
                None => notes.push(Note::InterfaceWithoutAddress { name: name.clone() }),
            }
            // A link-local pick carries its interface as zone.
            (picked, Some(name.clone()))
        }
    };

    let listens_on: Vec<Listener> = match (target, bind_ip) {
        (Target::Everything, _) => all_of(host, |_| true),
        (_, None) => Vec::new(),
        (_, Some(ip)) if ip.is_unspecified() => {
            notes.push(Note::AllInterfaces);
            if ip.is_ipv6() {
                let v6only = v6only_by_default(host);
                dual_stack = Some(!v6only);
                notes.push(if v6only {
                    Note::V6Only {
                        windows: host.os == Os::Windows,
                    }
                } else {
                    Note::DualStack
                });
            }
            listeners_for(host, ip, None, None)
        }
        (_, Some(ip)) => specific(host, ip, zone.as_deref(), &mut notes),
    };

    let reach = listens_on
        .iter()
        .map(|l| l.reach)
        .max()
        .unwrap_or(Reach::None);
    let widest: Vec<&Listener> = listens_on.iter().filter(|l| l.reach == reach).collect();
    let routed_network = widest
        .iter()
        .all(|l| l.routed_only)
        .then(|| widest.first().map(|l| l.network.clone()))
        .flatten();
    let kind = bind_kind(bind_ip, target, &listens_on);
    describe(host, port, kind, &listens_on, &mut notes);

    Exposure {
        bind_ip,
        kind,
        reach,
        routed_network,
        risk: reach.risk(),
        listens_on,
        candidates,
        dual_stack,
        notes,
    }
}

/// What Werkzeug (and Go's `net.Listen`) take from a resolved name: the first IPv4 address,
/// else the first address. Node 17+ takes the first whatever its family (see the note).
fn pick(resolved: &[IpAddr]) -> Option<IpAddr> {
    resolved
        .iter()
        .find(|ip| ip.is_ipv4())
        .or_else(|| {
            resolved
                .iter()
                .find(|ip| classify(**ip) != AddrKind::LinkLocal)
        })
        .or(resolved.first())
        .copied()
}

fn all_of(host: &Host, family: impl Fn(IpAddr) -> bool) -> Vec<Listener> {
    host.interfaces
        .iter()
        .flat_map(|i| {
            let role = interfaces::role(host, i);
            i.addresses
                .iter()
                .filter(|a| family(a.ip))
                .map(move |a| listener(host, i, role, a))
        })
        .collect()
}

fn listener(host: &Host, iface: &Interface, role: Role, addr: &IfAddress) -> Listener {
    let reach = address_reach(host, iface, role, addr);
    Listener {
        ip: addr.ip,
        interface: iface.name.clone(),
        kind: classify(addr.ip),
        role,
        reach: reach.reach,
        routed_only: reach.routed_only,
        network: network(addr.ip, addr.prefix),
        state: addr.state,
        not_shareable: not_shareable(iface, role, addr),
    }
}

/// `ip`'s network in CIDR form: 172.17.0.1/16 gives 172.17.0.0/16.
fn network(ip: IpAddr, prefix: u8) -> String {
    let net = match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(prefix.min(32));
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            IpAddr::V4((u32::from(v4) & mask).into())
        }
        IpAddr::V6(v6) => {
            let bits = u32::from(prefix.min(128));
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            IpAddr::V6((u128::from(v6) & mask).into())
        }
    };
    format!("{net}/{prefix}")
}

/// The addresses a socket bound to `ip` accepts connections on. For `::`, `v6only` is the
/// socket's IPV6_V6ONLY where the OS reports it, else the system default. A socket tied to an
/// interface (`device`, SO_BINDTODEVICE) takes only what arrives through it: from outside,
/// what that interface's link sends; from this machine, connections to that interface's
/// addresses.
pub fn listeners_for(
    host: &Host,
    ip: IpAddr,
    v6only: Option<bool>,
    device: Option<u32>,
) -> Vec<Listener> {
    let family = |addr: IpAddr| match ip {
        IpAddr::V4(_) => addr.is_ipv4(),
        IpAddr::V6(_) => addr.is_ipv6() || !v6only.unwrap_or_else(|| v6only_by_default(host)),
    };
    let bound = device.and_then(|index| host.interfaces.iter().find(|i| i.index == Some(index)));
    if let Some(iface) = bound {
        return tied_to(host, iface, ip, &family);
    }
    if ip.is_unspecified() {
        all_of(host, family)
    } else {
        at(host, ip, None)
    }
}

/// A socket tied to `iface` (SO_BINDTODEVICE): this machine reaches it on `iface`'s own
/// addresses; from outside, what `iface`'s link sends it is accepted for any of this machine's
/// other addresses too (the weak host model), so those are reached by routing through that
/// link. Loopback's link carries nothing from outside.
fn tied_to(
    host: &Host,
    iface: &Interface,
    ip: IpAddr,
    family: &dyn Fn(IpAddr) -> bool,
) -> Vec<Listener> {
    let takes = |a: &IfAddress| {
        if ip.is_unspecified() {
            family(a.ip)
        } else {
            plain(a.ip) == plain(ip)
        }
    };
    let role = interfaces::role(host, iface);
    let mut own: Vec<Listener> = iface
        .addresses
        .iter()
        .filter(|a| takes(a))
        .map(|a| {
            let mut l = listener(host, iface, role, a);
            // Packets must come in through this interface: routing to it from elsewhere
            // does not count.
            if l.routed_only {
                l.reach = Reach::Host;
                l.routed_only = false;
            }
            l
        })
        .collect();
    // Who is on that link: the devices its role lets in (a bridge's are this machine's guests).
    let link = role.reach_cap();
    if role == Role::Loopback || !iface.up || !interfaces::weak_host(host) {
        return own;
    }
    for (other, addr) in host.addresses() {
        if other.name == iface.name
            || !takes(addr)
            || classify(addr.ip) == AddrKind::Loopback
            || !addr.state.usable()
        {
            continue;
        }
        let mut l = listener(host, other, interfaces::role(host, other), addr);
        l.reach = natural_reach(classify(addr.ip)).min(link);
        l.routed_only = l.reach > Reach::Host;
        own.push(l);
    }
    own
}

/// Why a bind on `ip` must fail on this machine, as `expose` says it: the address is not one
/// of its own. `None` for a wildcard, an address it has, or a nonlocal bind the kernel allows.
pub fn not_local(host: &Host, ip: IpAddr, zone: Option<&str>) -> Option<Note> {
    if ip.is_unspecified() || locate(host, plain(ip), zone).is_some() {
        return None;
    }
    if ip.is_ipv4() && host.sysctls.nonlocal_bind == Some(true) {
        return None;
    }
    let lan = interfaces::primary(host).map(|p| (p.ip, p.interface));
    Some(Note::NotLocal { ip, lan })
}

/// An IPv4-mapped IPv6 address stands for its IPv4 address.
pub fn plain(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// A specific address: the one listener on the interface that holds it, if any. An
/// IPv4-mapped address on a dual-stack socket listens on the IPv4 address.
fn at(host: &Host, ip: IpAddr, zone: Option<&str>) -> Vec<Listener> {
    let ip = plain(ip);
    locate(host, ip, zone)
        .map(|(iface, addr)| {
            let role = interfaces::role(host, iface);
            listener(host, iface, role, &addr)
        })
        .into_iter()
        .collect()
}

fn specific(host: &Host, ip: IpAddr, zone: Option<&str>, notes: &mut Vec<Note>) -> Vec<Listener> {
    if classify(ip) == AddrKind::LinkLocal && ip.is_ipv6() && zone.is_none() {
        notes.push(Note::LinkLocalNeedsZone { ip });
        return Vec::new();
    }
    if plain(ip) != ip && v6only_by_default(host) {
        notes.push(Note::MappedNeedsDualStack { ip: plain(ip) });
        return Vec::new();
    }
    if let Some(edge) = loopback_edge(host, plain(ip)) {
        notes.push(Note::NotUnicast { ip, network: edge });
        return Vec::new();
    }
    let found = at(host, ip, zone);
    match found.first() {
        None => {
            let lan = interfaces::primary(host).map(|p| (p.ip, p.interface));
            notes.push(Note::NotLocal { ip, lan });
            if ip.is_ipv4() && host.sysctls.nonlocal_bind == Some(true) {
                notes.push(Note::NonlocalBindAllowed);
            }
        }
        Some(l) if !l.state.usable() => notes.push(Note::AddressNotReady {
            ip: l.ip,
            failed: l.state == AddrState::DadFailed,
        }),
        Some(_) => {}
    }
    found
}

/// The broadcast address of a loopback range such as 127.0.0.0/8: a bind to it succeeds on
/// Linux, but a connect fails with ENETUNREACH (the network address itself answers, measured).
/// Gives the range.
fn loopback_edge(host: &Host, ip: IpAddr) -> Option<String> {
    let IpAddr::V4(v4) = ip else { return None };
    if host.os != Os::Linux {
        return None;
    }
    host.interfaces
        .iter()
        .flat_map(|i| &i.addresses)
        .filter(|a| classify(a.ip) == AddrKind::Loopback && a.ip.is_ipv4() && a.prefix < 31)
        .filter(|a| in_prefix(ip, a.ip, a.prefix) && a.ip != ip)
        .find_map(|a| {
            let host_bits = 32 - u32::from(a.prefix);
            let offset = u32::from(v4) & ((1u32 << host_bits) - 1);
            (offset == (1u32 << host_bits) - 1).then(|| network(a.ip, a.prefix))
        })
}

/// The interface that holds `ip`, and the address as it holds it. On Linux the whole
/// 127.0.0.0/8 lives on `lo`.
fn locate<'h>(
    host: &'h Host,
    ip: IpAddr,
    zone: Option<&str>,
) -> Option<(&'h Interface, IfAddress)> {
    let zone_matches = |i: &Interface| match zone {
        None => true,
        Some(z) => i.name == z || i.index.is_some_and(|n| z.parse() == Ok(n)),
    };
    let link_local = classify(ip) == AddrKind::LinkLocal;
    host.interfaces
        .iter()
        .filter(|i| !link_local || zone_matches(i))
        .find_map(|i| Some((i, *i.addresses.iter().find(|a| a.ip == ip)?)))
        .or_else(|| {
            if host.os != Os::Linux || classify(ip) != AddrKind::Loopback || !ip.is_ipv4() {
                return None;
            }
            host.interfaces.iter().find_map(|i| {
                let range = i.addresses.iter().find(|a| {
                    classify(a.ip) == AddrKind::Loopback && in_prefix(ip, a.ip, a.prefix)
                })?;
                Some((i, IfAddress::new(ip, range.prefix)))
            })
        })
}

fn bind_kind(bind_ip: Option<IpAddr>, target: &Target, listens_on: &[Listener]) -> BindKind {
    if *target == Target::Everything || bind_ip.is_some_and(|ip| ip.is_unspecified()) {
        return BindKind::All;
    }
    let Some(l) = listens_on.first() else {
        return BindKind::NotLocal;
    };
    match (l.kind, l.role) {
        (AddrKind::Loopback, _) => BindKind::Loopback,
        // Not on a link another device is on: only routed traffic reaches it.
        (_, Role::Loopback) => BindKind::Virtual,
        (_, Role::Vpn | Role::Tailnet) => BindKind::Lan,
        (_, role) if role.is_virtual() => BindKind::Virtual,
        (AddrKind::LinkLocal, _) => BindKind::LinkLocal,
        _ if l.reach == Reach::Internet => BindKind::Public,
        _ => BindKind::Lan,
    }
}

/// The notes every kind of bind earns, after the target-specific ones.
fn describe(
    host: &Host,
    port: u16,
    kind: BindKind,
    listens_on: &[Listener],
    notes: &mut Vec<Note>,
) {
    if kind == BindKind::Loopback {
        notes.push(Note::LoopbackOnly);
    }
    if kind == BindKind::All {
        let reached = |vpn: bool| {
            let mut names: Vec<String> = listens_on
                .iter()
                .filter(|l| l.role.is_virtual() && l.reach > Reach::None)
                .filter(|l| matches!(l.role, Role::Vpn | Role::Tailnet) == vpn)
                // A VPN that is down has no peers; what routes to it is said below.
                .filter(|l| !(vpn && l.routed_only))
                .map(|l| l.interface.clone())
                .collect();
            names.dedup();
            names
        };
        let (virtual_ifaces, vpns) = (reached(false), reached(true));
        if !virtual_ifaces.is_empty() {
            notes.push(Note::AlsoVirtual {
                interfaces: virtual_ifaces,
                routed: listens_on
                    .iter()
                    .any(|l| l.role.is_virtual() && l.routed_only),
            });
        }
        if !vpns.is_empty() {
            notes.push(Note::AlsoVpn { interfaces: vpns });
        }
    } else if let Some(l) = listens_on.first().filter(|l| l.role.is_virtual()) {
        notes.push(Note::VirtualAddress {
            ip: l.ip,
            interface: l.interface.clone(),
            role: l.role,
        });
    }
    // Addresses no device is on a link with: on a down interface, or on `lo`. A bridge's are
    // said by the notes above.
    let bridged = |role: Role| {
        matches!(
            role,
            Role::ContainerBridge | Role::VmBridge | Role::ContainerPort
        )
    };
    for l in listens_on
        .iter()
        .filter(|l| l.routed_only && !bridged(l.role))
    {
        notes.push(Note::RoutedOnly {
            ip: l.ip,
            network: l.network.clone(),
            interface: l.interface.clone(),
            down: l.not_shareable == Some(NotShareable::Down),
        });
    }
    if kind == BindKind::All {
        for l in listens_on.iter().filter(|l| !l.state.usable()) {
            notes.push(Note::AddressNotReady {
                ip: l.ip,
                failed: l.state == AddrState::DadFailed,
            });
        }
    }
    // One address beyond loopback: 127.0.0.1 and localhost do not reach it.
    if kind != BindKind::All {
        if let Some(l) = listens_on
            .first()
            .filter(|l| l.kind != AddrKind::Loopback && l.state.usable())
        {
            notes.push(Note::NotOnLocalhost { ip: l.ip, port });
        }
    }
    if let Some(public) = listens_on.iter().find(|l| l.reach == Reach::Internet) {
        notes.push(Note::Public { ip: public.ip });
    }
    if listens_on.iter().any(|l| l.reach >= Reach::Lan) {
        notes.push(Note::FirewallDecides);
    }
    if listens_on
        .iter()
        .any(|l| l.kind == AddrKind::LinkLocal && l.reach > Reach::None)
    {
        notes.push(Note::LinkLocalNoUrl);
    }
    let beyond_host = listens_on.iter().any(|l| l.kind != AddrKind::Loopback);
    if beyond_host {
        notes.extend(interfaces::environment_notes(host));
    }
    notes.extend(super::ports::privilege_note(
        host,
        port,
        kind == BindKind::All,
    ));
}

/// The URL of a server on `ip`: IPv6 in brackets, the port left out when it is the scheme's
/// default, and no URL at all for link-local addresses, which browsers cannot open.
pub fn url(scheme: &str, ip: IpAddr, port: u16, path: &str) -> Option<String> {
    if classify(ip) == AddrKind::LinkLocal && ip.is_ipv6() {
        return None;
    }
    let host = match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    let default_port = match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    };
    let port = if default_port == Some(port) {
        String::new()
    } else {
        format!(":{port}")
    };
    Some(format!("{scheme}://{host}{port}{path}"))
}
