#![cfg(unix)]
//! The firewall verdict against the kernel: a laptop namespace runs a real server on
//! 0.0.0.0:5000 and loads one ruleset after another (raw nftables, iptables through nft, ufw
//! with its files in the namespace's own /etc, a firewalld-style zone layout); a phone
//! namespace connects across a veth; `bindscope probe -p 5000` on the laptop must say what the
//! phone saw: accept is open, drop is a timeout, reject is refused (or an ICMP error). Nothing
//! here touches the root namespace's firewall.

mod common;

use std::process::Command;

use common::netns::Netns;
use common::real::{connect, serve, Server};
use serde_json::Value;

const LAPTOP: &str = "10.203.81.1";
const PHONE: &str = "10.203.81.2";

struct Lan {
    laptop: Netns,
    phone: Netns,
    _server: Server,
}

fn lan(tag: &str) -> Option<Lan> {
    let laptop = Netns::new(&format!("{tag}l"))?;
    let phone = Netns::new(&format!("{tag}p"))?;
    laptop.link(
        "l0",
        &format!("{LAPTOP}/24"),
        &phone,
        "p0",
        &format!("{PHONE}/24"),
    );
    phone.sysctl("net.ipv4.tcp_syn_retries=1");
    let server = serve(&laptop, "0.0.0.0", 5000, &[]).expect("the server binds");
    Some(Lan {
        laptop,
        phone,
        _server: server,
    })
}

