//! What a run of the beacon shows about the other device: the visits, a TLS handshake, the
//! devices that asked for this machine's hardware address and the packets dropped on the way
//! in, read in order of strength. Pure: every case is a unit test.

use std::net::IpAddr;

pub use super::vocab::BeaconDiagnosis;

/// One address the beacon heard from, and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heard {
    pub ip: IpAddr,
    /// It is this machine (loopback, or one of its own addresses).
    pub same_machine: bool,
    pub visits: usize,
    /// TLS handshakes on the plain-HTTP port.
    pub tls: usize,
    /// It asked for this machine's hardware address (a new neighbour entry).
    pub asked: bool,
    /// TCP SYNs it sent to the port, seen before the firewall (where they can be captured).
    pub syns: usize,
    /// Connections of its that the beacon accepted.
    pub connections: usize,
}

/// What the run saw besides the addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watched {
    /// The beacon listened on loopback only.
    pub loopback: bool,
    /// New neighbour entries could be seen.
    pub neighbours: bool,
    /// Packets received and never delivered (dropped on the way in, by a firewall or for
    /// other reasons); `None` where the counters could not be read.
    pub undelivered: Option<u64>,
    /// The SYNs arriving for the port could be seen: then they alone can show a drop of a
    /// connection to it, and the counters (which count every packet) stay out of it.
    pub syns: bool,
}

/// The diagnosis and the addresses it rests on.
pub fn diagnose(heard: &[Heard], watched: Watched) -> (BeaconDiagnosis, Vec<IpAddr>) {
    let others = |keep: fn(&Heard) -> bool| -> Vec<IpAddr> {
        heard
            .iter()
            .filter(|h| !h.same_machine && keep(h))
            .map(|h| h.ip)
            .collect()
    };
    let visited = others(|h| h.visits > 0);
    if !visited.is_empty() {
        return (BeaconDiagnosis::Visited, visited);
    }
    if watched.loopback {
        return (BeaconDiagnosis::LoopbackOnly, Vec::new());
    }
    let tls = others(|h| h.tls > 0);
    if !tls.is_empty() {
        return (BeaconDiagnosis::TlsOnHttp, tls);
    }
    // SYNs that arrived and never became a connection were dropped on the way in.
    let tried = others(|h| h.syns > 0 && h.connections == 0);
    if !tried.is_empty() {
        return (BeaconDiagnosis::DroppedHere, tried);
    }
    let silent = others(|h| h.connections > 0);
    if !silent.is_empty() {
        return (BeaconDiagnosis::ConnectedSilent, silent);
    }
    // The counters count every packet never delivered, multicast nobody here listens to
    // included: they speak only beside a device that asked for this machine's address, and
    // only where the SYNs themselves cannot be seen.
    let dropped = !watched.syns && watched.undelivered.is_some_and(|n| n > 0);
    let asked = others(|h| h.asked);
    if !asked.is_empty() {
        let code = if dropped {
            BeaconDiagnosis::DroppedHere
        } else {
            BeaconDiagnosis::SeenNotConnected
        };
        return (code, asked);
    }
    if heard.iter().any(|h| h.same_machine && h.visits > 0) {
        return (BeaconDiagnosis::VisitedFromHere, Vec::new());
    }
    if !watched.neighbours || watched.undelivered.is_none() {
        return (BeaconDiagnosis::NotWatched, Vec::new());
    }
    (BeaconDiagnosis::NeverArrived, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ip: &str) -> Heard {
        Heard {
            ip: ip.parse().unwrap(),
            same_machine: false,
            visits: 0,
            tls: 0,
            asked: false,
            syns: 0,
            connections: 0,
        }
    }

    const WATCHED: Watched = Watched {
        loopback: false,
        neighbours: true,
        undelivered: Some(0),
        syns: false,
    };

    #[test]
    fn each_case_in_order_of_strength() {
        let phone = "10.203.1.2".parse::<IpAddr>().unwrap();
        let here = Heard {
            same_machine: true,
            visits: 3,
            ..at("127.0.0.1")
        };
        let visit = Heard {
            visits: 1,
            asked: true,
            ..at("10.203.1.2")
        };
        let dropped = Watched {
            undelivered: Some(3),
            ..WATCHED
        };
        assert_eq!(
            diagnose(&[here.clone(), visit], dropped),
            (BeaconDiagnosis::Visited, vec![phone])
        );
        let tls = Heard {
            tls: 1,
            ..at("10.203.1.2")
        };
        assert_eq!(diagnose(&[tls], WATCHED).0, BeaconDiagnosis::TlsOnHttp);
        let asked = Heard {
            asked: true,
            ..at("10.203.1.2")
        };
        assert_eq!(
            diagnose(std::slice::from_ref(&asked), dropped),
            (BeaconDiagnosis::DroppedHere, vec![phone])
        );
        assert_eq!(
            diagnose(&[asked], WATCHED).0,
            BeaconDiagnosis::SeenNotConnected
        );
        // Counters alone name nothing: multicast noise looks the same.
        assert_eq!(diagnose(&[], dropped).0, BeaconDiagnosis::NeverArrived);
        assert_eq!(
            diagnose(std::slice::from_ref(&here), WATCHED).0,
            BeaconDiagnosis::VisitedFromHere
        );
        assert_eq!(diagnose(&[], WATCHED).0, BeaconDiagnosis::NeverArrived);
        let blind = Watched {
            neighbours: false,
            undelivered: None,
            ..WATCHED
        };
        assert_eq!(diagnose(&[], blind).0, BeaconDiagnosis::NotWatched);
        let loopback = Watched {
            loopback: true,
            ..WATCHED
        };
        assert_eq!(diagnose(&[here], loopback).0, BeaconDiagnosis::LoopbackOnly);
    }
}
