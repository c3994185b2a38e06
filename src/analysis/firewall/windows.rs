//! Windows Defender Firewall, for a new inbound connection: which profile filters it, whether
//! that profile's firewall is on, "Block all incoming connections", the inbound rules that match
//! (Block beats Allow), and the profile's default inbound action. Windows drops what it blocks
//! without an answer, so a block is `Drop`, never `Reject`.
//!
//! Which profile: a connection is filtered by the profile of the network it arrives from. Where
//! the Network List Manager named the arriving interface's network (`networks`), its category
//! decides. Otherwise every current profile could be the one, and the most restrictive verdict
//! among them is given: a drop is never hidden behind a guess that another profile applies.
//!
//! What is not modelled: IPsec "allow if secure" rules that override blocks, ICMP types, edge
//! traversal, and group policy beyond what `INetFwPolicy2` reports as the effective settings.
//! An address, port, program, service or interface scope that cannot be decided from the
//! packet makes the rule's match unsure: a verdict that hangs on it is `unknown`, naming the
//! rule.

use std::net::IpAddr;

use super::{Decision, Packet, Verdict};
use crate::model::{Proto, WinProfile, WinProfileKind, WinRule, WindowsFirewall};

/// The verdict of Windows Defender Firewall for `packet`, and what decides it: a profile
/// setting ("Public profile: Block all incoming connections") or the matching rule's name.
pub fn decide(fw: &WindowsFirewall, packet: &Packet) -> Decision {
    let profiles = match profiles_for(fw, packet) {
        Ok(profiles) => profiles,
        Err(unknown) => return unknown,
    };
    let outcomes = profiles
        .into_iter()
        .map(|p| evaluate(fw, p, packet, &Changes::default()));
    match most_restrictive(outcomes) {
        Some(worst) => worst.decision(fw),
        None => Decision::unknown("Windows Defender Firewall named no current profile"),
    }
}

/// The PowerShell that would let `packet` in, run as administrator: `None` unless the verdict
/// is `drop`. Several steps are joined by "\n", in the order to run them. On a Public network
/// the first step is to make the network Private (a home or school network wrongly called
/// Public is the usual cause) and the rest applies to the Private profile, so nothing is opened
/// on public networks.
pub fn fix(fw: &WindowsFirewall, packet: &Packet) -> Option<String> {
    let profiles = profiles_for(fw, packet).ok()?;
    let worst = most_restrictive(
        profiles
            .iter()
            .map(|p| evaluate(fw, p, packet, &Changes::default())),
    )?;
    if worst.decision(fw).verdict != Verdict::Drop {
        return None;
    }
    let mut lines = Vec::new();
    let mut kind = worst.profile;
    if kind == WinProfileKind::Public {
        lines.push(match packet.iifname {
            "" => "Set-NetConnectionProfile -NetworkCategory Private".to_string(),
            alias => format!(
                "Set-NetConnectionProfile -InterfaceAlias {} -NetworkCategory Private",
                quote(alias)
            ),
        });
        kind = WinProfileKind::Private;
    }
    // The profile as it is read, or Windows' defaults where it was not read.
    let fallback = WinProfile {
        kind,
        current: true,
        enabled: true,
        default_inbound_block: true,
        block_all_inbound: false,
    };
    let profile = fw
        .profiles
        .iter()
        .find(|p| p.kind == kind)
        .unwrap_or(&fallback);
    let mut changes = Changes::default();
    // Each step removes one cause; there are at most as many as rules, plus block-all and the
    // new rule.
    for _ in 0..fw.rules.len() + 2 {
        let outcome = evaluate(fw, profile, packet, &changes);
        match outcome.cause {
            // Let in, or hanging on what is not known: nothing more to say.
            Cause::Off | Cause::Allowed(_) | Cause::DefaultAllow | Cause::Unsure(_, _) => break,
            Cause::BlockAll => {
                lines.push(format!(
                    "Set-NetFirewallProfile -Profile {} -AllowInboundRules True",
                    profile_name(kind)
                ));
                changes.block_all_off = true;
            }
            Cause::Blocked(i) => {
                let name = &fw.rules[i].name;
                lines.push(format!(
                    "Get-NetFirewallRule -Direction Inbound -Action Block | Where-Object DisplayName -eq {} | Disable-NetFirewallRule",
                    quote(name)
                ));
                // That disables every inbound Block rule of the name.
                changes.disabled.extend(
                    fw.rules
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.inbound && !r.allow && r.name == *name)
                        .map(|(j, _)| j),
                );
            }
            Cause::DefaultBlock => {
                lines.push(new_rule(packet, kind));
                break;
            }
        }
    }
    Some(lines.join("\n"))
}

