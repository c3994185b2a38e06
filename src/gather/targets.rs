//! What the user typed, made into something to bind or connect to: names are looked up here,
//! interface names and zones are matched against this machine.

use std::net::{IpAddr, SocketAddr, SocketAddrV6};

use crate::error::InputError;
use crate::model::{Host, Target};
use crate::parse::{is_hostname, shown, HostSpec};
use crate::platform;

/// The bind target of a host spec, and the host as it should be shown.
pub fn target(host: &Host, spec: &HostSpec) -> Result<(Target, String), InputError> {
    match spec {
        HostSpec::Ip { ip, zone } => {
            if let Some(zone) = zone {
                if scope_of(host, zone).is_none() {
                    return Err(InputError::UnknownZone { zone: shown(zone) });
                }
            }
            let shown = match zone {
                Some(z) => format!("{ip}%{z}"),
                None => ip.to_string(),
            };
            let target = Target::Ip {
                ip: *ip,
                zone: zone.clone(),
            };
            Ok((target, shown))
        }
        HostSpec::Name(name) => {
            if host.interface(name).is_some() {
                return Ok((Target::Interface { name: name.clone() }, name.clone()));
            }
            if !is_hostname(name) {
                return Err(InputError::BadHost { value: shown(name) });
            }
            let resolved = platform::resolve(name).unwrap_or_default();
            if resolved.is_empty() {
                return Err(InputError::Unresolved { name: shown(name) });
            }
            let target = if name.trim_end_matches('.').eq_ignore_ascii_case("localhost") {
                Target::Localhost { resolved }
            } else {
                Target::Hostname {
                    name: name.clone(),
                    resolved,
                }
            };
            Ok((target, name.clone()))
        }
    }
}

/// The scope id a zone names: an interface of this machine, by name or index.
pub fn scope_of(host: &Host, zone: &str) -> Option<u32> {
    let by_name = host.interface(zone).map(|i| i.index.unwrap_or(0));
    by_name.or_else(|| {
        let index: u32 = zone.parse().ok()?;
        host.interfaces
            .iter()
            .any(|i| i.index == Some(index))
            .then_some(index)
    })
}

/// The socket address to bind or connect to: a link-local IPv6 address carries the index of
/// the interface its zone names.
pub fn socket_addr(host: &Host, ip: IpAddr, zone: Option<&str>, port: u16) -> SocketAddr {
    match ip {
        IpAddr::V6(v6) => {
            let scope = zone
                .and_then(|z| scope_of(host, z).or_else(|| z.parse().ok()))
                .unwrap_or(0);
            SocketAddr::V6(SocketAddrV6::new(v6, port, 0, scope))
        }
        v4 => SocketAddr::new(v4, port),
    }
}

/// The zone of a target, for its socket address.
pub fn zone_of(target: &Target) -> Option<&str> {
    match target {
        Target::Ip { zone, .. } => zone.as_deref(),
        Target::Interface { name } => Some(name.as_str()),
        _ => None,
    }
}
