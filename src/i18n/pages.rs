//! The `explain` pages: Markdown files in `docs/en` and `docs/ko`, compiled into the binary so
//! that the docs folder and the tool never disagree.
//!
//! The `match` is over every (language, topic) pair and `include_str!` needs each file: a page
//! missing in one language does not compile. A test checks that no page exists in one
//! language only and that every file belongs to a topic.

use super::Lang;
use crate::analysis::topics::Topic;

macro_rules! pages {
    ($($topic:ident => $file:literal),* $(,)?) => {
        /// The Markdown source of a page, with its `{{value:fallback}}` placeholders.
        pub fn source(lang: Lang, topic: Topic) -> &'static str {
            match (lang, topic) {
                $(
                    (Lang::En, Topic::$topic) => {
                        include_str!(concat!("../../docs/en/", $file, ".md"))
                    }
                    (Lang::Ko, Topic::$topic) => {
                        include_str!(concat!("../../docs/ko/", $file, ".md"))
                    }
                )*
            }
        }

        /// Each topic's file name in `docs/en` and `docs/ko`.
        pub const FILES: &[(Topic, &str)] = &[$((Topic::$topic, $file)),*];
    };
}

pages! {
    Flask => "flask",
    BindAll => "bind-all",
    LoopbackVsLan => "loopback-vs-lan",
    Ports => "ports",
    Debugging => "debugging",
    Ipv6 => "ipv6",
    Firewall => "firewall",
    Wsl => "wsl",
    Docker => "docker",
    Macos => "macos",
}
