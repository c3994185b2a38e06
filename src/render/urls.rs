//! `urls`' human view: Local/Network lines on a terminal, bare URLs when piped, the QR code.

use std::io::{self, Write};

use super::table::{Cell, Table};
use colored::Color;
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

use super::{line, say, sentence, wildcard, write_notes, Ui};
use crate::i18n::{Label, Text};
use crate::report::urls::UrlsVerdict;
use crate::report::{UrlScope, UrlsReport};

/// On a terminal: Local/Network lines. Piped (or `-q`): URLs only, one a line, those for
/// other devices first, so that `bindscope urls | head -1` is the one to share.
pub fn human(w: &mut dyn Write, report: &UrlsReport, ui: &Ui) -> io::Result<()> {
    if ui.quiet || !ui.tty {
        for scope in [UrlScope::Network, UrlScope::Local, UrlScope::Other] {
            for e in report.entries.iter().filter(|e| e.scope == scope) {
                line(w, &e.url)?;
            }
        }
        return Ok(());
    }
    let cat = ui.cat;
    let verdict = match (report.verdict, &report.recommended) {
        (UrlsVerdict::DebuggerExposed, _) => ui.paint(
            &cat.text(&Text::DebuggerDanger { port: report.port }),
            Color::Red,
        ),
        (UrlsVerdict::NotAnswering, Some(url)) => ui.paint(
            &cat.text(&Text::UrlsNotAnswering {
                url,
                port: report.port,
                wildcard: &wildcard(report.recommended_bind),
            }),
            Color::Yellow,
        ),
        (UrlsVerdict::Serving, Some(url)) => ui.paint(
            &cat.text(&Text::UrlsServing {
                url,
                port: report.port,
            }),
            Color::Green,
        ),
        (UrlsVerdict::Share, Some(url)) => ui.paint(
            &cat.text(&Text::UrlsVerdict {
                url,
                wildcard: &wildcard(report.recommended_bind),
            }),
            Color::Green,
        ),
        (UrlsVerdict::LoopbackBind, _) => ui.paint(&cat.text(&Text::UrlsLoopback), Color::Yellow),
        (UrlsVerdict::NotLocal, _) => ui.paint(&cat.text(&Text::UrlsNotLocal), Color::Red),
        _ => ui.paint(&cat.text(&Text::NoNetworkUrl), Color::Yellow),
    };
    sentence(w, ui, &verdict)?;
    if !report.notes.is_empty() {
        writeln!(w)?;
        write_notes(w, ui, &report.notes)?;
    }
    writeln!(w)?;

    url_table(report, ui).write(w, ui.color, ui.width)?;
    let ipv6_network = report
        .entries
        .iter()
        .any(|e| e.scope == UrlScope::Network && e.ip.is_ipv6());
    if ipv6_network {
        writeln!(w)?;
        let text = ui.dim(&cat.text(&Text::Ipv6NeedsDualStack));
        say(w, ui, "  ", "  ", &text)?;
    }
    if report.qr && report.verdict == UrlsVerdict::DebuggerExposed {
        // No QR code that invites other devices to a debugger.
    } else if report.qr && qr_withheld(report) {
        writeln!(w)?;
        say(w, ui, "  ", "  ", &cat.text(&Text::NoQrNotAnswering))?;
    } else if report.qr {
        qr_block(w, report, ui)?;
    }
    Ok(())
}

/// `--qr` was asked for, but the running server does not answer on the recommended URL.
fn qr_withheld(report: &UrlsReport) -> bool {
    report
        .entries
        .iter()
        .any(|e| e.recommended && e.answers == Some(false))
}

/// The Local/Network lines, shared with `serve`.
pub fn url_table(report: &UrlsReport, ui: &Ui) -> Table {
    let cat = ui.cat;
    let mut table = Table::new(&[]);
    for scope in [UrlScope::Local, UrlScope::Network, UrlScope::Other] {
        let label = match scope {
            UrlScope::Local => Label::Local,
            UrlScope::Network => Label::Network,
            UrlScope::Other => Label::NotForOtherDevices,
        };
        for (n, e) in report
            .entries
            .iter()
            .filter(|e| e.scope == scope)
            .enumerate()
        {
            let note = match (e.recommended, &e.why) {
                // Not "recommended" while the server does not answer there.
                (true, _) if e.answers == Some(false) => {
                    Cell::dimmed(format!("← {}", cat.label(Label::OnceBoundThere)))
                }
                (true, _) => {
                    Cell::colored(format!("← {}", cat.label(Label::Recommended)), Color::Green)
                }
                (false, Some(why)) => Cell::dimmed(why),
                (false, None) => Cell::new(""),
            };
            let interface = if scope == UrlScope::Local {
                ""
            } else {
                e.interface.as_str()
            };
            table.add_row(vec![
                Cell::new(if n == 0 { cat.label(label) } else { "" }),
                Cell::new(&e.url),
                Cell::new(interface),
                note,
            ]);
        }
    }
    table
}

/// A QR code of the recommended URL, for the phone's camera.
pub fn qr_block(w: &mut dyn Write, report: &UrlsReport, ui: &Ui) -> io::Result<()> {
    writeln!(w)?;
    match &report.recommended {
        Some(url) => {
            writeln!(w, "{}", qr_code(url))?;
            let text = crate::sanitize::escape(&ui.cat.text(&Text::QrFor { url })).into_owned();
            say(w, ui, "  ", "  ", &text)
        }
        None => writeln!(w, "  {}", ui.cat.text(&Text::NoQr)),
    }
}

/// A QR code in half-block characters, light modules drawn, so that it reads as dark on
/// light on the usual dark terminal.
pub fn qr_code(url: &str) -> String {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
        // A URL is at most a few hundred bytes; QR codes hold kilobytes.
        Err(_) => String::new(),
    }
}
