//! Everything that touches the operating system. Foreign types stop here: what leaves this
//! module is our own plain data. Each OS module exports the same names; `cfg` appears nowhere
//! else in the crate.

use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use socket2::{Domain, Protocol, Type};

use crate::error::SystemError;
use crate::model::BindError;
use crate::model::{Device, Host, IfAddress, Interface, Process, Socket, SocketTable};
use crate::model::{Signal, SignalError, SocketQuery};

#[cfg(target_os = "linux")]
#[path = "linux/mod.rs"]
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

#[cfg(unix)]
mod unix;

pub mod net;
pub mod server;

/// The machine's sockets and the processes holding them. Sockets whose owner cannot be read
/// stay in the table with no pids.
pub fn socket_table(query: SocketQuery) -> Result<SocketTable, SystemError> {
    os::socket_table(query).map_err(SystemError::Sockets)
}

/// Whether any socket listens on `port` (no owners looked up: cheap enough to poll).
pub fn port_listening(port: u16) -> Result<bool, SystemError> {
    os::port_listening(port).map_err(SystemError::Sockets)
}

/// Whether `process` still holds `socket`: the same process (not a new one with its pid) with
/// the same socket open. Checked right before a signal.
pub fn still_holds(process: &Process, socket: &Socket) -> bool {
    os::still_holds(
        process.pid,
        process.start_time,
        socket.inode,
        socket.local.port(),
    )
}

/// Whether a process with this pid is running.
pub fn alive(pid: u32) -> bool {
    os::alive(pid)
}

pub fn signal(pid: u32, signal: Signal) -> Result<(), SignalError> {
    os::signal(pid, signal)
}

/// Reads the machine: interfaces and their addresses, routes, kernel settings, environment.
pub fn snapshot() -> Result<Host, SystemError> {
    let interfaces = match os::interfaces() {
        Some(interfaces) => interfaces,
        None => from_if_addrs(if_addrs::get_if_addrs().map_err(SystemError::Interfaces)?),
    };
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

/// Interfaces from their addresses alone (getifaddrs, GetAdaptersAddresses): what macOS and
/// Windows offer, and what Linux falls back to. Devices are left to be told by their names.
fn from_if_addrs(addrs: Vec<if_addrs::Interface>) -> Vec<Interface> {
    let mut interfaces: Vec<Interface> = Vec::new();
    for a in addrs {
        // Linux labels IPv4 aliases "eth0:1"; they belong to eth0.
        let name = a.name.split(':').next().unwrap_or(&a.name).to_string();
        let slot = match interfaces.iter().position(|i| i.name == name) {
            Some(n) => n,
            None => {
                interfaces.push(Interface {
                    name,
                    index: a.index,
                    up: matches!(
                        a.oper_status,
                        if_addrs::IfOperStatus::Up | if_addrs::IfOperStatus::Unknown
                    ),
                    device: if a.is_loopback() {
                        Device::Loopback
                    } else {
                        Device::Unknown
                    },
                    master: None,
                    addresses: Vec::new(),
                });
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
    let socket = socket2::Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
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
    fn the_portable_path_finds_loopback_too() {
        let interfaces = from_if_addrs(if_addrs::get_if_addrs().unwrap());
        let lo = interfaces
            .iter()
            .find(|i| i.device == Device::Loopback)
            .expect("a loopback interface");
        assert!(lo.addresses.iter().any(|a| a.ip.is_loopback()));
    }

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
