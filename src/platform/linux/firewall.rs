//! What can be read of the host firewall on Linux: nftables' ruleset as JSON (`nft -j`; needs
//! CAP_NET_ADMIN), legacy iptables where its tables are loaded, ufw's files (readable without
//! privilege, but for its rules), and firewalld's zones (its query interface answers anyone).
//! Every tool runs with a deadline; a missing tool is `Absent`, a refusal `Denied`.

use std::fs;
use std::io;
use std::path::Path;
use std::time::Duration;

use super::super::unix::{self, NotRun};
use crate::model::{Capture, FirewallState, Firewalld, UfwFiles};

/// How long one firewall tool may take.
const DEADLINE: Duration = Duration::from_secs(3);

/// The firewall as each tool tells it. The tools run at once, each on a thread of its own
/// (one after the other, three or five of them were most of the overview's time); `interfaces`
/// is asked only where firewalld is there to say their zones.
pub fn state(interfaces: impl FnOnce() -> Vec<String>) -> FirewallState {
    std::thread::scope(|scope| {
        let spawn = |work: fn() -> Capture| {
            std::thread::Builder::new()
                .spawn_scoped(scope, work)
                .map_err(|_| work)
        };
        let nft = spawn(|| run("nft", &["-j", "list", "ruleset"]));
        let ipt = spawn(|| run("iptables-nft-save", &[]));
        let ip6t = spawn(|| run("ip6tables-nft-save", &[]));
        let legacy4 = spawn(|| legacy("/proc/net/ip_tables_names", "iptables-legacy-save"));
        let legacy6 = spawn(|| legacy("/proc/net/ip6_tables_names", "ip6tables-legacy-save"));
        let ufw = ufw();
        let firewalld = firewalld(interfaces);
        // A thread that could not start: its tool runs here. One that panicked read nothing.
        let done = |thread: Result<std::thread::ScopedJoinHandle<'_, Capture>, fn() -> Capture>| {
            match thread {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|_| Capture::Failed("the reading stopped".into())),
                Err(work) => work(),
            }
        };
        FirewallState {
            nftables: done(nft),
            iptables_nft: done(ipt),
            ip6tables_nft: done(ip6t),
            iptables_legacy: done(legacy4),
            ip6tables_legacy: done(legacy6),
            ufw,
            firewalld,
            windows: None,
            macos: None,
        }
    })
}

/// Legacy (x_tables) rules exist only where the kernel lists a loaded table.
fn legacy(names: &str, save: &str) -> Capture {
    match fs::read_to_string(names) {
        Ok(tables) if tables.trim().is_empty() => Capture::Absent,
        Ok(_) => run(save, &[]),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Capture::Absent,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => Capture::Denied,
        Err(e) => Capture::Failed(e.to_string()),
    }
}

fn ufw() -> Option<UfwFiles> {
    let read = |p: &str| fs::read_to_string(p).ok();
    let conf = read("/etc/ufw/ufw.conf");
    if conf.is_none() && !Path::new("/usr/sbin/ufw").exists() {
        return None;
    }
    Some(UfwFiles {
        conf,
        defaults: read("/etc/default/ufw"),
        user_rules: read("/etc/ufw/user.rules"),
        user6_rules: read("/etc/ufw/user6.rules"),
    })
}

fn firewalld(interfaces: impl FnOnce() -> Vec<String>) -> Option<Firewalld> {
    if !Path::new("/usr/bin/firewall-cmd").exists() {
        return None;
    }
    let answer = |args: &[&str]| match run("firewall-cmd", args) {
        Capture::Text(t) => Some(t.trim().to_string()),
        _ => None,
    };
    let running = answer(&["--state"]).as_deref() == Some("running");
    if !running {
        return Some(Firewalld::default());
    }
    Some(Firewalld {
        running,
        default_zone: answer(&["--get-default-zone"]),
        zones: interfaces()
            .into_iter()
            .filter_map(|i| {
                let zone = answer(&[&format!("--get-zone-of-interface={i}")])?;
                Some((i, zone))
            })
            .collect(),
    })
}

/// Runs a tool with a deadline: its output, or why there is none.
fn run(program: &str, args: &[&str]) -> Capture {
    match unix::run_with_deadline(program, args, DEADLINE) {
        Ok(ran) if ran.success => Capture::Text(ran.stdout),
        Ok(ran) => {
            let lower = ran.stderr.to_ascii_lowercase();
            let denied = [
                "operation not permitted",
                "permission denied",
                "not authorized",
                "you must be root",
            ];
            if denied.iter().any(|d| lower.contains(d)) {
                Capture::Denied
            } else {
                Capture::Failed(ran.stderr.trim().chars().take(200).collect())
            }
        }
        Err(NotRun::Missing) => Capture::Absent,
        Err(NotRun::Failed(why)) => Capture::Failed(why),
    }
}
