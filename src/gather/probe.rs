//! Connections to many addresses at once, and one HTTP request to each that opened: the local
//! probe of this machine's own addresses (`probe`, `lab`) and the probe of a target from
//! wherever bindscope runs.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc;
use std::time::Duration;

use crate::analysis::address::classify;
use crate::analysis::probe::server_kind;
use crate::analysis::vocab::{AddrKind, ServerKind};
use crate::model::SocketQuery;
use crate::model::{Attempt, Host, HttpProbe, Outcome, SockState, SocketTable};
use crate::parse::{HostInput, HostSpec};
use crate::platform;
use crate::platform::net::{connect_all, http_get_all};

use super::debugger::{is_debugger, DEBUGGER_PROBE};
use super::targets::socket_addr;

/// Shown on stderr while a slow probe waits, when there is a terminal to show it on.
pub struct Progress<'a> {
    pub enabled: bool,
    /// The line for a wait on this many connections.
    pub message: &'a dyn Fn(usize) -> String,
}

/// Connects to `port` through every usable address of this machine at once, and through every
/// address a socket on the port is bound to (127.0.0.2, a link-local address); each attempt
/// carries its interface. Addresses that duplicate address detection has not passed are left
/// out: a connect to them only times out, which would read as a firewall.
pub fn local(
    host: &Host,
    port: u16,
    table: &SocketTable,
    timeout: Duration,
    progress: &Progress,
) -> anyhow::Result<Vec<Attempt>> {
    let mut targets: Vec<(SocketAddr, Option<&str>)> = host
        .interfaces
        .iter()
        .flat_map(|i| i.addresses.iter().map(move |a| (i, a)))
        .filter(|(_, a)| a.state.usable())
        .map(|(i, a)| {
            (
                with_zone(SocketAddr::new(a.ip, port), i.index),
                Some(i.name.as_str()),
            )
        })
        .collect();
    for s in table.sockets.iter().filter(|s| s.is_tcp_listener()) {
        let ip = s.local.ip();
        if ip.is_unspecified() || targets.iter().any(|(t, _)| t.ip() == ip) {
            continue;
        }
        let interface = s
            .device
            .and_then(|d| host.interfaces.iter().find(|i| i.index == Some(d)))
            .or_else(|| host.owner_of(ip))
            .or_else(|| {
                (classify(ip) == AddrKind::Loopback)
                    .then(|| loopback(host))
                    .flatten()
            });
        let addr = with_zone(SocketAddr::new(ip, port), s.device);
        targets.push((addr, interface.map(|i| i.name.as_str())));
    }
    let addrs: Vec<SocketAddr> = targets.iter().map(|(a, _)| *a).collect();
    let mut attempts = connect(&addrs, timeout, progress)?;
    for (attempt, (_, interface)) in attempts.iter_mut().zip(targets) {
        attempt.interface = interface.map(str::to_string);
    }
    Ok(attempts)
}

/// A link-local IPv6 address reaches its interface only with the zone.
fn with_zone(addr: SocketAddr, index: Option<u32>) -> SocketAddr {
    match addr {
        SocketAddr::V6(mut v6) if classify(addr.ip()) == AddrKind::LinkLocal => {
            v6.set_scope_id(index.unwrap_or(0));
            SocketAddr::V6(v6)
        }
        other => other,
    }
}

fn loopback(host: &Host) -> Option<&crate::model::Interface> {
    host.interfaces.iter().find(|i| {
        i.addresses
            .iter()
            .any(|a| classify(a.ip) == AddrKind::Loopback)
    })
}

/// The sockets on `port` a server holds (listening, or TCP bound without listening) and their
/// owners. Owners make an answer better but are not needed for it: what cannot be read is an
/// empty table.
pub fn listening_on(port: u16) -> SocketTable {
    let mut table = platform::socket_table(SocketQuery::Port(port)).unwrap_or_default();
    table
        .sockets
        .retain(|s| s.state.is_listening() || s.state == SockState::Bound);
    let pids: Vec<u32> = table.sockets.iter().flat_map(|s| s.pids.clone()).collect();
    table.processes.retain(|p| pids.contains(&p.pid));
    table
}

