//! `explain`: a page with this machine's values filled in, or the list of pages.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Report;
use crate::analysis::live::{Holders, Live, Var};
use crate::analysis::topics::Topic;
use crate::analysis::vocab::AddrKind;
use crate::exit_codes::ExitCode;
use crate::i18n::{pages, Catalogue, Lang, Text};
use crate::model::Os;

/// `explain`'s answer: one page, or the list of them.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ExplainOut {
    Page(ExplainReport),
    Topics(TopicsReport),
}

impl Report for ExplainOut {
    fn command(&self) -> &'static str {
        "explain"
    }

    fn exit_code(&self) -> ExitCode {
        ExitCode::Success
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExplainReport {
    pub topic: Topic,
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    /// The page with this machine's values in place of its placeholders.
    pub markdown: String,
    /// Every value the page names: what was read here, or `null` (the page's generic text).
    pub values: BTreeMap<Var, Option<String>>,
    /// The page as written for this machine's OS, placeholders and all: the human view fills
    /// them in as it renders.
    #[serde(skip)]
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicsReport {
    pub lang: Lang,
    pub topics: Vec<TopicOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicOut {
    pub name: Topic,
    pub aliases: &'static [&'static str],
    pub title: String,
    pub summary: String,
}

/// A piece of page text: as written, or a placeholder filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// A value read on this machine.
    Live(String),
    /// The page's generic text, for a value that could not be read.
    Fallback(&'a str),
}

/// A placeholder of a page: `{{name}}` or `{{name:fallback}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder<'a> {
    pub name: &'a str,
    pub fallback: &'a str,
}

/// Text as written, or a placeholder with its text as written.
enum Segment<'a> {
    Text(&'a str),
    Placeholder {
        raw: &'a str,
        placeholder: Placeholder<'a>,
    },
}

/// Splits `text` at its `{{…}}`; an unclosed `{{` is text.
fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let end = start + len + 2;
        if start > 0 {
            out.push(Segment::Text(&rest[..start]));
        }
        out.push(Segment::Placeholder {
            raw: &rest[start..end],
            placeholder: parse_placeholder(&rest[start + 2..start + len]),
        });
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// Splits `text` at its placeholders, filled in. An unknown name stays as written (a test
/// keeps the pages free of them).
pub fn pieces<'a>(text: &'a str, value: &dyn Fn(Var) -> Option<String>) -> Vec<Piece<'a>> {
    segments(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(t) => Piece::Text(t),
            Segment::Placeholder { raw, placeholder } => match Var::find(placeholder.name) {
                Some(var) => match value(var) {
                    Some(v) => Piece::Live(v),
                    None => Piece::Fallback(placeholder.fallback),
                },
                None => Piece::Text(raw),
            },
        })
        .collect()
}

fn parse_placeholder(inner: &str) -> Placeholder<'_> {
    match inner.split_once(':') {
        Some((name, fallback)) => Placeholder {
            name: name.trim(),
            fallback,
        },
        None => Placeholder {
            name: inner.trim(),
            fallback: "",
        },
    }
}

/// Every placeholder of a text, for the tests that keep pages honest.
pub fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    segments(text)
        .into_iter()
        .filter_map(|segment| match segment {
            Segment::Placeholder { placeholder, .. } => Some(placeholder),
            Segment::Text(_) => None,
        })
        .collect()
}

/// `text` with its placeholders filled in.
pub fn fill(text: &str, value: &dyn Fn(Var) -> Option<String>) -> String {
    pieces(text, value)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) | Piece::Fallback(t) => t.to_string(),
            Piece::Live(v) => v,
        })
        .collect()
}

