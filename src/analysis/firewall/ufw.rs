//! ufw, from its own files: whether it is on (`/etc/ufw/ufw.conf`), its default for incoming
//! connections (`/etc/default/ufw`), and its rules (`/etc/ufw/user.rules`, the `### tuple ###`
//! lines ufw writes for each `ufw allow`). The files answer without privilege, but the rules
//! file is root's: without it only the default is known.

use std::net::IpAddr;

use super::{Decision, Packet, Verdict};
use crate::model::{Proto, UfwFiles};

/// What ufw's files say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ufw {
    /// `ENABLED=yes` in ufw.conf; `None` when it could not be read.
    pub enabled: Option<bool>,
    /// `DEFAULT_INPUT_POLICY`: `DROP`, `REJECT` or `ACCEPT`.
    pub default_input: Option<Verdict>,
    /// The rules could be read (root only).
    pub rules_read: bool,
}

fn setting<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        let value = l.trim().strip_prefix(key)?.strip_prefix('=')?;
        Some(value.trim().trim_matches('"'))
    })
}

pub fn summary(files: &UfwFiles) -> Ufw {
    let enabled = files
        .conf
        .as_deref()
        .and_then(|c| setting(c, "ENABLED"))
        .map(|v| v.eq_ignore_ascii_case("yes"));
    let default_input = files
        .defaults
        .as_deref()
        .and_then(|d| setting(d, "DEFAULT_INPUT_POLICY"))
        .map(|p| match p.to_ascii_uppercase().as_str() {
            "DROP" => Verdict::Drop,
            "REJECT" => Verdict::Reject,
            "ACCEPT" => Verdict::Accept,
            _ => Verdict::Unknown,
        });
    Ufw {
        enabled,
        default_input,
        rules_read: files.user_rules.is_some(),
    }
}

/// ufw's verdict by its own rules and default: the first tuple that matches, else the default
/// policy. `unknown` when the rules could not be read and the default would not let it in
/// anyway cannot be told apart from an allow rule.
pub fn decide(files: &UfwFiles, packet: &Packet) -> Decision {
    let ufw = summary(files);
    let rules = if packet.daddr.is_ipv4() {
        files.user_rules.as_deref()
    } else {
        files.user6_rules.as_deref()
    };
    let Some(rules) = rules else {
        return Decision::unknown("/etc/ufw/user.rules (readable by root only)");
    };
    for line in rules.lines() {
        let Some(tuple) = line.trim().strip_prefix("### tuple ###") else {
            continue;
        };
        match tuple_matches(tuple, packet) {
            Some((true, action)) => return Decision::new(action, Some(tuple.trim().to_string())),
            Some((false, _)) => {}
            None => return Decision::unknown(tuple.trim().to_string()),
        }
    }
    let policy = ufw.default_input.unwrap_or(Verdict::Unknown);
    let words = match policy {
        Verdict::Drop => "default deny incoming",
        Verdict::Reject => "default reject incoming",
        Verdict::Accept => "default allow incoming",
        _ => "default incoming policy unknown",
    };
    Decision::new(policy, Some(words.to_string()))
}

/// `allow tcp 5000 0.0.0.0/0 any 10.203.0.0/16 in[_eth0]`: whether it matches, and its action.
fn tuple_matches(tuple: &str, packet: &Packet) -> Option<(bool, Verdict)> {
    let f: Vec<&str> = tuple.split_whitespace().collect();
    let (action, proto, dport, dst, _sport, src) = (
        *f.first()?,
        *f.get(1)?,
        *f.get(2)?,
        *f.get(3)?,
        *f.get(4)?,
        *f.get(5)?,
    );
    let direction = *f.last()?;
    let verdict = match action {
        "allow" | "limit" => Verdict::Accept,
        "deny" => Verdict::Drop,
        "reject" => Verdict::Reject,
        _ => return None,
    };
    let in_iface = match direction.strip_prefix("in") {
        Some("") => true,
        Some(rest) => rest.strip_prefix('_').is_some_and(|i| i == packet.iifname),
        None => return Some((false, verdict)),
    };
    let proto_ok = match proto {
        "any" => true,
        "tcp" => packet.proto == Proto::Tcp,
        "udp" => packet.proto == Proto::Udp,
        _ => return None,
    };
    let port_ok = dport == "any" || ports(dport, packet.dport)?;
    let ok = in_iface
        && proto_ok
        && port_ok
        && spec_holds(dst, packet.daddr, 128)?
        && spec_holds(src, packet.saddr, packet.source_prefix)?;
    Some((ok, verdict))
}

