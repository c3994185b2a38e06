use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::sync::{mpsc, Arc};
use std::time::Instant;

use crate::analysis::expose::expose;
use crate::analysis::interfaces::primary;
use crate::config::{Families, ServeOptions};
use crate::exit_codes::ExitCode;
use crate::i18n::Text;
use crate::model::BindError;
use crate::model::Target;
use crate::platform::server::{serve, Limits};
use crate::platform::{self};
use crate::render::{self, Ui};
use crate::report::serve::{visit, visitor_lang, ServeReport, VisitReport};
use crate::report::{self, UrlsRequest};

pub fn run(
    options: &ServeOptions,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let host = Arc::new(platform::snapshot()?);
    let port = match options.port {
        Some(port) => port,
        None => super::free::free_ports(&host, 8000, (1024, 65535), &[options.host], 1)
            .first()
            .copied()
            .unwrap_or(8000),
    };
    let address = SocketAddr::new(options.host, port);
    let listener = match TcpListener::bind(address) {
        Ok(listener) => listener,
        Err(e) => {
            let error = match e.kind() {
                std::io::ErrorKind::AddrInUse => BindError::InUse,
                std::io::ErrorKind::AddrNotAvailable => BindError::NotLocal,
                std::io::ErrorKind::PermissionDenied => BindError::Permission,
                _ => BindError::Other(e.to_string()),
            };
            let reason = ui.cat.bind_result(Some(&error));
            writeln!(
                w,
                "{}",
                ui.cat.text(&Text::ServeCannotBind {
                    addr: &address.to_string(),
                    reason: &reason
                })
            )?;
            return Ok(ExitCode::Problem);
        }
    };

    let exposure = expose(
        &host,
        &Target::Ip {
            ip: options.host,
            zone: None,
        },
        port,
    );
    let primary = primary(&host);
    let urls = report::urls(
        &UrlsRequest {
            port,
            scheme: "http",
            path: "",
            all: false,
            families: Families::Both,
            primary: primary.as_ref(),
        },
        &exposure,
        ui.cat,
    );
    if !json {
        render::serve::started(
            w,
            &address,
            options.duration.as_secs(),
            &urls,
            options.qr,
            ui,
        )?;
        w.flush()?;
    }

    // The server runs on its own thread; visits come back here to be written as they happen.
    let start = Instant::now();
    let until = start + options.duration;
    let (events, visits_in) = mpsc::channel::<VisitReport>();
    let server = {
        let host = host.clone();
        let lang = ui.lang;
        std::thread::spawn(move || {
            serve(listener, Limits::default(), until, move |v| {
                let at = start.elapsed().as_secs_f64();
                let theirs = visitor_lang(v.accept_language.as_deref(), lang).catalogue();
                let page = render::serve::page(&visit(&host, v, at, theirs), v.wants_html, theirs);
                let _ = events.send(visit(&host, v, at, lang.catalogue()));
                page
            })
        })
    };
    let mut visits = Vec::new();
    for v in visits_in {
        if !json {
            render::serve::visit_line(w, &v, ui)?;
            w.flush()?;
        }
        visits.push(v);
    }
    let turned_away = server
        .join()
        .map_err(|_| anyhow::anyhow!("the beacon's server thread failed"))??;
    let report = ServeReport {
        host: options.host,
        port,
        seconds: options.duration.as_secs(),
        urls,
        visits,
        turned_away,
    };
    if json {
        render::write_json(w, ui, "serve", &report)?;
    } else {
        writeln!(
            w,
            "{}",
            ui.cat.text(&Text::ServeEnded {
                visits: report.visits.len()
            })
        )?;
    }
    Ok(ExitCode::Success)
}
