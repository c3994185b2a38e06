//! Whether Werkzeug's debugger is on in the processes that hold a port. The debugger runs any
//! code its console is given, so a debug server reachable beyond loopback is the one finding
//! bindscope calls DANGER.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use crate::analysis::probe::runs_python_or_flask;
use crate::analysis::sockets::Reaches;
use crate::analysis::vocab::Reach;
use crate::model::{DebugEvidence, DebugFinding, Host, HttpAnswer, HttpRequest, Process};
use crate::model::{Socket, SocketTable};
use crate::platform;
use crate::platform::net::http_get_all;

use crate::analysis::host_check::authority;

/// The path whose answer tells whether Werkzeug's debugger is on: it serves its own style sheet
/// there when it is, and the app answers otherwise.
pub const DEBUGGER_PROBE: &str = "/?__debugger__=yes&cmd=resource&f=style.css";

/// How long the one request to a local server may take where no `--timeout` is given.
pub const CHECK_TIMEOUT: Duration = Duration::from_millis(500);

/// Whether an answer to [`DEBUGGER_PROBE`] came from the debugger.
pub fn is_debugger(answer: &HttpAnswer) -> bool {
    answer.status == 200
        && answer
            .content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("text/css"))
}

/// The Python processes in `table` whose listening TCP socket reaches beyond this machine and
/// whose debugger is on. One request to the socket's own address from this machine (over
/// loopback for 0.0.0.0 and ::) asks the debugger itself, and its answer decides
/// (`--no-debugger` turns it off under `--debug`, and some Flask versions ignore
/// `FLASK_DEBUG`); a request that gets no HTTP answer finds nothing. Only where no request can
/// be made (a socket tied to an interface, a link-local address) does a Flask command line say
/// it: `--debug` or `--debugger` without `--no-debugger`, or `FLASK_DEBUG` (Flask's own
/// rule).
pub fn findings(host: &Host, table: &SocketTable, timeout: Duration) -> Vec<DebugFinding> {
    let mut reaches = Reaches::new(host);
    let exposed: Vec<(&Socket, &Process)> = table
        .sockets
        .iter()
        .filter(|s| s.is_tcp_listener())
        .filter(|s| reaches.of(s) > Reach::Host)
        .filter_map(|s| {
            let owner = s.pids.iter().find_map(|&pid| table.process(pid))?;
            runs_python_or_flask(owner).then_some((s, owner))
        })
        .collect();
    let requests: Vec<HttpRequest> = exposed
        .iter()
        .filter_map(|(s, _)| {
            let addr = own_address(s)?;
            Some(HttpRequest {
                addr,
                host: authority(&addr.ip().to_string(), addr.port()),
                path: DEBUGGER_PROBE.into(),
                origin: None,
            })
        })
        .collect();
    let answers = http_get_all(&requests, timeout).unwrap_or_default();
    let asked_at = |socket: &Socket| {
        let addr = own_address(socket)?;
        let n = requests.iter().position(|r| r.addr == addr)?;
        answers.get(n)
    };
    let mut findings: Vec<DebugFinding> = Vec::new();
    for (socket, owner) in exposed {
        let evidence = match asked_at(socket) {
            Some(Ok(answer)) if is_debugger(answer) => Some(DebugEvidence::Answered),
            // The server answered, and not as the debugger: it is off. Or it did not answer
            // HTTP at all: then it is no Werkzeug debugger either.
            Some(_) => None,
            None => declared(owner),
        };
        if let Some(evidence) = evidence {
            let finding = DebugFinding {
                pid: owner.pid,
                evidence,
            };
            if !findings.contains(&finding) {
                findings.push(finding);
            }
        }
    }
    findings
}

/// What the process says of itself: `flask run --debug`, or `FLASK_DEBUG` set to anything but
/// `0`, `false` or `no`.
fn declared(owner: &Process) -> Option<DebugEvidence> {
    let words: Vec<&str> = owner
        .cmdline
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    // Only a Flask command line is read so: any other program's `--debug` means something
    // else, and its FLASK_DEBUG nothing at all.
    if !words.iter().any(|w| w.contains("flask")) || words.contains(&"--no-debugger") {
        return None;
    }
    if words.iter().any(|w| *w == "--debug" || *w == "--debugger") {
        return Some(DebugEvidence::CommandLine);
    }
    let env = platform::env_var(owner.pid, "FLASK_DEBUG")?;
    let on = !env.is_empty() && !matches!(env.to_ascii_lowercase().as_str(), "0" | "false" | "no");
    on.then_some(DebugEvidence::Environment)
}

/// The address this machine reaches the socket on: loopback for a wildcard, else the socket's
/// own address (the kernel delivers it locally). `None` for a socket tied to an interface or
/// bound to a link-local address, which a plain connect may not reach.
fn own_address(socket: &Socket) -> Option<SocketAddr> {
    if socket.device.is_some() {
        return None;
    }
    let ip: IpAddr = match socket.local.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => Ipv4Addr::LOCALHOST.into(),
        IpAddr::V6(v6) if v6.is_unspecified() => Ipv6Addr::LOCALHOST.into(),
        IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80 => return None,
        ip => ip,
    };
    Some(SocketAddr::new(ip, socket.local.port()))
}
