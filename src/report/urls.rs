//! `urls`: the URLs to share, which one to recommend, and why the others are not for a phone.

use std::net::IpAddr;

use serde::Serialize;

use super::server::{answers, server, server_notes, Running, ServerOut};
use super::{NoteOut, Report};
use crate::analysis::address::classify;
use crate::analysis::expose::{url, Exposure};
use crate::analysis::interfaces::Primary;
use crate::analysis::notes::Note;
use crate::analysis::vocab::AddrKind;
use crate::analysis::vocab::BindKind;
use crate::analysis::vocab::{NotShareable, Role};
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;
use crate::model::{Families, Host};

/// Whether there is a URL for another device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlsVerdict {
    /// The server on the port runs Werkzeug's debugger where other devices reach it.
    DebuggerExposed,
    /// A server runs on the port but does not answer on `recommended` yet: it will once it
    /// binds `recommended_bind`.
    NotAnswering,
    /// Bind `recommended_bind` and share `recommended`.
    Share,
    /// The server runs and answers on `recommended`: share it now.
    Serving,
    /// This machine has no address another device could use.
    NoNetworkUrl,
    /// `--host` is loopback: a server bound there has no network URL.
    LoopbackBind,
    /// `--host` is not an address of this machine: a bind to it fails.
    NotLocal,
}

#[derive(Debug, Clone, Serialize)]
pub struct UrlsReport {
    pub port: u16,
    pub scheme: String,
    pub verdict: UrlsVerdict,
    /// The URL to give another device; `null` when there is none.
    pub recommended: Option<String>,
    /// The wildcard bind that serves `recommended`: `0.0.0.0`, or `::` for an IPv6 URL.
    pub recommended_bind: Option<IpAddr>,
    /// URLs for this machine itself.
    pub local: Vec<String>,
    /// URLs for other devices, the recommended one first.
    pub network: Vec<String>,
    /// Every URL with its address and interface; with `--all`, also those that will not work
    /// from another device, and why.
    pub entries: Vec<UrlEntry>,
    /// The server listening on the port: `null` when none does (or it was not looked at).
    pub server: Option<ServerOut>,
    pub notes: Vec<NoteOut>,
    /// `--qr`: draw the recommended URL as a QR code, unless the running server does not
    /// answer there.
    #[serde(skip)]
    pub qr: bool,
}

impl UrlsReport {
    /// No URL at all: nothing listens (a beacon that could not bind).
    pub fn none(port: u16, scheme: &str) -> UrlsReport {
        UrlsReport {
            port,
            scheme: scheme.to_string(),
            verdict: UrlsVerdict::NoNetworkUrl,
            recommended: None,
            recommended_bind: None,
            local: Vec::new(),
            network: Vec::new(),
            entries: Vec::new(),
            server: None,
            notes: Vec::new(),
            qr: false,
        }
    }
}

impl Report for UrlsReport {
    fn command(&self) -> &'static str {
        "urls"
    }

    fn exit_code(&self) -> ExitCode {
        match self.verdict {
            UrlsVerdict::Share | UrlsVerdict::Serving | UrlsVerdict::NotAnswering => {
                ExitCode::Success
            }
            UrlsVerdict::DebuggerExposed
            | UrlsVerdict::NoNetworkUrl
            | UrlsVerdict::LoopbackBind
            | UrlsVerdict::NotLocal => ExitCode::Problem,
        }
    }
}

/// The wildcard bind that serves an address of this family: `::` for IPv6, else `0.0.0.0`.
pub fn wildcard_for(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => IpAddr::from([0, 0, 0, 0]),
        IpAddr::V6(_) => IpAddr::from([0u16; 8]),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlScope {
    Local,
    Network,
    /// Listened on, but not for other devices (containers, VPNs, WSL).
    Other,
}

#[derive(Debug, Clone, Serialize)]
pub struct UrlEntry {
    pub url: String,
    pub ip: IpAddr,
    pub interface: String,
    pub scope: UrlScope,
    pub recommended: bool,
    pub not_shareable: Option<NotShareable>,
    /// Why it will not work from a phone, in the user's language.
    pub why: Option<String>,
    /// The server running on the port takes connections here; `null` when nothing listens.
    pub answers: Option<bool>,
}

pub struct UrlsRequest<'a> {
    pub host: &'a Host,
    /// The host given with `--host`, as typed; `None` for every address.
    pub bind: Option<&'a str>,
    /// What the socket table shows on the port; `None` where it was not read (`serve`).
    pub running: Option<Running<'a>>,
    pub port: u16,
    pub scheme: &'a str,
    pub path: &'a str,
    pub all: bool,
    pub qr: bool,
    pub families: Families,
    pub primary: Option<&'a Primary>,
}

