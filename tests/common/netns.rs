//! Network namespaces that a test creates for itself and always removes, also when it fails.
//!
//! Run unprivileged by hand, the tests that need them skip with the reason printed; under
//! `CI=true` they must run, and fail if they cannot.

use std::io::Write;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::{run_with, Run};

pub struct Netns {
    pub name: String,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Says why a test cannot run here: a skip by hand, a failure under CI.
pub fn skip(reason: &str) {
    if in_ci() {
        panic!("CI=true but this test cannot run: {reason}");
    }
    // Straight to the stream, past the test harness's capture, so that the skip is seen.
    let _ = writeln!(
        std::io::stderr(),
        "skipping: {reason} (under CI=true this is a failure)"
    );
}

fn unavailable(reason: String) -> Option<Netns> {
    skip(&reason);
    None
}

/// Whether this test runs as root; if not, the skip (or CI failure) is reported.
pub fn root(what: &str) -> bool {
    let uid = Command::new("id").arg("-u").output();
    let is_root = uid.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    if !is_root {
        skip(&format!("{what} needs root"));
    }
    is_root
}

impl Netns {
    /// A new, empty namespace (its lo is brought up), or `None` when namespaces cannot be made
    /// here and this is not CI.
    pub fn new(tag: &str) -> Option<Netns> {
        if !root("a network namespace") {
            return None;
        }
        let name = format!("bs-{tag}-{}", std::process::id());
        // A namespace of the same name left by a killed run of this pid is ours to remove.
        let _ = Command::new("ip").args(["netns", "del", &name]).output();
        match Command::new("ip").args(["netns", "add", &name]).output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => {
                return unavailable(format!(
                    "ip netns add failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ))
            }
            Err(e) => return unavailable(format!("cannot run ip (iproute2): {e}")),
        }
        let ns = Netns { name };
        ns.ip(&["link", "set", "lo", "up"]);
        Some(ns)
    }

    /// A new namespace that answers name lookups from files of its own: `ip netns exec`
    /// bind-mounts `/etc/netns/NAME/*` over `/etc`, so its `hosts` (localhost only), its
    /// `nsswitch.conf` (files, no DNS) and its `resolv.conf` (a nameserver on its own loopback)
    /// keep every lookup inside it: `nowhere.invalid` is unresolved and nothing is sent.
    pub fn with_own_resolver(tag: &str) -> Option<Netns> {
        let ns = Netns::new(tag)?;
        let dir = ns.etc();
        std::fs::create_dir_all(&dir).expect("/etc/netns/NAME");
        for (file, text) in [
            ("hosts", "127.0.0.1 localhost\n::1 localhost\n"),
            ("nsswitch.conf", "hosts: files\n"),
            (
                "resolv.conf",
                "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
            ),
        ] {
            std::fs::write(dir.join(file), text).expect("resolver file");
        }
        Some(ns)
    }

    fn etc(&self) -> std::path::PathBuf {
        std::path::Path::new("/etc/netns").join(&self.name)
    }

    /// `ip -n NS ARGS`, which must succeed.
    pub fn ip(&self, args: &[&str]) {
        let out = Command::new("ip")
            .args(["-n", &self.name])
            .args(args)
            .output()
            .expect("ip runs");
        assert!(
            out.status.success(),
            "ip -n {} {}: {}",
            self.name,
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A command inside the namespace.
    pub fn exec(&self, args: &[&str]) -> Output {
        Command::new("ip")
            .args(["netns", "exec", &self.name])
            .args(args)
            .output()
            .expect("ip netns exec runs")
    }

    /// A LAN link `lan0` (a veth whose peer `lan0p` stays in the namespace, both up) with an
    /// IPv4 and an IPv6 address, and the default route through `gateway` on it.
    pub fn add_lan(&self, v4: &str, v6: &str, gateway: &str) {
        self.ip(&[
            "link", "add", "lan0", "type", "veth", "peer", "name", "lan0p",
        ]);
        self.ip(&["addr", "add", v4, "dev", "lan0"]);
        self.ip(&["-6", "addr", "add", v6, "dev", "lan0", "nodad"]);
        self.ip(&["link", "set", "lan0p", "up"]);
        self.ip(&["link", "set", "lan0", "up"]);
        self.ip(&["route", "add", "default", "via", gateway, "dev", "lan0"]);
        self.wait_until_up("lan0");
    }

    /// A veth pair to `peer`: `here` (with IPv4 address `v4`, CIDR) in this namespace, `there`
    /// (with `peer_v4`) in the peer's, both up.
    pub fn link(&self, here: &str, v4: &str, peer: &Netns, there: &str, peer_v4: &str) {
        let out = Command::new("ip")
            .args(["link", "add", here, "netns", &self.name])
            .args(["type", "veth", "peer", "name", there, "netns", &peer.name])
            .output()
            .expect("ip runs");
        assert!(
            out.status.success(),
            "the veth pair {here}–{there}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.ip(&["addr", "add", v4, "dev", here]);
        peer.ip(&["addr", "add", peer_v4, "dev", there]);
        self.ip(&["link", "set", here, "up"]);
        peer.ip(&["link", "set", there, "up"]);
        self.wait_until_up(here);
        peer.wait_until_up(there);
    }

    pub fn sysctl(&self, setting: &str) {
        let out = self.exec(&["sysctl", "-qw", setting]);
        assert!(out.status.success(), "sysctl {setting}: {out:?}");
    }

    /// bindscope inside the namespace.
    pub fn bindscope(&self, args: &[&str]) -> Run {
        run_with(&["ip", "netns", "exec", &self.name], args, &[])
    }

    /// Waits (bounded) until `link` reports operational state UP.
    pub fn wait_until_up(&self, link: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let out = Command::new("ip")
                .args(["-n", &self.name, "-o", "link", "show", "dev", link])
                .output()
                .expect("ip runs");
            if String::from_utf8_lossy(&out.stdout).contains("state UP") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{link} did not come up within 5 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        // Deleting the namespace deletes every link created inside it.
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .output();
        // Its resolver files, when it has them (`ip netns del` removes them too; this is sure).
        let _ = std::fs::remove_dir_all(self.etc());
    }
}
