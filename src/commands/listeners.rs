use std::io::Write;

use crate::config::{Families, ListenersOptions};
use crate::exit_codes::ExitCode;
use crate::model::SocketQuery;
use crate::platform::{self};
use crate::render::{self, Ui};
use crate::report::{self, ListenersView};

pub fn run(
    options: &ListenersOptions,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let host = platform::snapshot()?;
    let table = platform::socket_table(SocketQuery::Listening)?;
    let view = ListenersView {
        exposed_only: options.exposed_only,
        proto: options.proto,
        ipv4: options.families != Families::V6,
        ipv6: options.families != Families::V4,
    };
    let report = report::listeners(&host, &table, &view, ui.cat);
    if json {
        render::write_json(w, ui, "listeners", &report)?;
    } else {
        render::listeners::human(w, &report, ui)?;
    }
    Ok(if options.fail_on_exposed && report.exposed > 0 {
        ExitCode::Problem
    } else {
        ExitCode::Success
    })
}
