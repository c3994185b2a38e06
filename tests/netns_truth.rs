#![cfg(unix)]
//! The kernel is the judge: for each rule of who can reach a server, a real server (Python's
//! socket, with the options servers set) is bound in a namespace, every address is connected to
//! from inside and from a peer namespace that routes to them, and bindscope's `expose`,
//! `probe`, `listeners` and `port` must say what happened. Each rule is checked where it
//! applies and where it does not.
//!
//! The server namespace has `lan0` (10.203.40.1/24, fd40::1/64) joined to the peer
//! (10.203.40.2/24, fd40::2/64), a down veth `d2` (10.203.41.1/24, fd41::1/64), 10.203.42.1/32 on `lo`, a
//! bridge `br0` with no ports (172.30.0.1/16), and fd40::9, which the peer already has. The
//! peer routes 10.203.41.0/24, fd41::/64, 10.203.42.1, 172.30.0.0/16 and 127.0.0.5 through the
//! server.
//! No packet leaves the two namespaces.
#![cfg(unix)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::netns::Netns;
use common::real::{connect, serve};
use serde_json::Value;

const SERVER: &str = "10.203.40.1";
const PEER: &str = "10.203.40.2";
const DOWN: &str = "10.203.41.1";
/// Added with `nodad` while d2 is down: usable at once.
const DOWN6: &str = "fd41::1";
const ON_LO: &str = "10.203.42.1";
const BRIDGE: &str = "172.30.0.1";
const DAD_FAILED: &str = "fd40::9";

struct Lab {
    server: Netns,
    peer: Netns,
}

/// The two namespaces, wired as the header says.
fn lab() -> Option<Lab> {
    let server = Netns::new("truth")?;
    let peer = Netns::new("tpeer")?;
    server.link(
        "lan0",
        &format!("{SERVER}/24"),
        &peer,
        "peer0",
        &format!("{PEER}/24"),
    );
    server.ip(&["-6", "addr", "add", "fd40::1/64", "dev", "lan0", "nodad"]);
    // The peer has fd40::9 first: when the server adds it, duplicate address detection fails.
    peer.ip(&["-6", "addr", "add", "fd40::9/64", "dev", "peer0", "nodad"]);
    // Added after it, fd40::2 is the peer's source towards fd40::1 (Linux prefers the newest
    // of equal addresses): from fd40::9 the server could never answer, its own copy of that
    // address being the one that failed.
    peer.ip(&["-6", "addr", "add", "fd40::2/64", "dev", "peer0", "nodad"]);
    // A down interface (a veth whose ends stay down), an address on lo, an empty bridge.
    server.ip(&["link", "add", "d2", "type", "veth", "peer", "name", "d2p"]);
    server.ip(&["addr", "add", &format!("{DOWN}/24"), "dev", "d2"]);
    server.ip(&[
        "-6",
        "addr",
        "add",
        &format!("{DOWN6}/64"),
        "dev",
        "d2",
        "nodad",
    ]);
    server.ip(&["addr", "add", &format!("{ON_LO}/32"), "dev", "lo"]);
    server.ip(&["link", "add", "br0", "type", "bridge"]);
    server.ip(&["addr", "add", &format!("{BRIDGE}/16"), "dev", "br0"]);
    server.ip(&["link", "set", "br0", "up"]);
    for net in [
        "10.203.41.0/24",
        "10.203.42.1/32",
        "172.30.0.0/16",
        "127.0.0.5/32",
    ] {
        peer.ip(&["route", "add", net, "via", SERVER]);
    }
    peer.ip(&["-6", "route", "add", "fd41::/64", "via", "fd40::1"]);
    peer.sysctl("net.ipv4.tcp_syn_retries=1");
    server.sysctl("net.ipv4.tcp_syn_retries=1");
    server.ip(&[
        "-6",
        "addr",
        "add",
        &format!("{DAD_FAILED}/64"),
        "dev",
        "lan0",
    ]);
    wait_for(
        &server,
        "fd40::9 to fail duplicate address detection",
        |ns| ip_out(ns, &["-6", "addr", "show", "dev", "lan0"]).contains("dadfailed"),
    );
    Some(Lab { server, peer })
}

