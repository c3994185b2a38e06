//! Linux: links and default routes over rtnetlink, kernel settings from /proc, sockets over
//! sock_diag and their owners from /proc/*/fd.

mod capture;
mod firewall;
pub mod icmp;
mod netlink;
mod procfs;
mod routes;
mod sockets;
#[cfg(test)]
mod test_netns;
mod watch;

/// The name of a user id (getpwuid, so users from LDAP or systemd-homed count too).
pub fn user_name(uid: u32) -> Option<String> {
    uzers::get_user_by_uid(uid).map(|u| u.name().to_string_lossy().into_owned())
}

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use netlink_packet_core::{NlasIterator, Parseable, ParseableParametrized};
use netlink_packet_route::address::{AddressAttribute, AddressHeader, AddressMessage};
use netlink_packet_route::link::{
    InfoKind, LinkAttribute, LinkExtentMask, LinkFlags, LinkHeader, LinkInfo, LinkLayerType,
    LinkMessage, State,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

/// The size of `struct ifinfomsg`, where a link's attributes begin.
const LINK_HEADER_LEN: usize = 16;
/// The size of `struct ifaddrmsg`, where an address's attributes begin.
const ADDRESS_HEADER_LEN: usize = 8;
// Address attributes we read (linux/if_addr.h).
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_FLAGS: u16 = 8;
use netlink_sys::protocols::NETLINK_ROUTE;

use super::{portable_interfaces, unix, Handle, Holder, Platform};
use crate::model::{
    AddrState, DefaultRoute, Device, EnvHints, Family, FirewallState, HolderFacts, IfAddress,
    Interface, IpCounters, KillScope, Os, Process, Signal, SignalError, Socket, SocketQuery,
    SocketTable, Sysctls, WslMode,
};

/// Linux, which overrides every default of the contract.
pub struct Current;

impl Platform for Current {
    const OS: Os = Os::Linux;

    /// Python's socketserver, Werkzeug, Node and Go all set SO_REUSEADDR on Unix.
    const SERVERS_SET_REUSEADDR: bool = true;

    fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
        sockets::socket_table(query)
    }

    /// Asks the kernel for these states on this port only.
    fn held_on(port: u16) -> io::Result<SocketTable> {
        sockets::held_on(port)
    }

    fn port_listening(port: u16, scope: KillScope) -> io::Result<bool> {
        sockets::port_listening(port, scope)
    }

    fn port_held(port: u16) -> io::Result<bool> {
        sockets::port_held(port)
    }

    fn still_holds(process: &Process, socket: &Socket) -> bool {
        procfs::still_holds(process.pid, process.start_time, socket.inode)
    }

    fn alive(pid: u32) -> bool {
        procfs::alive(pid)
    }

    fn signal(pid: u32, signal: Signal) -> Result<(), SignalError> {
        unix::signal(pid, signal)
    }

    /// The holder's /proc directory, opened and verified through it (start time, socket).
    fn open_holder(process: &Process, sockets: &[Socket]) -> Result<Handle, SignalError> {
        let inodes: Vec<u64> = sockets.iter().filter_map(|s| s.inode).collect();
        procfs::open_holder(process.pid, process.start_time, &inodes).map(Handle::Proc)
    }

    /// Verified again through the directory opened at the check, then signalled through it.
    fn signal_holder(holder: &Holder, signal: Signal) -> Result<(), SignalError> {
        let Handle::Proc(dir) = &holder.handle else {
            return Err(SignalError::Unsupported);
        };
        let inodes: Vec<u64> = holder.sockets.iter().filter_map(|s| s.inode).collect();
        procfs::verify_at(dir, holder.process.start_time, &inodes)?;
        // A container's init is never signalled, whoever asks.
        if procfs::container_init_at(dir) {
            return Err(SignalError::ContainerInit);
        }
        procfs::signal_at(dir, signal)
    }

    fn holder_running(holder: &Holder) -> bool {
        match &holder.handle {
            Handle::Proc(dir) => procfs::runs_at(dir),
            Handle::Number => false,
        }
    }

    fn holder_facts(holder: &Holder) -> HolderFacts {
        match &holder.handle {
            Handle::Proc(dir) => procfs::facts_at(dir, holder.process.start_time),
            Handle::Number => HolderFacts::default(),
        }
    }

    fn foreign_pids() -> bool {
        procfs::foreign_pids()
    }

    fn prepare_process() {
        unix::raise_descriptor_limit();
    }

    /// The interfaces' names are asked of firewalld for their zones.
    fn firewall(_program: Option<&str>) -> FirewallState {
        firewall::state(|| {
            let interfaces = netlink_interfaces().unwrap_or_default();
            interfaces.into_iter().map(|i| i.name).collect()
        })
    }

    fn env_var(pid: u32, name: &str) -> Option<String> {
        procfs::env_var(pid, name)
    }

    /// rtnetlink, or if-addrs where netlink fails (a seccomp filter, an old kernel).
    fn interfaces() -> io::Result<Vec<Interface>> {
        match netlink_interfaces() {
            Some(interfaces) => Ok(interfaces),
            None => portable_interfaces(),
        }
    }

    fn hostname() -> Option<String> {
        unix::hostname()
    }

    fn env_hints(interfaces: &[Interface]) -> EnvHints {
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

    /// One rtnetlink route lookup: local-ip-address's question without its router thread.
    fn route_source() -> Option<std::net::IpAddr> {
        routes::route_source()
    }

    /// rtnetlink, or /proc's route tables where netlink fails.
    fn default_routes() -> Vec<DefaultRoute> {
        if let Some(routes) = routes::default_routes() {
            return routes;
        }
        let mut routes = Vec::new();
        if let Some(text) = read_table("/proc/net/route") {
            routes.extend(parse_route_v4(&text));
        }
        if let Some(text) = read_table("/proc/net/ipv6_route") {
            routes.extend(parse_route_v6(&text));
        }
        routes
    }

    fn sysctls() -> Sysctls {
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

    fn neighbour_watch() -> Option<super::NeighbourWatch> {
        let mut watch = watch::NeighbourWatch::open().ok()?;
        Some(Box::new(move |wait| watch.next(wait)))
    }

    fn ip_counters() -> Option<IpCounters> {
        watch::ip_counters()
    }

    fn syn_capture(port: u16) -> Option<super::SynCapture> {
        let mut capture = capture::SynCapture::open(port)?;
        Some(Box::new(move |wait| capture.next(wait)))
    }

    /// Root, or CAP_NET_BIND_SERVICE in the effective set.
    fn privileged() -> bool {
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
}

/// Every interface with its state, kind, bridge and addresses, from one RTM_GETLINK and one
/// RTM_GETADDR dump over rtnetlink: what `ip addr` reads, with the index in every answer.
/// (getifaddrs, behind if-addrs, costs a socket and an ioctl per address to learn the index.)
/// `None` when netlink fails (a seccomp filter, an old kernel): if-addrs takes over.
fn netlink_interfaces() -> Option<Vec<Interface>> {
    let socket = netlink::open(NETLINK_ROUTE).ok()?;
    let mut get_link = LinkMessage::default();
    get_link
        .attributes
        .push(LinkAttribute::ExtMask(vec![LinkExtentMask::SkipStats]));
    let mut interfaces = Vec::new();
    let mut masters = Vec::new();
    let request = netlink::request(RouteNetlinkMessage::GetLink(get_link), 1);
    netlink::dump(&socket, &request, 1, |kind, payload| {
        if kind == RTM_NEWLINK {
            if let Some((iface, master)) = link(payload) {
                interfaces.push(iface);
                masters.push(master);
            }
        }
    })
    .ok()?;
    // A bridge port names its bridge by index; the bridge may come later in the dump.
    let names: Vec<(Option<u32>, String)> = interfaces
        .iter()
        .map(|i| (i.index, i.name.clone()))
        .collect();
    for (iface, master) in interfaces.iter_mut().zip(masters) {
        iface.master = master.and_then(|m| {
            names
                .iter()
                .find(|(n, _)| *n == Some(m))
                .map(|(_, s)| s.clone())
        });
    }

    let request = netlink::request(
        RouteNetlinkMessage::GetAddress(AddressMessage::default()),
        2,
    );
    netlink::dump(&socket, &request, 2, |kind, payload| {
        if kind != RTM_NEWADDR {
            return;
        }
        let Ok(header) = AddressHeader::parse(payload) else {
            return;
        };
        // Only the attributes we read: IFA_LABEL carries the interface's name, which need not
        // be UTF-8, and the parser would drop the whole address for it.
        let attributes: Vec<AddressAttribute> = payload
            .get(ADDRESS_HEADER_LEN..)
            .map(NlasIterator::new)
            .into_iter()
            .flatten()
            .map_while(Result::ok)
            .filter(|nla| matches!(nla.kind(), IFA_ADDRESS | IFA_LOCAL | IFA_FLAGS))
            .filter_map(|nla| AddressAttribute::parse(&nla).ok())
            .collect();
        // For IPv4, IFA_LOCAL is this end and IFA_ADDRESS the peer of a point-to-point link.
        let find = |local: bool| {
            attributes.iter().find_map(|attr| match attr {
                AddressAttribute::Local(ip) if local => Some(*ip),
                AddressAttribute::Address(ip) if !local => Some(*ip),
                _ => None,
            })
        };
        let Some(ip) = find(true).or_else(|| find(false)) else {
            return;
        };
        let Some(iface) = interfaces
            .iter_mut()
            .find(|i| i.index == Some(header.index))
        else {
            return;
        };
        // IFA_FLAGS carries all 32 bits; the header's 8 are what older kernels send.
        let flags = attributes
            .iter()
            .find_map(|attr| match attr {
                AddressAttribute::Flags(f) => Some(f.bits()),
                _ => None,
            })
            .unwrap_or(u32::from(header.flags.bits()));
        if !iface.addresses.iter().any(|x| x.ip == ip) {
            iface.addresses.push(IfAddress {
                ip,
                prefix: header.prefix_len,
                state: address_state(flags),
            });
        }
    })
    .ok()?;
    Some(interfaces)
}

const IFA_F_OPTIMISTIC: u32 = 0x04;
const IFA_F_DADFAILED: u32 = 0x08;
const IFA_F_TENTATIVE: u32 = 0x40;

/// Duplicate address detection: a tentative address cannot be bound yet, a failed one never.
/// An optimistic one (RFC 4429) may be used while the check runs.
fn address_state(flags: u32) -> AddrState {
    if flags & IFA_F_DADFAILED != 0 {
        AddrState::DadFailed
    } else if flags & IFA_F_TENTATIVE != 0 && flags & IFA_F_OPTIMISTIC == 0 {
        AddrState::Tentative
    } else {
        AddrState::Ready
    }
}

// Link attributes we read (linux/if_link.h). The rest of each ~1 kB message, IPv6 device
// settings above all, is skipped unparsed: parsing it all was half the time with 200 links.
const IFLA_IFNAME: u16 = 3;
const IFLA_MASTER: u16 = 10;
const IFLA_OPERSTATE: u16 = 16;
const IFLA_LINKINFO: u16 = 18;
const RTM_NEWLINK: u16 = 16;
const RTM_NEWADDR: u16 = 20;

/// One RTM_NEWLINK message as an interface (without addresses), and its bridge's index.
fn link(payload: &[u8]) -> Option<(Interface, Option<u32>)> {
    let header = LinkHeader::parse(payload).ok()?;
    let mut name = None;
    let mut oper = State::Unknown;
    let mut kind = None;
    let mut master = None;
    for nla in NlasIterator::new(payload.get(LINK_HEADER_LEN..)?) {
        let Ok(nla) = nla else { break };
        if !matches!(
            nla.kind(),
            IFLA_IFNAME | IFLA_MASTER | IFLA_OPERSTATE | IFLA_LINKINFO
        ) {
            continue;
        }
        if nla.kind() == IFLA_IFNAME {
            // Read as bytes: a name need not be UTF-8, and the parser would reject it.
            let value = nla.value();
            let end = value.iter().position(|&b| b == 0).unwrap_or(value.len());
            name = Some(value[..end].to_vec());
            continue;
        }
        match LinkAttribute::parse_with_param(&nla, AddressFamily::Unspec) {
            Ok(LinkAttribute::OperState(s)) => oper = s,
            Ok(LinkAttribute::Controller(i)) => master = Some(i),
            Ok(LinkAttribute::LinkInfo(infos)) => {
                kind = infos.into_iter().find_map(|i| match i {
                    LinkInfo::Kind(k) => Some(k),
                    _ => None,
                })
            }
            _ => {}
        }
    }
    let raw_name = name?;
    let name = interface_name(&raw_name);
    let up = header.flags.contains(LinkFlags::Up)
        && !matches!(
            oper,
            State::Down | State::LowerLayerDown | State::NotPresent | State::Dormant
        );
    let device = device(&raw_name, kind.as_ref(), header.link_layer_type);
    Some((
        Interface {
            name,
            index: Some(header.index),
            up,
            device,
            master: None,
            addresses: Vec::new(),
        },
        master,
    ))
}

fn device(name: &[u8], kind: Option<&InfoKind>, layer: LinkLayerType) -> Device {
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
                let sys = Path::new("/sys/class/net").join(OsStr::from_bytes(name));
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

/// An interface name as the kernel gives it, in bytes. Linux allows any byte but `/` and NUL:
/// valid UTF-8 is kept, every other byte is written `\xNN`, so that no interface (and no
/// address on it) is ever dropped, and the same bytes always give the same name.
pub fn interface_name(bytes: &[u8]) -> String {
    let mut name = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        name.push_str(chunk.valid());
        for b in chunk.invalid() {
            name.push_str(&format!("\\x{b:02x}"));
        }
    }
    name
}

/// Reads a /proc table in as few reads as it allows. These files report a size of 0, so
/// `read_to_string` starts at 32 bytes and doubles, and every read walks the kernel's table
/// again: with 200 interfaces that was most of the run time.
///
/// Interface names in it are bytes; they are read the way the link dump reads them, so that a
/// name that is not UTF-8 neither fails the read nor differs from the link's name.
fn read_table(path: &str) -> Option<String> {
    let mut file = fs::File::open(path).ok()?;
    let mut bytes = Vec::with_capacity(256 * 1024);
    file.read_to_end(&mut bytes).ok()?;
    Some(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => interface_name(e.as_bytes()),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_names_keep_every_byte() {
        assert_eq!(interface_name(b"wlp2s0"), "wlp2s0");
        assert_eq!(interface_name("인터넷".as_bytes()), "인터넷");
        assert_eq!(interface_name(b"bad\xff\xfe0"), "bad\\xff\\xfe0");
        // A name cut inside a UTF-8 sequence is written, not dropped.
        assert_eq!(interface_name(&"é".as_bytes()[..1]), "\\xc3");
        // The same bytes always give the same name: in a dump and in a table.
        let table = b"Iface\tDest\nbad\xff\t00000000\n";
        assert!(interface_name(table).contains("bad\\xff\t"));
    }

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
    fn loopback_is_found_up_with_its_address() {
        let interfaces = netlink_interfaces().expect("rtnetlink answers");
        let lo = interfaces
            .iter()
            .find(|i| i.name == "lo")
            .expect("lo is always there");
        assert_eq!(lo.device, Device::Loopback);
        assert!(lo.up);
        assert!(lo
            .addresses
            .iter()
            .any(|a| a.ip == std::net::IpAddr::from([127, 0, 0, 1]) && a.prefix == 8));
    }
}
