//! The `explain` pages: both languages, the seeds' rows in the seeds' order, values filled in,
//! tables aligned on a terminal and plain when piped.

use crate::test_support::has_hangul;
use std::collections::BTreeSet;

use unicode_width::UnicodeWidthStr;

use super::Ui;
use crate::analysis::fixtures;
use crate::analysis::live::{live, Live, Var};
use crate::analysis::topics::Topic;
use crate::analysis::vocab::BindKind;
use crate::i18n::{pages, Lang, Row};
use crate::report::explain::{explain, placeholders, title_and_summary};

const LANGS: [Lang; 2] = [Lang::En, Lang::Ko];

fn ui(lang: Lang, tty: bool) -> Ui {
    Ui {
        tty,
        width: if tty { 80 } else { 0 },
        ..super::tests::ui(lang)
    }
}

fn laptop() -> Live {
    live(&fixtures::laptop(), Some(&fixtures::flask_port()))
}

fn render(topic: Topic, lang: Lang, tty: bool, live: &Live) -> String {
    let report = explain(topic, lang, live);
    let mut out = Vec::new();
    super::explain::page(&mut out, &report, &ui(lang, tty)).unwrap();
    String::from_utf8(out).unwrap()
}

/// The heading of every page's last section, which points at the commands that show it live.
fn live_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "See it live",
        Lang::Ko => "직접 확인하기",
    }
}

#[test]
fn every_page_exists_in_both_languages_and_no_file_is_left_over() {
    let expected: BTreeSet<String> = pages::FILES
        .iter()
        .map(|(_, f)| format!("{f}.md"))
        .collect();
    let topics: BTreeSet<Topic> = pages::FILES.iter().map(|(t, _)| *t).collect();
    assert_eq!(topics.len(), Topic::ALL.len(), "one file name per topic");
    for dir in ["docs/en", "docs/ko"] {
        let path = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
        let found: BTreeSet<String> = std::fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".md"))
            .collect();
        assert_eq!(found, expected, "{dir} holds exactly one page per topic");
    }
}

#[test]
fn every_topic_renders_in_both_languages_on_a_terminal_and_piped() {
    for live in [laptop(), Live::default()] {
        for topic in Topic::ALL {
            for lang in LANGS {
                for tty in [true, false] {
                    let page = render(topic, lang, tty, &live);
                    let context = format!("{} {lang:?} tty={tty}\n{page}", topic.name());
                    let (title, _) = title_and_summary(pages::source(lang, topic));
                    assert!(page.starts_with(&title), "{context}");
                    assert!(!page.contains("{{"), "a placeholder left: {context}");
                    assert!(!page.contains('\u{1b}'), "no colour asked: {context}");
                    assert_eq!(has_hangul(&page), lang == Lang::Ko, "{context}");
                    let last = page
                        .rfind(live_heading(lang))
                        .unwrap_or_else(|| panic!("no '{}': {context}", live_heading(lang)));
                    assert!(
                        page[last..].matches("bindscope").count() >= 2,
                        "the page ends with commands to run: {context}"
                    );
                }
            }
        }
    }
}

