use std::io::Write;

use crate::analysis::expose::expose;
use crate::analysis::interfaces::primary;
use crate::config::UrlsOptions;
use crate::exit_codes::ExitCode;
use crate::model::Target;
use crate::platform;
use crate::render::{self, Ui};
use crate::report::{self, UrlsRequest};

pub fn run(args: &UrlsOptions, json: bool, ui: &Ui, w: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let host = platform::snapshot()?;
    let target = match &args.host {
        Some(input) => super::expose::target(&host, &input.host)?.0,
        None => Target::Everything,
    };
    let exposure = expose(&host, &target, args.port);
    let primary = primary(&host);
    let request = UrlsRequest {
        port: args.port,
        scheme: &args.scheme,
        path: &args.path,
        all: args.all,
        families: args.families,
        primary: primary.as_ref(),
    };
    let report = report::urls(&request, &exposure, ui.cat);
    if json {
        render::write_json(w, ui, "urls", &report)?;
    } else {
        render::urls::human(w, &report, ui, args.qr)?;
    }
    Ok(if report.network.is_empty() {
        ExitCode::Problem
    } else {
        ExitCode::Success
    })
}
