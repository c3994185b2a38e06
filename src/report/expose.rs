//! `expose HOST`: what a bind would listen on, who could reach it, and the seeds' comparison.

use std::net::{IpAddr, SocketAddr};

use serde::Serialize;

use super::{NoteOut, Report};
use crate::analysis::expose::{url, Candidate, Exposure};
use crate::analysis::firewall::{self, Check};
use crate::analysis::notes::read_next;
use crate::analysis::notes::Note;
use crate::analysis::topics::Topic;
use crate::analysis::vocab::BindKind;
use crate::analysis::vocab::{AddrKind, Reach, Risk};
use crate::exit_codes::ExitCode;
use crate::i18n::{Catalogue, Row};
use crate::model::{AddrState, BindError};
use crate::report::firewall::FirewallOut;

/// The first line of `expose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExposeVerdict {
    /// A server could bind this host; `reach` and `risk` say who could connect.
    Reaches,
    /// No server can bind it here: it listens on nothing.
    CannotBind,
    /// `--try`: the bind would reach as `reach` says, but the real bind fails now.
    BindFailsNow,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExposeReport {
    pub verdict: ExposeVerdict,
    /// The host as given, with its port: `0.0.0.0:5000`, `[::1]:8000`, `localhost:5000`.
    pub display: String,
    pub bind: Bind,
    /// The address the server would actually bind (a name's pick, an interface's address).
    pub bind_ip: Option<IpAddr>,
    pub kind: BindKind,
    pub listens_on: Vec<ListenOut>,
    pub reach: Reach,
    /// When `reach` holds only for devices that route this network through this machine.
    pub routed_network: Option<String>,
    pub risk: Risk,
    /// Whether a real bind succeeded; `null` without `--try`.
    pub bindable: Option<bool>,
    pub bind_error: Option<BindError>,
    /// When the trial bind failed because the port is in use: the socket in the way and the
    /// process that holds it.
    pub blocked_by: Option<Blocker>,
    /// What this machine's firewall does with other devices' connections, per interface.
    pub firewall: Vec<FirewallOut>,
    /// For `::`: whether IPv4 clients are accepted too.
    pub dual_stack: Option<bool>,
    /// What a name resolved to.
    pub candidates: Vec<Candidate>,
    pub notes: Vec<NoteOut>,
    pub comparison: Comparison,
    /// The `explain` pages to read next.
    pub explain: Vec<Topic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Blocker {
    pub socket: SocketAddr,
    /// `python3 (4200)`; `null` when its owner could not be seen.
    pub process: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bind {
    pub host: String,
    pub port: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListenOut {
    pub ip: IpAddr,
    pub interface: String,
    pub kind: AddrKind,
    pub reach: Reach,
    /// Only devices that route this address's network through this machine reach it.
    pub routed_only: bool,
    /// `tentative` or `dad_failed`: duplicate address detection has not passed.
    pub state: AddrState,
    /// `null` for link-local addresses, which browsers cannot open.
    pub url: Option<String>,
    pub shareable: bool,
}

/// The seeds' comparison for this kind of bind, rows in the seeds' order.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub kind: BindKind,
    pub title: String,
    pub rows: Vec<ComparisonRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    pub row: Row,
    pub label: &'static str,
    pub text: &'static str,
}

impl Comparison {
    pub fn new(kind: BindKind, cat: &dyn Catalogue) -> Comparison {
        Comparison {
            kind,
            title: cat.text(&crate::i18n::Text::Comparison { kind }),
            rows: Row::ALL
                .iter()
                .map(|&row| ComparisonRow {
                    row,
                    label: cat.row(row),
                    text: cat.compare(kind, row),
                })
                .collect(),
        }
    }
}

/// What `expose` was asked about, after parsing.
pub struct Request<'a> {
    /// The host as the server would be given it: an address (zone included) or a name.
    pub host: &'a str,
    pub port: u16,
    pub scheme: &'a str,
    /// The outcome of `--try`, if it ran.
    pub tried: Option<Result<(), BindError>>,
    /// When the trial bind found the port in use: what holds it.
    pub blocked_by: Option<Blocker>,
    /// The firewall's answer for the addresses beyond loopback the bind would take.
    pub firewall: &'a [Check],
}

pub fn expose(request: &Request, exposure: &Exposure, cat: &dyn Catalogue) -> ExposeReport {
    let mut notes = firewall::notes(
        request.port,
        request.firewall,
        &format!("bindscope expose {} -p {}", request.host, request.port),
    );
    notes.extend(exposure.notes.iter().cloned());
    match &request.tried {
        Some(Ok(())) => notes.push(Note::BindSucceeded),
        // A failure where a bind could reach is the verdict line itself.
        Some(Err(_)) if exposure.listens_on.iter().any(|l| l.state.usable()) => {}
        Some(Err(error)) => notes.push(Note::BindFailed {
            error: error.clone(),
        }),
        None => {}
    }
    let display = if request.host.contains(':') {
        format!("[{}]:{}", request.host, request.port)
    } else {
        format!("{}:{}", request.host, request.port)
    };
    ExposeReport {
        // An address the kernel does not let be used yet cannot be bound either.
        verdict: if exposure.listens_on.iter().all(|l| !l.state.usable()) {
            ExposeVerdict::CannotBind
        } else if matches!(request.tried, Some(Err(_))) {
            ExposeVerdict::BindFailsNow
        } else {
            ExposeVerdict::Reaches
        },
        blocked_by: request.blocked_by.clone(),
        firewall: crate::report::firewall::out(request.firewall),
        display,
        bind: Bind {
            host: request.host.to_string(),
            port: request.port,
        },
        bind_ip: exposure.bind_ip,
        kind: exposure.kind,
        listens_on: exposure
            .listens_on
            .iter()
            .map(|l| ListenOut {
                ip: l.ip,
                interface: l.interface.clone(),
                kind: l.kind,
                reach: l.reach,
                routed_only: l.routed_only,
                state: l.state,
                url: url(request.scheme, l.ip, request.port, ""),
                shareable: l.not_shareable.is_none(),
            })
            .collect(),
        reach: exposure.reach,
        routed_network: exposure.routed_network.clone(),
        risk: exposure.risk,
        bindable: request.tried.as_ref().map(Result::is_ok),
        bind_error: request
            .tried
            .as_ref()
            .and_then(|t| t.as_ref().err())
            .cloned(),
        dual_stack: exposure.dual_stack,
        candidates: exposure.candidates.clone(),
        explain: read_next(
            Topic::for_bind(
                exposure.kind,
                exposure.bind_ip.is_some_and(|ip| ip.is_ipv6()),
            ),
            &notes,
        ),
        notes: NoteOut::all(&notes, cat),
        comparison: Comparison::new(exposure.kind, cat),
    }
}

impl Report for ExposeReport {
    fn command(&self) -> &'static str {
        "expose"
    }

    fn exit_code(&self) -> ExitCode {
        if self.verdict == ExposeVerdict::CannotBind || self.bindable == Some(false) {
            ExitCode::Problem
        } else {
            ExitCode::Success
        }
    }
}
