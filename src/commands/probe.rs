use std::io::Write;
use std::net::{IpAddr, SocketAddr, SocketAddrV6};
use std::sync::mpsc;
use std::time::Duration;

use crate::analysis::address::classify;
use crate::analysis::probe::server_kind;
use crate::analysis::vocab::AddrKind;
use crate::analysis::vocab::{ServerKind, Status, Unreachable};
use crate::config::ProbeOptions;
use crate::exit_codes::ExitCode;
use crate::i18n::Text;
use crate::model::Outcome;
use crate::model::SocketQuery;
use crate::model::{Host, SocketTable};
use crate::parse::{HostInput, HostSpec};
use crate::platform::net::{connect_all, http_get_all};
use crate::platform::{self};
use crate::render::{self, Ui};
use crate::report::probe::{self, Attempt, HttpOut};

/// The path whose answer tells whether Werkzeug's debugger is on: it serves its own style sheet
/// there when it is, and the app answers otherwise.
const DEBUGGER_PROBE: &str = "/?__debugger__=yes&cmd=resource&f=style.css";

pub fn run(
    options: &ProbeOptions,
    progress: bool,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match &options.target {
        None => local(options, progress, json, ui, w),
        Some(target) => remote(target, options, progress, json, ui, w),
    }
}

fn local(
    options: &ProbeOptions,
    progress: bool,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let port = options.ports[0];
    let host = platform::snapshot()?;
    let mut attempts = local_attempts(&host, port, options.timeout, progress, ui)?;
    if options.http {
        add_http(
            &mut attempts,
            |ip| SocketAddr::new(ip, port).to_string(),
            options.timeout,
        )?;
    }
    // Owners make the answer better but are not needed for it.
    let table = platform::socket_table(SocketQuery::Port(port)).unwrap_or_default();
    let listening = only_listening(table);
    let report = probe::local(&host, port, options.timeout, attempts, &listening, ui.cat);
    if json {
        render::write_json(w, ui, "probe", &report)?;
    } else {
        render::probe::local(w, &report, ui)?;
    }
    Ok(if report.reach > crate::analysis::vocab::Reach::Host {
        ExitCode::Success
    } else {
        ExitCode::Problem
    })
}

/// Connects to `port` through every address of this machine at once, link-local ones aside
/// (they need a zone and no one shares them); each attempt carries its interface.
pub(super) fn local_attempts(
    host: &Host,
    port: u16,
    timeout: Duration,
    progress: bool,
    ui: &Ui,
) -> anyhow::Result<Vec<Attempt>> {
    let targets: Vec<(IpAddr, String)> = host
        .addresses()
        .filter(|(i, a)| i.up && classify(a.ip) != AddrKind::LinkLocal)
        .map(|(i, a)| (a.ip, i.name.clone()))
        .collect();
    let addrs: Vec<SocketAddr> = targets
        .iter()
        .map(|(ip, _)| SocketAddr::new(*ip, port))
        .collect();
    let mut attempts = attempt_all(&addrs, timeout, progress, ui)?;
    for (attempt, (_, interface)) in attempts.iter_mut().zip(targets) {
        attempt.interface = Some(interface);
    }
    Ok(attempts)
}

fn only_listening(mut table: SocketTable) -> SocketTable {
    table.sockets.retain(|s| s.state.is_listening());
    let pids: Vec<u32> = table.sockets.iter().flat_map(|s| s.pids.clone()).collect();
    table.processes.retain(|p| pids.contains(&p.pid));
    table
}

fn remote(
    target: &HostInput,
    options: &ProbeOptions,
    progress: bool,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (shown, ips): (String, Result<Vec<IpAddr>, String>) = match &target.host {
        HostSpec::Ip { ip, .. } => (ip.to_string(), Ok(vec![*ip])),
        HostSpec::Name(name) => {
            let resolved = platform::resolve(name).unwrap_or_default();
            (
                name.clone(),
                if resolved.is_empty() {
                    Err(name.clone())
                } else {
                    Ok(resolved)
                },
            )
        }
    };
    // --http speaks plain HTTP; a TLS port would only answer with a failed handshake.
    let tls = matches!(target.scheme.as_deref(), Some("https" | "wss"));
    let scope = match &target.host {
        HostSpec::Ip {
            zone: Some(zone), ..
        } => scope_id(zone),
        _ => 0,
    };
    let attempts = match ips {
        Err(_) => options
            .ports
            .iter()
            .map(|&port| Attempt {
                ip: None,
                port,
                interface: None,
                status: Status::Unresolved,
                unreachable: None,
                elapsed_ms: 0,
                error: None,
                http: None,
            })
            .collect(),
        Ok(ips) => {
            let addrs: Vec<SocketAddr> = ips
                .iter()
                .flat_map(|&ip| options.ports.iter().map(move |&port| (ip, port)))
                .map(|(ip, port)| match ip {
                    IpAddr::V6(v6) => SocketAddr::V6(SocketAddrV6::new(v6, port, 0, scope)),
                    v4 => SocketAddr::new(v4, port),
                })
                .collect();
            let mut attempts = attempt_all(&addrs, options.timeout, progress, ui)?;
            if options.http && !tls {
                let host_header = |ip: IpAddr| match &target.host {
                    HostSpec::Name(name) => name.clone(),
                    HostSpec::Ip { .. } => ip.to_string(),
                };
                add_http(&mut attempts, host_header, options.timeout)?;
            }
            attempts
        }
    };
    let shown = match target.port {
        Some(port) if options.ports.len() == 1 => {
            if shown.contains(':') {
                format!("[{shown}]:{port}")
            } else {
                format!("{shown}:{port}")
            }
        }
        _ => shown,
    };
    let mut report = probe::remote(&shown, options.timeout, attempts, ui.cat);
    if options.http && tls {
        report.notes.push(crate::report::NoteOut::new(
            &crate::analysis::notes::Note::HttpsNotProbed,
            ui.cat,
        ));
    }
    if json {
        render::write_json(w, ui, "probe", &report)?;
    } else {
        render::probe::remote(w, &report, ui)?;
    }
    Ok(if report.open() > 0 {
        ExitCode::Success
    } else {
        ExitCode::Problem
    })
}

