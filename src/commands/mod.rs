//! One module per command, each reading top to bottom: gather, analyse, report, render.

mod explain;
mod expose;
mod free;
mod interfaces;
mod lab;
mod listeners;
mod overview;
mod port;
mod probe;
mod serve;
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
        Action::Expose(options) => expose::run(options, json, &ui, w),
        Action::Urls(options) => urls::run(options, json, &ui, w),
        Action::Listeners(options) => listeners::run(options, json, &ui, w),
        Action::Port(options) => port::run(options, config.interactive, json, &ui, w),
        Action::Free(options) => free::run(options, json, &ui, w),
        Action::Probe(options) => probe::run(options, config.progress, json, &ui, w),
        Action::Serve(options) => serve::run(options, json, &ui, w),
        Action::Lab(options) => lab::run(options, json, &ui, w),
        Action::Explain { topic } => explain::run(*topic, json, &ui, w),
        Action::Generated { name, text } => {
            if json {
                crate::render::write_json(w, &ui, name, &crate::report::Generated { text })?;
            } else {
                w.write_all(text.as_bytes())?;
            }
            Ok(ExitCode::Success)
        }
    }
}
