//! What can be read of the host firewall on Linux: nftables' ruleset as JSON (`nft -j`; needs
//! CAP_NET_ADMIN), legacy iptables where its tables are loaded, ufw's files (readable without
//! privilege, but for its rules), and firewalld's zones (its query interface answers anyone).
//! Every tool runs with a deadline; a missing tool is `Absent`, a refusal `Denied`.

use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::model::{Capture, FirewallState, Firewalld, UfwFiles};

/// How long one firewall tool may take.
const DEADLINE: Duration = Duration::from_secs(3);

pub fn state(interfaces: &[&str]) -> FirewallState {
    FirewallState {
        nftables: run("nft", &["-j", "list", "ruleset"]),
        iptables_nft: run("iptables-nft-save", &[]),
        ip6tables_nft: run("ip6tables-nft-save", &[]),
        iptables_legacy: legacy("/proc/net/ip_tables_names", "iptables-legacy-save"),
        ip6tables_legacy: legacy("/proc/net/ip6_tables_names", "ip6tables-legacy-save"),
        ufw: ufw(),
        firewalld: firewalld(interfaces),
        windows: None,
        macos: None,
    }
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

fn firewalld(interfaces: &[&str]) -> Option<Firewalld> {
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
        zones: interfaces
            .iter()
            .filter_map(|i| {
                let zone = answer(&[&format!("--get-zone-of-interface={i}")])?;
                Some((i.to_string(), zone))
            })
            .collect(),
    })
}

/// Runs a tool with a deadline: its output, or why there is none.
fn run(program: &str, args: &[&str]) -> Capture {
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Capture::Absent,
        Err(e) => return Capture::Failed(e.to_string()),
    };
    // Read both pipes while waiting: a large ruleset fills a pipe before the tool exits.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < DEADLINE => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Capture::Failed(format!("{program} did not answer within {DEADLINE:?}"));
            }
            Err(e) => return Capture::Failed(e.to_string()),
        }
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    if status.success() {
        return Capture::Text(out);
    }
    let lower = err.to_ascii_lowercase();
    if lower.contains("operation not permitted")
        || lower.contains("permission denied")
        || lower.contains("not authorized")
        || lower.contains("you must be root")
    {
        Capture::Denied
    } else {
        Capture::Failed(err.trim().chars().take(200).collect())
    }
}
