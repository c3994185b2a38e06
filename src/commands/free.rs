//! `free`: ports that bind right now, verified by a real bind on every host asked for.

use super::Context;
use crate::analysis::expose::not_local;
use crate::analysis::notes::Note;
use crate::config::FreeOptions;
use crate::error::InputError;
use crate::gather::ports::free_ports_on;
use crate::gather::targets::scope_of;
use crate::parse::shown;
use crate::platform;
use crate::report::FreeReport;

pub fn run(options: &FreeOptions, _cx: &Context) -> anyhow::Result<FreeReport> {
    let mut host = platform::snapshot()?;
    host.excluded_ports = platform::excluded_ports();
    // An address this machine lacks would fail every bind: say so, as expose does, instead
    // of trying 65,535 ports.
    for (ip, zone) in &options.hosts {
        if let Some(z) = zone {
            if scope_of(&host, z).is_none() {
                return Err(InputError::UnknownZone { zone: shown(z) }.into());
            }
        }
        if let Some(Note::NotLocal { ip, lan }) = not_local(&host, *ip, zone.as_deref()) {
            return Err(InputError::NotLocal { ip, lan }.into());
        }
    }
    let ports = free_ports_on(
        &host,
        options.near,
        options.range,
        &options.hosts,
        options.count,
    );
    Ok(FreeReport {
        ports,
        hosts: options.hosts.iter().map(|(ip, _)| *ip).collect(),
        near: options.near,
        range: options.range,
        requested: options.count,
    })
}
