//! `free`'s human view: the ports, or bare numbers when piped.

use std::io::{self, Write};

use colored::Color;

use super::Ui;
use crate::i18n::Text;
use crate::report::FreeReport;

/// On a terminal, the ports under a line that says how they were checked; piped (or `-q`),
/// the bare numbers, one a line, so that `PORT=$(bindscope free)` works.
pub fn human(w: &mut dyn Write, report: &FreeReport, ui: &Ui) -> io::Result<()> {
    if ui.quiet || !ui.tty {
        for port in &report.ports {
            writeln!(w, "{port}")?;
        }
        return Ok(());
    }
    let hosts: Vec<String> = report.hosts.iter().map(ToString::to_string).collect();
    if report.ports.is_empty() {
        let (low, high) = report.range;
        return writeln!(
            w,
            "{}",
            ui.paint(&ui.cat.text(&Text::FreeNone { low, high }), Color::Yellow)
        );
    }
    writeln!(
        w,
        "{}",
        ui.cat.text(&Text::FreeVerdict {
            hosts: &hosts.join(", ")
        })
    )?;
    for port in &report.ports {
        writeln!(w, "  {}", ui.paint(&port.to_string(), Color::Green))?;
    }
    Ok(())
}

/// Bare numbers that are not there say why on stderr, so that `PORT=$(bindscope free)` does not
/// fail in silence.
pub fn why_empty(w: &mut dyn Write, report: &FreeReport, ui: &Ui) -> io::Result<()> {
    let bare = ui.quiet || !ui.tty;
    if ui.json || !bare || !report.ports.is_empty() {
        return Ok(());
    }
    let (low, high) = report.range;
    writeln!(
        w,
        "bindscope: {}",
        ui.cat.text(&Text::FreeNone { low, high })
    )
}
