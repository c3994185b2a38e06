//! The `explain` pages on a terminal: Markdown read by pulldown-cmark, written as wrapped text
//! with aligned tables. Piped, the same page degrades to plain text: no wrapping, no colour,
//! and each table row becomes a small record that reads (and greps) without columns.
//!
//! Placeholders (`{{lan_ip:…}}`) are filled after parsing, so a value read from the machine
//! (an interface name with a `*` or `_`) is never taken for Markdown.

use std::io::{self, Write};

use colored::Colorize;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream};
use unicode_width::UnicodeWidthStr;

use super::table::{Cell, Table};
use super::{wrap, Ui};
use crate::analysis::live::Var;
use crate::report::explain::{pieces, Piece};

/// The widest a table's first column grows before it wraps.
const LABEL_WIDTH: usize = 24;

/// Code spans and values up to this width stay on one line.
const MAX_GLUED: usize = 40;
const NBSP: &str = "\u{a0}";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Strong,
    Emphasis,
    Code,
    /// A value read from this machine.
    Live,
}

#[derive(Debug, Clone)]
struct Span {
    text: String,
    style: Style,
}

#[derive(Debug, Default)]
struct TableBuf {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
}

struct ListLevel {
    /// The next number of an ordered list.
    next: Option<u64>,
    items: usize,
    /// The width of the current item's bullet: its later lines and blocks align after it.
    hang: usize,
}

struct Writer<'a> {
    w: &'a mut dyn Write,
    ui: &'a Ui,
    value: &'a dyn Fn(Var) -> Option<String>,
    spans: Vec<Span>,
    styles: Vec<Style>,
    lists: Vec<ListLevel>,
    /// The bullet of the current item, until its first block is written.
    bullet: Option<String>,
    quote: usize,
    code: Option<String>,
    table: Option<TableBuf>,
    /// The target of the link being read, and where its text starts among the spans.
    link: Option<(String, usize)>,
    gap: bool,
}

/// Writes a page (Markdown with placeholders) for a person.
pub fn write_page(
    w: &mut dyn Write,
    ui: &Ui,
    source: &str,
    value: &dyn Fn(Var) -> Option<String>,
) -> io::Result<()> {
    let parser = TextMergeStream::new(Parser::new_ext(source, Options::ENABLE_TABLES));
    let mut out = Writer {
        w,
        ui,
        value,
        spans: Vec::new(),
        styles: Vec::new(),
        lists: Vec::new(),
        bullet: None,
        quote: 0,
        code: None,
        table: None,
        link: None,
        gap: false,
    };
    for event in parser {
        out.event(event)?;
    }
    Ok(())
}

