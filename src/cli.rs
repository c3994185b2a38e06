//! The command line: the clap definition, and the one function that turns it into a
//! [`Config`]. Values that need a precise, translated error (ports, hosts, paths) are taken
//! as strings here and parsed by `parse`.

use clap::builder::PossibleValue;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use std::time::Duration;

use crate::analysis::topics::Topic;
use crate::config::{
    ip_of, Action, Config, ExposeOptions, Families, FreeOptions, KillOptions, LabOptions,
    ListenersOptions, Output, PortOptions, ProbeOptions, ServeOptions, UrlsOptions, DEFAULT_PORT,
    MAX_FREE_COUNT, MAX_GRACE, MAX_PROBE_PORTS, MAX_SERVE, MAX_TIMEOUT,
};
use crate::error::InputError;
use crate::exit_codes;
use crate::i18n::Lang;
use crate::model::Proto;
use crate::parse::{self, HostInput};

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
    Interfaces {
        /// Also interfaces without addresses
        #[arg(short, long)]
        all: bool,

        #[command(flatten)]
        families: FamilyArgs,
    },

    /// What a server bound to HOST would listen on, and who could reach it
    #[command(
        visible_alias = "bind",
        after_help = "HOST: 127.0.0.1, 0.0.0.0, ::, [::1]:8000, 192.168.1.5:5000, \
                      http://0.0.0.0:5000, localhost, a hostname, or an interface name (eth0)."
    )]
    Expose {
        /// The bind host: an address, HOST:PORT, a URL, localhost, a hostname or an interface
        #[arg(value_name = "HOST", allow_hyphen_values = true)]
        host: String,

        /// The port (default 5000; a port in HOST counts too)
        #[arg(short, long, value_name = "PORT", allow_hyphen_values = true)]
        port: Option<String>,

        /// Bind for real (and close at once) to say whether it would succeed now
        #[arg(long = "try")]
        try_bind: bool,
    },

    /// The URLs to share, dev-server style: Local and Network lines
    Urls {
        /// The server's port
        #[arg(short, long, value_name = "PORT", allow_hyphen_values = true)]
        port: Option<String>,

        /// The server's bind host (default: every address, IPv4 and IPv6)
        #[arg(long, value_name = "HOST", allow_hyphen_values = true)]
        host: Option<String>,

        /// Also virtual interfaces (containers, VPNs, WSL), with why they will not work
        #[arg(short, long)]
        all: bool,

        /// URL scheme
        #[arg(long, value_enum, default_value_t = Scheme::Http)]
        scheme: Scheme,

        /// Path to append, e.g. /app
        #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
        path: Option<String>,

        /// Draw a QR code of the recommended URL
        #[arg(long)]
        qr: bool,

        #[command(flatten)]
        families: FamilyArgs,
    },

    /// Every listening TCP socket and bound UDP socket, with its processes, riskiest first
    #[command(visible_alias = "ls")]
    Listeners {
        /// Only sockets reachable from beyond this machine
        #[arg(long)]
        exposed: bool,

        /// Exit 1 when any socket is reachable from beyond this machine (for audits and CI)
        #[arg(long)]
        fail_on_exposed: bool,

        /// TCP only
        #[arg(long, conflicts_with = "udp")]
        tcp: bool,

        /// UDP only
        #[arg(long)]
        udp: bool,

        #[command(flatten)]
        families: FamilyArgs,
    },

    /// Everything about one port: who holds it, whether it binds now, nearby free ports
    #[command(visible_alias = "who")]
    Port {
        /// The port, e.g. 5000
        #[arg(value_name = "PORT", allow_hyphen_values = true)]
        port: String,

        /// Stop the processes holding it: SIGTERM, asking first on a terminal
        #[arg(long)]
        kill: bool,

        /// With --kill: SIGKILL the owners still running after the grace period
        #[arg(long, requires = "kill")]
        force: bool,

        /// With --kill: do not ask (needed without a terminal)
        #[arg(short = 'y', long, requires = "kill")]
        yes: bool,

        /// With --kill: how long to wait for the port to free after a signal
        #[arg(
            long,
            value_name = "DURATION",
            requires = "kill",
            allow_hyphen_values = true
        )]
        grace: Option<String>,
    },

    /// Is a running server reachable, and if not, why not
    #[command(
        visible_alias = "check",
        after_help = "Without TARGET: connects to PORT through every address of this machine, \
                      says which bind that reveals and who can reach it.\n\
                      With TARGET (192.168.1.5:5000, [fe80::1%eth0]:8000, a URL, a hostname): \
                      run it on the other device, it says whether that address answers and why not."
    )]
    Probe {
        /// Where to connect: HOST:PORT, [V6]:PORT, a URL or a hostname
        #[arg(value_name = "TARGET", allow_hyphen_values = true)]
        target: Option<String>,

        /// Port(s): 5000, or a list and ranges such as 5000,8000-8010 (with a TARGET)
        #[arg(short, long, value_name = "PORTS", allow_hyphen_values = true)]
        port: Option<String>,

        /// How long to wait for each connection
        #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
        timeout: Option<String>,

        /// Send one HTTP request to each open address: status and Server header
        #[arg(long)]
        http: bool,
    },

    /// A reachability beacon to open from another device: who you are, what you reached
    Serve {
        /// The port (default: a free one near 8000)
        #[arg(short, long, value_name = "PORT", allow_hyphen_values = true)]
        port: Option<String>,

        /// The address to listen on
        #[arg(
            long,
            value_name = "HOST",
            default_value = "0.0.0.0",
            allow_hyphen_values = true
        )]
        host: String,

        /// Stop by itself after this long
        #[arg(
            long = "for",
            value_name = "DURATION",
            default_value = "10m",
            allow_hyphen_values = true
        )]
        duration: String,

        /// Draw a QR code of the recommended URL
        #[arg(long)]
        qr: bool,
    },

    /// The live lesson: binds 127.0.0.1, 0.0.0.0 and the LAN address in turn and probes each
    Lab {
        /// How long each probe may wait
        #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
        timeout: Option<String>,
    },

    /// Free ports, each verified by a real bind: PORT=$(bindscope free)
    Free {
        /// Look outwards from this port (default 5000)
        #[arg(long, value_name = "PORT", allow_hyphen_values = true)]
        near: Option<String>,

        /// How many ports (1 to 100)
        #[arg(short = 'n', long, value_name = "N", allow_hyphen_values = true)]
        count: Option<String>,

        /// A host each port must bind on; repeatable (default 127.0.0.1 and 0.0.0.0)
        #[arg(long = "host", value_name = "HOST", allow_hyphen_values = true)]
        hosts: Vec<String>,

        /// Only ports in this range, e.g. 8000-8100
        #[arg(long, value_name = "A-B", allow_hyphen_values = true)]
        range: Option<String>,
    },

    /// Concept pages: flask, 0.0.0.0, loopback-vs-lan, ports, debugging, ipv6, firewall…
    #[command(
        visible_alias = "learn",
        after_help = "Without TOPIC: the list of pages. The pages are docs/en and docs/ko of the \
                      source, with this machine's values filled in."
    )]
    Explain {
        /// The page, e.g. ports or 0.0.0.0
        #[arg(value_name = "TOPIC", value_parser = TopicNames, allow_hyphen_values = true)]
        topic: Option<String>,
    },

    /// Shell completions: bindscope completions bash > /etc/bash_completion.d/bindscope
    Completions {
        /// The shell
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },

    /// The man page, generated from these options: bindscope man > bindscope.1
    Man,
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
    let g = &cli.global;
    let color = !g.json
        && match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                env.stdout_tty && set(&env.no_color).is_none() && set(&env.term) != Some("dumb")
            }
        };
    let output = Output {
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
    };
    // `bindscope -p 8000 urls` means the same as `bindscope urls -p 8000`.
    let top_port = cli.port;
    let action = match cli.command {
        None => Action::Overview {
            port: port_or_default(top_port.as_deref())?,
        },
        Some(Command::Interfaces { all, families }) => Action::Interfaces {
            all,
            families: families.into(),
        },
        Some(Command::Expose {
            host,
            port,
            try_bind,
        }) => {
            let host = parse::host_input(&host)?;
            let port = merged_port(&host, port.or(top_port).as_deref())?;
            Action::Expose(ExposeOptions {
                host,
                port,
                try_bind,
            })
        }
        Some(Command::Listeners {
            exposed,
            fail_on_exposed,
            tcp,
            udp,
            families,
        }) => Action::Listeners(ListenersOptions {
            exposed_only: exposed,
            fail_on_exposed,
            proto: match (tcp, udp) {
                (true, _) => Some(Proto::Tcp),
                (_, true) => Some(Proto::Udp),
                _ => None,
            },
            families: families.into(),
        }),
        Some(Command::Port {
            port,
            kill,
            force,
            yes,
            grace,
        }) => Action::Port(PortOptions {
            port: parse::port(&port)?,
            kill: match kill {
                false => None,
                true => Some(KillOptions {
                    force,
                    yes,
                    grace: match grace {
                        Some(g) => parse::duration(&g, MAX_GRACE)?,
                        None => Duration::from_secs(5),
                    },
                }),
            },
        }),
        Some(Command::Free {
            near,
            count,
            hosts,
            range,
        }) => {
            let range = match range {
                Some(r) => parse::port_range(&r)?,
                None => (1, 65535),
            };
            let near = match near {
                Some(n) => parse::port(&n)?,
                None if (range.0..=range.1).contains(&DEFAULT_PORT) => DEFAULT_PORT,
                None => range.0,
            };
            let hosts = if hosts.is_empty() {
                FreeOptions::default_hosts()
            } else {
                hosts
                    .iter()
                    .map(|h| {
                        let parsed = parse::host_input(h)?;
                        ip_of(&parsed).ok_or_else(|| InputError::HostNotIp {
                            value: parse::shown(h),
                        })
                    })
                    .collect::<Result<_, _>>()?
            };
            Action::Free(FreeOptions {
                near,
                count: match count {
                    Some(c) => parse::count(&c, MAX_FREE_COUNT)?,
                    None => 1,
                },
                hosts,
                range,
            })
        }
        Some(Command::Probe {
            target,
            port,
            timeout,
            http,
        }) => {
            let target = target.as_deref().map(parse::host_input).transpose()?;
            let listed = port
                .or(top_port)
                .map(|p| parse::port_list(&p, MAX_PROBE_PORTS))
                .transpose()?;
            let ports = match (&target, listed) {
                (Some(t), Some(list)) => match t.port {
                    Some(p) if list != [p] => {
                        return Err(InputError::ConflictingPorts {
                            in_host: p,
                            option: list[0],
                        })
                    }
                    _ => list,
                },
                (Some(t), None) => vec![t.port.unwrap_or(DEFAULT_PORT)],
                (None, Some(list)) if list.len() > 1 => return Err(InputError::OneLocalPort),
                (None, Some(list)) => list,
                (None, None) => vec![DEFAULT_PORT],
            };
            Action::Probe(ProbeOptions {
                target,
                ports,
                timeout: match timeout {
                    Some(t) => parse::duration(&t, MAX_TIMEOUT)?,
                    None => Duration::from_secs(1),
                },
                http,
            })
        }
        Some(Command::Serve {
            port,
            host,
            duration,
            qr,
        }) => {
            let parsed = parse::host_input(&host)?;
            Action::Serve(ServeOptions {
                host: ip_of(&parsed).ok_or_else(|| InputError::HostNotIp {
                    value: parse::shown(&host),
                })?,
                port: port.or(top_port).as_deref().map(parse::port).transpose()?,
                duration: parse::duration(&duration, MAX_SERVE)?,
                qr,
            })
        }
        Some(Command::Lab { timeout }) => Action::Lab(LabOptions {
            timeout: match timeout {
                Some(t) => parse::duration(&t, MAX_TIMEOUT)?,
                None => Duration::from_millis(500),
            },
        }),
        Some(Command::Explain { topic }) => Action::Explain {
            topic: topic
                .map(|t| {
                    Topic::find(&t).ok_or_else(|| InputError::UnknownTopic {
                        value: parse::shown(&t),
                    })
                })
                .transpose()?,
        },
        Some(Command::Completions { shell }) => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "bindscope", &mut text);
            Action::Generated {
                name: "completions",
                text: String::from_utf8_lossy(&text).into_owned(),
            }
        }
        Some(Command::Man) => {
            let mut text = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut text)
                .expect("writing to memory cannot fail");
            Action::Generated {
                name: "man",
                text: String::from_utf8_lossy(&text).into_owned(),
            }
        }
        Some(Command::Urls {
            port,
            host,
            all,
            scheme,
            path,
            qr,
            families,
        }) => {
            let host = host.as_deref().map(parse::host_input).transpose()?;
            let port = port.or(top_port);
            let port = match &host {
                Some(h) => merged_port(h, port.as_deref())?,
                None => port_or_default(port.as_deref())?,
            };
            let scheme = host.as_ref().and_then(|h| h.scheme.clone()).unwrap_or(
                match scheme {
                    Scheme::Http => "http",
                    Scheme::Https => "https",
                }
                .to_string(),
            );
            let path = match path {
                Some(p) => parse::url_path(&p)?,
                None => String::new(),
            };
            Action::Urls(UrlsOptions {
                port,
                host,
                all,
                scheme,
                path,
                qr,
                families: families.into(),
            })
        }
    };
    Ok(Config {
        output,
        action,
        interactive: env.stdin_tty,
        progress: env.stderr_tty && !output.json && !output.quiet,
    })
}

fn port_or_default(value: Option<&str>) -> Result<u16, InputError> {
    value.map(parse::port).unwrap_or(Ok(DEFAULT_PORT))
}

/// A port may come in the host (`0.0.0.0:8000`, a URL) or with `-p`; both must agree.
fn merged_port(host: &HostInput, option: Option<&str>) -> Result<u16, InputError> {
    let option = option.map(parse::port).transpose()?;
    match (host.port, option) {
        (Some(a), Some(b)) if a != b => Err(InputError::ConflictingPorts {
            in_host: a,
            option: b,
        }),
        (Some(p), _) | (None, Some(p)) => Ok(p),
        (None, None) => Ok(DEFAULT_PORT),
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
}
