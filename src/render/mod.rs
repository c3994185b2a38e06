//! Human tables and JSON, written to any `Write`. Colour is an accent only: every coloured
//! word also says what it means.
//!
//! Text is made safe where it is written (`crate::sanitize`): table cells, notes, and every
//! line that goes through `paint`, `bold`, `dim` or `line` — escaped before it is painted, so
//! that our colour codes survive and a name's do not.

pub mod explain;
pub mod expose;
pub mod free;
pub mod interfaces;
pub mod lab;
pub mod listeners;
pub mod markdown;
pub mod overview;
pub mod port;
pub mod probe;
pub mod serve;
pub mod table;
pub mod urls;
pub mod wait;
pub mod wrap;

use std::io::{self, Write};

use colored::{Color, ColoredString, Colorize};
use serde::Serialize;

use crate::analysis::vocab::Reach;
use crate::exit_codes::ExitCode;
use crate::i18n::{Catalogue, Label, Lang};
use crate::model::AddrState;
use crate::report::{Envelope, NoteOut, Report, SCHEMA};
use crate::sanitize::{self, escape};
use table::Cell;

/// How to render: the language, colour, width and the rest of what the CLI decided once.
#[derive(Clone, Copy)]
pub struct Ui {
    /// One JSON document instead of the human view.
    pub json: bool,
    pub lang: Lang,
    pub cat: &'static dyn Catalogue,
    pub color: bool,
    pub verbose: u8,
    pub quiet: bool,
    pub tty: bool,
    /// The terminal's columns: tables fit them, sentences wrap within them; 0: do not wrap.
    pub width: usize,
}

impl Ui {
    /// The columns a sentence wraps at: the terminal's, up to a readable measure; 0 piped.
    pub fn measure(&self) -> usize {
        self.width.min(wrap::MEASURE)
    }

    /// `text` made safe, in `color` when colours are on.
    pub fn paint(&self, text: &str, color: Color) -> String {
        self.styled(text, |t| t.color(color))
    }

    pub fn bold(&self, text: &str) -> String {
        self.styled(text, |t| t.bold())
    }

    pub fn dim(&self, text: &str) -> String {
        self.styled(text, |t| t.dimmed())
    }

    /// `text` made safe first, then styled when colours are on: our escape codes survive, a
    /// name's do not.
    fn styled(&self, text: &str, style: impl FnOnce(&str) -> ColoredString) -> String {
        let text = escape(text);
        if self.color {
            style(&text).to_string()
        } else {
            text.into_owned()
        }
    }

    /// A table's header: these labels in the user's language.
    pub fn labels(&self, labels: &[Label]) -> Vec<&'static str> {
        labels.iter().map(|&l| self.cat.label(l)).collect()
    }

    /// A table cell in the accent colour of a reach.
    pub fn reach_cell(&self, reach: Reach) -> Cell {
        Cell::colored(self.cat.reach(reach), reach_color(reach))
    }

    /// The reach of one address, with how it holds: only if routed here, or not usable yet.
    pub fn reach_cell_for(&self, reach: Reach, routed_only: bool, state: AddrState) -> Cell {
        let how = match state {
            AddrState::Tentative => Some(Label::Tentative),
            AddrState::DadFailed => Some(Label::DadFailed),
            AddrState::Ready if routed_only => Some(Label::RoutedOnly),
            AddrState::Ready => None,
        };
        match how {
            Some(how) => Cell::colored(
                format!("{} ({})", self.cat.reach(reach), self.cat.label(how)),
                reach_color(reach),
            ),
            None => self.reach_cell(reach),
        }
    }
}

/// Green for this machine only, yellow for a network, red for the internet; grey for nobody.
pub fn reach_color(reach: Reach) -> Color {
    match reach {
        Reach::Host => Color::Green,
        Reach::Link | Reach::Lan => Color::Yellow,
        Reach::Internet => Color::Red,
        Reach::None => Color::BrightBlack,
    }
}

/// A line of text with no accent, made safe: for lines that name what the machine or the
/// user gave (the painted ones are made safe by `paint`).
pub fn line(w: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(w, "{}", escape(text))
}

/// A sentence (already safe to write, perhaps painted whole) after `first`, wrapped to the
/// measure with its later lines after `rest`, which is as wide as `first` for a hanging
/// indent. Piped, one line as given.
pub fn say(w: &mut dyn Write, ui: &Ui, first: &str, rest: &str, text: &str) -> io::Result<()> {
    if ui.measure() == 0 {
        return writeln!(w, "{first}{text}");
    }
    let width = textwrap::core::display_width;
    let lines = wrap::lines(text, ui.measure(), width(first), width(rest));
    for (n, text) in lines.iter().enumerate() {
        let lead = if n == 0 { first } else { rest };
        if text.is_empty() {
            writeln!(w, "{}", lead.trim_end())?;
        } else {
            writeln!(w, "{lead}{text}")?;
        }
    }
    Ok(())
}

