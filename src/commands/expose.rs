//! `expose HOST`: what a server bound to HOST would listen on, and who could reach it.

use super::Context;
use crate::analysis::expose::expose;
use crate::config::ExposeOptions;
use crate::gather::targets::{socket_addr, target, zone_of};
use std::net::IpAddr;

use crate::analysis::firewall;
use crate::analysis::sockets::{blockers, owner_name};
use crate::analysis::vocab::Reach;
use crate::gather::probe;
use crate::model::{BindError, Host, Proto};
use crate::platform;
use crate::report::expose::Blocker;
use crate::report::{self, ExposeReport, ExposeRequest};

pub fn run(options: &ExposeOptions, cx: &Context) -> anyhow::Result<ExposeReport> {
    let (input, port) = (&options.host, options.port);
    let host = platform::snapshot()?;
    let (target, shown) = target(&host, &input.host)?;
    let exposure = expose(&host, &target, port);
    let tried = options.try_bind.then(|| match exposure.bind_ip {
        Some(ip) => platform::try_bind(socket_addr(&host, ip, zone_of(&target), port)),
        None => Err(BindError::NotLocal),
    });
    let blocked_by = match (&tried, exposure.bind_ip) {
        (Some(Err(BindError::InUse)), Some(ip)) => blocker(&host, ip, port),
        _ => None,
    };
    let beyond: Vec<IpAddr> = exposure
        .listens_on
        .iter()
        .filter(|l| l.reach > Reach::Host)
        .map(|l| l.ip)
        .collect();
    let firewall = if beyond.is_empty() {
        Vec::new()
    } else {
        let state = platform::firewall(None);
        firewall::checks(&host, &state, Proto::Tcp, port, &beyond, None)
    };
    let request = ExposeRequest {
        host: &shown,
        port,
        scheme: input.scheme.as_deref().unwrap_or("http"),
        tried,
        blocked_by,
        firewall: &firewall,
    };
    Ok(report::expose(&request, &exposure, cx.ui.cat))
}

/// The listening socket that stops a bind of `ip` on `port`, and its owner.
fn blocker(host: &Host, ip: IpAddr, port: u16) -> Option<Blocker> {
    let table = probe::listening_on(port);
    let (socket, _) = blockers(host, ip, &table.sockets).into_iter().next()?;
    let owner = table
        .sockets
        .iter()
        .find(|s| s.local == socket)
        .and_then(|s| s.pids.first())
        .map(|&pid| owner_name(&table, pid));
    Some(Blocker {
        socket,
        process: owner,
    })
}
