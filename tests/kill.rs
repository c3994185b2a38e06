//! `port --kill` against processes this test starts, and only those: every port is held by a
//! helper the test spawned, so nothing else can be signalled.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{bindscope, has_hangul, hold};
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

/// What decoy.sh printed: bindscope's output, then `exit=N` and whether the decoy lived.
struct DecoyRun {
    out: String,
}

impl DecoyRun {
    /// The holder `held` is asked about from a pid namespace whose /proc is the parent's, with
    /// a decoy there that has the holder's number (`args` go before `port`).
    fn start(held: &common::Held, args: &[&str]) -> DecoyRun {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/helpers/decoy.sh");
        let (port, pid) = (held.port(0).to_string(), held.pid().to_string());
        let mut cmd = Command::new("unshare");
        cmd.args(["--pid", "--fork", "sh", script, common::BIN, &port, &pid])
            .args(args)
            .stdin(std::process::Stdio::null());
        common::neutral_env(&mut cmd);
        let out = cmd.output().expect("unshare runs");
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.contains("no-decoy"),
            "the decoy could not be placed: {out}"
        );
        assert!(
            out.contains("decoy-alive"),
            "the decoy was signalled:\n{out}"
        );
        DecoyRun { out }
    }

    fn json(&self) -> Value {
        let json = &self.out[self.out.find('{').unwrap_or(0)..];
        serde_json::Deserializer::from_str(json)
            .into_iter::<Value>()
            .next()
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("no JSON:\n{}", self.out))
    }
}

/// `unshare --pid --fork` without `--mount-proc`: bindscope reads the parent's /proc, where the
/// holder has a number that a decoy has in bindscope's own namespace. Signalling that number
/// killed the decoy and left the holder running; now nothing but the verified holder may be
/// signalled, and here bindscope refuses, saying why, in both languages.
#[test]
fn in_a_pid_namespace_with_its_parents_proc_the_decoy_is_never_signalled() {
    if !common::netns::root("a pid namespace") {
        return;
    }
    let mut held = hold(&[], &["tcp,127.0.0.1,0"]);
    let run = DecoyRun::start(&held, &["--json"]);
    let v = run.json();
    let kill = &v["kill"];
    assert_eq!(kill["refused"][0]["pid"], held.pid(), "{}", run.out);
    assert_eq!(kill["refused"][0]["reason"], "foreign_pids");
    assert_eq!(kill["verdict"], "nothing_sent");
    assert!(kill["targets"].as_array().unwrap().is_empty());
    assert!(run.out.contains("exit=1"), "{}", run.out);
    assert!(!held.exited(), "refused: the holder still runs");

    for (lang, says) in [("en", "pid namespace"), ("ko", "pid 네임스페이스")] {
        let run = DecoyRun::start(&held, &["--lang", lang]);
        assert!(run.out.contains(says), "{lang}:\n{}", run.out);
        assert!(
            !run.out.contains("--force"),
            "nothing was sent:\n{}",
            run.out
        );
        assert_eq!(has_hangul(&run.out), lang == "ko", "{}", run.out);
    }
    assert!(!held.exited());
}

/// An unprivileged user cannot see, let alone stop, root's process: bindscope says whose it
/// is and to run with sudo, and does not advise --force, since nothing was sent.
#[test]
fn another_users_process_is_named_with_sudo_not_force() {
    let Some(ns) = common::netns::Netns::new("kill-nobody") else {
        return;
    };
    let copy = NobodyCopy::new("kill-nobody");
    let mut held = hold(&["ip", "netns", "exec", &ns.name], &["tcp,127.0.0.1,0"]);
    let port = held.port(0).to_string();
    let as_nobody = [
        "ip", "netns", "exec", &ns.name, "runuser", "-u", "nobody", "--",
    ];
    let run = common::run_bin(
        &copy.bin(),
        &as_nobody,
        &["port", &port, "--kill", "--yes", "--json"],
    );
    let v = run.code(1).json();
    let kill = &v["kill"];
    assert_eq!(kill["verdict"], "nothing_sent", "{}", run.context());
    assert_eq!(kill["unseen"][0]["user"], "root", "{}", run.context());
    assert_eq!(kill["unseen"][0]["needs_privilege"], true);
    for (lang, says) in [
        ("en", "This process belongs to root: run with sudo"),
        ("ko", "root의 프로세스가"),
    ] {
        let run = common::run_bin(
            &copy.bin(),
            &as_nobody,
            &["--lang", lang, "port", &port, "--kill", "--yes"],
        );
        run.code(1);
        assert!(run.stdout.contains(says), "{}", run.context());
        assert!(
            run.stdout.contains("sudo bindscope port"),
            "{}",
            run.context()
        );
        assert!(!run.stdout.contains("--force"), "{}", run.context());
    }
    assert!(!held.exited(), "nothing was sent to root's process");
}

