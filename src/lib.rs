//! bindscope: which addresses does a server bound here expose, and to whom?
//!
//! Data flows one way: `platform` gathers a [`model::Host`], `analysis` reasons over it,
//! `report` builds one serialisable report per command, `render` prints it as text or JSON.
//! `cli` is the only module that knows clap.
#![deny(unsafe_code)]

mod analysis;
pub mod cli;
pub mod commands;
mod config;
pub mod error;
pub mod exit_codes;
mod gather;
pub mod i18n;
mod model;
pub mod parse;
mod platform;
mod render;
mod report;
pub mod sanitize;

pub use platform::{prepare_console, prepare_process};

#[cfg(test)]
mod test_support;
