//! Default routes of the main table over rtnetlink: one RTM_GETROUTE dump per family, what
//! `ip route show default` reads. (/proc/net/route and /proc/net/ipv6_route give the same in
//! text, 4 kB a read: with 1,000 interfaces, a third of `interfaces`' time.) And the source
//! address the kernel picks for outgoing traffic: one route lookup.

use std::net::{IpAddr, Ipv4Addr};

use netlink_sys::protocols::NETLINK_ROUTE;

use super::netlink;
use crate::model::{DefaultRoute, Family};

const RTM_NEWROUTE: u16 = 24;
const RTM_GETROUTE: u16 = 26;
const RTM_NEWADDR: u16 = 20;
const RTM_GETADDR: u16 = 22;
const RTA_DST: u16 = 1;
const RTA_PREFSRC: u16 = 7;
const IFA_LOCAL: u16 = 2;
const RT_SCOPE_UNIVERSE: u8 = 0;
/// An address for documentation (RFC 5737): routed like any outside address, never sent to.
const OUTSIDE: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 0);
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const RT_TABLE_MAIN: u32 = 254;
const RTN_UNICAST: u8 = 1;
/// A cached clone of a route, not a route of the table.
const RTM_F_CLONED: u32 = 0x200;
const RTA_OIF: u16 = 4;
const RTA_PRIORITY: u16 = 6;
const RTA_MULTIPATH: u16 = 9;
const RTA_TABLE: u16 = 15;
const RTA_NH_ID: u16 = 30;

/// The default routes of the main table: unicast routes to /0 (blackhole, unreachable and
/// prohibit ones lead nowhere), one per interface a route leaves through, with its metric.
/// `None` when netlink fails, or a route names its next hop by a nexthop object's id (Linux
/// 5.3's `ip nexthop`): the caller then reads /proc, which resolves those.
pub fn default_routes() -> Option<Vec<DefaultRoute>> {
    let socket = netlink::open(NETLINK_ROUTE).ok()?;
    let mut found: Vec<(u32, Family, u32)> = Vec::new();
    let mut resolved = true;
    for (sequence, family) in [(1, AF_INET), (2, AF_INET6)] {
        netlink::dump(
            &socket,
            &request(family, sequence),
            sequence,
            |kind, payload| {
                if kind != RTM_NEWROUTE {
                    return;
                }
                match route(payload) {
                    Some(Route::Default(routes)) => found.extend(routes),
                    Some(Route::ByNexthopId) => resolved = false,
                    None => {}
                }
            },
        )
        .ok()?;
    }
    if !resolved {
        return None;
    }
    Some(
        found
            .into_iter()
            .filter_map(|(index, family, metric)| {
                let interface = name_of(index)?;
                // IPv6's table keeps an unreachable default on lo; /proc's reading skipped
                // lo too.
                (family == Family::Ipv4 || interface != "lo").then_some(DefaultRoute {
                    interface,
                    family,
                    metric,
                })
            })
            .collect(),
    )
}

/// The IPv4 source address the kernel picks for traffic leaving this machine: the `src` of
/// `ip route get 192.0.2.0`. Where no route leads out, the first IPv4 address of global
/// scope. This is the question local-ip-address's `local_ip()` asks, asked here without the
/// router thread its netlink library starts (a millisecond of the overview).
pub fn route_source() -> Option<IpAddr> {
    let socket = netlink::open(NETLINK_ROUTE).ok()?;
    match netlink::ask(&socket, &lookup(OUTSIDE, 1), 1) {
        Ok((RTM_NEWROUTE, answer)) => {
            if let Some(source) = preferred_source(&answer) {
                return Some(IpAddr::V4(source));
            }
        }
        // No route out (ENETUNREACH) falls back to the addresses; anything else is unknown.
        Err(e) if e.raw_os_error() == Some(libc::ENETUNREACH) => {}
        _ => return None,
    }
    let mut first = None;
    let request = address_request(2);
    netlink::dump(&socket, &request, 2, |kind, payload| {
        if kind == RTM_NEWADDR && first.is_none() {
            first = global_address(payload);
        }
    })
    .ok()?;
    first.map(IpAddr::V4)
}

/// An RTM_GETROUTE lookup (not a dump) of one IPv4 destination: `rtmsg` with a /32
/// destination length, then RTA_DST.
fn lookup(destination: Ipv4Addr, sequence: u32) -> Vec<u8> {
    let mut buf = netlink::header(16 + 12 + 8, RTM_GETROUTE, netlink::REQUEST, sequence);
    buf.extend_from_slice(&[AF_INET, 32]);
    buf.extend_from_slice(&[0u8; 10]);
    buf.extend_from_slice(&8u16.to_ne_bytes());
    buf.extend_from_slice(&RTA_DST.to_ne_bytes());
    buf.extend_from_slice(&destination.octets());
    buf
}

