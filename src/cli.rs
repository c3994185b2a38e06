//! The command line: the clap definition, and the one function that turns it into a
//! [`Config`]. Values that need a precise, translated error (ports, hosts, paths) are taken
//! as strings here and parsed by `parse`.

use clap::builder::PossibleValue;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use std::ffi::OsString;

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
    #[command(
        after_help = "Each command has its page too: bindscope man expose > bindscope-expose.1"
    )]
    Man(ManArgs),
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

    /// Stop the processes holding it: SIGTERM (Windows: TerminateProcess), asking first on a
    /// terminal
    #[arg(long)]
    pub kill: bool,

    /// With --kill: SIGKILL the owners still running after the grace period (not on Windows,
    /// where the first step is already final)
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

    /// With --kill: also stop the owners of UDP sockets bound to the port (UDP servers; never
    /// a connected UDP client)
    #[arg(long, requires = "kill")]
    pub udp: bool,
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
pub struct ManArgs {
    /// This command's page (bindscope-COMMAND(1)), e.g. expose
    #[arg(value_name = "COMMAND", allow_hyphen_values = true)]
    pub command: Option<String>,
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
    /// The terminal's width in columns, as the terminal tells it (ioctl on stdout, the
    /// console's screen buffer on Windows), when stdout is one.
    pub columns: Option<usize>,
    /// `COLUMNS`, for when the terminal does not tell.
    pub columns_var: Option<String>,
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
            columns: stdout_tty
                .then(|| terminal_size::terminal_size_of(std::io::stdout()))
                .flatten()
                .map(|(terminal_size::Width(w), _)| usize::from(w)),
            columns_var: var("COLUMNS"),
            system_locale: Some(sys_locale::get_locale),
        }
    }
}

/// Narrower than this nothing reads, wrapped or not: a narrower terminal wraps the lines
/// itself. There is no upper bound: a table uses a wide terminal whole, and sentences stop
/// at a readable measure of their own (`render::wrap::MEASURE`).
const MIN_WIDTH: usize = 40;

/// The width human output fits: the terminal's, else `COLUMNS`, else 80; 0 when stdout is not
/// a terminal (piped output is never wrapped).
pub fn width(env: &Env) -> usize {
    if !env.stdout_tty {
        return 0;
    }
    let from_var = || {
        set(&env.columns_var)
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&w| w > 0)
    };
    env.columns
        .filter(|&w| w > 0)
        .or_else(from_var)
        .unwrap_or(80)
        .max(MIN_WIDTH)
}

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

/// The language for parsing the command line itself, from `--lang` as typed (the last one
/// given wins, as clap takes it) or the environment.
pub fn language_of_args(args: &[OsString], env: &Env) -> Lang {
    let mut choice = None;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = match word.strip_prefix("--lang") {
            Some("") => words.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(value) = value {
            choice = LangChoice::from_str(&value, true).ok().or(choice);
        }
    }
    language(choice, env)
}

/// Parses the command line with help and errors in `lang`.
pub fn parse_args(args: Vec<OsString>, lang: Lang) -> Result<Cli, (clap::Error, Option<String>)> {
    let subcommand = typed_subcommand(&args);
    let mut cmd = command(lang);
    cmd.try_get_matches_from_mut(args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| (e, subcommand))
}

/// The subcommand the user typed (its name, not an alias), for the error's pointer to help.
fn typed_subcommand(args: &[OsString]) -> Option<String> {
    let cmd = Cli::command();
    args.iter().skip(1).find_map(|a| {
        let word = a.to_str()?;
        cmd.get_subcommands()
            .find(|s| s.get_name() == word || s.get_all_aliases().any(|al| al == word))
            .map(|s| s.get_name().to_string())
    })
}

/// The clap command with `--help` in `lang`. English is the definition's own; Korean comes
/// from the catalogue, every about, argument help, heading and the usage line.
pub fn command(lang: Lang) -> clap::Command {
    let mut cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Ko => {
            cmd.build();
            korean(cmd, "")
        }
    }
}

