//! `urls`: the URLs to share, which one to recommend, and why the others are not for a phone.

use std::net::IpAddr;

use serde::Serialize;

use super::Report;
use crate::analysis::expose::{url, Exposure};
use crate::analysis::interfaces::Primary;
use crate::analysis::vocab::AddrKind;
use crate::analysis::vocab::{NotShareable, Role};
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;
use crate::model::Families;

/// Whether there is a URL for another device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlsVerdict {
    /// Bind `recommended_bind` and share `recommended`.
    Share,
    /// This machine has no address another device could use.
    NoNetworkUrl,
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
    /// Draw the recommended URL as a QR code (`--qr`).
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
            UrlsVerdict::Share => ExitCode::Success,
            UrlsVerdict::NoNetworkUrl => ExitCode::Problem,
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
}

pub struct UrlsRequest<'a> {
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

    // The primary address first, then IPv4 before IPv6; otherwise the interfaces' order.
    let primary_ip = request.primary.map(|p| p.ip);
    entries.sort_by_key(|e| {
        (
            e.scope != UrlScope::Local,
            e.scope == UrlScope::Other,
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
    UrlsReport {
        port: request.port,
        scheme: request.scheme.to_string(),
        verdict: if recommended.is_some() {
            UrlsVerdict::Share
        } else {
            UrlsVerdict::NoNetworkUrl
        },
        recommended: recommended.map(|e| e.url.clone()),
        recommended_bind: recommended.map(|e| wildcard_for(e.ip)),
        local: of(UrlScope::Local),
        network: of(UrlScope::Network),
        entries,
        qr: request.qr,
    }
}
