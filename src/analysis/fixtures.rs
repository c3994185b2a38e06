//! Machines described by hand, for unit and snapshot tests: the same on every computer.

use crate::model::{
    DefaultRoute, Device, EnvHints, Family, Host, IfAddress, Interface, Os, Process, Proto,
    SockState, Socket, SocketTable, Sysctls, WslMode,
};

pub fn iface(name: &str, device: Device, addrs: &[&str]) -> Interface {
    Interface {
        name: name.to_string(),
        index: None,
        up: true,
        device,
        master: None,
        addresses: addrs
            .iter()
            .map(|a| {
                let (ip, prefix) = a.split_once('/').expect("fixture address has a prefix");
                IfAddress::new(
                    ip.parse().expect("fixture ip"),
                    prefix.parse().expect("fixture prefix"),
                )
            })
            .collect(),
    }
}

fn lo() -> Interface {
    iface("lo", Device::Loopback, &["127.0.0.1/8", "::1/128"])
}

fn route(interface: &str, family: Family, metric: u32) -> DefaultRoute {
    DefaultRoute {
        interface: interface.to_string(),
        family,
        metric,
    }
}

fn linux_sysctls() -> Sysctls {
    Sysctls {
        bindv6only: Some(false),
        unprivileged_port_start: Some(1024),
        ephemeral_range: Some((32768, 60999)),
        nonlocal_bind: Some(false),
    }
}

fn linux(hostname: &str, interfaces: Vec<Interface>, routes: Vec<DefaultRoute>) -> Host {
    Host {
        hostname: Some(hostname.to_string()),
        os: Os::Linux,
        interfaces,
        default_routes: routes,
        route_source: None,
        sysctls: linux_sysctls(),
        env: EnvHints::default(),
        privileged: false,
        excluded_ports: Vec::new(),
    }
}

/// A student's laptop on home Wi-Fi, Docker installed with one container running.
pub fn laptop() -> Host {
    let mut veth = iface("veth3f2a1b0", Device::Veth, &[]);
    veth.master = Some("docker0".into());
    let mut host = linux(
        "laptop",
        vec![
            lo(),
            iface(
                "wlp2s0",
                Device::Wireless,
                &[
                    "192.168.1.23/24",
                    "fd12:3456:789a::23/64",
                    "fe80::1c2a:3bff:fe4d:5e6f/64",
                ],
            ),
            iface("docker0", Device::Bridge, &["172.17.0.1/16"]),
            veth,
        ],
        vec![route("wlp2s0", Family::Ipv4, 600)],
    );
    host.route_source = "192.168.1.23".parse().ok();
    host
}

/// A rented server with a public IPv4 and a global IPv6 address.
pub fn server() -> Host {
    linux(
        "web1",
        vec![
            lo(),
            iface(
                "eth0",
                Device::Ethernet,
                &[
                    "5.9.10.20/26",
                    "2a01:4f8:10:20::2/64",
                    "fe80::9400:ff:fe12:3456/64",
                ],
            ),
        ],
        vec![
            route("eth0", Family::Ipv4, 0),
            route("eth0", Family::Ipv6, 1024),
        ],
    )
}

/// Ubuntu in WSL2 with the default NAT networking.
pub fn wsl2() -> Host {
    let mut host = linux(
        "DESKTOP-1234",
        vec![lo(), iface("eth0", Device::Ethernet, &["172.28.160.5/20"])],
        vec![route("eth0", Family::Ipv4, 0)],
    );
    host.env.wsl = Some(WslMode::Nat);
    host
}

/// A laptop on Wi-Fi with a WireGuard full tunnel: `local_ip()` answers with the VPN address.
pub fn full_tunnel_vpn() -> Host {
    let mut host = linux(
        "laptop",
        vec![
            lo(),
            iface("wlan0", Device::Wireless, &["192.168.0.42/24"]),
            iface("wg0", Device::Wireguard, &["10.64.0.2/32"]),
        ],
        vec![route("wlan0", Family::Ipv4, 600)],
    );
    host.route_source = "10.64.0.2".parse().ok();
    host
}

/// A MacBook on home Wi-Fi, as `ifconfig` shows one: lo0; en0 (Wi-Fi) with the default routes;
/// utun0..3, macOS's own tunnels with only link-local addresses; bridge100 of a UTM/Apple
/// Virtualization VM (Internet Sharing uses it too); awdl0 and llw0 (AirDrop, peer to peer);
/// anpi0, an internal link with a link-local address; ap1, the Wi-Fi access point, down.
pub fn macbook() -> Host {
    let mut ap1 = iface("ap1", Device::Unknown, &[]);
    ap1.up = false;
    let mut anpi0 = iface("anpi0", Device::Unknown, &["fe80::7c1a:44ff:fe10:2a01/64"]);
    anpi0.up = false;
    Host {
        hostname: Some("Minjis-MacBook-Air.local".to_string()),
        os: Os::Macos,
        interfaces: vec![
            iface(
                "lo0",
                Device::Loopback,
                &["127.0.0.1/8", "::1/128", "fe80::1/64"],
            ),
            iface(
                "en0",
                Device::Unknown,
                &[
                    "192.168.1.23/24",
                    "fe80::18a2:c3ff:fe4b:9d10/64",
                    "fd12:3456:789a::23/64",
                ],
            ),
            iface("utun0", Device::Unknown, &["fe80::a1b2:c3d4:e5f6:1/64"]),
            iface("utun1", Device::Unknown, &["fe80::a1b2:c3d4:e5f6:2/64"]),
            iface("utun2", Device::Unknown, &["fe80::a1b2:c3d4:e5f6:3/64"]),
            iface("utun3", Device::Unknown, &["fe80::ce81:b1c:bd2c:69e/64"]),
            iface(
                "bridge100",
                Device::Unknown,
                &["192.168.64.1/24", "fe80::1867:4fff:fe2a:6464/64"],
            ),
            iface("awdl0", Device::Unknown, &["fe80::8c4f:2aff:fe11:9b3c/64"]),
            iface("llw0", Device::Unknown, &["fe80::8c4f:2aff:fe11:9b3c/64"]),
            anpi0,
            ap1,
        ],
        default_routes: vec![route("en0", Family::Ipv4, 0), route("en0", Family::Ipv6, 0)],
        route_source: "192.168.1.23".parse().ok(),
        sysctls: Sysctls {
            bindv6only: Some(false),
            unprivileged_port_start: Some(1024),
            ephemeral_range: Some((49152, 65535)),
            nonlocal_bind: None,
        },
        env: EnvHints::default(),
        privileged: false,
        excluded_ports: Vec::new(),
    }
}

