//! The built binary, run as a user runs it: JSON read as data, errors read as lines.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::process::Stdio;

use common::{bindscope, command, has_hangul, run_with};
use serde_json::Value;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn help_names_the_commands_and_the_exit_codes() {
    let run = bindscope(&["--help"]);
    run.code(0);
    for word in [
        "interfaces",
        "expose",
        "urls",
        "--json",
        "Exit codes",
        "3  the system refused",
    ] {
        assert!(run.stdout.contains(word), "{word}\n{}", run.context());
    }
    bindscope(&["--version"]).code(0);
}

#[test]
fn the_overview_is_the_main_job() {
    let run = bindscope(&[]);
    run.code(0);
    assert!(run.stdout.contains("127.0.0.1"), "{}", run.context());
    let v = bindscope(&["--json", "-p", "8000"]).code(0).json();
    assert_eq!(v["command"], "overview");
    assert_eq!(v["port"], 8000);
    let binds: Vec<&str> = common::strings(&v["binds"], "host");
    assert_eq!(&binds[..3], ["127.0.0.1", "0.0.0.0", "::"]);
    assert_eq!(v["binds"][0]["reach"], "host");
    assert_eq!(strings(&v["binds"][0]["urls"]), ["http://127.0.0.1:8000"]);
}

#[test]
fn interfaces_json_has_the_contract_fields() {
    let v = bindscope(&["interfaces", "--json"]).code(0).json();
    assert_eq!(v["command"], "interfaces");
    let interfaces = v["interfaces"].as_array().unwrap();
    let lo = interfaces
        .iter()
        .find(|i| i["name"] == "lo")
        .expect("lo is listed");
    assert_eq!(lo["up"], true);
    assert_eq!(lo["role"], "loopback");
    let a = common::find(&lo["addresses"], "ip", "127.0.0.1").expect("127.0.0.1 on lo");
    assert_eq!(a["prefix"], 8);
    assert_eq!(a["kind"], "loopback");
    assert_eq!(a["reach"], "host");
    assert_eq!(a["primary"], false);
    let primaries = interfaces
        .iter()
        .flat_map(|i| i["addresses"].as_array().unwrap())
        .filter(|a| a["primary"] == true)
        .count();
    assert!(primaries <= 1);

    let v4 = bindscope(&["interfaces", "-4", "--json"]).code(0).json();
    assert!(v4["interfaces"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["addresses"].as_array().unwrap())
        .all(|a| !a["ip"].as_str().unwrap().contains(':')));
}

#[test]
fn expose_loopback_reaches_this_machine_only() {
    let v = bindscope(&["expose", "127.0.0.1", "--json"]).code(0).json();
    assert_eq!(v["command"], "expose");
    assert_eq!(v["bind"]["host"], "127.0.0.1");
    assert_eq!(v["bind"]["port"], 5000);
    assert_eq!(v["reach"], "host");
    assert_eq!(v["risk"], "low");
    assert_eq!(v["bindable"], Value::Null);
    let listens = v["listens_on"].as_array().unwrap();
    assert_eq!(listens.len(), 1);
    assert_eq!(listens[0]["ip"], "127.0.0.1");
    assert_eq!(listens[0]["interface"], "lo");
    assert_eq!(listens[0]["url"], "http://127.0.0.1:5000");
    let codes = common::note_codes(&v);
    assert!(codes.contains(&"loopback_only".to_string()), "{codes:?}");
    let rows: Vec<&str> = common::strings(&v["comparison"]["rows"], "row");
    assert_eq!(rows, ["meaning", "range", "outside", "use", "risk"]);
}

