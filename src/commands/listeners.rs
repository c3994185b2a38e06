//! `listeners`: every listening socket on the machine with its process and its exposure.

use super::Context;
use crate::analysis::sockets::any_beyond_host;
use crate::config::ListenersOptions;
use crate::gather::debugger;
use crate::model::{DebugFinding, Families, FirewallState, Host, SocketQuery, SocketTable};
use crate::platform;
use crate::report::{self, ListenersReport, ListenersView};

/// What the report is made of. It is kept by the caller while the report borrows it: the rows
/// are made from the socket table as they are written.
pub struct Facts {
    host: Host,
    table: SocketTable,
    debug: Vec<DebugFinding>,
    firewall: Option<FirewallState>,
}

pub fn gather() -> anyhow::Result<Facts> {
    let (host, table) =
        platform::snapshot_beside(|| platform::socket_table(SocketQuery::Listening));
    let (host, table) = (host?, table?);
    let debug = debugger::findings(&host, &table, debugger::CHECK_TIMEOUT);
    // The firewall is read only when a socket reaches beyond this machine: it costs a few
    // processes (nft, iptables-save).
    let firewall = any_beyond_host(&host, &table).then(|| platform::firewall(None));
    Ok(Facts {
        host,
        table,
        debug,
        firewall,
    })
}

pub fn report<'a>(
    facts: &'a Facts,
    options: &ListenersOptions,
    cx: &Context,
) -> ListenersReport<'a> {
    let view = ListenersView {
        exposed_only: options.exposed_only,
        fail_on_exposed: options.fail_on_exposed,
        proto: options.proto,
        ipv4: options.families != Families::V6,
        ipv6: options.families != Families::V4,
    };
    report::listeners(
        &facts.host,
        &facts.table,
        &view,
        &facts.debug,
        facts.firewall.as_ref(),
        cx.ui.cat,
    )
}
