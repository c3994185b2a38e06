//! Would this machine's firewall let a new connection from the LAN in? A verdict for one
//! protocol, port, local address and arriving interface, from what the platform could read
//! (`model::FirewallState`), and the rule that decides it. Read-only and pure: every evaluator
//! runs on fixtures in unit tests. Whenever it cannot be sure, the verdict is `unknown`, never
//! `accept` by guess.

// Being wired into the commands; until then only the tests use it.
#![allow(dead_code)]

pub mod iptables;
pub mod macos;
pub mod nft;
pub mod windows;

use std::net::IpAddr;

use serde::Serialize;

use crate::model::Proto;

/// A new connection (a TCP SYN, or a UDP datagram) as it arrives from another device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet<'a> {
    pub proto: Proto,
    /// A source on the arriving interface's network.
    pub saddr: IpAddr,
    /// This machine's address it is for.
    pub daddr: IpAddr,
    pub dport: u16,
    /// The interface it arrives through.
    pub iifname: &'a str,
    /// The program that listens (its path), for firewalls that decide by program.
    pub program: Option<&'a str>,
}

/// What the firewall does with the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accept,
    /// Silently: the other device times out.
    Drop,
    /// With an answer: a TCP reset or an ICMP error, so the other device is refused at once.
    Reject,
    /// Not known: a part could not be read, or a rule is not understood.
    Unknown,
    /// No firewall is set up.
    None,
}

/// Which firewall answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Nftables,
    Iptables,
    Ufw,
    Firewalld,
    Windows,
    Macos,
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
