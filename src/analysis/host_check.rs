//! Development servers that refuse a phone: they check the `Host` a browser sends (or, for
//! Next.js, the `Origin` of the page asking for its resources) against the names they were
//! told, and answer an address they do not know with an error page instead of the app.

use super::vocab::DevServer;
use crate::model::HttpAnswer;

/// A Next.js development resource: `next dev` refuses such paths (`/_next/…`) to pages of an
/// origin not in `allowedDevOrigins`, and answers 404 to those it lets in.
pub const NEXT_DEV_RESOURCE: &str = "/_next/static/chunks/bindscope-check.js";

/// An address as a phone's browser sends it in `Host`: IPv6 in brackets, with the port unless
/// it is HTTP's own 80.
pub fn authority(host: &str, port: u16) -> String {
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    if port == 80 {
        host
    } else {
        format!("{host}:{port}")
    }
}

/// Whether the answer comes from Next.js (`X-Powered-By: Next.js`, on by default).
pub fn is_nextjs(answer: &HttpAnswer) -> bool {
    answer
        .powered_by
        .as_deref()
        .is_some_and(|p| p.starts_with("Next.js"))
}

/// Which development server refused the request's `Host`, from its answer (and, for
/// Next.js, its answer to [`NEXT_DEV_RESOURCE`] asked with the page's `Origin`).
pub fn refused_by(answer: &HttpAnswer, dev_resource: Option<&HttpAnswer>) -> Option<DevServer> {
    let body = answer.body.trim();
    match answer.status {
        // Vite ≥ 6.0.9 (and 5.4.12, 4.5.6): `server.allowedHosts`; IP addresses pass.
        403 if body.starts_with("Blocked request. This host (") => Some(DevServer::Vite),
        // webpack-dev-server's `allowedHosts: 'auto'`: localhost, IP addresses and `host` pass.
        403 if body == "Invalid Host header" => Some(DevServer::Webpack),
        // Django's DisallowedHost: the debug page names it; without DEBUG, runserver's plain
        // 400 page.
        400 if body.contains("DisallowedHost") || body.contains("Invalid HTTP_HOST header") => {
            Some(DevServer::Django)
        }
        400 if answer
            .server
            .as_deref()
            .is_some_and(|s| s.starts_with("WSGIServer/"))
            && body.contains("<h1>Bad Request (400)</h1>") =>
        {
            Some(DevServer::Django)
        }
        _ if is_nextjs(answer)
            && dev_resource.is_some_and(|r| r.status == 403 && r.body.trim() == "Unauthorized") =>
        {
            Some(DevServer::Nextjs)
        }
        _ => None,
    }
}

