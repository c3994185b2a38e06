//! `urls`: the URLs to share, dev-server style.

use super::Context;
use crate::analysis::expose::expose;
use crate::analysis::interfaces::primary;
use crate::config::UrlsOptions;
use crate::gather::targets::target;
use crate::gather::{debugger, probe};
use crate::model::Target;
use crate::platform;
use crate::report::server::Running;
use crate::report::{self, UrlsReport, UrlsRequest};

pub fn run(options: &UrlsOptions, cx: &Context) -> anyhow::Result<UrlsReport> {
    let (host, table) = platform::snapshot_beside(|| probe::listening_on(options.port));
    let host = host?;
    let (target, shown) = match &options.host {
        Some(input) => {
            let (target, shown) = target(&host, &input.host)?;
            (target, Some(shown))
        }
        None => (Target::Everything, None),
    };
    let exposure = expose(&host, &target, options.port);
    let primary = primary(&host);
    let debug = debugger::findings(&host, &table, debugger::CHECK_TIMEOUT);
    let request = UrlsRequest {
        host: &host,
        bind: shown.as_deref(),
        running: Some(Running {
            table: &table,
            debug: &debug,
        }),
        port: options.port,
        scheme: &options.scheme,
        path: &options.path,
        all: options.all,
        qr: options.qr,
        families: options.families,
        primary: primary.as_ref(),
    };
    Ok(report::urls(&request, &exposure, cx.ui.cat))
}