/// The answer's RTA_PREFSRC, for a route of global scope (what local-ip-address accepts):
/// `rtmsg` is 12 bytes, its scope the seventh.
fn preferred_source(msg: &[u8]) -> Option<Ipv4Addr> {
    global_ipv4(msg, 12, 6, RTA_PREFSRC)
}

/// The IPv4 address in attribute `wanted` of a message whose fixed part is `header` bytes
/// long, the family first and the scope at `scope`; `None` unless it is IPv4 of global scope.
fn global_ipv4(msg: &[u8], header: usize, scope: usize, wanted: u16) -> Option<Ipv4Addr> {
    let fixed = msg.get(..header)?;
    if fixed[0] != AF_INET || fixed[scope] != RT_SCOPE_UNIVERSE {
        return None;
    }
    attributes(&msg[header..]).find_map(|(kind, value)| {
        let octets: [u8; 4] = value.get(..4)?.try_into().ok()?;
        (kind == wanted).then_some(Ipv4Addr::from(octets))
    })
}

/// An RTM_GETADDR dump request for IPv4: the header and a zeroed `ifaddrmsg` but the family.
fn address_request(sequence: u32) -> Vec<u8> {
    let flags = netlink::REQUEST | netlink::DUMP;
    let mut buf = netlink::header(16 + 8, RTM_GETADDR, flags, sequence);
    buf.push(AF_INET);
    buf.extend_from_slice(&[0u8; 7]);
    buf
}

/// One RTM_NEWADDR message (`ifaddrmsg`: family, prefix length, flags, scope, index): its
/// IFA_LOCAL if it is an IPv4 address of global scope.
fn global_address(msg: &[u8]) -> Option<Ipv4Addr> {
    global_ipv4(msg, 8, 3, IFA_LOCAL)
}

/// An RTM_GETROUTE dump request: the header and a zeroed `rtmsg` but for the family.
fn request(family: u8, sequence: u32) -> Vec<u8> {
    let flags = netlink::REQUEST | netlink::DUMP;
    let mut buf = netlink::header(16 + 12, RTM_GETROUTE, flags, sequence);
    buf.push(family);
    buf.extend_from_slice(&[0u8; 11]);
    buf
}

#[derive(Debug, PartialEq, Eq)]
enum Route {
    /// (interface index, family, metric) of each next hop.
    Default(Vec<(u32, Family, u32)>),
    /// A default route whose next hops are a nexthop object's.
    ByNexthopId,
}

/// One RTM_NEWROUTE message: `rtmsg` (family, dst_len, src_len, tos, table, protocol, scope,
/// type, flags), then attributes. `None` for anything but a default route of the main table.
fn route(msg: &[u8]) -> Option<Route> {
    let header = msg.get(..12)?;
    let family = match header[0] {
        AF_INET => Family::Ipv4,
        AF_INET6 => Family::Ipv6,
        _ => return None,
    };
    let (dst_len, kind) = (header[1], header[7]);
    let flags = u32::from_ne_bytes(header[8..12].try_into().ok()?);
    if dst_len != 0 || kind != RTN_UNICAST || flags & RTM_F_CLONED != 0 {
        return None;
    }
    let mut table = u32::from(header[4]);
    let (mut oif, mut metric, mut nexthop_id) = (None, 0, false);
    let mut multipath: Vec<u32> = Vec::new();
    for (kind, value) in attributes(&msg[12..]) {
        let word = value
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_ne_bytes);
        match kind {
            RTA_TABLE => table = word.unwrap_or(table),
            RTA_OIF => oif = word,
            RTA_PRIORITY => metric = word.unwrap_or(0),
            RTA_NH_ID => nexthop_id = true,
            RTA_MULTIPATH => multipath = next_hops(value),
            _ => {}
        }
    }
    if table != RT_TABLE_MAIN {
        return None;
    }
    let hops: Vec<u32> = match oif {
        Some(index) => vec![index],
        None if !multipath.is_empty() => multipath,
        None if nexthop_id => return Some(Route::ByNexthopId),
        None => Vec::new(),
    };
    Some(Route::Default(
        hops.into_iter().map(|i| (i, family, metric)).collect(),
    ))
}

/// `(type, value)` of each route attribute (`rtattr`: length, type, value, padded to 4).
fn attributes(mut bytes: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let len = usize::from(u16::from_ne_bytes(bytes.get(..2)?.try_into().ok()?));
        let kind = u16::from_ne_bytes(bytes.get(2..4)?.try_into().ok()?);
        let value = bytes.get(4..len)?;
        bytes = bytes.get(len.next_multiple_of(4)..).unwrap_or_default();
        Some((kind, value))
    })
}

