//! The command line: the clap definition, and the one function that turns it into a
//! [`Config`]. Values that need a precise, translated error (ports, hosts, paths) are taken
//! as strings here and parsed by `parse`.

use clap::builder::PossibleValue;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use std::net::IpAddr;
use std::time::Duration;

use crate::analysis::topics::Topic;
use crate::config::{
    ip_of, Action, Config, ExposeOptions, Families, FreeOptions, KillOptions, LabOptions,
    ListenersOptions, Output, PortOptions, ProbeOptions, ServeOptions, UrlsOptions, WaitOptions,
    DEFAULT_PORT, MAX_FREE_COUNT, MAX_GRACE, MAX_PROBE_PORTS, MAX_SERVE, MAX_TIMEOUT, MAX_WAIT,
    MAX_WAIT_INTERVAL, MIN_WAIT_INTERVAL,
};
use crate::error::InputError;
use crate::exit_codes;
use crate::i18n::Lang;
use crate::model::{Proto, WaitHost, WaitMode};
use crate::parse::{self, HostInput, HostSpec};

#[derive(Debug, Parser)]
#[command(
    name = "bindscope",
    version,
    about = "Which addresses does a server bound here expose, and to whom?",
    long_about = "Which addresses does a server bound here expose, and to whom?\n\n\
        Without a command: the overview of this machine, its interfaces, and who could reach a \
        server bound to 127.0.0.1, 0.0.0.0, :: or the LAN address.",
    after_help = exit_codes::HELP,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Port for the overview's URLs (Flask's default is 5000)
    #[arg(short, long, value_name = "PORT", allow_hyphen_values = true)]
    pub port: Option<String>,

    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print one JSON document (schema 1, see docs/json.md) instead of text
    #[arg(long, global = true)]
    pub json: bool,

    /// When to use colours: auto means on a terminal and without NO_COLOR
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Language: auto follows LC_ALL, LC_MESSAGES, LANG (--lang ko: 한국어로 보기)
    #[arg(long, value_enum, default_value_t = LangChoice::Auto, global = true, value_name = "LANG")]
    pub lang: LangChoice,

    /// Show more detail (device kinds, kernel settings)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Print only the essentials: the verdict line, or bare values
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangChoice {
    Auto,
    En,
    Ko,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scheme {
    Http,
    Https,
}

#[derive(Debug, Args)]
pub struct FamilyArgs {
    /// IPv4 only
    #[arg(short = '4', long = "ipv4", conflicts_with = "ipv6")]
    pub ipv4: bool,

    /// IPv6 only
    #[arg(short = '6', long = "ipv6")]
    pub ipv6: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every interface and address: kind, who can reach it, the primary address marked
    #[command(visible_alias = "ifaces")]
    Interfaces(InterfacesArgs),

    /// What a server bound to HOST would listen on, and who could reach it
    #[command(
        visible_alias = "bind",
        after_help = "HOST: 127.0.0.1, 0.0.0.0, ::, [::1]:8000, 192.168.1.5:5000, \
                      http://0.0.0.0:5000, localhost, a hostname, or an interface name (eth0)."
    )]
    Expose(ExposeArgs),

    /// The URLs to share, dev-server style: Local and Network lines
    Urls(UrlsArgs),

    /// Every listening TCP socket and bound UDP socket, with its processes, riskiest first
    #[command(visible_alias = "ls")]
    Listeners(ListenersArgs),

    /// Everything about one port: who holds it, whether it binds now, nearby free ports
    #[command(visible_alias = "who")]
    Port(PortArgs),

    /// Is a running server reachable, and if not, why not
    #[command(
        visible_alias = "check",
        after_help = "Without TARGET: connects to PORT through every address of this machine, \
                      says which bind that reveals and who can reach it.\n\
                      With TARGET (192.168.1.5:5000, [fe80::1%eth0]:8000, a URL, a hostname): \
                      run it on the other device, it says whether that address answers and why not."
    )]
    Probe(ProbeArgs),

    /// A reachability beacon to open from another device: who you are, what you reached
    Serve(ServeArgs),

    /// The live lesson: binds 127.0.0.1, 0.0.0.0 and the LAN address in turn and probes each
    Lab(LabArgs),

    /// Free ports, each verified by a real bind: PORT=$(bindscope free)
    Free(FreeArgs),

    /// Wait until a server answers on a port, or with --free until the port is free
    #[command(
        after_help = "Connects to 127.0.0.1 and ::1 (the addresses a browser tries for \
                      localhost) every --interval; one answering is enough, and it says which. \
                      --host 0.0.0.0 stands for 127.0.0.1, --host :: for both, as a browser \
                      opening that URL reaches this machine; any other address only itself.\n\
                      --free: no listening or bound TCP socket on the port, on any address or \
                      family. Connections (TIME_WAIT included) do not count: servers set \
                      SO_REUSEADDR and bind beside them.\n\
                      Exit 0 when it happened, 1 at --timeout: \
                      flask run & bindscope wait -p 5000 && open http://127.0.0.1:5000"
    )]
    Wait(WaitArgs),

    /// Concept pages: flask, 0.0.0.0, loopback-vs-lan, ports, debugging, ipv6, firewall…
    #[command(
        visible_alias = "learn",
        after_help = "Without TOPIC: the list of pages. The pages are docs/en and docs/ko of the \
                      source, with this machine's values filled in."
    )]
    Explain(ExplainArgs),

    /// Shell completions: bindscope completions bash > /etc/bash_completion.d/bindscope
    Completions(CompletionsArgs),

    /// The man page, generated from these options: bindscope man > bindscope.1
    Man,
}

