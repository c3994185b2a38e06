//! `explain`'s human view: a page rendered from Markdown, the list of pages, and the
//! "read more" line other views end with.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{say, sentence, Ui};
use crate::analysis::topics::Topic;
use crate::i18n::{Label, Text};
use crate::report::explain::{ExplainOut, ExplainReport, TopicsReport};

/// A page, or the list of pages.
pub fn human(w: &mut dyn Write, report: &ExplainOut, ui: &Ui) -> io::Result<()> {
    match report {
        ExplainOut::Page(page) => self::page(w, page, ui),
        ExplainOut::Topics(list) => topics(w, list, ui),
    }
}

pub fn page(w: &mut dyn Write, report: &ExplainReport, ui: &Ui) -> io::Result<()> {
    let value = |var| report.values.get(&var).cloned().flatten();
    super::markdown::write_page(w, ui, &report.source, &value)
}

/// The topics with their one-line summaries.
pub fn topics(w: &mut dyn Write, report: &TopicsReport, ui: &Ui) -> io::Result<()> {
    if !ui.tty {
        // Piped: the names, one a line, for scripts and completions.
        for t in &report.topics {
            writeln!(w, "{}", t.name.name())?;
        }
        return Ok(());
    }
    sentence(w, ui, &ui.bold(&ui.cat.text(&Text::TopicsIntro)))?;
    writeln!(w)?;
    let width = report
        .topics
        .iter()
        .map(|t| t.name.name().width())
        .max()
        .unwrap_or(0);
    let hang = " ".repeat(2 + width + 2);
    for t in &report.topics {
        let name = t.name.name();
        let pad = " ".repeat(width - name.width());
        let lead = format!("  {}{pad}  ", ui.bold(name));
        say(w, ui, &lead, &hang, &t.summary)?;
    }
    Ok(())
}

/// The line that ends a verdict: the pages to read next.
pub fn read_next(w: &mut dyn Write, ui: &Ui, topics: &[Topic]) -> io::Result<()> {
    if topics.is_empty() || ui.quiet {
        return Ok(());
    }
    let commands: Vec<String> = topics
        .iter()
        .map(|t| format!("bindscope explain {}", t.name()))
        .collect();
    writeln!(w)?;
    let text = format!("{} {}", ui.cat.label(Label::ReadMore), commands.join(" · "));
    sentence(w, ui, &text)
}
