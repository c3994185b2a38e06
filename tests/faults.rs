//! The world changing under bindscope's feet: processes that exit while the socket table is
//! read, and a port freed or taken again between `port --kill`'s check and its signal. Every
//! process here is one this test started, every socket is on loopback.
#![cfg(unix)]

mod common;

use std::fs::File;
use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::netns::Netns;
use common::{command, has_hangul, hold, python_helper};
use serde_json::Value;

/// The short-lived socket holders of tests/helpers/churn.py, run under `prefix`; stopped when
/// dropped.
struct Churn(Child);

impl Churn {
    fn start(prefix: &[&str], sockets_each: u32, limit: u32) -> Churn {
        let args = [sockets_each.to_string(), limit.to_string()];
        let (child, line) = python_helper(prefix, "churn.py", &[&args[0], &args[1]]);
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
    let mut churn = Churn::start(&prefix, 20, 20_000);
    const ROUNDS: usize = 40;
    let mut rounds_with_ghosts = 0;
    for round in 0..ROUNDS {
        let run = ns.bindscope(&["listeners", "--tcp", "--json"]);
        let v = run.code(0).json();
        let rows = v["listeners"].as_array().unwrap();
        for row in rows {
            let processes = common::owners(&v, row);
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
    assert!(
        churn.0.try_wait().unwrap().is_none(),
        "the churn must go on through every round"
    );
}

/// `bindscope ARGS` with a pseudo-terminal for stdin, so that `port --kill` asks before it
/// acts: the test changes the world while the question is open, then answers it.
struct Asking {
    child: Child,
    answer: File,
    stderr: mpsc::Receiver<String>,
    said: String,
}

impl Asking {
    fn start(args: &[&str]) -> Asking {
        let (answer, terminal) = common::pseudo_terminal();
        let mut child = command(&[])
            .args(args)
            .stdin(terminal)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bindscope runs");
        let stderr = common::chunks_of(child.stderr.take().unwrap());
        Asking {
            child,
            answer,
            stderr,
            said: String::new(),
        }
    }

    /// Waits (at most 10 s) until the question has been asked on stderr.
    fn wait_for_question(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.said.contains("[y/N]") {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(chunk) => self.said.push_str(&chunk),
                Err(_) => panic!("no question within 10 s; stderr so far: {}", self.said),
            }
        }
    }

    /// Answers, then waits (at most 10 s) for the exit: the exit code, stdout and the time
    /// from the answer to the exit.
    fn answer(mut self, text: &str) -> (i32, String, Duration) {
        self.answer.write_all(text.as_bytes()).unwrap();
        let answered = Instant::now();
        let deadline = answered + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("bindscope did not finish within 10 s of the answer");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let took = answered.elapsed();
        let mut stdout = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        (status.code().unwrap_or(-1), stdout, took)
    }
}

impl Drop for Asking {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_owner_that_exits_before_the_signal_is_reported_not_signalled() {
    let mut held = hold(&[], &["tcp,127.0.0.1,0"]);
    let port = held.port(0).to_string();
    let mut asking = Asking::start(&["port", &port, "--kill", "--json"]);
    asking.wait_for_question();
    // The owner stops on its own while the user reads the question.
    held.child.kill().unwrap();
    assert!(held.wait_exit(Duration::from_secs(5)));
    let (code, stdout, _) = asking.answer("y\n");
    let v: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(code, 0, "{stdout}");
    let kill = &v["kill"];
    assert_eq!(kill["freed"], true, "{stdout}");
    assert_eq!(kill["targets"][0]["pid"], held.pid());
    assert_eq!(kill["targets"][0]["outcome"], "already_exited", "{stdout}");
    assert_eq!(kill["targets"][0]["signals"], serde_json::json!([]));
    assert_eq!(kill["taken_by"], serde_json::json!([]));
}

#[test]
fn a_port_taken_again_before_the_signal_is_reported_and_the_newcomer_left_alone() {
    let mut first = hold(&[], &["tcp,127.0.0.1,0"]);
    let port = first.port(0);
    for lang in ["en", "ko"] {
        let mut asking = Asking::start(&["--lang", lang, "port", &port.to_string(), "--kill"]);
        asking.wait_for_question();
        // The owner is replaced by another program on the same port before the answer.
        first.child.kill().unwrap();
        assert!(first.wait_exit(Duration::from_secs(5)));
        let mut second = hold(&[], &[&format!("tcp,127.0.0.1,{port}")]);
        let (code, stdout, took) = asking.answer("y\n");
        assert_eq!(code, 1, "{stdout}");
        assert!(
            !second.exited(),
            "the newcomer was not asked about and must not be signalled"
        );
        let newcomer = format!("(pid {})", second.pid());
        let verdict = stdout
            .lines()
            .find(|l| l.contains(&newcomer))
            .unwrap_or_else(|| panic!("the newcomer is named\n{stdout}"));
        assert!(
            verdict.contains(&format!("bindscope port {port} --kill")),
            "{stdout}"
        );
        assert_eq!(has_hangul(verdict), lang == "ko", "{verdict}");
        // Nothing was signalled, so there is no grace period to wait out.
        assert!(took < Duration::from_secs(2), "{took:?}");
        first = second;
    }

    let mut asking = Asking::start(&["port", &port.to_string(), "--kill", "--json"]);
    asking.wait_for_question();
    let old = first.pid();
    first.child.kill().unwrap();
    assert!(first.wait_exit(Duration::from_secs(5)));
    let second = hold(&[], &[&format!("tcp,127.0.0.1,{port}")]);
    let (code, stdout, _) = asking.answer("y\n");
    assert_eq!(code, 1, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let kill = &v["kill"];
    assert_eq!(kill["freed"], false);
    assert_eq!(kill["targets"][0]["pid"], old);
    assert_eq!(kill["targets"][0]["outcome"], "already_exited");
    assert_eq!(kill["targets"][0]["signals"], serde_json::json!([]));
    assert_eq!(kill["taken_by"][0]["pid"], second.pid(), "{stdout}");
    assert_eq!(kill["taken_by"][0]["name"], "python3");
}

/// Under a soft `ulimit -n` of 4 (three descriptors are open at start), the owner scan had no room
/// for the /proc directories it opens and every owner went unseen, blamed on the kernel:
/// bindscope raises its soft limit towards the hard one at start.
#[test]
fn a_low_soft_descriptor_limit_hides_no_owner() {
    let held = hold(&[], &["tcp,127.0.0.1,0"]);
    let port = held.port(0).to_string();
    // Only 0, 1 and 2 open (other tests' descriptors may be inherited), a soft limit of 4.
    let low = [
        "python3",
        "-c",
        "import os, resource, sys\n\
         os.closerange(3, 1 << 16)\n\
         hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]\n\
         resource.setrlimit(resource.RLIMIT_NOFILE, (4, hard))\n\
         os.execv(sys.argv[1], sys.argv[1:])",
    ];
    let run = common::run_with(&low, &["port", &port, "--json"], &[]);
    let v = run.code(1).json();
    assert_eq!(
        v["sockets"][0]["processes"][0]["pid"],
        held.pid(),
        "{}",
        run.context()
    );
}
