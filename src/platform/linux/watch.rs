//! The beacon's packet watch, without privilege: new neighbour entries (rtnetlink's neighbour
//! group: a device that sends anything to this machine first resolves its hardware address, so
//! an ARP or ND entry appears even when its SYN is dropped later) and this network namespace's
//! IP counters (`/proc/net/snmp`, `snmp6`, `netstat`).

use std::collections::HashSet;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use netlink_packet_core::NlasIterator;
use netlink_packet_route::neighbour::NeighbourMessage;
use netlink_packet_route::RouteNetlinkMessage;
use netlink_sys::protocols::NETLINK_ROUTE;
use netlink_sys::{Socket, SocketAddr};

use super::netlink;
use crate::model::{IpCounters, Sighting};

const RTM_NEWNEIGH: u16 = 28;
/// The rtnetlink multicast group of neighbour changes (`RTNLGRP_NEIGH`).
const RTNLGRP_NEIGH: u32 = 3;
/// The size of `struct ndmsg`, where a neighbour's attributes begin.
const NEIGHBOUR_HEADER_LEN: usize = 12;
const NDA_DST: u16 = 1;
const NDA_LLADDR: u16 = 2;
/// Entry states that mean a device answered or spoke: REACHABLE, STALE, DELAY, PROBE.
const NUD_LIVE: u16 = 0x02 | 0x04 | 0x08 | 0x10;
/// The state an entry is born in when the other device asked first (an ARP request or a
/// neighbour solicitation for this machine's address); one this machine resolved itself
/// (its router, say) is born REACHABLE instead.
const NUD_STALE: u16 = 0x04;

/// `NTF_ROUTER`: the entry is a router's (an IPv6 router advertisement made it).
const NTF_ROUTER: u8 = 0x80;
/// The most entries the watch remembers; past that it reports no more (a LAN that large
/// would drown the phone in others anyway).
const KNOWN_MOST: usize = 16_384;

/// One neighbour entry: its interface, address, state and hardware address. Routers'
/// entries are left out: a router that advertises itself is not a phone trying to connect.
fn neighbour(payload: &[u8]) -> Option<(u32, IpAddr, u16, Option<String>)> {
    let header = payload.get(..NEIGHBOUR_HEADER_LEN)?;
    let index = u32::from_ne_bytes(header[4..8].try_into().ok()?);
    let state = u16::from_ne_bytes(header[8..10].try_into().ok()?);
    if header[10] & NTF_ROUTER != 0 {
        return None;
    }
    let (mut ip, mut hardware) = (None, None);
    for nla in NlasIterator::new(payload.get(NEIGHBOUR_HEADER_LEN..)?) {
        let Ok(nla) = nla else { break };
        let value = nla.value();
        match nla.kind() {
            NDA_DST => {
                ip = match value.len() {
                    4 => <[u8; 4]>::try_from(value)
                        .ok()
                        .map(|b| IpAddr::V4(Ipv4Addr::from(b))),
                    16 => <[u8; 16]>::try_from(value)
                        .ok()
                        .map(|b| IpAddr::V6(Ipv6Addr::from(b))),
                    _ => None,
                }
            }
            NDA_LLADDR if !value.is_empty() => {
                let hex: Vec<String> = value.iter().map(|b| format!("{b:02x}")).collect();
                hardware = Some(hex.join(":"));
            }
            _ => {}
        }
    }
    Some((index, ip?, state, hardware))
}

/// Watches the neighbour table: each call to `next` waits up to its timeout and returns the
/// devices that asked for this machine's hardware address since, and were not known when the
/// watch began. (A device that still has it cached asks nothing, and is not seen.)
pub struct NeighbourWatch {
    socket: Socket,
    known: HashSet<(u32, IpAddr)>,
    buffer: Vec<u8>,
}

impl NeighbourWatch {
    pub fn open() -> io::Result<NeighbourWatch> {
        // Subscribe first, then read the table, so nothing between the two is missed.
        let mut socket = Socket::new(NETLINK_ROUTE)?;
        socket.bind(&SocketAddr::new(0, 0))?;
        socket.add_membership(RTNLGRP_NEIGH)?;
        socket.set_non_blocking(true)?;
        let mut known = HashSet::new();
        let dump = netlink::open(NETLINK_ROUTE)?;
        let request = netlink::request(
            RouteNetlinkMessage::GetNeighbour(NeighbourMessage::default()),
            7,
        );
        netlink::dump(&dump, &request, 7, |kind, payload| {
            if kind != RTM_NEWNEIGH {
                return;
            }
            if let Some((index, ip, state, _)) = neighbour(payload) {
                if state & NUD_LIVE != 0 {
                    known.insert((index, ip));
                }
            }
        })?;
        Ok(NeighbourWatch {
            socket,
            known,
            buffer: vec![0; 64 * 1024],
        })
    }

