#![cfg(unix)]
//! The beacon's diagnosis against the kernel: a laptop namespace runs `serve`, a phone
//! namespace across a veth visits, is dropped by a real nftables rule, sends a TLS
//! ClientHello, or sends nothing; the beacon must say which of these happened, with the
//! phone's address. Traffic stays inside the two namespaces.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::netns::Netns;
use serde_json::Value;

const PORT: &str = "8000";

use common::Reaped as Beacon;

struct Lan {
    laptop: Netns,
    phone: Netns,
    laptop_ip: String,
    phone_ip: String,
}

fn lan(tag: &str, net: u8) -> Option<Lan> {
    let laptop = Netns::new(&format!("{tag}l"))?;
    let phone = Netns::new(&format!("{tag}p"))?;
    let (laptop_ip, phone_ip) = (format!("10.203.{net}.1"), format!("10.203.{net}.2"));
    laptop.link(
        "wlan0",
        &format!("{laptop_ip}/24"),
        &phone,
        "p0",
        &format!("{phone_ip}/24"),
    );
    Some(Lan {
        laptop,
        phone,
        laptop_ip,
        phone_ip,
    })
}

/// Starts `serve` on the laptop; returns once it listens (its first line on stderr).
fn start(lan: &Lan, lang: &str) -> Beacon {
    start_as(lan, lang, true)
}

