//! What the unit tests share: small helpers and generators, in one place.

use std::net::IpAddr;

use proptest::prelude::*;

/// An address literal of a test.
pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Whether text holds Korean (a Hangul syllable).
pub fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

/// Any address, with the ranges that matter here (private, link-local, CGNAT, ULA,
/// documentation) more often than chance would give them.
pub fn any_ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(IpAddr::from),
        any::<[u16; 8]>().prop_map(IpAddr::from),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| IpAddr::from([192, 168, a, b])),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| IpAddr::from([10, a, b, c])),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| IpAddr::from([169, 254, a, b])),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| IpAddr::from([100, 64 + (a % 64), b, 1])),
        any::<u16>().prop_map(|x| IpAddr::from([0xfe80, 0, 0, 0, 0, 0, 0, x])),
        any::<u16>().prop_map(|x| IpAddr::from([0xfd12, 0x3456, 0, 0, 0, 0, 0, x])),
        any::<u16>().prop_map(|x| IpAddr::from([0x2001, 0xdb8, 0, 0, 0, 0, 0, x])),
    ]
}
