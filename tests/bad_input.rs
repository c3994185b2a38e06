//! Bad input, everywhere: every command and option, each case one clear line on stderr and
//! exit 2, no panic, nothing on stdout, and no packet sent. Run as root (always under CI), the
//! table runs in a namespace of its own whose loopback counts every packet: it must count none.

mod common;

use common::netns::Netns;
use common::{bindscope, run_with, Run};

fn cases(long: &str, control: &str) -> Vec<Vec<String>> {
    let table: &[&[&str]] = &[
        // Ports where a real one is needed.
        &["-p", "0"],
        &["-p", "65536"],
        &["-p", "-1"],
        &["-p", "-5"],
        &["-p", "abc"],
        &["-p", ""],
        &["-p", "1e3"],
        &["-p", "5000x"],
        &["-p", "0x1388"],
        &["urls", "-p", "5000x"],
        &["urls", "-p", "99999999999999999999"],
        // The -p before the command: checked for every command, and never beside another port.
        &["-p", "abc", "interfaces"],
        &["-p", "0", "listeners"],
        &["-p", "-1", "explain"],
        &["-p", "70000", "lab"],
        &["-p", "abc", "completions", "bash"],
        &["-p", "abc", "man"],
        &["-p", "abc", "free"],
        &["-p", "1", "port", "2"],
        &["-p", "1", "urls", "-p", "2"],
        &["-p", "1", "expose", "::", "-p", "2"],
        &["-p", "1", "expose", "0.0.0.0:2"],
        &["-p", "5000", "probe", "-p", "5001"],
        &["-p", "8000", "serve", "-p", "8001"],
        &["-p", "8000", "free", "--near", "9000"],
        // Hosts, addresses, brackets, URLs, zones.
        &["expose", ""],
        &["expose", "999.1.1.1"],
        &["expose", "1.2.3"],
        &["expose", "::1::"],
        &["expose", "[::1"],
        &["expose", "[::1]x"],
        &["expose", "[127.0.0.1]"],
        &["expose", ":5000"],
        &["expose", "5000"],
        &["expose", "0.0.0.0:0"],
        &["expose", "0.0.0.0:99999"],
        &["expose", "0.0.0.0:8000", "-p", "9000"],
        &["expose", "nosuchhost.invalid"],
        &["expose", "not a host"],
        &["expose", "fe80::1%nosuchif0"],
        &["expose", "fe80::1%"],
        &["expose", "http://"],
        &["expose", "http://[::1"],
        &["expose", "http://0.0.0.0:abc"],
        &["expose", "ftp://0.0.0.0"],
        &["expose", "10.0.0.0/8"],
        &["expose", "::ffff:999.0.0.1"],
        &["expose"],
        &["urls", "--path", "a b"],
        &["urls", "--host", "999.0.0.1"],
        &["urls", "--scheme", "gopher"],
        // Port lists and ranges.
        &["port", "0"],
        &["port", "65536"],
        &["port", "abc"],
        &["port", "-1"],
        &["port", ""],
        &["port"],
        &["port", "5000", "--force"],
        // --udp widens what --kill stops; alone it means nothing (port shows every protocol).
        &["port", "5000", "--udp"],
        &["port", "5000", "--udp", "--yes"],
        &["port", "5000", "--kill", "--grace", "-1s"],
        &["port", "5000", "--kill", "--grace", "abc"],
        &["port", "5000", "--kill", "--grace", "2h"],
        &["free", "--range", "6000-5000"],
        &["free", "--range", "1-1000000"],
        &["free", "--range", "-"],
        &["free", "--range", "5000-"],
        &["free", "--count", "0"],
        &["free", "--count", "1000"],
        &["free", "--count", "many"],
        &["free", "--count", "-3"],
        &["free", "--near", "0"],
        &["free", "--host", "localhost"],
        &["free", "--host", "1.2.3.4.5"],
        &["listeners", "--tcp", "--udp"],
        &["listeners", "--bogus"],
        &["probe", "-p", "0"],
        &["probe", "-p", "70000"],
        &["probe", "-p", "abc"],
        &["probe", "-p", "5000,5001"],
        &["probe", "-p", "5000,"],
        &["probe", "127.0.0.1", "-p", "5000-4000"],
        &["probe", "127.0.0.1", "-p", "1-100"],
        &["probe", "127.0.0.1", "-p", "1-1000000"],
        &["probe", "127.0.0.1:5000", "-p", "6000"],
        &["probe", "[fe80::1"],
        &["probe", "[fe80::1]:99999"],
        &["probe", "999.1.1.1:80"],
        &["probe", "ftp://127.0.0.1"],
        // Durations.
        &["probe", "--timeout", "-1s"],
        &["probe", "--timeout", "abc"],
        &["probe", "--timeout", "0"],
        &["probe", "--timeout", "10m"],
        &["probe", "--timeout", "1e9s"],
        &["probe", "--timeout", ""],
        &["serve", "--for", "abc"],
        &["serve", "--for", "0s"],
        &["serve", "--for", "48h"],
        &["serve", "--for", "5 min"],
        &["serve", "-p", "0"],
        &["serve", "--host", "localhost"],
        &["serve", "--host", "[::1"],
        &["lab", "--timeout", "-5ms"],
        // Topics, languages, colours, shells, commands.
        &["explain", "nosuchtopic"],
        &["explain", ""],
        &["explain", "ports", "extra"],
        &["--lang", "xx"],
        &["--lang", ""],
        &["--color", "purple"],
        &["completions", "tcsh"],
        &["completions"],
        &["man", "extra"],
        &["frobnicate"],
        &["interfaces", "--bogus"],
        &["interfaces", "-4", "-6"],
        // Typos, with a suggestion in the one line.
        &["exposee", "0.0.0.0"],
        &["interface"],
        &["listener"],
        &["urls", "--qrr"],
        &["explain", "flsk"],
        &["urls", "5000"],
        &["free", "5000"],
        &["man", "exposee"],
        // Targets that cannot be looked up, parsed as expose parses them.
        &["probe", "a b"],
        &["probe", "*"],
        &["probe", "-"],
        &["probe", "evil\u{202e}moc.elpmaxe"],
        &["probe", "[fe80::1%nosuchif0]:80"],
        &["wait", "-p", "5000", "--host", "fe80::1%nosuchif0"],
        // An address this machine lacks, where a real bind is needed.
        &["free", "--host", "10.9.9.9"],
        &["free", "--host", "fe80::1%nosuchif0"],
    ];
    let mut cases: Vec<Vec<String>> = table
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect();
    // A 100 kB argument and control characters, wherever a value goes; a long zone too.
    for value in [long, control] {
        let zoned = format!("fe80::1%{}", &value[..value.len().min(1100)]);
        for args in [
            vec!["expose", value],
            vec!["-p", value],
            vec!["probe", value],
            vec!["port", value],
            vec!["free", "--range", value],
            vec!["probe", "--timeout", value],
            vec!["explain", value],
            vec!["urls", "--path", value],
            vec!["probe", &zoned],
            vec!["expose", &zoned],
        ] {
            cases.push(args.into_iter().map(String::from).collect());
        }
    }
    cases
}