// The argument structs carry no doc comment of their own: the variant's comment above is the
// command's help, and a second one would compete with it.

#[derive(Debug, Args)]
pub struct InterfacesArgs {
    /// Also interfaces without addresses
    #[arg(short, long)]
    pub all: bool,

    #[command(flatten)]
    pub families: FamilyArgs,
}

#[derive(Debug, Args)]
pub struct ExposeArgs {
    /// The bind host: an address, HOST:PORT, a URL, localhost, a hostname or an interface
    #[arg(value_name = "HOST", allow_hyphen_values = true)]
    pub host: String,

    /// The port (default 5000; a port in HOST counts too)
    #[arg(short, long, value_name = "PORT", allow_hyphen_values = true)]
    pub port: Option<String>,

    /// Bind for real (and close at once) to say whether it would succeed now
    #[arg(long = "try")]
    pub try_bind: bool,
}

#[derive(Debug, Args)]
pub struct UrlsArgs {
    /// The server's port
    #[arg(short, long, value_name = "PORT", allow_hyphen_values = true)]
    pub port: Option<String>,

    /// The server's bind host (default: every address, IPv4 and IPv6)
    #[arg(long, value_name = "HOST", allow_hyphen_values = true)]
    pub host: Option<String>,

    /// Also virtual interfaces (containers, VPNs, WSL), with why they will not work
    #[arg(short, long)]
    pub all: bool,

    /// URL scheme
    #[arg(long, value_enum, default_value_t = Scheme::Http)]
    pub scheme: Scheme,

    /// Path to append, e.g. /app
    #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
    pub path: Option<String>,

    /// Draw a QR code of the recommended URL
    #[arg(long)]
    pub qr: bool,

    #[command(flatten)]
    pub families: FamilyArgs,
}

#[derive(Debug, Args)]
pub struct ListenersArgs {
    /// Only sockets reachable from beyond this machine
    #[arg(long)]
    pub exposed: bool,

    /// Exit 1 when any socket is reachable from beyond this machine (for audits and CI)
    #[arg(long)]
    pub fail_on_exposed: bool,

    /// TCP only
    #[arg(long, conflicts_with = "udp")]
    pub tcp: bool,

    /// UDP only
    #[arg(long)]
    pub udp: bool,

    #[command(flatten)]
    pub families: FamilyArgs,
}

#[derive(Debug, Args)]
pub struct PortArgs {
    /// The port, e.g. 5000
    #[arg(value_name = "PORT", allow_hyphen_values = true)]
    pub port: String,

    /// Stop the processes holding it: SIGTERM, asking first on a terminal
    #[arg(long)]
    pub kill: bool,

    /// With --kill: SIGKILL the owners still running after the grace period
    #[arg(long, requires = "kill")]
    pub force: bool,

    /// With --kill: do not ask (needed without a terminal)
    #[arg(short = 'y', long, requires = "kill")]
    pub yes: bool,

    /// With --kill: how long to wait for the port to free after a signal
    #[arg(
        long,
        value_name = "DURATION",
        requires = "kill",
        allow_hyphen_values = true
    )]
    pub grace: Option<String>,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Where to connect: HOST:PORT, [V6]:PORT, a URL or a hostname
    #[arg(value_name = "TARGET", allow_hyphen_values = true)]
    pub target: Option<String>,

    /// Port(s): 5000, or a list and ranges such as 5000,8000-8010 (with a TARGET)
    #[arg(short, long, value_name = "PORTS", allow_hyphen_values = true)]
    pub port: Option<String>,

    /// How long to wait for each connection
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub timeout: Option<String>,

    /// Send one HTTP request to each open address: status and Server header
    #[arg(long)]
    pub http: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port (default: a free one near 8000)
    #[arg(short, long, value_name = "PORT", allow_hyphen_values = true)]
    pub port: Option<String>,

    /// The address to listen on
    #[arg(
        long,
        value_name = "HOST",
        default_value = "0.0.0.0",
        allow_hyphen_values = true
    )]
    pub host: String,

    /// Stop by itself after this long
    #[arg(
        long = "for",
        value_name = "DURATION",
        default_value = "10m",
        allow_hyphen_values = true
    )]
    pub duration: String,

    /// Draw a QR code of the recommended URL
    #[arg(long)]
    pub qr: bool,
}

#[derive(Debug, Args)]
pub struct LabArgs {
    /// How long each probe may wait
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub timeout: Option<String>,
}

