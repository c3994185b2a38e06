//! The analysis core, run against machines described in `fixtures`.

use crate::test_support::ip;

use super::expose::{expose, url, Exposure};
use super::fixtures;
use super::interfaces::{self, full_tunnel_vpn, primary};
use super::notes::Note;
use super::vocab::BindKind;
use super::vocab::NotShareable;
use super::vocab::Role;
use super::vocab::{Reach, Risk};
use crate::model::Target;
use crate::model::{AddrState, Device, IfAddress};
use crate::model::{Host, Os};

fn bind(host: &Host, s: &str) -> Exposure {
    bind_on(host, s, 5000)
}

fn bind_on(host: &Host, s: &str, port: u16) -> Exposure {
    expose(
        host,
        &Target::Ip {
            ip: ip(s),
            zone: None,
        },
        port,
    )
}

fn listening(e: &Exposure) -> Vec<(String, String, Reach)> {
    e.listens_on
        .iter()
        .map(|l| (l.ip.to_string(), l.interface.clone(), l.reach))
        .collect()
}

fn has(e: &Exposure, code: &str) -> bool {
    e.notes.iter().any(|n| n.code() == code)
}

fn role_of(host: &Host, name: &str) -> Role {
    interfaces::role(host, host.interface(name).unwrap())
}

#[test]
fn laptop_roles_and_primary() {
    let host = fixtures::laptop();
    assert_eq!(role_of(&host, "lo"), Role::Loopback);
    assert_eq!(role_of(&host, "wlp2s0"), Role::Network);
    assert_eq!(role_of(&host, "docker0"), Role::ContainerBridge);
    assert_eq!(role_of(&host, "veth3f2a1b0"), Role::ContainerPort);
    let p = primary(&host).unwrap();
    assert_eq!((p.interface.as_str(), p.ip), ("wlp2s0", ip("192.168.1.23")));
}

#[test]
fn laptop_bind_all_ipv4_lists_every_ipv4_address_and_docker_if_routed_here() {
    let host = fixtures::laptop();
    let e = bind(&host, "0.0.0.0");
    assert_eq!(e.kind, BindKind::All);
    assert_eq!(
        listening(&e),
        vec![
            ("127.0.0.1".into(), "lo".into(), Reach::Host),
            ("192.168.1.23".into(), "wlp2s0".into(), Reach::Lan),
            // Linux accepts packets for docker0's address from the LAN too: a device that
            // routes 172.17.0.0/16 through this machine reaches it.
            ("172.17.0.1".into(), "docker0".into(), Reach::Lan),
        ]
    );
    assert!(e.listens_on[2].routed_only && !e.listens_on[1].routed_only);
    assert_eq!(e.listens_on[2].network, "172.17.0.0/16");
    assert_eq!(e.reach, Reach::Lan);
    assert_eq!(e.risk, Risk::Medium);
    assert!(e.notes.contains(&Note::AlsoVirtual {
        interfaces: vec!["docker0".into()],
        routed: true,
    }));
    assert!(has(&e, "firewall_decides"));
}

#[test]
fn dual_stack_wildcard_covers_both_families_unless_bindv6only() {
    let mut host = fixtures::laptop();
    let e = bind(&host, "::");
    assert_eq!(e.dual_stack, Some(true));
    assert!(e.listens_on.iter().any(|l| l.ip == ip("192.168.1.23")));
    assert!(e
        .listens_on
        .iter()
        .any(|l| l.ip == ip("fd12:3456:789a::23")));
    assert!(has(&e, "dual_stack"));
    // A link-local address is listened on, but never offered as a URL.
    assert!(e
        .listens_on
        .iter()
        .any(|l| l.ip == ip("fe80::1c2a:3bff:fe4d:5e6f") && l.reach == Reach::Link));
    assert!(has(&e, "link_local_no_url"));

    host.sysctls.bindv6only = Some(true);
    let e = bind(&host, "::");
    assert_eq!(e.dual_stack, Some(false));
    assert!(e.listens_on.iter().all(|l| l.ip.is_ipv6()));
    assert!(e.notes.contains(&Note::V6Only { windows: false }));

    host.sysctls.bindv6only = Some(false);
    host.os = Os::Windows;
    let e = bind(&host, "[::]".trim_matches(['[', ']']));
    assert_eq!(
        e.dual_stack,
        Some(false),
        "Windows sockets are v6-only by default"
    );
}

