//! English.

use super::{list, round_seconds, seconds, Catalogue, Label, Row, Text};
use crate::analysis::firewall::{
    Source as FirewallSource, Unread as FirewallUnread, Verdict as FirewallVerdict,
};
use crate::analysis::notes::{Conflict, Note};
use crate::analysis::ports::{PortClass, Service};
use crate::analysis::sockets::Refusal;
use crate::analysis::topics::Topic;
use crate::analysis::vocab::DevServer;
use crate::analysis::vocab::{AddrKind, Reach, Risk};
use crate::analysis::vocab::{BeaconDiagnosis, BindKind};
use crate::analysis::vocab::{InferredBind, Status, Unreachable};
use crate::analysis::vocab::{NotShareable, Role};
use crate::error::{Arg, InputError, SystemError, UsageError};
use crate::model::BindError;
use crate::model::DebugEvidence;
use crate::model::HttpFailure;
use crate::model::KillOutcome;
use crate::model::WaitMode;
use crate::model::{Device, Os, WslMode};
use crate::parse::MAX_ARG_LEN;

/// English, in the words of the OS it runs on: its commands (`taskkill` or `kill`), its
/// error numbers (WinError 10048 or Errno 98) and its way to privilege (an administrator's
/// terminal or sudo).
pub struct En {
    pub os: Os,
}

impl En {
    pub const fn on(os: Os) -> En {
        En { os }
    }
}

fn arg(what: Arg) -> &'static str {
    match what {
        Arg::Port => "port",
        Arg::Host => "host",
        Arg::Path => "path",
        Arg::Range => "port range",
        Arg::Count => "count",
        Arg::Duration => "duration",
    }
}

fn firewall_name(source: FirewallSource) -> &'static str {
    match source {
        FirewallSource::Nftables => "nftables",
        FirewallSource::Iptables => "iptables",
        FirewallSource::Ufw => "ufw",
        FirewallSource::Firewalld => "firewalld",
        FirewallSource::Windows => "Windows Defender Firewall",
        FirewallSource::Macos => "the macOS firewall",
    }
}

/// The wildcard bind of `ip`'s family.
fn wildcard_of(ip: std::net::IpAddr) -> &'static str {
    if ip.is_ipv6() {
        "::"
    } else {
        "0.0.0.0"
    }
}

fn os(os: Os) -> &'static str {
    match os {
        Os::Linux => "Linux",
        Os::Macos => "macOS",
        Os::Windows => "Windows",
        Os::Other => "this OS",
    }
}

