//! Each OS in its own words: the pages, notes and `--kill` texts for Linux, macOS and Windows,
//! in both languages, rendered here whatever this machine runs (the OS is data: the page's
//! variants are chosen by the machine's facts, the catalogue is made for an OS).

use std::net::SocketAddr;

use super::tests::text;
use super::Ui;
use crate::analysis::fixtures;
use crate::analysis::live::{live, Live};
use crate::analysis::notes::Note;
use crate::analysis::topics::Topic;
use crate::i18n::{pages, Lang, Text};
use crate::model::{BindError, KillOutcome, Os, Signal};
use crate::report::{self, explain::explain};
use crate::test_support::has_hangul;

const LANGS: [Lang; 2] = [Lang::En, Lang::Ko];
const OSES: [Os; 3] = [Os::Linux, Os::Macos, Os::Windows];

fn ui(lang: Lang, os: Os) -> Ui {
    Ui {
        cat: lang.catalogue_on(os),
        tty: false,
        width: 0,
        ..super::tests::ui(lang)
    }
}

/// The machine's values as each OS reads them: the laptop's for Linux, the MacBook's for
/// macOS, and for Windows the laptop's addresses without Linux's sysctls (Windows has no
/// privileged ports, and its ephemeral range is not read).
fn machine(os: Os) -> Live {
    match os {
        Os::Macos => live(&fixtures::macbook(), Some(&fixtures::flask_port())),
        Os::Windows => {
            let mut host = fixtures::laptop();
            host.os = Os::Windows;
            host.sysctls = crate::model::Sysctls {
                bindv6only: Some(true),
                ..Default::default()
            };
            host.env = Default::default();
            live(&host, Some(&fixtures::flask_port()))
        }
        _ => live(&fixtures::laptop(), Some(&fixtures::flask_port())),
    }
}

fn page(topic: Topic, lang: Lang, os: Os) -> String {
    let live = machine(os);
    assert_eq!(live.os, Some(os));
    let report = explain(topic, lang, &live);
    text(|w| super::explain::page(w, &report, &ui(lang, os)))
}

#[test]
fn every_page_names_each_os_once_in_every_group_and_both_languages_agree() {
    for topic in Topic::ALL {
        let [en, ko] = LANGS.map(|lang| {
            pages::groups(pages::source(lang, topic))
                .unwrap_or_else(|e| panic!("{} {lang:?}: {e}", topic.name()))
        });
        assert_eq!(
            en,
            ko,
            "{}: the same variants in both languages",
            topic.name()
        );
    }
}

#[test]
fn every_page_renders_for_every_os_without_its_marks() {
    for topic in Topic::ALL {
        for lang in LANGS {
            for os in OSES {
                let page = page(topic, lang, os);
                let context = format!("{} {lang:?} {os:?}\n{page}", topic.name());
                assert!(!page.contains("<!--") && !page.contains("{{"), "{context}");
                assert_eq!(has_hangul(&page), lang == Lang::Ko, "{context}");
            }
        }
    }
}

/// The ports page holds the commands each OS has, and none of another's.
#[test]
fn the_ports_page_gives_each_os_its_own_commands() {
    for lang in LANGS {
        for os in OSES {
            let page = page(Topic::Ports, lang, os);
            let (has, lacks): (&[&str], &[&str]) = match os {
                Os::Windows => (
                    &[
                        "netstat -ano | findstr :5000",
                        "taskkill /PID <PID> /F",
                        "Get-NetTCPConnection -LocalPort 5000",
                        "WinError 10048",
                        "WinError 10013",
                        "excludedportrange",
                        "49152–65535",
                    ],
                    &["sudo", "lsof", "kill <PID>", "Errno", "SIGTERM", "ss -"],
                ),
                Os::Macos => (
                    &[
                        "lsof -nP -iTCP:5000 -sTCP:LISTEN",
                        "kill <PID>",
                        "Errno 48",
                        "AirPlay",
                    ],
                    &["taskkill", "netstat", "WinError", "Errno 98", "ss -"],
                ),
                _ => (
                    &["sudo lsof -i :5000", "kill <PID>", "Errno 98", "ss -ltnp"],
                    &["taskkill", "netstat", "WinError", "Errno 48"],
                ),
            };
            for word in has {
                assert!(page.contains(word), "{lang:?} {os:?}: no '{word}'\n{page}");
            }
            for word in lacks {
                assert!(!page.contains(word), "{lang:?} {os:?}: '{word}'\n{page}");
            }
            insta::assert_snapshot!(format!("ports_{os:?}_{lang:?}").to_lowercase(), page);
        }
    }
}

