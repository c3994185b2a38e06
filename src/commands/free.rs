use std::io::Write;
use std::net::{IpAddr, SocketAddr};

use crate::analysis::ports::nearby;
use crate::config::FreeOptions;
use crate::exit_codes::ExitCode;
use crate::model::Host;
use crate::platform;
use crate::render::{self, Ui};
use crate::report::FreeReport;

pub fn run(
    options: &FreeOptions,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let host = platform::snapshot()?;
    let ports = free_ports(
        &host,
        options.near,
        options.range,
        &options.hosts,
        options.count,
    );
    let report = FreeReport {
        ports,
        hosts: options.hosts.clone(),
        near: options.near,
        range: options.range,
        requested: options.count,
    };
    if json {
        render::write_json(w, ui, "free", &report)?;
    } else {
        render::free::human(w, &report, ui)?;
    }
    Ok(if report.ports.len() == options.count {
        ExitCode::Success
    } else {
        ExitCode::Problem
    })
}

/// Up to `count` ports nearest `near` within `range` that bind right now on every one of
/// `hosts` (a real bind each, closed at once). Walks the range at most once.
pub fn free_ports(
    host: &Host,
    near: u16,
    range: (u16, u16),
    hosts: &[IpAddr],
    count: usize,
) -> Vec<u16> {
    nearby(host, near, range.0, range.1)
        .filter(|&port| {
            hosts
                .iter()
                .all(|&ip| platform::try_bind(SocketAddr::new(ip, port)).is_ok())
        })
        .take(count)
        .collect()
}
