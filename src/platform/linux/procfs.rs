//! Socket owners from /proc: one pass over every /proc/PID/fd, reading each link relative to
//! its directory (no path to walk from /), then the details of the few processes that matched.
//! A process that exits mid-scan is skipped; one whose files cannot be read is counted, and
//! its sockets keep an unknown owner.

use std::collections::HashMap;
use std::fs;

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use std::ffi::CStr;

use rustix::fs::{openat, readlinkat_raw, Dir, Mode, OFlags, CWD};
use rustix::io::Errno;

use std::time::Duration;

use crate::model::{HolderFacts, Process, Signal, SignalError};

#[derive(Default)]
pub struct Owners {
    /// (socket inode, pid) of each descriptor found, in order once `owners` is done, each pair
    /// once. Pairs, not a map of vectors: at 50,000 sockets a map with a vector each was 5 MB,
    /// the pairs are 0.8.
    pub held: Vec<(u64, u32)>,
    /// The user of each process that holds one of the sockets.
    pub uids: HashMap<u32, u32>,
    /// Processes whose open files could not be read: other users', without root.
    pub unreadable: usize,
    /// Processes whose open files could not be read although this process runs as root.
    pub protected: usize,
}

impl Owners {
    /// Adds what another thread found.
    fn merge(&mut self, other: Owners) {
        self.held.extend(other.held);
        self.uids.extend(other.uids);
        self.unreadable += other.unreadable;
        self.protected += other.protected;
    }

    /// The pids holding `inode`, in order (once `owners` has sorted the pairs).
    pub fn holders(&self, inode: u64) -> impl Iterator<Item = u32> + '_ {
        let start = self.held.partition_point(|&(i, _)| i < inode);
        self.held[start..]
            .iter()
            .take_while(move |&&(i, _)| i == inode)
            .map(|&(_, pid)| pid)
    }

    /// Puts the pairs in order, each once: a process holding one socket on two descriptors
    /// is named once, whichever thread found it.
    fn sort(&mut self) {
        self.held.sort_unstable();
        self.held.dedup();
    }

    /// Counts a process whose open files cannot be read: as root, one the system guards.
    fn refused(&mut self, as_root: bool) {
        if as_root {
            self.protected += 1;
        } else {
            self.unreadable += 1;
        }
    }
}