#[derive(Debug, Args)]
pub struct FreeArgs {
    /// Look outwards from this port (default 5000)
    #[arg(long, value_name = "PORT", allow_hyphen_values = true)]
    pub near: Option<String>,

    /// How many ports (1 to 100)
    #[arg(short = 'n', long, value_name = "N", allow_hyphen_values = true)]
    pub count: Option<String>,

    /// A host each port must bind on; repeatable (default 127.0.0.1 and 0.0.0.0)
    #[arg(long = "host", value_name = "HOST", allow_hyphen_values = true)]
    pub hosts: Vec<String>,

    /// Only ports in this range, e.g. 8000-8100
    #[arg(long, value_name = "A-B", allow_hyphen_values = true)]
    pub range: Option<String>,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    /// The port to wait for (needed: here or before the command)
    #[arg(short, long, value_name = "PORT", allow_hyphen_values = true)]
    pub port: Option<String>,

    /// Where to connect: an IP address or localhost (default: 127.0.0.1 and ::1)
    #[arg(
        long,
        value_name = "HOST",
        allow_hyphen_values = true,
        conflicts_with = "free"
    )]
    pub host: Option<String>,

    /// Give up after this long, and exit 1
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "30s",
        allow_hyphen_values = true
    )]
    pub timeout: String,

    /// How often to try (10ms to 10s)
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "200ms",
        allow_hyphen_values = true
    )]
    pub interval: String,

    /// Wait for an HTTP answer (any status), not only a connection
    #[arg(long, conflicts_with = "free")]
    pub http: bool,

    /// Wait until nothing holds the port: no listening or bound TCP socket
    #[arg(long)]
    pub free: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The page, e.g. ports or 0.0.0.0
    #[arg(value_name = "TOPIC", value_parser = TopicNames, allow_hyphen_values = true)]
    pub topic: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Takes any topic name (`config` explains a wrong one in the user's language) and offers
/// the pages' names to `--help` and to shell completions.
#[derive(Debug, Clone, Copy)]
struct TopicNames;

impl clap::builder::TypedValueParser for TopicNames {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(Topic::ALL.into_iter().map(|t| {
            PossibleValue::new(t.name()).aliases(t.aliases().iter().copied())
        })))
    }
}

/// The environment `config` reads, gathered by `main` (and made up by tests).
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `LC_ALL`, `LC_MESSAGES` and `LANG`, in that order of precedence.
    pub locale_vars: [Option<String>; 3],
    pub no_color: Option<String>,
    pub term: Option<String>,
    pub stdout_tty: bool,
    pub stdin_tty: bool,
    pub stderr_tty: bool,
    /// The terminal's width in columns, when stdout is one.
    pub columns: Option<usize>,
    /// The OS's own locale, asked only when the variables say nothing (macOS, Windows).
    pub system_locale: Option<fn() -> Option<String>>,
}

impl Env {
    pub fn from_process(stdout_tty: bool, stdin_tty: bool, stderr_tty: bool) -> Env {
        let var = |name: &str| std::env::var(name).ok();
        Env {
            locale_vars: [var("LC_ALL"), var("LC_MESSAGES"), var("LANG")],
            no_color: var("NO_COLOR"),
            term: var("TERM"),
            stdout_tty,
            stdin_tty,
            stderr_tty,
            columns: stdout_tty.then(textwrap::termwidth),
            system_locale: Some(sys_locale::get_locale),
        }
    }
}

/// Text wraps to the terminal, within these bounds: narrower is unreadable, wider tiring.
const MIN_WIDTH: usize = 40;
const MAX_WIDTH: usize = 100;

fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// The language before the arguments are known to be valid, for reporting their errors.
pub fn language(choice: Option<LangChoice>, env: &Env) -> Lang {
    match choice.unwrap_or(LangChoice::Auto) {
        LangChoice::En => Lang::En,
        LangChoice::Ko => Lang::Ko,
        LangChoice::Auto => env
            .locale_vars
            .iter()
            .find_map(|v| set(v).map(str::to_string))
            .or_else(|| env.system_locale.and_then(|f| f()))
            .and_then(|l| Lang::from_locale(&l))
            .unwrap_or(Lang::En),
    }
}

pub fn config(cli: Cli, env: &Env) -> Result<Config, InputError> {
    let output = output(&cli.global, env);
    let top = TopPort(cli.port.as_deref());
    let action = match cli.command {
        None => Action::Overview {
            port: top.port()?.unwrap_or(DEFAULT_PORT),
        },
        Some(Command::Interfaces(args)) => args.action(top)?,
        Some(Command::Expose(args)) => Action::Expose(args.options(top)?),
        Some(Command::Urls(args)) => Action::Urls(args.options(top)?),
        Some(Command::Listeners(args)) => Action::Listeners(args.options(top)?),
        Some(Command::Port(args)) => Action::Port(args.options(top)?),
        Some(Command::Probe(args)) => Action::Probe(args.options(top)?),
        Some(Command::Serve(args)) => Action::Serve(args.options(top)?),
        Some(Command::Lab(args)) => Action::Lab(args.options(top)?),
        Some(Command::Free(args)) => Action::Free(args.options(top)?),
        Some(Command::Wait(args)) => Action::Wait(args.options(top)?),
        Some(Command::Explain(args)) => args.action(top)?,
        Some(Command::Completions(args)) => args.action(top)?,
        Some(Command::Man) => man_page(top)?,
    };
    Ok(Config {
        output,
        action,
        interactive: env.stdin_tty,
        progress: env.stderr_tty && !output.json && !output.quiet,
    })
}