#[test]
fn loopback_binds_reach_this_machine_only() {
    let host = fixtures::laptop();
    for addr in ["127.0.0.1", "::1", "127.0.1.1"] {
        let e = bind(&host, addr);
        assert_eq!(e.kind, BindKind::Loopback, "{addr}");
        assert_eq!(e.reach, Reach::Host, "{addr}");
        assert_eq!(e.listens_on.len(), 1, "{addr}");
        assert!(has(&e, "loopback_only"));
        assert!(!has(&e, "firewall_decides"));
    }
    let mut mac = fixtures::laptop();
    mac.os = Os::Macos;
    assert_eq!(
        bind(&mac, "127.0.1.1").kind,
        BindKind::NotLocal,
        "macOS has only 127.0.0.1"
    );
}

#[test]
fn localhost_picks_ipv4_like_werkzeug() {
    let host = fixtures::laptop();
    let e = expose(
        &host,
        &Target::Localhost {
            resolved: vec![ip("::1"), ip("127.0.0.1")],
        },
        5000,
    );
    assert_eq!(e.bind_ip, Some(ip("127.0.0.1")));
    assert_eq!(e.candidates.len(), 2);
    assert!(e.candidates.iter().all(|c| c.local));
    assert!(e.candidates[1].picked && !e.candidates[0].picked);
    assert_eq!(e.reach, Reach::Host);
    assert!(has(&e, "localhost"));
}

#[test]
fn an_address_not_on_this_machine_cannot_be_bound_and_names_the_lan_address() {
    let host = fixtures::laptop();
    let e = bind(&host, "192.168.0.99");
    assert_eq!(e.kind, BindKind::NotLocal);
    assert!(e.listens_on.is_empty());
    assert_eq!(e.reach, Reach::None);
    assert!(e.notes.contains(&Note::NotLocal {
        ip: ip("192.168.0.99"),
        lan: Some((ip("192.168.1.23"), "wlp2s0".into()))
    }));
}

#[test]
fn a_hostname_takes_its_first_ipv4_address_and_reports_each() {
    let host = fixtures::laptop();
    let e = expose(
        &host,
        &Target::Hostname {
            name: "laptop.local".into(),
            resolved: vec![ip("fd12:3456:789a::23"), ip("192.168.1.23"), ip("10.9.9.9")],
        },
        5000,
    );
    assert_eq!(e.bind_ip, Some(ip("192.168.1.23")));
    assert_eq!(
        e.candidates
            .iter()
            .map(|c| (c.local, c.picked))
            .collect::<Vec<_>>(),
        vec![(true, false), (true, true), (false, false)]
    );
    assert_eq!(e.kind, BindKind::Lan);
}

#[test]
fn an_interface_name_binds_its_ipv4_address() {
    let host = fixtures::laptop();
    let e = expose(
        &host,
        &Target::Interface {
            name: "wlp2s0".into(),
        },
        5000,
    );
    assert_eq!(e.bind_ip, Some(ip("192.168.1.23")));
    assert_eq!(e.reach, Reach::Lan);
    let e = expose(
        &host,
        &Target::Interface {
            name: "veth3f2a1b0".into(),
        },
        5000,
    );
    assert_eq!(e.bind_ip, None);
    assert!(has(&e, "interface_without_address"));
    assert_eq!(e.reach, Reach::None);
}

#[test]
fn docker_bridge_address_is_virtual_and_reached_by_what_routes_there() {
    let e = bind(&fixtures::laptop(), "172.17.0.1");
    assert_eq!(e.kind, BindKind::Virtual);
    // Not a URL for the phone, yet the LAN reaches it through this machine.
    assert_eq!(e.reach, Reach::Lan);
    assert!(e.listens_on[0].routed_only);
    assert!(has(&e, "virtual_address"));
    assert!(has(&e, "not_on_localhost"));
    // Windows accepts it only on the bridge's own interface.
    let mut windows = fixtures::laptop();
    windows.os = Os::Windows;
    assert_eq!(bind(&windows, "172.17.0.1").reach, Reach::Host);
}

