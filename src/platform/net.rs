//! Connections out: every probe at once on a single-threaded tokio runtime, each ending at its
//! deadline, so that a call takes as long as its slowest probe and never longer than the
//! timeout. And one HTTP request with hyper's client for `probe --http`.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::model::HTTP_BODY_CAP;
use crate::model::{ConnectAttempt, HttpAnswer, HttpFailure, HttpRequest, IcmpReason, Outcome};

pub(super) fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
}

fn outcome(e: &io::Error) -> Outcome {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => Outcome::Refused,
        io::ErrorKind::TimedOut => Outcome::Timeout,
        io::ErrorKind::HostUnreachable => Outcome::HostUnreachable,
        io::ErrorKind::NetworkUnreachable => Outcome::NetworkUnreachable,
        _ => Outcome::Error(e.to_string()),
    }
}

/// A connection that opened, unless it opened to itself: on loopback, a connect to a free
/// port in the ephemeral range can pick that very port as its source and "connect" with no
/// listener at all (TCP's simultaneous open). Nothing listens there: refused.
fn opened(stream: &TcpStream) -> Outcome {
    match (stream.local_addr(), stream.peer_addr()) {
        (Ok(local), Ok(peer)) if local == peer => Outcome::Refused,
        _ => Outcome::Open,
    }
}

/// One connect within `timeout`; on Linux, with the ICMP error behind a failure.
#[cfg(target_os = "linux")]
async fn connect_one(addr: SocketAddr, timeout: Duration) -> (Outcome, Option<IcmpReason>) {
    use std::os::fd::AsFd;
    let prepared = (|| -> io::Result<(tokio::net::TcpSocket, socket2::Socket)> {
        let socket = socket2::Socket::new(
            socket2::Domain::for_address(addr),
            socket2::Type::STREAM,
            None,
        )?;
        socket.set_nonblocking(true)?;
        super::os::icmp::enable(socket.as_fd(), addr.is_ipv6())?;
        // A second handle on the same socket reads its error queue after a failed connect.
        let queue = socket.try_clone()?;
        let tcp = tokio::net::TcpSocket::from_std_stream(std::net::TcpStream::from(socket));
        Ok((tcp, queue))
    })();
    let Ok((socket, queue)) = prepared else {
        return plain_connect(addr, timeout).await;
    };
    match tokio::time::timeout(timeout, socket.connect(addr)).await {
        Ok(Ok(stream)) => (opened(&stream), None),
        Ok(Err(e)) => (outcome(&e), super::os::icmp::reason(queue.as_fd())),
        Err(_) => (Outcome::Timeout, None),
    }
}

#[cfg(not(target_os = "linux"))]
async fn connect_one(addr: SocketAddr, timeout: Duration) -> (Outcome, Option<IcmpReason>) {
    plain_connect(addr, timeout).await
}

async fn plain_connect(addr: SocketAddr, timeout: Duration) -> (Outcome, Option<IcmpReason>) {
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Ok(Ok(stream)) => (opened(&stream), None),
        Ok(Err(e)) => (outcome(&e), None),
        Err(_) => (Outcome::Timeout, None),
    }
}

/// Connects to every target at once and closes each connection that opens; every attempt
/// stops at `timeout`.
pub fn connect_all(targets: &[SocketAddr], timeout: Duration) -> io::Result<Vec<ConnectAttempt>> {
    // Nothing to connect to: no runtime (its I/O driver and signal pipe cost a millisecond).
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = runtime()?;
    Ok(runtime.block_on(async {
        let tasks: Vec<_> = targets
            .iter()
            .map(|&addr| {
                tokio::spawn(async move {
                    let start = Instant::now();
                    let (outcome, reason) = connect_one(addr, timeout).await;
                    ConnectAttempt {
                        outcome,
                        elapsed: start.elapsed(),
                        reason,
                    }
                })
            })
            .collect();
        let mut attempts = Vec::with_capacity(tasks.len());
        for task in tasks {
            attempts.push(task.await.unwrap_or(ConnectAttempt {
                outcome: Outcome::Error("the probe task failed".into()),
                elapsed: Duration::ZERO,
                reason: None,
            }));
        }
        attempts
    }))
}