fn korean(mut cmd: clap::Command, name: &str) -> clap::Command {
    let words = |key: &str| crate::i18n::korean_help_words(key).unwrap_or_default();
    let about_key = name.to_string();
    cmd = cmd.about(words(&about_key));
    cmd = match name {
        "" => cmd
            .long_about(words(".long"))
            .after_help(crate::i18n::KOREAN_EXIT_CODES),
        _ => {
            let after = cmd
                .get_after_help()
                .map(|_| words(&format!("{name}.after")));
            cmd.long_about(None::<&str>).after_help(after)
        }
    };
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = match name {
            "" => format!(".{id}"),
            _ => format!("{name}.{id}"),
        };
        let help = crate::i18n::korean_help_words(&key)
            .or_else(|| crate::i18n::korean_help_words(&format!("*.{id}")))
            .unwrap_or_default();
        cmd = cmd.mut_arg(&id, |arg| korean_arg(arg, help));
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut list = String::new();
    if !subs.is_empty() {
        list = korean_command_list(&cmd);
        cmd = cmd.subcommand_value_name(words("value.command"));
    }
    let usage = cmd
        .render_usage()
        .to_string()
        .replace("Usage: ", "")
        .replace("[OPTIONS]", words("value.options"))
        .replace("<COMMAND>", &format!("<{}>", words("value.command")))
        .replace("[COMMAND]", &format!("[{}]", words("value.command")));
    cmd = cmd.override_usage(usage.trim_end().to_string());
    for sub in &subs {
        cmd = cmd.mut_subcommand(sub, |s| korean(s, sub).hide(true));
    }
    cmd.help_template(format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{list}{{all-args}}{{after-help}}",
        words("heading.usage")
    ))
}

/// An argument's Korean help, with the default, the possible values and the aliases clap would
/// add in English.
fn korean_arg(arg: clap::Arg, help: &'static str) -> clap::Arg {
    let words = |key: &str| crate::i18n::korean_help_words(key).unwrap_or_default();
    let mut text = help.to_string();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if arg.get_action().takes_values() && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        text.push_str(&format!(
            " [{}: {}]",
            words("spec.default"),
            defaults.join(", ")
        ));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() && !arg.is_hide_possible_values_set() {
        text.push_str(&format!(
            " [{}: {}]",
            words("spec.possible"),
            possible.join(", ")
        ));
    }
    let heading = match arg.is_positional() {
        true => words("heading.arguments"),
        false => words("heading.options"),
    };
    arg.help(text)
        .long_help(None::<&str>)
        .hide_default_value(true)
        .hide_possible_values(true)
        .help_heading(heading)
}

/// The commands as clap lists them, in Korean words (clap's own list would add `[aliases: …]`).
fn korean_command_list(cmd: &clap::Command) -> String {
    use unicode_width::UnicodeWidthStr;
    let words = |key: &str| crate::i18n::korean_help_words(key).unwrap_or_default();
    let rows: Vec<(String, String)> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| {
            let name = s.get_name();
            let mut about = words(name).to_string();
            let aliases: Vec<&str> = s.get_visible_aliases().collect();
            if !aliases.is_empty() {
                about.push_str(&format!(
                    " [{}: {}]",
                    words("spec.aliases"),
                    aliases.join(", ")
                ));
            }
            (name.to_string(), about)
        })
        .collect();
    let width = rows.iter().map(|(n, _)| n.width()).max().unwrap_or(0);
    let mut out = format!("{}\n", words("heading.commands"));
    for (name, about) in rows {
        out.push_str(&format!("  {name:<width$}  {about}\n"));
    }
    out.push('\n');
    out
}

