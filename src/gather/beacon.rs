//! The `serve` beacon: a port to listen on, the listener, and the loop that hands each event
//! back to the caller as it happens (a visit, a TLS handshake, a device asking for this
//! machine's address, packets dropped on the way in) while the server answers on its own
//! thread. What the caller hears goes through a bounded channel: when its log falls behind,
//! events are counted, not queued without end.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::ports::free_ports;
use crate::model::{BindError, Host, IpCounters, Page, Sighting, Syn, Visit};
use crate::platform;
use crate::platform::server::{serve, Arrival, Limits, Served};

/// The port to listen on: the one asked for, or a free one near 8000.
pub fn port(host: &Host, ip: IpAddr, asked: Option<u16>) -> u16 {
    asked.unwrap_or_else(|| {
        free_ports(host, 8000, (1024, 65535), &[ip], 1)
            .first()
            .copied()
            .unwrap_or(8000)
    })
}

/// Binds the beacon's listener.
pub fn bind(address: SocketAddr) -> Result<TcpListener, BindError> {
    TcpListener::bind(address).map_err(|e| BindError::from_io(&e))
}

/// What the beacon heard.
#[derive(Debug, Clone)]
pub enum Event {
    /// The beacon answers, and Ctrl+C ends it with its summary; what it can watch.
    Listening {
        syns_captured: bool,
    },
    Visit(Visit),
    /// A TLS ClientHello on the plain-HTTP port.
    Tls {
        peer: SocketAddr,
        local: SocketAddr,
    },
    /// A connection was accepted.
    Opened {
        peer: SocketAddr,
    },
    /// A device asked for this machine's hardware address.
    Sighting(Sighting),
    /// A TCP SYN for the port arrived (seen before the firewall).
    Syn(Syn),
    /// Unicast packets dropped on the way in since the start (this many in all).
    Dropped {
        packets: u64,
    },
}

/// What one address did, counted on the threads where it happens: nothing is lost when the
/// live log falls behind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub visits: usize,
    pub tls: usize,
    pub connections: usize,
    pub syns: usize,
    pub asked: bool,
}

/// Every visit, and what each address did (at most [`TALLIED`] addresses; `over` counts the
/// rest, so a flood from random addresses cannot grow it).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub visits: usize,
    pub devices: HashMap<IpAddr, Counts>,
    pub over: usize,
}

pub const TALLIED: usize = 4096;

impl Tally {
    fn record(&mut self, event: &Event) {
        let (ip, count): (IpAddr, fn(&mut Counts)) = match event {
            Event::Visit(v) => {
                self.visits += 1;
                (v.peer.ip(), |c| c.visits += 1)
            }
            Event::Tls { peer, .. } => (peer.ip(), |c| c.tls += 1),
            Event::Opened { peer } => (peer.ip(), |c| c.connections += 1),
            Event::Syn(syn) => (syn.source, |c| c.syns += 1),
            Event::Sighting(s) => (s.ip, |c| c.asked = true),
            Event::Listening { .. } | Event::Dropped { .. } => return,
        };
        let ip = ip.to_canonical();
        let room = self.devices.len() < TALLIED;
        match self.devices.get_mut(&ip) {
            Some(counts) => count(counts),
            None if room => count(self.devices.entry(ip).or_default()),
            None => self.over += 1,
        }
    }
}

/// Which interfaces the packet watch looks at.
pub enum WatchOn {
    /// None: the beacon listens on loopback, which no other device reaches.
    Nothing,
    /// Every interface (the beacon listens on a wildcard address).
    Every,
    /// These interface indices.
    These(Vec<u32>),
}

/// What the beacon did, besides what it reported as it happened.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Every visit and what each address did, counted whether or not the log showed it.
    pub tally: Tally,
    pub served: Served,
    /// Events that were not reported as they happened because the log fell behind.
    pub missed: usize,
    /// Whether devices asking for this machine's address could be seen.
    pub neighbours_watched: bool,
    /// Unicast packets dropped on the way in during the run; `None` where the counters
    /// could not be read.
    pub undelivered: Option<u64>,
}

/// Events waiting for the log at most; more are counted as missed.
const BACKLOG: usize = 1024;
/// How often the IP counters are read, and the least time between two reports of drops.
const COUNTER_EVERY: Duration = Duration::from_millis(500);
const DROP_REPORT_EVERY: Duration = Duration::from_secs(2);

