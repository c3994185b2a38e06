//! Byte fixtures laid out field by field from XNU's headers (the offsets are written out here,
//! not taken from the parser), and text fixtures of `route -n get` as macOS prints it.

use std::net::SocketAddr;

use super::*;

fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
    buf[at..at + bytes.len()].copy_from_slice(bytes);
}

/// A record: `u32 len; u32 kind;` then its body, `len` bytes long.
fn record(kind: u32, len: usize) -> Vec<u8> {
    let mut r = vec![0u8; len];
    put(&mut r, 0, &(len as u32).to_le_bytes());
    put(&mut r, 4, &kind.to_le_bytes());
    r
}

/// `struct xsocket_n` (pack 4): xso_so @8, so_type @16, so_options @20, so_linger @24,
/// so_state @26, so_pcb @28, xso_protocol @36, xso_family @40, … so_uid @64,
/// so_last_pid @68, so_e_pid @72; newer kernels append more (so_gencnt, so_flags…).
fn xsocket_n(so: u64, pcb: u64, family: u32, uid: u32, last_pid: u32) -> Vec<u8> {
    let mut r = record(XSO_SOCKET, 100);
    put(&mut r, 8, &so.to_le_bytes());
    put(&mut r, 28, &pcb.to_le_bytes());
    put(&mut r, 40, &family.to_le_bytes());
    put(&mut r, 64, &uid.to_le_bytes());
    put(&mut r, 68, &last_pid.to_le_bytes());
    put(&mut r, 72, &last_pid.to_le_bytes());
    r
}

/// `struct xinpcb_n` (pack 4, 104 bytes): inp_fport @16, inp_lport @18 (network order),
/// inp_flags @36, inp_vflag @44, faddr @48, laddr @64 (an IPv4 address in the last 4 bytes).
fn xinpcb_n(local: SocketAddr, remote: Option<SocketAddr>, flags: u32, vflag: u8) -> Vec<u8> {
    let mut r = record(XSO_INPCB, 104);
    put(&mut r, 18, &local.port().to_be_bytes());
    put(&mut r, 36, &flags.to_le_bytes());
    r[44] = vflag;
    let addr = |buf: &mut Vec<u8>, at: usize, a: SocketAddr| match a {
        SocketAddr::V4(v4) => put(buf, at + 12, &v4.ip().octets()),
        SocketAddr::V6(v6) => put(buf, at, &v6.ip().octets()),
    };
    addr(&mut r, 64, local);
    if let Some(remote) = remote {
        put(&mut r, 16, &remote.port().to_be_bytes());
        addr(&mut r, 48, remote);
    }
    r
}

/// `struct xtcpcb_n`: t_segq @8, t_dupacks @16, t_timer[4] @20, t_state @36.
fn xtcpcb_n(state: u32) -> Vec<u8> {
    let mut r = record(XSO_TCPCB, 204); // not a multiple of 8: padded to 208
    put(&mut r, 36, &state.to_le_bytes());
    r
}

/// The buffers and statistics records, whose contents are not read.
fn others() -> Vec<Vec<u8>> {
    vec![
        record(XSO_RCVBUF, 32),
        record(XSO_SNDBUF, 32),
        record(XSO_STATS, 136),
    ]
}

/// `struct xinpgen` (24 bytes) before and after the records, each record padded to 8 bytes.
fn table(records: &[Vec<u8>]) -> Vec<u8> {
    let gen = |count: u32| {
        let mut g = vec![0u8; 24];
        put(&mut g, 0, &24u32.to_le_bytes());
        put(&mut g, 4, &count.to_le_bytes());
        g
    };
    let mut out = gen(records.len() as u32);
    for r in records {
        out.extend_from_slice(r);
        out.resize(out.len().next_multiple_of(8), 0);
    }
    out.extend(gen(0));
    out
}

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

const AF_INET: u32 = 2;
const AF_INET6: u32 = 30;

#[test]
fn roundup64_matches_netstat() {
    assert_eq!(roundup64(0), 8);
    assert_eq!(roundup64(1), 8);
    assert_eq!(roundup64(8), 8);
    assert_eq!(roundup64(9), 16);
    assert_eq!(roundup64(204), 208);
}

