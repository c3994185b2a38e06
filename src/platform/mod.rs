//! Everything that touches the operating system. Foreign types stop here: what leaves this
//! module is our own plain data. Each OS module exports the same names; `cfg` appears nowhere
//! else in the crate.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use socket2::{Domain, Protocol, Socket, Type};

use crate::analysis::notes::BindError;
use crate::error::SystemError;
use crate::model::{Device, Host, IfAddress, Interface};

#[cfg(target_os = "linux")]
#[path = "linux.rs"]
mod os;

#[cfg(target_os = "macos")]
#[path = "macos.rs"]
mod os;

#[cfg(target_os = "windows")]
#[path = "windows.rs"]
mod os;

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
#[path = "unsupported.rs"]
mod os;

/// What the OS says about a link beyond its addresses. Platforms that cannot tell return
/// none, and the interfaces are built from their addresses alone.
#[derive(Debug, Clone)]
pub struct Link {
    pub name: String,
    pub index: u32,
    pub up: bool,
    pub device: Device,
    pub master: Option<String>,
}

/// Reads the machine: interfaces and their addresses, routes, kernel settings, environment.
pub fn snapshot() -> Result<Host, SystemError> {
    let addrs = if_addrs::get_if_addrs().map_err(SystemError::Interfaces)?;
    let interfaces = merge(os::links(), addrs);
    Ok(Host {
        hostname: os::hostname(),
        os: os::OS,
        env: os::env_hints(&interfaces),
        interfaces,
        default_routes: os::default_routes(),
        route_source: local_ip_address::local_ip().ok(),
        sysctls: os::sysctls(),
        privileged: os::privileged(),
    })
}

fn merge(links: Vec<Link>, addrs: Vec<if_addrs::Interface>) -> Vec<Interface> {
    let mut interfaces: Vec<Interface> = links
        .into_iter()
        .map(|l| Interface {
            name: l.name,
            index: Some(l.index),
            up: l.up,
            device: l.device,
            master: l.master,
            addresses: Vec::new(),
        })
        .collect();
    let mut by_name: HashMap<String, usize> = interfaces
        .iter()
        .enumerate()
        .map(|(n, i)| (i.name.clone(), n))
        .collect();
    for a in addrs {
        // Linux labels IPv4 aliases "eth0:1"; they belong to eth0.
        let name = match a.name.split_once(':') {
            Some((base, _)) if by_name.contains_key(base) => base.to_string(),
            _ => a.name.clone(),
        };
        let slot = match by_name.get(&name) {
            Some(&n) => n,
            None => {
                let up = matches!(
                    a.oper_status,
                    if_addrs::IfOperStatus::Up | if_addrs::IfOperStatus::Unknown
                );
                interfaces.push(Interface {
                    name: name.clone(),
                    index: a.index,
                    up,
                    device: if a.is_loopback() {
                        Device::Loopback
                    } else {
                        Device::Unknown
                    },
                    master: None,
                    addresses: Vec::new(),
                });
                by_name.insert(name, interfaces.len() - 1);
                interfaces.len() - 1
            }
        };
        let (ip, prefix) = match &a.addr {
            if_addrs::IfAddr::V4(v4) => (IpAddr::V4(v4.ip), v4.prefixlen),
            if_addrs::IfAddr::V6(v6) => (IpAddr::V6(v6.ip), v6.prefixlen),
        };
        let addresses = &mut interfaces[slot].addresses;
        if !addresses.iter().any(|x| x.ip == ip) {
            addresses.push(IfAddress { ip, prefix });
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
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
        .map_err(bind_error)?;
    if os::SERVERS_SET_REUSEADDR {
        socket.set_reuse_address(true).map_err(bind_error)?;
    }
    socket.bind(&addr.into()).map_err(bind_error)?;
    socket.listen(1).map_err(bind_error)?;
    Ok(())
}

fn bind_error(e: io::Error) -> BindError {
    match e.kind() {
        io::ErrorKind::AddrInUse => BindError::InUse,
        io::ErrorKind::AddrNotAvailable => BindError::NotLocal,
        io::ErrorKind::PermissionDenied => BindError::Permission,
        _ => BindError::Other(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
