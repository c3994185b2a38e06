//! What macOS hands over as bytes and text, parsed: the socket tables of
//! `sysctlbyname("net.inet.{tcp,udp}.pcblist_n")` (what `netstat` reads, complete without root),
//! libproc's descriptor lists, socket records and process records, and `route -n get default`.
//! Kept free of `cfg` so that every layout is tested on Linux from fixtures; the calls that
//! fetch the bytes live in `macos/sys.rs`.
//!
//! Layouts follow XNU's headers (bsd/netinet/in_pcb.h, bsd/sys/socketvar.h,
//! bsd/netinet/tcp_var.h, bsd/sys/proc_info.h): the `_n` records are `#pragma pack(4)`, each
//! starts with its length and kind, and each is padded to 8 bytes (netstat's `ROUNDUP64`).
//! Numbers are little-endian (Darwin runs on arm64 and x86_64 only); ports and addresses are in
//! network order.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::model::{Proto, SockState};

// Record kinds (bsd/sys/socketvar.h).
pub const XSO_SOCKET: u32 = 0x001;
pub const XSO_RCVBUF: u32 = 0x002;
pub const XSO_SNDBUF: u32 = 0x004;
pub const XSO_STATS: u32 = 0x008;
pub const XSO_INPCB: u32 = 0x010;
pub const XSO_TCPCB: u32 = 0x020;

/// `struct xinpgen`: the table's header and trailer.
const XINPGEN_LEN: usize = 24;
/// The parts of `xsocket_n` read here end with `so_last_pid` (offset 68).
const XSOCKET_MIN: usize = 72;
/// The parts of `xinpcb_n` read here end with the local address (offset 80).
const XINPCB_MIN: usize = 80;
/// `t_state` of `xtcpcb_n` sits at 36 (after `t_segq`, `t_dupacks`, 4 timers).
const XTCPCB_MIN: usize = 40;

const INP_IPV6: u8 = 0x2;
const IN6P_IPV6_V6ONLY: u32 = 0x8000;

/// One internet socket as the kernel's table shows it, with the handles libproc reports too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pcb {
    pub proto: Proto,
    pub local: SocketAddr,
    pub remote: Option<SocketAddr>,
    pub state: SockState,
    pub v6only: Option<bool>,
    /// The socket's handle (`xso_so`, hashed by the kernel as libproc's `soi_so` is).
    pub so: u64,
    /// The protocol control block's handle (`so_pcb`, libproc's `soi_pcb`).
    pub pcb: u64,
    pub uid: u32,
    /// The last process that used the socket (`so_last_pid`), 0 when none.
    pub last_pid: u32,
}

/// `ROUNDUP64` of netstat's inet.c: records are padded to 8 bytes, and an empty one takes 8.
pub fn roundup64(len: usize) -> usize {
    if len == 0 {
        8
    } else {
        1 + ((len - 1) | 7)
    }
}

fn u16_be(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn u32_le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes"))
}

fn u64_le(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
}

fn bad(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the kernel's socket table is not laid out as expected: {what}"),
    )
}

/// The records of one socket, as they come one after the other.
#[derive(Default)]
struct Group<'a> {
    kinds: u32,
    socket: Option<&'a [u8]>,
    inpcb: Option<&'a [u8]>,
    tcpcb: Option<&'a [u8]>,
}