/// `bindscope port P --kill` on a terminal: the holders (command line, folder, user, how long
/// it has run) come before the question, and after the answer only what happened: not the
/// port as it was before the kill.
#[cfg(unix)]
#[test]
fn the_holders_come_before_the_question_and_only_what_happened_after() {
    use std::io::{Read, Write};
    for (lang, running, folder, freed, asked) in [
        (
            "en",
            "running for",
            "folder",
            "is free now",
            "Stop it? [y/N]",
        ),
        ("ko", "실행 중", "폴더", "비었습니다", "멈출까요? [y/N]"),
    ] {
        let mut held = hold(&[], &["tcp,127.0.0.1,0"]);
        let port = held.port(0).to_string();
        let (mut answer, terminal) = common::pseudo_terminal();
        let mut child = common::command(&[])
            .args(["--lang", lang, "port", &port, "--kill"])
            .stdin(terminal)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("bindscope runs");
        let stderr = common::chunks_of(child.stderr.take().unwrap());
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut said = String::new();
        while !said.contains("[y/N]") {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match stderr.recv_timeout(left) {
                Ok(chunk) => said.push_str(&chunk),
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("no question within 10 s: {said}");
                }
            }
        }
        // Nothing was signalled while the question is open.
        assert!(!held.exited());
        let cwd = std::env::current_dir().unwrap();
        for part in [
            format!("pid {}", held.pid()),
            "listen.py".to_string(),
            "root".to_string(),
            running.to_string(),
            folder.to_string(),
            cwd.to_string_lossy().into_owned(),
            asked.to_string(),
        ] {
            assert!(said.contains(&part), "{lang}: {part:?} missing in\n{said}");
        }
        assert!(
            said.trim_end().ends_with("[y/N]"),
            "the question comes last:\n{said}"
        );
        answer.write_all(b"y\n").unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{stdout}");
        assert!(stdout.contains(freed), "{lang}:\n{stdout}");
        assert!(stdout.contains("SIGTERM"), "{stdout}");
        // The stale report of the port as it was (taken, its trial binds) is gone.
        for stale in [
            "is taken",
            "127.0.0.1:",
            "BIND",
            "Class:",
            "사용 중입니다",
            "바인드",
            "분류:",
        ] {
            assert!(
                !stdout.contains(stale),
                "{lang}: stale {stale:?} in\n{stdout}"
            );
        }
        assert_eq!(has_hangul(&stdout), lang == "ko", "{stdout}");
        assert!(held.wait_exit(Duration::from_secs(5)));
    }
}

/// tests/helpers/leader_exits.c built with `cc` into a folder of this test's, removed when
/// dropped; `None` (a skip, or a failure under CI) where there is no C compiler.
struct Compiled(std::path::PathBuf);

