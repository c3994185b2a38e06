//! `iptables-save` / `ip6tables-save` text — the legacy backend's, and the same format
//! `iptables-nft-save` prints: would the `filter` table's INPUT chain let a new connection in?
//!
//! Two steps: [`parse_filter`] reads the `*filter` table into chains of [`Rule`]s (every other
//! table is skipped: only `filter` sits on the input path's verdict), and [`Table::decide`] walks
//! INPUT for one packet as the kernel does: jumps, gotos, RETURN, the end of a user chain, and
//! INPUT's policy. The packet is a NEW connection (conntrack state NEW) from another device.
//! Pass the text of the packet's family: `iptables-save` for IPv4, `ip6tables-save` for IPv6
//! (an address of the other family in a rule is not known to match, so it gives `unknown`).
//!
//! The answer:
//! - `none`: no `*filter` table, or one with no rule at all and INPUT's policy ACCEPT;
//! - `accept`/`drop`/`reject` with the deciding `-A …` line as written (without a leading
//!   `[packets:bytes]`), or `policy ACCEPT` / `policy DROP` when INPUT's policy decides;
//! - `unknown` with the line holding what is not understood, once evaluation reaches it.
//!
//! Understood: `-s`/`-d` (IPv4 and IPv6, a prefix length or any dotted mask, comma lists),
//! `-i`/`-o` (a trailing `+` is a wildcard; the input path has no output interface), `-p`
//! (names and numbers), `-f`, each with `!`, and `"…"` quoting as iptables-restore reads it;
//! the modules `tcp`/`udp` (`--dport`, `--sport`, `--syn`, `--tcp-flags`), `multiport`
//! (`--dports`, `--sports`, `--ports`), `conntrack --ctstate`, `state --state`, `addrtype`
//! (`--src-type`, `--dst-type`), `iprange`, `pkttype`, `comment`, `limit` (as always
//! matching), `icmp`/`icmp6` (never a TCP or UDP packet), `rt` (a new connection from a LAN
//! device carries no IPv6 routing header); the targets ACCEPT, DROP, REJECT (any
//! `--reject-with`), RETURN, LOG/NFLOG/ULOG (they go on), a user chain by `-j` or `-g`, and
//! no target. `unknown`: every other module (`recent`, `mark`, `set`, `hashlimit`, `string`,
//! …) or target (`MARK`, `NFQUEUE`, …); what cannot be known of the packet (`--sport`, ctstate
//! `SNAT`/`DNAT`, `--tcp-flags` over ECE/CWR, `--limit-iface-in`); lines that cannot be placed;
//! a table cut short before COMMIT; jumps deeper than [`MAX_DEPTH`].
//!
//! The kernel checks a rule's address, interface, protocol and fragment fields before its
//! modules, and the modules in order; evaluation does the same. A module that is not
//! understood may do anything (drop the packet, keep state), so only what comes before it can
//! rule the line out. A value of an understood module that cannot be known of this packet
//! (`--sport 67`) has no effect of its own, so any definite mismatch on the line rules it out.

use std::collections::HashMap;
use std::net::IpAddr;

use super::{Decision, Packet, Verdict};
use crate::model::Proto;

/// How deep jumps may nest before the answer is `unknown` (the kernel refuses loops; a text
/// that has one is not a ruleset it loaded).
pub const MAX_DEPTH: usize = 64;

/// The verdict of the `filter` table's INPUT chain for a new connection.
pub fn decide(save: &str, packet: &Packet) -> Decision {
    match parse_filter(save) {
        Ok(Some(table)) => table.decide(packet),
        Ok(None) => Decision::new(Verdict::None, None),
        Err(line) => Decision::unknown(line),
    }
}

// ---------------------------------------------------------------------------------------------
// The model

/// The `filter` table: its chains by name.
#[derive(Debug, Default)]
struct Table {
    chains: HashMap<String, Chain>,
}

#[derive(Debug)]
struct Chain {
    policy: Policy,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Policy {
    /// A user chain (`:name - [0:0]`): its end returns to the caller.
    User,
    Accept,
    Drop,
    /// A built-in chain whose policy is not given, or not ACCEPT or DROP: the line, if any.
    Unknown(Option<String>),
}

/// One `-A` line: what it matches, in the kernel's order, and what it does.
#[derive(Debug)]
struct Rule {
    matches: Vec<Match>,
    target: Target,
    /// The line as written.
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Match {
    Source {
        negate: bool,
        nets: Vec<Net>,
    },
    Destination {
        negate: bool,
        nets: Vec<Net>,
    },
    InInterface {
        negate: bool,
        name: String,
    },
    OutInterface {
        negate: bool,
        name: String,
    },
    /// An IP protocol number; 0 is `all`. Also what `-m tcp`, `-m udp`, `-m icmp` require.
    Protocol {
        negate: bool,
        number: u8,
    },
    /// `-f`: second and further fragments.
    Fragment {
        negate: bool,
    },
    Port {
        negate: bool,
        field: PortField,
        ranges: Vec<(u16, u16)>,
    },
    /// `--tcp-flags MASK COMP` (`--syn` is `SYN,RST,ACK,FIN SYN`), as bits of `TCP_FLAGS`.
    TcpFlags {
        negate: bool,
        mask: u8,
        comp: u8,
    },
    /// `--ctstate` / `--state`, the list as written.
    State {
        negate: bool,
        states: Vec<String>,
    },
    AddrType {
        negate: bool,
        destination: bool,
        types: Vec<String>,
    },
    AddrRange {
        negate: bool,
        destination: bool,
        from: IpAddr,
        to: IpAddr,
    },
    PktType {
        negate: bool,
        kind: String,
    },
    Always,
    Never,
    /// An understood match whose answer for this packet cannot be known; it has no effect.
    Undecidable,
    /// Not understood: it may do anything, so evaluation cannot go past it.
    Opaque,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortField {
    Destination,
    Source,
    /// `multiport --ports`: either.
    Either,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// No `-j`: the rule only counts.
    Continue,
    /// LOG, NFLOG, ULOG: noted, and evaluation goes on.
    Log,
    Accept,
    Drop,
    Reject,
    Return,
    Jump(String),
    Goto(String),
    Unknown,
}

/// An address and its mask (any mask: iptables takes `255.0.255.0`), IPv4 or IPv6. An IPv4
/// mask uses the low 32 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    mask: u128,
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// The last committed `*filter` table, `None` when the text has none, or the line that stops
/// an answer (text outside any table, a line in `filter` that cannot be placed, a table cut
/// short, iptables-nft's note that it cannot show the table).
fn parse_filter(save: &str) -> Result<Option<Table>, String> {
    enum State {
        Outside,
        Filter(Table, String),
        Other,
    }
    let mut state = State::Outside;
    let mut found = None;
    for raw in save.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            // iptables-nft-save: "# Table `filter' is incompatible, use 'nft' tool."
            if line.contains("filter") && line.contains("incompatible") {
                return Err(line.to_string());
            }
            continue;
        }
        state = match state {
            State::Outside => match line.strip_prefix('*') {
                Some("filter") => State::Filter(Table::default(), line.to_string()),
                Some(_) => State::Other,
                None => return Err(line.to_string()),
            },
            State::Other if line == "COMMIT" => State::Outside,
            State::Other => State::Other,
            State::Filter(table, _) if line == "COMMIT" => {
                found = Some(table);
                State::Outside
            }
            State::Filter(mut table, start) => {
                table.add_line(line)?;
                State::Filter(table, start)
            }
        };
    }
    match state {
        State::Filter(_, start) => Err(format!("{start} (no COMMIT: the text is cut short)")),
        State::Outside | State::Other => Ok(found),
    }
}

const BUILT_IN: [&str; 5] = ["INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"];

impl Table {
    fn chain_mut(&mut self, name: &str) -> &mut Chain {
        self.chains
            .entry(name.to_string())
            .or_insert_with(|| Chain {
                policy: if BUILT_IN.contains(&name) {
                    Policy::Unknown(None)
                } else {
                    Policy::User
                },
                rules: Vec::new(),
            })
    }

