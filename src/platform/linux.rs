//! Linux: links over rtnetlink, routes and kernel settings from /proc.

use std::fs;
use std::path::Path;

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_route::link::{
    InfoKind, LinkAttribute, LinkFlags, LinkInfo, LinkLayerType, LinkMessage, State,
};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_sys::{protocols::NETLINK_ROUTE, Socket, SocketAddr};

use super::Link;
use crate::model::{DefaultRoute, Device, EnvHints, Family, Interface, Os, Sysctls, WslMode};

pub const OS: Os = Os::Linux;

/// Python's socketserver, Werkzeug, Node and Go all set SO_REUSEADDR on Unix.
pub const SERVERS_SET_REUSEADDR: bool = true;

/// Every link with its state, kind and bridge, from one RTM_GETLINK dump. Empty when the
/// dump fails (a seccomp filter, an old kernel): the addresses still come from getifaddrs.
pub fn links() -> Vec<Link> {
    let Ok(messages) = dump_links() else {
        return Vec::new();
    };
    let names: Vec<(u32, String)> = messages
        .iter()
        .filter_map(|m| name_of(m).map(|n| (m.header.index, n.to_string())))
        .collect();
    messages
        .iter()
        .filter_map(|m| {
            let name = name_of(m)?.to_string();
            let mut oper = State::Unknown;
            let mut kind = None;
            let mut master = None;
            for attr in &m.attributes {
                match attr {
                    LinkAttribute::OperState(s) => oper = *s,
                    LinkAttribute::Controller(i) => {
                        master = names.iter().find(|(n, _)| n == i).map(|(_, s)| s.clone())
                    }
                    LinkAttribute::LinkInfo(infos) => {
                        kind = infos.iter().find_map(|i| match i {
                            LinkInfo::Kind(k) => Some(k.clone()),
                            _ => None,
                        })
                    }
                    _ => {}
                }
            }
            let up = m.header.flags.contains(LinkFlags::Up)
                && !matches!(
                    oper,
                    State::Down | State::LowerLayerDown | State::NotPresent | State::Dormant
                );
            let device = device(&name, kind.as_ref(), m.header.link_layer_type);
            Some(Link {
                name,
                index: m.header.index,
                up,
                device,
                master,
            })
        })
        .collect()
}

fn name_of(m: &LinkMessage) -> Option<&str> {
    m.attributes.iter().find_map(|a| match a {
        LinkAttribute::IfName(n) => Some(n.as_str()),
        _ => None,
    })
}

fn device(name: &str, kind: Option<&InfoKind>, layer: LinkLayerType) -> Device {
    match kind {
        Some(InfoKind::Veth) => Device::Veth,
        Some(InfoKind::Bridge) => Device::Bridge,
        Some(InfoKind::Tun) if layer == LinkLayerType::Ether => Device::Tap,
        Some(InfoKind::Tun) => Device::Tun,
        Some(InfoKind::Wireguard) => Device::Wireguard,
        Some(InfoKind::Vlan) => Device::Vlan,
        Some(InfoKind::Bond) => Device::Bond,
        Some(InfoKind::Dummy) => Device::Dummy,
        Some(_) => Device::OtherVirtual,
        None => match layer {
            LinkLayerType::Loopback => Device::Loopback,
            LinkLayerType::Ether => {
                let sys = Path::new("/sys/class/net").join(name);
                if sys.join("wireless").exists() || sys.join("phy80211").exists() {
                    Device::Wireless
                } else {
                    Device::Ethernet
                }
            }
            LinkLayerType::None => Device::Tun,
            _ => Device::Unknown,
        },
    }
}

fn dump_links() -> std::io::Result<Vec<LinkMessage>> {
    let mut socket = Socket::new(NETLINK_ROUTE)?;
    socket.bind_auto()?;
    socket.connect(&SocketAddr::new(0, 0))?;

    let mut request = NetlinkMessage::new(
        NetlinkHeader::default(),
        NetlinkPayload::from(RouteNetlinkMessage::GetLink(LinkMessage::default())),
    );
    request.header.flags = NLM_F_DUMP | NLM_F_REQUEST;
    request.header.sequence_number = 1;
    request.finalize();
    let mut buf = vec![0; request.buffer_len()];
    request.serialize(&mut buf);
    socket.send(&buf, 0)?;

    let mut links = Vec::new();
    let mut receive = vec![0u8; 64 * 1024];
    // A dump ends with NLMSG_DONE; the bound keeps a misbehaving kernel from looping forever.
    for _ in 0..100_000 {
        let size = socket.recv(&mut &mut receive[..], 0)?;
        let mut offset = 0;
        while offset < size {
            let message: NetlinkMessage<RouteNetlinkMessage> =
                NetlinkMessage::deserialize(&receive[offset..size])
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
            let length = message.header.length as usize;
            match message.payload {
                NetlinkPayload::Done(_) => return Ok(links),
                NetlinkPayload::Error(e) => {
                    return Err(std::io::Error::other(format!("netlink: {e:?}")))
                }
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewLink(link)) => {
                    links.push(link)
                }
                _ => {}
            }
            if length == 0 {
                break;
            }
            offset += length;
        }
    }
    Err(std::io::Error::other("netlink link dump did not end"))
}