/// The value of `var` on this machine, in the user's language where it is words.
pub fn value(var: Var, live: &Live, cat: &dyn Catalogue) -> Option<String> {
    let join = |ips: &[std::net::IpAddr]| (!ips.is_empty()).then(|| crate::i18n::list(ips));
    match var {
        Var::LanIp => live.primary.as_ref().map(|p| p.ip.to_string()),
        Var::LanInterface => live.primary.as_ref().map(|p| p.interface.clone()),
        Var::LanUrl => live
            .primary
            .as_ref()
            .and_then(|p| crate::analysis::expose::url("http", p.ip, 5000, "")),
        Var::LanPrivacy => live.primary.as_ref().map(|p| {
            cat.text(&Text::LiveLanPrivacy {
                ip: p.ip,
                public: crate::analysis::address::classify(p.ip) == AddrKind::Public,
            })
        }),
        Var::Ipv4Addresses => join(&live.ipv4),
        Var::Ipv6Addresses => join(&live.ipv6),
        Var::Ephemeral => live.ephemeral.map(|(low, high)| format!("{low}–{high}")),
        Var::PrivilegedBelow => live.privileged_below.map(|p| p.to_string()),
        Var::Port5000 => live.port_5000.as_ref().map(|h| match h {
            Holders::Free => cat.text(&Text::LivePortFree { port: 5000 }),
            Holders::Processes(names) => cat.text(&Text::LivePortHeld {
                port: 5000,
                who: &names.join(", "),
            }),
            Holders::Hidden => cat.text(&Text::LivePortHidden { port: 5000 }),
        }),
        Var::DualStack => live
            .dual_stack
            .map(|on| cat.text(&Text::LiveDualStack { on })),
        Var::Wsl => live.wsl.map(|mode| cat.text(&Text::LiveWsl { mode })),
        Var::Container => live.container.as_ref().map(|name| {
            cat.text(&Text::LiveContainer {
                name: name.as_deref(),
            })
        }),
        Var::DockerBridge => live.os.map(|_| {
            if live.bridges.is_empty() {
                cat.text(&Text::LiveNoBridge)
            } else {
                live.bridges
                    .iter()
                    .map(|(name, ip)| format!("{name} ({ip})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }),
        Var::Os => live.os.map(|os| cat.text(&Text::LiveOs { os })),
        Var::Firewall => live.firewall.as_ref().map(|c| {
            cat.note(&crate::analysis::notes::Note::Firewall {
                port: 5000,
                interface: c.interface.clone(),
                verdict: c.answer.verdict,
                source: c.answer.source,
                rule: c.answer.rule.clone(),
                fix: c.answer.fix.clone(),
            })
        }),
    }
}

/// Inline Markdown marks dropped, for the one-line texts of the list and `--json`.
fn plain(text: &str) -> String {
    text.replace("**", "").replace('`', "")
}

/// The page's title (its `#` line) and summary (the paragraph after it), as plain text.
pub fn title_and_summary(source: &str) -> (String, String) {
    let mut lines = source.lines();
    let title = lines
        .next()
        .unwrap_or("")
        .trim_start_matches('#')
        .trim()
        .to_string();
    let summary = lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    (plain(&title), plain(&summary))
}

pub fn explain(topic: Topic, lang: Lang, live: &Live) -> ExplainReport {
    let cat = lang.catalogue_on(live.os.unwrap_or(Os::Other));
    let source = pages::for_os(pages::source(lang, topic), live.os);
    let value = |var: Var| value(var, live, cat);
    let mut values = BTreeMap::new();
    for p in placeholders(&source) {
        if let Some(var) = Var::find(p.name) {
            values.insert(var, value(var));
        }
    }
    let (title, summary) = title_and_summary(&source);
    ExplainReport {
        topic,
        lang,
        title,
        summary: fill(&summary, &value),
        markdown: fill(&source, &value),
        values,
        source,
    }
}

pub fn topics(lang: Lang) -> TopicsReport {
    TopicsReport {
        lang,
        topics: Topic::ALL
            .into_iter()
            .map(|topic| {
                let (title, summary) = title_and_summary(pages::source(lang, topic));
                TopicOut {
                    name: topic,
                    aliases: topic.aliases(),
                    title,
                    summary,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_take_the_value_or_the_page_s_own_words() {
        let value = |var: Var| (var == Var::LanIp).then(|| "192.168.0.23".to_string());
        assert_eq!(
            fill(
                "IP {{lan_ip:192.168.x.x}}, range {{ephemeral:the OS's range}}.",
                &value
            ),
            "IP 192.168.0.23, range the OS's range."
        );
        assert_eq!(
            pieces("a {{lan_ip}} b", &value),
            [
                Piece::Text("a "),
                Piece::Live("192.168.0.23".into()),
                Piece::Text(" b")
            ]
        );
        // Unknown names and unclosed braces stay as written.
        assert_eq!(
            fill("{{nope:x}} and {{lan_ip", &value),
            "{{nope:x}} and {{lan_ip"
        );
        assert_eq!(fill("{'a': {{lan_ip:x}}}", &value), "{'a': 192.168.0.23}");
    }

    #[test]
    fn a_page_has_a_title_and_a_one_paragraph_summary() {
        let (title, summary) =
            title_and_summary("# Ports\n\nWhat a `port` is,\nand **more**.\n\n## A\n");
        assert_eq!(title, "Ports");
        assert_eq!(summary, "What a port is, and more.");
    }
}