    fn set_policy(&mut self, name: &str, policy: &str, line: &str) {
        let policy = match policy {
            "-" if !BUILT_IN.contains(&name) => Policy::User,
            "ACCEPT" => Policy::Accept,
            "DROP" => Policy::Drop,
            _ => Policy::Unknown(Some(line.to_string())),
        };
        self.chain_mut(name).policy = policy;
    }

    /// One line inside `*filter`: a chain, a policy or a rule.
    fn add_line(&mut self, line: &str) -> Result<(), String> {
        if let Some(declaration) = line.strip_prefix(':') {
            // `:NAME POLICY [packets:bytes]`
            let mut words = declaration.split_whitespace();
            return match (words.next(), words.next()) {
                (Some(name), Some(policy)) => {
                    self.set_policy(name, policy, line);
                    Ok(())
                }
                _ => Err(line.to_string()),
            };
        }
        // `iptables-save -c` puts the counters first: `[0:0] -A INPUT …`.
        let text = match line.strip_prefix('[').and_then(|rest| rest.split_once(']')) {
            Some((_, rest)) => rest.trim_start(),
            None => line,
        };
        let mut words = text.split_whitespace();
        match (words.next(), words.next(), words.next(), words.next()) {
            (Some("-A" | "--append"), Some(chain), _, _) => {
                let rule = Rule::parse(text);
                self.chain_mut(chain).rules.push(rule);
            }
            (Some("-I" | "--insert"), Some(chain), position, _) => {
                let rule = Rule::parse(text);
                let rules = &mut self.chain_mut(chain).rules;
                let at = position
                    .and_then(|p| p.parse::<usize>().ok())
                    .map_or(0, |p| p.saturating_sub(1))
                    .min(rules.len());
                rules.insert(at, rule);
            }
            (Some("-N" | "--new-chain"), Some(chain), None, _) => {
                self.chain_mut(chain);
            }
            (Some("-P" | "--policy"), Some(chain), Some(policy), None) => {
                self.set_policy(chain, policy, text);
            }
            _ => return Err(line.to_string()),
        }
        Ok(())
    }
}

/// A word of a rule line, after iptables-restore's quoting: `"…"` holds spaces, and `\`
/// escapes the next character inside it.
#[derive(Debug, PartialEq, Eq)]
struct Word {
    text: String,
    /// Quoted words are always values, even when they start with `-`.
    quoted: bool,
}

fn split_words(line: &str) -> Option<Vec<Word>> {
    let mut words = Vec::new();
    let mut current: Option<Word> = None;
    let mut chars = line.chars();
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            let word = current.get_or_insert(Word {
                text: String::new(),
                quoted: true,
            });
            match c {
                '"' => in_quotes = false,
                '\\' => word.text.push(chars.next()?),
                _ => word.text.push(c),
            }
        } else if c.is_whitespace() {
            words.extend(current.take());
        } else {
            let word = current.get_or_insert(Word {
                text: String::new(),
                quoted: false,
            });
            if c == '"' {
                in_quotes = true;
                word.quoted = true;
            } else {
                word.text.push(c);
            }
        }
    }
    if in_quotes {
        return None;
    }
    words.extend(current);
    Some(words)
}

/// An option of a rule line with its `!` and its values: `! --dport 22`.
#[derive(Debug)]
struct Opt {
    negate: bool,
    name: String,
    values: Vec<String>,
}

impl Opt {
    fn value(&self) -> Option<&str> {
        match self.values.as_slice() {
            [value] => Some(value),
            _ => None,
        }
    }
}

fn is_option_name(word: &Word) -> bool {
    let mut chars = word.text.chars();
    !word.quoted && chars.next() == Some('-') && chars.next().is_some_and(|c| !c.is_ascii_digit())
}

/// Groups the words after `-A CHAIN` into options; `None` for a stray value or `!`.
fn options(words: &[Word]) -> Option<Vec<Opt>> {
    let mut opts: Vec<Opt> = Vec::new();
    let mut negate = false;
    for word in words {
        if !word.quoted && word.text == "!" {
            if negate {
                return None;
            }
            negate = true;
        } else if is_option_name(word) {
            opts.push(Opt {
                negate,
                name: word.text.clone(),
                values: Vec::new(),
            });
            negate = false;
        } else {
            match opts.last_mut() {
                Some(opt) if !negate => opt.values.push(word.text.clone()),
                _ => return None,
            }
        }
    }
    (!negate).then_some(opts)
}

/// A `-m` module (or the protocol's, loaded by an option such as `--dport` before any `-m`)
/// with its options.
struct Module {
    name: String,
    opts: Vec<Opt>,
}

impl Rule {
    fn parse(text: &str) -> Rule {
        let text = text.to_string();
        let opaque = |text: String| Rule {
            matches: vec![Match::Opaque],
            target: Target::Unknown,
            text,
        };
        let Some(words) = split_words(&text) else {
            return opaque(text);
        };
        // The first two words are `-A CHAIN` (`-I CHAIN [N]`).
        let mut skip = 2;
        if words
            .first()
            .is_some_and(|w| w.text == "-I" || w.text == "--insert")
            && words
                .get(2)
                .is_some_and(|w| w.text.parse::<usize>().is_ok())
        {
            skip = 3;
        }
        let Some(opts) = words.get(skip..).and_then(options) else {
            return opaque(text);
        };
        let mut base = Vec::new();
        let mut modules: Vec<Module> = Vec::new();
        let mut protocol: Option<(bool, u8)> = None;
        let mut target: Option<(String, bool)> = None; // name, goto
        let mut target_opts: Vec<Opt> = Vec::new();
        // Whether `--options` go to the last module (false: to the target).
        let mut to_module = false;
        for opt in opts {
            let negate = opt.negate;
            match opt.name.as_str() {
                "-s" | "--source" | "--src" => base.push(addresses(&opt, false)),
                "-d" | "--destination" | "--dst" => base.push(addresses(&opt, true)),
                "-i" | "--in-interface" | "-o" | "--out-interface" => {
                    let Some(name) = opt.value() else {
                        return opaque(text);
                    };
                    let name = name.to_string();
                    base.push(if matches!(opt.name.as_str(), "-i" | "--in-interface") {
                        Match::InInterface { negate, name }
                    } else {
                        Match::OutInterface { negate, name }
                    });
                }
                "-p" | "--protocol" => match opt.value().and_then(protocol_number) {
                    Some(number) => {
                        protocol = Some((negate, number));
                        base.push(Match::Protocol { negate, number });
                    }
                    None => base.push(Match::Undecidable),
                },
                "-f" | "--fragment" if opt.values.is_empty() => {
                    base.push(Match::Fragment { negate })
                }
                "-m" | "--match" => match opt.value() {
                    Some(name) if !negate => {
                        modules.push(Module {
                            name: name.to_string(),
                            opts: Vec::new(),
                        });
                        to_module = true;
                    }
                    _ => return opaque(text),
                },
                "-j" | "--jump" | "-g" | "--goto" => match opt.value() {
                    Some(name) if !negate && target.is_none() => {
                        let goto = matches!(opt.name.as_str(), "-g" | "--goto");
                        target = Some((name.to_string(), goto));
                        to_module = false;
                    }
                    _ => return opaque(text),
                },
                "-c" | "--set-counters" => {}
                name if name.starts_with("--") => {
                    if target.is_some() && !to_module {
                        target_opts.push(opt);
                    } else if let Some(module) = modules.last_mut().filter(|_| to_module) {
                        module.opts.push(opt);
                    } else {
                        // `-p tcp --dport 22`: iptables loads the protocol's module.
                        let Some(name) = protocol.and_then(|(negate, number)| {
                            implicit_module(number).filter(|_| !negate)
                        }) else {
                            return opaque(text);
                        };
                        modules.push(Module {
                            name: name.to_string(),
                            opts: vec![opt],
                        });
                        to_module = true;
                    }
                }
                _ => return opaque(text),
            }
        }
        let mut matches = base;
        for module in &modules {
            module_matches(module, &mut matches);
        }
        let target = match target {
            None => Target::Continue,
            Some((name, goto)) => target_of(&name, goto, &target_opts),
        };
        Rule {
            matches,
            target,
            text,
        }
    }
}