/// Words that say what is accepted: an example, the possible values, the limit, where to read.
const HINTS: &[&str] = &[
    "e.g.",
    "possible values",
    "at most",
    "--help",
    "topics:",
    "give",
    "write",
    "use ",
    "예:",
    "최대",
    "주세요",
    "쓰세요",
    "처럼 씁니다",
    "도움말:",
    "쓸 수 있는 값",
    "주제:",
    "bindscope interfaces",
];

/// What every bad input must get.
fn check(run: &Run) {
    run.code(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        (1..=3).contains(&lines.len()),
        "a few lines on stderr\n{}",
        run.context()
    );
    assert!(lines[0].starts_with("bindscope: "), "{}", run.context());
    assert!(run.stderr.len() < 600, "short\n{}", run.context());
    assert!(!run.stderr.contains("panicked"), "{}", run.context());
    assert!(
        !run.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "control characters are escaped\n{}",
        run.context()
    );
    assert!(run.stdout.is_empty(), "{}", run.context());
    // It says what is accepted: an example, the possible values, or the limit.

    assert!(
        HINTS.iter().any(|h| run.stderr.contains(h)),
        "say what is accepted\n{}",
        run.context()
    );
}

/// The packets a namespace's loopback has carried.
fn lo_packets(ns: &Netns) -> u64 {
    // /proc/net/dev read from inside the namespace is the namespace's own.
    let out = ns.exec(&["cat", "/proc/net/dev"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("lo:"))
        .expect("lo in /proc/net/dev");
    let fields: Vec<u64> = line
        .split(':')
        .nth(1)
        .unwrap()
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect();
    // Received and transmitted packets.
    fields[1] + fields[9]
}

#[test]
fn every_bad_input_is_one_clear_line_exit_2_and_no_packet() {
    let long = "a".repeat(100_000);
    let control = "a\u{1b}[31mb\u{7}\nc";
    let cases = cases(&long, control);
    assert!(cases.len() >= 60, "{} cases", cases.len());
    // Name lookups (`nosuchhost.invalid`) are answered by the namespace's own files.
    match Netns::with_own_resolver("bad") {
        Some(ns) => {
            let before = lo_packets(&ns);
            for args in &cases {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                check(&ns.bindscope(&args));
            }
            assert_eq!(lo_packets(&ns), before, "bad input sent packets");
        }
        None => {
            for args in &cases {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                check(&bindscope(&args));
            }
        }
    }
}

/// Every case where text matters, in Korean too: Hangul in the one line, no English of clap's.
#[test]
fn every_bad_input_is_korean_under_a_korean_locale() {
    let long = "a".repeat(100_000);
    let control = "a\u{1b}[31mb\u{7}\nc";
    let ns = Netns::with_own_resolver("badko");
    let mut missing = Vec::new();
    for args in cases(&long, control) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env = [("LANG", "ko_KR.UTF-8")];
        let run = match &ns {
            Some(ns) => run_with(&["ip", "netns", "exec", &ns.name], &args, &env),
            None => run_with(&[], &args, &env),
        };
        if !HINTS.iter().any(|h| run.stderr.contains(h)) {
            missing.push(run.stderr.clone());
            continue;
        }
        check(&run);
        assert!(common::has_hangul(&run.stderr), "{}", run.context());
        for english in ["unexpected", "required", "unrecognized", "tip:", "Usage:"] {
            assert!(
                !run.stderr.contains(english),
                "{english}\n{}",
                run.context()
            );
        }
    }
    assert!(
        missing.is_empty(),
        "say what is accepted:\n{}",
        missing.concat()
    );
}