fn output(g: &GlobalArgs, env: &Env) -> Output {
    let color = !g.json
        && match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                env.stdout_tty && set(&env.no_color).is_none() && set(&env.term) != Some("dumb")
            }
        };
    Output {
        json: g.json,
        color,
        lang: language(Some(g.lang), env),
        verbose: g.verbose,
        quiet: g.quiet,
        tty: env.stdout_tty,
        width: match env.stdout_tty {
            true => env.columns.unwrap_or(80).clamp(MIN_WIDTH, MAX_WIDTH),
            false => 0,
        },
    }
}

/// The `-p` given before the command: `bindscope -p 8000 urls` means `bindscope urls -p 8000`.
/// A command with a port of its own takes it as that port, and both given must agree; the
/// others ignore it, but only once it is known to be a port, so that a typo never passes
/// silently.
#[derive(Debug, Clone, Copy)]
pub struct TopPort<'a>(Option<&'a str>);

impl TopPort<'_> {
    fn port(self) -> Result<Option<u16>, InputError> {
        self.0.map(parse::port).transpose()
    }

    fn unused(self) -> Result<(), InputError> {
        self.port().map(drop)
    }

    /// The command's own port, `option` (as the user writes it), checked against this one.
    fn beside<T: PartialEq>(
        self,
        own: &str,
        option: &'static str,
        read: impl Fn(&str) -> Result<T, InputError>,
    ) -> Result<T, InputError> {
        let top = self.0.map(|t| read(t).map(|v| (t, v))).transpose()?;
        let value = read(own)?;
        match top {
            Some((text, v)) if v != value => Err(InputError::PortGivenTwice {
                top: parse::shown(text),
                own: parse::shown(own),
                option,
            }),
            _ => Ok(value),
        }
    }

    /// The command's optional port, or this one in its place.
    fn or_own<T: PartialEq>(
        self,
        own: Option<&str>,
        option: &'static str,
        read: impl Fn(&str) -> Result<T, InputError>,
    ) -> Result<Option<T>, InputError> {
        match own {
            Some(own) => self.beside(own, option, read).map(Some),
            None => self.0.map(read).transpose(),
        }
    }
}

impl InterfacesArgs {
    fn action(self, top: TopPort) -> Result<Action, InputError> {
        top.unused()?;
        Ok(Action::Interfaces {
            all: self.all,
            families: self.families.into(),
        })
    }
}

impl ExposeArgs {
    fn options(self, top: TopPort) -> Result<ExposeOptions, InputError> {
        let host = parse::host_input(&self.host)?;
        let port = top.or_own(self.port.as_deref(), "expose -p", parse::port)?;
        Ok(ExposeOptions {
            port: merged_port(Some(&host), port)?,
            host,
            try_bind: self.try_bind,
        })
    }
}

impl UrlsArgs {
    fn options(self, top: TopPort) -> Result<UrlsOptions, InputError> {
        let host = self.host.as_deref().map(parse::host_input).transpose()?;
        let port = top.or_own(self.port.as_deref(), "urls -p", parse::port)?;
        let port = merged_port(host.as_ref(), port)?;
        // A URL given as the host (`--host https://0.0.0.0:8443`) brings its own scheme.
        let scheme = match host.as_ref().and_then(|h| h.scheme.clone()) {
            Some(s) => s,
            None => self.scheme.name().to_string(),
        };
        let path = match self.path {
            Some(p) => parse::url_path(&p)?,
            None => String::new(),
        };
        Ok(UrlsOptions {
            port,
            host,
            all: self.all,
            scheme,
            path,
            qr: self.qr,
            families: self.families.into(),
        })
    }
}

impl ListenersArgs {
    fn options(self, top: TopPort) -> Result<ListenersOptions, InputError> {
        top.unused()?;
        Ok(ListenersOptions {
            exposed_only: self.exposed,
            fail_on_exposed: self.fail_on_exposed,
            proto: match (self.tcp, self.udp) {
                (true, _) => Some(Proto::Tcp),
                (_, true) => Some(Proto::Udp),
                _ => None,
            },
            families: self.families.into(),
        })
    }
}

impl PortArgs {
    fn options(self, top: TopPort) -> Result<PortOptions, InputError> {
        let port = top.beside(&self.port, "port", parse::port)?;
        let grace = duration_or(self.grace.as_deref(), MAX_GRACE, Duration::from_secs(5))?;
        Ok(PortOptions {
            port,
            kill: self.kill.then_some(KillOptions {
                force: self.force,
                yes: self.yes,
                grace,
            }),
        })
    }
}

