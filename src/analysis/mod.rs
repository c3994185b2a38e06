//! Pure functions over a [`Host`](crate::model::Host) snapshot: no I/O below this line.

pub mod address;
pub mod beacon;
pub mod expose;
pub mod firewall;
pub mod host_check;
pub mod interfaces;
pub mod live;
pub mod notes;
pub mod ports;
pub mod probe;
pub mod sockets;
pub mod topics;
pub mod vocab;
pub mod windows_bind;

#[cfg(test)]
pub mod fixtures;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
