//! What a server bound to a host would listen on, and who could reach it.

use std::net::IpAddr;

use serde::Serialize;

use super::address::{classify, in_prefix};
use super::interfaces::{self, address_reach, not_shareable};
use super::notes::Note;
use super::vocab::BindKind;
use super::vocab::{AddrKind, Reach, Risk};
use super::vocab::{NotShareable, Role};
use crate::model::Target;
use crate::model::{Host, IfAddress, Interface, Os};

/// One local address a server would accept connections on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub ip: IpAddr,
    pub interface: String,
    pub kind: AddrKind,
    pub role: Role,
    pub reach: Reach,
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
            listeners_for(host, ip, None)
        }
        (_, Some(ip)) => specific(host, ip, zone.as_deref(), &mut notes),
    };

    let reach = listens_on
        .iter()
        .map(|l| l.reach)
        .max()
        .unwrap_or(Reach::None);
    let kind = bind_kind(bind_ip, target, &listens_on);
    describe(host, port, kind, &listens_on, &mut notes);

    Exposure {
        bind_ip,
        kind,
        reach,
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
                .map(move |a| listener(i, role, a))
        })
        .collect()
}

fn listener(iface: &Interface, role: Role, addr: &IfAddress) -> Listener {
    Listener {
        ip: addr.ip,
        interface: iface.name.clone(),
        kind: classify(addr.ip),
        role,
        reach: address_reach(iface, role, addr),
        not_shareable: not_shareable(iface, role, addr),
    }
}

/// The addresses a socket bound to `ip` accepts connections on. For `::`, `v6only` is the
/// socket's IPV6_V6ONLY where the OS reports it, else the system default.
pub fn listeners_for(host: &Host, ip: IpAddr, v6only: Option<bool>) -> Vec<Listener> {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => all_of(host, |ip| ip.is_ipv4()),
        IpAddr::V6(v6) if v6.is_unspecified() => {
            let v6only = v6only.unwrap_or_else(|| v6only_by_default(host));
            all_of(host, |ip| ip.is_ipv6() || !v6only)
        }
        _ => at(host, ip, None),
    }
}

/// A specific address: the one listener on the interface that holds it, if any. An
/// IPv4-mapped address on a dual-stack socket listens on the IPv4 address.
fn at(host: &Host, ip: IpAddr, zone: Option<&str>) -> Vec<Listener> {
    let ip = match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    locate(host, ip, zone)
        .map(|iface| {
            let role = interfaces::role(host, iface);
            listener(iface, role, &IfAddress { ip, prefix: 0 })
        })
        .into_iter()
        .collect()
}

fn specific(host: &Host, ip: IpAddr, zone: Option<&str>, notes: &mut Vec<Note>) -> Vec<Listener> {
    if classify(ip) == AddrKind::LinkLocal && ip.is_ipv6() && zone.is_none() {
        notes.push(Note::LinkLocalNeedsZone { ip });
        return Vec::new();
    }
    let found = at(host, ip, zone);
    if found.is_empty() {
        let lan = interfaces::primary(host).map(|p| (p.ip, p.interface));
        notes.push(Note::NotLocal { ip, lan });
        if ip.is_ipv4() && host.sysctls.nonlocal_bind == Some(true) {
            notes.push(Note::NonlocalBindAllowed);
        }
    }
    found
}

/// The interface that holds `ip`. On Linux the whole 127.0.0.0/8 lives on `lo`.
fn locate<'h>(host: &'h Host, ip: IpAddr, zone: Option<&str>) -> Option<&'h Interface> {
    let zone_matches = |i: &Interface| match zone {
        None => true,
        Some(z) => i.name == z || i.index.is_some_and(|n| z.parse() == Ok(n)),
    };
    let link_local = classify(ip) == AddrKind::LinkLocal;
    host.interfaces
        .iter()
        .find(|i| (!link_local || zone_matches(i)) && i.addresses.iter().any(|a| a.ip == ip))
        .or_else(|| {
            (host.os == Os::Linux && classify(ip) == AddrKind::Loopback && ip.is_ipv4())
                .then(|| {
                    host.interfaces.iter().find(|i| {
                        i.addresses.iter().any(|a| {
                            classify(a.ip) == AddrKind::Loopback && in_prefix(ip, a.ip, a.prefix)
                        })
                    })
                })
                .flatten()
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
        (AddrKind::Loopback, _) | (_, Role::Loopback) => BindKind::Loopback,
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
                .map(|l| l.interface.clone())
                .collect();
            names.dedup();
            names
        };
        let (virtual_ifaces, vpns) = (reached(false), reached(true));
        if !virtual_ifaces.is_empty() {
            notes.push(Note::AlsoVirtual {
                interfaces: virtual_ifaces,
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
    notes.extend(super::ports::privilege_note(host, port));
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
