use std::net::IpAddr;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct FreeReport {
    /// Free ports, nearest to `near` first, each verified by binding every host.
    pub ports: Vec<u16>,
    pub hosts: Vec<IpAddr>,
    pub near: u16,
    pub range: (u16, u16),
    /// How many were asked for; fewer in `ports` means the range ran out.
    pub requested: usize,
}
