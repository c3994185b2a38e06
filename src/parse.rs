//! Parsers for what users type: ports and bind hosts in every form PRODUCT.md lists.
//!
//! Hand-written rather than `url::Url`: we accept forms that are not URLs (`::1`, `host:port`,
//! `fe80::1%eth0`, interface names) and owe the user a precise reason for each rejection.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::{Arg, InputError};

/// Longest argument we look at; anything longer is rejected before parsing.
pub const MAX_ARG_LEN: usize = 1024;
/// How much of a bad value an error message repeats.
const SHOWN_LEN: usize = 48;

/// The part of a bad value that an error message may repeat: its first characters. The line
/// that writes the message makes them safe (`sanitize`), like everything else it writes.
pub fn shown(value: &str) -> String {
    let mut out: String = value.chars().take(SHOWN_LEN).collect();
    if value.chars().count() > SHOWN_LEN {
        out.push('…');
    }
    out
}

fn check_text(value: &str, what: Arg) -> Result<(), InputError> {
    if value.trim().is_empty() {
        return Err(InputError::Empty { what });
    }
    if value.len() > MAX_ARG_LEN {
        return Err(InputError::TooLong {
            what,
            len: value.len(),
        });
    }
    if value.chars().any(char::is_control) {
        return Err(InputError::ControlCharacters {
            what,
            value: shown(value),
        });
    }
    Ok(())
}

/// A TCP/UDP port a server can listen on: 1 to 65535.
pub fn port(value: &str) -> Result<u16, InputError> {
    check_text(value, Arg::Port)?;
    let t = value.trim();
    if let Some(rest) = t.strip_prefix('-') {
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) {
            return Err(InputError::PortNegative { value: shown(t) });
        }
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(InputError::PortNotNumber { value: shown(t) });
    }
    let digits = t.trim_start_matches('0');
    if digits.is_empty() {
        return Err(InputError::PortZero);
    }
    match digits.parse::<u32>() {
        Ok(n) if n <= 65535 => Ok(n as u16),
        _ => Err(InputError::PortTooLarge { value: shown(t) }),
    }
}

/// A host as typed, before names are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostSpec {
    Ip {
        ip: IpAddr,
        zone: Option<String>,
    },
    /// A hostname or an interface name; which one is decided against the machine.
    Name(String),
}

/// A bind host with what came with it: `HOST`, `HOST:PORT`, `[V6]:PORT` or a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostInput {
    pub host: HostSpec,
    pub port: Option<u16>,
    pub scheme: Option<String>,
    pub path: Option<String>,
}

const SCHEMES: [(&str, u16); 4] = [("http", 80), ("https", 443), ("ws", 80), ("wss", 443)];

pub fn host_input(value: &str) -> Result<HostInput, InputError> {
    check_text(value, Arg::Host)?;
    let value = value.trim();
    match value.split_once("://") {
        Some((scheme, rest)) => url(value, scheme, rest),
        None => {
            if value.contains('/') {
                return Err(InputError::HostWithPath {
                    value: shown(value),
                });
            }
            if value.chars().all(|c| c.is_ascii_digit()) && port(value).is_ok() {
                return Err(InputError::LooksLikePort {
                    value: shown(value),
                });
            }
            let (host, port) = authority(value, false)?;
            Ok(HostInput {
                host,
                port,
                scheme: None,
                path: None,
            })
        }
    }
}

fn url(whole: &str, scheme: &str, rest: &str) -> Result<HostInput, InputError> {
    let scheme = scheme.to_ascii_lowercase();
    let Some(&(_, default_port)) = SCHEMES.iter().find(|(s, _)| *s == scheme) else {
        return Err(InputError::UnsupportedScheme {
            scheme: shown(&scheme),
        });
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority_part, path) = rest.split_at(end);
    // user:password@host — the credentials are not ours to look at.
    let authority_part = authority_part
        .rsplit_once('@')
        .map_or(authority_part, |(_, h)| h);
    if authority_part.is_empty() {
        return Err(InputError::Empty { what: Arg::Host });
    }
    let (host, port) = authority(authority_part, true).map_err(|e| match e {
        InputError::Empty { .. } => InputError::BadUrl {
            value: shown(whole),
        },
        other => other,
    })?;
    Ok(HostInput {
        host,
        port: Some(port.unwrap_or(default_port)),
        scheme: Some(scheme),
        path: (!path.is_empty()).then(|| path.to_string()),
    })
}

