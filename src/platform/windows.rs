//! Windows: interfaces come from GetAdaptersAddresses (through if-addrs) under their
//! friendly names ("Wi-Fi", "vEthernet (WSL)"); routes are not read yet, so `local_ip()`
//! (the first adapter with a default route there) stands in for the default route.

use crate::model::{DefaultRoute, EnvHints, Interface, Os, Sysctls};

pub const OS: Os = Os::Windows;

/// On Windows SO_REUSEADDR lets a socket take over a port that is in use; servers do not
/// set it, and neither does a trial bind.
pub const SERVERS_SET_REUSEADDR: bool = false;

/// Interfaces come from if-addrs (see `super::from_if_addrs`).
pub fn interfaces() -> Option<Vec<Interface>> {
    None
}

pub fn default_routes() -> Vec<DefaultRoute> {
    Vec::new()
}

/// Windows has no privileged ports, and its IPv6 sockets are v6-only by default.
pub fn sysctls() -> Sysctls {
    Sysctls {
        bindv6only: Some(true),
        unprivileged_port_start: None,
        ephemeral_range: None,
        nonlocal_bind: None,
    }
}

pub fn env_hints(_interfaces: &[Interface]) -> EnvHints {
    EnvHints::default()
}

pub fn privileged() -> bool {
    false
}

pub fn hostname() -> Option<String> {
    std::env::var("COMPUTERNAME").ok().filter(|n| !n.is_empty())
}
