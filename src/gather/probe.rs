//! Connections to many addresses at once, and one HTTP request to each that opened: the local
//! probe of this machine's own addresses (`probe`, `lab`) and the probe of a target from
//! wherever bindscope runs.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc;
use std::time::Duration;

use crate::analysis::address::classify;
use crate::analysis::host_check::{self, is_nextjs, NEXT_DEV_RESOURCE};
use crate::analysis::probe::server_kind;
use crate::analysis::vocab::{AddrKind, ServerKind};
use crate::error::InputError;
use crate::model::{Attempt, Host, HttpProbe, Outcome, SocketTable};
use crate::model::{HttpAnswer, HttpFailure, HttpRequest};
use crate::parse::{shown, HostInput, HostSpec};
use crate::platform;
use crate::platform::net::{connect_all, http_get_all};

use super::debugger::{is_debugger, DEBUGGER_PROBE};
use super::targets::{scope_of, socket_addr};

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
    platform::held_on(port).unwrap_or_default()
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
    // A zone names an interface of this machine: a wrong one is bad input, as for expose.
    let host = match zone {
        Some(_) => platform::snapshot().unwrap_or_default(),
        None => Host::default(),
    };
    if let Some(z) = zone {
        if scope_of(&host, z).is_none() {
            return Err(InputError::UnknownZone { zone: shown(z) }.into());
        }
    }
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

/// One GET of `path` to each open address, with the `Host` a phone's browser would send:
/// `host` gives the name or address typed for each address. A second request where the first
/// answer calls for one: for Werkzeug, whether its debugger is on; for Next.js, whether it lets
/// a page opened at that address load its development resources.
pub fn add_http(
    attempts: &mut [Attempt],
    host: impl Fn(IpAddr) -> String,
    path: &str,
    timeout: Duration,
) -> anyhow::Result<()> {
    let open: Vec<(usize, SocketAddr, String)> = attempts
        .iter()
        .enumerate()
        .filter(|(_, a)| a.outcome == Outcome::Open)
        .filter_map(|(n, a)| {
            let addr = SocketAddr::new(a.ip?, a.port);
            Some((
                n,
                addr,
                host_check::authority(&host(addr.ip()), addr.port()),
            ))
        })
        .collect();
    let requests: Vec<HttpRequest> = open
        .iter()
        .map(|(_, addr, host)| HttpRequest {
            addr: *addr,
            host: host.clone(),
            path: path.to_string(),
            origin: None,
        })
        .collect();
    let answers = http_get_all(&requests, timeout)?;
    // The second requests, by the index of the first.
    let mut second: Vec<(usize, HttpRequest)> = Vec::new();
    for (k, answer) in answers.iter().enumerate() {
        let Ok(answer) = answer else { continue };
        let first = &requests[k];
        if server_kind(answer.server.as_deref()) == ServerKind::Werkzeug {
            second.push((
                k,
                HttpRequest {
                    path: DEBUGGER_PROBE.into(),
                    ..first.clone()
                },
            ));
        } else if is_nextjs(answer) {
            second.push((
                k,
                HttpRequest {
                    path: NEXT_DEV_RESOURCE.into(),
                    origin: Some(format!("http://{}", first.host)),
                    ..first.clone()
                },
            ));
        }
    }
    let second_requests: Vec<HttpRequest> = second.iter().map(|(_, r)| r.clone()).collect();
    let mut second_answers = http_get_all(&second_requests, timeout)?.into_iter();
    let mut by_first: Vec<Option<Result<HttpAnswer, HttpFailure>>> = vec![None; answers.len()];
    for (k, _) in &second {
        by_first[*k] = second_answers.next();
    }
    for (((n, _, host), answer), later) in open.into_iter().zip(answers).zip(by_first) {
        let werkzeug = answer
            .as_ref()
            .is_ok_and(|a| server_kind(a.server.as_deref()) == ServerKind::Werkzeug);
        let (debugger, dev_resource) = if werkzeug {
            (
                Some(later.is_some_and(|l| l.as_ref().is_ok_and(is_debugger))),
                None,
            )
        } else {
            (None, later)
        };
        attempts[n].http = Some(HttpProbe {
            host,
            answer,
            debugger,
            dev_resource,
        });
    }
    Ok(())
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