/// The name in a `Host` header without its port, as the servers' settings take it
/// (`laptop.local`, `192.168.1.5`, `[fd12::23]`).
pub fn host_name(host: &str) -> &str {
    if let Some(end) = host.strip_prefix('[').and_then(|rest| rest.find(']')) {
        return &host[..end + 2];
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw answer as `curl -si` records it: status line, headers, blank line, body (chunked
    /// bodies already decoded).
    fn answer(raw: &str) -> HttpAnswer {
        let (head, body) = raw.split_once("\r\n\r\n").expect("a head and a body");
        let mut lines = head.lines();
        let status_line = lines.next().unwrap();
        let mut parts = status_line.splitn(3, ' ');
        let _version = parts.next();
        let status: u16 = parts.next().unwrap().parse().unwrap();
        let reason = parts.next().unwrap_or("").to_string();
        let mut a = HttpAnswer {
            status,
            reason,
            body: body.to_string(),
            ..HttpAnswer::default()
        };
        for line in lines {
            let (name, value) = line.split_once(':').unwrap();
            let value = Some(value.trim().to_string());
            match name.to_ascii_lowercase().as_str() {
                "server" => a.server = value,
                "content-type" => a.content_type = value,
                "x-powered-by" => a.powered_by = value,
                _ => {}
            }
        }
        a
    }

    // Recorded on 2026-12-01 with `curl -si -H 'Host: …' http://127.0.0.1:PORT/` against real
    // servers run here on loopback, each in its default host-checking configuration:
    // - vite-*: Vite 8.4.0 (`npx vite --host 127.0.0.1`), Host `laptop.local:5999` and
    //   `192.168.1.5:5999`.
    // - wds-*: webpack-dev-server 5.2.7 with webpack 5.113.0 (`npx webpack serve`, no
    //   `allowedHosts`), Host `laptop.local:8999` and `192.168.1.5:8999`.
    // - django-debug: Django 5.2.19, `django-admin startproject` (DEBUG = True,
    //   ALLOWED_HOSTS = []), `runserver`, Host `192.168.1.5:8998`; the first 8 KiB of the
    //   63 KB debug page. django-nodebug: DEBUG = False, ALLOWED_HOSTS = ['127.0.0.1'].
    //   django-ok: Host `127.0.0.1:8998`.
    // - next-*: Next.js 16.4.6 (`next dev -H 127.0.0.1`, an app/ with one page): the page with
    //   Host `192.168.1.5:3999`, and /_next/static/chunks/bindscope.js with `Origin:
    //   http://192.168.1.5:3999` (refused) and `Origin: http://localhost:3999` (let in).
    const VITE_NAME: &str = include_str!("fixtures/http/vite-name.http");
    const VITE_IP: &str = include_str!("fixtures/http/vite-ip.http");
    const WDS_NAME: &str = include_str!("fixtures/http/wds-name.http");
    const WDS_IP: &str = include_str!("fixtures/http/wds-ip.http");
    const DJANGO_DEBUG: &str = include_str!("fixtures/http/django-debug.http");
    const DJANGO_NODEBUG: &str = include_str!("fixtures/http/django-nodebug.http");
    const DJANGO_OK: &str = include_str!("fixtures/http/django-ok.http");
    const NEXT_PAGE: &str = include_str!("fixtures/http/next-page.http");
    const NEXT_REFUSED: &str = include_str!("fixtures/http/next-origin.http");
    const NEXT_LET_IN: &str = include_str!("fixtures/http/next-origin-ok.http");

    #[test]
    fn recorded_refusals_name_their_server() {
        assert_eq!(refused_by(&answer(VITE_NAME), None), Some(DevServer::Vite));
        assert_eq!(
            refused_by(&answer(WDS_NAME), None),
            Some(DevServer::Webpack)
        );
        assert_eq!(
            refused_by(&answer(DJANGO_DEBUG), None),
            Some(DevServer::Django)
        );
        assert_eq!(
            refused_by(&answer(DJANGO_NODEBUG), None),
            Some(DevServer::Django)
        );
        let page = answer(NEXT_PAGE);
        assert!(is_nextjs(&page));
        assert_eq!(
            refused_by(&page, Some(&answer(NEXT_REFUSED))),
            Some(DevServer::Nextjs)
        );
    }

    #[test]
    fn answers_that_let_the_phone_in_are_no_refusal() {
        for raw in [VITE_IP, WDS_IP, DJANGO_OK] {
            let a = answer(raw);
            assert!(!is_nextjs(&a));
            assert_eq!(refused_by(&a, None), None, "{raw:.200}");
        }
        let page = answer(NEXT_PAGE);
        assert_eq!(refused_by(&page, Some(&answer(NEXT_LET_IN))), None);
        assert_eq!(refused_by(&page, None), None);
        // A 403 "Unauthorized" from anything but Next.js is not Next.js's block.
        assert_eq!(
            refused_by(&answer(WDS_IP), Some(&answer(NEXT_REFUSED))),
            None
        );
        // A 400 from another server is not Django's.
        let plain = HttpAnswer {
            status: 400,
            server: Some("nginx".into()),
            body: "<h1>Bad Request (400)</h1>".into(),
            ..HttpAnswer::default()
        };
        assert_eq!(refused_by(&plain, None), None);
    }

    #[test]
    fn the_name_drops_the_port() {
        assert_eq!(host_name("laptop.local:5173"), "laptop.local");
        assert_eq!(host_name("laptop.local"), "laptop.local");
        assert_eq!(host_name("192.168.1.5:8000"), "192.168.1.5");
        assert_eq!(host_name("[fd12::23]:8000"), "[fd12::23]");
        assert_eq!(host_name("[fd12::23]"), "[fd12::23]");
    }
}
