//! `--json` rendered from the same fixture reports as the human snapshots in `tests.rs`: the
//! whole document (`schema`, `command`, the fields) as `emit` writes it on a terminal, so the
//! schema is under review like the text. And docs/json.md against the enumerations serde
//! writes.

use std::collections::BTreeSet;
use std::time::Duration;

use super::tests::{self as human, ui};
use super::{emit, Human, Ui};
use crate::analysis::expose::expose;
use crate::analysis::fixtures;
use crate::analysis::topics::Topic;
use crate::i18n::Lang;
use crate::model::{BindError, Target};
use crate::report::{self, ExposeRequest, Report};

/// The document `--json` prints for `report`, indented as on a terminal.
pub(super) fn json<R: Report + Human>(report: &R) -> String {
    let ui = Ui {
        json: true,
        ..ui(Lang::En)
    };
    let mut out = Vec::new();
    emit(&mut out, &ui, report).unwrap();
    let text = String::from_utf8(out).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).expect("one JSON document");
    assert_eq!(value["schema"], report::SCHEMA);
    assert_eq!(value["command"], report.command());
    text
}

#[test]
fn overview_json() {
    for (name, host) in [
        ("json_overview_laptop_en", fixtures::laptop()),
        ("json_overview_server_en", fixtures::server()),
        ("json_overview_wsl2_en", fixtures::wsl2()),
        ("json_overview_ipv6_only_en", fixtures::ipv6_only()),
    ] {
        insta::assert_snapshot!(name, json(&human::overview_report(&host, Lang::En)));
    }
}

#[test]
fn interfaces_json() {
    insta::assert_snapshot!(
        "json_interfaces_laptop_en",
        json(&human::interfaces_report(&fixtures::laptop(), Lang::En))
    );
}

#[test]
fn expose_json() {
    let laptop = fixtures::laptop();
    for (name, ip) in [
        ("json_expose_all_en", "0.0.0.0"),
        ("json_expose_dual_stack_en", "::"),
        ("json_expose_loopback_en", "127.0.0.1"),
        ("json_expose_not_local_en", "192.168.0.99"),
        ("json_expose_docker_en", "172.17.0.1"),
    ] {
        insta::assert_snapshot!(name, json(&human::expose_ip_report(&laptop, ip, Lang::En)));
    }
    insta::assert_snapshot!(
        "json_expose_localhost_en",
        json(&human::expose_target_report(
            &laptop,
            human::localhost(),
            "localhost",
            5000,
            Lang::En
        ))
    );
    // `--try` on a taken port: `bindable` false, `bind_error` its code.
    let target = Target::Ip {
        ip: "127.0.0.1".parse().unwrap(),
        zone: None,
    };
    let request = ExposeRequest {
        host: "127.0.0.1",
        port: 5000,
        scheme: "http",
        tried: Some(Err(BindError::InUse)),
        blocked_by: Some(crate::report::expose::Blocker {
            socket: "127.0.0.1:5000".parse().unwrap(),
            process: Some("python3 (4200)".into()),
        }),
        firewall: &[],
    };
    let tried = report::expose(
        &request,
        &expose(&laptop, &target, 5000),
        Lang::En.catalogue_on(crate::model::Os::Linux),
    );
    insta::assert_snapshot!("json_expose_try_in_use_en", json(&tried));
}

#[test]
fn urls_json() {
    insta::assert_snapshot!(
        "json_urls_laptop_all_en",
        json(&human::urls_report(
            &fixtures::laptop(),
            true,
            Lang::En,
            false
        ))
    );
    insta::assert_snapshot!(
        "json_urls_ipv6_only_en",
        json(&human::urls_report(
            &fixtures::ipv6_only(),
            false,
            Lang::En,
            false
        ))
    );
}

