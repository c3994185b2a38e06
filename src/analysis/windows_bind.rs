//! Windows' bind rules for two TCP sockets on one port, after Microsoft's "Using SO_REUSEADDR
//! and SO_EXCLUSIVEADDRUSE" (Windows Server 2003 and later, both sockets of one user). They
//! differ from Linux's: a wildcard bind succeeds beside a specific one by default, two sockets
//! that both set SO_REUSEADDR share one address (the older one keeps answering), and
//! SO_EXCLUSIVEADDRUSE refuses every other bind.

/// The option a socket set before bind().
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WinBindOption {
    /// No option: what a trial bind of bindscope's uses, and Node's and .NET's servers.
    Default,
    /// SO_REUSEADDR: what Python's socketserver (so Werkzeug, `flask run`) sets.
    ReuseAddr,
    /// SO_EXCLUSIVEADDRUSE: what Windows services and IIS set. Only a holder has it: the
    /// analysis infers it from a failure the table says should not happen.
    #[cfg_attr(not(test), allow(dead_code))]
    Exclusive,
}

/// How the second bind ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WinBindOutcome {
    Success,
    /// WSAEADDRINUSE, WinError 10048.
    InUse,
    /// WSAEACCES, WinError 10013.
    Access,
}

/// One socket's side of the table: its option and whether it bound the wildcard address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WinBind {
    pub option: WinBindOption,
    pub wildcard: bool,
}

/// What a second bind of the same port and family gets while `first` holds it. Two specific
/// binds are of the same address here (different addresses never conflict).
pub fn second_bind(first: WinBind, second: WinBind) -> WinBindOutcome {
    use WinBindOption::{Exclusive, ReuseAddr};
    use WinBindOutcome::{Access, InUse, Success};
    let same_scope = first.wildcard == second.wildcard;
    match (first.option, second.option) {
        // An exclusive holder refuses everyone; one that asked to share gets WSAEACCES.
        (Exclusive, ReuseAddr) => Access,
        (Exclusive, _) => InUse,
        // An exclusive wildcard bind needs the port free on every address.
        (_, Exclusive) if second.wildcard => InUse,
        // Sharing needs both sockets to have asked for it.
        (ReuseAddr, ReuseAddr) => Success,
        // Otherwise the same scope conflicts, and a wildcard beside a specific bind (either
        // way round) succeeds: the specific one takes its address's traffic.
        _ if same_scope => InUse,
        _ => Success,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use WinBindOption::{Default, Exclusive, ReuseAddr};
    use WinBindOutcome::{Access, InUse, Success};

    /// The whole table: rows are the second bind, columns the first, in the order
    /// default/wildcard, default/specific, reuse/wildcard, reuse/specific, exclusive/wildcard,
    /// exclusive/specific.
    #[test]
    fn the_table_of_microsofts_page() {
        let order = [
            WinBind {
                option: Default,
                wildcard: true,
            },
            WinBind {
                option: Default,
                wildcard: false,
            },
            WinBind {
                option: ReuseAddr,
                wildcard: true,
            },
            WinBind {
                option: ReuseAddr,
                wildcard: false,
            },
            WinBind {
                option: Exclusive,
                wildcard: true,
            },
            WinBind {
                option: Exclusive,
                wildcard: false,
            },
        ];
        let table = [
            [InUse, Success, InUse, Success, InUse, InUse],
            [Success, InUse, Success, InUse, InUse, InUse],
            [InUse, Success, Success, Success, Access, Access],
            [Success, InUse, Success, Success, Access, Access],
            [InUse, InUse, InUse, InUse, InUse, InUse],
            [Success, InUse, Success, InUse, InUse, InUse],
        ];
        for (row, second) in order.iter().enumerate() {
            for (column, first) in order.iter().enumerate() {
                assert_eq!(
                    second_bind(*first, *second),
                    table[row][column],
                    "first {first:?}, second {second:?}"
                );
            }
        }
    }

    #[test]
    fn a_second_flask_shares_the_port_of_an_old_one() {
        let flask = WinBind {
            option: ReuseAddr,
            wildcard: false,
        };
        assert_eq!(second_bind(flask, flask), Success);
        let trial = WinBind {
            option: Default,
            wildcard: false,
        };
        assert_eq!(second_bind(flask, trial), InUse);
    }
}
