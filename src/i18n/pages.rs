//! The `explain` pages: Markdown files in `docs/en` and `docs/ko`, compiled into the binary so
//! that the docs folder and the tool never disagree.
//!
//! The `match` is over every (language, topic) pair and `include_str!` needs each file: a page
//! missing in one language does not compile. A test checks that no page exists in one
//! language only and that every file belongs to a topic.

use super::Lang;
use crate::analysis::topics::Topic;
use crate::model::Os;

macro_rules! pages {
    ($($topic:ident => $file:literal),* $(,)?) => {
        /// The Markdown source of a page, with its `{{value:fallback}}` placeholders.
        pub fn source(lang: Lang, topic: Topic) -> &'static str {
            match (lang, topic) {
                $(
                    (Lang::En, Topic::$topic) => {
                        include_str!(concat!("../../docs/en/", $file, ".md"))
                    }
                    (Lang::Ko, Topic::$topic) => {
                        include_str!(concat!("../../docs/ko/", $file, ".md"))
                    }
                )*
            }
        }

        /// Each topic's file name in `docs/en` and `docs/ko`.
        pub const FILES: &[(Topic, &str)] = &[$((Topic::$topic, $file)),*];
    };
}

pages! {
    Flask => "flask",
    BindAll => "bind-all",
    LoopbackVsLan => "loopback-vs-lan",
    Ports => "ports",
    Debugging => "debugging",
    Ipv6 => "ipv6",
    Firewall => "firewall",
    Wsl => "wsl",
    Docker => "docker",
    Macos => "macos",
}

/// The OS a line of a page is for. A page says something only one OS does (a command, an
/// error number, the way to privilege) in a group of variants, each opened by a comment line
/// naming its OSes and the group closed by `<!-- end -->`:
///
/// ```text
/// <!-- linux macos -->
///    kill <PID>
/// <!-- windows -->
///    taskkill /PID <PID> /F
/// <!-- end -->
/// ```
///
/// Every group names Linux, macOS and Windows once each (a test holds every page to it), so
/// no OS is left without its words. An OS bindscope does not know takes Linux's (Unix words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A variant for these OSes begins.
    For(&'static [Os]),
    End,
}

/// The OS-variant mark a line is, if it is one: `<!-- windows -->`, `<!-- linux macos -->`,
/// `<!-- end -->`.
pub fn mark(line: &str) -> Option<Result<Mark, String>> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    if inner == "end" {
        return Some(Ok(Mark::End));
    }
    let mut oses = Vec::new();
    for word in inner.split_whitespace() {
        let os = match word {
            "linux" => Os::Linux,
            "macos" => Os::Macos,
            "windows" => Os::Windows,
            other => return Some(Err(format!("unknown OS '{other}' in '{}'", line.trim()))),
        };
        oses.push(os);
    }
    // Every subset a page can name, as a static slice.
    const SETS: [&[Os]; 7] = [
        &[Os::Linux],
        &[Os::Macos],
        &[Os::Windows],
        &[Os::Linux, Os::Macos],
        &[Os::Linux, Os::Windows],
        &[Os::Macos, Os::Windows],
        &[Os::Linux, Os::Macos, Os::Windows],
    ];
    SETS.iter()
        .find(|set| set.len() == oses.len() && set.iter().all(|os| oses.contains(os)))
        .map(|set| Ok(Mark::For(set)))
        .or(Some(Err(format!("'{}' names an OS twice", line.trim()))))
}

/// `source` with only `os`'s variants, their marks dropped.
pub fn for_os(source: &str, os: Option<Os>) -> String {
    let os = match os {
        Some(Os::Other) | None => Os::Linux,
        Some(os) => os,
    };
    let mut out = String::with_capacity(source.len());
    // Outside a group every line is kept; inside, those of the variant for `os`.
    let mut keep = true;
    for line in source.split_inclusive('\n') {
        match mark(line) {
            Some(Ok(Mark::For(oses))) => keep = oses.contains(&os),
            Some(Ok(Mark::End)) => keep = true,
            _ if keep => out.push_str(line),
            _ => {}
        }
    }
    out
}

/// The groups of `source`, each as the OS sets of its variants in order; an error names a
/// group that leaves an OS out, names one twice, or is not closed.
pub fn groups(source: &str) -> Result<Vec<Vec<&'static [Os]>>, String> {
    let mut groups = Vec::new();
    let mut open: Option<Vec<&'static [Os]>> = None;
    for (n, line) in source.lines().enumerate() {
        let at = n + 1;
        match mark(line) {
            None => {}
            Some(Err(e)) => return Err(format!("line {at}: {e}")),
            Some(Ok(Mark::For(oses))) => open.get_or_insert_with(Vec::new).push(oses),
            Some(Ok(Mark::End)) => {
                let group = open
                    .take()
                    .ok_or_else(|| format!("line {at}: an end without a group"))?;
                for os in [Os::Linux, Os::Macos, Os::Windows] {
                    let times = group.iter().filter(|set| set.contains(&os)).count();
                    if times != 1 {
                        return Err(format!(
                            "line {at}: the group names {os:?} {times} times, not once"
                        ));
                    }
                }
                groups.push(group);
            }
        }
    }
    match open {
        Some(_) => Err("a group is not closed with <!-- end -->".into()),
        None => Ok(groups),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "a\n<!-- linux macos -->\nunix\n<!-- windows -->\nwin\n<!-- end -->\nb\n";

    #[test]
    fn each_os_reads_its_own_variant_and_an_unknown_one_reads_linux_s() {
        assert_eq!(for_os(PAGE, Some(Os::Windows)), "a\nwin\nb\n");
        assert_eq!(for_os(PAGE, Some(Os::Macos)), "a\nunix\nb\n");
        assert_eq!(for_os(PAGE, Some(Os::Linux)), "a\nunix\nb\n");
        assert_eq!(for_os(PAGE, None), "a\nunix\nb\n");
        assert_eq!(for_os(PAGE, Some(Os::Other)), "a\nunix\nb\n");
        assert_eq!(groups(PAGE).unwrap().len(), 1);
    }

    #[test]
    fn a_group_that_leaves_an_os_out_or_is_not_closed_is_an_error() {
        let missing = "<!-- linux -->\nx\n<!-- windows -->\ny\n<!-- end -->\n";
        assert!(groups(missing).unwrap_err().contains("Macos"));
        let twice = "<!-- linux macos -->\nx\n<!-- macos windows -->\ny\n<!-- end -->\n";
        assert!(groups(twice).is_err());
        assert!(groups("<!-- windows -->\nx\n").is_err());
        assert!(groups("<!-- end -->\n").is_err());
        assert!(groups("<!-- bsd -->\n").unwrap_err().contains("bsd"));
        // Any other comment is an error: pages hold none.
        assert!(mark("<!-- a note -->").unwrap().is_err());
        assert_eq!(mark("text"), None);
    }
}
