//! `expose`'s human view: the verdict, the addresses a bind listens on, notes, the comparison.

use std::io::{self, Write};

use super::table::{Cell, Table};
use colored::Color;

use super::{reach_color, say, sentence, write_notes, Ui};
use crate::analysis::vocab::Reach;
use crate::i18n::{Label, Text};
use crate::report::expose::ExposeVerdict;
use crate::report::ExposeReport;

pub fn human(w: &mut dyn Write, report: &ExposeReport, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    let display = report.display.as_str();
    let verdict = if report.verdict == ExposeVerdict::CannotBind {
        ui.paint(&cat.text(&Text::ExposeFails { bind: display }), Color::Red)
    } else if let Some(error) = report.verdict.eq(&ExposeVerdict::BindFailsNow).then(|| {
        report
            .bind_error
            .as_ref()
            .map(|e| cat.bind_result(Some(e)))
            .unwrap_or_default()
    }) {
        let holder = report
            .blocked_by
            .as_ref()
            .and_then(|b| Some((b.process.as_deref()?, b.socket)));
        let text = cat.text(&Text::ExposeBindFails {
            bind: display,
            error: &error,
            holder,
        });
        ui.paint(&text, Color::Red)
    } else {
        let text = match &report.routed_network {
            Some(network) => cat.text(&Text::ExposeRouted {
                bind: display,
                network,
                risk: report.risk,
            }),
            None => cat.text(&Text::ExposeVerdict {
                bind: display,
                reach: report.reach,
                risk: report.risk,
            }),
        };
        match report.reach {
            Reach::None => ui.paint(&text, Color::Red),
            reach => ui.paint(&text, reach_color(reach)),
        }
    };
    sentence(w, ui, &verdict)?;
    if ui.quiet {
        return Ok(());
    }

    if !report.candidates.is_empty() {
        writeln!(w)?;
        let text = cat.text(&Text::ResolvesTo {
            name: &report.bind.host,
        });
        say(w, ui, "", "  ", &crate::sanitize::escape(&text))?;
        let mut table = Table::new(&[
            cat.label(Label::Address),
            cat.label(Label::OnThisMachine),
            "",
        ]);
        for c in &report.candidates {
            table.add_row(vec![
                c.ip.to_string(),
                cat.label(if c.local { Label::Yes } else { Label::No })
                    .to_string(),
                if c.picked {
                    format!("← {}", cat.label(Label::ServersBindThis))
                } else {
                    String::new()
                },
            ]);
        }
        table.write(w, ui.color, ui.width)?;
    }

    if !report.listens_on.is_empty() {
        writeln!(w)?;
        let mut header = ui.labels(&[Label::Address, Label::Interface, Label::Reach, Label::Url]);
        if ui.verbose > 0 {
            header.push(cat.label(Label::Kind));
        }
        let mut table = Table::new(&header);
        for l in &report.listens_on {
            let mut row = vec![
                Cell::new(l.ip),
                Cell::new(&l.interface),
                ui.reach_cell_for(l.reach, l.routed_only, l.state),
                Cell::new(l.url.as_deref().unwrap_or("—")),
            ];
            if ui.verbose > 0 {
                row.push(Cell::new(cat.addr_kind(l.kind)));
            }
            table.add_row(row);
        }
        table.write(w, ui.color, ui.width)?;
    }

    if !report.notes.is_empty() {
        writeln!(w)?;
        write_notes(w, ui, &report.notes)?;
    }

    writeln!(w)?;
    sentence(w, ui, &ui.bold(&report.comparison.title))?;
    let mut table = Table::new(&[]);
    for row in &report.comparison.rows {
        table.add_row(vec![row.label, row.text]);
    }
    table.write(w, ui.color, ui.width)?;
    super::explain::read_next(w, ui, &report.explain)
}
