#![cfg(target_os = "linux")]
//! `probe --http` against hostile servers on loopback: one that streams an endless body as fast
//! as it can, one whose head never ends. The probe must return on time with its memory small:
//! its peak resident size (VmHWM, read from /proc while it runs) stays far below what an
//! unbounded read reached (150–290 MB within 200 ms).

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Serves one request on 127.0.0.1: reads the request's head, writes `head`, then `chunk`
/// over and over until the client goes away or 10 s pass. Returns the port and the bytes
/// written, when the thread ends.
fn hostile(head: &'static [u8], chunk: Vec<u8>) -> (u16, std::thread::JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let thread = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(10);
        // The probe's plain connect comes first and closes without a request: the request
        // comes on a later connection (at most four are taken).
        let mut accepted = 0;
        let mut stream = loop {
            match listener.accept() {
                Ok((mut s, _)) => {
                    accepted += 1;
                    s.set_nonblocking(false).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                    let mut request = [0u8; 4096];
                    if s.read(&mut request).is_ok_and(|n| n > 0) {
                        break s;
                    }
                    if accepted == 4 {
                        return 0;
                    }
                }
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
                Err(_) => return 0,
            }
        };
        let mut sent = 0u64;
        if stream.write_all(head).is_err() {
            return sent;
        }
        while Instant::now() < deadline {
            match stream.write(&chunk) {
                Ok(n) => sent += n as u64,
                Err(_) => break,
            }
        }
        sent
    });
    (port, thread)
}

/// The peak resident size of the process, in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `probe 127.0.0.1:PORT --http --json` and samples its peak memory until it exits
/// (bounded: killed after 10 s). Returns the output, the time taken and the last peak seen.
fn probe(port: u16) -> (std::process::Output, Duration, u64) {
    let started = Instant::now();
    let mut child = common::command(&[])
        .args([
            "probe",
            &format!("127.0.0.1:{port}"),
            "--http",
            "--json",
            "--timeout",
            "1s",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bindscope runs");
    let pid = child.id();
    let mut peak = 0;
    loop {
        if let Some(kib) = peak_kib(pid) {
            peak = peak.max(kib);
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let out = child.wait_with_output().unwrap();
    (out, started.elapsed(), peak)
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn an_endless_body_is_read_only_as_far_as_the_cap() {
    let head = b"HTTP/1.1 200 OK\r\nServer: hostile\r\nContent-Type: text/plain\r\n\r\n";
    let (port, server) = hostile(head, vec![b'x'; 256 * 1024]);
    let (out, took, peak) = probe(port);
    let sent = server.join().unwrap();
    eprintln!(
        "endless body: probe took {took:?}, peak RSS {peak} KiB; the server wrote {} KiB",
        sent / 1024
    );
    let v = json(&out);
    let http = &v["results"][0]["http"];
    assert_eq!(http["status"], 200, "{v}");
    assert_eq!(http["server"], "hostile", "{v}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(peak > 0, "the peak was read");
    assert!(peak < 30 * 1024, "peak RSS {peak} KiB");
}

#[test]
fn a_head_that_never_ends_is_an_error_not_an_allocation() {
    let head = b"HTTP/1.1 200 OK\r\n";
    let (port, server) = hostile(
        head,
        b"X-Filler: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n".repeat(4096),
    );
    let (out, took, peak) = probe(port);
    let sent = server.join().unwrap();
    eprintln!(
        "endless head: probe took {took:?}, peak RSS {peak} KiB; the server wrote {} KiB",
        sent / 1024
    );
    let v = json(&out);
    let http = &v["results"][0]["http"];
    assert!(http["status"].is_null(), "{v}");
    assert!(http["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(peak < 30 * 1024, "peak RSS {peak} KiB");
}
