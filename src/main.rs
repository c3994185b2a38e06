//! The binary: parse the command line, run the command, map the outcome to an exit code, and
//! write errors as one line in the user's language.

use std::io::{self, IsTerminal, Write};

use clap::error::ErrorKind;

use bindscope::cli::{self, Env};
use bindscope::error::{InputError, SystemError};
use bindscope::exit_codes::ExitCode;
use bindscope::i18n::Lang;
use bindscope::sanitize::escape;

fn main() -> std::process::ExitCode {
    bindscope::prepare_process();
    let env = Env::from_process(
        io::stdout().is_terminal(),
        io::stdin().is_terminal(),
        io::stderr().is_terminal(),
    );
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let early = cli::language_of_args(&args, &env);
    let cli = match cli::parse_args(args, early) {
        Ok(cli) => cli,
        Err((e, command)) => return usage_error(&e, command, early).into(),
    };
    let lang = cli::language(Some(cli.global.lang), &env);
    let config = match cli::config(cli, &env) {
        Ok(config) => config,
        Err(e) => return input_error(&e, lang).into(),
    };
    colored::control::set_override(bindscope::prepare_console(config.output.color));

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = bindscope::commands::run(&config, &mut out).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code.into(),
        Err(e) => failure(&e, config.output.lang).into(),
    }
}

/// Every error line goes out here, made safe: it may quote what the user typed or what the
/// system said.
fn say(message: &str) {
    eprintln!("bindscope: {}", escape(message));
}

/// clap's own errors (unknown commands and options, missing arguments) as one line in the
/// user's language, with clap's "did you mean"; help and version as is.
fn usage_error(e: &clap::Error, command: Option<String>, lang: Lang) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::Success;
    }
    input_error(&cli::usage_error(e, command), lang)
}

fn input_error(e: &InputError, lang: Lang) -> ExitCode {
    say(&lang.catalogue().input_error(e));
    ExitCode::BadInput
}

fn failure(e: &anyhow::Error, lang: Lang) -> ExitCode {
    if let Some(input) = e.downcast_ref::<InputError>() {
        return input_error(input, lang);
    }
    if let Some(system) = e.downcast_ref::<SystemError>() {
        say(&lang.catalogue().system_error(system));
        return ExitCode::System;
    }
    // A closed pipe (`bindscope urls | head -1`) is not an error.
    if e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
    {
        return ExitCode::Success;
    }
    say(&format!("{e:#}"));
    ExitCode::System
}