/// `New-NetFirewallRule` allowing the listening program (or, not knowing it, anything) on the
/// packet's protocol and port, on one profile.
fn new_rule(packet: &Packet, kind: WinProfileKind) -> String {
    let proto = match packet.proto {
        Proto::Tcp => "TCP",
        Proto::Udp => "UDP",
    };
    let port = packet.dport;
    match packet.program {
        Some(program) => {
            let file = program.rsplit(['\\', '/']).next().unwrap_or(program);
            let stem = match file.len().checked_sub(4) {
                Some(at) if file.is_char_boundary(at) && file[at..].eq_ignore_ascii_case(".exe") => {
                    &file[..at]
                }
                _ => file,
            };
            format!(
                "New-NetFirewallRule -DisplayName {} -Direction Inbound -Program {} -Protocol {proto} -LocalPort {port} -Action Allow -Profile {}",
                quote(&format!("bindscope: {stem} on port {port}")),
                quote(program),
                profile_name(kind)
            )
        }
        None => format!(
            "New-NetFirewallRule -DisplayName {} -Direction Inbound -Protocol {proto} -LocalPort {port} -Action Allow -Profile {}",
            quote(&format!("bindscope: port {port}")),
            profile_name(kind)
        ),
    }
}

/// A PowerShell string literal: in double quotes when nothing in it is special there, else in
/// single quotes (where only quote characters are, and are doubled). PowerShell takes the
/// typographic quotes for quotes too.
fn quote(text: &str) -> String {
    let special = |c: char| matches!(c, '"' | '$' | '`' | '\u{201C}' | '\u{201D}' | '\u{201E}');
    let single = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
    if !text.chars().any(special) {
        return format!("\"{text}\"");
    }
    let mut out = String::from("'");
    for c in text.chars() {
        if single(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn profile_name(kind: WinProfileKind) -> &'static str {
    match kind {
        WinProfileKind::Domain => "Domain",
        WinProfileKind::Private => "Private",
        WinProfileKind::Public => "Public",
    }
}

/// The profiles that may filter the packet: its interface's network's, when known; else every
/// current one, Public first.
fn profiles_for<'f>(
    fw: &'f WindowsFirewall,
    packet: &Packet,
) -> Result<Vec<&'f WinProfile>, Decision> {
    if fw.profiles.is_empty() {
        return Err(Decision::unknown(
            "Windows Defender Firewall's profiles could not be read",
        ));
    }
    let mut kinds: Vec<WinProfileKind> = fw
        .networks
        .iter()
        .filter(|n| n.interface.to_lowercase() == packet.iifname.to_lowercase())
        .map(|n| n.category)
        .collect();
    let from_network = !kinds.is_empty();
    if !from_network {
        kinds = fw
            .profiles
            .iter()
            .filter(|p| p.current)
            .map(|p| p.kind)
            .collect();
    }
    kinds.sort_by_key(|k| restrictive_first(*k));
    kinds.dedup();
    let mut profiles = Vec::new();
    for kind in kinds {
        match fw.profiles.iter().find(|p| p.kind == kind) {
            Some(p) => profiles.push(p),
            None => {
                return Err(Decision::unknown(format!(
                    "{} profile: not read",
                    profile_name(kind)
                )))
            }
        }
    }
    if profiles.is_empty() {
        return Err(Decision::unknown(
            "Windows Defender Firewall named no current profile",
        ));
    }
    Ok(profiles)
}

fn restrictive_first(kind: WinProfileKind) -> u8 {
    match kind {
        WinProfileKind::Public => 0,
        WinProfileKind::Private => 1,
        WinProfileKind::Domain => 2,
    }
}

/// What was changed in a "what if" (for the fix): rules disabled, block-all turned off.
#[derive(Default)]
struct Changes {
    disabled: Vec<usize>,
    block_all_off: bool,
}

/// What decided a profile's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cause {
    Off,
    BlockAll,
    /// The index of the matching Block rule.
    Blocked(usize),
    Allowed(usize),
    /// A rule whose match could not be decided, and the scope that could not.
    Unsure(usize, String),
    DefaultBlock,
    DefaultAllow,
}

struct Outcome {
    profile: WinProfileKind,
    cause: Cause,
}

impl Outcome {
    fn verdict(&self) -> Verdict {
        match self.cause {
            Cause::Off | Cause::Allowed(_) | Cause::DefaultAllow => Verdict::Accept,
            Cause::BlockAll | Cause::Blocked(_) | Cause::DefaultBlock => Verdict::Drop,
            Cause::Unsure(_, _) => Verdict::Unknown,
        }
    }

    fn decision(&self, fw: &WindowsFirewall) -> Decision {
        let profile = profile_name(self.profile);
        let rule = match &self.cause {
            Cause::Off => format!("{profile} profile: firewall off"),
            Cause::BlockAll => format!("{profile} profile: Block all incoming connections"),
            Cause::Blocked(i) | Cause::Allowed(i) => fw.rules[*i].name.clone(),
            Cause::Unsure(i, what) => format!("{} ({what})", fw.rules[*i].name),
            Cause::DefaultBlock => format!("{profile} profile: default inbound action Block"),
            Cause::DefaultAllow => format!("{profile} profile: default inbound action Allow"),
        };
        Decision::new(self.verdict(), Some(rule))
    }
}

/// Drop, then unknown, then accept: the first of the most restrictive.
fn most_restrictive(outcomes: impl Iterator<Item = Outcome>) -> Option<Outcome> {
    let rank = |o: &Outcome| match o.verdict() {
        Verdict::Drop | Verdict::Reject => 0,
        Verdict::Unknown => 1,
        Verdict::Accept | Verdict::None => 2,
    };
    outcomes.reduce(|best, o| if rank(&o) < rank(&best) { o } else { best })
}

