//! What Windows hands over, turned into our data by pure functions: which kind of device an
//! adapter is (from its description and IfType), and the excluded port ranges `netsh` prints.
//! Built and unit-tested on every OS, from fixtures; only Windows calls it.
#![cfg_attr(not(target_os = "windows"), allow(dead_code))]

use std::net::IpAddr;

use crate::model::{AddrState, DefaultRoute, Device, Family, IfAddress, Interface};

/// One adapter as GetAdaptersAddresses gives it, in plain data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Adapter {
    /// The name people see ("Wi-Fi", "vEthernet (WSL)").
    pub friendly_name: String,
    /// The driver's name ("VirtualBox Host-Only Ethernet Adapter").
    pub description: String,
    pub if_type: u32,
    /// OperStatus is IfOperStatusUp.
    pub up: bool,
    /// IfIndex (IPv4) and Ipv6IfIndex; 0 where that protocol is off on the adapter.
    pub index_v4: u32,
    pub index_v6: u32,
    /// The interface metrics, added to a route's metric to give the metric Windows compares.
    pub metric_v4: u32,
    pub metric_v6: u32,
    /// Unicast addresses with their on-link prefix and whether duplicate address detection
    /// passed (NL_DAD_STATE: 4 preferred, 3 deprecated are usable; 1 tentative; 2 duplicate).
    pub addresses: Vec<(IpAddr, u8, u32)>,
    pub gateways: Vec<IpAddr>,
}

/// One row of GetIpForwardTable2, in plain data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub index: u32,
    pub family: Family,
    pub prefix_len: u8,
    pub metric: u32,
}

const DAD_TENTATIVE: u32 = 1;
const DAD_DUPLICATE: u32 = 2;

/// Our interfaces from the adapters: every adapter, with or without addresses, its device told
/// by [`adapter_device`], its index the adapter's own.
pub fn interfaces(adapters: &[Adapter]) -> Vec<Interface> {
    adapters
        .iter()
        .map(|a| {
            let mut addresses: Vec<IfAddress> = Vec::new();
            for &(ip, prefix, dad) in &a.addresses {
                if addresses.iter().any(|x| x.ip == ip) {
                    continue;
                }
                let mut address = IfAddress::new(ip, prefix);
                address.state = match dad {
                    DAD_TENTATIVE => AddrState::Tentative,
                    DAD_DUPLICATE => AddrState::DadFailed,
                    _ => AddrState::Ready,
                };
                addresses.push(address);
            }
            Interface {
                name: a.friendly_name.clone(),
                index: [a.index_v4, a.index_v6].into_iter().find(|&i| i != 0),
                up: a.up,
                device: adapter_device(&a.description, a.if_type),
                master: None,
                addresses,
            }
        })
        .collect()
}

/// The default routes (prefix length 0) with the metric Windows compares: the route's plus its
/// interface's. Where the route table could not be read (`routes` is `None`), an adapter with a
/// gateway stands for a default route with its interface metric.
pub fn default_routes(adapters: &[Adapter], routes: Option<&[Route]>) -> Vec<DefaultRoute> {
    let mut out: Vec<DefaultRoute> = match routes {
        Some(routes) => routes
            .iter()
            .filter(|r| r.prefix_len == 0)
            .filter_map(|r| {
                let a = adapters.iter().find(|a| match r.family {
                    Family::Ipv4 => a.index_v4 == r.index,
                    Family::Ipv6 => a.index_v6 == r.index,
                })?;
                let interface_metric = match r.family {
                    Family::Ipv4 => a.metric_v4,
                    Family::Ipv6 => a.metric_v6,
                };
                Some(DefaultRoute {
                    interface: a.friendly_name.clone(),
                    family: r.family,
                    metric: r.metric.saturating_add(interface_metric),
                })
            })
            .collect(),
        None => adapters
            .iter()
            .flat_map(|a| {
                a.gateways.iter().map(|g| {
                    let family = Family::of(*g);
                    DefaultRoute {
                        interface: a.friendly_name.clone(),
                        family,
                        metric: match family {
                            Family::Ipv4 => a.metric_v4,
                            Family::Ipv6 => a.metric_v6,
                        },
                    }
                })
            })
            .collect(),
    };
    out.sort_by(|a, b| (a.metric, &a.interface).cmp(&(b.metric, &b.interface)));
    out.dedup();
    out
}