#[test]
fn socket_json() {
    insta::assert_snapshot!(
        "json_listeners_laptop_en",
        json(&human::listeners_report(Lang::En))
    );
    let taken = fixtures::flask_port();
    insta::assert_snapshot!(
        "json_port_flask_taken_en",
        json(&human::port_report(Lang::En, &taken, true))
    );
    let none = crate::model::SocketTable::default();
    insta::assert_snapshot!(
        "json_port_free_en",
        json(&human::port_report(Lang::En, &none, false))
    );
    for (name, _, report) in human::kill_reports() {
        insta::assert_snapshot!(format!("json_{name}"), json(&report));
    }
}

#[test]
fn free_json() {
    insta::assert_snapshot!("json_free", json(&human::free_report()));
}

#[test]
fn probe_json() {
    use crate::report::probe::ProbeReport;
    for (name, all) in [
        ("json_probe_local_loopback_en", false),
        ("json_probe_local_all_en", true),
    ] {
        let report = ProbeReport::Local(human::local_probe_report(Lang::En, all));
        insta::assert_snapshot!(name, json(&report));
    }
    let report = ProbeReport::Remote(human::remote_probe_report(Lang::En));
    insta::assert_snapshot!("json_probe_remote_en", json(&report));
}

/// The beacon on the laptop's `0.0.0.0:8000`, as `serve` builds it.
fn serve_report() -> report::serve::ServeReport {
    let host = fixtures::laptop();
    let target = Target::Ip {
        ip: "0.0.0.0".parse().unwrap(),
        zone: None,
    };
    let urls = report::urls(
        &report::UrlsRequest {
            host: &host,
            bind: None,
            running: None,
            port: 8000,
            scheme: "http",
            path: "",
            all: false,
            qr: false,
            families: crate::model::Families::Both,
            primary: crate::analysis::interfaces::primary(&host).as_ref(),
        },
        &expose(&host, &target, 8000),
        Lang::En.catalogue_on(crate::model::Os::Linux),
    );
    report::serve::ServeReport::new(
        "0.0.0.0:8000".parse().unwrap(),
        Duration::from_secs(600),
        urls,
    )
}

#[test]
fn serve_json() {
    let host = fixtures::laptop();
    let mut started = serve_report();
    started.ended = Some(crate::model::Ended::TimeUp);
    started.visited(report::serve::visit(
        &host,
        &human::phone_visit(),
        12.5,
        false,
        Lang::En.catalogue_on(crate::model::Os::Linux),
    ));
    let mut tally = crate::gather::beacon::Tally {
        visits: 1,
        ..Default::default()
    };
    tally.devices.insert(
        human::phone_visit().peer.ip(),
        crate::gather::beacon::Counts {
            visits: 1,
            connections: 1,
            asked: true,
            ..Default::default()
        },
    );
    started.settle(&host, &tally);
    started.diagnose(
        crate::analysis::beacon::Watched {
            loopback: false,
            neighbours: true,
            undelivered: Some(0),
            syns: false,
        },
        Lang::En.catalogue_on(crate::model::Os::Linux),
    );
    insta::assert_snapshot!("json_serve_visited_en", json(&started));
    let taken = serve_report().cannot_bind(
        BindError::InUse,
        Lang::En.catalogue_on(crate::model::Os::Linux),
    );
    insta::assert_snapshot!("json_serve_cannot_bind_en", json(&taken));
}

#[test]
fn lab_json() {
    insta::assert_snapshot!("json_lab_en", json(&human::lab_report(Lang::En)));
}

#[test]
fn explain_json() {
    use crate::report::explain::{topics, ExplainOut};
    let page = ExplainOut::Page(human::explain_report(Topic::Ports, Lang::En));
    insta::assert_snapshot!("json_explain_ports_en", json(&page));
    let list = ExplainOut::Topics(topics(Lang::En));
    insta::assert_snapshot!("json_explain_topics_en", json(&list));
}

