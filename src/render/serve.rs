//! The beacon's words: the page a visitor gets, the line a visit writes, the first and last lines.

use std::io::{self, Write};

use super::Ui;
use crate::i18n::{Catalogue, Text};
use crate::model::Page;
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

/// One line a visit: when, who, which address and interface, what was asked.
pub fn visit_line(w: &mut dyn Write, report: &VisitReport, ui: &Ui) -> io::Result<()> {
    let reached = std::net::SocketAddr::new(report.reached, report.port);
    let interface = report.interface.as_deref().unwrap_or("?");
    let line = format!(
        "[+{:>4.0}s]  {} → {} ({})  {} {}",
        report.at_s, report.client, reached, interface, report.method, report.path
    );
    let line = if report.same_machine {
        ui.dim(&line)
    } else {
        ui.paint(&line, colored::Color::Green)
    };
    writeln!(w, "{line}")
}

/// What the beacon prints when it starts: where it listens, for how long, the URLs.
pub fn started(w: &mut dyn Write, report: &ServeReport, ui: &Ui) -> io::Result<()> {
    let text = ui.cat.text(&Text::ServeStarted {
        addr: &report.address().to_string(),
        seconds: report.seconds,
    });
    writeln!(w, "{}", ui.bold(&text))?;
    writeln!(w)?;
    super::urls::url_table(&report.urls, ui).write(w, ui.color)?;
    if report.urls.qr {
        super::urls::qr_block(w, &report.urls, ui)?;
    }
    writeln!(w)
}

/// The last line: how many visits, or why the beacon could not listen at all.
pub fn ended(w: &mut dyn Write, report: &ServeReport, ui: &Ui) -> io::Result<()> {
    let text = match &report.bind_message {
        Some(reason) => ui.cat.text(&Text::ServeCannotBind {
            addr: &report.address().to_string(),
            reason,
        }),
        None => ui.cat.text(&Text::ServeEnded {
            visits: report.visits.len(),
        }),
    };
    super::line(w, &text)
}