/// `HOST`, `HOST:PORT`, `[V6]`, `[V6]:PORT` or a bare IPv6 literal.
fn authority(value: &str, in_url: bool) -> Result<(HostSpec, Option<u16>), InputError> {
    if let Some(inner) = value.strip_prefix('[') {
        let Some((literal, after)) = inner.split_once(']') else {
            return Err(InputError::UnclosedBracket {
                value: shown(value),
            });
        };
        let port = match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(p) => Some(port(p)?),
                None => {
                    return Err(InputError::AfterBracket {
                        value: shown(value),
                    })
                }
            },
        };
        let host = ipv6_literal(literal, in_url)?;
        return Ok((host, port));
    }
    if value.contains(']') {
        return Err(InputError::UnclosedBracket {
            value: shown(value),
        });
    }
    match value.matches(':').count() {
        0 => Ok((plain_host(value)?, None)),
        1 => {
            let (host, p) = value.split_once(':').unwrap_or((value, ""));
            if host.is_empty() {
                return Err(InputError::Empty { what: Arg::Host });
            }
            Ok((plain_host(host)?, Some(port(p)?)))
        }
        _ => Ok((ipv6_literal(value, in_url)?, None)),
    }
}

fn ipv6_literal(literal: &str, in_url: bool) -> Result<HostSpec, InputError> {
    let (addr, zone) = match literal.split_once('%') {
        Some((a, z)) => {
            // In a URL the % of a zone is itself escaped as %25.
            let z = if in_url {
                z.strip_prefix("25").unwrap_or(z)
            } else {
                z
            };
            if z.is_empty() || z.chars().any(|c| c.is_whitespace()) {
                return Err(InputError::BadZone {
                    value: shown(literal),
                });
            }
            (a, Some(z.to_string()))
        }
        None => (literal, None),
    };
    if addr.parse::<Ipv4Addr>().is_ok() {
        return Err(InputError::BracketedIpv4 {
            value: shown(literal),
        });
    }
    match addr.parse::<Ipv6Addr>() {
        Ok(ip) => Ok(HostSpec::Ip {
            ip: IpAddr::V6(ip),
            zone,
        }),
        Err(_) => Err(InputError::BadIpv6 {
            value: shown(literal),
        }),
    }
}

fn plain_host(value: &str) -> Result<HostSpec, InputError> {
    if value.contains('%') {
        return Err(InputError::BadZone {
            value: shown(value),
        });
    }
    if value.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return match value.parse::<Ipv4Addr>() {
            Ok(ip) => Ok(HostSpec::Ip {
                ip: IpAddr::V4(ip),
                zone: None,
            }),
            Err(_) => Err(InputError::BadIpv4 {
                value: shown(value),
            }),
        };
    }
    Ok(HostSpec::Name(value.to_string()))
}

/// `A-B`, both ports, `A` ≤ `B` (a single port `A` is the range `A-A`).
pub fn port_range(value: &str) -> Result<(u16, u16), InputError> {
    check_text(value, Arg::Range)?;
    let t = value.trim();
    let (lo, hi) = match t.split_once('-') {
        // "-5" is a negative port, not an open range.
        Some(("", n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(InputError::PortNegative { value: shown(t) })
        }
        Some(("", _)) | Some((_, "")) => return Err(InputError::BadRange { value: shown(t) }),
        Some((lo, hi)) => (port(lo)?, port(hi)?),
        None => {
            let p = port(t)?;
            (p, p)
        }
    };
    if lo > hi {
        return Err(InputError::RangeReversed { low: lo, high: hi });
    }
    Ok((lo, hi))
}

/// Ports and ranges separated by commas (`5000,8000-8010`), at most `max` ports in all,
/// without repeats, in the order given.
pub fn port_list(value: &str, max: usize) -> Result<Vec<u16>, InputError> {
    check_text(value, Arg::Port)?;
    let mut ports: Vec<u16> = Vec::new();
    for item in value.split(',') {
        if item.trim().is_empty() {
            return Err(InputError::BadPortList {
                value: shown(value),
            });
        }
        let (lo, hi) = port_range(item)?;
        if ports.len() + usize::from(hi - lo) + 1 > max {
            return Err(InputError::TooManyPorts { max });
        }
        for port in lo..=hi {
            if !ports.contains(&port) {
                ports.push(port);
            }
        }
    }
    Ok(ports)
}

/// A count from 1 to `max`.
pub fn count(value: &str, max: usize) -> Result<usize, InputError> {
    check_text(value, Arg::Count)?;
    let t = value.trim();
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(InputError::CountNotNumber { value: shown(t) });
    }
    match t.trim_start_matches('0') {
        "" => Err(InputError::CountZero),
        digits if digits.len() > 9 => Err(InputError::CountTooLarge { max }),
        digits => match digits.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(InputError::CountTooLarge { max }),
        },
    }
}

