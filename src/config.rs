//! The plain configuration the CLI layer hands down: every environment question (colour,
//! language, terminal) answered once. Nothing below `cli.rs` sees clap.

use std::net::IpAddr;
use std::time::Duration;

use crate::analysis::topics::Topic;
use crate::i18n::Lang;
pub use crate::model::Families;
use crate::model::Proto;
use crate::model::{WaitHost, WaitMode};
use crate::parse::{HostInput, HostSpec};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub output: Output,
    pub action: Action,
    /// stdin is a terminal: bindscope may ask before it acts (`port --kill`).
    pub interactive: bool,
    /// stderr is a terminal and the output is for people: a slow wait may show progress.
    pub progress: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    pub json: bool,
    pub color: bool,
    pub lang: Lang,
    pub verbose: u8,
    pub quiet: bool,
    /// stdout is a terminal: tables for people, bare values for pipes where promised.
    pub tty: bool,
    /// The columns text wraps at on a terminal; 0 when piped (no wrapping).
    pub width: usize,
}

pub const DEFAULT_PORT: u16 = 5000;

impl FreeOptions {
    /// The default hosts: a specific and a wildcard bind conflict, so a port for a dev server
    /// must bind on both.
    pub fn default_hosts() -> Vec<(IpAddr, Option<String>)> {
        vec![
            (IpAddr::from([127, 0, 0, 1]), None),
            (IpAddr::from([0, 0, 0, 0]), None),
        ]
    }
}

/// The address of a host typed for `free --host`: literals only.
pub fn ip_of(host: &HostInput) -> Option<IpAddr> {
    match (&host.host, host.port) {
        (HostSpec::Ip { ip, .. }, None) => Some(*ip),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Overview {
        port: u16,
    },
    Interfaces {
        all: bool,
        families: Families,
    },
    Expose(ExposeOptions),
    Urls(UrlsOptions),
    Listeners(ListenersOptions),
    Port(PortOptions),
    Free(FreeOptions),
    Probe(ProbeOptions),
    Serve(ServeOptions),
    Lab(LabOptions),
    Wait(WaitOptions),
    /// A concept page, or the list of them.
    Explain {
        topic: Option<Topic>,
    },
    /// Text generated from the command-line definition: completions, the man page.
    Generated {
        name: &'static str,
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    pub host: IpAddr,
    /// `None`: a free port near 8000.
    pub port: Option<u16>,
    /// The beacon stops by itself after this long.
    pub duration: Duration,
    pub qr: bool,
}

/// The longest a beacon runs.
pub const MAX_SERVE: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabOptions {
    /// How long each probe may wait.
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOptions {
    /// `None`: this machine's own addresses.
    pub target: Option<HostInput>,
    pub ports: Vec<u16>,
    pub timeout: Duration,
    /// Send one HTTP request to each open address.
    pub http: bool,
}

/// The most ports one probe tries.
pub const MAX_PROBE_PORTS: usize = 64;
/// The longest `--timeout`.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitOptions {
    pub port: u16,
    pub host: WaitHost,
    pub mode: WaitMode,
    /// Exit 1 when it has not happened by then.
    pub timeout: Duration,
    /// From the start of one round of connects to the start of the next.
    pub interval: Duration,
}

/// The longest `wait --timeout`: a container or a first build may take minutes.
pub const MAX_WAIT: Duration = Duration::from_secs(3600);
/// `wait --interval` bounds: no busier than 10 ms, no lazier than 10 s.
pub const MIN_WAIT_INTERVAL: Duration = Duration::from_millis(10);
pub const MAX_WAIT_INTERVAL: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenersOptions {
    pub exposed_only: bool,
    /// Exit 1 when any socket is reachable from beyond this machine.
    pub fail_on_exposed: bool,
    pub proto: Option<Proto>,
    pub families: Families,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortOptions {
    pub port: u16,
    pub kill: Option<KillOptions>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KillOptions {
    /// SIGKILL after the grace period if SIGTERM was not enough.
    pub force: bool,
    /// Confirmed on the command line: do not ask.
    pub yes: bool,
    /// How long to wait for the port to free after each signal.
    pub grace: Duration,
    /// Bound UDP sockets on the port too (`--udp`), not only TCP listeners.
    pub udp: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeOptions {
    pub near: u16,
    pub count: usize,
    /// Every port returned binds on each of these; a link-local address with its zone.
    pub hosts: Vec<(IpAddr, Option<String>)>,
    pub range: (u16, u16),
}

/// The most `free --count` returns.
pub const MAX_FREE_COUNT: usize = 100;
/// The longest `--grace`.
pub const MAX_GRACE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposeOptions {
    pub host: HostInput,
    pub port: u16,
    /// Bind for real and close at once.
    pub try_bind: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlsOptions {
    pub port: u16,
    /// The server's bind host; `None`: every address of both families.
    pub host: Option<HostInput>,
    /// Also the URLs that will not work from another device.
    pub all: bool,
    pub scheme: String,
    /// Appended to every URL: empty, or starting with `/`.
    pub path: String,
    pub qr: bool,
    pub families: Families,
}
