//! Every word bindscope prints, in English and Korean.
//!
//! Each language implements [`Catalogue`]; every method is an exhaustive `match`, so a text
//! added in one language and missing in the other does not compile.

mod en;
mod ko;
pub mod pages;

use std::net::{IpAddr, SocketAddr};

pub use en::En;
pub use ko::Ko;
pub use ko::{help_words as korean_help_words, EXIT_CODES_HELP as KOREAN_EXIT_CODES};

use crate::analysis::notes::Note;
use crate::analysis::ports::{PortClass, Service};
use crate::analysis::sockets::Refusal;
use crate::analysis::vocab::BindKind;
use crate::analysis::vocab::{AddrKind, Reach, Risk};
use crate::analysis::vocab::{InferredBind, Status, Unreachable};
use crate::analysis::vocab::{NotShareable, Role};
use crate::error::{InputError, SystemError};
use crate::model::BindError;
use crate::model::HttpFailure;
use crate::model::KillOutcome;
use crate::model::{Device, Os, WaitMode, WslMode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// The language of a locale string such as `ko_KR.UTF-8`, `ko-KR` or `en_US`.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let lang = locale
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match lang.as_str() {
            "ko" => Some(Lang::Ko),
            "" => None,
            _ => Some(Lang::En),
        }
    }

    /// The catalogue for the OS bindscope runs on.
    pub fn catalogue(self) -> &'static dyn Catalogue {
        self.catalogue_on(crate::platform::OS)
    }

    /// The catalogue for a machine running `os`: the OS is data here, so that every OS's
    /// words are tested on any OS.
    pub fn catalogue_on(self, os: Os) -> &'static dyn Catalogue {
        static EN: [En; 4] = [
            En::on(Os::Linux),
            En::on(Os::Macos),
            En::on(Os::Windows),
            En::on(Os::Other),
        ];
        static KO: [Ko; 4] = [
            Ko::on(Os::Linux),
            Ko::on(Os::Macos),
            Ko::on(Os::Windows),
            Ko::on(Os::Other),
        ];
        let at = match os {
            Os::Linux => 0,
            Os::Macos => 1,
            Os::Windows => 2,
            Os::Other => 3,
        };
        match self {
            Lang::En => &EN[at],
            Lang::Ko => &KO[at],
        }
    }
}

/// Short words: table headers, states, markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Interface,
    State,
    Address,
    Kind,
    Reach,
    Device,
    Url,
    Bind,
    Risk,
    OnThisMachine,
    Up,
    Down,
    Yes,
    No,
    Local,
    Network,
    NotForOtherDevices,
    Recommended,
    PrimaryMark,
    Interfaces,
    IfYourServerBindsTo,
    Next,
    NoAddress,
    ServersBindThis,
    Proto,
    Port,
    User,
    Process,
    Result,
    Class,
    Service,
    FreeNearby,
    Ok,
    UnknownProcess,
    Pid,
    Signals,
    Outcome,
    Refused,
    /// A process's command line, before the question of `--kill`.
    Command,
    /// A process's working directory.
    Folder,
    Status,
    Time,
    Http,
    Bound,
    ReadMore,
    /// Reached only by devices that route the address's network through this machine.
    RoutedOnly,
    /// Duplicate address detection is still running.
    Tentative,
    /// Duplicate address detection failed.
    DadFailed,
    /// Beside the URL a server will answer once it binds the wildcard.
    OnceBoundThere,
    /// A socket the firewall keeps every other device away from.
    FirewallBlocks,
    /// What an ICMP "administratively prohibited" means.
    AdminProhibited,
    /// What an ICMP port-unreachable for TCP means.
    PortUnreachableReject,
}

/// The rows of the seeds' comparison tables, in the seeds' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Row {
    Meaning,
    Range,
    Outside,
    Use,
    Risk,
}

impl Row {
    pub const ALL: [Row; 5] = [Row::Meaning, Row::Range, Row::Outside, Row::Use, Row::Risk];
}

