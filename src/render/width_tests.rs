//! Every human view at 60, 80 and 100 columns, in both languages: held in snapshots, and
//! checked for what must hold at any width: no line wider than the terminal unless one word
//! alone is, and no word, URL, command or pid split across lines.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::tests::{self as t, text, ui};
use super::{Human, Ui};
use crate::analysis::fixtures;
use crate::analysis::topics::Topic;
use crate::i18n::Lang;
use crate::report;

const WIDTHS: [usize; 3] = [60, 80, 100];

type View = Box<dyn Fn(&mut dyn Write, &Ui) -> io::Result<()>>;

fn view<R: Human + 'static>(report: R) -> View {
    Box::new(move |w, ui| report.human(w, ui))
}

/// The views of the commands, each rendered from a fixture machine.
fn views(lang: Lang) -> Vec<(&'static str, View)> {
    let laptop = fixtures::laptop();
    let flask = fixtures::flask_port();
    vec![
        ("overview", view(t::overview_report(&laptop, lang))),
        ("interfaces", view(t::interfaces_report(&laptop, lang))),
        ("urls", view(t::urls_report(&laptop, true, lang, false))),
        (
            "expose",
            view(t::expose_ip_report(&laptop, "0.0.0.0", lang)),
        ),
        ("listeners", view(t::listeners_report(lang))),
        ("port", view(t::port_report(lang, &flask, true))),
        (
            "probe",
            view(report::probe::ProbeReport::Local(t::local_probe_report(
                lang, false,
            ))),
        ),
        (
            "probe_remote",
            view(report::probe::ProbeReport::Remote(t::remote_probe_report(
                lang,
            ))),
        ),
        ("lab", view(t::lab_report(lang))),
        (
            "explain_flask",
            view(report::explain::ExplainOut::Page(t::explain_report(
                Topic::Flask,
                lang,
            ))),
        ),
        (
            "explain_topics",
            view(report::explain::ExplainOut::Topics(
                report::explain::topics(lang),
            )),
        ),
    ]
}

fn at(width: usize, lang: Lang) -> Ui {
    Ui { width, ..ui(lang) }
}

#[test]
fn every_view_at_60_80_and_100_columns() {
    for lang in [Lang::En, Lang::Ko] {
        for (name, view) in views(lang) {
            for width in WIDTHS {
                let out = text(|w| view(w, &at(width, lang)));
                let code = match lang {
                    Lang::En => "en",
                    Lang::Ko => "ko",
                };
                insta::assert_snapshot!(format!("{name}_{width}_{code}"), out);
            }
        }
    }
}

/// A line may be wider than the terminal only for a word that is: a URL, a command.
fn overflow_is_one_word(line: &str, width: usize) -> bool {
    line.width() <= width
        || line
            .split(' ')
            .any(|word| word.width() > width.saturating_sub(12))
        || super::wrap::widest_word(line.trim()) > width.saturating_sub(12)
}

#[test]
fn no_line_is_wider_than_the_terminal_but_for_one_word() {
    let mut failures = Vec::new();
    for lang in [Lang::En, Lang::Ko] {
        for (name, view) in views(lang) {
            for width in [40, 50, 60, 70, 80, 100, 120] {
                let out = text(|w| view(w, &at(width, lang)));
                for line in out.lines() {
                    if !overflow_is_one_word(line, width) {
                        failures.push(format!(
                            "{name} {lang:?} at {width}: {} columns\n{line}",
                            line.width()
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The commands, addresses and pids the fixtures' views quote.
const WHOLE: &[&str] = &[
    "flask run --host=0.0.0.0",
    "app.run(host=\"0.0.0.0\")",
    "bindscope probe -p 5000",
    "bindscope expose 0.0.0.0",
    "bindscope urls --qr",
    "bindscope interfaces --all",
    "bindscope explain 0.0.0.0",
    "bindscope explain debugging",
    "bindscope explain docker",
    "bindscope explain ports",
    "bindscope explain flask",
    "kill 4200",
    "docker ps --filter publish=",
    "bindscope serve -p 5000",
    "bindscope port 5000 --kill",
    "sudo bindscope",
];

#[test]
fn no_word_url_command_or_pid_is_split() {
    let mut failures = Vec::new();
    for lang in [Lang::En, Lang::Ko] {
        for (name, view) in views(lang) {
            let piped = text(|w| view(w, &at(0, lang)));
            let mut quoted: Vec<String> = WHOLE
                .iter()
                .filter(|c| piped.contains(*c))
                .map(|c| c.to_string())
                .collect();
            // Every pid, with what names it: `pid 4242`, `flask (4242)`.
            // (A heading's underline is as long as the heading's longest line.)
            let words: Vec<&str> = piped
                .split_whitespace()
                .filter(|w| !w.chars().all(|c| "-=─".contains(c)))
                .collect();
            for pair in words.windows(2) {
                let digits = pair[1].trim_matches(|c: char| !c.is_ascii_digit());
                let is_pid = !digits.is_empty()
                    && digits.chars().all(|c| c.is_ascii_digit())
                    && (pair[0].rsplit('(').next() == Some("pid")
                        || pair[1].starts_with(&format!("({digits})")));
                if is_pid {
                    quoted.push(format!("{} {}", pair[0], pair[1].trim_end_matches(',')));
                }
            }
            for width in [40, 60, 80, 100] {
                let out = text(|w| view(w, &at(width, lang)));
                // No word is split: each of the unwrapped view's words is whole in the wrapped.
                for whole in words
                    .iter()
                    .copied()
                    .chain(quoted.iter().map(String::as_str))
                {
                    if !out.contains(whole) {
                        failures.push(format!("{name} {lang:?} at {width}: '{whole}' split"));
                    }
                }
            }
        }
    }
    failures.dedup();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn piped_output_is_not_wrapped() {
    let ui = Ui {
        tty: false,
        width: 0,
        ..ui(Lang::En)
    };
    let report = t::local_probe_report(Lang::En, false);
    let out = text(|w| super::probe::local(w, &report, &ui));
    assert!(out.lines().any(|l| l.width() > 100), "{out}");
}

/// A table that cannot fit even with its cells wrapped becomes one record per row.
#[test]
fn a_table_too_wide_becomes_records() {
    use super::table::{Cell, Table};
    let mut table = Table::new(&["URL", "WHERE"]);
    table.add_row([
        Cell::new("http://[2001:db8:1234:5678:9abc:def0:1234:5678]:5000"),
        Cell::new("the network of a coffee shop"),
    ]);
    table.add_row([Cell::new("http://127.0.0.1:5000"), Cell::new("here")]);
    let mut out = Vec::new();
    table.write(&mut out, false, 50).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "  URL:\n    http://[2001:db8:1234:5678:9abc:def0:1234:5678]:5000\n    WHERE: the network of a coffee shop\n\n  URL: http://127.0.0.1:5000\n    WHERE: here\n"
    );
}

/// A thousand URLs in one cell: each line is split once, not once per line of the row.
#[test]
fn a_tall_cell_is_laid_out_in_linear_time() {
    use super::table::{Cell, Table};
    let urls: Vec<String> = (0..20_000)
        .map(|n| format!("http://10.{}.{}.1:5000", n / 250, n % 250))
        .collect();
    let mut table = Table::new(&["BIND", "URL"]);
    table.add_row([Cell::new("0.0.0.0"), Cell::lines(&urls)]);
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    table.write(&mut out, false, 80).unwrap();
    // Quadratic, this is 200 million line splits: seconds even in a release build.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 20_001);
}