    pub fn next(&mut self, wait: Duration) -> Vec<Sighting> {
        let until = Instant::now() + wait;
        let mut seen = Vec::new();
        while seen.is_empty() && Instant::now() < until {
            let size = match self.socket.recv(&mut &mut self.buffer[..], 0) {
                Ok(size) => size,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                // ENOBUFS: events were lost; the next ones still count. Never spin on it.
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            let mut offset = 0;
            while offset + 16 <= size {
                let header = &self.buffer[offset..size];
                let length = u32::from_ne_bytes([header[0], header[1], header[2], header[3]]);
                let kind = u16::from_ne_bytes([header[4], header[5]]);
                let length = length as usize;
                if length < 16 || length > header.len() {
                    break;
                }
                if kind == RTM_NEWNEIGH {
                    if let Some((index, ip, state, hardware)) = neighbour(&header[16..length]) {
                        let room = self.known.len() < KNOWN_MOST;
                        let new = room && state & NUD_LIVE != 0 && self.known.insert((index, ip));
                        if new && state == NUD_STALE {
                            seen.push(Sighting {
                                ip,
                                interface: index,
                                hardware,
                            });
                        }
                    }
                }
                offset += length.next_multiple_of(4);
            }
        }
        seen
    }
}

/// The fields of a `/proc/net/snmp`-style file: a line of names and a line of values per
/// protocol, e.g. `Ip: Forwarding DefaultTTL …` then `Ip: 1 64 …`.
fn paired(text: &str, protocol: &str, field: &str) -> u64 {
    let prefix = format!("{protocol}:");
    let mut lines = text.lines().filter(|l| l.starts_with(&prefix));
    let (Some(names), Some(values)) = (lines.next(), lines.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(name, _)| *name == field)
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0)
}

/// A field of `/proc/net/snmp6`: one `name value` per line.
fn single(text: &str, field: &str) -> u64 {
    text.lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(field)).then(|| words.next()?.parse().ok())?
        })
        .unwrap_or(0)
}

/// This namespace's IP counters, IPv4 and IPv6 summed.
pub fn ip_counters() -> Option<IpCounters> {
    let snmp = std::fs::read_to_string("/proc/net/snmp").ok()?;
    let netstat = std::fs::read_to_string("/proc/net/netstat").unwrap_or_default();
    let snmp6 = std::fs::read_to_string("/proc/net/snmp6").unwrap_or_default();
    Some(counters(&snmp, &netstat, &snmp6))
}

fn counters(snmp: &str, netstat: &str, snmp6: &str) -> IpCounters {
    let v4 = |f| paired(snmp, "Ip", f);
    let v6 = |f| single(snmp6, f);
    let ext = |f| paired(netstat, "IpExt", f);
    // IPv4 packets without a route (InNoRoutes is in IpExt): not for this machine.
    // Fragments are counted each on arrival, then delivered as one packet.
    let reassembled = v4("ReasmReqds").saturating_sub(v4("ReasmOKs"))
        + v6("Ip6ReasmReqds").saturating_sub(v6("Ip6ReasmOKs"));
    let accounted = [
        v4("ForwDatagrams"),
        v4("InHdrErrors"),
        v4("InAddrErrors"),
        v4("InUnknownProtos"),
        v4("InDiscards"),
        ext("InNoRoutes"),
        v6("Ip6OutForwDatagrams"),
        v6("Ip6InHdrErrors"),
        v6("Ip6InAddrErrors"),
        v6("Ip6InUnknownProtos"),
        v6("Ip6InDiscards"),
        v6("Ip6InTruncatedPkts"),
        v6("Ip6InNoRoutes"),
    ]
    .iter()
    .sum::<u64>()
        + reassembled;
    IpCounters {
        received: v4("InReceives") + v6("Ip6InReceives"),
        delivered: v4("InDelivers") + v6("Ip6InDelivers"),
        accounted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_read_both_file_shapes() {
        let snmp = "Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers\n\
                    Ip: 1 64 100 1 2 3 0 0 80\n\
                    Tcp: RtoAlgorithm InSegs\nTcp: 1 70\n";
        let netstat = "IpExt: InNoRoutes InMcastPkts InBcastPkts\nIpExt: 7 4 5\n";
        let snmp6 = "Ip6InReceives                   	20\nIp6InDelivers                   	15\nIp6InMcastPkts 	2\n";
        let c = counters(snmp, netstat, snmp6);
        assert_eq!(c.received, 120);
        assert_eq!(c.delivered, 95);
        // Multicast and broadcast stay in: a delivered one is in InDelivers already.
        assert_eq!(c.accounted, 1 + 2 + 3 + 7);
    }

    #[test]
    fn a_neighbour_message_gives_its_address_state_and_hardware_address() {
        let mut payload = vec![2, 0, 0, 0];
        payload.extend(3u32.to_ne_bytes());
        payload.extend(0x04u16.to_ne_bytes());
        payload.extend([0, 1]);
        payload.extend(8u16.to_ne_bytes());
        payload.extend(NDA_DST.to_ne_bytes());
        payload.extend([10, 203, 1, 2]);
        payload.extend(10u16.to_ne_bytes());
        payload.extend(NDA_LLADDR.to_ne_bytes());
        payload.extend([0x02, 0, 0, 0, 0, 0x2a, 0, 0]);
        let (index, ip, state, hardware) = neighbour(&payload).unwrap();
        assert_eq!(index, 3);
        assert_eq!(ip, "10.203.1.2".parse::<IpAddr>().unwrap());
        assert_eq!(state, 0x04);
        assert_eq!(hardware.as_deref(), Some("02:00:00:00:00:2a"));
    }
}
