//! bindscope: which addresses does a server bound here expose, and to whom?
//!
//! Data flows one way: `platform` gathers a [`model::Host`], `analysis` reasons over it,
//! `report` builds one serialisable report per command, `render` prints it as text or JSON.
//! `cli` is the only module that knows clap.
#![deny(unsafe_code)]

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod exit_codes;
pub mod i18n;
pub mod model;
pub mod parse;
pub mod platform;
pub mod render;
pub mod report;
pub mod sanitize;

#[cfg(test)]
mod properties;
