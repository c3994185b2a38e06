use std::io::{BufRead, Write};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use crate::analysis::sockets::{kill_plan, KillOutcome};
use crate::config::{FreeOptions, KillOptions, PortOptions};
use crate::error::InputError;
use crate::exit_codes::ExitCode;
use crate::i18n::Text;
use crate::model::BindError;
use crate::model::{Host, Process, SocketTable};
use crate::model::{Signal, SignalError, SocketQuery};
use crate::platform::{self};
use crate::render::{self, Ui};
use crate::report::{self, KillOut, KillTarget, PortFindings, RefusedOut};

/// How many ports `port` suggests instead.
const SUGGESTIONS: usize = 3;

pub fn run(
    options: &PortOptions,
    interactive: bool,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let port = options.port;
    let host = platform::snapshot()?;
    let table = platform::socket_table(SocketQuery::Port(port))?;
    let bind_test = trial_binds(&host, port);
    let taken = bind_test.iter().any(|(_, r)| r.is_err());
    let suggestions = if taken {
        let others: Vec<u16> = super::free::free_ports(
            &host,
            port,
            (1, 65535),
            &FreeOptions::default_hosts(),
            SUGGESTIONS + 1,
        );
        others
            .into_iter()
            .filter(|&p| p != port)
            .take(SUGGESTIONS)
            .collect()
    } else {
        Vec::new()
    };
    let findings = PortFindings {
        port,
        table: &table,
        bind_test: &bind_test,
        suggestions,
    };
    let mut report = report::port(&host, &findings, ui.cat);
    let mut code = if report.free {
        ExitCode::Success
    } else {
        ExitCode::Problem
    };
    if let Some(kill_options) = &options.kill {
        let outcome = kill(port, &table, kill_options, interactive, ui)?;
        code = if outcome.freed {
            ExitCode::Success
        } else {
            ExitCode::Problem
        };
        report.kill = Some(outcome);
    }
    if json {
        render::write_json(w, ui, "port", &report)?;
    } else {
        render::port::human(w, &report, ui)?;
    }
    Ok(code)
}

/// Real binds of the port on 127.0.0.1, 0.0.0.0 and (where the machine has IPv6) ::.
fn trial_binds(host: &Host, port: u16) -> Vec<(IpAddr, Result<(), BindError>)> {
    let mut hosts = vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0])];
    if host.addresses().any(|(_, a)| a.ip.is_ipv6()) {
        hosts.push(IpAddr::from([0u16; 8]));
    }
    hosts
        .into_iter()
        .map(|ip| (ip, platform::try_bind(SocketAddr::new(ip, port))))
        .collect()
}

/// Stops the owners of the port's listening sockets: confirmation first, every owner
/// re-verified right before its signal, SIGTERM, then SIGKILL only with `--force`.
fn kill(
    port: u16,
    table: &SocketTable,
    options: &KillOptions,
    interactive: bool,
    ui: &Ui,
) -> anyhow::Result<KillOut> {
    let plan = kill_plan(table, std::process::id());
    let mut out = KillOut {
        targets: Vec::new(),
        refused: plan
            .refused
            .iter()
            .map(|&(pid, reason)| RefusedOut {
                pid,
                reason,
                message: ui.cat.refusal(reason),
            })
            .collect(),
        forced: options.force,
        cancelled: false,
        freed: !table.sockets.iter().any(|s| s.state.is_listening()),
        taken_by: Vec::new(),
    };
    if plan.targets.is_empty() {
        return Ok(out);
    }
    if !options.yes {
        if !interactive {
            return Err(InputError::KillNeedsConfirmation { port }.into());
        }
        let who = render::port::who(
            plan.targets
                .iter()
                .map(|&pid| (table.process(pid).map_or("?", |p| p.name.as_str()), pid)),
        );
        let question = ui.cat.text(&Text::KillConfirm { port, who: &who });
        eprint!("{}", crate::sanitize::escape(&question));
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(
            answer.trim().to_lowercase().as_str(),
            "y" | "yes" | "예" | "네"
        ) {
            out.cancelled = true;
            return Ok(out);
        }
    }

    for &pid in &plan.targets {
        let process = table.process(pid);
        out.targets.push(KillTarget {
            pid,
            name: process.map_or_else(|| "?".to_string(), |p| p.name.clone()),
            signals: Vec::new(),
            outcome: KillOutcome::NotVerified,
        });
        send(
            table,
            out.targets.last_mut().expect("just pushed"),
            Signal::Terminate,
        );
    }
    // Nobody signalled (every owner had gone or changed): nothing to wait for.
    let signalled = out.targets.iter().any(|t| !t.signals.is_empty());
    out.freed = wait_until_free(
        port,
        if signalled {
            options.grace
        } else {
            Duration::ZERO
        },
    );
    if !out.freed && options.force {
        for target in &mut out.targets {
            if !target.signals.is_empty() && platform::alive(target.pid) {
                send(table, target, Signal::Kill);
            }
        }
        out.freed = wait_until_free(port, options.grace);
    }
    for target in &mut out.targets {
        if !target.signals.is_empty() {
            target.outcome = if platform::alive(target.pid) {
                KillOutcome::StillRunning
            } else {
                KillOutcome::Exited
            };
        }
    }
    if !out.freed {
        out.taken_by = newcomers(port, table);
    }
    Ok(out)
}

/// The processes listening on `port` now that did not hold it at the check (`before`): the
/// port was taken again while the user was asked, or between the check and the signal.
fn newcomers(port: u16, before: &SocketTable) -> Vec<Process> {
    let Ok(now) = platform::socket_table(SocketQuery::Port(port)) else {
        return Vec::new();
    };
    let known = |p: &Process| {
        before
            .process(p.pid)
            .is_some_and(|b| b.start_time == p.start_time)
    };
    let listening: Vec<u32> = now
        .sockets
        .iter()
        .filter(|s| s.state.is_listening())
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    now.processes
        .into_iter()
        .filter(|p| listening.contains(&p.pid) && !known(p))
        .collect()
}

/// Signals one owner if it still is the process that holds the socket.
fn send(table: &SocketTable, target: &mut KillTarget, signal: Signal) {
    let pid = target.pid;
    let verified = table.process(pid).is_some_and(|process| {
        table
            .sockets
            .iter()
            .filter(|s| s.state.is_listening() && s.pids.contains(&pid))
            .any(|socket| platform::still_holds(process, socket))
    });
    if !verified {
        if target.signals.is_empty() {
            target.outcome = if platform::alive(pid) {
                KillOutcome::NotVerified
            } else {
                KillOutcome::AlreadyExited
            };
        }
        return;
    }
    match platform::signal(pid, signal) {
        Ok(()) => target.signals.push(signal),
        Err(SignalError::Gone) => {}
        Err(SignalError::Permission) => target.outcome = KillOutcome::Permission,
        Err(SignalError::Unsupported) => target.outcome = KillOutcome::Unsupported,
        Err(SignalError::Other(_)) => target.outcome = KillOutcome::StillRunning,
    }
}

/// Polls the socket table until no socket listens on `port`, for at most `grace`.
fn wait_until_free(port: u16, grace: Duration) -> bool {
    let deadline = Instant::now() + grace;
    loop {
        let listening = platform::port_listening(port).unwrap_or(true);
        if !listening {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}
