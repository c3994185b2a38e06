//! `expose HOST`: what a server bound to HOST would listen on, and who could reach it.

use super::Context;
use crate::analysis::expose::expose;
use crate::config::ExposeOptions;
use crate::gather::targets::{socket_addr, target, zone_of};
use crate::model::BindError;
use crate::platform;
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
    let request = ExposeRequest {
        host: &shown,
        port,
        scheme: input.scheme.as_deref().unwrap_or("http"),
        tried,
    };
    Ok(report::expose(&request, &exposure, cx.ui.cat))
}
