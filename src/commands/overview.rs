use std::io::Write;

use crate::exit_codes::ExitCode;
use crate::render::{self, Ui};
use crate::{platform, report};

pub fn run(port: u16, json: bool, ui: &Ui, w: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let host = platform::snapshot()?;
    let report = report::overview(&host, port, ui.cat);
    if json {
        render::write_json(w, ui, "overview", &report)?;
    } else {
        render::overview::human(w, &report, ui)?;
    }
    Ok(ExitCode::Success)
}
