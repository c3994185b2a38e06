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

use super::wrap;
use crate::sanitize;

/// A cell: its text (lines split on `\n`, already escaped) and an accent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    text: String,
    color: Option<Color>,
    dim: bool,
    /// May wrap at its spaces when the table is too wide (an address or a time may not).
    wraps: bool,
    /// On a terminal, wraps at this width even when the table would fit without.
    cap: Option<usize>,
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
            wraps: true,
            cap: None,
        }
    }

    /// A cell that never wraps, even at its spaces: an address with its note, a time.
    pub fn word(text: impl ToString) -> Cell {
        Cell::new(text).unbroken()
    }

    /// This cell wrapped at `width` on a terminal: a paragraph in a table, kept narrow.
    pub fn capped(self, width: usize) -> Cell {
        Cell {
            cap: Some(width),
            ..self
        }
    }

    /// This cell, never wrapped.
    pub fn unbroken(self) -> Cell {
        Cell {
            wraps: false,
            ..self
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
            wraps: true,
            cap: None,
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
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
}

/// Columns are this far apart, and tables this far in.
const GAP: &str = "  ";

/// A cell laid out: its lines, each with its display width. Split once, when the table is
/// written, so that a cell of a thousand URLs costs a thousand lines, not a million.
type Laid<'a> = Vec<(Cow<'a, str>, usize)>;

impl Table {
    /// A table with this header (lines split on `\n`); an empty one has no header line.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header
                .iter()
                .map(|h| Cell {
                    text: sanitize::escape_lines(h).into_owned(),
                    color: None,
                    dim: false,
                    wraps: true,
                    cap: None,
                })
                .collect(),
            rows: Vec::new(),
        }
    }

    pub fn add_row<C: Into<Cell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Writes the table indented, columns padded to their widest line, nothing trailing.
    /// With `color`, the header is bold and accented cells coloured (padding never is).
    ///
    /// With a `width` (a terminal's; 0 when piped), a table wider than that narrows its widest
    /// columns and wraps their cells at spaces; one that cannot fit even so is written one
    /// record per row instead.
    pub fn write(&self, w: &mut dyn Write, color: bool, width: usize) -> io::Result<()> {
        self.write_rows(&self.rows, w, color, width)
    }

    /// Writes this table's header over `rows` instead of its own, as [`Table::write`] does.
    /// The rows are gone through once per pass (measure, narrow, write) and never kept.
    pub fn write_rows(
        &self,
        rows: &dyn Rows,
        w: &mut dyn Write,
        color: bool,
        width: usize,
    ) -> io::Result<()> {
        let header = &self.header[..];
        // Rows are laid out one at a time, in each pass, and never kept: a table of 50,000
        // sockets holds its column widths, not its cells.
        let mut natural = vec![0usize; header.len()];
        grow(&mut natural, &lay(header, width));
        rows.each(&mut |row| {
            let laid = lay(row, width);
            if laid.len() > natural.len() {
                natural.resize(laid.len(), 0);
            }
            grow(&mut natural, &laid);
            Ok(())
        })?;
        let columns = natural.len();
        let room = width.saturating_sub(GAP.len() * columns);
        let fit = if width > 0 && natural.iter().sum::<usize>() > room {
            match fitted(header, rows, columns, &natural, room)? {
                Some(fit) => Some(fit),
                None => return self.write_records(rows, w, color, width),
            }
        } else {
            None
        };
        let fit = fit.as_deref();
        let widths = match fit {
            None => natural,
            Some(_) => {
                let mut widths = vec![0usize; columns];
                grow(&mut widths, &fitted_lay(header, width, fit));
                rows.each(&mut |row| {
                    grow(&mut widths, &fitted_lay(row, width, fit));
                    Ok(())
                })?;
                widths
            }
        };
        let mut line = String::new();
        if !header.is_empty() {
            let cells = fitted_lay(header, width, fit);
            write_row(w, &mut line, &widths, header, &cells, color, true)?;
        }
        rows.each(&mut |row| {
            let cells = fitted_lay(row, width, fit);
            write_row(w, &mut line, &widths, row, &cells, color, false)
        })
    }

    /// One record per row: the first cell, then each other cell after its header's label.
    /// A row whose first cell is empty goes on with the record above it.
    fn write_records(
        &self,
        rows: &dyn Rows,
        w: &mut dyn Write,
        color: bool,
        width: usize,
    ) -> io::Result<()> {
        let mut n = 0;
        rows.each(&mut |row| {
            let first_row = n == 0;
            n += 1;
            let Some((first, rest)) = row.split_first() else {
                return Ok(());
            };
            if !first.text.is_empty() && !first_row {
                writeln!(w)?;
            }
            self.write_field(w, color, width, 0, first, GAP)?;
            if self.header.iter().all(|h| h.text.is_empty()) {
                // No labels to put the cells after: the rest of the row reads as one line.
                let line: Vec<String> = rest
                    .iter()
                    .filter(|c| !c.text.is_empty())
                    .map(|c| {
                        let text = c.text.replace('\n', " ");
                        let text = match c.wraps {
                            true => text,
                            false => wrap::unbreakable(&text),
                        };
                        paint(&text, c, color, false)
                    })
                    .collect();
                if !line.is_empty() {
                    let cell = Cell::new("");
                    let joined = Cell {
                        text: line.join(GAP),
                        ..cell
                    };
                    self.write_field(w, false, width, usize::MAX, &joined, "    ")?;
                }
                return Ok(());
            }
            for (c, cell) in rest.iter().enumerate() {
                self.write_field(w, color, width, c + 1, cell, "    ")?;
            }
            Ok(())
        })
    }

    /// One cell of a record, after its column's label: wrapped to `width`, or, when it may
    /// not wrap and does not fit beside its label, on lines of its own.
    fn write_field(
        &self,
        w: &mut dyn Write,
        color: bool,
        width: usize,
        column: usize,
        cell: &Cell,
        indent: &str,
    ) -> io::Result<()> {
        let hang = indent.len() + 2;
        if cell.text.is_empty() {
            return Ok(());
        }
        let label = self.header.get(column).map_or("", |h| h.text.as_str());
        let mut lead = match label {
            "" => indent.to_string(),
            label => format!(
                "{indent}{}",
                paint(&format!("{}:", label.replace('\n', " ")), cell, color, true)
            ),
        };
        let mut at = indent.len() + label.width() + usize::from(!label.is_empty()) * 2;
        let lay = |text: &str, at: usize| match cell.wraps {
            true => wrap::lines(text, width, at, hang),
            false => vec![text.to_string()],
        };
        for (n, text) in cell.text.split('\n').enumerate() {
            let mut lines = lay(text, at);
            if n == 0 && !label.is_empty() {
                // A word too wide to go beside its label starts a line of its own.
                if lines.first().is_some_and(|l| at + l.width() > width) {
                    writeln!(w, "{lead}")?;
                    lead = " ".repeat(hang);
                    at = hang;
                    lines = lay(text, at);
                } else {
                    lead.push(' ');
                }
            }
            for line in lines {
                writeln!(w, "{lead}{}", paint(&line, cell, color, false))?;
                lead = " ".repeat(hang);
                at = hang;
            }
        }
        Ok(())
    }
}

