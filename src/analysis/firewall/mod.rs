//! Would this machine's firewall let a new connection from the LAN in? A verdict for one
//! protocol, port, local address and arriving interface, from what the platform could read
//! (`model::FirewallState`), and the rule that decides it. Read-only and pure: every evaluator
//! runs on fixtures in unit tests. Whenever it cannot be sure, the verdict is `unknown`, never
//! `accept` by guess.

pub mod iptables;
pub mod macos;
pub mod nft;
pub mod ufw;
pub mod windows;

use std::net::IpAddr;

use super::address::{classify, in_prefix};
use super::notes::Note;
use super::vocab::AddrKind;
pub use super::vocab::{FirewallSource as Source, FirewallVerdict as Verdict, Unread};
use crate::model::{Capture, FirewallState, Firewalld, Host, Proto};

/// A new connection (a TCP SYN, or a UDP datagram) as it arrives from another device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet<'a> {
    pub proto: Proto,
    /// The source: any address of `saddr/source_prefix`, the arriving interface's network
    /// (a single address at the full length).
    pub saddr: IpAddr,
    pub source_prefix: u8,
    /// This machine's address it is for.
    pub daddr: IpAddr,
    pub dport: u16,
    /// The interface it arrives through.
    pub iifname: &'a str,
    /// The program that listens (its path), for firewalls that decide by program.
    pub program: Option<&'a str>,
}

/// One evaluator's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    /// The rule that decided it, as the firewall writes it (`tcp dport 5000 drop`, `-A
    /// ufw-user-input -p tcp --dport 5000 -j ACCEPT`), or the chain policy (`policy drop`).
    /// For `unknown`: the rule holding what was not understood.
    pub rule: Option<String>,
}

impl Decision {
    pub fn new(verdict: Verdict, rule: Option<String>) -> Decision {
        Decision { verdict, rule }
    }

    pub fn unknown(rule: impl Into<String>) -> Decision {
        Decision::new(Verdict::Unknown, Some(rule.into()))
    }
}

/// A new connection from another device on the network of `addr` (on `interface`) to `addr`:
/// its source may be any address of that network, so a rule that lets only part of the network
/// in is not taken for one that lets the phone in.
pub fn packet_for<'a>(
    interface: &'a str,
    addr: IpAddr,
    prefix: u8,
    proto: Proto,
    port: u16,
    program: Option<&'a str>,
) -> Packet<'a> {
    let full = if addr.is_ipv4() { 32 } else { 128 };
    let saddr = network_of(addr, prefix.min(full));
    Packet {
        proto,
        saddr,
        source_prefix: prefix.min(full),
        daddr: addr,
        dport: port,
        iifname: interface,
        program,
    }
}

/// `ip`'s network address at `prefix`.
fn network_of(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((u32::from(v4) & mask).into())
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((u128::from(v6) & mask).into())
        }
    }
}

/// How a rule's address match `net/len` judges a source that may be any address of
/// `src/src_len`: `Some(true)` when it covers all of them, `Some(false)` when none, `None`
/// when only some (it cannot be told for the phone).
pub fn source_in(src: IpAddr, src_len: u8, net: IpAddr, len: u8) -> Option<bool> {
    if src.is_ipv4() != net.is_ipv4() {
        return Some(false);
    }
    let full = if src.is_ipv4() { 32 } else { 128 };
    let (src_len, len) = (src_len.min(full), len.min(full));
    if len <= src_len && in_prefix(src, net, len) {
        Some(true)
    } else if in_prefix(net, src, src_len) {
        None
    } else {
        Some(false)
    }
}

/// The firewall's answer for one connection, as reports carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub verdict: Verdict,
    /// The firewall that decided, by the name users know it by (ufw, not the nftables it
    /// writes); `None` when there is no firewall or nothing could be read.
    pub source: Option<Source>,
    pub rule: Option<String>,
    /// The command that would let the connection in.
    pub fix: Option<String>,
    /// Every part that matters could be read; false without privilege, say.
    pub complete: bool,
    /// What could not be read.
    pub unread: Vec<Unread>,
}