#[test]
fn link_local_ipv6_needs_a_zone() {
    let host = fixtures::laptop();
    let e = bind(&host, "fe80::1c2a:3bff:fe4d:5e6f");
    assert!(e.listens_on.is_empty());
    assert!(has(&e, "link_local_needs_zone"));
    let e = expose(
        &host,
        &Target::Ip {
            ip: ip("fe80::1c2a:3bff:fe4d:5e6f"),
            zone: Some("wlp2s0".into()),
        },
        5000,
    );
    assert_eq!(e.kind, BindKind::LinkLocal);
    assert_eq!(e.reach, Reach::Link);
}

#[test]
fn server_public_addresses_reach_the_internet() {
    let host = fixtures::server();
    let p = primary(&host).unwrap();
    assert_eq!(p.ip, ip("5.9.10.20"));
    for addr in ["0.0.0.0", "::", "5.9.10.20", "2a01:4f8:10:20::2"] {
        let e = bind(&host, addr);
        assert_eq!(e.reach, Reach::Internet, "{addr}");
        assert_eq!(e.risk, Risk::High, "{addr}");
        assert!(has(&e, "public_address"), "{addr}");
    }
    assert_eq!(bind(&host, "5.9.10.20").kind, BindKind::Public);
    assert_eq!(bind(&host, "127.0.0.1").reach, Reach::Host);
}

#[test]
fn privileged_ports_are_named() {
    let mut host = fixtures::server();
    let e = bind_on(&host, "0.0.0.0", 80);
    assert!(e.notes.contains(&Note::PrivilegedPort {
        port: 80,
        start: 1024
    }));
    host.privileged = true;
    let e = bind_on(&host, "0.0.0.0", 80);
    assert!(has(&e, "privileged_port_allowed"));
    let e = bind_on(&host, "0.0.0.0", 1024);
    assert!(!has(&e, "privileged_port") && !has(&e, "privileged_port_allowed"));
}

#[test]
fn wsl2_nat_keeps_the_vm_off_the_lan() {
    let host = fixtures::wsl2();
    assert_eq!(role_of(&host, "eth0"), Role::WslNat);
    assert_eq!(primary(&host).unwrap().ip, ip("172.28.160.5"));
    let e = bind(&host, "0.0.0.0");
    assert_eq!(e.reach, Reach::Host);
    assert!(has(&e, "wsl_nat"));
    assert!(!bind(&host, "127.0.0.1").notes.contains(&Note::WslNat));
}

#[test]
fn full_tunnel_vpn_does_not_become_the_primary_address() {
    let host = fixtures::full_tunnel_vpn();
    assert_eq!(role_of(&host, "wg0"), Role::Vpn);
    assert_eq!(primary(&host).unwrap().ip, ip("192.168.0.42"));
    assert_eq!(full_tunnel_vpn(&host).unwrap().name, "wg0");
    assert!(full_tunnel_vpn(&fixtures::laptop()).is_none());
    let e = bind(&host, "10.64.0.2");
    assert_eq!(e.kind, BindKind::Lan);
    assert_eq!(e.reach, Reach::Lan);
    assert!(has(&e, "virtual_address"));
}

#[test]
fn ipv6_only_host_shares_its_global_address() {
    let host = fixtures::ipv6_only();
    assert_eq!(primary(&host).unwrap().ip, ip("2a01:4f8:1:2::10"));
    let e = bind(&host, "0.0.0.0");
    assert!(e.listens_on.is_empty());
    assert_eq!(e.reach, Reach::None);
    assert_eq!(bind(&host, "::").reach, Reach::Internet);
}

#[test]
fn two_hundred_interfaces() {
    let host = fixtures::many_interfaces();
    assert_eq!(host.interfaces.len(), 200);
    assert_eq!(primary(&host).unwrap().interface, "eth0");
    let e = bind(&host, "0.0.0.0");
    assert_eq!(e.listens_on.len(), 200);
    assert_eq!(e.reach, Reach::Lan);
}

