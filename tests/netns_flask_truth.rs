#![cfg(unix)]
//! What bindscope says of a running Flask server is what the kernel and the server say: a
//! "laptop" namespace (10.203.60.2, the LAN set up by `add_lan`) whose LAN link's other end is
//! moved into a "phone" namespace (10.203.60.3). Flask runs on the laptop bound to 127.0.0.1,
//! then 0.0.0.0, with and without its debugger; `urls`, the overview, `probe` and `listeners`
//! run on the laptop, and every `answers` and every debugger verdict is checked against a real
//! connection or request: Python's own sockets from the laptop and from the phone, and
//! bindscope's `probe` run on the phone. No packet leaves the two namespaces.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::flask;
use common::netns::Netns;
use serde_json::Value;

const LAPTOP: &str = "10.203.60.2";
const PHONE: &str = "10.203.60.3";
const NETWORK_URL: &str = "http://10.203.60.2:5000";
const LOOPBACK_URL: &str = "http://127.0.0.1:5000";

struct Lan {
    laptop: Netns,
    phone: Netns,
}

/// The laptop with its LAN (`add_lan`), and the LAN link's peer moved into the phone.
fn lan(tag: &str) -> Option<Lan> {
    let laptop = Netns::new(&format!("fl{tag}-laptop"))?;
    let phone = Netns::new(&format!("fl{tag}-phone"))?;
    laptop.add_lan(&format!("{LAPTOP}/24"), "fd42:203:60::2/64", "10.203.60.1");
    laptop.ip(&["link", "set", "lan0p", "netns", &phone.name]);
    phone.ip(&["addr", "add", &format!("{PHONE}/24"), "dev", "lan0p"]);
    phone.ip(&["link", "set", "lan0p", "up"]);
    phone.wait_until_up("lan0p");
    laptop.wait_until_up("lan0");
    Some(Lan { laptop, phone })
}

fn prefix(ns: &Netns) -> [&str; 4] {
    ["ip", "netns", "exec", ns.name.as_str()]
}