/// Rows a table goes through once per pass: its own, kept ones, or rows made afresh in each
/// pass from what they show ([`Made`]).
pub trait Rows {
    fn each(&self, row: &mut dyn FnMut(&[Cell]) -> io::Result<()>) -> io::Result<()>;
}

impl Rows for Vec<Vec<Cell>> {
    fn each(&self, row: &mut dyn FnMut(&[Cell]) -> io::Result<()>) -> io::Result<()> {
        self.iter().try_for_each(|cells| row(cells))
    }
}

/// Rows made by a function, the same ones each time it is called.
pub struct Made<F>(pub F);

impl<F, I> Rows for Made<F>
where
    F: Fn() -> I,
    I: Iterator<Item = Vec<Cell>>,
{
    fn each(&self, row: &mut dyn FnMut(&[Cell]) -> io::Result<()>) -> io::Result<()> {
        (self.0)().try_for_each(|cells| row(&cells))
    }
}

/// Column widths that fit `room`: the widest columns narrowed to a common width, none below
/// its widest unbreakable word; `None` when even that is too wide.
fn fitted(
    header: &[Cell],
    rows: &dyn Rows,
    columns: usize,
    natural: &[usize],
    room: usize,
) -> io::Result<Option<Vec<usize>>> {
    let mut least = vec![0usize; columns];
    let mut need = |row: &[Cell]| {
        for (c, cell) in row.iter().enumerate() {
            let need = if cell.wraps {
                wrap::widest_word(&cell.text)
            } else {
                cell.text.split('\n').map(|l| l.width()).max().unwrap_or(0)
            };
            least[c] = least[c].max(need);
        }
    };
    need(header);
    rows.each(&mut |row| {
        need(row);
        Ok(())
    })?;
    if least.iter().sum::<usize>() > room {
        return Ok(None);
    }
    let fit = |cap: usize| -> Vec<usize> {
        (0..columns)
            .map(|c| natural[c].min(cap).max(least[c]))
            .collect()
    };
    // The widest cap that fits: every column narrower than it keeps its width.
    let (mut low, mut high) = (0, natural.iter().copied().max().unwrap_or(0));
    while low < high {
        let mid = (low + high).div_ceil(2);
        if fit(mid).iter().sum::<usize>() <= room {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    Ok(Some(fit(low)))
}

/// The columns `line` takes: its length where it is printable ASCII (nearly every cell of a
/// socket table), else its display width.
fn columns_of(line: &str) -> usize {
    if line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        line.len()
    } else {
        line.width()
    }
}

/// A row's cells as lines, measured (a capped cell wrapped to its cap on a terminal).
fn lay(row: &[Cell], width: usize) -> Vec<Laid<'_>> {
    row.iter()
        .map(|cell| match cell.cap {
            Some(cap) if width > 0 && cell.wraps => cell
                .text
                .split('\n')
                .flat_map(|line| wrap::cell_lines(line, cap))
                .map(|line| {
                    let width = line.width();
                    (Cow::Owned(line), width)
                })
                .collect(),
            _ => cell
                .text
                .split('\n')
                .map(|line| (Cow::Borrowed(line), columns_of(line)))
                .collect(),
        })
        .collect()
}

