#![cfg(unix)]
//! `wait` against real servers in a namespace of its own: a server that starts after two
//! seconds, a port freed after two seconds, a timeout, an HTTP answer, and the address that
//! answered. No packet leaves the namespace; every server is stopped when its guard drops,
//! also when an assertion fails.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::netns::Netns;
use common::real::serve;
use common::{bindscope, Run};

/// Sleeps, then binds and listens (with SO_REUSEADDR, as servers do), says `ready`, and
/// accepts and closes connections until its stdin closes (at most 60 s).
const DELAYED: &str = r#"
import select, socket, sys, time
delay, host, port = float(sys.argv[1]), sys.argv[2], int(sys.argv[3])
time.sleep(delay)
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(16)
print("ready", flush=True)
deadline = time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([s, sys.stdin], [], [], 0.5)
    if sys.stdin in ready:
        break
    if s in ready:
        c, _ = s.accept()
        c.close()
"#;

use common::Reaped as Guard;

/// `python3 -c DELAYED` in `ns`, and the moment it printed `ready`, read on a thread.
fn delayed_server(
    ns: &Netns,
    delay: &str,
    host: &str,
    port: u16,
) -> (Guard, mpsc::Receiver<Instant>) {
    let mut child = Command::new("ip")
        .args([
            "netns", "exec", &ns.name, "python3", "-c", DELAYED, delay, host,
        ])
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs");
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        if BufReader::new(out).read_line(&mut line).is_ok() && line.trim() == "ready" {
            let _ = tx.send(Instant::now());
        }
    });
    (Guard(child), rx)
}

/// bindscope in `ns`, and how long it ran.
fn timed(ns: &Netns, args: &[&str]) -> (Run, Duration, Instant) {
    let start = Instant::now();
    let run = ns.bindscope(args);
    (run, start.elapsed(), Instant::now())
}

fn seconds(v: &serde_json::Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("no {key} in {v}"))
}

#[test]
fn a_server_that_starts_after_two_seconds_is_waited_for() {
    let Some(ns) = Netns::new("wait-late") else {
        return;
    };
    let port = 7101;
    let (_server, ready) = delayed_server(&ns, "2", "127.0.0.1", port);
    let (run, took, ended) = timed(
        &ns,
        &[
            "wait",
            "-p",
            &port.to_string(),
            "--timeout",
            "10s",
            "--json",
        ],
    );
    run.code(0);
    let v = run.json();
    assert_eq!(v["command"], "wait", "{}", run.context());
    assert_eq!(v["outcome"], "answered", "{}", run.context());
    assert_eq!(v["mode"], "connect");
    assert_eq!(v["answered_by"], format!("127.0.0.1:{port}"));
    assert_eq!(
        v["addresses"],
        serde_json::json!([format!("127.0.0.1:{port}"), format!("[::1]:{port}")])
    );
    let after = seconds(&v, "after_s");
    assert!((1.5..10.0).contains(&after), "{}", run.context());
    assert!(v["attempts"].as_u64().unwrap() > 1, "{}", run.context());
    assert!(took < Duration::from_secs(10), "{took:?}");
    // From the server's `ready` to bindscope's exit: one interval (200 ms) and a start-up.
    let ready = ready
        .recv_timeout(Duration::from_secs(5))
        .expect("the server said it was ready");
    let reaction = ended.saturating_duration_since(ready);
    eprintln!("wait reacted {reaction:?} after the server listened (after_s {after})");
    assert!(reaction < Duration::from_millis(3000), "{reaction:?}");
}

