//! Text made safe where it is written. Interface and process names, HTTP headers, what a
//! visitor sends and what a user types can hold characters a terminal acts on (an `ESC ]0;…`
//! retitles the window, an 8-bit CSI moves the cursor) or that hide or reorder text (U+202E
//! turns what follows around, zero-width characters make two names look alike). The sinks —
//! table cells, notes, verdict and other lines, prompts, errors, served pages, logs — pass
//! their text through [`escape`] once; no caller has to remember.
//!
//! Such a character is written visibly instead, as Rust would write it: `\x1b`, `\u{202e}`.
//! Ordinary text, Korean included, comes back borrowed, unchanged and without an allocation.
//!
//! JSON keeps every value exactly: [`Json`] only writes these characters as `\uXXXX`, which
//! serde_json leaves raw (it escapes C0 alone), so the document parses to the same strings.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// Whether a terminal would act on `c`, or it would hide or reorder the text around it:
/// C0 controls, DEL, C1 controls, the bidi controls, the zero-width and invisible formatting
/// characters (the soft hyphen and the tag characters among them), the line and paragraph
/// separators.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\0'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// `text` as one line, safe to write: every unsafe character, the line feed included, written
/// visibly. For names, cells, one-line messages.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_with(text, false)
}

/// The same, but keeping line feeds: for text that the sink itself lays out as lines (a
/// multi-line cell, a page). A tab or a carriage return is still escaped.
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    escape_with(text, true)
}

fn escape_with(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let plain_byte = |b: u8| (0x20..0x7f).contains(&b) || (keep_newlines && b == b'\n');
    // Most text is printable ASCII: a byte scan, no decoding.
    if text.bytes().all(plain_byte) {
        return Cow::Borrowed(text);
    }
    let unsafe_char = |c: char| is_unsafe(c) && !(keep_newlines && c == '\n');
    let Some(first) = text.find(unsafe_char) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if unsafe_char(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_visible(out: &mut String, c: char) {
    let _ = match c {
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        '\0'..='\u{7f}' => write!(out, "\\x{:02x}", c as u32),
        _ => write!(out, "\\u{{{:x}}}", c as u32),
    };
}

/// `text` with every run between single quotes (and before the first and after the last)
/// cut to `max` characters and an ellipsis, so that an error about a 60 kB value does not
/// repeat it. Runs, not quoted values: a quote inside the value must not let its rest through.
pub fn shorten_quoted(text: &str, max: usize) -> Cow<'_, str> {
    if text.split('\'').all(|run| run.chars().nth(max).is_none()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4 * max));
    for (n, run) in text.split('\'').enumerate() {
        if n > 0 {
            out.push('\'');
        }
        match run.char_indices().nth(max) {
            Some((cut, _)) => {
                out.push_str(&run[..cut]);
                out.push('…');
            }
            None => out.push_str(run),
        }
    }
    Cow::Owned(out)
}

