//! The calls into macOS that hand over raw bytes: `sysctlbyname` and libproc. Nothing here
//! interprets them; `macos_parse` does, cfg-free and tested from fixtures.

// The one place on macOS that needs unsafe: sysctlbyname and libproc take raw buffers, and
// no well-kept crate wraps the socket tables (pcblist_n) or the descriptor calls whole.
#![allow(unsafe_code)]

use std::ffi::CString;
use std::io;

use super::super::macos_parse as parse;

/// A sysctl's value. Tables grow between asking for the size and reading, so the buffer gets
/// room to spare and the read is retried a few times if it was still too small.
pub fn sysctl(name: &str) -> io::Result<Vec<u8>> {
    let cname = CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    for _ in 0..4 {
        let mut size: libc::size_t = 0;
        // SAFETY: a NUL-terminated name; a null buffer asks only for the size.
        let rc = unsafe {
            libc::sysctlbyname(
                cname.as_ptr(),
                std::ptr::null_mut(),
                &mut size,
                std::ptr::null_mut(),
                0,
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut buf = vec![0u8; size + size / 8 + 4096];
        let mut len = buf.len();
        // SAFETY: `buf` is valid for `len` bytes, and the kernel writes at most `len`.
        let rc = unsafe {
            libc::sysctlbyname(
                cname.as_ptr(),
                buf.as_mut_ptr().cast(),
                &mut len,
                std::ptr::null_mut(),
                0,
            )
        };
        if rc == 0 {
            buf.truncate(len);
            return Ok(buf);
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::ENOMEM) {
            return Err(e);
        }
    }
    Err(io::Error::other(format!(
        "{name} kept growing while it was read"
    )))
}

/// Every pid on the machine (`proc_listallpids`).
pub fn all_pids() -> io::Result<Vec<u32>> {
    // SAFETY: a null buffer asks for the number of pids.
    let count = unsafe { libc::proc_listallpids(std::ptr::null_mut(), 0) };
    if count <= 0 {
        return Err(io::Error::last_os_error());
    }
    let mut pids = vec![0 as libc::pid_t; count as usize + 64];
    let bytes = (pids.len() * std::mem::size_of::<libc::pid_t>()) as libc::c_int;
    // SAFETY: `pids` is valid for `bytes` bytes.
    let got = unsafe { libc::proc_listallpids(pids.as_mut_ptr().cast(), bytes) };
    if got <= 0 {
        return Err(io::Error::last_os_error());
    }
    pids.truncate(got as usize);
    Ok(pids
        .into_iter()
        .filter_map(|p| u32::try_from(p).ok())
        .filter(|&p| p > 0)
        .collect())
}

/// The descriptor list of a process (`PROC_PIDLISTFDS`): `proc_fdinfo` records. Another
/// user's process answers EPERM without root.
pub fn fd_list(pid: u32) -> io::Result<Vec<u8>> {
    let pid = pid_t(pid)?;
    // SAFETY: a null buffer asks for the size the list needs.
    let size =
        unsafe { libc::proc_pidinfo(pid, libc::PROC_PIDLISTFDS, 0, std::ptr::null_mut(), 0) };
    if size <= 0 {
        return Err(io::Error::last_os_error());
    }
    // Room for descriptors opened in between.
    let mut buf = vec![0u8; size as usize + 32 * 8];
    // SAFETY: `buf` is valid for the length given.
    let got = unsafe {
        libc::proc_pidinfo(
            pid,
            libc::PROC_PIDLISTFDS,
            0,
            buf.as_mut_ptr().cast(),
            buf.len() as libc::c_int,
        )
    };
    if got <= 0 {
        return Err(io::Error::last_os_error());
    }
    buf.truncate(got as usize);
    Ok(buf)
}

/// `PROC_PIDFDSOCKETINFO` of `sys/proc_info.h`.
const PROC_PIDFDSOCKETINFO: libc::c_int = 3;

/// A socket descriptor's record (`socket_fdinfo`, 792 bytes on 64-bit).
pub fn fd_socket_info(pid: u32, fd: i32) -> Option<Vec<u8>> {
    let pid = pid_t(pid).ok()?;
    let mut buf = vec![0u8; 1024];
    // SAFETY: `buf` is valid for the length given.
    let got = unsafe {
        libc::proc_pidfdinfo(
            pid,
            fd,
            PROC_PIDFDSOCKETINFO,
            buf.as_mut_ptr().cast(),
            buf.len() as libc::c_int,
        )
    };
    (got > 0).then(|| {
        buf.truncate(got as usize);
        buf
    })
}

/// A process's `proc_bsdinfo` (`PROC_PIDTBSDINFO`): readable for other users' processes too.
pub fn bsdinfo(pid: u32) -> Option<Vec<u8>> {
    let pid = pid_t(pid).ok()?;
    let mut buf = vec![0u8; std::mem::size_of::<libc::proc_bsdinfo>()];
    // SAFETY: `buf` is exactly one proc_bsdinfo long.
    let got = unsafe {
        libc::proc_pidinfo(
            pid,
            libc::PROC_PIDTBSDINFO,
            0,
            buf.as_mut_ptr().cast(),
            buf.len() as libc::c_int,
        )
    };
    (got as usize == buf.len()).then_some(buf)
}

// The layout macos_parse reads, checked against the SDK's.
const _: () = assert!(
    std::mem::size_of::<libc::proc_vnodepathinfo>() == parse::VNODEPATHINFO_LEN
        && std::mem::offset_of!(libc::vnode_info_path, vip_path) == parse::VNODE_INFO_LEN
);

/// A process's `proc_vnodepathinfo` (`PROC_PIDVNODEPATHINFO`: its working and root
/// directories); the owner's or root's to read.
pub fn vnodepathinfo(pid: u32) -> Option<Vec<u8>> {
    let pid = pid_t(pid).ok()?;
    let mut buf = vec![0u8; parse::VNODEPATHINFO_LEN];
    // SAFETY: `buf` is exactly one proc_vnodepathinfo long (checked above).
    let got = unsafe {
        libc::proc_pidinfo(
            pid,
            libc::PROC_PIDVNODEPATHINFO,
            0,
            buf.as_mut_ptr().cast(),
            buf.len() as libc::c_int,
        )
    };
    (got as usize == buf.len()).then_some(buf)
}

/// The program's path (`proc_pidpath`).
pub fn pid_path(pid: u32) -> Option<String> {
    let pid = pid_t(pid).ok()?;
    let mut buf = vec![0u8; libc::PROC_PIDPATHINFO_MAXSIZE as usize];
    // SAFETY: `buf` is valid for the length given.
    let got = unsafe { libc::proc_pidpath(pid, buf.as_mut_ptr().cast(), buf.len() as u32) };
    if got <= 0 {
        return None;
    }
    buf.truncate(got as usize);
    String::from_utf8(buf).ok().filter(|p| !p.is_empty())
}

fn pid_t(pid: u32) -> io::Result<libc::pid_t> {
    libc::pid_t::try_from(pid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}
