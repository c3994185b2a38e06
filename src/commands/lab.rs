use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};

use crate::analysis::expose::expose;
use crate::analysis::interfaces::primary;
use crate::analysis::probe::{infer, reach};
use crate::config::LabOptions;
use crate::exit_codes::ExitCode;
use crate::model::Target;
use crate::platform;
use crate::render::{self, Ui};
use crate::report::expose::Comparison;
use crate::report::lab::{LabReport, LabStep};
use crate::report::probe::{local_results, row};

/// Binds a throwaway listener on 127.0.0.1, then 0.0.0.0, then the primary address, each on a
/// port the OS picks; connects to it through every address of this machine; closes it. Every
/// connection stays on this machine.
pub fn run(
    options: &LabOptions,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let host = platform::snapshot()?;
    let mut binds = vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0])];
    if let Some(p) = primary(&host).filter(|p| p.ip.is_ipv4()) {
        binds.push(p.ip);
    }
    let mut steps = Vec::new();
    for bind in binds {
        let listener = TcpListener::bind(SocketAddr::new(bind, 0))?;
        let port = listener.local_addr()?.port();
        let attempts = super::probe::local_attempts(&host, port, options.timeout, false, ui)?;
        drop(listener);
        let results = local_results(&host, &attempts);
        steps.push(LabStep {
            bind,
            port,
            kind: expose(
                &host,
                &Target::Ip {
                    ip: bind,
                    zone: None,
                },
                port,
            )
            .kind,
            inferred_bind: infer(&results),
            reach: reach(&results),
            results: attempts.into_iter().map(|a| row(a, ui.cat)).collect(),
        });
    }
    let mut kinds: Vec<_> = steps.iter().map(|s| s.kind).collect();
    kinds.dedup();
    let report = LabReport {
        comparison: kinds
            .into_iter()
            .map(|k| Comparison::new(k, ui.cat))
            .collect(),
        steps,
    };
    if json {
        render::write_json(w, ui, "lab", &report)?;
    } else {
        render::lab::human(w, &report, ui)?;
    }
    Ok(ExitCode::Success)
}
