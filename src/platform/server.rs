//! The `serve` beacon's HTTP server: hyper on a single-threaded tokio runtime, one request per
//! connection, and an end time (or Ctrl+C). It serves no files: every answer comes from the
//! handler. It stays bounded whatever visitors do:
//! - the request head is capped and a silent connection is closed after `idle`;
//! - the connections open at once are capped, below the descriptor limit, and so are each
//!   client address's: when a cap is reached the oldest connection still waiting for its
//!   request is shed, so one client holding many silent connections cannot lock out another;
//! - when accepting fails (descriptors exhausted), it sheds a waiting connection and backs off
//!   instead of spinning;
//! - a TLS ClientHello (a browser that tried `https://`) is recognised from its first byte and
//!   reported, not parsed as HTTP.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::sync::Notify;

use crate::model::{Ended, Page, Visit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once (lowered to fit the descriptor limit).
    pub connections: usize,
    /// Connections open at once from one client address.
    pub per_client: usize,
    /// The largest request head (request line and headers) read, in bytes (hyper's least is
    /// 8 KiB). Bodies are never read.
    pub head_bytes: usize,
    /// How long a connection may stay silent before its request head arrives.
    pub idle: Duration,
    /// The longest path kept of a visit, in characters.
    pub path_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 512,
            per_client: 32,
            head_bytes: 8 * 1024,
            idle: Duration::from_secs(10),
            path_chars: 200,
        }
    }
}

impl Limits {
    /// These limits with the connection cap below this process's descriptor limit, keeping
    /// room for the runtime, the watch, a 503 answer and standard streams.
    pub fn fitted(self) -> Limits {
        const RESERVED: u64 = 48;
        #[cfg(unix)]
        let limit = super::unix::descriptor_limit();
        #[cfg(not(unix))]
        let limit: Option<u64> = None;
        let room = limit.map_or(usize::MAX, |n| {
            usize::try_from(n.saturating_sub(RESERVED)).unwrap_or(usize::MAX)
        });
        let connections = self.connections.min(room).max(4);
        Limits {
            connections,
            per_client: self.per_client.min(connections / 2).max(2),
            ..self
        }
    }
}

/// What arrived at the beacon.
pub enum Arrival<'a> {
    /// An HTTP request: answered with the page the handler gives.
    Visit(&'a Visit),
    /// A TLS ClientHello on this plain-HTTP port: the visitor's browser tried `https://`.
    Tls { peer: SocketAddr, local: SocketAddr },
    /// A connection was accepted (whatever it sends next, if anything).
    Opened { peer: SocketAddr },
}

/// What the server did besides answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    /// Connections answered 503 because a cap was reached and none could be shed.
    pub turned_away: usize,
    /// Connections closed while still waiting for their request, to make room for others.
    pub shed: usize,
    pub ended: Ended,
}

/// One open connection, as the accept loop sees it.
struct Open {
    client: IpAddr,
    /// Its request head has not arrived yet: it may be shed.
    waiting: bool,
    close: Arc<Notify>,
}

/// The open connections, oldest first, and how many each client holds.
#[derive(Default)]
struct Registry {
    next: u64,
    open: BTreeMap<u64, Open>,
    per_client: HashMap<IpAddr, usize>,
}

impl Registry {
    fn holds(&self, client: IpAddr) -> usize {
        self.per_client.get(&client).copied().unwrap_or(0)
    }

    fn add(&mut self, client: IpAddr) -> (u64, Arc<Notify>) {
        let id = self.next;
        self.next += 1;
        let close = Arc::new(Notify::new());
        self.open.insert(
            id,
            Open {
                client,
                waiting: true,
                close: close.clone(),
            },
        );
        *self.per_client.entry(client).or_default() += 1;
        (id, close)
    }

    fn remove(&mut self, id: u64) {
        if let Some(open) = self.open.remove(&id) {
            if let Some(n) = self.per_client.get_mut(&open.client) {
                *n -= 1;
                if *n == 0 {
                    self.per_client.remove(&open.client);
                }
            }
        }
    }

    fn answered(&mut self, id: u64) {
        if let Some(open) = self.open.get_mut(&id) {
            open.waiting = false;
        }
    }

    /// Closes the oldest connection still waiting for its request: of `client`, or else of
    /// the client holding the most connections (a flood pays for itself, not a visitor).
    fn shed(&mut self, client: Option<IpAddr>) -> bool {
        let client = client.or_else(|| {
            let waiting = |c: &IpAddr| self.open.values().any(|o| o.waiting && o.client == *c);
            self.per_client
                .iter()
                .filter(|(c, _)| waiting(c))
                .max_by_key(|(_, n)| **n)
                .map(|(c, _)| *c)
        });
        let oldest = self
            .open
            .iter()
            .find(|(_, o)| o.waiting && client.is_none_or(|c| c == o.client))
            .map(|(id, _)| *id);
        let Some(id) = oldest else { return false };
        if let Some(open) = self.open.get(&id) {
            open.close.notify_one();
        }
        self.remove(id);
        true
    }
}

