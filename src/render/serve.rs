//! The beacon's words: the page a visitor gets, the line a visit writes, the first and last lines.

use std::io::{self, Write};

use super::Ui;
use crate::analysis::vocab::BeaconDiagnosis;
use crate::i18n::{Catalogue, Text};
use crate::model::{Ended, Page};
use crate::report::serve::{ServeReport, VisitReport};
use crate::sanitize::escape;

/// The beacon's answer: plain text for curl, a small HTML page for a browser. Its lines are
/// made safe: the page lands in a visitor's terminal as often as in a browser.
pub fn page(report: &VisitReport, html: bool, cat: &dyn Catalogue) -> Page {
    let title = cat.text(&Text::PageTitle);
    if !html {
        let mut body = format!("{title}\n\n");
        for line in &report.lines {
            body.push_str(&escape(line));
            body.push('\n');
        }
        return Page {
            content_type: "text/plain; charset=utf-8",
            body,
        };
    }
    let html = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut body = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title></head>\n<body style=\"font-family: sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em\">\n<h1>{t}</h1>\n",
        t = html(&title)
    );
    for line in &report.lines {
        body.push_str(&format!("<p>{}</p>\n", html(&escape(line))));
    }
    body.push_str("</body></html>\n");
    Page {
        content_type: "text/html; charset=utf-8",
        body,
    }
}

/// The longest line a visit writes, in characters: a path can be 200 and more.
const LINE_CHARS: usize = 160;

/// One line a visit: when, who, which address and interface, what was asked. Made safe and
/// capped in length (by `paint`, `dim` and here).
pub fn visit_line(w: &mut dyn Write, report: &VisitReport, ui: &Ui) -> io::Result<()> {
    let reached = std::net::SocketAddr::new(report.reached, report.port);
    let interface = report.interface.as_deref().unwrap_or("?");
    let line = format!(
        "[+{:>4.0}s]  {} → {} ({})  {} {}",
        report.at_s, report.client, reached, interface, report.method, report.path
    );
    let line = match line.char_indices().nth(LINE_CHARS) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    };
    let line = if report.same_machine {
        ui.dim(&line)
    } else {
        ui.paint(&line, colored::Color::Green)
    };
    writeln!(w, "{line}")
}

/// A line for something heard besides a visit (a TLS handshake, a device asking for this
/// machine's address, packets dropped), stamped like a visit's.
pub fn event_line(w: &mut dyn Write, at_s: f64, text: &str, ui: &Ui) -> io::Result<()> {
    let line = format!("[+{at_s:>4.0}s]  {text}");
    writeln!(w, "{}", ui.paint(&line, colored::Color::Yellow))
}

/// Under `--json`, on stderr: where the beacon listens, before anything else.
pub fn listening(w: &mut dyn Write, report: &ServeReport, ui: &Ui) -> io::Result<()> {
    let text = ui.cat.text(&Text::ServeListening {
        addr: &report.address().to_string(),
    });
    super::line(w, &text)
}

/// What the beacon prints when it starts: where it listens, for how long, the URLs.
pub fn started(w: &mut dyn Write, report: &ServeReport, ui: &Ui) -> io::Result<()> {
    let text = ui.cat.text(&Text::ServeStarted {
        addr: &report.address().to_string(),
        seconds: report.seconds,
        loopback: report.on_loopback(),
    });
    writeln!(w, "{}", ui.bold(&text))?;
    writeln!(w)?;
    super::urls::url_table(&report.urls, ui).write(w, ui.color, ui.width)?;
    if report.urls.qr {
        super::urls::qr_block(w, &report.urls, ui)?;
    }
    writeln!(w)
}

/// The summary: how many visits, what they show about the other device (and the firewall
/// behind a drop), the load it shed; or why the beacon could not listen at all.
pub fn ended(w: &mut dyn Write, report: &ServeReport, ui: &Ui) -> io::Result<()> {
    if let Some(reason) = &report.bind_message {
        let text = ui.cat.text(&Text::ServeCannotBind {
            addr: &report.address().to_string(),
            reason,
        });
        return super::line(w, &text);
    }
    writeln!(w)?;
    let text = ui.cat.text(&Text::ServeEnded {
        visits: report.visit_count,
        interrupted: report.ended == Some(Ended::Interrupted),
    });
    writeln!(w, "{}", ui.bold(&text))?;
    if let Some(diagnosis) = &report.diagnosis {
        let color = match diagnosis.code {
            BeaconDiagnosis::Visited => colored::Color::Green,
            _ => colored::Color::Yellow,
        };
        writeln!(w, "{}", ui.paint(&diagnosis.message, color))?;
    }
    super::write_notes(w, ui, &report.notes)?;
    if report.turned_away + report.shed > 0 {
        let text = ui.cat.text(&Text::ServeBusy {
            turned_away: report.turned_away,
            shed: report.shed,
        });
        super::line(w, &text)?;
    }
    if report.events_missed > 0 {
        let text = ui.cat.text(&Text::ServeMissed {
            events: report.events_missed,
        });
        super::line(w, &text)?;
    }
    Ok(())
}
