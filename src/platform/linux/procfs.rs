//! Socket owners from /proc: one pass over every /proc/PID/fd, reading each link relative to
//! its directory (no path to walk from /), then the details of the few processes that matched.
//! A process that exits mid-scan is skipped; one whose files cannot be read is counted, and
//! its sockets keep an unknown owner.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::os::unix::fs::MetadataExt;

use rustix::fd::OwnedFd;
use rustix::fs::{openat, readlinkat, Dir, Mode, OFlags, CWD};
use rustix::io::Errno;

use crate::model::Process;

pub struct Owners {
    pub by_inode: HashMap<u64, Vec<u32>>,
    /// Processes whose open files could not be read.
    pub unreadable: usize,
}

fn open_dir(at: &OwnedFd, path: &str) -> rustix::io::Result<OwnedFd> {
    openat(
        at,
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

fn pid_of(name: &[u8]) -> Option<u32> {
    if name.is_empty() || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

/// The inode of a `socket:[12345]` link.
fn socket_inode(link: &[u8]) -> Option<u64> {
    let inner = link.strip_prefix(b"socket:[")?.strip_suffix(b"]")?;
    std::str::from_utf8(inner).ok()?.parse().ok()
}

/// Which pids hold each of `inodes`.
pub fn owners(inodes: &HashSet<u64>) -> Owners {
    let mut owners = Owners {
        by_inode: HashMap::new(),
        unreadable: 0,
    };
    if inodes.is_empty() {
        return owners;
    }
    let Ok(proc) = openat(
        CWD,
        "/proc",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) else {
        return owners;
    };
    let Ok(pids) = Dir::read_from(&proc) else {
        return owners;
    };
    let mut link = Vec::with_capacity(64);
    for entry in pids.flatten() {
        let Some(pid) = pid_of(entry.file_name().to_bytes()) else {
            continue;
        };
        let fd_dir = match open_dir(&proc, &format!("{pid}/fd")) {
            Ok(dir) => dir,
            Err(Errno::ACCESS) | Err(Errno::PERM) => {
                owners.unreadable += 1;
                continue;
            }
            // Exited since /proc was listed, or a kernel thread: nothing to see.
            Err(_) => continue,
        };
        let Ok(fds) = Dir::read_from(&fd_dir) else {
            continue;
        };
        for fd in fds.flatten() {
            let name = fd.file_name();
            if name.to_bytes().first() == Some(&b'.') {
                continue;
            }
            match readlinkat(&fd_dir, name, std::mem::take(&mut link)) {
                Ok(target) => {
                    if let Some(inode) = socket_inode(target.as_bytes()) {
                        if inodes.contains(&inode) {
                            let held_by = owners.by_inode.entry(inode).or_default();
                            if held_by.last() != Some(&pid) {
                                held_by.push(pid);
                            }
                        }
                    }
                    link = target.into_bytes();
                    link.clear();
                }
                // The fd closed between listing and reading.
                Err(_) => continue,
            }
        }
    }
    owners
}

/// Name, parent, user, command line and start time of each pid; exited ones are left out.
pub fn processes(pids: &[u32]) -> Vec<Process> {
    let mut users: HashMap<u32, Option<String>> = HashMap::new();
    pids.iter()
        .filter_map(|&pid| {
            let mut process = process(pid)?;
            if let Some(uid) = process.uid {
                process.user = users
                    .entry(uid)
                    .or_insert_with(|| super::user_name(uid))
                    .clone();
            }
            Some(process)
        })
        .collect()
}

fn process(pid: u32) -> Option<Process> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (name, ppid, start_time) = parse_stat(&stat)?;
    let uid = fs::metadata(format!("/proc/{pid}")).ok().map(|m| m.uid());
    let cmdline = fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .filter(|c| !c.is_empty())
        .map(|c| shorten(&String::from_utf8_lossy(&c).replace('\0', " ")));
    Some(Process {
        pid,
        ppid: Some(ppid),
        name,
        uid,
        user: None,
        cmdline,
        start_time: Some(start_time),
    })
}

fn shorten(cmdline: &str) -> String {
    const MAX: usize = 200;
    let cmdline = cmdline.trim_end();
    match cmdline.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &cmdline[..cut]),
        None => cmdline.to_string(),
    }
}

/// Whether `pid` runs: a zombie (exited, not yet reaped by its parent) does not, although
/// `kill(pid, 0)` still finds it.
pub fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let close = stat.rfind(')')?;
            stat.get(close + 1..)?
                .split_whitespace()
                .next()
                .map(str::to_string)
        })
        .is_some_and(|state| !matches!(state.as_str(), "Z" | "X" | "x"))
}

/// `pid (comm) state ppid … starttime …`: the name may hold spaces and parentheses, so the
/// fields are counted from the last `)`.
fn parse_stat(stat: &str) -> Option<(String, u32, u64)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_string();
    let fields: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    let ppid = fields.get(1)?.parse().ok()?;
    let start_time = fields.get(19)?.parse().ok()?;
    Some((name, ppid, start_time))
}

/// Whether `pid` is still the process that was seen (same start time) and still holds the
/// socket `inode`: checked right before it is signalled.
pub fn still_holds(pid: u32, start_time: Option<u64>, inode: Option<u64>, _port: u16) -> bool {
    let Some(now) = fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| parse_stat(&s))
    else {
        return false;
    };
    if start_time.is_some_and(|t| t != now.2) {
        return false;
    }
    let Some(inode) = inode else {
        return false;
    };
    let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        fs::read_link(fd.path())
            .ok()
            .and_then(|l| socket_inode(l.as_os_str().as_encoded_bytes()))
            == Some(inode)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_with_awkward_names() {
        let stat = "4242 (python3) S 4200 4242 4200 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 777 0 0";
        assert_eq!(parse_stat(stat), Some(("python3".into(), 4200, 777)));
        let stat = "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0";
        assert_eq!(parse_stat(stat), Some(("a) b (c)".into(), 1, 99)));
        assert_eq!(parse_stat("garbage"), None);
        assert_eq!(parse_stat("1 (x) S"), None);
    }

    #[test]
    fn a_zombie_is_not_alive() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = child.id();
        assert!(alive(pid));
        child.kill().unwrap();
        // Not reaped yet: a zombie. Wait (bounded) for the kernel to mark it.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while alive(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(!alive(pid), "a killed, unreaped child counts as gone");
        child.wait().unwrap();
        assert!(!alive(pid));
    }

    #[test]
    fn socket_links() {
        assert_eq!(socket_inode(b"socket:[12345]"), Some(12345));
        assert_eq!(socket_inode(b"pipe:[12345]"), None);
        assert_eq!(socket_inode(b"/dev/null"), None);
        assert_eq!(socket_inode(b"socket:[x]"), None);
    }

    #[test]
    fn our_own_listening_socket_is_found_with_our_pid() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let table = super::super::socket_table(crate::platform::SocketQuery::Port(port)).unwrap();
        let socket = table
            .sockets
            .iter()
            .find(|s| s.state == crate::model::SockState::Listen)
            .expect("the listener is in the table");
        assert_eq!(socket.local.port(), port);
        assert_eq!(socket.pids, vec![std::process::id()]);
        let me = table.process(std::process::id()).expect("our process");
        assert!(me.start_time.is_some());
        assert!(still_holds(
            std::process::id(),
            me.start_time,
            socket.inode,
            port
        ));
        drop(listener);
        assert!(!still_holds(
            std::process::id(),
            me.start_time,
            socket.inode,
            port
        ));
    }
}