/// A zone names an interface (or is its index): the scope id of a link-local address.
fn scope_id(zone: &str) -> u32 {
    zone.parse().ok().unwrap_or_else(|| {
        platform::snapshot()
            .ok()
            .and_then(|host: Host| host.interface(zone).and_then(|i| i.index))
            .unwrap_or(0)
    })
}

/// Every connection at once; on a terminal, a line on stderr if the wait passes 300 ms.
fn attempt_all(
    addrs: &[SocketAddr],
    timeout: Duration,
    progress: bool,
    ui: &Ui,
) -> anyhow::Result<Vec<Attempt>> {
    let outcomes = with_progress(
        progress,
        &ui.cat.text(&Text::Probing { count: addrs.len() }),
        || connect_all(addrs, timeout),
    )?;
    Ok(addrs
        .iter()
        .zip(outcomes)
        .map(|(addr, attempt)| {
            let (status, unreachable, error) = match attempt.outcome {
                Outcome::Open => (Status::Open, None, None),
                Outcome::Refused => (Status::Refused, None, None),
                Outcome::Timeout => (Status::Timeout, None, None),
                Outcome::HostUnreachable => (Status::Unreachable, Some(Unreachable::Host), None),
                Outcome::NetworkUnreachable => {
                    (Status::Unreachable, Some(Unreachable::Network), None)
                }
                Outcome::Error(e) => (Status::Error, None, Some(e)),
            };
            Attempt {
                ip: Some(addr.ip()),
                port: addr.port(),
                interface: None,
                status,
                unreachable,
                elapsed_ms: attempt.elapsed.as_millis() as u64,
                error,
                http: None,
            }
        })
        .collect())
}

/// One GET to each open address; for Werkzeug, a second one tells whether its debugger is on.
fn add_http(
    attempts: &mut [Attempt],
    host_header: impl Fn(IpAddr) -> String,
    timeout: Duration,
) -> anyhow::Result<()> {
    let open: Vec<usize> = (0..attempts.len())
        .filter(|&n| attempts[n].status == Status::Open)
        .collect();
    let requests: Vec<(SocketAddr, String, String)> = open
        .iter()
        .filter_map(|&n| {
            let ip = attempts[n].ip?;
            let addr = SocketAddr::new(ip, attempts[n].port);
            Some((
                addr,
                format!("{}:{}", bracket(&host_header(ip)), addr.port()),
                "/".to_string(),
            ))
        })
        .collect();
    let answers = http_get_all(&requests, timeout)?;
    let werkzeug: Vec<(usize, (SocketAddr, String, String))> = open
        .iter()
        .zip(&requests)
        .zip(&answers)
        .filter(|(_, a)| {
            a.as_ref()
                .is_ok_and(|a| server_kind(a.server.as_deref()) == ServerKind::Werkzeug)
        })
        .map(|((&n, r), _)| (n, (r.0, r.1.clone(), DEBUGGER_PROBE.to_string())))
        .collect();
    let debugger_requests: Vec<_> = werkzeug.iter().map(|(_, r)| r.clone()).collect();
    let debugger_answers = http_get_all(&debugger_requests, timeout)?;
    for (&n, answer) in open.iter().zip(answers) {
        let debugger = werkzeug.iter().position(|(m, _)| *m == n).map(|k| {
            debugger_answers[k].as_ref().is_ok_and(|a| {
                a.status == 200
                    && a.content_type
                        .as_deref()
                        .is_some_and(|c| c.starts_with("text/css"))
            })
        });
        attempts[n].http = Some(match answer {
            Ok(a) => HttpOut {
                status: Some(a.status),
                reason: Some(a.reason),
                server_kind: server_kind(a.server.as_deref()),
                server: a.server,
                debugger,
                error: None,
            },
            Err(e) => HttpOut {
                status: None,
                reason: None,
                server: None,
                server_kind: ServerKind::Other,
                debugger: None,
                error: Some(e),
            },
        });
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

/// Runs `work`; if it takes longer than 300 ms and `enabled`, shows `message` on stderr
/// meanwhile, and clears it after.
fn with_progress<T>(enabled: bool, message: &str, work: impl FnOnce() -> T) -> T {
    if !enabled {
        return work();
    }
    let (done, waiting) = mpsc::channel::<()>();
    let message = message.to_string();
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
