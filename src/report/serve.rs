//! `serve`: what each visit proves, in the visitor's language and ours, and the beacon's summary.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Serialize;

use super::firewall::FirewallOut;
use super::NoteOut;
use super::Report;
use crate::analysis::address::classify;
use crate::analysis::beacon::{diagnose, BeaconDiagnosis, Heard, Watched};
use crate::analysis::firewall::Check;
use crate::analysis::interfaces::{self};
use crate::analysis::vocab::AddrKind;
use crate::analysis::vocab::Role;
use crate::exit_codes::ExitCode;
use crate::gather::beacon::{Counts, Tally};
use crate::i18n::{Catalogue, Lang, Text};
use crate::model::{BindError, Ended, Host, Visit};

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

/// The visitor's language when their browser names English or Korean first, else ours.
pub fn visitor_lang(accept_language: Option<&str>, ours: Lang) -> Lang {
    accept_language
        .and_then(|header| header.split(',').next())
        .and_then(|first| Lang::from_locale(first.split(';').next().unwrap_or("").trim()))
        .unwrap_or(ours)
}

/// `loopback`: the beacon listens on loopback only, so no other device can visit.
pub fn visit(
    host: &Host,
    visit: &Visit,
    at_s: f64,
    loopback: bool,
    cat: &dyn Catalogue,
) -> VisitReport {
    let client = visit.peer.ip().to_canonical();
    let reached = visit.local.ip().to_canonical();
    let iface = host.owner_of(reached);
    let same_machine = same_machine(host, client);
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
        cat.text(&Text::PageSameMachine { loopback })
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

/// How many of the latest visits the report keeps, and how many addresses it lists: a
/// beacon that runs for hours under a flood stays the same size.
pub const RECENT_VISITS: usize = 50;
pub const DEVICES_LISTED: usize = 64;

/// One address the beacon heard from, and what it did.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceOut {
    pub ip: IpAddr,
    /// The interface it came through, when known.
    pub interface: Option<String>,
    /// Its hardware address, when it asked for this machine's.
    pub hardware: Option<String>,
    pub same_machine: bool,
    pub visits: usize,
    /// TLS handshakes it sent to this plain-HTTP port.
    pub tls: usize,
    /// It asked for this machine's hardware address (a new ARP or ND entry).
    pub asked: bool,
    /// TCP SYNs it sent to the port, seen before the firewall (`null` where SYNs cannot be
    /// captured: without root or CAP_NET_RAW, or off Linux).
    pub syns: Option<usize>,
    /// Connections of its the beacon accepted.
    pub connections: usize,
    /// Seconds since the start: when it was first and last heard.
    pub first_at_s: f64,
    pub last_at_s: f64,
}

/// `diagnosis`: what the run shows about the other device, and what it rests on.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosisOut {
    pub code: BeaconDiagnosis,
    /// The devices (in `devices`) it rests on.
    pub addresses: Vec<IpAddr>,
    /// Unicast packets received and never delivered (dropped on the way in) during the run;
    /// `null` where the counters cannot be read.
    pub packets_dropped: Option<u64>,
    /// Whether devices asking for this machine's address could be seen.
    pub neighbours_watched: bool,
    /// Whether the SYNs arriving for the port could be seen (root or CAP_NET_RAW).
    pub syns_captured: bool,
    /// The code rests on what reached the beacon or on SYNs seen on the wire, not on a
    /// coincidence of a device asking for this machine's address and packets being dropped.
    pub confirmed: bool,
    /// `code` in the user's language.
    pub message: String,
}