/// The JSON spellings of every variant of an enum. The closure's `match` is exhaustive, so a
/// new variant does not compile until it is listed here, and so checked against the docs.
macro_rules! spellings {
    ($ty:ty { $($variant:ident),+ $(,)? }) => {{
        let _exhaustive = |v: $ty| match v {
            $(<$ty>::$variant)|+ => (),
        };
        vec![$(spelling(&<$ty>::$variant)),+]
    }};
}

#[test]
fn wait_json() {
    let reports = human::wait_reports();
    insta::assert_snapshot!("json_wait_connect_en", json(&reports[0]));
    insta::assert_snapshot!("json_wait_http_en", json(&reports[1]));
    insta::assert_snapshot!("json_wait_free_timeout_en", json(&reports[6]));
}

fn spelling<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value).unwrap() {
        serde_json::Value::String(s) => s,
        other => panic!("{other} is not a string"),
    }
}

/// Every enumeration in the documents, by the name docs/json.md gives its row.
fn enumerations() -> Vec<(&'static str, Vec<String>)> {
    use crate::analysis::firewall::{
        Source as FirewallSource, Unread as FirewallUnread, Verdict as FirewallVerdict,
    };
    use crate::analysis::ports::{PortClass, Service};
    use crate::analysis::sockets::Refusal;
    use crate::analysis::vocab::*;
    use crate::i18n::Row;
    use crate::model::IcmpReason;
    use crate::model::WaitMode;
    use crate::model::{
        AddrState, Device, Ended, KillOutcome, Os, Proto, Signal, SockState, WslMode,
    };
    use crate::report::expose::ExposeVerdict;
    use crate::report::overview::OverviewVerdict;
    use crate::report::port::{KillVerdict, PortVerdict};
    use crate::report::probe::{LocalVerdict, RemoteVerdict};
    use crate::report::urls::UrlsVerdict;
    use crate::report::wait::WaitOutcome;
    use crate::report::{ListenersVerdict, UrlScope};
    let bind_errors = {
        let all = [
            BindError::InUse,
            BindError::NotLocal,
            BindError::Permission,
            BindError::Other(String::new()),
        ];
        for e in &all {
            match e {
                BindError::InUse
                | BindError::NotLocal
                | BindError::Permission
                | BindError::Other(_) => {}
            }
        }
        all.iter().map(spelling).collect()
    };
    vec![
        (
            "`reach`",
            spellings!(Reach {
                None,
                Host,
                Link,
                Lan,
                Internet
            }),
        ),
        (
            "`risk`",
            spellings!(Risk {
                None,
                Low,
                Medium,
                High
            }),
        ),
        (
            "address `kind`",
            spellings!(AddrKind {
                Loopback,
                Private,
                LinkLocal,
                Cgnat,
                Ula,
                Documentation,
                Reserved,
                Public
            }),
        ),
        (
            "interface `device`",
            spellings!(Device {
                Loopback,
                Ethernet,
                Wireless,
                Bridge,
                Veth,
                Tun,
                Tap,
                Wireguard,
                Vlan,
                Bond,
                Dummy,
                HostOnly,
                OtherVirtual,
                Unknown
            }),
        ),
        (
            "interface `role`",
            spellings!(Role {
                Loopback,
                Network,
                ContainerBridge,
                VmBridge,
                ContainerPort,
                Vpn,
                Tailnet,
                WslNat,
                HyperV,
                PeerToPeer,
                SystemTunnel
            }),
        ),
        (
            "`not_shareable`",
            spellings!(NotShareable {
                Loopback,
                LinkLocal,
                Down,
                Reserved,
                Virtual,
                NotReady,
                OnLoopback
            }),
        ),
        (
            "bind `kind`",
            spellings!(BindKind {
                Loopback,
                All,
                Lan,
                Public,
                LinkLocal,
                Virtual,
                NotLocal
            }),
        ),
        (
            "`os`",
            spellings!(Os {
                Linux,
                Macos,
                Windows,
                Other
            }),
        ),
        ("`proto`", spellings!(Proto { Tcp, Udp })),
        (
            "socket `state`",
            spellings!(SockState {
                Listen,
                Unconn,
                Established,
                SynSent,
                SynRecv,
                FinWait1,
                FinWait2,
                TimeWait,
                CloseWait,
                LastAck,
                Closing,
                Bound,
                Other
            }),
        ),
        (
            "port `class`",
            spellings!(PortClass {
                WellKnown,
                Registered,
                Dynamic
            }),
        ),
        (
            "`service.id`",
            spellings!(Service {
                Ftp,
                Ssh,
                Smtp,
                Dns,
                Http,
                Https,
                Mssql,
                Mysql,
                Rdp,
                React,
                Angular,
                Flask,
                Vite,
                Postgres,
                AirPlay,
                Vnc,
                Redis,
                Django,
                HttpAlt,
                HttpsAlt,
                Jupyter,
                Elasticsearch,
                Memcached,
                MongoDb,
                RabbitMq
            }),
        ),
        ("bind `error`", bind_errors),
        (
            "kill `outcome`",
            spellings!(KillOutcome {
                Exited,
                AlreadyExited,
                StillRunning,
                NotVerified,
                Permission,
                OtherNamespace,
                Unsupported,
                ContainerInit
            }),
        ),
        (
            "refusal `reason`",
            spellings!(Refusal {
                Kernel,
                Init,
                Itself,
                ForeignPids
            }),
        ),
        ("`signals[]`", spellings!(Signal { Terminate, Kill })),
        (
            "probe `status`",
            spellings!(Status {
                Open,
                Refused,
                Timeout,
                Unreachable,
                Unresolved,
                Error
            }),
        ),
        ("`unreachable`", spellings!(Unreachable { Host, Network })),
        (
            "`inferred_bind`",
            spellings!(InferredBind {
                Loopback,
                All,
                Specific,
                None
            }),
        ),
        (
            "`server_kind`",
            spellings!(ServerKind {
                Werkzeug,
                AirPlay,
                Other
            }),
        ),
        (
            "`host_refused.server`",
            spellings!(DevServer {
                Webpack,
                Vite,
                Django,
                Nextjs
            }),
        ),
        ("`wsl`", spellings!(WslMode { Nat, Mirrored })),
        (
            "probe `reason`",
            spellings!(IcmpReason {
                AdminProhibited,
                HostUnreachable,
                NetUnreachable,
                PortUnreachable,
                Other
            }),
        ),
        (
            "firewall `unread`",
            spellings!(FirewallUnread {
                Nftables,
                IptablesLegacy,
                UfwRules,
                Settings
            }),
        ),
        (
            "`serve` `diagnosis`",
            spellings!(BeaconDiagnosis {
                Visited,
                LoopbackOnly,
                TlsOnHttp,
                DroppedHere,
                ConnectedSilent,
                SeenNotConnected,
                VisitedFromHere,
                NeverArrived,
                NotWatched
            }),
        ),
        (
            "`serve` `ended`",
            spellings!(Ended {
                TimeUp,
                Interrupted
            }),
        ),
        (
            "firewall `verdict`",
            spellings!(FirewallVerdict {
                Accept,
                Drop,
                Reject,
                Unknown,
                None
            }),
        ),
        (
            "firewall `source`",
            spellings!(FirewallSource {
                Nftables,
                Iptables,
                Ufw,
                Firewalld,
                Windows,
                Macos
            }),
        ),
        (
            "address `state`",
            spellings!(AddrState {
                Ready,
                Tentative,
                DadFailed
            }),
        ),
        (
            "url `scope`",
            spellings!(UrlScope {
                Local,
                Network,
                Other
            }),
        ),
        (
            "comparison `row`",
            spellings!(Row {
                Meaning,
                Range,
                Outside,
                Use,
                Risk
            }),
        ),
        ("`lang`", spellings!(Lang { En, Ko })),
        (
            "`overview` verdict",
            spellings!(OverviewVerdict {
                DebuggerExposed,
                Share,
                Serving,
                PublicAddress,
                WslNat,
                NoPrimary
            }),
        ),
        (
            "`urls` verdict",
            spellings!(UrlsVerdict {
                DebuggerExposed,
                NotAnswering,
                Share,
                Serving,
                NoNetworkUrl,
                LoopbackBind,
                NotLocal
            }),
        ),
        (
            "`expose` verdict",
            spellings!(ExposeVerdict {
                Reaches,
                CannotBind,
                BindFailsNow
            }),
        ),
        (
            "`listeners` verdict",
            spellings!(ListenersVerdict {
                DebuggerExposed,
                NothingListens,
                NoneExposed,
                Exposed
            }),
        ),
        (
            "`port` verdict",
            spellings!(PortVerdict {
                Free,
                Taken,
                Restricted,
                Unbindable
            }),
        ),
        (
            "`kill` verdict",
            spellings!(KillVerdict {
                NothingToKill,
                Cancelled,
                Freed,
                TakenAgain,
                NotFreed,
                NothingSent
            }),
        ),
        (
            "local `probe` verdict",
            spellings!(LocalVerdict {
                DebuggerExposed,
                NothingAnswers,
                ListensButSilent,
                BoundNotListening,
                LoopbackOnly,
                Reachable,
                FirewallBlocks,
                HostNotAllowed
            }),
        ),
        (
            "`wait` mode",
            spellings!(WaitMode {
                Connect,
                Http,
                Free
            }),
        ),
        (
            "`wait` outcome",
            spellings!(WaitOutcome {
                Answered,
                Free,
                Timeout
            }),
        ),
        (
            "remote `probe` verdict",
            spellings!(RemoteVerdict {
                DebuggerExposed,
                HostNotAllowed,
                AllOpen,
                SomeOpen,
                NoneOpen
            }),
        ),
    ]
}

