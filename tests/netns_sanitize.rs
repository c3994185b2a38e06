//! Names the machine gives us are not ours to trust: an interface and two processes named with
//! escape sequences, C1 controls, bidi overrides and zero-width characters, in a namespace the
//! test builds, and every command run there, human and `--json`. Nothing a terminal would
//! interpret may come out raw, on stdout or on stderr. Also clap's own errors for a 60 kB
//! argument full of controls: one short line.
//!
//! Traffic stays inside the namespace (its loopback and its own links).
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::netns::Netns;
use common::{bindscope, hold, Run};

/// A veth end whose name sets the terminal's title (OSC 0 … BEL) and reverses what follows.
const IFACE: &str = "e\u{1b}]0;X\u{7}\u{202e}";
/// Its peer: no C0 control, so `expose NAME` gets past the argument check and is rendered.
const PEER: &str = "b\u{202e}\u{200b}x";
/// The process holding 127.0.0.1:P.
const PROC_V4: &str = "p\u{1b}]0;T\u{7}\u{202e}";
/// The process holding [::1]:P: an 8-bit CSI, a BOM and a right-to-left mark.
const PROC_V6: &str = "q\u{9b}1m\u{feff}\u{200f}";

/// What a terminal would act on or hide: C0 but the line feed (and the tab when `tab`), DEL,
/// C1, the bidi controls, the zero-width and invisible formatting characters.
fn unsafe_char(c: char, tab: bool) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{ad}' | '\u{61c}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}'
        | '\u{feff}')
        || (c == '\t' && !tab)
}

/// Stdout and stderr of a run hold nothing raw; with `sgr`, our own colour codes
/// (`ESC [ digits ; … m`) are allowed and nothing else that starts with ESC.
fn assert_safe(what: &str, text: &str, sgr: bool, context: &dyn Fn() -> String) {
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if sgr && c == '\u{1b}' {
            let rest = &text[at + 1..];
            let params = rest
                .strip_prefix('[')
                .and_then(|r| r.find(|c: char| !(c.is_ascii_digit() || c == ';')));
            match params {
                Some(end) if rest[1 + end..].starts_with('m') => {
                    for _ in 0..end + 2 {
                        chars.next();
                    }
                    continue;
                }
                _ => panic!(
                    "{what}: an escape that is not a colour at byte {at}\n{}",
                    context()
                ),
            }
        }
        assert!(
            !unsafe_char(c, false),
            "{what}: raw {:?} at byte {at}\n{}",
            c,
            context()
        );
    }
}

fn check(run: &Run, sgr: bool) {
    assert!(
        !run.stderr.contains("panicked"),
        "no panic\n{}",
        run.context()
    );
    let context = || run.context().escape_debug().to_string();
    assert_safe("stdout", &run.stdout, sgr, &context);
    assert_safe("stderr", &run.stderr, sgr, &context);
}

/// Every string in a JSON report, one a line: JSON keeps the names exactly.
fn strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

/// A namespace with a LAN, a veth pair named to attack the terminal, each end addressed.
fn namespace() -> Option<Netns> {
    let ns = Netns::new("sanitize")?;
    ns.add_lan("10.203.60.2/24", "fd42:203:60::2/64", "10.203.60.1");
    ns.ip(&["link", "add", IFACE, "type", "veth", "peer", "name", PEER]);
    ns.ip(&["addr", "add", "10.203.61.1/24", "dev", IFACE]);
    ns.ip(&["addr", "add", "10.203.62.1/24", "dev", PEER]);
    ns.ip(&["link", "set", IFACE, "up"]);
    ns.ip(&["link", "set", PEER, "up"]);
    ns.wait_until_up(PEER);
    Some(ns)
}

#[test]
fn no_name_from_the_machine_reaches_the_terminal_raw() {
    let Some(ns) = namespace() else { return };
    let prefix = ["ip", "netns", "exec", ns.name.as_str()];
    // 127.0.0.1:P and [::1]:P held by two processes: `probe`'s split-localhost note names both.
    let v4 = hold(&prefix, &[&format!("--name={PROC_V4}"), "tcp,127.0.0.1,0"]);
    let port = v4.port(0).to_string();
    let _v6 = hold(
        &prefix,
        &[&format!("--name={PROC_V6}"), &format!("tcp,::1,{port}")],
    );
    let exposed = hold(&prefix, &[&format!("--name={PROC_V4}"), "tcp,0.0.0.0,0"]);
    let exposed = exposed.port(0).to_string();

    let commands: Vec<Vec<&str>> = vec![
        vec!["-p", &port],
        vec!["interfaces", "--all"],
        vec!["interfaces", "--all", "-v"],
        vec!["expose", "0.0.0.0"],
        vec!["expose", "0.0.0.0", "-v"],
        vec!["expose", "::"],
        vec!["expose", IFACE],
        vec!["expose", PEER],
        vec!["expose", "10.203.61.1"],
        vec!["urls", "--all"],
        vec!["listeners"],
        vec!["listeners", "-v"],
        vec!["port", &port],
        vec!["port", &exposed],
        vec!["probe", "-p", &port],
        vec!["probe", "-p", &exposed],
        vec!["probe", "10.203.61.1", "-p", &exposed],
        vec!["explain", "0.0.0.0"],
    ];
    let mut seen_in_json = String::new();
    for args in &commands {
        for lang in ["en", "ko"] {
            let mut human = vec!["--color", "never", "--lang", lang];
            human.extend(args);
            check(&ns.bindscope(&human), false);
        }
        let mut coloured = vec!["--color", "always"];
        coloured.extend(args);
        check(&ns.bindscope(&coloured), true);
        let mut json = vec!["--json"];
        json.extend(args);
        let run = ns.bindscope(&json);
        check(&run, false);
        if run.code != 2 {
            strings(&run.json(), &mut seen_in_json);
        }
    }
    // The names really were there to be escaped: JSON carries them exactly.
    for name in [IFACE, PEER, PROC_V4, PROC_V6] {
        assert!(seen_in_json.contains(name), "{name:?} reached no report");
    }

    serve_visit(&ns, &prefix);
    kill_prompt(&prefix, &port);
}