fn open_dir(at: impl AsFd, path: &str) -> rustix::io::Result<OwnedFd> {
    openat(
        at,
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

fn number(name: &[u8]) -> Option<u32> {
    if name.is_empty() || name.len() > 10 || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

/// `n` as a C string in `buf`, without allocating: one is made for every open file.
fn c_number(mut n: u32, buf: &mut [u8; 12]) -> &CStr {
    let mut digits = [0u8; 10];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for (i, d) in digits[..len].iter().rev().enumerate() {
        buf[i] = *d;
    }
    buf[len] = 0;
    CStr::from_bytes_with_nul(&buf[..=len]).unwrap_or_default()
}

/// The inode of a `socket:[12345]` link.
fn socket_inode(link: &[u8]) -> Option<u64> {
    let inner = link.strip_prefix(b"socket:[")?.strip_suffix(b"]")?;
    std::str::from_utf8(inner).ok()?.parse().ok()
}

/// The inodes of the sockets whose owners are looked for, in order: every socket descriptor
/// of every process is looked up here (a binary search; SipHash cost more).
pub struct Inodes(Vec<u64>);

impl Inodes {
    pub fn new(inodes: impl IntoIterator<Item = u64>) -> Inodes {
        let mut all: Vec<u64> = inodes.into_iter().collect();
        all.sort_unstable();
        all.dedup();
        Inodes(all)
    }

    fn has(&self, inode: u64) -> bool {
        self.0.binary_search(&inode).is_ok()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Which pids hold each of `inodes`: one readlink per open file of every process, the pids
/// shared out over threads where there is much to read ([`scan_threads`]).
pub fn owners(inodes: &Inodes) -> Owners {
    if inodes.is_empty() {
        return Owners::default();
    }
    let Ok(proc) = open_dir(CWD, "/proc") else {
        return Owners::default();
    };
    let Ok(listing) = Dir::read_from(&proc) else {
        return Owners::default();
    };
    let pids: Vec<u32> = listing
        .flatten()
        .filter_map(|e| number(e.file_name().to_bytes()))
        .collect();
    let mut owners = scan_over(&proc, &pids, inodes, scan_threads(pids.len()));
    owners.sort();
    owners
}

/// Pids a thread takes at a time, at most: small enough to even out processes with many
/// descriptors. Fewer where there are few processes, so that each thread gets several batches.
const BATCH: usize = 16;
/// Below this many processes, and this many open files on the machine, one thread scans them
/// all: a thread costs more to start.
const PARALLEL_FROM: usize = 256;
const PARALLEL_FILES: u64 = 4096;

/// How many threads scan `processes`: one, unless there is much to read, that is many
/// processes, or many open files in a few (80 processes holding 50,000 sockets; the kernel
/// counts the files of the whole machine, so a few processes in a container on a busy host
/// count as busy too). Then the cores this process may use (`available_parallelism` follows
/// the CPU affinity mask: `taskset -c 0` makes it one), but no more than a thread for 8
/// processes, and at most 8.
fn scan_threads(processes: usize) -> usize {
    let busy = processes >= PARALLEL_FROM
        || files_open_on_machine().is_some_and(|files| files >= PARALLEL_FILES);
    if !busy {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    cores.min(processes / 8).clamp(1, 8)
}

/// The machine's open files: the first number of /proc/sys/fs/file-nr.
fn files_open_on_machine() -> Option<u64> {
    let text = fs::read_to_string("/proc/sys/fs/file-nr").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// `scan` on `threads` threads ([`scan_threads`]). Threads take batches of pids in turn and
/// their findings are merged: the same answer as one thread's. A helper that cannot be started
/// leaves its batches to the others. Measured with 2,200 processes on 2 loaded cores: 0.72–0.75
/// × the wall time of one thread, the same CPU time (docs/benchmarks.md).
fn scan_over(proc: &OwnedFd, pids: &[u32], inodes: &Inodes, threads: usize) -> Owners {
    if threads <= 1 {
        return scan(proc, pids, inodes);
    }
    let batch = (pids.len() / (threads * 8)).clamp(1, BATCH);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let start = next.fetch_add(batch, std::sync::atomic::Ordering::Relaxed);
        pids.get(start..pids.len().min(start + batch))
            .filter(|batch| !batch.is_empty())
    };
    let work = || {
        let mut found = Owners::default();
        while let Some(batch) = take() {
            found.merge(scan(proc, batch, inodes));
        }
        found
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut found = work();
        for helper in helpers {
            // A helper that panicked found nothing more; the answer is then what the others
            // found, as if those processes had exited.
            if let Ok(more) = helper.join() {
                found.merge(more);
            }
        }
        found
    })
}

fn scan(proc: &OwnedFd, pids: &[u32], inodes: &Inodes) -> Owners {
    let mut found = Owners::default();
    let as_root = rustix::process::geteuid().is_root();
    let mut link = [0u8; 64];
    let mut fds: Vec<u32> = Vec::with_capacity(64);
    for &pid in pids {
        let dir = match open_files(proc.as_fd(), &pid.to_string(), &mut fds) {
            Ok(dir) => dir,
            Err(Errno::ACCESS) | Err(Errno::PERM) => {
                found.refused(as_root);
                continue;
            }
            // Exited since /proc was listed: nothing to see.
            Err(_) => continue,
        };
        let Ok(dir_fd) = dir.fd() else { continue };
        let mut matched = false;
        let mut name = [0u8; 12];
        for &fd in &fds {
            // The fd may close between listing and reading: then it is simply skipped. A link
            // longer than the buffer is cut short, and no socket link is that long.
            let len = match readlinkat_raw(dir_fd, c_number(fd, &mut name), &mut link[..]) {
                Ok(len) => len,
                // The directory opened but its links may not be read (a process guarded
                // against ptrace-style access): none of them will be.
                Err(Errno::ACCESS) | Err(Errno::PERM) => {
                    found.refused(as_root);
                    break;
                }
                Err(_) => continue,
            };
            if let Some(inode) = socket_inode(&link[..len]).filter(|&i| inodes.has(i)) {
                found.held.push((inode, pid));
                matched = true;
            }
        }
        if matched {
            // /proc/PID/fd belongs to the process's user.
            if let Ok(stat) = rustix::fs::fstat(dir_fd) {
                found.uids.insert(pid, stat.st_uid);
            }
        }
    }
    found
}

/// The open descriptors of a process, listed into `names`, and the directory to read their
/// links relative to: `BASE/fd`, BASE being the process's /proc directory relative to `at`
/// (`"1234"` from /proc, `"."` from /proc/1234). A process whose main thread has exited while
/// its other threads run keeps its files, but its leader, a zombie, lists none: then a live
/// thread's `BASE/task/TID/fd` is read. (A kernel thread lists none either: its task
/// directory holds only itself, so that costs one listing more.)
fn open_files(at: BorrowedFd<'_>, base: &str, names: &mut Vec<u32>) -> rustix::io::Result<Dir> {
    let dir = list_fds(at, &format!("{base}/fd"), names)?;
    if !names.is_empty() {
        return Ok(dir);
    }
    let Ok(tasks) = open_dir(at, &format!("{base}/task")).and_then(Dir::new) else {
        return Ok(dir);
    };
    for task in tasks.flatten() {
        let tid = task.file_name().to_bytes();
        if number(tid).is_none() || tid == base.as_bytes() {
            continue;
        }
        let path = format!("{base}/task/{}/fd", String::from_utf8_lossy(tid));
        if let Ok(thread) = list_fds(at, &path, names) {
            if !names.is_empty() {
                return Ok(thread);
            }
        }
    }
    Ok(dir)
}

/// The descriptor numbers in the fd directory `path`, into `names`.
fn list_fds(at: BorrowedFd<'_>, path: &str, names: &mut Vec<u32>) -> rustix::io::Result<Dir> {
    let mut dir = Dir::new(open_dir(at, path)?)?;
    names.clear();
    names.extend(
        dir.by_ref()
            .flatten()
            .filter_map(|e| number(e.file_name().to_bytes())),
    );
    Ok(dir)
}

/// Whether a thread of the process of an opened /proc/PID other than its leader runs: a
/// process whose main thread has exited (its leader a zombie) still runs in its others.
fn a_thread_runs(dir: &OwnedFd) -> bool {
    let Ok(tasks) = open_dir(dir, "task").and_then(Dir::new) else {
        return false;
    };
    let mut buf = Vec::with_capacity(512);
    tasks.flatten().any(|task| {
        let tid = task.file_name().to_bytes();
        number(tid).is_some()
            && read_at(
                dir,
                &format!("task/{}/stat", String::from_utf8_lossy(tid)),
                &mut buf,
            )
            .is_some_and(|stat| runs(&String::from_utf8_lossy(stat)))
    })
}

/// Name, parent, user, command line and start time of each pid; exited ones are left out.
pub fn processes(pids: &[u32], uids: &HashMap<u32, u32>) -> Vec<Process> {
    let Ok(proc) = open_dir(CWD, "/proc") else {
        return Vec::new();
    };
    // Two files a process: with hundreds of owners, worth the cores the scan used too.
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(pids.len() / DETAILS_A_THREAD)
        .clamp(1, 8);
    details_over(&proc, pids, uids, threads)
}

/// [`details`] on `threads` threads, each taking a run of pids; the runs are joined in order.
/// A run whose thread cannot be started, or panicked, is read on this thread.
fn details_over(
    proc: &OwnedFd,
    pids: &[u32],
    uids: &HashMap<u32, u32>,
    threads: usize,
) -> Vec<Process> {
    if threads <= 1 {
        return details(proc, pids, uids);
    }
    let run = pids.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = pids
            .chunks(run)
            .map(|part| {
                let thread = std::thread::Builder::new()
                    .spawn_scoped(scope, move || details(proc, part, uids))
                    .ok();
                (part, thread)
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|(part, thread)| {
                thread
                    .and_then(|t| t.join().ok())
                    .unwrap_or_else(|| details(proc, part, uids))
            })
            .collect()
    })
}

/// Below this many owners a thread of its own for reading their details does not pay.
const DETAILS_A_THREAD: usize = 64;

fn details(proc: &OwnedFd, pids: &[u32], uids: &HashMap<u32, u32>) -> Vec<Process> {
    let mut users: HashMap<u32, Option<String>> = HashMap::new();
    let mut buf = Vec::with_capacity(4096);
    pids.iter()
        .filter_map(|&pid| {
            let stat = read_at(proc, &format!("{pid}/stat"), &mut buf)?;
            let (name, ppid, start_time) = parse_stat(&String::from_utf8_lossy(stat))?;
            let cmdline = read_at(proc, &format!("{pid}/cmdline"), &mut buf)
                .filter(|c| !c.is_empty())
                .map(|c| shorten(&String::from_utf8_lossy(c).replace('\0', " ")));
            let uid = uids.get(&pid).copied();
            let user = uid.and_then(|uid| {
                users
                    .entry(uid)
                    .or_insert_with(|| super::user_name(uid))
                    .clone()
            });
            Some(Process {
                pid,
                ppid: Some(ppid),
                name,
                uid,
                user,
                cmdline,
                start_time: Some(start_time),
            })
        })
        .collect()
}

/// A /proc file read whole into `buf`, without the size probe `fs::read` makes (these files
/// report a size of 0). `stat`, `status` and `cmdline` hand over all they have to a read with room for
/// it, so a read that leaves room is the last: no second read to hear the end (a thousand
/// system calls fewer for 500 owners).
fn read_at<'b>(dir: &OwnedFd, path: &str, buf: &'b mut Vec<u8>) -> Option<&'b [u8]> {
    let file = openat(dir, path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).ok()?;
    buf.clear();
    loop {
        if buf.len() == buf.capacity() {
            buf.reserve(4096);
        }
        let start = buf.len();
        let room = buf.capacity() - start;
        buf.resize(buf.capacity(), 0);
        match rustix::io::read(&file, &mut buf[start..]) {
            Ok(n) if n < room => {
                buf.truncate(start + n);
                return Some(buf.as_slice());
            }
            Ok(n) => buf.truncate(start + n),
            Err(_) => return None,
        }
        if buf.len() > 1 << 20 {
            return Some(buf.as_slice());
        }
    }
}

fn shorten(cmdline: &str) -> String {
    const MAX: usize = 200;
    let cmdline = cmdline.trim_end();
    match cmdline.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &cmdline[..cut]),
        None => cmdline.to_string(),
    }
}