/// Parses a `pcblist_n` table. Each socket is a run of records (socket, buffers, stats, inpcb,
/// tcpcb); a run ends when every kind has come or a kind comes again. Sockets not bound to a
/// port are left out; so is a run that lacks its socket or inpcb record.
pub fn parse_pcblist(buf: &[u8], proto: Proto) -> io::Result<Vec<Pcb>> {
    if buf.len() < XINPGEN_LEN {
        return Err(bad("shorter than its header"));
    }
    let head = u32_le(buf, 0) as usize;
    if head < XINPGEN_LEN || head > buf.len() {
        return Err(bad("header length"));
    }
    let all = match proto {
        Proto::Tcp => XSO_SOCKET | XSO_RCVBUF | XSO_SNDBUF | XSO_STATS | XSO_INPCB | XSO_TCPCB,
        Proto::Udp => XSO_SOCKET | XSO_RCVBUF | XSO_SNDBUF | XSO_STATS | XSO_INPCB,
    };
    let mut out = Vec::new();
    let mut group = Group::default();
    let mut at = roundup64(head);
    while at + 8 <= buf.len() {
        let len = u32_le(buf, at) as usize;
        let kind = u32_le(buf, at + 4);
        if len <= XINPGEN_LEN {
            break; // the trailing xinpgen
        }
        let record = buf
            .get(at..at + len)
            .ok_or_else(|| bad("a record runs past the end"))?;
        if group.kinds & kind != 0 {
            out.extend(finish(&std::mem::take(&mut group), proto)?);
        }
        group.kinds |= kind;
        match kind {
            XSO_SOCKET => group.socket = Some(record),
            XSO_INPCB => group.inpcb = Some(record),
            XSO_TCPCB => group.tcpcb = Some(record),
            _ => {}
        }
        if group.kinds & all == all {
            out.extend(finish(&std::mem::take(&mut group), proto)?);
        }
        at += roundup64(len);
    }
    out.extend(finish(&group, proto)?);
    Ok(out)
}

fn finish(group: &Group, proto: Proto) -> io::Result<Option<Pcb>> {
    let (Some(so), Some(inp)) = (group.socket, group.inpcb) else {
        return Ok(None);
    };
    if so.len() < XSOCKET_MIN {
        return Err(bad("a socket record is too short"));
    }
    if inp.len() < XINPCB_MIN {
        return Err(bad("an inpcb record is too short"));
    }
    let fport = u16_be(inp, 16);
    let lport = u16_be(inp, 18);
    if lport == 0 {
        return Ok(None);
    }
    let flags = u32_le(inp, 36);
    let v6 = inp[44] & INP_IPV6 != 0;
    let addr = |at: usize| -> IpAddr {
        let bytes: [u8; 16] = inp[at..at + 16].try_into().expect("sixteen bytes");
        if v6 {
            IpAddr::V6(Ipv6Addr::from(bytes))
        } else {
            IpAddr::V4(Ipv4Addr::new(bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    };
    let local = SocketAddr::new(addr(64), lport);
    let remote = (fport != 0).then(|| SocketAddr::new(addr(48), fport));
    let state = match proto {
        Proto::Udp => SockState::of_udp(remote),
        Proto::Tcp => match group.tcpcb {
            Some(t) if t.len() >= XTCPCB_MIN => tcp_state(u32_le(t, 36)),
            Some(_) => return Err(bad("a tcpcb record is too short")),
            None => SockState::Other,
        },
    };
    Ok(Some(Pcb {
        proto,
        local,
        remote,
        state,
        v6only: v6.then_some(flags & IN6P_IPV6_V6ONLY != 0),
        so: u64_le(so, 8),
        pcb: u64_le(so, 28),
        uid: u32_le(so, 64),
        last_pid: u32_le(so, 68),
    }))
}

/// XNU's `TCPS_*` (bsd/netinet/tcp_fsm.h). CLOSED with a local port is a socket bound but not
/// listening.
pub fn tcp_state(t_state: u32) -> SockState {
    match t_state {
        0 => SockState::Bound,
        1 => SockState::Listen,
        2 => SockState::SynSent,
        3 => SockState::SynRecv,
        4 => SockState::Established,
        5 => SockState::CloseWait,
        6 => SockState::FinWait1,
        7 => SockState::Closing,
        8 => SockState::LastAck,
        9 => SockState::FinWait2,
        10 => SockState::TimeWait,
        _ => SockState::Other,
    }
}

/// `PROX_FDTYPE_SOCKET` of `struct proc_fdinfo`.
const PROX_FDTYPE_SOCKET: u32 = 2;

/// The socket descriptors in a `PROC_PIDLISTFDS` answer: `proc_fdinfo` records of
/// `{ int32 proc_fd; uint32 proc_fdtype }`.
pub fn socket_fds(buf: &[u8]) -> Vec<i32> {
    buf.chunks_exact(8)
        .filter(|r| u32_le(r, 4) == PROX_FDTYPE_SOCKET)
        .map(|r| i32::from_le_bytes(r[0..4].try_into().expect("four bytes")))
        .collect()
}

/// The handles of an internet socket in a `PROC_PIDFDSOCKETINFO` answer (`socket_fdinfo`:
/// `proc_fileinfo` of 24 bytes, then `socket_info` whose `vinfo_stat` takes 136).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FdSocket {
    pub so: u64,
    pub pcb: u64,
}

pub const SOCKET_FDINFO_MIN: usize = 188;

pub fn fd_socket(buf: &[u8]) -> Option<FdSocket> {
    if buf.len() < SOCKET_FDINFO_MIN {
        return None;
    }
    let family = u32_le(buf, 184);
    // AF_INET, AF_INET6 (30 on Darwin).
    matches!(family, 2 | 30).then(|| FdSocket {
        so: u64_le(buf, 160),
        pcb: u64_le(buf, 168),
    })
}

/// What `PROC_PIDTBSDINFO` tells of a process (`struct proc_bsdinfo`, 136 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BsdInfo {
    pub pid: u32,
    pub ppid: u32,
    pub uid: u32,
    pub name: String,
    /// Microseconds since the epoch: with the pid, it tells a process from a later one that
    /// reuses its pid.
    pub start: u64,
}

pub const BSDINFO_LEN: usize = 136;

pub fn bsdinfo(buf: &[u8]) -> Option<BsdInfo> {
    if buf.len() < BSDINFO_LEN {
        return None;
    }
    let text = |range: std::ops::Range<usize>| {
        let bytes = &buf[range];
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        String::from_utf8_lossy(&bytes[..end]).into_owned()
    };
    // pbi_name (32 bytes) is the longer name; pbi_comm (16) is cut at 15 characters.
    let name = Some(text(64..96))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| text(48..64));
    Some(BsdInfo {
        pid: u32_le(buf, 12),
        ppid: u32_le(buf, 16),
        uid: u32_le(buf, 20),
        name,
        start: u64_le(buf, 120)
            .saturating_mul(1_000_000)
            .saturating_add(u64_le(buf, 128)),
    })
}

