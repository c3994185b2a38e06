//! The verdicts that follow the running server and the kernel's rules, from fixtures, in both
//! languages and in `--json`: a loopback-only server under `urls` and the overview, one that
//! answers, the debugger's DANGER in every command that can see it, a listener that does not
//! answer, a bind without listen(), and a `--try` that fails.

use super::json_tests::json;
use super::tests::{attempt, text, ui};
use super::Ui;
use crate::analysis::expose::expose;
use crate::analysis::fixtures;
use crate::analysis::vocab::Status::{Open, Refused};
use crate::i18n::Lang;
use crate::model::{BindError, DebugEvidence, DebugFinding, SockState, SocketTable, Target};
use crate::report::server::Running;
use crate::report::{self, ExposeRequest, UrlsRequest};

const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Ko, "ko")];

/// Flask with its reloader on port 5000: on 127.0.0.1 (its default), or on 0.0.0.0.
fn flask(all: bool) -> SocketTable {
    let mut table = fixtures::flask_port();
    if all {
        table.sockets[0].local = "0.0.0.0:5000".parse().unwrap();
    }
    table
}

/// `flask run --debug`: the reloader's child runs the debugger.
const DEBUG: [DebugFinding; 1] = [DebugFinding {
    pid: 4242,
    evidence: DebugEvidence::CommandLine,
}];

fn tty(lang: Lang) -> Ui {
    Ui {
        tty: true,
        ..ui(lang)
    }
}

fn danger_first(out: &str, lang: Lang) {
    let word = if lang == Lang::En { "DANGER" } else { "위험" };
    assert!(out.starts_with(word), "{out}");
}