/// Serves until `duration` has passed or Ctrl+C. `page` answers each visit on the server's
/// thread; `heard` hears of each event on this one, with the seconds since the start, the
/// first being [`Event::Listening`].
pub fn run(
    listener: TcpListener,
    duration: Duration,
    watch_on: WatchOn,
    page: impl Fn(&Visit, f64) -> Page + Send + Sync + 'static,
    mut heard: impl FnMut(&Event, f64) -> std::io::Result<()>,
) -> anyhow::Result<Finished> {
    let start = Instant::now();
    let until = start + duration;
    let (events, log) = mpsc::sync_channel::<(Event, f64)>(BACKLOG);
    let missed = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let tell = {
        let (events, missed, tally) = (events.clone(), missed.clone(), tally.clone());
        move |event: Event| {
            let at = start.elapsed().as_secs_f64();
            tally
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .record(&event);
            if let Err(TrySendError::Full(_)) = events.try_send((event, at)) {
                missed.fetch_add(1, Ordering::Relaxed);
            }
        }
    };
    // The watches open before the server answers, so that nothing a visitor sends after
    // "listening" is missed.
    let stop = Arc::new(AtomicBool::new(false));
    let counting = !matches!(watch_on, WatchOn::Nothing);
    let wanted = match &watch_on {
        WatchOn::These(indices) => Some(indices.clone()),
        _ => None,
    };
    let port = listener.local_addr()?.port();
    let neighbours = counting.then(platform::neighbour_watch).flatten();
    let capture = counting.then(|| platform::syn_capture(port)).flatten();
    let (neighbours_watched, syns_captured) = (neighbours.is_some(), capture.is_some());
    let mut watchers = Vec::new();
    if let Some(mut next) = neighbours {
        let (stop, tell, wanted) = (stop.clone(), tell.clone(), wanted.clone());
        watchers.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                for sighting in next(Duration::from_millis(250)) {
                    if wanted
                        .as_ref()
                        .is_none_or(|w| w.contains(&sighting.interface))
                    {
                        tell(Event::Sighting(sighting));
                    }
                }
            }
        }));
    }
    if let Some(mut next) = capture {
        let (stop, tell) = (stop.clone(), tell.clone());
        watchers.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                for syn in next(Duration::from_millis(250)) {
                    if wanted.as_ref().is_none_or(|w| w.contains(&syn.interface)) {
                        tell(Event::Syn(syn));
                    }
                }
            }
        }));
    }
    let first: Option<IpCounters> = counting.then(platform::ip_counters).flatten();
    let (ready, is_ready) = mpsc::channel::<()>();
    let server = {
        let tell = tell.clone();
        std::thread::spawn(move || {
            serve(
                listener,
                Limits::default().fitted(),
                until,
                move || {
                    let _ = ready.send(());
                },
                move |arrival| match arrival {
                    Arrival::Visit(v) => {
                        let answer = page(v, start.elapsed().as_secs_f64());
                        tell(Event::Visit(v.clone()));
                        Some(answer)
                    }
                    Arrival::Tls { peer, local } => {
                        tell(Event::Tls { peer, local });
                        None
                    }
                    Arrival::Opened { peer } => {
                        tell(Event::Opened { peer });
                        None
                    }
                },
            )
        })
    };
    drop(events);
    drop(tell);
    // The server thread either says it is ready or ends (and says why when joined).
    let _ = is_ready.recv();
    let mut result = heard(&Event::Listening { syns_captured }, 0.0);
    let (mut reported, mut last_report, mut next_count) = (0, start, start + COUNTER_EVERY);
    let mut undelivered = first.map(|_| 0);
    loop {
        let mut deliver = |event: &Event, at| {
            if result.is_ok() {
                result = heard(event, at);
            }
        };
        match log.recv_timeout(Duration::from_millis(100)) {
            Ok((event, at)) => deliver(&event, at),
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if server.is_finished() {
            while let Ok((event, at)) = log.try_recv() {
                deliver(&event, at);
            }
            break;
        }
        if let (Some(first), true) = (first, Instant::now() >= next_count) {
            next_count = Instant::now() + COUNTER_EVERY;
            if let Some(now) = platform::ip_counters() {
                let dropped = now.undelivered_since(&first);
                undelivered = Some(dropped);
                if dropped > reported && last_report.elapsed() >= DROP_REPORT_EVERY {
                    (reported, last_report) = (dropped, Instant::now());
                    if result.is_ok() {
                        let event = Event::Dropped { packets: dropped };
                        result = heard(&event, start.elapsed().as_secs_f64());
                    }
                }
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    for watcher in watchers {
        let _ = watcher.join();
    }
    result?;
    let served = server
        .join()
        .map_err(|_| anyhow::anyhow!("the beacon's server thread failed"))??;
    if let (Some(first), Some(now)) = (first, platform::ip_counters()) {
        undelivered = Some(now.undelivered_since(&first));
    }
    let tally = tally.lock().unwrap_or_else(PoisonError::into_inner).clone();
    Ok(Finished {
        tally,
        served,
        missed: missed.load(Ordering::Relaxed),
        neighbours_watched,
        undelivered,
    })
}