#[test]
fn a_port_freed_after_two_seconds_is_waited_for() {
    let Some(ns) = Netns::new("wait-free") else {
        return;
    };
    let port = 7102;
    let server = serve(&ns, "0.0.0.0", port, &[]).expect("the server binds");
    let p = port.to_string();
    // Held: a short wait times out and names the holder.
    let (run, took, _) = timed(
        &ns,
        &["wait", "--free", "-p", &p, "--timeout", "500ms", "--json"],
    );
    run.code(1);
    let v = run.json();
    assert_eq!(v["outcome"], "timeout", "{}", run.context());
    assert_eq!(v["mode"], "free");
    assert!(
        common::find(&v["held_by"], "name", "python3").is_some(),
        "{}",
        run.context()
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
    // Freed after two seconds (the thread drops the server: it exits and is reaped).
    let freer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(2));
        drop(server);
    });
    let (run, _, _) = timed(
        &ns,
        &["wait", "--free", "-p", &p, "--timeout", "10s", "--json"],
    );
    let _ = freer.join();
    run.code(0);
    let v = run.json();
    assert_eq!(v["outcome"], "free", "{}", run.context());
    let after = seconds(&v, "after_s");
    assert!((1.0..10.0).contains(&after), "{}", run.context());
    // Free from the start: at once, in words too.
    let run = ns.bindscope(&["wait", "--free", "-p", &p]);
    run.code(0);
    assert!(
        run.stdout
            .contains(&format!("Port {port} is already free.")),
        "{}",
        run.context()
    );
}

#[test]
fn nothing_there_times_out_on_time() {
    let Some(ns) = Netns::new("wait-none") else {
        return;
    };
    let (run, took, _) = timed(&ns, &["wait", "-p", "7103", "--timeout", "1s", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["outcome"], "timeout", "{}", run.context());
    assert_eq!(v["answered_by"], serde_json::Value::Null);
    assert_eq!(v["timeout_s"], 1.0);
    assert!(v["attempts"].as_u64().unwrap() >= 2, "{}", run.context());
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_millis(4000),
        "{took:?}"
    );
    // Piped: no progress line, only the verdict.
    let (run, _, _) = timed(&ns, &["wait", "-p", "7103", "--timeout", "300ms"]);
    run.code(1);
    assert!(run.stderr.is_empty(), "{}", run.context());
    assert_eq!(
        run.stdout,
        "Nothing answered on 127.0.0.1:7103 or [::1]:7103 within 0.3 s.\n"
    );
    let run = ns.bindscope(&["--lang", "ko", "wait", "-p", "7103", "--timeout", "300ms"]);
    run.code(1);
    assert!(common::has_hangul(&run.stdout), "{}", run.context());
}

