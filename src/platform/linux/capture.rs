//! The beacon's SYN capture, where this process may open a packet socket (root, or
//! CAP_NET_RAW): every TCP SYN that arrives for the beacon's port, seen before the firewall
//! (packet taps run before the IP layer), with its source. A classic BPF filter in the kernel
//! passes only those, so the rest of the traffic costs nothing here.

// recvfrom with a `sockaddr_ll`: the packet's interface and direction, which socket2 does not
// decode. The one call is wrapped below.
#![allow(unsafe_code)]

use std::io;
use std::mem::MaybeUninit;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, SockFilter, Socket, Type};

use crate::model::Syn;

// Classic BPF opcodes (linux/filter.h).
const LD_B_ABS: u16 = 0x30;
const LD_H_ABS: u16 = 0x28;
const LD_B_IND: u16 = 0x50;
const LD_H_IND: u16 = 0x48;
const LDX_MSH: u16 = 0xb1;
const ALU_AND: u16 = 0x54;
const JEQ: u16 = 0x15;
const JSET: u16 = 0x45;
const RET: u16 = 0x06;
/// `ETH_P_ALL`: every protocol, in network order for `socket()`.
const ETH_P_ALL: u16 = 0x0003;
const PACKET_OUTGOING: u8 = 4;
/// The bytes kept of a packet: the IP header (IPv6 without extension headers) and TCP's ports
/// and flags.
const SNAP: u32 = 96;

/// A SOCK_DGRAM packet socket's filter (its data starts at the IP header), as `(code, jt, jf,
/// k)`: it passes IPv4 and IPv6 TCP segments to `port` with SYN set and ACK clear (IPv4 first
/// fragments; IPv6 without extension headers), at most `SNAP` bytes of each, nothing else.
/// Jumps go forward only, counted from the next instruction.
fn program(port: u16) -> Vec<(u16, u8, u8, u32)> {
    let port = u32::from(port);
    vec![
        (LD_B_ABS, 0, 0, 0),   // 0: A = the first byte
        (ALU_AND, 0, 0, 0xf0), // 1: A = the version, shifted
        (JEQ, 11, 0, 0x60),    // 2: IPv6 → 14
        (JEQ, 0, 17, 0x40),    // 3: not IPv4 → drop (21)
        (LD_B_ABS, 0, 0, 9),   // 4: IPv4 protocol
        (JEQ, 0, 15, 6),       // 5: not TCP → drop
        (LD_H_ABS, 0, 0, 6),   // 6: flags and fragment offset
        (JSET, 13, 0, 0x1fff), // 7: a later fragment → drop
        (LDX_MSH, 0, 0, 0),    // 8: X = the IPv4 header's length
        (LD_H_IND, 0, 0, 2),   // 9: TCP destination port
        (JEQ, 0, 10, port),    // 10: another port → drop
        (LD_B_IND, 0, 0, 13),  // 11: TCP flags
        (ALU_AND, 0, 0, 0x12), // 12: SYN and ACK
        (JEQ, 8, 7, 0x02),     // 13: SYN alone → keep (22), else drop
        (LD_B_ABS, 0, 0, 6),   // 14: IPv6 next header
        (JEQ, 0, 5, 6),        // 15: not TCP → drop
        (LD_H_ABS, 0, 0, 42),  // 16: TCP destination port
        (JEQ, 0, 3, port),     // 17: another port → drop
        (LD_B_ABS, 0, 0, 53),  // 18: TCP flags
        (ALU_AND, 0, 0, 0x12), // 19
        (JEQ, 1, 0, 0x02),     // 20: SYN alone → keep
        (RET, 0, 0, 0),        // 21: drop
        (RET, 0, 0, SNAP),     // 22: keep
    ]
}

fn filter(port: u16) -> Vec<SockFilter> {
    program(port)
        .into_iter()
        .map(|(code, jt, jf, k)| SockFilter::new(code, jt, jf, k))
        .collect()
}