type Shared = Arc<Mutex<Registry>>;

fn lock(registry: &Shared) -> std::sync::MutexGuard<'_, Registry> {
    registry.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Takes a connection off the registry when its task ends, however it ends.
struct Leave(Shared, u64);

impl Drop for Leave {
    fn drop(&mut self) {
        lock(&self.0).remove(self.1);
    }
}

/// `work`, unless `close` is notified first.
async fn unless<F: Future>(close: &Notify, work: F) -> Option<F::Output> {
    let mut work = pin!(work);
    let mut closed = pin!(close.notified());
    poll_fn(move |cx| {
        if closed.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        work.as_mut().poll(cx).map(Some)
    })
    .await
}

/// Runs `then` on a thread of its own at the first Ctrl+C (SIGINT, or the console's Ctrl+C
/// event), instead of the default of dying on the spot: for a command that must tidy the
/// terminal before it ends. Nothing is installed where the handler cannot be.
pub fn on_interrupt(then: impl FnOnce() + Send + 'static) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    else {
        return;
    };
    // Registered here, before this returns, so that no Ctrl+C falls between.
    let heard = {
        let _inside = runtime.enter();
        #[cfg(unix)]
        let heard = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
        #[cfg(windows)]
        let heard = tokio::signal::windows::ctrl_c();
        heard
    };
    let Ok(mut heard) = heard else { return };
    let _ = std::thread::Builder::new()
        .name("interrupt".into())
        .spawn(move || {
            if runtime.block_on(heard.recv()).is_some() {
                then();
            }
        });
}

