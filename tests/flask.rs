//! A real Flask app, run with Werkzeug's reloader: two python processes hold one socket.
//! bindscope must name both on one row, say which is the parent, and stop them.

mod common;

use std::time::{Duration, Instant};

use common::flask::{installed as flask_installed, start};
use common::{bindscope, free_port};
use serde_json::Value;

/// Polls `port --json` (bounded) until the port's listening socket has `holders` processes.
fn wait_for_holders(port: u16, holders: usize) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = bindscope(&["port", &port.to_string(), "--json"]).json();
        let listening = common::find(&v["sockets"], "state", "listen").cloned();
        if let Some(s) = listening {
            if s["processes"].as_array().unwrap().len() == holders {
                return v;
            }
        }
        assert!(
            Instant::now() < deadline,
            "Flask did not come up on {port}: {v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn flask_with_its_reloader_two_pids_one_socket() {
    if !flask_installed() {
        return;
    }
    let port = free_port();
    let flask = start(&[], port, &["--reload"]);
    let v = wait_for_holders(port, 2);

    let listening: Vec<&Value> = v["sockets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] == "listen")
        .collect();
    assert_eq!(listening.len(), 1, "one socket: {v}");
    let processes = common::owners(&v, listening[0]);
    let parent = flask.leader.id();
    let child = processes
        .iter()
        .find(|p| p["ppid"] == parent)
        .expect("the reloader's child holds the socket too");
    assert!(
        processes.iter().any(|p| p["pid"] == parent),
        "the parent is named: {v}"
    );
    for p in &processes {
        assert!(p["name"].as_str().unwrap().starts_with("python"), "{p}");
    }
    let note = common::find(&v["notes"], "code", "reloader").expect("the reloader is recognised");
    let message = note["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("pid {parent} watches")),
        "{message}"
    );
    assert!(
        message.contains(&format!("restarts pid {}", child["pid"])),
        "{message}"
    );
    assert_eq!(listening[0]["ip"], "127.0.0.1");
    assert_eq!(
        listening[0]["reach"], "host",
        "flask run binds 127.0.0.1 by default"
    );

    // --kill stops both, the parent first, and frees the port.
    let run = bindscope(&["port", &port.to_string(), "--kill", "--yes", "--json"]);
    let v = run.code(0).json();
    let order: Vec<&Value> = v["kill"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["pid"])
        .collect();
    assert_eq!(order[0], parent, "{}", run.context());
    assert_eq!(order.len(), 2);
    assert_eq!(v["kill"]["freed"], true);
    drop(flask);
}

#[test]
fn flask_on_all_interfaces_is_exposed() {
    if !flask_installed() {
        return;
    }
    let port = free_port();
    let _flask = start(&[], port, &["--host", "0.0.0.0", "--no-reload"]);
    let v = wait_for_holders(port, 1);
    let socket = common::find(&v["sockets"], "state", "listen")
        .unwrap()
        .clone();
    assert_eq!(socket["ip"], "0.0.0.0");
    let listeners = bindscope(&["listeners", "--json"]).json();
    let row = listeners["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["port"] == port)
        .expect("Flask's socket is listed");
    assert_eq!(row["ip"], "0.0.0.0");
    // Who reaches it depends on this machine's interfaces: exactly what expose says of 0.0.0.0.
    let expose = bindscope(&["expose", "0.0.0.0", "--json"]).json();
    assert_eq!(row["reach"], expose["reach"]);
}

#[test]
fn probe_http_names_werkzeug_and_keeps_quiet_on_loopback() {
    if !flask_installed() {
        return;
    }
    let port = free_port();
    let _flask = start(&[], port, &["--no-reload"]);
    wait_for_holders(port, 1);
    let target = format!("127.0.0.1:{port}");
    let run = bindscope(&["probe", &target, "--http", "--json"]);
    let v = run.code(0).json();
    let http = &v["results"][0]["http"];
    assert_eq!(http["server_kind"], "werkzeug", "{}", run.context());
    assert_eq!(http["status"], 200);
    assert_eq!(http["debugger"], false, "flask run without --debug");
    assert!(
        v["notes"].as_array().unwrap().is_empty(),
        "loopback is where a dev server belongs: {v}"
    );
}
