//! One module per command, each reading top to bottom: gather, analyse, report, render.

mod expose;
mod interfaces;
mod overview;
mod urls;

use std::io::Write;

use crate::config::{Action, Config};
use crate::exit_codes::ExitCode;
use crate::render::Ui;

/// Runs the command `config` asks for, writing its output to `w`.
pub fn run(config: &Config, w: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let ui = Ui::new(&config.output);
    let json = config.output.json;
    match &config.action {
        Action::Overview { port } => overview::run(*port, json, &ui, w),
        Action::Interfaces { all, families } => interfaces::run(*all, *families, json, &ui, w),
        Action::Expose {
            host,
            port,
            try_bind,
        } => expose::run(host, *port, *try_bind, json, &ui, w),
        Action::Urls {
            port,
            host,
            all,
            scheme,
            path,
            qr,
            families,
        } => urls::run(
            &urls::Args {
                port: *port,
                host: host.as_ref(),
                all: *all,
                scheme,
                path,
                qr: *qr,
                families: *families,
            },
            json,
            &ui,
            w,
        ),
    }
}