/// Sentences that carry values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text<'a> {
    Title {
        hostname: &'a str,
        os: Os,
        port: u16,
    },
    PrimaryVerdict {
        ip: IpAddr,
        interface: &'a str,
    },
    NoPrimary,
    ExposeVerdict {
        bind: &'a str,
        reach: Reach,
        risk: Risk,
    },
    /// The widest reach is only by routing through this machine: say on what it depends.
    ExposeRouted {
        bind: &'a str,
        network: &'a str,
        risk: Risk,
    },
    ExposeFails {
        bind: &'a str,
    },
    /// `expose --try`: the real bind failed now.
    ExposeBindFails {
        bind: &'a str,
        error: &'a str,
        /// `python3 (4200) holds 127.0.0.1:5000`-style: the owner and the socket in the way.
        holder: Option<(&'a str, SocketAddr)>,
    },
    ResolvesTo {
        name: &'a str,
    },
    Comparison {
        kind: BindKind,
    },
    /// `wildcard` is the bind that serves the URL: 0.0.0.0, or :: for an IPv6 URL.
    UrlsVerdict {
        url: &'a str,
        wildcard: &'a str,
    },
    NoNetworkUrl,
    Ipv6NeedsDualStack,
    OverviewVerdict {
        url: &'a str,
        wildcard: &'a str,
    },
    OverviewWsl {
        ip: IpAddr,
    },
    QrFor {
        url: &'a str,
    },
    NoQr,
    InterfaceRole {
        name: &'a str,
        role: Role,
    },
    ListenersVerdict {
        total: usize,
        exposed: usize,
    },
    NothingListens,
    PortFree {
        port: u16,
    },
    /// Some trial bind failed because the port is in use; `failed` lists where.
    PortTaken {
        port: u16,
        failed: &'a str,
    },
    /// Only privileges stand in the way.
    PortRestricted {
        port: u16,
    },
    /// The binds failed for another reason.
    PortUnbindable {
        port: u16,
        failed: &'a str,
    },
    /// Above the processes `--kill` is about to stop.
    KillHolders {
        port: u16,
    },
    /// One of them: `running_s` is how long it has run.
    KillHolder {
        pid: u32,
        name: &'a str,
        user: Option<&'a str>,
        running_s: Option<u64>,
    },
    /// The question, after the processes: `count` of them.
    KillAsk {
        count: usize,
    },
    KillCancelled,
    /// Not allowed to signal a process of `user` (`None`: another user's).
    KillBelongsTo {
        user: Option<&'a str>,
    },
    /// /proc is another pid namespace's: why nothing was signalled and what to do.
    KillForeignPids,
    /// `pid` is a container's init (pid 1 of its own pid namespace): left alone, and how to
    /// stop the container instead.
    KillContainerInit {
        pid: u32,
    },
    /// `count` bound UDP sockets on `port` were left alone: `--udp` was not given.
    KillUdpLeft {
        port: u16,
        count: usize,
    },
    /// A listening socket whose owner could not be seen; `needs_privilege`: another user's
    /// processes were hidden, so sudo would show it.
    KillUnseen {
        port: u16,
        at: &'a str,
        user: Option<&'a str>,
        needs_privilege: bool,
    },
    /// Nothing was signalled and the port is still in use.
    KillNothingSent {
        port: u16,
    },
    NothingToKill {
        port: u16,
    },
    KillFreed {
        port: u16,
    },
    /// The TCP listeners are gone, but UDP sockets `--kill` left alone still use the number.
    KillFreedTcp {
        port: u16,
    },
    /// Signals were sent and the port is still in use; `suggest_force`: SIGTERM was ignored
    /// and `--force` was not given.
    KillNotFreed {
        port: u16,
        suggest_force: bool,
    },
    /// The port was taken again, by processes that were not there at the check.
    KillTakenBy {
        port: u16,
        who: &'a str,
    },
    FreeVerdict {
        hosts: &'a str,
    },
    FreeNone {
        low: u16,
        high: u16,
    },
    ProbeNone {
        port: u16,
    },
    ProbeLoopback {
        port: u16,
    },
    /// The server answers beyond loopback, but the firewall keeps other devices out.
    ProbeFirewallBlocks {
        port: u16,
    },
    /// Nothing answered, but a socket listens on the port.
    ProbeSilent {
        port: u16,
    },
    /// A TCP socket is bound on the port without listening.
    ProbeBoundOnly {
        port: u16,
    },
    /// Werkzeug's debugger is reachable beyond loopback: the first line, in red.
    DebuggerDanger {
        port: u16,
    },
    /// `urls`: the running server answers on the URL.
    UrlsServing {
        url: &'a str,
        port: u16,
    },
    /// A server runs on the port but not on the network URL.
    UrlsNotAnswering {
        url: &'a str,
        port: u16,
        wildcard: &'a str,
    },
    /// `urls --host` of loopback.
    UrlsLoopback,
    /// `urls --host` of an address this machine lacks.
    UrlsNotLocal,
    /// The QR code is left out: the running server does not answer on the URL.
    NoQrNotAnswering,
    /// The overview: the running server already answers on the URL.
    OverviewServing {
        url: &'a str,
        port: u16,
    },
    /// The overview: the primary address is public.
    OverviewPublic {
        ip: IpAddr,
        port: u16,
    },
    /// The same, in `listeners`, of any port.
    DebuggerDangerAny,
    /// The same, from another device.
    RemoteDanger {
        target: &'a str,
    },
    /// The server answers beyond loopback, but a development server refuses the `Host` a phone
    /// sends.
    ProbeHostNotAllowed {
        port: u16,
    },
    /// The same, of a target.
    RemoteHostNotAllowed {
        target: &'a str,
    },
    /// `--http`: no HTTP answer, and why.
    HttpFailed {
        failure: &'a HttpFailure,
    },
    ProbeReachable {
        port: u16,
        reach: Reach,
    },
    TryUrl {
        url: &'a str,
    },
    RemoteVerdict {
        target: &'a str,
        open: usize,
        total: usize,
    },
    Probing {
        count: usize,
    },
    PageTitle,
    PageVisitor {
        ip: IpAddr,
    },
    PageReached {
        ip: IpAddr,
        port: u16,
        interface: &'a str,
    },
    /// `loopback`: the beacon listens on loopback, so there is no Network URL to open.
    PageSameMachine {
        loopback: bool,
    },
    PageProves {
        ip: IpAddr,
        port: u16,
    },
    ServeStarted {
        addr: &'a str,
        seconds: u64,
        loopback: bool,
    },
    /// Under `--json`, on stderr, before anything else: where the beacon listens.
    ServeListening {
        addr: &'a str,
    },
    ServeEnded {
        visits: usize,
        interrupted: bool,
    },
    /// Live: a TLS ClientHello on the plain-HTTP port.
    ServeTls {
        client: IpAddr,
        url: &'a str,
    },
    /// Live: a device asked for this machine's hardware address.
    ServeAsked {
        ip: IpAddr,
        interface: &'a str,
    },
    /// Live: unicast packets dropped on the way in so far, with no visit from another device.
    ServeDropped {
        packets: u64,
    },
    /// At the end, under load: connections refused and silent ones closed.
    ServeBusy {
        turned_away: usize,
        shed: usize,
    },
    /// At the end: events the live log fell behind on.
    ServeMissed {
        events: usize,
    },
    /// What the run shows about the other device. `who`: the addresses it rests on.
    ServeDiagnosis {
        code: crate::analysis::vocab::BeaconDiagnosis,
        who: &'a str,
        port: u16,
        url: &'a str,
        packets: u64,
        /// SYNs from `who` that arrived (where they can be captured).
        syns: usize,
        /// SYNs were captured: no advice to run with sudo to see them.
        captured: bool,
    },
    ServeCannotBind {
        addr: &'a str,
        reason: &'a str,
    },
    LabIntro,
    LabComparison,
    LabOutro,
    /// Above the list of `explain` topics.
    TopicsIntro,
    LivePortFree {
        port: u16,
    },
    LivePortHeld {
        port: u16,
        who: &'a str,
    },
    /// Something listens, but its owner belongs to another user.
    LivePortHidden {
        port: u16,
    },
    LiveDualStack {
        on: bool,
    },
    /// `None`: not WSL.
    LiveWsl {
        mode: Option<WslMode>,
    },
    /// `None`: not in a container.
    LiveContainer {
        name: Option<&'a str>,
    },
    LiveNoBridge,
    /// Whether the primary address is one the internet reaches directly.
    LiveLanPrivacy {
        ip: IpAddr,
        public: bool,
    },
    LiveOs {
        os: Os,
    },
    /// `wait`'s progress line, redrawn in place on a terminal.
    WaitWaiting {
        mode: WaitMode,
        port: u16,
        addrs: &'a [SocketAddr],
        elapsed_ms: u64,
    },
    /// `after_ms` is `None` when the first round answered.
    WaitAnswered {
        by: SocketAddr,
        status: Option<u16>,
        after_ms: Option<u64>,
    },
    WaitFreed {
        port: u16,
        after_ms: Option<u64>,
    },
    WaitNoAnswer {
        addrs: &'a [SocketAddr],
        http: bool,
        timeout_ms: u64,
    },
    /// `--free` timed out; `who` names the holders where the table shows them.
    WaitStillHeld {
        port: u16,
        timeout_ms: u64,
        who: Option<&'a str>,
    },
    /// `--force` was given where the first step already ends the process (Windows).
    KillForceNoEffect,
}