impl Compiled {
    fn leader_exits() -> Option<Compiled> {
        let dir = std::env::temp_dir().join(format!("bindscope-leader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let compiled = Compiled(dir);
        let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/helpers/leader_exits.c");
        match Command::new("cc")
            .args(["-pthread", "-o"])
            .arg(compiled.bin())
            .arg(source)
            .output()
        {
            Ok(out) if out.status.success() => Some(compiled),
            Ok(out) => panic!("cc failed: {}", String::from_utf8_lossy(&out.stderr)),
            Err(e) => {
                common::netns::skip(&format!("no C compiler to build the helper ({e})"));
                None
            }
        }
    }

    fn bin(&self) -> std::path::PathBuf {
        self.0.join("leader_exits")
    }
}

impl Drop for Compiled {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The state letter in /proc/PID/stat.
fn state_of(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().next().map(str::to_string)
}

/// A process whose main thread has exited while another thread holds its listener: the
/// leader is a zombie and /proc/PID/fd lists nothing, so the owner is found (and verified
/// before the signal) through a live thread's task/TID/fd.
#[test]
fn a_process_whose_main_thread_exited_is_found_and_stopped() {
    use std::io::BufRead;
    let Some(helper) = Compiled::leader_exits() else {
        return;
    };
    let mut child = Command::new(helper.bin())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the helper runs");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u32 = line.trim().parse().expect("the helper's port");
    let mut held = common::Held {
        child,
        numbers: vec![port],
    };
    let pid = held.pid();
    // The case under test: the leader a zombie, its fd directory empty, the process running.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while state_of(pid).as_deref() != Some("Z") && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        state_of(pid).as_deref(),
        Some("Z"),
        "the main thread exited"
    );
    assert_eq!(
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .count(),
        0
    );
    assert!(!held.exited());

    let port = held.port(0).to_string();
    let run = bindscope(&["port", &port, "--json"]);
    let v = run.code(1).json();
    assert_eq!(
        v["sockets"][0]["processes"][0]["pid"],
        pid,
        "{}",
        run.context()
    );

    let run = bindscope(&["port", &port, "--kill", "--yes", "--json"]);
    let v = run.code(0).json();
    assert_eq!(v["kill"]["targets"][0]["pid"], pid, "{}", run.context());
    assert_eq!(v["kill"]["targets"][0]["outcome"], "exited");
    assert_eq!(v["kill"]["freed"], true);
    assert!(held.wait_exit(Duration::from_secs(5)));
}

/// A listener that is pid 1 of a new pid namespace (`unshare --pid --fork --mount-proc`), as a
/// container's init is: seen from here, its number is an ordinary one. Ends when stdin
/// closes, when unshare dies (`--kill-child`), or after 120 seconds.
struct ContainerInit {
    unshare: std::process::Child,
    port: u16,
}

impl ContainerInit {
    fn start() -> ContainerInit {
        use std::io::BufRead;
        let script = "import os, signal, socket, sys\n\
            # As a namespace's init, a signal it has no handler for is not delivered: even this.\n\
            signal.signal(signal.SIGALRM, lambda *_: os._exit(0))\n\
            signal.alarm(120)\n\
            s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n\
            print(s.getsockname()[1], flush=True)\n\
            sys.stdin.read()\n";
        let mut unshare = Command::new("unshare")
            .args(["--pid", "--fork", "--mount-proc", "--kill-child"])
            .args(["python3", "-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("unshare runs");
        let mut line = String::new();
        std::io::BufReader::new(unshare.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = unshare.kill();
            let _ = unshare.wait();
            panic!("the namespace's init did not listen: {line:?}")
        });
        ContainerInit { unshare, port }
    }

    /// The listener's pid here, checked to be unshare's child (this test's own process).
    fn pid(&self) -> u32 {
        let v = bindscope(&["port", &self.port.to_string(), "--json"]).json();
        let pid = v["sockets"][0]["processes"][0]["pid"]
            .as_u64()
            .unwrap_or_else(|| panic!("no owner: {v}")) as u32;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        assert!(
            status.contains(&format!("PPid:\t{}\n", self.unshare.id())),
            "{status}"
        );
        let nspid = status.lines().find(|l| l.starts_with("NSpid:")).unwrap();
        assert_eq!(nspid.split_whitespace().last(), Some("1"), "{nspid}");
        pid
    }

    /// Whether it still runs and accepts on its port.
    fn serves(&self) -> bool {
        std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok()
    }
}

impl Drop for ContainerInit {
    fn drop(&mut self) {
        // SIGKILL to unshare, this test's child; --kill-child takes its child with it.
        let _ = self.unshare.kill();
        let _ = self.unshare.wait();
    }
}

/// A container's init, pid 1 of its own pid namespace, is never signalled, even with
/// --force: it is shown, left alone, and the advice is to stop the container, in both
/// languages.
#[test]
fn a_containers_init_is_never_signalled() {
    if !common::netns::root("a pid namespace") {
        return;
    }
    let init = ContainerInit::start();
    let pid = init.pid();
    let port = init.port.to_string();
    let run = bindscope(&[
        "port", &port, "--kill", "--yes", "--force", "--grace", "300ms", "--json",
    ]);
    let v = run.code(1).json();
    let kill = &v["kill"];
    assert_eq!(kill["verdict"], "nothing_sent", "{}", run.context());
    assert_eq!(kill["holders"][0]["pid"], pid);
    assert_eq!(kill["holders"][0]["container_init"], true);
    assert_eq!(kill["targets"][0]["pid"], pid);
    assert_eq!(kill["targets"][0]["outcome"], "container_init");
    assert_eq!(kill["targets"][0]["signals"], serde_json::json!([]));
    assert_eq!(kill["freed"], false);
    assert!(init.serves(), "the container's init still runs");

    for (lang, says) in [("en", "container's init"), ("ko", "컨테이너의 init")] {
        let run = bindscope(&[
            "--lang", lang, "port", &port, "--kill", "--yes", "--force", "--grace", "300ms",
        ]);
        run.code(1);
        for part in [says, "docker stop", "podman stop"] {
            assert!(
                run.stdout.contains(part),
                "{lang}: {part}\n{}",
                run.context()
            );
        }
        assert!(!run.stdout.contains("SIGKILL"), "{}", run.context());
        assert_eq!(has_hangul(&run.stdout), lang == "ko", "{}", run.context());
    }
    assert!(init.serves(), "the container's init still runs");
}

/// On one port number, a TCP listener, a UDP server and a connected UDP client (each a helper
/// of this test's): the pids of the three.
struct OnePortThreeWays {
    tcp: common::Held,
    udp: common::Held,
    client: common::Held,
}

impl OnePortThreeWays {
    fn start() -> OnePortThreeWays {
        let tcp = hold(&[], &["tcp,127.0.0.1,0"]);
        let port = tcp.port(0);
        let udp = hold(&[], &[&format!("udp,127.0.0.1,{port}")]);
        let client = hold(&[], &[&format!("udp,127.0.0.2,{port},connect=127.0.0.1:9")]);
        let v = bindscope(&["port", &port.to_string(), "--json"]).json();
        let state_of = |pid: u32| -> Vec<(String, String)> {
            v["sockets"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| {
                    s["processes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|p| p["pid"] == pid)
                })
                .map(|s| (s["proto"].to_string(), s["state"].to_string()))
                .collect()
        };
        let both =
            |proto: &str, state: &str| vec![(format!("\"{proto}\""), format!("\"{state}\""))];
        assert_eq!(state_of(tcp.pid()), both("tcp", "listen"), "{v}");
        assert_eq!(state_of(udp.pid()), both("udp", "unconn"), "{v}");
        assert_eq!(state_of(client.pid()), both("udp", "established"), "{v}");
        OnePortThreeWays { tcp, udp, client }
    }

    fn port(&self) -> String {
        self.tcp.port(0).to_string()
    }
}

fn target_pids(v: &Value) -> Vec<u64> {
    let mut pids: Vec<u64> = v["kill"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["pid"].as_u64().unwrap())
        .collect();
    pids.sort_unstable();
    pids
}

/// `port P --kill` is about TCP listeners on P: a UDP socket on the same number is left alone
/// (and said so) unless `--udp` is given, and a connected UDP client never is a target.
#[test]
fn kill_stops_tcp_listeners_and_udp_servers_only_with_udp() {
    let mut on = OnePortThreeWays::start();
    let port = on.port();
    let run = bindscope(&["port", &port, "--kill", "--yes", "--json"]);
    let v = run.code(0).json();
    assert_eq!(
        target_pids(&v),
        vec![u64::from(on.tcp.pid())],
        "{}",
        run.context()
    );
    assert_eq!(v["kill"]["freed"], true);
    assert_eq!(v["kill"]["udp"], false);
    assert_eq!(v["kill"]["udp_left"], 1);
    assert!(on.tcp.wait_exit(Duration::from_secs(5)));
    assert!(!on.udp.exited(), "the UDP server was left alone");
    assert!(!on.client.exited(), "the UDP client was left alone");

    let mut on = OnePortThreeWays::start();
    let port = on.port();
    let human = bindscope(&["port", &port, "--kill", "--yes", "--udp"]);
    human.code(0);
    assert!(!human.stdout.contains("--udp"), "{}", human.context());
    assert!(on.tcp.wait_exit(Duration::from_secs(5)));
    assert!(on.udp.wait_exit(Duration::from_secs(5)));
    assert!(
        !on.client.exited(),
        "a connected UDP client is never signalled"
    );
    // And the client alone on the number is nothing to stop, even with --udp.
    let v = bindscope(&["port", &port, "--kill", "--yes", "--udp", "--json"])
        .code(0)
        .json();
    assert_eq!(v["kill"]["verdict"], "nothing_to_kill", "{v}");
    assert!(!on.client.exited());

    // Without --udp, the human view says what was left alone and how to include it.
    let on = OnePortThreeWays::start();
    let human = bindscope(&["port", &on.port(), "--kill", "--yes"]);
    assert!(human.stdout.contains("add --udp"), "{}", human.context());
}