impl ProbeArgs {
    fn options(self, top: TopPort) -> Result<ProbeOptions, InputError> {
        let target = self.target.as_deref().map(parse::host_input).transpose()?;
        let listed = top.or_own(self.port.as_deref(), "probe -p", |p| {
            parse::port_list(p, MAX_PROBE_PORTS)
        })?;
        Ok(ProbeOptions {
            ports: probe_ports(target.as_ref(), listed)?,
            target,
            timeout: duration_or(self.timeout.as_deref(), MAX_TIMEOUT, Duration::from_secs(1))?,
            http: self.http,
        })
    }
}

/// A target's own port and `-p` must agree; this machine is probed on one port only.
fn probe_ports(
    target: Option<&HostInput>,
    listed: Option<Vec<u16>>,
) -> Result<Vec<u16>, InputError> {
    match (target, listed) {
        (Some(t), Some(list)) => match t.port {
            Some(p) if list != [p] => Err(InputError::ConflictingPorts {
                in_host: p,
                option: list[0],
            }),
            _ => Ok(list),
        },
        (Some(t), None) => Ok(vec![t.port.unwrap_or(DEFAULT_PORT)]),
        (None, Some(list)) if list.len() > 1 => Err(InputError::OneLocalPort),
        (None, Some(list)) => Ok(list),
        (None, None) => Ok(vec![DEFAULT_PORT]),
    }
}

impl ServeArgs {
    fn options(self, top: TopPort) -> Result<ServeOptions, InputError> {
        Ok(ServeOptions {
            host: address(&self.host)?,
            port: top.or_own(self.port.as_deref(), "serve -p", parse::port)?,
            duration: parse::duration(&self.duration, MAX_SERVE)?,
            qr: self.qr,
        })
    }
}

impl LabArgs {
    fn options(self, top: TopPort) -> Result<LabOptions, InputError> {
        top.unused()?;
        Ok(LabOptions {
            timeout: duration_or(
                self.timeout.as_deref(),
                MAX_TIMEOUT,
                Duration::from_millis(500),
            )?,
        })
    }
}

impl FreeArgs {
    fn options(self, top: TopPort) -> Result<FreeOptions, InputError> {
        let range = match self.range {
            Some(r) => parse::port_range(&r)?,
            None => (1, 65535),
        };
        // `bindscope -p 8000 free` asks for a port like 8000: it is `--near 8000`.
        let near = top.or_own(self.near.as_deref(), "free --near", parse::port)?;
        let near = match near {
            Some(n) => n,
            None if (range.0..=range.1).contains(&DEFAULT_PORT) => DEFAULT_PORT,
            None => range.0,
        };
        let hosts = match self.hosts.is_empty() {
            true => FreeOptions::default_hosts(),
            false => self
                .hosts
                .iter()
                .map(|h| address(h))
                .collect::<Result<_, _>>()?,
        };
        let count = match self.count {
            Some(c) => parse::count(&c, MAX_FREE_COUNT)?,
            None => 1,
        };
        Ok(FreeOptions {
            near,
            count,
            hosts,
            range,
        })
    }
}

impl WaitArgs {
    fn options(self, top: TopPort) -> Result<WaitOptions, InputError> {
        let (host, in_host) = match self.host.as_deref() {
            Some(h) => wait_host(h)?,
            None => (
                WaitHost::Loopback {
                    families: Families::Both,
                },
                None,
            ),
        };
        let own = top.or_own(self.port.as_deref(), "wait -p", parse::port)?;
        let port = match (in_host, own) {
            (Some(a), Some(b)) if a != b => {
                return Err(InputError::ConflictingPorts {
                    in_host: a,
                    option: b,
                })
            }
            (Some(p), _) | (None, Some(p)) => p,
            (None, None) => return Err(InputError::WaitNeedsPort),
        };
        let interval = parse::duration(&self.interval, MAX_WAIT_INTERVAL)?;
        if interval < MIN_WAIT_INTERVAL {
            return Err(InputError::IntervalTooShort {
                value: parse::shown(self.interval.trim()),
                min_ms: MIN_WAIT_INTERVAL.as_millis() as u64,
            });
        }
        Ok(WaitOptions {
            port,
            host,
            mode: match (self.http, self.free) {
                (true, _) => WaitMode::Http,
                (_, true) => WaitMode::Free,
                _ => WaitMode::Connect,
            },
            timeout: parse::duration(&self.timeout, MAX_WAIT)?,
            interval,
        })
    }
}

