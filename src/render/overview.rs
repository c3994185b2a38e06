//! The overview's human view.

use std::io::{self, Write};

use super::table::{Cell, Table};
use colored::Color;

use super::{interfaces, sentence, wildcard, write_notes, Ui};
use crate::i18n::{Label, Text};
use crate::report::overview::{OverviewReport, OverviewVerdict};

pub fn human(w: &mut dyn Write, report: &OverviewReport, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    let verdict = match (report.verdict, &report.primary, &report.recommended_url) {
        (OverviewVerdict::DebuggerExposed, _, _) => ui.paint(
            &cat.text(&Text::DebuggerDanger { port: report.port }),
            Color::Red,
        ),
        (OverviewVerdict::WslNat, Some(p), _) => {
            ui.paint(&cat.text(&Text::OverviewWsl { ip: p.ip }), Color::Yellow)
        }
        (OverviewVerdict::PublicAddress, Some(p), _) => ui.paint(
            &cat.text(&Text::OverviewPublic {
                ip: p.ip,
                port: report.port,
            }),
            Color::Red,
        ),
        (OverviewVerdict::Serving, _, Some(url)) => ui.paint(
            &cat.text(&Text::OverviewServing {
                url,
                port: report.port,
            }),
            Color::Green,
        ),
        (OverviewVerdict::Share, _, Some(url)) => ui.paint(
            &cat.text(&Text::OverviewVerdict {
                url,
                wildcard: &wildcard(report.recommended_bind),
            }),
            Color::Green,
        ),
        _ => ui.paint(&cat.text(&Text::NoPrimary), Color::Yellow),
    };
    if ui.quiet {
        return sentence(w, ui, &verdict);
    }
    let hostname = report.hostname.as_deref().unwrap_or("?");
    let title = cat.text(&Text::Title {
        hostname,
        os: report.os,
        port: report.port,
    });
    if report.verdict == OverviewVerdict::DebuggerExposed {
        // DANGER is the first line, before the title.
        sentence(w, ui, &verdict)?;
        sentence(w, ui, &ui.bold(&format!("bindscope · {title}")))?;
    } else {
        sentence(w, ui, &ui.bold(&format!("bindscope · {title}")))?;
        sentence(w, ui, &verdict)?;
    }

    writeln!(w)?;
    writeln!(w, "{}", ui.bold(cat.label(Label::Interfaces)))?;
    interfaces::table(&report.interfaces, ui).write(w, ui.color, ui.width)?;
    interfaces::legend(w, &report.interfaces, ui)?;

    writeln!(w)?;
    writeln!(w, "{}", ui.bold(cat.label(Label::IfYourServerBindsTo)))?;
    let mut table = Table::new(&ui.labels(&[Label::Bind, Label::Reach, Label::Risk, Label::Url]));
    for bind in &report.binds {
        table.add_row(vec![
            Cell::new(&bind.host),
            ui.reach_cell(bind.reach),
            Cell::new(cat.risk(bind.risk)),
            if bind.urls.is_empty() {
                Cell::new("—")
            } else {
                Cell::lines(&bind.urls)
            },
        ]);
    }
    table.write(w, ui.color, ui.width)?;

    if !report.notes.is_empty() {
        writeln!(w)?;
        write_notes(w, ui, &report.notes)?;
    }
    writeln!(w)?;
    let probe = format!("bindscope probe -p {}", report.port);
    let next = [
        probe.as_str(),
        "bindscope expose 0.0.0.0",
        "bindscope urls --qr",
        "bindscope interfaces --all",
    ];
    let next = format!("{} {}", cat.label(Label::Next), ui.dim(&next.join("  ·  ")));
    sentence(w, ui, &next)
}
