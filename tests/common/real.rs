//! Real servers and clients for the namespace tests: a Python server bound with the options
//! servers set, and Python connects whose outcome is the kernel's answer.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use super::netns::Netns;

/// A server: bind (with SO_REUSEADDR, and the options asked for), then listen unless told not
/// to; prints `ready` or `error ERRNO`, accepts and closes connections until its stdin closes
/// (at most 120 s).
const SERVE: &str = r#"
import errno, select, socket, sys, time
host, port = sys.argv[1], int(sys.argv[2])
opts = dict(a.split("=", 1) for a in sys.argv[3:])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
kind = socket.SOCK_DGRAM if opts.get("udp") == "1" else socket.SOCK_STREAM
s = socket.socket(family, kind)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if "v6only" in opts:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(opts["v6only"]))
if "device" in opts:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, opts["device"].encode())
addr = (host, port)
if "scope" in opts:
    addr = (host, port, 0, socket.if_nametoindex(opts["scope"]))
try:
    s.bind(addr)
except OSError as e:
    print("error", errno.errorcode.get(e.errno, str(e.errno)), flush=True)
    sys.exit(0)
listening = opts.get("listen", "1") == "1" and kind == socket.SOCK_STREAM
if listening:
    s.listen(16)
print("ready", flush=True)
deadline = time.time() + 120
while time.time() < deadline:
    ready, _, _ = select.select([s, sys.stdin] if listening else [sys.stdin], [], [], 0.5)
    if sys.stdin in ready:
        break
    if s in ready:
        c, _ = s.accept()
        c.close()
"#;

/// Connects to each `host port [scope]` argument with a 1 s deadline; one line per target:
/// `open`, `refused`, `timeout` or the errno's name.
const CONNECT: &str = r#"
import errno, socket, sys
args = sys.argv[1:]
for target in args:
    parts = target.split()
    host, port = parts[0], int(parts[1])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    addr = (host, port)
    if len(parts) > 2:
        addr = (host, port, 0, socket.if_nametoindex(parts[2]))
    c = socket.socket(family, socket.SOCK_STREAM)
    c.settimeout(1)
    try:
        c.connect(addr)
        print("open")
    except socket.timeout:
        print("timeout")
    except ConnectionRefusedError:
        print("refused")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
    finally:
        c.close()
"#;

/// A running server; dropping it closes its stdin, and it exits.
pub struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Binds `host:port` in `ns` with `opts` (`v6only=1`, `device=lo`, `scope=lan0`,
/// `listen=0`, `udp=1`); `Err(errno)` when the bind fails.
pub fn serve(ns: &Netns, host: &str, port: u16, opts: &[&str]) -> Result<Server, String> {
    let mut child = Command::new("ip")
        .args(["netns", "exec", &ns.name, "python3", "-c", SERVE, host])
        .arg(port.to_string())
        .args(opts)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .expect("the server says whether it bound");
    let server = Server { child };
    match line.trim() {
        "ready" => Ok(server),
        other => Err(other.trim_start_matches("error ").to_string()),
    }
}

/// What the kernel answers to connections from `ns` to each target (`"10.203.40.1 7000"`,
/// `"fe80::1 7070 lan0"`).
pub fn connect(ns: &Netns, targets: &[String]) -> Vec<String> {
    let mut args = vec!["python3", "-c", CONNECT];
    args.extend(targets.iter().map(String::as_str));
    let out = ns.exec(&args);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}