/// A row laid out, and wrapped to the `fit` widths when the table had to narrow.
fn fitted_lay<'a>(row: &'a [Cell], width: usize, fit: Option<&[usize]>) -> Vec<Laid<'a>> {
    let mut laid = lay(row, width);
    if let Some(fit) = fit {
        rewrap(&mut laid, row, fit);
    }
    laid
}

/// Widens `widths` to the widest line of each of `row`'s cells.
fn grow(widths: &mut [usize], row: &[Laid]) {
    for (width, cell) in widths.iter_mut().zip(row) {
        for (_, w) in cell {
            *width = (*width).max(*w);
        }
    }
}

/// The lines of the cells wider than their column, wrapped to it.
fn rewrap<'a>(laid: &mut [Laid<'a>], cells: &'a [Cell], fit: &[usize]) {
    for ((lines, cell), &width) in laid.iter_mut().zip(cells).zip(fit) {
        if !cell.wraps || lines.iter().all(|(_, w)| *w <= width) {
            continue;
        }
        *lines = cell
            .text
            .split('\n')
            .flat_map(|line| wrap::cell_lines(line, width))
            .map(|line| {
                let width = line.width();
                (Cow::Owned(line), width)
            })
            .collect();
    }
}

fn paint(text: &str, cell: &Cell, color: bool, header: bool) -> String {
    match (color, header, cell.color) {
        (true, true, _) => text.bold().to_string(),
        (true, false, Some(accent)) => text.color(accent).to_string(),
        (true, false, None) if cell.dim => text.dimmed().to_string(),
        _ => text.to_string(),
    }
}

/// A row's lines: each cell's n-th line in its column.
fn write_row(
    w: &mut dyn Write,
    line: &mut String,
    widths: &[usize],
    cells: &[Cell],
    laid: &[Laid],
    color: bool,
    header: bool,
) -> io::Result<()> {
    let height = laid.iter().map(Vec::len).max().unwrap_or(1);
    for n in 0..height {
        line.clear();
        line.push_str(GAP);
        // The last column that has text on this line: nothing is padded after it.
        let last = laid
            .iter()
            .rposition(|c| c.get(n).is_some_and(|(t, _)| !t.is_empty()));
        for (c, (cell, lines)) in cells.iter().zip(laid).enumerate() {
            if last.is_none_or(|last| c > last) {
                break;
            }
            let (text, width) = lines.get(n).map_or(("", 0), |(t, w)| (t.as_ref(), *w));
            if color {
                line.push_str(&paint(text, cell, color, header));
            } else {
                line.push_str(text);
            }
            if Some(c) != last {
                line.extend(std::iter::repeat_n(' ', widths[c] - width));
                line.push_str(GAP);
            }
        }
        writeln!(w, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(table: &Table, color: bool) -> String {
        let mut out = Vec::new();
        table.write(&mut out, color, 0).unwrap();
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

    #[test]
    fn rows_made_in_each_pass_write_what_kept_rows_write() {
        // Wide enough to fit, narrow enough to wrap, too narrow (records), and piped.
        let header = ["PROTO", "ADDRESS", "WHO"];
        let row = |n: usize| -> Vec<Cell> {
            vec![
                Cell::new("tcp"),
                Cell::word(format!("[fe80::{n:x}%eth0]:{}", 5000 + n)),
                Cell::new(format!(
                    "python3 ({n}), flask run --host 0.0.0.0 --port {n}"
                )),
            ]
        };
        let mut kept = Table::new(&header);
        for n in 0..40 {
            kept.add_row(row(n));
        }
        let made = Made(|| (0..40).map(row));
        let mut cases = 0;
        for width in [0, 120, 70, 50, 30] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            kept.write(&mut a, false, width).unwrap();
            Table::new(&header)
                .write_rows(&made, &mut b, false, width)
                .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b),
                "{width}"
            );
            cases += usize::from(!a.is_empty());
        }
        assert_eq!(cases, 5);
        // Each width took its own path: one line a row, rows wrapped to fit, records.
        let out = |width| {
            let mut out = Vec::new();
            kept.write(&mut out, false, width).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(out(120).lines().count(), 41);
        assert!(out(70).lines().count() > 41 && out(70).starts_with("  PROTO  ADDRESS"));
        assert!(out(30).contains("\n    ADDRESS:\n"), "{}", out(30));
    }

    #[test]
    fn printable_ascii_is_as_wide_as_it_is_long() {
        let all: String = (0x20u8..0x7f).map(char::from).collect();
        assert_eq!(columns_of(&all), all.width());
        assert_eq!(columns_of("이름"), 4);
        assert_eq!(columns_of("e\u{301}"), "e\u{301}".width());
    }
}
