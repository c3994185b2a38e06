//! nftables, from its JSON ruleset (`nft -j list ruleset`, libnftables-json(5)), read with
//! serde_json over the documented schema rather than a typed crate: an expression this module
//! does not know then makes one rule `unknown`, where a typed parse would reject the whole
//! ruleset.
//!
//! The path of a new connection to a local address: every base chain of type `filter` on the
//! `prerouting` hook, then on `input`, across the `inet`, `ip` and `ip6` tables (and `netdev`
//! ingress on the arriving device), each in priority order. `accept` ends one base chain and
//! the packet goes on to the next; `drop` and `reject` end it all. `nat` chains on prerouting
//! are read too: a rule there that redirects the packet makes the answer `unknown`.

use std::cell::Cell;
use std::collections::HashMap;
use std::net::IpAddr;

use serde_json::Value;

use super::{Decision, Packet, Verdict};
use crate::analysis::address::in_prefix;
use crate::model::Proto;

/// How deep jumps may nest before the ruleset is called a loop.
const MAX_DEPTH: usize = 32;

/// What a chain is, by its family, table and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChainId {
    pub family: String,
    pub table: String,
    pub name: String,
}

impl ChainId {
    fn of(object: &Value) -> Option<ChainId> {
        Some(ChainId {
            family: object.get("family")?.as_str()?.to_string(),
            table: object.get("table")?.as_str()?.to_string(),
            name: object
                .get("chain")
                .or_else(|| object.get("name"))?
                .as_str()?
                .to_string(),
        })
    }
}

struct BaseChain {
    id: ChainId,
    hook: &'static str,
    kind: String,
    prio: i64,
    policy: Option<String>,
    device: Option<String>,
}

/// The parts of a ruleset the evaluation needs.
pub struct Ruleset {
    base: Vec<BaseChain>,
    rules: HashMap<ChainId, Vec<Value>>,
    sets: HashMap<(String, String, String), Vec<Value>>,
    /// A statement that changes the packet's mark or conntrack state has run: later reads of
    /// them cannot be told.
    changed: Cell<bool>,
    /// The running base chain comes before conntrack (priority below -200, or ingress): the
    /// packet has no conntrack state yet.
    before_conntrack: Cell<bool>,
}

/// The answer, with the base chain that decided it (for the fix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    /// The base chain whose rule or policy dropped or rejected the packet.
    pub chain: Option<ChainId>,
    /// Whether any base chain filters this packet's path at all.
    pub filtered: bool,
}