#[test]
fn a_tcp_table_gives_listeners_connections_and_bound_sockets() {
    let mut records = Vec::new();
    // Flask on 127.0.0.1:5000, uid 501, pid 4242.
    records.push(xsocket_n(0xa1, 0xb1, AF_INET, 501, 4242));
    records.extend(others());
    records.push(xinpcb_n(sa("127.0.0.1:5000"), None, 0, 0x1));
    records.push(xtcpcb_n(1));
    // AirPlay Receiver on [::]:7000, dual stack (tcp46), root's.
    records.push(xsocket_n(0xa2, 0xb2, AF_INET6, 0, 371));
    records.extend(others());
    records.push(xinpcb_n(sa("[::]:7000"), None, 0, 0x3));
    records.push(xtcpcb_n(1));
    // A browser's connection, records in another order.
    records.push(xsocket_n(0xa3, 0xb3, AF_INET, 501, 900));
    records.push(xinpcb_n(
        sa("192.168.1.23:52000"),
        Some(sa("140.82.112.3:443")),
        0,
        0x1,
    ));
    records.push(xtcpcb_n(4));
    records.extend(others());
    // An IPv6-only listener on [::1]:8000 (IPV6_V6ONLY), and a socket bound, not listening.
    records.push(xsocket_n(0xa4, 0xb4, AF_INET6, 501, 4300));
    records.extend(others());
    records.push(xinpcb_n(sa("[::1]:8000"), None, 0x8000, 0x2));
    records.push(xtcpcb_n(1));
    records.push(xsocket_n(0xa5, 0xb5, AF_INET, 501, 4301));
    records.extend(others());
    records.push(xinpcb_n(sa("0.0.0.0:5001"), None, 0, 0x1));
    records.push(xtcpcb_n(0));
    // A socket not bound yet (port 0): left out.
    records.push(xsocket_n(0xa6, 0xb6, AF_INET, 501, 4302));
    records.extend(others());
    records.push(xinpcb_n(sa("0.0.0.0:0"), None, 0, 0x1));
    records.push(xtcpcb_n(0));

    let pcbs = parse_pcblist(&table(&records), Proto::Tcp).unwrap();
    assert_eq!(pcbs.len(), 5, "{pcbs:#?}");
    assert_eq!(
        pcbs[0],
        Pcb {
            proto: Proto::Tcp,
            local: sa("127.0.0.1:5000"),
            remote: None,
            state: SockState::Listen,
            v6only: None,
            so: 0xa1,
            pcb: 0xb1,
            uid: 501,
            last_pid: 4242,
        }
    );
    assert_eq!(pcbs[1].local, sa("[::]:7000"));
    assert_eq!(pcbs[1].v6only, Some(false));
    assert_eq!(pcbs[1].uid, 0);
    assert_eq!(pcbs[2].state, SockState::Established);
    assert_eq!(pcbs[2].remote, Some(sa("140.82.112.3:443")));
    assert_eq!(pcbs[3].local, sa("[::1]:8000"));
    assert_eq!(pcbs[3].v6only, Some(true));
    assert_eq!(pcbs[4].state, SockState::Bound);
}

#[test]
fn udp_sockets_connected_to_a_peer_are_clients_not_listeners() {
    let mut records = Vec::new();
    // mDNSResponder on *:5353.
    records.push(xsocket_n(0xc1, 0xd1, AF_INET, 65, 300));
    records.extend(others());
    records.push(xinpcb_n(sa("0.0.0.0:5353"), None, 0, 0x1));
    // A QUIC client connected to its server.
    records.push(xsocket_n(0xc2, 0xd2, AF_INET6, 501, 900));
    records.extend(others());
    records.push(xinpcb_n(
        sa("[2001:db8::23]:61000"),
        Some(sa("[2001:db8:1::443]:443")),
        0,
        0x2,
    ));
    let pcbs = parse_pcblist(&table(&records), Proto::Udp).unwrap();
    assert_eq!(pcbs.len(), 2);
    assert_eq!(pcbs[0].state, SockState::Unconn);
    assert!(pcbs[0].state.is_listening());
    assert_eq!(pcbs[1].state, SockState::Established);
    assert!(!pcbs[1].state.is_listening());
    assert_eq!(pcbs[1].remote, Some(sa("[2001:db8:1::443]:443")));
}

