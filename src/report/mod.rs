//! One serialisable report per command: the single source of the human view and of `--json`.
//! Reports are built from the analysis, with every sentence already in the user's language.

pub mod explain;
pub mod expose;
pub mod firewall;
mod free;
mod interfaces;
pub mod lab;
pub mod overview;
pub mod port;
pub mod probe;
pub mod serve;
pub mod server;
mod sockets;
pub mod urls;
pub mod wait;

use serde::Serialize;

pub use expose::{expose, ExposeReport, Request as ExposeRequest};
pub use free::FreeReport;
pub use interfaces::{interfaces, InterfaceOut, InterfacesReport};
pub use overview::{overview, OverviewReport};
pub use port::{port, KillOut, PortFindings, PortReport};
#[cfg(test)]
pub use port::{KillTarget, RefusedOut};
pub use sockets::{listeners, ListenersReport, ListenersVerdict, ListenersView, SocketOut};
pub use urls::{urls, UrlScope, UrlsReport, UrlsRequest};

use crate::analysis::notes::Note;
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;

/// What every command's answer is: serialisable as the JSON document, named, and the judge of
/// its own exit code. The human view is `render`'s; one `render::emit` writes either.
pub trait Report: Serialize {
    /// The command's name in the JSON envelope.
    fn command(&self) -> &'static str;

    /// The exit code this answer earns, from its own fields.
    fn exit_code(&self) -> ExitCode;
}

/// The version of the JSON documents; see docs/json.md.
pub const SCHEMA: u32 = 1;

/// A note as reports carry it: a stable code, and the sentence in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteOut {
    pub code: &'static str,
    pub message: String,
    pub warning: bool,
}

impl NoteOut {
    pub fn new(note: &Note, cat: &dyn Catalogue) -> NoteOut {
        NoteOut {
            code: note.code(),
            message: cat.note(note),
            warning: note.is_warning(),
        }
    }

    pub fn all(notes: &[Note], cat: &dyn Catalogue) -> Vec<NoteOut> {
        notes.iter().map(|n| NoteOut::new(n, cat)).collect()
    }
}

/// Text generated from the command-line definition (completions, the man page).
#[derive(Serialize)]
pub struct Generated {
    /// `completions` or `man`.
    #[serde(skip)]
    pub name: &'static str,
    pub text: String,
}

impl Report for Generated {
    fn command(&self) -> &'static str {
        self.name
    }
    fn exit_code(&self) -> ExitCode {
        ExitCode::Success
    }
}

/// The JSON document around a report.
#[derive(Serialize)]
pub struct Envelope<'a, T: Serialize> {
    pub schema: u32,
    pub command: &'static str,
    #[serde(flatten)]
    pub report: &'a T,
}
