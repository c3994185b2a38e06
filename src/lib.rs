//! bindscope: which addresses does a server bound here expose, and to whom?
#![deny(unsafe_code)]

pub mod analysis;
pub mod model;
