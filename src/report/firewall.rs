//! The firewall's answer in `--json`: one entry per interface and address family.

use std::net::IpAddr;

use serde::Serialize;

use crate::analysis::firewall::{Answer, Check, Source, Unread, Verdict};
use crate::analysis::notes::Note;

/// `firewall[]`: what this machine's firewall does with a new connection from another device
/// arriving on `interface` for `ip`.
#[derive(Debug, Clone, Serialize)]
pub struct FirewallOut {
    pub interface: String,
    pub ip: IpAddr,
    /// `accept`, `drop`, `reject`, `unknown`, or `none` (no firewall).
    pub verdict: Verdict,
    /// `nftables`, `iptables`, `ufw`, `firewalld`, `windows`, `macos`; `null` for none.
    pub source: Option<Source>,
    /// The rule that decided, as the firewall writes it; `null` when there is none.
    pub rule: Option<String>,
    /// The command that lets it in; `null` unless it is dropped or rejected.
    pub fix: Option<String>,
    /// Every part that matters could be read.
    pub complete: bool,
    /// What could not be read: `nftables`, `iptables_legacy`, `ufw_rules`, `settings`.
    pub unread: Vec<Unread>,
}

/// The notes for entries already in a report (`port`'s sockets): one per interface and
/// verdict, and how to read what could not be read.
pub fn notes(port: u16, entries: &[&FirewallOut], command: &str) -> Vec<Note> {
    let checks: Vec<Check> = entries
        .iter()
        .map(|f| Check {
            interface: f.interface.clone(),
            ip: f.ip,
            answer: Answer {
                verdict: f.verdict,
                source: f.source,
                rule: f.rule.clone(),
                fix: f.fix.clone(),
                complete: f.complete,
                unread: f.unread.clone(),
            },
        })
        .collect();
    crate::analysis::firewall::notes(port, &checks, command)
}

pub fn out(checks: &[Check]) -> Vec<FirewallOut> {
    checks
        .iter()
        .map(|c| FirewallOut {
            interface: c.interface.clone(),
            ip: c.ip,
            verdict: c.answer.verdict,
            source: c.answer.source,
            rule: c.answer.rule.clone(),
            fix: c.answer.fix.clone(),
            complete: c.answer.complete,
            unread: c.answer.unread.clone(),
        })
        .collect()
}
