//! `probe`'s human views: of this machine (the bind revealed) and of a target.

use std::io::{self, Write};

use colored::Color;

use super::table::{Cell, Table};
use super::{reach_color, say, sentence, write_notes, Ui};
use crate::analysis::vocab::Reach;
use crate::analysis::vocab::Status;
use crate::i18n::{Label, Text};
use crate::report::probe::{
    HttpOut, LocalProbeReport, LocalVerdict, ProbeReport, ProbeRow, RemoteProbeReport,
    RemoteVerdict,
};
use crate::sanitize::escape;

fn status_color(status: Status) -> Color {
    match status {
        Status::Open => Color::Green,
        Status::Refused => Color::Yellow,
        _ => Color::Red,
    }
}

fn http_cell(http: &Option<HttpOut>) -> String {
    match http {
        None => String::new(),
        Some(h) => match (h.status, &h.server) {
            (Some(status), Some(server)) => {
                format!(
                    "{status} {} · {}",
                    h.reason.as_deref().unwrap_or(""),
                    server
                )
            }
            (Some(status), None) => format!("{status} {}", h.reason.as_deref().unwrap_or("")),
            (None, _) => h.error.clone().unwrap_or_default(),
        },
    }
}

fn results_table(rows: &[ProbeRow], ui: &Ui, local: bool) -> Table {
    let cat = ui.cat;
    let http = rows.iter().any(|r| r.http.is_some());
    let mut header = vec![cat.label(Label::Address)];
    header.push(if local {
        cat.label(Label::Interface)
    } else {
        cat.label(Label::Port)
    });
    header.extend([cat.label(Label::Status), cat.label(Label::Time)]);
    if http {
        header.push(cat.label(Label::Http));
    }
    let mut table = Table::new(&header);
    for r in rows {
        let mut row = vec![
            Cell::new(r.ip.map_or_else(|| "—".to_string(), |ip| ip.to_string())),
            Cell::new(if local {
                r.interface.clone().unwrap_or_default()
            } else {
                r.port.to_string()
            }),
            Cell::colored(cat.status(r.status), status_color(r.status)),
            Cell::word(format!("{} ms", r.elapsed_ms)),
        ];
        if http {
            row.push(Cell::new(http_cell(&r.http)));
        }
        table.add_row(row);
    }
    table
}

pub fn human(w: &mut dyn Write, report: &ProbeReport, ui: &Ui) -> io::Result<()> {
    match report {
        ProbeReport::Local(local) => self::local(w, local, ui),
        ProbeReport::Remote(remote) => self::remote(w, remote, ui),
    }
}

pub fn local(w: &mut dyn Write, report: &LocalProbeReport, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    let port = report.port;
    if report.verdict == LocalVerdict::DebuggerExposed {
        let danger = cat.text(&Text::DebuggerDanger { port });
        sentence(w, ui, &ui.paint(&danger, Color::Red))?;
    }
    let (verdict, color) = match report.verdict {
        LocalVerdict::NothingAnswers => (cat.text(&Text::ProbeNone { port }), Color::Red),
        LocalVerdict::FirewallBlocks => (cat.text(&Text::ProbeFirewallBlocks { port }), Color::Red),
        LocalVerdict::HostNotAllowed => (cat.text(&Text::ProbeHostNotAllowed { port }), Color::Red),
        LocalVerdict::ListensButSilent => (cat.text(&Text::ProbeSilent { port }), Color::Red),
        LocalVerdict::BoundNotListening => (cat.text(&Text::ProbeBoundOnly { port }), Color::Red),
        LocalVerdict::LoopbackOnly => (cat.text(&Text::ProbeLoopback { port }), Color::Yellow),
        LocalVerdict::Reachable | LocalVerdict::DebuggerExposed => (
            cat.text(&Text::ProbeReachable {
                port,
                reach: report.reach,
            }),
            match report.reach {
                Reach::Host => Color::Green,
                reach => reach_color(reach),
            },
        ),
    };
    sentence(w, ui, &ui.paint(&verdict, color))?;
    if let Some(url) = &report.url {
        sentence(w, ui, &escape(&cat.text(&Text::TryUrl { url })))?;
    }
    if ui.quiet {
        return Ok(());
    }
    writeln!(w)?;
    results_table(&report.results, ui, true).write(w, ui.color, ui.width)?;
    if !report.listening_on.is_empty() {
        let on: Vec<String> = report
            .listening_on
            .iter()
            .map(ToString::to_string)
            .collect();
        let who: Vec<String> = report
            .processes
            .iter()
            .map(|p| format!("{} ({})", p.name, p.pid))
            .collect();
        writeln!(w)?;
        let mut bound = format!("{} {}", cat.label(Label::Bound), on.join(", "));
        if !who.is_empty() {
            bound.push_str(&format!("  ·  {}", who.join(", ")));
        }
        say(w, ui, "  ", "    ", &escape(&bound))?;
    }
    if !report.notes.is_empty() {
        writeln!(w)?;
        write_notes(w, ui, &report.notes)?;
    }
    super::explain::read_next(w, ui, &report.explain)
}

pub fn remote(w: &mut dyn Write, report: &RemoteProbeReport, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    let (open, total) = (report.open, report.results.len());
    let verdict = match report.verdict {
        RemoteVerdict::DebuggerExposed => cat.text(&Text::RemoteDanger {
            target: &report.target,
        }),
        RemoteVerdict::HostNotAllowed => cat.text(&Text::RemoteHostNotAllowed {
            target: &report.target,
        }),
        _ => cat.text(&Text::RemoteVerdict {
            target: &report.target,
            open,
            total,
        }),
    };
    let color = match report.verdict {
        RemoteVerdict::DebuggerExposed | RemoteVerdict::NoneOpen => Color::Red,
        RemoteVerdict::HostNotAllowed => Color::Yellow,
        RemoteVerdict::AllOpen => Color::Green,
        RemoteVerdict::SomeOpen => Color::Yellow,
    };
    sentence(w, ui, &ui.paint(&verdict, color))?;
    if ui.quiet {
        return Ok(());
    }
    writeln!(w)?;
    results_table(&report.results, ui, false).write(w, ui.color, ui.width)?;
    // What each status seen here means, once.
    writeln!(w)?;
    let mut seen: Vec<Status> = Vec::new();
    for r in &report.results {
        if !seen.contains(&r.status) {
            seen.push(r.status);
            let mut meaning = format!("{}: {}", cat.status(r.status), r.meaning);
            if let Some(error) = &r.error {
                meaning.push_str(&format!(" ({error})"));
            }
            say(w, ui, "  • ", "    ", &escape(&meaning))?;
        }
    }
    write_notes(w, ui, &report.notes)?;
    super::explain::read_next(w, ui, &report.explain)
}
