//! `serve`: what each visit proves, in the visitor's language and ours, and the beacon's summary.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Serialize;

use super::Report;
use crate::analysis::address::classify;
use crate::analysis::interfaces::{self};
use crate::analysis::vocab::AddrKind;
use crate::analysis::vocab::Role;
use crate::exit_codes::ExitCode;
use crate::i18n::{Catalogue, Lang, Text};
use crate::model::{BindError, Host, Visit};

/// What one visit to the beacon proves, in one language.
#[derive(Debug, Clone, Serialize)]
pub struct VisitReport {
    /// Seconds since the beacon started.
    pub at_s: f64,
    pub client: IpAddr,
    /// Which of this machine's addresses the visitor reached, and on which port.
    pub reached: IpAddr,
    pub port: u16,
    pub interface: Option<String>,
    pub role: Option<Role>,
    /// The visitor runs on this machine: the visit proves nothing about other devices.
    pub same_machine: bool,
    pub method: String,
    pub path: String,
    /// The page's sentences.
    #[serde(skip)]
    pub lines: Vec<String>,
}

/// An IPv4-mapped address (a dual-stack socket's IPv4 visitor) stands for its IPv4 address.
fn plain(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The visitor's language when their browser names English or Korean first, else ours.
pub fn visitor_lang(accept_language: Option<&str>, ours: Lang) -> Lang {
    accept_language
        .and_then(|header| header.split(',').next())
        .and_then(|first| Lang::from_locale(first.split(';').next().unwrap_or("").trim()))
        .unwrap_or(ours)
}

pub fn visit(host: &Host, visit: &Visit, at_s: f64, cat: &dyn Catalogue) -> VisitReport {
    let client = plain(visit.peer.ip());
    let reached = plain(visit.local.ip());
    let iface = host.owner_of(reached);
    let same_machine = classify(client) == AddrKind::Loopback || host.owner_of(client).is_some();
    let port = visit.local.port();
    let interface = iface.map(|i| i.name.clone());
    let mut lines = vec![
        cat.text(&Text::PageVisitor { ip: client }),
        cat.text(&Text::PageReached {
            ip: reached,
            port,
            interface: interface.as_deref().unwrap_or("?"),
        }),
    ];
    lines.push(if same_machine {
        cat.text(&Text::PageSameMachine)
    } else {
        cat.text(&Text::PageProves { ip: reached, port })
    });
    VisitReport {
        at_s,
        client,
        reached,
        port,
        role: iface.map(|i| interfaces::role(host, i)),
        interface,
        same_machine,
        method: visit.method.clone(),
        path: visit.path.clone(),
        lines,
    }
}

/// What the beacon did: where it listened (or why it could not), who visited.
#[derive(Debug, Clone, Serialize)]
pub struct ServeReport {
    pub host: IpAddr,
    pub port: u16,
    pub seconds: u64,
    /// Why the beacon could not listen; `null` when it ran.
    pub bind_error: Option<BindError>,
    /// `bind_error` in the user's language.
    pub bind_message: Option<String>,
    pub urls: super::UrlsReport,
    pub visits: Vec<VisitReport>,
    /// Connections answered 503 because the connection cap was reached.
    pub turned_away: usize,
}

impl ServeReport {
    pub fn new(address: SocketAddr, duration: Duration, urls: super::UrlsReport) -> ServeReport {
        ServeReport {
            host: address.ip(),
            port: address.port(),
            seconds: duration.as_secs(),
            bind_error: None,
            bind_message: None,
            urls,
            visits: Vec::new(),
            turned_away: 0,
        }
    }

    /// The beacon could not listen: no URL will answer.
    pub fn cannot_bind(mut self, error: BindError, cat: &dyn Catalogue) -> ServeReport {
        self.bind_message = Some(cat.bind_result(Some(&error)));
        self.bind_error = Some(error);
        self.urls = super::UrlsReport::none(self.port, &self.urls.scheme);
        self
    }

    pub fn address(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}

impl Report for ServeReport {
    fn command(&self) -> &'static str {
        "serve"
    }

    fn exit_code(&self) -> ExitCode {
        if self.bind_error.is_some() {
            ExitCode::Problem
        } else {
            ExitCode::Success
        }
    }
}
