//! The ICMP error behind a failed connect, from the socket's error queue (IP_RECVERR and
//! IPV6_RECVERR, no privilege needed): "administratively prohibited" is a firewall's reject,
//! told apart from an unreachable host and from no route.

// The one place outside the Windows COM reader that needs unsafe: setsockopt and recvmsg with
// ancillary data, which no safe crate here exposes for IP_RECVERR.
#![allow(unsafe_code)]

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

use crate::model::IcmpReason;

/// Asks the kernel to queue ICMP errors for this socket.
pub fn enable(fd: BorrowedFd, ipv6: bool) -> io::Result<()> {
    let on: libc::c_int = 1;
    let (level, name) = if ipv6 {
        (libc::SOL_IPV6, libc::IPV6_RECVERR)
    } else {
        (libc::SOL_IP, libc::IP_RECVERR)
    };
    // SAFETY: a valid socket descriptor, and a c_int option value of the size given.
    let done = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The first ICMP error queued on the socket, if any (it does not block).
pub fn reason(fd: BorrowedFd) -> Option<IcmpReason> {
    let mut data = [0u8; 256];
    // cmsghdr needs the alignment of its largest field: a u64 buffer has it.
    let mut control = [0u64; 64];
    let mut iov = libc::iovec {
        iov_base: data.as_mut_ptr().cast(),
        iov_len: data.len(),
    };
    // SAFETY: msghdr is plain data; every pointer set below outlives the call.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&control) as _;
    // SAFETY: a valid descriptor and a msghdr whose buffers are ours and large enough.
    let got = unsafe {
        libc::recvmsg(
            fd.as_raw_fd(),
            &mut msg,
            libc::MSG_ERRQUEUE | libc::MSG_DONTWAIT,
        )
    };
    if got < 0 {
        return None;
    }
    // SAFETY: the kernel filled `control` with `msg_controllen` bytes of cmsgs; CMSG_* walk
    // them within that length.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            let header = &*cmsg;
            let is_error = (header.cmsg_level == libc::SOL_IP
                && header.cmsg_type == libc::IP_RECVERR)
                || (header.cmsg_level == libc::SOL_IPV6 && header.cmsg_type == libc::IPV6_RECVERR);
            let long_enough = header.cmsg_len as usize
                >= libc::CMSG_LEN(std::mem::size_of::<libc::sock_extended_err>() as u32) as usize;
            if is_error && long_enough {
                let err = libc::CMSG_DATA(cmsg)
                    .cast::<libc::sock_extended_err>()
                    .read_unaligned();
                return Some(classify(err.ee_origin, err.ee_type, err.ee_code));
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    None
}

const SO_EE_ORIGIN_ICMP: u8 = 2;
const SO_EE_ORIGIN_ICMP6: u8 = 3;

/// An ICMP (or ICMPv6) destination-unreachable's code as a reason.
fn classify(origin: u8, kind: u8, code: u8) -> IcmpReason {
    match (origin, kind, code) {
        // ICMP type 3: 9, 10 and 13 are the administratively prohibited codes.
        (SO_EE_ORIGIN_ICMP, 3, 9 | 10 | 13) => IcmpReason::AdminProhibited,
        (SO_EE_ORIGIN_ICMP, 3, 0 | 6) => IcmpReason::NetUnreachable,
        (SO_EE_ORIGIN_ICMP, 3, 1 | 7) => IcmpReason::HostUnreachable,
        (SO_EE_ORIGIN_ICMP, 3, 3) => IcmpReason::PortUnreachable,
        // ICMPv6 type 1: 1 administratively prohibited, 0 no route, 3 address, 4 port.
        // 1 administratively prohibited, 5 source address failed policy, 6 reject route.
        (SO_EE_ORIGIN_ICMP6, 1, 1 | 5 | 6) => IcmpReason::AdminProhibited,
        (SO_EE_ORIGIN_ICMP6, 1, 0) => IcmpReason::NetUnreachable,
        (SO_EE_ORIGIN_ICMP6, 1, 3) => IcmpReason::HostUnreachable,
        (SO_EE_ORIGIN_ICMP6, 1, 4) => IcmpReason::PortUnreachable,
        _ => IcmpReason::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icmp_codes_name_who_turned_it_away() {
        assert_eq!(classify(2, 3, 13), IcmpReason::AdminProhibited);
        assert_eq!(classify(2, 3, 10), IcmpReason::AdminProhibited);
        assert_eq!(classify(2, 3, 1), IcmpReason::HostUnreachable);
        assert_eq!(classify(2, 3, 3), IcmpReason::PortUnreachable);
        assert_eq!(classify(3, 1, 1), IcmpReason::AdminProhibited);
        assert_eq!(classify(3, 1, 4), IcmpReason::PortUnreachable);
        assert_eq!(classify(2, 11, 0), IcmpReason::Other);
    }
}