#[test]
fn bridges_containers_and_hyperv_by_name_and_device() {
    use super::fixtures::iface;
    use crate::model::Device;
    let mut host = fixtures::laptop();
    host.interfaces
        .push(iface("br-0123456789ab", Device::Bridge, &["172.18.0.1/16"]));
    host.interfaces
        .push(iface("br0", Device::Bridge, &["10.10.0.1/24"]));
    host.interfaces
        .push(iface("virbr0", Device::Bridge, &["192.168.122.1/24"]));
    host.interfaces
        .push(iface("tailscale0", Device::Tun, &["100.101.102.103/32"]));
    host.interfaces.push(iface(
        "vEthernet (WSL)",
        Device::Unknown,
        &["172.20.0.1/20"],
    ));
    host.interfaces
        .push(iface("awdl0", Device::Unknown, &["fe80::1/64"]));
    assert_eq!(role_of(&host, "br-0123456789ab"), Role::ContainerBridge);
    assert_eq!(role_of(&host, "br0"), Role::VmBridge);
    assert_eq!(role_of(&host, "virbr0"), Role::VmBridge);
    assert_eq!(role_of(&host, "tailscale0"), Role::Tailnet);
    assert_eq!(role_of(&host, "vEthernet (WSL)"), Role::HyperV);
    assert_eq!(role_of(&host, "awdl0"), Role::PeerToPeer);
    // A bridge that carries the default route is the LAN itself.
    host.default_routes[0].interface = "br0".into();
    assert_eq!(role_of(&host, "br0"), Role::Network);
    // A veth that is not plugged into a bridge is a namespace's or container's uplink.
    let mut uplink = iface("eth0", Device::Veth, &["10.203.0.2/24"]);
    uplink.master = None;
    host.interfaces.push(uplink);
    assert_eq!(role_of(&host, "eth0"), Role::Network);
}

#[test]
fn urls_bracket_ipv6_drop_default_ports_and_refuse_link_local() {
    assert_eq!(
        url("http", ip("192.168.1.23"), 5000, "").as_deref(),
        Some("http://192.168.1.23:5000")
    );
    assert_eq!(
        url("http", ip("fd00::2"), 5000, "/app").as_deref(),
        Some("http://[fd00::2]:5000/app")
    );
    assert_eq!(
        url("https", ip("5.9.10.20"), 443, "").as_deref(),
        Some("https://5.9.10.20")
    );
    assert_eq!(url("http", ip("fe80::1"), 5000, ""), None);
}

#[test]
fn a_down_interface_keeps_its_address_for_this_machine_and_routed_peers() {
    // Linux keeps the local route of an address on a down interface: a bind succeeds, this
    // machine connects, and a peer that routes to it through another link connects.
    let mut host = fixtures::laptop();
    host.interfaces[1].up = false;
    let e = bind(&host, "192.168.1.23");
    assert_eq!(e.reach, Reach::Host, "no other link: only this machine");
    assert!(primary(&host).is_none(), "not a URL for a phone");
    host.interfaces.push(fixtures::iface(
        "eth0",
        Device::Ethernet,
        &["10.203.1.5/24"],
    ));
    let e = bind(&host, "192.168.1.23");
    assert_eq!(e.reach, Reach::Lan);
    assert!(e.listens_on[0].routed_only);
    assert!(e
        .notes
        .iter()
        .any(|n| matches!(n, Note::RoutedOnly { down: true, .. })));
    // Windows drops packets for an address on another interface (the strong host model).
    host.os = Os::Windows;
    assert_eq!(bind(&host, "192.168.1.23").reach, Reach::None);
}

#[test]
fn a_lan_address_on_lo_is_not_loopback() {
    let mut host = fixtures::laptop();
    host.interfaces[0]
        .addresses
        .push(IfAddress::new(ip("10.1.2.3"), 32));
    let e = bind(&host, "10.1.2.3");
    assert_ne!(e.kind, BindKind::Loopback);
    assert!(!has(&e, "loopback_only"));
    assert_eq!(e.reach, Reach::Lan);
    assert!(e.listens_on[0].routed_only);
    assert_eq!(
        e.listens_on[0].not_shareable,
        Some(NotShareable::OnLoopback)
    );
    assert!(has(&e, "routed_only"));
    // 127/8 stays this machine's: packets for it from outside are martians.
    assert_eq!(bind(&host, "127.0.0.1").reach, Reach::Host);
}