/// clap's error as one of ours, by its kind, with what it quotes cut short.
pub fn usage_error(e: &clap::Error, command: Option<String>) -> InputError {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let strings = |kind| -> Vec<String> {
        match e.get(kind) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
            Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
            Some(ContextValue::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    };
    let one = |kind| strings(kind).into_iter().next().map(|s| parse::shown(&s));
    // `--lang <LANG>` is named as the user types it: `--lang`.
    let option = |kind| {
        one(kind)
            .map(|o| {
                o.split(' ')
                    .next()
                    .unwrap_or_default()
                    .trim_matches(['<', '>'])
                    .to_string()
            })
            .unwrap_or_default()
    };
    let usage = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let value = one(ContextKind::InvalidSubcommand).unwrap_or_default();
            // The nearest name, not clap's nearest alias: `listener` is `listeners`, not `ls`.
            let cmd = Cli::command();
            let suggestion = closest(&value, command_names(&cmd))
                .map(str::to_string)
                .or_else(|| one(ContextKind::SuggestedSubcommand));
            crate::error::UsageError::UnknownCommand { value, suggestion }
        }
        ErrorKind::UnknownArgument => {
            let value = one(ContextKind::InvalidArg).unwrap_or_default();
            if value.starts_with('-') && value.len() > 1 && parse::port(&value).is_err() {
                crate::error::UsageError::UnknownOption {
                    command,
                    value,
                    suggestion: one(ContextKind::SuggestedArg),
                }
            } else {
                let port_option = match command.as_deref() {
                    Some("urls" | "serve" | "wait") => Some("-p"),
                    Some("free") => Some("--near"),
                    _ => None,
                }
                .filter(|_| parse::port(&value).is_ok());
                crate::error::UsageError::UnexpectedValue {
                    command,
                    value,
                    port_option,
                }
            }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = one(ContextKind::InvalidValue).unwrap_or_default();
            let possible: Vec<String> = strings(ContextKind::ValidValue);
            match (value.is_empty(), possible.is_empty()) {
                (true, true) => crate::error::UsageError::MissingValue {
                    command,
                    option: option(ContextKind::InvalidArg),
                },
                _ => crate::error::UsageError::InvalidValue {
                    option: option(ContextKind::InvalidArg),
                    value,
                    possible,
                    suggestion: one(ContextKind::SuggestedValue),
                },
            }
        }
        ErrorKind::MissingRequiredArgument => crate::error::UsageError::MissingArguments {
            command,
            args: strings(ContextKind::InvalidArg)
                .iter()
                .map(|a| parse::shown(a))
                .collect(),
        },
        ErrorKind::ArgumentConflict => crate::error::UsageError::Conflict {
            option: option(ContextKind::InvalidArg),
            other: option(ContextKind::PriorArg),
        },
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues | ErrorKind::NoEquals => {
            crate::error::UsageError::MissingValue {
                command,
                option: option(ContextKind::InvalidArg),
            }
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            crate::error::UsageError::Other {
                command,
                text: parse::shown(first.strip_prefix("error: ").unwrap_or(first)),
            }
        }
    };
    InputError::Usage(usage)
}

/// The name among `names` a slip of the keyboard away from `typed`.
fn closest<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    names
        .map(|n| (strsim::levenshtein(typed, n), n))
        .filter(|&(d, _)| d <= 2 && d < typed.chars().count())
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

fn command_names(cmd: &clap::Command) -> impl Iterator<Item = &str> {
    cmd.get_subcommands()
        .map(|s| s.get_name())
        .filter(|n| *n != "help")
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
        Some(Command::Man(args)) => args.action(top)?,
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
        width: width(env),
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
                udp: self.udp,
            }),
        })
    }
}

