//! Other systems: addresses from getifaddrs and nothing else.

use crate::model::{DefaultRoute, EnvHints, Interface, Os, Sysctls};

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
