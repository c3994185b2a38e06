//! The overview: this machine, its interfaces, and who could reach each typical bind.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use super::interfaces::{interfaces, InterfaceOut};
use super::server::{answers, server, server_notes, Running, ServerOut};
use super::urls::wildcard_for;
use super::{NoteOut, Report};
use crate::analysis::address::classify;
use crate::analysis::expose::{expose, url};
use crate::analysis::firewall::{self, Check};
use crate::analysis::interfaces::{host_notes, primary, Primary};
use crate::analysis::notes::Note;
use crate::analysis::vocab::BindKind;
use crate::analysis::vocab::{AddrKind, Reach, Risk};
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;
use crate::model::Families;
use crate::model::Target;
use crate::model::{Host, Os, WslMode};
use crate::report::firewall::FirewallOut;

/// The overview's first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverviewVerdict {
    /// The server on the port runs Werkzeug's debugger where other devices reach it: stop or
    /// rebind it before anything is shared.
    DebuggerExposed,
    /// Bind `recommended_bind` and share `recommended_url`.
    Share,
    /// The server running on the port already answers on `recommended_url`.
    Serving,
    /// The primary address is public: a wildcard bind is open to the internet, so the advice
    /// is how to limit it, not to share it.
    PublicAddress,
    /// WSL2 behind NAT: the LAN reaches Windows, not this VM.
    WslNat,
    /// No address another device could use.
    NoPrimary,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverviewReport {
    pub verdict: OverviewVerdict,
    pub hostname: Option<String>,
    pub os: Os,
    pub wsl: Option<WslMode>,
    pub port: u16,
    pub primary: Option<Primary>,
    /// The URL to give another device once the server binds `recommended_bind`.
    pub recommended_url: Option<String>,
    pub recommended_bind: Option<IpAddr>,
    /// Whether the running server answers on `recommended_url`: `null` when nothing listens.
    pub recommended_answers: Option<bool>,
    /// The server listening on the port: `null` when none does.
    pub server: Option<ServerOut>,
    /// What the firewall does with other devices' connections to the port on the primary
    /// interface.
    pub firewall: Vec<FirewallOut>,
    pub interfaces: Vec<InterfaceOut>,
    /// Who could reach a server bound to each typical host.
    pub binds: Vec<BindSummary>,
    pub notes: Vec<NoteOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BindSummary {
    pub host: String,
    pub kind: BindKind,
    pub reach: Reach,
    pub risk: Risk,
    /// The URLs that work for this bind: this machine's and the shareable ones.
    pub urls: Vec<String>,
}

/// `firewall`: the firewall's answer for the primary address and the port, when it was read.
pub fn overview(
    host: &Host,
    port: u16,
    running: Option<Running>,
    firewall: &[Check],
    cat: &dyn Catalogue,
) -> OverviewReport {
    let primary = primary(host);
    let mut hosts = vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    ];
    if let Some(p) = &primary {
        hosts.push(p.ip);
    }
    let binds = hosts
        .into_iter()
        .map(|ip| {
            let e = expose(host, &Target::Ip { ip, zone: None }, port);
            let mut usable: Vec<_> = e
                .listens_on
                .iter()
                .filter(|l| l.kind == AddrKind::Loopback || l.not_shareable.is_none())
                .collect();
            // IPv4 first: that is what people type and what Flask serves by default.
            usable.sort_by_key(|l| (l.kind != AddrKind::Loopback, l.ip.is_ipv6()));
            BindSummary {
                host: ip.to_string(),
                kind: e.kind,
                reach: e.reach,
                risk: e.risk,
                urls: usable
                    .iter()
                    .filter_map(|l| url("http", l.ip, port, ""))
                    .collect(),
            }
        })
        .collect();
    let recommended_url = primary
        .as_ref()
        .filter(|_| host.env.wsl != Some(WslMode::Nat))
        .and_then(|p| url("http", p.ip, port, ""));
    let wsl_nat = host.env.wsl == Some(WslMode::Nat);
    let recommended_answers = primary
        .as_ref()
        .filter(|_| recommended_url.is_some())
        .and_then(|p| answers(host, running, p.ip));
    let public = primary
        .as_ref()
        .filter(|p| classify(p.ip) == AddrKind::Public);
    let server = running.and_then(|r| server(host, r));
    let danger = server.as_ref().is_some_and(|s| s.debugger_exposed);
    let verdict = match (&primary, &recommended_url) {
        _ if danger => OverviewVerdict::DebuggerExposed,
        (Some(_), _) if wsl_nat => OverviewVerdict::WslNat,
        (Some(_), Some(_)) if public.is_some() => OverviewVerdict::PublicAddress,
        (_, Some(_)) if recommended_answers == Some(true) => OverviewVerdict::Serving,
        (_, Some(_)) => OverviewVerdict::Share,
        _ => OverviewVerdict::NoPrimary,
    };
    let recommended_bind = primary
        .as_ref()
        .filter(|_| recommended_url.is_some())
        .map(|p| wildcard_for(p.ip));
    // Where to start it, unless the advice is another (a public address, WSL behind NAT).
    let advice = matches!(verdict, OverviewVerdict::Share | OverviewVerdict::NoPrimary)
        .then(|| recommended_bind.map_or_else(|| "0.0.0.0".to_string(), |ip| ip.to_string()));
    let mut notes = server_notes(host, port, running, advice.as_deref());
    if let Some(p) = public {
        notes.push(Note::PublicExposure { ip: p.ip, port });
    }
    // One line: what the firewall does with the phone on the primary interface.
    notes.extend(
        firewall::notes(port, firewall, "bindscope")
            .into_iter()
            .take(2),
    );
    notes.extend(host_notes(host));
    OverviewReport {
        verdict,
        recommended_bind,
        hostname: host.hostname.clone(),
        os: host.os,
        wsl: host.env.wsl,
        port,
        firewall: crate::report::firewall::out(firewall),
        notes: NoteOut::all(&notes, cat),
        recommended_answers,
        server,
        interfaces: interfaces(host, false, Families::Both, cat).interfaces,
        primary,
        recommended_url,
        binds,
    }
}

impl Report for OverviewReport {
    fn command(&self) -> &'static str {
        "overview"
    }

    fn exit_code(&self) -> ExitCode {
        ExitCode::Success
    }
}