/// `wait --host`: an address (a wildcard standing for this machine's loopback, as a browser
/// takes it) or `localhost`, with the port it may carry (`127.0.0.1:5000`, a URL).
fn wait_host(value: &str) -> Result<(WaitHost, Option<u16>), InputError> {
    let input = parse::host_input(value)?;
    let host = match input.host {
        HostSpec::Ip { ip, .. } if ip.is_unspecified() => WaitHost::Loopback {
            families: match ip {
                IpAddr::V4(_) => Families::V4,
                // `::` takes IPv4 too while dual stack is on (the default).
                IpAddr::V6(_) => Families::Both,
            },
        },
        HostSpec::Ip { ip, zone } => WaitHost::Ip { ip, zone },
        HostSpec::Name(name) if name.trim_end_matches('.').eq_ignore_ascii_case("localhost") => {
            WaitHost::Loopback {
                families: Families::Both,
            }
        }
        HostSpec::Name(_) => {
            return Err(InputError::WaitHostNotIp {
                value: parse::shown(value),
            })
        }
    };
    Ok((host, input.port))
}

impl ExplainArgs {
    fn action(self, top: TopPort) -> Result<Action, InputError> {
        top.unused()?;
        let topic = self
            .topic
            .map(|t| {
                Topic::find(&t).ok_or_else(|| InputError::UnknownTopic {
                    value: parse::shown(&t),
                })
            })
            .transpose()?;
        Ok(Action::Explain { topic })
    }
}

impl CompletionsArgs {
    fn action(self, top: TopPort) -> Result<Action, InputError> {
        top.unused()?;
        let mut text = Vec::new();
        clap_complete::generate(self.shell, &mut Cli::command(), "bindscope", &mut text);
        Ok(generated("completions", text))
    }
}

fn man_page(top: TopPort) -> Result<Action, InputError> {
    top.unused()?;
    let mut text = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut text)
        .expect("writing to memory cannot fail");
    Ok(generated("man", text))
}

fn generated(name: &'static str, text: Vec<u8>) -> Action {
    Action::Generated {
        name,
        text: String::from_utf8_lossy(&text).into_owned(),
    }
}

/// An optional duration with its default.
fn duration_or(
    value: Option<&str>,
    max: Duration,
    default: Duration,
) -> Result<Duration, InputError> {
    value.map_or(Ok(default), |v| parse::duration(v, max))
}

/// A host where only an address will do: a literal, without a port.
fn address(value: &str) -> Result<IpAddr, InputError> {
    ip_of(&parse::host_input(value)?).ok_or_else(|| InputError::HostNotIp {
        value: parse::shown(value),
    })
}

/// A port may come in the host (`0.0.0.0:8000`, a URL) or with `-p`; both must agree.
fn merged_port(host: Option<&HostInput>, option: Option<u16>) -> Result<u16, InputError> {
    match (host.and_then(|h| h.port), option) {
        (Some(a), Some(b)) if a != b => Err(InputError::ConflictingPorts {
            in_host: a,
            option: b,
        }),
        (Some(p), _) | (None, Some(p)) => Ok(p),
        (None, None) => Ok(DEFAULT_PORT),
    }
}

