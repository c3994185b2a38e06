//! `port --kill` against processes this test starts, and only those: every port is held by a
//! helper the test spawned, so nothing else can be signalled.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{bindscope, hold};
use serde_json::Value;

#[test]
fn refused_without_a_terminal_and_without_yes() {
    let mut held = hold(&[], &["tcp,127.0.0.1,0"]);
    let port = held.port(0).to_string();
    let run = bindscope(&["port", &port, "--kill"]);
    run.code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.context());
    assert!(run.stderr.contains("--yes"), "{}", run.context());
    assert!(!held.exited(), "the process must survive a refused --kill");
    // And it still holds the port.
    assert!(std::net::TcpListener::bind(("127.0.0.1", held.port(0))).is_err());
}

#[test]
fn yes_stops_the_owner_and_frees_the_port() {
    let mut held = hold(&[], &["tcp,127.0.0.1,0"]);
    let port = held.port(0);
    let run = bindscope(&["port", &port.to_string(), "--kill", "--yes", "--json"]);
    run.code(0);
    let v = run.json();
    let kill = &v["kill"];
    assert_eq!(kill["freed"], true, "{}", run.context());
    let targets = kill["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["pid"], held.pid());
    assert_eq!(targets[0]["signals"], serde_json::json!(["terminate"]));
    assert_eq!(targets[0]["outcome"], "exited");
    assert!(held.wait_exit(Duration::from_secs(5)));
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is free again");
}

#[test]
fn sigkill_only_with_force() {
    let mut held = hold(&[], &["--ignore-term", "tcp,127.0.0.1,0"]);
    let port = held.port(0).to_string();
    let run = bindscope(&[
        "port", &port, "--kill", "--yes", "--grace", "300ms", "--json",
    ]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["kill"]["freed"], false);
    assert_eq!(v["kill"]["targets"][0]["outcome"], "still_running");
    assert!(
        !held.exited(),
        "SIGTERM was ignored and no SIGKILL was sent"
    );
    let human = bindscope(&["port", &port, "--kill", "--yes", "--grace", "300ms"]);
    assert!(human.stdout.contains("--force"), "{}", human.context());

    let run = bindscope(&[
        "port", &port, "--kill", "--yes", "--force", "--grace", "2s", "--json",
    ]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["kill"]["freed"], true, "{}", run.context());
    assert_eq!(
        v["kill"]["targets"][0]["signals"],
        serde_json::json!(["terminate", "kill"])
    );
    assert!(held.wait_exit(Duration::from_secs(5)));
}

#[test]
fn both_processes_of_a_shared_socket_are_named_and_stopped_parent_first() {
    // Like Werkzeug's reloader: a parent and its child hold one socket.
    let mut held = hold(&[], &["--fork", "tcp,127.0.0.1,0"]);
    let (port, child) = (held.port(0), held.numbers[1]);
    let v = bindscope(&["port", &port.to_string(), "--json"]).json();
    let socket = &v["sockets"][0];
    let pids: Vec<u64> = socket["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pid"].as_u64().unwrap())
        .collect();
    assert_eq!(
        pids,
        vec![u64::from(held.pid()), u64::from(child)],
        "one row, both pids"
    );
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "reloader"
            && n["message"]
                .as_str()
                .unwrap()
                .contains(&format!("pid {}", held.pid()))));

    let v = bindscope(&["port", &port.to_string(), "--kill", "--yes", "--json"])
        .code(0)
        .json();
    let order: Vec<u64> = v["kill"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["pid"].as_u64().unwrap())
        .collect();
    assert_eq!(
        order,
        vec![u64::from(held.pid()), u64::from(child)],
        "the parent first"
    );
    assert!(held.wait_exit(Duration::from_secs(5)));
}