/// The same MacBook with a full-tunnel VPN (WireGuard's utun4): the default route and the
/// source of outgoing traffic are the tunnel's.
pub fn macbook_vpn() -> Host {
    let mut host = macbook();
    host.interfaces.push(iface(
        "utun4",
        Device::Unknown,
        &["10.8.0.2/32", "fe80::1:2:3:4/64"],
    ));
    host.default_routes = vec![route("utun4", Family::Ipv4, 0)];
    host.route_source = "10.8.0.2".parse().ok();
    host
}

/// A host on an IPv6-only network.
pub fn ipv6_only() -> Host {
    linux(
        "v6box",
        vec![
            iface("lo", Device::Loopback, &["::1/128"]),
            iface(
                "eth0",
                Device::Ethernet,
                &["2a01:4f8:1:2::10/64", "fe80::1/64"],
            ),
        ],
        vec![route("eth0", Family::Ipv6, 1024)],
    )
}

/// 200 interfaces: lo, 198 dummies with private addresses, and the uplink somewhere in the
/// middle.
pub fn many_interfaces() -> Host {
    let mut interfaces = vec![lo()];
    for n in 0..199u32 {
        if n == 150 {
            interfaces.push(iface("eth0", Device::Ethernet, &["192.168.50.10/24"]));
            continue;
        }
        let addr = format!("10.203.{}.{}/24", n / 200, n % 200 + 1);
        interfaces.push(iface(&format!("dummy{n}"), Device::Dummy, &[addr.as_str()]));
    }
    linux("many", interfaces, vec![route("eth0", Family::Ipv4, 100)])
}

fn socket(
    proto: Proto,
    addr: &str,
    state: SockState,
    v6only: Option<bool>,
    uid: u32,
    pids: &[u32],
) -> Socket {
    Socket {
        proto,
        local: addr.parse().expect("fixture socket address"),
        remote: None,
        state,
        v6only,
        device: None,
        uid: Some(uid),
        inode: Some(u64::from(pids.first().copied().unwrap_or(1)) * 10),
        pids: pids.to_vec(),
    }
}

fn process(pid: u32, ppid: u32, name: &str, user: &str, cmdline: &str) -> Process {
    Process {
        pid,
        ppid: Some(ppid),
        name: name.to_string(),
        uid: Some(if user == "root" { 0 } else { 1000 }),
        user: Some(user.to_string()),
        cmdline: Some(cmdline.to_string()),
        start_time: Some(u64::from(pid)),
    }
}

/// The laptop's listening sockets, seen with sudo: Flask with its reloader, PostgreSQL, sshd,
/// a port Docker publishes, mDNS, and WireGuard's kernel socket, which no process holds.
pub fn laptop_sockets() -> SocketTable {
    use Proto::{Tcp, Udp};
    use SockState::{Listen, Unconn};
    SocketTable {
        sockets: vec![
            socket(Tcp, "127.0.0.1:5000", Listen, None, 1000, &[4200, 4242]),
            socket(Tcp, "127.0.0.1:5432", Listen, None, 1000, &[900]),
            socket(Tcp, "[::]:22", Listen, Some(false), 0, &[812]),
            socket(Tcp, "0.0.0.0:8080", Listen, None, 0, &[1500]),
            socket(Udp, "0.0.0.0:5353", Unconn, None, 0, &[610]),
            socket(Udp, "0.0.0.0:51820", Unconn, None, 0, &[]),
        ],
        processes: vec![
            process(
                4200,
                3100,
                "python3",
                "student",
                "python3 -m flask run --reload",
            ),
            process(
                4242,
                4200,
                "python3",
                "student",
                "python3 -m flask run --reload",
            ),
            process(
                900,
                1,
                "postgres",
                "student",
                "postgres -D /home/student/db",
            ),
            process(812, 1, "sshd", "root", "sshd: /usr/sbin/sshd -D"),
            process(
                1500,
                1400,
                "docker-proxy",
                "root",
                "docker-proxy -host-port 8080",
            ),
            process(610, 1, "avahi-daemon", "root", "avahi-daemon: running"),
        ],
        owners_complete: true,
        unreadable: 0,
        protected: 0,
        users: vec![(0, "root".to_string()), (1000, "student".to_string())],
    }
}

/// The sockets on port 5000 while Flask runs there with its reloader.
pub fn flask_port() -> SocketTable {
    let mut table = laptop_sockets();
    table.sockets.retain(|s| s.local.port() == 5000);
    table.processes.retain(|p| p.name == "python3");
    table.owners_complete = true;
    table.unreadable = 0;
    table
}