/// `serve` in the namespace, visited through the oddly named link: its visitor log and the
/// plain-text page it answers with.
fn serve_visit(ns: &Netns, prefix: &[&str]) {
    let port = "8931";
    let mut child = Reaped(
        common::command(prefix)
            .args(["--color", "never", "serve", "-p", port, "--for", "3s"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts"),
    );
    let lines = lines_of(child.0.stdout.take().unwrap());
    // Ready: the first line is written after the bind.
    let mut said = lines
        .recv_timeout(Duration::from_secs(10))
        .expect("serve said it listens");
    let page = ns.exec(&[
        "curl",
        "-s",
        "--max-time",
        "3",
        &format!("http://10.203.61.1:{port}/%1b%5d0;x"),
    ]);
    let body = String::from_utf8_lossy(&page.stdout).into_owned();
    assert!(body.contains("10.203.61.1"), "the page answers: {body:?}");
    assert_safe("page", &body, false, &|| body.escape_debug().to_string());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        while let Ok(line) = lines.try_recv() {
            said.push_str(&line);
        }
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve ran past --for");
        std::thread::sleep(Duration::from_millis(20));
    };
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(2)) {
        said.push_str(&line);
    }
    let mut stderr = String::new();
    let _ = child.0.stderr.take().unwrap().read_to_string(&mut stderr);
    assert!(status.success(), "{said}\n{stderr}");
    assert!(
        said.contains("10.203.61.1"),
        "the visit is logged: {said:?}"
    );
    let context = || format!("{said}\n{stderr}").escape_debug().to_string();
    assert_safe("serve's log", &said, false, &context);
    assert_safe("serve's stderr", &stderr, false, &context);
}

/// `port P --kill` on a terminal: the question names the owners.
fn kill_prompt(prefix: &[&str], port: &str) {
    let (mut master, terminal) = common::pseudo_terminal();
    let mut child = Reaped(
        common::command(prefix)
            .args(["--color", "never", "port", port, "--kill"])
            .stdin(terminal)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bindscope runs"),
    );
    let chunks = common::chunks_of(child.0.stderr.take().unwrap());
    let mut said = String::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !said.contains("[y/N]") {
        let left = deadline.saturating_duration_since(Instant::now());
        match chunks.recv_timeout(left) {
            Ok(chunk) => said.push_str(&chunk),
            Err(_) => panic!("no question within 10 s: {said:?}"),
        }
    }
    // No: nothing is signalled.
    master.write_all(b"n\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.0.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "no exit within 10 s of the answer"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    while let Ok(chunk) = chunks.recv_timeout(Duration::from_secs(1)) {
        said.push_str(&chunk);
    }
    let mut stdout = String::new();
    let _ = child.0.stdout.take().unwrap().read_to_string(&mut stdout);
    let context = || format!("{said}\n{stdout}").escape_debug().to_string();
    assert_safe("the --kill question", &said, false, &context);
    assert_safe("port --kill", &stdout, false, &context);
    assert!(
        said.contains("pid"),
        "the question names the owners: {said:?}"
    );
}

use common::Reaped;

fn lines_of(out: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).split(b'\n') {
            let Ok(line) = line else { break };
            let mut line = String::from_utf8_lossy(&line).into_owned();
            line.push('\n');
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// clap's own errors, for a value clap checks itself: one line, short, nothing raw.
#[test]
fn a_60_kb_argument_with_controls_gets_one_short_line() {
    let bad = format!(
        "{}\u{1b}]0;pwned\u{7}\u{202e}\u{9b}2J\r{}",
        "x".repeat(30_000),
        "y".repeat(30_000)
    );
    for args in [
        vec!["--color", &bad],
        vec!["--lang", &bad],
        vec![&bad],
        vec!["completions", &bad],
        vec!["listeners", &bad],
        vec![&format!("--{bad}")],
        vec!["probe", "--timeout", "1s", "--scheme", &bad],
    ] {
        let run = bindscope(&args);
        run.code(2);
        check(&run, false);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.context());
        assert!(run.stderr.len() < 400, "short\n{}", run.context());
        assert!(run.stdout.is_empty(), "{}", run.context());
    }
}