pub fn urls(request: &UrlsRequest, exposure: &Exposure, cat: &dyn Catalogue) -> UrlsReport {
    let mut entries: Vec<UrlEntry> = exposure
        .listens_on
        .iter()
        .filter(|l| request.families.admits(l.ip))
        .filter_map(|l| {
            let url = url(request.scheme, l.ip, request.port, request.path)?;
            let scope = if l.kind == AddrKind::Loopback || l.role == Role::Loopback {
                UrlScope::Local
            } else if l.not_shareable.is_none() {
                UrlScope::Network
            } else {
                UrlScope::Other
            };
            // Loopback URLs need no excuse: they are this machine's own.
            let why =
                l.not_shareable
                    .filter(|_| scope == UrlScope::Other)
                    .map(|reason| match reason {
                        NotShareable::Virtual => cat.role(l.role),
                        other => cat.not_shareable(other),
                    });
            Some(UrlEntry {
                answers: answers(request.host, request.running, l.ip),
                url,
                ip: l.ip,
                interface: l.interface.clone(),
                scope,
                recommended: false,
                not_shareable: l.not_shareable,
                why: why.map(str::to_string),
            })
        })
        .filter(|e| request.all || e.scope != UrlScope::Other)
        .collect();

    // Where the running server answers first, then the primary address, then IPv4 before
    // IPv6; otherwise the interfaces' order.
    let primary_ip = request.primary.map(|p| p.ip);
    entries.sort_by_key(|e| {
        (
            e.scope != UrlScope::Local,
            e.scope == UrlScope::Other,
            e.answers == Some(false),
            Some(e.ip) != primary_ip,
            e.ip.is_ipv6(),
        )
    });
    if let Some(first) = entries.iter_mut().find(|e| e.scope == UrlScope::Network) {
        first.recommended = true;
    }
    let of = |scope| {
        entries
            .iter()
            .filter(|e| e.scope == scope)
            .map(|e| e.url.clone())
            .collect::<Vec<_>>()
    };
    let recommended = entries.iter().find(|e| e.recommended);
    let loopback_bind = request.bind.is_some() && exposure.kind == BindKind::Loopback;
    let server = request.running.and_then(|r| server(request.host, r));
    let verdict = match recommended {
        _ if server.as_ref().is_some_and(|s| s.debugger_exposed) => UrlsVerdict::DebuggerExposed,
        Some(e) if e.answers == Some(true) => UrlsVerdict::Serving,
        Some(e) if e.answers == Some(false) => UrlsVerdict::NotAnswering,
        Some(_) => UrlsVerdict::Share,
        None if loopback_bind => UrlsVerdict::LoopbackBind,
        None if exposure.kind == BindKind::NotLocal => UrlsVerdict::NotLocal,
        None => UrlsVerdict::NoNetworkUrl,
    };
    let bind = match request.bind {
        Some(host) => host.to_string(),
        None => {
            recommended.map_or_else(|| "0.0.0.0".to_string(), |e| wildcard_for(e.ip).to_string())
        }
    };
    // Starting a loopback server is no way to a network URL: that is said below.
    let advice = (!loopback_bind).then_some(bind.as_str());
    let mut notes = server_notes(request.host, request.port, request.running, advice);
    if let (true, Some(host)) = (loopback_bind, request.bind) {
        notes.push(Note::NoNetworkUrl {
            host: host.to_string(),
        });
    }
    if request.bind.is_some() {
        // What `expose` warns of the same host: not this machine's, not usable yet…
        notes.extend(exposure.notes.iter().filter(|n| n.is_warning()).cloned());
    }
    if let Some(e) = recommended.filter(|e| classify(e.ip) == AddrKind::Public) {
        notes.push(Note::PublicExposure {
            ip: e.ip,
            port: request.port,
        });
    }
    UrlsReport {
        port: request.port,
        scheme: request.scheme.to_string(),
        verdict,
        recommended: recommended.map(|e| e.url.clone()),
        recommended_bind: recommended.map(|e| wildcard_for(e.ip)),
        local: of(UrlScope::Local),
        network: of(UrlScope::Network),
        server,
        notes: NoteOut::all(&notes, cat),
        entries,
        qr: request.qr,
    }
}