/// Polls (bounded) until the laptop's port 5000 has a listening socket, or none; returns how
/// long that took.
fn wait_listening(laptop: &Netns, want: bool) -> Duration {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(15);
    loop {
        let v = laptop.bindscope(&["port", "5000", "--json"]).json();
        let listening = common::find(&v["sockets"], "state", "listen").is_some();
        if listening == want {
            return started.elapsed();
        }
        assert!(
            Instant::now() < deadline,
            "port 5000 did not become listening={want} within 15 s: {v}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts Flask on the laptop's port 5000 and waits until it listens.
fn start(laptop: &Netns, args: &[&str], env: &[(&str, &str)]) -> flask::FlaskRun {
    let app = flask::start_with_env(&prefix(laptop), 5000, args, env);
    let took = wait_listening(laptop, true);
    eprintln!("flask {args:?} {env:?} listened after {took:?}");
    app
}

/// Stops Flask and waits until nothing listens on 5000 any more.
fn stop(laptop: &Netns, app: flask::FlaskRun) {
    drop(app);
    wait_listening(laptop, false);
}

/// The kernel's answer to a TCP connect from inside `ns` to each `ip` on port 5000 (Python's
/// socket, not bindscope): `open`, `refused`, `timeout`, or the errno's name.
fn connect(ns: &Netns, ips: &[&str]) -> Vec<String> {
    let script = "import errno, socket, sys\n\
                  for ip in sys.argv[1:]:\n\
                  \x20   s = socket.socket(socket.AF_INET6 if ':' in ip else socket.AF_INET)\n\
                  \x20   s.settimeout(2)\n\
                  \x20   try:\n\
                  \x20       s.connect((ip, 5000)); r = 'open'\n\
                  \x20   except ConnectionRefusedError:\n\
                  \x20       r = 'refused'\n\
                  \x20   except socket.timeout:\n\
                  \x20       r = 'timeout'\n\
                  \x20   except OSError as e:\n\
                  \x20       r = errno.errorcode.get(e.errno, str(e.errno))\n\
                  \x20   s.close()\n\
                  \x20   print(r)\n";
    let mut args = vec!["python3", "-c", script];
    args.extend_from_slice(ips);
    let out = ns.exec(&args);
    assert!(out.status.success(), "the connect script: {out:?}");
    let said: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(said.len(), ips.len(), "one answer per address: {said:?}");
    said
}

/// Whether Werkzeug's debugger itself answers at `host` (from inside `ns`): it serves its own
/// style sheet at this path when it is on, the app answers (or 404s) when it is off.
fn debugger_answers(ns: &Netns, host: &str) -> bool {
    let script = "import sys, urllib.request, urllib.error\n\
                  url = 'http://' + sys.argv[1] + ':5000/?__debugger__=yes&cmd=resource&f=style.css'\n\
                  try:\n\
                  \x20   r = urllib.request.urlopen(url, timeout=3)\n\
                  \x20   print(r.status, r.headers.get('Content-Type', ''))\n\
                  except urllib.error.HTTPError as e:\n\
                  \x20   print(e.code, e.headers.get('Content-Type', ''))\n";
    let out = ns.exec(&["python3", "-c", script, host]);
    let said = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(out.status.success(), "GET from {}: {out:?}", ns.name);
    said.starts_with("200 text/css")
}

/// The `urls` entry of `url`.
fn entry<'a>(v: &'a Value, url: &str) -> &'a Value {
    common::find(&v["entries"], "url", url).unwrap_or_else(|| panic!("no entry {url}: {v}"))
}

/// Every entry's `answers` agrees with a real connect from the laptop to its address.
fn answers_match_the_kernel(laptop: &Netns, v: &Value) {
    let entries = v["entries"].as_array().unwrap();
    let ips: Vec<&str> = entries.iter().map(|e| e["ip"].as_str().unwrap()).collect();
    let kernel = connect(laptop, &ips);
    for (e, status) in entries.iter().zip(&kernel) {
        assert_eq!(
            e["answers"],
            *status == "open",
            "{}: the kernel says {status}, bindscope says answers={}\n{v}",
            e["url"],
            e["answers"]
        );
    }
}

/// bindscope's `probe` run on the phone, of the laptop's port 5000.
fn phone_probe(phone: &Netns, http: bool) -> Value {
    let target = format!("{LAPTOP}:5000");
    let mut args = vec!["probe", target.as_str(), "--json"];
    if http {
        args.push("--http");
    }
    phone.bindscope(&args).json()
}

/// `bindscope ARGS` in `ns` with its stdout on a terminal (a pseudo-terminal), so that it
/// writes its human view rather than the piped one; returns what it wrote.
fn on_terminal(ns: &Netns, args: &[&str]) -> String {
    let (master, terminal) = common::pseudo_terminal();
    let mut child = common::command(&prefix(ns))
        .args(["--color", "never"])
        .args(args)
        .stdout(terminal)
        .stderr(Stdio::null())
        .spawn()
        .expect("bindscope runs");
    // The child holds the only terminal end now: its exit ends the reads.
    let chunks = common::chunks_of(master);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut said = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match chunks.recv_timeout(left) {
            Ok(chunk) => said.push_str(&chunk),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("bindscope {args:?} did not finish within 10 s: {said:?}");
            }
        }
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "bindscope {args:?}: {status}\n{said}");
    said.replace("\r\n", "\n")
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn notes(v: &Value) -> Vec<String> {
    common::note_codes(v)
}