/// A duration: `500ms`, `3s`, `1.5s`, `2m`, or a bare number of seconds; above zero and at
/// most `max`.
pub fn duration(value: &str, max: std::time::Duration) -> Result<std::time::Duration, InputError> {
    check_text(value, Arg::Duration)?;
    let t = value.trim();
    let bad = || InputError::BadDuration { value: shown(t) };
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let scale = match unit {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(bad()),
    };
    if number.is_empty() || number.matches('.').count() > 1 || number.len() > 12 {
        return Err(bad());
    }
    let seconds = number.parse::<f64>().map_err(|_| bad())? * scale;
    if seconds <= 0.0 {
        return Err(InputError::DurationZero);
    }
    if seconds > max.as_secs_f64() {
        return Err(InputError::DurationTooLong {
            value: shown(t),
            max_seconds: max.as_secs(),
        });
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// Whether `name` can be looked up as a DNS name (RFC 1123, with `_` tolerated).
pub fn is_hostname(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// `--path` for URLs: one leading slash, nothing a URL cannot carry as is.
pub fn url_path(value: &str) -> Result<String, InputError> {
    check_text(value, Arg::Path)?;
    if value.chars().any(char::is_whitespace) {
        return Err(InputError::BadPath {
            value: shown(value),
        });
    }
    Ok(if value.starts_with('/') {
        value.to_string()
    } else {
        format!("/{value}")
    })
}

#[cfg(test)]
#[path = "parse_properties.rs"]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::ip;

    fn host(s: &str) -> HostInput {
        host_input(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn spec(ip_s: &str) -> HostSpec {
        HostSpec::Ip {
            ip: ip(ip_s),
            zone: None,
        }
    }

    #[test]
    fn ports() {
        assert_eq!(port("5000"), Ok(5000));
        assert_eq!(port("1"), Ok(1));
        assert_eq!(port("65535"), Ok(65535));
        assert_eq!(port("005000"), Ok(5000));
        assert_eq!(port(" 8080 "), Ok(8080));
        assert_eq!(port("0"), Err(InputError::PortZero));
        assert_eq!(port("000"), Err(InputError::PortZero));
        assert!(matches!(
            port("65536"),
            Err(InputError::PortTooLarge { .. })
        ));
        assert!(matches!(
            port("99999999999999999999"),
            Err(InputError::PortTooLarge { .. })
        ));
        assert!(matches!(port("-1"), Err(InputError::PortNegative { .. })));
        for bad in [
            "abc",
            "5000x",
            "1e3",
            "+5",
            "0x10",
            "50 00",
            "-",
            "５０００",
        ] {
            assert!(
                matches!(port(bad), Err(InputError::PortNotNumber { .. })),
                "{bad}"
            );
        }
        assert_eq!(port(""), Err(InputError::Empty { what: Arg::Port }));
        assert_eq!(port("   "), Err(InputError::Empty { what: Arg::Port }));
    }

    #[test]
    fn literal_hosts() {
        assert_eq!(host("127.0.0.1").host, spec("127.0.0.1"));
        assert_eq!(host("0.0.0.0").host, spec("0.0.0.0"));
        assert_eq!(host("::").host, spec("::"));
        assert_eq!(host("[::]").host, spec("::"));
        assert_eq!(host("::1").port, None);
        let h = host("[::1]:8000");
        assert_eq!((h.host, h.port), (spec("::1"), Some(8000)));
        let h = host("192.168.1.5:5000");
        assert_eq!((h.host, h.port), (spec("192.168.1.5"), Some(5000)));
        let h = host("fe80::1%eth0");
        assert_eq!(
            h.host,
            HostSpec::Ip {
                ip: ip("fe80::1"),
                zone: Some("eth0".into())
            }
        );
    }

    #[test]
    fn names_and_urls() {
        assert_eq!(host("localhost").host, HostSpec::Name("localhost".into()));
        let h = host("localhost:3000");
        assert_eq!(
            (h.host, h.port),
            (HostSpec::Name("localhost".into()), Some(3000))
        );
        let h = host("http://0.0.0.0:5000");
        assert_eq!(h.host, spec("0.0.0.0"));
        assert_eq!(h.port, Some(5000));
        assert_eq!(h.scheme.as_deref(), Some("http"));
        let h = host("HTTPS://user:pw@[2001:db8::1]/admin?x=1");
        assert_eq!(h.host, spec("2001:db8::1"));
        assert_eq!(h.port, Some(443));
        assert_eq!(h.scheme.as_deref(), Some("https"));
        assert_eq!(h.path.as_deref(), Some("/admin?x=1"));
        let h = host("http://[fe80::1%25wlan0]:8080/");
        assert_eq!(
            h.host,
            HostSpec::Ip {
                ip: ip("fe80::1"),
                zone: Some("wlan0".into())
            }
        );
        assert_eq!(host("http://localhost").port, Some(80));
        assert_eq!(
            host("vEthernet (WSL)").host,
            HostSpec::Name("vEthernet (WSL)".into())
        );
    }

    #[test]
    fn bad_hosts_say_why() {
        let err = |s: &str| host_input(s).unwrap_err();
        assert!(matches!(err("999.1.1.1"), InputError::BadIpv4 { .. }));
        assert!(matches!(err("1.2.3"), InputError::BadIpv4 { .. }));
        assert!(matches!(err("::1::"), InputError::BadIpv6 { .. }));
        assert!(matches!(err("[::1"), InputError::UnclosedBracket { .. }));
        assert!(matches!(err("::1]"), InputError::UnclosedBracket { .. }));
        assert!(matches!(err("[::1]x"), InputError::AfterBracket { .. }));
        assert!(matches!(
            err("[127.0.0.1]"),
            InputError::BracketedIpv4 { .. }
        ));
        assert!(matches!(
            err("[::1]:"),
            InputError::Empty { what: Arg::Port }
        ));
        assert!(matches!(err("[::1]:0"), InputError::PortZero));
        assert!(matches!(
            err("localhost:abc"),
            InputError::PortNotNumber { .. }
        ));
        assert!(matches!(
            err(":5000"),
            InputError::Empty { what: Arg::Host }
        ));
        assert!(matches!(err("5000"), InputError::LooksLikePort { .. }));
        assert!(matches!(
            err("192.168.1.0/24"),
            InputError::HostWithPath { .. }
        ));
        assert!(matches!(
            err("ftp://host"),
            InputError::UnsupportedScheme { .. }
        ));
        assert!(matches!(
            err("http://"),
            InputError::Empty { what: Arg::Host }
        ));
        assert!(matches!(err("http://:80"), InputError::BadUrl { .. }));
        assert!(matches!(err("fe80::1%"), InputError::BadZone { .. }));
        assert!(matches!(err("host%eth0"), InputError::BadZone { .. }));
        assert!(matches!(err(""), InputError::Empty { what: Arg::Host }));
        assert!(matches!(
            err("a\u{7}b"),
            InputError::ControlCharacters { .. }
        ));
        assert!(matches!(
            err(&"a".repeat(100_000)),
            InputError::TooLong { .. }
        ));
    }

    #[test]
    fn shown_values_are_short() {
        assert_eq!(shown("abc"), "abc");
        assert_eq!(shown("a\nb\u{1b}[31m"), "a\nb\u{1b}[31m");
        let long = shown(&"x".repeat(1000));
        assert!(long.chars().count() <= SHOWN_LEN + 1 && long.ends_with('…'));
    }

    #[test]
    fn hostnames() {
        assert!(is_hostname("localhost"));
        assert!(is_hostname("my-laptop.local."));
        assert!(is_hostname("_dev.example"));
        assert!(!is_hostname("-bad.example"));
        assert!(!is_hostname("a..b"));
        assert!(!is_hostname("vEthernet (WSL)"));
        assert!(!is_hostname(&"a".repeat(64)));
    }

    #[test]
    fn ranges_counts_and_durations() {
        assert_eq!(port_range("5000-5010"), Ok((5000, 5010)));
        assert_eq!(port_range("8080"), Ok((8080, 8080)));
        assert_eq!(port_range("1-65535"), Ok((1, 65535)));
        assert_eq!(
            port_range("6000-5000"),
            Err(InputError::RangeReversed {
                low: 6000,
                high: 5000
            })
        );
        assert!(matches!(
            port_range("1-1000000"),
            Err(InputError::PortTooLarge { .. })
        ));
        assert!(matches!(port_range("0-10"), Err(InputError::PortZero)));
        assert!(matches!(
            port_range("-5"),
            Err(InputError::PortNegative { .. })
        ));
        assert!(matches!(
            port_range("a-b"),
            Err(InputError::PortNotNumber { .. })
        ));
        assert!(matches!(
            port_range("5000-"),
            Err(InputError::BadRange { .. })
        ));
        assert!(matches!(port_range("-"), Err(InputError::BadRange { .. })));

        assert_eq!(count("3", 100), Ok(3));
        assert_eq!(count("0", 100), Err(InputError::CountZero));
        assert_eq!(
            count("101", 100),
            Err(InputError::CountTooLarge { max: 100 })
        );
        assert_eq!(
            count("99999999999999999999", 100),
            Err(InputError::CountTooLarge { max: 100 })
        );
        assert!(matches!(
            count("-1", 100),
            Err(InputError::CountNotNumber { .. })
        ));

        use std::time::Duration;
        let max = Duration::from_secs(60);
        assert_eq!(duration("1s", max), Ok(Duration::from_secs(1)));
        assert_eq!(duration("500ms", max), Ok(Duration::from_millis(500)));
        assert_eq!(duration("1.5", max), Ok(Duration::from_millis(1500)));
        assert_eq!(duration("1m", max), Ok(Duration::from_secs(60)));
        assert_eq!(duration("0s", max), Err(InputError::DurationZero));
        assert!(matches!(
            duration("2m", max),
            Err(InputError::DurationTooLong { .. })
        ));
        for bad in [
            "-1s", "abc", "1.2.3s", "5 s", "1e3", "s", ".", "infs", "NaN",
        ] {
            assert!(
                matches!(duration(bad, max), Err(InputError::BadDuration { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn port_lists() {
        assert_eq!(port_list("5000", 64), Ok(vec![5000]));
        assert_eq!(
            port_list("5000,8000-8002", 64),
            Ok(vec![5000, 8000, 8001, 8002])
        );
        assert_eq!(port_list("80,80", 64), Ok(vec![80]));
        assert_eq!(port_list("1-64", 64).map(|p| p.len()), Ok(64));
        assert_eq!(
            port_list("1-65", 64),
            Err(InputError::TooManyPorts { max: 64 })
        );
        assert_eq!(
            port_list("1-1000000", 64).map(|_| ()),
            Err(InputError::PortTooLarge {
                value: "1000000".into()
            })
        );
        assert!(matches!(
            port_list("5000,", 64),
            Err(InputError::BadPortList { .. })
        ));
        assert!(matches!(
            port_list("5000-4000", 64),
            Err(InputError::RangeReversed { .. })
        ));
        assert!(matches!(port_list("0", 64), Err(InputError::PortZero)));
    }

    #[test]
    fn paths() {
        assert_eq!(url_path("app").unwrap(), "/app");
        assert_eq!(url_path("/app?x=1").unwrap(), "/app?x=1");
        assert!(url_path("a b").is_err());
        assert!(url_path("").is_err());
    }
}
