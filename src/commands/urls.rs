//! `urls`: the URLs to share, dev-server style.

use super::Context;
use crate::analysis::expose::expose;
use crate::analysis::interfaces::primary;
use crate::config::UrlsOptions;
use crate::gather::targets::target;
use crate::model::Target;
use crate::platform;
use crate::report::{self, UrlsReport, UrlsRequest};

pub fn run(options: &UrlsOptions, cx: &Context) -> anyhow::Result<UrlsReport> {
    let host = platform::snapshot()?;
    let target = match &options.host {
        Some(input) => target(&host, &input.host)?.0,
        None => Target::Everything,
    };
    let exposure = expose(&host, &target, options.port);
    let primary = primary(&host);
    let request = UrlsRequest {
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