#[test]
fn tentative_and_failed_ipv6_addresses_reach_nobody() {
    let mut host = fixtures::laptop();
    let wlan = &mut host.interfaces[1];
    wlan.addresses.push(IfAddress {
        ip: ip("fd12:3456:789a::99"),
        prefix: 64,
        state: AddrState::DadFailed,
    });
    let e = bind(&host, "fd12:3456:789a::99");
    assert_eq!(e.reach, Reach::None);
    assert!(e.notes.contains(&Note::AddressNotReady {
        ip: ip("fd12:3456:789a::99"),
        failed: true
    }));
    assert!(!has(&e, "firewall_decides"));
    let all = bind(&host, "::");
    let failed = all
        .listens_on
        .iter()
        .find(|l| l.ip == ip("fd12:3456:789a::99"))
        .expect("listed, as not ready");
    assert_eq!(failed.reach, Reach::None);
    assert_eq!(failed.not_shareable, Some(NotShareable::NotReady));
    assert!(has(&all, "address_not_ready"));
}

#[test]
fn ipv4_mapped_needs_a_dual_stack_socket() {
    let mut host = fixtures::laptop();
    let e = bind(&host, "::ffff:127.0.0.1");
    assert_eq!(
        e.listens_on.len(),
        1,
        "bindv6only=0: it listens on 127.0.0.1"
    );
    assert_eq!(e.listens_on[0].ip, ip("127.0.0.1"));
    host.sysctls.bindv6only = Some(true);
    let e = bind(&host, "::ffff:127.0.0.1");
    assert!(e.listens_on.is_empty(), "EINVAL with bindv6only=1");
    assert!(has(&e, "mapped_needs_dual_stack"));
}

#[test]
fn the_loopback_broadcast_address_binds_but_reaches_nobody() {
    let host = fixtures::laptop();
    let e = bind(&host, "127.255.255.255");
    assert!(e.listens_on.is_empty());
    assert!(has(&e, "not_unicast"));
    assert!(!has(&e, "not_local"));
    // 127.0.0.0 and 127.0.0.2 answer like 127.0.0.1.
    for other in ["127.0.0.0", "127.0.0.2"] {
        let e = bind(&host, other);
        assert_eq!(e.kind, BindKind::Loopback, "{other}");
        assert_eq!(e.reach, Reach::Host, "{other}");
    }
}

#[test]
fn a_socket_tied_to_an_interface_is_reached_only_through_it() {
    use super::expose::listeners_for;
    let mut host = fixtures::laptop();
    for (n, i) in host.interfaces.iter_mut().enumerate() {
        i.index = Some(n as u32 + 1);
    }
    let on_lo = listeners_for(&host, ip("0.0.0.0"), None, Some(1));
    assert_eq!(
        on_lo.iter().map(|l| l.ip).collect::<Vec<_>>(),
        vec![ip("127.0.0.1")]
    );
    assert!(on_lo.iter().all(|l| l.reach == Reach::Host));
    // Tied to the Wi-Fi: its own address directly; docker0's too, for what arrives through the
    // Wi-Fi addressed to it (the weak host model), but never loopback.
    let on_wlan = listeners_for(&host, ip("0.0.0.0"), None, Some(2));
    assert_eq!(
        on_wlan
            .iter()
            .map(|l| (l.ip, l.reach, l.routed_only))
            .collect::<Vec<_>>(),
        vec![
            (ip("192.168.1.23"), Reach::Lan, false),
            (ip("172.17.0.1"), Reach::Lan, true)
        ]
    );
    // Tied to the Docker bridge: only what arrives through it, so no routing from the LAN.
    let on_docker = listeners_for(&host, ip("0.0.0.0"), None, Some(3));
    assert!(on_docker
        .iter()
        .all(|l| l.reach == Reach::Host && !l.routed_only));
}

#[test]
fn a_wildcard_names_the_vpn_and_the_container_networks_it_also_serves() {
    let e = bind(&fixtures::full_tunnel_vpn(), "0.0.0.0");
    assert!(e.notes.contains(&Note::AlsoVpn {
        interfaces: vec!["wg0".into()]
    }));
    assert!(!has(&e, "also_virtual"));
    let e = bind(&fixtures::laptop(), "0.0.0.0");
    assert!(!has(&e, "also_vpn"));
}

