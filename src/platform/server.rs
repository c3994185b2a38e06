//! The `serve` beacon's HTTP server: hyper on a single-threaded tokio runtime, one request per
//! connection, with caps on the request head, the number of open connections and idle time,
//! and an end time. It serves no files: every answer comes from the handler.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

use crate::model::{Page, Visit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once; more are answered 503 and closed.
    pub connections: usize,
    /// The largest request head (request line and headers) read, in bytes (hyper's least is
    /// 8 KiB). Bodies are never read.
    pub head_bytes: usize,
    /// How long a connection may stay silent before its request head arrives.
    pub idle: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 512,
            head_bytes: 8 * 1024,
            idle: Duration::from_secs(10),
        }
    }
}

/// Serves until `until`, calling `handler` for every request. Returns how many connections
/// were turned away because the cap was reached.
pub fn serve(
    listener: std::net::TcpListener,
    limits: Limits,
    until: Instant,
    handler: impl Fn(&Visit) -> Page + Send + Sync + 'static,
) -> io::Result<usize> {
    listener.set_nonblocking(true)?;
    let runtime = super::net::runtime()?;
    let handler = Arc::new(handler);
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let slots = Arc::new(Semaphore::new(limits.connections));
        let deadline = tokio::time::Instant::from_std(until);
        let mut turned_away = 0;
        loop {
            let (stream, peer) = match tokio::time::timeout_at(deadline, listener.accept()).await {
                Err(_) => return Ok(turned_away),
                Ok(Err(_)) => continue,
                Ok(Ok(accepted)) => accepted,
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                turned_away += 1;
                tokio::spawn(async move {
                    let mut stream = stream;
                    let _ = stream
                        .write_all(b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                        .await;
                });
                continue;
            };
            let local = stream.local_addr().unwrap_or(peer);
            let handler = handler.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let header = |name: hyper::header::HeaderName| {
                        request
                            .headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string)
                    };
                    let visit = Visit {
                        peer,
                        local,
                        method: request.method().to_string(),
                        path: request.uri().path().to_string(),
                        wants_html: header(hyper::header::ACCEPT)
                            .is_some_and(|a| a.contains("text/html")),
                        accept_language: header(hyper::header::ACCEPT_LANGUAGE),
                    };
                    let page = handler(&visit);
                    let response = hyper::Response::builder()
                        .header(hyper::header::CONTENT_TYPE, page.content_type)
                        .header(hyper::header::CACHE_CONTROL, "no-store")
                        .header(hyper::header::SERVER, "bindscope-serve")
                        .body(Full::new(Bytes::from(page.body)))
                        .unwrap_or_default();
                    async move { Ok::<_, Infallible>(response) }
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.idle)
                    .max_buf_size(limits.head_bytes.max(8192))
                    .keep_alive(false)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(slot);
            });
        }
    })
}
