use std::net::IpAddr;

use serde::Serialize;

use crate::analysis::address::classify;
use crate::analysis::interfaces::{self};
use crate::analysis::vocab::AddrKind;
use crate::analysis::vocab::Role;
use crate::i18n::{Catalogue, Lang, Text};
use crate::model::Host;
use crate::model::Visit;

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

/// What `serve --json` prints when it ends.
#[derive(Debug, Clone, Serialize)]
pub struct ServeReport {
    pub host: IpAddr,
    pub port: u16,
    pub seconds: u64,
    pub urls: super::UrlsReport,
    pub visits: Vec<VisitReport>,
    /// Connections answered 503 because the connection cap was reached.
    pub turned_away: usize,
}
