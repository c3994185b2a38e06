//! `serve`: a reachability beacon for testing from another device. The URLs and each event
//! (a visit, a TLS handshake, a device asking for this machine's address, packets dropped on
//! the way in) are written as they happen; the report at the end is the summary and what it
//! shows about the other device (or the one JSON document).

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use super::Context;
use crate::analysis::beacon::{BeaconDiagnosis, Watched};
use crate::analysis::expose::expose;
use crate::analysis::firewall;
use crate::analysis::interfaces::primary;
use crate::config::ServeOptions;
use crate::gather::beacon::{self, Event, WatchOn};
use crate::i18n::Text;
use crate::model::{Families, Host, Proto, Target, Visit};
use crate::platform;
use crate::render;
use crate::report::serve::{visit, visitor_lang, ServeReport};
use crate::report::{self, UrlScope, UrlsRequest};

pub fn run(
    options: &ServeOptions,
    cx: &Context,
    live: &mut dyn Write,
) -> anyhow::Result<ServeReport> {
    let ui = cx.ui;
    let host = Arc::new(platform::snapshot()?);
    let port = beacon::port(&host, options.host, options.port);
    let address = SocketAddr::new(options.host, port);
    let target = Target::Ip {
        ip: options.host,
        zone: None,
    };
    let primary = primary(&host);
    let request = UrlsRequest {
        host: &host,
        bind: None,
        running: None,
        port,
        scheme: "http",
        path: "",
        all: false,
        qr: options.qr,
        families: Families::Both,
        primary: primary.as_ref(),
    };
    let urls = report::urls(&request, &expose(&host, &target, port), ui.cat);
    let mut report = ServeReport::new(address, options.duration, urls);
    let listener = match beacon::bind(address) {
        Ok(listener) => listener,
        Err(error) => return Ok(report.cannot_bind(error, ui.cat)),
    };
    let loopback = report.on_loopback();
    let page = {
        let (host, lang) = (host.clone(), ui.lang);
        move |v: &Visit, at| {
            let theirs = visitor_lang(v.accept_language.as_deref(), lang).catalogue();
            render::serve::page(&visit(&host, v, at, loopback, theirs), v.wants_html, theirs)
        }
    };
    let url = report.url();
    let mut others_visited = false;
    let finished = beacon::run(
        listener,
        options.duration,
        watch_on(&host, options.host, &report),
        page,
        |event, at| {
            let line = match event {
                Event::Listening { syns_captured } => {
                    report.syns_captured = *syns_captured;
                    if ui.json {
                        render::serve::listening(&mut std::io::stderr(), &report, ui)?;
                    } else {
                        render::serve::started(live, &report, ui)?;
                    }
                    None
                }
                Event::Opened { peer } => {
                    report.opened(&host, peer.ip(), at);
                    None
                }
                Event::Syn(syn) => {
                    let interface = interface_name(&host, syn.interface);
                    report.syn(&host, syn.source, interface.as_deref(), at);
                    None
                }
                Event::Visit(v) => {
                    let seen = visit(&host, v, at, loopback, ui.cat);
                    others_visited |= !seen.same_machine;
                    if !ui.json {
                        render::serve::visit_line(live, &seen, ui)?;
                    }
                    report.visited(seen);
                    None
                }
                Event::Tls { peer, local } => {
                    report.tls(&host, peer.ip(), local.ip(), at);
                    Some(ui.cat.text(&Text::ServeTls {
                        client: peer.ip(),
                        url: &url,
                    }))
                }
                Event::Sighting(s) => {
                    let interface = interface_name(&host, s.interface);
                    let visited = report
                        .devices
                        .iter()
                        .any(|d| d.ip == s.ip && d.visits + d.tls + d.connections > 0);
                    report.asked(s.ip, interface.as_deref(), s.hardware.as_deref(), at);
                    (!visited).then(|| {
                        ui.cat.text(&Text::ServeAsked {
                            ip: s.ip,
                            interface: interface.as_deref().unwrap_or("?"),
                        })
                    })
                }
                // The counters speak only beside a device that asked and has not connected,
                // and only where its SYNs cannot be seen (see analysis::beacon).
                Event::Dropped { packets } => {
                    let waiting = report
                        .devices
                        .iter()
                        .any(|d| d.asked && !d.same_machine && d.connections == 0);
                    (waiting && !others_visited && !report.syns_captured)
                        .then(|| ui.cat.text(&Text::ServeDropped { packets: *packets }))
                }
            };
            if let (Some(line), false) = (line, ui.json) {
                render::serve::event_line(live, at, &line, ui)?;
            }
            if !ui.json {
                live.flush()?;
            }
            Ok(())
        },
    )?;
    report.ended = Some(finished.served.ended);
    report.turned_away = finished.served.turned_away;
    report.shed = finished.served.shed;
    report.events_missed = finished.missed;
    report.settle(&host, &finished.tally);
    report.diagnose(
        Watched {
            loopback,
            neighbours: finished.neighbours_watched,
            undelivered: finished.undelivered,
            syns: report.syns_captured,
        },
        ui.cat,
    );
    let dropped = report
        .diagnosis
        .as_ref()
        .is_some_and(|d| d.code == BeaconDiagnosis::DroppedHere);
    if dropped {
        let ips = beacon_addresses(&host, options.host);
        let state = platform::firewall(None);
        let checks = firewall::checks(&host, &state, Proto::Tcp, port, &ips, None);
        report.firewall_checks(&checks, ui.cat);
    }
    Ok(report)
}

/// Where the packet watch looks: for a wildcard beacon the interfaces of its network URLs
/// (those the phone is told to open: a container bridge's chatter is not the phone), or every
/// interface when there is none; the address's own for a specific one; none for loopback.
fn watch_on(host: &Host, ip: IpAddr, report: &ServeReport) -> WatchOn {
    if ip.is_loopback() {
        return WatchOn::Nothing;
    }
    if !ip.is_unspecified() {
        let own = host.owner_of(ip).and_then(|i| i.index);
        return WatchOn::These(own.into_iter().collect());
    }
    let shared: Vec<u32> = report
        .urls
        .entries
        .iter()
        .filter(|e| e.scope == UrlScope::Network)
        .filter_map(|e| {
            host.interfaces
                .iter()
                .find(|i| i.name == e.interface)?
                .index
        })
        .collect();
    if shared.is_empty() {
        WatchOn::Every
    } else {
        WatchOn::These(shared)
    }
}

/// The addresses another device could reach the beacon on.
fn beacon_addresses(host: &Host, ip: IpAddr) -> Vec<IpAddr> {
    if !ip.is_unspecified() {
        return vec![ip];
    }
    host.interfaces
        .iter()
        .flat_map(|i| &i.addresses)
        .map(|a| a.ip)
        .filter(|a| !a.is_loopback() && (ip.is_ipv6() || a.is_ipv4()))
        .collect()
}

fn interface_name(host: &Host, index: u32) -> Option<String> {
    host.interfaces
        .iter()
        .find(|i| i.index == Some(index))
        .map(|i| i.name.clone())
}