/// One variable of `/proc/PID/environ`: the environment the process started with. `None`
/// when it is unset or unreadable (another user's process, without root).
pub fn env_var(pid: u32, name: &str) -> Option<String> {
    let environ = fs::read(format!("/proc/{pid}/environ")).ok()?;
    environ.split(|&b| b == 0).find_map(|entry| {
        let value = entry.strip_prefix(name.as_bytes())?.strip_prefix(b"=")?;
        Some(String::from_utf8_lossy(value).into_owned())
    })
}

/// Whether `pid` runs: a zombie (exited, not yet reaped by its parent) does not, although
/// `kill(pid, 0)` still finds it.
pub fn alive(pid: u32) -> bool {
    open_dir(CWD, &format!("/proc/{pid}")).is_ok_and(|dir| runs_at(&dir))
}

/// Whether a `stat` line is a running process's, not a zombie's.
fn runs(stat: &str) -> bool {
    stat.rfind(')')
        .and_then(|close| stat.get(close + 1..)?.split_whitespace().next())
        .is_some_and(|state| !matches!(state, "Z" | "X" | "x"))
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
/// socket `inode`.
pub fn still_holds(pid: u32, start_time: Option<u64>, inode: Option<u64>) -> bool {
    inode.is_some_and(|inode| open_holder(pid, start_time, &[inode]).is_ok())
}

/// Opens /proc/PID if it is still the process that was seen (same start time) and still
/// holds one of the sockets `inodes`. The directory stays this process's: once it exits, what
/// is read through it fails, even when its number is given to a new process.
pub fn open_holder(
    pid: u32,
    start_time: Option<u64>,
    inodes: &[u64],
) -> Result<OwnedFd, SignalError> {
    let dir = open_dir(CWD, &format!("/proc/{pid}")).map_err(|_| SignalError::Gone)?;
    verify_at(&dir, start_time, inodes)?;
    Ok(dir)
}

/// Through an opened /proc/PID: the process runs, started when it was seen, and holds one of
/// `inodes`. A start time unknown at the check cannot tell a new process from the one seen,
/// so it fails the check.
pub fn verify_at(
    dir: &OwnedFd,
    start_time: Option<u64>,
    inodes: &[u64],
) -> Result<(), SignalError> {
    let mut buf = Vec::with_capacity(512);
    let stat = read_at(dir, "stat", &mut buf).ok_or(SignalError::Gone)?;
    let stat = String::from_utf8_lossy(stat);
    if !runs(&stat) && !a_thread_runs(dir) {
        return Err(SignalError::Gone);
    }
    let (_, _, started) = parse_stat(&stat).ok_or(SignalError::Gone)?;
    if start_time.is_none_or(|t| t != started) {
        return Err(SignalError::NotHolding);
    }
    let mut names = Vec::new();
    let listing = match open_files(dir.as_fd(), ".", &mut names) {
        Ok(listing) => listing,
        Err(Errno::ACCESS) | Err(Errno::PERM) => return Err(SignalError::Permission),
        Err(_) => return Err(SignalError::Gone),
    };
    let Ok(fds) = listing.fd() else {
        return Err(SignalError::Gone);
    };
    let (mut link, mut name) = ([0u8; 64], [0u8; 12]);
    let holds = names.into_iter().any(|fd| {
        readlinkat_raw(fds, c_number(fd, &mut name), &mut link[..])
            .ok()
            .and_then(|len| socket_inode(&link[..len]))
            .is_some_and(|inode| inodes.contains(&inode))
    });
    if holds {
        Ok(())
    } else {
        Err(SignalError::NotHolding)
    }
}

/// Whether the process of an opened /proc/PID still runs.
pub fn runs_at(dir: &OwnedFd) -> bool {
    let mut buf = Vec::with_capacity(512);
    read_at(dir, "stat", &mut buf).is_some_and(|stat| runs(&String::from_utf8_lossy(stat)))
        || a_thread_runs(dir)
}

/// Sends `signal` through an opened /proc/PID (pidfd_send_signal takes such a directory as a
/// process handle): it reaches that process or none, never another with the same number.
pub fn signal_at(dir: &OwnedFd, signal: Signal) -> Result<(), SignalError> {
    let signal = match signal {
        Signal::Terminate => rustix::process::Signal::TERM,
        Signal::Kill => rustix::process::Signal::KILL,
    };
    rustix::process::pidfd_send_signal(dir, signal).map_err(|e| match e {
        Errno::SRCH => SignalError::Gone,
        Errno::PERM => SignalError::Permission,
        // The process is in a pid namespace that is neither this one nor inside it.
        Errno::INVAL => SignalError::OtherNamespace,
        // Before Linux 5.1 (ENOSYS), or a /proc that gives no process handles (EBADF): the
        // number alone is not trusted, so nothing is sent.
        Errno::NOSYS | Errno::BADF => SignalError::Unsupported,
        other => SignalError::Other(other.to_string()),
    })
}

/// Where the process of an opened /proc/PID works, and how long it has run.
pub fn facts_at(dir: &OwnedFd, start_time: Option<u64>) -> HolderFacts {
    let mut link = vec![0u8; 4096];
    let cwd = readlinkat_raw(dir, c"cwd", &mut link[..])
        .ok()
        .map(|len| String::from_utf8_lossy(&link[..len]).into_owned());
    let running_for = start_time.and_then(|ticks| {
        let uptime: f64 = fs::read_to_string("/proc/uptime")
            .ok()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        let per_second = rustix::param::clock_ticks_per_second();
        let started = ticks as f64 / per_second as f64;
        (uptime >= started).then(|| Duration::from_secs_f64(uptime - started))
    });
    HolderFacts {
        cwd,
        running_for,
        container_init: container_init_at(dir),
    }
}

/// Whether the process of an opened /proc/PID is pid 1 of a pid namespace of its own: a
/// container's init, seen from outside.
pub fn container_init_at(dir: &OwnedFd) -> bool {
    let mut buf = Vec::with_capacity(2048);
    read_at(dir, "status", &mut buf)
        .is_some_and(|status| nspid_is_init(&String::from_utf8_lossy(status)))
}

/// From `/proc/PID/status`: `NSpid:` lists the process's number in each pid namespace from
/// this /proc's down to its own; more than one, and 1 last, is a namespace's init. (One field
/// only is this namespace's own init, which `kill_plan` refuses by its number.)
fn nspid_is_init(status: &str) -> bool {
    status
        .lines()
        .find_map(|line| line.strip_prefix("NSpid:"))
        .map(|pids| pids.split_whitespace().collect::<Vec<_>>())
        .is_some_and(|pids| pids.len() > 1 && pids.last() == Some(&"1"))
}

/// Whether /proc is another pid namespace's than this process's: `unshare --pid --fork`
/// without `--mount-proc`, or a container given its host's /proc. /proc/self names this
/// process by its number in the namespace that mounted /proc; where that is not our own
/// number (or we are not in that namespace at all, and /proc/self does not resolve), every
/// pid read in /proc may be another process's here.
pub fn foreign_pids() -> bool {
    let own = rustix::process::getpid().as_raw_nonzero().get();
    fs::read_link("/proc/self")
        .ok()
        .and_then(|link| link.to_str()?.parse::<i32>().ok())
        != Some(own)
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
    fn a_namespaces_init_by_its_nspid() {
        let status = |nspid: &str| format!("Name:\tpython3\nTgid:\t4321\n{nspid}\nPPid:\t1\n");
        assert!(nspid_is_init(&status("NSpid:\t4321\t1")));
        assert!(nspid_is_init(&status("NSpid:\t4321\t77\t1")));
        // This namespace's own init, a process inside a container, a kernel without NSpid.
        assert!(!nspid_is_init(&status("NSpid:\t1")));
        assert!(!nspid_is_init(&status("NSpid:\t4322\t2")));
        assert!(!nspid_is_init(&status("NSpid:\t1\t12")));
        assert!(!nspid_is_init("Name:\tx\nPid:\t1\n"));
    }

    #[test]
    fn numbers_as_c_strings() {
        let mut buf = [0u8; 12];
        assert_eq!(c_number(0, &mut buf).to_bytes(), b"0");
        assert_eq!(c_number(7, &mut buf).to_bytes(), b"7");
        assert_eq!(c_number(4_294_967_295, &mut buf).to_bytes(), b"4294967295");
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
        let table =
            super::super::sockets::socket_table(crate::platform::SocketQuery::Port(port)).unwrap();
        let socket = table
            .sockets
            .iter()
            .find(|s| s.state == crate::model::SockState::Listen)
            .expect("the listener is in the table");
        assert_eq!(socket.local.port(), port);
        // Another test's child, between its fork and exec, holds our descriptors for an
        // instant too: ours must be among the holders.
        assert!(
            socket.pids.contains(&std::process::id()),
            "{:?}",
            socket.pids
        );
        let me = table.process(std::process::id()).expect("our process");
        assert!(me.start_time.is_some());
        assert!(still_holds(std::process::id(), me.start_time, socket.inode));
        drop(listener);
        assert!(!still_holds(
            std::process::id(),
            me.start_time,
            socket.inode
        ));
    }

    #[test]
    fn threads_find_what_one_thread_finds() {
        // Our listeners, held by us and by children that inherited them.
        let listeners: Vec<_> = (0..3)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        let mut children: Vec<_> = listeners
            .iter()
            .map(|l| {
                std::process::Command::new("sleep")
                    .arg("30")
                    .stdin(std::process::Stdio::from(std::os::fd::OwnedFd::from(
                        l.try_clone().unwrap(),
                    )))
                    .spawn()
                    .unwrap()
            })
            .collect();
        let table =
            super::super::sockets::socket_table(crate::platform::SocketQuery::Listening).unwrap();
        let ports: Vec<u16> = listeners
            .iter()
            .map(|l| l.local_addr().unwrap().port())
            .collect();
        let inodes = Inodes::new(
            table
                .sockets
                .iter()
                .filter(|s| ports.contains(&s.local.port()))
                .filter_map(|s| s.inode),
        );
        assert_eq!(inodes.0.len(), 3);
        let proc = open_dir(CWD, "/proc").unwrap();
        let pids: Vec<u32> = Dir::read_from(&proc)
            .unwrap()
            .flatten()
            .filter_map(|e| number(e.file_name().to_bytes()))
            .collect();
        let sorted = |mut o: Owners| {
            o.sort();
            o
        };
        let one = sorted(scan_over(&proc, &pids, &inodes, 1));
        // Batches of 16 over 4 threads: every thread gets some when there are 64+ pids.
        let four = sorted(scan_over(&proc, &pids, &inodes, 4));
        // Another test's child holds our descriptors for an instant between its fork and
        // exec: only our pids are compared.
        let ours: Vec<u32> = children
            .iter()
            .map(|c| c.id())
            .chain([std::process::id()])
            .collect();
        let held = |o: &Owners, inode: u64| -> Vec<u32> {
            o.holders(inode).filter(|p| ours.contains(p)).collect()
        };
        let mut found: Vec<u64> = one.held.iter().map(|&(inode, _)| inode).collect();
        found.dedup();
        assert_eq!(found.len(), 3);
        for &inode in &found {
            let holders = held(&one, inode);
            assert_eq!(holders.len(), 2, "we and one child: {holders:?}");
            assert!(holders.contains(&std::process::id()));
            assert_eq!(held(&four, inode), holders);
            for pid in &holders {
                assert_eq!(four.uids.get(pid), one.uids.get(pid));
            }
        }
        for child in &mut children {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    #[test]
    fn details_read_on_several_threads_are_those_one_thread_reads() {
        // Enough children of this test that the details are shared out (64 a thread).
        struct Children(Vec<std::process::Child>);
        impl Drop for Children {
            fn drop(&mut self) {
                for child in &mut self.0 {
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
        }
        let children = Children(
            (0..2 * DETAILS_A_THREAD + 3)
                .map(|_| {
                    std::process::Command::new("sleep")
                        .arg("30")
                        .spawn()
                        .unwrap()
                })
                .collect(),
        );
        let mut pids: Vec<u32> = children.0.iter().map(|c| c.id()).collect();
        pids.sort_unstable();
        let uids: HashMap<u32, u32> = pids.iter().map(|&p| (p, 0)).collect();
        let proc = open_dir(CWD, "/proc").unwrap();
        let one = details(&proc, &pids, &uids);
        // Three threads whatever the cores, and the way the command picks them.
        let shared = details_over(&proc, &pids, &uids, 3);
        let picked = processes(&pids, &uids);
        assert_eq!(one.len(), pids.len());
        let brief = |ps: &[Process]| -> Vec<(u32, String, Option<String>, Option<u64>)> {
            ps.iter()
                .map(|p| (p.pid, p.name.clone(), p.cmdline.clone(), p.start_time))
                .collect()
        };
        assert_eq!(brief(&shared), brief(&one));
        assert_eq!(brief(&picked), brief(&one));
        assert!(one.iter().all(|p| p.name == "sleep"));
    }

    #[test]
    fn our_own_proc_is_this_namespaces() {
        assert!(!foreign_pids(), "/proc/self names this process");
    }

    #[test]
    fn a_holder_is_signalled_through_its_handle_and_the_handle_outlives_its_number() {
        // A child of this test that holds a listening socket it inherited.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .stdin(std::process::Stdio::from(std::os::fd::OwnedFd::from(
                listener.try_clone().unwrap(),
            )))
            .spawn()
            .unwrap();
        let pid = child.id();
        let table =
            super::super::sockets::socket_table(crate::platform::SocketQuery::Port(port)).unwrap();
        let inode = table.sockets[0].inode.unwrap();
        let started = table.process(pid).and_then(|p| p.start_time);
        assert!(started.is_some(), "the child is among the owners");
        // A wrong start time is another process with the same number: not opened.
        assert_eq!(
            open_holder(pid, started.map(|t| t + 1), &[inode]).unwrap_err(),
            SignalError::NotHolding
        );
        let dir = open_holder(pid, started, &[inode]).expect("the child holds the socket");
        assert!(facts_at(&dir, started).running_for.is_some());
        assert_eq!(
            verify_at(&dir, started, &[inode + 1]),
            Err(SignalError::NotHolding)
        );
        signal_at(&dir, Signal::Terminate).unwrap();
        child.wait().unwrap();
        // Reaped: its number may be anyone's now, but the handle still names it, and it is gone.
        assert!(!runs_at(&dir));
        assert_eq!(verify_at(&dir, started, &[inode]), Err(SignalError::Gone));
        assert_eq!(signal_at(&dir, Signal::Kill), Err(SignalError::Gone));
    }
}
