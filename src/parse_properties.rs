//! Property tests of the parsers: they never panic, and read back what they print.

use std::net::SocketAddr;
use std::time::Duration;

use proptest::prelude::*;

use crate::parse::{self, HostSpec};
use crate::test_support::any_ip as ip;

/// Text a user might type, and text nobody would: any Unicode, control characters included.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-zA-Z:.\\[\\]%/_,-]{0,40}",
        "(https?|ftp|ws)://[0-9a-z:.\\[\\]%/-]{0,30}",
        ".{0,60}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsers_never_panic(text in typed()) {
        let _ = parse::port(&text);
        let _ = parse::port_range(&text);
        let _ = parse::port_list(&text, 64);
        let _ = parse::count(&text, 100);
        let _ = parse::duration(&text, Duration::from_secs(60));
        let _ = parse::url_path(&text);
        let _ = parse::host_input(&text);
        let shown = parse::shown(&text);
        prop_assert!(shown.chars().count() <= 49, "{shown:?}");
    }

    #[test]
    fn a_port_reads_back_what_it_prints(text in typed()) {
        if let Ok(port) = parse::port(&text) {
            prop_assert!(port >= 1);
            prop_assert_eq!(parse::port(&port.to_string()), Ok(port));
        }
    }

    #[test]
    fn ports_ranges_and_lists_round_trip(
        a in 1u16..,
        b in 1u16..,
        list in proptest::collection::vec(1u16.., 1..30),
    ) {
        prop_assert_eq!(parse::port(&a.to_string()), Ok(a));
        let (low, high) = (a.min(b), a.max(b));
        prop_assert_eq!(parse::port_range(&format!("{low}-{high}")), Ok((low, high)));
        let text = list.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        let mut expected: Vec<u16> = Vec::new();
        for p in &list {
            if !expected.contains(p) {
                expected.push(*p);
            }
        }
        prop_assert_eq!(parse::port_list(&text, 64), Ok(expected));
    }

    #[test]
    fn durations_read_back_exactly(ms in 1u64..=60_000, s in 1u64..=60) {
        let max = Duration::from_secs(60);
        prop_assert_eq!(parse::duration(&format!("{ms}ms"), max), Ok(Duration::from_millis(ms)));
        prop_assert_eq!(parse::duration(&format!("{s}s"), max), Ok(Duration::from_secs(s)));
        prop_assert_eq!(parse::duration(&s.to_string(), max), Ok(Duration::from_secs(s)));
    }

    #[test]
    fn counts_read_back(n in 1usize..=100) {
        prop_assert_eq!(parse::count(&n.to_string(), 100), Ok(n));
    }

    #[test]
    fn addresses_sockets_and_urls_read_back(ip in ip(), port in 1u16..) {
        let host = parse::host_input(&ip.to_string()).unwrap();
        prop_assert_eq!(host.host, HostSpec::Ip { ip, zone: None });
        prop_assert_eq!(host.port, None);

        let socket = SocketAddr::new(ip, port).to_string();
        let host = parse::host_input(&socket).unwrap();
        prop_assert_eq!(host.host, HostSpec::Ip { ip, zone: None });
        prop_assert_eq!(host.port, Some(port));

        let url = format!("http://{socket}/app");
        let host = parse::host_input(&url).unwrap();
        prop_assert_eq!(host.host, HostSpec::Ip { ip, zone: None });
        prop_assert_eq!(host.port, Some(port));
        prop_assert_eq!(host.scheme.as_deref(), Some("http"));
    }
}