/// `5000`, `5000:5010`, `80,443,8000:8010`.
fn ports(list: &str, port: u16) -> Option<bool> {
    for part in list.split(',') {
        let hit = match part.split_once(':') {
            Some((low, high)) => {
                (low.parse::<u16>().ok()?..=high.parse::<u16>().ok()?).contains(&port)
            }
            None => part.parse::<u16>().ok()? == port,
        };
        if hit {
            return Some(true);
        }
    }
    Some(false)
}

/// An address spec (`any`, `10.203.0.0/16`, `fd00::2`) against addresses `ip/len`: a single
/// destination, or a source that may be any address of the arriving network. `None` when it
/// matches only part of them.
fn spec_holds(spec: &str, ip: IpAddr, len: u8) -> Option<bool> {
    if spec == "any" {
        return Some(true);
    }
    let (net, net_len) = match spec.split_once('/') {
        Some((net, len)) => (net.parse::<IpAddr>().ok()?, len.parse::<u8>().ok()?),
        None => {
            let net = spec.parse::<IpAddr>().ok()?;
            (net, if net.is_ipv4() { 32 } else { 128 })
        }
    };
    super::source_in(ip, len, net, net_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(rules: &str) -> UfwFiles {
        UfwFiles {
            conf: Some("# /etc/ufw/ufw.conf\nENABLED=yes\nLOGLEVEL=low\n".into()),
            defaults: Some(
                "IPV6=yes\nDEFAULT_INPUT_POLICY=\"DROP\"\nDEFAULT_OUTPUT_POLICY=\"ACCEPT\"\n"
                    .into(),
            ),
            user_rules: Some(rules.into()),
            user6_rules: Some(String::new()),
        }
    }

    fn tcp(saddr: &str, dport: u16) -> Packet<'static> {
        Packet {
            proto: Proto::Tcp,
            saddr: saddr.parse().unwrap(),
            source_prefix: 128,
            daddr: "10.203.50.1".parse().unwrap(),
            dport,
            iifname: "lan0",
            program: None,
        }
    }

    const RULES: &str = "*filter\n:ufw-user-input - [0:0]\n\
        ### RULES ###\n\n\
        ### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n\
        -A ufw-user-input -p tcp --dport 22 -j ACCEPT\n\n\
        ### tuple ### allow tcp 5000 0.0.0.0/0 any 10.203.0.0/16 in\n\
        -A ufw-user-input -p tcp --dport 5000 -s 10.203.0.0/16 -j ACCEPT\n\n\
        ### tuple ### deny tcp 6000:6010 0.0.0.0/0 any 0.0.0.0/0 in_lan0\n\
        ### tuple ### allow tcp 6005 0.0.0.0/0 any 0.0.0.0/0 in\n\
        ### END RULES ###\nCOMMIT\n";

    #[test]
    fn the_first_matching_tuple_then_the_default() {
        let f = files(RULES);
        assert_eq!(summary(&f).enabled, Some(true));
        assert_eq!(summary(&f).default_input, Some(Verdict::Drop));
        assert_eq!(decide(&f, &tcp("10.203.50.2", 22)).verdict, Verdict::Accept);
        assert_eq!(
            decide(&f, &tcp("10.203.50.2", 5000)).verdict,
            Verdict::Accept
        );
        let far = decide(&f, &tcp("192.168.1.9", 5000));
        assert_eq!(far.verdict, Verdict::Drop);
        assert_eq!(far.rule.as_deref(), Some("default deny incoming"));
        // The deny on lan0 comes first.
        assert_eq!(decide(&f, &tcp("10.203.50.2", 6005)).verdict, Verdict::Drop);
        let mut wlan = tcp("10.203.50.2", 6005);
        wlan.iifname = "wlan0";
        assert_eq!(decide(&f, &wlan).verdict, Verdict::Accept);
    }

    #[test]
    fn a_source_network_is_judged_whole() {
        let f = files(RULES);
        let mut phone = tcp("10.203.50.0", 5000);
        phone.source_prefix = 24;
        // 10.203.0.0/16 holds all of 10.203.50.0/24.
        assert_eq!(decide(&f, &phone).verdict, Verdict::Accept);
        let one = files("### tuple ### allow tcp 5000 0.0.0.0/0 any 10.203.50.2 in\n");
        assert_eq!(
            decide(&one, &phone).verdict,
            Verdict::Unknown,
            "one host of the network"
        );
    }

    #[test]
    fn without_the_rules_only_the_default_is_known() {
        let mut f = files(RULES);
        f.user_rules = None;
        assert_eq!(
            decide(&f, &tcp("10.203.50.2", 22)).verdict,
            Verdict::Unknown
        );
        assert!(!summary(&f).rules_read);
        let off = UfwFiles {
            conf: Some("ENABLED=no\n".into()),
            ..UfwFiles::default()
        };
        assert_eq!(summary(&off).enabled, Some(false));
    }
}