/// The pids that own a socket: Windows gives pid 0 to sockets nobody owns (TIME_WAIT, the
/// System Idle process) and pid 4 to the System process, which holds HTTP.sys' ports (IIS,
/// `netsh http add urlacl`) and SMB's. Neither is a program to show as the owner or to stop.
pub fn owner_pids(pids: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = pids.iter().copied().filter(|&p| p != 0 && p != 4).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// IfType values of IP_ADAPTER_ADDRESSES (ipifcons.h) that tell a device apart.
pub const IF_TYPE_ETHERNET_CSMACD: u32 = 6;
pub const IF_TYPE_PPP: u32 = 23;
pub const IF_TYPE_SOFTWARE_LOOPBACK: u32 = 24;
pub const IF_TYPE_PROP_VIRTUAL: u32 = 53;
pub const IF_TYPE_IEEE80211: u32 = 71;
pub const IF_TYPE_TUNNEL: u32 = 131;
pub const IF_TYPE_IEEE1394: u32 = 144;
pub const IF_TYPE_WWANPP: u32 = 243;
pub const IF_TYPE_WWANPP2: u32 = 244;

/// The device an adapter is. The description (the driver's name for it, in English whatever
/// the display language) tells the virtual adapters apart, which all claim to be Ethernet;
/// the IfType tells the rest.
///
/// VirtualBox's and VMware's host-only adapters carry a private address (192.168.56.1) and no
/// default route: they reach only the VMs on this machine, never a phone.
pub fn adapter_device(description: &str, if_type: u32) -> Device {
    let d = description.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| d.contains(w));
    if if_type == IF_TYPE_SOFTWARE_LOOPBACK || has(&["loopback pseudo-interface"]) {
        return Device::Loopback;
    }
    if has(&[
        "virtualbox host-only",
        "vmware virtual ethernet adapter",
        "parallels host-only",
        "parallels shared networking",
    ]) {
        return Device::HostOnly;
    }
    if has(&["wireguard"]) {
        return Device::Wireguard;
    }
    // OpenVPN's TAP-Windows (a layer-2 tunnel); Wintun (WireGuard's and OpenVPN's layer-3
    // driver, Tailscale's too), and the other VPN clients' virtual adapters.
    if has(&["tap-windows", "tap-nordvpn", "tap-protonvpn"]) {
        return Device::Tap;
    }
    if has(&[
        "wintun",
        "tailscale",
        "zerotier",
        "fortinet",
        "cisco anyconnect",
        "pangp",
        "globalprotect",
        "juniper",
    ]) {
        return Device::Tun;
    }
    // Hyper-V's switches ("Hyper-V Virtual Ethernet Adapter", under "vEthernet (…)") are told
    // by their names and their routes in the analysis; the device itself is a bridge port.
    if has(&["hyper-v virtual ethernet"]) {
        return Device::OtherVirtual;
    }
    match if_type {
        IF_TYPE_ETHERNET_CSMACD => Device::Ethernet,
        IF_TYPE_IEEE80211 => Device::Wireless,
        IF_TYPE_TUNNEL | IF_TYPE_PPP => Device::Tun,
        IF_TYPE_PROP_VIRTUAL => Device::OtherVirtual,
        IF_TYPE_WWANPP | IF_TYPE_WWANPP2 => Device::Wireless,
        IF_TYPE_IEEE1394 => Device::OtherVirtual,
        _ => Device::Unknown,
    }
}