impl Scheme {
    fn name(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

impl From<FamilyArgs> for Families {
    fn from(f: FamilyArgs) -> Self {
        match (f.ipv4, f.ipv6) {
            (true, _) => Families::V4,
            (_, true) => Families::V6,
            _ => Families::Both,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)], tty: bool) -> Env {
        let get = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        Env {
            locale_vars: [get("LC_ALL"), get("LC_MESSAGES"), get("LANG")],
            no_color: get("NO_COLOR"),
            term: get("TERM"),
            stdout_tty: tty,
            stdin_tty: false,
            stderr_tty: false,
            columns: None,
            system_locale: None,
        }
    }

    fn parse(args: &[&str], env: &Env) -> Result<Config, InputError> {
        let cli = Cli::try_parse_from(std::iter::once("bindscope").chain(args.iter().copied()))
            .expect("clap accepts the arguments");
        config(cli, env)
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_snapshot() {
        let help = Cli::command()
            .term_width(100)
            .render_long_help()
            .to_string();
        insta::assert_snapshot!(help);
    }

    #[test]
    fn colour_is_decided_once_from_flag_terminal_and_no_color() {
        let colored = |args: &[&str], vars: &[(&str, &str)], tty| {
            parse(args, &env(vars, tty)).unwrap().output.color
        };
        assert!(colored(&[], &[], true));
        assert!(!colored(&[], &[], false));
        assert!(!colored(&[], &[("NO_COLOR", "1")], true));
        assert!(
            colored(&[], &[("NO_COLOR", "")], true),
            "an empty NO_COLOR is unset"
        );
        assert!(!colored(&[], &[("TERM", "dumb")], true));
        assert!(colored(&["--color", "always"], &[("NO_COLOR", "1")], false));
        assert!(!colored(&["--color", "never"], &[], true));
        assert!(!colored(&["--json", "--color", "always"], &[], true));
    }

    #[test]
    fn language_follows_the_locale_variables_in_order() {
        let lang = |args: &[&str], vars: &[(&str, &str)]| {
            parse(args, &env(vars, false)).unwrap().output.lang
        };
        assert_eq!(lang(&[], &[]), Lang::En);
        assert_eq!(lang(&[], &[("LANG", "ko_KR.UTF-8")]), Lang::Ko);
        assert_eq!(
            lang(&[], &[("LANG", "ko_KR.UTF-8"), ("LC_ALL", "C")]),
            Lang::En
        );
        assert_eq!(
            lang(&[], &[("LC_MESSAGES", "ko_KR"), ("LANG", "en_US")]),
            Lang::Ko
        );
        assert_eq!(lang(&[], &[("LC_ALL", ""), ("LANG", "ko_KR")]), Lang::Ko);
        assert_eq!(lang(&["--lang", "en"], &[("LANG", "ko_KR")]), Lang::En);
        assert_eq!(lang(&["--lang", "ko"], &[]), Lang::Ko);
    }

    #[test]
    fn ports_come_from_the_host_or_the_option_and_must_agree() {
        let e = env(&[], false);
        let port = |args: &[&str]| match parse(args, &e).unwrap().action {
            Action::Expose(ExposeOptions { port, .. })
            | Action::Urls(UrlsOptions { port, .. })
            | Action::Overview { port } => port,
            _ => unreachable!(),
        };
        assert_eq!(port(&[]), 5000);
        assert_eq!(port(&["-p", "8000"]), 8000);
        assert_eq!(port(&["expose", "0.0.0.0"]), 5000);
        assert_eq!(port(&["expose", "0.0.0.0:8000"]), 8000);
        assert_eq!(port(&["expose", "0.0.0.0", "-p", "8000"]), 8000);
        assert_eq!(port(&["expose", "0.0.0.0:8000", "-p", "8000"]), 8000);
        assert_eq!(port(&["expose", "http://0.0.0.0"]), 80);
        assert_eq!(port(&["urls", "-p", "3000"]), 3000);
        assert_eq!(port(&["-p", "7000", "urls"]), 7000);
        assert_eq!(port(&["-p", "7000", "expose", "::"]), 7000);
        assert_eq!(
            parse(&["expose", "0.0.0.0:8000", "-p", "9000"], &e).unwrap_err(),
            InputError::ConflictingPorts {
                in_host: 8000,
                option: 9000
            }
        );
        assert_eq!(parse(&["-p", "0"], &e).unwrap_err(), InputError::PortZero);
        assert!(matches!(
            parse(&["urls", "-p", "-1"], &e).unwrap_err(),
            InputError::PortNegative { .. }
        ));
    }

    #[test]
    fn wait_takes_a_port_and_connects_where_a_browser_would() {
        let e = env(&[], false);
        let wait = |args: &[&str]| match parse(args, &e) {
            Ok(Config {
                action: Action::Wait(options),
                ..
            }) => Ok(options),
            Ok(other) => panic!("{other:?}"),
            Err(error) => Err(error),
        };
        let loopback = |families| WaitHost::Loopback { families };
        let options = wait(&["wait", "-p", "5000"]).unwrap();
        assert_eq!(options.port, 5000);
        assert_eq!(options.host, loopback(Families::Both));
        assert_eq!(options.mode, WaitMode::Connect);
        assert_eq!(options.timeout, Duration::from_secs(30));
        assert_eq!(options.interval, Duration::from_millis(200));
        assert_eq!(wait(&["-p", "8000", "wait"]).unwrap().port, 8000);
        for (host, expected) in [
            ("localhost", loopback(Families::Both)),
            ("::", loopback(Families::Both)),
            ("0.0.0.0", loopback(Families::V4)),
            (
                "10.203.0.1",
                WaitHost::Ip {
                    ip: "10.203.0.1".parse().unwrap(),
                    zone: None,
                },
            ),
        ] {
            let options = wait(&["wait", "-p", "5000", "--host", host]).unwrap();
            assert_eq!(options.host, expected, "{host}");
        }
        let options = wait(&["wait", "--host", "127.0.0.1:8000", "--http"]).unwrap();
        assert_eq!((options.port, options.mode), (8000, WaitMode::Http));
        assert_eq!(
            wait(&["wait", "--free", "-p", "5000"]).unwrap().mode,
            WaitMode::Free
        );
        assert_eq!(wait(&["wait"]).unwrap_err(), InputError::WaitNeedsPort);
        assert_eq!(
            wait(&["wait", "-p", "5000", "--host", "example.com"]).unwrap_err(),
            InputError::WaitHostNotIp {
                value: "example.com".into()
            }
        );
        assert!(matches!(
            wait(&["wait", "-p", "5000", "--interval", "5ms"]).unwrap_err(),
            InputError::IntervalTooShort { min_ms: 10, .. }
        ));
        assert!(matches!(
            wait(&["wait", "-p", "5000", "--timeout", "2h"]).unwrap_err(),
            InputError::DurationTooLong { .. }
        ));
        assert!(Cli::try_parse_from(["bindscope", "wait", "-p", "1", "--free", "--http"]).is_err());
        assert!(
            Cli::try_parse_from(["bindscope", "wait", "-p", "1", "--free", "--host", "::1"])
                .is_err()
        );
    }

    #[test]
    fn urls_take_the_scheme_of_a_url_host() {
        let e = env(&[], false);
        match parse(
            &["urls", "--host", "https://0.0.0.0:8443", "--path", "app"],
            &e,
        )
        .unwrap()
        .action
        {
            Action::Urls(UrlsOptions {
                scheme, port, path, ..
            }) => {
                assert_eq!(
                    (scheme.as_str(), port, path.as_str()),
                    ("https", 8443, "/app")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_command_reaches_its_action() {
        let e = env(&[], false);
        let action = |args: &[&str]| parse(args, &e).unwrap().action;
        assert!(matches!(action(&[]), Action::Overview { port: 5000 }));
        assert!(matches!(action(&["ifaces"]), Action::Interfaces { .. }));
        assert!(matches!(action(&["bind", "::"]), Action::Expose(_)));
        assert!(matches!(action(&["urls"]), Action::Urls(_)));
        assert!(matches!(action(&["ls"]), Action::Listeners(_)));
        assert!(matches!(action(&["who", "5000"]), Action::Port(_)));
        assert!(matches!(action(&["check"]), Action::Probe(_)));
        assert!(matches!(action(&["serve"]), Action::Serve(_)));
        assert!(matches!(action(&["lab"]), Action::Lab(_)));
        assert!(matches!(action(&["free"]), Action::Free(_)));
        assert!(matches!(action(&["wait", "-p", "5000"]), Action::Wait(_)));
        assert!(matches!(
            action(&["learn"]),
            Action::Explain { topic: None }
        ));
        assert!(matches!(
            action(&["completions", "bash"]),
            Action::Generated {
                name: "completions",
                ..
            }
        ));
        assert!(matches!(
            action(&["man"]),
            Action::Generated { name: "man", .. }
        ));
    }

    #[test]
    fn the_port_before_the_command_is_checked_for_every_command() {
        let e = env(&[], false);
        let commands: &[&[&str]] = &[
            &[],
            &["interfaces"],
            &["expose", "::"],
            &["urls"],
            &["listeners"],
            &["port", "5000"],
            &["probe"],
            &["serve"],
            &["lab"],
            &["free"],
            &["wait", "-p", "5000"],
            &["explain"],
            &["completions", "bash"],
            &["man"],
        ];
        for command in commands {
            let args: Vec<&str> = ["-p", "abc"].iter().chain(*command).copied().collect();
            assert_eq!(
                parse(&args, &e).unwrap_err(),
                InputError::PortNotNumber {
                    value: "abc".into()
                },
                "{args:?}"
            );
            // A valid one is accepted everywhere, even where no port is used.
            let args: Vec<&str> = ["-p", "5000"].iter().chain(*command).copied().collect();
            assert!(parse(&args, &e).is_ok(), "{args:?}");
        }
    }

    #[test]
    fn the_port_before_the_command_stands_for_its_own_and_must_agree() {
        let e = env(&[], false);
        let action = |args: &[&str]| parse(args, &e).unwrap().action;
        let twice = |args: &[&str], top: &str, own: &str, option| {
            assert_eq!(
                parse(args, &e).unwrap_err(),
                InputError::PortGivenTwice {
                    top: top.into(),
                    own: own.into(),
                    option
                },
                "{args:?}"
            );
        };
        assert!(matches!(
            action(&["-p", "7000", "port", "7000"]),
            Action::Port(PortOptions { port: 7000, .. })
        ));
        twice(&["-p", "1", "port", "2"], "1", "2", "port");
        assert!(matches!(
            action(&["-p", "8000", "free"]),
            Action::Free(FreeOptions { near: 8000, .. })
        ));
        assert!(matches!(
            action(&["-p", "8000", "free", "--near", "8000"]),
            Action::Free(FreeOptions { near: 8000, .. })
        ));
        twice(
            &["-p", "8000", "free", "--near", "9000"],
            "8000",
            "9000",
            "free --near",
        );
        assert!(matches!(
            action(&["-p", "8000", "serve"]),
            Action::Serve(ServeOptions {
                port: Some(8000),
                ..
            })
        ));
        twice(
            &["-p", "8000", "serve", "-p", "8001"],
            "8000",
            "8001",
            "serve -p",
        );
        twice(&["-p", "1", "urls", "-p", "2"], "1", "2", "urls -p");
        twice(
            &["-p", "1", "expose", "::", "-p", "2"],
            "1",
            "2",
            "expose -p",
        );
        // Before probe, -p is probe's: a list of ports with a TARGET.
        match action(&["-p", "5000,5001", "probe", "127.0.0.1"]) {
            Action::Probe(ProbeOptions { ports, .. }) => assert_eq!(ports, [5000, 5001]),
            other => panic!("{other:?}"),
        }
        twice(
            &["-p", "5000", "probe", "-p", "5001"],
            "5000",
            "5001",
            "probe -p",
        );
        // The host's own port is checked against it too, as against the command's -p.
        assert_eq!(
            parse(&["-p", "1", "expose", "0.0.0.0:2"], &e).unwrap_err(),
            InputError::ConflictingPorts {
                in_host: 2,
                option: 1
            }
        );
    }
}