/// What the typo cases and the small truths must say.
#[test]
fn bad_input_says_what_was_meant() {
    let ns = Netns::with_own_resolver("meant");
    let run = |args: &[&str], lang: &str| {
        let env = [("LANG", lang)];
        let run = match &ns {
            Some(ns) => run_with(&["ip", "netns", "exec", &ns.name], args, &env),
            None => run_with(&[], args, &env),
        };
        check(&run);
        run.stderr
    };
    for (args, en, ko) in [
        (
            &["exposee", "::"][..],
            "did you mean 'expose'?",
            "혹시 'expose'인가요?",
        ),
        (
            &["interface"],
            "did you mean 'interfaces'?",
            "혹시 'interfaces'인가요?",
        ),
        (
            &["listener"],
            "did you mean 'listeners'?",
            "혹시 'listeners'인가요?",
        ),
        (
            &["urls", "--qrr"],
            "did you mean '--qr'?",
            "혹시 '--qr'인가요?",
        ),
        (
            &["explain", "flsk"],
            "did you mean 'flask'?",
            "혹시 'flask'인가요?",
        ),
        (&["urls", "5000"], "urls -p 5000", "urls -p 5000"),
        (&["free", "5000"], "free --near 5000", "free --near 5000"),
        (
            &["probe", "a b"],
            "not an IP address, a hostname",
            "IP 주소도, 호스트 이름도",
        ),
        (
            &["probe", "[fe80::1%nosuchif0]:80"],
            "not an interface of this machine",
            "인터페이스가 아닙니다",
        ),
        (
            &["free", "--host", "10.9.9.9"],
            "10.9.9.9 is not an address of this machine",
            "10.9.9.9는 이 컴퓨터의 주소가 아닙니다",
        ),
    ] {
        let english = run(args, "C");
        assert!(english.contains(en), "{args:?}: {english}");
        let korean = run(args, "ko_KR.UTF-8");
        assert!(korean.contains(ko), "{args:?}: {korean}");
    }
    // A right-to-left override is shown escaped, never raw.
    let rtl = run(&["probe", "evil\u{202e}moc.elpmaxe"], "C");
    assert!(!rtl.contains('\u{202e}') && rtl.contains("202e"), "{rtl}");
    // A 1.1 kB zone is cut short in the line that quotes it.
    let zone = "z".repeat(1100);
    let long = run(&["probe", &format!("fe80::1%{zone}")], "C");
    assert!(long.len() < 300, "{long}");
}

#[test]
fn bad_input_speaks_the_user_s_language() {
    let run = run_with(&[], &["-p", "abc"], &[("LANG", "ko_KR.UTF-8")]);
    check(&run);
    assert!(common::has_hangul(&run.stderr), "{}", run.context());
}
