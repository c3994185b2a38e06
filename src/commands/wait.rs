//! `wait`: rounds of connects until the port answers (or frees), with a progress line on a
//! terminal; the report is the one line (or JSON document) at the end.

use std::io::Write;
use std::time::Duration;

use super::Context;
use crate::config::WaitOptions;
use crate::gather::wait;
use crate::i18n::Text;
use crate::model::WaitMode;
use crate::render;
use crate::report::wait::WaitReport;

pub fn run(
    options: &WaitOptions,
    cx: &Context,
    live: &mut dyn Write,
) -> anyhow::Result<WaitReport> {
    let (port, mode) = (options.port, options.mode);
    let addrs = match mode {
        WaitMode::Free => Vec::new(),
        WaitMode::Connect | WaitMode::Http => wait::addresses(&options.host, port)?,
    };
    if cx.progress {
        // Ctrl+C ends the wait as it would have, without leaving the progress line drawn.
        crate::platform::server::on_interrupt(|| {
            let _ = render::wait::clear_progress(&mut std::io::stderr());
            std::process::exit(130);
        });
    }
    let mut drawn = false;
    let waited = {
        let mut tick = |elapsed: Duration| {
            if cx.progress {
                let text = cx.ui.cat.text(&Text::WaitWaiting {
                    mode,
                    port,
                    addrs: &addrs,
                    elapsed_ms: elapsed.as_millis() as u64,
                });
                // Best effort: a terminal that went away must not end the wait.
                drawn |= render::wait::progress(live, &text).is_ok();
            }
        };
        wait::wait(
            &addrs,
            port,
            mode,
            options.timeout,
            options.interval,
            &mut tick,
        )
    };
    if drawn {
        let _ = render::wait::clear_progress(live);
    }
    Ok(WaitReport::new(
        port,
        mode,
        addrs,
        (options.timeout, options.interval),
        waited?,
    ))
}