/// What the beacon did: where it listened (or why it could not), who visited, and what that
/// shows.
#[derive(Debug, Clone, Serialize)]
pub struct ServeReport {
    pub host: IpAddr,
    pub port: u16,
    pub seconds: u64,
    /// Why the beacon could not listen; `null` when it ran.
    pub bind_error: Option<BindError>,
    /// `bind_error` in the user's language.
    pub bind_message: Option<String>,
    /// `time_up` or `interrupted` (Ctrl+C); `null` when it could not listen.
    pub ended: Option<Ended>,
    pub urls: super::UrlsReport,
    /// Every visit, counted.
    pub visit_count: usize,
    /// The latest visits, at most [`RECENT_VISITS`].
    pub visits: VecDeque<VisitReport>,
    /// The addresses heard from, at most [`DEVICES_LISTED`]; `devices_not_listed` counts
    /// the rest.
    pub devices: Vec<DeviceOut>,
    pub devices_not_listed: usize,
    /// Whether SYNs are captured (set before the run, so that each device's `syns` is a
    /// count or `null`).
    #[serde(skip)]
    pub syns_captured: bool,
    /// What every address did, for the diagnosis (set by `settle`).
    #[serde(skip)]
    heard: Vec<Heard>,
    pub diagnosis: Option<DiagnosisOut>,
    /// For a diagnosis of drops: what this machine's firewall does with a new connection to
    /// the beacon.
    pub firewall: Vec<FirewallOut>,
    pub notes: Vec<NoteOut>,
    /// Connections answered 503 because a cap was reached.
    pub turned_away: usize,
    /// Silent connections closed to make room for others.
    pub shed: usize,
    /// Events the live log fell behind on (counted, not shown).
    pub events_missed: usize,
}

