//! "A laptop and a phone on one LAN": two network namespaces joined by a veth pair
//! (10.203.5.1/24 and 10.203.5.2/24). A real Flask app runs on the laptop, bound to
//! 127.0.0.1, then 0.0.0.0 (with its debugger), then the laptop's address; bindscope runs on
//! both sides. A DROP rule makes a firewall. No packet leaves the two namespaces.

mod common;

use std::time::{Duration, Instant};

use common::flask;
use common::netns::Netns;
use common::Run;

const LAPTOP: &str = "10.203.5.1";
const PHONE: &str = "10.203.5.2";

struct Lan {
    laptop: Netns,
    phone: Netns,
}

fn lan() -> Option<Lan> {
    let laptop = Netns::new("laptop")?;
    let phone = Netns::new("phone")?;
    laptop.link(
        "lap0",
        &format!("{LAPTOP}/24"),
        &phone,
        "ph0",
        &format!("{PHONE}/24"),
    );
    // One SYN retry: a dropped connection gives up soon even without bindscope's deadline.
    phone.sysctl("net.ipv4.tcp_syn_retries=1");
    Some(Lan { laptop, phone })
}

fn prefix(ns: &Netns) -> [&str; 4] {
    ["ip", "netns", "exec", ns.name.as_str()]
}

