//! `interfaces`: every interface and address, with its kind and who can reach it.

use super::Context;
use crate::model::Families;
use crate::platform;
use crate::report::{self, InterfacesReport};

pub fn run(all: bool, families: Families, cx: &Context) -> anyhow::Result<InterfacesReport> {
    let host = platform::snapshot()?;
    Ok(report::interfaces(&host, all, families, cx.ui.cat))
}