fn urls_report(
    table: &SocketTable,
    debug: &[DebugFinding],
    lang: Lang,
    qr: bool,
) -> report::UrlsReport {
    let host = fixtures::laptop();
    let primary = crate::analysis::interfaces::primary(&host);
    let request = UrlsRequest {
        host: &host,
        bind: None,
        running: Some(Running { table, debug }),
        port: 5000,
        scheme: "http",
        path: "",
        all: false,
        qr,
        families: crate::model::Families::Both,
        primary: primary.as_ref(),
    };
    report::urls(
        &request,
        &expose(&host, &Target::Everything, 5000),
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

#[test]
fn urls_follow_the_running_server() {
    for (lang, code) in LANGS {
        let loopback = urls_report(&flask(false), &[], lang, true);
        assert_eq!(loopback.verdict, report::urls::UrlsVerdict::NotAnswering);
        let network = loopback.entries.iter().find(|e| e.recommended).unwrap();
        assert_eq!(network.answers, Some(false));
        let out = text(|w| super::urls::human(w, &loopback, &tty(lang)));
        assert!(
            !out.contains('▀') && !out.contains('▄'),
            "no QR code: {out}"
        );
        insta::assert_snapshot!(format!("urls_server_loopback_{code}"), out);
        let all = urls_report(&flask(true), &[], lang, false);
        assert_eq!(all.verdict, report::urls::UrlsVerdict::Serving);
        insta::assert_snapshot!(
            format!("urls_server_all_{code}"),
            text(|w| super::urls::human(w, &all, &tty(lang)))
        );
        let danger = urls_report(&flask(true), &DEBUG, lang, false);
        danger_first(&text(|w| super::urls::human(w, &danger, &tty(lang))), lang);
    }
    insta::assert_snapshot!(
        "json_urls_server_loopback_en",
        json(&urls_report(&flask(false), &[], Lang::En, false))
    );
    let nothing = urls_report(&SocketTable::default(), &[], Lang::En, false);
    assert!(nothing.entries.iter().all(|e| e.answers.is_none()));
    assert!(nothing.server.is_none());
}

#[test]
fn the_overview_follows_the_running_server() {
    let host = fixtures::laptop();
    for (lang, code) in LANGS {
        let table = flask(false);
        let running = Running {
            table: &table,
            debug: &[],
        };
        let r = report::overview(
            &host,
            5000,
            Some(running),
            &[],
            lang.catalogue_on(crate::model::Os::Linux),
        );
        assert_eq!(r.recommended_answers, Some(false));
        insta::assert_snapshot!(
            format!("overview_server_loopback_{code}"),
            text(|w| super::overview::human(w, &r, &ui(lang)))
        );
        let table = flask(true);
        let running = Running {
            table: &table,
            debug: &DEBUG,
        };
        let r = report::overview(
            &host,
            5000,
            Some(running),
            &[],
            lang.catalogue_on(crate::model::Os::Linux),
        );
        // DANGER decides the first line, not the URL that answers.
        assert_eq!(
            r.verdict,
            crate::report::overview::OverviewVerdict::DebuggerExposed
        );
        let out = text(|w| super::overview::human(w, &r, &ui(lang)));
        danger_first(&out, lang);
        insta::assert_snapshot!(format!("overview_server_debug_{code}"), out);
    }
    let table = flask(false);
    let running = Running {
        table: &table,
        debug: &[],
    };
    let r = report::overview(
        &host,
        5000,
        Some(running),
        &[],
        Lang::En.catalogue_on(crate::model::Os::Linux),
    );
    insta::assert_snapshot!("json_overview_server_loopback_en", json(&r));
}

fn local_probe(
    table: &SocketTable,
    debug: &[DebugFinding],
    open: bool,
    lang: Lang,
) -> report::probe::LocalProbeReport {
    let status = if open { Open } else { Refused };
    let attempts = vec![
        attempt("127.0.0.1", 5000, "lo", status),
        attempt("::1", 5000, "lo", Refused),
        attempt("192.168.1.23", 5000, "wlp2s0", status),
        attempt("172.17.0.1", 5000, "docker0", status),
    ];
    let found = report::probe::LocalFindings {
        port: 5000,
        timeout: std::time::Duration::from_secs(1),
        attempts,
        table,
        debug,
        firewall: &[],
    };
    report::probe::local(
        &fixtures::laptop(),
        found,
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

#[test]
fn probe_says_danger_silence_and_a_bind_without_listen() {
    use crate::report::probe::LocalVerdict;
    let mut bound = flask(true);
    bound.sockets[0].state = SockState::Bound;
    for (lang, code) in LANGS {
        let danger = local_probe(&flask(true), &DEBUG, true, lang);
        assert_eq!(danger.verdict, LocalVerdict::DebuggerExposed);
        let out = text(|w| super::probe::local(w, &danger, &ui(lang)));
        danger_first(&out, lang);
        insta::assert_snapshot!(format!("probe_local_debugger_{code}"), out);
        let silent = local_probe(&flask(true), &[], false, lang);
        assert_eq!(silent.verdict, LocalVerdict::ListensButSilent);
        insta::assert_snapshot!(
            format!("probe_local_silent_{code}"),
            text(|w| super::probe::local(w, &silent, &ui(lang)))
        );
        let only_bound = local_probe(&bound, &[], false, lang);
        assert_eq!(only_bound.verdict, LocalVerdict::BoundNotListening);
        insta::assert_snapshot!(
            format!("probe_local_bound_{code}"),
            text(|w| super::probe::local(w, &only_bound, &ui(lang)))
        );
    }
    // Debug mode on loopback only is the safe place: no DANGER.
    let safe = local_probe(&flask(false), &DEBUG, false, Lang::En);
    assert_ne!(safe.verdict, LocalVerdict::DebuggerExposed);
    let danger =
        report::probe::ProbeReport::Local(local_probe(&flask(true), &DEBUG, true, Lang::En));
    insta::assert_snapshot!("json_probe_local_debugger_en", json(&danger));
}

#[test]
fn listeners_and_port_say_danger_first() {
    let host = fixtures::laptop();
    let mut sockets = fixtures::laptop_sockets();
    sockets.sockets[0].local = "0.0.0.0:5000".parse().unwrap();
    let view = report::ListenersView {
        exposed_only: false,
        fail_on_exposed: true,
        proto: None,
        ipv4: true,
        ipv6: true,
    };
    for (lang, code) in LANGS {
        let r = report::listeners(
            &host,
            &sockets,
            &view,
            &DEBUG,
            None,
            lang.catalogue_on(crate::model::Os::Linux),
        );
        assert_eq!(r.verdict, report::ListenersVerdict::DebuggerExposed);
        assert_eq!(r.debugger_exposed, 1);
        let out = text(|w| super::listeners::human(w, &r, &ui(lang)));
        danger_first(&out, lang);
        insta::assert_snapshot!(format!("listeners_debugger_{code}"), out);

        let table = flask(true);
        let bind_test = [
            ("127.0.0.1".parse().unwrap(), Err(BindError::InUse)),
            ("0.0.0.0".parse().unwrap(), Err(BindError::InUse)),
        ];
        let findings = report::PortFindings {
            port: 5000,
            table: &table,
            bind_test: &bind_test,
            suggestions: vec![5001],
            debug: &DEBUG,
            firewall: None,
        };
        let r = report::port(&host, &findings, lang.catalogue_on(crate::model::Os::Linux));
        assert!(r.debugger_exposed);
        let out = text(|w| super::port::human(w, &r, &ui(lang)));
        danger_first(&out, lang);
        insta::assert_snapshot!(format!("port_debugger_{code}"), out);
    }
    let r = report::listeners(
        &host,
        &sockets,
        &view,
        &DEBUG,
        None,
        Lang::En.catalogue_on(crate::model::Os::Linux),
    );
    insta::assert_snapshot!("json_listeners_debugger_en", json(&r));
}

#[test]
fn a_failed_try_is_the_verdict() {
    let host = fixtures::laptop();
    let target = Target::Ip {
        ip: "0.0.0.0".parse().unwrap(),
        zone: None,
    };
    for (lang, code) in LANGS {
        let request = ExposeRequest {
            host: "0.0.0.0",
            port: 5000,
            scheme: "http",
            tried: Some(Err(BindError::InUse)),
            blocked_by: Some(report::expose::Blocker {
                socket: "127.0.0.1:5000".parse().unwrap(),
                process: Some("python3 (4200)".into()),
            }),
            firewall: &[],
        };
        let r = report::expose(
            &request,
            &expose(&host, &target, 5000),
            lang.catalogue_on(crate::model::Os::Linux),
        );
        let out = text(|w| super::expose::human(w, &r, &ui(lang)));
        let first = out.lines().next().unwrap();
        assert!(
            first.contains("python3 (4200)") && first.contains("127.0.0.1:5000"),
            "{out}"
        );
        insta::assert_snapshot!(format!("expose_try_fails_{code}"), out);
    }
}

#[test]
fn urls_of_a_host_without_a_network_url_and_an_overview_that_serves() {
    let host = fixtures::laptop();
    let primary = crate::analysis::interfaces::primary(&host);
    for (lang, code) in LANGS {
        for (name, ip) in [("loopback", "127.0.0.1"), ("not_local", "192.168.0.99")] {
            let target = Target::Ip {
                ip: ip.parse().unwrap(),
                zone: None,
            };
            let request = UrlsRequest {
                host: &host,
                bind: Some(ip),
                running: None,
                port: 5000,
                scheme: "http",
                path: "",
                all: false,
                qr: false,
                families: crate::model::Families::Both,
                primary: primary.as_ref(),
            };
            let r = report::urls(
                &request,
                &expose(&host, &target, 5000),
                lang.catalogue_on(crate::model::Os::Linux),
            );
            insta::assert_snapshot!(
                format!("urls_host_{name}_{code}"),
                text(|w| super::urls::human(w, &r, &tty(lang)))
            );
        }
        let table = flask(true);
        let running = Running {
            table: &table,
            debug: &[],
        };
        let r = report::overview(
            &host,
            5000,
            Some(running),
            &[],
            lang.catalogue_on(crate::model::Os::Linux),
        );
        assert_eq!(r.verdict, crate::report::overview::OverviewVerdict::Serving);
        let out = text(|w| {
            super::overview::human(
                w,
                &r,
                &Ui {
                    quiet: true,
                    ..ui(lang)
                },
            )
        });
        insta::assert_snapshot!(format!("overview_serving_{code}"), out);
    }
}

#[test]
fn probe_says_when_the_firewall_keeps_the_phone_out() {
    use crate::analysis::firewall::{Answer, Check, Source, Verdict};
    let check = Check {
        interface: "wlp2s0".into(),
        ip: "192.168.1.23".parse().unwrap(),
        answer: Answer {
            verdict: Verdict::Drop,
            source: Some(Source::Ufw),
            rule: Some("default deny incoming".into()),
            fix: Some("sudo ufw allow 5000/tcp".into()),
            complete: true,
            unread: Vec::new(),
        },
    };
    for (lang, code) in LANGS {
        let attempts = vec![
            attempt("127.0.0.1", 5000, "lo", Open),
            attempt("192.168.1.23", 5000, "wlp2s0", Open),
        ];
        let table = flask(true);
        let found = report::probe::LocalFindings {
            port: 5000,
            timeout: std::time::Duration::from_secs(1),
            attempts,
            table: &table,
            debug: &[],
            firewall: std::slice::from_ref(&check),
        };
        let r = report::probe::local(
            &fixtures::laptop(),
            found,
            lang.catalogue_on(crate::model::Os::Linux),
        );
        assert_eq!(r.verdict, report::probe::LocalVerdict::FirewallBlocks);
        assert_eq!(
            r.url, None,
            "no URL to try while the firewall keeps the phone out"
        );
        insta::assert_snapshot!(
            format!("probe_local_firewall_{code}"),
            text(|w| super::probe::local(w, &r, &ui(lang)))
        );
        if lang == Lang::En {
            let r = report::probe::ProbeReport::Local(r);
            insta::assert_snapshot!("json_probe_local_firewall_en", json(&r));
        }
    }
}
