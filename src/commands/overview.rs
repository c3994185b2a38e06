//! The overview: this machine, its interfaces, and who could reach a server bound to each of
//! the typical hosts.

use super::Context;
use crate::platform;
use crate::report::{self, OverviewReport};

pub fn run(port: u16, cx: &Context) -> anyhow::Result<OverviewReport> {
    let host = platform::snapshot()?;
    Ok(report::overview(&host, port, cx.ui.cat))
}