/// Parses `nft -j list ruleset`; `None` when it is not that document.
pub fn parse(json: &str) -> Option<Ruleset> {
    let doc: Value = serde_json::from_str(json).ok()?;
    let objects = doc.get("nftables")?.as_array()?;
    let mut ruleset = Ruleset {
        base: Vec::new(),
        rules: HashMap::new(),
        sets: HashMap::new(),
        changed: Cell::new(false),
        before_conntrack: Cell::new(false),
    };
    for object in objects {
        if let Some(chain) = object.get("chain") {
            let Some(id) = ChainId::of(chain) else {
                continue;
            };
            let hook = match chain.get("hook").and_then(Value::as_str) {
                Some("prerouting") => "prerouting",
                Some("input") => "input",
                Some("ingress") => "ingress",
                _ => "",
            };
            if !hook.is_empty() {
                ruleset.base.push(BaseChain {
                    hook,
                    kind: str_of(chain, "type").unwrap_or("filter").to_string(),
                    prio: chain.get("prio").and_then(Value::as_i64).unwrap_or(0),
                    policy: str_of(chain, "policy").map(str::to_string),
                    device: str_of(chain, "dev").map(str::to_string),
                    id: id.clone(),
                });
            }
            ruleset.rules.entry(id).or_default();
        } else if let Some(rule) = object.get("rule") {
            if let Some(id) = ChainId::of(rule) {
                ruleset.rules.entry(id).or_default().push(rule.clone());
            }
        } else if let Some(set) = object.get("set").or_else(|| object.get("map")) {
            let key = (
                str_of(set, "family").unwrap_or_default().to_string(),
                str_of(set, "table").unwrap_or_default().to_string(),
                str_of(set, "name").unwrap_or_default().to_string(),
            );
            let elements = match set.get("elem") {
                Some(Value::Array(items)) => items.clone(),
                Some(one) => vec![one.clone()],
                None => Vec::new(),
            };
            ruleset.sets.insert(key, elements);
        }
    }
    Some(ruleset)
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

/// The verdict of the ruleset in `json` for `packet`.
#[cfg(test)]
pub fn decide(json: &str, packet: &Packet) -> Decision {
    evaluate_with(json, packet, None).decision
}

/// The verdict and the chain that decided it (`unknown` for a document that is not a
/// ruleset), with `iptables-nft-save`'s text for the packet's family: iptables (and ufw through
/// it) keeps its tables in nftables as xt matches whose arguments nft's JSON leaves out, so its
/// `filter INPUT` chain is judged from that text.
pub fn evaluate_with(json: &str, packet: &Packet, iptables: Option<&str>) -> Evaluation {
    match parse(json) {
        Some(ruleset) => ruleset.evaluate_with(packet, iptables),
        None => Evaluation {
            decision: Decision::unknown("nft -j list ruleset: not a ruleset"),
            chain: None,
            filtered: true,
        },
    }
}

/// How one chain ended for the packet.
enum Outcome {
    Verdict(Verdict, String),
    /// Redirected by a nat rule: where it goes next is not followed.
    Redirected(String),
    Unknown(String),
    /// The end of the chain (or `return`): the caller goes on.
    Fallthrough,
}

impl Ruleset {
    fn family_applies(&self, family: &str, packet: &Packet) -> bool {
        match family {
            "inet" => true,
            "ip" => packet.daddr.is_ipv4(),
            "ip6" => packet.daddr.is_ipv6(),
            "netdev" => true,
            _ => false,
        }
    }

    pub fn evaluate_with(&self, packet: &Packet, iptables: Option<&str>) -> Evaluation {
        let mut chains: Vec<&BaseChain> = self
            .base
            .iter()
            .filter(|c| self.family_applies(&c.id.family, packet))
            .filter(|c| match c.hook {
                "ingress" => c.device.as_deref() == Some(packet.iifname),
                _ => matches!(c.kind.as_str(), "filter" | "nat"),
            })
            .collect();
        let hook_order = |hook: &str| match hook {
            "ingress" => 0,
            "prerouting" => 1,
            _ => 2,
        };
        // A stable sort keeps the listing's order among equal priorities.
        chains.sort_by_key(|c| (hook_order(c.hook), c.prio));
        let filtered = chains
            .iter()
            .any(|c| c.kind == "filter" || c.hook == "ingress");
        let mut accepted: Option<String> = None;
        for chain in chains {
            // iptables-nft's own table: its text carries what nft's JSON leaves out.
            let iptables_input = chain.id.table == "filter"
                && chain.id.name == "INPUT"
                && matches!(chain.id.family.as_str(), "ip" | "ip6");
            self.before_conntrack
                .set(chain.hook == "ingress" || chain.prio < -200);
            let outcome = match iptables {
                Some(text) if iptables_input => {
                    let d = super::iptables::decide(text, packet);
                    let rule = d.rule.unwrap_or_default();
                    match d.verdict {
                        Verdict::None => Outcome::Fallthrough,
                        Verdict::Unknown => Outcome::Unknown(rule),
                        verdict => Outcome::Verdict(verdict, rule),
                    }
                }
                _ => self.run(&chain.id, packet, 0, chain.kind == "nat"),
            };
            let ended = match outcome {
                Outcome::Verdict(Verdict::Accept, rule) => {
                    accepted = Some(rule);
                    continue;
                }
                Outcome::Verdict(verdict, rule) => Decision::new(verdict, Some(rule)),
                Outcome::Redirected(rule) => Decision::unknown(format!(
                    "{rule} (redirected: where it goes next is not followed)"
                )),
                Outcome::Unknown(rule) => Decision::unknown(rule),
                Outcome::Fallthrough => match chain.policy.as_deref() {
                    Some("drop") => Decision::new(
                        Verdict::Drop,
                        Some(format!("{} policy drop", describe_chain(&chain.id))),
                    ),
                    _ => continue,
                },
            };
            return Evaluation {
                decision: ended,
                chain: Some(chain.id.clone()),
                filtered,
            };
        }
        let decision = if filtered {
            Decision::new(Verdict::Accept, accepted.or(Some("policy accept".into())))
        } else {
            Decision::new(Verdict::None, None)
        };
        Evaluation {
            decision,
            chain: None,
            filtered,
        }
    }

    /// `nat`: a nat chain, where a match that cannot be told is taken as matching: the worst it
    /// can lead to is a redirect, which is `unknown`, never an accept.
    fn run(&self, chain: &ChainId, packet: &Packet, depth: usize, nat: bool) -> Outcome {
        if depth > MAX_DEPTH {
            return Outcome::Unknown(format!(
                "{}: jumps nest deeper than {MAX_DEPTH}",
                describe_chain(chain)
            ));
        }
        let Some(rules) = self.rules.get(chain) else {
            return Outcome::Unknown(format!("{}: no such chain", describe_chain(chain)));
        };
        for rule in rules {
            let text = format!("{}: {}", describe_chain(chain), render_rule(rule));
            let exprs = rule.get("expr").and_then(Value::as_array);
            let Some(exprs) = exprs else { continue };
            match self.rule(chain, exprs, packet, nat) {
                Step::NoMatch | Step::Continue => {}
                Step::Unknown => return Outcome::Unknown(text),
                Step::Verdict(v) => return Outcome::Verdict(v, text),
                Step::Redirect => return Outcome::Redirected(text),
                Step::Return => return Outcome::Fallthrough,
                Step::Jump(target, goto) => {
                    let id = ChainId {
                        name: target,
                        ..chain.clone()
                    };
                    match self.run(&id, packet, depth + 1, nat) {
                        Outcome::Fallthrough if goto => return Outcome::Fallthrough,
                        Outcome::Fallthrough => {}
                        ended => return ended,
                    }
                }
            }
        }
        Outcome::Fallthrough
    }

    /// One rule: its matches in order, then its statements.
    fn rule(&self, chain: &ChainId, exprs: &[Value], packet: &Packet, nat: bool) -> Step {
        let verdict_of = |v: &Value| verdict(v);
        // A rule without a verdict or redirect (counters, logs) cannot change the answer.
        let decisive = exprs.iter().any(|e| {
            verdict_of(e).is_some()
                || e.get("vmap").is_some()
                || ["dnat", "redirect", "tproxy", "queue", "xt"]
                    .iter()
                    .any(|k| e.get(*k).is_some())
        });
        if !decisive {
            // It may still change the packet's mark or state for the rules after it.
            if exprs
                .iter()
                .any(|e| e.get("mangle").is_some() || e.get("notrack").is_some())
            {
                self.changed.set(true);
            }
            return Step::Continue;
        }
        // In a nat chain, a match that cannot be told is taken as matching only where that
        // cannot skip a redirect: before a jump (which returns here) or a redirect itself.
        let lenient = nat
            && exprs.iter().any(|e| {
                ["jump", "dnat", "redirect", "tproxy"]
                    .iter()
                    .any(|k| e.get(*k).is_some())
            });
        for expr in exprs {
            if let Some(m) = expr.get("match") {
                match self.matches(chain, m, packet) {
                    Some(true) => continue,
                    Some(false) => return Step::NoMatch,
                    None if lenient => continue,
                    None => return Step::Unknown,
                }
            }
            if let Some(step) = verdict_of(expr) {
                return step;
            }
            if let Some(vmap) = expr.get("vmap") {
                return self.vmap(chain, vmap, packet);
            }
            let Some(object) = expr.as_object() else {
                return Step::Unknown;
            };
            let Some(key) = object.keys().next() else {
                return Step::Unknown;
            };
            match key.as_str() {
                // Statements that let the packet go on unchanged; a limit is taken as not
                // reached.
                "counter" | "log" | "limit" | "comment" | "set" | "meter" => {}
                // The packet goes on, changed: what reads its mark or state later is unknown.
                "mangle" | "notrack" => self.changed.set(true),
                "dnat" | "redirect" | "tproxy" => return Step::Redirect,
                // An xt match of a nat chain (Docker's `-m addrtype`) is taken as matching; an
                // xt target there may redirect.
                "xt" if lenient => {
                    if expr["xt"].get("type").and_then(Value::as_str) != Some("match") {
                        return Step::Redirect;
                    }
                }
                _ => return Step::Unknown,
            }
        }
        Step::Continue
    }

    fn vmap(&self, chain: &ChainId, vmap: &Value, packet: &Packet) -> Step {
        let Some(key) = vmap.get("key").and_then(|k| self.value(k, packet)) else {
            return Step::Unknown;
        };
        let entries = match vmap.get("data") {
            Some(Value::String(name)) if name.starts_with('@') => self
                .named_set(chain, &name[1..])
                .cloned()
                .unwrap_or_default(),
            Some(data) => match data.get("set") {
                Some(Value::Array(items)) => items.clone(),
                _ => return Step::Unknown,
            },
            None => return Step::Unknown,
        };
        for entry in &entries {
            let Some(pair) = entry.as_array().filter(|p| p.len() == 2) else {
                return Step::Unknown;
            };
            match element_contains(&pair[0], &key) {
                Some(true) => return verdict(&pair[1]).unwrap_or(Step::Unknown),
                Some(false) => {}
                None => return Step::Unknown,
            }
        }
        Step::NoMatch
    }

    fn named_set(&self, chain: &ChainId, name: &str) -> Option<&Vec<Value>> {
        self.sets
            .get(&(chain.family.clone(), chain.table.clone(), name.to_string()))
    }

    /// One `match`: `Some(matches)`, or `None` when it cannot be told.
    fn matches(&self, chain: &ChainId, m: &Value, packet: &Packet) -> Option<bool> {
        let op = m.get("op").and_then(Value::as_str).unwrap_or("==");
        let left = m.get("left")?;
        let right = m.get("right")?;
        // A header the packet does not have (a TCP field of a UDP datagram, an IPv4 address
        // of an IPv6 packet): nft's implicit dependency fails, so the rule does not match.
        let Some(value) = self.value(left, packet) else {
            return if absent(left, packet) {
                Some(false)
            } else {
                None
            };
        };
        let hit = match right {
            Value::String(name) if name.starts_with('@') => {
                let elements = self.named_set(chain, &name[1..])?;
                any_contains(elements, &value)?
            }
            Value::Array(items) => any_contains(items, &value)?,
            other => element_contains(other, &value)?,
        };
        match op {
            "==" | "in" => Some(hit),
            "!=" => Some(!hit),
            "<" | ">" | "<=" | ">=" => {
                let (Val::Num(l), Val::Num(r)) = (&value, &to_val(right)?) else {
                    return None;
                };
                Some(match op {
                    "<" => l < r,
                    ">" => l > r,
                    "<=" => l <= r,
                    _ => l >= r,
                })
            }
            _ => None,
        }
    }

    /// What a left-hand expression is for this packet; `None` where it cannot be told (or the
    /// packet lacks the header: see [`absent`]).
    fn value(&self, left: &Value, packet: &Packet) -> Option<Val> {
        // `tcp flags & (fin|syn|rst|ack) == syn`: a new connection's first packet is a SYN.
        if let Some(and) = left.get("&").and_then(Value::as_array) {
            let flags = and.first().and_then(|p| p.get("payload")).is_some_and(|p| {
                str_of(p, "protocol") == Some("tcp") && str_of(p, "field") == Some("flags")
            });
            if !flags || packet.proto != Proto::Tcp {
                return None;
            }
            let syn = match and.get(1)? {
                Value::Array(mask) => mask.iter().any(|m| m == "syn"),
                Value::String(mask) => mask == "syn",
                _ => return None,
            };
            return Some(Val::Str(if syn { "syn" } else { "" }.into()));
        }
        if let Some(meta) = left.get("meta") {
            return match meta.get("key")?.as_str()? {
                "iifname" | "iif" => Some(Val::Str(packet.iifname.to_string())),
                "l4proto" => Some(Val::Num(proto_number(packet.proto))),
                "nfproto" => Some(Val::Str(
                    if packet.daddr.is_ipv4() {
                        "ipv4"
                    } else {
                        "ipv6"
                    }
                    .into(),
                )),
                "protocol" => Some(Val::Str(
                    if packet.daddr.is_ipv4() { "ip" } else { "ip6" }.into(),
                )),
                "pkttype" => Some(Val::Str("host".into())),
                "mark" if self.changed.get() => None,
                "mark" => Some(Val::Num(0)),
                _ => None,
            };
        }
        if let Some(ct) = left.get("ct") {
            return match ct.get("key")?.as_str()? {
                _ if self.changed.get() || self.before_conntrack.get() => None,
                "state" => Some(Val::Str("new".into())),
                "direction" => Some(Val::Str("original".into())),
                // Not DNATed: a redirect on the way is already unknown.
                "status" => Some(Val::Str(String::new())),
                _ => None,
            };
        }
        if let Some(fib) = left.get("fib") {
            let flags: Vec<&str> = fib
                .get("flags")
                .and_then(Value::as_array)
                .map(|f| f.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            return match (fib.get("result")?.as_str()?, flags.as_slice()) {
                ("type", ["daddr"]) => Some(Val::Str("local".into())),
                // Reverse path: a LAN source routes back through the interface it came in.
                ("oif", f) if f.contains(&"saddr") && f.contains(&"iif") => Some(Val::Bool(true)),
                _ => None,
            };
        }
        if let Some(payload) = left.get("payload") {
            let protocol = payload.get("protocol")?.as_str()?;
            let field = payload.get("field")?.as_str()?;
            return match (protocol, field) {
                ("tcp", "dport") if packet.proto == Proto::Tcp => {
                    Some(Val::Num(packet.dport.into()))
                }
                ("udp", "dport") if packet.proto == Proto::Udp => {
                    Some(Val::Num(packet.dport.into()))
                }
                ("th", "dport") => Some(Val::Num(packet.dport.into())),
                ("tcp", "flags") if packet.proto == Proto::Tcp => Some(Val::Str("syn".into())),
                ("ip", "saddr") if packet.saddr.is_ipv4() => {
                    Some(Val::Net(packet.saddr, packet.source_prefix))
                }
                ("ip", "daddr") if packet.daddr.is_ipv4() => Some(Val::Ip(packet.daddr)),
                ("ip6", "saddr") if packet.saddr.is_ipv6() => {
                    Some(Val::Net(packet.saddr, packet.source_prefix))
                }
                ("ip6", "daddr") if packet.daddr.is_ipv6() => Some(Val::Ip(packet.daddr)),
                ("ip", "protocol") if packet.daddr.is_ipv4() => {
                    Some(Val::Num(proto_number(packet.proto)))
                }
                ("ip6", "nexthdr") if packet.daddr.is_ipv6() => {
                    Some(Val::Num(proto_number(packet.proto)))
                }
                _ => None,
            };
        }
        None
    }
}

/// Whether `left` reads a header this packet does not have, so that its match fails.
fn absent(left: &Value, packet: &Packet) -> bool {
    let payload = left
        .get("&")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .unwrap_or(left)
        .get("payload");
    let Some(payload) = payload else {
        return false;
    };
    match payload.get("protocol").and_then(Value::as_str) {
        Some("tcp") => packet.proto != Proto::Tcp,
        Some("udp") => packet.proto != Proto::Udp,
        Some("ip") => !packet.daddr.is_ipv4(),
        Some("ip6") => !packet.daddr.is_ipv6(),
        Some("icmp") | Some("icmpv6") | Some("sctp") | Some("dccp") | Some("udplite") => true,
        _ => false,
    }
}

enum Step {
    NoMatch,
    /// Matched, with no verdict: the next rule.
    Continue,
    Unknown,
    Verdict(Verdict),
    Redirect,
    Return,
    Jump(String, bool),
}

fn verdict(expr: &Value) -> Option<Step> {
    let object = expr.as_object()?;
    let (key, value) = object.iter().next()?;
    Some(match key.as_str() {
        "accept" => Step::Verdict(Verdict::Accept),
        "drop" => Step::Verdict(Verdict::Drop),
        "reject" => Step::Verdict(Verdict::Reject),
        "return" => Step::Return,
        "continue" => Step::Continue,
        "jump" | "goto" => Step::Jump(value.get("target")?.as_str()?.to_string(), key == "goto"),
        "queue" => Step::Unknown,
        _ => return None,
    })
}

/// A value a match compares.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Num(u64),
    Str(String),
    Ip(IpAddr),
    /// A source that may be any address of this network (the phone's, unknown).
    Net(IpAddr, u8),
    Bool(bool),
}

fn proto_number(proto: Proto) -> u64 {
    match proto {
        Proto::Tcp => 6,
        Proto::Udp => 17,
    }
}

/// A right-hand constant as a value: numbers, protocol and service names, addresses, strings.
fn to_val(v: &Value) -> Option<Val> {
    match v {
        Value::Number(n) => n.as_u64().map(Val::Num),
        Value::Bool(b) => Some(Val::Bool(*b)),
        Value::String(s) => Some(named(s)),
        _ => None,
    }
}

fn named(s: &str) -> Val {
    let number = match s {
        "tcp" => Some(6),
        "udp" => Some(17),
        "icmp" => Some(1),
        "ipv6-icmp" | "icmpv6" => Some(58),
        "ssh" => Some(22),
        "http" => Some(80),
        "https" => Some(443),
        "domain" => Some(53),
        _ => None,
    };
    match (number, s.parse::<IpAddr>()) {
        (Some(n), _) => Val::Num(n),
        (None, Ok(ip)) => Val::Ip(ip),
        (None, Err(_)) => Val::Str(s.to_string()),
    }
}

fn any_contains(elements: &[Value], value: &Val) -> Option<bool> {
    let mut unknown = false;
    for e in elements {
        match element_contains(e, value) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(false)
}

/// Whether one element of a set (a constant, a prefix, a range, an anonymous set, or a
/// `{ "elem": { "val": … } }` wrapper with a timeout or counter) holds `value`.
fn element_contains(e: &Value, value: &Val) -> Option<bool> {
    if let Some(set) = e.get("set") {
        return any_contains(set.as_array()?, value);
    }
    if let Some(elem) = e.get("elem") {
        return element_contains(elem.get("val")?, value);
    }
    if let Some(prefix) = e.get("prefix") {
        let net: IpAddr = prefix.get("addr")?.as_str()?.parse().ok()?;
        let len = u8::try_from(prefix.get("len")?.as_u64()?).ok()?;
        return match value {
            Val::Ip(ip) => Some(in_prefix(*ip, net, len)),
            Val::Net(src, src_len) => super::source_in(*src, *src_len, net, len),
            _ => Some(false),
        };
    }
    if let Some(range) = e.get("range").and_then(Value::as_array) {
        let (low, high) = (to_val(range.first()?)?, to_val(range.get(1)?)?);
        return match (value, low, high) {
            (Val::Num(v), Val::Num(l), Val::Num(h)) => Some(l <= *v && *v <= h),
            (Val::Ip(v), Val::Ip(l), Val::Ip(h)) => Some(ip_between(*v, l, h)),
            (Val::Net(src, len), Val::Ip(l), Val::Ip(h)) => range_holds_network(*src, *len, l, h),
            _ => Some(false),
        };
    }
    if e.get("concat").is_some() {
        return None;
    }
    // A set's or map's catch-all element.
    if e.as_str() == Some("*") {
        return Some(true);
    }
    let constant = to_val(e)?;
    match (&constant, value) {
        (Val::Str(pattern), Val::Str(name)) => Some(interface_matches(pattern, name)),
        (Val::Ip(one), Val::Net(src, len)) => {
            let full = if one.is_ipv4() { 32 } else { 128 };
            super::source_in(*src, *len, *one, full)
        }
        (c, v) => Some(c == v),
    }
}

/// Whether a range of addresses holds all of a network (`Some(true)`), none (`Some(false)`), or
/// part of it (`None`).
fn range_holds_network(src: IpAddr, len: u8, low: IpAddr, high: IpAddr) -> Option<bool> {
    let num = |ip: IpAddr| match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    };
    if src.is_ipv4() != low.is_ipv4() || low.is_ipv4() != high.is_ipv4() {
        return Some(false);
    }
    let width = if src.is_ipv4() { 32 } else { 128 };
    let host_bits = width - u32::from(len.min(width as u8));
    let first = num(src);
    let last = first | 1u128.checked_shl(host_bits).map_or(u128::MAX, |b| b - 1);
    let (l, h) = (num(low), num(high));
    if h < first || l > last {
        Some(false)
    } else if l <= first && h >= last {
        Some(true)
    } else {
        None
    }
}

fn ip_between(v: IpAddr, low: IpAddr, high: IpAddr) -> bool {
    match (v, low, high) {
        (IpAddr::V4(v), IpAddr::V4(l), IpAddr::V4(h)) => l <= v && v <= h,
        (IpAddr::V6(v), IpAddr::V6(l), IpAddr::V6(h)) => l <= v && v <= h,
        _ => false,
    }
}

/// nft's interface names: `eth*` is a wildcard, `\*` a literal star.
fn interface_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(stem) if !stem.ends_with('\\') => name.starts_with(stem),
        _ => pattern.replace("\\*", "*") == name,
    }
}

