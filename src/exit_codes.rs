//! The exit codes, in one place. Documented in the README and in `--help`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything is fine.
    Success,
    /// The check ran and found a problem (a bind that cannot succeed, a port in use…).
    Problem,
    /// Bad usage or bad input.
    BadInput,
    /// The system refused: permissions, an OS API failure.
    System,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Problem => 1,
            ExitCode::BadInput => 2,
            ExitCode::System => 3,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code())
    }
}

/// The exit codes as `--help` shows them.
pub const HELP: &str = "\
Exit codes:
  0  fine
  1  the check found a problem (a bind that would fail, a port in use, exposed listeners,
     a wait that timed out)
  2  bad usage or bad input
  3  the system refused (permissions, an OS API failure)";
