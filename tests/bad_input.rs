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
    ];
    let mut cases: Vec<Vec<String>> = table
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect();
    // A 100 kB argument and control characters, wherever a value goes.
    for value in [long, control] {
        for args in [
            vec!["expose", value],
            vec!["-p", value],
            vec!["probe", value],
            vec!["port", value],
            vec!["free", "--range", value],
            vec!["probe", "--timeout", value],
            vec!["explain", value],
            vec!["urls", "--path", value],
        ] {
            cases.push(args.into_iter().map(String::from).collect());
        }
    }
    cases
}

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
    let hints = [
        "e.g.",
        "possible values",
        "at most",
        "see bindscope --help",
        "topics:",
        "give",
        "write",
        "use ",
        "예:",
    ];
    assert!(
        hints.iter().any(|h| run.stderr.contains(h)),
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
    match Netns::new("bad") {
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

#[test]
fn bad_input_speaks_the_user_s_language() {
    let run = run_with(&[], &["-p", "abc"], &[("LANG", "ko_KR.UTF-8")]);
    check(&run);
    assert!(common::has_hangul(&run.stderr), "{}", run.context());
}