fn addresses(opt: &Opt, destination: bool) -> Match {
    let negate = opt.negate;
    let nets = opt
        .value()
        .and_then(|v| v.split(',').map(parse_net).collect::<Option<Vec<_>>>());
    match nets {
        Some(nets) if destination => Match::Destination { negate, nets },
        Some(nets) => Match::Source { negate, nets },
        None => Match::Undecidable,
    }
}

fn parse_net(text: &str) -> Option<Net> {
    let (addr, mask) = match text.split_once('/') {
        Some((addr, mask)) => (addr, Some(mask)),
        None => (text, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let width = if addr.is_ipv4() { 32 } else { 128 };
    let all = u128::MAX >> (128 - width);
    let mask = match mask {
        None => all,
        Some(m) if m.bytes().all(|b| b.is_ascii_digit()) => {
            let prefix = m.parse::<u32>().ok().filter(|p| *p <= width)?;
            all ^ all.checked_shr(prefix).unwrap_or(0)
        }
        Some(m) => {
            let m: IpAddr = m.parse().ok()?;
            (m.is_ipv4() == addr.is_ipv4()).then(|| bits(m))?
        }
    };
    Some(Net { addr, mask })
}

fn bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u32::from(v4).into(),
        IpAddr::V6(v6) => v6.into(),
    }
}

fn protocol_number(name: &str) -> Option<u8> {
    if let Ok(number) = name.parse::<u8>() {
        return Some(number);
    }
    let number = match name.to_ascii_lowercase().as_str() {
        "all" => 0,
        "icmp" => 1,
        "igmp" => 2,
        "tcp" => 6,
        "udp" => 17,
        "ipv6" => 41,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "ipv6-icmp" | "icmpv6" | "icmp6" => 58,
        "sctp" => 132,
        "mh" | "ipv6-mh" => 135,
        "udplite" => 136,
        _ => return None,
    };
    Some(number)
}

fn implicit_module(protocol: u8) -> Option<&'static str> {
    match protocol {
        1 => Some("icmp"),
        6 => Some("tcp"),
        17 => Some("udp"),
        58 => Some("icmp6"),
        _ => None,
    }
}

/// `22`, `5000:5010`, `1024:` and `:1023`, comma-separated.
fn port_ranges(list: &str) -> Option<Vec<(u16, u16)>> {
    let port = |text: &str, empty: u16| {
        if text.is_empty() {
            Some(empty)
        } else {
            text.parse().ok()
        }
    };
    list.split(',')
        .map(|item| {
            let (from, to) = match item.split_once(':') {
                Some((from, to)) => (port(from, 0)?, port(to, u16::MAX)?),
                None => (item.parse().ok()?, item.parse().ok()?),
            };
            (from <= to).then_some((from, to))
        })
        .collect()
}

/// The TCP flags by iptables' names; a SYN opening a connection has only SYN of the first six.
const TCP_FLAGS: [(&str, u8); 8] = [
    ("FIN", 0x01),
    ("SYN", 0x02),
    ("RST", 0x04),
    ("PSH", 0x08),
    ("ACK", 0x10),
    ("URG", 0x20),
    ("ECE", 0x40),
    ("CWR", 0x80),
];

fn tcp_flags(list: &str) -> Option<u8> {
    match list {
        "ALL" => Some(0xff),
        "NONE" => Some(0),
        _ => list.split(',').try_fold(0u8, |bits, name| {
            let (_, bit) = TCP_FLAGS.iter().find(|(n, _)| *n == name)?;
            Some(bits | bit)
        }),
    }
}

fn module_matches(module: &Module, matches: &mut Vec<Match>) {
    let name = module.name.as_str();
    // These modules read a header of their protocol: they never match another.
    let requires = |number| Match::Protocol {
        negate: false,
        number,
    };
    match name {
        "tcp" => matches.push(requires(6)),
        "udp" => matches.push(requires(17)),
        "icmp" => matches.push(requires(1)),
        "icmp6" => matches.push(requires(58)),
        "rt" => matches.push(Match::Never),
        "multiport" | "conntrack" | "state" | "addrtype" | "iprange" | "pkttype" | "comment"
        | "limit" => {}
        _ => {
            matches.push(Match::Opaque);
            return;
        }
    }
    for opt in &module.opts {
        let negate = opt.negate;
        let value = opt.value();
        let found = match (name, opt.name.as_str()) {
            ("tcp" | "udp", "--dport" | "--destination-port")
            | ("multiport", "--dports" | "--destination-ports") => {
                value.and_then(port_ranges).map(|ranges| Match::Port {
                    negate,
                    field: PortField::Destination,
                    ranges,
                })
            }
            ("tcp" | "udp", "--sport" | "--source-port")
            | ("multiport", "--sports" | "--source-ports") => {
                value.and_then(port_ranges).map(|ranges| Match::Port {
                    negate,
                    field: PortField::Source,
                    ranges,
                })
            }
            ("multiport", "--ports") => value.and_then(port_ranges).map(|ranges| Match::Port {
                negate,
                field: PortField::Either,
                ranges,
            }),
            ("tcp", "--syn") if opt.values.is_empty() => Some(Match::TcpFlags {
                negate,
                mask: 0x17,
                comp: 0x02,
            }),
            ("tcp", "--tcp-flags") => match opt.values.as_slice() {
                [mask, comp] => tcp_flags(mask)
                    .zip(tcp_flags(comp))
                    .map(|(mask, comp)| Match::TcpFlags { negate, mask, comp }),
                _ => None,
            },
            ("icmp", "--icmp-type") | ("icmp6", "--icmpv6-type") | ("rt", _) => Some(Match::Always),
            ("conntrack", "--ctstate") | ("state", "--state") => value.map(|list| Match::State {
                negate,
                states: list.split(',').map(str::to_string).collect(),
            }),
            ("addrtype", "--src-type" | "--dst-type") => value.map(|list| Match::AddrType {
                negate,
                destination: opt.name == "--dst-type",
                types: list.split(',').map(str::to_string).collect(),
            }),
            ("iprange", "--src-range" | "--dst-range") => value
                .and_then(|range| range.split_once('-'))
                .and_then(|(from, to)| Some((from.parse().ok()?, to.parse().ok()?)))
                .map(|(from, to)| Match::AddrRange {
                    negate,
                    destination: opt.name == "--dst-range",
                    from,
                    to,
                }),
            ("pkttype", "--pkt-type") => value.map(|kind| Match::PktType {
                negate,
                kind: kind.to_ascii_lowercase(),
            }),
            ("comment", "--comment") | ("limit", "--limit" | "--limit-burst") => {
                value.map(|_| Match::Always)
            }
            _ => None,
        };
        // An option of an understood module that is not understood itself, or a value
        // that does not parse, still has no effect of its own.
        matches.push(found.unwrap_or(Match::Undecidable));
    }
}

fn target_of(name: &str, goto: bool, opts: &[Opt]) -> Target {
    const LOG_OPTIONS: [&str; 12] = [
        "--log-level",
        "--log-prefix",
        "--log-tcp-sequence",
        "--log-tcp-options",
        "--log-ip-options",
        "--log-uid",
        "--log-macdecode",
        "--nflog-group",
        "--nflog-prefix",
        "--nflog-range",
        "--nflog-size",
        "--nflog-threshold",
    ];
    if goto {
        return if opts.is_empty() {
            Target::Goto(name.to_string())
        } else {
            Target::Unknown
        };
    }
    match name {
        "ACCEPT" | "DROP" | "RETURN" if !opts.is_empty() => Target::Unknown,
        "ACCEPT" => Target::Accept,
        "DROP" => Target::Drop,
        "RETURN" => Target::Return,
        "REJECT" => match opts {
            [] => Target::Reject,
            [opt] if opt.name == "--reject-with" && !opt.negate && opt.value().is_some() => {
                Target::Reject
            }
            _ => Target::Unknown,
        },
        "LOG" | "NFLOG" | "ULOG" => {
            if opts
                .iter()
                .all(|o| !o.negate && LOG_OPTIONS.contains(&o.name.as_str()))
            {
                Target::Log
            } else {
                Target::Unknown
            }
        }
        _ if opts.is_empty() => Target::Jump(name.to_string()),
        _ => Target::Unknown,
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// A match's answer for one packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    Yes,
    No,
    /// Cannot be known, and has no effect.
    Maybe,
    /// Not understood: evaluation cannot go past it.
    Opaque,
}

impl Truth {
    fn from(yes: bool, negate: bool) -> Truth {
        if yes != negate {
            Truth::Yes
        } else {
            Truth::No
        }
    }
}

fn proto_number(proto: Proto) -> u8 {
    match proto {
        Proto::Tcp => 6,
        Proto::Udp => 17,
    }
}

fn interface_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('+') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    }
}