fn describe_chain(id: &ChainId) -> String {
    format!("{} {} {}", id.family, id.table, id.name)
}

/// A rule in nft's own words, as far as they are known: `tcp dport 5000 drop`.
fn render_rule(rule: &Value) -> String {
    let Some(exprs) = rule.get("expr").and_then(Value::as_array) else {
        return String::new();
    };
    exprs
        .iter()
        .map(render_expr)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn render_expr(e: &Value) -> String {
    if let Some(m) = e.get("match") {
        let left = m.get("left").map(render_operand).unwrap_or_default();
        let right = m.get("right").map(render_operand).unwrap_or_default();
        return match m.get("op").and_then(Value::as_str) {
            Some("==") | Some("in") | None => format!("{left} {right}"),
            Some(op) => format!("{left} {op} {right}"),
        };
    }
    let Some((key, value)) = e.as_object().and_then(|o| o.iter().next()) else {
        return String::new();
    };
    match key.as_str() {
        "counter" => "counter".into(),
        "accept" | "drop" | "return" | "continue" => key.clone(),
        "reject" => match value.get("type").and_then(Value::as_str) {
            Some(kind) => match value.get("expr").and_then(Value::as_str) {
                Some(code) => format!("reject with {kind} {code}"),
                None => format!("reject with {kind}"),
            },
            None => "reject".into(),
        },
        "jump" | "goto" => format!(
            "{key} {}",
            value.get("target").and_then(Value::as_str).unwrap_or("?")
        ),
        "log" => "log".into(),
        "limit" => "limit".into(),
        other => format!("{other} …"),
    }
}

fn render_operand(v: &Value) -> String {
    match v {
        Value::String(s) if s.starts_with('@') => s.clone(),
        Value::String(s) => {
            if s.parse::<IpAddr>().is_ok() || s.chars().all(|c| c.is_ascii_alphanumeric()) {
                s.clone()
            } else {
                format!("\"{s}\"")
            }
        }
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "exists" } else { "missing" }.into(),
        Value::Array(items) => items
            .iter()
            .map(render_operand)
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(o) => {
            if let Some(meta) = o.get("meta") {
                return str_of(meta, "key").unwrap_or("meta").to_string();
            }
            if let Some(ct) = o.get("ct") {
                return format!("ct {}", str_of(ct, "key").unwrap_or("?"));
            }
            if let Some(p) = o.get("payload") {
                return format!(
                    "{} {}",
                    str_of(p, "protocol").unwrap_or("?"),
                    str_of(p, "field").unwrap_or("?")
                );
            }
            if let Some(p) = o.get("prefix") {
                return format!(
                    "{}/{}",
                    str_of(p, "addr").unwrap_or("?"),
                    p.get("len").and_then(Value::as_u64).unwrap_or(0)
                );
            }
            if let Some(r) = o.get("range").and_then(Value::as_array) {
                let part = |n: usize| r.get(n).map(render_operand).unwrap_or_default();
                return format!("{}-{}", part(0), part(1));
            }
            if let Some(s) = o.get("set").and_then(Value::as_array) {
                return format!(
                    "{{ {} }}",
                    s.iter().map(render_operand).collect::<Vec<_>>().join(", ")
                );
            }
            if let Some(fib) = o.get("fib") {
                let flags: Vec<String> = fib
                    .get("flags")
                    .and_then(Value::as_array)
                    .map(|f| f.iter().map(render_operand).collect())
                    .unwrap_or_default();
                return format!(
                    "fib {} {}",
                    flags.join(" . "),
                    str_of(fib, "result").unwrap_or("?")
                );
            }
            "…".into()
        }
        Value::Null => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet<'a>(proto: Proto, saddr: &str, daddr: &str, dport: u16, iif: &'a str) -> Packet<'a> {
        Packet {
            proto,
            saddr: saddr.parse().unwrap(),
            source_prefix: 128,
            daddr: daddr.parse().unwrap(),
            dport,
            iifname: iif,
            program: None,
        }
    }

    fn tcp(dport: u16) -> Packet<'static> {
        packet(Proto::Tcp, "10.203.50.2", "10.203.50.1", dport, "lan0")
    }

    /// What `nft -j list ruleset` printed for /tmp's test ruleset (nft 1.0.6), cut to what
    /// matters and kept as the tool writes it.
    const RULESET: &str = r#"{"nftables": [
      {"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
      {"table": {"family": "inet", "name": "filter", "handle": 1}},
      {"set": {"family": "inet", "name": "allowed", "table": "filter", "type": "inet_service", "handle": 3, "flags": ["interval"], "elem": [22, {"range": [8000, 8010]}]}},
      {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
      {"chain": {"family": "inet", "table": "filter", "name": "lanin", "handle": 2}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 4, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "invalid"}}, {"drop": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 6, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "lo"}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 7, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "icmp"}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 8, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.203.0.0", "len": 16}}}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 5000}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 9, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": "@allowed"}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 11, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [80, 443]}}}, {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 12, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "lan0"}}, {"jump": {"target": "lanin"}}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 13, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": [6000, 6010]}}}, {"reject": {"type": "tcp reset"}}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 14, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": 53}}, {"reject": {"type": "icmpx", "expr": "admin-prohibited"}}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 15, "expr": [{"match": {"op": "==", "left": {"fib": {"result": "type", "flags": ["daddr"]}}, "right": "local"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 7000}}, {"limit": {"rate": 10, "burst": 5, "per": "second"}}, {"log": {"prefix": "x"}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "lanin", "handle": 16, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 9000}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "filter", "chain": "lanin", "handle": 17, "expr": [{"return": null}]}}
    ]}"#;

    fn verdict_of(json: &str, p: &Packet) -> (Verdict, String) {
        let d = decide(json, p);
        (d.verdict, d.rule.unwrap_or_default())
    }

    #[test]
    fn a_new_connection_walks_the_input_chain() {
        // By source prefix: the LAN's 10.203/16 gets 5000, another network does not.
        let (v, rule) = verdict_of(RULESET, &tcp(5000));
        assert_eq!(v, Verdict::Accept);
        assert_eq!(
            rule,
            "inet filter input: ip saddr 10.203.0.0/16 tcp dport 5000 accept"
        );
        let far = packet(Proto::Tcp, "192.168.9.9", "10.203.50.1", 5000, "lan0");
        assert_eq!(
            verdict_of(RULESET, &far),
            (Verdict::Drop, "inet filter input policy drop".into())
        );
        // A named set with a range, an anonymous set, a range with reject.
        assert_eq!(verdict_of(RULESET, &tcp(8005)).0, Verdict::Accept);
        assert_eq!(verdict_of(RULESET, &tcp(22)).0, Verdict::Accept);
        assert_eq!(verdict_of(RULESET, &tcp(443)).0, Verdict::Accept);
        assert_eq!(verdict_of(RULESET, &tcp(8011)).0, Verdict::Drop);
        let (v, rule) = verdict_of(RULESET, &tcp(6005));
        assert_eq!(v, Verdict::Reject);
        assert!(
            rule.ends_with("tcp dport 6000-6010 reject with tcp reset"),
            "{rule}"
        );
        // A jump into a chain that accepts; from another interface the jump is not taken.
        assert_eq!(verdict_of(RULESET, &tcp(9000)).0, Verdict::Accept);
        let wlan = packet(Proto::Tcp, "10.203.50.2", "10.203.50.1", 9000, "wlan0");
        assert_eq!(verdict_of(RULESET, &wlan).0, Verdict::Drop);
        // fib, a limit and a log on the way are pass-through.
        assert_eq!(verdict_of(RULESET, &tcp(7000)).0, Verdict::Accept);
        // UDP: the TCP rules do not match it; the reject with icmpx does.
        let dns = packet(Proto::Udp, "10.203.50.2", "10.203.50.1", 53, "lan0");
        assert_eq!(verdict_of(RULESET, &dns).0, Verdict::Reject);
        let udp = packet(Proto::Udp, "10.203.50.2", "10.203.50.1", 5000, "lan0");
        assert_eq!(verdict_of(RULESET, &udp).0, Verdict::Drop);
        // `ct state established,related accept` does not take a new connection.
        let ipv6 = packet(Proto::Tcp, "fd50::2", "fd50::1", 5000, "lan0");
        assert_eq!(
            verdict_of(RULESET, &ipv6).0,
            Verdict::Drop,
            "ip saddr is IPv4 only"
        );
    }

    fn one_chain(policy: &str, rules: &[&str]) -> String {
        let mut objects = vec![
            r#"{"table": {"family": "inet", "name": "t", "handle": 1}}"#.to_string(),
            format!(
                r#"{{"chain": {{"family": "inet", "table": "t", "name": "in", "type": "filter", "hook": "input", "prio": 0, "policy": "{policy}"}}}}"#
            ),
        ];
        for r in rules {
            objects.push(format!(
                r#"{{"rule": {{"family": "inet", "table": "t", "chain": "in", "expr": {r}}}}}"#
            ));
        }
        format!(r#"{{"nftables": [{}]}}"#, objects.join(","))
    }

    #[test]
    fn no_base_chain_is_no_firewall() {
        let empty = r#"{"nftables": [{"metainfo": {"json_schema_version": 1}}]}"#;
        assert_eq!(decide(empty, &tcp(5000)).verdict, Verdict::None);
        let accept_all = one_chain("accept", &[]);
        assert_eq!(
            verdict_of(&accept_all, &tcp(5000)),
            (Verdict::Accept, "policy accept".into())
        );
        assert_eq!(decide("not json", &tcp(5000)).verdict, Verdict::Unknown);
    }

    #[test]
    fn what_is_not_understood_is_unknown_never_accept() {
        let xt = one_chain(
            "accept",
            &[r#"[{"xt": {"type": "match", "name": "recent"}}, {"drop": null}]"#],
        );
        let d = decide(&xt, &tcp(5000));
        assert_eq!(d.verdict, Verdict::Unknown);
        assert!(d.rule.unwrap().contains("xt"));
        // An unknown match after one that already fails does not matter.
        let skipped = one_chain(
            "accept",
            &[
                r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"match": {"op": "==", "left": {"socket": {"key": "transparent"}}, "right": 1}}, {"drop": null}]"#,
            ],
        );
        assert_eq!(decide(&skipped, &tcp(5000)).verdict, Verdict::Accept);
        // A counter-only rule with an unknown match cannot change the verdict.
        let counted = one_chain(
            "drop",
            &[
                r#"[{"match": {"op": "==", "left": {"osf": {"key": "name"}}, "right": "Linux"}}, {"counter": null}]"#,
            ],
        );
        assert_eq!(decide(&counted, &tcp(5000)).verdict, Verdict::Drop);
        // A source port is the client's choice: not known.
        let sport = one_chain(
            "accept",
            &[
                r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "sport"}}, "right": 1234}}, {"drop": null}]"#,
            ],
        );
        assert_eq!(decide(&sport, &tcp(5000)).verdict, Verdict::Unknown);
    }

    #[test]
    fn chains_at_two_priorities_and_a_verdict_map() {
        let doc = r#"{"nftables": [
          {"chain": {"family": "ip", "table": "a", "name": "early", "type": "filter", "hook": "input", "prio": -10, "policy": "accept"}},
          {"chain": {"family": "inet", "table": "b", "name": "late", "type": "filter", "hook": "input", "prio": 10, "policy": "accept"}},
          {"rule": {"family": "ip", "table": "a", "chain": "early", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 5000}}, {"accept": null}]}},
          {"rule": {"family": "inet", "table": "b", "chain": "late", "expr": [{"vmap": {"key": {"payload": {"protocol": "tcp", "field": "dport"}}, "data": {"set": [[5000, {"drop": null}], [22, {"accept": null}]]}}}]}}
        ]}"#;
        // Accepted at -10, dropped at 10: an accept ends one base chain only.
        let (v, rule) = verdict_of(doc, &tcp(5000));
        assert_eq!(v, Verdict::Drop);
        assert!(rule.starts_with("inet b late"), "{rule}");
        assert_eq!(verdict_of(doc, &tcp(22)).0, Verdict::Accept);
        // The ip table does not see IPv6.
        let v6 = packet(Proto::Tcp, "fd50::2", "fd50::1", 5001, "lan0");
        assert_eq!(verdict_of(doc, &v6).0, Verdict::Accept);
    }

    #[test]
    fn goto_returns_to_the_callers_caller_and_loops_end() {
        let doc = r#"{"nftables": [
          {"chain": {"family": "inet", "table": "t", "name": "in", "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
          {"chain": {"family": "inet", "table": "t", "name": "g"}},
          {"chain": {"family": "inet", "table": "t", "name": "loop"}},
          {"rule": {"family": "inet", "table": "t", "chain": "in", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 5000}}, {"goto": {"target": "g"}}]}},
          {"rule": {"family": "inet", "table": "t", "chain": "in", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 5000}}, {"accept": null}]}},
          {"rule": {"family": "inet", "table": "t", "chain": "in", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 6000}}, {"jump": {"target": "loop"}}]}},
          {"rule": {"family": "inet", "table": "t", "chain": "g", "expr": [{"return": null}]}},
          {"rule": {"family": "inet", "table": "t", "chain": "loop", "expr": [{"jump": {"target": "loop"}}]}}
        ]}"#;
        // goto g; g returns: back to where `in` was called from, so the policy, not the accept.
        assert_eq!(verdict_of(doc, &tcp(5000)).0, Verdict::Drop);
        assert_eq!(verdict_of(doc, &tcp(6000)).0, Verdict::Unknown);
    }

    #[test]
    fn interface_wildcards_and_negation() {
        assert!(interface_matches("eth*", "eth0"));
        assert!(!interface_matches("eth*", "wlan0"));
        assert!(interface_matches("lo", "lo"));
        assert!(!interface_matches("lo", "lo0"));
        let doc = one_chain(
            "accept",
            &[
                r#"[{"match": {"op": "!=", "left": {"meta": {"key": "iifname"}}, "right": "lan*"}}, {"drop": null}]"#,
            ],
        );
        assert_eq!(decide(&doc, &tcp(5000)).verdict, Verdict::Accept);
        let wlan = packet(Proto::Tcp, "10.0.0.2", "10.0.0.1", 5000, "wlan0");
        assert_eq!(decide(&doc, &wlan).verdict, Verdict::Drop);
    }

    #[test]
    fn what_the_review_found_accepted_by_guess_is_not() {
        // The phone is any address of 10.203.50.0/24: one host, or part of it, is not it.
        let mut phone = tcp(5000);
        phone.saddr = "10.203.50.0".parse().unwrap();
        phone.source_prefix = 24;
        let one_host = one_chain(
            "drop",
            &[
                r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "10.203.50.2"}}, {"accept": null}]"#,
            ],
        );
        assert_eq!(decide(&one_host, &phone).verdict, Verdict::Unknown);
        let part = one_chain(
            "drop",
            &[
                r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.203.50.0", "len": 28}}}}, {"accept": null}]"#,
            ],
        );
        assert_eq!(decide(&part, &phone).verdict, Verdict::Unknown);
        let whole = one_chain(
            "drop",
            &[
                r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.203.0.0", "len": 16}}}}, {"accept": null}]"#,
            ],
        );
        assert_eq!(decide(&whole, &phone).verdict, Verdict::Accept);
        // A map's catch-all.
        let catch_all = one_chain(
            "accept",
            &[
                r#"[{"vmap": {"key": {"payload": {"protocol": "tcp", "field": "dport"}}, "data": {"set": [[22, {"accept": null}], ["*", {"drop": null}]]}}}]"#,
            ],
        );
        assert_eq!(decide(&catch_all, &tcp(5000)).verdict, Verdict::Drop);
        // A mark set on the way makes a later mark match unknown.
        let marked = one_chain(
            "accept",
            &[
                r#"[{"mangle": {"key": {"meta": {"key": "mark"}}, "value": 1}}]"#,
                r#"[{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": 1}}, {"drop": null}]"#,
            ],
        );
        assert_eq!(decide(&marked, &tcp(5000)).verdict, Verdict::Unknown);
        // A SYN check passes for a new connection.
        let syn = one_chain(
            "drop",
            &[
                r#"[{"match": {"op": "==", "left": {"&": [{"payload": {"protocol": "tcp", "field": "flags"}}, ["fin", "syn", "rst", "ack"]]}, "right": "syn"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 5000}}, {"accept": null}]"#,
            ],
        );
        assert_eq!(decide(&syn, &tcp(5000)).verdict, Verdict::Accept);
    }

    #[test]
    fn garbage_never_panics() {
        let inputs = [
            "",
            "{}",
            r#"{"nftables": 3}"#,
            r#"{"nftables": [{"chain": 3}, {"rule": {"expr": 5}}, {"set": {}}]}"#,
            r#"{"nftables": [{"chain": {"family": "inet", "table": "t", "name": "c", "hook": "input"}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "expr": [{"match": {}}, {"jump": {}}, {"vmap": {"key": 1}}, 7, {"match": {"left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": []}}}]}}]}"#,
        ];
        for input in inputs {
            let _ = decide(input, &tcp(5000));
        }
    }
}