/// Connects to every address of `target` on every port; a name that does not resolve gives one
/// unresolved attempt per port.
pub fn remote(
    target: &HostInput,
    ports: &[u16],
    timeout: Duration,
    progress: &Progress,
) -> anyhow::Result<Vec<Attempt>> {
    let ips = match &target.host {
        HostSpec::Ip { ip, .. } => vec![*ip],
        HostSpec::Name(name) => platform::resolve(name).unwrap_or_default(),
    };
    if ips.is_empty() {
        return Ok(ports.iter().map(|&port| unresolved(port)).collect());
    }
    let zone = match &target.host {
        HostSpec::Ip { zone, .. } => zone.as_deref(),
        HostSpec::Name(_) => None,
    };
    // Zones name interfaces of this machine; without a snapshot only an index can say.
    let host = match zone {
        Some(z) if z.parse::<u32>().is_err() => platform::snapshot().unwrap_or_default(),
        _ => Host::default(),
    };
    let addrs: Vec<SocketAddr> = ips
        .iter()
        .flat_map(|&ip| ports.iter().map(move |&port| (ip, port)))
        .map(|(ip, port)| socket_addr(&host, ip, zone, port))
        .collect();
    connect(&addrs, timeout, progress)
}

fn unresolved(port: u16) -> Attempt {
    Attempt {
        ip: None,
        port,
        interface: None,
        outcome: Outcome::Unresolved,
        elapsed_ms: 0,
        reason: None,
        http: None,
    }
}

/// Every connection at once; on a terminal, a line on stderr if the wait passes 300 ms.
fn connect(
    addrs: &[SocketAddr],
    timeout: Duration,
    progress: &Progress,
) -> anyhow::Result<Vec<Attempt>> {
    let outcomes = with_progress(progress, addrs.len(), || connect_all(addrs, timeout))?;
    Ok(addrs
        .iter()
        .zip(outcomes)
        .map(|(addr, attempt)| Attempt {
            ip: Some(addr.ip()),
            port: addr.port(),
            interface: None,
            outcome: attempt.outcome,
            elapsed_ms: attempt.elapsed.as_millis() as u64,
            reason: attempt.reason,
            http: None,
        })
        .collect())
}

/// One GET to each open address, with the Host header `host_header` gives for its address; for
/// Werkzeug, a second one tells whether its debugger is on.
pub fn add_http(
    attempts: &mut [Attempt],
    host_header: impl Fn(IpAddr) -> String,
    timeout: Duration,
) -> anyhow::Result<()> {
    let open: Vec<usize> = (0..attempts.len())
        .filter(|&n| attempts[n].outcome == Outcome::Open)
        .collect();
    let request = |n: usize, path: &str| {
        let ip = attempts[n].ip?;
        let addr = SocketAddr::new(ip, attempts[n].port);
        Some((
            addr,
            format!("{}:{}", bracket(&host_header(ip)), addr.port()),
            path.to_string(),
        ))
    };
    let requests: Vec<_> = open.iter().filter_map(|&n| request(n, "/")).collect();
    let answers = http_get_all(&requests, timeout)?;
    let werkzeug: Vec<usize> = open
        .iter()
        .zip(&answers)
        .filter(|(_, a)| {
            a.as_ref()
                .is_ok_and(|a| server_kind(a.server.as_deref()) == ServerKind::Werkzeug)
        })
        .map(|(&n, _)| n)
        .collect();
    let debugger_requests: Vec<_> = werkzeug
        .iter()
        .filter_map(|&n| request(n, DEBUGGER_PROBE))
        .collect();
    let debugger_answers = http_get_all(&debugger_requests, timeout)?;
    for (&n, answer) in open.iter().zip(answers) {
        let debugger = werkzeug
            .iter()
            .position(|&m| m == n)
            .map(|k| debugger_answers[k].as_ref().is_ok_and(is_debugger));
        attempts[n].http = Some(HttpProbe { answer, debugger });
    }
    Ok(())
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Runs `work`; if it takes longer than 300 ms and progress is enabled, shows the message on
/// stderr meanwhile, and clears it after.
fn with_progress<T>(progress: &Progress, count: usize, work: impl FnOnce() -> T) -> T {
    if !progress.enabled {
        return work();
    }
    let (done, waiting) = mpsc::channel::<()>();
    let message = (progress.message)(count);
    let shower = std::thread::spawn(move || {
        if waiting.recv_timeout(Duration::from_millis(300)).is_err() {
            eprint!("{message}");
            let _ = std::io::stderr().flush();
            let _ = waiting.recv();
            eprint!("\r\x1b[K");
        }
    });
    let result = work();
    let _ = done.send(());
    let _ = shower.join();
    result
}