#[test]
fn expose_accepts_every_host_form() {
    let port_of = |args: &[&str]| {
        let v = bindscope(args).json();
        (
            v["bind"]["host"].as_str().unwrap().to_string(),
            v["bind"]["port"].as_u64().unwrap(),
        )
    };
    assert_eq!(
        port_of(&["expose", "[::1]:8000", "--json"]),
        ("::1".into(), 8000)
    );
    assert_eq!(port_of(&["expose", "::1", "--json"]), ("::1".into(), 5000));
    assert_eq!(
        port_of(&["expose", "http://0.0.0.0:5001/x", "--json"]),
        ("0.0.0.0".into(), 5001)
    );
    assert_eq!(
        port_of(&["bind", "127.0.0.1:7000", "--json"]),
        ("127.0.0.1".into(), 7000)
    );

    let v = bindscope(&["expose", "localhost", "--json"]).code(0).json();
    let picked: Vec<&Value> = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["picked"] == true)
        .collect();
    assert_eq!(picked.len(), 1);
    assert_eq!(
        picked[0]["ip"], "127.0.0.1",
        "Werkzeug takes the IPv4 result"
    );
    assert_eq!(v["reach"], "host");

    let v = bindscope(&["expose", "lo", "--json"]).code(0).json();
    assert_eq!(
        v["bind_ip"], "127.0.0.1",
        "an interface name binds its address"
    );
}

#[test]
fn a_foreign_address_fails_and_names_the_lan_address() {
    // TEST-NET-3 is assigned to no machine; nothing is sent, the answer is local.
    let run = bindscope(&["expose", "203.0.113.254", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["reach"], "none");
    assert!(v["listens_on"].as_array().unwrap().is_empty());
    assert_eq!(v["kind"], "not_local");
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "not_local"));
    let human = bindscope(&["expose", "203.0.113.254"]);
    assert!(
        human.stdout.contains("cannot assign requested address"),
        "{}",
        human.context()
    );
}