/// Resolves at Ctrl+C; never, where it cannot be heard.
async fn interrupt() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The first `chars` characters of `s`, with `…` when it was longer.
fn capped(s: &str, chars: usize) -> String {
    match s.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

const BUSY: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/// Serves until `until` or Ctrl+C, calling `on` for every arrival: a visit is answered with
/// the page it gives (or an empty one), a TLS handshake is closed. `ready` is called once
/// Ctrl+C is heard by the server (before, it would end the process without a summary).
pub fn serve(
    listener: std::net::TcpListener,
    limits: Limits,
    until: Instant,
    ready: impl FnOnce(),
    on: impl Fn(Arrival) -> Option<Page> + Send + Sync + 'static,
) -> io::Result<Served> {
    listener.set_nonblocking(true)?;
    let runtime = super::net::runtime()?;
    let on = Arc::new(on);
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let registry: Shared = Arc::default();
        let mut served = Served {
            turned_away: 0,
            shed: 0,
            ended: Ended::TimeUp,
        };
        let mut interrupted = pin!(interrupt());
        // The first poll installs the Ctrl+C handler.
        poll_fn(|cx| {
            let _ = interrupted.as_mut().poll(cx);
            Poll::Ready(())
        })
        .await;
        ready();
        let mut time_up = pin!(tokio::time::sleep_until(tokio::time::Instant::from_std(
            until
        )));
        let mut backoff = Duration::ZERO;
        loop {
            let next = poll_fn(|cx| {
                if interrupted.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(Ended::Interrupted));
                }
                if time_up.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(Ended::TimeUp));
                }
                listener.poll_accept(cx).map(Ok)
            })
            .await;
            let (stream, peer) = match next {
                Err(ended) => {
                    served.ended = ended;
                    return Ok(served);
                }
                // Out of descriptors (or another passing failure): make room and back off,
                // rather than spin on an error that repeats at once.
                Ok(Err(e)) => {
                    // EMFILE, ENFILE: only then does closing a silent connection help.
                    if matches!(e.raw_os_error(), Some(23 | 24)) && lock(&registry).shed(None) {
                        served.shed += 1;
                    }
                    // Short enough that Ctrl+C and the end time are heard at once.
                    backoff =
                        (backoff * 2).clamp(Duration::from_millis(5), Duration::from_millis(100));
                    tokio::time::sleep(backoff).await;
                    continue;
                }
                Ok(Ok(accepted)) => accepted,
            };
            backoff = Duration::ZERO;
            on(Arrival::Opened { peer });
            let client = client_of(peer.ip());
            let admitted = {
                let mut registry = lock(&registry);
                let mut room = true;
                if registry.holds(client) >= limits.per_client {
                    room = registry.shed(Some(client));
                    served.shed += usize::from(room);
                }
                if room && registry.open.len() >= limits.connections {
                    room = registry.shed(None);
                    served.shed += usize::from(room);
                }
                room.then(|| registry.add(client))
            };
            let Some((id, close)) = admitted else {
                served.turned_away += 1;
                tokio::spawn(async move {
                    let mut stream = stream;
                    let _ =
                        tokio::time::timeout(Duration::from_secs(1), stream.write_all(BUSY)).await;
                });
                continue;
            };
            let local = stream.local_addr().unwrap_or(peer);
            let (on, registry) = (on.clone(), registry.clone());
            tokio::spawn(async move {
                let _leave = Leave(registry.clone(), id);
                // The first byte tells a TLS handshake (0x16) from an HTTP request. The wait
                // for it and for the rest of the head share one deadline.
                let accepted = Instant::now();
                let mut first = [0u8; 1];
                let peeked = unless(
                    &close,
                    tokio::time::timeout(limits.idle, stream.peek(&mut first)),
                )
                .await;
                let head_time = limits
                    .idle
                    .saturating_sub(accepted.elapsed())
                    .max(Duration::from_millis(1));
                match peeked {
                    Some(Ok(Ok(1))) if first[0] == 0x16 => {
                        on(Arrival::Tls { peer, local });
                        return;
                    }
                    Some(Ok(Ok(n))) if n > 0 => {}
                    _ => return,
                }
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    lock(&registry).answered(id);
                    let header = |name: hyper::header::HeaderName| {
                        request
                            .headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(|v| capped(v, 256))
                    };
                    let visit = Visit {
                        peer,
                        local,
                        method: capped(request.method().as_str(), 16),
                        path: capped(request.uri().path(), limits.path_chars),
                        wants_html: header(hyper::header::ACCEPT)
                            .is_some_and(|a| a.contains("text/html")),
                        accept_language: header(hyper::header::ACCEPT_LANGUAGE),
                    };
                    let page = on(Arrival::Visit(&visit)).unwrap_or(Page {
                        content_type: "text/plain; charset=utf-8",
                        body: String::new(),
                    });
                    let response = hyper::Response::builder()
                        .header(hyper::header::CONTENT_TYPE, page.content_type)
                        .header(hyper::header::CACHE_CONTROL, "no-store")
                        .header(hyper::header::SERVER, "bindscope-serve")
                        .body(Full::new(Bytes::from(page.body)))
                        .unwrap_or_default();
                    async move { Ok::<_, Infallible>(response) }
                });
                let connection = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(head_time)
                    .max_buf_size(limits.head_bytes.max(8192))
                    .keep_alive(false)
                    .serve_connection(TokioIo::new(stream), service);
                let _ = unless(&close, connection).await;
            });
        }
    })
}

/// The client a connection counts against: its IPv4 address (also behind an IPv4-mapped
/// one), or its IPv6 /64, which one host can fill with as many addresses as it likes.
fn client_of(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !(u128::MAX >> 64);
            IpAddr::V6(std::net::Ipv6Addr::from(prefix))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shedding_takes_the_oldest_waiting_connection_of_the_client_asked() {
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert_eq!(
            client_of("2001:db8::1:2:3:4".parse().unwrap()),
            "2001:db8::".parse::<IpAddr>().unwrap(),
            "one /64 is one client"
        );
        assert_eq!(client_of("::ffff:10.0.0.1".parse().unwrap()), a);
        let mut registry = Registry::default();
        let (first_a, _) = registry.add(a);
        let (first_b, _) = registry.add(b);
        let (second_a, _) = registry.add(a);
        registry.answered(first_a);
        assert!(registry.shed(Some(a)));
        assert!(
            !registry.open.contains_key(&second_a),
            "the waiting one went"
        );
        assert!(
            registry.open.contains_key(&first_a),
            "an answered one stays"
        );
        assert_eq!(registry.holds(a), 1);
        assert!(registry.shed(None));
        assert!(!registry.open.contains_key(&first_b));
        assert!(!registry.shed(None), "nothing waits any more");
        registry.remove(first_a);
        assert!(registry.per_client.is_empty());
    }

    #[test]
    fn limits_fit_under_a_small_descriptor_limit_and_paths_are_capped() {
        let fitted = Limits::default().fitted();
        assert!(fitted.connections >= 4 && fitted.connections <= 512);
        assert!(fitted.per_client < fitted.connections);
        assert_eq!(capped("abcdef", 3), "abc…");
        assert_eq!(capped("가나다", 3), "가나다");
    }
}