/// The facts of each page in the order of the seeds (for tables, their rows).
fn seed_order(topic: Topic, lang: Lang) -> Vec<String> {
    let cat = lang.catalogue_on(crate::model::Os::Linux);
    let words: &[&str] = match (topic, lang) {
        (Topic::LoopbackVsLan, _) => {
            return Row::ALL.iter().map(|&r| cat.row(r).to_string()).collect()
        }
        (Topic::Flask, Lang::En) => &[
            "Routing",
            "Templates",
            "Requests and responses",
            "Extensions",
            "Where it is used",
        ],
        (Topic::Flask, Lang::Ko) => &[
            "라우팅",
            "템플릿",
            "요청과 응답 처리",
            "확장 기능",
            "주로 쓰이는 곳",
        ],
        (Topic::BindAll, Lang::En) => &["Meaning", "Advantages", "Disadvantages", "Summary"],
        (Topic::BindAll, Lang::Ko) => &["의미", "장점", "단점", "요약"],
        (Topic::Ports, Lang::En) => &[
            "What a port is",
            "0 to 65535",
            "0–1023",
            "1024–49151",
            "49152–65535",
            "Port conflicts",
            "How to resolve",
            "Use another port",
            "app.run(host=\"0.0.0.0\", port=8081)",
            "sudo lsof -i :5000",
            "kill <PID>",
            "SIGTERM",
            "kill -9 <PID>",
        ],
        (Topic::Ports, Lang::Ko) => &[
            "포트 번호란?",
            "0부터 65535까지",
            "0–1023",
            "1024–49151",
            "49152–65535",
            "포트 충돌",
            "충돌 해결 방법",
            "다른 포트 번호를 쓰세요",
            "app.run(host=\"0.0.0.0\", port=8081)",
            "sudo lsof -i :5000",
            "kill <PID>",
            "SIGTERM",
            "kill -9 <PID>",
        ],
        (Topic::Debugging, Lang::En) => &[
            "Run Without Debugging",
            "Start Debugging",
            "Purpose",
            "Breakpoints",
            "Variables and call stack",
            "Exceptions",
            "Speed",
            "Use",
            "debug mode",
            "reloader",
            "two processes",
            "debugger",
            "Never make a server in debug mode reachable",
        ],
        (Topic::Debugging, Lang::Ko) => &[
            "Run Without Debugging",
            "Start Debugging",
            "실행 목적",
            "중단점(Breakpoint) 처리",
            "변수 및 Call Stack 확인",
            "예외 발생 시 출력",
            "실행 속도",
            "사용 용도",
            "디버그 모드",
            "리로더",
            "프로세스 두 개",
            "디버거",
            "절대 네트워크에서 접속할 수 있게 두지 마세요",
        ],
        (Topic::Ipv6, Lang::En) => &["::1", "::", "fe80::", "Dual stack", "localhost", "[::1]"],
        (Topic::Ipv6, Lang::Ko) => &["::1", "::", "fe80::", "듀얼 스택", "localhost", "[::1]"],
        (Topic::Firewall, Lang::En) => &["loopback", "Refused", "Timed out", "Windows", "ufw"],
        (Topic::Firewall, Lang::Ko) => &["루프백", "거부됨", "시간 초과", "Windows", "ufw"],
        (Topic::Wsl, Lang::En) => &["NAT mode", "portproxy", "Mirrored mode", "networkingMode"],
        (Topic::Wsl, Lang::Ko) => &["NAT 모드", "portproxy", "미러 모드", "networkingMode"],
        (Topic::Docker, Lang::En) => &["0.0.0.0", "-p 5000:5000", "127.0.0.1:5000:5000", "ufw"],
        (Topic::Docker, Lang::Ko) => &["0.0.0.0", "-p 5000:5000", "127.0.0.1:5000:5000", "ufw"],
        (Topic::Macos, Lang::En) => &["AirPlay", "403", "AirTunes", "5001", "firewall"],
        (Topic::Macos, Lang::Ko) => &["AirPlay", "AirTunes", "403", "5001", "방화벽"],
    };
    words.iter().map(|w| w.to_string()).collect()
}

