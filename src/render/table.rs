//! Borderless, left-aligned tables whose columns line up by display width, so that Korean text
//! (two columns a syllable) stays aligned. `unicode-width` measures; this only pads.
//!
//! comfy-table did this before and took 6–9 ms for `listeners`' 2,000 rows, a third of the
//! command's run time; this takes a fraction of a millisecond (docs/benchmarks.md).
//!
//! Every cell is made safe here, once (`sanitize`): a cell is one line of text unless it is
//! built from lines with [`Cell::lines`], so a name with a line feed cannot add a row.

use std::borrow::Cow;
use std::io::{self, Write};

use colored::{Color, Colorize};
use unicode_width::UnicodeWidthStr;

use crate::sanitize;

/// A cell: its text (lines split on `\n`, already escaped) and an accent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    text: String,
    color: Option<Color>,
    dim: bool,
}

/// `text` safe to write as one line; the same string when nothing needed escaping.
fn one_line(text: String) -> String {
    match sanitize::escape(&text) {
        Cow::Owned(escaped) => escaped,
        Cow::Borrowed(_) => text,
    }
}

impl Cell {
    /// A one-line cell: a line feed in `text` is escaped like any control character.
    pub fn new(text: impl ToString) -> Cell {
        Cell {
            text: one_line(text.to_string()),
            color: None,
            dim: false,
        }
    }

    pub fn colored(text: impl ToString, color: Color) -> Cell {
        Cell {
            color: Some(color),
            ..Cell::new(text)
        }
    }

    /// Dimmed, for an aside.
    pub fn dimmed(text: impl ToString) -> Cell {
        Cell {
            dim: true,
            ..Cell::new(text)
        }
    }

    /// A cell of several lines, each made safe on its own.
    pub fn lines<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Cell {
        let mut text = String::new();
        for (n, line) in lines.into_iter().enumerate() {
            if n > 0 {
                text.push('\n');
            }
            text.push_str(&sanitize::escape(line.as_ref()));
        }
        Cell {
            text,
            color: None,
            dim: false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::new(text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::new(text)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// Columns are this far apart, and tables this far in.
const GAP: &str = "  ";

impl Table {
    /// A table with this header (lines split on `\n`); an empty one has no header line.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header
                .iter()
                .map(|h| sanitize::escape_lines(h).into_owned())
                .collect(),
            rows: Vec::new(),
        }
    }

    pub fn add_row<C: Into<Cell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Writes the table indented, columns padded to their widest line, nothing trailing.
    /// With `color`, the header is bold and accented cells coloured (padding never is).
    pub fn write(&self, w: &mut dyn Write, color: bool) -> io::Result<()> {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0);
        let mut widths = vec![0usize; columns];
        for (c, h) in self.header.iter().enumerate() {
            for line in h.split('\n') {
                widths[c] = widths[c].max(line.width());
            }
        }
        for row in &self.rows {
            for (c, cell) in row.iter().enumerate() {
                for line in cell.text.split('\n') {
                    widths[c] = widths[c].max(line.width());
                }
            }
        }
        let mut line = String::new();
        if !self.header.is_empty() {
            let header: Vec<Cell> = self
                .header
                .iter()
                .map(|h| Cell {
                    text: h.clone(),
                    color: None,
                    dim: false,
                })
                .collect();
            for n in 0..height(&header) {
                write_line(w, &mut line, &widths, &header, n, color, true)?;
            }
        }
        for row in &self.rows {
            for n in 0..height(row) {
                write_line(w, &mut line, &widths, row, n, color, false)?;
            }
        }
        Ok(())
    }
}

/// The lines a row of cells takes.
fn height(cells: &[Cell]) -> usize {
    cells
        .iter()
        .map(|c| c.text.split('\n').count())
        .max()
        .unwrap_or(1)
}

fn write_line(
    w: &mut dyn Write,
    line: &mut String,
    widths: &[usize],
    cells: &[Cell],
    n: usize,
    color: bool,
    header: bool,
) -> io::Result<()> {
    line.clear();
    line.push_str(GAP);
    // The last column that has text on this line: nothing is padded after it.
    let last = cells
        .iter()
        .rposition(|c| c.text.split('\n').nth(n).is_some_and(|t| !t.is_empty()));
    for (c, cell) in cells.iter().enumerate() {
        if last.is_none_or(|last| c > last) {
            break;
        }
        let text = cell.text.split('\n').nth(n).unwrap_or("");
        match (color, header, cell.color) {
            (true, true, _) => line.push_str(&text.bold().to_string()),
            (true, false, Some(accent)) => line.push_str(&text.color(accent).to_string()),
            (true, false, None) if cell.dim => line.push_str(&text.dimmed().to_string()),
            _ => line.push_str(text),
        }
        if Some(c) != last {
            let pad = widths[c] - text.width();
            line.extend(std::iter::repeat_n(' ', pad));
            line.push_str(GAP);
        }
    }
    writeln!(w, "{}", line.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(table: &Table, color: bool) -> String {
        let mut out = Vec::new();
        table.write(&mut out, color).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_line_up_by_display_width() {
        let mut t = Table::new(&["이름", "NAME"]);
        t.add_row(["이 컴퓨터만", "x"]);
        t.add_row(["lo", "y"]);
        assert_eq!(
            render(&t, false),
            "  이름         NAME\n  이 컴퓨터만  x\n  lo           y\n"
        );
    }

    #[test]
    fn multi_line_cells_and_no_trailing_blanks() {
        let mut t = Table::new(&[]);
        t.add_row([Cell::new("a"), Cell::lines(["one", "two"]), Cell::new("")]);
        t.add_row(["bb", "", ""]);
        assert_eq!(render(&t, false), "  a   one\n      two\n  bb\n");
    }

    #[test]
    fn a_cell_is_made_safe_and_a_name_cannot_add_a_line() {
        let mut t = Table::new(&["NAME", "X"]);
        t.add_row(["e\u{1b}]0;x\u{7}\u{202e}", "a\nb"]);
        t.add_row([Cell::lines(["u\u{200b}", "v\nw"]), Cell::new("z")]);
        assert_eq!(
            render(&t, false),
            "  NAME                   X\n  e\\x1b]0;x\\x07\\u{202e}  a\\nb\n  u\\u{200b}              z\n  v\\nw\n"
        );
    }

    #[test]
    fn colour_wraps_the_text_not_the_padding() {
        colored::control::set_override(true);
        let mut t = Table::new(&["A", "B"]);
        t.add_row([Cell::colored("ok", Color::Green), Cell::new("z")]);
        let out = render(&t, true);
        let plain: String = out
            .replace("\u{1b}[1m", "")
            .replace("\u{1b}[32m", "")
            .replace("\u{1b}[0m", "");
        assert_eq!(plain, "  A   B\n  ok  z\n");
        assert!(out.contains("\u{1b}[32mok\u{1b}[0m  z"), "{out:?}");
        assert!(!render(&t, false).contains('\u{1b}'));
    }
}
