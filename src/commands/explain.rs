//! `explain [TOPIC]`: a concept page with this machine's values, or the list of pages.

use super::Context;
use crate::analysis::firewall;
use crate::analysis::interfaces::primary;
use crate::analysis::live::{live, Live};
use crate::analysis::topics::Topic;
use crate::model::Proto;
use crate::platform;
use crate::report::explain::{self, ExplainOut};

pub fn run(topic: Option<Topic>, cx: &Context) -> ExplainOut {
    let Some(topic) = topic else {
        return ExplainOut::Topics(explain::topics(cx.ui.lang));
    };
    // The pages are worth reading without this machine's values: what cannot be read falls
    // back to the page's own words.
    // Who holds port 5000, asked while the machine is read: the kernel is asked for listeners
    // on it, nothing more.
    let (host, sockets) = platform::snapshot_beside(|| {
        matches!(topic, Topic::Ports | Topic::Flask)
            .then(|| platform::held_on(5000).ok())
            .flatten()
    });
    let live = match host {
        Ok(host) => {
            let mut values = live(&host, sockets.as_ref());
            if topic == Topic::Firewall {
                values.firewall = primary(&host).and_then(|p| {
                    let state = platform::firewall(None);
                    firewall::checks(&host, &state, Proto::Tcp, 5000, &[p.ip], None)
                        .into_iter()
                        .next()
                });
            }
            values
        }
        // The machine could not be read: the page is still the one written for this OS.
        Err(_) => Live {
            os: Some(platform::OS),
            ..Live::default()
        },
    };
    ExplainOut::Page(explain::explain(topic, cx.ui.lang, &live))
}
