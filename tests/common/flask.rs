//! A real Flask app for the tests, in a process group of its own so that it and its
//! reloader's child can be stopped together — and nothing else.

#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

pub struct FlaskRun {
    pub leader: Child,
    dir: std::path::PathBuf,
}

impl Drop for FlaskRun {
    fn drop(&mut self) {
        let group = format!("-{}", self.leader.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).output();
        let _ = self.leader.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether Flask can be imported; if not, the skip (or CI failure) is reported.
pub fn installed() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import flask"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        super::netns::skip("Flask is not installed (pip install flask)");
    }
    ok
}

/// `flask run --port PORT ARGS…` under `prefix` (e.g. `ip netns exec NS`), serving a one-page
/// app from a directory of its own.
pub fn start(prefix: &[&str], port: u16, args: &[&str]) -> FlaskRun {
    start_with_env(prefix, port, args, &[])
}

/// [`start`] with variables added to Flask's environment (e.g. `FLASK_DEBUG=1`).
pub fn start_with_env(prefix: &[&str], port: u16, args: &[&str], env: &[(&str, &str)]) -> FlaskRun {
    let settings: String = env.iter().map(|(k, v)| format!("{k}{v}")).collect();
    let dir = std::env::temp_dir().join(format!(
        "bindscope-flask-{}-{port}-{}{settings}",
        std::process::id(),
        args.join("").replace(['.', ':', '-'], "")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("app.py"),
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/\")\ndef index():\n    return \"hello\"\n",
    )
    .unwrap();
    let mut command = super::prefixed(prefix, "python3");
    command
        .args([
            "-m",
            "flask",
            "--app",
            "app",
            "run",
            "--port",
            &port.to_string(),
        ])
        .args(args)
        .envs(env.iter().copied())
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Flask runs in these tests only on Linux; the gate keeps the other targets compiling.
    #[cfg(unix)]
    command.process_group(0);
    let leader = command.spawn().expect("python3 runs");
    FlaskRun { leader, dir }
}
