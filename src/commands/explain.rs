use std::io::Write;

use crate::analysis::live::{live, Live};
use crate::analysis::topics::Topic;
use crate::exit_codes::ExitCode;
use crate::model::SocketQuery;
use crate::platform::{self};
use crate::render::{self, Ui};
use crate::report::explain;

pub fn run(
    topic: Option<Topic>,
    json: bool,
    ui: &Ui,
    w: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let Some(topic) = topic else {
        let report = explain::topics(ui.lang);
        if json {
            render::write_json(w, ui, "explain", &report)?;
        } else {
            render::explain::topics(w, &report, ui)?;
        }
        return Ok(ExitCode::Success);
    };
    // The pages are worth reading without this machine's values: what cannot be read falls
    // back to the page's own words.
    let live = match platform::snapshot() {
        Ok(host) => {
            let sockets = matches!(topic, Topic::Ports | Topic::Flask)
                .then(|| platform::socket_table(SocketQuery::Port(5000)).ok())
                .flatten();
            live(&host, sockets.as_ref())
        }
        Err(_) => Live::default(),
    };
    let report = explain::explain(topic, ui.lang, &live);
    if json {
        render::write_json(w, ui, "explain", &report)?;
    } else {
        render::explain::page(w, &report, ui)?;
    }
    Ok(ExitCode::Success)
}