impl ProbeArgs {
    fn options(self, top: TopPort) -> Result<ProbeOptions, InputError> {
        let target = self.target.as_deref().map(parse::host_input).transpose()?;
        // What cannot be looked up is bad input, as for expose: `probe 'a b'`, `probe '*'`.
        if let Some(HostSpec::Name(name)) = target.as_ref().map(|t| &t.host) {
            if !parse::is_hostname(name) {
                return Err(InputError::BadHost {
                    value: parse::shown(name),
                });
            }
        }
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
                .map(|h| address_with_zone(h))
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
                    suggestion: Topic::closest(&t).map(Topic::name),
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

impl ManArgs {
    /// The program's page, or one command's: `bindscope-expose(1)`, which the program's page
    /// names under SUBCOMMANDS.
    fn action(self, top: TopPort) -> Result<Action, InputError> {
        top.unused()?;
        let mut cmd = Cli::command();
        cmd.build();
        let page = match self.command.as_deref() {
            None => cmd,
            Some(name) => {
                let found = cmd
                    .get_subcommands()
                    .find(|s| s.get_name() == name || s.get_all_aliases().any(|a| a == name))
                    .filter(|s| s.get_name() != "help")
                    .cloned();
                match found {
                    Some(sub) => sub,
                    None => {
                        return Err(InputError::UnknownManPage {
                            value: parse::shown(name),
                            suggestion: closest(name, command_names(&cmd)).map(str::to_string),
                        })
                    }
                }
            }
        };
        let mut text = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut text)
            .expect("writing to memory cannot fail");
        Ok(generated("man", text))
    }
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

/// An address with its zone (`fe80::1%eth0`), where only an address will do.
fn address_with_zone(value: &str) -> Result<(IpAddr, Option<String>), InputError> {
    let input = parse::host_input(value)?;
    let ip = ip_of(&input).ok_or_else(|| InputError::HostNotIp {
        value: parse::shown(value),
    })?;
    let zone = match input.host {
        HostSpec::Ip { zone, .. } => zone,
        HostSpec::Name(_) => None,
    };
    Ok((ip, zone))
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
            columns_var: get("COLUMNS"),
            system_locale: None,
        }
    }

    fn parse(args: &[&str], env: &Env) -> Result<Config, InputError> {
        let cli = Cli::try_parse_from(std::iter::once("bindscope").chain(args.iter().copied()))
            .expect("clap accepts the arguments");
        config(cli, env)
    }

