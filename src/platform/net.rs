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

use crate::model::{ConnectAttempt, HttpAnswer, IcmpReason, Outcome};

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
        Ok(Ok(_stream)) => (Outcome::Open, None),
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
        Ok(Ok(_stream)) => (Outcome::Open, None),
        Ok(Err(e)) => (outcome(&e), None),
        Err(_) => (Outcome::Timeout, None),
    }
}

/// Connects to every target at once and closes each connection that opens; every attempt
/// stops at `timeout`.
pub fn connect_all(targets: &[SocketAddr], timeout: Duration) -> io::Result<Vec<ConnectAttempt>> {
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

/// One GET for each `(address, Host header, path)`, all at once, each within `timeout`.
pub fn http_get_all(
    requests: &[(SocketAddr, String, String)],
    timeout: Duration,
) -> io::Result<Vec<Result<HttpAnswer, String>>> {
    let runtime = runtime()?;
    Ok(runtime.block_on(async {
        let tasks: Vec<_> = requests
            .iter()
            .cloned()
            .map(|(addr, host, path)| {
                tokio::spawn(async move {
                    match tokio::time::timeout(timeout, http_get(addr, &host, &path)).await {
                        Ok(answer) => answer,
                        Err(_) => Err("no HTTP answer before the timeout".to_string()),
                    }
                })
            })
            .collect();
        let mut answers = Vec::with_capacity(tasks.len());
        for task in tasks {
            answers.push(task.await.unwrap_or_else(|e| Err(e.to_string())));
        }
        answers
    }))
}

async fn http_get(addr: SocketAddr, host: &str, path: &str) -> Result<HttpAnswer, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let request = hyper::Request::get(path)
        .header(hyper::header::HOST, host)
        .header(
            hyper::header::USER_AGENT,
            concat!("bindscope/", env!("CARGO_PKG_VERSION")),
        )
        .header(hyper::header::CONNECTION, "close")
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let header = |name: hyper::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let answer = HttpAnswer {
        status: response.status().as_u16(),
        reason: response
            .status()
            .canonical_reason()
            .unwrap_or("")
            .to_string(),
        server: header(hyper::header::SERVER),
        content_type: header(hyper::header::CONTENT_TYPE),
    };
    // Read (and drop) a little of the body so the server sees a clean close.
    let _ = tokio::time::timeout(Duration::from_millis(200), response.into_body().collect()).await;
    Ok(answer)
}