/// Replaces the laptop's whole ruleset with `script` (nft syntax).
fn load(laptop: &Netns, script: &str) {
    let full = format!("flush ruleset\n{script}\n");
    let path = std::env::temp_dir().join(format!("{}.nft", laptop.name));
    std::fs::write(&path, full).unwrap();
    let out = laptop.exec(&["nft", "-f", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "nft: {}\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What the phone's connect to the laptop's port 5000 saw.
fn phone_sees(lan: &Lan) -> String {
    connect(&lan.phone, &[format!("{LAPTOP} 5000")]).remove(0)
}

/// bindscope's firewall verdict for l0 in `probe -p 5000 --json` on the laptop.
fn verdict(lan: &Lan) -> Value {
    let run = lan.laptop.bindscope(&["probe", "-p", "5000", "--json"]);
    let v = run.json();
    let entry = common::find(&v["firewall"], "interface", "l0")
        .unwrap_or_else(|| panic!("a firewall entry for l0: {}", run.context()))
        .clone();
    entry
}

/// The phone's outcome that a verdict stands for.
fn kernel_agrees(verdict: &str, seen: &str) -> bool {
    match verdict {
        "accept" | "none" => seen == "open",
        "drop" => seen == "timeout",
        "reject" => matches!(seen, "refused" | "EHOSTUNREACH" | "EACCES" | "ENETUNREACH"),
        _ => false,
    }
}

/// Runs a firewall tool inside `ns`, which must succeed.
fn run_tool(ns: &Netns, program: &str, args: &[&str]) {
    let mut all = vec![program];
    all.extend(args);
    let out = ns.exec(&all);
    assert!(out.status.success(), "{program} {args:?}: {out:?}");
}

/// Whether `program` runs here; if not, the skip (or CI failure) is reported.
fn installed(program: &str, version: &str, package: &str) -> bool {
    let ok = Command::new(program).arg(version).output().is_ok();
    if !ok {
        common::netns::skip(&format!(
            "{program} is not installed (apt-get install {package})"
        ));
    }
    ok
}

/// The phone's connect now, and bindscope's verdict, which must be `want` and agree with it.
fn judged(lan: &Lan, name: &str, want: &str) -> Value {
    let seen = phone_sees(lan);
    let v = verdict(lan);
    assert_eq!(v["verdict"], want, "{name}: {v}\n(the phone saw {seen})");
    assert!(
        kernel_agrees(want, &seen),
        "{name}: bindscope says {want}, the phone saw {seen}"
    );
    v
}

/// Loads `script`, and checks that bindscope's verdict is `want` and that the kernel agrees.
fn case(lan: &Lan, name: &str, script: &str, want: &str) -> Value {
    load(&lan.laptop, script);
    judged(lan, name, want)
}

#[test]
fn nftables_verdicts_match_the_phone() {
    let Some(lan) = lan("fwn") else { return };
    let input = |policy: &str, rules: &str| {
        format!(
            "table inet filter {{\n chain input {{ type filter hook input priority 0; policy {policy};\n  iifname \"lo\" accept\n{rules}\n }}\n}}"
        )
    };
    let none = case(&lan, "no ruleset", "", "none");
    assert_eq!(none["source"], Value::Null);
    let drop = case(
        &lan,
        "drop",
        &input("accept", "tcp dport 5000 drop"),
        "drop",
    );
    assert_eq!(drop["source"], "nftables");
    assert!(
        drop["rule"]
            .as_str()
            .unwrap()
            .contains("tcp dport 5000 drop"),
        "{drop}"
    );
    assert_eq!(
        drop["fix"],
        "sudo nft insert rule inet filter input tcp dport 5000 accept"
    );
    case(
        &lan,
        "reject with tcp reset",
        &input("accept", "tcp dport 5000 reject with tcp reset"),
        "reject",
    );
    case(
        &lan,
        "reject with icmpx admin-prohibited",
        &input(
            "accept",
            "tcp dport 5000 reject with icmpx admin-prohibited",
        ),
        "reject",
    );
    // From the phone: the ICMP error says a firewall rejected it, not a missing host.
    let target = format!("{LAPTOP}:5000");
    let run = lan.phone.bindscope(&["probe", &target, "--json"]);
    let v = run.json();
    assert_eq!(
        v["results"][0]["reason"],
        "admin_prohibited",
        "{}",
        run.context()
    );
    let human = lan.phone.bindscope(&["probe", &target]);
    assert!(
        human
            .stdout
            .contains("a firewall on that host or on the way rejected it"),
        "{}",
        human.context()
    );
    // A plain reset carries no ICMP: refused, with no reason.
    load(
        &lan.laptop,
        &input("accept", "tcp dport 5000 reject with tcp reset"),
    );
    let v = lan.phone.bindscope(&["probe", &target, "--json"]).json();
    assert_eq!(v["results"][0]["status"], "refused", "{v}");
    assert_eq!(v["results"][0]["reason"], Value::Null, "{v}");
    case(
        &lan,
        "policy drop, accepted by source prefix",
        &input("drop", "ip saddr 10.203.81.0/24 tcp dport 5000 accept"),
        "accept",
    );
    let policy = case(
        &lan,
        "policy drop, another prefix",
        &input("drop", "ip saddr 10.203.99.0/24 tcp dport 5000 accept"),
        "drop",
    );
    assert!(
        policy["rule"].as_str().unwrap().contains("policy drop"),
        "{policy}"
    );
    case(
        &lan,
        "by input interface",
        &input("drop", "iifname \"l*\" tcp dport 5000 accept"),
        "accept",
    );
    case(
        &lan,
        "another input interface",
        &input("drop", "iifname \"wlan0\" tcp dport 5000 accept"),
        "drop",
    );
    case(
        &lan,
        "a set of ports",
        &input("drop", "tcp dport { 22, 5000 } accept"),
        "accept",
    );
    case(
        &lan,
        "a range of ports",
        &input("drop", "tcp dport 4990-5010 accept"),
        "accept",
    );
    case(
        &lan,
        "a named interval set without the port",
        "table inet filter {\n set web { type inet_service; flags interval; elements = { 80, 8000-8010 } }\n chain input { type filter hook input priority 0; policy drop;\n  tcp dport @web accept\n }\n}",
        "drop",
    );
    case(
        &lan,
        "jump, return, then drop",
        "table inet filter {\n chain checks {\n  tcp dport 22 accept\n  return\n }\n chain input { type filter hook input priority 0; policy accept;\n  jump checks\n  tcp dport 5000 drop\n }\n}",
        "drop",
    );
    case(
        &lan,
        "goto a chain that accepts",
        "table inet filter {\n chain open {\n  tcp dport 5000 accept\n }\n chain input { type filter hook input priority 0; policy drop;\n  iifname \"l0\" goto open\n }\n}",
        "accept",
    );
    case(
        &lan,
        "accepted early, dropped by a later table",
        "table ip early {\n chain input { type filter hook input priority -10; policy accept;\n  tcp dport 5000 accept\n }\n}\ntable inet late {\n chain input { type filter hook input priority 10; policy accept;\n  tcp dport 5000 drop\n }\n}",
        "drop",
    );
    case(
        &lan,
        "ct state established only does not let a new connection in",
        &input("drop", "ct state established,related accept"),
        "drop",
    );
    case(
        &lan,
        "a verdict map",
        &input("drop", "tcp dport vmap { 22 : accept, 5000 : accept }"),
        "accept",
    );
    // A firewalld-style layout: zones by interface, and firewalld's final reject.
    let firewalld = case(
        &lan,
        "firewalld's zones",
        "table inet firewalld {\n chain filter_IN_public_allow {\n  tcp dport 22 accept\n }\n chain filter_IN_public {\n  jump filter_IN_public_allow\n }\n chain filter_INPUT_ZONES {\n  iifname \"l0\" goto filter_IN_public\n  goto filter_IN_public\n }\n chain filter_INPUT { type filter hook input priority filter + 10; policy accept;\n  ct state { established, related } accept\n  iifname \"lo\" accept\n  jump filter_INPUT_ZONES\n  reject with icmpx admin-prohibited\n }\n}",
        "reject",
    );
    assert!(
        firewalld["rule"]
            .as_str()
            .unwrap()
            .contains("admin-prohibited"),
        "{firewalld}"
    );
    // What the evaluator does not know is unknown, never accept.
    load(
        &lan.laptop,
        &input("accept", "meta skuid 0 tcp dport 5000 drop"),
    );
    let v = verdict(&lan);
    assert_eq!(v["verdict"], "unknown", "{v}");
    load(&lan.laptop, "");
}

/// The same rules written by Debian's `iptables` (the nf_tables backend): nft lists them.
#[test]
fn iptables_through_nftables_matches_the_phone() {
    let Some(lan) = lan("fwi") else { return };
    if !installed("iptables", "-V", "iptables") {
        return;
    }
    load(&lan.laptop, "");
    let ipt = |args: &[&str]| run_tool(&lan.laptop, "iptables", args);
    ipt(&["-P", "INPUT", "DROP"]);
    ipt(&["-A", "INPUT", "-i", "lo", "-j", "ACCEPT"]);
    ipt(&["-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT"]);
    judged(&lan, "iptables: policy drop", "drop");
    ipt(&[
        "-I",
        "INPUT",
        "-p",
        "tcp",
        "-s",
        "10.203.81.0/24",
        "--dport",
        "5000",
        "-j",
        "ACCEPT",
    ]);
    // The whole network 10.203.81.0/24 is let in: the phone is, and bindscope says so.
    judged(&lan, "iptables: accepted by source", "accept");
}

/// ufw's files for one namespace: `ip netns exec` mounts /etc/netns/NAME/ufw over /etc/ufw and
/// /etc/netns/NAME/default over /etc/default, so ufw and bindscope in that namespace see their
/// own copies, and nothing outside changes. Removed on drop.
struct UfwFiles {
    dir: std::path::PathBuf,
}

impl UfwFiles {
    fn new(ns: &Netns) -> UfwFiles {
        let dir = std::path::Path::new("/etc/netns").join(&ns.name);
        std::fs::create_dir_all(&dir).unwrap();
        let copy = |from: &str, to: &str| {
            let status = Command::new("cp")
                .args(["-a", from])
                .arg(dir.join(to))
                .status()
                .expect("cp runs");
            assert!(status.success(), "cp {from}");
        };
        copy("/etc/ufw", "ufw");
        copy("/etc/default", "default");
        // No sysctl changes from ufw: its settings file is emptied in the copy.
        std::fs::write(dir.join("ufw/sysctl.conf"), "").unwrap();
        UfwFiles { dir }
    }
}

impl Drop for UfwFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn ufw_says_its_own_words_and_fix() {
    let Some(lan) = lan("fwu") else { return };
    if !installed("ufw", "version", "ufw") {
        return;
    }
    load(&lan.laptop, "");
    let _files = UfwFiles::new(&lan.laptop);
    let ufw = |args: &[&str]| run_tool(&lan.laptop, "ufw", args);
    ufw(&["--force", "enable"]);
    ufw(&["default", "deny", "incoming"]);
    ufw(&["allow", "22/tcp"]);
    let v = judged(&lan, "ufw: default deny", "drop");
    assert_eq!(v["source"], "ufw", "{v}");
    assert_eq!(v["fix"], "sudo ufw allow 5000/tcp");
    assert_eq!(v["complete"], true);
    // The human line: the verdict, the rule and the fix.
    let human = lan.laptop.bindscope(&["probe", "-p", "5000"]);
    assert!(
        human
            .stdout
            .contains("drops new connections to port 5000 from l0")
            && human.stdout.contains("sudo ufw allow 5000/tcp"),
        "{}",
        human.context()
    );
    // Without privilege: nftables cannot be read, ufw's rules neither; it says so.
    let run = common::run_with(
        &[
            "ip",
            "netns",
            "exec",
            &lan.laptop.name,
            "runuser",
            "-u",
            "nobody",
            "--",
        ],
        &["probe", "-p", "5000", "--json"],
        &[],
    );
    let v = run.json();
    let entry = common::find(&v["firewall"], "interface", "l0").unwrap();
    assert_eq!(entry["complete"], false, "{}", run.context());
    assert_ne!(entry["verdict"], "accept", "never accept by guess");
    assert!(
        common::note_codes(&v).contains(&"firewall_unread".to_string()),
        "{}",
        run.context()
    );
    // Allowed: the phone gets in, and bindscope agrees.
    ufw(&["allow", "5000/tcp"]);
    judged(&lan, "ufw: allowed", "accept");
    ufw(&["--force", "disable"]);
    load(&lan.laptop, "");
}

/// Legacy x_tables rules (iptables-legacy) run beside nftables': a drop there is read from
/// iptables-legacy-save, and expose and the overview say it too.
#[test]
fn legacy_iptables_and_the_other_commands() {
    let Some(lan) = lan("fwg") else { return };
    if !installed("iptables-legacy", "-V", "iptables") {
        return;
    }
    load(&lan.laptop, "");
    let legacy = |args: &[&str]| run_tool(&lan.laptop, "iptables-legacy", args);
    legacy(&["-A", "INPUT", "-p", "tcp", "--dport", "5000", "-j", "DROP"]);
    let v = judged(&lan, "legacy: drop", "drop");
    assert_eq!(v["source"], "iptables", "{v}");
    // The rule is in the legacy tables: iptables (nf_tables on Debian) would not reach it.
    assert_eq!(
        v["fix"],
        "sudo iptables-legacy -I INPUT -p tcp --dport 5000 -j ACCEPT"
    );
    // expose of the wildcard, and the overview, carry the same verdict for l0.
    let e = lan
        .laptop
        .bindscope(&["expose", "0.0.0.0", "-p", "5000", "--json"])
        .json();
    let entry = common::find(&e["firewall"], "interface", "l0").unwrap();
    assert_eq!(entry["verdict"], "drop", "{e}");
    let o = lan.laptop.bindscope(&["-p", "5000", "--json"]).json();
    assert_eq!(o["firewall"][0]["verdict"], "drop", "{o}");
    // listeners: the socket is reachable by its bind, but not exposed through the firewall.
    let l = lan.laptop.bindscope(&["listeners", "--json"]).json();
    let s = l["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["port"] == 5000)
        .unwrap()
        .clone();
    assert_eq!(
        (s["reach"].as_str(), s["exposed"].as_bool()),
        (Some("lan"), Some(false)),
        "{s}"
    );
    lan.laptop
        .bindscope(&["listeners", "--fail-on-exposed"])
        .code(0);
    legacy(&["-F", "INPUT"]);
    assert_eq!(phone_sees(&lan), "open");
    let l = lan.laptop.bindscope(&["listeners", "--json"]).json();
    assert_eq!(l["exposed"], 1, "{l}");
}