#[test]
fn a_macbook_shares_en0_and_nothing_of_its_system_interfaces() {
    let host = fixtures::macbook();
    assert_eq!(role_of(&host, "lo0"), Role::Loopback);
    assert_eq!(role_of(&host, "en0"), Role::Network);
    for utun in ["utun0", "utun1", "utun2", "utun3"] {
        assert_eq!(role_of(&host, utun), Role::SystemTunnel, "{utun}");
    }
    assert_eq!(role_of(&host, "bridge100"), Role::VmBridge);
    assert_eq!(role_of(&host, "awdl0"), Role::PeerToPeer);
    assert_eq!(role_of(&host, "llw0"), Role::PeerToPeer);
    let p = primary(&host).unwrap();
    assert_eq!((p.interface.as_str(), p.ip), ("en0", ip("192.168.1.23")));
    assert!(
        full_tunnel_vpn(&host).is_none(),
        "system tunnels are no VPN"
    );
    let notes = interfaces::host_notes(&host);
    assert!(!notes.iter().any(|n| n.code() == "full_tunnel_vpn"));
    assert!(!notes.iter().any(|n| n.code() == "no_lan_address"));
    // 0.0.0.0 reaches the LAN through en0; bridge100's address only for a device that routes
    // to the VM network through this Mac (the weak host model); awdl0 only on its link.
    let e = bind(&host, "0.0.0.0");
    assert_eq!(e.reach, Reach::Lan);
    let reach_of = |name: &str| {
        e.listens_on
            .iter()
            .find(|l| l.interface == name)
            .map(|l| (l.reach, l.routed_only))
    };
    assert_eq!(reach_of("en0"), Some((Reach::Lan, false)));
    assert_eq!(reach_of("bridge100"), Some((Reach::Lan, true)));
    // The same name on Linux would be a VPN: the rule is macOS's.
    let mut linux = host.clone();
    linux.os = Os::Linux;
    assert_eq!(role_of(&linux, "utun0"), Role::Vpn);
}

#[test]
fn a_macbook_on_a_full_tunnel_vpn_still_shares_its_wifi_address() {
    let host = fixtures::macbook_vpn();
    assert_eq!(role_of(&host, "utun4"), Role::Vpn, "routable addresses");
    assert_eq!(role_of(&host, "utun3"), Role::SystemTunnel);
    assert_eq!(
        full_tunnel_vpn(&host).map(|i| i.name.as_str()),
        Some("utun4")
    );
    let p = primary(&host).unwrap();
    assert_eq!((p.interface.as_str(), p.ip), ("en0", ip("192.168.1.23")));
    assert!(interfaces::host_notes(&host)
        .iter()
        .any(|n| n.code() == "full_tunnel_vpn"));
}

#[test]
fn macos_lets_anyone_bind_low_ports_on_the_wildcard_only() {
    let host = fixtures::macbook();
    let note = |e: &Exposure| {
        e.notes.iter().find_map(|n| match n {
            Note::LowPortSpecificAddress { allowed, .. } => Some(*allowed),
            _ => None,
        })
    };
    assert_eq!(note(&bind_on(&host, "0.0.0.0", 80)), Some(true));
    assert_eq!(note(&bind_on(&host, "::", 80)), Some(true));
    assert_eq!(note(&bind_on(&host, "127.0.0.1", 80)), Some(false));
    assert_eq!(note(&bind_on(&host, "192.168.1.23", 443)), Some(false));
    assert_eq!(note(&bind_on(&host, "127.0.0.1", 5000)), None);
    assert!(!has(&bind_on(&host, "0.0.0.0", 80), "privileged_port"));
    // Linux asks for the privilege whatever the address.
    let linux = fixtures::laptop();
    assert!(has(&bind_on(&linux, "0.0.0.0", 80), "privileged_port"));
    let mut root = host.clone();
    root.privileged = true;
    assert!(has(
        &bind_on(&root, "127.0.0.1", 80),
        "privileged_port_allowed"
    ));
}