/// A serde_json formatter that writes the unsafe characters serde_json leaves raw (DEL, C1,
/// bidi, zero-width) as `\uXXXX` escapes; everything else exactly as the inner formatter does.
pub struct Json<F>(pub F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Json<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has escaped C0 already: ASCII below DEL is safe as it is, without decoding.
        if fragment.bytes().all(|b| b < 0x7f) {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices().filter(|&(_, c)| is_unsafe(c)) {
            w.write_all(&fragment.as_bytes()[start..at])?;
            for unit in c.encode_utf16(&mut [0; 2]) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = at + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    // The layout is the inner formatter's (PrettyFormatter overrides these).
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in [
            "",
            "eth0",
            "python3 (4242)",
            "이 컴퓨터만",
            "http://[fe80::1]:5000",
            "C:\\Users\\x 'quoted' \"too\"",
            "← ★ · — …",
        ] {
            assert!(
                matches!(escape(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
        assert!(matches!(escape_lines("a\nb"), Cow::Borrowed("a\nb")));
    }

    #[test]
    fn what_a_terminal_acts_on_is_written_visibly() {
        assert_eq!(escape("e\u{1b}]0;X\u{7}"), "e\\x1b]0;X\\x07");
        assert_eq!(escape("a\u{202e}b\u{200b}c"), "a\\u{202e}b\\u{200b}c");
        assert_eq!(escape("\u{9b}2J\u{7f}"), "\\u{9b}2J\\x7f");
        assert_eq!(escape("\u{feff}x\u{ad}"), "\\u{feff}x\\u{ad}");
        assert_eq!(escape("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(escape_lines("a\nb\tc\u{1b}"), "a\nb\\tc\\x1b");
        assert_eq!(escape("한\u{202e}글"), "한\\u{202e}글");
    }

    #[test]
    fn escaping_twice_changes_nothing() {
        let once = escape("x\u{1b}[31m\u{2066}y").into_owned();
        assert_eq!(escape(&once), once);
    }

    #[test]
    fn quoted_values_are_cut_short() {
        let long = format!("invalid value '{}' for '--color <WHEN>'", "x".repeat(500));
        let short = shorten_quoted(&long, 80);
        assert_eq!(
            short,
            format!("invalid value '{}…' for '--color <WHEN>'", "x".repeat(80))
        );
        assert!(matches!(shorten_quoted("a 'b' c", 80), Cow::Borrowed(_)));
        // A quote inside the value does not let the rest of it through.
        let quote = format!("invalid value 'it's {}' for '--lang'", "b".repeat(200));
        assert_eq!(
            shorten_quoted(&quote, 20),
            format!("invalid value 'it's {}…' for '--lang'", "b".repeat(18))
        );
    }

    fn json(value: &str, pretty: bool) -> String {
        fn with<F: serde_json::ser::Formatter>(value: &serde_json::Value, f: F) -> String {
            use serde::Serialize;
            let mut out = Vec::new();
            let mut s = serde_json::Serializer::with_formatter(&mut out, Json(f));
            value.serialize(&mut s).unwrap();
            String::from_utf8(out).unwrap()
        }
        let value = serde_json::json!({ "name": value, "n": [1] });
        if pretty {
            with(&value, serde_json::ser::PrettyFormatter::new())
        } else {
            with(&value, serde_json::ser::CompactFormatter)
        }
    }

    #[test]
    fn json_is_serde_s_own_but_for_the_raw_characters_it_leaves() {
        let value = serde_json::json!({ "name": "lo 이름", "n": [1] });
        assert_eq!(
            json("lo 이름", false),
            serde_json::to_string(&value).unwrap()
        );
        assert_eq!(
            json("lo 이름", true),
            serde_json::to_string_pretty(&value).unwrap()
        );
        let odd = "p\u{1b}\u{9b}\u{202e}\u{7f}\"\u{e0001}";
        let written = json(odd, false);
        assert_eq!(
            written,
            r#"{"n":[1],"name":"p\u001b\u009b\u202e\u007f\"\udb40\udc01"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(back["name"], odd);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn nothing_unsafe_comes_out(text in any::<String>()) {
            let one = escape(&text);
            prop_assert!(!one.chars().any(is_unsafe), "{:?}", one);
            let lines = escape_lines(&text);
            prop_assert!(!lines.chars().any(|c| is_unsafe(c) && c != '\n'), "{:?}", lines);
            prop_assert_eq!(lines.matches('\n').count(), text.matches('\n').count());
            if !text.chars().any(is_unsafe) {
                prop_assert_eq!(one, text.as_str());
            }
        }

        #[test]
        fn ordinary_text_korean_included_is_unchanged(
            text in "[ -~가-힣ㄱ-ㅎ·←★…—]{0,40}"
        ) {
            prop_assert!(matches!(escape(&text), Cow::Borrowed(t) if t == text));
        }

        #[test]
        fn json_still_parses_to_the_same_string(text in any::<String>()) {
            let written = json(&text, false);
            prop_assert!(!written.chars().any(is_unsafe), "{:?}", written);
            let back: serde_json::Value = serde_json::from_str(&written).unwrap();
            prop_assert_eq!(back["name"].as_str(), Some(text.as_str()));
        }
    }
}