/// How long the body may take to arrive once the head has: its start is all that is read.
const BODY_WAIT: Duration = Duration::from_millis(200);

/// The most hyper buffers for one answer's head (hyper's least is 8 KiB): a head longer than
/// this is an error, not an allocation.
const HEAD_CAP: usize = 64 * 1024;

/// Every GET at once; each gets its head within `timeout`, then at most [`BODY_WAIT`] and
/// [`HTTP_BODY_CAP`] bytes of body, so that neither a slow nor an endless server holds the probe
/// or fills memory.
pub fn http_get_all(
    requests: &[HttpRequest],
    timeout: Duration,
) -> io::Result<Vec<Result<HttpAnswer, HttpFailure>>> {
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = runtime()?;
    Ok(runtime.block_on(async {
        let tasks: Vec<_> = requests
            .iter()
            .cloned()
            .map(|request| tokio::spawn(http_get(request, timeout)))
            .collect();
        let mut answers = Vec::with_capacity(tasks.len());
        for task in tasks {
            answers.push(
                task.await
                    .unwrap_or_else(|e| Err(HttpFailure::Failed(e.to_string()))),
            );
        }
        answers
    }))
}

async fn http_get(request: HttpRequest, timeout: Duration) -> Result<HttpAnswer, HttpFailure> {
    let failed = |e: &dyn std::fmt::Display| HttpFailure::Failed(e.to_string());
    let head = async {
        let stream = TcpStream::connect(request.addr)
            .await
            .map_err(|e| failed(&e))?;
        let (mut sender, connection) = hyper::client::conn::http1::Builder::new()
            .max_buf_size(HEAD_CAP)
            .handshake(TokioIo::new(stream))
            .await
            .map_err(|e| failed(&e))?;
        let connection = tokio::spawn(connection);
        let mut builder = hyper::Request::get(request.path.as_str())
            .header(hyper::header::HOST, request.host.as_str())
            .header(
                hyper::header::USER_AGENT,
                concat!("bindscope/", env!("CARGO_PKG_VERSION")),
            )
            .header(hyper::header::CONNECTION, "close");
        if let Some(origin) = &request.origin {
            builder = builder.header(hyper::header::ORIGIN, origin.as_str());
        }
        let get = builder
            .body(Empty::<Bytes>::new())
            .map_err(|e| failed(&e))?;
        let response = sender.send_request(get).await.map_err(|e| failed(&e))?;
        Ok::<_, HttpFailure>((response, connection))
    };
    let (response, connection) = tokio::time::timeout(timeout, head)
        .await
        .map_err(|_| HttpFailure::Timeout)??;
    let header = |name: hyper::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mut answer = HttpAnswer {
        status: response.status().as_u16(),
        reason: response
            .status()
            .canonical_reason()
            .unwrap_or("")
            .to_string(),
        server: header(hyper::header::SERVER),
        content_type: header(hyper::header::CONTENT_TYPE),
        powered_by: header(hyper::header::HeaderName::from_static("x-powered-by")),
        body: String::new(),
    };
    let mut body = response.into_body();
    let mut start: Vec<u8> = Vec::new();
    let _ = tokio::time::timeout(BODY_WAIT, async {
        while start.len() < HTTP_BODY_CAP {
            match body.frame().await {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        let room = HTTP_BODY_CAP - start.len();
                        start.extend_from_slice(&data[..data.len().min(room)]);
                    }
                }
                _ => break,
            }
        }
    })
    .await;
    // The rest is never read: the connection closes here.
    drop(body);
    connection.abort();
    answer.body = String::from_utf8_lossy(&start).into_owned();
    Ok(answer)
}