/// What this machine's firewall does with `packet`, from everything that could be read.
pub fn answer(state: &FirewallState, packet: &Packet) -> Answer {
    // Windows and macOS decide by their own firewall; Linux by its rulesets below.
    let desktop = |decision: Decision, source: Source, fix: Option<String>, complete: bool| {
        let blocked = matches!(decision.verdict, Verdict::Drop | Verdict::Reject);
        Answer {
            source: (decision.verdict != Verdict::None).then_some(source),
            verdict: decision.verdict,
            rule: decision.rule,
            fix: fix.filter(|_| blocked),
            unread: if complete {
                Vec::new()
            } else {
                vec![Unread::Settings]
            },
            complete,
        }
    };
    if let Some(win) = &state.windows {
        let decision = windows::decide(win, packet);
        return desktop(
            decision,
            Source::Windows,
            windows::fix(win, packet),
            !win.profiles.is_empty(),
        );
    }
    if let Some(mac) = &state.macos {
        // pf is not read: what the application firewall lets in, pf may still drop.
        let decision = macos::decide(mac, packet);
        let decision = if blocks(&decision) {
            decision
        } else {
            Decision::new(Verdict::Unknown, decision.rule)
        };
        return desktop(decision, Source::Macos, macos::fix(mac, packet), false);
    }
    let ufw = state.ufw.as_ref().map(ufw::summary);
    let ufw_on = ufw.as_ref().is_some_and(|u| u.enabled == Some(true));
    let firewalld = state.firewalld.as_ref().filter(|f| f.running);
    let front_end = if firewalld.is_some() {
        Some(Source::Firewalld)
    } else if ufw_on {
        Some(Source::Ufw)
    } else {
        None
    };
    let mut unread = Vec::new();
    let (decision, complete, chain) = match &state.nftables {
        Capture::Text(json) => {
            let iptables_nft = if packet.daddr.is_ipv4() {
                &state.iptables_nft
            } else {
                &state.ip6tables_nft
            };
            let ev = nft::evaluate_with(json, packet, iptables_nft.text());
            let legacy = if packet.daddr.is_ipv4() {
                &state.iptables_legacy
            } else {
                &state.ip6tables_legacy
            };
            // Legacy x_tables hooks run beside nftables': both must let the packet in.
            match legacy {
                Capture::Text(save) => {
                    let old = iptables::decide(save, packet);
                    let decided = both(ev.decision, old.clone());
                    // The legacy tables decided: name their INPUT chain.
                    let chain = if decided == old && old.verdict != Verdict::None {
                        Some(nft::ChainId {
                            family: LEGACY.into(),
                            table: "filter".into(),
                            name: "INPUT".into(),
                        })
                    } else {
                        ev.chain
                    };
                    // Only the legacy filter table is judged: rules in its raw, mangle or nat
                    // tables could still decide.
                    let decided = if other_tables(save) && !blocks(&decided) {
                        Decision::unknown("legacy iptables rules outside the filter table")
                    } else {
                        decided
                    };
                    (decided, true, chain)
                }
                Capture::Absent => (ev.decision, true, ev.chain),
                Capture::Denied | Capture::Failed(_) => {
                    unread.push(Unread::IptablesLegacy);
                    (ev.decision, false, ev.chain)
                }
            }
        }
        // Without the ruleset, ufw's own files are the best there is: its verdict, marked
        // incomplete (another table may still decide).
        Capture::Denied | Capture::Absent | Capture::Failed(_) => {
            unread.push(Unread::Nftables);
            let files = state.ufw.as_ref().filter(|_| ufw_on);
            let iptables_nft = if packet.daddr.is_ipv4() {
                &state.iptables_nft
            } else {
                &state.ip6tables_nft
            };
            // iptables' own tables, where the tool answers; else ufw's files.
            let decision = match (iptables_nft.text(), files) {
                (Some(save), _) => iptables::decide(save, packet),
                (None, Some(files)) => {
                    if files.user_rules.is_none() {
                        unread.push(Unread::UfwRules);
                    }
                    ufw::decide(files, packet)
                }
                (None, None) => Decision::new(Verdict::Unknown, None),
            };
            // Another table may still drop it: only a block is sure.
            let decision = if blocks(&decision) {
                decision
            } else {
                Decision::new(Verdict::Unknown, decision.rule)
            };
            (decision, false, None)
        }
    };
    // The front-end is named only where its own rules decided: ufw writes iptables' INPUT
    // chain, firewalld its own table.
    let iptables_input = chain.as_ref().is_some_and(|c| {
        c.table == "filter"
            && c.name == "INPUT"
            && matches!(c.family.as_str(), "ip" | "ip6" | LEGACY)
    });
    let firewalld_table = chain.as_ref().is_some_and(|c| c.table == "firewalld");
    let own = match front_end {
        Some(Source::Ufw) => iptables_input || chain.is_none(),
        Some(Source::Firewalld) => firewalld_table || chain.is_none(),
        _ => false,
    };
    let source = match decision.verdict {
        Verdict::None => None,
        _ if own => front_end,
        Verdict::Unknown if !complete => front_end,
        _ if iptables_input => Some(Source::Iptables),
        _ => Some(Source::Nftables),
    };
    let fix = matches!(decision.verdict, Verdict::Drop | Verdict::Reject)
        .then(|| fix(source, chain.as_ref(), firewalld, packet))
        .flatten();
    Answer {
        verdict: decision.verdict,
        source,
        rule: decision.rule,
        fix,
        complete: complete && unread.is_empty(),
        unread,
    }
}

/// The chain family that stands for the legacy (x_tables) iptables tables.
const LEGACY: &str = "legacy";

fn blocks(d: &Decision) -> bool {
    matches!(d.verdict, Verdict::Drop | Verdict::Reject)
}

/// Whether iptables-save's text has rules in a table other than filter.
fn other_tables(save: &str) -> bool {
    let mut table = "";
    save.lines().any(|l| {
        if let Some(name) = l.strip_prefix('*') {
            table = name.trim();
        }
        table != "filter" && l.starts_with("-A ")
    })
}