impl Catalogue for En {
    fn label(&self, label: Label) -> &'static str {
        match label {
            Label::Interface => "INTERFACE",
            Label::State => "STATE",
            Label::Address => "ADDRESS",
            Label::Kind => "KIND",
            Label::Reach => "WHO CAN REACH IT",
            Label::Device => "DEVICE",
            Label::Url => "URL",
            Label::Bind => "BIND",
            Label::Risk => "RISK",
            Label::OnThisMachine => "ON THIS MACHINE",
            Label::Up => "up",
            Label::Down => "down",
            Label::Yes => "yes",
            Label::No => "no",
            Label::Local => "Local:",
            Label::Network => "Network:",
            Label::NotForOtherDevices => "Not for other devices:",
            Label::Recommended => "recommended",
            Label::PrimaryMark => {
                "primary address: the one other devices use to reach this machine"
            }
            Label::Interfaces => "Interfaces",
            Label::IfYourServerBindsTo => "If your server binds to…",
            Label::Next => "Next:",
            Label::NoAddress => "(no address)",
            Label::ServersBindThis => "servers bind this one",
            Label::Proto => "PROTO",
            Label::Port => "PORT",
            Label::User => "USER",
            Label::Process => "PROCESS",
            Label::Result => "RESULT",
            Label::Class => "Class:",
            Label::Service => "Known as:",
            Label::FreeNearby => "Free nearby:",
            Label::Ok => "free",
            Label::UnknownProcess => "?",
            Label::Pid => "PID",
            Label::Signals => "SIGNALS",
            Label::Outcome => "OUTCOME",
            Label::Refused => "Left alone:",
            Label::Command => "command",
            Label::Folder => "folder",
            Label::Status => "STATUS",
            Label::Time => "TIME",
            Label::Http => "HTTP",
            Label::Bound => "Bound to:",
            Label::AdminProhibited => {
                "a firewall on that host or on the way rejected it (administratively prohibited)"
            }
            Label::PortUnreachableReject => "a firewall on that host or on the way rejected it (port unreachable: a closed TCP port would have answered with a reset)",
            Label::FirewallBlocks => "but the firewall blocks it",
            Label::OnceBoundThere => "once the server binds 0.0.0.0",
            Label::RoutedOnly => "if routed here",
            Label::Tentative => "not usable yet: duplicate address check",
            Label::DadFailed => "unusable: duplicate address",
            Label::ReadMore => "Read more:",
        }
    }

    fn text(&self, text: &Text) -> String {
        match *text {
            Text::Title { hostname, os: o, port } => {
                format!("{hostname} · {} · port {port}", os(o))
            }
            Text::PrimaryVerdict { ip, interface } => format!(
                "Primary address: {ip} on {interface}, the one other devices on your network use."
            ),
            Text::NoPrimary => {
                "No network address: only this machine can reach a server here.".into()
            }
            Text::ExposeRouted { bind, network, risk } => format!(
                "{bind}: reachable only from devices that route {network} through this machine (normally none but its own containers and VMs), risk {}.",
                self.risk(risk)
            ),
            Text::ExposeVerdict { bind, reach, risk } => format!(
                "{bind}: reachable from {}, risk {}.",
                self.reach(reach),
                self.risk(risk)
            ),
            Text::ExposeFails { bind } => {
                format!("{bind}: a server cannot listen there on this machine.")
            }
            Text::ExposeBindFails { bind, error, holder } => match holder {
                Some((who, socket)) => {
                    format!("{bind} cannot be bound now: {who} holds {socket}.")
                }
                None => format!("{bind} cannot be bound now: {error}."),
            },
            Text::ResolvesTo { name } => format!("{name} resolves to:"),
            Text::Comparison { kind } => {
                format!("What binding to {} means:", self.bind_kind(kind))
            }
            Text::UrlsVerdict { url, wildcard } => format!(
                "Open {url} on another device on your network (with the server bound to {wildcard})."
            ),
            Text::NoNetworkUrl => {
                "No network URL: this machine has no address another device could use.".into()
            }
            Text::Ipv6NeedsDualStack => {
                "IPv6 URLs answer only if the server binds :: (Flask's --host=0.0.0.0 is IPv4 only)."
                    .into()
            }
            Text::OverviewVerdict { url, wildcard } => format!(
                "To open your server from a phone or another computer, bind it to {wildcard} and share {url}"
            ),
            Text::OverviewWsl { ip } => format!(
                "This is WSL2 behind NAT: other devices cannot reach {ip}; forward the port from Windows or use mirrored networking."
            ),
            Text::QrFor { url } => format!("Scan to open {url}"),
            Text::NoQr => "No QR code: there is no network URL to encode.".into(),
            Text::InterfaceRole { name, role } => format!("{name}: {}", self.role(role)),
            Text::ListenersVerdict { total, exposed } => {
                let sockets = if total == 1 { "socket" } else { "sockets" };
                match exposed {
                    0 => format!(
                        "{total} listening {sockets}, none reachable from beyond this machine."
                    ),
                    n => format!(
                        "{total} listening {sockets}, {n} reachable from beyond this machine."
                    ),
                }
            }
            Text::NothingListens => "Nothing is listening.".into(),
            Text::PortFree { port } => format!(
                "Port {port} is free: a server can bind it on 127.0.0.1, 0.0.0.0 and :: right now."
            ),
            Text::PortTaken { port, failed } => {
                format!("Port {port} is taken: a server cannot bind it on {failed} now.")
            }
            Text::PortRestricted { port } if self.os == Os::Windows => format!(
                "Port {port} is not in use, but Windows refuses to bind it (WinError 10013, access denied)."
            ),
            Text::PortRestricted { port } => format!(
                "Port {port} is not in use, but binding it needs privileges this process lacks."
            ),
            Text::PortUnbindable { port, failed } => {
                format!("Port {port} cannot be bound on {failed} now.")
            }
            Text::KillHolders { port } => format!("Port {port} is held by:"),
            Text::KillHolder {
                pid,
                name,
                user,
                running_s,
            } => {
                let mut line = format!("pid {pid}  {name}");
                if let Some(user) = user {
                    line += &format!(", user {user}");
                }
                if let Some(secs) = running_s {
                    line += &format!(", running for {}", span(secs));
                }
                line
            }
            Text::KillAsk { count: 1 } if self.os == Os::Windows => "End it now? Windows ends it at once, as taskkill /F does: it gets no chance to clean up. [y/N] ".into(),
            Text::KillAsk { count } if self.os == Os::Windows => format!("End these {count} processes now? Windows ends them at once, as taskkill /F does: they get no chance to clean up. [y/N] "),
            Text::KillAsk { count: 1 } => "Stop it? [y/N] ".into(),
            Text::KillAsk { count } => format!("Stop these {count} processes? [y/N] "),
            Text::KillCancelled => "Nothing was stopped.".into(),
            Text::KillBelongsTo { user: Some(user) } if self.os == Os::Windows => {
                format!("this process belongs to {user}: run bindscope in a terminal opened as administrator")
            }
            Text::KillBelongsTo { user: None } if self.os == Os::Windows => {
                "access denied: run bindscope in a terminal opened as administrator".into()
            }
            Text::KillBelongsTo { user: Some(user) } => {
                format!("this process belongs to {user}: run with sudo")
            }
            Text::KillBelongsTo { user: None } => {
                "this process belongs to another user: run with sudo".into()
            }
            Text::KillForeignPids => "bindscope runs in a pid namespace of its own, but /proc is its parent's (unshare --pid without --mount-proc?): the pids it shows are the parent namespace's, and here the same number may be another process, so nothing was signalled. Run bindscope where that /proc belongs, or give its namespace a /proc of its own (unshare --pid --fork --mount-proc).".into(),
            Text::KillContainerInit { pid } => format!("pid {pid} is a container's init (pid 1 of its own pid namespace): stopping it stops the whole container, so bindscope leaves it alone. Stop the container instead: docker stop NAME or podman stop NAME (docker ps or podman ps shows the names), or with the tool that started it."),
            Text::KillUdpLeft { port, count: 1 } => format!("A UDP socket bound to port {port} was left alone: --kill stops TCP listeners; add --udp to stop UDP servers too."),
            Text::KillUdpLeft { port, count } => format!("{count} UDP sockets bound to port {port} were left alone: --kill stops TCP listeners; add --udp to stop UDP servers too."),
            Text::KillUnseen {
                port,
                at,
                needs_privilege: true,
                ..
            } if self.os == Os::Windows => format!("{at} is held by a process bindscope cannot read. Run bindscope in a terminal opened as administrator (bindscope port {port} --kill)."),
            Text::KillUnseen {
                at,
                needs_privilege: false,
                ..
            } if self.os == Os::Windows => format!(
                "No process bindscope may stop holds {at}: the System process (pid 4, HTTP.sys, which serves IIS and other services) or nobody (pid 0). netsh http show servicestate names the service behind HTTP.sys."
            ),
            Text::KillUnseen {
                port,
                at,
                user,
                needs_privilege: true,
            } => {
                let user = user.unwrap_or("another user");
                format!("{at} is held by a process bindscope cannot see without privilege. This process belongs to {user}: run with sudo (sudo bindscope port {port} --kill).")
            }
            Text::KillUnseen {
                at,
                needs_privilege: false,
                ..
            } => format!(
                "No process bindscope can see holds {at} (a socket of the kernel, or of another pid namespace such as a container): stop it where it runs."
            ),
            Text::KillNothingSent { port } if self.os == Os::Windows => {
                format!("Nothing was ended: port {port} is still in use.")
            }
            Text::KillNothingSent { port } => {
                format!("Nothing was signalled: port {port} is still in use.")
            }
            Text::NothingToKill { port } => {
                format!("Nothing listens on port {port}: there is nothing to stop.")
            }
            Text::KillFreed { port } => format!("Port {port} is free now."),
            Text::KillFreedTcp { port } => {
                format!("No TCP listener is left on port {port} (UDP still uses the number).")
            }
            Text::KillNotFreed {
                port,
                suggest_force: false,
            } => format!("Port {port} is still in use."),
            Text::KillNotFreed {
                port,
                suggest_force: true,
            } => format!(
                "Port {port} is still in use: SIGTERM was ignored. --force sends SIGKILL after --grace."
            ),
            Text::KillTakenBy { port, who } => format!(
                "Port {port} is in use again, by {who}: it took the port after the check, so it was left alone. `bindscope port {port} --kill` stops it."
            ),
            Text::FreeVerdict { hosts } => {
                format!("Free ports, each checked by binding {hosts}:")
            }
            Text::FreeNone { low, high } => {
                format!("No free port between {low} and {high}.")
            }
            Text::ProbeNone { port } => format!("Nothing answers on port {port}."),
            Text::ProbeFirewallBlocks { port } => format!(
                "Port {port} answers beyond loopback, but this machine's firewall keeps other devices out (see below)."
            ),
            Text::ProbeSilent { port } => format!(
                "Something listens on port {port}, but no connection from this machine got in."
            ),
            Text::ProbeBoundOnly { port } => format!(
                "Port {port} is bound but nothing listens on it: the server did not finish starting."
            ),
            Text::DebuggerDanger { port } => format!(
                "DANGER: Werkzeug's debugger on port {port} is reachable from other devices: anyone who reaches it can run code on this machine."
            ),
            Text::UrlsServing { url, port } => format!(
                "Open {url} on another device on your network: your server on port {port} listens there."
            ),
            Text::UrlsNotAnswering { url, port, wildcard } => format!(
                "Your server on port {port} does not answer on the network yet: once it binds {wildcard}, open {url} on the other device."
            ),
            Text::UrlsLoopback => "No network URL: a server bound to loopback is for this machine only.".into(),
            Text::UrlsNotLocal => "No URL: that address is not this machine's, so a server cannot bind it.".into(),
            Text::NoQrNotAnswering => "No QR code yet: your server does not answer on that URL (see above).".into(),
            Text::OverviewServing { url, port } => format!(
                "Your server on port {port} answers on the network: share {url}"
            ),
            Text::OverviewPublic { ip, port } => format!(
                "{ip} is a public address: a server bound to {} on port {port} is open to the whole internet. Limit it before you share it (see below).",
                wildcard_of(ip)
            ),
            Text::DebuggerDangerAny => "DANGER: a Werkzeug debugger on this machine is reachable from other devices: anyone who reaches it can run code here.".into(),
            Text::RemoteDanger { target } => format!(
                "DANGER: {target} runs Werkzeug's debugger where this device can reach it: anyone who reaches it can run code on that machine."
            ),
            Text::ProbeHostNotAllowed { port } => format!(
                "Port {port} answers beyond loopback, but the development server refuses the address a phone would use (see below)."
            ),
            Text::RemoteHostNotAllowed { target } => format!(
                "{target} answers, but its development server refuses the Host this device sent (see below)."
            ),
            Text::HttpFailed { failure: HttpFailure::Timeout } => "no HTTP answer before the timeout".into(),
            Text::HttpFailed { failure: HttpFailure::Failed(error) } => format!("no HTTP answer: {error}"),
            Text::ProbeLoopback { port } => format!(
                "Port {port} answers on loopback only: this machine can open it, other devices cannot."
            ),
            Text::ProbeReachable { port, reach } => format!(
                "Port {port} answers beyond loopback: reachable from {}, unless a firewall stops it.",
                self.reach(reach)
            ),
            Text::TryUrl { url } => format!("Try {url} on the other device."),
            Text::RemoteVerdict { target, open, total } => {
                format!("{target}: {open} of {total} open.")
            }
            Text::Probing { count } => format!("Probing {count} addresses…"),
            Text::LabIntro => "Three throwaway servers, one after another, each probed from every address of this machine:".into(),
            Text::LabComparison => "What the comparison tables say of the same binds:".into(),
            Text::LabOutro => "These connections never left this machine: they show what each bind accepts, not what a firewall lets in. For that, run bindscope serve and open its URL on your phone.".into(),
            Text::TopicsIntro => "Concept pages: bindscope explain TOPIC (in Korean: --lang ko).".into(),
            Text::LivePortFree { port } => format!("free right now (nothing listens on {port})"),
            Text::LivePortHeld { port, who } => format!("in use right now, {who} listening on {port}"),
            Text::LivePortHidden { port } if self.os == Os::Windows => format!(
                "in use right now, by a process of another user (bindscope port {port}, run as administrator, names it)"
            ),
            Text::LivePortHidden { port } => format!(
                "in use right now, by a process of another user (sudo bindscope port {port} names it)"
            ),
            Text::LiveDualStack { on: true } => {
                "yes: here a server on :: takes IPv4 clients too".into()
            }
            Text::LiveDualStack { on: false } => {
                "no: here a server on :: takes IPv6 clients only".into()
            }
            Text::LiveWsl { mode: None } => "not WSL".into(),
            Text::LiveWsl { mode: Some(WslMode::Nat) } => "WSL2 with NAT networking".into(),
            Text::LiveWsl { mode: Some(WslMode::Mirrored) } => {
                "WSL2 with mirrored networking".into()
            }
            Text::LiveContainer { name: None } => "not inside a container".into(),
            Text::LiveContainer { name: Some(name) } => format!("inside a container ({name})"),
            Text::LiveNoBridge => "none on this machine".into(),
            Text::LiveLanPrivacy { ip, public: false } => format!(
                "This machine's LAN IP, {ip}, is private: the internet cannot reach it directly, because your router does not forward connections to it unless told to."
            ),
            Text::LiveLanPrivacy { ip, public: true } => format!(
                "This machine's address, {ip}, is public: anyone on the internet can reach it directly, so a server bound to 0.0.0.0 is open to them unless a firewall stops it."
            ),
            Text::LiveOs { os: o } => os(o).into(),
            Text::PageTitle => "bindscope: you reached this machine".into(),
            Text::PageVisitor { ip } => format!("You are {ip}."),
            Text::PageReached { ip, port, interface } => {
                format!("You reached {ip} on port {port}, through {interface}.")
            }
            Text::PageSameMachine { loopback: false } => "You are on the same machine: this proves nothing about other devices. Open the Network URL from your phone or another computer.".into(),
            Text::PageSameMachine { loopback: true } => "You are on the same machine: this proves nothing about other devices. This beacon listens on loopback only, so no other device can reach it: run bindscope serve without --host to test from your phone.".into(),
            Text::PageProves { ip, port } => format!(
                "So a device like yours can reach a server on this machine bound to 0.0.0.0 (or to {ip}) on port {port}: the network and every firewall between let it through. Other ports may be treated differently: to test your app's own port, stop the app and run bindscope serve -p with that port."
            ),
            Text::ServeStarted {
                addr,
                seconds,
                loopback,
            } => {
                let duration = if seconds % 60 == 0 {
                    format!("{} min", seconds / 60)
                } else {
                    format!("{seconds} s")
                };
                if loopback {
                    format!("Reachability beacon on {addr} for {duration}. It listens on loopback, so only this machine can reach it: to test from another device, run it without --host. Each visit is logged below.")
                } else {
                    format!("Reachability beacon on {addr} for {duration}. Open one of these on the other device; each visit is logged below.")
                }
            }
            Text::ServeListening { addr } => format!("bindscope serve: listening on {addr}"),
            Text::ServeEnded {
                visits,
                interrupted,
            } => {
                let visits = match visits {
                    1 => "1 visit".to_string(),
                    n => format!("{n} visits"),
                };
                if interrupted {
                    format!("Stopped: {visits}.")
                } else {
                    format!("Time is up: {visits}.")
                }
            }
            Text::ServeTls { client, url } => format!(
                "{client} tried https:// on this plain-HTTP port: the browser upgraded the address. Type {url} in full, with http://."
            ),
            Text::ServeAsked { ip, interface } => format!(
                "A device at {ip} ({interface}) asked for this machine's hardware address: it may be about to connect."
            ),
            Text::ServeDropped { packets } => format!(
                "{} this machine received {} not delivered, and no other device visited: a firewall may be dropping them.",
                packets_en(packets),
                if packets == 1 { "was" } else { "were" }
            ),
            Text::ServeBusy { turned_away, shed } => format!(
                "Under load: {turned_away} connections answered 503 (a cap was reached), {shed} silent ones closed to make room."
            ),
            Text::ServeMissed { events } => format!(
                "{events} events came faster than this log could show them; they are counted above."
            ),
            Text::ServeDiagnosis {
                code,
                who,
                port,
                url,
                packets,
                syns,
                captured,
            } => match code {
                BeaconDiagnosis::Visited => format!(
                    "{who} reached the beacon: the network and every firewall between let a device through on port {port}."
                ),
                BeaconDiagnosis::LoopbackOnly => "The beacon listened on loopback, so no other device could reach it. Run bindscope serve without --host to test from another device.".into(),
                BeaconDiagnosis::TlsOnHttp => format!(
                    "{who} tried https:// on this plain-HTTP port: the browser upgraded the address. Type {url} in full, with http://."
                ),
                BeaconDiagnosis::DroppedHere if syns > 0 => format!(
                    "A device at {who} tried and this machine's firewall dropped it: {syns} connection attempts (TCP SYNs) to port {port} arrived and none reached the beacon. Let port {port} in (see below) and try again."
                ),
                BeaconDiagnosis::DroppedHere => format!(
                    "A device at {who} asked for this machine's address, then {} to this machine were dropped before reaching TCP and nothing reached the beacon: most likely this machine's firewall dropped its connection. Let port {port} in (see below) and try again. (With sudo, the beacon also sees the connection attempts themselves.)",
                    packets_en(packets)
                ),
                BeaconDiagnosis::ConnectedSilent => format!(
                    "A device at {who} connected to port {port} but sent no request: it is not a browser, or it gave up. Open {url} in the phone's browser."
                ),
                BeaconDiagnosis::SeenNotConnected => format!(
                    "A device at {who} asked for this machine's address, but nothing it sent reached port {port}: it opened another address or port. Open {url} exactly."
                ),
                BeaconDiagnosis::VisitedFromHere => format!(
                    "Only this machine visited: that proves nothing about other devices. Open {url} on the phone."
                ),
                BeaconDiagnosis::NeverArrived => format!(
                    "No sign of another device: none asked for this machine's address{} and nothing reached the beacon. Most likely the phone is on another network, or the Wi-Fi isolates its clients (guest networks often do), or it used another address or port: check that it opens {url} exactly.{}",
                    if captured { ", no connection attempt to the port arrived" } else { "" },
                    if captured { "" } else { " (A phone that already has this machine's hardware address cached asks nothing; with sudo, the beacon also sees its connection attempts.)" }
                ),
                BeaconDiagnosis::NotWatched => format!(
                    "No visit. This system does not show bindscope what arrives, so it cannot tell a firewall from another network: check both, and that the phone opens {url}."
                ),
            },
            Text::ServeCannotBind { addr, reason } => {
                format!("The beacon cannot listen on {addr}: {reason}.")
            }
            Text::WaitWaiting { mode: WaitMode::Free, port, elapsed_ms, .. } => {
                format!("Waiting for port {port} to be free… {} s", seconds(elapsed_ms))
            }
            Text::WaitWaiting { mode, addrs, elapsed_ms, .. } => {
                let http = if mode == WaitMode::Http { "an HTTP answer from " } else { "" };
                format!("Waiting for {http}{}… {} s", either(addrs), seconds(elapsed_ms))
            }
            Text::WaitAnswered { by, status, after_ms } => {
                let http = status.map(|s| format!(" HTTP {s}")).unwrap_or_default();
                match after_ms {
                    None => format!("{by} answered{http} at once."),
                    Some(ms) => format!("{by} answered{http} after {} s.", seconds(ms)),
                }
            }
            Text::WaitFreed { port, after_ms: None } => format!("Port {port} is already free."),
            Text::WaitFreed { port, after_ms: Some(ms) } => {
                format!("Port {port} is free after {} s.", seconds(ms))
            }
            Text::WaitNoAnswer { addrs, http, timeout_ms } => {
                let what = if http { "No HTTP answer from" } else { "Nothing answered on" };
                format!("{what} {} within {} s.", either(addrs), round_seconds(timeout_ms))
            }
            Text::WaitStillHeld { port, timeout_ms, who: Some(who) } => format!(
                "Port {port} is still in use after {} s, by {who}; bindscope port {port} --kill stops it.",
                round_seconds(timeout_ms)
            ),
            Text::WaitStillHeld { port, timeout_ms, who: None } => format!(
                "Port {port} is still in use after {} s; bindscope port {port} says by whom.",
                round_seconds(timeout_ms)
            ),
            Text::KillForceNoEffect => "--force changes nothing on Windows: TerminateProcess already ends the process at once.".into(),
        }
    }

    fn note(&self, note: &Note) -> String {
        match note {
            Note::LoopbackOnly => "Only programs on this machine can connect. To open it to your phone, bind 0.0.0.0: flask run --host=0.0.0.0, or app.run(host=\"0.0.0.0\").".into(),
            Note::AllInterfaces => "A wildcard bind listens on every address of the family, including addresses the machine gets later.".into(),
            Note::DualStack => "Dual stack: :: accepts IPv4 too here (net.ipv6.bindv6only=0), unless the server sets IPV6_V6ONLY, as nginx does by default.".into(),
            Note::V6Only { windows: true } => "On Windows a :: socket takes IPv6 only unless the server clears IPV6_V6ONLY: bind 0.0.0.0 too for IPv4 clients.".into(),
            Note::V6Only { windows: false } => ":: takes IPv6 only here (net.ipv6.bindv6only=1): bind 0.0.0.0 too for IPv4 clients.".into(),
            Note::AlsoVirtual { interfaces, routed } => format!(
                "It also listens on {}: containers and VMs on this machine can connect{}.",
                interfaces.join(", "),
                if *routed {
                    ", and so can any device that routes those networks through this machine (this OS accepts them on every interface)"
                } else {
                    ""
                }
            ),
            Note::RoutedOnly { ip, network, interface, down } => format!(
                "{ip} is on {interface}{}, which no other device is plugged into, yet this machine accepts connections to it on every interface: a device that routes {network} through this machine can connect. It is not a URL for your phone.",
                if *down { " (down)" } else { "" }
            ),
            Note::AddressNotReady { ip, failed: false } => format!(
                "{ip} is not usable yet: duplicate address detection is still checking that no other device has it (about a second once its link is up; it never ends on a link without carrier). Until then a bind fails with \"cannot assign requested address\" and nothing reaches it."
            ),
            Note::AddressNotReady { ip, failed: true } => format!(
                "{ip} failed duplicate address detection: another device on the link already has it, so this machine does not use it. A bind fails with \"cannot assign requested address\"; remove the address or choose another."
            ),
            Note::MappedNeedsDualStack { ip } => format!(
                "::ffff:{ip} is the IPv4 address {ip} written as IPv6; here an IPv6 socket takes IPv6 only (bindv6only=1, or Windows), so the bind fails (invalid argument). Bind {ip} instead."
            ),
            Note::NotUnicast { ip, network } => format!(
                "{ip} is the broadcast address of {network}: a bind succeeds, but no connection can reach it (\"network is unreachable\"). Use 127.0.0.1."
            ),
            Note::NotOnLocalhost { ip, port } => format!(
                "A server bound to {ip} listens there only: http://127.0.0.1:{port} and http://localhost:{port} do not answer, even on this machine. Open {}, or bind 0.0.0.0 to have both.",
                crate::analysis::expose::url("http", *ip, *port, "").unwrap_or_else(|| ip.to_string())
            ),
            Note::BoundToDevice { socket, device } => format!(
                "{socket} is tied to the interface {device} (SO_BINDTODEVICE): it accepts only connections that arrive through {device}."
            ),
            Note::ListenerSilent { port, sockets } => format!(
                "Something listens on port {port} ({}), yet no connection from this machine got in. It may be tied to one interface, or a firewall here turns the connections away: test from the other device.",
                list(sockets)
            ),
            Note::BoundNotListening { port, owner, holds } => format!(
                "{} has bound port {port} but does not listen: it probably stopped or hung while starting (between bind and listen). Nothing can connect to it{}",
                owner.as_deref().unwrap_or("A program"),
                if *holds {
                    ", and another server cannot take the port until it is stopped."
                } else {
                    "."
                }
            ),
            Note::ServerLoopbackOnly { port, flask: true } => format!(
                "Your server on port {port} listens on 127.0.0.1 only: the phone URL will not answer until you restart it with flask run --host=0.0.0.0."
            ),
            Note::ServerLoopbackOnly { port, flask: false } => format!(
                "Your server on port {port} listens on loopback only: the phone URL will not answer until you restart it bound to 0.0.0.0."
            ),
            Note::ServerNotRunning { port, bind } => format!(
                "Nothing listens on port {port} yet: start your server bound to {bind}, then open the URL."
            ),
            Note::NoNetworkUrl { host } => format!(
                "A server bound to {host} has no network URL: only this machine can open it. Bind 0.0.0.0 to get one."
            ),
            Note::Firewall { port, interface, verdict, source, rule, fix } => {
                let by = match (source, rule) {
                    (Some(s), Some(r)) => format!(" ({}: {r})", firewall_name(*s)),
                    (Some(s), None) => format!(" ({})", firewall_name(*s)),
                    (None, Some(r)) => format!(" ({r})"),
                    (None, None) => String::new(),
                };
                let fix = fix.as_deref().map(|f| format!(" Fix: {f}")).unwrap_or_default();
                match verdict {
                    FirewallVerdict::Accept => format!("The firewall lets new connections to port {port} in from {interface}{by}."),
                    FirewallVerdict::Drop => format!("The firewall drops new connections to port {port} from {interface}{by}: other devices time out.{fix}"),
                    FirewallVerdict::Reject => format!("The firewall rejects new connections to port {port} from {interface}{by}: other devices are refused.{fix}"),
                    FirewallVerdict::None => format!("No firewall is set up here: nothing on this machine stops connections to port {port}."),
                    FirewallVerdict::Unknown => format!("Whether the firewall lets port {port} in from {interface} is not known{by}."),
                }
            }
            Note::FirewallUnread { parts, .. } if self.os == Os::Windows => {
                let what = if parts.is_empty() { "part of the firewall" } else { "the firewall's settings" };
                format!("bindscope could not read {what}: Windows answered with an error. Get-NetFirewallProfile in PowerShell shows whether it is on.")
            }
            Note::FirewallUnread { command, parts } => {
                let parts: Vec<&str> = parts
                    .iter()
                    .map(|p| match p {
                        FirewallUnread::Nftables => "the kernel's ruleset (nftables)",
                        FirewallUnread::IptablesLegacy => "the legacy iptables tables",
                        FirewallUnread::UfwRules => "ufw's rules",
                        FirewallUnread::Settings => "the firewall's settings",
                    })
                    .collect();
                let what = if parts.is_empty() {
                    "part of the firewall".to_string()
                } else {
                    parts.join(", ")
                };
                format!("Without privileges, bindscope could not read {what}: {command} tells.")
            }
            Note::PublicExposure { ip, port } => format!(
                "{ip} is a public address: a server bound to {} can be reached from the whole internet on port {port}. Allow the port only from your network in the firewall, put the app behind a reverse proxy, or bind a private address instead.",
                wildcard_of(*ip)
            ),
            Note::AlsoVpn { interfaces } => format!(
                "It also listens on {}, a VPN: devices on that VPN can connect.",
                interfaces.join(", ")
            ),
            Note::Public { ip } => format!(
                "{ip} is a public address: anyone on the internet can connect unless a firewall blocks the port."
            ),
            Note::FirewallDecides => "The bind lets other devices in; a firewall can still stop them. A test from this machine cannot tell: test from the other device.".into(),
            Note::VirtualAddress { ip, interface, role } => {
                format!("{ip} is on {interface}, {}.", self.role(*role))
            }
            Note::NotLocal { ip, lan } => {
                let lan = match lan {
                    Some((lan_ip, iface)) => {
                        format!(" This machine's LAN address is {lan_ip} ({iface}).")
                    }
                    None => String::new(),
                };
                format!("{ip} is not an address of this machine: the bind fails with \"cannot assign requested address\".{lan}")
            }
            Note::NonlocalBindAllowed => "net.ipv4.ip_nonlocal_bind=1: the bind succeeds anyway, but no traffic arrives until the address is added.".into(),
            Note::LinkLocalNeedsZone { ip } => format!(
                "{ip} is link-local: a bind needs its interface, as in {ip}%eth0."
            ),
            Note::LinkLocalNoUrl => "Link-local addresses (fe80::) get no URL: browsers do not accept zone ids.".into(),
            Note::PrivilegedPort { port, start } => format!(
                "Port {port} is below {start}: binding it needs root (or CAP_NET_BIND_SERVICE), otherwise \"permission denied\". Development servers use ports like 5000 or 8000."
            ),
            Note::PrivilegedPortAllowed { port, start } => format!(
                "Port {port} is below {start}: this process has the privilege to bind it."
            ),
            Note::LowPortSpecificAddress { port, start, allowed: true } => format!(
                "Port {port} is below {start}, but macOS (10.14 and later) lets any user bind it on 0.0.0.0 or ::; only a specific address such as 127.0.0.1 needs root (sudo)."
            ),
            Note::LowPortSpecificAddress { port, start, allowed: false } => format!(
                "Port {port} is below {start}: on macOS a specific address such as 127.0.0.1 needs root (sudo) for it, otherwise \"permission denied\"; 0.0.0.0 and :: need no privilege (macOS 10.14 and later). Development servers use ports like 5000 or 8000."
            ),
            Note::Localhost { resolved, picked } => format!(
                "localhost resolves to {} here. Flask/Werkzeug binds only {picked} (the first IPv4 result); Node.js 17+ and Vite bind the first result, often ::1; uvicorn binds all of them.",
                list(resolved)
            ),
            Note::Hostname { name, resolved, picked } => format!(
                "{name} resolves to {}; servers such as Flask bind the first IPv4 result, {picked}.",
                list(resolved)
            ),
            Note::InterfaceName { name, picked } => format!(
                "Servers bind addresses, not interface names: for {name} give {picked}."
            ),
            Note::InterfaceWithoutAddress { name } => {
                format!("{name} has no address a server could bind.")
            }
            Note::WslNat => "WSL2 with NAT networking: your LAN reaches Windows, not this Linux VM. Forward the port on Windows (netsh interface portproxy add v4tov4 …) or switch to networkingMode=mirrored.".into(),
            Note::WslMirrored => "WSL2 with mirrored networking: the VM uses Windows' addresses; Windows' firewall (Hyper-V firewall) decides what gets in.".into(),
            Note::InContainer { name } => format!(
                "This runs inside a container ({name}): other machines reach it only through ports the container publishes (docker run -p)."
            ),
            Note::FullTunnelVpn { interface } => format!(
                "A VPN ({interface}) carries this machine's traffic; devices on your Wi-Fi may still reach the LAN address unless the VPN blocks local traffic."
            ),
            Note::NoLanAddress => "No LAN address: connect to a network to share a server.".into(),
            Note::BindFailed { error: BindError::InUse } if self.os == Os::Windows => "Bind test: the port is already in use there (WinError 10048).".into(),
            Note::BindFailed { error: BindError::Permission } if self.os == Os::Windows => "Bind test: access denied (WinError 10013).".into(),
            Note::BindFailed { error } => match error {
                BindError::InUse => "Bind test: the port is already in use there (address already in use).".into(),
                BindError::NotLocal => "Bind test: cannot assign requested address.".into(),
                BindError::Permission => "Bind test: permission denied.".into(),
                BindError::Other(e) => format!("Bind test failed: {e}."),
            },
            Note::Conflict { trial, blocker, rule } => {
                let tried = std::net::SocketAddr::new(*trial, blocker.port());
                match rule {
                    Conflict::Same => format!("{tried} is already in use by the socket {blocker}."),
                    Conflict::CoveredByWildcard => format!("{tried} fails: {blocker} listens on every address, this one included."),
                    Conflict::WildcardBlockedBySpecific => format!("{tried} fails: {blocker} holds one address of the port, and a wildcard bind needs them all (on Linux SO_REUSEADDR does not change that)."),
                    Conflict::DualStackHoldsIpv4 => format!("{tried} fails: {blocker} is dual-stack (IPV6_V6ONLY off), so it holds the IPv4 port as well."),
                    Conflict::DualStackNeedsIpv4 => format!("{tried} fails: a dual-stack :: bind needs the IPv4 port too, and {blocker} holds it."),
                    Conflict::Exclusive => format!("{tried} fails: Windows allows this bind beside {blocker}, unless its program set SO_EXCLUSIVEADDRUSE, as Windows services and IIS do (WinError 10048)."),
                }
            }
            Note::Reloader { parent, child } if self.os == Os::Windows => format!(
                "Werkzeug's reloader: pid {parent} watches your files and restarts pid {child}; both hold the socket. Stop both: Ctrl+C where flask runs, or taskkill /PID {parent} /T /F (/T takes the child too; Windows does not end it with its parent)."
            ),
            Note::Reloader { parent, child } => format!(
                "Werkzeug's reloader: pid {parent} watches your files and restarts pid {child}; both hold the socket. Stop the parent: Ctrl+C where flask runs, or kill {parent}."
            ),
            Note::DockerProxy { ports } => format!(
                "docker-proxy holds {} for a container: stop the container (docker ps --filter publish=PORT), not the proxy. Docker's published ports bypass ufw.",
                ports.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            ),
            Note::AirPlay { port } => format!(
                "On macOS, port {port} belongs to the AirPlay Receiver: turn it off in System Settings → General → AirDrop & Handoff, or run Flask on another port (flask run --port 5001)."
            ),
            Note::ReuseAddrShares { port } => format!(
                "On Windows a second Flask can still start on port {port}: Werkzeug sets SO_REUSEADDR, which lets two servers share one address, and the old one keeps answering. Stop the old server first (netstat -ano | findstr :{port} shows its PID)."
            ),
            Note::ExcludedPortRange { port, range: Some((low, high)) } => format!(
                "Windows reserves ports {low}–{high} (an excluded port range, usually Hyper-V's, WSL's or Docker's), {port} among them: a bind fails with WinError 10013 (access denied) though nobody holds the port, and running as administrator does not help. Use a port outside the range (netsh interface ipv4 show excludedportrange protocol=tcp lists them)."
            ),
            Note::ExcludedPortRange { port, range: None } => format!(
                "WinError 10013 (access denied) on port {port} with no listener in sight: usually an excluded port range (Hyper-V, WSL, Docker; netsh interface ipv4 show excludedportrange protocol=tcp lists them), or a program that holds it exclusively. Running as administrator does not help: use another port."
            ),
            Note::OwnersHidden { processes: 1 } if self.os == Os::Windows => "1 process could not be read: its sockets are listed without an owner's name. Run bindscope in a terminal opened as administrator to see who holds them.".into(),
            Note::OwnersHidden { processes } if self.os == Os::Windows => format!(
                "{processes} processes could not be read: their sockets are listed without an owner's name. Run bindscope in a terminal opened as administrator to see who holds them."
            ),
            Note::OwnersHidden { processes: 1 } => "1 process belongs to another user: its sockets are listed without an owner. Run with sudo to see who holds them.".into(),
            Note::OwnersHidden { processes } => format!(
                "{processes} processes belong to other users: their sockets are listed without an owner. Run with sudo to see who holds them."
            ),
            Note::OwnersProtected { processes: 1 } => "1 process cannot be inspected even as root (the system guards it, like a sandbox's supervisor): its sockets are listed without an owner.".into(),
            Note::OwnersProtected { processes } => format!(
                "{processes} processes cannot be inspected even as root (the system guards them, like a sandbox's supervisor): their sockets are listed without an owner."
            ),
            Note::NoVisibleOwner => "Some sockets have no visible process: they belong to the kernel (NFS, WireGuard) or to another namespace, such as a container.".into(),
            Note::TimeWait => "Connections in TIME_WAIT linger for up to a minute after a server stops; they do not stop a new server, which sets SO_REUSEADDR.".into(),
            Note::EphemeralRange { low, high } => format!(
                "This port is in the ephemeral range {low}–{high}: the OS may lend it to an outgoing connection at any moment; pick a server port below {low}."
            ),
            Note::NothingListens { port } => format!(
                "Nothing answers on port {port} on any address of this machine: the server is not running, or it uses another port (see bindscope listeners)."
            ),
            Note::LoopbackFix { flask: true } => "Flask listens on 127.0.0.1 by default. To let your phone in, run flask run --host=0.0.0.0, or app.run(host=\"0.0.0.0\").".into(),
            Note::LoopbackFix { flask: false } => "To let other devices in, bind the server to 0.0.0.0 (its host setting) instead of 127.0.0.1 or localhost.".into(),
            Note::SplitLocalhost { v4, v6 } => format!(
                "127.0.0.1 is answered by {v4} but ::1 by {v6}: localhost may reach either program (browsers and Node.js try ::1 first)."
            ),
            Note::SelfTestOnly { port } => format!(
                "A connection from this machine goes through loopback, which firewalls let through: the results above show the bind, not what the firewall does with other devices. To test from the phone, stop your app, run bindscope serve -p {port} and open its URL there (or run bindscope probe there)."
            ),
            Note::DebuggerExposed { ip, evidence } => format!(
                "DANGER: Werkzeug's debugger is on ({}) and the server is reachable {}. Anyone who can reach it can run code on the machine that runs it. Turn debug mode off, or bind it to 127.0.0.1 (flask run --debug without --host).",
                match evidence {
                    DebugEvidence::Answered => "it answered its own page",
                    DebugEvidence::CommandLine => "its command line has --debug",
                    DebugEvidence::Environment => "FLASK_DEBUG is set in its environment",
                },
                if ip.is_unspecified() {
                    format!("on every address ({ip})")
                } else {
                    format!("on {ip}")
                }
            ),
            Note::DevServerExposed { ip } => format!(
                "Werkzeug's development server answers on {ip}: fine on your own network for testing, never for production (use gunicorn or waitress behind a proxy)."
            ),
            Note::HostNotAllowed { server: DevServer::Vite, host, name } => format!(
                "Vite refused the Host {host} that a phone sends (\"Blocked request. This host is not allowed\"), so the phone gets that page instead of your app. Open it by IP address (Vite lets IP addresses in), or add the name to server.allowedHosts in vite.config.js: server: {{ allowedHosts: ['{name}'] }}."
            ),
            Note::HostNotAllowed { server: DevServer::Django, host, name } => format!(
                "Django refused the Host {host} that a phone sends (DisallowedHost, HTTP 400). Add it to ALLOWED_HOSTS in settings.py, keeping this machine's own names: ALLOWED_HOSTS = ['{name}', 'localhost', '127.0.0.1']."
            ),
            Note::HostNotAllowed { server: DevServer::Webpack, host, name } => format!(
                "webpack-dev-server refused the Host {host} that a phone sends (\"Invalid Host header\"). In webpack.config.js set devServer: {{ allowedHosts: ['{name}'] }} (or 'all' on a network you trust), then restart it."
            ),
            Note::HostNotAllowed { server: DevServer::Nextjs, host, name } => format!(
                "Next.js blocks its development resources (/_next/…) for a page opened at {host}: the phone shows the page, but it does not hydrate or hot-reload. Add the name to allowedDevOrigins in next.config.js: allowedDevOrigins: ['{name}'], then restart next dev."
            ),
            Note::AirPlayAnswered => "This is macOS's AirPlay Receiver (Server: AirTunes), not your app: turn AirPlay Receiver off in System Settings or use another port.".into(),
            Note::LocalFirewall { ips } => format!(
                "No answer at all from {}: a closed port here would refuse at once, so a firewall on this machine drops these packets.",
                list(ips)
            ),
            Note::HttpsNotProbed => "--http speaks plain HTTP only: for an https:// target, the TCP result above is all that was checked.".into(),
            Note::BindSucceeded => "Bind test: the bind succeeds right now (the socket was closed at once).".into(),
            Note::FirewallPrompt { os: Os::Windows } => "Windows Defender Firewall asks the first time a program listens beyond loopback. If that prompt was dismissed, or allowed only Public networks, other devices time out: Windows Security → Firewall & network protection → Allow an app, and tick Private for python.exe.".into(),
            Note::FirewallPrompt { os: _ } => "If macOS's firewall is on, it asks whether python3 (or node) may accept incoming connections; after Deny, other devices time out. System Settings → Network → Firewall → Options lists the apps.".into(),
        }
    }

    fn input_error(&self, error: &InputError) -> String {
        match error {
            InputError::Empty { what } => format!("the {} is empty; give one, e.g. {}", arg(*what), example(*what)),
            InputError::TooLong { what, len } => format!("the {} is {len} bytes long; at most {MAX_ARG_LEN} are accepted, e.g. {}", arg(*what), example(*what)),
            InputError::ControlCharacters { what, value } => format!("the {} '{value}' contains control characters; type it plainly, e.g. {}", arg(*what), example(*what)),
            InputError::PortNotNumber { value } => format!("'{value}' is not a port: give a number from 1 to 65535, e.g. 5000"),
            InputError::PortNegative { value } => format!("'{value}' is negative: ports go from 1 to 65535, e.g. 5000"),
            InputError::PortZero => "port 0 lets the OS pick a port; give a real one from 1 to 65535, e.g. 5000".into(),
            InputError::PortTooLarge { value } => format!("'{value}' is too large: ports go up to 65535, e.g. 5000"),
            InputError::BadIpv4 { value } => format!("'{value}' is not a valid IPv4 address: four numbers from 0 to 255, e.g. 192.168.1.5"),
            InputError::BadIpv6 { value } => format!("'{value}' is not a valid IPv6 address, e.g. ::1 or [::]:5000"),
            InputError::BracketedIpv4 { value } => format!("'[{value}]': brackets are for IPv6; write an IPv4 address without them, e.g. 127.0.0.1:5000"),
            InputError::UnclosedBracket { value } => format!("'{value}' has an unmatched bracket; write IPv6 as [::1] or [::1]:5000"),
            InputError::AfterBracket { value } => format!("'{value}': only :PORT may follow ']', e.g. [::1]:5000"),
            InputError::BadZone { value } => format!("'{value}': a zone (%name) belongs to a link-local IPv6 address, e.g. fe80::1%eth0"),
            InputError::HostWithPath { value } => format!("'{value}' is not a host: give an address, name or URL, e.g. 0.0.0.0 or http://0.0.0.0:5000/"),
            InputError::LooksLikePort { value } => format!("'{value}' looks like a port; give a host as well, e.g. 0.0.0.0:{value} or -p {value}"),
            InputError::UnsupportedScheme { scheme } => format!("'{scheme}://' is not supported; use http://, https://, ws:// or wss://"),
            InputError::BadUrl { value } => format!("'{value}' is not a usable URL, e.g. http://0.0.0.0:5000"),
            InputError::BadPath { value } => format!("the path '{value}' contains spaces; URL paths look like /app, e.g. --path /app"),
            InputError::BadRange { value } => format!("'{value}' is not a port range: write LOW-HIGH, e.g. --range 8000-8100"),
            InputError::BadPortList { value } => format!("'{value}' has an empty item: write ports and ranges between commas, e.g. -p 5000,8000-8010"),
            InputError::BadHost { value } => format!("'{value}' is not an IP address, a hostname or an interface of this machine; e.g. 127.0.0.1, 0.0.0.0, ::, localhost or eth0 (see: bindscope interfaces)"),
            InputError::Unresolved { name } => format!("the name '{name}' does not resolve to any address; check its spelling, or give an IP address"),
            InputError::ConflictingPorts { in_host, option } => format!("two ports given: {in_host} in the host and {option} with -p; give one"),
            InputError::PortGivenTwice { top, own, option } => format!("two ports given: -p {top} before the command and {option} {own}; give only one, e.g. bindscope {option} {own}"),
            InputError::UnknownZone { zone } => format!("the zone '{zone}' is not an interface of this machine; give one of its interfaces, e.g. fe80::1%eth0 (list: bindscope interfaces)"),
            InputError::RangeReversed { low, high } => format!("the range {low}-{high} is reversed; write the smaller port first, e.g. {high}-{low}"),
            InputError::CountNotNumber { value } => format!("'{value}' is not a count: give a whole number, e.g. --count 3"),
            InputError::CountZero => "a count of 0 asks for nothing; give 1 or more, e.g. --count 3".into(),
            InputError::CountTooLarge { max } => format!("that count is too large: at most {max}"),
            InputError::BadDuration { value } => format!("'{value}' is not a duration: write e.g. 500ms, 2s or 1m"),
            InputError::DurationZero => "a duration must be longer than zero, e.g. 2s".into(),
            InputError::DurationTooLong { value, max_seconds } => format!("'{value}' is too long: at most {max_seconds} seconds"),
            InputError::TooManyPorts { max } => format!("too many ports: at most {max} at once, e.g. -p 5000,8000-8010"),
            InputError::OneLocalPort => "a probe of this machine takes one port, e.g. -p 5000; give a TARGET to try several".into(),
            InputError::HostNotIp { value } => format!("'{value}' is not an IP address; give one, e.g. 127.0.0.1, 0.0.0.0 or ::"),
            InputError::WaitNeedsPort => "wait needs the port to wait for, e.g. bindscope wait -p 5000".into(),
            InputError::WaitHostNotIp { value } => format!("'{value}' is not an IP address or localhost; give one, e.g. --host 127.0.0.1, --host ::1 or --host localhost"),
            InputError::IntervalTooShort { value, min_ms } => format!("'{value}' is too short: at least {min_ms} ms, e.g. --interval 200ms"),
            InputError::KillNeedsConfirmation { port } => format!("refusing to stop the owners of port {port} without confirmation: there is no terminal to ask on; add --yes to confirm"),
            InputError::UnknownTopic { value, suggestion } => format!("there is no page about '{value}'{}; topics: {}", did_you_mean(suggestion.as_deref()), Topic::names()),
            InputError::UnknownManPage { value, suggestion } => format!("there is no command '{value}'{}; e.g. bindscope man expose", did_you_mean(suggestion.as_deref())),
            InputError::NotLocal { ip, lan } => format!("{} (list: bindscope interfaces)", self.note(&Note::NotLocal { ip: *ip, lan: lan.clone() })),
            InputError::Usage(usage) => usage_error(usage),
        }
    }

    fn system_error(&self, error: &SystemError) -> String {
        match error {
            SystemError::Interfaces(e) => {
                format!("cannot list this machine's network interfaces: {e}")
            }
            SystemError::Sockets(e) => format!("cannot read this machine's socket table: {e}"),
        }
    }

    fn reach(&self, reach: Reach) -> &'static str {
        match reach {
            Reach::None => "nobody",
            Reach::Host => "this machine only",
            Reach::Link => "the same link only",
            Reach::Lan => "the local network",
            Reach::Internet => "the internet",
        }
    }

    fn risk(&self, risk: Risk) -> &'static str {
        match risk {
            Risk::None => "none",
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }

    fn addr_kind(&self, kind: AddrKind) -> &'static str {
        match kind {
            AddrKind::Loopback => "loopback",
            AddrKind::Private => "private LAN",
            AddrKind::LinkLocal => "link-local",
            AddrKind::Cgnat => "CGNAT/shared",
            AddrKind::Ula => "IPv6 ULA",
            AddrKind::Documentation => "documentation",
            AddrKind::Reserved => "reserved",
            AddrKind::Public => "public",
        }
    }

    fn device(&self, device: Device) -> &'static str {
        match device {
            Device::Loopback => "loopback",
            Device::Ethernet => "ethernet",
            Device::Wireless => "Wi-Fi",
            Device::Bridge => "bridge",
            Device::Veth => "veth",
            Device::Tun => "tun",
            Device::Tap => "tap",
            Device::Wireguard => "WireGuard",
            Device::Vlan => "VLAN",
            Device::Bond => "bond",
            Device::Dummy => "dummy",
            Device::HostOnly => "VM host-only",
            Device::OtherVirtual => "virtual",
            Device::Unknown => "?",
        }
    }

    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Loopback => "loopback: this machine talking to itself",
            Role::Network => "a network link",
            Role::ContainerBridge => {
                "a Docker/Podman bridge: only containers on this machine use it, not your phone"
            }
            Role::VmBridge => {
                "a virtual network inside this machine (VMs, containers): not your phone"
            }
            Role::ContainerPort => "a container's or VM's virtual cable",
            Role::Vpn => "a VPN tunnel: only devices on the VPN reach it, not your phone on Wi-Fi",
            Role::Tailnet => {
                "Tailscale: only devices on your tailnet, with Tailscale running, reach it"
            }
            Role::WslNat => "WSL2's NAT network: Windows reaches it, other devices do not",
            Role::HyperV => "a Hyper-V virtual switch for VMs and WSL on this PC: not your phone",
            Role::PeerToPeer => "Apple's peer-to-peer link (AirDrop): not for web servers",
            Role::SystemTunnel => {
                "a macOS system tunnel (iCloud Private Relay, Continuity): link-local only, not a VPN"
            }
        }
    }

    fn not_shareable(&self, reason: NotShareable) -> &'static str {
        match reason {
            NotShareable::Loopback => "loopback: this machine only",
            NotShareable::LinkLocal => "link-local: browsers cannot open it",
            NotShareable::Down => "the interface is down",
            NotShareable::Reserved => "not an address a device can connect to",
            NotShareable::Virtual => "virtual interface",
            NotShareable::NotReady => "not usable (duplicate address detection)",
            NotShareable::OnLoopback => "on the loopback interface: routed traffic only",
        }
    }

    fn bind_kind(&self, kind: BindKind) -> &'static str {
        match kind {
            BindKind::Loopback => "loopback (127.0.0.1, ::1)",
            BindKind::All => "all interfaces (0.0.0.0, ::)",
            BindKind::Lan => "a LAN address",
            BindKind::Public => "a public address",
            BindKind::LinkLocal => "a link-local address",
            BindKind::Virtual => "a virtual network's address",
            BindKind::NotLocal => "an address this machine lacks",
        }
    }

    fn row(&self, row: Row) -> &'static str {
        match row {
            Row::Meaning => "Meaning",
            Row::Range => "Range of access",
            Row::Outside => "Access from outside",
            Row::Use => "Typical use",
            Row::Risk => "Security risk",
        }
    }

    fn compare(&self, kind: BindKind, row: Row) -> &'static str {
        match (kind, row) {
            (BindKind::Loopback, Row::Meaning) => "This computer itself",
            (BindKind::Loopback, Row::Range) => "Only programs on this computer",
            (BindKind::Loopback, Row::Outside) => "No",
            (BindKind::Loopback, Row::Use) => "Local testing and development on your own",
            (BindKind::Loopback, Row::Risk) => "Low: only you can connect",

            (BindKind::Lan, Row::Meaning) => "This computer's address on the local network",
            (BindKind::Lan, Row::Range) => "Other devices on the same network (Wi-Fi, office LAN)",
            (BindKind::Lan, Row::Outside) => "Yes, from within the same network",
            (BindKind::Lan, Row::Use) => "Testing on real devices, sharing with people nearby",
            (BindKind::Lan, Row::Risk) => "Present: other devices on the network can connect",

            (BindKind::All, Row::Meaning) => "Every network interface at once: 127.0.0.1 and the LAN IP alike",
            (BindKind::All, Row::Range) => "This computer and every device that reaches any of its addresses",
            (BindKind::All, Row::Outside) => "Yes: phones and PCs on the same network; the internet too if a router forwards the port",
            (BindKind::All, Row::Use) => "Trying the server from several devices during development",
            (BindKind::All, Row::Risk) => "Real: without a firewall or proxy, unintended visitors can connect",

            (BindKind::Public, Row::Meaning) => "An address routed on the internet",
            (BindKind::Public, Row::Range) => "Anyone on the internet",
            (BindKind::Public, Row::Outside) => "Yes, from anywhere, unless a firewall blocks the port",
            (BindKind::Public, Row::Use) => "Production servers, behind a firewall and a reverse proxy",
            (BindKind::Public, Row::Risk) => "High: never expose a development server here",

            (BindKind::LinkLocal, Row::Meaning) => "An address valid on one network link only (fe80::, 169.254.x.x)",
            (BindKind::LinkLocal, Row::Range) => "Devices on the same link",
            (BindKind::LinkLocal, Row::Outside) => "Only from the same link; browsers cannot open fe80:: URLs",
            (BindKind::LinkLocal, Row::Use) => "Automatic configuration, direct cable connections",
            (BindKind::LinkLocal, Row::Risk) => "Low to medium: neighbours on the link can connect",

            (BindKind::Virtual, Row::Meaning) => "An address on a virtual network inside this machine (containers, VMs)",
            (BindKind::Virtual, Row::Range) => "This computer and its containers or VMs",
            (BindKind::Virtual, Row::Outside) => "No, not without port forwarding",
            (BindKind::Virtual, Row::Use) => "Traffic between containers or VMs and this machine",
            (BindKind::Virtual, Row::Risk) => "Low, but every container you run can connect",

            (BindKind::NotLocal, Row::Meaning) => "An address this machine does not have",
            (BindKind::NotLocal, Row::Range) => "Nobody: the server does not start",
            (BindKind::NotLocal, Row::Outside) => "No",
            (BindKind::NotLocal, Row::Use) => "None: bind 0.0.0.0 or this machine's current address instead",
            (BindKind::NotLocal, Row::Risk) => "None, but the server fails to start",
        }
    }
    fn service(&self, service: Service) -> &'static str {
        match service {
            Service::Ftp => "FTP",
            Service::Ssh => "SSH",
            Service::Smtp => "SMTP (mail)",
            Service::Dns => "DNS",
            Service::Http => "HTTP",
            Service::Https => "HTTPS",
            Service::Mssql => "Microsoft SQL Server",
            Service::Mysql => "MySQL, MariaDB",
            Service::Rdp => "Remote Desktop (RDP)",
            Service::React => "Node.js dev servers (React, Next.js, Express)",
            Service::Angular => "the Angular dev server",
            Service::Flask => "Flask's default port (and macOS's AirPlay Receiver)",
            Service::Vite => "the Vite dev server",
            Service::Postgres => "PostgreSQL",
            Service::AirPlay => "macOS's AirPlay Receiver",
            Service::Vnc => "VNC",
            Service::Redis => "Redis",
            Service::Django => "Django, uvicorn, python -m http.server",
            Service::HttpAlt => "alternative HTTP (Tomcat, proxies)",
            Service::HttpsAlt => "alternative HTTPS",
            Service::Jupyter => "Jupyter",
            Service::Elasticsearch => "Elasticsearch",
            Service::Memcached => "memcached",
            Service::MongoDb => "MongoDB",
            Service::RabbitMq => "RabbitMQ",
        }
    }

    fn port_class(&self, class: PortClass) -> &'static str {
        match class {
            PortClass::WellKnown => "well-known (0–1023): system services",
            PortClass::Registered => "registered (1024–49151)",
            PortClass::Dynamic => "dynamic/private (49152–65535)",
        }
    }

    fn refusal(&self, refusal: Refusal) -> &'static str {
        match refusal {
            Refusal::Kernel => "the kernel",
            Refusal::Init => "init: stopping it stops the machine or the container",
            Refusal::Itself => "bindscope itself",
            Refusal::ForeignPids => "a number from another pid namespace's /proc",
        }
    }

    fn kill_outcome(&self, outcome: KillOutcome) -> &'static str {
        match outcome {
            KillOutcome::Exited => "stopped",
            KillOutcome::AlreadyExited => "had already exited: nothing sent",
            KillOutcome::StillRunning => "still running",
            KillOutcome::NotVerified => "no longer holds the port: left alone",
            KillOutcome::Permission if self.os == Os::Windows => {
                "access denied: run as administrator"
            }
            KillOutcome::Permission => "permission denied: run with sudo",
            KillOutcome::OtherNamespace => "runs in an outer pid namespace: stop it from there",
            KillOutcome::Unsupported => {
                "cannot signal it through a process handle here: nothing sent"
            }
            KillOutcome::ContainerInit => "a container's init: left alone",
        }
    }

    fn bind_result(&self, error: Option<&BindError>) -> String {
        match error {
            None => "free".into(),
            Some(BindError::InUse) => "in use".into(),
            Some(BindError::NotLocal) => "address not on this machine".into(),
            Some(BindError::Permission) if self.os == Os::Windows => "access denied".into(),
            Some(BindError::Permission) => "permission denied".into(),
            Some(BindError::Other(e)) => e.clone(),
        }
    }
    fn status(&self, status: Status) -> &'static str {
        match status {
            Status::Open => "open",
            Status::Refused => "refused",
            Status::Timeout => "timed out",
            Status::Unreachable => "unreachable",
            Status::Unresolved => "name not resolved",
            Status::Error => "error",
        }
    }

    fn meaning(&self, status: Status, unreachable: Option<Unreachable>) -> &'static str {
        match (status, unreachable) {
            (Status::Open, _) => "something accepts connections there",
            (Status::Refused, _) => "the host answered, but nothing listens on that address and port: the server may be bound to 127.0.0.1, or not running (or a firewall rejects it)",
            (Status::Timeout, _) => "no answer: a firewall dropped the packets, or the host is on another network, behind NAT or a VM boundary, or no device has that address",
            (Status::Unreachable, Some(Unreachable::Network)) => "no route from here to that network: this device is on another network",
            (Status::Unreachable, _) => "the host cannot be reached: no device answered for that address, or a router refused",
            (Status::Unresolved, _) => "the name does not resolve to any address",
            (Status::Error, _) => "the connection failed for another reason",
        }
    }

    fn inferred_bind(&self, bind: InferredBind) -> &'static str {
        match bind {
            InferredBind::Loopback => "loopback (127.0.0.1 or ::1)",
            InferredBind::All => "all interfaces (0.0.0.0 or ::)",
            InferredBind::Specific => "one address",
            InferredBind::None => "nothing",
        }
    }

    fn yes(&self) -> &'static [&'static str] {
        &["y", "yes"]
    }
}