/// Polls (bounded) until the laptop's port 5000 has a listening socket, or none.
fn wait_listening(laptop: &Netns, want: bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = laptop.bindscope(&["port", "5000", "--json"]).json();
        let listening = v["sockets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["state"] == "listen");
        if listening == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "port 5000 did not become {want}: {v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn status(run: &Run) -> String {
    run.json()["results"][0]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_laptop_and_a_phone_on_one_lan() {
    if !flask::installed() {
        return;
    }
    let Some(Lan { laptop, phone }) = lan() else {
        return;
    };
    let target = format!("{LAPTOP}:5000");

    // 1. Flask's default: 127.0.0.1. The laptop sees loopback only; the phone is refused.
    let app = flask::start(
        &prefix(&laptop),
        5000,
        &["--host", "127.0.0.1", "--no-reload"],
    );
    wait_listening(&laptop, true);
    let run = laptop.bindscope(&["probe", "-p", "5000", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["inferred_bind"], "loopback", "{}", run.context());
    assert_eq!(v["reach"], "host");
    assert!(
        v["processes"][0]["name"]
            .as_str()
            .unwrap()
            .starts_with("python"),
        "{v}"
    );
    assert!(common::note_codes(&v).contains(&"loopback_fix".to_string()));
    let human = laptop.bindscope(&["probe"]);
    assert!(
        human.stdout.contains("flask run --host=0.0.0.0"),
        "{}",
        human.context()
    );
    let run = phone.bindscope(&["probe", &target, "--json"]);
    run.code(1);
    assert_eq!(status(&run), "refused", "{}", run.context());
    drop(app);
    wait_listening(&laptop, false);

    // 2. 0.0.0.0 with the debugger on: everyone on the LAN gets in, and bindscope says loudly.
    let app = flask::start(
        &prefix(&laptop),
        5000,
        &["--host", "0.0.0.0", "--debug", "--no-reload"],
    );
    wait_listening(&laptop, true);
    let run = laptop.bindscope(&["probe", "-p", "5000", "--json"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["inferred_bind"], "all", "{}", run.context());
    assert_eq!(v["reach"], "lan");
    // The debugger is on: DANGER, and no URL that invites other devices in.
    assert_eq!(v["verdict"], "debugger_exposed", "{v}");
    assert_eq!(v["url"], serde_json::Value::Null);
    let run = phone.bindscope(&["probe", &target, "--http", "--json"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["results"][0]["status"], "open", "{}", run.context());
    let http = &v["results"][0]["http"];
    assert_eq!(http["status"], 200, "{}", run.context());
    assert_eq!(http["server_kind"], "werkzeug");
    assert!(http["server"].as_str().unwrap().starts_with("Werkzeug/"));
    assert_eq!(http["debugger"], true);
    assert!(
        common::note_codes(&v).contains(&"debugger_exposed".to_string()),
        "{v}"
    );

    // A firewall drops the phone's packets: a timeout, on time.
    laptop_firewall(&laptop, true);
    let started = Instant::now();
    let run = phone.bindscope(&["probe", &target, "--timeout", "1s", "--json"]);
    let took = started.elapsed();
    run.code(1);
    assert_eq!(status(&run), "timeout", "{}", run.context());
    assert!(
        took < Duration::from_millis(1200),
        "a 1 s timeout must return within 1.2 s, took {took:?}"
    );
    laptop_firewall(&laptop, false);
    let run = phone.bindscope(&["probe", &target, "--json"]);
    assert_eq!(status(&run), "open", "the rule is gone\n{}", run.context());
    drop(app);
    wait_listening(&laptop, false);

    // 3. The laptop's address only: one specific bind.
    let app = flask::start(&prefix(&laptop), 5000, &["--host", LAPTOP, "--no-reload"]);
    wait_listening(&laptop, true);
    let v = laptop
        .bindscope(&["probe", "-p", "5000", "--json"])
        .code(0)
        .json();
    assert_eq!(v["inferred_bind"], "specific", "{v}");
    let loopback = common::find(&v["results"], "ip", "127.0.0.1").unwrap();
    assert_eq!(loopback["status"], "refused");
    let run = phone.bindscope(&["probe", &target, "--json"]);
    assert_eq!(status(&run), "open", "{}", run.context());
    drop(app);

    // 4. An address with no route from the phone: unreachable, at once.
    let started = Instant::now();
    let run = phone.bindscope(&["probe", "10.203.99.1:5000", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(
        v["results"][0]["status"],
        "unreachable",
        "{}",
        run.context()
    );
    assert_eq!(v["results"][0]["unreachable"], "network");
    assert!(started.elapsed() < Duration::from_millis(500));

    // 5. The beacon on the laptop answers the phone: who it is, what it reached, through what.
    let mut beacon = common::command(&prefix(&laptop))
        .args(["serve", "-p", "8000", "--for", "20s"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve starts");
    let page = fetch_from(&phone, &format!("http://{LAPTOP}:8000/"));
    let _ = beacon.kill();
    let _ = beacon.wait();
    assert!(page.contains(&format!("You are {PHONE}.")), "{page}");
    assert!(
        page.contains(&format!("You reached {LAPTOP} on port 8000, through lap0.")),
        "{page}"
    );
    assert!(page.contains("0.0.0.0"), "{page}");
}

/// An nftables table in the laptop's namespace that drops TCP to port 5000, or its removal.
fn laptop_firewall(laptop: &Netns, on: bool) {
    let script = if on {
        "add table inet bindscope_test\n\
         add chain inet bindscope_test input { type filter hook input priority 0 ; }\n\
         add rule inet bindscope_test input tcp dport 5000 drop\n"
    } else {
        "delete table inet bindscope_test\n"
    };
    let path = std::env::temp_dir().join(format!("bindscope-nft-{}", std::process::id()));
    std::fs::write(&path, script).unwrap();
    let out = laptop.exec(&["nft", "-f", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "nft: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// GET `url` from inside a namespace (Python's urllib), retrying (bounded) until the server
/// is up.
fn fetch_from(ns: &Netns, url: &str) -> String {
    let script = "import sys, time, urllib.request\n\
                  for _ in range(100):\n\
                  \x20   try:\n\
                  \x20       print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode()); break\n\
                  \x20   except OSError:\n\
                  \x20       time.sleep(0.05)\n";
    let out = ns.exec(&["python3", "-c", script, url]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The lesson in a namespace whose answers are known: 127.0.0.1 answers on loopback only,
/// 0.0.0.0 on every IPv4 address, the LAN address on itself.
#[test]
fn the_lab_observes_what_the_tables_say() {
    let Some(ns) = Netns::new("lab") else { return };
    ns.add_lan("10.203.6.2/24", "fd42:203:6::2/64", "10.203.6.1");
    let run = ns.bindscope(&["lab", "--json"]);
    let v = run.code(0).json();
    let steps = v["steps"].as_array().unwrap();
    let seen: Vec<(&str, &str, &str)> = steps
        .iter()
        .map(|s| {
            (
                s["bind"].as_str().unwrap(),
                s["inferred_bind"].as_str().unwrap(),
                s["reach"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("127.0.0.1", "loopback", "host"),
            ("0.0.0.0", "all", "lan"),
            ("10.203.6.2", "specific", "lan"),
        ],
        "{}",
        run.context()
    );
    let kinds: Vec<&str> = common::strings(&v["comparison"], "kind");
    assert_eq!(kinds, ["loopback", "all", "lan"]);
    // Nothing stays bound after the lesson.
    let after = ns.bindscope(&["listeners", "--json"]).json();
    assert!(after["listeners"].as_array().unwrap().is_empty(), "{after}");
}
