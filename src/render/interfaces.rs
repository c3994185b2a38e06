//! `interfaces`' human view, and the interfaces table the overview shares.

use std::io::{self, Write};

use super::table::{Cell, Table};
use colored::Color;

use super::{say, sentence, write_notes, Ui};
use crate::i18n::{Label, Text};
use crate::report::{InterfaceOut, InterfacesReport};

pub fn human(w: &mut dyn Write, report: &InterfacesReport, ui: &Ui) -> io::Result<()> {
    if ui.quiet {
        if let Some(p) = &report.primary {
            writeln!(w, "{}", p.ip)?;
        }
        return Ok(());
    }
    let verdict = match &report.primary {
        Some(p) => ui.paint(
            &ui.cat.text(&Text::PrimaryVerdict {
                ip: p.ip,
                interface: &p.interface,
            }),
            Color::Green,
        ),
        None => ui.paint(&ui.cat.text(&Text::NoPrimary), Color::Yellow),
    };
    sentence(w, ui, &verdict)?;
    writeln!(w)?;
    table(&report.interfaces, ui).write(w, ui.color, ui.width)?;
    writeln!(w)?;
    legend(w, &report.interfaces, ui)?;
    write_notes(w, ui, &report.notes)
}

/// The interfaces table, shared with the overview.
pub fn table(interfaces: &[InterfaceOut], ui: &Ui) -> Table {
    let cat = ui.cat;
    let mut header = ui.labels(&[
        Label::Interface,
        Label::State,
        Label::Address,
        Label::Kind,
        Label::Reach,
    ]);
    if ui.verbose > 0 {
        header.push(cat.label(Label::Device));
    }
    let mut table = Table::new(&header);
    for iface in interfaces {
        let state = cat.label(if iface.up { Label::Up } else { Label::Down });
        let device = cat.device(iface.device);
        if iface.addresses.is_empty() {
            let mut row = vec![
                Cell::new(&iface.name),
                Cell::new(state),
                Cell::new(cat.label(Label::NoAddress)),
                Cell::new(""),
                Cell::new(""),
            ];
            if ui.verbose > 0 {
                row.push(Cell::new(device));
            }
            table.add_row(row);
        }
        for (n, a) in iface.addresses.iter().enumerate() {
            let first = n == 0;
            let mut address = format!("{}/{}", a.ip, a.prefix);
            if a.primary {
                address.push_str(" ★");
            }
            let mut row = vec![
                Cell::new(if first { iface.name.as_str() } else { "" }),
                Cell::new(if first { state } else { "" }),
                Cell::word(address),
                Cell::new(cat.addr_kind(a.kind)),
                ui.reach_cell_for(a.reach, a.routed_only, a.state),
            ];
            if ui.verbose > 0 {
                row.push(Cell::new(if first { device } else { "" }));
            }
            table.add_row(row);
        }
    }
    table
}

/// The star, and what each virtual interface is for.
pub fn legend(w: &mut dyn Write, interfaces: &[InterfaceOut], ui: &Ui) -> io::Result<()> {
    if interfaces
        .iter()
        .any(|i| i.addresses.iter().any(|a| a.primary))
    {
        say(w, ui, "  ★ ", "    ", ui.cat.label(Label::PrimaryMark))?;
    }
    for iface in interfaces.iter().filter(|i| i.is_virtual) {
        let line = ui.cat.text(&Text::InterfaceRole {
            name: &iface.name,
            role: iface.role,
        });
        say(w, ui, "  ", "    ", &ui.dim(&line))?;
    }
    Ok(())
}