/// `serve` as root (`capture`: it may capture SYNs), or without CAP_NET_RAW, as a student
/// runs it: then only the neighbour table and the counters speak.
fn start_as(lan: &Lan, lang: &str, capture: bool) -> Beacon {
    let mut prefix = vec!["ip", "netns", "exec", &lan.laptop.name];
    if !capture {
        prefix.extend(["setpriv", "--bounding-set", "-net_raw"]);
    }
    let mut cmd = common::command(&prefix);
    cmd.args([
        "--lang", lang, "serve", "-p", PORT, "--for", "60s", "--json",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut beacon = Beacon(cmd.spawn().expect("serve starts"));
    let mut first = String::new();
    BufReader::new(beacon.0.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains(PORT), "serve did not start: {first}");
    beacon
}

/// Ends the beacon as Ctrl+C does and returns its JSON document (bounded in time).
fn stop(mut beacon: Beacon) -> Value {
    let sent = std::process::Command::new("kill")
        .args(["-INT", &beacon.0.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    while beacon.0.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    beacon
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// Python on the phone: `script` with `URL`, `HOST` and `PORT` set; prints what happened.
fn phone(lan: &Lan, script: &str) -> String {
    let program = format!(
        "HOST = '{}'\nPORT = {PORT}\nURL = f'http://{{HOST}}:{{PORT}}/from-phone'\n{script}",
        lan.laptop_ip
    );
    let out = lan
        .phone
        .exec(&["timeout", "10", "python3", "-c", &program]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

const VISIT: &str = "import urllib.request\n\
try:\n    print(urllib.request.urlopen(URL, timeout=3).status)\n\
except Exception as e:\n    print(type(e).__name__)";

/// A real nftables rule on the laptop that drops new connections to the beacon's port.
fn drop_port(lan: &Lan) {
    let rules = format!(
        "table inet filter {{\n chain input {{\n  type filter hook input priority 0; policy accept;\n  tcp dport {PORT} drop\n }}\n}}\n"
    );
    let path = std::env::temp_dir().join(format!("{}.nft", lan.laptop.name));
    std::fs::write(&path, rules).unwrap();
    let loaded = lan.laptop.exec(&["nft", "-f", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert!(loaded.status.success(), "{loaded:?}");
}

fn diagnosis(v: &Value) -> (&str, Vec<&str>) {
    let d = &v["diagnosis"];
    let addresses = d["addresses"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    (d["code"].as_str().unwrap_or("?"), addresses)
}

#[test]
fn a_visit_from_the_phone_is_reported() {
    let Some(lan) = lan("bva", 91) else { return };
    let beacon = start(&lan, "en");
    assert_eq!(phone(&lan, VISIT), "200");
    let v = stop(beacon);
    assert_eq!(
        diagnosis(&v),
        ("visited", vec![lan.phone_ip.as_str()]),
        "{v:#}"
    );
    assert_eq!(v["visits"][0]["path"], "/from-phone");
    assert_eq!(v["devices"][0]["interface"], "wlan0");
}

#[test]
fn a_firewall_drop_is_told_from_silence() {
    let Some(lan) = lan("bvb", 92) else { return };
    drop_port(&lan);
    let beacon = start_as(&lan, "en", false);
    // The kernel is the judge: the phone's connection times out.
    assert_eq!(phone(&lan, VISIT), "URLError");
    let v = stop(beacon);
    assert_eq!(
        diagnosis(&v),
        ("dropped_here", vec![lan.phone_ip.as_str()]),
        "{v:#}"
    );
    let dropped = v["diagnosis"]["packets_dropped"].as_u64().unwrap_or(0);
    assert!(dropped >= 1, "{v:#}");
    assert_eq!(v["diagnosis"]["syns_captured"], false, "{v:#}");
    assert_eq!(v["devices"][0]["asked"], true, "{v:#}");
    assert_eq!(v["visit_count"], 0);
    let firewall = &v["firewall"][0];
    assert_eq!(firewall["verdict"], "drop", "{v:#}");
    assert_eq!(firewall["source"], "nftables", "{v:#}");
    let message = v["diagnosis"]["message"].as_str().unwrap();
    assert!(
        message.contains(&lan.phone_ip) && message.contains("firewall"),
        "{message}"
    );
    eprintln!("dropped_here: {message}");
}

#[test]
fn a_phone_that_sends_nothing_here_never_arrived() {
    let Some(lan) = lan("bvc", 93) else { return };
    // First the phone sends nothing; then it opens an address that is not the laptop's, as
    // a phone on another network (or with a mistyped address) would.
    for (lang, wrong) in [("en", None), ("ko", Some("10.203.93.77"))] {
        let beacon = start(&lan, lang);
        if let Some(wrong) = wrong {
            let script = VISIT.replace("URL,", &format!("'http://{wrong}:{PORT}/',"));
            assert_eq!(phone(&lan, &script), "URLError");
        }
        // Chatter a real LAN always has: SSDP multicast and broadcasts, never delivered here.
        let noise = "import socket\n\
             s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n\
             s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)\n\
             for _ in range(20):\n    s.sendto(b'M-SEARCH', ('239.255.255.250', 1900))\n    s.sendto(b'hello', (HOST.rsplit('.', 1)[0] + '.255', 9))\n\
             print('sent')";
        if wrong.is_none() {
            lan.phone.ip(&["route", "add", "224.0.0.0/4", "dev", "p0"]);
            assert_eq!(phone(&lan, noise), "sent");
        }
        let v = stop(beacon);
        // The counters hold that chatter (nothing here joined its groups): they never decide
        // alone.
        assert_eq!(diagnosis(&v), ("never_arrived", vec![]), "{v:#}");
        let message = v["diagnosis"]["message"].as_str().unwrap();
        assert!(
            message.contains(&lan.laptop_ip),
            "the URL to check: {message}"
        );
        eprintln!("never_arrived ({lang}): {message}");
    }
}

#[test]
fn a_tls_client_hello_on_the_http_port_is_recognised() {
    let Some(lan) = lan("bvd", 94) else { return };
    let beacon = start(&lan, "en");
    let tried = phone(
        &lan,
        "import socket, ssl\n\
         ctx = ssl.create_default_context()\n\
         try:\n    ctx.wrap_socket(socket.create_connection((HOST, PORT), timeout=3), server_hostname=HOST)\n    print('handshake')\n\
         except Exception as e:\n    print(type(e).__name__)",
    );
    assert_ne!(tried, "handshake");
    let v = stop(beacon);
    assert_eq!(
        diagnosis(&v),
        ("tls_on_http", vec![lan.phone_ip.as_str()]),
        "{v:#}"
    );
    assert_eq!(v["devices"][0]["tls"], 1, "{v:#}");
    assert!(v["diagnosis"]["message"]
        .as_str()
        .unwrap()
        .contains("http://"));
}

#[test]
fn a_phone_that_opens_another_port_was_seen_but_not_connected() {
    let Some(lan) = lan("bve", 95) else { return };
    // In text, as a student reads it: the live line when the phone shows up, then the end.
    let mut cmd = common::command(&["ip", "netns", "exec", &lan.laptop.name]);
    cmd.args(["serve", "-p", PORT, "--for", "60s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut beacon = Beacon(cmd.spawn().expect("serve starts"));
    let mut out = BufReader::new(beacon.0.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.contains(PORT), "{first}");
    // The wrong port: refused at once by this machine's TCP.
    let script = VISIT.replace("URL,", "f'http://{HOST}:8001/',");
    assert_eq!(phone(&lan, &script), "URLError");
    std::process::Command::new("kill")
        .args(["-INT", &beacon.0.id().to_string()])
        .status()
        .unwrap();
    let mut text = String::new();
    out.read_to_string(&mut text).unwrap();
    assert!(
        text.contains(&format!("A device at {} (wlan0) asked", lan.phone_ip)),
        "{text}"
    );
    assert!(text.contains("Stopped: 0 visits."), "{text}");
    assert!(
        text.contains("nothing it sent reached port 8000: it opened another address or port"),
        "{text}"
    );
}

/// Each side already knows the other's hardware address: the phone asks nothing, so only the
/// SYNs it sends (captured before the firewall, as root) can name it.
#[test]
fn a_drop_is_named_even_when_the_phone_has_this_machine_cached() {
    let Some(lan) = lan("bvf", 96) else { return };
    let mac = |ns: &Netns, dev: &str| {
        let out = ns.exec(&["cat", &format!("/sys/class/net/{dev}/address")]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let (laptop_mac, phone_mac) = (mac(&lan.laptop, "wlan0"), mac(&lan.phone, "p0"));
    lan.phone.ip(&[
        "neigh",
        "replace",
        &lan.laptop_ip,
        "lladdr",
        &laptop_mac,
        "dev",
        "p0",
        "nud",
        "permanent",
    ]);
    lan.laptop.ip(&[
        "neigh",
        "replace",
        &lan.phone_ip,
        "lladdr",
        &phone_mac,
        "dev",
        "wlan0",
        "nud",
        "permanent",
    ]);
    drop_port(&lan);
    let beacon = start(&lan, "ko");
    assert_eq!(phone(&lan, VISIT), "URLError");
    let v = stop(beacon);
    assert_eq!(
        diagnosis(&v),
        ("dropped_here", vec![lan.phone_ip.as_str()]),
        "{v:#}"
    );
    let device = &v["devices"][0];
    assert_eq!(device["asked"], false, "nothing was asked: {v:#}");
    assert!(device["syns"].as_u64().unwrap_or(0) >= 1, "{v:#}");
    assert_eq!(device["connections"], 0, "{v:#}");
    assert_eq!(v["diagnosis"]["syns_captured"], true);
    eprintln!("dropped_here, cached (ko): {}", v["diagnosis"]["message"]);
}
