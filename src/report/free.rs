//! `free`: the ports found free, and how they were checked.

use std::net::IpAddr;

use serde::Serialize;

use super::Report;
use crate::exit_codes::ExitCode;

#[derive(Debug, Clone, Serialize)]
pub struct FreeReport {
    /// Free ports, nearest to `near` first, each verified by binding every host.
    pub ports: Vec<u16>,
    pub hosts: Vec<IpAddr>,
    pub near: u16,
    pub range: (u16, u16),
    /// How many were asked for; fewer in `ports` means the range ran out.
    pub requested: usize,
}

impl Report for FreeReport {
    fn command(&self) -> &'static str {
        "free"
    }

    fn exit_code(&self) -> ExitCode {
        if self.ports.len() == self.requested {
            ExitCode::Success
        } else {
            ExitCode::Problem
        }
    }
}