/// Two firewalls on one path: the first that keeps the packet out decides; what cannot be
/// told is unknown unless the other already keeps it out.
fn both(a: Decision, b: Decision) -> Decision {
    match (a.verdict, b.verdict) {
        _ if blocks(&a) => a,
        _ if blocks(&b) => b,
        (Verdict::Unknown, _) => a,
        (_, Verdict::Unknown) => b,
        (Verdict::None, _) => b,
        _ => a,
    }
}

/// The front-end's own command to let `packet` in.
fn fix(
    source: Option<Source>,
    chain: Option<&nft::ChainId>,
    firewalld: Option<&Firewalld>,
    packet: &Packet,
) -> Option<String> {
    let proto = match packet.proto {
        Proto::Tcp => "tcp",
        Proto::Udp => "udp",
    };
    let port = packet.dport;
    Some(match source? {
        Source::Ufw => format!("sudo ufw allow {port}/{proto}"),
        Source::Firewalld => {
            let zone = firewalld.and_then(|f| {
                f.zones
                    .iter()
                    .find(|(i, _)| i == packet.iifname)
                    .map(|(_, z)| z.clone())
                    .or_else(|| f.default_zone.clone())
            });
            let zone = zone.unwrap_or_else(|| "public".into());
            format!(
                "sudo firewall-cmd --zone={zone} --add-port={port}/{proto}  (and again with --permanent to keep it)"
            )
        }
        Source::Nftables => {
            let chain = chain?;
            format!(
                "sudo nft insert rule {} {} {} {proto} dport {port} accept",
                chain.family, chain.table, chain.name
            )
        }
        Source::Iptables => {
            let legacy = chain.is_some_and(|c| c.family == LEGACY);
            let tool = match (packet.daddr.is_ipv4(), legacy) {
                (true, false) => "iptables",
                (false, false) => "ip6tables",
                (true, true) => "iptables-legacy",
                (false, true) => "ip6tables-legacy",
            };
            format!("sudo {tool} -I INPUT -p {proto} --dport {port} -j ACCEPT")
        }
        Source::Windows | Source::Macos => return None,
    })
}

/// The firewall's answer for a connection to one of this machine's addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub interface: String,
    pub ip: IpAddr,
    pub answer: Answer,
}

/// The firewall's answer for each of `ips` (this machine's addresses a server on `port`
/// takes), one per interface and address family; loopback is not asked (every firewall lets
/// this machine talk to itself, which is why the local probe cannot see the firewall).
pub fn checks(
    host: &Host,
    state: &FirewallState,
    proto: Proto,
    port: u16,
    ips: &[IpAddr],
    program: Option<&str>,
) -> Vec<Check> {
    let mut checks: Vec<Check> = Vec::new();
    for &ip in ips {
        if classify(ip) == AddrKind::Loopback {
            continue;
        }
        let Some((iface, addr)) = host.addresses().find(|(_, a)| a.ip == ip) else {
            continue;
        };
        let seen = checks
            .iter()
            .any(|c| c.interface == iface.name && c.ip.is_ipv4() == ip.is_ipv4());
        if seen {
            continue;
        }
        let packet = packet_for(&iface.name, ip, addr.prefix, proto, port, program);
        checks.push(Check {
            interface: iface.name.clone(),
            ip,
            answer: answer(state, &packet),
        });
    }
    checks
}

/// What the checks tell the user: one note per interface (its verdict, the rule, the fix),
/// and how to read what could not be read (`command`, run with sudo).
pub fn notes(port: u16, checks: &[Check], command: &str) -> Vec<Note> {
    let mut notes: Vec<Note> = Vec::new();
    for c in checks {
        let note = Note::Firewall {
            port,
            interface: c.interface.clone(),
            verdict: c.answer.verdict,
            source: c.answer.source,
            rule: c.answer.rule.clone(),
            fix: c.answer.fix.clone(),
        };
        let said = notes.iter().any(|n| match n {
            Note::Firewall {
                interface, verdict, ..
            } => *interface == c.interface && *verdict == c.answer.verdict,
            _ => false,
        });
        if !said {
            notes.push(note);
        }
    }
    // "No firewall" once is enough.
    if notes.iter().all(|n| {
        matches!(
            n,
            Note::Firewall {
                verdict: Verdict::None,
                ..
            }
        )
    }) {
        notes.truncate(1);
    }
    let mut parts: Vec<Unread> = Vec::new();
    for part in checks.iter().flat_map(|c| &c.answer.unread) {
        if !parts.contains(part) {
            parts.push(*part);
        }
    }
    if checks.iter().any(|c| !c.answer.complete) {
        notes.push(Note::FirewallUnread {
            command: format!("sudo {command}"),
            parts,
        });
    }
    notes
}

/// Whether every check that could be told keeps other devices out.
pub fn blocks_all(checks: &[Check]) -> bool {
    !checks.is_empty()
        && checks
            .iter()
            .all(|c| matches!(c.answer.verdict, Verdict::Drop | Verdict::Reject))
}
