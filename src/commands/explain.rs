//! `explain [TOPIC]`: a concept page with this machine's values, or the list of pages.

use super::Context;
use crate::analysis::live::{live, Live};
use crate::analysis::topics::Topic;
use crate::model::SocketQuery;
use crate::platform;
use crate::report::explain::{self, ExplainOut};

pub fn run(topic: Option<Topic>, cx: &Context) -> ExplainOut {
    let Some(topic) = topic else {
        return ExplainOut::Topics(explain::topics(cx.ui.lang));
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
    ExplainOut::Page(explain::explain(topic, cx.ui.lang, &live))
}