/// One profile's verdict. Block rules are looked at before Allow rules: a matching Block rule
/// wins whatever allows. An unsure Block rule leaves the verdict unknown, since it may be the
/// one that blocks; an unsure Allow rule only matters where nothing else allows and the default
/// blocks.
fn evaluate(
    fw: &WindowsFirewall,
    profile: &WinProfile,
    packet: &Packet,
    changes: &Changes,
) -> Outcome {
    let outcome = |cause| Outcome {
        profile: profile.kind,
        cause,
    };
    if !profile.enabled {
        return outcome(Cause::Off);
    }
    if profile.block_all_inbound && !changes.block_all_off {
        return outcome(Cause::BlockAll);
    }
    let applying = || {
        fw.rules.iter().enumerate().filter(|(i, r)| {
            r.enabled
                && r.inbound
                && r.profiles.contains(&profile.kind)
                && !changes.disabled.contains(i)
        })
    };
    let mut unsure_allow = None;
    for allow in [false, true] {
        for (i, rule) in applying().filter(|(_, r)| r.allow == allow) {
            match rule_matches(rule, packet) {
                Match::No => {}
                Match::Yes if allow => return outcome(Cause::Allowed(i)),
                Match::Yes => return outcome(Cause::Blocked(i)),
                Match::Unsure(what) if allow => {
                    unsure_allow.get_or_insert(Cause::Unsure(i, what));
                }
                Match::Unsure(what) => return outcome(Cause::Unsure(i, what)),
            }
        }
    }
    if !profile.default_inbound_block {
        return outcome(Cause::DefaultAllow);
    }
    outcome(unsure_allow.unwrap_or(Cause::DefaultBlock))
}

/// Whether a rule's scope takes the packet in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Match {
    Yes,
    No,
    /// It cannot be told from the packet: what could not.
    Unsure(String),
}

impl Match {
    /// Both must hold: any `No` is no, else any unsure is unsure.
    fn and(self, other: impl FnOnce() -> Match) -> Match {
        match self {
            Match::No => Match::No,
            Match::Yes => other(),
            Match::Unsure(what) => match other() {
                Match::No => Match::No,
                _ => Match::Unsure(what),
            },
        }
    }
}

fn rule_matches(rule: &WinRule, packet: &Packet) -> Match {
    let protocol = match (rule.protocol, packet.proto) {
        (None, _) | (Some(6), Proto::Tcp) | (Some(17), Proto::Udp) => Match::Yes,
        _ => Match::No,
    };
    protocol
        .and(|| ports_match(&rule.local_ports, packet.dport))
        .and(|| {
            addresses_match(
                &rule.local_addresses,
                packet.daddr,
                false,
                "local addresses",
            )
        })
        .and(|| {
            addresses_match(
                &rule.remote_addresses,
                packet.saddr,
                true,
                "remote addresses",
            )
        })
        .and(|| program_matches(rule.program.as_deref(), packet.program))
        .and(|| interface_types_match(&rule.interface_types))
        .and(|| service_matches(rule.service.as_deref()))
}

/// A rule scoped to a service applies only to a process running as that service, which the
/// packet does not tell.
fn service_matches(service: Option<&str>) -> Match {
    match service.map(str::trim).filter(|s| !s.is_empty()) {
        None => Match::Yes,
        Some(name) => Match::Unsure(format!("service {name}")),
    }
}

/// The keywords Windows accepts for local ports: dynamic ports of a service, never a plain
/// port a server listens on.
const PORT_KEYWORDS: &[&str] = &[
    "RPC",
    "RPC-EPMap",
    "RPCEPMap",
    "IPHTTPS",
    "IPHTTPSIn",
    "IPHTTPSOut",
    "Teredo",
    "Ply2Disc",
    "PlayToDiscovery",
    "mDNS",
];

/// `LocalPorts`: `*` (or empty: a rule for any protocol has no ports) is any port; a list of
/// ports and ranges; keywords are never a listening server's port. A part that is none of these
/// makes the match unsure unless another part matches.
fn ports_match(spec: &str, port: u16) -> Match {
    let spec = spec.trim();
    if spec.is_empty() {
        return Match::Yes;
    }
    let mut unsure = false;
    for part in spec.split(',').map(str::trim) {
        let hit = if part == "*" || part.eq_ignore_ascii_case("any") {
            Some(true)
        } else if PORT_KEYWORDS.iter().any(|k| part.eq_ignore_ascii_case(k)) {
            Some(false)
        } else if let Some((low, high)) = part.split_once('-') {
            match (low.trim().parse::<u16>(), high.trim().parse::<u16>()) {
                (Ok(low), Ok(high)) if low <= high => Some((low..=high).contains(&port)),
                _ => None,
            }
        } else {
            part.parse::<u16>().ok().map(|p| p == port)
        };
        match hit {
            Some(true) => return Match::Yes,
            Some(false) => {}
            None => unsure = true,
        }
    }
    if unsure {
        Match::Unsure(format!("local ports \"{spec}\""))
    } else {
        Match::No
    }
}

