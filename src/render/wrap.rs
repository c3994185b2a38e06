//! Text that fits the terminal: sentences wrap at spaces (Korean too: it spaces its words),
//! never inside a word, and a URL, an address, a command or a pid is one word. A word wider
//! than the line overflows on a line of its own rather than being cut.
//!
//! textwrap does the filling, told not to break words (its default cuts a long URL) and not
//! to split at hyphens (its default splits `webpack-dev-server` and `--host`); the words are
//! separated at ASCII spaces only, so `/`, `-` and `:` never end a line.

use std::borrow::Cow;

use textwrap::{Options, WordSeparator, WordSplitter};
use unicode_width::UnicodeWidthStr;

/// The widest a sentence grows on a wide terminal: longer lines are hard to read. Tables use
/// the whole width.
pub const MEASURE: usize = 100;

/// Holds a command's or a pid's words together while the text is filled.
const GLUE: char = '\u{a0}';

/// A glued run longer than this is left breakable: it is prose that looked like a command.
const MAX_GLUED: usize = 60;

/// Programs whose command lines the texts quote: a command starts at one of these.
const PROGRAMS: &[&str] = &[
    "bindscope",
    "flask",
    "sudo",
    "kill",
    "unshare",
    "python",
    "python3",
    "py",
    "npm",
    "npx",
    "ufw",
    "firewall-cmd",
    "netsh",
    "wsl",
    "docker",
    "podman",
    "ss",
    "netstat",
    "Get-NetTCPConnection",
    "nft",
    "iptables",
    "sysctl",
    "pip",
    "curl",
    "findstr",
    "lsof",
    "taskkill",
    "Stop-Process",
];

fn options(width: usize) -> Options<'static> {
    Options::new(width.max(1))
        .break_words(false)
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation)
}

/// `text` (already safe to write, perhaps painted as a whole) filled to `width` columns, the
/// first line after `first` and the others after `rest`: the lines, without their indents.
/// Nothing is wrapped when `width` is 0 (piped).
pub fn lines(text: &str, width: usize, first: usize, rest: usize) -> Vec<String> {
    if width == 0 {
        return text.split('\n').map(str::to_string).collect();
    }
    // A painted text is styled whole: style each line on its own, so that the indents and
    // whatever follows stay plain.
    let (style, bare, reset) = split_style(text);
    let glued = glue(bare);
    let (first_indent, rest_indent) = (" ".repeat(first), " ".repeat(rest));
    let options = options(width)
        .initial_indent(&first_indent)
        .subsequent_indent(&rest_indent);
    textwrap::wrap(&glued, options)
        .into_iter()
        .enumerate()
        .map(|(n, line)| {
            let indent = if n == 0 { first } else { rest };
            let line = line.get(indent..).unwrap_or("").replace(GLUE, " ");
            if style.is_empty() || line.is_empty() {
                line
            } else {
                format!("{style}{line}{reset}")
            }
        })
        .collect()
}

/// `text` as one word: its spaces do not break.
pub fn unbreakable(text: &str) -> String {
    text.replace(' ', &GLUE.to_string())
}

/// A cell's text as lines of at most `width` columns (but for a word that is wider).
pub fn cell_lines(text: &str, width: usize) -> Vec<String> {
    let glued = glue(text);
    textwrap::wrap(&glued, options(width))
        .into_iter()
        .map(|line| line.replace(GLUE, " "))
        .collect()
}

/// The widest word of `text` once its commands and pids are held together: the narrowest a
/// column holding it can be.
pub fn widest_word(text: &str) -> usize {
    glue(text)
        .split([' ', '\n'])
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// The leading style codes of a text painted whole, the text, and the reset at its end.
fn split_style(text: &str) -> (&str, &str, &str) {
    const RESET: &str = "\u{1b}[0m";
    let mut start = 0;
    while text[start..].starts_with("\u{1b}[") {
        match text[start..].find('m') {
            Some(end) => start += end + 1,
            None => break,
        }
    }
    if start == 0 || !text.ends_with(RESET) || text.len() < start + RESET.len() {
        return ("", text, "");
    }
    let end = text.len() - RESET.len();
    (&text[..start], &text[start..end], RESET)
}

/// The word without what may surround it in a sentence: quotes, brackets, punctuation.
fn core(word: &str) -> &str {
    const CLOSING: [char; 11] = [',', '.', ';', ':', ')', '"', '\'', '`', ']', '?', '!'];
    let hangul = |c: char| ('\u{ac00}'..='\u{d7a3}').contains(&c);
    // `ps로`, `5000을`: a Korean particle glued to a command's last word is not part of it.
    word.trim_start_matches(['(', '"', '\'', '`', '['])
        .trim_end_matches(CLOSING)
        .trim_end_matches(hangul)
        .trim_end_matches(CLOSING)
}

/// Ends a command: punctuation after it, or a Korean particle glued to it.
fn ends_phrase(word: &str) -> bool {
    word.ends_with([',', '.', ';', ':', ')', '"', '\'', '?', '!'])
        || word.chars().last().is_some_and(|c| !c.is_ascii())
}

fn is_number(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_digit())
}