#[test]
fn urls_and_the_overview_say_whether_the_server_answers() {
    if !flask::installed() {
        return;
    }
    let Some(Lan { laptop, phone }) = lan("a") else {
        return;
    };
    let started = Instant::now();

    // 1. Nothing on 5000: no server, and no entry claims an answer either way.
    let run = laptop.bindscope(&["urls", "--json"]);
    let v = run.code(0).json();
    assert_eq!(v["server"], Value::Null, "{}", run.context());
    for e in v["entries"].as_array().unwrap() {
        assert_eq!(e["answers"], Value::Null, "{}", run.context());
    }
    assert!(notes(&v).contains(&"server_not_running".into()), "{v}");
    assert_eq!(v["verdict"], "share");
    let v = laptop.bindscope(&["--json"]).code(0).json();
    assert_eq!(v["server"], Value::Null, "{v}");
    assert_eq!(v["recommended_answers"], Value::Null, "{v}");
    assert_eq!(connect(&phone, &[LAPTOP]), ["refused"]);

    // 2. Flask's default host: loopback answers, the network URL does not, and the phone agrees.
    let app = start(&laptop, &["--host", "127.0.0.1", "--no-reload"], &[]);
    let run = laptop.bindscope(&["urls", "--json"]);
    let v = run.code(0).json();
    assert_eq!(
        v["server"]["inferred_bind"],
        "loopback",
        "{}",
        run.context()
    );
    assert_eq!(
        v["server"]["listening_on"],
        serde_json::json!(["127.0.0.1"])
    );
    assert_eq!(v["server"]["debugger_exposed"], false);
    assert_eq!(v["recommended"], NETWORK_URL);
    assert_eq!(entry(&v, NETWORK_URL)["answers"], false, "{v}");
    assert_eq!(entry(&v, LOOPBACK_URL)["answers"], true, "{v}");
    assert_eq!(v["verdict"], "not_answering", "{v}");
    let note = common::find(&v["notes"], "code", "server_loopback_only").expect("the warning");
    assert_eq!(note["warning"], true, "{v}");
    answers_match_the_kernel(&laptop, &v);
    assert_eq!(connect(&phone, &[LAPTOP]), ["refused"]);
    let probe = phone_probe(&phone, false);
    assert_eq!(probe["results"][0]["status"], "refused", "{probe}");
    // No QR code of a URL that does not answer: the line that says so instead.
    let human = on_terminal(&laptop, &["urls", "--qr"]);
    assert!(
        human
            .lines()
            .any(|l| l.trim_start().starts_with("No QR code yet")),
        "{human}"
    );
    assert!(!human.contains("Scan to open"), "{human}");
    assert!(!human.contains('▀') && !human.contains('▄'), "{human}");
    let v = laptop.bindscope(&["--json"]).code(0).json();
    assert_eq!(v["recommended_url"], NETWORK_URL, "{v}");
    assert_eq!(v["recommended_answers"], false, "{v}");
    assert_eq!(v["server"]["inferred_bind"], "loopback", "{v}");
    assert_eq!(v["verdict"], "share", "{v}");
    stop(&laptop, app);

    // 3. 0.0.0.0: the network URL answers, for the phone too.
    let app = start(&laptop, &["--host=0.0.0.0", "--no-reload"], &[]);
    let run = laptop.bindscope(&["urls", "--json"]);
    let v = run.code(0).json();
    assert_eq!(v["server"]["inferred_bind"], "all", "{}", run.context());
    assert_eq!(entry(&v, NETWORK_URL)["answers"], true, "{v}");
    assert_eq!(entry(&v, LOOPBACK_URL)["answers"], true, "{v}");
    assert_eq!(v["verdict"], "serving", "{v}");
    assert!(!notes(&v).contains(&"server_loopback_only".into()), "{v}");
    assert!(!notes(&v).contains(&"server_not_running".into()), "{v}");
    answers_match_the_kernel(&laptop, &v);
    assert_eq!(connect(&phone, &[LAPTOP]), ["open"]);
    let probe = phone_probe(&phone, false);
    assert_eq!(probe["results"][0]["status"], "open", "{probe}");
    let human = on_terminal(&laptop, &["urls", "--qr"]);
    assert!(
        human.contains(&format!("Scan to open {NETWORK_URL}")),
        "{human}"
    );
    assert!(!human.contains("No QR code"), "{human}");
    let v = laptop.bindscope(&["--json"]).code(0).json();
    assert_eq!(v["verdict"], "serving", "{v}");
    assert_eq!(v["recommended_answers"], true, "{v}");
    assert_eq!(v["server"]["inferred_bind"], "all", "{v}");
    stop(&laptop, app);

    eprintln!("urls and overview: {:?}", started.elapsed());
}