/// `struct vnode_info` (a `vinfo_stat`, its type and padding, an `fsid_t`): the bytes before
/// a `vnode_info_path`'s path.
pub const VNODE_INFO_LEN: usize = 152;
/// `MAXPATHLEN`: a `vnode_info_path`'s path field.
pub const VNODE_PATH_LEN: usize = 1024;
/// `struct proc_vnodepathinfo`: the working directory's `vnode_info_path`, then the root's.
pub const VNODEPATHINFO_LEN: usize = 2 * (VNODE_INFO_LEN + VNODE_PATH_LEN);

/// The working directory in a `proc_vnodepathinfo` (`PROC_PIDVNODEPATHINFO`): the path of its
/// first `vnode_info_path`, NUL-terminated; `None` when short or empty.
pub fn vnode_cwd(buf: &[u8]) -> Option<String> {
    let path = buf.get(VNODE_INFO_LEN..VNODE_INFO_LEN + VNODE_PATH_LEN)?;
    let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
    (end > 0).then(|| String::from_utf8_lossy(&path[..end]).into_owned())
}

/// The interface of the route `route -n get [-inet6] default` printed; `None` when there is
/// no such route ("not in table") or the answer has no interface line.
pub fn route_interface(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.trim().split_once(':'))
        .find(|(key, _)| key.trim() == "interface")
        .map(|(_, value)| value.trim().to_string())
        .filter(|name| !name.is_empty() && !name.contains(char::is_whitespace))
}

/// An integer sysctl as `sysctlbyname` gives it (a C int, little-endian: Darwin runs on arm64 and x86_64 only).
pub fn sysctl_int(buf: &[u8]) -> Option<i64> {
    match buf.len() {
        4 => Some(i64::from(i32::from_le_bytes(buf.try_into().ok()?))),
        8 => Some(i64::from_le_bytes(buf.try_into().ok()?)),
        _ => None,
    }
}

/// `net.inet.ip.portrange.first` and `.last`, when both are real ports in order.
pub fn port_range(first: Option<i64>, last: Option<i64>) -> Option<(u16, u16)> {
    let first = u16::try_from(first?).ok().filter(|&p| p > 0)?;
    let last = u16::try_from(last?).ok()?;
    (first <= last).then_some((first, last))
}

#[cfg(test)]
#[path = "macos_parse_tests.rs"]
mod tests;