#[test]
fn an_empty_table_is_empty_and_a_broken_one_is_an_error() {
    assert_eq!(parse_pcblist(&table(&[]), Proto::Tcp).unwrap(), Vec::new());
    assert!(parse_pcblist(&[0u8; 10], Proto::Tcp).is_err());
    // A header claiming more than there is.
    let mut t = table(&[]);
    t[0] = 200;
    assert!(parse_pcblist(&t, Proto::Tcp).is_err());
    // A record cut off by the end of the buffer.
    let mut records = vec![xsocket_n(1, 2, AF_INET, 501, 1)];
    records.push(xinpcb_n(sa("127.0.0.1:5000"), None, 0, 0x1));
    let whole = table(&records);
    let cut = &whole[..whole.len() - 24 - 50];
    assert!(parse_pcblist(cut, Proto::Udp).is_err());
    // An inpcb record too short for the fields read.
    let mut short = record(XSO_INPCB, 40);
    short.truncate(40);
    let t = table(&[xsocket_n(1, 2, AF_INET, 501, 1), short]);
    assert!(parse_pcblist(&t, Proto::Udp).is_err());
}

#[test]
fn tcp_states_follow_tcp_fsm_h() {
    let names: Vec<SockState> = (0..=11).map(tcp_state).collect();
    use SockState::*;
    assert_eq!(
        names,
        [
            Bound,
            Listen,
            SynSent,
            SynRecv,
            Established,
            CloseWait,
            FinWait1,
            Closing,
            LastAck,
            FinWait2,
            TimeWait,
            Other
        ]
    );
}

#[test]
fn descriptor_lists_keep_the_sockets() {
    // proc_fdinfo: { int32 proc_fd; uint32 proc_fdtype }: 0 1 2 vnodes, 3 a socket, 4 a
    // kqueue, 5 a socket, then a half record.
    let mut buf = Vec::new();
    for (fd, kind) in [(0i32, 1u32), (1, 1), (2, 1), (3, 2), (4, 5), (5, 2)] {
        buf.extend_from_slice(&fd.to_le_bytes());
        buf.extend_from_slice(&kind.to_le_bytes());
    }
    buf.extend_from_slice(&[9, 0, 0]);
    assert_eq!(socket_fds(&buf), [3, 5]);
    assert_eq!(socket_fds(&[]), Vec::<i32>::new());
}

#[test]
fn a_socket_fdinfo_gives_the_handles_of_internet_sockets() {
    // socket_fdinfo: proc_fileinfo (24 bytes), then socket_info: vinfo_stat (136), soi_so,
    // soi_pcb, soi_type, soi_protocol, soi_family… 792 bytes in all on 64-bit.
    let mut buf = vec![0u8; 792];
    put(&mut buf, 24 + 136, &0xa1u64.to_le_bytes());
    put(&mut buf, 24 + 144, &0xb1u64.to_le_bytes());
    put(&mut buf, 24 + 152, &1u32.to_le_bytes()); // SOCK_STREAM
    put(&mut buf, 24 + 156, &6u32.to_le_bytes()); // IPPROTO_TCP
    put(&mut buf, 24 + 160, &2u32.to_le_bytes()); // AF_INET
    assert_eq!(
        fd_socket(&buf),
        Some(FdSocket {
            so: 0xa1,
            pcb: 0xb1
        })
    );
    put(&mut buf, 24 + 160, &30u32.to_le_bytes());
    assert!(fd_socket(&buf).is_some());
    // A Unix-domain socket is no one's listener here.
    put(&mut buf, 24 + 160, &1u32.to_le_bytes());
    assert_eq!(fd_socket(&buf), None);
    assert_eq!(fd_socket(&buf[..100]), None);
}