impl Writer<'_> {
    fn event(&mut self, event: Event) -> io::Result<()> {
        match event {
            Event::Start(tag) => self.start(tag)?,
            Event::End(tag) => self.end(tag)?,
            Event::Text(text) => self.text(&text, None),
            Event::Code(text) => self.text(&text, Some(Style::Code)),
            Event::SoftBreak => self.text(" ", None),
            Event::HardBreak => self.text("\n", None),
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html, None),
            Event::Rule => {
                self.flush_item_text()?;
                self.block_start()?;
                let width = self.width().unwrap_or(40).min(40);
                writeln!(self.w, "{}", "─".repeat(width))?;
            }
            _ => {}
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag) -> io::Result<()> {
        match tag {
            Tag::BlockQuote(_) => {
                self.flush_item_text()?;
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush_item_text()?;
                self.code = Some(String::new());
            }
            Tag::List(first) => {
                self.flush_item_text()?;
                self.lists.push(ListLevel {
                    next: first,
                    items: 0,
                    hang: 2,
                });
            }
            Tag::Item => {
                let Some(level) = self.lists.last_mut() else {
                    return Ok(());
                };
                let bullet = match level.next.as_mut() {
                    Some(n) => {
                        let bullet = format!("{n}. ");
                        *n += 1;
                        bullet
                    }
                    None => "• ".to_string(),
                };
                level.hang = bullet.width();
                self.bullet = Some(bullet);
            }
            Tag::Table(_) => {
                self.flush_item_text()?;
                self.table = Some(TableBuf::default());
            }
            Tag::Strong => self.styles.push(Style::Strong),
            Tag::Emphasis => self.styles.push(Style::Emphasis),
            Tag::Link { dest_url, .. } => {
                self.link = Some((dest_url.to_string(), self.spans.len()));
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, tag: TagEnd) -> io::Result<()> {
        match tag {
            TagEnd::Heading(level) => self.write_heading(level)?,
            TagEnd::Paragraph => self.write_paragraph()?,
            TagEnd::BlockQuote(_) => self.quote = self.quote.saturating_sub(1),
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                self.write_code(&code)?;
            }
            TagEnd::Item => {
                self.flush_item_text()?;
                self.bullet = None;
                if let Some(level) = self.lists.last_mut() {
                    level.items += 1;
                }
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.header = std::mem::take(&mut t.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    let cell = std::mem::take(&mut t.cell);
                    t.row.push(cell.trim().to_string());
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.write_table(t)?;
                }
            }
            TagEnd::Strong | TagEnd::Emphasis => {
                self.styles.pop();
            }
            TagEnd::Link => {
                // The target follows the text, unless the text is the target.
                if let Some((url, start)) = self.link.take() {
                    let text: String = self.spans[start.min(self.spans.len())..]
                        .iter()
                        .map(|s| s.text.as_str())
                        .collect();
                    if text != url {
                        self.text(&format!(" ({url})"), None);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Text with its placeholders filled in, in the current style.
    fn text(&mut self, text: &str, style: Option<Style>) {
        let style = style.unwrap_or_else(|| self.styles.last().copied().unwrap_or(Style::Plain));
        let value = self.value;
        for piece in pieces(text, value) {
            let (text, style) = match piece {
                Piece::Text(t) | Piece::Fallback(t) => (t.to_string(), style),
                Piece::Live(v) => (crate::sanitize::escape(&v).into_owned(), Style::Live),
            };
            if let Some(code) = self.code.as_mut() {
                code.push_str(&text);
            } else if let Some(t) = self.table.as_mut() {
                t.cell.push_str(&text);
            } else {
                self.spans.push(Span { text, style });
            }
        }
    }

    /// The width to wrap at; `None` when piped.
    fn width(&self) -> Option<usize> {
        (self.ui.tty && self.ui.width > 0).then_some(self.ui.width)
    }

    /// The indentation of the quotes around the current block.
    fn indent(&self) -> String {
        if self.quote > 0 {
            (if self.ui.tty { "│ " } else { "> " }).to_string()
        } else {
            String::new()
        }
    }

    /// Where the text of the current list item starts: after the lists' indents and its bullet.
    fn content_indent(&self) -> String {
        match self.lists.last() {
            Some(level) => format!(
                "{}{}",
                "  ".repeat(self.lists.len()),
                " ".repeat(level.hang)
            ),
            None => self.indent(),
        }
    }

    /// A blank line between blocks; none between the items of a tight list.
    fn block_start(&mut self) -> io::Result<()> {
        if self.gap {
            writeln!(self.w)?;
        }
        self.gap = true;
        Ok(())
    }

    fn styled(&self, spans: &[Span]) -> String {
        spans
            .iter()
            .map(|s| {
                // A short command or value is not broken across lines: its spaces are
                // non-breaking until the paragraph is wrapped.
                let glued;
                let text = if self.width().is_some()
                    && matches!(s.style, Style::Code | Style::Live)
                    && s.text.width() <= MAX_GLUED
                {
                    glued = s.text.replace(' ', NBSP);
                    glued.as_str()
                } else {
                    s.text.as_str()
                };
                match (self.ui.color, s.style) {
                    (_, Style::Plain) => text.to_string(),
                    (true, Style::Strong | Style::Live) => text.bold().to_string(),
                    (true, Style::Emphasis) => text.italic().to_string(),
                    (true, Style::Code) => text.cyan().to_string(),
                    (false, Style::Code) => format!("`{text}`"),
                    (false, _) => text.to_string(),
                }
            })
            .collect()
    }

    /// Text written directly in a list item (a tight list has no paragraphs).
    fn flush_item_text(&mut self) -> io::Result<()> {
        if self.spans.is_empty() {
            return Ok(());
        }
        let first_of_top_list = self.lists.len() == 1 && self.lists[0].items == 0;
        if self.lists.is_empty() || first_of_top_list {
            self.block_start()?;
        }
        self.write_spans()
    }

    fn write_paragraph(&mut self) -> io::Result<()> {
        self.block_start()?;
        self.write_spans()
    }

    /// The collected spans as one wrapped block, behind the item's bullet if it has one.
    fn write_spans(&mut self) -> io::Result<()> {
        let spans = std::mem::take(&mut self.spans);
        let text = self.styled(&spans);
        let rest = self.content_indent();
        let first = match self.bullet.take() {
            Some(bullet) => format!("{}{bullet}", "  ".repeat(self.lists.len())),
            None => rest.clone(),
        };
        for (n, line) in text.split('\n').enumerate() {
            let lead = if n == 0 { &first } else { &rest };
            match self.width() {
                Some(_) => {
                    let width = textwrap::core::display_width;
                    let lines = wrap::lines(line, self.ui.measure(), width(lead), width(&rest));
                    for (n, text) in lines.iter().enumerate() {
                        let lead = if n == 0 { lead } else { &rest };
                        writeln!(self.w, "{}", format!("{lead}{text}").trim_end())?;
                    }
                }
                None => writeln!(self.w, "{lead}{line}")?,
            }
        }
        Ok(())
    }

    fn write_heading(&mut self, level: HeadingLevel) -> io::Result<()> {
        let spans = std::mem::take(&mut self.spans);
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        self.block_start()?;
        let rule = if level == HeadingLevel::H1 { "=" } else { "-" };
        let lines = match self.width() {
            Some(_) => wrap::lines(&text, self.ui.measure(), 0, 0),
            None => vec![text],
        };
        for line in &lines {
            if self.ui.color && level == HeadingLevel::H1 {
                writeln!(self.w, "{}", line.bold().underline())?;
            } else if self.ui.color {
                writeln!(self.w, "{}", line.bold())?;
            } else {
                writeln!(self.w, "{line}")?;
            }
        }
        if !self.ui.color {
            let widest = lines.iter().map(|l| l.width()).max().unwrap_or(0);
            writeln!(self.w, "{}", rule.repeat(widest))?;
        }
        Ok(())
    }

    fn write_code(&mut self, code: &str) -> io::Result<()> {
        self.block_start()?;
        let indent = if self.lists.is_empty() {
            "    ".to_string()
        } else {
            self.content_indent() + "  "
        };
        for line in code.trim_end_matches('\n').lines() {
            let line = if self.ui.color {
                line.cyan().to_string()
            } else {
                line.to_string()
            };
            writeln!(self.w, "{indent}{line}")?;
        }
        Ok(())
    }

    fn write_table(&mut self, t: TableBuf) -> io::Result<()> {
        self.block_start()?;
        let Some(width) = self.width() else {
            // Piped: one record per row, the row's first cell as its title.
            for (n, row) in t.rows.iter().enumerate() {
                if n > 0 {
                    writeln!(self.w)?;
                }
                writeln!(self.w, "{}", row.first().map_or("", String::as_str))?;
                for (label, cell) in t.header.iter().zip(row).skip(1) {
                    writeln!(self.w, "  {label}: {cell}")?;
                }
            }
            return Ok(());
        };
        let widths = column_widths(&t, width);
        let wrap = |cells: &[String]| -> Vec<String> {
            cells
                .iter()
                .zip(&widths)
                .map(|(cell, &w)| wrap::cell_lines(cell, w).join("\n"))
                .collect()
        };
        let header = wrap(&t.header);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut table = Table::new(&header);
        for row in &t.rows {
            table.add_row(wrap(row).iter().map(|cell| Cell::lines(cell.split('\n'))));
        }
        table.write(self.w, self.ui.color, self.ui.width)
    }
}

/// Column widths that fit `width` (the table is indented by 2 and its columns 2 apart): the
/// label column up to `LABEL_WIDTH`, the rest shared out, narrow columns keeping their width.
fn column_widths(t: &TableBuf, width: usize) -> Vec<usize> {
    let columns = t
        .header
        .len()
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
    let natural: Vec<usize> = (0..columns)
        .map(|c| {
            std::iter::once(&t.header)
                .chain(&t.rows)
                .filter_map(|r| r.get(c))
                .map(|cell| cell.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let room = width.saturating_sub(2 + 2 * columns.saturating_sub(1));
    if natural.iter().sum::<usize>() <= room || columns == 0 {
        return natural;
    }
    let mut widths = natural.clone();
    widths[0] = natural[0].min(LABEL_WIDTH);
    let mut left = room.saturating_sub(widths[0]);
    let mut rest: Vec<usize> = (1..columns).collect();
    rest.sort_by_key(|&c| natural[c]);
    let mut remaining = rest.len();
    for c in rest {
        let share = left / remaining.max(1);
        widths[c] = natural[c].min(share).max(8);
        left = left.saturating_sub(widths[c]);
        remaining -= 1;
    }
    widths
}
