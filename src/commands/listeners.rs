//! `listeners`: every listening socket on the machine with its process and its exposure.

use super::Context;
use crate::analysis::sockets::any_beyond_host;
use crate::config::ListenersOptions;
use crate::gather::debugger;
use crate::model::{Families, SocketQuery};
use crate::platform;
use crate::report::{self, ListenersReport, ListenersView};

pub fn run(options: &ListenersOptions, cx: &Context) -> anyhow::Result<ListenersReport> {
    let (host, table) =
        platform::snapshot_beside(|| platform::socket_table(SocketQuery::Listening));
    let (host, table) = (host?, table?);
    let view = ListenersView {
        exposed_only: options.exposed_only,
        fail_on_exposed: options.fail_on_exposed,
        proto: options.proto,
        ipv4: options.families != Families::V6,
        ipv6: options.families != Families::V4,
    };
    let debug = debugger::findings(&host, &table, debugger::CHECK_TIMEOUT);
    // The firewall is read only when a socket reaches beyond this machine: it costs a few
    // processes (nft, iptables-save).
    let firewall = any_beyond_host(&host, &table).then(|| platform::firewall(None));
    Ok(report::listeners(
        &host,
        &table,
        &view,
        &debug,
        firewall.as_ref(),
        cx.ui.cat,
    ))
}
