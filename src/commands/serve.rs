//! `serve`: a reachability beacon for testing from another device. The URLs and each visit
//! are written as they happen; the report at the end is the summary (or the one JSON
//! document).

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use super::Context;
use crate::analysis::expose::expose;
use crate::analysis::interfaces::primary;
use crate::config::ServeOptions;
use crate::gather::beacon;
use crate::model::{Families, Target, Visit};
use crate::platform;
use crate::render;
use crate::report::serve::{visit, visitor_lang, ServeReport};
use crate::report::{self, UrlsRequest};

pub fn run(
    options: &ServeOptions,
    cx: &Context,
    live: &mut dyn Write,
) -> anyhow::Result<ServeReport> {
    let ui = cx.ui;
    let host = Arc::new(platform::snapshot()?);
    let port = beacon::port(&host, options.host, options.port);
    let address = SocketAddr::new(options.host, port);
    let target = Target::Ip {
        ip: options.host,
        zone: None,
    };
    let primary = primary(&host);
    let request = UrlsRequest {
        host: &host,
        bind: None,
        running: None,
        port,
        scheme: "http",
        path: "",
        all: false,
        qr: options.qr,
        families: Families::Both,
        primary: primary.as_ref(),
    };
    let urls = report::urls(&request, &expose(&host, &target, port), ui.cat);
    let mut report = ServeReport::new(address, options.duration, urls);
    let listener = match beacon::bind(address) {
        Ok(listener) => listener,
        Err(error) => return Ok(report.cannot_bind(error, ui.cat)),
    };
    if !ui.json {
        render::serve::started(live, &report, ui)?;
        live.flush()?;
    }
    let page = {
        let (host, lang) = (host.clone(), ui.lang);
        move |v: &Visit, at| {
            let theirs = visitor_lang(v.accept_language.as_deref(), lang).catalogue();
            render::serve::page(&visit(&host, v, at, theirs), v.wants_html, theirs)
        }
    };
    report.turned_away = beacon::run(listener, options.duration, page, |v, at| {
        let seen = visit(&host, v, at, ui.cat);
        if !ui.json {
            render::serve::visit_line(live, &seen, ui)?;
            live.flush()?;
        }
        report.visits.push(seen);
        Ok(())
    })?;
    Ok(report)
}
