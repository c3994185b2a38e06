//! `port`'s human view: the verdict, sockets, trial binds, facts, and what `--kill` did.

use std::io::{self, Write};

use super::table::{Cell, Table};
use colored::Color;

use super::listeners::socket_table;
use super::{say, sentence, write_notes, Ui};
use std::net::SocketAddr;

use crate::analysis::sockets::Refusal;
use crate::i18n::{Label, Text};
use crate::model::{KillOutcome, Signal};
use crate::report::port::{HolderOut, KillVerdict, PortVerdict};
use crate::report::{KillOut, PortReport};
use crate::sanitize::escape;

pub fn human(w: &mut dyn Write, report: &PortReport, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    let port = report.port;
    // With --kill the port as it was before the kill is stale: only what happened is told
    // (the holders were shown before the question).
    if let Some(kill) = &report.kill {
        return write_kill(w, port, kill, ui);
    }
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
        sentence(w, ui, &ui.paint(&danger, Color::Red))?;
    }
    sentence(w, ui, &ui.paint(&verdict, color))?;
    if ui.quiet {
        return Ok(());
    }

    if !report.sockets.is_empty() {
        writeln!(w)?;
        socket_table(&report.sockets, ui, true).write(w, ui.color, ui.width)?;
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
    binds.write(w, ui.color, ui.width)?;
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
    facts.write(w, ui.color, ui.width)?;

    super::explain::read_next(w, ui, &report.explain)
}

/// The processes `--kill` is about to stop, and the question: written before anything is
/// signalled, so that the user answers knowing what each one is.
pub fn question(w: &mut dyn Write, port: u16, holders: &[HolderOut], ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    writeln!(w, "{}", ui.bold(&cat.text(&Text::KillHolders { port })))?;
    for h in holders {
        let line = cat.text(&Text::KillHolder {
            pid: h.pid,
            name: &h.name,
            user: h.user.as_deref(),
            running_s: h.running_s,
        });
        say(w, ui, "  ", "    ", &escape(&line))?;
        let mut details = Table::new(&[]);
        for (label, value) in [(Label::Command, &h.cmdline), (Label::Folder, &h.cwd)] {
            if let Some(value) = value {
                details.add_row(vec![
                    Cell::new(format!("   {}", cat.label(label))),
                    Cell::word(value),
                ]);
            }
        }
        details.write(w, ui.color, ui.width)?;
        if h.container_init {
            let text = cat.text(&Text::KillContainerInit { pid: h.pid });
            say(w, ui, "   ", "     ", &text)?;
        }
    }
    write!(
        w,
        "{}",
        escape(&cat.text(&Text::KillAsk {
            count: holders.iter().filter(|h| !h.container_init).count()
        }))
    )
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
                    Signal::Kill if kill.first_step_final => "TerminateProcess",
                    Signal::Kill => "SIGKILL",
                })
                .collect();
            let outcome = match t.outcome {
                KillOutcome::Permission => cat.text(&Text::KillBelongsTo {
                    user: t.user.as_deref(),
                }),
                other => cat.kill_outcome(other).to_string(),
            };
            table.add_row(vec![
                Cell::new(t.pid),
                Cell::new(&t.name),
                Cell::new(if signals.is_empty() {
                    "—".to_string()
                } else {
                    signals.join(", ")
                }),
                Cell::new(outcome),
            ]);
        }
        table.write(w, ui.color, ui.width)?;
    }
    if kill.forced && kill.first_step_final {
        sentence(w, ui, &cat.text(&Text::KillForceNoEffect))?;
    }
    for r in &kill.refused {
        let text = format!(
            "{} pid {} ({})",
            cat.label(Label::Refused),
            r.pid,
            r.message
        );
        say(w, ui, "  ", "    ", &text)?;
    }
    if kill
        .refused
        .iter()
        .any(|r| r.reason == Refusal::ForeignPids)
    {
        sentence(w, ui, &cat.text(&Text::KillForeignPids))?;
    }
    for t in kill
        .targets
        .iter()
        .filter(|t| t.outcome == KillOutcome::ContainerInit)
    {
        sentence(w, ui, &cat.text(&Text::KillContainerInit { pid: t.pid }))?;
    }
    if kill.udp_left > 0 {
        let text = Text::KillUdpLeft {
            port,
            count: kill.udp_left,
        };
        sentence(w, ui, &cat.text(&text))?;
    }
    for u in &kill.unseen {
        let text = cat.text(&Text::KillUnseen {
            port,
            at: &SocketAddr::new(u.ip, u.port).to_string(),
            user: u.user.as_deref(),
            needs_privilege: u.needs_privilege,
        });
        sentence(w, ui, &escape(&text))?;
    }
    let (text, color) = match kill.verdict {
        KillVerdict::NothingToKill => (cat.text(&Text::NothingToKill { port }), Color::Green),
        KillVerdict::Freed if kill.udp_left > 0 => {
            (cat.text(&Text::KillFreedTcp { port }), Color::Green)
        }
        KillVerdict::Freed => (cat.text(&Text::KillFreed { port }), Color::Green),
        KillVerdict::TakenAgain => {
            let who = who(kill.taken_by.iter().map(|p| (p.name.as_str(), p.pid)));
            (cat.text(&Text::KillTakenBy { port, who: &who }), Color::Red)
        }
        KillVerdict::NothingSent => (cat.text(&Text::KillNothingSent { port }), Color::Red),
        KillVerdict::NotFreed | KillVerdict::Cancelled => (
            cat.text(&Text::KillNotFreed {
                port,
                suggest_force: kill.force_would_help,
            }),
            Color::Red,
        ),
    };
    sentence(w, ui, &ui.paint(&text, color))
}

/// `python3 (pid 4200), node (pid 5100)`: the processes a kill question or verdict names.
/// Not yet safe to write: the sink that writes it escapes it.
pub fn who<'a>(processes: impl Iterator<Item = (&'a str, u32)>) -> String {
    processes
        .map(|(name, pid)| format!("{name} (pid {pid})"))
        .collect::<Vec<_>>()
        .join(", ")
}