/// `None` when the families differ.
fn net_contains(net: &Net, ip: IpAddr) -> Option<bool> {
    (net.addr.is_ipv4() == ip.is_ipv4()).then(|| bits(ip) & net.mask == bits(net.addr) & net.mask)
}

/// A source match: the phone may be any address of the arriving network, so a network that
/// covers only part of it cannot be told.
fn sources_contain(nets: &[Net], packet: &Packet, negate: bool) -> Truth {
    let mut some = false;
    for net in nets {
        let width = if net.addr.is_ipv4() { 32 } else { 128 };
        let len = net.mask.count_ones();
        let contiguous =
            len == 0 || len >= width || net.mask >> (width - len) == (1u128 << len) - 1;
        let judged = if net.addr.is_ipv4() != packet.saddr.is_ipv4() {
            // The other family's rule text: not this packet's table at all.
            None
        } else if contiguous {
            super::source_in(packet.saddr, packet.source_prefix, net.addr, len as u8)
        } else {
            // A mask with holes (255.0.255.0): only a single-address source is told.
            net_contains(net, packet.saddr).filter(|_| u32::from(packet.source_prefix) >= width)
        };
        match judged {
            Some(true) => return Truth::from(true, negate),
            Some(false) => {}
            None => some = true,
        }
    }
    if some {
        Truth::Maybe
    } else {
        Truth::from(false, negate)
    }
}

fn nets_contain(nets: &[Net], ip: IpAddr, negate: bool) -> Truth {
    let mut unknown = false;
    for net in nets {
        match net_contains(net, ip) {
            Some(true) => return Truth::from(true, negate),
            Some(false) => {}
            None => unknown = true,
        }
    }
    if unknown {
        Truth::Maybe
    } else {
        Truth::from(false, negate)
    }
}

fn is_broadcast(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V4(v4) if v4.is_broadcast())
}

/// The kernel's route type of an address: this machine's own address (`LOCAL`) for the
/// destination, another device's (`UNICAST`) for the source.
fn addr_type(ip: IpAddr, own: bool) -> &'static str {
    if ip.is_multicast() {
        "MULTICAST"
    } else if is_broadcast(ip) {
        "BROADCAST"
    } else if own {
        "LOCAL"
    } else {
        "UNICAST"
    }
}

const ADDR_TYPES: [&str; 12] = [
    "UNSPEC",
    "UNICAST",
    "LOCAL",
    "BROADCAST",
    "ANYCAST",
    "MULTICAST",
    "BLACKHOLE",
    "UNREACHABLE",
    "PROHIBIT",
    "THROW",
    "NAT",
    "XRESOLVE",
];

fn address_in_range(ip: IpAddr, from: IpAddr, to: IpAddr) -> Option<bool> {
    match (ip, from, to) {
        (IpAddr::V4(ip), IpAddr::V4(from), IpAddr::V4(to)) => Some(from <= ip && ip <= to),
        (IpAddr::V6(ip), IpAddr::V6(from), IpAddr::V6(to)) => Some(from <= ip && ip <= to),
        _ => None,
    }
}

impl Match {
    fn eval(&self, packet: &Packet) -> Truth {
        match self {
            Match::Source { negate, nets } => sources_contain(nets, packet, *negate),
            Match::Destination { negate, nets } => nets_contain(nets, packet.daddr, *negate),
            Match::InInterface { negate, name } => {
                Truth::from(interface_matches(name, packet.iifname), *negate)
            }
            // On the input path there is no output interface.
            Match::OutInterface { negate, name } => {
                Truth::from(interface_matches(name, ""), *negate)
            }
            Match::Protocol { negate, number } => Truth::from(
                *number == 0 || *number == proto_number(packet.proto),
                *negate,
            ),
            // A new connection's first packet is not a later fragment.
            Match::Fragment { negate } => Truth::from(false, *negate),
            Match::Port {
                negate,
                field,
                ranges,
            } => {
                let has = |port: u16| {
                    ranges
                        .iter()
                        .any(|(from, to)| (*from..=*to).contains(&port))
                };
                let everything = ranges.contains(&(0, u16::MAX));
                match field {
                    PortField::Destination => Truth::from(has(packet.dport), *negate),
                    _ if everything || (*field == PortField::Either && has(packet.dport)) => {
                        Truth::from(true, *negate)
                    }
                    // The other device's source port is its own choice.
                    _ => Truth::Maybe,
                }
            }
            Match::TcpFlags { negate, mask, comp } => {
                if packet.proto != Proto::Tcp {
                    Truth::No
                } else if mask & 0xc0 != 0 {
                    // ECE and CWR are set on a SYN that offers ECN, which depends on the device.
                    Truth::Maybe
                } else {
                    Truth::from((0x02 & mask) == *comp, *negate)
                }
            }
            Match::State { negate, states } => {
                let has = |s: &str| states.iter().any(|state| state.eq_ignore_ascii_case(s));
                if has("NEW") {
                    Truth::from(true, *negate)
                } else if states.iter().all(|state| {
                    ["ESTABLISHED", "RELATED", "INVALID", "UNTRACKED"]
                        .iter()
                        .any(|known| state.eq_ignore_ascii_case(known))
                }) {
                    Truth::from(false, *negate)
                } else {
                    // SNAT and DNAT depend on the nat table, and other words are not known.
                    Truth::Maybe
                }
            }
            Match::AddrType {
                negate,
                destination,
                types,
            } => {
                if !types.iter().all(|t| ADDR_TYPES.contains(&t.as_str())) {
                    return Truth::Maybe;
                }
                let actual = if *destination {
                    addr_type(packet.daddr, true)
                } else {
                    addr_type(packet.saddr, false)
                };
                Truth::from(types.iter().any(|t| t == actual), *negate)
            }
            Match::AddrRange {
                negate,
                destination,
                from,
                to,
            } => {
                let ip = if *destination {
                    packet.daddr
                } else {
                    packet.saddr
                };
                // A source may be any address of its network: only a single one is told.
                let whole = u32::from(packet.source_prefix) >= if ip.is_ipv4() { 32 } else { 128 };
                if !*destination && !whole {
                    return Truth::Maybe;
                }
                match address_in_range(ip, *from, *to) {
                    Some(inside) => Truth::from(inside, *negate),
                    None => Truth::Maybe,
                }
            }
            Match::PktType { negate, kind } => {
                let actual = if packet.daddr.is_multicast() {
                    "multicast"
                } else if is_broadcast(packet.daddr) {
                    "broadcast"
                } else {
                    "unicast"
                };
                match kind.as_str() {
                    "unicast" | "broadcast" | "multicast" | "host" | "otherhost" => Truth::from(
                        kind == actual || (kind == "host" && actual == "unicast"),
                        *negate,
                    ),
                    _ => Truth::Maybe,
                }
            }
            Match::Always => Truth::Yes,
            Match::Never => Truth::No,
            Match::Undecidable => Truth::Maybe,
            Match::Opaque => Truth::Opaque,
        }
    }
}

impl Rule {
    /// In order: a definite mismatch rules the line out, unless an opaque match comes first.
    fn matches(&self, packet: &Packet) -> Truth {
        let mut maybe = false;
        for m in &self.matches {
            match m.eval(packet) {
                Truth::Yes => {}
                Truth::No => return Truth::No,
                Truth::Maybe => maybe = true,
                Truth::Opaque => return Truth::Opaque,
            }
        }
        if maybe {
            Truth::Maybe
        } else {
            Truth::Yes
        }
    }
}