#[test]
fn the_seeds_rows_appear_in_the_seeds_order() {
    for topic in Topic::ALL {
        for lang in LANGS {
            for tty in [true, false] {
                // Wrapped lines (quoted ones too) joined again: a phrase may break across two.
                let page = render(topic, lang, tty, &laptop())
                    .split_whitespace()
                    .filter(|word| !matches!(*word, "│" | ">"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut at = 0;
                for word in seed_order(topic, lang) {
                    match page[at..].find(&word) {
                        Some(found) => at += found + word.len(),
                        None => panic!(
                            "{} {lang:?} tty={tty}: '{word}' missing or out of order\n{page}",
                            topic.name()
                        ),
                    }
                }
            }
        }
    }
}

/// The rows of the first Markdown table of a page: cells trimmed, the separator left out.
fn markdown_table(source: &str) -> Vec<Vec<String>> {
    source
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter(|l| !l.starts_with("|-"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_loopback_table_is_the_comparison_expose_prints() {
    for lang in LANGS {
        let cat = lang.catalogue_on(crate::model::Os::Linux);
        let rows = markdown_table(pages::source(lang, Topic::LoopbackVsLan));
        let expected: Vec<Vec<String>> = Row::ALL
            .iter()
            .map(|&row| {
                vec![
                    cat.row(row).to_string(),
                    cat.compare(BindKind::Loopback, row).to_string(),
                    cat.compare(BindKind::Lan, row).to_string(),
                ]
            })
            .collect();
        assert_eq!(rows[1..], expected[..], "{lang:?}");
    }
}

#[test]
fn placeholders_name_known_values_with_words_for_when_they_are_unknown() {
    for topic in Topic::ALL {
        let mut used = Vec::new();
        for lang in LANGS {
            let source = pages::source(lang, topic);
            let mut vars = BTreeSet::new();
            for p in placeholders(source) {
                let var = Var::find(p.name).unwrap_or_else(|| {
                    panic!(
                        "{} {lang:?}: unknown value {{{{{}}}}}",
                        topic.name(),
                        p.name
                    )
                });
                assert!(
                    !p.fallback.trim().is_empty(),
                    "{} {lang:?}: {{{{{}}}}} needs words for when it cannot be read",
                    topic.name(),
                    p.name
                );
                vars.insert(var);
            }
            used.push(vars);
        }
        assert_eq!(
            used[0],
            used[1],
            "{}: both languages show the same values",
            topic.name()
        );
    }
}

#[test]
fn summaries_fit_on_one_line_of_the_list() {
    for topic in Topic::ALL {
        for lang in LANGS {
            let source = pages::source(lang, topic);
            let (title, summary) = title_and_summary(source);
            assert!(!title.is_empty(), "{}", topic.name());
            assert!(
                (10..=60).contains(&summary.width()) && !summary.contains("{{"),
                "{} {lang:?}: '{summary}' is {} columns",
                topic.name(),
                summary.width()
            );
        }
    }
}

/// The display column where the word `needle` starts in `line`.
fn column(line: &str, needle: &str) -> Option<usize> {
    let spaced = format!(" {needle}");
    line.find(&spaced).map(|at| line[..at].width() + 1)
}

#[test]
fn korean_tables_stay_aligned_on_a_terminal() {
    let cat = Lang::Ko.catalogue_on(crate::model::Os::Linux);
    let page = render(Topic::LoopbackVsLan, Lang::Ko, true, &laptop());
    let header = page
        .lines()
        .find(|l| l.contains("127.0.0.1 (localhost)") && l.contains("내부 IP"))
        .expect("the header line");
    let second = column(header, "127.0.0.1").unwrap();
    let third = column(header, "내부 IP").unwrap();
    for row in Row::ALL {
        let label = cat.row(row);
        let line = page
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("row {label}\n{page}"));
        let first_word = |kind| cat.compare(kind, row).split(' ').next().unwrap();
        assert_eq!(
            column(line, first_word(BindKind::Loopback)),
            Some(second),
            "{line}"
        );
        assert_eq!(
            column(line, first_word(BindKind::Lan)),
            Some(third),
            "{line}"
        );
    }
}

#[test]
fn pages_wrap_to_the_terminal_and_tables_become_records_when_piped() {
    for topic in Topic::ALL {
        for lang in LANGS {
            let source = pages::source(lang, topic);
            // Code is never wrapped: a command must stay one line to be copied.
            let code: BTreeSet<&str> = source
                .split("```")
                .skip(1)
                .step_by(2)
                .flat_map(str::lines)
                .map(str::trim)
                .collect();
            let page = render(topic, lang, true, &laptop());
            for line in page.lines().filter(|l| !code.contains(l.trim())) {
                assert!(
                    line.width() <= 80,
                    "{} {lang:?}: {} columns\n{line}",
                    topic.name(),
                    line.width()
                );
            }
        }
    }
    let piped = render(Topic::LoopbackVsLan, Lang::En, false, &laptop());
    assert!(
        piped.contains("Meaning\n  127.0.0.1 (localhost): This computer itself\n"),
        "{piped}"
    );
    // A header cell that wraps on a terminal keeps all its words.
    let debugging = render(Topic::Debugging, Lang::En, true, &laptop());
    assert!(
        debugging.contains("(Ctrl+F5)") && debugging.contains("(F5)"),
        "{debugging}"
    );
}

#[test]
fn values_read_here_replace_the_generic_words() {
    let page = render(Topic::LoopbackVsLan, Lang::En, false, &laptop());
    assert!(page.contains("192.168.1.23 on wlp2s0"), "{page}");
    assert!(page.contains("http://192.168.1.23:5000"), "{page}");
    let unknown = render(Topic::LoopbackVsLan, Lang::En, false, &Live::default());
    assert!(unknown.contains("http://<your LAN IP>:5000"), "{unknown}");
    let ports = render(Topic::Ports, Lang::Ko, false, &laptop());
    assert!(
        ports.contains("32768–60999") && ports.contains("python3 (4242)"),
        "{ports}"
    );
}

#[test]
fn a_link_shows_its_target_unless_its_text_is_the_target() {
    let mut out = Vec::new();
    let source = "See [the docs](https://example.org/a) or <https://example.org/b>.\n";
    super::markdown::write_page(&mut out, &ui(Lang::En, false), source, &|_| None).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "See the docs (https://example.org/a) or https://example.org/b.\n"
    );
}

#[test]
fn a_public_address_is_never_called_private() {
    let server = live(&fixtures::server(), None);
    for lang in LANGS {
        let page = render(Topic::LoopbackVsLan, lang, false, &server);
        let (public, private) = match lang {
            Lang::En => ("5.9.10.20, is public", "is private"),
            Lang::Ko => ("5.9.10.20은 공인 주소", "사설 주소라서"),
        };
        assert!(page.contains(public), "{page}");
        assert!(!page.contains(private), "{page}");
    }
    let page = render(Topic::LoopbackVsLan, Lang::En, false, &laptop());
    assert!(page.contains("192.168.1.23, is private"), "{page}");
}
