//! Other systems: addresses from getifaddrs and nothing else.

use std::io;

use crate::model::{DefaultRoute, EnvHints, Interface, Os, SocketTable, Sysctls};
use crate::model::{Signal, SignalError, SocketQuery};

pub const OS: Os = Os::Other;

pub const SERVERS_SET_REUSEADDR: bool = true;

/// Interfaces come from if-addrs (see `super::from_if_addrs`).
pub fn interfaces() -> Option<Vec<Interface>> {
    None
}

pub fn default_routes() -> Vec<DefaultRoute> {
    Vec::new()
}

pub fn sysctls() -> Sysctls {
    Sysctls::default()
}

pub fn env_hints(_interfaces: &[Interface]) -> EnvHints {
    EnvHints::default()
}

pub fn privileged() -> bool {
    false
}

pub fn hostname() -> Option<String> {
    None
}

pub fn socket_table(_query: SocketQuery) -> io::Result<SocketTable> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "reading sockets is not supported on this system yet",
    ))
}

pub fn still_holds(_pid: u32, _start_time: Option<u64>, _inode: Option<u64>, _port: u16) -> bool {
    false
}

pub fn alive(_pid: u32) -> bool {
    false
}

pub fn signal(_pid: u32, _signal: Signal) -> Result<(), SignalError> {
    Err(SignalError::Unsupported)
}

/// Whether any socket listens on `port`.
pub fn port_listening(port: u16) -> io::Result<bool> {
    Ok(socket_table(SocketQuery::Port(port))?
        .sockets
        .iter()
        .any(|s| s.state.is_listening()))
}