#[test]
fn a_bsdinfo_gives_parent_user_name_and_start() {
    // proc_bsdinfo: flags, status, xstatus, pid @12, ppid @16, uid @20, gid, ruid, rgid,
    // svuid, svgid, rfu, pbi_comm[16] @48, pbi_name[32] @64, nfiles, pgid, pjobc, tdev,
    // tpgid, nice, pbi_start_tvsec @120, pbi_start_tvusec @128.
    let mut buf = vec![0u8; 136];
    put(&mut buf, 12, &4243u32.to_le_bytes());
    put(&mut buf, 16, &4242u32.to_le_bytes());
    put(&mut buf, 20, &501u32.to_le_bytes());
    put(&mut buf, 48, b"Python\0");
    put(&mut buf, 120, &1_700_000_000u64.to_le_bytes());
    put(&mut buf, 128, &250_000u64.to_le_bytes());
    let info = bsdinfo(&buf).unwrap();
    assert_eq!(
        info,
        BsdInfo {
            pid: 4243,
            ppid: 4242,
            uid: 501,
            name: "Python".into(),
            start: 1_700_000_000_250_000,
        }
    );
    // pbi_name, when set, is the longer name.
    put(&mut buf, 64, b"com.docker.backend\0");
    assert_eq!(bsdinfo(&buf).unwrap().name, "com.docker.backend");
    assert_eq!(bsdinfo(&buf[..135]), None);
}

const ROUTE_WIFI: &str = "   route to: default
destination: default
       mask: default
    gateway: 192.168.1.1
  interface: en0
      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING,GLOBAL>
 recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire
       0         0         0         0         0         0      1500         0
";

const ROUTE_VPN: &str = "   route to: default
destination: default
       mask: default
  interface: utun4
      flags: <UP,DONE,STATIC,PRCLONING,GLOBAL>
 recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire
       0         0         0         0         0         0      1400         0
";

const ROUTE_V6: &str = "   route to: ::
destination: default
       mask: default
    gateway: fe80::1%en0
  interface: en0
      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING,GLOBAL>
";

#[test]
fn route_answers_name_the_interface() {
    assert_eq!(route_interface(ROUTE_WIFI).as_deref(), Some("en0"));
    assert_eq!(route_interface(ROUTE_VPN).as_deref(), Some("utun4"));
    assert_eq!(route_interface(ROUTE_V6).as_deref(), Some("en0"));
    assert_eq!(
        route_interface("route: writing to routing socket: not in table\n"),
        None
    );
    assert_eq!(route_interface(""), None);
    assert_eq!(route_interface("  interface: \n"), None);
}

#[test]
fn sysctl_integers_and_port_ranges() {
    assert_eq!(sysctl_int(&49152i32.to_le_bytes()), Some(49152));
    assert_eq!(sysctl_int(&0i32.to_le_bytes()), Some(0));
    assert_eq!(sysctl_int(&7i64.to_le_bytes()), Some(7));
    assert_eq!(sysctl_int(&[1, 2]), None);
    assert_eq!(port_range(Some(49152), Some(65535)), Some((49152, 65535)));
    assert_eq!(port_range(Some(60000), Some(50000)), None);
    assert_eq!(port_range(Some(0), Some(50000)), None);
    assert_eq!(port_range(Some(49152), Some(70000)), None);
    assert_eq!(port_range(None, Some(65535)), None);
}

#[test]
fn a_vnodepathinfo_gives_the_working_directory() {
    let mut buf = vec![0u8; VNODEPATHINFO_LEN];
    let cwd = b"/Users/mina/app";
    buf[VNODE_INFO_LEN..VNODE_INFO_LEN + cwd.len()].copy_from_slice(cwd);
    // The root directory's path follows; it is not the working directory.
    let root = VNODE_INFO_LEN * 2 + VNODE_PATH_LEN;
    buf[root] = b'/';
    assert_eq!(vnode_cwd(&buf).as_deref(), Some("/Users/mina/app"));
    assert_eq!(vnode_cwd(&buf[..VNODE_INFO_LEN + 10]), None);
    assert_eq!(vnode_cwd(&vec![0u8; VNODEPATHINFO_LEN]), None);
}