/// A word that continues a command: an option (`-x`, `--x`, Windows' `/PID`), a number, an
/// address, a subcommand, a path or a placeholder (`NAME`, `N`).
fn is_argument(word: &str, after_program: bool, after_flag: bool) -> bool {
    let core = core(word);
    if core.is_empty() {
        return false;
    }
    let switch = core.len() > 1
        && core.starts_with('/')
        && core[1..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '?');
    let operand = |allowed: fn(char) -> bool| {
        core.chars()
            .all(|c| allowed(c) || c.is_ascii_digit() || "-_.:/=".contains(c))
    };
    core.starts_with('-')
        || switch
        || is_number(core)
        || after_flag
        || (after_program
            && (operand(|c| c.is_ascii_lowercase()) || operand(|c| c.is_ascii_uppercase())))
}

/// `text` with the spaces inside commands, code spans and pids made non-breaking.
fn glue(text: &str) -> Cow<'_, str> {
    if !text.contains(' ') {
        return Cow::Borrowed(text);
    }
    let words: Vec<&str> = text.split(' ').collect();
    // joined[n]: word n is glued to word n + 1.
    let mut joined = vec![false; words.len()];
    let mut n = 0;
    while n < words.len() {
        let word = words[n];
        let end = if word.starts_with('`') && word[1..].find('`').is_none() {
            // A code span: up to the word that closes it.
            (n + 1..words.len()).find(|&m| words[m].contains('`'))
        } else if PROGRAMS.contains(&core(word)) && !ends_phrase(word) {
            command_end(&words, n)
        } else {
            None
        };
        if word == "·" || word == "|" {
            // A separator ends the item before it, rather than starting a line.
            let mut m = n;
            while m > 0 {
                m -= 1;
                joined[m] = true;
                if !words[m].is_empty() {
                    break;
                }
            }
        }
        if let Some(end) = end.filter(|&end| span_width(&words[n..=end]) <= MAX_GLUED) {
            joined[n..end].iter_mut().for_each(|j| *j = true);
            n = end + 1;
            continue;
        }
        // `pid 4242`, `flask (4242)`, `python3 (pid 4242)`.
        if let Some(next) = words.get(n + 1) {
            let next_core = core(next);
            // `프로세스(pid 4242)`: a pid opened by a bracket glued to the word before it.
            let opened = word.rsplit('(').next().unwrap_or(word);
            let pid_follows = matches!(core(opened), "pid" | "PID") && is_number(next_core);
            let bracketed_pid = next.starts_with('(')
                && (is_number(next_core) || next_core == "pid")
                && !word.is_empty();
            if pid_follows || bracketed_pid {
                joined[n] = true;
            }
        }
        n += 1;
    }
    if !joined.contains(&true) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (n, word) in words.iter().enumerate() {
        out.push_str(word);
        if n + 1 < words.len() {
            out.push(if joined[n] { GLUE } else { ' ' });
        }
    }
    Cow::Owned(out)
}

/// The last word of the command that starts at word `start`, when it has arguments.
fn command_end(words: &[&str], start: usize) -> Option<usize> {
    let mut end = start;
    let mut after_program = true;
    // After a subcommand, one operand: `bindscope explain docker`, `bindscope port 5000`;
    // netsh's contexts nest: `netsh interface ipv4 show excludedportrange protocol=tcp`.
    let nests = core(words[start]) == "netsh";
    let mut after_subcommand = false;
    let mut after_flag = false;
    while let Some(word) = words.get(end + 1) {
        // `netstat -ano | findstr :5000`: a pipe into another program goes on.
        if *word == "|"
            && words
                .get(end + 2)
                .is_some_and(|w| PROGRAMS.contains(&core(w)))
        {
            end += 1;
            after_program = true;
            continue;
        }
        if !is_argument(word, after_program || after_subcommand, after_flag) {
            break;
        }
        end += 1;
        let core = core(word);
        // `sudo bindscope port 5000`: the program after sudo takes its own subcommand.
        let program = PROGRAMS.contains(&core);
        let option = core.starts_with('-') || core.starts_with('/');
        // A subcommand is a word (`port`, `show`), not an operand such as `:5000`.
        let word_like = core.starts_with(|c: char| c.is_ascii_alphabetic());
        after_subcommand = (after_program || nests) && !program && !option && word_like;
        after_program = program;
        after_flag = core.starts_with('-') && !core.contains('=') && core.len() > 1;
        if ends_phrase(word) {
            break;
        }
    }
    (end > start).then_some(end)
}