fn ip_out(ns: &Netns, args: &[&str]) -> String {
    let out = Command::new("ip")
        .args(["-n", &ns.name])
        .args(args)
        .output()
        .expect("ip runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Polls `done` (bounded: 10 s) until it holds.
fn wait_for(ns: &Netns, what: &str, done: impl Fn(&Netns) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(ns) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn to(ip: &str, port: u16) -> String {
    format!("{ip} {port}")
}

/// The kernel's answer to one connection.
fn one(ns: &Netns, ip: &str, port: u16) -> String {
    connect(ns, &[to(ip, port)]).remove(0)
}

fn json(ns: &Netns, args: &[&str]) -> Value {
    ns.bindscope(args).json()
}

/// `(ip, reach, routed_only)` of every address `expose` lists.
fn listens_on(v: &Value) -> Vec<(String, String, bool)> {
    v["listens_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["ip"].as_str().unwrap().to_string(),
                l["reach"].as_str().unwrap().to_string(),
                l["routed_only"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn listed<'a>(v: &'a [(String, String, bool)], ip: &str) -> Option<&'a (String, String, bool)> {
    v.iter().find(|(i, _, _)| i == ip)
}

/// The probe result for `ip`.
fn probed<'a>(v: &'a Value, ip: &str) -> Option<&'a Value> {
    common::find(&v["results"], "ip", ip)
}

/// The listening socket on `port` in `listeners --json`.
fn socket_on(v: &Value, port: u16) -> Value {
    v["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["port"] == port)
        .cloned()
        .unwrap_or_else(|| panic!("no listener on {port}: {v}"))
}

#[test]
fn every_reach_rule_agrees_with_real_connections() {
    let Some(Lab { server, peer }) = lab() else {
        return;
    };
    down_interfaces(&server, &peer);
    weak_host_and_martians(&server, &peer);
    tied_to_an_interface(&server, &peer);
    duplicate_address_detection(&server, &peer);
    loopback_edges(&server);
    sockets_on_unlisted_addresses(&server);
    bound_but_not_listening(&server);
    names_that_are_not_utf8(&server, &peer);
}

/// Rule 1: an address on a down interface keeps its local route: this machine and a peer that
/// routes to it connect. The LAN link's address, on a live link, is reached directly.
fn down_interfaces(server: &Netns, peer: &Netns) {
    let _s = serve(server, DOWN, 7040, &[]).expect("a bind on a down interface succeeds");
    assert_eq!(one(server, DOWN, 7040), "open");
    assert_eq!(one(peer, DOWN, 7040), "open");
    let v = json(server, &["expose", DOWN, "-p", "7040", "--json"]);
    assert_eq!(
        listens_on(&v),
        vec![(DOWN.to_string(), "lan".to_string(), true)],
        "{v}"
    );
    assert_eq!(v["routed_network"], "10.203.41.0/24");
    assert!(common::note_codes(&v).contains(&"routed_only".to_string()));
    let p = json(server, &["probe", "-p", "7040", "--json"]);
    assert_eq!(probed(&p, DOWN).unwrap()["status"], "open", "{p}");
    assert_ne!(p["verdict"], "nothing_answers");
    let l = json(server, &["listeners", "--json"]);
    assert_eq!(socket_on(&l, 7040)["exposed"], true, "the peer got in");
    server
        .bindscope(&["listeners", "--fail-on-exposed", "--json"])
        .code(1);

    // The same for IPv6, added with nodad while down.
    let _s6 = serve(server, DOWN6, 7043, &[]).expect("a nodad address binds while down");
    assert_eq!(one(peer, DOWN6, 7043), "open");
    let v = json(server, &["expose", DOWN6, "-p", "7043", "--json"]);
    assert_eq!(
        listens_on(&v),
        vec![(DOWN6.to_string(), "lan".to_string(), true)],
        "{v}"
    );

    // Where it does not apply: the live link's address, reached directly.
    let _s = serve(server, SERVER, 7041, &[]).unwrap();
    assert_eq!(one(peer, SERVER, 7041), "open");
    // A server on the LAN address only does not answer on 127.0.0.1, and both say so.
    assert_eq!(one(server, "127.0.0.1", 7041), "refused");
    let p = json(server, &["probe", "-p", "7041", "--json"]);
    assert_eq!(probed(&p, "127.0.0.1").unwrap()["status"], "refused");
    assert!(
        common::note_codes(&p).contains(&"not_on_localhost".to_string()),
        "{p}"
    );
    let v = json(server, &["expose", SERVER, "-p", "7041", "--json"]);
    assert_eq!(
        listens_on(&v),
        vec![(SERVER.to_string(), "lan".to_string(), false)]
    );
    assert_eq!(v["routed_network"], Value::Null);
    assert!(common::note_codes(&v).contains(&"not_on_localhost".to_string()));

    // expose --try that fails says so first, naming what holds the port.
    let _lo = serve(server, "127.0.0.1", 7042, &[]).unwrap();
    let tried = server.bindscope(&["expose", "0.0.0.0", "-p", "7042", "--try", "--json"]);
    tried.code(1);
    let v = tried.json();
    assert_eq!(v["verdict"], "bind_fails_now", "{v}");
    assert_eq!(v["blocked_by"]["socket"], "127.0.0.1:7042");
    assert!(v["blocked_by"]["process"]
        .as_str()
        .unwrap()
        .starts_with("python"));
    let human = server.bindscope(&["expose", "0.0.0.0", "-p", "7042", "--try"]);
    let first = human.stdout.lines().next().unwrap_or_default().to_string();
    assert!(
        first.contains("cannot be bound now") && first.contains("127.0.0.1:7042"),
        "{}",
        human.context()
    );

    // urls --host tells the truth: loopback has no network URL, an absent address no URL.
    for host in ["127.0.0.1", "localhost"] {
        let run = server.bindscope(&["urls", "--host", host, "--json"]);
        run.code(1);
        let v = run.json();
        assert_eq!(v["verdict"], "loopback_bind", "{host}: {v}");
        assert!(common::note_codes(&v).contains(&"no_network_url".to_string()));
    }
    let run = server.bindscope(&["urls", "--host", "10.203.40.99", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["verdict"], "not_local", "{v}");
    assert!(common::note_codes(&v).contains(&"not_local".to_string()));
}

/// Rule 3: Linux accepts packets for any of its addresses on any interface (an address on `lo`,
/// a bridge with no ports), but never 127/8 from outside.
fn weak_host_and_martians(server: &Netns, peer: &Netns) {
    let _s = serve(server, "0.0.0.0", 7062, &[]).unwrap();
    let kernel = connect(
        peer,
        &[to(ON_LO, 7062), to(BRIDGE, 7062), to("127.0.0.5", 7062)],
    );
    assert_eq!(kernel, ["open", "open", "timeout"], "the kernel's answers");
    let v = json(server, &["expose", "0.0.0.0", "-p", "7062", "--json"]);
    let on = listens_on(&v);
    for ip in [ON_LO, BRIDGE] {
        let (_, reach, routed) = listed(&on, ip).unwrap_or_else(|| panic!("{ip} in {on:?}"));
        assert_eq!((reach.as_str(), *routed), ("lan", true), "{ip}: {v}");
    }
    // The address on lo is not loopback.
    let lo = json(server, &["expose", ON_LO, "-p", "7062", "--json"]);
    assert_ne!(lo["kind"], "loopback", "{lo}");
    assert!(!common::note_codes(&lo).contains(&"loopback_only".to_string()));
    // 127.0.0.5 answered only from inside: this machine only.
    assert_eq!(one(server, "127.0.0.5", 7062), "open");
    let loopback = json(server, &["expose", "127.0.0.5", "-p", "7062", "--json"]);
    assert_eq!(
        listens_on(&loopback),
        vec![("127.0.0.5".to_string(), "host".to_string(), false)]
    );
    // Who can reach it and whether it is a URL for the phone are two answers.
    let urls = json(server, &["urls", "-p", "7062", "--all", "--json"]);
    let entry = common::find(&urls["entries"], "ip", BRIDGE).unwrap();
    assert_eq!(entry["scope"], "other", "{urls}");
    assert_eq!(entry["answers"], true);
    assert_eq!(urls["recommended"], format!("http://{SERVER}:7062"));
}

/// Rule 4: SO_BINDTODEVICE. Tied to `lo`, a wildcard socket takes 127.0.0.1 only, from inside,
/// and is not exposed; tied to `lan0`, it takes lan0's address from inside and the peer.
fn tied_to_an_interface(server: &Netns, peer: &Netns) {
    {
        let _s = serve(server, "0.0.0.0", 7000, &["device=lo"]).unwrap();
        let inside = connect(server, &[to("127.0.0.1", 7000), to(SERVER, 7000)]);
        assert_eq!(inside, ["open", "refused"]);
        assert_eq!(one(peer, SERVER, 7000), "refused");
        let l = json(server, &["listeners", "--json"]);
        let s = socket_on(&l, 7000);
        assert_eq!(s["device"], "lo", "{s}");
        assert_eq!(s["reach"], "host");
        assert_eq!(s["exposed"], false);
        server
            .bindscope(&["listeners", "--fail-on-exposed", "--json"])
            .code(0);
        let run = server.bindscope(&["probe", "-p", "7000", "--json"]);
        run.code(1);
        let p = run.json();
        assert_eq!(probed(&p, "127.0.0.1").unwrap()["status"], "open");
        assert_eq!(probed(&p, SERVER).unwrap()["status"], "refused");
        // The address on lo answers too (it is lo's), yet only from this machine.
        assert_eq!(probed(&p, ON_LO).unwrap()["status"], "open");
        assert_eq!(p["reach"], "host", "{p}");
        assert!(common::note_codes(&p).contains(&"bound_to_device".to_string()));
        let human = server.bindscope(&["listeners"]);
        assert!(human.stdout.contains("0.0.0.0%lo"), "{}", human.context());
    }
    // Tied to lan0 but bound to lo's address: what arrives through lan0 for it is taken.
    {
        let _s = serve(server, ON_LO, 7002, &["device=lan0"]).unwrap();
        assert_eq!(one(peer, ON_LO, 7002), "open", "the kernel's answer");
        let l = json(server, &["listeners", "--json"]);
        let s = socket_on(&l, 7002);
        assert_eq!(
            (s["reach"].as_str(), s["exposed"].as_bool()),
            (Some("lan"), Some(true)),
            "{s}"
        );
    }
    let _s = serve(server, "0.0.0.0", 7001, &["device=lan0"]).unwrap();
    let inside = connect(server, &[to("127.0.0.1", 7001), to(SERVER, 7001)]);
    assert_eq!(inside, ["refused", "open"]);
    assert_eq!(one(peer, SERVER, 7001), "open");
    let l = json(server, &["listeners", "--json"]);
    let s = socket_on(&l, 7001);
    assert_eq!(
        (s["reach"].as_str(), s["exposed"].as_bool()),
        (Some("lan"), Some(true))
    );
    let p = json(server, &["probe", "-p", "7001", "--json"]);
    assert_eq!(probed(&p, SERVER).unwrap()["status"], "open");
    assert_eq!(p["reach"], "lan");
}

/// Rule 2: an IPv6 address that failed duplicate address detection cannot be bound and
/// answers nobody; a `::` v6-only server is still a wildcard, and no firewall is blamed.
fn duplicate_address_detection(server: &Netns, peer: &Netns) {
    assert_eq!(
        serve(server, DAD_FAILED, 7050, &[]).err().as_deref(),
        Some("EADDRNOTAVAIL")
    );
    let v = json(server, &["expose", DAD_FAILED, "-p", "7050", "--json"]);
    assert_eq!(v["reach"], "none", "{v}");
    assert!(common::note_codes(&v).contains(&"address_not_ready".to_string()));
    assert!(!common::note_codes(&v).contains(&"firewall_decides".to_string()));
    let tried = server.bindscope(&["expose", DAD_FAILED, "-p", "7050", "--try", "--json"]);
    tried.code(1);
    assert_eq!(tried.json()["bind_error"], "not_local");
    // A tentative address (added with DAD on a down link, where DAD never ends).
    server.ip(&["-6", "addr", "add", "fd41::2/64", "dev", "d2"]);
    assert_eq!(
        serve(server, "fd41::2", 7052, &[]).err().as_deref(),
        Some("EADDRNOTAVAIL")
    );
    let run = server.bindscope(&["expose", "fd41::2", "-p", "7052", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["verdict"], "cannot_bind", "{v}");
    assert_eq!(v["listens_on"][0]["state"], "tentative", "{v}");

    let _s = serve(server, "::", 7051, &["v6only=1"]).unwrap();
    assert_eq!(one(peer, "fd40::1", 7051), "open");
    let p = json(server, &["probe", "-p", "7051", "--json"]);
    assert_eq!(p["inferred_bind"], "all", "{p}");
    assert!(
        probed(&p, DAD_FAILED).is_none(),
        "not probed: it cannot answer"
    );
    assert!(!common::note_codes(&p).contains(&"local_firewall".to_string()));
    let interfaces = json(server, &["interfaces", "--json"]);
    let lan0 = common::find(&interfaces["interfaces"], "name", "lan0").unwrap();
    let failed = common::find(&lan0["addresses"], "ip", DAD_FAILED).unwrap();
    assert_eq!(failed["state"], "dad_failed");
    assert_eq!(failed["reach"], "none");
    // Where it does not apply: fd40::1 passed it.
    let ready = common::find(&lan0["addresses"], "ip", "fd40::1").unwrap();
    assert_eq!(
        (ready["state"].as_str(), ready["reach"].as_str()),
        (Some("ready"), Some("lan"))
    );
}

/// Rule 6: ::ffff:127.0.0.1 needs a dual-stack socket; 127.255.255.255 binds but nothing
/// reaches it, while 127.0.0.0 answers like any loopback address.
fn loopback_edges(server: &Netns) {
    server.sysctl("net.ipv6.bindv6only=1");
    assert_eq!(
        serve(server, "::ffff:127.0.0.1", 7020, &[])
            .err()
            .as_deref(),
        Some("EINVAL")
    );
    let v = json(
        server,
        &["expose", "::ffff:127.0.0.1", "-p", "7020", "--json"],
    );
    assert!(listens_on(&v).is_empty(), "{v}");
    assert!(common::note_codes(&v).contains(&"mapped_needs_dual_stack".to_string()));
    server.sysctl("net.ipv6.bindv6only=0");
    {
        let _s = serve(server, "::ffff:127.0.0.1", 7020, &[]).expect("dual stack binds it");
        assert_eq!(one(server, "127.0.0.1", 7020), "open");
        let v = json(
            server,
            &["expose", "::ffff:127.0.0.1", "-p", "7020", "--json"],
        );
        assert_eq!(
            listens_on(&v),
            vec![("127.0.0.1".to_string(), "host".to_string(), false)]
        );
    }
    let _s = serve(server, "127.255.255.255", 7011, &[]).expect("it binds");
    assert_eq!(one(server, "127.255.255.255", 7011), "ENETUNREACH");
    let v = json(
        server,
        &["expose", "127.255.255.255", "-p", "7011", "--json"],
    );
    assert!(listens_on(&v).is_empty(), "{v}");
    assert!(common::note_codes(&v).contains(&"not_unicast".to_string()));
    let _z = serve(server, "127.0.0.0", 7012, &[]).expect("it binds");
    assert_eq!(one(server, "127.0.0.0", 7012), "open");
    let v = json(server, &["expose", "127.0.0.0", "-p", "7012", "--json"]);
    assert_eq!(v["kind"], "loopback");
}

/// Rule 5: a server on 127.0.0.2 or on a link-local address only is found and probed where
/// it listens; nothing on a port is still "nothing answers".
fn sockets_on_unlisted_addresses(server: &Netns) {
    {
        let _s = serve(server, "127.0.0.2", 7010, &[]).unwrap();
        assert_eq!(one(server, "127.0.0.2", 7010), "open");
        let p = json(server, &["probe", "-p", "7010", "--json"]);
        assert_eq!(probed(&p, "127.0.0.2").unwrap()["status"], "open", "{p}");
        assert_eq!(p["inferred_bind"], "loopback");
        assert_eq!(p["verdict"], "loopback_only");
    }
    let link_local = ip_out(
        server,
        &["-6", "-o", "addr", "show", "dev", "lan0", "scope", "link"],
    );
    let fe80 = link_local
        .split_whitespace()
        .find_map(|w| w.strip_suffix("/64").filter(|a| a.starts_with("fe80")))
        .expect("lan0 has a link-local address")
        .to_string();
    let _s = serve(server, &fe80, 7070, &["scope=lan0"]).unwrap();
    assert_eq!(
        connect(server, &[format!("{fe80} 7070 lan0")]),
        ["open"],
        "the kernel's answer"
    );
    let p = json(server, &["probe", "-p", "7070", "--json"]);
    assert_eq!(probed(&p, &fe80).unwrap()["status"], "open", "{p}");
    assert_eq!(p["inferred_bind"], "specific");
    assert_ne!(p["verdict"], "nothing_answers");
    assert!(p["listening_on"]
        .as_array()
        .unwrap()
        .iter()
        .any(|ip| ip == fe80.as_str()));
    // Where it does not apply: nothing on the port at all.
    let run = server.bindscope(&["probe", "-p", "7013", "--json"]);
    run.code(1);
    assert_eq!(run.json()["verdict"], "nothing_answers");
    // A UDP socket on the port is no TCP server: nothing answers, and no firewall is blamed.
    let _udp = serve(server, "0.0.0.0", 7014, &["udp=1"]).unwrap();
    let run = server.bindscope(&["probe", "-p", "7014", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["verdict"], "nothing_answers", "{v}");
    assert!(!common::note_codes(&v).contains(&"local_firewall".to_string()));
}

/// Rule 7: a TCP bind without listen(): refused, but the port is held; `port` shows the socket
/// and its owner, `probe` says it is bound but not listening.
fn bound_but_not_listening(server: &Netns) {
    let _s = serve(server, "0.0.0.0", 7030, &["listen=0"]).unwrap();
    assert_eq!(one(server, "127.0.0.1", 7030), "refused");
    let v = json(server, &["port", "7030", "--json"]);
    let sockets = v["sockets"].as_array().unwrap();
    let bound = sockets
        .iter()
        .find(|s| s["state"] == "bound")
        .unwrap_or_else(|| panic!("the bound socket is listed: {v}"));
    assert!(common::owners(&v, bound)[0]["name"]
        .as_str()
        .unwrap()
        .starts_with("python"));
    assert!(common::note_codes(&v).contains(&"bound_not_listening".to_string()));
    let p = json(server, &["probe", "-p", "7030", "--json"]);
    assert_eq!(p["verdict"], "bound_not_listening", "{p}");
    // Where it does not apply: the same socket listening is an ordinary listener.
    let _l = serve(server, "0.0.0.0", 7031, &[]).unwrap();
    let v = json(server, &["port", "7031", "--json"]);
    assert!(v["sockets"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["state"] != "bound"));
}

/// Rule 8: an interface whose name is not UTF-8 is kept, with its addresses; a listener on it
/// is exposed. (Here the other end is the peer, so the address is on a live link.)
fn names_that_are_not_utf8(server: &Netns, peer: &Netns) {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let name = OsStr::from_bytes(b"bs\xff0");
    let status = Command::new("ip")
        .args(["link", "add"])
        .arg(name)
        .args([
            "netns",
            &server.name,
            "type",
            "veth",
            "peer",
            "name",
            "bsp0",
        ])
        .args(["netns", &peer.name])
        .status()
        .expect("ip runs");
    assert!(status.success(), "a link named bs\\xff0");
    let set = |ns: &Netns, args: &[&OsStr]| {
        let status = Command::new("ip")
            .args(["-n", &ns.name])
            .args(args)
            .status()
            .expect("ip runs");
        assert!(status.success());
    };
    let os = |s: &'static str| OsStr::new(s);
    set(
        server,
        &[os("addr"), os("add"), os("10.203.43.1/24"), os("dev"), name],
    );
    set(server, &[os("link"), os("set"), name, os("up")]);
    set(
        peer,
        &[
            os("addr"),
            os("add"),
            os("10.203.43.2/24"),
            os("dev"),
            os("bsp0"),
        ],
    );
    set(peer, &[os("link"), os("set"), os("bsp0"), os("up")]);
    wait_for(server, "the odd link to come up", |ns| {
        ip_out(ns, &["-o", "link", "show"]).contains("state UP")
            && ip_out(ns, &["-o", "addr", "show"]).contains("10.203.43.1")
    });
    let _s = serve(server, "10.203.43.1", 7080, &[]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while one(peer, "10.203.43.1", 7080) != "open" {
        assert!(Instant::now() < deadline, "the peer reaches the odd link");
        std::thread::sleep(Duration::from_millis(50));
    }
    let v = json(server, &["interfaces", "--json"]);
    let odd = common::find(&v["interfaces"], "name", "bs\\xff0")
        .unwrap_or_else(|| panic!("the interface is kept: {v}"));
    assert!(
        common::find(&odd["addresses"], "ip", "10.203.43.1").is_some(),
        "its address is kept: {odd}"
    );
    let l = json(server, &["listeners", "--json"]);
    assert_eq!(socket_on(&l, 7080)["exposed"], true);
    let e = json(server, &["expose", "10.203.43.1", "-p", "7080", "--json"]);
    assert_eq!(e["listens_on"][0]["interface"], "bs\\xff0", "{e}");
    assert_eq!(e["reach"], "lan");
    let human = server.bindscope(&["interfaces"]);
    assert!(human.stdout.contains("bs\\xff0"), "{}", human.context());
}
