//! `free`: ports that bind right now, verified by a real bind on every host asked for.

use super::Context;
use crate::config::FreeOptions;
use crate::gather::ports::free_ports;
use crate::platform;
use crate::report::FreeReport;

pub fn run(options: &FreeOptions, _cx: &Context) -> anyhow::Result<FreeReport> {
    let mut host = platform::snapshot()?;
    host.excluded_ports = platform::excluded_ports();
    let ports = free_ports(
        &host,
        options.near,
        options.range,
        &options.hosts,
        options.count,
    );
    Ok(FreeReport {
        ports,
        hosts: options.hosts.clone(),
        near: options.near,
        range: options.range,
        requested: options.count,
    })
}
