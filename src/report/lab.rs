use std::net::IpAddr;

use serde::Serialize;

use super::expose::Comparison;
use super::probe::ProbeRow;
use crate::analysis::vocab::BindKind;
use crate::analysis::vocab::InferredBind;
use crate::analysis::vocab::Reach;

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