/// One language's texts.
pub trait Catalogue: Sync {
    fn label(&self, label: Label) -> &'static str;
    fn text(&self, text: &Text) -> String;
    fn note(&self, note: &Note) -> String;
    fn input_error(&self, error: &InputError) -> String;
    fn system_error(&self, error: &SystemError) -> String;
    fn reach(&self, reach: Reach) -> &'static str;
    fn risk(&self, risk: Risk) -> &'static str;
    fn addr_kind(&self, kind: AddrKind) -> &'static str;
    fn device(&self, device: Device) -> &'static str;
    fn role(&self, role: Role) -> &'static str;
    fn not_shareable(&self, reason: NotShareable) -> &'static str;
    fn bind_kind(&self, kind: BindKind) -> &'static str;
    fn row(&self, row: Row) -> &'static str;
    /// A cell of the seeds' comparison table: what `row` says of a bind of `kind`.
    fn compare(&self, kind: BindKind, row: Row) -> &'static str;
    fn service(&self, service: Service) -> &'static str;
    fn port_class(&self, class: PortClass) -> &'static str;
    fn refusal(&self, refusal: Refusal) -> &'static str;
    fn kill_outcome(&self, outcome: KillOutcome) -> &'static str;
    /// A trial bind's result in a table cell: `None` is success.
    fn bind_result(&self, error: Option<&BindError>) -> String;
    /// A probe status in a table cell.
    fn status(&self, status: Status) -> &'static str;
    /// What a probe status means.
    fn meaning(&self, status: Status, unreachable: Option<Unreachable>) -> &'static str;
    fn inferred_bind(&self, bind: InferredBind) -> &'static str;
    /// The answers that mean yes to a question such as `--kill`'s, in lower case.
    fn yes(&self) -> &'static [&'static str];
}

/// Whether `answer` says yes, in either language: someone whose locale is English may still
/// answer in Korean, and the reverse.
pub fn is_yes(answer: &str) -> bool {
    let answer = answer.trim().to_lowercase();
    En::on(Os::Other)
        .yes()
        .iter()
        .chain(Ko::on(Os::Other).yes())
        .any(|y| *y == answer)
}

/// Joins addresses for a sentence: `127.0.0.1, ::1`.
pub(crate) fn list<T: std::fmt::Display>(ips: &[T]) -> String {
    ips.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Milliseconds as seconds with one decimal, for a time measured: `2.1`.
pub(crate) fn seconds(ms: u64) -> String {
    format!("{:.1}", ms as f64 / 1000.0)
}

/// Milliseconds as seconds, without a decimal when whole, for a time asked for: `30`, `1.5`.
pub(crate) fn round_seconds(ms: u64) -> String {
    let text = seconds(ms);
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
}

mod particle;

#[cfg(test)]
mod tests;

/// The English sentence, for logs and `anyhow` chains; users read the catalogue of their language.
impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&En::on(crate::platform::OS).input_error(self))
    }
}

impl std::fmt::Display for SystemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&En::on(crate::platform::OS).system_error(self))
    }
}
