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

use std::io::{self, Write};

use colored::{Color, Colorize};
use serde::Serialize;

use crate::analysis::vocab::Reach;
use crate::config::Output;
use crate::i18n::Catalogue;
use crate::report::{Envelope, NoteOut, SCHEMA};
use crate::sanitize::{self, escape};
use table::Cell;

/// How to render: the language and the answers of `Output`.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: crate::i18n::Lang,
    pub cat: &'static dyn Catalogue,
    pub color: bool,
    pub verbose: u8,
    pub quiet: bool,
    pub tty: bool,
    /// The columns text wraps at; 0: do not wrap.
    pub width: usize,
}

impl Ui {
    pub fn new(output: &Output) -> Ui {
        Ui {
            lang: output.lang,
            cat: output.lang.catalogue(),
            color: output.color,
            verbose: output.verbose,
            quiet: output.quiet,
            tty: output.tty,
            width: output.width,
        }
    }

    /// `text` made safe, in `color` when colours are on.
    pub fn paint(&self, text: &str, color: Color) -> String {
        let text = escape(text);
        if self.color {
            text.color(color).to_string()
        } else {
            text.into_owned()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        let text = escape(text);
        if self.color {
            text.bold().to_string()
        } else {
            text.into_owned()
        }
    }

    pub fn dim(&self, text: &str) -> String {
        let text = escape(text);
        if self.color {
            text.dimmed().to_string()
        } else {
            text.into_owned()
        }
    }

    /// A table cell in the accent colour of a reach.
    pub fn reach_cell(&self, reach: Reach) -> Cell {
        Cell::colored(self.cat.reach(reach), reach_color(reach))
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

/// Notes as a bulleted list, made safe; warnings in yellow.
pub fn write_notes(w: &mut dyn Write, ui: &Ui, notes: &[NoteOut]) -> io::Result<()> {
    for note in notes {
        if note.warning {
            writeln!(w, "  • {}", ui.paint(&note.message, Color::Yellow))?;
        } else {
            writeln!(w, "  • {}", escape(&note.message))?;
        }
    }
    Ok(())
}

/// One JSON document: `schema`, `command`, then the report's fields. Indented on a terminal,
/// compact when a program reads it (2,000 listeners are 40% smaller and quicker to write).
pub fn write_json<T: Serialize>(
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
        let formatter = sanitize::Json(serde_json::ser::PrettyFormatter::new());
        envelope.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *w, formatter,
        ))?;
    } else {
        let formatter = sanitize::Json(serde_json::ser::CompactFormatter);
        envelope.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *w, formatter,
        ))?;
    }
    writeln!(w)
}

/// The wildcard bind that serves a URL: `::` for an IPv6 one, else `0.0.0.0`.
pub fn wildcard_for(url: &str) -> &'static str {
    if url.contains("://[") {
        "::"
    } else {
        "0.0.0.0"
    }
}

#[cfg(test)]
mod pages_tests;
#[cfg(test)]
mod sanitize_tests;
#[cfg(test)]
mod tests;
