//! The world changing under bindscope's feet: processes that exit while the socket table is
//! read, and a port freed or taken again between `port --kill`'s check and its signal. Every
//! process here is one this test started, every socket is on loopback.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::hold;
use common::netns::Netns;

/// The short-lived socket holders of tests/helpers/churn.py, run under `prefix`; stopped when
/// dropped.
struct Churn(Child);

impl Churn {
    fn start(prefix: &[&str], sockets_each: u32, limit: u32) -> Churn {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/helpers/churn.py");
        let (program, rest) = prefix.split_first().expect("a prefix");
        let mut child = Command::new(program)
            .args(rest)
            .arg("python3")
            .arg(script)
            .args([sockets_each.to_string(), limit.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the churn helper starts");
        assert_eq!(line.trim(), "ready");
        Churn(child)
    }
}

impl Drop for Churn {
    fn drop(&mut self) {
        // Closing stdin ends the loop; a kill makes sure.
        drop(self.0.stdin.take());
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// In a namespace of its own, so that every socket there belongs to a process of this test
/// and each one's owner must be seen: a socket listed without an owner is one whose process
/// exited while bindscope read the table.
#[test]
fn processes_that_exit_during_the_scan_are_skipped() {
    let Some(ns) = Netns::new("churn") else {
        return;
    };
    let prefix = ["ip", "netns", "exec", ns.name.as_str()];
    let steady = hold(&prefix, &["tcp,127.0.0.1,0", "tcp,127.0.0.1,0"]);
    // Children that each listen on 20 ports and exit at once, one after another.
    let churn = Churn::start(&prefix, 20, 20_000);
    const ROUNDS: usize = 40;
    let mut rounds_with_ghosts = 0;
    for round in 0..ROUNDS {
        let run = ns.bindscope(&["listeners", "--tcp", "--json"]);
        let v = run.code(0).json();
        let rows = v["listeners"].as_array().unwrap();
        for row in rows {
            let processes = row["processes"].as_array().unwrap();
            // An owner that was seen is named; one that exited is not left as a bare pid.
            assert_eq!(
                row["owner_known"].as_bool().unwrap(),
                !processes.is_empty(),
                "round {round}: {row}\n{}",
                run.context()
            );
            for p in processes {
                assert!(p["name"].as_str().is_some_and(|n| !n.is_empty()), "{p}");
            }
        }
        // Before the second look at unowned sockets, nearly every round listed the sockets of
        // a child that had just exited (about 19 a round); now only a socket caught while the
        // kernel closes it, after its process let go of it, can still show up, rarely.
        if rows.iter().any(|r| r["owner_known"] == false) {
            rounds_with_ghosts += 1;
        }
        // The steady holder is never lost in the churn.
        for n in 0..2 {
            let port = steady.port(n);
            let row = rows
                .iter()
                .find(|r| r["port"] == port)
                .unwrap_or_else(|| panic!("round {round}: port {port} missing\n{}", run.context()));
            assert_eq!(row["processes"][0]["pid"], steady.pid());
        }
    }
    assert!(
        rounds_with_ghosts <= ROUNDS / 8,
        "{rounds_with_ghosts} of {ROUNDS} rounds listed sockets of exited processes"
    );
    drop(churn);
}
