//! The `serve` beacon on loopback: what it answers, its caps, and 200 idle connections that
//! must not stop it from answering a new visitor within a second. Bounded in count and time.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::free_port;

use common::Reaped as Beacon;

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

/// A connection to the beacon from `source`, one of loopback's many addresses (127/8), so
/// that a test can be several clients.
fn connect_from(source: &str, port: u16) -> std::io::Result<TcpStream> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    let from: std::net::SocketAddr = format!("{source}:0").parse().unwrap();
    socket.bind(&from.into())?;
    let to: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    socket.connect_timeout(&to.into(), Duration::from_secs(2))?;
    Ok(socket.into())
}

/// One raw HTTP request; the whole answer, or what arrived before `limit`.
fn get(port: u16, request: &[u8], limit: Duration) -> String {
    get_from("127.0.0.1", port, request, limit)
}

/// One raw HTTP request from `source`.
fn get_from(source: &str, port: u16, request: &[u8], limit: Duration) -> String {
    let Ok(mut stream) = connect_from(source, port) else {
        return String::from("(no connection)");
    };
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
    // 200 silent connections from 20 addresses, 50 busy clients each from its own address.
    let idle: Vec<TcpStream> = (0..200)
        .map(|n| connect_from(&format!("127.0.1.{}", n % 20 + 1), port).expect("a connection"))
        .collect();
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            std::thread::spawn(move || {
                (0..REQUESTS)
                    .filter(|_| {
                        get_from(
                            &format!("127.0.2.{}", c + 1),
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
        let answer = get_from(
            "127.0.0.3",
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

/// The CPU time (user + system) a process has used, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |n: usize| {
        fields
            .get(n)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    field(11) + field(12)
}

/// The slowest of five newcomers' answers (each must be a 200), from their own address.
fn slowest_newcomer(port: u16) -> Duration {
    let mut slowest = Duration::ZERO;
    for n in 0..5 {
        let asked = Instant::now();
        let answer = get_from(
            &format!("127.0.9.{}", n + 1),
            port,
            b"GET /new HTTP/1.1\r\nHost: x\r\n\r\n",
            Duration::from_secs(2),
        );
        slowest = slowest.max(asked.elapsed());
        assert!(answer.starts_with("HTTP/1.1 200"), "newcomer {n}: {answer}");
    }
    slowest
}

#[test]
fn one_client_with_600_slow_connections_does_not_lock_out_another() {
    let port = free_port();
    let beacon = start(port, 60, false);
    // Each sends half a request head and stalls: a slowloris from one address.
    let slow: Vec<TcpStream> = (0..600)
        .filter_map(|_| {
            let mut s = connect_from("127.0.0.2", port).ok()?;
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n");
            Some(s)
        })
        .collect();
    assert!(slow.len() > 500, "the flood connected: {}", slow.len());
    let slowest = slowest_newcomer(port);
    assert!(
        slowest < Duration::from_secs(1),
        "a newcomer waited {slowest:?}"
    );
    let rss = status_kb(beacon.0.id(), "VmRSS");
    eprintln!(
        "flood: 600 slow connections from one address; slowest newcomer {slowest:?}, RSS {rss} kB"
    );
    drop(slow);
}

#[test]
fn out_of_descriptors_it_neither_spins_nor_locks_out_a_visitor() {
    let port = free_port();
    // The beacon under `ulimit -n 256`, as a student's shell might have it.
    let mut cmd = common::prefixed(&[], "sh");
    cmd.args(["-c", "ulimit -n 256 && exec \"$0\" \"$@\"", common::BIN])
        .args([
            "serve",
            "--host",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "--for",
            "40s",
        ])
        .env("LC_ALL", "C")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let beacon = Beacon(cmd.spawn().expect("serve starts"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(10));
    }
    // 300 silent connections from 30 addresses: more than its descriptors allow.
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|n| connect_from(&format!("127.0.3.{}", n % 30 + 1), port).ok())
        .collect();
    let before = cpu_ticks(beacon.0.id());
    let measured = Instant::now();
    std::thread::sleep(Duration::from_secs(1));
    let ticks = cpu_ticks(beacon.0.id()) - before;
    let elapsed = measured.elapsed();
    // A spinning accept loop burns 100 ticks a second; an idle beacon next to none.
    assert!(
        ticks < 50,
        "the beacon used {ticks} ticks in {elapsed:?} with {} idle connections",
        idle.len()
    );
    let slowest = slowest_newcomer(port);
    assert!(
        slowest < Duration::from_secs(1),
        "a newcomer waited {slowest:?}"
    );
    eprintln!(
        "descriptors: ulimit -n 256, {} idle connections; {ticks} CPU ticks in {elapsed:?}; slowest newcomer {slowest:?}",
        idle.len()
    );
    drop(idle);
}

#[test]
fn memory_stays_flat_over_60000_requests_with_8_kb_paths() {
    const THREADS: usize = 8;
    const EACH: usize = 7_500;
    let port = free_port();
    let mut beacon = start(port, 300, false);
    let log = beacon.0.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        // A terminal reads the log; the lines it gets are capped in length.
        let mut longest = 0;
        let mut lines = 0;
        for line in std::io::BufRead::lines(std::io::BufReader::new(log)).map_while(Result::ok) {
            longest = longest.max(line.chars().count());
            lines += 1;
        }
        (lines, longest)
    });
    let path = format!("/{}", "a".repeat(8 * 1024 - 200));
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
    let started = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let request = request.clone();
            std::thread::spawn(move || {
                let source = format!("127.0.4.{}", t + 1);
                (0..EACH)
                    .filter(|_| {
                        get_from(&source, port, request.as_bytes(), Duration::from_secs(5))
                            .starts_with("HTTP/1.1 200")
                    })
                    .count()
            })
        })
        .collect();
    let answered: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let took = started.elapsed();
    let rss = status_kb(beacon.0.id(), "VmRSS");
    let peak = status_kb(beacon.0.id(), "VmHWM");
    assert_eq!(answered, THREADS * EACH);
    assert!(
        peak > 0 && peak < 40 * 1024,
        "peak RSS {peak} kB after {answered} requests"
    );
    drop(beacon);
    let (lines, longest) = reader.join().unwrap();
    assert!(longest <= 200, "a log line of {longest} characters");
    eprintln!(
        "memory: {answered} requests with 8 KB paths in {took:?}; RSS {rss} kB, peak {peak} kB; {lines} log lines, the longest {longest} characters"
    );
}

#[test]
fn ctrl_c_ends_with_the_summary_and_one_json_document() {
    let port = free_port();
    let mut cmd = common::command(&[]);
    cmd.args([
        "serve",
        "--host",
        "127.0.0.1",
        "-p",
        &port.to_string(),
        "--for",
        "60s",
        "--json",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut beacon = Beacon(cmd.spawn().expect("serve starts"));
    // Under --json, the first line on stderr says where it listens, before any visit.
    let mut stderr = std::io::BufReader::new(beacon.0.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut first).unwrap();
    assert!(first.contains(&format!("127.0.0.1:{port}")), "{first}");
    let answer = get(
        port,
        b"GET /one HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(2),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let sent = std::process::Command::new("kill")
        .args(["-INT", &beacon.0.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = beacon.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "Ctrl+C did not stop serve"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    let mut out = String::new();
    beacon
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["ended"], "interrupted");
    assert_eq!(v["visit_count"], 1);
    assert_eq!(v["visits"][0]["path"], "/one");
    assert_eq!(v["diagnosis"]["code"], "loopback_only");

    // The same, in text: the summary, not a bare exit.
    let mut cmd = common::command(&[]);
    cmd.args([
        "serve",
        "--host",
        "127.0.0.1",
        "-p",
        &port.to_string(),
        "--for",
        "60s",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let mut beacon = Beacon(cmd.spawn().expect("serve starts"));
    let mut stdout = std::io::BufReader::new(beacon.0.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    assert!(first.contains("loopback"), "{first}");
    assert!(
        !first.contains("other device;"),
        "no Network URL to open: {first}"
    );
    let page = get(
        port,
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(2),
    );
    assert!(page.contains("without --host"), "{page}");
    assert!(!page.contains("Open the Network URL"), "{page}");
    std::process::Command::new("kill")
        .args(["-INT", &beacon.0.id().to_string()])
        .status()
        .unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("Stopped: 1 visit."), "{rest}");
    assert!(rest.contains("loopback"), "{rest}");
}
