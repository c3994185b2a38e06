//! Netlink dumps: one request, every answer handed over as it is read, no answer kept. And
//! single questions (a route lookup): one request, one answer.

use std::io;

use netlink_packet_core::{
    NetlinkBuffer, NetlinkDeserializable, NetlinkHeader, NetlinkMessage, NetlinkPayload,
    NetlinkSerializable, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_sys::{Socket, SocketAddr};

pub fn open(protocol: isize) -> io::Result<Socket> {
    let mut socket = Socket::new(protocol)?;
    socket.bind_auto()?;
    socket.connect(&SocketAddr::new(0, 0))?;
    Ok(socket)
}

pub const REQUEST: u16 = 1;
pub const DUMP: u16 = 0x300;

/// A message's header (`nlmsghdr`) for a message of `length` bytes in all, room made for the
/// rest: what the hand-built requests start with.
pub fn header(length: usize, kind: u16, flags: u16, sequence: u32) -> Vec<u8> {
    let mut buf = Vec::with_capacity(length);
    buf.extend_from_slice(&(length as u32).to_ne_bytes());
    buf.extend_from_slice(&kind.to_ne_bytes());
    buf.extend_from_slice(&flags.to_ne_bytes());
    buf.extend_from_slice(&sequence.to_ne_bytes());
    buf.extend_from_slice(&0u32.to_ne_bytes());
    buf
}

/// A dump request, serialised.
pub fn request<T>(message: T, sequence: u32) -> Vec<u8>
where
    T: NetlinkSerializable + NetlinkDeserializable + std::fmt::Debug,
    NetlinkPayload<T>: From<T>,
{
    let mut message = NetlinkMessage::new(NetlinkHeader::default(), NetlinkPayload::from(message));
    message.header.flags = NLM_F_DUMP | NLM_F_REQUEST;
    message.header.sequence_number = sequence;
    message.finalize();
    let mut buf = vec![0; message.buffer_len()];
    message.serialize(&mut buf);
    buf
}

/// Sends a dump request and hands each answer's type and payload to `each`, until NLMSG_DONE.
pub fn dump(
    socket: &Socket,
    request: &[u8],
    sequence: u32,
    mut each: impl FnMut(u16, &[u8]),
) -> io::Result<()> {
    socket.send(request, 0)?;
    let mut receive = vec![0u8; 64 * 1024];
    // A dump ends with NLMSG_DONE; the bound keeps a misbehaving kernel from looping forever.
    for _ in 0..1_000_000 {
        let size = socket.recv(&mut &mut receive[..], 0)?;
        let mut offset = 0;
        while offset < size {
            let packet = NetlinkBuffer::new_checked(&receive[offset..size])
                .map_err(|e| io::Error::other(e.to_string()))?;
            let length = packet.length() as usize;
            if packet.sequence_number() == sequence {
                match packet.message_type() {
                    NLMSG_DONE => return Ok(()),
                    NLMSG_ERROR => return Err(io::Error::other("netlink dump refused")),
                    kind => each(kind, packet.payload()),
                }
            }
            if length == 0 {
                break;
            }
            offset += length.next_multiple_of(4);
        }
    }
    Err(io::Error::other("netlink dump did not end"))
}

/// Sends a request that is not a dump and returns its one answer's type and payload; the
/// kernel's refusal (NLMSG_ERROR with an errno) is that errno.
pub fn ask(socket: &Socket, request: &[u8], sequence: u32) -> io::Result<(u16, Vec<u8>)> {
    socket.send(request, 0)?;
    let mut receive = vec![0u8; 16 * 1024];
    // Answers to other sequence numbers (none are expected) are skipped, a bounded number.
    for _ in 0..64 {
        let size = socket.recv(&mut &mut receive[..], 0)?;
        let packet = NetlinkBuffer::new_checked(&receive[..size])
            .map_err(|e| io::Error::other(e.to_string()))?;
        if packet.sequence_number() != sequence {
            continue;
        }
        let payload = packet.payload();
        if packet.message_type() == NLMSG_ERROR {
            let code = payload
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .map_or(0, i32::from_ne_bytes);
            return Err(match code {
                0 => io::Error::other("netlink acknowledged without an answer"),
                code => io::Error::from_raw_os_error(-code),
            });
        }
        return Ok((packet.message_type(), payload.to_vec()));
    }
    Err(io::Error::other("netlink did not answer"))
}
