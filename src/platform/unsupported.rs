//! Other systems: the contract's defaults alone. Interfaces come from getifaddrs; sockets,
//! owners, signals, routes and kernel settings say they are not supported or not known.

use super::Platform;
use crate::model::Os;

pub struct Current;

impl Platform for Current {
    const OS: Os = Os::Other;

    /// Most other systems are Unix, where servers set SO_REUSEADDR.
    const SERVERS_SET_REUSEADDR: bool = true;
}
