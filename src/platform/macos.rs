//! macOS: interfaces come from getifaddrs alone and are recognised by name (en0, utun3,
//! bridge100, awdl0); routes are not read yet, so `local_ip()` (the first non-loopback IPv4
//! address there) stands in for the default route.

use crate::model::{DefaultRoute, EnvHints, Interface, Os, Sysctls};

pub const OS: Os = Os::Macos;

/// Servers on macOS set SO_REUSEADDR as on every Unix.
pub const SERVERS_SET_REUSEADDR: bool = true;

/// Interfaces come from if-addrs (see `super::from_if_addrs`).
pub fn interfaces() -> Option<Vec<Interface>> {
    None
}

pub fn default_routes() -> Vec<DefaultRoute> {
    Vec::new()
}

/// macOS has no privileged ports since 10.14 and `net.inet6.ip6.v6only` defaults to 0; the
/// sysctls themselves are not read yet.
pub fn sysctls() -> Sysctls {
    Sysctls {
        bindv6only: Some(false),
        unprivileged_port_start: None,
        ephemeral_range: None,
        nonlocal_bind: None,
    }
}

pub fn env_hints(_interfaces: &[Interface]) -> EnvHints {
    EnvHints::default()
}

pub fn privileged() -> bool {
    rustix::process::geteuid().is_root()
}

pub fn hostname() -> Option<String> {
    let uname = rustix::system::uname();
    let name = uname.nodename().to_string_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}
