//! listeners, port and free against real sockets held by processes this test starts.
//! Everything binds on loopback; nothing is sent anywhere.

mod common;

use common::{bindscope, free_port, hold};
use serde_json::Value;

fn rows_on(v: &Value, key: &str, port: u16) -> Vec<Value> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["port"] == port)
        .cloned()
        .collect()
}

fn pids(row: &Value) -> Vec<u64> {
    row["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pid"].as_u64().unwrap())
        .collect()
}

#[test]
fn listeners_names_the_owner_and_the_reach_of_each_socket() {
    let held = hold(&[], &["tcp,127.0.0.1,0", "udp,127.0.0.1,0"]);
    let (tcp, udp) = (held.port(0), held.port(1));
    let run = bindscope(&["listeners", "--json"]);
    let v = run.code(0).json();
    assert_eq!(v["command"], "listeners");
    let row = &rows_on(&v, "listeners", tcp)[0];
    assert_eq!(row["proto"], "tcp");
    assert_eq!(row["ip"], "127.0.0.1");
    assert_eq!(row["state"], "listen");
    assert_eq!(row["reach"], "host");
    assert_eq!(row["exposed"], false);
    assert_eq!(pids(row), vec![u64::from(held.pid())], "{}", run.context());
    let owners = common::owners(&v, row);
    assert_eq!(owners[0]["name"], "python3");
    assert!(owners[0]["user"].is_string());
    let row = rows_on(&v, "listeners", udp)
        .into_iter()
        .find(|r| r["proto"] == "udp")
        .expect("the UDP socket is listed");
    assert_eq!(row["state"], "unconn");
    assert_eq!(pids(&row), vec![u64::from(held.pid())]);

    // Loopback is not exposed, so --exposed leaves it out; --tcp leaves out UDP.
    let v = bindscope(&["listeners", "--exposed", "--json"])
        .code(0)
        .json();
    assert!(rows_on(&v, "listeners", tcp).is_empty());
    let v = bindscope(&["ls", "--tcp", "--json"]).code(0).json();
    assert!(v["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["proto"] == "tcp"));
    // Riskiest first.
    let reaches: Vec<&str> = common::strings(&v["listeners"], "reach");
    let rank = |r: &str| {
        ["none", "host", "link", "lan", "internet"]
            .iter()
            .position(|x| *x == r)
    };
    assert!(
        reaches.windows(2).all(|w| rank(w[0]) >= rank(w[1])),
        "{reaches:?}"
    );

    let human = bindscope(&["listeners"]);
    assert!(
        human.stdout.contains(&format!("python3 ({})", held.pid())),
        "{}",
        human.context()
    );
}

#[test]
fn port_explains_a_taken_port_and_suggests_free_ones() {
    let held = hold(&[], &["tcp,127.0.0.1,0"]);
    let port = held.port(0);
    let p = port.to_string();
    let run = bindscope(&["port", &p, "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["command"], "port");
    assert_eq!(v["port"], port);
    assert_eq!(v["free"], false);
    // The port may also be the source port of another test's connection, still in TIME_WAIT
    // on another loopback address (the kernel lends a port per address): only listeners here.
    let sockets: Vec<&serde_json::Value> = v["sockets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] == "listen")
        .collect();
    assert_eq!(sockets.len(), 1, "{}", run.context());
    assert_eq!(pids(sockets[0]), vec![u64::from(held.pid())]);
    let tests: Vec<(&str, bool, &str)> = v["bind_test"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["host"].as_str().unwrap(),
                t["ok"].as_bool().unwrap(),
                t["error"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        &tests[..2],
        [("127.0.0.1", false, "in_use"), ("0.0.0.0", false, "in_use")]
    );
    // Linux's rule, named: the wildcard cannot share a port with a specific address.
    let conflicts: Vec<&Value> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "conflict")
        .collect();
    assert!(
        conflicts.iter().any(|n| n["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("0.0.0.0:{port} fails"))),
        "{}",
        run.context()
    );
    let suggestions: Vec<u16> = v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap() as u16)
        .collect();
    assert_eq!(suggestions.len(), 3);
    for s in &suggestions {
        assert_ne!(*s, port);
        assert!(s.abs_diff(port) <= 50, "near: {s}");
    }
    assert!(v["class"].is_string());
    assert!(v["in_ephemeral_range"].is_boolean());

    let free = free_port();
    let v = bindscope(&["who", &free.to_string(), "--json"])
        .code(0)
        .json();
    assert_eq!(v["free"], true);
    assert!(v["suggestions"].as_array().unwrap().is_empty());
    let v = bindscope(&["port", "5000", "--json"]).json();
    assert_eq!(v["service"]["id"], "flask");
    let v = bindscope(&["port", "80", "--json"]).json();
    assert_eq!(v["class"], "well_known");
}

#[test]
fn free_ports_really_bind() {
    let v = bindscope(&["free", "-n", "3", "--range", "20000-20999", "--json"])
        .code(0)
        .json();
    let ports: Vec<u16> = v["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap() as u16)
        .collect();
    assert_eq!(ports.len(), 3);
    for port in &ports {
        assert!((20000..=20999).contains(port));
        std::net::TcpListener::bind(("127.0.0.1", *port)).expect("the port is free");
        std::net::TcpListener::bind(("0.0.0.0", *port)).expect("on the wildcard too");
    }
    // A port held by the test is skipped.
    let held = hold(&[], &["tcp,0.0.0.0,0"]);
    let taken = held.port(0).to_string();
    let run = bindscope(&["free", "--near", &taken]);
    let got: u16 = run
        .code(0)
        .stdout
        .trim()
        .parse()
        .expect("a bare number when piped");
    assert_ne!(got, held.port(0));
    assert!(got.abs_diff(held.port(0)) <= 5);
    // A range with nothing free in it: exit 1, no ports.
    let range = format!("{taken}-{taken}");
    let run = bindscope(&["free", "--range", &range, "--json"]);
    run.code(1);
    assert!(run.json()["ports"].as_array().unwrap().is_empty());
}
