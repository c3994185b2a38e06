//! `wait`: rounds of connects (or HTTP requests, or looks at the socket table) until the port
//! answers or frees, or the timeout. Every round is bounded by the time left, and the rounds
//! are an interval apart: never a busy loop.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

use crate::analysis::host_check::authority;
use crate::error::InputError;
use crate::model::{Host, HttpRequest, Outcome, SocketQuery, WaitHost, WaitMode, Waited};
use crate::parse::shown;
use crate::platform;
use crate::platform::net::{connect_all, http_get_all};

use super::targets::{scope_of, socket_addr};

/// How long an HTTP request may take at least: a server that has just started may need longer
/// to answer than to accept, and a short interval must not cut every answer off.
const HTTP_PATIENCE: Duration = Duration::from_secs(1);

/// The addresses to connect to, in the order a browser tries them for `localhost` on most
/// systems that prefer IPv4 for loopback: 127.0.0.1, then ::1. A wildcard stands for the
/// loopback of its families, as a browser opening `http://0.0.0.0:5000` reaches this machine.
pub fn addresses(host: &WaitHost, port: u16) -> Result<Vec<SocketAddr>, InputError> {
    match host {
        WaitHost::Loopback { families } => Ok([
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]
        .into_iter()
        .filter(|&ip| families.admits(ip))
        .map(|ip| SocketAddr::new(ip, port))
        .collect()),
        WaitHost::Ip { ip, zone } => {
            // A zone names an interface of this machine: a wrong one is bad input, as for expose.
            let host = match zone {
                Some(_) => platform::snapshot().unwrap_or_default(),
                None => Host::default(),
            };
            if let Some(z) = zone {
                if scope_of(&host, z).is_none() {
                    return Err(InputError::UnknownZone { zone: shown(z) });
                }
            }
            Ok(vec![socket_addr(&host, *ip, zone.as_deref(), port)])
        }
    }
}

/// The whole wait. `tick` is told the time so far after each round that did not end it.
pub fn wait(
    addrs: &[SocketAddr],
    port: u16,
    mode: WaitMode,
    timeout: Duration,
    interval: Duration,
    tick: &mut dyn FnMut(Duration),
) -> anyhow::Result<Waited> {
    let start = Instant::now();
    let deadline = start + timeout;
    let mut waited = Waited {
        done: false,
        answered_by: None,
        http_status: None,
        after: Duration::ZERO,
        attempts: 0,
        held_by: Vec::new(),
    };
    loop {
        let round = Instant::now();
        let left = deadline.saturating_duration_since(round);
        waited.attempts += 1;
        let answer = match mode {
            WaitMode::Connect => connected(addrs, left.min(interval))?,
            WaitMode::Http => http(addrs, left.min(interval.max(HTTP_PATIENCE)))?,
            WaitMode::Free => (!platform::port_held(port)?).then_some((None, None)),
        };
        waited.after = start.elapsed();
        if let Some((by, status)) = answer {
            waited.done = true;
            waited.answered_by = by;
            waited.http_status = status;
            return Ok(waited);
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        tick(start.elapsed());
        let next = (round + interval).min(deadline);
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
        if Instant::now() >= deadline {
            // One last round at the deadline would only race it; the rounds so far decide.
            break;
        }
    }
    waited.after = start.elapsed();
    if mode == WaitMode::Free {
        waited.held_by = holders(port);
    }
    Ok(waited)
}

/// The first address, in order, that opened.
fn connected(
    addrs: &[SocketAddr],
    timeout: Duration,
) -> anyhow::Result<Option<(Option<SocketAddr>, Option<u16>)>> {
    let attempts = connect_all(addrs, timeout)?;
    Ok(addrs
        .iter()
        .zip(attempts)
        .find(|(_, a)| a.outcome == Outcome::Open)
        .map(|(&addr, _)| (Some(addr), None)))
}

/// The first address, in order, that gave an HTTP answer of any status.
fn http(
    addrs: &[SocketAddr],
    timeout: Duration,
) -> anyhow::Result<Option<(Option<SocketAddr>, Option<u16>)>> {
    let requests: Vec<HttpRequest> = addrs
        .iter()
        .map(|&addr| HttpRequest {
            addr,
            host: authority(&addr.ip().to_string(), addr.port()),
            path: "/".to_string(),
            origin: None,
        })
        .collect();
    let answers = http_get_all(&requests, timeout)?;
    Ok(addrs
        .iter()
        .zip(answers)
        .find_map(|(&addr, answer)| answer.ok().map(|a| (Some(addr), Some(a.status)))))
}

/// The processes holding the port, for the line that says who to stop; none where the table
/// cannot be read or the owners are hidden.
fn holders(port: u16) -> Vec<crate::model::Process> {
    let Ok(table) = platform::socket_table(SocketQuery::Port(port)) else {
        return Vec::new();
    };
    let pids: Vec<u32> = table
        .sockets
        .iter()
        .filter(|s| s.holds_tcp_port())
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    table
        .processes
        .into_iter()
        .filter(|p| pids.contains(&p.pid))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Families;

    #[test]
    fn loopback_stands_for_the_addresses_a_browser_tries() {
        let both = addresses(
            &WaitHost::Loopback {
                families: Families::Both,
            },
            5000,
        )
        .unwrap();
        assert_eq!(
            both,
            [
                "127.0.0.1:5000".parse::<SocketAddr>().unwrap(),
                "[::1]:5000".parse().unwrap()
            ]
        );
        let v4 = addresses(
            &WaitHost::Loopback {
                families: Families::V4,
            },
            5000,
        )
        .unwrap();
        assert_eq!(v4, ["127.0.0.1:5000".parse::<SocketAddr>().unwrap()]);
        let one = addresses(
            &WaitHost::Ip {
                ip: "10.203.1.2".parse().unwrap(),
                zone: None,
            },
            8000,
        )
        .unwrap();
        assert_eq!(one, ["10.203.1.2:8000".parse::<SocketAddr>().unwrap()]);
    }
}
