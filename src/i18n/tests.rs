//! The catalogues held to their promise: every sentence in both languages, Korean in Hangul,
//! every note documented in docs/json.md.

use crate::test_support::has_hangul;
use std::net::IpAddr;

use super::*;
use crate::analysis::vocab::BindKind;

#[test]
fn locale_strings_pick_the_language() {
    assert_eq!(Lang::from_locale("ko_KR.UTF-8"), Some(Lang::Ko));
    assert_eq!(Lang::from_locale("ko-KR"), Some(Lang::Ko));
    assert_eq!(Lang::from_locale("KO"), Some(Lang::Ko));
    assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::from_locale("C.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::from_locale("de_DE@euro"), Some(Lang::En));
    assert_eq!(Lang::from_locale(""), None);
}

/// Every comparison cell exists in both languages, the Korean one in Korean, and no two
/// kinds share a sentence (a copy-paste slip would show up here).
#[test]
fn comparison_tables_are_complete_and_distinct() {
    for kind in BindKind::ALL {
        for row in Row::ALL {
            let en = En::on(Os::Linux).compare(kind, row);
            let ko = Ko::on(Os::Linux).compare(kind, row);
            assert!(!en.is_empty() && !ko.is_empty(), "{kind:?} {row:?}");
            assert!(has_hangul(ko), "{kind:?} {row:?}: {ko}");
            assert!(!has_hangul(en), "{kind:?} {row:?}: {en}");
        }
        for other in BindKind::ALL.iter().filter(|k| **k != kind) {
            assert_ne!(
                En::on(Os::Linux).compare(kind, Row::Meaning),
                En::on(Os::Linux).compare(*other, Row::Meaning)
            );
        }
    }
}

#[test]
fn korean_row_labels_follow_the_seeds() {
    let rows: Vec<&str> = Row::ALL.iter().map(|r| Ko::on(Os::Linux).row(*r)).collect();
    assert_eq!(
        rows,
        [
            "의미",
            "접속 범위",
            "외부 접속 여부",
            "사용 용도",
            "보안 위험"
        ]
    );
}

#[test]
fn reaches_read_in_both_languages() {
    use crate::analysis::vocab::Reach;
    for reach in [
        Reach::None,
        Reach::Host,
        Reach::Link,
        Reach::Lan,
        Reach::Internet,
    ] {
        assert!(has_hangul(Ko::on(Os::Linux).reach(reach)));
        assert!(!has_hangul(En::on(Os::Linux).reach(reach)));
    }
}

/// One of every note. The `match` below has no wildcard: a new variant does not compile until
/// it is added here, and then it is checked for both languages and for docs/json.md.
fn every_note() -> Vec<crate::analysis::notes::Note> {
    use crate::analysis::notes::{Conflict, Note};
    use crate::analysis::vocab::Role;
    use crate::model::BindError;
    let ip: IpAddr = "192.168.1.23".parse().unwrap();
    let notes = vec![
        Note::LoopbackOnly,
        Note::AllInterfaces,
        Note::DualStack,
        Note::V6Only { windows: true },
        Note::AlsoVirtual {
            interfaces: vec!["docker0".into()],
            routed: true,
        },
        Note::RoutedOnly {
            ip,
            network: "10.1.2.3/32".into(),
            interface: "lo".into(),
            down: false,
        },
        Note::AddressNotReady { ip, failed: false },
        Note::MappedNeedsDualStack { ip },
        Note::NotUnicast {
            ip,
            network: "127.0.0.0/8".into(),
        },
        Note::NotOnLocalhost { ip, port: 5000 },
        Note::BoundToDevice {
            socket: "0.0.0.0:7000".parse().unwrap(),
            device: "lo".into(),
        },
        Note::ListenerSilent {
            port: 7000,
            sockets: vec!["0.0.0.0:7000".parse().unwrap()],
        },
        Note::BoundNotListening {
            port: 7030,
            owner: Some("python3 (4200)".into()),
            holds: true,
        },
        Note::ServerLoopbackOnly {
            port: 5000,
            flask: true,
        },
        Note::ServerNotRunning {
            port: 5000,
            bind: "0.0.0.0".into(),
        },
        Note::NoNetworkUrl {
            host: "127.0.0.1".into(),
        },
        Note::PublicExposure { ip, port: 5000 },
        Note::Firewall {
            port: 5000,
            interface: "wlp2s0".into(),
            verdict: crate::analysis::firewall::Verdict::Drop,
            source: Some(crate::analysis::firewall::Source::Ufw),
            rule: Some("default deny incoming".into()),
            fix: Some("sudo ufw allow 5000/tcp".into()),
        },
        Note::FirewallUnread {
            command: "sudo bindscope probe -p 5000".into(),
            parts: vec![
                crate::analysis::firewall::Unread::Nftables,
                crate::analysis::firewall::Unread::UfwRules,
            ],
        },
        Note::AlsoVpn {
            interfaces: vec!["wg0".into()],
        },
        Note::Public { ip },
        Note::FirewallDecides,
        Note::VirtualAddress {
            ip,
            interface: "docker0".into(),
            role: Role::ContainerBridge,
        },
        Note::NotLocal {
            ip,
            lan: Some((ip, "wlan0".into())),
        },
        Note::NonlocalBindAllowed,
        Note::LinkLocalNeedsZone { ip },
        Note::LinkLocalNoUrl,
        Note::PrivilegedPort {
            port: 80,
            start: 1024,
        },
        Note::LowPortSpecificAddress {
            port: 80,
            start: 1024,
            allowed: true,
        },
        Note::PrivilegedPortAllowed {
            port: 80,
            start: 1024,
        },
        Note::Localhost {
            resolved: vec![ip],
            picked: ip,
        },
        Note::Hostname {
            name: "host".into(),
            resolved: vec![ip],
            picked: ip,
        },
        Note::InterfaceName {
            name: "eth0".into(),
            picked: ip,
        },
        Note::InterfaceWithoutAddress {
            name: "eth0".into(),
        },
        Note::WslNat,
        Note::WslMirrored,
        Note::InContainer {
            name: "docker".into(),
        },
        Note::FullTunnelVpn {
            interface: "wg0".into(),
        },
        Note::NoLanAddress,
        Note::BindFailed {
            error: BindError::InUse,
        },
        Note::BindSucceeded,
        Note::Conflict {
            trial: ip,
            blocker: "127.0.0.1:5000".parse().unwrap(),
            rule: Conflict::Same,
        },
        Note::Reloader {
            parent: 1,
            child: 2,
        },
        Note::DockerProxy { ports: vec![8080] },
        Note::AirPlay { port: 5000 },
        Note::ReuseAddrShares { port: 5000 },
        Note::ExcludedPortRange {
            port: 50000,
            range: Some((50000, 50059)),
        },
        Note::OwnersHidden { processes: 3 },
        Note::OwnersProtected { processes: 1 },
        Note::NoVisibleOwner,
        Note::TimeWait,
        Note::EphemeralRange {
            low: 32768,
            high: 60999,
        },
        Note::FirewallPrompt {
            os: crate::model::Os::Windows,
        },
        Note::NothingListens { port: 5000 },
        Note::LoopbackFix { flask: true },
        Note::SplitLocalhost {
            v4: "python3".into(),
            v6: "node".into(),
        },
        Note::SelfTestOnly { port: 5000 },
        Note::DebuggerExposed {
            ip,
            evidence: crate::model::DebugEvidence::Answered,
        },
        Note::DevServerExposed { ip },
        Note::AirPlayAnswered,
        Note::LocalFirewall { ips: vec![ip] },
        Note::HttpsNotProbed,
    ];
    let mut notes = notes;
    notes.push(Note::HostNotAllowed {
        server: crate::analysis::vocab::DevServer::Vite,
        host: "laptop.local:5173".into(),
        name: "laptop.local".into(),
    });
    for note in &notes {
        match note {
            Note::LoopbackOnly
            | Note::AllInterfaces
            | Note::DualStack
            | Note::V6Only { .. }
            | Note::AlsoVirtual { .. }
            | Note::RoutedOnly { .. }
            | Note::AddressNotReady { .. }
            | Note::MappedNeedsDualStack { .. }
            | Note::NotUnicast { .. }
            | Note::NotOnLocalhost { .. }
            | Note::BoundToDevice { .. }
            | Note::ListenerSilent { .. }
            | Note::BoundNotListening { .. }
            | Note::ServerLoopbackOnly { .. }
            | Note::ServerNotRunning { .. }
            | Note::NoNetworkUrl { .. }
            | Note::PublicExposure { .. }
            | Note::Firewall { .. }
            | Note::FirewallUnread { .. }
            | Note::AlsoVpn { .. }
            | Note::Public { .. }
            | Note::FirewallDecides
            | Note::VirtualAddress { .. }
            | Note::NotLocal { .. }
            | Note::NonlocalBindAllowed
            | Note::LinkLocalNeedsZone { .. }
            | Note::LinkLocalNoUrl
            | Note::PrivilegedPort { .. }
            | Note::PrivilegedPortAllowed { .. }
            | Note::LowPortSpecificAddress { .. }
            | Note::Localhost { .. }
            | Note::Hostname { .. }
            | Note::InterfaceName { .. }
            | Note::InterfaceWithoutAddress { .. }
            | Note::WslNat
            | Note::WslMirrored
            | Note::InContainer { .. }
            | Note::FullTunnelVpn { .. }
            | Note::NoLanAddress
            | Note::BindFailed { .. }
            | Note::BindSucceeded
            | Note::Conflict { .. }
            | Note::Reloader { .. }
            | Note::DockerProxy { .. }
            | Note::AirPlay { .. }
            | Note::ReuseAddrShares { .. }
            | Note::ExcludedPortRange { .. }
            | Note::OwnersHidden { .. }
            | Note::OwnersProtected { .. }
            | Note::NoVisibleOwner
            | Note::TimeWait
            | Note::EphemeralRange { .. }
            | Note::NothingListens { .. }
            | Note::LoopbackFix { .. }
            | Note::SplitLocalhost { .. }
            | Note::SelfTestOnly { .. }
            | Note::DebuggerExposed { .. }
            | Note::DevServerExposed { .. }
            | Note::AirPlayAnswered
            | Note::HostNotAllowed { .. }
            | Note::LocalFirewall { .. }
            | Note::HttpsNotProbed
            | Note::FirewallPrompt { .. } => {}
        }
    }
    notes
}

#[test]
fn a_refused_host_names_the_server_and_its_setting_in_both_languages() {
    use crate::analysis::vocab::DevServer;
    for server in [
        DevServer::Webpack,
        DevServer::Vite,
        DevServer::Django,
        DevServer::Nextjs,
    ] {
        let note = Note::HostNotAllowed {
            server,
            host: "laptop.local:5173".into(),
            name: "laptop.local".into(),
        };
        for text in [En::on(Os::Linux).note(&note), Ko::on(Os::Linux).note(&note)] {
            let setting = server.setting().rsplit('.').next().unwrap();
            assert!(text.contains(setting), "{server:?}: {text}");
            assert!(text.contains("'laptop.local'"), "{server:?}: {text}");
        }
    }
    let ko = Ko::on(Os::Linux).note(&Note::HostNotAllowed {
        server: DevServer::Django,
        host: "192.168.1.5:8000".into(),
        name: "192.168.1.5".into(),
    });
    assert!(ko.contains("192.168.1.5:8000을 거부"), "{ko}");
}

#[test]
fn every_note_reads_in_both_languages_and_is_documented() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md"))
        .expect("docs/json.md");
    let notes = every_note();
    let mut codes: Vec<&str> = notes.iter().map(|n| n.code()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), notes.len(), "one code per note");
    // The table in `Note::meta` has one arm per variant (the compiler sees to that): every
    // code it names must have an example here.
    let table = include_str!("../analysis/notes.rs");
    let mut declared: Vec<&str> = table
        .lines()
        .filter(|l| l.trim_start().starts_with("Note::") && l.contains("=> (\""))
        .filter_map(|l| l.split("=> (\"").nth(1)?.split('"').next())
        .collect();
    declared.sort();
    assert_eq!(
        codes, declared,
        "every note of Note::meta has an example here"
    );
    for note in &notes {
        let (en, ko) = (En::on(Os::Linux).note(note), Ko::on(Os::Linux).note(note));
        assert!(!has_hangul(&en) && !en.is_empty(), "{note:?}: {en}");
        assert!(has_hangul(&ko), "{note:?}: {ko}");
        assert!(
            docs.contains(&format!("`{}`", note.code())),
            "docs/json.md lacks {}",
            note.code()
        );
    }
    // One code, a text per desktop OS.
    let macos = crate::analysis::notes::Note::FirewallPrompt {
        os: crate::model::Os::Macos,
    };
    assert!(
        En::on(Os::Linux).note(&macos).contains("macOS")
            && has_hangul(&Ko::on(Os::Linux).note(&macos))
    );
}

#[test]
fn yes_is_understood_in_both_languages_and_nothing_else_is() {
    for answer in ["y\n", " YES ", "예", "네\n", "응"] {
        assert!(is_yes(answer), "{answer:?}");
    }
    for answer in ["", "\n", "n", "no", "아니요", "yess", "y y"] {
        assert!(!is_yes(answer), "{answer:?}");
    }
}

#[test]
fn a_missing_http_answer_is_worded_by_the_catalogue() {
    use crate::model::HttpFailure;
    let timeout = Text::HttpFailed {
        failure: &HttpFailure::Timeout,
    };
    assert!(!has_hangul(&En::on(Os::Linux).text(&timeout)));
    assert!(
        has_hangul(&Ko::on(Os::Linux).text(&timeout)),
        "{}",
        Ko::on(Os::Linux).text(&timeout)
    );
    let failed = HttpFailure::Failed("connection reset".into());
    let ko = Ko::on(Os::Linux).text(&Text::HttpFailed { failure: &failed });
    assert!(has_hangul(&ko) && ko.contains("connection reset"), "{ko}");
}
