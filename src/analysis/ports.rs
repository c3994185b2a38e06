//! What a port number means: its IANA class, the privilege it needs, whether the OS hands it
//! out for outgoing connections, and the service people know it for.

use serde::Serialize;

use super::notes::Note;
use crate::model::{Host, Os};

/// The IANA ranges, as the seeds list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortClass {
    /// 0–1023: system services (80 HTTP, 22 SSH).
    WellKnown,
    /// 1024–49151: registered to applications.
    Registered,
    /// 49152–65535: dynamic and private, handed out for outgoing connections.
    Dynamic,
}

pub fn class(port: u16) -> PortClass {
    match port {
        0..=1023 => PortClass::WellKnown,
        1024..=49151 => PortClass::Registered,
        _ => PortClass::Dynamic,
    }
}

/// The services a developer meets on these ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Ftp,
    Ssh,
    Smtp,
    Dns,
    Http,
    Https,
    Mssql,
    Mysql,
    Rdp,
    React,
    Angular,
    Flask,
    Vite,
    Postgres,
    #[serde(rename = "airplay")]
    AirPlay,
    Vnc,
    Redis,
    Django,
    HttpAlt,
    HttpsAlt,
    Jupyter,
    Elasticsearch,
    Memcached,
    #[serde(rename = "mongodb")]
    MongoDb,
    #[serde(rename = "rabbitmq")]
    RabbitMq,
}

impl Service {
    pub fn of(port: u16) -> Option<Service> {
        Some(match port {
            21 => Service::Ftp,
            22 => Service::Ssh,
            25 => Service::Smtp,
            53 => Service::Dns,
            80 => Service::Http,
            443 => Service::Https,
            1433 => Service::Mssql,
            3000 => Service::React,
            3306 => Service::Mysql,
            3389 => Service::Rdp,
            4200 => Service::Angular,
            5000 => Service::Flask,
            5173 => Service::Vite,
            5432 => Service::Postgres,
            5672 => Service::RabbitMq,
            5900 => Service::Vnc,
            6379 => Service::Redis,
            7000 => Service::AirPlay,
            8000 => Service::Django,
            8080 => Service::HttpAlt,
            8443 => Service::HttpsAlt,
            8888 => Service::Jupyter,
            9200 => Service::Elasticsearch,
            11211 => Service::Memcached,
            27017 => Service::MongoDb,
            _ => return None,
        })
    }
}

/// What is known about a port on this machine, before anything is bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PortFacts {
    pub class: PortClass,
    /// Below `ip_unprivileged_port_start`: binding needs root or CAP_NET_BIND_SERVICE.
    pub needs_privilege: bool,
    /// Inside `ip_local_port_range`: the OS may hand it to an outgoing connection at any time.
    pub in_ephemeral_range: Option<bool>,
    pub service: Option<Service>,
}

pub fn facts(host: &Host, port: u16) -> PortFacts {
    PortFacts {
        class: class(port),
        needs_privilege: host
            .sysctls
            .unprivileged_port_start
            .is_some_and(|start| port < start),
        in_ephemeral_range: host
            .sysctls
            .ephemeral_range
            .map(|(lo, hi)| (lo..=hi).contains(&port)),
        service: Service::of(port),
    }
}

/// A port below the unprivileged start needs root or CAP_NET_BIND_SERVICE: whether this
/// process has it. `wildcard_only`: the bind is to 0.0.0.0 or `::` alone, which macOS allows
/// any user since 10.14 (XNU's in_pcbbind checks the privilege only for a specific address);
/// `false` where a specific address is bound too, as `port`'s trial binds do.
pub fn privilege_note(host: &Host, port: u16, wildcard_only: bool) -> Option<Note> {
    let start = host.sysctls.unprivileged_port_start?;
    (port < start).then_some(if host.privileged {
        Note::PrivilegedPortAllowed { port, start }
    } else if host.os == Os::Macos {
        Note::LowPortSpecificAddress {
            port,
            start,
            allowed: wildcard_only,
        }
    } else {
        Note::PrivilegedPort { port, start }
    })
}

/// Ports to try instead of `port`, nearest first (above before below at equal distance),
/// within `lo..=hi`. Ports that would need privileges are left out unless this process has
/// them. Bounded by the range: at most 65,535 numbers.
pub fn nearby(host: &Host, port: u16, lo: u16, hi: u16) -> impl Iterator<Item = u16> {
    let floor = match host.sysctls.unprivileged_port_start {
        Some(start) if !host.privileged => lo.max(start),
        _ => lo,
    }
    .max(1);
    let (port, hi) = (u32::from(port), u32::from(hi));
    let floor = u32::from(floor);
    let excluded = host.excluded_ports.clone();
    (0..=65535u32)
        .flat_map(move |d| {
            let up = port + d;
            let down = port.checked_sub(d).filter(|_| d > 0);
            [Some(up), down]
        })
        .flatten()
        .filter(move |p| (floor..=hi).contains(p))
        .map(|p| p as u16)
        .take((hi.saturating_sub(floor) + 1) as usize)
        .filter(move |p| !excluded.iter().any(|&(low, high)| (low..=high).contains(p)))
}