/// `LocalAddresses` / `RemoteAddresses`: `*`, addresses, subnets (`a/255.255.255.0`, `a/24`)
/// and ranges (`a-b`). Of the keywords only `LocalSubnet` can be told for the remote end: the
/// packet comes from the arriving interface's network by construction. The others (`DNS`,
/// `DefaultGateway`, `Internet`, …) name addresses not known here.
fn addresses_match(spec: &str, ip: IpAddr, remote: bool, field: &str) -> Match {
    let spec = spec.trim();
    if spec.is_empty() {
        return Match::Yes;
    }
    let mut unsure = false;
    for part in spec.split(',').map(str::trim) {
        let any = part == "*" || part.eq_ignore_ascii_case("any");
        let hit = if any || (remote && part.eq_ignore_ascii_case("LocalSubnet")) {
            Some(true)
        } else {
            address_part(part, ip)
        };
        match hit {
            Some(true) => return Match::Yes,
            Some(false) => {}
            None => unsure = true,
        }
    }
    if unsure {
        Match::Unsure(format!("{field} \"{spec}\""))
    } else {
        Match::No
    }
}

/// One address, subnet or range: whether `ip` is in it, `None` where it cannot be read.
fn address_part(part: &str, ip: IpAddr) -> Option<bool> {
    let ip = unmapped(ip);
    if let Some((net, mask)) = part.split_once('/') {
        let net = unmapped(net.trim().parse::<IpAddr>().ok()?);
        let mask = mask.trim();
        let width = if net.is_ipv4() { 32 } else { 128 };
        let mask_bits: u128 = if let Ok(prefix) = mask.parse::<u32>() {
            if prefix > width {
                return None;
            }
            match prefix {
                0 => 0,
                p => (u128::MAX << (128 - p)) >> (128 - width),
            }
        } else {
            match (net, mask.parse::<IpAddr>().ok()?) {
                (IpAddr::V4(_), IpAddr::V4(m)) => u128::from(u32::from(m)),
                _ => return None,
            }
        };
        if net.is_ipv4() != ip.is_ipv4() {
            return Some(false);
        }
        return Some(bits(ip) & mask_bits == bits(net) & mask_bits);
    }
    if let Some((low, high)) = part.split_once('-') {
        let low = unmapped(low.trim().parse::<IpAddr>().ok()?);
        let high = unmapped(high.trim().parse::<IpAddr>().ok()?);
        if low.is_ipv4() != high.is_ipv4() {
            return None;
        }
        if low.is_ipv4() != ip.is_ipv4() {
            return Some(false);
        }
        return Some((bits(low)..=bits(high)).contains(&bits(ip)));
    }
    let single = unmapped(part.parse::<IpAddr>().ok()?);
    Some(single == ip)
}

fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// The rule's program against the listening one: Windows compares paths without case. A path
/// still holding an environment variable (`%ProgramFiles%\…`, where it could not be expanded)
/// or a listening program not known leaves it unsure.
fn program_matches(rule: Option<&str>, listening: Option<&str>) -> Match {
    let Some(rule) = rule.map(str::trim).filter(|r| !r.is_empty() && *r != "*") else {
        return Match::Yes;
    };
    let unsure = || Match::Unsure(format!("program {rule}"));
    let Some(listening) = listening else {
        return unsure();
    };
    let (rule_path, listening) = (normal_path(rule), normal_path(listening));
    if rule_path.contains('%') {
        return unsure();
    }
    if rule_path == listening {
        Match::Yes
    } else {
        Match::No
    }
}

