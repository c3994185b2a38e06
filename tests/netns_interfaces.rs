//! bindscope inside a network namespace whose interfaces the test built itself: loopback, a
//! LAN link (a veth with IPv4, IPv6 and link-local addresses and the default route), a
//! Docker-style bridge with a container port, and a VPN tun. Every answer is known exactly.
//! No packet leaves the namespace.

mod common;

use common::netns::Netns;
use serde_json::Value;

fn namespace() -> Option<Netns> {
    let ns = Netns::new("if")?;
    // No automatic link-local addresses: the test adds the one it expects.
    ns.sysctl("net.ipv6.conf.default.addr_gen_mode=1");
    ns.sysctl("net.ipv6.conf.all.addr_gen_mode=1");
    ns.add_lan("10.203.7.2/24", "fd42:203:7::2/64", "10.203.7.1");
    ns.ip(&["-6", "addr", "add", "fe80::2/64", "dev", "lan0", "nodad"]);

    ns.ip(&["link", "add", "docker0", "type", "bridge"]);
    ns.ip(&["addr", "add", "172.31.240.1/24", "dev", "docker0"]);
    ns.ip(&[
        "link", "add", "vethc0", "type", "veth", "peer", "name", "ctr0",
    ]);
    ns.ip(&["link", "set", "vethc0", "master", "docker0"]);
    for link in ["docker0", "vethc0", "ctr0"] {
        ns.ip(&["link", "set", link, "up"]);
    }

    // A tun with no process behind it has no carrier: up administratively, down in fact.
    ns.ip(&["tuntap", "add", "dev", "tun0", "mode", "tun"]);
    ns.ip(&["addr", "add", "100.100.7.1/32", "dev", "tun0"]);
    ns.ip(&["link", "set", "tun0", "up"]);

    ns.wait_until_up("docker0");
    Some(ns)
}