/// How a chain ends for the packet.
enum Flow {
    Decided(Decision),
    /// RETURN, or the end of the chain: back to the caller (INPUT's policy at the top).
    Return,
}

impl Table {
    /// INPUT's verdict for a new connection.
    fn decide(&self, packet: &Packet) -> Decision {
        let input = self.chains.get("INPUT");
        let policy = input.map_or(Policy::Unknown(None), |chain| chain.policy.clone());
        if policy == Policy::Accept && self.chains.values().all(|chain| chain.rules.is_empty()) {
            return Decision::new(Verdict::None, None);
        }
        if let Some(Flow::Decided(decision)) = input.map(|chain| self.run(chain, packet, 0)) {
            return decision;
        }
        match policy {
            Policy::Accept => Decision::new(Verdict::Accept, Some("policy ACCEPT".into())),
            Policy::Drop => Decision::new(Verdict::Drop, Some("policy DROP".into())),
            Policy::Unknown(Some(line)) => Decision::unknown(line),
            Policy::Unknown(None) | Policy::User => {
                Decision::unknown("*filter without a policy for INPUT (:INPUT …)")
            }
        }
    }

    fn run(&self, chain: &Chain, packet: &Packet, depth: usize) -> Flow {
        let decided =
            |verdict, rule: &Rule| Flow::Decided(Decision::new(verdict, Some(rule.text.clone())));
        let unknown = |rule: &Rule| Flow::Decided(Decision::unknown(rule.text.clone()));
        for rule in &chain.rules {
            let goes_on = matches!(rule.target, Target::Continue | Target::Log);
            match rule.matches(packet) {
                Truth::No => continue,
                Truth::Maybe if goes_on => continue,
                Truth::Maybe | Truth::Opaque => return unknown(rule),
                Truth::Yes => {}
            }
            match &rule.target {
                Target::Continue | Target::Log => {}
                Target::Accept => return decided(Verdict::Accept, rule),
                Target::Drop => return decided(Verdict::Drop, rule),
                Target::Reject => return decided(Verdict::Reject, rule),
                Target::Return => return Flow::Return,
                Target::Jump(name) | Target::Goto(name) => {
                    let callee = self.chains.get(name).filter(|c| c.policy == Policy::User);
                    let Some(callee) = callee.filter(|_| depth < MAX_DEPTH) else {
                        return unknown(rule);
                    };
                    match self.run(callee, packet, depth + 1) {
                        Flow::Decided(decision) => return Flow::Decided(decision),
                        // A goto does not come back here: this chain returns too.
                        Flow::Return if matches!(rule.target, Target::Goto(_)) => {
                            return Flow::Return
                        }
                        Flow::Return => {}
                    }
                }
                Target::Unknown => return unknown(rule),
            }
        }
        Flow::Return
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    /// A real ufw 0.36.2 ruleset (Debian 12, iptables 1.8.9 legacy; iptables-nft printed the
    /// same lines): `ufw default deny incoming`, `ufw allow 22/tcp`,
    /// `ufw allow from 10.203.0.0/16 to any port 5000 proto tcp`, `ufw enable`, run in a
    /// private mount and network namespace, then `iptables-save` and `ip6tables-save`.
    const UFW_V4: &str = include_str!("fixtures/ufw-iptables-save.txt");
    const UFW_V6: &str = include_str!("fixtures/ufw-ip6tables-save.txt");

    const LAPTOP: &str = "192.168.1.10";

    fn packet(
        proto: Proto,
        saddr: &str,
        daddr: &str,
        dport: u16,
        iifname: &'static str,
    ) -> Packet<'static> {
        Packet {
            proto,
            saddr: saddr.parse().expect("a test address"),
            source_prefix: 128,
            daddr: daddr.parse().expect("a test address"),
            dport,
            iifname,
            program: None,
        }
    }

