//! `free`: ports that bind right now, verified by a real bind on every host asked for.

use super::Context;
use crate::config::FreeOptions;
use crate::gather::ports::free_ports;
use crate::platform;
use crate::report::FreeReport;

pub fn run(options: &FreeOptions, _cx: &Context) -> anyhow::Result<FreeReport> {
    let host = platform::snapshot()?;
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
