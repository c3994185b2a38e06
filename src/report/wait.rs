//! `wait`: what was waited for, what happened, and when.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

use super::Report;
use crate::exit_codes::ExitCode;
use crate::model::{WaitMode, Waited};

/// How the wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitOutcome {
    /// An address answered (a connection, or an HTTP answer with `--http`).
    Answered,
    /// `--free`: nothing holds the port.
    Free,
    /// The timeout came first.
    Timeout,
}

/// A process still holding the port when `--free` timed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolderOut {
    pub pid: u32,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaitReport {
    pub port: u16,
    pub mode: WaitMode,
    /// Where it connected, in the order tried; empty with `--free`.
    pub addresses: Vec<SocketAddr>,
    pub outcome: WaitOutcome,
    pub answered_by: Option<SocketAddr>,
    pub http_status: Option<u16>,
    /// Seconds from the start to the answer (or to the end of the wait).
    pub after_s: f64,
    pub attempts: u32,
    pub timeout_s: f64,
    pub interval_ms: u64,
    /// `--free` at the timeout: who still holds the port (empty where unknown).
    pub held_by: Vec<HolderOut>,
}

impl WaitReport {
    pub fn new(
        port: u16,
        mode: WaitMode,
        addresses: Vec<SocketAddr>,
        (timeout, interval): (Duration, Duration),
        waited: Waited,
    ) -> WaitReport {
        let outcome = match (waited.done, mode) {
            (true, WaitMode::Free) => WaitOutcome::Free,
            (true, _) if waited.answered_by.is_some() => WaitOutcome::Answered,
            _ => WaitOutcome::Timeout,
        };
        WaitReport {
            port,
            mode,
            addresses: match mode {
                WaitMode::Free => Vec::new(),
                _ => addresses,
            },
            outcome,
            answered_by: waited.answered_by,
            http_status: waited.http_status,
            after_s: millis(waited.after),
            attempts: waited.attempts,
            timeout_s: millis(timeout),
            interval_ms: interval.as_millis() as u64,
            held_by: waited
                .held_by
                .into_iter()
                .map(|p| HolderOut {
                    pid: p.pid,
                    name: p.name,
                })
                .collect(),
        }
    }
}

/// Seconds to the millisecond: `2.104`.
fn millis(d: Duration) -> f64 {
    d.as_millis() as f64 / 1000.0
}

impl Report for WaitReport {
    fn command(&self) -> &'static str {
        "wait"
    }

    fn exit_code(&self) -> ExitCode {
        match self.outcome {
            WaitOutcome::Answered | WaitOutcome::Free => ExitCode::Success,
            WaitOutcome::Timeout => ExitCode::Problem,
        }
    }
}