fn example(what: Arg) -> &'static str {
    match what {
        Arg::Port => "-p 5000",
        Arg::Host => "0.0.0.0 or 127.0.0.1:5000",
        Arg::Path => "--path /app",
        Arg::Range => "--range 8000-8100",
        Arg::Count => "--count 3",
        Arg::Duration => "--timeout 2s",
    }
}

/// `127.0.0.1:5000 or [::1]:5000`.
fn either(addrs: &[std::net::SocketAddr]) -> String {
    addrs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// "1 packet", "3 packets".
fn packets_en(n: u64) -> String {
    if n == 1 {
        "1 packet".to_string()
    } else {
        format!("{n} packets")
    }
}

/// How long a process has run, to the unit that matters: `45 s`, `12 min`, `2 h 5 min`,
/// `3 d 4 h`.
fn span(secs: u64) -> String {
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86_400);
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{m} min"),
        3600..86_400 => format!("{h} h {} min", m % 60),
        _ => format!("{d} d {} h", h % 24),
    }
}

/// ` (did you mean 'expose'?)`, or nothing.
fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map_or(String::new(), |s| format!(" (did you mean '{s}'?)"))
}

/// Where to read more: the command's own help, or the program's.
fn see_help(command: &Option<String>) -> String {
    match command {
        Some(c) => format!("see bindscope {c} --help"),
        None => "see bindscope --help".into(),
    }
}

