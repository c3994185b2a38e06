//! `lab`: throwaway listeners on 127.0.0.1, 0.0.0.0 and the LAN address in turn, each probed
//! through every address of this machine, beside the seeds' comparison.

use std::net::{IpAddr, SocketAddr, TcpListener};

use super::Context;
use crate::analysis::expose::expose;
use crate::analysis::interfaces::primary;
use crate::config::LabOptions;
use crate::gather::probe::{self, Progress};
use crate::model::{SocketTable, Target};
use crate::platform;
use crate::report::lab::{self, LabReport};

pub fn run(options: &LabOptions, cx: &Context) -> anyhow::Result<LabReport> {
    let host = platform::snapshot()?;
    let mut binds = vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0])];
    if let Some(p) = primary(&host).filter(|p| p.ip.is_ipv4()) {
        binds.push(p.ip);
    }
    let quiet = Progress {
        enabled: false,
        message: &|_| String::new(),
    };
    let mut steps = Vec::new();
    for bind in binds {
        let listener = TcpListener::bind(SocketAddr::new(bind, 0))?;
        let port = listener.local_addr()?.port();
        let attempts = probe::local(
            &host,
            port,
            &SocketTable::default(),
            options.timeout,
            &quiet,
        )?;
        drop(listener);
        let kind = expose(
            &host,
            &Target::Ip {
                ip: bind,
                zone: None,
            },
            port,
        )
        .kind;
        steps.push(lab::step(&host, bind, port, kind, attempts, cx.ui.cat));
    }
    Ok(lab::lab(steps, cx.ui.cat))
}
