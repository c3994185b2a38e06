//! The `serve` beacon on loopback: what it answers, its caps, and 200 idle connections that
//! must not stop it from answering a new visitor within a second. Bounded in count and time.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::free_port;

/// A beacon this test started; killed and reaped when dropped.
struct Beacon(Child);

impl Drop for Beacon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(port: u16, seconds: u32, json: bool) -> Beacon {
    let mut cmd = common::command(&[]);
    cmd.args(["serve", "--host", "127.0.0.1", "-p", &port.to_string()])
        .args(["--for", &format!("{seconds}s")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if json {
        cmd.arg("--json");
    }
    let beacon = Beacon(cmd.spawn().expect("serve starts"));
    // Ready when it accepts a connection (bounded).
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(10));
    }
    beacon
}

/// One raw HTTP request; the whole answer, or what arrived before `limit`.
fn get(port: u16, request: &[u8], limit: Duration) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(limit)).unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A memory figure of a process from /proc (`VmRSS`, `VmHWM`), in kB; 0 if unreadable.
fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

#[test]
fn answers_plain_text_to_curl_and_html_to_a_browser() {
    let port = free_port();
    let _beacon = start(port, 20, false);
    let text = get(
        port,
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(2),
    );
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("content-type: text/plain"), "{text}");
    assert!(text.contains("You are 127.0.0.1."), "{text}");
    assert!(
        text.contains("same machine"),
        "a local visit proves nothing about others: {text}"
    );
    let html = get(
        port,
        b"GET / HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nAccept-Language: ko-KR,ko;q=0.9\r\n\r\n",
        Duration::from_secs(2),
    );
    assert!(html.contains("content-type: text/html"), "{html}");
    assert!(
        html.contains("<h1>bindscope: 이 컴퓨터에 접속했습니다</h1>"),
        "the visitor's language: {html}"
    );
}

#[test]
fn idle_connections_do_not_lock_out_a_new_visitor() {
    let port = free_port();
    let beacon = start(port, 30, false);
    // 200 connections that never send a byte.
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("an idle connection"))
        .collect();
    let started = Instant::now();
    let answer = get(
        port,
        b"GET /new HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(1),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // Memory stays bounded with the connections open.
    let rss = status_kb(beacon.0.id(), "VmRSS");
    assert!(rss > 0 && rss < 32 * 1024, "RSS {rss} kB");
    // An oversized request head is refused, and the beacon carries on.
    let mut huge = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 100_000));
    huge.extend(b"\r\n\r\n");
    let refused = get(port, &huge, Duration::from_secs(2));
    assert!(refused.starts_with("HTTP/1.1 431"), "{refused}");
    let answer = get(
        port,
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(1),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(idle);
}

#[test]
fn under_load_a_new_visitor_is_still_answered_within_a_second() {
    const CLIENTS: usize = 50;
    const REQUESTS: usize = 20;
    let port = free_port();
    let mut beacon = start(port, 60, false);
    // A terminal reads the visitor log; so does this test, or a full pipe would stall it.
    let log = beacon.0.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::BufReader::new(log).read_to_string(&mut text);
        text
    });
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("an idle connection"))
        .collect();
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            std::thread::spawn(move || {
                (0..REQUESTS)
                    .filter(|_| {
                        get(
                            port,
                            b"GET /load HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                            Duration::from_secs(5),
                        )
                        .starts_with("HTTP/1.1 200")
                    })
                    .count()
            })
        })
        .collect();
    // While the load runs, a newcomer is answered within a second, every time.
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let asked = Instant::now();
        let answer = get(
            port,
            b"GET /new HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            Duration::from_secs(2),
        );
        slowest = slowest.max(asked.elapsed());
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        std::thread::sleep(Duration::from_millis(20));
    }
    let answered: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    let took = started.elapsed();
    assert_eq!(answered, CLIENTS * REQUESTS, "every request answered");
    assert!(
        slowest < Duration::from_secs(1),
        "a newcomer waited {slowest:?}"
    );
    assert!(
        took < Duration::from_secs(30),
        "1,000 requests took {took:?}"
    );
    let peak = status_kb(beacon.0.id(), "VmHWM");
    assert!(peak > 0 && peak < 32 * 1024, "peak RSS {peak} kB");
    drop(idle);
    drop(beacon);
    let visits = reader.join().unwrap().matches("/load").count();
    assert_eq!(visits, CLIENTS * REQUESTS, "each visit is logged");
    eprintln!(
        "load: {} requests from {CLIENTS} clients beside 200 idle connections in {took:?}, \
         slowest newcomer {slowest:?}, peak RSS {peak} kB",
        CLIENTS * REQUESTS
    );
}

#[test]
fn it_stops_by_itself_and_reports_its_visits() {
    let port = free_port();
    let mut beacon = start(port, 2, true);
    let answer = get(
        port,
        b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(2),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = beacon.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "serve did not stop after --for"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    let mut out = String::new();
    beacon
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document at the end");
    assert_eq!(v["command"], "serve");
    assert_eq!(v["port"], port);
    let visit = &v["visits"][0];
    assert_eq!(visit["client"], "127.0.0.1");
    assert_eq!(visit["path"], "/hello");
    assert_eq!(visit["same_machine"], true);
    assert_eq!(visit["interface"], "lo");
}

#[test]
fn a_taken_port_is_one_json_document_and_exit_1() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let args = ["serve", "--host", "127.0.0.1", "-p", &port, "--for", "2s"];
    let json = [&args[..], &["--json"]].concat();
    let run = common::bindscope(&json);
    run.code(1);
    let v = run.json();
    assert_eq!(v["command"], "serve", "{}", run.context());
    assert_eq!(v["bind_error"], "in_use", "{}", run.context());
    assert_eq!(v["urls"]["network"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["urls"]["verdict"], "no_network_url", "{}", run.context());
    assert_eq!(v["urls"]["recommended_bind"], serde_json::Value::Null);
    let human = common::bindscope(&args);
    human.code(1);
    assert!(
        human.stdout.contains(&format!("127.0.0.1:{port}")),
        "{}",
        human.context()
    );
}
