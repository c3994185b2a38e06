//! Runs the built binary with a clean environment and shows stdout and stderr when an
//! assertion fails.
#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_bindscope");

pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(args: Vec<String>, out: Output) -> Run {
        Run {
            args,
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn context(&self) -> String {
        format!(
            "bindscope {:?}\nexit code {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }

    pub fn code(&self, expected: i32) -> &Run {
        assert_eq!(self.code, expected, "{}", self.context());
        self
    }

    pub fn json(&self) -> serde_json::Value {
        let value: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.context()));
        assert_eq!(value["schema"], 1, "{}", self.context());
        value
    }
}

/// A command for the binary with colour and locale variables cleared.
pub fn command(prefix: &[&str]) -> Command {
    let mut cmd = match prefix.split_first() {
        Some((program, rest)) => {
            let mut c = Command::new(program);
            c.args(rest).arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    for var in [
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "LANGUAGE",
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

pub fn run_with(prefix: &[&str], args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = command(prefix);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bindscope runs");
    Run::from(args.iter().map(|s| s.to_string()).collect(), out)
}

pub fn bindscope(args: &[&str]) -> Run {
    run_with(&[], args, &[])
}

pub fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

pub mod netns;
