//! The `serve` beacon: a port to listen on, the listener, and the loop that hands each visit
//! back to the caller as it happens while the server answers on its own thread.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::ports::free_ports;
use crate::model::{BindError, Host, Page, Visit};
use crate::platform::server::{serve, Limits};

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

/// Serves until `duration` has passed. `page` answers each visit on the server's thread;
/// `seen` hears of each visit on this one, with the seconds since the start. Returns how many
/// connections were turned away because the connection cap was reached.
pub fn run(
    listener: TcpListener,
    duration: Duration,
    page: impl Fn(&Visit, f64) -> Page + Send + Sync + 'static,
    mut seen: impl FnMut(&Visit, f64) -> std::io::Result<()>,
) -> anyhow::Result<usize> {
    let start = Instant::now();
    let until = start + duration;
    let (events, visits) = mpsc::channel::<(Visit, f64)>();
    let server = std::thread::spawn(move || {
        serve(listener, Limits::default(), until, move |v| {
            let at = start.elapsed().as_secs_f64();
            let answer = page(v, at);
            let _ = events.send((v.clone(), at));
            answer
        })
    });
    for (visit, at) in visits {
        seen(&visit, at)?;
    }
    let turned_away = server
        .join()
        .map_err(|_| anyhow::anyhow!("the beacon's server thread failed"))??;
    Ok(turned_away)
}
