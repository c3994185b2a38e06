//! What kind of address an IP is, and who can reach it by nature.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::vocab::{AddrKind, Reach};

pub fn classify(ip: IpAddr) -> AddrKind {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => classify_v4(v4),
            None => classify_v6(v6),
        },
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddrKind {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        (127, _, _) => AddrKind::Loopback,
        (10, _, _) | (192, 168, _) => AddrKind::Private,
        (172, 16..=31, _) => AddrKind::Private,
        (169, 254, _) => AddrKind::LinkLocal,
        (100, 64..=127, _) => AddrKind::Cgnat,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddrKind::Documentation,
        (0, _, _) | (192, 0, 0) | (198, 18..=19, _) | (224..=255, _, _) => AddrKind::Reserved,
        _ => AddrKind::Public,
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddrKind {
    let s = ip.segments();
    if ip.is_loopback() {
        AddrKind::Loopback
    } else if s[0] & 0xffc0 == 0xfe80 {
        AddrKind::LinkLocal
    } else if s[0] & 0xfe00 == 0xfc00 {
        AddrKind::Ula
    } else if (s[0] == 0x2001 && s[1] == 0x0db8) || s[0] & 0xfff0 == 0x3ff0 {
        AddrKind::Documentation
    } else if s[0] & 0xe000 == 0x2000 || (s[0] == 0x64 && s[1] == 0xff9b) {
        // Global unicast, and NAT64 (which stands for public IPv4 addresses).
        AddrKind::Public
    } else {
        AddrKind::Reserved
    }
}

/// Who can reach an address by its class alone, before the interface it sits on is considered.
pub fn natural_reach(kind: AddrKind) -> Reach {
    match kind {
        AddrKind::Loopback => Reach::Host,
        AddrKind::LinkLocal => Reach::Link,
        AddrKind::Public => Reach::Internet,
        AddrKind::Private
        | AddrKind::Cgnat
        | AddrKind::Ula
        | AddrKind::Documentation
        | AddrKind::Reserved => Reach::Lan,
    }
}

/// Whether `ip` lies in `net/prefix`.
pub fn in_prefix(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let bits = u32::from(prefix.min(32));
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let bits = u32::from(prefix.min(128));
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::vocab::Risk;

    fn kind(s: &str) -> AddrKind {
        classify(s.parse().unwrap())
    }

    #[test]
    fn classifies_ipv4_ranges_at_their_edges() {
        assert_eq!(kind("127.0.0.1"), AddrKind::Loopback);
        assert_eq!(kind("127.255.255.254"), AddrKind::Loopback);
        assert_eq!(kind("10.0.0.1"), AddrKind::Private);
        assert_eq!(kind("172.15.255.255"), AddrKind::Public);
        assert_eq!(kind("172.16.0.1"), AddrKind::Private);
        assert_eq!(kind("172.31.255.255"), AddrKind::Private);
        assert_eq!(kind("172.32.0.0"), AddrKind::Public);
        assert_eq!(kind("192.168.1.23"), AddrKind::Private);
        assert_eq!(kind("169.254.10.1"), AddrKind::LinkLocal);
        assert_eq!(kind("100.63.255.255"), AddrKind::Public);
        assert_eq!(kind("100.64.0.1"), AddrKind::Cgnat);
        assert_eq!(kind("100.127.255.255"), AddrKind::Cgnat);
        assert_eq!(kind("100.128.0.0"), AddrKind::Public);
        assert_eq!(kind("192.0.2.2"), AddrKind::Documentation);
        assert_eq!(kind("198.51.100.7"), AddrKind::Documentation);
        assert_eq!(kind("203.0.113.9"), AddrKind::Documentation);
        assert_eq!(kind("0.0.0.0"), AddrKind::Reserved);
        assert_eq!(kind("198.18.0.1"), AddrKind::Reserved);
        assert_eq!(kind("224.0.0.1"), AddrKind::Reserved);
        assert_eq!(kind("255.255.255.255"), AddrKind::Reserved);
        assert_eq!(kind("8.8.8.8"), AddrKind::Public);
    }

    #[test]
    fn classifies_ipv6_ranges() {
        assert_eq!(kind("::1"), AddrKind::Loopback);
        assert_eq!(kind("::"), AddrKind::Reserved);
        assert_eq!(kind("fe80::1"), AddrKind::LinkLocal);
        assert_eq!(kind("febf::1"), AddrKind::LinkLocal);
        assert_eq!(kind("fd00::2"), AddrKind::Ula);
        assert_eq!(kind("fc00::1"), AddrKind::Ula);
        assert_eq!(kind("2001:db8::1"), AddrKind::Documentation);
        assert_eq!(kind("3fff::1"), AddrKind::Documentation);
        assert_eq!(kind("2a01:4f8::10"), AddrKind::Public);
        assert_eq!(kind("64:ff9b::808:808"), AddrKind::Public);
        assert_eq!(kind("ff02::1"), AddrKind::Reserved);
        assert_eq!(kind("::ffff:192.168.1.5"), AddrKind::Private);
        assert_eq!(kind("::ffff:127.0.0.1"), AddrKind::Loopback);
    }

    #[test]
    fn prefix_membership() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(in_prefix(ip("127.0.0.2"), ip("127.0.0.1"), 8));
        assert!(!in_prefix(ip("128.0.0.1"), ip("127.0.0.1"), 8));
        assert!(in_prefix(ip("10.1.2.3"), ip("0.0.0.0"), 0));
        assert!(in_prefix(ip("fd00::9"), ip("fd00::2"), 64));
        assert!(!in_prefix(ip("fd01::9"), ip("fd00::2"), 64));
        assert!(!in_prefix(ip("::1"), ip("127.0.0.1"), 8));
        assert!(in_prefix(ip("::1"), ip("::1"), 128));
    }

    #[test]
    fn exposure_is_ordered() {
        assert!(Reach::Internet > Reach::Lan && Reach::Lan > Reach::Link);
        assert!(Reach::Link > Reach::Host && Reach::Host > Reach::None);
        assert_eq!(Reach::Internet.risk(), Risk::High);
        assert_eq!(Reach::Host.risk(), Risk::Low);
    }
}
