use std::io::Write;
use std::net::{IpAddr, SocketAddr, SocketAddrV6};

use crate::analysis::expose::expose;
use crate::config::ExposeOptions;
use crate::error::InputError;
use crate::exit_codes::ExitCode;
use crate::model::BindError;
use crate::model::Host;
use crate::model::Target;
use crate::parse::{is_hostname, HostSpec};
use crate::platform;
use crate::render::{self, Ui};
use crate::report::{self, ExposeRequest};

pub fn run(
    options: &ExposeOptions,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (input, port) = (&options.host, options.port);
    let host = platform::snapshot()?;
    let (target, shown) = target(&host, &input.host)?;
    let exposure = expose(&host, &target, port);
    let tried = options.try_bind.then(|| match exposure.bind_ip {
        Some(ip) => platform::try_bind(socket_addr(&host, ip, &target, port)),
        None => Err(BindError::NotLocal),
    });
    let failed = exposure.listens_on.is_empty() || matches!(tried, Some(Err(_)));
    let request = ExposeRequest {
        host: &shown,
        port,
        scheme: input.scheme.as_deref().unwrap_or("http"),
        tried,
    };
    let report = report::expose(&request, &exposure, ui.cat);
    if json {
        render::write_json(w, ui, "expose", &report)?;
    } else {
        render::expose::human(w, &report, ui)?;
    }
    Ok(if failed {
        ExitCode::Problem
    } else {
        ExitCode::Success
    })
}

/// Turns what the user typed into a bind target: names are looked up here, interface names
/// are matched against this machine. Also returns the host as it should be shown.
pub fn target(host: &Host, spec: &HostSpec) -> Result<(Target, String), InputError> {
    match spec {
        HostSpec::Ip { ip, zone } => {
            if let Some(zone) = zone {
                let known = host
                    .interfaces
                    .iter()
                    .any(|i| &i.name == zone || i.index.is_some_and(|n| zone.parse() == Ok(n)));
                if !known {
                    return Err(InputError::UnknownZone { zone: zone.clone() });
                }
            }
            let shown = match zone {
                Some(z) => format!("{ip}%{z}"),
                None => ip.to_string(),
            };
            Ok((
                Target::Ip {
                    ip: *ip,
                    zone: zone.clone(),
                },
                shown,
            ))
        }
        HostSpec::Name(name) => {
            if host.interface(name).is_some() {
                return Ok((Target::Interface { name: name.clone() }, name.clone()));
            }
            if !is_hostname(name) {
                return Err(InputError::BadHost {
                    value: crate::parse::shown(name),
                });
            }
            let resolved = platform::resolve(name).unwrap_or_default();
            let is_localhost = name.trim_end_matches('.').eq_ignore_ascii_case("localhost");
            if resolved.is_empty() {
                return Err(InputError::Unresolved {
                    name: crate::parse::shown(name),
                });
            }
            let target = if is_localhost {
                Target::Localhost { resolved }
            } else {
                Target::Hostname {
                    name: name.clone(),
                    resolved,
                }
            };
            Ok((target, name.clone()))
        }
    }
}

/// The socket address of a trial bind; link-local IPv6 carries its interface's index.
fn socket_addr(host: &Host, ip: IpAddr, target: &Target, port: u16) -> SocketAddr {
    let zone = match target {
        Target::Ip { zone, .. } => zone.as_deref(),
        Target::Interface { name } => Some(name.as_str()),
        _ => None,
    };
    match ip {
        IpAddr::V6(v6) => {
            let scope = zone
                .and_then(|z| {
                    host.interfaces
                        .iter()
                        .find(|i| i.name == z)
                        .and_then(|i| i.index)
                        .or_else(|| z.parse().ok())
                })
                .unwrap_or(0);
            SocketAddr::V6(SocketAddrV6::new(v6, port, 0, scope))
        }
        v4 => SocketAddr::new(v4, port),
    }
}