impl ServeReport {
    pub fn new(address: SocketAddr, duration: Duration, urls: super::UrlsReport) -> ServeReport {
        ServeReport {
            host: address.ip(),
            port: address.port(),
            seconds: duration.as_secs(),
            bind_error: None,
            bind_message: None,
            ended: None,
            urls,
            visit_count: 0,
            visits: VecDeque::new(),
            devices: Vec::new(),
            devices_not_listed: 0,
            syns_captured: false,
            heard: Vec::new(),
            diagnosis: None,
            firewall: Vec::new(),
            notes: Vec::new(),
            turned_away: 0,
            shed: 0,
            events_missed: 0,
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

    /// The beacon listens on loopback only: no other device can reach it.
    pub fn on_loopback(&self) -> bool {
        classify(self.host) == AddrKind::Loopback
    }

    /// The URL to open on the other device: the recommended one, or the beacon's own
    /// address when it is neither a wildcard nor loopback, or else the first local one.
    pub fn url(&self) -> String {
        let own = !self.host.is_unspecified() && !self.on_loopback();
        self.urls
            .recommended
            .clone()
            .or_else(|| self.urls.network.first().cloned())
            .or_else(|| own.then(|| format!("http://{}", self.address())))
            .or_else(|| self.urls.local.first().cloned())
            .unwrap_or_else(|| format!("http://{}", self.address()))
    }

    /// The device at `ip`, listed if there is room.
    fn device(&mut self, ip: IpAddr, at_s: f64) -> Option<&mut DeviceOut> {
        match self.devices.iter().position(|d| d.ip == ip) {
            Some(n) => {
                let device = &mut self.devices[n];
                device.last_at_s = at_s;
                Some(device)
            }
            None if self.devices.len() < DEVICES_LISTED => {
                self.devices.push(DeviceOut {
                    ip,
                    interface: None,
                    hardware: None,
                    same_machine: false,
                    visits: 0,
                    tls: 0,
                    asked: false,
                    syns: self.syns_captured.then_some(0),
                    connections: 0,
                    first_at_s: at_s,
                    last_at_s: at_s,
                });
                self.devices.last_mut()
            }
            None => None,
        }
    }

    /// The counts of the whole run, kept where each event happened (so none is lost when the
    /// live log fell behind): every visit, and every address, listed or not. The list keeps
    /// [`DEVICES_LISTED`] addresses, those that visited or tried first.
    pub fn settle(&mut self, host: &Host, tally: &Tally) {
        self.visit_count = tally.visits;
        let mut tallied: Vec<(&IpAddr, &Counts)> = tally.devices.iter().collect();
        // Those that did something with the port before those that only asked, then by ip.
        tallied.sort_by_key(|(ip, c)| (c.visits + c.tls + c.syns + c.connections == 0, **ip));
        for (ip, counts) in &tallied {
            if !self.devices.iter().any(|d| d.ip == **ip) && self.devices.len() < DEVICES_LISTED {
                self.device(**ip, 0.0);
            }
            if let Some(device) = self.devices.iter_mut().find(|d| d.ip == **ip) {
                device.visits = counts.visits;
                device.tls = counts.tls;
                device.connections = counts.connections;
                device.asked = counts.asked;
                device.syns = self.syns_captured.then_some(counts.syns);
                device.same_machine = same_machine(host, **ip);
            }
        }
        self.devices_not_listed = tallied.len().saturating_sub(self.devices.len()) + tally.over;
        self.heard = tallied
            .iter()
            .map(|(ip, c)| Heard {
                ip: **ip,
                same_machine: same_machine(host, **ip),
                visits: c.visits,
                tls: c.tls,
                asked: c.asked,
                syns: c.syns,
                connections: c.connections,
            })
            .collect();
    }

    /// A visit: counted, kept among the latest, and added to its device.
    pub fn visited(&mut self, mut seen: VisitReport) {
        self.visit_count += 1;
        if let Some(device) = self.device(seen.client, seen.at_s) {
            device.visits += 1;
            device.same_machine = seen.same_machine;
            device.interface = device.interface.take().or(seen.interface.clone());
        }
        seen.lines = Vec::new();
        if self.visits.len() == RECENT_VISITS {
            self.visits.pop_front();
        }
        self.visits.push_back(seen);
    }

    /// A TLS handshake from `client` to `local`, this machine's address it reached.
    pub fn tls(&mut self, host: &Host, client: IpAddr, local: IpAddr, at_s: f64) {
        let client = client.to_canonical();
        let same = same_machine(host, client);
        let interface = host.owner_of(local.to_canonical()).map(|i| i.name.clone());
        if let Some(device) = self.device(client, at_s) {
            device.tls += 1;
            device.same_machine = same;
            device.interface = device.interface.take().or(interface);
        }
    }

    /// A connection from `peer` was accepted.
    pub fn opened(&mut self, host: &Host, peer: IpAddr, at_s: f64) {
        let peer = peer.to_canonical();
        let same = same_machine(host, peer);
        if let Some(device) = self.device(peer, at_s) {
            device.connections += 1;
            device.same_machine = same;
        }
    }

    /// A TCP SYN for the port from `source`, through `interface`.
    pub fn syn(&mut self, host: &Host, source: IpAddr, interface: Option<&str>, at_s: f64) {
        let source = source.to_canonical();
        let same = same_machine(host, source);
        if let Some(device) = self.device(source, at_s) {
            device.syns = Some(device.syns.unwrap_or(0) + 1);
            device.same_machine = same;
            device.interface = device.interface.take().or(interface.map(str::to_string));
        }
    }

    /// A device asked for this machine's hardware address.
    pub fn asked(
        &mut self,
        ip: IpAddr,
        interface: Option<&str>,
        hardware: Option<&str>,
        at_s: f64,
    ) {
        if let Some(device) = self.device(ip, at_s) {
            device.asked = true;
            device.interface = device.interface.take().or(interface.map(str::to_string));
            device.hardware = hardware.map(str::to_string);
        }
    }

    /// What the run shows, from what it heard.
    /// What the run shows, from every address heard (see [`ServeReport::settle`]).
    pub fn diagnose(&mut self, watched: Watched, cat: &dyn Catalogue) {
        let heard = &self.heard;
        let (code, addresses) = diagnose(heard, watched);
        let syns = heard
            .iter()
            .filter(|h| addresses.contains(&h.ip))
            .map(|h| h.syns)
            .sum();
        let who = addresses
            .iter()
            .map(IpAddr::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let message = cat.text(&Text::ServeDiagnosis {
            code,
            who: &who,
            port: self.port,
            url: &self.url(),
            packets: watched.undelivered.unwrap_or(0),
            syns,
            captured: watched.syns,
        });
        self.diagnosis = Some(DiagnosisOut {
            code,
            addresses,
            packets_dropped: watched.undelivered,
            neighbours_watched: watched.neighbours,
            syns_captured: watched.syns,
            confirmed: code == BeaconDiagnosis::DroppedHere && syns > 0
                || code == BeaconDiagnosis::Visited
                || code == BeaconDiagnosis::TlsOnHttp,
            message,
        });
    }

    /// What this machine's firewall does with a new connection to the beacon, for a
    /// diagnosis of drops.
    pub fn firewall_checks(&mut self, checks: &[Check], cat: &dyn Catalogue) {
        self.firewall = super::firewall::out(checks);
        let notes = crate::analysis::firewall::notes(self.port, checks, "serve");
        self.notes = NoteOut::all(&notes, cat);
    }
}

/// The visitor runs on this machine: loopback, or one of its own addresses.
fn same_machine(host: &Host, ip: IpAddr) -> bool {
    classify(ip) == AddrKind::Loopback || host.owner_of(ip).is_some()
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
