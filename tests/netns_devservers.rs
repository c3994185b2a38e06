#![cfg(unix)]
//! Real development servers that check the `Host` header, asked the way a phone asks: a
//! "laptop" namespace (10.203.63.2) runs Django's `runserver` and Vite bound to 0.0.0.0, each in
//! its default configuration; a "phone" namespace (10.203.63.3) across a veth runs
//! `bindscope probe --http`. The phone knows the laptop as `laptop.local` through its own
//! /etc/netns/PHONE/hosts, which `ip netns exec` puts in place of /etc/hosts. No packet leaves
//! the two namespaces.
//!
//! Django comes from PyPI (`pip install django`), Vite from npm into tests/fixtures/vite-app
//! (`npm ci` there); without them the tests skip by hand and fail under CI=true.

mod common;

#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::netns::{skip, Netns};
use serde_json::Value;

const LAPTOP: &str = "10.203.63.2";
const PHONE: &str = "10.203.63.3";

struct Lan {
    laptop: Netns,
    phone: Netns,
    _hosts: PhoneHosts,
}

/// The phone's own hosts file, removed when the test ends.
struct PhoneHosts {
    dir: PathBuf,
}

impl Drop for PhoneHosts {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn lan(tag: &str) -> Option<Lan> {
    let laptop = Netns::new(&format!("dv{tag}-laptop"))?;
    let phone = Netns::new(&format!("dv{tag}-phone"))?;
    laptop.link(
        "lan0",
        &format!("{LAPTOP}/24"),
        &phone,
        "wlan0",
        &format!("{PHONE}/24"),
    );
    let dir = Path::new("/etc/netns").join(&phone.name);
    std::fs::create_dir_all(&dir).expect("/etc/netns/PHONE");
    let hosts = PhoneHosts { dir };
    std::fs::write(
        hosts.dir.join("hosts"),
        format!("127.0.0.1 localhost\n{LAPTOP} laptop.local\n"),
    )
    .expect("the phone's hosts file");
    Some(Lan {
        laptop,
        phone,
        _hosts: hosts,
    })
}

/// A server in a process group of its own, stopped with it (and nothing else) at the end.
struct Server {
    leader: Child,
    dir: Option<PathBuf>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let group = format!("-{}", self.leader.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).output();
        let _ = self.leader.wait();
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn spawn(ns: &Netns, program: &str, args: &[&str], dir: &Path) -> Child {
    let mut command = Command::new("ip");
    command
        .args(["netns", "exec", &ns.name, program])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    command.spawn().expect("ip netns exec runs")
}

/// Polls (bounded) from the phone until the laptop's port accepts connections.
fn wait_open(lan: &Lan, port: u16) {
    let target = format!("{LAPTOP}:{port}");
    let started = Instant::now();
    loop {
        let run = lan
            .phone
            .bindscope(&["probe", &target, "--json", "--timeout", "300ms"]);
        if run.code == 0 {
            eprintln!("{target} open after {:?}", started.elapsed());
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{target} did not open within 30 s: {}",
            run.context()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn has_note(v: &Value, code: &str) -> bool {
    common::find(&v["notes"], "code", code).is_some()
}

fn django_installed() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import django"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        skip("Django is not installed (python3 -m pip install django)");
    }
    ok
}

/// `django-admin startproject` in a directory of its own, as a student's first project is
/// (DEBUG = True, ALLOWED_HOSTS = []), then `runserver 0.0.0.0:8000` on the laptop.
fn django(lan: &Lan, allowed_hosts: Option<&str>) -> Server {
    let dir = std::env::temp_dir().join(format!(
        "bindscope-django-{}-{}",
        std::process::id(),
        allowed_hosts.is_some()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let made = Command::new("python3")
        .args(["-m", "django", "startproject", "mysite", "."])
        .current_dir(&dir)
        .output()
        .expect("python3 runs");
    assert!(made.status.success(), "startproject: {made:?}");
    if let Some(hosts) = allowed_hosts {
        let settings = dir.join("mysite/settings.py");
        let text = std::fs::read_to_string(&settings).unwrap();
        assert!(text.contains("ALLOWED_HOSTS = []"), "{text}");
        std::fs::write(
            &settings,
            text.replace("ALLOWED_HOSTS = []", &format!("ALLOWED_HOSTS = {hosts}")),
        )
        .unwrap();
    }
    let leader = spawn(
        &lan.laptop,
        "python3",
        &["manage.py", "runserver", "0.0.0.0:8000", "--noreload"],
        &dir,
    );
    let server = Server {
        leader,
        dir: Some(dir),
    };
    wait_open(lan, 8000);
    server
}

#[test]
fn django_refuses_the_phones_host_and_the_note_names_allowed_hosts() {
    if !django_installed() {
        return;
    }
    let Some(lan) = lan("dj") else { return };
    let server = django(&lan, None);
    let url = format!("http://{LAPTOP}:8000/app");

    let run = lan.phone.bindscope(&["probe", &url, "--http", "--json"]);
    run.code(1);
    let v = run.json();
    assert_eq!(v["verdict"], "host_not_allowed", "{}", run.context());
    let http = &v["results"][0]["http"];
    assert_eq!(http["host"], format!("{LAPTOP}:8000"), "{}", run.context());
    assert_eq!(http["status"], 400, "{}", run.context());
    assert_eq!(
        http["host_refused"]["server"],
        "django",
        "{}",
        run.context()
    );
    assert_eq!(http["host_refused"]["setting"], "ALLOWED_HOSTS");
    assert!(has_note(&v, "host_not_allowed"), "{}", run.context());

    let ko = lan
        .phone
        .bindscope(&["--lang", "ko", "probe", &url, "--http"]);
    assert!(
        ko.stdout.contains("ALLOWED_HOSTS = ['10.203.63.2'") && ko.stdout.contains("거부"),
        "{}",
        ko.context()
    );

    // From the laptop itself: 127.0.0.1 is let in, the LAN address the phone uses is not.
    let local = lan
        .laptop
        .bindscope(&["probe", "-p", "8000", "--http", "--json"]);
    local.code(1);
    let v = local.json();
    assert_eq!(v["verdict"], "host_not_allowed", "{}", local.context());
    let row = |ip: &str| common::find(&v["results"], "ip", ip).cloned().unwrap();
    assert!(row("127.0.0.1")["http"]["host_refused"].is_null());
    assert_eq!(row(LAPTOP)["http"]["host_refused"]["server"], "django");
    assert!(v["url"].is_null(), "no URL the server refuses");
    drop(server);

    // The fix the note gives, applied: the phone is let in.
    let _fixed = django(
        &lan,
        Some(&format!("['{LAPTOP}', 'localhost', '127.0.0.1']")),
    );
    let run = lan.phone.bindscope(&["probe", &url, "--http", "--json"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["verdict"], "all_open", "{}", run.context());
    assert!(v["results"][0]["http"]["host_refused"].is_null());
    assert!(!has_note(&v, "host_not_allowed"), "{}", run.context());
}

fn vite_app() -> Option<PathBuf> {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vite-app");
    if app.join("node_modules/.bin/vite").exists() {
        Some(app)
    } else {
        skip("Vite is not installed here (cd tests/fixtures/vite-app && npm ci)");
        None
    }
}

#[test]
fn vite_lets_the_ip_in_and_refuses_a_name() {
    let Some(app) = vite_app() else { return };
    let Some(lan) = lan("vi") else { return };
    let leader = spawn(
        &lan.laptop,
        "node_modules/.bin/vite",
        &["--host", "0.0.0.0", "--port", "5173", "--strictPort"],
        &app,
    );
    let _server = Server { leader, dir: None };
    wait_open(&lan, 5173);

    let by_name = lan
        .phone
        .bindscope(&["probe", "http://laptop.local:5173/", "--http", "--json"]);
    by_name.code(1);
    let v = by_name.json();
    assert_eq!(v["verdict"], "host_not_allowed", "{}", by_name.context());
    let http = &v["results"][0]["http"];
    assert_eq!(http["host"], "laptop.local:5173", "{}", by_name.context());
    assert_eq!(http["status"], 403);
    assert_eq!(http["host_refused"]["server"], "vite");
    assert_eq!(http["host_refused"]["setting"], "server.allowedHosts");
    let note = common::find(&v["notes"], "code", "host_not_allowed").unwrap();
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .contains("allowedHosts: ['laptop.local']"),
        "{note}"
    );

    let by_ip = lan.phone.bindscope(&[
        "probe",
        &format!("http://{LAPTOP}:5173/"),
        "--http",
        "--json",
    ]);
    by_ip.code(0);
    let v = by_ip.json();
    assert_eq!(v["verdict"], "all_open", "{}", by_ip.context());
    assert_eq!(v["results"][0]["http"]["status"], 200);
    assert!(v["results"][0]["http"]["host_refused"].is_null());
}