/// The ranges in `netsh interface ipv4 show excludedportrange protocol=tcp`, whatever the
/// display language: the rows are the lines made of exactly two port numbers, start before
/// end, and an optional `*` (an administered exclusion). Headings, the dashes and the
/// footnote have words in them and are skipped.
pub fn parse_excluded_ranges(text: &str) -> Vec<(u16, u16)> {
    let mut ranges: Vec<(u16, u16)> = text
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let start: u16 = words.next()?.parse().ok()?;
            let end: u16 = words.next()?.parse().ok()?;
            match (words.next(), words.next()) {
                (None | Some("*"), None) if start <= end && start > 0 => Some((start, end)),
                _ => None,
            }
        })
        .collect();
    ranges.sort_unstable();
    ranges.dedup();
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adapter(name: &str, description: &str, if_type: u32, index: u32, metric: u32) -> Adapter {
        Adapter {
            friendly_name: name.into(),
            description: description.into(),
            if_type,
            up: true,
            index_v4: index,
            index_v6: index,
            metric_v4: metric,
            metric_v6: metric,
            ..Adapter::default()
        }
    }

    /// A student's laptop: Wi-Fi with the default route, an unplugged Ethernet port without
    /// addresses, VirtualBox's host-only adapter and WSL's Hyper-V switch.
    fn laptop() -> (Vec<Adapter>, Vec<Route>) {
        let mut wifi = adapter("Wi-Fi", "Intel(R) Wi-Fi 6 AX201 160MHz", 71, 12, 35);
        wifi.addresses = vec![
            ("192.168.0.23".parse().unwrap(), 24, 4),
            ("fe80::1c2d:3e4f:5a6b:7c8d".parse().unwrap(), 64, 4),
        ];
        wifi.gateways = vec!["192.168.0.1".parse().unwrap()];
        let mut ethernet = adapter("Ethernet", "Realtek PCIe GbE Family Controller", 6, 7, 25);
        ethernet.up = false;
        let mut vbox = adapter(
            "Ethernet 2",
            "VirtualBox Host-Only Ethernet Adapter",
            6,
            18,
            25,
        );
        vbox.addresses = vec![("192.168.56.1".parse().unwrap(), 24, 4)];
        let mut wsl = adapter(
            "vEthernet (WSL)",
            "Hyper-V Virtual Ethernet Adapter",
            6,
            40,
            15,
        );
        wsl.addresses = vec![("172.29.80.1".parse().unwrap(), 20, 4)];
        let mut lo = adapter(
            "Loopback Pseudo-Interface 1",
            "Software Loopback Interface 1",
            24,
            1,
            75,
        );
        lo.addresses = vec![
            ("127.0.0.1".parse().unwrap(), 8, 4),
            ("::1".parse().unwrap(), 128, 4),
        ];
        let routes = vec![
            Route {
                index: 12,
                family: Family::Ipv4,
                prefix_len: 0,
                metric: 0,
            },
            Route {
                index: 12,
                family: Family::Ipv4,
                prefix_len: 24,
                metric: 256,
            },
            Route {
                index: 18,
                family: Family::Ipv4,
                prefix_len: 24,
                metric: 256,
            },
            Route {
                index: 1,
                family: Family::Ipv4,
                prefix_len: 8,
                metric: 256,
            },
        ];
        (vec![wifi, ethernet, vbox, wsl, lo], routes)
    }

    #[test]
    fn every_adapter_becomes_an_interface_with_its_device_and_index() {
        let (adapters, _) = laptop();
        let ifaces = interfaces(&adapters);
        let names: Vec<&str> = ifaces.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Wi-Fi",
                "Ethernet",
                "Ethernet 2",
                "vEthernet (WSL)",
                "Loopback Pseudo-Interface 1"
            ]
        );
        assert_eq!(ifaces[0].device, Device::Wireless);
        assert_eq!(ifaces[0].index, Some(12));
        assert_eq!(ifaces[0].addresses.len(), 2);
        assert!(!ifaces[1].up && ifaces[1].addresses.is_empty());
        assert_eq!(ifaces[2].device, Device::HostOnly);
        assert_eq!(ifaces[4].device, Device::Loopback);
    }

    #[test]
    fn dad_states_are_kept() {
        let mut a = adapter("Ethernet", "x", 6, 3, 5);
        a.addresses = vec![
            ("fd00::1".parse().unwrap(), 64, 1),
            ("fd00::2".parse().unwrap(), 64, 2),
            ("fd00::3".parse().unwrap(), 64, 3),
            ("fd00::3".parse().unwrap(), 64, 4),
        ];
        let states: Vec<AddrState> = interfaces(&[a])[0]
            .addresses
            .iter()
            .map(|x| x.state)
            .collect();
        assert_eq!(
            states,
            [AddrState::Tentative, AddrState::DadFailed, AddrState::Ready]
        );
    }

    #[test]
    fn default_routes_carry_the_metric_windows_compares() {
        let (adapters, routes) = laptop();
        assert_eq!(
            default_routes(&adapters, Some(&routes)),
            vec![DefaultRoute {
                interface: "Wi-Fi".into(),
                family: Family::Ipv4,
                metric: 35
            }]
        );
        // Ethernet plugged in beside Wi-Fi: its lower interface metric wins, as on Windows.
        let mut routes = routes;
        routes.push(Route {
            index: 7,
            family: Family::Ipv4,
            prefix_len: 0,
            metric: 0,
        });
        let got = default_routes(&adapters, Some(&routes));
        assert_eq!(got[0].interface, "Ethernet");
        assert_eq!(got[0].metric, 25);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn without_a_route_table_the_gateways_stand_for_default_routes() {
        let (adapters, _) = laptop();
        assert_eq!(
            default_routes(&adapters, None),
            vec![DefaultRoute {
                interface: "Wi-Fi".into(),
                family: Family::Ipv4,
                metric: 35
            }]
        );
    }

    #[test]
    fn pid_0_and_pid_4_own_nothing() {
        assert_eq!(owner_pids(&[0]), Vec::<u32>::new());
        assert_eq!(owner_pids(&[4, 0, 8120, 8120, 7004]), vec![7004, 8120]);
    }

    /// The laptop through the analysis: Wi-Fi is primary, VirtualBox's adapter is a VM bridge
    /// (no LAN URL), and the Hyper-V switch is not for the phone.
    #[test]
    fn the_laptop_shares_its_wi_fi_address_only() {
        use crate::analysis::interfaces::{primary, role, shareable};
        use crate::analysis::vocab::Role;
        let (adapters, routes) = laptop();
        let host = crate::model::Host {
            hostname: None,
            os: crate::model::Os::Windows,
            interfaces: interfaces(&adapters),
            default_routes: default_routes(&adapters, Some(&routes)),
            route_source: Some("192.168.56.1".parse().unwrap()),
            ..crate::model::Host::default()
        };
        let p = primary(&host).unwrap();
        assert_eq!(
            (p.interface.as_str(), p.ip.to_string().as_str()),
            ("Wi-Fi", "192.168.0.23")
        );
        let vbox = host.interface("Ethernet 2").unwrap();
        assert_eq!(role(&host, vbox), Role::VmBridge);
        assert!(!shareable(&host, "192.168.56.1".parse().unwrap()));
        assert_eq!(
            role(&host, host.interface("vEthernet (WSL)").unwrap()),
            Role::HyperV
        );
        assert!(shareable(&host, "192.168.0.23".parse().unwrap()));
    }

    #[test]
    fn virtual_adapters_are_told_by_their_description() {
        let cases = [
            (
                "Intel(R) Ethernet Connection (7) I219-V",
                6,
                Device::Ethernet,
            ),
            ("Intel(R) Wi-Fi 6 AX201 160MHz", 71, Device::Wireless),
            (
                "Realtek RTL8852BE WiFi 6 802.11ax PCIe Adapter",
                71,
                Device::Wireless,
            ),
            ("Software Loopback Interface 1", 24, Device::Loopback),
            ("VirtualBox Host-Only Ethernet Adapter", 6, Device::HostOnly),
            (
                "VirtualBox Host-Only Ethernet Adapter #2",
                6,
                Device::HostOnly,
            ),
            (
                "VMware Virtual Ethernet Adapter for VMnet8",
                6,
                Device::HostOnly,
            ),
            (
                "VMware Virtual Ethernet Adapter for VMnet1",
                6,
                Device::HostOnly,
            ),
            ("Hyper-V Virtual Ethernet Adapter", 6, Device::OtherVirtual),
            (
                "Hyper-V Virtual Ethernet Adapter #3",
                6,
                Device::OtherVirtual,
            ),
            ("WireGuard Tunnel", 53, Device::Wireguard),
            ("TAP-Windows Adapter V9", 6, Device::Tap),
            ("Wintun Userspace Tunnel", 53, Device::Tun),
            ("Tailscale Tunnel", 53, Device::Tun),
            ("Microsoft Teredo Tunneling Adapter", 131, Device::Tun),
            (
                "Microsoft Wi-Fi Direct Virtual Adapter",
                71,
                Device::Wireless,
            ),
            (
                "Bluetooth Device (Personal Area Network)",
                6,
                Device::Ethernet,
            ),
            ("Something new", 1, Device::Unknown),
        ];
        for (description, if_type, device) in cases {
            assert_eq!(
                adapter_device(description, if_type),
                device,
                "{description}"
            );
        }
    }

    #[test]
    fn excluded_ranges_are_read_in_english() {
        let text = "\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n\
                    ----------    --------\r\n      1080        1179\r\n      5357        5357\r\n\
                    \x20    50000       50059     *\r\n\r\n* - Administered port exclusions.\r\n\r\n";
        assert_eq!(
            parse_excluded_ranges(text),
            vec![(1080, 1179), (5357, 5357), (50000, 50059)]
        );
    }

    #[test]
    fn excluded_ranges_are_read_in_any_display_language() {
        let korean = "\n프로토콜 tcp 포트 제외 범위\n\n시작 포트    끝 포트\n----------    --------\n\
                      \x20     4990        5089\n     50000       50059     *\n\n* - 관리되는 포트 제외입니다.\n";
        assert_eq!(
            parse_excluded_ranges(korean),
            vec![(4990, 5089), (50000, 50059)]
        );
        let german = "Protokoll tcp Portausschlussbereiche\n\nStartport    Endport\n\
                      ----------    --------\n      5000        5000\n\n* - Verwaltete Portausschlüsse.\n";
        assert_eq!(parse_excluded_ranges(german), vec![(5000, 5000)]);
    }

    #[test]
    fn lines_that_are_not_rows_are_skipped() {
        let text = "1 2 3\n5000 4000\n0 10\n70000 70001\nabc def\n2000\n3000 3001 x\n";
        assert_eq!(parse_excluded_ranges(text), Vec::new());
        assert_eq!(parse_excluded_ranges(""), Vec::new());
    }
}
