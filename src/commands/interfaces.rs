use std::io::Write;

use crate::config::Families;
use crate::exit_codes::ExitCode;
use crate::render::{self, Ui};
use crate::{platform, report};

pub fn run(
    all: bool,
    families: Families,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let host = platform::snapshot()?;
    let report = report::interfaces(&host, all, families, ui.cat);
    if json {
        render::write_json(w, ui, "interfaces", &report)?;
    } else {
        render::interfaces::human(w, &report, ui)?;
    }
    Ok(ExitCode::Success)
}
