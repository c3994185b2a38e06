//! The errors bindscope means to explain. Their text lives in the catalogues (`i18n`), so
//! the same error reads in English or Korean; `Display` (in `i18n`) is the English one, for logs.

/// Bad input: exit code 2, one line on stderr, before anything touches the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Empty {
        what: Arg,
    },
    TooLong {
        what: Arg,
        len: usize,
    },
    ControlCharacters {
        what: Arg,
        value: String,
    },
    PortNotNumber {
        value: String,
    },
    PortNegative {
        value: String,
    },
    PortZero,
    PortTooLarge {
        value: String,
    },
    BadIpv4 {
        value: String,
    },
    BadIpv6 {
        value: String,
    },
    BracketedIpv4 {
        value: String,
    },
    UnclosedBracket {
        value: String,
    },
    AfterBracket {
        value: String,
    },
    BadZone {
        value: String,
    },
    HostWithPath {
        value: String,
    },
    LooksLikePort {
        value: String,
    },
    UnsupportedScheme {
        scheme: String,
    },
    BadUrl {
        value: String,
    },
    BadPath {
        value: String,
    },
    /// Neither an IP address, an interface of this machine, nor a valid hostname.
    BadHost {
        value: String,
    },
    Unresolved {
        name: String,
    },
    ConflictingPorts {
        in_host: u16,
        option: u16,
    },
    /// The `-p` before the command and the command's own port disagree: `-p 1 port 2`.
    PortGivenTwice {
        top: String,
        own: String,
        /// How the command's port was given, as typed: `port`, `urls -p`, `free --near`.
        option: &'static str,
    },
    UnknownZone {
        zone: String,
    },
    RangeReversed {
        low: u16,
        high: u16,
    },
    CountNotNumber {
        value: String,
    },
    CountZero,
    CountTooLarge {
        max: usize,
    },
    BadDuration {
        value: String,
    },
    DurationZero,
    DurationTooLong {
        value: String,
        max_seconds: u64,
    },
    TooManyPorts {
        max: usize,
    },
    /// A probe of this machine takes one port.
    OneLocalPort,
    /// Where an address is needed, not a name.
    HostNotIp {
        value: String,
    },
    /// `wait` without a port: waiting on a guessed one would only time out.
    WaitNeedsPort,
    /// `wait --host` of something that is neither an IP address nor `localhost`.
    WaitHostNotIp {
        value: String,
    },
    /// A `--interval` shorter than the shortest allowed: a busy loop.
    IntervalTooShort {
        value: String,
        min_ms: u64,
    },
    /// `--kill` without a terminal to confirm on and without `--yes`.
    KillNeedsConfirmation {
        port: u16,
    },
    /// A range without one of its ends: `-`, `5000-`.
    BadRange {
        value: String,
    },
    /// A list of ports with an empty item: `5000,`, `,8000`.
    BadPortList {
        value: String,
    },
    /// `explain` of a topic there is no page for, and the nearest name if one is close.
    UnknownTopic {
        value: String,
        suggestion: Option<&'static str>,
    },
    /// `man` of a command there is none of.
    UnknownManPage {
        value: String,
        suggestion: Option<String>,
    },
    /// An address this machine does not have, where a real bind is needed (`free --host`):
    /// the bind could only fail with "cannot assign requested address".
    NotLocal {
        ip: std::net::IpAddr,
        /// This machine's LAN address and its interface, to use instead.
        lan: Option<(std::net::IpAddr, String)>,
    },
    /// The command line as clap read it: an unknown command or option, a missing argument.
    Usage(UsageError),
}

/// What clap found wrong with the command line, by kind, with the values it quotes already cut
/// short. `command` is the subcommand typed (`urls`), for the pointer to its `--help`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    UnknownCommand {
        value: String,
        suggestion: Option<String>,
    },
    UnknownOption {
        command: Option<String>,
        value: String,
        suggestion: Option<String>,
    },
    /// A value the command takes no place for: `urls 5000`. `port_option` is how the command
    /// takes a port, when the value is one.
    UnexpectedValue {
        command: Option<String>,
        value: String,
        port_option: Option<&'static str>,
    },
    InvalidValue {
        option: String,
        value: String,
        possible: Vec<String>,
        suggestion: Option<String>,
    },
    MissingValue {
        command: Option<String>,
        option: String,
    },
    MissingArguments {
        command: Option<String>,
        args: Vec<String>,
    },
    Conflict {
        option: String,
        other: String,
    },
    /// Any other kind, with clap's own first line.
    Other {
        command: Option<String>,
        text: String,
    },
}

/// The system refused: exit code 3.
#[derive(Debug)]
pub enum SystemError {
    Interfaces(std::io::Error),
    Sockets(std::io::Error),
}

/// What an argument is, for errors that apply to every kind of argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    Port,
    Host,
    Path,
    Range,
    Count,
    Duration,
}

impl std::error::Error for InputError {}

impl std::error::Error for SystemError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SystemError::Interfaces(e) | SystemError::Sockets(e) => Some(e),
        }
    }
}
