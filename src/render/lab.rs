//! `lab`'s human view: what each throwaway server showed, beside the seeds' table.

use std::io::{self, Write};

use super::table::{Cell, Table};
use super::{reach_color, sentence, Ui};
use crate::analysis::vocab::Status;
use crate::i18n::{Label, Row, Text};
use crate::report::lab::LabReport;

/// How wide a cell of the comparison table may grow before it wraps.
const CELL_WIDTH: usize = 26;

pub fn human(w: &mut dyn Write, report: &LabReport, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    sentence(w, ui, &ui.bold(&cat.text(&Text::LabIntro)))?;
    writeln!(w)?;

    // What was observed: one row per bind, one column per address of this machine.
    let addresses: Vec<String> = report
        .steps
        .first()
        .map(|s| {
            s.results
                .iter()
                .filter_map(|r| r.ip.map(|ip| ip.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let mut header: Vec<&str> = vec![cat.label(Label::Bind)];
    header.extend(addresses.iter().map(String::as_str));
    header.push(cat.label(Label::Reach));
    let mut observed = Table::new(&header);
    for step in &report.steps {
        let mut row = vec![Cell::new(step.bind)];
        for r in &step.results {
            let color = if r.status == Status::Open {
                colored::Color::Green
            } else {
                colored::Color::BrightBlack
            };
            row.push(Cell::colored(cat.status(r.status), color));
        }
        row.push(Cell::colored(
            cat.reach(step.reach),
            reach_color(step.reach),
        ));
        observed.add_row(row);
    }
    observed.write(w, ui.color, ui.width)?;

    // What the comparison tables say of the same binds, rows in the seeds' order.
    writeln!(w)?;
    sentence(w, ui, &ui.bold(&cat.text(&Text::LabComparison)))?;
    let mut header: Vec<&str> = vec![""];
    header.extend(report.comparison.iter().map(|c| cat.bind_kind(c.kind)));
    let mut seeds = Table::new(&header);
    for row in Row::ALL {
        let mut cells = vec![Cell::new(cat.row(row))];
        for c in &report.comparison {
            let text = c.rows.iter().find(|r| r.row == row).map_or("", |r| r.text);
            cells.push(match ui.width {
                // Piped: as wide as on an 80-column terminal, as it always was.
                0 => Cell::lines(textwrap::wrap(text, CELL_WIDTH)),
                _ => Cell::new(text).capped(CELL_WIDTH),
            });
        }
        seeds.add_row(cells);
    }
    seeds.write(w, ui.color, ui.width)?;
    writeln!(w)?;
    sentence(w, ui, &ui.dim(&cat.text(&Text::LabOutro)))
}