#[test]
fn try_binds_for_real() {
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let host = format!("127.0.0.1:{port}");
    let run = bindscope(&["expose", &host, "--try", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["bindable"], false);
    assert_eq!(v["bind_error"], "in_use");
    drop(held);
    let v = bindscope(&["expose", &host, "--try", "--json"])
        .code(0)
        .json();
    assert_eq!(v["bindable"], true);
    assert_eq!(v["bind_error"], Value::Null);
}

#[test]
fn urls_piped_are_one_a_line() {
    let run = bindscope(&["urls", "-p", "8080"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.context());
    assert!(!run.stdout.is_empty());
    for line in run.stdout.lines() {
        assert!(
            line.starts_with("http://") && line.contains(":8080"),
            "{}",
            run.context()
        );
    }
    assert!(run.stdout.lines().any(|l| l == "http://127.0.0.1:8080"));

    let v = bindscope(&["urls", "--json", "--scheme", "https", "--path", "app"]).json();
    assert!(strings(&v["local"]).contains(&"https://127.0.0.1:5000/app".to_string()));
    for url in strings(&v["network"]) {
        assert!(
            !url.contains("fe80"),
            "no link-local URL is shareable: {url}"
        );
    }
}

#[test]
fn errors_and_output_speak_korean() {
    let run = bindscope(&["--lang", "ko", "-p", "abc"]);
    run.code(2);
    assert!(has_hangul(&run.stderr), "{}", run.context());
    let run = run_with(&[], &["expose", "127.0.0.1"], &[("LANG", "ko_KR.UTF-8")]);
    run.code(0);
    assert!(has_hangul(&run.stdout), "{}", run.context());
    assert!(run.stdout.contains("보안 위험"), "{}", run.context());
    let run = run_with(
        &[],
        &["expose", "127.0.0.1"],
        &[("LANG", "ko_KR.UTF-8"), ("LC_ALL", "C")],
    );
    assert!(!has_hangul(&run.stdout), "LC_ALL wins\n{}", run.context());
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = bindscope(&["expose", "0.0.0.0"]);
    assert!(!plain.stdout.contains('\u{1b}'), "{}", plain.context());
    let forced = bindscope(&["expose", "0.0.0.0", "--color", "always"]);
    assert!(forced.stdout.contains('\u{1b}'), "{}", forced.context());
    let json = bindscope(&["expose", "0.0.0.0", "--color", "always", "--json"]);
    assert!(!json.stdout.contains('\u{1b}'), "{}", json.context());
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = command(&[])
        .args(["interfaces", "--all", "-v"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn an_empty_free_says_why_on_stderr_when_piped() {
    // A port that stays held, so the one-port range has nothing free.
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let range = format!("{port}-{port}");
    for (lang, words) in [("C", "No free port"), ("ko_KR.UTF-8", "빈 포트가 없습니다")] {
        let run = run_with(&[], &["free", "--range", &range], &[("LANG", lang)]);
        run.code(1);
        assert!(run.stdout.is_empty(), "{}", run.context());
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.context());
        assert!(run.stderr.contains(words), "{}", run.context());
    }
    // The -p before free is its --near.
    let v = bindscope(&["-p", "8000", "free", "--json"]).code(0).json();
    assert_eq!(v["near"], 8000);
}

#[test]
fn every_command_has_its_man_page() {
    let main = bindscope(&["man"]);
    main.code(0);
    assert!(
        main.stdout.contains("bindscope\\-expose(1)"),
        "{}",
        main.context()
    );
    for command in ["expose", "urls", "probe", "free", "port", "wait"] {
        let page = bindscope(&["man", command]);
        page.code(0);
        assert!(
            page.stdout.contains(&format!(".TH bindscope-{command} 1")),
            "{}",
            page.context()
        );
    }
}

#[test]
fn help_is_korean_under_a_korean_locale() {
    for env in [&[("LANG", "ko_KR.UTF-8")][..], &[("LANG", "C")]] {
        let args: &[&str] = match env[0].1 {
            "C" => &["--lang", "ko", "expose", "--help"],
            _ => &["expose", "--help"],
        };
        let run = run_with(&[], args, env);
        run.code(0);
        assert!(
            run.stdout
                .contains("사용법: bindscope expose [옵션] <HOST>"),
            "{}",
            run.context()
        );
        assert!(!run.stdout.contains("Usage:"), "{}", run.context());
    }
}

/// Display columns, Korean syllables two each.
fn columns(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115f | 0x2e80..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff => 2,
            0xfe30..=0xfe4f | 0xff00..=0xff60 | 0xffe0..=0xffe6 => 2,
            _ => 1,
        })
        .sum()
}

#[test]
fn piped_output_is_not_wrapped_whatever_columns_says() {
    for args in [
        &["explain", "flask"][..],
        &["--lang", "ko", "explain", "ports"],
    ] {
        let plain = run_with(&[], args, &[]);
        let narrow = run_with(&[], args, &[("COLUMNS", "40")]);
        plain.code(0);
        assert_eq!(plain.stdout, narrow.stdout, "{}", narrow.context());
        assert!(
            plain.stdout.lines().any(|l| columns(l) > 100),
            "{}",
            plain.context()
        );
    }
}

/// On a terminal that does not tell its size (a new pseudo-terminal is 0 × 0), COLUMNS does:
/// every line fits 60 columns, in both languages.
#[cfg(unix)]
#[test]
fn columns_sets_the_width_on_a_terminal_that_does_not_tell() {
    for lang in ["en", "ko"] {
        let (master, terminal) = common::pseudo_terminal();
        let mut child = command(&[])
            .args(["--lang", lang, "--color", "never", "explain", "flask"])
            .env("COLUMNS", "60")
            .stdout(terminal)
            .stderr(Stdio::piped())
            .spawn()
            .expect("bindscope runs");
        let out = common::chunks_of(master);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut said = String::new();
        let mut exited = None;
        // Until the child has exited and its output is drained (EOF, or a quiet 200 ms).
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no end within 10 s: {said}");
            }
            if exited.is_none() {
                exited = child.try_wait().ok().flatten();
            }
            let wait = if exited.is_some() {
                std::time::Duration::from_millis(200)
            } else {
                left.min(std::time::Duration::from_millis(50))
            };
            match out.recv_timeout(wait) {
                Ok(chunk) => said.push_str(&chunk),
                Err(_) if exited.is_some() => break,
                Err(_) => {}
            }
        }
        let status = child.wait().expect("bindscope ends");
        assert!(status.success(), "{said}");
        let said = said.replace('\r', "");
        assert!(said.lines().count() > 20, "{said}");
        for line in said.lines() {
            assert!(
                columns(line) <= 60,
                "{lang}: {} columns\n{line}",
                columns(line)
            );
        }
        let piped = run_with(&[], &["--lang", lang, "explain", "flask"], &[]);
        assert!(piped.stdout.lines().any(|l| columns(l) > 60));
    }
}
