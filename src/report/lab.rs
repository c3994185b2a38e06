//! `lab`: each throwaway server of the lesson and what every address saw of it.

use std::net::IpAddr;

use serde::Serialize;

use super::expose::Comparison;
use super::probe::{local_results, row, ProbeRow};
use super::Report;
use crate::analysis::probe::{infer, reach};
use crate::analysis::vocab::BindKind;
use crate::analysis::vocab::InferredBind;
use crate::analysis::vocab::Reach;
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;
use crate::model::{Attempt, Host, SocketTable};

/// One throwaway server of the lesson, and what every address of this machine saw of it.
#[derive(Debug, Clone, Serialize)]
pub struct LabStep {
    pub bind: IpAddr,
    pub port: u16,
    pub kind: BindKind,
    pub results: Vec<ProbeRow>,
    /// The bind the answers reveal: it should be the one made.
    pub inferred_bind: InferredBind,
    pub reach: Reach,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabReport {
    pub steps: Vec<LabStep>,
    /// The seeds' comparison for each kind of bind the lesson made.
    pub comparison: Vec<Comparison>,
}

impl Report for LabReport {
    fn command(&self) -> &'static str {
        "lab"
    }

    fn exit_code(&self) -> ExitCode {
        ExitCode::Success
    }
}

/// One throwaway server: what each address saw, and the bind that reveals.
pub fn step(
    host: &Host,
    bind: IpAddr,
    port: u16,
    kind: BindKind,
    attempts: Vec<Attempt>,
    cat: &dyn Catalogue,
) -> LabStep {
    let results = local_results(host, &attempts, &SocketTable::default());
    LabStep {
        bind,
        port,
        kind,
        inferred_bind: infer(&results),
        reach: reach(&results),
        results: attempts.into_iter().map(|a| row(a, cat)).collect(),
    }
}

/// The lesson: its steps, and the seeds' comparison for each kind of bind it made.
pub fn lab(steps: Vec<LabStep>, cat: &dyn Catalogue) -> LabReport {
    let mut kinds: Vec<BindKind> = steps.iter().map(|s| s.kind).collect();
    kinds.dedup();
    LabReport {
        comparison: kinds.into_iter().map(|k| Comparison::new(k, cat)).collect(),
        steps,
    }
}
