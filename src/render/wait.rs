//! `wait`'s words: the progress line redrawn in place on a terminal, and the one line at the end.

use std::io::{self, Write};

use colored::Color;

use super::Ui;
use crate::i18n::Text;
use crate::model::WaitMode;
use crate::report::wait::{WaitOutcome, WaitReport};
use crate::sanitize::escape;

/// The progress line, drawn over the previous one (`\r`, then clear to the end of the line).
pub fn progress(w: &mut dyn Write, text: &str) -> io::Result<()> {
    write!(w, "\r\x1b[K{}", escape(text))?;
    w.flush()
}

/// Clears the progress line, so the answer starts on a clean line.
pub fn clear_progress(w: &mut dyn Write) -> io::Result<()> {
    write!(w, "\r\x1b[K")?;
    w.flush()
}

/// What happened, in one line: green when it did, yellow at the timeout.
pub fn human(w: &mut dyn Write, report: &WaitReport, ui: &Ui) -> io::Result<()> {
    // The first round answered: "at once", not "after 0.0 s".
    let after_ms = (report.attempts > 1).then(|| ms(report.after_s));
    let timeout_ms = ms(report.timeout_s);
    let who = super::port::who(report.held_by.iter().map(|p| (p.name.as_str(), p.pid)));
    let (text, color) = match (report.outcome, report.answered_by) {
        (WaitOutcome::Answered, Some(by)) => (
            Text::WaitAnswered {
                by,
                status: report.http_status,
                after_ms,
            },
            Color::Green,
        ),
        (WaitOutcome::Free, _) => (
            Text::WaitFreed {
                port: report.port,
                after_ms,
            },
            Color::Green,
        ),
        _ if report.mode == WaitMode::Free => (
            Text::WaitStillHeld {
                port: report.port,
                timeout_ms,
                who: (!who.is_empty()).then_some(who.as_str()),
            },
            Color::Yellow,
        ),
        _ => (
            Text::WaitNoAnswer {
                addrs: &report.addresses,
                http: report.mode == WaitMode::Http,
                timeout_ms,
            },
            Color::Yellow,
        ),
    };
    writeln!(w, "{}", ui.paint(&ui.cat.text(&text), color))
}

fn ms(seconds: f64) -> u64 {
    (seconds * 1000.0).round() as u64
}
