//! `probe [TARGET]`: connects and reports who answered. Without a target, this machine's own
//! addresses, and the bind they reveal; with one, any host from wherever bindscope runs.

use std::net::IpAddr;

use super::Context;
use crate::analysis::firewall;
use crate::analysis::sockets::answers_on;
use crate::config::ProbeOptions;
use crate::gather::debugger;
use crate::gather::probe::{self, Progress};
use crate::i18n::Text;
use crate::model::{Outcome, Proto};
use crate::parse::{HostInput, HostSpec};
use crate::platform;
use crate::report::probe::{self as probe_report, ProbeReport};

pub fn run(options: &ProbeOptions, cx: &Context) -> anyhow::Result<ProbeReport> {
    match &options.target {
        None => local(options, cx),
        Some(target) => remote(target, options, cx),
    }
}

fn local(options: &ProbeOptions, cx: &Context) -> anyhow::Result<ProbeReport> {
    let port = options.ports[0];
    let (host, listening) = platform::snapshot_beside(|| probe::listening_on(port));
    let host = host?;
    let message = |count| cx.ui.cat.text(&Text::Probing { count });
    let progress = Progress {
        enabled: cx.progress,
        message: &message,
    };
    let mut attempts = probe::local(&host, port, &listening, options.timeout, &progress)?;
    if options.http {
        // Each address as the phone would type it.
        probe::add_http(&mut attempts, |ip| ip.to_string(), "/", options.timeout)?;
    }
    let debug = debugger::findings(
        &host,
        &listening,
        options.timeout.min(debugger::CHECK_TIMEOUT),
    );
    // The firewall is asked about the addresses the server takes: those its sockets cover, or
    // where the socket table cannot be read, those that answered.
    let mut answered: Vec<IpAddr> = host
        .addresses()
        .map(|(_, a)| a.ip)
        .filter(|&ip| answers_on(&host, &listening.sockets, ip))
        .collect();
    if listening.sockets.is_empty() {
        answered = attempts
            .iter()
            .filter(|a| a.outcome == Outcome::Open)
            .filter_map(|a| a.ip)
            .collect();
    }
    let firewall = if answered.iter().any(|ip| !ip.is_loopback()) {
        // The program's path, for firewalls that decide by program: the command line's
        // first word (a path with spaces is cut short, and then matches no rule).
        let program = listening
            .processes
            .first()
            .and_then(|p| p.cmdline.as_deref())
            .and_then(|c| c.split_whitespace().next());
        let state = platform::firewall(program);
        firewall::checks(&host, &state, Proto::Tcp, port, &answered, program)
    } else {
        Vec::new()
    };
    let found = probe_report::LocalFindings {
        firewall: &firewall,
        port,
        timeout: options.timeout,
        attempts,
        table: &listening,
        debug: &debug,
    };
    Ok(ProbeReport::Local(probe_report::local(
        &host, found, cx.ui.cat,
    )))
}

fn remote(target: &HostInput, options: &ProbeOptions, cx: &Context) -> anyhow::Result<ProbeReport> {
    let message = |count| cx.ui.cat.text(&Text::Probing { count });
    let progress = Progress {
        enabled: cx.progress,
        message: &message,
    };
    let mut attempts = probe::remote(target, &options.ports, options.timeout, &progress)?;
    // --http speaks plain HTTP; a TLS port would only answer with a failed handshake.
    let tls = matches!(target.scheme.as_deref(), Some("https" | "wss"));
    if options.http && !tls {
        // The name the user typed, as the phone would; the target URL's own path.
        let host = |ip: IpAddr| match &target.host {
            HostSpec::Name(name) => name.clone(),
            HostSpec::Ip { .. } => ip.to_string(),
        };
        let path = target
            .path
            .as_deref()
            .map_or("/", |p| p.split('#').next().unwrap_or("/"));
        probe::add_http(&mut attempts, host, path, options.timeout)?;
    }
    let request = probe_report::RemoteRequest {
        target,
        ports: &options.ports,
        timeout: options.timeout,
        https_not_probed: options.http && tls,
    };
    Ok(ProbeReport::Remote(probe_report::remote(
        &request, attempts, cx.ui.cat,
    )))
}
