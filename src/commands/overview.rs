//! The overview: this machine, its interfaces, and who could reach a server bound to each of
//! the typical hosts.

use super::Context;
use crate::analysis::firewall;
use crate::analysis::interfaces::primary;
use crate::gather::{debugger, probe};
use crate::model::Proto;
use crate::platform;
use crate::report::server::Running;
use crate::report::{self, OverviewReport};

pub fn run(port: u16, cx: &Context) -> anyhow::Result<OverviewReport> {
    let (host, table) = platform::snapshot_beside(|| probe::listening_on(port));
    let host = host?;
    let debug = debugger::findings(&host, &table, debugger::CHECK_TIMEOUT);
    let running = Running {
        table: &table,
        debug: &debug,
    };
    let firewall = match primary(&host) {
        Some(p) => {
            let state = platform::firewall(None);
            firewall::checks(&host, &state, Proto::Tcp, port, &[p.ip], None)
        }
        None => Vec::new(),
    };
    Ok(report::overview(
        &host,
        port,
        Some(running),
        &firewall,
        cx.ui.cat,
    ))
}