/// The values a row of docs/json.md's table of enumerations lists: its backquoted words,
/// explanations in parentheses and `null` aside.
fn documented(docs: &str, name: &str) -> BTreeSet<String> {
    let prefix = format!("| {name} |");
    let row = docs
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("docs/json.md has no row {prefix}"));
    let mut values = String::new();
    let mut depth = 0;
    for c in row[prefix.len()..].chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => values.push(c),
            _ => {}
        }
    }
    values
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|v| *v != "null")
        .map(str::to_string)
        .collect()
}

#[test]
fn docs_list_exactly_the_spellings_serde_writes() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md"))
        .expect("docs/json.md");
    for (name, values) in enumerations() {
        let written: BTreeSet<String> = values.iter().cloned().collect();
        assert_eq!(
            written.len(),
            values.len(),
            "{name}: two variants, one spelling"
        );
        for v in &written {
            assert!(
                v.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}: {v} is not snake_case"
            );
        }
        assert_eq!(documented(&docs, name), written, "docs/json.md, row {name}");
    }
    // The keys of `explain`'s `values` are the pages' own placeholder names.
    let keys: BTreeSet<String> = crate::analysis::live::Var::ALL
        .iter()
        .map(|v| {
            assert_eq!(spelling(v), v.name(), "{v:?}");
            spelling(v)
        })
        .collect();
    assert_eq!(documented(&docs, "explain `values`"), keys);
}

/// The names macOS's AirPlay Receiver goes by agree: the note, the service, the server.
#[test]
fn one_spelling_for_one_thing() {
    use crate::analysis::ports::Service;
    use crate::analysis::vocab::ServerKind;
    assert_eq!(spelling(&Service::AirPlay), "airplay");
    assert_eq!(spelling(&ServerKind::AirPlay), "airplay");
    assert_eq!(
        crate::analysis::notes::Note::AirPlayAnswered.code(),
        "airplay_answered"
    );
}