/// In a pid namespace the test creates, the helper is pid 1 and holds the port; bindscope,
/// run inside the same namespace, must refuse to signal it.
#[test]
fn pid_1_is_never_signalled() {
    if !common::netns::root("a pid namespace") {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/helpers/pid1.sh");
    let out = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "sh", script, common::BIN])
        .output()
        .expect("unshare runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = &stdout[stdout.find('{').unwrap_or(0)..];
    let v: Value = serde_json::Deserializer::from_str(json)
        .into_iter::<Value>()
        .next()
        .and_then(Result::ok)
        .unwrap_or_else(|| {
            panic!(
                "no JSON: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    assert_eq!(v["kill"]["refused"][0]["pid"], 1, "{v}");
    assert_eq!(v["kill"]["refused"][0]["reason"], "init");
    assert!(v["kill"]["targets"].as_array().unwrap().is_empty());
    assert_eq!(v["kill"]["freed"], false);
    assert!(stdout.contains("survived"), "pid 1 still runs: {stdout}");
}

/// A copy of the binary that `nobody` can run (the build directory may be closed to it),
/// removed when dropped.
struct NobodyCopy(std::path::PathBuf);

impl NobodyCopy {
    fn new(tag: &str) -> NobodyCopy {
        let dir = std::env::temp_dir().join(format!("bindscope-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bin = dir.join("bindscope");
        std::fs::copy(common::BIN, &bin).unwrap();
        Command::new("chmod")
            .args(["755"])
            .arg(&dir)
            .arg(&bin)
            .status()
            .unwrap();
        NobodyCopy(dir)
    }

    fn bin(&self) -> String {
        self.0.join("bindscope").to_string_lossy().into_owned()
    }
}

impl Drop for NobodyCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn says_how_to_see_the_owners(v: &serde_json::Value) -> bool {
    v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "owners_hidden" && n["message"].as_str().unwrap().contains("sudo"))
}

#[test]
fn an_unprivileged_user_still_sees_every_socket() {
    if !common::netns::root("running as another user") {
        return;
    }
    let copy = NobodyCopy::new("nobody");
    let held = hold(&[], &["tcp,127.0.0.1,0"]);
    let run = common::run_bin(
        &copy.bin(),
        &["runuser", "-u", "nobody", "--"],
        &["listeners", "--json"],
    );
    let v = run.code(0).json();
    let row = v["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["port"] == held.port(0))
        .expect("root's socket is listed for nobody too");
    assert_eq!(row["owner_known"], false);
    assert_eq!(
        row["user"], "root",
        "the socket's owner is known from the kernel"
    );
    assert_eq!(v["owners_complete"], false);
    assert!(says_how_to_see_the_owners(&v), "{v}");
}

#[test]
fn port_and_probe_as_an_unprivileged_user_find_the_socket_and_say_how_to_see_its_owner() {
    // The probe connects to every address of the machine: a namespace of its own.
    let Some(ns) = common::netns::Netns::new("nobody") else {
        return;
    };
    let copy = NobodyCopy::new("nobody-ns");
    let held = hold(&["ip", "netns", "exec", &ns.name], &["tcp,127.0.0.1,0"]);
    let port = held.port(0).to_string();
    let as_nobody = [
        "ip", "netns", "exec", &ns.name, "runuser", "-u", "nobody", "--",
    ];

    let run = common::run_bin(&copy.bin(), &as_nobody, &["port", &port, "--json"]);
    let v = run.code(1).json();
    let socket = &v["sockets"][0];
    assert_eq!(socket["ip"], "127.0.0.1", "{}", run.context());
    assert_eq!(socket["owner_known"], false, "{}", run.context());
    assert!(says_how_to_see_the_owners(&v), "{}", run.context());

    let run = common::run_bin(&copy.bin(), &as_nobody, &["probe", "-p", &port, "--json"]);
    let v = run.code(1).json();
    assert_eq!(v["inferred_bind"], "loopback", "{}", run.context());
    assert_eq!(v["listening_on"], serde_json::json!(["127.0.0.1"]));
    assert!(says_how_to_see_the_owners(&v), "{}", run.context());
    drop(held);
}