fn usage_error(error: &UsageError) -> String {
    match error {
        UsageError::UnknownCommand { value, suggestion } => format!("there is no command '{value}'{}; see bindscope --help", did_you_mean(suggestion.as_deref())),
        UsageError::UnknownOption { command, value, suggestion } => format!("there is no option '{value}'{}; {}", did_you_mean(suggestion.as_deref()), see_help(command)),
        UsageError::UnexpectedValue { command: Some(c), value, port_option: Some(option) } => format!("{c} takes no value '{value}'; give a port with {option}, e.g. bindscope {c} {option} {value}"),
        UsageError::UnexpectedValue { command, value, .. } => format!("unexpected value '{value}'; {}", see_help(command)),
        UsageError::InvalidValue { option, value, possible, suggestion } => format!("'{value}' is not a value of {option}{}; possible values: {}", did_you_mean(suggestion.as_deref()), possible.join(", ")),
        UsageError::MissingValue { command, option } => format!("{option} needs a value; {}", see_help(command)),
        UsageError::MissingArguments { command, args } => format!("missing {}; {}", args.join(", "), see_help(command)),
        UsageError::Conflict { option, other } => format!("{option} cannot be used with {other}; give one of them, see bindscope --help"),
        UsageError::Other { command, text } => format!("{text}; {}", see_help(command)),
    }
}