/// The SYN a packet holds, if it is one for `port` (the filter already said so; this checks
/// again, in plain code, so that a filter mistake cannot make a claim).
fn syn_in(packet: &[u8], port: u16, interface: u32) -> Option<Syn> {
    let version = packet.first()? >> 4;
    let (source, dest, tcp): (IpAddr, IpAddr, &[u8]) = match version {
        4 => {
            let header = usize::from(packet[0] & 0x0f) * 4;
            if *packet.get(9)? != 6 || header < 20 {
                return None;
            }
            let s: [u8; 4] = packet.get(12..16)?.try_into().ok()?;
            let d: [u8; 4] = packet.get(16..20)?.try_into().ok()?;
            (
                Ipv4Addr::from(s).into(),
                Ipv4Addr::from(d).into(),
                packet.get(header..)?,
            )
        }
        6 => {
            if *packet.get(6)? != 6 {
                return None;
            }
            let s: [u8; 16] = packet.get(8..24)?.try_into().ok()?;
            let d: [u8; 16] = packet.get(24..40)?.try_into().ok()?;
            (
                Ipv6Addr::from(s).into(),
                Ipv6Addr::from(d).into(),
                packet.get(40..)?,
            )
        }
        _ => return None,
    };
    let dport = u16::from_be_bytes(tcp.get(2..4)?.try_into().ok()?);
    let flags = *tcp.get(13)?;
    (dport == port && flags & 0x12 == 0x02).then_some(Syn {
        source,
        dest,
        interface,
    })
}

/// Captures SYNs to one port; `None` where no packet socket may be opened.
pub struct SynCapture {
    socket: Socket,
    port: u16,
}

impl SynCapture {
    pub fn open(port: u16) -> Option<SynCapture> {
        let protocol = Protocol::from(i32::from(ETH_P_ALL.to_be()));
        let socket = Socket::new(Domain::PACKET, Type::DGRAM, Some(protocol)).ok()?;
        socket.attach_filter(&filter(port)).ok()?;
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .ok()?;
        Some(SynCapture { socket, port })
    }

    /// The SYNs that arrive within `wait` (at most 256 a call).
    pub fn next(&mut self, wait: Duration) -> Vec<Syn> {
        let until = Instant::now() + wait;
        let mut seen = Vec::new();
        let mut buffer = [0u8; SNAP as usize];
        while Instant::now() < until && seen.len() < 256 {
            match self.receive(&mut buffer) {
                Ok((size, interface, kind)) if kind != PACKET_OUTGOING => {
                    seen.extend(syn_in(&buffer[..size], self.port, interface));
                }
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        seen
    }

    /// One packet: its length, the interface it came through and its direction.
    fn receive(&self, buffer: &mut [u8]) -> io::Result<(usize, u32, u8)> {
        let mut address = MaybeUninit::<libc::sockaddr_ll>::zeroed();
        let mut length = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
        // SAFETY: the buffer and the address are valid for the lengths given; the kernel
        // writes at most those.
        let size = unsafe {
            libc::recvfrom(
                self.socket.as_raw_fd(),
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                0,
                address.as_mut_ptr().cast(),
                &mut length,
            )
        };
        if size < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: zeroed, then filled by the kernel: every field is a plain integer.
        let address = unsafe { address.assume_init() };
        let interface = u32::try_from(address.sll_ifindex).unwrap_or(0);
        Ok((size as usize, interface, address.sll_pkttype))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4_syn(port: u16, flags: u8) -> Vec<u8> {
        let mut p = vec![0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0];
        p.extend([10, 203, 1, 2, 10, 203, 1, 1]);
        p.extend(40000u16.to_be_bytes());
        p.extend(port.to_be_bytes());
        p.extend([0; 8]);
        p.extend([0x50, flags, 0, 0, 0, 0, 0, 0]);
        p
    }

    #[test]
    fn a_syn_for_the_port_is_one_and_anything_else_is_not() {
        let syn = syn_in(&v4_syn(8000, 0x02), 8000, 3).unwrap();
        assert_eq!(syn.source, "10.203.1.2".parse::<IpAddr>().unwrap());
        assert_eq!(syn.dest, "10.203.1.1".parse::<IpAddr>().unwrap());
        assert_eq!(syn.interface, 3);
        assert_eq!(syn_in(&v4_syn(8000, 0x12), 8000, 3), None, "a SYN-ACK");
        assert_eq!(syn_in(&v4_syn(8001, 0x02), 8000, 3), None, "another port");
        assert_eq!(syn_in(&[0x45, 0], 8000, 3), None, "cut short");
    }

    #[test]
    fn the_filter_jumps_land_on_its_two_returns_or_inside_it() {
        let program = program(8000);
        let (drop, keep) = (program.len() - 2, program.len() - 1);
        for (n, &(code, jt, jf, _)) in program.iter().enumerate() {
            if code == JEQ || code == JSET {
                for off in [jt, jf] {
                    assert!(n + 1 + usize::from(off) < program.len(), "a jump at {n}");
                }
            }
        }
        // Each failing test goes to the drop; the two SYN tests go to the keep.
        assert_eq!(3 + 1 + 17, drop);
        assert_eq!(13 + 1 + 8, keep);
        assert_eq!(20 + 1 + 1, keep);
        assert_eq!(2 + 1 + 11, 14, "IPv6 starts at 14");
    }
}