/// The excluded port range (Windows) that holds `port`, if any.
pub fn excluded_range(host: &Host, port: u16) -> Option<(u16, u16)> {
    host.excluded_ports
        .iter()
        .copied()
        .find(|&(low, high)| (low..=high).contains(&port))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixtures;

    #[test]
    fn classes_at_their_edges() {
        assert_eq!(class(1), PortClass::WellKnown);
        assert_eq!(class(1023), PortClass::WellKnown);
        assert_eq!(class(1024), PortClass::Registered);
        assert_eq!(class(49151), PortClass::Registered);
        assert_eq!(class(49152), PortClass::Dynamic);
        assert_eq!(class(65535), PortClass::Dynamic);
    }

    #[test]
    fn facts_follow_the_machine() {
        let host = fixtures::laptop();
        let f = facts(&host, 80);
        assert!(f.needs_privilege);
        assert_eq!(f.service, Some(Service::Http));
        assert_eq!(f.in_ephemeral_range, Some(false));
        let f = facts(&host, 40000);
        assert!(!f.needs_privilege);
        assert_eq!(f.in_ephemeral_range, Some(true));
        assert_eq!(facts(&host, 5000).service, Some(Service::Flask));
    }

    #[test]
    fn nearby_ports_alternate_and_stay_in_range() {
        let host = fixtures::laptop();
        let first: Vec<u16> = nearby(&host, 5000, 1, 65535).take(5).collect();
        assert_eq!(first, [5000, 5001, 4999, 5002, 4998]);
        let top: Vec<u16> = nearby(&host, 65535, 1, 65535).take(3).collect();
        assert_eq!(top, [65535, 65534, 65533]);
        // Unprivileged: never below 1024.
        let low: Vec<u16> = nearby(&host, 1024, 1, 65535).take(3).collect();
        assert_eq!(low, [1024, 1025, 1026]);
        let mut root = fixtures::laptop();
        root.privileged = true;
        let low: Vec<u16> = nearby(&root, 1024, 1, 65535).take(3).collect();
        assert_eq!(low, [1024, 1025, 1023]);
        // A range is walked whole and only once.
        let all: Vec<u16> = nearby(&host, 6000, 6000, 6009).collect();
        assert_eq!(all.len(), 10);
        assert!(all.iter().all(|p| (6000..=6009).contains(p)));
        assert_eq!(nearby(&host, 1, 1, 65535).count(), 65535 - 1024 + 1);
    }

    #[test]
    fn nearby_ports_skip_windows_excluded_ranges() {
        let mut host = fixtures::laptop();
        host.excluded_ports = vec![(4990, 5089), (5357, 5357)];
        let first: Vec<u16> = nearby(&host, 5000, 1, 65535).take(3).collect();
        assert_eq!(first, [4989, 4988, 4987]);
        let up: Vec<u16> = nearby(&host, 5000, 4990, 65535).take(2).collect();
        assert_eq!(up, [5090, 5091]);
        assert_eq!(excluded_range(&host, 5357), Some((5357, 5357)));
        assert_eq!(excluded_range(&host, 5358), None);
    }

    #[test]
    fn port_names_the_excluded_range_and_winerror_10013() {
        use crate::analysis::sockets::port_notes;
        use crate::model::{BindError, Os, SocketTable};
        let mut host = fixtures::laptop();
        host.os = Os::Windows;
        let refused = [(
            std::net::IpAddr::from([127, 0, 0, 1]),
            Err(BindError::Permission),
        )];
        let table = SocketTable::default();
        let notes = port_notes(&host, 5000, &refused, &table);
        assert!(notes.contains(&Note::ExcludedPortRange {
            port: 5000,
            range: None
        }));
        host.excluded_ports = vec![(4990, 5089)];
        let notes = port_notes(&host, 5000, &refused, &table);
        assert!(notes.contains(&Note::ExcludedPortRange {
            port: 5000,
            range: Some((4990, 5089))
        }));
        // Linux refuses with EACCES for privilege, never for a range.
        host.os = Os::Linux;
        host.excluded_ports.clear();
        let notes = port_notes(&host, 5000, &refused, &table);
        assert!(!notes
            .iter()
            .any(|n| matches!(n, Note::ExcludedPortRange { .. })));
    }
}
