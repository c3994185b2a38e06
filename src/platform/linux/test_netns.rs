//! For tests: a thread of its own moved into a new network namespace, so that the sockets it
//! makes, the routes it adds and the dumps it asks for are that namespace's alone, and gone
//! with it.

/// A command run in the namespace of the thread that made it (`nsenter` into the thread's).
pub struct Here {
    net: String,
}

impl Here {
    /// `ip ARGS` in this namespace, which must succeed; its standard output.
    pub fn ip(&self, args: &[&str]) -> String {
        let out = std::process::Command::new("nsenter")
            .arg(&self.net)
            .arg("ip")
            .args(args)
            .output()
            .expect("nsenter and ip run");
        assert!(
            out.status.success(),
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// Runs `check` on a new thread moved into a new network namespace with lo up; skipped (with
/// the reason printed) without root, a failure under CI=true.
#[allow(unsafe_code)] // unshare(2) and gettid(2): this thread's own state only
pub fn in_own_namespace(check: impl FnOnce(&Here) + Send + 'static) {
    if !rustix::process::geteuid().is_root() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "CI=true but this test needs root (a network namespace)"
        );
        eprintln!("skipping: a network namespace needs root (under CI=true this is a failure)");
        return;
    }
    std::thread::spawn(move || {
        // SAFETY: unshare and gettid only change and read this thread's own state.
        assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0, "unshare");
        let tid = unsafe { libc::gettid() };
        let here = Here {
            net: format!("--net=/proc/{}/task/{tid}/ns/net", std::process::id()),
        };
        here.ip(&["link", "set", "lo", "up"]);
        check(&here);
    })
    .join()
    .expect("the check passes");
}