#[test]
fn the_debugger_is_danger_only_beyond_loopback() {
    if !flask::installed() {
        return;
    }
    let Some(Lan { laptop, phone }) = lan("b") else {
        return;
    };
    let started = Instant::now();

    // 4. --debug on 0.0.0.0: the phone itself gets the debugger's page, and bindscope says DANGER.
    let app = start(&laptop, &["--host=0.0.0.0", "--debug", "--no-reload"], &[]);
    assert!(
        debugger_answers(&phone, LAPTOP),
        "the phone reaches the debugger"
    );
    let run = laptop.bindscope(&["probe", "-p", "5000", "--json"]);
    let v = run.code(0).json();
    assert_eq!(v["verdict"], "debugger_exposed", "{}", run.context());
    assert!(notes(&v).contains(&"debugger_exposed".into()), "{v}");
    let run = laptop.bindscope(&["listeners", "--json"]);
    let v = run.code(0).json();
    assert_eq!(v["verdict"], "debugger_exposed", "{}", run.context());
    assert!(v["debugger_exposed"].as_u64().unwrap() >= 1, "{v}");
    assert!(notes(&v).contains(&"debugger_exposed".into()), "{v}");
    laptop
        .bindscope(&["listeners", "--fail-on-exposed"])
        .code(1);
    let v = laptop.bindscope(&["port", "5000", "--json"]).json();
    assert_eq!(v["debugger_exposed"], true, "{v}");
    // DANGER first: no URL is offered to share (exit 1).
    let v = laptop.bindscope(&["urls", "--json"]).code(1).json();
    assert_eq!(v["server"]["debugger_exposed"], true, "{v}");
    assert_eq!(v["verdict"], "debugger_exposed", "{v}");
    let v = laptop.bindscope(&["--json"]).json();
    assert_eq!(v["verdict"], "debugger_exposed", "{v}");
    for command in ["probe", "listeners"] {
        let run = laptop.bindscope(&[command]);
        assert!(
            first_line(&run.stdout).starts_with("DANGER"),
            "{}",
            run.context()
        );
        let run = laptop.bindscope(&[command, "--lang", "ko"]);
        assert!(
            first_line(&run.stdout).starts_with("위험"),
            "{}",
            run.context()
        );
    }
    let v = phone_probe(&phone, true);
    assert_eq!(v["verdict"], "debugger_exposed", "{v}");
    assert_eq!(v["results"][0]["status"], "open", "{v}");
    assert_eq!(v["results"][0]["http"]["debugger"], true, "{v}");
    assert!(notes(&v).contains(&"debugger_exposed".into()), "{v}");
    stop(&laptop, app);

    // 5. --debug on 127.0.0.1: the debugger is on, but only this machine reaches it.
    let app = start(
        &laptop,
        &["--host", "127.0.0.1", "--debug", "--no-reload"],
        &[],
    );
    assert!(
        debugger_answers(&laptop, "127.0.0.1"),
        "the debugger is on over loopback"
    );
    assert_eq!(connect(&phone, &[LAPTOP]), ["refused"]);
    let run = laptop.bindscope(&["listeners", "--json"]);
    let v = run.code(0).json();
    assert_ne!(v["verdict"], "debugger_exposed", "{}", run.context());
    assert_eq!(v["debugger_exposed"], 0, "{v}");
    assert!(!notes(&v).contains(&"debugger_exposed".into()), "{v}");
    laptop
        .bindscope(&["listeners", "--fail-on-exposed"])
        .code(0);
    let run = laptop.bindscope(&["probe", "-p", "5000", "--json"]);
    let v = run.json();
    assert_eq!(v["verdict"], "loopback_only", "{}", run.context());
    assert!(!notes(&v).contains(&"debugger_exposed".into()), "{v}");
    let v = laptop.bindscope(&["port", "5000", "--json"]).json();
    assert_eq!(v["debugger_exposed"], false, "{v}");
    for command in ["probe", "listeners"] {
        let run = laptop.bindscope(&[command]);
        assert!(
            !first_line(&run.stdout).starts_with("DANGER"),
            "{}",
            run.context()
        );
    }
    stop(&laptop, app);

    eprintln!("debugger: {:?}", started.elapsed());
}

#[test]
fn flask_debug_in_the_environment() {
    if !flask::installed() {
        return;
    }
    let Some(Lan { laptop, phone }) = lan("c") else {
        return;
    };
    let started = Instant::now();

    // 6. FLASK_DEBUG=1 and no --debug on the command line.
    let app = start(
        &laptop,
        &["--host=0.0.0.0", "--no-reload"],
        &[("FLASK_DEBUG", "1")],
    );
    // Whether the debugger is on is the server's to say: Flask 3.1 under Click 8.4.0 ignores
    // FLASK_DEBUG (pallets/flask#6025, fixed in Click 8.4.1), and then it is off.
    let on = debugger_answers(&phone, LAPTOP);
    if !on {
        eprintln!(
            "note: Flask ignored FLASK_DEBUG=1 here (Click 8.4.0, pallets/flask#6025): \
             the debugger is off, and bindscope must say so"
        );
    }
    let run = laptop.bindscope(&["listeners", "--json"]);
    let v = run.code(0).json();
    // The brief expects debugger_exposed; the server decides (see above).
    let expected = if on { "debugger_exposed" } else { "exposed" };
    assert_eq!(v["verdict"], expected, "{}", run.context());
    assert_eq!(v["debugger_exposed"], u64::from(on), "{v}");
    assert_eq!(notes(&v).contains(&"debugger_exposed".into()), on, "{v}");
    laptop
        .bindscope(&["listeners", "--fail-on-exposed"])
        .code(1);
    let v = laptop.bindscope(&["port", "5000", "--json"]).json();
    assert_eq!(v["debugger_exposed"], on, "{v}");
    let v = phone_probe(&phone, true);
    assert_eq!(v["results"][0]["status"], "open", "{v}");
    assert_eq!(v["results"][0]["http"]["debugger"], on, "{v}");
    stop(&laptop, app);

    // 7. The LAN address only, with --debug but --no-debugger: the command line says debug,
    // the server says no debugger, and the server is right.
    let app = start(
        &laptop,
        &["--host", LAPTOP, "--debug", "--no-debugger", "--no-reload"],
        &[],
    );
    assert!(!debugger_answers(&phone, LAPTOP), "the debugger is off");
    let run = laptop.bindscope(&["listeners", "--json"]);
    let v = run.code(0).json();
    assert_eq!(v["verdict"], "exposed", "{}", run.context());
    assert_eq!(v["debugger_exposed"], 0, "{v}");
    stop(&laptop, app);

    eprintln!("FLASK_DEBUG: {:?}", started.elapsed());
}