/// A verdict or another sentence of its own: from the margin, later lines indented.
pub fn sentence(w: &mut dyn Write, ui: &Ui, text: &str) -> io::Result<()> {
    say(w, ui, "", "  ", text)
}

/// Notes as a bulleted list, made safe; warnings in yellow.
pub fn write_notes(w: &mut dyn Write, ui: &Ui, notes: &[NoteOut]) -> io::Result<()> {
    for note in notes {
        let text = if note.warning {
            ui.paint(&note.message, Color::Yellow)
        } else {
            escape(&note.message).into_owned()
        };
        say(w, ui, "  • ", "    ", &text)?;
    }
    Ok(())
}

/// The human view of a report. Each report's view lives in the module named after its command;
/// this is the one table of which view belongs to which report.
pub trait Human {
    fn human(&self, w: &mut dyn Write, ui: &Ui) -> io::Result<()>;
}

/// The one output path: the report as JSON or as its human view, and the exit code it earns.
pub fn emit<R: Report + Human>(w: &mut dyn Write, ui: &Ui, report: &R) -> io::Result<ExitCode> {
    if ui.json {
        write_json(w, ui, report.command(), report)?;
    } else {
        report.human(w, ui)?;
    }
    Ok(report.exit_code())
}

/// One JSON document: `schema`, `command`, then the report's fields. Indented on a terminal,
/// compact when a program reads it (2,000 listeners are 40% smaller and quicker to write).
fn write_json<T: Serialize>(
    w: &mut dyn Write,
    ui: &Ui,
    command: &'static str,
    report: &T,
) -> io::Result<()> {
    let envelope = Envelope {
        schema: SCHEMA,
        command,
        report,
    };
    // serde_json's layout and escapes, and `\uXXXX` for what it would leave raw (C1, bidi…).
    if ui.tty {
        serialize(w, &envelope, serde_json::ser::PrettyFormatter::new())?;
    } else {
        serialize(w, &envelope, serde_json::ser::CompactFormatter)?;
    }
    writeln!(w)
}

fn serialize<T: Serialize, F: serde_json::ser::Formatter>(
    w: &mut dyn Write,
    value: &T,
    layout: F,
) -> io::Result<()> {
    // serde_json writes a few bytes at a time (a quote, a key, a comma): buffered here, each of
    // those is a copy, not a call through `dyn Write`.
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, w);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut buffered, sanitize::Json(layout));
    value.serialize(&mut serializer)?;
    buffered.flush()
}

/// A wildcard bind as a sentence names it: `0.0.0.0` or `::`.
pub fn wildcard(bind: Option<std::net::IpAddr>) -> String {
    bind.map_or_else(|| "0.0.0.0".to_string(), |ip| ip.to_string())
}

#[cfg(test)]
mod json_tests;
#[cfg(test)]
mod os_words_tests;
#[cfg(test)]
mod pages_tests;
#[cfg(test)]
mod sanitize_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod truth_tests;
#[cfg(test)]
mod width_tests;

macro_rules! human_views {
    ($($report:ty => $view:path),* $(,)?) => {
        $(impl Human for $report {
            fn human(&self, w: &mut dyn Write, ui: &Ui) -> io::Result<()> {
                $view(w, self, ui)
            }
        })*
    };
}

human_views! {
    crate::report::OverviewReport => overview::human,
    crate::report::InterfacesReport => interfaces::human,
    crate::report::ExposeReport => expose::human,
    crate::report::UrlsReport => urls::human,
    crate::report::ListenersReport<'_> => listeners::human,
    crate::report::PortReport => port::human,
    crate::report::FreeReport => free::human,
    crate::report::probe::ProbeReport => probe::human,
    crate::report::serve::ServeReport => serve::ended,
    crate::report::lab::LabReport => lab::human,
    crate::report::explain::ExplainOut => explain::human,
    crate::report::wait::WaitReport => wait::human,
    crate::report::Generated => generated,
}

/// Completions and the man page, as generated.
fn generated(w: &mut dyn Write, report: &crate::report::Generated, _ui: &Ui) -> io::Result<()> {
    w.write_all(report.text.as_bytes())
}
