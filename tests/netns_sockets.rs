//! The socket table checked against `ss`, in a network namespace the test builds: a LAN link
//! and a known set of listeners (IPv4, IPv6, dual-stack, v6only, UDP). No packet is sent.

mod common;

use std::collections::BTreeSet;

use common::hold;
use common::netns::Netns;
use serde_json::Value;

/// proto, address, port, and for `::` whether it is dual-stack.
type Entry = (String, String, u16, Option<bool>);

fn namespace(tag: &str) -> Option<Netns> {
    let ns = Netns::new(tag)?;
    ns.add_lan("10.203.8.2/24", "fd42:203:8::2/64", "10.203.8.1");
    Some(ns)
}

/// `ss -ltnuHe`: `*:P` is a dual-stack `::`, `[::]:P` a v6-only one.
fn from_ss(ns: &Netns) -> BTreeSet<Entry> {
    let out = ns.exec(&["ss", "-ltnuHe"]);
    assert!(out.status.success(), "ss runs: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (addr, port) = f[4].rsplit_once(':').expect("address:port");
            let port: u16 = port.parse().expect("a port");
            let v6only = line
                .split_whitespace()
                .find_map(|t| t.strip_prefix("v6only:"))
                .map(|v| v == "1");
            let (ip, dual) = match addr {
                "*" => ("::".to_string(), Some(true)),
                "[::]" => ("::".to_string(), Some(v6only == Some(false))),
                other => (other.trim_matches(['[', ']']).to_string(), None),
            };
            (f[0].to_string(), ip, port, dual)
        })
        .collect()
}

fn from_bindscope(v: &Value) -> BTreeSet<Entry> {
    v["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["proto"].as_str().unwrap().to_string(),
                l["ip"].as_str().unwrap().to_string(),
                l["port"].as_u64().unwrap() as u16,
                l["dual_stack"].as_bool(),
            )
        })
        .collect()
}

#[test]
fn listeners_agree_with_ss() {
    let Some(ns) = namespace("ss") else { return };
    let prefix = ["ip", "netns", "exec", ns.name.as_str()];
    let held = hold(
        &prefix,
        &[
            "tcp,127.0.0.1,7001",
            "tcp,0.0.0.0,7002",
            "tcp,::1,7003",
            "tcp,::,7004,v6only=0",
            "tcp,::,7005,v6only=1",
            "udp,0.0.0.0,7006",
            "udp,::1,7007",
            "udp,::,7008,v6only=0",
            "tcp,10.203.8.2,7009",
            "tcp,fd42:203:8::2,7010",
        ],
    );
    let run = ns.bindscope(&["listeners", "--json"]);
    let v = run.code(0).json();
    let ours = from_bindscope(&v);
    let theirs = from_ss(&ns);
    assert_eq!(ours, theirs, "bindscope and ss disagree\n{}", run.context());
    assert_eq!(ours.len(), 10);

    // Every row names the helper, and each reach follows its bind.
    let reach = |port: u16| {
        v["listeners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["port"] == port)
            .map(|l| {
                assert_eq!(l["processes"][0]["pid"], held.pid(), "{l}");
                l["reach"].as_str().unwrap().to_string()
            })
            .unwrap()
    };
    for (port, expected) in [
        (7001, "host"),
        (7002, "lan"),
        (7003, "host"),
        (7004, "lan"),
        (7005, "lan"),
        (7006, "lan"),
        (7007, "host"),
        (7008, "lan"),
        (7009, "lan"),
        (7010, "lan"),
    ] {
        assert_eq!(reach(port), expected, "port {port}");
    }
    // Riskiest first.
    let first_host = v["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .position(|l| l["reach"] == "host")
        .unwrap();
    assert!(v["listeners"].as_array().unwrap()[first_host..]
        .iter()
        .all(|l| l["reach"] == "host"));
    assert_eq!(v["exposed"], 7);

    // An audit fails on exposure and passes without it.
    ns.bindscope(&["listeners", "--fail-on-exposed"]).code(1);
    let exposed = ns
        .bindscope(&["listeners", "--exposed", "--json"])
        .code(0)
        .json();
    assert_eq!(exposed["listeners"].as_array().unwrap().len(), 7);
    drop(held);
    let quiet = Netns::new("ss-lo").expect("namespaces work here");
    let only_lo = hold(
        &["ip", "netns", "exec", quiet.name.as_str()],
        &["tcp,127.0.0.1,7001", "udp,::1,7002"],
    );
    quiet.bindscope(&["listeners", "--fail-on-exposed"]).code(0);
    drop(only_lo);
}

#[test]
fn port_rules_as_linux_applies_them() {
    let Some(ns) = namespace("rules") else { return };
    let prefix = ["ip", "netns", "exec", ns.name.as_str()];
    let bind_results = |port: u16| -> Vec<(String, bool)> {
        let v = ns.bindscope(&["port", &port.to_string(), "--json"]).json();
        v["bind_test"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["host"].as_str().unwrap().to_string(),
                    t["ok"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let _held = hold(
        &prefix,
        &[
            "tcp,127.0.0.1,7101",
            "tcp,::,7102,v6only=0",
            "tcp,::,7103,v6only=1",
            "tcp,::1,7104",
        ],
    );
    let r = |h: &str, ok: bool| (h.to_string(), ok);
    // A listening 127.0.0.1:P blocks 0.0.0.0:P, and a dual-stack :: needs IPv4 too.
    assert_eq!(
        bind_results(7101),
        [r("127.0.0.1", false), r("0.0.0.0", false), r("::", false)]
    );
    // A dual-stack [::]:P holds the IPv4 port as well.
    assert_eq!(
        bind_results(7102),
        [r("127.0.0.1", false), r("0.0.0.0", false), r("::", false)]
    );
    // A v6-only [::]:P leaves IPv4 free.
    assert_eq!(
        bind_results(7103),
        [r("127.0.0.1", true), r("0.0.0.0", true), r("::", false)]
    );
    // [::1]:P and 127.0.0.1:P coexist.
    assert_eq!(
        bind_results(7104),
        [r("127.0.0.1", true), r("0.0.0.0", true), r("::", false)]
    );
    let v = ns.bindscope(&["port", "7102", "--json"]).json();
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "conflict" && n["message"].as_str().unwrap().contains("dual-stack")));
}
