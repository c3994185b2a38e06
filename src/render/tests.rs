//! Human output rendered from fixture machines: the same on every computer, so it can be
//! held in snapshots and read in review.

use std::io;
use std::net::IpAddr;

use unicode_width::UnicodeWidthStr;

use super::Ui;
use crate::analysis::expose::expose;
use crate::analysis::fixtures;
use crate::analysis::interfaces::primary;
use crate::analysis::topics::Topic;
use crate::i18n::Lang;
use crate::model::Families;
use crate::model::Target;
use crate::model::{Host, Process};
use crate::report::{self, ExposeRequest, UrlsRequest};

pub(super) fn ui(lang: Lang) -> Ui {
    Ui {
        json: false,
        lang,
        cat: lang.catalogue_on(crate::model::Os::Linux),
        color: false,
        verbose: 0,
        quiet: false,
        tty: true,
        width: 80,
    }
}

pub(super) fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

// The reports below are built once, for these views and for their JSON beside them
// (`json_tests.rs`): both snapshots show the same answer.

pub(super) fn overview_report(host: &Host, lang: Lang) -> report::OverviewReport {
    report::overview(
        host,
        5000,
        None,
        &[],
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

fn overview(host: &Host, lang: Lang) -> String {
    let ui = ui(lang);
    let report = overview_report(host, lang);
    text(|w| super::overview::human(w, &report, &ui))
}

pub(super) fn interfaces_report(host: &Host, lang: Lang) -> report::InterfacesReport {
    report::interfaces(
        host,
        true,
        Families::Both,
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

fn interfaces(host: &Host, lang: Lang, verbose: u8) -> String {
    let ui = Ui {
        verbose,
        ..ui(lang)
    };
    let report = interfaces_report(host, lang);
    text(|w| super::interfaces::human(w, &report, &ui))
}

pub(super) fn expose_target_report(
    host: &Host,
    target: Target,
    shown: &str,
    port: u16,
    lang: Lang,
) -> report::ExposeReport {
    let exposure = expose(host, &target, port);
    let request = ExposeRequest {
        host: shown,
        port,
        scheme: "http",
        tried: None,
        blocked_by: None,
        firewall: &[],
    };
    report::expose(
        &request,
        &exposure,
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

fn expose_target(host: &Host, target: Target, shown: &str, port: u16, lang: Lang) -> String {
    let ui = ui(lang);
    let report = expose_target_report(host, target, shown, port, lang);
    text(|w| super::expose::human(w, &report, &ui))
}

pub(super) fn expose_ip_report(host: &Host, ip: &str, lang: Lang) -> report::ExposeReport {
    let target = Target::Ip {
        ip: ip.parse().unwrap(),
        zone: None,
    };
    expose_target_report(host, target, ip, 5000, lang)
}

fn expose_ip(host: &Host, ip: &str, lang: Lang) -> String {
    let ui = ui(lang);
    let report = expose_ip_report(host, ip, lang);
    text(|w| super::expose::human(w, &report, &ui))
}

/// `localhost` as the laptop resolves it: `::1` first, as glibc answers.
pub(super) fn localhost() -> Target {
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    Target::Localhost {
        resolved: vec![ip("::1"), ip("127.0.0.1")],
    }
}

fn urls(host: &Host, all: bool, lang: Lang) -> String {
    urls_with(host, all, &ui(lang), false)
}

pub(super) fn urls_report(host: &Host, all: bool, lang: Lang, qr: bool) -> report::UrlsReport {
    let exposure = expose(host, &Target::Everything, 5000);
    let primary = primary(host);
    let request = UrlsRequest {
        host,
        bind: None,
        running: None,
        port: 5000,
        scheme: "http",
        path: "",
        all,
        qr,
        families: Families::Both,
        primary: primary.as_ref(),
    };
    report::urls(
        &request,
        &exposure,
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

fn urls_with(host: &Host, all: bool, ui: &Ui, qr: bool) -> String {
    let report = urls_report(host, all, ui.lang, qr);
    text(|w| super::urls::human(w, &report, ui))
}

#[test]
fn overview_snapshots() {
    insta::assert_snapshot!(
        "overview_laptop_en",
        overview(&fixtures::laptop(), Lang::En)
    );
    insta::assert_snapshot!(
        "overview_laptop_ko",
        overview(&fixtures::laptop(), Lang::Ko)
    );
    insta::assert_snapshot!(
        "overview_server_en",
        overview(&fixtures::server(), Lang::En)
    );
    insta::assert_snapshot!("overview_wsl2_en", overview(&fixtures::wsl2(), Lang::En));
    insta::assert_snapshot!("overview_wsl2_ko", overview(&fixtures::wsl2(), Lang::Ko));
    insta::assert_snapshot!(
        "overview_vpn_en",
        overview(&fixtures::full_tunnel_vpn(), Lang::En)
    );
    insta::assert_snapshot!(
        "overview_ipv6_only_en",
        overview(&fixtures::ipv6_only(), Lang::En)
    );
}

/// What a MacBook's interfaces, URLs and overview say: en0 is the one to share; utun0..3,
/// bridge100, awdl0, llw0, anpi0 and ap1 are named for what they are.
#[test]
fn macbook_snapshots() {
    let mac = fixtures::macbook();
    insta::assert_snapshot!("overview_macbook_en", overview(&mac, Lang::En));
    insta::assert_snapshot!("overview_macbook_ko", overview(&mac, Lang::Ko));
    insta::assert_snapshot!("interfaces_macbook_en", interfaces(&mac, Lang::En, 0));
    insta::assert_snapshot!("urls_macbook_en", urls(&mac, false, Lang::En));
    insta::assert_snapshot!("urls_macbook_all_en", urls(&mac, true, Lang::En));
    insta::assert_snapshot!(
        "overview_macbook_vpn_en",
        overview(&fixtures::macbook_vpn(), Lang::En)
    );
    let report = urls_report(&mac, false, Lang::En, false);
    assert_eq!(report.local, ["http://127.0.0.1:5000", "http://[::1]:5000"]);
    assert_eq!(
        report.network,
        [
            "http://192.168.1.23:5000",
            "http://[fd12:3456:789a::23]:5000"
        ]
    );
    let ifaces = interfaces_report(&mac, Lang::En);
    let json = serde_json::to_value(&ifaces).unwrap();
    let role = |name: &str| {
        json["interfaces"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .map(|i| i["role"].clone())
    };
    assert_eq!(role("utun2"), Some("system_tunnel".into()));
    assert_eq!(role("bridge100"), Some("vm_bridge".into()));
    assert_eq!(role("llw0"), Some("peer_to_peer".into()));
}

#[test]
fn interfaces_snapshots() {
    insta::assert_snapshot!(
        "interfaces_laptop_en",
        interfaces(&fixtures::laptop(), Lang::En, 1)
    );
    insta::assert_snapshot!(
        "interfaces_laptop_ko",
        interfaces(&fixtures::laptop(), Lang::Ko, 0)
    );
}

#[test]
fn expose_snapshots() {
    let laptop = fixtures::laptop();
    insta::assert_snapshot!("expose_all_en", expose_ip(&laptop, "0.0.0.0", Lang::En));
    insta::assert_snapshot!("expose_all_ko", expose_ip(&laptop, "0.0.0.0", Lang::Ko));
    insta::assert_snapshot!("expose_dual_stack_en", expose_ip(&laptop, "::", Lang::En));
    insta::assert_snapshot!(
        "expose_loopback_en",
        expose_ip(&laptop, "127.0.0.1", Lang::En)
    );
    insta::assert_snapshot!(
        "expose_loopback_ko",
        expose_ip(&laptop, "127.0.0.1", Lang::Ko)
    );
    insta::assert_snapshot!(
        "expose_not_local_en",
        expose_ip(&laptop, "192.168.0.99", Lang::En)
    );
    insta::assert_snapshot!(
        "expose_docker_en",
        expose_ip(&laptop, "172.17.0.1", Lang::En)
    );
    insta::assert_snapshot!(
        "expose_localhost_en",
        expose_target(&laptop, localhost(), "localhost", 5000, Lang::En)
    );
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    insta::assert_snapshot!(
        "expose_public_80_en",
        expose_target(
            &fixtures::server(),
            Target::Ip {
                ip: ip("0.0.0.0"),
                zone: None
            },
            "0.0.0.0",
            80,
            Lang::En
        )
    );
    insta::assert_snapshot!(
        "expose_wsl2_ko",
        expose_ip(&fixtures::wsl2(), "0.0.0.0", Lang::Ko)
    );
}

#[test]
fn urls_snapshots() {
    insta::assert_snapshot!(
        "urls_laptop_all_en",
        urls(&fixtures::laptop(), true, Lang::En)
    );
    insta::assert_snapshot!("urls_laptop_ko", urls(&fixtures::laptop(), false, Lang::Ko));
    insta::assert_snapshot!(
        "urls_ipv6_only_en",
        urls(&fixtures::ipv6_only(), false, Lang::En)
    );
}

/// Each column of a Korean table starts at the same display column on every line.
#[test]
fn korean_tables_stay_aligned() {
    let out = interfaces(&fixtures::laptop(), Lang::Ko, 0);
    // The table is the block after the verdict line.
    let lines: Vec<&str> = out.split("\n\n").nth(1).unwrap().lines().collect();
    assert!(lines.len() >= 4, "{out}");
    let column_of = |line: &str, needle: &str| line.find(needle).map(|i| line[..i].width());
    let address_column: Vec<usize> = lines
        .iter()
        .filter_map(|l| {
            [
                "(주소 없음)",
                "주소",
                "127.0.0.1",
                "192.168.1.23",
                "172.17.0.1",
            ]
            .iter()
            .find_map(|n| column_of(l, n))
        })
        .collect();
    assert!(
        address_column.windows(2).all(|w| w[0] == w[1]),
        "{address_column:?}\n{out}"
    );
    let reach_column: Vec<usize> = lines
        .iter()
        .filter_map(|l| {
            ["접속 가능 범위", "이 컴퓨터만", "같은 네트워크"]
                .iter()
                .find_map(|n| column_of(l, n))
        })
        .collect();
    assert!(
        reach_column.len() >= 4 && reach_column.windows(2).all(|w| w[0] == w[1]),
        "{reach_column:?}\n{out}"
    );
}

#[test]
fn colour_is_an_accent_that_can_be_switched_off() {
    colored::control::set_override(true);
    let host = fixtures::laptop();
    let coloured = {
        let ui = Ui {
            color: true,
            ..ui(Lang::En)
        };
        let report = report::interfaces(&host, false, Families::Both, ui.cat);
        text(|w| super::interfaces::human(w, &report, &ui))
    };
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    let plain = interfaces(&host, Lang::En, 0);
    assert!(!plain.contains('\u{1b}'));
    // The words carry the meaning; colour only repeats it.
    let stripped: String = {
        let mut out = String::new();
        let mut chars = coloured.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    };
    for word in ["this machine only", "the local network", "192.168.1.23/24"] {
        assert!(stripped.contains(word), "{word}");
    }
}

#[test]
fn piped_urls_are_bare_with_the_one_to_share_first() {
    let ui = Ui {
        tty: false,
        ..ui(Lang::Ko)
    };
    // Even with --qr: a pipe gets URLs and nothing else.
    let out = urls_with(&fixtures::laptop(), false, &ui, true);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "http://192.168.1.23:5000",
            "http://[fd12:3456:789a::23]:5000",
            "http://127.0.0.1:5000",
            "http://[::1]:5000"
        ]
    );
}

/// The QR code decodes back to the URL it was drawn for.
#[test]
fn qr_code_encodes_the_url() {
    let url = "http://192.168.1.23:5000";
    let drawn = super::urls::qr_code(url);
    // Undo the half blocks: each character is two modules, light ones drawn.
    let rows: Vec<Vec<bool>> = drawn
        .lines()
        .flat_map(|line| {
            let top: Vec<bool> = line.chars().map(|c| !matches!(c, '█' | '▀')).collect();
            let bottom: Vec<bool> = line.chars().map(|c| !matches!(c, '█' | '▄')).collect();
            [top, bottom]
        })
        .collect();
    let (height, width) = (rows.len(), rows[0].len());
    let mut image = rqrr::PreparedImage::prepare_from_bitmap(width, height, |x, y| rows[y][x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "{drawn}");
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, url);
}

/// The README's examples are the renders of the fixture machines they claim to be.
/// `UPDATE_README=1 cargo test readme_examples` writes the current renders into README.md.
#[test]
fn readme_examples_are_true() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let update = std::env::var_os("UPDATE_README").is_some();
    let mut updated = String::new();
    let mut stale = Vec::new();
    let mut checked = 0;
    let mut rest = readme.as_str();
    while let Some(start) = rest.find("<!-- example: ") {
        let marker = start + "<!-- example: ".len();
        let name = &rest[marker..marker + rest[marker..].find(" -->").expect("marker ends")];
        let block = marker
            + rest[marker..]
                .find("```text\n")
                .expect("a text block follows")
            + 8;
        let end = block + rest[block..].find("```").expect("block ends");
        let shown = &rest[block..end];
        let laptop = fixtures::laptop();
        let rendered = match name {
            "overview_laptop_en" => overview(&laptop, Lang::En),
            "interfaces_laptop_en" => interfaces(&laptop, Lang::En, 1),
            "expose_all_en" => expose_ip(&laptop, "0.0.0.0", Lang::En),
            "expose_loopback_ko" => expose_ip(&laptop, "127.0.0.1", Lang::Ko),
            "urls_laptop_all_en" => urls(&laptop, true, Lang::En),
            "listeners_laptop_en" => listeners(Lang::En),
            "port_flask_taken_en" => port(Lang::En, true),
            "probe_local_loopback_en" => local_probe(Lang::En, false),
            "probe_remote_en" => remote_probe(Lang::En),
            "explain_ports_en" => explain(Topic::Ports, Lang::En, true),
            "explain_loopback_ko" => explain(Topic::LoopbackVsLan, Lang::Ko, true),
            "wait_lines_en" => wait_lines(Lang::En),
            other => panic!("README names an unknown example: {other}"),
        };
        if shown != rendered {
            stale.push(name.to_string());
        }
        updated.push_str(&rest[..block]);
        updated.push_str(&rendered);
        rest = &rest[end..];
        checked += 1;
    }
    updated.push_str(rest);
    if update {
        std::fs::write(path, updated).expect("README.md is writable");
    } else {
        assert!(
            stale.is_empty(),
            "README examples out of date: {stale:?} (UPDATE_README=1 cargo test readme_examples rewrites them)"
        );
    }
    assert_eq!(checked, 12, "every README example is checked");
}

/// A page as the laptop fixture shows it, Flask's reloader holding port 5000.
pub(super) fn explain_report(topic: Topic, lang: Lang) -> report::explain::ExplainReport {
    let table = fixtures::flask_port();
    let live = crate::analysis::live::live(&fixtures::laptop(), Some(&table));
    report::explain::explain(topic, lang, &live)
}

fn explain(topic: Topic, lang: Lang, tty: bool) -> String {
    let ui = Ui { tty, ..ui(lang) };
    let report = explain_report(topic, lang);
    text(|w| super::explain::page(w, &report, &ui))
}

pub(super) fn listeners_report(lang: Lang) -> report::ListenersReport<'static> {
    let view = crate::report::ListenersView {
        exposed_only: false,
        fail_on_exposed: false,
        proto: None,
        ipv4: true,
        ipv6: true,
    };
    // The report borrows the machine and its sockets (its rows are made from them as they are
    // written): fixtures that live as long as the test.
    report::listeners(
        Box::leak(Box::new(fixtures::laptop())),
        Box::leak(Box::new(fixtures::laptop_sockets())),
        &view,
        &[],
        None,
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

fn listeners(lang: Lang) -> String {
    let ui = ui(lang);
    let report = listeners_report(lang);
    text(|w| super::listeners::human(w, &report, &ui))
}

pub(super) fn port_report(
    lang: Lang,
    table: &crate::model::SocketTable,
    taken: bool,
) -> report::PortReport {
    use crate::model::BindError;
    let result = |ok: bool| if ok { Ok(()) } else { Err(BindError::InUse) };
    let bind_test = [
        ("127.0.0.1".parse().unwrap(), result(!taken)),
        ("0.0.0.0".parse().unwrap(), result(!taken)),
        ("::".parse().unwrap(), result(!taken)),
    ];
    let findings = report::PortFindings {
        port: 5000,
        debug: &[],
        firewall: None,
        table,
        bind_test: &bind_test,
        suggestions: if taken {
            vec![5001, 4999, 5002]
        } else {
            Vec::new()
        },
    };
    report::port(
        &fixtures::laptop(),
        &findings,
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

fn port(lang: Lang, taken: bool) -> String {
    let ui = ui(lang);
    let table = if taken {
        fixtures::flask_port()
    } else {
        crate::model::SocketTable::default()
    };
    let report = port_report(lang, &table, taken);
    text(|w| super::port::human(w, &report, &ui))
}

#[test]
fn socket_snapshots() {
    insta::assert_snapshot!("listeners_laptop_en", listeners(Lang::En));
    insta::assert_snapshot!("listeners_laptop_ko", listeners(Lang::Ko));
    insta::assert_snapshot!("port_flask_taken_en", port(Lang::En, true));
    insta::assert_snapshot!("port_flask_taken_ko", port(Lang::Ko, true));
    insta::assert_snapshot!("port_free_en", port(Lang::En, false));
}

/// `port 5000 --kill` on the laptop, Flask's reloader holding the port: the parent stopped,
/// the reloader's child still running; or both had exited before the signal and someone else
/// took the port meanwhile. Each case: its snapshot's name, its language, its report.
pub(super) fn kill_reports() -> Vec<(&'static str, Lang, report::PortReport)> {
    use crate::analysis::sockets::Refusal;
    use crate::model::KillOutcome;
    use crate::model::Signal;
    let table = fixtures::flask_port();
    let target = |pid, outcome| report::KillTarget {
        pid,
        name: "python3".into(),
        user: Some("mina".into()),
        signals: if outcome == KillOutcome::AlreadyExited {
            Vec::new()
        } else {
            vec![Signal::Terminate]
        },
        outcome,
    };
    let node = Process {
        pid: 5100,
        ppid: Some(1),
        name: "node".into(),
        uid: Some(1000),
        user: Some("mina".into()),
        cmdline: Some("node server.js".into()),
        start_time: None,
    };
    let mut reports = Vec::new();
    for (name, lang, outcomes, taken_by) in [
        (
            "kill_freed_en",
            Lang::En,
            [KillOutcome::Exited, KillOutcome::Exited],
            vec![],
        ),
        (
            "kill_not_freed_ko",
            Lang::Ko,
            [KillOutcome::StillRunning, KillOutcome::Exited],
            vec![],
        ),
        (
            "kill_taken_again_en",
            Lang::En,
            [KillOutcome::AlreadyExited, KillOutcome::AlreadyExited],
            vec![node.clone()],
        ),
        (
            "kill_taken_again_ko",
            Lang::Ko,
            [KillOutcome::AlreadyExited, KillOutcome::AlreadyExited],
            vec![node.clone()],
        ),
    ] {
        let cat = lang.catalogue_on(crate::model::Os::Linux);
        let mut report = port_report(lang, &table, true);
        let freed = outcomes.iter().all(|&o| o == KillOutcome::Exited);
        let verdict = match (freed, taken_by.is_empty()) {
            (true, _) => report::port::KillVerdict::Freed,
            (false, false) => report::port::KillVerdict::TakenAgain,
            (false, true) => report::port::KillVerdict::NotFreed,
        };
        report.kill = Some(report::KillOut {
            targets: vec![target(4200, outcomes[0]), target(4242, outcomes[1])],
            refused: vec![report::RefusedOut {
                pid: 1,
                reason: Refusal::Init,
                message: cat.refusal(Refusal::Init),
            }],
            freed,
            force_would_help: outcomes.contains(&KillOutcome::StillRunning),
            taken_by,
            ..kill_out(verdict)
        });
        reports.push((name, lang, report));
    }
    // Run as another user: root's process holds the port, hidden. Nothing is sent, and the
    // advice is sudo, not --force.
    for (name, lang) in [
        ("kill_nothing_sent_en", Lang::En),
        ("kill_nothing_sent_ko", Lang::Ko),
    ] {
        let mut report = port_report(lang, &table, true);
        report.kill = Some(report::KillOut {
            unseen: vec![report::port::UnseenOut {
                ip: "127.0.0.1".parse().unwrap(),
                port: 5000,
                user: Some("root".into()),
                needs_privilege: true,
            }],
            ..kill_out(report::port::KillVerdict::NothingSent)
        });
        reports.push((name, lang, report));
    }
    // A container's init holds the port: shown, never signalled, and the container is to be
    // stopped instead.
    for (name, lang) in [
        ("kill_container_init_en", Lang::En),
        ("kill_container_init_ko", Lang::Ko),
    ] {
        let mut report = port_report(lang, &table, true);
        report.kill = Some(report::KillOut {
            holders: vec![container_init_holder()],
            targets: vec![report::KillTarget {
                pid: 7300,
                name: "python3".into(),
                user: Some("root".into()),
                signals: Vec::new(),
                outcome: KillOutcome::ContainerInit,
            }],
            ..kill_out(report::port::KillVerdict::NothingSent)
        });
        reports.push((name, lang, report));
    }
    // Flask stopped; a UDP server on the same number left alone, for want of --udp.
    for (name, lang) in [
        ("kill_udp_left_en", Lang::En),
        ("kill_udp_left_ko", Lang::Ko),
    ] {
        let mut report = port_report(lang, &table, true);
        report.kill = Some(report::KillOut {
            targets: vec![target(4200, KillOutcome::Exited)],
            freed: true,
            udp_left: 1,
            ..kill_out(report::port::KillVerdict::Freed)
        });
        reports.push((name, lang, report));
    }
    reports
}

/// A `--kill` outcome with this verdict and nothing else: no holders, targets, refusals,
/// flags or UDP left; each snapshot sets what it shows.
pub(super) fn kill_out(verdict: report::port::KillVerdict) -> report::KillOut {
    report::KillOut {
        verdict,
        holders: Vec::new(),
        targets: Vec::new(),
        refused: Vec::new(),
        unseen: Vec::new(),
        forced: false,
        first_step_final: false,
        cancelled: false,
        freed: false,
        force_would_help: false,
        taken_by: Vec::new(),
        udp: false,
        udp_left: 0,
    }
}

/// What the user sees before answering `--kill`'s question: each holder's command line,
/// folder, user and how long it has run, then the question.
#[test]
fn kill_question_snapshots() {
    let holders = vec![
        report::port::HolderOut {
            pid: 4200,
            name: "flask".into(),
            user: Some("mina".into()),
            cmdline: Some("/usr/bin/python3 /home/mina/.venv/bin/flask run --debug".into()),
            cwd: Some("/home/mina/app".into()),
            running_s: Some(7500),
            container_init: false,
        },
        report::port::HolderOut {
            pid: 4242,
            name: "python3".into(),
            user: Some("mina".into()),
            cmdline: Some("/usr/bin/python3 /home/mina/.venv/bin/flask run --debug".into()),
            cwd: None,
            running_s: Some(42),
            container_init: false,
        },
    ];
    for (name, lang) in [
        ("kill_question_en", Lang::En),
        ("kill_question_ko", Lang::Ko),
    ] {
        insta::assert_snapshot!(
            name,
            text(|w| super::port::question(w, 5000, &holders, &ui(lang)))
        );
    }
    // Beside Flask, a container's init holding the port too: shown, left alone, not counted.
    let holders = vec![holders[0].clone(), container_init_holder()];
    for (name, lang) in [
        ("kill_question_container_init_en", Lang::En),
        ("kill_question_container_init_ko", Lang::Ko),
    ] {
        insta::assert_snapshot!(
            name,
            text(|w| super::port::question(w, 5000, &holders, &ui(lang)))
        );
    }
}

/// A container's init (pid 1 of its own pid namespace) as the host sees it.
fn container_init_holder() -> report::port::HolderOut {
    report::port::HolderOut {
        pid: 7300,
        name: "python3".into(),
        user: Some("root".into()),
        cmdline: Some("python3 -m http.server 5000".into()),
        cwd: Some("/".into()),
        running_s: Some(600),
        container_init: true,
    }
}

#[test]
fn kill_snapshots() {
    for (name, lang, report) in kill_reports() {
        let quiet = Ui {
            quiet: true,
            ..ui(lang)
        };
        insta::assert_snapshot!(name, text(|w| super::port::human(w, &report, &quiet)));
    }
}

pub(super) fn free_report() -> report::FreeReport {
    report::FreeReport {
        ports: vec![5001, 5002],
        hosts: vec!["127.0.0.1".parse().unwrap(), "0.0.0.0".parse().unwrap()],
        near: 5000,
        range: (1, 65535),
        requested: 2,
    }
}

#[test]
fn free_ports_on_a_terminal_and_piped() {
    let report = free_report();
    let tty = ui(Lang::Ko);
    insta::assert_snapshot!("free_ko", text(|w| super::free::human(w, &report, &tty)));
    let piped = Ui {
        tty: false,
        ..ui(Lang::Ko)
    };
    assert_eq!(
        text(|w| super::free::human(w, &report, &piped)),
        "5001\n5002\n"
    );
}

pub(super) fn attempt(
    ip: &str,
    port: u16,
    interface: &str,
    status: crate::analysis::vocab::Status,
) -> crate::model::Attempt {
    use crate::analysis::vocab::Status;
    use crate::model::Outcome;
    crate::model::Attempt {
        ip: Some(ip.parse().unwrap()),
        port,
        interface: (!interface.is_empty()).then(|| interface.to_string()),
        outcome: match status {
            Status::Open => Outcome::Open,
            Status::Refused => Outcome::Refused,
            Status::Timeout => Outcome::Timeout,
            Status::Unreachable => Outcome::HostUnreachable,
            Status::Unresolved => Outcome::Unresolved,
            Status::Error => Outcome::Error("error".into()),
        },
        elapsed_ms: if status == Status::Timeout { 1000 } else { 0 },
        reason: None,
        http: None,
    }
}

pub(super) fn local_probe_report(lang: Lang, all: bool) -> report::probe::LocalProbeReport {
    use crate::analysis::vocab::Status::{Open, Refused};
    let lan = if all { Open } else { Refused };
    let attempts = vec![
        attempt("127.0.0.1", 5000, "lo", Open),
        attempt("::1", 5000, "lo", Refused),
        attempt("192.168.1.23", 5000, "wlp2s0", lan),
        attempt("fd12:3456:789a::23", 5000, "wlp2s0", Refused),
        attempt("172.17.0.1", 5000, "docker0", lan),
    ];
    let mut table = fixtures::flask_port();
    if all {
        table.sockets[0].local = "0.0.0.0:5000".parse().unwrap();
    }
    let found = report::probe::LocalFindings {
        port: 5000,
        timeout: std::time::Duration::from_secs(1),
        attempts,
        table: &table,
        debug: &[],
        firewall: &[],
    };
    report::probe::local(
        &fixtures::laptop(),
        found,
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

fn local_probe(lang: Lang, all: bool) -> String {
    let ui = ui(lang);
    let report = local_probe_report(lang, all);
    text(|w| super::probe::local(w, &report, &ui))
}

pub(super) fn remote_probe_report(lang: Lang) -> report::probe::RemoteProbeReport {
    use crate::analysis::vocab::Status;
    let mut open = attempt("192.168.1.23", 5000, "", Status::Open);
    open.http = Some(crate::model::HttpProbe {
        host: "192.168.1.23:5000".into(),
        answer: Ok(crate::model::HttpAnswer {
            status: 200,
            reason: "OK".into(),
            server: Some("Werkzeug/3.1.3 Python/3.11.7".into()),
            content_type: Some("text/html; charset=utf-8".into()),
            ..Default::default()
        }),
        debugger: Some(true),
        dev_resource: None,
    });
    let attempts = vec![
        open,
        attempt("192.168.1.23", 8000, "", Status::Refused),
        attempt("192.168.1.23", 8080, "", Status::Timeout),
    ];
    let target = crate::parse::host_input("192.168.1.23").unwrap();
    let request = report::probe::RemoteRequest {
        target: &target,
        ports: &[5000, 8000, 8080],
        timeout: std::time::Duration::from_secs(1),
        https_not_probed: false,
    };
    report::probe::remote(
        &request,
        attempts,
        lang.catalogue_on(crate::model::Os::Linux),
    )
}

fn remote_probe(lang: Lang) -> String {
    let ui = ui(lang);
    let report = remote_probe_report(lang);
    text(|w| super::probe::remote(w, &report, &ui))
}

#[test]
fn probe_snapshots() {
    insta::assert_snapshot!("probe_local_loopback_en", local_probe(Lang::En, false));
    insta::assert_snapshot!("probe_local_loopback_ko", local_probe(Lang::Ko, false));
    insta::assert_snapshot!("probe_local_all_en", local_probe(Lang::En, true));
    insta::assert_snapshot!("probe_remote_en", remote_probe(Lang::En));
    insta::assert_snapshot!("probe_remote_ko", remote_probe(Lang::Ko));
}

pub(super) fn lab_report(lang: Lang) -> report::lab::LabReport {
    use crate::analysis::vocab::BindKind;
    use crate::analysis::vocab::Reach;
    use crate::analysis::vocab::{
        InferredBind,
        Status::{Open, Refused},
    };
    let cat = lang.catalogue_on(crate::model::Os::Linux);
    let step =
        |bind: &str, kind, statuses: [crate::analysis::vocab::Status; 3], inferred, reach| {
            let port = 40000;
            let rows = [
                ("127.0.0.1", "lo"),
                ("::1", "lo"),
                ("192.168.1.23", "wlp2s0"),
            ]
            .iter()
            .zip(statuses)
            .map(|((ip, i), s)| report::probe::row(attempt(ip, port, i, s), cat))
            .collect();
            report::lab::LabStep {
                bind: bind.parse().unwrap(),
                port,
                kind,
                results: rows,
                inferred_bind: inferred,
                reach,
            }
        };
    report::lab::LabReport {
        steps: vec![
            step(
                "127.0.0.1",
                BindKind::Loopback,
                [Open, Refused, Refused],
                InferredBind::Loopback,
                Reach::Host,
            ),
            step(
                "0.0.0.0",
                BindKind::All,
                [Open, Refused, Open],
                InferredBind::All,
                Reach::Lan,
            ),
            step(
                "192.168.1.23",
                BindKind::Lan,
                [Refused, Refused, Open],
                InferredBind::Specific,
                Reach::Lan,
            ),
        ],
        comparison: [BindKind::Loopback, BindKind::All, BindKind::Lan]
            .into_iter()
            .map(|k| report::expose::Comparison::new(k, cat))
            .collect(),
    }
}

fn lab(lang: Lang) -> String {
    let ui = ui(lang);
    let report = lab_report(lang);
    text(|w| super::lab::human(w, &report, &ui))
}

#[test]
fn lab_snapshots() {
    insta::assert_snapshot!("lab_en", lab(Lang::En));
    insta::assert_snapshot!("lab_ko", lab(Lang::Ko));
}

/// A phone on the Wi-Fi opening the laptop's beacon.
pub(super) fn phone_visit() -> crate::model::Visit {
    crate::model::Visit {
        peer: "192.168.1.77:51234".parse().unwrap(),
        local: "192.168.1.23:8000".parse().unwrap(),
        method: "GET".into(),
        path: "/".into(),
        wants_html: false,
        accept_language: None,
    }
}

#[test]
fn the_beacon_page_says_who_reached_what() {
    use crate::model::Visit;
    let host = fixtures::laptop();
    let visit = phone_visit();
    let report = report::serve::visit(
        &host,
        &visit,
        1.5,
        false,
        Lang::En.catalogue_on(crate::model::Os::Linux),
    );
    assert_eq!(report.interface.as_deref(), Some("wlp2s0"));
    assert!(!report.same_machine);
    let page = super::serve::page(
        &report,
        false,
        Lang::En.catalogue_on(crate::model::Os::Linux),
    );
    insta::assert_snapshot!("serve_page_en", page.body);
    let ko = report::serve::visit(
        &host,
        &visit,
        1.5,
        false,
        Lang::Ko.catalogue_on(crate::model::Os::Linux),
    );
    let html = super::serve::page(&ko, true, Lang::Ko.catalogue_on(crate::model::Os::Linux));
    assert_eq!(html.content_type, "text/html; charset=utf-8");
    insta::assert_snapshot!("serve_page_ko_html", html.body);
    // A visit from this machine proves nothing about other devices.
    let local = Visit {
        peer: "127.0.0.1:40000".parse().unwrap(),
        local: "127.0.0.1:8000".parse().unwrap(),
        ..visit
    };
    assert!(
        report::serve::visit(
            &host,
            &local,
            0.0,
            false,
            Lang::En.catalogue_on(crate::model::Os::Linux)
        )
        .same_machine
    );
    assert_eq!(
        report::serve::visitor_lang(Some("ko-KR,ko;q=0.9,en;q=0.8"), Lang::En),
        Lang::Ko
    );
    assert_eq!(
        report::serve::visitor_lang(Some("fr-FR"), Lang::Ko),
        Lang::En
    );
    assert_eq!(report::serve::visitor_lang(None, Lang::Ko), Lang::Ko);
}

/// One `wait` of each ending: a connect after 2.1 s, an HTTP answer at once, a port freed, a
/// timeout of each kind (the holder named, and hidden).
pub(super) fn wait_reports() -> Vec<report::wait::WaitReport> {
    use crate::model::{WaitMode, Waited};
    use std::time::Duration;
    let loopback: Vec<std::net::SocketAddr> = vec![
        "127.0.0.1:5000".parse().unwrap(),
        "[::1]:5000".parse().unwrap(),
    ];
    let waited = |done, by: Option<&str>, status, ms, attempts, held_by: Vec<Process>| Waited {
        done,
        answered_by: by.map(|b| b.parse().unwrap()),
        http_status: status,
        after: Duration::from_millis(ms),
        attempts,
        held_by,
    };
    let times = (Duration::from_secs(30), Duration::from_millis(200));
    let python = fixtures::flask_port()
        .processes
        .into_iter()
        .take(1)
        .collect::<Vec<_>>();
    let report = |mode, w| report::wait::WaitReport::new(5000, mode, loopback.clone(), times, w);
    vec![
        report(
            WaitMode::Connect,
            waited(true, Some("[::1]:5000"), None, 2104, 11, vec![]),
        ),
        report(
            WaitMode::Http,
            waited(true, Some("127.0.0.1:5000"), Some(200), 3, 1, vec![]),
        ),
        report(WaitMode::Free, waited(true, None, None, 1987, 10, vec![])),
        report(WaitMode::Free, waited(true, None, None, 1, 1, vec![])),
        report(
            WaitMode::Connect,
            waited(false, None, None, 30000, 150, vec![]),
        ),
        report(WaitMode::Http, waited(false, None, None, 30000, 30, vec![])),
        report(
            WaitMode::Free,
            waited(false, None, None, 30000, 150, python),
        ),
        report(
            WaitMode::Free,
            waited(false, None, None, 30000, 150, vec![]),
        ),
    ]
}

fn wait_lines(lang: Lang) -> String {
    let ui = ui(lang);
    let mut out = String::new();
    for report in wait_reports() {
        out.push_str(&text(|w| super::wait::human(w, &report, &ui)));
    }
    out
}

#[test]
fn wait_lines_in_both_languages() {
    insta::assert_snapshot!("wait_lines_en", wait_lines(Lang::En));
    insta::assert_snapshot!("wait_lines_ko", wait_lines(Lang::Ko));
}

#[test]
fn wait_progress_lines_redraw_in_place() {
    use crate::model::WaitMode;
    let addrs: Vec<std::net::SocketAddr> = vec![
        "127.0.0.1:5000".parse().unwrap(),
        "[::1]:5000".parse().unwrap(),
    ];
    let mut out = Vec::new();
    for (lang, mode) in [
        (Lang::En, WaitMode::Connect),
        (Lang::En, WaitMode::Http),
        (Lang::En, WaitMode::Free),
        (Lang::Ko, WaitMode::Connect),
        (Lang::Ko, WaitMode::Http),
        (Lang::Ko, WaitMode::Free),
    ] {
        let line =
            lang.catalogue_on(crate::model::Os::Linux)
                .text(&crate::i18n::Text::WaitWaiting {
                    mode,
                    port: 5000,
                    addrs: &addrs,
                    elapsed_ms: 3240,
                });
        super::wait::progress(&mut out, &line).unwrap();
    }
    super::wait::clear_progress(&mut out).unwrap();
    let shown = String::from_utf8(out).unwrap().replace("\r\u{1b}[K", "\n");
    insta::assert_snapshot!("wait_progress", shown);
}
