//! One module per command, each reading top to bottom: gather, analyse, report. The one
//! dispatch below hands every report to `render::emit`, which writes it and returns its exit
//! code: no command writes its answer or picks an exit code itself.

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
mod wait;

use std::io::Write;

use crate::config::{Action, Config, Output};
use crate::exit_codes::ExitCode;
use crate::render::{emit, Ui};
use crate::report::Generated;

/// What a command may know of how it was run, besides its options.
pub struct Context<'a> {
    pub ui: &'a Ui,
    /// stdin is a terminal: bindscope may ask before it acts (`port --kill`).
    pub interactive: bool,
    /// stderr is a terminal and the output is for people: a slow wait may show progress.
    pub progress: bool,
}

/// Runs the command `config` asks for, writing its output to `w`.
pub fn run(config: &Config, w: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let ui = ui(&config.output);
    let cx = Context {
        ui: &ui,
        interactive: config.interactive,
        progress: config.progress,
    };
    let code = match &config.action {
        Action::Overview { port } => emit(w, &ui, &overview::run(*port, &cx)?)?,
        Action::Interfaces { all, families } => {
            emit(w, &ui, &interfaces::run(*all, *families, &cx)?)?
        }
        Action::Expose(options) => emit(w, &ui, &expose::run(options, &cx)?)?,
        Action::Urls(options) => emit(w, &ui, &urls::run(options, &cx)?)?,
        Action::Listeners(options) => {
            let facts = listeners::gather()?;
            emit(w, &ui, &listeners::report(&facts, options, &cx))?
        }
        Action::Port(options) => emit(w, &ui, &port::run(options, &cx)?)?,
        Action::Free(options) => {
            let report = free::run(options, &cx)?;
            let code = emit(w, &ui, &report)?;
            crate::render::free::why_empty(&mut std::io::stderr(), &report, &ui)?;
            code
        }
        Action::Probe(options) => emit(w, &ui, &probe::run(options, &cx)?)?,
        Action::Serve(options) => {
            let report = serve::run(options, &cx, w)?;
            emit(w, &ui, &report)?
        }
        Action::Lab(options) => emit(w, &ui, &lab::run(options, &cx)?)?,
        Action::Wait(options) => {
            // The progress line goes where probe's does: stderr, so stdout stays the answer.
            let report = wait::run(options, &cx, &mut std::io::stderr())?;
            emit(w, &ui, &report)?
        }
        Action::Explain { topic } => emit(w, &ui, &explain::run(*topic, &cx))?,
        Action::Generated { name, text } => emit(
            w,
            &ui,
            &Generated {
                name,
                text: text.clone(),
            },
        )?,
    };
    Ok(code)
}

/// How to render, from what the CLI decided.
fn ui(output: &Output) -> Ui {
    Ui {
        json: output.json,
        lang: output.lang,
        cat: output.lang.catalogue(),
        color: output.color,
        verbose: output.verbose,
        quiet: output.quiet,
        tty: output.tty,
        width: output.width,
    }
}