fn addresses(iface: &Value) -> Vec<(String, u64, String, String, bool)> {
    iface["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["ip"].as_str().unwrap().to_string(),
                a["prefix"].as_u64().unwrap(),
                a["kind"].as_str().unwrap().to_string(),
                a["reach"].as_str().unwrap().to_string(),
                a["primary"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn a(
    ip: &str,
    prefix: u64,
    kind: &str,
    reach: &str,
    primary: bool,
) -> (String, u64, String, String, bool) {
    (ip.into(), prefix, kind.into(), reach.into(), primary)
}

fn listening(v: &Value) -> Vec<(String, String, String)> {
    v["listens_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["ip"].as_str().unwrap().to_string(),
                l["interface"].as_str().unwrap().to_string(),
                l["reach"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn l(ip: &str, iface: &str, reach: &str) -> (String, String, String) {
    (ip.into(), iface.into(), reach.into())
}

#[test]
fn interfaces_expose_and_urls_inside_a_namespace() {
    let Some(ns) = namespace() else { return };

    // interfaces: every link, its device, its role, its addresses.
    let v = ns
        .bindscope(&["interfaces", "--all", "--json"])
        .code(0)
        .json();
    assert_eq!(v["primary"]["interface"], "lan0");
    assert_eq!(v["primary"]["ip"], "10.203.7.2");
    let links: Vec<(String, String, String, bool)> = v["interfaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["device"].as_str().unwrap().to_string(),
                i["role"].as_str().unwrap().to_string(),
                i["up"].as_bool().unwrap(),
            )
        })
        .collect();
    let expect = |name: &str, device: &str, role: &str, up: bool| {
        (name.to_string(), device.to_string(), role.to_string(), up)
    };
    let mut sorted = links.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            expect("ctr0", "veth", "network", true),
            expect("docker0", "bridge", "container_bridge", true),
            expect("lan0", "veth", "network", true),
            expect("lan0p", "veth", "network", true),
            expect("lo", "loopback", "loopback", true),
            expect("tun0", "tun", "vpn", false),
            expect("vethc0", "veth", "container_port", true),
        ]
    );
    let by_name = |name: &str| {
        v["interfaces"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        addresses(&by_name("lo")),
        vec![
            a("127.0.0.1", 8, "loopback", "host", false),
            a("::1", 128, "loopback", "host", false)
        ]
    );
    assert_eq!(
        addresses(&by_name("lan0")),
        vec![
            a("10.203.7.2", 24, "private", "lan", true),
            a("fd42:203:7::2", 64, "ula", "lan", false),
            a("fe80::2", 64, "link_local", "link", false),
        ]
    );
    assert_eq!(
        addresses(&by_name("docker0")),
        // Linux accepts it from the LAN too, for whoever routes 172.31.240.0/24 here.
        vec![a("172.31.240.1", 24, "private", "lan", false)]
    );
    assert_eq!(by_name("vethc0")["master"], "docker0");
    assert_eq!(
        addresses(&by_name("tun0")),
        // Down (no carrier), yet its local route stays: whoever routes to it here gets in.
        vec![a("100.100.7.1", 32, "cgnat", "lan", false)]
    );
    assert!(by_name("lan0p")["addresses"].as_array().unwrap().is_empty());
    // Without --all, links without addresses are left out.
    let v = ns.bindscope(&["interfaces", "--json"]).code(0).json();
    let names: Vec<&str> = common::strings(&v["interfaces"], "name");
    assert_eq!(names.len(), 4, "{names:?}");

    // expose 0.0.0.0: every IPv4 address. Linux accepts packets for the bridge's address and
    // for down tun0's from any interface: whoever routes to them here gets in.
    let v = ns
        .bindscope(&["expose", "0.0.0.0", "--json"])
        .code(0)
        .json();
    let mut got = listening(&v);
    got.sort();
    assert_eq!(
        got,
        vec![
            l("10.203.7.2", "lan0", "lan"),
            l("100.100.7.1", "tun0", "lan"),
            l("127.0.0.1", "lo", "host"),
            l("172.31.240.1", "docker0", "lan"),
        ]
    );
    assert_eq!(v["reach"], "lan");
    assert_eq!(v["risk"], "medium");
    assert_eq!(v["kind"], "all");
    assert!(
        common::note_codes(&v).contains(&"also_virtual".to_string()),
        "{:?}",
        common::note_codes(&v)
    );
    assert!(
        !common::note_codes(&v).contains(&"also_vpn".to_string()),
        "tun0 is down"
    );
    assert!(common::note_codes(&v).contains(&"routed_only".to_string()));

    // expose :: is dual stack while bindv6only=0 …
    let v = ns.bindscope(&["expose", "::", "--json"]).code(0).json();
    assert_eq!(v["dual_stack"], true);
    let ips: Vec<String> = listening(&v).into_iter().map(|(ip, _, _)| ip).collect();
    for ip in ["::1", "fd42:203:7::2", "fe80::2", "127.0.0.1", "10.203.7.2"] {
        assert!(ips.contains(&ip.to_string()), "{ip} in {ips:?}");
    }
    let link_local = common::find(&v["listens_on"], "ip", "fe80::2").unwrap();
    assert_eq!(
        link_local["url"],
        Value::Null,
        "no URL for a link-local address"
    );
    // … and IPv6 only once the namespace says bindv6only=1.
    ns.sysctl("net.ipv6.bindv6only=1");
    let v = ns
        .bindscope(&["expose", "[::]:8000", "--json"])
        .code(0)
        .json();
    assert_eq!(v["dual_stack"], false);
    assert!(
        listening(&v).iter().all(|(ip, _, _)| ip.contains(':')),
        "{:?}",
        listening(&v)
    );
    ns.sysctl("net.ipv6.bindv6only=0");

    // A LAN address: a real trial bind succeeds inside the namespace.
    let v = ns
        .bindscope(&["expose", "10.203.7.2", "--try", "--json"])
        .code(0)
        .json();
    assert_eq!(listening(&v), vec![l("10.203.7.2", "lan0", "lan")]);
    assert_eq!(v["kind"], "lan");
    assert_eq!(v["bindable"], true);
    assert_eq!(v["listens_on"][0]["url"], "http://10.203.7.2:5000");

    // An address nobody here has: the bind fails, and the LAN address is named.
    let run = ns.bindscope(&["expose", "10.203.7.99", "--try", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["bindable"], false);
    assert_eq!(v["bind_error"], "not_local");
    let not_local = common::find(&v["notes"], "code", "not_local").unwrap();
    assert!(
        not_local["message"]
            .as_str()
            .unwrap()
            .contains("10.203.7.2 (lan0)"),
        "{not_local}"
    );

    // An interface name binds its address.
    let v = ns
        .bindscope(&["expose", "docker0", "--json"])
        .code(0)
        .json();
    assert_eq!(v["bind_ip"], "172.31.240.1");
    assert_eq!(v["kind"], "virtual");
    assert_eq!(v["reach"], "lan");
    assert_eq!(v["routed_network"], "172.31.240.0/24");

    // urls: loopback for this machine, the LAN link's for others, recommended first.
    let v = ns.bindscope(&["urls", "--json"]).code(0).json();
    assert_eq!(
        v["local"],
        serde_json::json!(["http://127.0.0.1:5000", "http://[::1]:5000"])
    );
    assert_eq!(
        v["network"],
        serde_json::json!(["http://10.203.7.2:5000", "http://[fd42:203:7::2]:5000"])
    );
    assert_eq!(v["recommended"], "http://10.203.7.2:5000");
    let v = ns
        .bindscope(&["urls", "--all", "-4", "--json"])
        .code(0)
        .json();
    let other: Vec<(&str, &str)> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["scope"] == "other")
        .map(|e| {
            (
                e["url"].as_str().unwrap(),
                e["not_shareable"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        other,
        vec![
            ("http://172.31.240.1:5000", "virtual"),
            ("http://100.100.7.1:5000", "down")
        ]
    );
    let piped = ns.bindscope(&["urls", "-p", "8000"]).code(0).stdout.clone();
    assert_eq!(piped.lines().next(), Some("http://10.203.7.2:8000"));

    // The overview recommends the LAN URL.
    let v = ns.bindscope(&["--json"]).code(0).json();
    assert_eq!(v["recommended_url"], "http://10.203.7.2:5000");
}

/// A namespace with nothing but loopback: no address to share, and `urls` says so.
#[test]
fn a_machine_without_a_network() {
    let Some(ns) = Netns::new("lo") else { return };
    let v = ns.bindscope(&["interfaces", "--json"]).code(0).json();
    assert_eq!(v["primary"], Value::Null);
    assert!(common::note_codes(&v).contains(&"no_lan_address".to_string()));
    let run = ns.bindscope(&["urls", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["recommended"], Value::Null);
    assert!(v["network"].as_array().unwrap().is_empty());
    let v = ns
        .bindscope(&["expose", "0.0.0.0", "--json"])
        .code(0)
        .json();
    assert_eq!(v["reach"], "host");
}
