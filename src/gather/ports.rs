//! Ports tried for real: the trial binds of `port`, and free ports for `free`, `port` and
//! `serve`.

use std::net::{IpAddr, SocketAddr};

use super::targets::socket_addr;
use crate::analysis::ports::nearby;
use crate::model::{BindError, Host};
use crate::platform;

/// Up to `count` ports nearest `near` within `range` that bind right now on every one of
/// `hosts` (a real bind each, closed at once). Walks the range at most once.
pub fn free_ports(
    host: &Host,
    near: u16,
    range: (u16, u16),
    hosts: &[IpAddr],
    count: usize,
) -> Vec<u16> {
    let zoned: Vec<(IpAddr, Option<String>)> = hosts.iter().map(|&ip| (ip, None)).collect();
    free_ports_on(host, near, range, &zoned, count)
}

/// As [`free_ports`], for hosts that may carry a zone (a link-local `fe80::1%eth0` binds only
/// with its interface's index).
pub fn free_ports_on(
    host: &Host,
    near: u16,
    range: (u16, u16),
    hosts: &[(IpAddr, Option<String>)],
    count: usize,
) -> Vec<u16> {
    nearby(host, near, range.0, range.1)
        .filter(|&port| {
            hosts.iter().all(|(ip, zone)| {
                platform::try_bind(socket_addr(host, *ip, zone.as_deref(), port)).is_ok()
            })
        })
        .take(count)
        .collect()
}

/// Real binds of the port on 127.0.0.1, 0.0.0.0 and (where the machine has IPv6) ::.
pub fn trial_binds(host: &Host, port: u16) -> Vec<(IpAddr, Result<(), BindError>)> {
    let mut hosts = vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0])];
    if host.addresses().any(|(_, a)| a.ip.is_ipv6()) {
        hosts.push(IpAddr::from([0u16; 8]));
    }
    hosts
        .into_iter()
        .map(|ip| (ip, platform::try_bind(SocketAddr::new(ip, port))))
        .collect()
}

/// Up to `count` other ports near `port` that bind on 127.0.0.1 and 0.0.0.0 right now.
pub fn alternatives(host: &Host, port: u16, count: usize) -> Vec<u16> {
    let hosts = [IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0])];
    free_ports(host, port, (1, 65535), &hosts, count + 1)
        .into_iter()
        .filter(|&p| p != port)
        .take(count)
        .collect()
}