    fn tcp(saddr: &str, dport: u16) -> Packet<'static> {
        packet(Proto::Tcp, saddr, LAPTOP, dport, "wlp2s0")
    }

    fn udp(saddr: &str, dport: u16) -> Packet<'static> {
        packet(Proto::Udp, saddr, LAPTOP, dport, "wlp2s0")
    }

    /// A `*filter` table with INPUT's policy and these lines, as iptables-save lays it out.
    fn filter(policy: &str, lines: &str) -> String {
        format!(
            "# Generated by iptables-save v1.8.9 on Tue Dec  1 10:53:41 2026\n*filter\n\
             :INPUT {policy} [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n{lines}\nCOMMIT\n\
             # Completed on Tue Dec  1 10:53:41 2026\n"
        )
    }

    fn by(verdict: Verdict, rule: &str) -> Decision {
        Decision::new(verdict, Some(rule.to_string()))
    }

    fn accept(rule: &str) -> Decision {
        by(Verdict::Accept, rule)
    }

    fn drop(rule: &str) -> Decision {
        by(Verdict::Drop, rule)
    }

    fn unknown(rule: &str) -> Decision {
        by(Verdict::Unknown, rule)
    }

    fn none() -> Decision {
        Decision::new(Verdict::None, None)
    }

    #[test]
    fn no_filter_table_or_an_empty_one_is_no_firewall() {
        let p = tcp("192.168.1.20", 5000);
        assert_eq!(decide("", &p), none());
        assert_eq!(
            decide("# Warning: iptables-legacy tables present\n\n", &p),
            none()
        );
        let nat_only = "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n\
                        -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080\nCOMMIT\n";
        assert_eq!(decide(nat_only, &p), none());
        assert_eq!(decide(&filter("ACCEPT", ""), &p), none());
        // A rule elsewhere in the table: a firewall is set up, and INPUT's policy lets it in.
        let output_rule = filter("ACCEPT", "-A OUTPUT -p tcp -m tcp --dport 25 -j REJECT");
        assert_eq!(decide(&output_rule, &p), accept("policy ACCEPT"));
        // No rule, and a policy that drops.
        assert_eq!(decide(&filter("DROP", ""), &p), drop("policy DROP"));
    }

    #[test]
    fn policy_drop_with_an_accept_rule() {
        let save = filter("DROP", "-A INPUT -p tcp -m tcp --dport 5000 -j ACCEPT");
        let rule = "-A INPUT -p tcp -m tcp --dport 5000 -j ACCEPT";
        assert_eq!(decide(&save, &tcp("192.168.1.20", 5000)), accept(rule));
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5001)),
            drop("policy DROP")
        );
        assert_eq!(
            decide(&save, &udp("192.168.1.20", 5000)),
            drop("policy DROP")
        );
        // Without `-m tcp` iptables loads the protocol's module itself; numbers name protocols.
        let implicit = filter("DROP", "-A INPUT -p 6 --dport 5000 -j ACCEPT");
        assert_eq!(
            decide(&implicit, &tcp("192.168.1.20", 5000)),
            accept("-A INPUT -p 6 --dport 5000 -j ACCEPT")
        );
        assert_eq!(
            decide(&implicit, &udp("192.168.1.20", 5000)),
            drop("policy DROP")
        );
    }

    #[test]
    fn accept_by_source_prefix() {
        let rule = "-A INPUT -s 10.203.0.0/16 -p tcp -m tcp --dport 5000 -j ACCEPT";
        let save = filter("DROP", rule);
        assert_eq!(decide(&save, &tcp("10.203.7.9", 5000)), accept(rule));
        assert_eq!(decide(&save, &tcp("10.204.0.1", 5000)), drop("policy DROP"));
        // A dotted mask, and `!`.
        let dotted = "-A INPUT -s 192.168.0.0/255.255.0.0 -j ACCEPT";
        let save = filter(
            "DROP",
            &format!("-A INPUT ! -s 192.168.1.0/24 -j DROP\n{dotted}"),
        );
        assert_eq!(decide(&save, &tcp("192.168.1.20", 5000)), accept(dotted));
        assert_eq!(
            decide(&save, &tcp("192.168.2.20", 5000)),
            drop("-A INPUT ! -s 192.168.1.0/24 -j DROP")
        );
        // By destination: the laptop's address.
        let save = filter("DROP", "-A INPUT -d 192.168.1.10/32 -j ACCEPT");
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            accept("-A INPUT -d 192.168.1.10/32 -j ACCEPT")
        );
        assert_eq!(
            decide(
                &save,
                &packet(Proto::Tcp, "192.168.1.20", "192.168.1.11", 5000, "eth0")
            ),
            drop("policy DROP")
        );
    }

    #[test]
    fn accept_by_input_interface() {
        let rule = "-A INPUT -i wlp+ -j ACCEPT";
        let save = filter("DROP", &format!("-A INPUT -i wlp -j REJECT\n{rule}"));
        let on = |iif| packet(Proto::Tcp, "192.168.1.20", LAPTOP, 5000, iif);
        assert_eq!(decide(&save, &on("wlp2s0")), accept(rule));
        assert_eq!(decide(&save, &on("eth0")), drop("policy DROP"));
        assert_eq!(
            decide(&save, &on("wlp")),
            by(Verdict::Reject, "-A INPUT -i wlp -j REJECT")
        );
        let negated = filter(
            "ACCEPT",
            "-A INPUT ! -i eth0 -p tcp -m tcp --dport 5000 -j DROP",
        );
        assert_eq!(
            decide(&negated, &on("wlp2s0")),
            drop("-A INPUT ! -i eth0 -p tcp -m tcp --dport 5000 -j DROP")
        );
        assert_eq!(decide(&negated, &on("eth0")), accept("policy ACCEPT"));
        // INPUT has no output interface.
        let out = filter("ACCEPT", "-A INPUT -o eth0 -j DROP");
        assert_eq!(decide(&out, &on("eth0")), accept("policy ACCEPT"));
    }

    #[test]
    fn multiport_sets_and_ranges() {
        let rule = "-A INPUT -p tcp -m multiport --dports 80,443,5000:5010 -j ACCEPT";
        let save = filter("DROP", rule);
        for port in [80, 443, 5000, 5005, 5010] {
            assert_eq!(
                decide(&save, &tcp("192.168.1.20", port)),
                accept(rule),
                "port {port}"
            );
        }
        for port in [81, 4999, 5011] {
            assert_eq!(
                decide(&save, &tcp("192.168.1.20", port)),
                drop("policy DROP"),
                "port {port}"
            );
        }
        let range = "-A INPUT -p udp -m udp --dport 60000:61000 -j ACCEPT";
        let save = filter("DROP", range);
        assert_eq!(decide(&save, &udp("192.168.1.20", 60001)), accept(range));
        assert_eq!(
            decide(&save, &udp("192.168.1.20", 61001)),
            drop("policy DROP")
        );
        // `--ports` is either port: the destination decides when it is in the list.
        let either = "-A INPUT -p tcp -m multiport --ports 22,5000 -j ACCEPT";
        let save = filter("DROP", either);
        assert_eq!(decide(&save, &tcp("192.168.1.20", 5000)), accept(either));
        assert_eq!(decide(&save, &tcp("192.168.1.20", 8000)), unknown(either));
    }

    #[test]
    fn reject_with_tcp_reset() {
        let rule = "-A INPUT -p tcp -m tcp --dport 5000 -j REJECT --reject-with tcp-reset";
        let save = filter("ACCEPT", rule);
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            by(Verdict::Reject, rule)
        );
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5001)),
            accept("policy ACCEPT")
        );
    }

    #[test]
    fn user_chain_with_return() {
        let save = filter(
            "ACCEPT",
            ":lan - [0:0]\n\
             -A INPUT -j lan\n\
             -A INPUT -p tcp -m tcp --dport 5000 -j DROP\n\
             -A lan -s 10.0.0.0/8 -j RETURN\n\
             -A lan -p tcp -m tcp --dport 5000 -j ACCEPT",
        );
        assert_eq!(
            decide(&save, &tcp("10.1.1.1", 5000)),
            drop("-A INPUT -p tcp -m tcp --dport 5000 -j DROP")
        );
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            accept("-A lan -p tcp -m tcp --dport 5000 -j ACCEPT")
        );
        // The end of a user chain returns too.
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 22)),
            accept("policy ACCEPT")
        );
        // RETURN in INPUT itself: the policy.
        let save = filter(
            "DROP",
            "-A INPUT -s 10.0.0.0/8 -j RETURN\n-A INPUT -j ACCEPT",
        );
        assert_eq!(decide(&save, &tcp("10.1.1.1", 5000)), drop("policy DROP"));
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            accept("-A INPUT -j ACCEPT")
        );
    }

    #[test]
    fn goto_returns_to_the_callers_caller() {
        let save = filter(
            "DROP",
            ":outer - [0:0]\n:web - [0:0]\n\
             -A INPUT -j outer\n\
             -A INPUT -p tcp --dport 5000 -j ACCEPT\n\
             -A outer -g web\n\
             -A outer -j ACCEPT\n\
             -A web -s 10.0.0.0/8 -j RETURN\n\
             -A web -j REJECT",
        );
        // RETURN from web skips the rest of outer: back in INPUT.
        assert_eq!(
            decide(&save, &tcp("10.1.1.1", 5000)),
            accept("-A INPUT -p tcp --dport 5000 -j ACCEPT")
        );
        assert_eq!(decide(&save, &tcp("10.1.1.1", 22)), drop("policy DROP"));
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            by(Verdict::Reject, "-A web -j REJECT")
        );
        // A goto from INPUT: the end of the chain is INPUT's policy.
        let save = filter(
            "DROP",
            ":web - [0:0]\n-A INPUT -g web\n-A INPUT -j ACCEPT\n-A web -p udp -j ACCEPT",
        );
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            drop("policy DROP")
        );
        assert_eq!(
            decide(&save, &udp("192.168.1.20", 5000)),
            accept("-A web -p udp -j ACCEPT")
        );
    }

    #[test]
    fn an_established_rule_does_not_accept_a_new_connection() {
        let new = "-A INPUT -p tcp -m state --state NEW -m tcp --dport 5000 -j ACCEPT";
        let save = filter(
            "DROP",
            &format!(
                "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n\
                 -A INPUT -m conntrack ! --ctstate NEW -j DROP\n\
                 -A INPUT -m conntrack --ctstate INVALID,UNTRACKED -j REJECT\n{new}"
            ),
        );
        assert_eq!(decide(&save, &tcp("192.168.1.20", 22)), drop("policy DROP"));
        assert_eq!(decide(&save, &tcp("192.168.1.20", 5000)), accept(new));
        // DNAT depends on the nat table.
        let dnat = "-A INPUT -m conntrack --ctstate DNAT -j ACCEPT";
        assert_eq!(
            decide(&filter("DROP", dnat), &tcp("192.168.1.20", 22)),
            unknown(dnat)
        );
    }

    #[test]
    fn an_unknown_match_on_the_deciding_path_is_unknown() {
        // `recent` is evaluated before the tcp module, so the later `--dport 22` cannot rule
        // the line out for port 5000.
        let recent =
            "-A INPUT -p tcp -m recent --rcheck --seconds 60 --name ssh -m tcp --dport 22 -j DROP";
        let save = filter("ACCEPT", &format!("{recent}\n-A INPUT -j ACCEPT"));
        assert_eq!(decide(&save, &tcp("192.168.1.20", 5000)), unknown(recent));
        // A target that is not understood.
        let queue = "-A INPUT -p tcp -m tcp --dport 5000 -j NFQUEUE --queue-num 0";
        let save = filter("ACCEPT", queue);
        assert_eq!(decide(&save, &tcp("192.168.1.20", 5000)), unknown(queue));
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 22)),
            accept("policy ACCEPT")
        );
        // What cannot be known of the packet: the other device's source port.
        let sport = "-A INPUT -p udp -m udp --sport 67 --dport 68 -j ACCEPT";
        let save = filter("DROP", sport);
        assert_eq!(decide(&save, &udp("192.168.1.20", 68)), unknown(sport));
        // A jump to a chain that does not exist, and a line cut at an open quote.
        let missing = "-A INPUT -j nowhere";
        assert_eq!(
            decide(&filter("DROP", missing), &tcp("192.168.1.20", 5000)),
            unknown(missing)
        );
        let open = "-A INPUT -m comment --comment \"open -j ACCEPT";
        assert_eq!(
            decide(&filter("DROP", open), &tcp("192.168.1.20", 5000)),
            unknown(open)
        );
        // A SYN's ECE and CWR bits are the device's choice.
        let all = "-A INPUT -p tcp -m tcp --tcp-flags ALL SYN -j ACCEPT";
        assert_eq!(
            decide(&filter("DROP", all), &tcp("192.168.1.20", 5000)),
            unknown(all)
        );
    }

    #[test]
    fn an_unknown_match_that_is_not_reached_does_not_matter() {
        let ssh = "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT";
        let save = filter(
            "DROP",
            &format!(
                ":unused - [0:0]\n\
                 -A INPUT -p udp -m recent --rcheck -j DROP\n\
                 -A INPUT -m conntrack --ctstate ESTABLISHED -m recent --rcheck -j DROP\n\
                 -A INPUT -m foo -p udp -j DROP\n\
                 {ssh}\n\
                 -A INPUT -m hashlimit --hashlimit-above 1/sec -j DROP\n\
                 -A OUTPUT -m owner --uid-owner 0 -j ACCEPT\n\
                 -A unused -j NFQUEUE"
            ),
        );
        assert_eq!(decide(&save, &tcp("192.168.1.20", 22)), accept(ssh));
        // Past the accept, the hashlimit line is reached.
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            unknown("-A INPUT -m hashlimit --hashlimit-above 1/sec -j DROP")
        );
        // A source port that cannot be known, on a line the destination port rules out.
        let save = filter(
            "DROP",
            "-A INPUT -p udp -m udp --sport 67 --dport 68 -j ACCEPT",
        );
        assert_eq!(
            decide(&save, &udp("192.168.1.20", 5000)),
            drop("policy DROP")
        );
        // Whatever it matches, a LOG line goes on.
        let save = filter(
            "DROP",
            "-A INPUT -p tcp -m tcp --sport 1024:2048 -j LOG --log-prefix \"x \"",
        );
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            drop("policy DROP")
        );
    }

    #[test]
    fn the_ufw_ruleset() {
        let from_lan = packet(Proto::Tcp, "10.203.4.5", "10.203.0.1", 5000, "wlp2s0");
        assert_eq!(
            decide(UFW_V4, &from_lan),
            accept("-A ufw-user-input -s 10.203.0.0/16 -p tcp -m tcp --dport 5000 -j ACCEPT")
        );
        let elsewhere = packet(Proto::Tcp, "192.168.1.20", LAPTOP, 5000, "wlp2s0");
        assert_eq!(decide(UFW_V4, &elsewhere), drop("policy DROP"));
        let ssh = packet(Proto::Tcp, "192.168.1.20", LAPTOP, 22, "wlp2s0");
        assert_eq!(
            decide(UFW_V4, &ssh),
            accept("-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT")
        );
        let loopback = packet(Proto::Tcp, "127.0.0.1", "127.0.0.1", 5000, "lo");
        assert_eq!(
            decide(UFW_V4, &loopback),
            accept("-A ufw-before-input -i lo -j ACCEPT")
        );
        // ufw-after-input sends NetBIOS to the policy without logging.
        let netbios = packet(Proto::Udp, "192.168.1.20", LAPTOP, 137, "wlp2s0");
        assert_eq!(
            decide(UFW_V4, &netbios),
            drop("-A ufw-skip-to-policy-input -j DROP")
        );
        // mDNS to its multicast group passes ufw-not-local's `--dst-type MULTICAST -j RETURN`.
        let mdns = packet(Proto::Udp, "192.168.1.20", "224.0.0.251", 5353, "wlp2s0");
        assert_eq!(
            decide(UFW_V4, &mdns),
            accept("-A ufw-before-input -d 224.0.0.251/32 -p udp -m udp --dport 5353 -j ACCEPT")
        );
    }

    #[test]
    fn the_ufw_ruleset_for_ipv6() {
        let ssh = packet(Proto::Tcp, "fe80::1234", "fe80::1", 22, "wlp2s0");
        let rule = "-A ufw6-user-input -p tcp -m tcp --dport 22 -j ACCEPT";
        assert_eq!(decide(UFW_V6, &ssh), accept(rule));
        let ssh = packet(Proto::Tcp, "2001:db8::5", "2001:db8::10", 22, "wlp2s0");
        assert_eq!(decide(UFW_V6, &ssh), accept(rule));
        // The 10.203.0.0/16 rule is IPv4's only.
        let dev = packet(Proto::Tcp, "2001:db8::5", "2001:db8::10", 5000, "wlp2s0");
        assert_eq!(decide(UFW_V6, &dev), drop("policy DROP"));
        let dhcp = packet(Proto::Udp, "2001:db8::5", "2001:db8::10", 546, "wlp2s0");
        assert_eq!(
            decide(UFW_V6, &dhcp),
            drop("-A ufw6-skip-to-policy-input -j DROP")
        );
        // From a link-local address, ufw accepts DHCPv6 replies from port 547: the phone's
        // source port is not known, so neither is the verdict.
        let dhcp = packet(Proto::Udp, "fe80::1234", "fe80::1", 546, "wlp2s0");
        assert_eq!(
            decide(UFW_V6, &dhcp),
            unknown(
                "-A ufw6-before-input -s fe80::/10 -d fe80::/10 -p udp -m udp --sport 547 \
                 --dport 546 -j ACCEPT"
            )
        );
    }

    #[test]
    fn jumps_are_bounded() {
        let save = filter(
            "ACCEPT",
            ":a - [0:0]\n:b - [0:0]\n-A INPUT -j a\n-A a -j b\n-A b -j a",
        );
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            unknown("-A b -j a")
        );
        let save = filter("ACCEPT", ":a - [0:0]\n-A INPUT -j a\n-A a -p tcp -j a");
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            unknown("-A a -p tcp -j a")
        );
        assert_eq!(
            decide(&save, &udp("192.168.1.20", 5000)),
            accept("policy ACCEPT")
        );
        // A jump to INPUT is not a call the kernel allows.
        let save = filter("ACCEPT", ":a - [0:0]\n-A INPUT -j a\n-A a -j INPUT");
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5000)),
            unknown("-A a -j INPUT")
        );
        // Deep but finite is fine.
        let mut lines = String::from("-A INPUT -j c0\n");
        for i in 0..40 {
            lines.push_str(&format!(":c{i} - [0:0]\n-A c{i} -j c{}\n", i + 1));
        }
        lines.push_str(":c40 - [0:0]\n-A c40 -j DROP");
        assert_eq!(
            decide(&filter("ACCEPT", &lines), &tcp("192.168.1.20", 5000)),
            drop("-A c40 -j DROP")
        );
    }

    #[test]
    fn text_that_cannot_be_read_whole_is_unknown() {
        let p = tcp("192.168.1.20", 5000);
        let cut = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j DROP\n";
        assert_eq!(
            decide(cut, &p),
            unknown("*filter (no COMMIT: the text is cut short)")
        );
        assert_eq!(
            decide("iptables-save: permission denied\n", &p),
            unknown("iptables-save: permission denied")
        );
        let nft = "# Table `filter' is incompatible, use 'nft' tool.\n";
        assert_eq!(
            decide(nft, &p),
            unknown("# Table `filter' is incompatible, use 'nft' tool.")
        );
        let stray = filter("ACCEPT", "-Z INPUT");
        assert_eq!(decide(&stray, &p), unknown("-Z INPUT"));
        let policy = filter("QUEUE", "-A INPUT -p udp -j DROP");
        assert_eq!(decide(&policy, &p), unknown(":INPUT QUEUE [0:0]"));
        let no_input = "*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j ACCEPT\nCOMMIT\n";
        assert_eq!(
            decide(no_input, &p),
            unknown("*filter without a policy for INPUT (:INPUT …)")
        );
    }

    #[test]
    fn quoting_counters_and_other_tables() {
        let commented = "-A INPUT -p tcp -m tcp --dport 5000 -m comment --comment \"allow \\\"dev\\\" -j DROP server\" -j ACCEPT";
        let save = format!(
            "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j CT --notrack\nCOMMIT\n\
             *filter\n:INPUT DROP [10:600]\n[3:180] {commented}\nCOMMIT\n\
             *mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MARK --set-mark 1\nCOMMIT\n"
        );
        assert_eq!(decide(&save, &tcp("192.168.1.20", 5000)), accept(commented));
        assert_eq!(
            decide(&save, &tcp("192.168.1.20", 5001)),
            drop("policy DROP")
        );
        assert_eq!(
            split_words("a \"b c\" d\"e f\"g \"\\\\\""),
            Some(vec![
                Word {
                    text: "a".into(),
                    quoted: false
                },
                Word {
                    text: "b c".into(),
                    quoted: true
                },
                Word {
                    text: "de fg".into(),
                    quoted: true
                },
                Word {
                    text: "\\".into(),
                    quoted: true
                },
            ])
        );
        // `-N`, `-P` and `-I` as iptables-restore takes them; the last filter table wins.
        let save = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\nCOMMIT\n\
                    *filter\n-P INPUT DROP\n-N web\n-A INPUT -j web\n-I INPUT -p udp -j ACCEPT\n\
                    -A web -p tcp --dport 5000 -j ACCEPT\nCOMMIT\n";
        assert_eq!(
            decide(save, &tcp("192.168.1.20", 5000)),
            accept("-A web -p tcp --dport 5000 -j ACCEPT")
        );
        assert_eq!(
            decide(save, &udp("192.168.1.20", 9)),
            accept("-I INPUT -p udp -j ACCEPT")
        );
        assert_eq!(decide(save, &tcp("192.168.1.20", 22)), drop("policy DROP"));
    }

    #[test]
    fn tcp_flags_addrtype_limit_and_ranges() {
        let p = tcp("192.168.1.20", 5000);
        for rule in [
            "-A INPUT -p tcp -m tcp --syn -j ACCEPT",
            "-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT",
            "-A INPUT -m addrtype --dst-type LOCAL -j ACCEPT",
            "-A INPUT -m addrtype --src-type UNICAST -j ACCEPT",
            "-A INPUT -m limit --limit 3/min --limit-burst 10 -j ACCEPT",
            "-A INPUT -m iprange --src-range 192.168.1.1-192.168.1.99 -j ACCEPT",
            "-A INPUT -m pkttype --pkt-type unicast -j ACCEPT",
            "-A INPUT -p all -j ACCEPT",
            "-A INPUT ! -f -j ACCEPT",
        ] {
            assert_eq!(decide(&filter("DROP", rule), &p), accept(rule));
        }
        for rule in [
            "-A INPUT -p tcp -m tcp ! --syn -j ACCEPT",
            "-A INPUT -p tcp -m tcp --tcp-flags SYN,ACK SYN,ACK -j ACCEPT",
            "-A INPUT -m addrtype ! --dst-type LOCAL -j ACCEPT",
            "-A INPUT -m addrtype --dst-type BROADCAST -j ACCEPT",
            "-A INPUT -m iprange --src-range 192.168.1.21-192.168.1.99 -j ACCEPT",
            "-A INPUT -m pkttype --pkt-type broadcast -j ACCEPT",
            "-A INPUT -p icmp -j ACCEPT",
            "-A INPUT -f -j ACCEPT",
            "-A INPUT -m rt --rt-type 0 -j ACCEPT",
        ] {
            assert_eq!(
                decide(&filter("DROP", rule), &p),
                drop("policy DROP"),
                "{rule}"
            );
        }
    }

    #[test]
    fn networks_parse_as_iptables_writes_them() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("a test address");
        let inside =
            |net: &str, addr: &str| parse_net(net).and_then(|n| net_contains(&n, ip(addr)));
        assert_eq!(inside("10.203.0.0/16", "10.203.255.1"), Some(true));
        assert_eq!(inside("10.203.0.0/16", "10.204.0.1"), Some(false));
        assert_eq!(inside("10.0.0.0/255.0.0.0", "10.9.9.9"), Some(true));
        assert_eq!(inside("10.0.5.0/255.0.255.0", "10.77.5.1"), Some(true));
        assert_eq!(inside("10.0.5.0/255.0.255.0", "10.77.6.1"), Some(false));
        assert_eq!(inside("0.0.0.0/0", "8.8.8.8"), Some(true));
        assert_eq!(inside("192.168.1.10", "192.168.1.10"), Some(true));
        assert_eq!(inside("fe80::/10", "fe80::1234"), Some(true));
        assert_eq!(inside("fe80::/10", "2001:db8::1"), Some(false));
        assert_eq!(
            inside("2001:db8::/ffff:ffff::", "2001:db8:1::1"),
            Some(true)
        );
        assert_eq!(inside("ff02::fb/128", "ff02::fb"), Some(true));
        assert_eq!(inside("10.0.0.0/8", "fe80::1"), None);
        assert_eq!(parse_net("10.0.0.0/33"), None);
        assert_eq!(parse_net("10.0.0.0/ffff::"), None);
        assert_eq!(parse_net("example.com/24"), None);
        // A family the rule does not have is not known to match.
        let v6_rule = "-A INPUT -s fe80::/10 -j DROP";
        assert_eq!(
            decide(&filter("ACCEPT", v6_rule), &tcp("192.168.1.20", 5000)),
            unknown(v6_rule)
        );
    }

    /// Pieces of real rule lines, and some that are not.
    fn piece() -> impl Strategy<Value = String> {
        const WORDS: &str = "-A -I -N -P INPUT ufw-user-input a b -j -g ACCEPT DROP REJECT RETURN \
            LOG -p tcp udp 6 all -m tcp multiport conntrack state addrtype comment limit recent \
            iprange --dport --dports --sport --ports 5000 1: :9 80,443 5000:4000 --ctstate \
            NEW,ESTABLISHED --dst-type LOCAL --src-range 1.1.1.1-2.2.2.2 --tcp-flags ALL SYN \
            --syn ! -s -d 10.0.0.0/8 fe80::/10 1.2.3.4/255.0.255.0 -i -o wlp+ + lo --comment \
            \"a b\" \" \\ --reject-with tcp-reset -f -c [0:0] :INPUT :a - *filter COMMIT *nat # \
            \u{ef} \u{202e} --pkt-type host";
        let words = prop::sample::select(WORDS.split_whitespace().collect::<Vec<_>>());
        prop_oneof![
            4 => proptest::collection::vec(words, 0..12).prop_map(|w| w.join(" ")),
            1 => any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_text_gives_an_answer_and_never_panics(
            lines in proptest::collection::vec(piece(), 0..30),
            filter_first in any::<bool>(),
            proto in prop::sample::select(vec![Proto::Tcp, Proto::Udp]),
            v6 in any::<bool>(),
            dport in any::<u16>(),
        ) {
            let mut save = String::new();
            if filter_first {
                save.push_str("*filter\n:INPUT DROP [0:0]\n");
            }
            save.push_str(&lines.join("\n"));
            if filter_first {
                save.push_str("\nCOMMIT\n");
            }
            let (saddr, daddr) = if v6 { ("fe80::2", "fe80::1") } else { ("10.1.2.3", "10.1.2.1") };
            let decision = decide(&save, &packet(proto, saddr, daddr, dport, "wlp2s0"));
            prop_assert_eq!(decision.verdict == Verdict::None, decision.rule.is_none());
        }

        #[test]
        fn a_real_ruleset_cut_or_spliced_never_panics(
            cut in 0usize..5000,
            at in 0usize..200,
            line in piece(),
            v6 in any::<bool>(),
        ) {
            let text = if v6 { UFW_V6 } else { UFW_V4 };
            let mut lines: Vec<&str> = text.lines().collect();
            lines.insert(at.min(lines.len()), &line);
            let spliced = lines.join("\n");
            let cut: String = spliced.chars().take(cut).collect();
            let (saddr, daddr) = if v6 { ("fe80::2", "fe80::1") } else { ("10.203.0.2", "10.203.0.1") };
            for save in [spliced.as_str(), cut.as_str()] {
                let decision = decide(save, &packet(Proto::Tcp, saddr, daddr, 5000, "wlp2s0"));
                prop_assert_eq!(decision.verdict == Verdict::None, decision.rule.is_none());
            }
        }
    }
}
