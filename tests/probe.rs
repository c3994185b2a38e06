//! `probe` of a machine's own addresses, against sockets the test holds. A probe of this
//! machine connects to every address it has, so those tests run in a namespace of their own
//! (lo and a veth with 10.203.9.x): no connection ever goes to the host's real addresses.

mod common;

use common::netns::Netns;
use common::{bindscope, free_port, hold, Held};
use serde_json::Value;

/// A namespace with loopback and one LAN link, standing in for a laptop.
fn laptop(tag: &str) -> Option<Netns> {
    let ns = Netns::new(tag)?;
    ns.add_lan("10.203.9.2/24", "fd42:203:9::2/64", "10.203.9.1");
    Some(ns)
}

fn hold_in(ns: &Netns, sockets: &[&str]) -> Held {
    hold(&["ip", "netns", "exec", &ns.name], sockets)
}

fn result<'a>(v: &'a Value, ip: &str) -> &'a Value {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ip"] == ip)
        .unwrap_or_else(|| panic!("{ip} was probed: {v}"))
}

#[test]
fn a_loopback_server_is_found_named_and_told_how_to_open_up() {
    let Some(ns) = laptop("probe-lo") else { return };
    let held = hold_in(&ns, &["tcp,127.0.0.1,0"]);
    let port = held.port(0).to_string();
    let run = ns.bindscope(&["probe", "-p", &port, "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["command"], "probe");
    assert_eq!(v["inferred_bind"], "loopback", "{}", run.context());
    assert_eq!(v["reach"], "host");
    assert_eq!(result(&v, "127.0.0.1")["status"], "open");
    assert_eq!(result(&v, "10.203.9.2")["status"], "refused");
    assert!(result(&v, "127.0.0.1")["elapsed_ms"].is_u64());
    assert_eq!(v["processes"][0]["pid"], held.pid());
    assert_eq!(v["listening_on"], serde_json::json!(["127.0.0.1"]));
    let codes: Vec<&str> = common::strings(&v["notes"], "code");
    assert!(
        codes.contains(&"loopback_fix") && codes.contains(&"self_test_only"),
        "{codes:?}"
    );
}

#[test]
fn nothing_listening_is_said_plainly() {
    let Some(ns) = laptop("probe-none") else {
        return;
    };
    let run = ns.bindscope(&["check", "-p", "5000", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["inferred_bind"], "none");
    assert_eq!(v["reach"], "none");
    for ip in ["127.0.0.1", "::1", "10.203.9.2", "fd42:203:9::2"] {
        assert_eq!(result(&v, ip)["status"], "refused", "{ip}");
    }
    assert_eq!(v["notes"][0]["code"], "nothing_listens");
}

#[test]
fn localhost_split_between_two_programs_is_caught() {
    let Some(ns) = laptop("probe-split") else {
        return;
    };
    let v4 = hold_in(&ns, &["tcp,127.0.0.1,0"]);
    let port = v4.port(0);
    let v6 = hold_in(&ns, &[&format!("tcp,::1,{port}")]);
    let v = ns
        .bindscope(&["probe", "-p", &port.to_string(), "--json"])
        .json();
    let split = common::find(&v["notes"], "code", "split_localhost").expect("the split is named");
    let message = split["message"].as_str().unwrap();
    assert!(
        message.contains(&v4.pid().to_string()) && message.contains(&v6.pid().to_string()),
        "{message}"
    );
}

#[test]
fn a_target_probe_reports_each_port_and_what_it_means() {
    let held = hold(&[], &["tcp,127.0.0.1,0"]);
    let open = held.port(0);
    let closed = free_port();
    let ports = format!("{open},{closed}");
    let run = bindscope(&["probe", "127.0.0.1", "-p", &ports, "--json"]);
    let v = run.code(0).json();
    let statuses: Vec<(u64, &str)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["port"].as_u64().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        vec![(u64::from(open), "open"), (u64::from(closed), "refused")]
    );
    assert!(v["results"][1]["meaning"]
        .as_str()
        .unwrap()
        .contains("nothing listens"));
    // The lookup stays inside a namespace with resolver files of its own.
    if let Some(ns) = common::netns::Netns::with_own_resolver("resolve") {
        let run = ns.bindscope(&["probe", "nowhere.invalid:80", "--json"]);
        run.code(1);
        assert_eq!(run.json()["results"][0]["status"], "unresolved");
    }
    let human = bindscope(&[
        "--lang",
        "ko",
        "probe",
        &format!("http://127.0.0.1:{closed}/"),
    ]);
    assert!(human.stdout.contains("거부됨"), "{}", human.context());
}
