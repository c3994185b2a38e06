//! `port`'s human view: the verdict, sockets, trial binds, facts, and what `--kill` did.

use std::io::{self, Write};

use super::table::{Cell, Table};
use colored::Color;

use super::listeners::socket_table;
use super::{write_notes, Ui};
use crate::i18n::{Label, Text};
use crate::model::Signal;
use crate::report::port::{KillVerdict, PortVerdict};
use crate::report::{KillOut, PortReport};

pub fn human(w: &mut dyn Write, report: &PortReport, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    let port = report.port;
    let failed: Vec<String> = report
        .bind_test
        .iter()
        .filter(|t| !t.ok)
        .map(|t| t.host.to_string())
        .collect();
    let failed = failed.join(", ");
    let (verdict, color) = match report.verdict {
        PortVerdict::Free => (cat.text(&Text::PortFree { port }), Color::Green),
        PortVerdict::Taken => (
            cat.text(&Text::PortTaken {
                port,
                failed: &failed,
            }),
            Color::Red,
        ),
        PortVerdict::Restricted => (cat.text(&Text::PortRestricted { port }), Color::Yellow),
        PortVerdict::Unbindable => (
            cat.text(&Text::PortUnbindable {
                port,
                failed: &failed,
            }),
            Color::Yellow,
        ),
    };
    if report.debugger_exposed {
        let danger = cat.text(&Text::DebuggerDanger { port });
        writeln!(w, "{}", ui.paint(&danger, Color::Red))?;
    }
    writeln!(w, "{}", ui.paint(&verdict, color))?;
    if ui.quiet && report.kill.is_none() {
        return Ok(());
    }

    if !ui.quiet {
        if !report.sockets.is_empty() {
            writeln!(w)?;
            socket_table(&report.sockets, ui, true).write(w, ui.color)?;
        }
        writeln!(w)?;
        let mut binds = Table::new(&[cat.label(Label::Bind), cat.label(Label::Result)]);
        for t in &report.bind_test {
            let color = if t.ok { Color::Green } else { Color::Red };
            binds.add_row(vec![
                Cell::new(std::net::SocketAddr::new(t.host, port)),
                Cell::colored(&t.message, color),
            ]);
        }
        binds.write(w, ui.color)?;
        if !report.notes.is_empty() {
            writeln!(w)?;
            write_notes(w, ui, &report.notes)?;
        }
        writeln!(w)?;
        let mut facts = Table::new(&[]);
        facts.add_row(vec![cat.label(Label::Class), cat.port_class(report.class)]);
        if let Some(service) = &report.service {
            facts.add_row(vec![cat.label(Label::Service), service.name]);
        }
        if !report.suggestions.is_empty() {
            let list: Vec<String> = report.suggestions.iter().map(ToString::to_string).collect();
            facts.add_row(vec![
                cat.label(Label::FreeNearby).to_string(),
                list.join(", "),
            ]);
        }
        facts.write(w, ui.color)?;
    }
    if let Some(kill) = &report.kill {
        writeln!(w)?;
        write_kill(w, port, kill, ui)?;
    }
    super::explain::read_next(w, ui, &report.explain)
}

fn write_kill(w: &mut dyn Write, port: u16, kill: &KillOut, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    if kill.verdict == KillVerdict::Cancelled {
        return writeln!(w, "{}", cat.text(&Text::KillCancelled));
    }
    if !kill.targets.is_empty() {
        let mut table =
            Table::new(&ui.labels(&[Label::Pid, Label::Process, Label::Signals, Label::Outcome]));
        for t in &kill.targets {
            let signals: Vec<&str> = t
                .signals
                .iter()
                .map(|s| match s {
                    Signal::Terminate => "SIGTERM",
                    Signal::Kill => "SIGKILL",
                })
                .collect();
            table.add_row(vec![
                Cell::new(t.pid),
                Cell::new(&t.name),
                Cell::new(if signals.is_empty() {
                    "—".to_string()
                } else {
                    signals.join(", ")
                }),
                Cell::new(cat.kill_outcome(t.outcome)),
            ]);
        }
        table.write(w, ui.color)?;
    }
    for r in &kill.refused {
        writeln!(
            w,
            "  {} pid {} ({})",
            cat.label(Label::Refused),
            r.pid,
            r.message
        )?;
    }
    let (text, color) = match kill.verdict {
        KillVerdict::NothingToKill => (cat.text(&Text::NothingToKill { port }), Color::Green),
        KillVerdict::Freed => (cat.text(&Text::KillFreed { port }), Color::Green),
        KillVerdict::TakenAgain => {
            let who = who(kill.taken_by.iter().map(|p| (p.name.as_str(), p.pid)));
            (cat.text(&Text::KillTakenBy { port, who: &who }), Color::Red)
        }
        KillVerdict::NotFreed | KillVerdict::Cancelled => (
            cat.text(&Text::KillNotFreed {
                port,
                forced: kill.forced,
            }),
            Color::Red,
        ),
    };
    writeln!(w, "{}", ui.paint(&text, color))
}

/// `python3 (pid 4200), node (pid 5100)`: the processes a kill question or verdict names.
/// Not yet safe to write: the sink that writes it escapes it.
pub fn who<'a>(processes: impl Iterator<Item = (&'a str, u32)>) -> String {
    processes
        .map(|(name, pid)| format!("{name} (pid {pid})"))
        .collect::<Vec<_>>()
        .join(", ")
}