/// Every text whose words depend on the OS, once for each OS: what a Windows user reads
/// gives Windows' commands and error numbers, never sudo.
fn os_texts(lang: Lang, os: Os) -> String {
    let cat = lang.catalogue_on(os);
    let mut lines = Vec::new();
    let at: SocketAddr = "127.0.0.1:5000".parse().unwrap();
    for t in [
        Text::PortRestricted { port: 80 },
        Text::KillAsk { count: 1 },
        Text::KillAsk { count: 2 },
        Text::KillBelongsTo { user: Some("mina") },
        Text::KillBelongsTo { user: None },
        Text::KillUnseen {
            port: 5000,
            at: &at.to_string(),
            user: Some("root"),
            needs_privilege: true,
        },
        Text::KillUnseen {
            port: 5000,
            at: &at.to_string(),
            user: None,
            needs_privilege: false,
        },
        Text::KillNothingSent { port: 5000 },
        Text::LivePortHidden { port: 5000 },
        Text::KillForceNoEffect,
    ] {
        lines.push(cat.text(&t));
    }
    for note in [
        Note::Reloader {
            parent: 4200,
            child: 4242,
        },
        Note::OwnersHidden { processes: 1 },
        Note::OwnersHidden { processes: 3 },
        Note::BindFailed {
            error: BindError::InUse,
        },
        Note::BindFailed {
            error: BindError::Permission,
        },
        Note::FirewallUnread {
            command: "sudo bindscope listeners".into(),
            parts: vec![crate::analysis::vocab::Unread::Settings],
        },
    ] {
        lines.push(cat.note(&note));
    }
    lines.push(cat.kill_outcome(KillOutcome::Permission).into());
    lines.push(cat.bind_result(Some(&BindError::Permission)));
    lines.join("\n")
}

#[test]
fn notes_and_kill_texts_use_the_os_s_words() {
    for lang in LANGS {
        for os in OSES {
            let all = os_texts(lang, os);
            for line in all.lines() {
                assert_eq!(
                    has_hangul(line),
                    lang == Lang::Ko,
                    "{lang:?} {os:?}: {line}"
                );
            }
            if os == Os::Windows {
                for word in ["sudo", "kill 4200", "permission denied", "root"] {
                    assert!(!all.contains(word), "{lang:?}: '{word}'\n{all}");
                }
                for word in [
                    "taskkill /PID 4200 /T /F",
                    "WinError 10048",
                    "WinError 10013",
                    "taskkill /F",
                    "TerminateProcess",
                    "pid 4",
                ] {
                    assert!(all.contains(word), "{lang:?}: no '{word}'\n{all}");
                }
                let admin = match lang {
                    Lang::En => "as administrator",
                    Lang::Ko => "관리자 권한으로",
                };
                assert!(all.matches(admin).count() >= 6, "{lang:?}\n{all}");
            } else {
                assert!(all.contains("kill 4200") && all.contains("sudo"), "{all}");
                assert!(
                    !all.contains("taskkill") && !all.contains("WinError"),
                    "{all}"
                );
            }
            insta::assert_snapshot!(format!("os_texts_{os:?}_{lang:?}").to_lowercase(), all);
        }
    }
}

/// `--kill` on Windows: the question says the step is final, the table names
/// TerminateProcess, and `--force` is said to change nothing.
#[test]
fn windows_kill_says_its_one_step_is_final() {
    let holders = vec![report::port::HolderOut {
        pid: 8120,
        name: "python.exe".into(),
        user: Some("DESKTOP-MINA\\mina".into()),
        cmdline: Some("C:\\Users\\mina\\app\\.venv\\Scripts\\python.exe -m flask run".into()),
        cwd: None,
        running_s: Some(7500),
        container_init: false,
    }];
    for lang in LANGS {
        let ui = ui(lang, Os::Windows);
        let question = text(|w| super::port::question(w, 5000, &holders, &ui));
        let mut report = super::tests::port_report(lang, &fixtures::flask_port(), true);
        report.kill = Some(report::KillOut {
            holders: holders.clone(),
            targets: vec![report::port::KillTarget {
                pid: 8120,
                name: "python.exe".into(),
                user: Some("DESKTOP-MINA\\mina".into()),
                signals: vec![Signal::Kill],
                outcome: KillOutcome::Exited,
            }],
            forced: true,
            first_step_final: true,
            freed: true,
            ..super::tests::kill_out(report::port::KillVerdict::Freed)
        });
        let done = text(|w| super::port::human(w, &report, &ui));
        let both = format!("{question}\n---\n{done}");
        assert!(
            both.contains("taskkill /F") && both.contains("TerminateProcess"),
            "{both}"
        );
        assert!(
            !both.contains("SIGKILL") && !both.contains("SIGTERM"),
            "{both}"
        );
        assert!(both.contains(
            &lang
                .catalogue_on(Os::Windows)
                .text(&Text::KillForceNoEffect)
        ));
        insta::assert_snapshot!(format!("kill_windows_{lang:?}").to_lowercase(), both);
    }
}
