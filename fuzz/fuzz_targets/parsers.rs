//! Every parser of user input, on arbitrary bytes: none may panic, and what parses must read
//! back the same from its printed form. See docs/fuzzing.md.
#![no_main]

use std::time::Duration;

use bindscope::parse::{self, HostSpec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(port) = parse::port(text) {
        assert_eq!(parse::port(&port.to_string()), Ok(port));
    }
    if let Ok((low, high)) = parse::port_range(text) {
        assert!(low <= high);
        assert_eq!(parse::port_range(&format!("{low}-{high}")), Ok((low, high)));
    }
    if let Ok(ports) = parse::port_list(text, 64) {
        assert!(!ports.is_empty() && ports.len() <= 64);
    }
    let _ = parse::count(text, 100);
    if let Ok(d) = parse::duration(text, Duration::from_secs(60)) {
        assert!(d > Duration::ZERO && d <= Duration::from_secs(60));
    }
    let _ = parse::url_path(text);
    if let Ok(host) = parse::host_input(text) {
        if let HostSpec::Ip { ip, .. } = host.host {
            let again = parse::host_input(&ip.to_string()).expect("a printed address parses");
            assert!(matches!(again.host, HostSpec::Ip { ip: same, .. } if same == ip));
        }
    }
    assert!(!parse::shown(text).chars().any(char::is_control));
});
