//! Names from a fixture machine that try to talk to the terminal: every human view writes
//! them escaped, in both languages, with colours on or off, and our own colours still work.

use std::io;

use super::Ui;
use crate::analysis::expose::expose;
use crate::analysis::fixtures;
use crate::i18n::Lang;
use crate::model::Families;
use crate::model::{Host, SocketTable, Target};
use crate::report::{self, ExposeRequest, UrlsRequest};
use crate::sanitize::is_unsafe;

const EVIL: &str = "\u{1b}]0;x\u{7}\u{202e}\u{9b}";

fn evil_host() -> Host {
    let mut host = fixtures::laptop();
    for iface in &mut host.interfaces {
        iface.name.push_str(EVIL);
    }
    for route in &mut host.default_routes {
        route.interface.push_str(EVIL);
    }
    host.hostname = Some(format!("pc{EVIL}"));
    host
}

fn evil_sockets() -> SocketTable {
    let mut table = fixtures::laptop_sockets();
    for p in &mut table.processes {
        p.name.push_str(EVIL);
        p.user = p.user.take().map(|u| format!("{u}\u{200b}"));
    }
    for (_, user) in &mut table.users {
        user.push('\u{200b}');
    }
    table
}

fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Nothing unsafe but our own colour codes (`ESC [ … m`); the line feed is ours too.
fn assert_safe(out: &str) {
    let mut rest = out;
    while let Some(at) = rest.find(|c: char| is_unsafe(c) && c != '\n') {
        let tail = &rest[at..];
        let sgr = tail.strip_prefix("\u{1b}[").and_then(|t| {
            let end = t.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            t[end..].starts_with('m').then_some(2 + end + 1)
        });
        match sgr {
            Some(len) => rest = &tail[len..],
            None => panic!("raw {:?} in\n{}", tail.chars().next(), out.escape_debug()),
        }
    }
}

#[test]
fn names_from_the_machine_are_written_escaped_everywhere() {
    colored::control::set_override(true);
    let host = evil_host();
    let sockets = evil_sockets();
    for lang in [Lang::En, Lang::Ko] {
        for color in [false, true] {
            let ui = Ui {
                color,
                verbose: 1,
                ..super::tests::ui(lang)
            };
            let mut outputs = Vec::new();
            let r = report::overview(&host, 5000, None, &[], ui.cat);
            outputs.push(text(|w| super::overview::human(w, &r, &ui)));
            let r = report::interfaces(&host, true, Families::Both, ui.cat);
            outputs.push(text(|w| super::interfaces::human(w, &r, &ui)));
            let target = Target::Ip {
                ip: "0.0.0.0".parse().unwrap(),
                zone: None,
            };
            let exposure = expose(&host, &target, 5000);
            let request = ExposeRequest {
                host: "0.0.0.0",
                port: 5000,
                scheme: "http",
                tried: None,
                blocked_by: None,
                firewall: &[],
            };
            let r = report::expose(&request, &exposure, ui.cat);
            outputs.push(text(|w| super::expose::human(w, &r, &ui)));
            let primary = crate::analysis::interfaces::primary(&host);
            let urls = report::urls(
                &UrlsRequest {
                    host: &host,
                    bind: None,
                    running: None,
                    port: 5000,
                    scheme: "http",
                    path: "",
                    all: true,
                    qr: false,
                    families: Families::Both,
                    primary: primary.as_ref(),
                },
                &exposure,
                ui.cat,
            );
            outputs.push(text(|w| super::urls::human(w, &urls, &ui)));
            let view = report::ListenersView {
                exposed_only: false,
                fail_on_exposed: false,
                proto: None,
                ipv4: true,
                ipv6: true,
            };
            let r = report::listeners(&host, &sockets, &view, &[], None, ui.cat);
            outputs.push(text(|w| super::listeners::human(w, &r, &ui)));
            for out in &outputs {
                assert_safe(out);
            }
            let all = outputs.concat();
            assert!(all.contains("\\x1b]0;x\\x07\\u{202e}\\u{9b}"), "{all}");
            assert!(all.contains("\\u{200b}"), "the user column: {all}");
            if color {
                assert!(all.contains("\u{1b}[32m"), "our colours stay: {all}");
            }
        }
    }
}
