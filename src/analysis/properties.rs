//! Property tests of the analysis: it keeps its promises on any machine, not only on the
//! fixtures.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;

use crate::analysis::expose::expose;
use crate::analysis::probe::{infer, LocalResult};
use crate::analysis::vocab::Reach;
use crate::analysis::vocab::{InferredBind, Status};
use crate::model::Target;
use crate::model::{Device, Host, IfAddress, Interface, Os, Sysctls};
use crate::test_support::any_ip as ip;

fn interface() -> impl Strategy<Value = Interface> {
    let names = prop::sample::select(vec![
        "eth0",
        "wlan0",
        "enp3s0",
        "docker0",
        "br-1a2b3c",
        "veth9f",
        "tun0",
        "wg0",
        "tailscale0",
        "virbr0",
        "eth1",
    ]);
    let devices = prop::sample::select(vec![
        Device::Ethernet,
        Device::Wireless,
        Device::Bridge,
        Device::Veth,
        Device::Tun,
        Device::Wireguard,
        Device::Unknown,
    ]);
    (
        names,
        devices,
        any::<bool>(),
        proptest::collection::vec((ip(), 8u8..=64), 0..4),
    )
        .prop_map(|(name, device, up, addrs)| Interface {
            name: name.to_string(),
            index: None,
            up,
            device,
            master: None,
            addresses: addrs
                .into_iter()
                .map(|(ip, prefix)| IfAddress::new(ip, prefix))
                .collect(),
        })
}

fn host() -> impl Strategy<Value = Host> {
    (proptest::collection::vec(interface(), 0..6), any::<bool>()).prop_map(
        |(mut interfaces, bindv6only)| {
            let lo = Interface {
                name: "lo".into(),
                index: Some(1),
                up: true,
                device: Device::Loopback,
                master: None,
                addresses: vec![
                    IfAddress::new(Ipv4Addr::LOCALHOST.into(), 8),
                    IfAddress::new(Ipv6Addr::LOCALHOST.into(), 128),
                ],
            };
            interfaces.insert(0, lo);
            Host {
                os: Os::Linux,
                interfaces,
                sysctls: Sysctls {
                    bindv6only: Some(bindv6only),
                    unprivileged_port_start: Some(1024),
                    ephemeral_range: Some((32768, 60999)),
                    nonlocal_bind: Some(false),
                },
                ..Host::default()
            }
        },
    )
}

fn bind(ip: IpAddr) -> Target {
    Target::Ip { ip, zone: None }
}

fn sorted(mut ips: Vec<IpAddr>) -> Vec<IpAddr> {
    ips.sort();
    ips
}

/// A bind that a local probe could meet, and what it must be inferred as.
#[derive(Debug, Clone, Copy)]
enum Simulated {
    Nothing,
    Loopback,
    AllV4,
    All,
    /// One address beyond loopback, by its index among them.
    One(usize),
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_loopback_bind_never_reaches_beyond_this_machine(host in host(), last in 1u8..=254) {
        for ip in [IpAddr::from([127, 0, 0, 1]), IpAddr::from([127, 0, 0, last]), Ipv6Addr::LOCALHOST.into()] {
            let exposure = expose(&host, &bind(ip), 5000);
            prop_assert!(exposure.reach <= Reach::Host, "{ip}: {:?}", exposure.reach);
            for l in &exposure.listens_on {
                prop_assert!(l.reach <= Reach::Host, "{ip} on {}: {:?}", l.interface, l.reach);
            }
        }
    }

    #[test]
    fn the_ipv4_wildcard_covers_exactly_the_ipv4_addresses(host in host()) {
        let exposure = expose(&host, &bind(Ipv4Addr::UNSPECIFIED.into()), 5000);
        let got = sorted(exposure.listens_on.iter().map(|l| l.ip).collect());
        let want = sorted(host.addresses().map(|(_, a)| a.ip).filter(IpAddr::is_ipv4).collect());
        prop_assert_eq!(got, want);
    }

    #[test]
    fn the_ipv6_wildcard_covers_both_families_unless_v6only(host in host()) {
        let exposure = expose(&host, &bind(Ipv6Addr::UNSPECIFIED.into()), 5000);
        let got = sorted(exposure.listens_on.iter().map(|l| l.ip).collect());
        let v6only = host.sysctls.bindv6only == Some(true);
        let want = sorted(
            host.addresses()
                .map(|(_, a)| a.ip)
                .filter(|ip| ip.is_ipv6() || !v6only)
                .collect(),
        );
        prop_assert_eq!(got, want);
        prop_assert_eq!(exposure.dual_stack, Some(!v6only));
    }

    #[test]
    fn the_inferred_bind_agrees_with_the_results_behind_it(
        host in host(),
        pick in any::<prop::sample::Index>(),
        kind in 0u8..5,
    ) {
        // What a local probe tries: every address but link-local ones, once each.
        let mut probed: Vec<IpAddr> = Vec::new();
        for (_, a) in host.addresses() {
            let link_local = crate::analysis::address::classify(a.ip)
                == crate::analysis::vocab::AddrKind::LinkLocal;
            if !link_local && !probed.contains(&a.ip) {
                probed.push(a.ip);
            }
        }
        let beyond: Vec<IpAddr> = probed.iter().copied().filter(|ip| !ip.is_loopback()).collect();
        let simulated = match kind {
            0 => Simulated::Nothing,
            1 => Simulated::Loopback,
            2 => Simulated::AllV4,
            3 => Simulated::All,
            _ if beyond.is_empty() => Simulated::Loopback,
            _ => Simulated::One(pick.index(beyond.len())),
        };
        let open = |ip: &IpAddr| match simulated {
            Simulated::Nothing => false,
            Simulated::Loopback => ip.is_loopback(),
            Simulated::AllV4 => ip.is_ipv4(),
            Simulated::All => true,
            Simulated::One(n) => *ip == beyond[n],
        };
        let results: Vec<LocalResult> = probed
            .iter()
            .map(|ip| LocalResult {
                ip: *ip,
                status: if open(ip) { Status::Open } else { Status::Refused },
                reach: crate::analysis::interfaces::reach_of(&host, *ip).reach,
                shareable: crate::analysis::interfaces::shareable(&host, *ip),
            })
            .collect();
        let v4_beyond = beyond.iter().any(IpAddr::is_ipv4);
        let expected = match simulated {
            Simulated::Nothing => InferredBind::None,
            Simulated::Loopback => InferredBind::Loopback,
            // With no address beyond loopback, a wildcard looks like loopback: it is all
            // that could answer.
            Simulated::AllV4 if !v4_beyond => InferredBind::Loopback,
            Simulated::All if beyond.is_empty() => InferredBind::Loopback,
            Simulated::AllV4 | Simulated::All => InferredBind::All,
            Simulated::One(_) => InferredBind::Specific,
        };
        prop_assert_eq!(infer(&results), expected, "{:?} over {:?}", simulated, probed);
    }
}