/// The interface of each `rtnexthop` in RTA_MULTIPATH (length, flags, hops, ifindex, then its
/// own attributes).
fn next_hops(mut bytes: &[u8]) -> Vec<u32> {
    let mut hops = Vec::new();
    while let (Some(len), Some(index)) = (
        bytes
            .get(..2)
            .map(|b| usize::from(u16::from_ne_bytes([b[0], b[1]]))),
        bytes
            .get(4..8)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_ne_bytes),
    ) {
        if len < 8 {
            break;
        }
        hops.push(index);
        bytes = bytes.get(len.next_multiple_of(4)..).unwrap_or_default();
    }
    hops
}

/// An interface's name by its index: one ioctl, for the few interfaces with a default route.
#[allow(unsafe_code)] // if_indextoname(3) into a buffer of IF_NAMESIZE bytes, as it requires
fn name_of(index: u32) -> Option<String> {
    let mut buf = [0u8; libc::IF_NAMESIZE];
    // SAFETY: the buffer holds IF_NAMESIZE bytes; the call writes a NUL-terminated name there
    // or returns NULL.
    let name = unsafe { libc::if_indextoname(index, buf.as_mut_ptr().cast()) };
    if name.is_null() {
        return None;
    }
    let len = buf.iter().position(|&b| b == 0)?;
    Some(super::interface_name(&buf[..len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(kind: u16, value: &[u8]) -> Vec<u8> {
        let mut out = ((4 + value.len()) as u16).to_ne_bytes().to_vec();
        out.extend_from_slice(&kind.to_ne_bytes());
        out.extend_from_slice(value);
        out.resize(out.len().next_multiple_of(4), 0);
        out
    }

    fn message(family: u8, dst_len: u8, table: u8, kind: u8, attrs: &[Vec<u8>]) -> Vec<u8> {
        let mut msg = vec![family, dst_len, 0, 0, table, 3, 0, kind, 0, 0, 0, 0];
        for a in attrs {
            msg.extend_from_slice(a);
        }
        msg
    }

    #[test]
    fn route_messages_give_the_main_tables_unicast_defaults() {
        let oif = attribute(RTA_OIF, &7u32.to_ne_bytes());
        let metric = attribute(RTA_PRIORITY, &100u32.to_ne_bytes());
        assert_eq!(
            route(&message(
                AF_INET,
                0,
                254,
                RTN_UNICAST,
                &[oif.clone(), metric.clone()]
            )),
            Some(Route::Default(vec![(7, Family::Ipv4, 100)]))
        );
        // Another table (in the header, or in RTA_TABLE past 255), another prefix, another type.
        assert_eq!(
            route(&message(
                AF_INET,
                0,
                100,
                RTN_UNICAST,
                std::slice::from_ref(&oif)
            )),
            None
        );
        let table = attribute(RTA_TABLE, &1000u32.to_ne_bytes());
        assert_eq!(
            route(&message(
                AF_INET,
                0,
                252,
                RTN_UNICAST,
                &[table, oif.clone()]
            )),
            None
        );
        assert_eq!(
            route(&message(
                AF_INET,
                8,
                254,
                RTN_UNICAST,
                std::slice::from_ref(&oif)
            )),
            None
        );
        assert_eq!(route(&message(AF_INET6, 0, 254, 2, &[oif])), None);
        // Two next hops; a nexthop object's id.
        let mut hops = Vec::new();
        for index in [3u32, 4] {
            hops.extend_from_slice(&8u16.to_ne_bytes());
            hops.extend_from_slice(&[0, 0]);
            hops.extend_from_slice(&index.to_ne_bytes());
        }
        let multipath = attribute(RTA_MULTIPATH, &hops);
        assert_eq!(
            route(&message(AF_INET6, 0, 254, RTN_UNICAST, &[multipath])),
            Some(Route::Default(vec![
                (3, Family::Ipv6, 0),
                (4, Family::Ipv6, 0)
            ]))
        );
        let id = attribute(RTA_NH_ID, &9u32.to_ne_bytes());
        assert_eq!(
            route(&message(AF_INET, 0, 254, RTN_UNICAST, &[id])),
            Some(Route::ByNexthopId)
        );
        assert_eq!(route(&[AF_INET, 0]), None, "a short message is no route");
    }

    /// `ip -j route show default` of one family: (device, metric) of each unicast route.
    fn from_ip(here: &super::super::test_netns::Here, family: &str) -> Vec<(String, u32)> {
        let json = here.ip(&["-j", family, "route", "show", "default", "table", "main"]);
        let routes: Vec<serde_json::Value> = serde_json::from_str(&json).expect("ip -j");
        routes
            .iter()
            .filter(|r| r.get("type").is_none())
            .filter_map(|r| {
                let dev = r.get("dev")?.as_str()?.to_string();
                let metric = r.get("metric").and_then(|m| m.as_u64()).unwrap_or(0);
                Some((dev, metric as u32))
            })
            .collect()
    }

    #[test]
    fn the_route_source_is_what_local_ip_address_finds() {
        super::super::test_netns::in_own_namespace(|here| {
            // Loopback alone: no route out, no global address.
            assert_eq!(route_source(), None);
            assert!(local_ip_address::local_ip().is_err());
            // An address but no route out: the first global address stands in.
            here.ip(&["link", "add", "s0", "type", "veth", "peer", "name", "s0p"]);
            here.ip(&["link", "set", "s0", "up"]);
            here.ip(&["link", "set", "s0p", "up"]);
            here.ip(&["addr", "add", "10.203.20.2/24", "dev", "s0"]);
            let fallback = route_source();
            assert_eq!(fallback, Some("10.203.20.2".parse().unwrap()));
            assert_eq!(fallback, local_ip_address::local_ip().ok());
            // A default route through another address of the interface: its source.
            here.ip(&["addr", "add", "10.203.21.2/24", "dev", "s0"]);
            here.ip(&[
                "route",
                "add",
                "default",
                "via",
                "10.203.21.1",
                "src",
                "10.203.21.2",
            ]);
            let routed = route_source();
            assert_eq!(routed, Some("10.203.21.2".parse().unwrap()));
            assert_eq!(routed, local_ip_address::local_ip().ok());
        });
    }

    #[test]
    fn the_default_routes_are_what_ip_route_shows() {
        super::super::test_netns::in_own_namespace(|here| {
            for (a, b, n) in [("r0", "r0p", 9), ("r1", "r1p", 10)] {
                here.ip(&["link", "add", a, "type", "veth", "peer", "name", b]);
                here.ip(&["link", "set", b, "up"]);
                here.ip(&["link", "set", a, "up"]);
                here.ip(&["addr", "add", &format!("10.203.{n}.2/24"), "dev", a]);
                let v6 = format!("fd42:203:{n}::2/64");
                here.ip(&["-6", "addr", "add", &v6, "dev", a, "nodad"]);
            }
            let v4 = [("10.203.9.1", "r0", "100"), ("10.203.10.1", "r1", "200")];
            for (via, dev, metric) in v4 {
                here.ip(&[
                    "route", "add", "default", "via", via, "dev", dev, "metric", metric,
                ]);
            }
            let v6 = [
                ("fd42:203:9::1", "r0", "50"),
                ("fd42:203:10::1", "r1", "1024"),
            ];
            for (via, dev, metric) in v6 {
                here.ip(&[
                    "-6", "route", "add", "default", "via", via, "dev", dev, "metric", metric,
                ]);
            }
            // None of these is a default route of the main table that leads somewhere.
            here.ip(&["route", "add", "unreachable", "default", "metric", "300"]);
            here.ip(&[
                "route",
                "add",
                "default",
                "via",
                "10.203.9.1",
                "dev",
                "r0",
                "table",
                "100",
            ]);
            here.ip(&["route", "add", "10.9.0.0/16", "via", "10.203.9.1"]);
            here.ip(&["-6", "route", "add", "blackhole", "default", "metric", "7"]);

            let mut got: Vec<(String, Family, u32)> = default_routes()
                .expect("rtnetlink answers")
                .into_iter()
                .map(|r| (r.interface, r.family, r.metric))
                .collect();
            got.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2)));
            let mut want: Vec<(String, Family, u32)> = from_ip(here, "-4")
                .into_iter()
                .map(|(d, m)| (d, Family::Ipv4, m))
                .chain(
                    from_ip(here, "-6")
                        .into_iter()
                        .map(|(d, m)| (d, Family::Ipv6, m)),
                )
                .collect();
            want.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2)));
            assert_eq!(want.len(), 4, "ip route shows the four: {want:?}");
            assert_eq!(got, want);
            // And what /proc says (this thread's namespace: /proc/net is the main thread's).
            let mut proc: Vec<(String, Family, u32)> =
                super::super::read_table("/proc/thread-self/net/route")
                    .map(|t| super::super::parse_route_v4(&t))
                    .into_iter()
                    .flatten()
                    .chain(
                        super::super::read_table("/proc/thread-self/net/ipv6_route")
                            .map(|t| super::super::parse_route_v6(&t))
                            .into_iter()
                            .flatten(),
                    )
                    .map(|r| (r.interface, r.family, r.metric))
                    .collect();
            proc.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2)));
            assert_eq!(got, proc);
        });
    }
}