#[test]
fn http_waits_for_an_answer_and_says_which_address_gave_it() {
    let Some(ns) = Netns::new("wait-http") else {
        return;
    };
    // A TCP server that accepts and closes without a word is no HTTP answer.
    let _silent = serve(&ns, "127.0.0.1", 7104, &[]).expect("the server binds");
    let (run, took, _) = timed(
        &ns,
        &["wait", "--http", "-p", "7104", "--timeout", "1s", "--json"],
    );
    run.code(1);
    assert_eq!(run.json()["outcome"], "timeout", "{}", run.context());
    assert!(took < Duration::from_millis(4000), "{took:?}");
    // Without --http the same server answers.
    let run = ns.bindscope(&["wait", "-p", "7104", "--json"]);
    run.code(0);
    assert_eq!(run.json()["answered_by"], "127.0.0.1:7104");

    // Python's HTTP server on ::1 only: 127.0.0.1 is refused, ::1 answers 200.
    let mut child = Command::new("ip")
        .args([
            "netns",
            "exec",
            &ns.name,
            "python3",
            "-u",
            "-m",
            "http.server",
        ])
        .args([
            "7105",
            "--bind",
            "::1",
            "--directory",
            "/nonexistent-bindscope-test",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs");
    let out = child.stdout.take().unwrap();
    let _http = Guard(child);
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .expect("http.server says it serves");
    assert!(line.starts_with("Serving HTTP"), "{line}");
    let run = ns.bindscope(&["wait", "--http", "-p", "7105", "--timeout", "10s", "--json"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["outcome"], "answered", "{}", run.context());
    assert_eq!(v["answered_by"], "[::1]:7105");
    assert!(v["http_status"].as_u64().is_some(), "{}", run.context());
    // Only where asked: 127.0.0.1 alone never answers.
    let run = ns.bindscope(&[
        "wait",
        "-p",
        "7105",
        "--host",
        "127.0.0.1",
        "--timeout",
        "500ms",
    ]);
    run.code(1);
    assert!(run.stdout.contains("127.0.0.1:7105"), "{}", run.context());
    assert!(!run.stdout.contains("::1"), "{}", run.context());
}

/// A progress line on a terminal, redrawn in place and cleared before the verdict.
#[test]
fn progress_is_drawn_on_a_terminal_and_cleared() {
    let Some(ns) = Netns::new("wait-tty") else {
        return;
    };
    let (master, terminal) = common::pseudo_terminal();
    let chunks = common::chunks_of(master);
    let status = common::command(&["ip", "netns", "exec", &ns.name])
        .args(["wait", "-p", "7106", "--timeout", "700ms"])
        .stdout(Stdio::null())
        .stderr(terminal)
        .status()
        .expect("bindscope runs");
    assert_eq!(status.code(), Some(1));
    let mut shown = String::new();
    let deadline = Instant::now() + Duration::from_secs(2);
    while let Ok(chunk) = chunks.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        shown.push_str(&chunk);
        if shown.ends_with("\r\u{1b}[K") && shown.matches("Waiting").count() >= 2 {
            break;
        }
    }
    assert!(
        shown.contains("\r\u{1b}[KWaiting for 127.0.0.1:7106 or [::1]:7106… "),
        "{shown:?}"
    );
    assert!(
        shown.ends_with("\r\u{1b}[K"),
        "the line is cleared at the end: {shown:?}"
    );
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    for args in [
        &["wait", "-p", "5000", "--free", "--http"][..],
        &["wait", "-p", "5000", "--free", "--host", "::1"],
        &["wait"],
        &["wait", "-p", "0"],
        &["wait", "-p", "65536"],
        &["wait", "-p", "abc"],
        &["wait", "-p", "5000", "--host", "999.1.1.1"],
        &["wait", "-p", "5000", "--host", "[::1"],
        &["wait", "-p", "5000", "--host", "example.com"],
        &["wait", "-p", "5000", "--host", "127.0.0.1:5001"],
        &["wait", "-p", "5000", "--timeout", "0"],
        &["wait", "-p", "5000", "--timeout", "forever"],
        &["wait", "-p", "5000", "--interval", "1ms"],
        &["-p", "5000", "wait", "-p", "5001"],
    ] {
        let run = bindscope(args);
        run.code(2);
        assert!(run.stdout.is_empty(), "{}", run.context());
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.context());
        assert!(run.stderr.starts_with("bindscope: "), "{}", run.context());
    }
}

/// Ctrl+C during a wait on a terminal leaves no progress line drawn: the line is cleared, and
/// the wait ends as an interrupted program does (130). Only loopback is asked.
#[test]
fn ctrl_c_clears_the_progress_line() {
    let port = common::free_port();
    let (master, terminal) = common::pseudo_terminal();
    let mut child = common::command(&[])
        .args(["--color", "never", "wait", "-p", &port.to_string()])
        .args(["--host", "127.0.0.1", "--timeout", "30"])
        .stdout(Stdio::piped())
        .stderr(terminal)
        .spawn()
        .expect("bindscope runs");
    let out = common::chunks_of(master);
    let mut said = String::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    // The progress line is drawn (its text after the clearing sequence).
    while said.rsplit("\r\x1b[K").next().is_none_or(|t| t.is_empty()) {
        let left = deadline.saturating_duration_since(Instant::now());
        match out.recv_timeout(left.min(Duration::from_millis(100))) {
            Ok(chunk) => said.push_str(&chunk),
            Err(_) if left.is_zero() => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no progress line within 10 s: {said:?}");
            }
            Err(_) => {}
        }
    }
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupted.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still waiting 5 s after Ctrl+C: {said:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    while let Ok(chunk) = out.recv_timeout(Duration::from_millis(200)) {
        said.push_str(&chunk);
    }
    assert_eq!(status.code(), Some(130), "{said:?}");
    assert!(
        said.ends_with("\r\x1b[K"),
        "the line is left drawn: {said:?}"
    );
}