    #[test]
    fn the_width_is_the_terminals_then_columns_then_80_and_0_when_piped() {
        let width = |tty: bool, ioctl: Option<usize>, columns: Option<&str>| {
            let vars: Vec<(&str, &str)> = columns.map(|c| ("COLUMNS", c)).into_iter().collect();
            let env = Env {
                columns: ioctl,
                ..env(&vars, tty)
            };
            (
                width(&env),
                parse(&["interfaces"], &env).unwrap().output.width,
            )
        };
        assert_eq!(width(true, Some(132), Some("60")), (132, 132));
        assert_eq!(width(true, None, Some("60")), (60, 60));
        assert_eq!(width(true, Some(0), Some(" 72 ")), (72, 72));
        assert_eq!(width(true, None, None), (80, 80));
        assert_eq!(width(true, None, Some("wide")), (80, 80));
        assert_eq!(width(true, None, Some("0")), (80, 80));
        // A wide terminal is used whole (sentences keep their own measure); a tiny one is
        // read at 40, below which nothing is legible.
        assert_eq!(width(true, Some(250), None), (250, 250));
        assert_eq!(width(true, Some(20), None), (40, 40));
        // Piped: never wrapped, whatever COLUMNS says.
        assert_eq!(width(false, Some(100), Some("60")), (0, 0));
        assert_eq!(width(false, None, None), (0, 0));
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
    fn help_snapshot_in_korean() {
        let mut cmd = command(Lang::Ko).term_width(100);
        insta::assert_snapshot!(cmd.render_long_help().to_string());
        let expose = cmd.find_subcommand_mut("expose").unwrap();
        insta::assert_snapshot!(
            "help_snapshot_in_korean_expose",
            expose.render_help().to_string()
        );
    }

    /// Every command and argument has Korean words: nothing of the English definition shows
    /// through under --lang ko.
    #[test]
    fn korean_help_is_complete() {
        fn walk(cmd: &mut clap::Command, path: &str) {
            let hangul = |s: &str| s.chars().any(|c| ('가'..='힣').contains(&c));
            let help = cmd.render_long_help().to_string();
            for english in [
                "Usage:",
                "Options:",
                "Arguments:",
                "Commands:",
                "[default:",
                "[possible values:",
                "[aliases:",
                "Print help",
            ] {
                assert!(!help.contains(english), "{path}: {english}\n{help}");
            }
            for arg in cmd.get_arguments() {
                let text = arg.get_help().map(ToString::to_string).unwrap_or_default();
                assert!(hangul(&text), "{path} {}: {text:?}", arg.get_id());
            }
            let about = cmd.get_about().map(ToString::to_string).unwrap_or_default();
            assert!(hangul(&about), "{path}: {about:?}");
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            for name in names {
                walk(
                    cmd.find_subcommand_mut(&name).unwrap(),
                    &format!("{path} {name}"),
                );
            }
        }
        walk(&mut command(Lang::Ko), "bindscope");
    }

    fn usage(args: &[&str], lang: Lang) -> String {
        let args: Vec<OsString> = std::iter::once("bindscope")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        let (e, command) = parse_args(args, lang).expect_err("a usage error");
        lang.catalogue().input_error(&usage_error(&e, command))
    }

    #[test]
    fn usage_errors_speak_the_language_and_suggest() {
        for (args, en, ko) in [
            (
                &["exposee"][..],
                "did you mean 'expose'?",
                "혹시 'expose'인가요?",
            ),
            (
                &["interface"],
                "did you mean 'interfaces'?",
                "혹시 'interfaces'인가요?",
            ),
            (
                &["listener"],
                "did you mean 'listeners'?",
                "혹시 'listeners'인가요?",
            ),
            (
                &["urls", "--qrr"],
                "did you mean '--qr'?",
                "혹시 '--qr'인가요?",
            ),
            (
                &["urls", "5000"],
                "bindscope urls -p 5000",
                "bindscope urls -p 5000",
            ),
            (
                &["free", "5000"],
                "bindscope free --near 5000",
                "bindscope free --near 5000",
            ),
            (
                &["expose"],
                "missing <HOST>",
                "꼭 필요한 인자가 빠졌습니다: <HOST>",
            ),
            (
                &["--color", "purple"],
                "possible values: auto, always, never",
                "쓸 수 있는 값: auto, always, never",
            ),
            (
                &["listeners", "--tcp", "--udp"],
                "--tcp cannot be used with --udp",
                "--tcp와 --udp는 함께 쓸 수 없습니다",
            ),
        ] {
            let english = usage(args, Lang::En);
            assert!(english.contains(en), "{args:?}: {english}");
            let korean = usage(args, Lang::Ko);
            assert!(korean.contains(ko), "{args:?}: {korean}");
            assert!(
                !korean.contains("unexpected") && !korean.contains("required"),
                "{korean}"
            );
        }
    }

    #[test]
    fn the_language_of_the_command_line_is_known_before_parsing() {
        let args = |a: &[&str]| -> Vec<OsString> { a.iter().map(OsString::from).collect() };
        let e = env(&[], false);
        assert_eq!(
            language_of_args(&args(&["b", "--lang", "ko", "x"]), &e),
            Lang::Ko
        );
        assert_eq!(language_of_args(&args(&["b", "--lang=ko"]), &e), Lang::Ko);
        assert_eq!(
            language_of_args(&args(&["b", "--lang", "xx"]), &e),
            Lang::En
        );
        assert_eq!(
            language_of_args(&args(&["b"]), &env(&[("LANG", "ko_KR.UTF-8")], false)),
            Lang::Ko
        );
        assert_eq!(
            language_of_args(
                &args(&["b", "--lang", "en"]),
                &env(&[("LANG", "ko_KR")], false)
            ),
            Lang::En
        );
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
        match action(&["man", "expose"]) {
            Action::Generated { text, .. } => {
                assert!(text.contains("bindscope\\-expose"), "{text}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse(&["man", "exposee"], &e).unwrap_err(),
            InputError::UnknownManPage {
                value: "exposee".into(),
                suggestion: Some("expose".into())
            }
        );
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