fn span_width(words: &[&str]) -> usize {
    words.iter().map(|w| w.width() + 1).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(text: &str, width: usize) -> Vec<String> {
        lines(text, width, 0, 2)
    }

    #[test]
    fn windows_commands_and_bracketed_pids_stay_whole() {
        let text = "Run netstat -ano | findstr :5000 to see it, then taskkill /PID 4200 /T /F, or netsh http show servicestate; docker stop NAME works too. 자식 프로세스(pid 4242)를 멈추세요.";
        for width in 10..70 {
            let out = fill(text, width).join("\n");
            for whole in [
                "netstat -ano | findstr :5000",
                "taskkill /PID 4200 /T /F,",
                "netsh http show servicestate;",
                "docker stop NAME",
                "프로세스(pid 4242)를",
            ] {
                assert!(out.contains(whole), "{whole:?} split at {width}:\n{out}");
            }
        }
    }

    #[test]
    fn a_korean_particle_ends_a_command_without_unglueing_it() {
        let text =
            "이름은 docker ps나 podman ps로 볼 수 있고, bindscope port 5000을 실행하면 됩니다.";
        for width in 10..60 {
            let out = fill(text, width).join("\n");
            for whole in ["docker ps나", "podman ps로", "bindscope port 5000을"] {
                assert!(out.contains(whole), "{whole:?} split at {width}:\n{out}");
            }
        }
    }

    #[test]
    fn commands_urls_and_pids_stay_whole() {
        let text = "To let your phone in, run flask run --host=0.0.0.0, or app.run(host=\"0.0.0.0\"), then open http://192.168.1.23:5000/some-long-path and stop pid 4242 or flask (15519).";
        for width in 10..90 {
            let out = fill(text, width).join("\n");
            for whole in [
                "flask run --host=0.0.0.0,",
                "app.run(host=\"0.0.0.0\"),",
                "http://192.168.1.23:5000/some-long-path",
                "pid 4242",
                "flask (15519).",
            ] {
                assert!(out.contains(whole), "{width}: {whole} split in\n{out}");
            }
        }
    }

    #[test]
    fn lines_fit_unless_one_word_is_wider() {
        let text = "Nothing answers on port 5000 on any address of this machine: see sudo bindscope port 5000 --kill for who holds it.";
        for width in 10..120 {
            for line in fill(text, width) {
                assert!(
                    line.width() <= width || !glue(line.trim()).contains(' '),
                    "{width}: {line:?}"
                );
            }
        }
    }

    #[test]
    fn korean_wraps_at_its_spaces() {
        let text = "이 컴퓨터의 프로그램만 접속할 수 있습니다. 휴대폰에서 열려면 flask run --host=0.0.0.0으로 다시 시작하세요.";
        let out = fill(text, 30);
        assert!(out.len() > 1, "{out:?}");
        for line in &out {
            assert!(line.width() <= 30, "{line:?}");
        }
        assert!(out.join("\n").contains("flask run --host=0.0.0.0으로"));
        // Every line ends where the text had a space: no syllable block is cut.
        let rejoined = out.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        assert_eq!(rejoined, text);
    }

    #[test]
    fn a_painted_sentence_is_painted_line_by_line() {
        let text = "\u{1b}[32mone two three four\u{1b}[0m";
        assert_eq!(
            fill(text, 10),
            [
                "\u{1b}[32mone two\u{1b}[0m",
                "\u{1b}[32mthree\u{1b}[0m",
                "\u{1b}[32mfour\u{1b}[0m"
            ]
        );
    }

    #[test]
    fn piped_text_is_left_alone() {
        let text = "a very long line that would wrap anywhere else";
        assert_eq!(lines(text, 0, 4, 4), [text]);
    }

    #[test]
    fn prose_after_a_program_name_stays_breakable() {
        assert_eq!(
            glue("bindscope cannot see who holds it"),
            "bindscope\u{a0}cannot\u{a0}see who holds it"
        );
        assert_eq!(
            glue("Read more: bindscope explain ports · bindscope explain flask"),
            "Read more: bindscope\u{a0}explain\u{a0}ports\u{a0}· bindscope\u{a0}explain\u{a0}flask"
        );
        assert_eq!(glue("Run it with care"), "Run it with care");
        assert_eq!(
            glue("`bindscope port 5000 --kill` stops it"),
            "`bindscope\u{a0}port\u{a0}5000\u{a0}--kill` stops it"
        );
    }
}