fn normal_path(path: &str) -> String {
    let path = path.trim();
    let path = path
        .strip_prefix(r"\\?\")
        .or_else(|| path.strip_prefix(r"\??\"))
        .unwrap_or(path);
    path.replace('/', "\\").to_lowercase()
}

/// `InterfaceTypes`: `All` takes every interface; a narrower list names kinds of interface
/// (wireless, LAN, remote access) that the interface's name does not tell.
fn interface_types_match(spec: &str) -> Match {
    let kinds: Vec<String> = spec
        .split(',')
        .map(|k| k.trim().to_ascii_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    let all = kinds.is_empty()
        || kinds.iter().any(|k| k == "all")
        || ["wireless", "lan", "remoteaccess"]
            .iter()
            .all(|k| kinds.iter().any(|x| x == k));
    if all {
        Match::Yes
    } else {
        Match::Unsure(format!("interface types \"{}\"", spec.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WinNetwork;

    const PYTHON: &str = r"C:\Users\student\AppData\Local\Programs\Python\Python312\python.exe";

    fn profile(kind: WinProfileKind, current: bool) -> WinProfile {
        WinProfile {
            kind,
            current,
            enabled: true,
            default_inbound_block: true,
            block_all_inbound: false,
        }
    }

    /// Windows' out-of-the-box profiles, on a network Windows called Public.
    fn on_public() -> WindowsFirewall {
        WindowsFirewall {
            profiles: vec![
                profile(WinProfileKind::Domain, false),
                profile(WinProfileKind::Private, false),
                profile(WinProfileKind::Public, true),
            ],
            rules: Vec::new(),
            networks: Vec::new(),
        }
    }

    fn on_private() -> WindowsFirewall {
        let mut fw = on_public();
        for p in &mut fw.profiles {
            p.current = p.kind == WinProfileKind::Private;
        }
        fw
    }

    fn rule(name: &str, allow: bool, profiles: &[WinProfileKind]) -> WinRule {
        WinRule {
            name: name.to_string(),
            enabled: true,
            inbound: true,
            allow,
            program: None,
            service: None,
            protocol: None,
            local_ports: "*".to_string(),
            local_addresses: "*".to_string(),
            remote_addresses: "*".to_string(),
            interface_types: "All".to_string(),
            profiles: profiles.to_vec(),
        }
    }

    /// What the first-run prompt leaves for python.exe: one rule per protocol.
    fn python_rule(allow: bool, profiles: &[WinProfileKind], protocol: u8) -> WinRule {
        WinRule {
            program: Some(PYTHON.to_string()),
            protocol: Some(protocol),
            ..rule("python.exe", allow, profiles)
        }
    }

    fn port_rule(name: &str, allow: bool, ports: &str, protocol: u8) -> WinRule {
        WinRule {
            protocol: Some(protocol),
            local_ports: ports.to_string(),
            ..rule(name, allow, ALL)
        }
    }

    const ALL: &[WinProfileKind] = &[
        WinProfileKind::Domain,
        WinProfileKind::Private,
        WinProfileKind::Public,
    ];
    const PRIVATE: &[WinProfileKind] = &[WinProfileKind::Private];

    fn packet(proto: Proto, port: u16, program: Option<&str>) -> Packet<'_> {
        Packet {
            proto,
            saddr: "192.168.1.23".parse().unwrap(),
            source_prefix: 128,
            daddr: "192.168.1.10".parse().unwrap(),
            dport: port,
            iifname: "Wi-Fi",
            program,
        }
    }

    fn flask() -> Packet<'static> {
        packet(Proto::Tcp, 5000, Some(PYTHON))
    }

    fn verdict(fw: &WindowsFirewall, p: &Packet) -> (Verdict, String) {
        let d = decide(fw, p);
        (d.verdict, d.rule.unwrap_or_default())
    }

    #[test]
    fn nothing_read_is_unknown() {
        let fw = WindowsFirewall::default();
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Unknown);
        assert_eq!(fix(&fw, &flask()), None);
        let mut none_current = on_public();
        none_current
            .profiles
            .iter_mut()
            .for_each(|p| p.current = false);
        assert_eq!(decide(&none_current, &flask()).verdict, Verdict::Unknown);
    }

    #[test]
    fn python_allowed_on_private_only_is_dropped_on_a_public_network() {
        let mut fw = on_public();
        fw.rules = vec![
            python_rule(true, PRIVATE, 6),
            python_rule(true, PRIVATE, 17),
        ];
        assert_eq!(
            verdict(&fw, &flask()),
            (
                Verdict::Drop,
                "Public profile: default inbound action Block".to_string()
            )
        );
        // Making the network Private is the whole fix: python is allowed there already.
        assert_eq!(
            fix(&fw, &flask()).unwrap(),
            "Set-NetConnectionProfile -InterfaceAlias \"Wi-Fi\" -NetworkCategory Private"
        );
        // The same rules on a Private network let it in.
        let mut home = on_private();
        home.rules = fw.rules.clone();
        assert_eq!(
            verdict(&home, &flask()),
            (Verdict::Accept, "python.exe".to_string())
        );
        assert_eq!(fix(&home, &flask()), None);
    }

    #[test]
    fn a_block_rule_from_a_cancelled_prompt_beats_an_allow_port_rule() {
        let mut fw = on_private();
        fw.rules = vec![
            port_rule("Flask dev server", true, "5000", 6),
            python_rule(false, ALL, 6),
            python_rule(false, ALL, 17),
        ];
        assert_eq!(
            verdict(&fw, &flask()),
            (Verdict::Drop, "python.exe".to_string())
        );
        // Another program on the port is not blocked by python's rule.
        let node = packet(Proto::Tcp, 5000, Some(r"C:\Program Files\nodejs\node.exe"));
        assert_eq!(
            verdict(&fw, &node),
            (Verdict::Accept, "Flask dev server".to_string())
        );
        // The fix disables the Block rules; the port rule then lets it in.
        assert_eq!(
            fix(&fw, &flask()).unwrap(),
            "Get-NetFirewallRule -Direction Inbound -Action Block | Where-Object DisplayName -eq \"python.exe\" | Disable-NetFirewallRule"
        );
    }

    #[test]
    fn an_allowed_port_lets_any_program_in() {
        let mut fw = on_public();
        fw.rules = vec![port_rule("Port 5000", true, "5000", 6)];
        assert_eq!(
            verdict(&fw, &flask()),
            (Verdict::Accept, "Port 5000".to_string())
        );
        assert_eq!(
            verdict(&fw, &packet(Proto::Tcp, 5001, None)),
            (
                Verdict::Drop,
                "Public profile: default inbound action Block".to_string()
            )
        );
    }

    #[test]
    fn block_all_incoming_beats_every_allow_rule() {
        let mut fw = on_private();
        fw.profiles[1].block_all_inbound = true;
        fw.rules = vec![
            port_rule("Port 5000", true, "5000", 6),
            python_rule(true, ALL, 6),
        ];
        assert_eq!(
            verdict(&fw, &flask()),
            (
                Verdict::Drop,
                "Private profile: Block all incoming connections".to_string()
            )
        );
        assert_eq!(
            fix(&fw, &flask()).unwrap(),
            "Set-NetFirewallProfile -Profile Private -AllowInboundRules True"
        );
    }

    #[test]
    fn a_profile_with_its_firewall_off_lets_everything_in() {
        let mut fw = on_public();
        fw.profiles[2].enabled = false;
        fw.rules = vec![python_rule(false, ALL, 6)];
        assert_eq!(
            verdict(&fw, &flask()),
            (Verdict::Accept, "Public profile: firewall off".to_string())
        );
        // Off on a profile that is not current changes nothing.
        let mut fw = on_public();
        fw.profiles[1].enabled = false;
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Drop);
    }

    #[test]
    fn ranges_and_lists_of_ports() {
        let mut fw = on_private();
        fw.rules = vec![port_rule("Dev ports", true, "3000-3010, 5000,8000-8080", 6)];
        for (port, expected) in [
            (3000, Verdict::Accept),
            (3010, Verdict::Accept),
            (3011, Verdict::Drop),
            (5000, Verdict::Accept),
            (8079, Verdict::Accept),
            (2999, Verdict::Drop),
        ] {
            assert_eq!(
                decide(&fw, &packet(Proto::Tcp, port, None)).verdict,
                expected,
                "{port}"
            );
        }
        // A keyword is never a plain port; a backwards range is not read as one.
        fw.rules = vec![port_rule("RPC", true, "RPC", 6)];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Drop);
        fw.rules = vec![port_rule("Backwards", true, "5010-5000", 6)];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Unknown);
    }

    #[test]
    fn udp_and_tcp_rules_are_kept_apart() {
        let mut fw = on_private();
        fw.rules = vec![port_rule("mDNS-like", true, "5000", 17)];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Drop);
        assert_eq!(
            verdict(&fw, &packet(Proto::Udp, 5000, None)),
            (Verdict::Accept, "mDNS-like".to_string())
        );
        // A Block rule for UDP leaves TCP to the Allow rule.
        fw.rules = vec![
            port_rule("Block UDP", false, "5000", 17),
            port_rule("Allow TCP", true, "5000", 6),
        ];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Accept);
        assert_eq!(
            decide(&fw, &packet(Proto::Udp, 5000, None)).verdict,
            Verdict::Drop
        );
        // Another protocol (ICMP) is not TCP.
        fw.rules = vec![port_rule("ICMP", true, "*", 1)];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Drop);
    }

    #[test]
    fn disabled_outbound_and_other_profiles_rules_do_not_apply() {
        let mut fw = on_private();
        let mut disabled = python_rule(false, ALL, 6);
        disabled.enabled = false;
        let mut outbound = python_rule(false, ALL, 6);
        outbound.inbound = false;
        let public_only = python_rule(false, &[WinProfileKind::Public], 6);
        fw.rules = vec![
            disabled,
            outbound,
            public_only,
            python_rule(true, PRIVATE, 6),
        ];
        assert_eq!(
            verdict(&fw, &flask()),
            (Verdict::Accept, "python.exe".to_string())
        );
    }

    #[test]
    fn program_paths_compare_without_case() {
        let mut fw = on_private();
        fw.rules = vec![python_rule(true, PRIVATE, 6)];
        let shouting = packet(
            Proto::Tcp,
            5000,
            Some(r"c:\USERS\STUDENT\appdata\local\programs\python\python312\PYTHON.EXE"),
        );
        assert_eq!(decide(&fw, &shouting).verdict, Verdict::Accept);
        let other = packet(Proto::Tcp, 5000, Some(r"C:\Python311\python.exe"));
        assert_eq!(decide(&fw, &other).verdict, Verdict::Drop);
    }

    #[test]
    fn what_cannot_be_told_is_unknown_only_where_it_decides() {
        let mut fw = on_private();
        fw.rules = vec![python_rule(false, ALL, 6)];
        // Not knowing the listening program, python's Block rule may be the one.
        let (v, rule) = verdict(&fw, &packet(Proto::Tcp, 5000, None));
        assert_eq!(v, Verdict::Unknown);
        assert!(rule.starts_with("python.exe (program C:\\"), "{rule}");
        // An unsure Allow rule decides only where nothing else does and the default blocks.
        fw.rules = vec![python_rule(true, ALL, 6)];
        assert_eq!(
            decide(&fw, &packet(Proto::Tcp, 5000, None)).verdict,
            Verdict::Unknown
        );
        fw.rules.push(port_rule("Port 5000", true, "5000", 6));
        assert_eq!(
            decide(&fw, &packet(Proto::Tcp, 5000, None)).verdict,
            Verdict::Accept
        );
        // An unexpanded variable in a path cannot be compared.
        let mut vars = python_rule(false, ALL, 6);
        vars.program = Some(r"%LOCALAPPDATA%\Programs\Python\Python312\python.exe".to_string());
        fw.rules = vec![vars];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Unknown);
        // Nor whether the listening program runs as a service.
        let mut service = port_rule("Port 5000 for a service", true, "5000", 6);
        service.service = Some("Spooler".to_string());
        fw.rules = vec![service];
        assert_eq!(
            verdict(&fw, &flask()),
            (
                Verdict::Unknown,
                "Port 5000 for a service (service Spooler)".to_string()
            )
        );
        // An interface type cannot be told from the name.
        let mut wireless = python_rule(true, ALL, 6);
        wireless.interface_types = "Wireless".to_string();
        fw.rules = vec![wireless];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Unknown);
        assert_eq!(fix(&fw, &flask()), None);
    }

    #[test]
    fn remote_and_local_address_scopes() {
        let mut fw = on_private();
        let scoped = |remote: &str, local: &str| {
            let mut r = port_rule("Scoped", true, "5000", 6);
            r.remote_addresses = remote.to_string();
            r.local_addresses = local.to_string();
            r
        };
        for (remote, local, expected) in [
            ("LocalSubnet", "*", Verdict::Accept),
            ("192.168.1.0/255.255.255.0", "*", Verdict::Accept),
            ("192.168.1.0/24", "*", Verdict::Accept),
            ("192.168.1.20-192.168.1.30", "*", Verdict::Accept),
            ("192.168.1.23/255.255.255.255", "*", Verdict::Accept),
            ("10.0.0.0/8,192.168.1.23", "*", Verdict::Accept),
            ("10.0.0.0/8", "*", Verdict::Drop),
            ("fe80::/64", "*", Verdict::Drop),
            ("192.168.1.24-192.168.1.30", "*", Verdict::Drop),
            ("*", "192.168.1.10/255.255.255.255", Verdict::Accept),
            ("*", "192.168.1.11", Verdict::Drop),
            // Keywords for addresses not known here, and garbage.
            ("DefaultGateway", "*", Verdict::Unknown),
            ("192.168.1.0/33", "*", Verdict::Unknown),
            ("*", "LocalSubnet", Verdict::Unknown),
        ] {
            fw.rules = vec![scoped(remote, local)];
            assert_eq!(decide(&fw, &flask()).verdict, expected, "{remote} {local}");
        }
        // IPv6 sources and IPv4-mapped ones.
        let mut v6 = flask();
        v6.saddr = "fe80::1".parse().unwrap();
        v6.daddr = "fe80::2".parse().unwrap();
        fw.rules = vec![scoped("fe80::/64", "*")];
        assert_eq!(decide(&fw, &v6).verdict, Verdict::Accept);
        let mut mapped = flask();
        mapped.saddr = "::ffff:192.168.1.23".parse().unwrap();
        fw.rules = vec![scoped("192.168.1.0/24", "*")];
        assert_eq!(decide(&fw, &mapped).verdict, Verdict::Accept);
    }

    #[test]
    fn the_network_of_the_arriving_interface_decides_the_profile() {
        // Connected to two networks: Wi-Fi is Private, a phone's hotspot on Ethernet 2 is Public.
        let mut fw = on_private();
        fw.profiles[2].current = true;
        fw.rules = vec![python_rule(true, PRIVATE, 6)];
        // Not knowing which, the most restrictive: the Public profile drops it.
        assert_eq!(
            verdict(&fw, &flask()),
            (
                Verdict::Drop,
                "Public profile: default inbound action Block".to_string()
            )
        );
        fw.networks = vec![
            WinNetwork {
                interface: "Wi-Fi".to_string(),
                category: WinProfileKind::Private,
            },
            WinNetwork {
                interface: "Ethernet 2".to_string(),
                category: WinProfileKind::Public,
            },
        ];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Accept);
        let mut wired = flask();
        wired.iifname = "ethernet 2";
        assert_eq!(decide(&fw, &wired).verdict, Verdict::Drop);
        assert_eq!(
            fix(&fw, &wired).unwrap(),
            "Set-NetConnectionProfile -InterfaceAlias \"ethernet 2\" -NetworkCategory Private"
        );
    }

    #[test]
    fn a_default_allow_profile_lets_in_what_no_rule_blocks() {
        let mut fw = on_private();
        fw.profiles[1].default_inbound_block = false;
        assert_eq!(
            verdict(&fw, &flask()),
            (
                Verdict::Accept,
                "Private profile: default inbound action Allow".to_string()
            )
        );
        fw.rules = vec![python_rule(false, ALL, 6)];
        assert_eq!(decide(&fw, &flask()).verdict, Verdict::Drop);
    }

    #[test]
    fn the_fix_allows_the_program_on_its_port_on_the_private_profile() {
        let fw = on_private();
        assert_eq!(
            fix(&fw, &flask()).unwrap(),
            format!(
                "New-NetFirewallRule -DisplayName \"bindscope: python on port 5000\" -Direction Inbound -Program \"{PYTHON}\" -Protocol TCP -LocalPort 5000 -Action Allow -Profile Private"
            )
        );
        // On a Public network: make it Private, then allow there. Two lines.
        let fix = fix(&on_public(), &flask()).unwrap();
        let lines: Vec<&str> = fix.lines().collect();
        assert_eq!(lines.len(), 2, "{fix}");
        assert_eq!(
            lines[0],
            "Set-NetConnectionProfile -InterfaceAlias \"Wi-Fi\" -NetworkCategory Private"
        );
        assert!(lines[1].ends_with("-Profile Private"), "{fix}");
        // Not knowing the program: the port alone, UDP here.
        assert_eq!(
            super::fix(&on_private(), &packet(Proto::Udp, 5353, None)).unwrap(),
            "New-NetFirewallRule -DisplayName \"bindscope: port 5353\" -Direction Inbound -Protocol UDP -LocalPort 5353 -Action Allow -Profile Private"
        );
    }

    #[test]
    fn the_fix_takes_every_step_in_order() {
        // Block-all, then python's Block rule, then nothing allows: three steps.
        let mut fw = on_private();
        fw.profiles[1].block_all_inbound = true;
        fw.rules = vec![python_rule(false, ALL, 6), python_rule(false, ALL, 17)];
        let fix = fix(&fw, &flask()).unwrap();
        let lines: Vec<&str> = fix.lines().collect();
        assert_eq!(lines.len(), 3, "{fix}");
        assert!(lines[0].starts_with("Set-NetFirewallProfile -Profile Private"));
        assert!(lines[1].contains("Disable-NetFirewallRule"));
        assert!(lines[2].starts_with("New-NetFirewallRule"));
    }

    #[test]
    fn names_and_paths_are_quoted_for_powershell() {
        assert_eq!(quote("Wi-Fi"), "\"Wi-Fi\"");
        assert_eq!(
            quote(r"C:\Program Files\x.exe"),
            "\"C:\\Program Files\\x.exe\""
        );
        assert_eq!(quote("a$b"), "'a$b'");
        assert_eq!(quote("it's $home"), "'it''s $home'");
        assert_eq!(
            quote("say \u{201C}hi\u{2019}"),
            "'say \u{201C}hi\u{2019}\u{2019}'"
        );
        let mut fw = on_private();
        fw.rules = vec![WinRule {
            name: "python $(rm)".to_string(),
            ..python_rule(false, ALL, 6)
        }];
        assert!(fix(&fw, &flask())
            .unwrap()
            .contains("DisplayName -eq 'python $(rm)'"));
    }

    #[test]
    fn garbage_never_panics() {
        let garbage = [
            "",
            ",",
            "-",
            "--",
            "*-*",
            "65536",
            "0-",
            "-5",
            "1-2-3",
            "é",
            "5000\u{0}",
            "💥-💥",
            "/",
            "1.2.3.4/",
            "/24",
            "::/129",
            "1.2.3.4/ff",
            "1.2.3.4-::1",
            "4294967296",
            "5000 - 5010",
            " , , ",
        ];
        let mut fw = on_private();
        for g in garbage {
            let mut r = port_rule(g, false, g, 6);
            r.remote_addresses = g.to_string();
            r.local_addresses = g.to_string();
            r.interface_types = g.to_string();
            r.program = Some(g.to_string());
            fw.rules = vec![r];
            for p in [flask(), packet(Proto::Udp, 0, Some(g))] {
                let _ = decide(&fw, &p);
                let _ = fix(&fw, &p);
            }
        }
        let _ = new_rule(
            &packet(Proto::Tcp, 1, Some("é.exe")),
            WinProfileKind::Public,
        );
        let _ = new_rule(&packet(Proto::Tcp, 1, Some(".exe")), WinProfileKind::Public);
        let _ = new_rule(&packet(Proto::Tcp, 1, Some("ééé")), WinProfileKind::Public);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Whatever Windows hands over, there is a verdict and no panic; the fix is given only
        /// for a drop.
        #[test]
        fn any_rule_text_is_decided(
            ports in "[-0-9,* A-Za-z]{0,16}|\\PC{0,16}",
            addresses in "[-0-9./:,*a-fA-F]{0,24}|\\PC{0,16}",
            program in "\\PC{0,24}",
            types in "\\PC{0,12}",
            iif in "\\PC{0,12}",
            allow in proptest::bool::ANY,
            port in proptest::num::u16::ANY,
        ) {
            let mut fw = on_public();
            let mut r = port_rule("r", allow, &ports, 6);
            r.remote_addresses = addresses.clone();
            r.local_addresses = addresses;
            r.program = Some(program.clone());
            r.interface_types = types;
            fw.rules = vec![r];
            let mut p = packet(Proto::Tcp, port, Some(&program));
            p.iifname = &iif;
            let d = decide(&fw, &p);
            let f = fix(&fw, &p);
            proptest::prop_assert_eq!(f.is_some(), d.verdict == Verdict::Drop);
        }
    }
}
