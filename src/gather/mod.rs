//! Steps that need both the OS and the analysis, shared by several commands: turning what the
//! user typed into a bind target, finding ports that bind, probing addresses, stopping the
//! holders of a port. Commands call these; these call `platform` for the OS and `analysis`
//! for the decisions, and return plain data for the reports.

pub mod beacon;
pub mod debugger;
pub mod kill;
pub mod ports;
pub mod probe;
pub mod targets;
pub mod wait;