pub fn default_routes() -> Vec<DefaultRoute> {
    let mut routes = Vec::new();
    if let Ok(text) = fs::read_to_string("/proc/net/route") {
        routes.extend(parse_route_v4(&text));
    }
    if let Ok(text) = fs::read_to_string("/proc/net/ipv6_route") {
        routes.extend(parse_route_v6(&text));
    }
    routes
}

const RTF_UP: u32 = 0x1;
const RTF_REJECT: u32 = 0x200;

fn parse_route_v4(text: &str) -> Vec<DefaultRoute> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let flags = u32::from_str_radix(f.get(3)?, 16).ok()?;
            let default = *f.get(1)? == "00000000" && *f.get(7)? == "00000000";
            (default && flags & RTF_UP != 0 && flags & RTF_REJECT == 0).then(|| DefaultRoute {
                interface: f[0].to_string(),
                family: Family::Ipv4,
                metric: f[6].parse().unwrap_or(0),
            })
        })
        .collect()
}

fn parse_route_v6(text: &str) -> Vec<DefaultRoute> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let flags = u32::from_str_radix(f.get(8)?, 16).ok()?;
            let default = f[0].bytes().all(|b| b == b'0') && f[1] == "00";
            let interface = *f.get(9)?;
            (default && interface != "lo" && flags & RTF_UP != 0 && flags & RTF_REJECT == 0).then(
                || DefaultRoute {
                    interface: interface.to_string(),
                    family: Family::Ipv6,
                    metric: u32::from_str_radix(f[5], 16).unwrap_or(0),
                },
            )
        })
        .collect()
}

fn read_sysctl(path: &str) -> Option<String> {
    fs::read_to_string(Path::new("/proc/sys").join(path))
        .ok()
        .map(|s| s.trim().to_string())
}

pub fn sysctls() -> Sysctls {
    let flag = |p: &str| read_sysctl(p).map(|v| v == "1");
    Sysctls {
        bindv6only: flag("net/ipv6/bindv6only"),
        unprivileged_port_start: read_sysctl("net/ipv4/ip_unprivileged_port_start")
            .and_then(|v| v.parse().ok()),
        ephemeral_range: read_sysctl("net/ipv4/ip_local_port_range").and_then(|v| {
            let mut parts = v.split_whitespace().map(|p| p.parse::<u16>());
            match (parts.next(), parts.next()) {
                (Some(Ok(lo)), Some(Ok(hi))) => Some((lo, hi)),
                _ => None,
            }
        }),
        nonlocal_bind: flag("net/ipv4/ip_nonlocal_bind"),
    }
}

pub fn env_hints(interfaces: &[Interface]) -> EnvHints {
    let release = read_sysctl("kernel/osrelease")
        .unwrap_or_default()
        .to_lowercase();
    let wsl = (release.contains("microsoft") || release.contains("wsl")).then(|| {
        if interfaces.iter().any(|i| i.name == "loopback0") {
            WslMode::Mirrored
        } else {
            WslMode::Nat
        }
    });
    let container = if Path::new("/.dockerenv").exists() {
        Some("docker".to_string())
    } else if Path::new("/run/.containerenv").exists() {
        Some("podman".to_string())
    } else {
        std::env::var("container").ok().filter(|v| !v.is_empty())
    };
    EnvHints { wsl, container }
}

/// Root, or CAP_NET_BIND_SERVICE in the effective set.
pub fn privileged() -> bool {
    const CAP_NET_BIND_SERVICE: u32 = 10;
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("CapEff:"))
                .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        })
        .is_some_and(|caps| caps & (1 << CAP_NET_BIND_SERVICE) != 0)
}

pub fn hostname() -> Option<String> {
    let uname = rustix::system::uname();
    let name = uname.nodename().to_string_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_routes_from_proc() {
        let v4 =
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
                  eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n\
                  eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        assert_eq!(
            parse_route_v4(v4),
            vec![DefaultRoute {
                interface: "eth0".into(),
                family: Family::Ipv4,
                metric: 100
            }]
        );
        let v6 = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n\
                  fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n\
                  00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";
        assert_eq!(
            parse_route_v6(v6),
            vec![DefaultRoute {
                interface: "eth0".into(),
                family: Family::Ipv6,
                metric: 1024
            }]
        );
    }

    #[test]
    fn the_loopback_link_is_found_and_up() {
        let links = links();
        let lo = links
            .iter()
            .find(|l| l.name == "lo")
            .expect("lo is always there");
        assert_eq!(lo.device, Device::Loopback);
        assert!(lo.up);
    }
}
