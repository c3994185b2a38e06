//! `port P`: who holds a port, whether it binds now, what it is; with `--kill`, stop its owners.

use std::io::{BufRead, Write};

use super::Context;
use crate::analysis::sockets::{any_beyond_host, kill_plan};
use crate::config::{KillOptions, PortOptions};
use crate::error::InputError;
use crate::gather::{debugger, kill, ports};
use crate::i18n::is_yes;
use crate::model::{KillScope, SocketQuery, SocketTable};
use crate::platform;
use crate::render::port::question;
use crate::report::{self, PortFindings, PortReport};

/// How many ports `port` suggests instead.
const SUGGESTIONS: usize = 3;

pub fn run(options: &PortOptions, cx: &Context) -> anyhow::Result<PortReport> {
    let port = options.port;
    let mut host = platform::snapshot()?;
    host.excluded_ports = platform::excluded_ports();
    let table = platform::socket_table(SocketQuery::Port(port))?;
    let bind_test = ports::trial_binds(&host, port);
    let taken = bind_test.iter().any(|(_, r)| r.is_err());
    let debug = debugger::findings(&host, &table, debugger::CHECK_TIMEOUT);
    let firewall = any_beyond_host(&host, &table).then(|| platform::firewall(None));
    let findings = PortFindings {
        debug: &debug,
        firewall: firewall.as_ref(),
        port,
        table: &table,
        bind_test: &bind_test,
        suggestions: if taken {
            ports::alternatives(&host, port, SUGGESTIONS)
        } else {
            Vec::new()
        },
    };
    let mut report = report::port(&host, &findings, cx.ui.cat);
    if let Some(kill_options) = &options.kill {
        report.kill = Some(stop_owners(port, &table, kill_options, cx)?);
    }
    Ok(report)
}

/// `--kill`: the owners opened and shown, confirmation (on a terminal, unless `--yes`), then
/// the kill sequence. No sequence (`None`) when there is nobody to stop or the user said no.
fn stop_owners(
    port: u16,
    table: &SocketTable,
    options: &KillOptions,
    cx: &Context,
) -> anyhow::Result<report::KillOut> {
    let scope = KillScope { udp: options.udp };
    let plan = kill_plan(table, scope, std::process::id(), platform::foreign_pids());
    let targets = kill::open(table, scope, &plan.targets);
    let holders = report::port::holders(
        table,
        targets
            .iter()
            .filter(|t| t.holder.is_ok() || t.facts.container_init)
            .map(|t| (t.pid, &t.facts)),
    );
    // Nobody could be opened (all gone or changed), or only containers' inits, which are left
    // alone: nothing to ask about, and the run says so.
    let askable = holders.iter().any(|h| !h.container_init);
    let go = !plan.targets.is_empty() && (options.yes || !askable || confirm(port, &holders, cx)?);
    let run = go.then(|| kill::stop(port, scope, table, &targets, options.force, options.grace));
    Ok(report::port::kill(
        table,
        &plan,
        holders,
        run,
        options.force,
        platform::STOP_IS_FINAL,
        cx.ui.cat,
    ))
}

/// Shows the holders on the terminal and asks whether to stop them; without a terminal,
/// refuses.
fn confirm(port: u16, holders: &[report::port::HolderOut], cx: &Context) -> anyhow::Result<bool> {
    if !cx.interactive {
        return Err(InputError::KillNeedsConfirmation { port }.into());
    }
    let mut err = std::io::stderr().lock();
    question(&mut err, port, holders, cx.ui)?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(is_yes(&answer))
}
